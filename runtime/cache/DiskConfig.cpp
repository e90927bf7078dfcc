//===- DiskConfig.cpp - Where the disk cache lives, and its size ----------===//
//
// The disk tier's settings from the environment (LCS_CACHE_DIR,
// LCS_CACHE_DISABLE, XDG_CACHE_HOME, HOME, LCS_CACHE_MAX_SIZE); see
// DiskCache.h for what each means. RemoteConfig.cpp does the same for the
// remote tier.
//
//===----------------------------------------------------------------------===//

#include "lcs/cache/DiskCache.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace lcs::cache {

std::string defaultCacheDir(const std::string &Explicit) {
  if (const char *Off = std::getenv("LCS_CACHE_DISABLE");
      Off && *Off && std::strcmp(Off, "0") != 0)
    return "";
  return cacheLocation(Explicit);
}

std::string cacheLocation(const std::string &Explicit) {
  if (!Explicit.empty())
    return Explicit;
  if (const char *D = std::getenv("LCS_CACHE_DIR"); D && *D)
    return D;
  if (const char *X = std::getenv("XDG_CACHE_HOME"); X && *X)
    return std::string(X) + "/lcs";
  if (const char *H = std::getenv("HOME"); H && *H)
    return std::string(H) + "/.cache/lcs";
  return "";
}

bool parseSize(const std::string &Text, uint64_t &Out) {
  if (Text.empty())
    return false;
  size_t Pos = 0;
  uint64_t V = 0;
  while (Pos < Text.size() && Text[Pos] >= '0' && Text[Pos] <= '9') {
    if (V > (UINT64_MAX - 9) / 10)
      return false;
    V = V * 10 + uint64_t(Text[Pos++] - '0');
  }
  if (Pos == 0)
    return false;
  std::string Suffix = Text.substr(Pos);
  unsigned Shift = 0;
  if (Suffix == "K" || Suffix == "k" || Suffix == "KiB")
    Shift = 10;
  else if (Suffix == "M" || Suffix == "MiB")
    Shift = 20;
  else if (Suffix == "G" || Suffix == "GiB")
    Shift = 30;
  else if (Suffix == "T" || Suffix == "TiB")
    Shift = 40;
  else if (!Suffix.empty())
    return false;
  if (Shift && V > (UINT64_MAX >> Shift))
    return false;
  Out = V << Shift;
  return true;
}

uint64_t cacheMaxSizeFromEnv(bool &Valid) {
  Valid = true;
  uint64_t Size = DefaultCacheMaxSize;
  if (const char *S = std::getenv("LCS_CACHE_MAX_SIZE"); S && *S)
    if (!parseSize(S, Size)) {
      Valid = false;
      Size = DefaultCacheMaxSize;
    }
  return Size;
}

} // namespace lcs::cache
