//===- lcs-cache.cpp - Inspect and maintain the lcs disk cache ------------===//
///
/// \file
/// lcs-cache [--cache-dir=DIR] [--json] stats|list|verify|prune|clear
/// lcs-cache [--remote-cache=URL] [--json] remote stats|ping
///
/// Links only the cache library (no LLVM). Exit status: 0 success, 1 error
/// (bad usage, an unusable cache directory), 2 verify found and removed
/// corrupt entries.
///
//===----------------------------------------------------------------------===//

#include "lcs/Version.h"
#include "lcs/cache/DiskCache.h"
#include "lcs/cache/RedisClient.h"
#include "lcs/cache/RemoteCache.h"

#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

using namespace lcs::cache;

namespace {

constexpr const char *Usage =
    "usage: lcs-cache [--cache-dir=DIR] [--json] COMMAND\n"
    "       lcs-cache [--remote-cache=URL] [--json] remote stats|ping\n"
    "\n"
    "Inspect and maintain the lcs disk cache (PTX, cubins and sensitivity\n"
    "records compiled by lcs-compile and the lcs runtime).\n"
    "\n"
    "commands:\n"
    "  stats                  entries, bytes, and the persistent hit, miss,\n"
    "                         store, eviction and corruption counters\n"
    "  list                   every entry: kind, kernel, arch, the launch\n"
    "                         groups folded and their values, size, age\n"
    "  verify                 check every entry's checksum; remove bad ones\n"
    "  prune --max-size=SIZE  evict least recently used entries down to SIZE\n"
    "                         (bytes, or with K, M, G, T)\n"
    "  clear                  remove every entry\n"
    "  remote stats           the shared tier's counters, summed over every\n"
    "                         process that used it (hits, misses, stores,\n"
    "                         refusals, timeouts, errors, lease waits and\n"
    "                         timeouts, dropped stores)\n"
    "  remote ping            one round trip to the shared tier\n"
    "\n"
    "options:\n"
    "  --cache-dir=DIR  the cache (default: LCS_CACHE_DIR, else\n"
    "                   $XDG_CACHE_HOME/lcs, else ~/.cache/lcs)\n"
    "  --json           machine-readable output\n"
    "  --remote-cache=URL  the shared tier, redis://[user:password@]host:port\n"
    "                   [/db] (default: LCS_REMOTE_CACHE)\n"
    "  --help, --version\n"
    "\n"
    "exit status: 0 success, 1 error, 2 verify removed corrupt entries\n";

std::string jsonString(const std::string &S) {
  std::string Out = "\"";
  for (char C : S) {
    if (C == '"' || C == '\\') {
      Out += '\\';
      Out += C;
    } else if (uint8_t(C) < 0x20) {
      char B[8];
      std::snprintf(B, sizeof B, "\\u%04x", unsigned(uint8_t(C)));
      Out += B;
    } else {
      Out += C;
    }
  }
  return Out + "\"";
}

int fail(const std::string &Msg) {
  std::fprintf(stderr, "lcs-cache: error: %s\n", Msg.c_str());
  return 1;
}

/// lcs-cache remote stats|ping.
int remoteCommand(const std::string &Sub, std::optional<std::string> URLOpt,
                  bool Json) {
  if (Sub != "stats" && Sub != "ping")
    return fail(Sub.empty() ? "remote needs a command (stats, ping)"
                            : "unknown remote command '" + Sub +
                                  "' (stats, ping)");
  std::string URL = remoteCacheURL(URLOpt);
  if (URL.empty())
    return fail("no remote cache (set --remote-cache or LCS_REMOTE_CACHE)");
  RemoteConfig Config;
  std::string Error;
  if (!remoteConfigFromEnv(URL, Config, Error))
    return fail(Error);
  RemoteCache Remote(Config);
  std::string Where = Config.display();
  if (Sub == "ping") {
    double Ms = 0;
    if (!Remote.ping(Error, Ms))
      return fail("remote cache " + Where + ": " + Error);
    if (Json)
      std::printf("{\"remote\": %s, \"ms\": %.3f, \"hiredis\": \"%s\"}\n",
                  jsonString(Where).c_str(), Ms, redis::hiredisFlavour());
    else
      std::printf("PONG from %s in %.3f ms (hiredis %s)\n", Where.c_str(), Ms,
                  redis::hiredisFlavour());
    return 0;
  }
  std::vector<std::pair<std::string, uint64_t>> Stats;
  if (!Remote.sharedStats(Stats, Error))
    return fail("remote cache " + Where + ": " + Error);
  if (Json) {
    std::printf("{\"remote\": %s", jsonString(Where).c_str());
    for (const auto &[Name, Value] : Stats)
      std::printf(", \"%s\": %llu", Name.c_str(), (unsigned long long)Value);
    std::printf("}\n");
  } else {
    std::printf("remote cache     %s\n", Where.c_str());
    for (const auto &[Name, Value] : Stats)
      std::printf("%-16s %llu\n", Name.c_str(), (unsigned long long)Value);
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  std::string Dir, Command, MaxSizeText, RemoteSub;
  std::optional<std::string> RemoteURL;
  bool Json = false;
  for (int I = 1; I < argc; ++I) {
    std::string A = argv[I];
    if (A == "--help" || A == "-h") {
      std::fputs(Usage, stdout);
      return 0;
    }
    if (A == "--version") {
      std::puts("lcs-cache " LCS_VERSION_STRING
                " (cache format 1, key schema 1)");
      return 0;
    }
    if (A == "--json")
      Json = true;
    else if (A.rfind("--cache-dir=", 0) == 0)
      Dir = A.substr(12);
    else if (A.rfind("--max-size=", 0) == 0)
      MaxSizeText = A.substr(11);
    else if (A.rfind("--remote-cache=", 0) == 0)
      RemoteURL = A.substr(15);
    else if (!A.empty() && A[0] == '-')
      return fail("unknown option '" + A + "' (see --help)");
    else if (Command.empty())
      Command = A;
    else if (Command == "remote" && RemoteSub.empty())
      RemoteSub = A;
    else
      return fail("unexpected argument '" + A + "' (see --help)");
  }
  if (Command == "remote")
    return remoteCommand(RemoteSub, RemoteURL, Json);
  if (RemoteURL)
    return fail("--remote-cache applies to the remote commands only");
  if (Command.empty())
    return fail("no command (stats, list, verify, prune, clear, remote; see "
                "--help)");
  if (Command != "stats" && Command != "list" && Command != "verify" &&
      Command != "prune" && Command != "clear")
    return fail("unknown command '" + Command + "' (see --help)");
  uint64_t MaxSize = 0;
  if (Command == "prune" && !parseSize(MaxSizeText, MaxSize))
    return fail(MaxSizeText.empty()
                    ? "prune needs --max-size=SIZE"
                    : "--max-size: '" + MaxSizeText + "' is not a size");
  if (Command != "prune" && !MaxSizeText.empty())
    return fail("--max-size applies to prune only");

  // The tool is explicit about where it looks, even when caching is off.
  std::string Resolved = cacheLocation(Dir);
  if (Resolved.empty())
    return fail("no cache directory (set --cache-dir or LCS_CACHE_DIR)");

  std::string Warning;
  CacheOptions Opts;
  Opts.Dir = Resolved;
  Opts.Warn = [&](const std::string &W) {
    if (Warning.empty())
      Warning = W;
  };
  DiskCache Cache(Opts);
  if (Cache.mode() == DiskCache::Mode::Disabled)
    return fail(Warning.empty() ? "cannot use " + Resolved : Warning);
  if (Command != "stats" && Command != "list" &&
      Cache.mode() != DiskCache::Mode::ReadWrite)
    return fail("cache directory " + Resolved + " is read-only");

  if (Command == "stats") {
    std::vector<EntryInfo> Entries = Cache.list();
    uint64_t Bytes = 0;
    unsigned ByKind[4] = {0, 0, 0, 0}, Bad = 0;
    for (const EntryInfo &E : Entries) {
      Bytes += E.Size;
      if (E.Valid)
        ++ByKind[unsigned(E.Kind)];
      else
        ++Bad;
    }
    CacheStats S = Cache.persistentStats();
    if (Json) {
      std::printf("{\"dir\": %s, \"entries\": %zu, \"bytes\": %llu, "
                  "\"ptx\": %u, \"cubin\": %u, \"record\": %u, "
                  "\"invalid\": %u, \"hits\": %llu, \"misses\": %llu, "
                  "\"stores\": %llu, \"evictions\": %llu, \"corrupt\": %llu, "
                  "\"bytes_read\": %llu, \"bytes_written\": %llu}\n",
                  jsonString(Resolved).c_str(), Entries.size(),
                  (unsigned long long)Bytes, ByKind[1], ByKind[2], ByKind[3],
                  Bad, (unsigned long long)S.Hits,
                  (unsigned long long)S.Misses, (unsigned long long)S.Stores,
                  (unsigned long long)S.Evictions,
                  (unsigned long long)S.Corrupt,
                  (unsigned long long)S.BytesRead,
                  (unsigned long long)S.BytesWritten);
    } else {
      std::printf("cache directory  %s\n", Resolved.c_str());
      std::printf("entries          %zu (ptx %u, cubin %u, record %u, "
                  "invalid %u)\n",
                  Entries.size(), ByKind[1], ByKind[2], ByKind[3], Bad);
      std::printf("size             %llu bytes\n", (unsigned long long)Bytes);
      std::printf("hits             %llu\n", (unsigned long long)S.Hits);
      std::printf("misses           %llu\n", (unsigned long long)S.Misses);
      std::printf("stores           %llu\n", (unsigned long long)S.Stores);
      std::printf("evictions        %llu\n", (unsigned long long)S.Evictions);
      std::printf("corrupt removed  %llu\n", (unsigned long long)S.Corrupt);
    }
    return 0;
  }

  if (Command == "list") {
    std::vector<EntryInfo> Entries = Cache.list();
    std::time_t Now = std::time(nullptr);
    if (Json)
      std::printf("[");
    bool First = true;
    for (const EntryInfo &E : Entries) {
      long long Age = (long long)(Now - E.MTime);
      if (Json) {
        std::printf("%s\n  {\"key\": \"%s\", \"kind\": %s, \"valid\": %s, "
                    "\"descriptor\": %s, \"size\": %llu, \"age_s\": %lld%s%s}",
                    First ? "" : ",", E.EntryKey.hex().c_str(),
                    jsonString(E.Valid ? kindName(E.Kind) : "?").c_str(),
                    E.Valid ? "true" : "false",
                    jsonString(E.Descriptor).c_str(),
                    (unsigned long long)E.Size, Age,
                    E.Valid ? "" : ", \"problem\": ",
                    E.Valid ? "" : jsonString(E.Problem).c_str());
      } else {
        std::printf("%s  %-6s  %8llu B  %6llds  %s\n", E.EntryKey.hex().c_str(),
                    E.Valid ? kindName(E.Kind) : "BAD",
                    (unsigned long long)E.Size, Age,
                    E.Valid ? E.Descriptor.c_str() : E.Problem.c_str());
      }
      First = false;
    }
    if (Json)
      std::printf("%s]\n", Entries.empty() ? "" : "\n");
    return 0;
  }

  unsigned N = 0;
  if (Command == "verify")
    N = Cache.verify();
  else if (Command == "prune")
    N = Cache.prune(MaxSize);
  else
    N = Cache.clear();
  Cache.flushStats();
  const char *What = Command == "verify" ? "corrupt entries removed"
                     : Command == "prune" ? "entries evicted"
                                          : "entries removed";
  if (Json)
    std::printf("{\"command\": \"%s\", \"removed\": %u}\n", Command.c_str(), N);
  else
    std::printf("%u %s\n", N, What);
  return Command == "verify" && N ? 2 : 0;
}
