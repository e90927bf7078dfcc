//===- Version.cpp - The lcs version, for the C API -----------------------===//

#include "lcs/Plugin.h"
#include "lcs/lcs.h"

extern "C" const char *lcs_version(void) { return lcs::Version; }
