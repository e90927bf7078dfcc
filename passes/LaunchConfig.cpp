//===- LaunchConfig.cpp - Launch configurations, LLVM side ----------------===//
//
// lcs/config's parsers and validator as llvm::Expected / llvm::Error; see
// LaunchConfig.h.
//
//===----------------------------------------------------------------------===//

#include "lcs/LaunchConfig.h"

using namespace llvm;

namespace lcs {

Expected<TargetLimits> targetLimits(StringRef Arch) {
  TargetLimits T;
  if (Status S = config::targetLimits(Arch, T))
    return toError(S);
  return T;
}

Expected<LaunchConfig> parseLaunchConfig(StringRef Text) {
  LaunchConfig C;
  if (Status S = config::parse(Text, C))
    return toError(S);
  return C;
}

Expected<Dim3> parseDim3(StringRef Text, StringRef What) {
  Dim3 D;
  if (Status S = config::parseDim3(Text, What, D))
    return toError(S);
  return D;
}

Error validateLaunchConfig(const LaunchConfig &C, const TargetLimits &T) {
  return toError(config::validate(C, T));
}

} // namespace lcs
