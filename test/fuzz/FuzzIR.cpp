//===- FuzzIR.cpp - Fuzz reading, lowering, analysis, specialisation ------===//
//
// Any bytes read as IR text (upgrades included); only a module that passes
// the verifier goes on to the NVVM-dialect lowering, the analysis and
// specialisation for a fixed configuration. Errors are fine; crashes, hangs
// and sanitizer reports are findings.
//
// Bitcode is skipped: LLVM 22's bitcode reader is not robust to malformed
// input (this fuzzer found a SEGV in its metadata loader) and LLVM treats
// bitcode as trusted; see docs/reliability.md.
//
//===----------------------------------------------------------------------===//

#include "lcs/LaunchSensitivity.h"
#include "lcs/compile/ModuleInput.h"
#include "lcs/NVVMDialect.h"
#include "lcs/Specialize.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace llvm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  LLVMContext Ctx;
  // The context reports through errors, never by exiting.
  Ctx.setDiagnosticHandlerCallBack([](const DiagnosticInfo *, void *) {});
  StringRef Bytes(reinterpret_cast<const char *>(Data), Size);
  if (Bytes.starts_with("BC\xC0\xDE") || Bytes.starts_with("\xDE\xC0\x17\x0B"))
    return 0;
  Expected<std::unique_ptr<Module>> M =
      lcs::parseInput(MemoryBufferRef(Bytes, "fuzz"), Ctx);
  if (!M) {
    consumeError(M.takeError());
    return 0;
  }
  if (Error E = lcs::checkProgram(**M, "fuzz")) {
    consumeError(std::move(E));
    return 0;
  }
  if (Expected<bool> L = lcs::lowerNVVMDialect(**M); !L) {
    consumeError(L.takeError());
    return 0;
  }
  if (verifyModule(**M))
    __builtin_trap(); // the lowering must keep modules valid
  lcs::LaunchSensitivity LS = lcs::computeLaunchSensitivity(**M);
  Expected<lcs::LaunchConfig> C =
      lcs::parseLaunchConfig("block=64x2;grid=16;cluster=2;smem=1024");
  if (!C)
    __builtin_trap();
  Expected<std::vector<lcs::SpecializedKernel>> S =
      lcs::specializeModule(**M, *C, LS);
  if (!S) {
    consumeError(S.takeError());
    return 0;
  }
  if (verifyModule(**M))
    __builtin_trap(); // specialisation must keep modules valid
  return 0;
}
