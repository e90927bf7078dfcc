//===- ModuleInput.h - Reading kernel IR from any producer ------*- C++ -*-===//
///
/// \file
/// Turns what frontends hand over into one verified NVPTX module:
///  - LLVM IR text or bitcode;
///  - numba-cuda's typed-pointer NVVM IR, including pre-LLVM-12 untyped
///    `T* byval`/`T* sret` (rewritten to `byval(T)` before parsing, the one
///    construct LLVM 22 rejects);
///  - several modules printed as one text (numba-cuda's `inspect_llvm()`),
///    split at each `; ModuleID` line;
///  - several inputs, linked in order into one program.
/// Legacy `!nvvm.annotations` are upgraded by LLVM while parsing and linking.
///
/// Every failure is an llvm::Error with one line naming the input and what
/// is wrong; nothing here aborts.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_MODULEINPUT_H
#define LCS_MODULEINPUT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

#include <vector>

namespace llvm {
class LLVMContext;
class MemoryBuffer;
class MemoryBufferRef;
class Module;
} // namespace llvm

namespace lcs {

/// Rewrites untyped `T* byval` / `T* sret` parameter attributes of typed-
/// pointer IR to `T* byval(T)`. Text without them is returned unchanged.
std::string upgradeLegacyByval(llvm::StringRef IR);

/// Parses one input (text or bitcode; text may hold several modules) and
/// links its modules. Does not verify or check the target.
llvm::Expected<std::unique_ptr<llvm::Module>>
parseInput(llvm::MemoryBufferRef Buffer, llvm::LLVMContext &Ctx);

/// Reads, parses and links the files \p Paths in order ("-" is stdin), then
/// verifies the result and checks that it targets NVPTX.
llvm::Expected<std::unique_ptr<llvm::Module>>
loadProgram(llvm::ArrayRef<std::string> Paths, llvm::LLVMContext &Ctx);

/// The same for inputs already in memory (each buffer's identifier names
/// it in errors).
llvm::Expected<std::unique_ptr<llvm::Module>>
loadProgram(llvm::ArrayRef<llvm::MemoryBufferRef> Inputs,
            llvm::LLVMContext &Ctx);

/// Reads \p Paths ("-" is stdin) into memory; errors name the file.
llvm::Expected<std::vector<std::unique_ptr<llvm::MemoryBuffer>>>
readInputs(llvm::ArrayRef<std::string> Paths);

/// Links \p Srcs into \p Dest in order; errors name \p SrcNames[i].
llvm::Error linkInto(llvm::Module &Dest,
                     llvm::MutableArrayRef<std::unique_ptr<llvm::Module>> Srcs,
                     llvm::ArrayRef<std::string> SrcNames);

/// Verifies \p M and checks that it targets NVPTX (or names no target, as
/// Triton's IR does); errors name \p Name. Broken or outdated debug info is
/// dropped, as LLVM's own upgrade would (which aborts on a broken module, so
/// lcs's readers turn it off).
llvm::Error checkProgram(llvm::Module &M, llvm::StringRef Name);

} // namespace lcs

#endif // LCS_MODULEINPUT_H
