//===- LaunchConfig.h - Launch configurations, LLVM side --------*- C++ -*-===//
///
/// \file
/// The launch-configuration model, its text form and its validator live in
/// lcs/config (no LLVM; see lcs/config/LaunchConfig.h for the text form and
/// lcs/config/Validate.h for the rules). This header gives the passes and
/// tools the same functions returning llvm::Expected / llvm::Error.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_LAUNCHCONFIG_H
#define LCS_LAUNCHCONFIG_H

#include "lcs/Fields.h"
#include "lcs/config/LaunchConfig.h"
#include "lcs/config/Validate.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace lcs {

/// config::targetLimits as an llvm::Expected.
llvm::Expected<TargetLimits> targetLimits(llvm::StringRef Arch);

/// config::parse as an llvm::Expected. Errors name the parameter at fault.
llvm::Expected<LaunchConfig> parseLaunchConfig(llvm::StringRef Text);

/// config::parseDim3 as an llvm::Expected.
llvm::Expected<Dim3> parseDim3(llvm::StringRef Text, llvm::StringRef What);

/// config::validate as an llvm::Error. Errors name the field.
llvm::Error validateLaunchConfig(const LaunchConfig &C, const TargetLimits &T);

} // namespace lcs

#endif // LCS_LAUNCHCONFIG_H
