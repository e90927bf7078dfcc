//===- PluginEntry.cpp - Entry point of LCSPasses.so ----------------------===//
//
// Built only into the loadable plugin. Weak so that a program linking both
// the plugin objects and another plugin entry still links.
//
//===----------------------------------------------------------------------===//

#include "lcs/Plugin.h"

extern "C" LLVM_ATTRIBUTE_WEAK ::llvm::PassPluginLibraryInfo
llvmGetPassPluginInfo() {
  return getLCSPluginInfo();
}
