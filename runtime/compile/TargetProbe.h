//===- TargetProbe.h - Probing intrinsics in forked children ----*- C++ -*-===//
///
/// \file
/// Private to lcs_compile: what TargetCheck.cpp (the target table and the
/// check of a module) and TargetProbe.cpp (probe modules, the answer
/// caches, the children) share.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_COMPILE_TARGETPROBE_H
#define LCS_COMPILE_TARGETPROBE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class CallBase;
class FunctionType;
class Module;
class TargetMachine;
class TargetOptions;
} // namespace llvm

namespace lcs::probe {

/// Bumped when the probe module's shape changes: old answers then miss.
constexpr const char *ProbeSchema = "lcs-probe 1";

inline llvm::Error error(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

/// One question: does \p IR compile for \p Arch at PTX version \p PTX?
struct Probe {
  std::string IR; ///< the probe module
  std::string Arch;
  unsigned PTX;
};

/// Answers for \p Probes, in order: cached ones from memory and the probe
/// directory, the misses from forked children together.
llvm::Expected<std::vector<bool>> answers(llvm::ArrayRef<Probe> Probes);

/// A module with one function that passes its parameters to \p Name and
/// returns the result, so that instruction selection cannot drop the call;
/// immediate arguments (\p Imm[I] non-empty) are written in place. Empty if
/// the signature cannot be written as text.
std::string probeModule(llvm::StringRef Name, llvm::FunctionType *FT,
                        const std::vector<std::string> &Imm);

/// The immediate arguments of \p CB as IR text, "" for the others.
std::vector<std::string> immediates(const llvm::CallBase &CB);

/// An NVPTX target machine for \p CPU at PTX version \p PTX (0: LLVM's
/// default for the target); null if LLVM cannot make one.
std::unique_ptr<llvm::TargetMachine> makeTM(llvm::StringRef CPU, unsigned PTX,
                                            const llvm::TargetOptions &Options,
                                            llvm::CodeGenOptLevel Level);

/// Gives \p M \p TM's triple and data layout and writes its assembly to
/// \p Out; false when the backend cannot emit assembly.
bool emitAssembly(llvm::TargetMachine &TM, llvm::Module &M,
                  llvm::SmallVectorImpl<char> &Out);

} // namespace lcs::probe

#endif // LCS_COMPILE_TARGETPROBE_H
