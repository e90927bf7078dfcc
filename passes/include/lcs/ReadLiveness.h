//===- ReadLiveness.h - Which launch-register reads are dead ---*- C++ -*-===//
///
/// \file
/// The targeted liveness walk of the launch-sensitivity analysis: it settles
/// most launch-register reads of a function without the cleanup pipeline,
/// from the reads forward through their users only, so its cost is that of
/// the values the reads reach, not of the function.
///
/// Effects are terminators and instructions with side effects, in blocks
/// reachable from the entry (constant branches followed), except stores
/// into allocas nothing reads (their only uses are such stores and lifetime
/// marks) and inline PTX that only moves special registers (the cleanup
/// models those as intrinsic calls). A read whose value reaches no effect
/// (an element inserted into an aggregate is followed to the extractions
/// of its index only) is dead, proved.
///
/// A read is certainly live when its value reaches an effect the cleanup
/// keeps (a store to memory other than an alloca that no store right after
/// overwrites, a return, an argument of a call with effects) through
/// operations that keep all of its information (add, sub and xor with an
/// operand that cannot be or become the read itself, mul by an unknown or
/// nonzero constant, zero and sign extension). Any other read is left to
/// the cleanup (LaunchSensitivity.cpp).
///
//===----------------------------------------------------------------------===//

#ifndef LCS_READLIVENESS_H
#define LCS_READLIVENESS_H

#include "lcs/Fields.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <optional>

namespace llvm {
class AllocaInst;
class BasicBlock;
class CallBase;
class Function;
class Instruction;
class StoreInst;
class User;
class Value;
} // namespace llvm

namespace lcs {

/// One liveness walk over one function; settle() once per object.
class ReadLiveness {
public:
  explicit ReadLiveness(const llvm::Function &F) : F(F) {}

  /// The fields of \p Reads (the function's reading calls) that are not
  /// proved dead, and the count of those that are; nullopt if some read
  /// needs the cleanup.
  std::optional<FieldMask> settle(llvm::ArrayRef<const llvm::CallBase *> Reads,
                                  unsigned &Dead);

private:
  void findReachable();
  static bool isLifetimeMark(const llvm::User *U);
  /// Only stores into \p AI and lifetime marks use it: nothing reads it.
  bool writeOnly(const llvm::AllocaInst &AI);
  bool isEffect(const llvm::Instruction &I);
  /// Whether the value of \p Read flows into an effect. A value is an
  /// instruction and, for an aggregate built by insertions, the index the
  /// read's element sits at (none: the whole value carries it).
  bool reachesEffect(const llvm::Instruction &Read);
  /// \p Op, the other operand of an operation on a value derived from a
  /// read \p From, cannot become that value: a constant, an argument, or
  /// the result of a call the cleanup cannot merge with \p From.
  static bool independent(const llvm::Value *Op, const llvm::Value *From);
  /// The next instruction after \p SI that touches memory overwrites it.
  static bool overwrittenNext(const llvm::StoreInst &SI);
  bool certainlyLive(const llvm::Instruction &Read) const;

  const llvm::Function &F;
  llvm::SmallPtrSet<const llvm::BasicBlock *, 16> Reachable;
  llvm::DenseMap<const llvm::AllocaInst *, bool> WriteOnly;
};

} // namespace lcs

#endif // LCS_READLIVENESS_H
