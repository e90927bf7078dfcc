//===- FuzzInput.h - Fuzz bytes to a loaded module --------------*- C++ -*-===//
///
/// \file
/// The start both IR targets share: bytes read as IR text (upgrades
/// included) and passed through lcs's program check. Bitcode is skipped:
/// LLVM 22's bitcode reader is not robust to malformed input (the IR
/// fuzzer found a SEGV in its metadata loader) and LLVM treats bitcode as
/// trusted; see docs/reliability.md.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_TEST_FUZZ_FUZZINPUT_H
#define LCS_TEST_FUZZ_FUZZINPUT_H

#include "lcs/compile/ModuleInput.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>

namespace lcs::fuzz {

/// The module in \p Data, or null where lcs rejects it with an error (the
/// right answer for most inputs). \p Ctx reports through errors, never by
/// exiting.
inline std::unique_ptr<llvm::Module>
loadFuzzInput(const uint8_t *Data, size_t Size, llvm::LLVMContext &Ctx) {
  Ctx.setDiagnosticHandlerCallBack([](const llvm::DiagnosticInfo *, void *) {});
  llvm::StringRef Bytes(reinterpret_cast<const char *>(Data), Size);
  if (Bytes.starts_with("BC\xC0\xDE") || Bytes.starts_with("\xDE\xC0\x17\x0B"))
    return nullptr;
  llvm::Expected<std::unique_ptr<llvm::Module>> M =
      parseInput(llvm::MemoryBufferRef(Bytes, "fuzz"), Ctx);
  if (!M) {
    llvm::consumeError(M.takeError());
    return nullptr;
  }
  if (llvm::Error E = checkProgram(**M, "fuzz")) {
    llvm::consumeError(std::move(E));
    return nullptr;
  }
  return std::move(*M);
}

} // namespace lcs::fuzz

#endif // LCS_TEST_FUZZ_FUZZINPUT_H
