//===- Plugin.h - Registering lcs passes with a PassBuilder -----*- C++ -*-===//
///
/// \file
/// Two entry points over one registration function: tools that link the
/// passes in call getLCSPluginInfo() (or registerLCSPasses()); `opt
/// -load-pass-plugin` and `clang -fpass-plugin` find the weak
/// llvmGetPassPluginInfo() in LCSPasses.so.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_PLUGIN_H
#define LCS_PLUGIN_H

#include "lcs/Version.h"
#include "llvm/Plugins/PassPlugin.h"

namespace llvm {
class PassBuilder;
} // namespace llvm

namespace lcs {

/// The lcs version, also reported by the plugin and the tools.
inline constexpr const char *Version = LCS_VERSION_STRING;

/// Registers every pass of Passes.def with \p PB: pipeline-name parsing, the
/// analysis, and the NVPTX end-of-pipeline hook that runs lcs-annotate in
/// clang's default pipelines.
void registerLCSPasses(llvm::PassBuilder &PB);

} // namespace lcs

/// Plugin info for tools that link the passes statically.
llvm::PassPluginLibraryInfo getLCSPluginInfo();

#endif // LCS_PLUGIN_H
