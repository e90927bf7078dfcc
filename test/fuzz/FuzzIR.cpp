//===- FuzzIR.cpp - Fuzz reading, lowering, analysis, specialisation ------===//
//
// Any bytes read as IR text (upgrades included); only a module that passes
// the verifier goes on to the NVVM-dialect lowering, the analysis and
// specialisation for a fixed configuration. Errors are fine; crashes, hangs
// and sanitizer reports are findings.
//
// Bitcode is skipped (FuzzInput.h says why).
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"

#include "lcs/LaunchSensitivity.h"
#include "lcs/NVVMDialect.h"
#include "lcs/Specialize.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"

using namespace llvm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  LLVMContext Ctx;
  std::unique_ptr<Module> M = lcs::fuzz::loadFuzzInput(Data, Size, Ctx);
  if (!M)
    return 0;
  if (Expected<bool> L = lcs::lowerNVVMDialect(*M); !L) {
    consumeError(L.takeError());
    return 0;
  }
  if (verifyModule(*M))
    __builtin_trap(); // the lowering must keep modules valid
  lcs::LaunchSensitivity LS = lcs::computeLaunchSensitivity(*M);
  Expected<lcs::LaunchConfig> C =
      lcs::parseLaunchConfig("block=64x2;grid=16;cluster=2;smem=1024");
  if (!C)
    __builtin_trap();
  Expected<std::vector<lcs::SpecializedKernel>> S =
      lcs::specializeModule(*M, *C, LS);
  if (!S) {
    consumeError(S.takeError());
    return 0;
  }
  if (verifyModule(*M))
    __builtin_trap(); // specialisation must keep modules valid
  return 0;
}
