//===- Version.cpp - The lcs version, for the C API -----------------------===//

#include "lcs/Version.h"
#include "lcs/lcs.h"

extern "C" const char *lcs_version(void) { return LCS_VERSION_STRING; }
