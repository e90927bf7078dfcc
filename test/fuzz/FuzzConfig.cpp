//===- FuzzConfig.cpp - Fuzz configuration and field-list parsers ---------===//

#include "lcs/Fields.h"
#include "lcs/LaunchConfig.h"
#include "lcs/cache/DiskCache.h"

using namespace llvm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  StringRef Text(reinterpret_cast<const char *>(Data), Size);
  if (Expected<lcs::LaunchConfig> C = lcs::parseLaunchConfig(Text)) {
    Expected<lcs::TargetLimits> T =
        lcs::targetLimits(C->Arch.empty() ? "sm_90" : C->Arch);
    if (!T)
      __builtin_trap(); // parseLaunchConfig accepted the arch
    if (Error E = lcs::validateLaunchConfig(*C, *T))
      consumeError(std::move(E));
    (void)C->str(lcs::FieldMask::all());
  } else {
    consumeError(C.takeError());
  }
  if (Expected<lcs::FieldMask> M = lcs::parseFieldList(Text))
    (void)M->str();
  else
    consumeError(M.takeError());
  uint64_t V;
  lcs::cache::parseSize(Text.str(), V);
  return 0;
}
