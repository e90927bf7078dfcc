//===- Log.cpp - LCS_LOG diagnostics --------------------------------------===//

#include "lcs/Log.h"
#include "lcs/EnumNames.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace lcs::log {

namespace {
const char *name(Level L) {
  static constexpr const char *Names[] = {"error", "warning", "info", "debug"};
  return enumName(L, Names, "info");
}

Level parse() {
  const char *V = std::getenv("LCS_LOG");
  if (!V || !*V)
    return Level::Warning;
  for (Level L : {Level::Error, Level::Warning, Level::Info, Level::Debug})
    if (std::strcmp(V, name(L)) == 0)
      return L;
  std::fprintf(stderr,
               "lcs: warning: LCS_LOG='%s' is not one of error, warning, "
               "info, debug; using warning\n",
               V);
  return Level::Warning;
}
} // namespace

Level level() {
  static const Level L = parse();
  return L;
}

void write(Level L, const std::string &Msg) {
  // One fprintf a line keeps lines from concurrent threads whole.
  std::fprintf(stderr, "lcs: %s: %s\n", name(L), Msg.c_str());
}

void Timer::report(Level L, const std::string &Msg) const {
  if (!enabled(L))
    return;
  char Buf[32];
  std::snprintf(Buf, sizeof Buf, " %.2f ms", millis());
  write(L, Msg + Buf);
}

} // namespace lcs::log
