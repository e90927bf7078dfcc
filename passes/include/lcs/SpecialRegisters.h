//===- SpecialRegisters.h - PTX special registers and launch fields -*- C++ -*-===//
///
/// \file
/// The one table that maps PTX special registers, and the LLVM intrinsics that
/// read them, to the launch fields their values depend on. The analysis, the
/// inline-PTX scanner and (later) specialisation all read this table, so a
/// register is never known to one and unknown to another.
///
/// Registers that vary per thread or per block (%tid, %ctaid, %laneid, ...)
/// are in the table with an empty mask: reading them is no launch
/// dependence, but the scanner still needs their intrinsic to model an inline
/// `mov` from them.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_SPECIALREGISTERS_H
#define LCS_SPECIALREGISTERS_H

#include "lcs/Fields.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace llvm {
class CallBase;
class CallInst;
class Function;
class IRBuilderBase;
class Value;
} // namespace llvm

namespace lcs {

/// One PTX special register.
struct SpecialRegister {
  /// The PTX name without '%', e.g. "ntid.x", "cluster_nctarank".
  llvm::StringRef PTXName;
  /// The full name of the LLVM intrinsic that reads it, e.g.
  /// "llvm.nvvm.read.ptx.sreg.ntid.x"; empty if LLVM has none.
  llvm::StringRef Intrinsic;
  /// The launch fields the register's value depends on.
  FieldMask Fields;
  /// Width of the value in bits (1 for predicates).
  unsigned Bits;
};

/// Every special register lcs knows about.
llvm::ArrayRef<SpecialRegister> specialRegisters();

/// The register whose intrinsic is named \p IntrinsicName, or null. Matching
/// is by name, so it also works for declarations that lack the intrinsic ID
/// (hand-written or old producers' IR).
const SpecialRegister *lookupIntrinsicRegister(llvm::StringRef IntrinsicName);

/// The register \p Callee reads, or null: by intrinsic ID where LLVM knows
/// the intrinsic, by name otherwise. Cheaper than the name overload: no
/// lookup in the context's name table for the common case.
const SpecialRegister *lookupIntrinsicRegister(const llvm::Function &Callee);

/// The register named \p PTXName ("ntid.x", no '%'), or null.
const SpecialRegister *lookupPTXRegister(llvm::StringRef PTXName);

/// The launch fields read by a call to \p Callee (an intrinsic declaration);
/// empty if it reads none.
FieldMask launchFieldsOfIntrinsic(const llvm::Function &Callee);

/// The launch fields whose registers are named in the PTX text \p Asm
/// (`%ntid.x`, or `%ntid` for all three dimensions). Conservative: a name in
/// a comment still counts.
FieldMask launchFieldsInPTX(llvm::StringRef Asm);

/// The launch fields a call reads directly: a call to a register's
/// intrinsic or inline PTX naming launch registers; empty for anything else.
FieldMask launchFieldsReadByCall(const llvm::CallBase &CB);

/// If \p Asm consists only of `mov.{u32,b32,s32} $N, %reg;` statements from
/// special registers that have intrinsics, returns for each statement the
/// output operand index and register; the inline asm then has no effect but
/// its outputs and can be modelled by intrinsic calls. Otherwise false.
struct PTXMove {
  unsigned Operand;
  const SpecialRegister *Reg;
};
bool parsePureMoves(llvm::StringRef Asm,
                    llvm::SmallVectorImpl<PTXMove> &Moves);

/// True if \p CB is inline PTX that only moves special registers into its
/// i32 outputs (see parsePureMoves): replacePureMoveAsm would replace it.
bool isPureMoveAsm(const llvm::CallBase &CB);

/// If \p CI is inline PTX that only moves special registers into its i32
/// outputs (see parsePureMoves), replaces it with one value per output built
/// by \p Read and erases it. Returns false, changing nothing, otherwise.
bool replacePureMoveAsm(
    llvm::CallInst &CI,
    llvm::function_ref<llvm::Value *(llvm::IRBuilderBase &,
                                     const SpecialRegister &)>
        Read);

/// Emits a call to the intrinsic that reads \p R (which must have one).
llvm::CallInst *emitRegisterRead(llvm::IRBuilderBase &B,
                                 const SpecialRegister &R);

} // namespace lcs

#endif // LCS_SPECIALREGISTERS_H
