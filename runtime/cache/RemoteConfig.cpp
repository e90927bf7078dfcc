//===- RemoteConfig.cpp - The remote tier's URL and settings --------------===//
//
// Parsing redis:// URLs and the LCS_REMOTE_CACHE_* variables into a
// RemoteConfig; see RemoteCache.h for what each setting means.
//
//===----------------------------------------------------------------------===//

#include "PercentDecode.h"
#include "lcs/EnumNames.h"
#include "lcs/cache/DiskCache.h"
#include "lcs/cache/RemoteCache.h"
#include "lcs/config/Decimal.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace lcs::cache {

namespace {

/// At most 12 digits: leading zeros beyond that are refused, as ever.
bool parseUnsigned(std::string_view S, uint64_t Max, uint64_t &Out) {
  return S.size() <= 12 && parseDecimal(S, Max, Out);
}

/// The URL as it may be shown: the user information, which may hold a
/// password, replaced.
std::string redacted(const std::string &URL) {
  size_t Scheme = URL.find("://");
  size_t At = URL.rfind('@');
  if (Scheme == std::string::npos || At == std::string::npos || At < Scheme)
    return URL;
  return URL.substr(0, Scheme + 3) + "***" + URL.substr(At);
}

bool envMillis(const char *Name, std::chrono::milliseconds &Out,
               std::string &Error) {
  const char *V = std::getenv(Name);
  if (!V || !*V)
    return true;
  uint64_t N;
  if (!parseUnsigned(V, 3600000, N) || N == 0) {
    Error = std::string(Name) + "='" + V +
            "' is not a number of milliseconds (1 to 3600000)";
    return false;
  }
  Out = std::chrono::milliseconds(N);
  return true;
}

bool readKeyFile(const std::string &Path, std::string &Out,
                 std::string &Error) {
  int Fd = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0) {
    Error = "LCS_REMOTE_CACHE_KEY_FILE: cannot read " + Path + ": " +
            std::strerror(errno);
    return false;
  }
  char Buf[4096];
  Out.clear();
  ssize_t N;
  while ((N = ::read(Fd, Buf, sizeof Buf)) > 0 && Out.size() <= 65536)
    Out.append(Buf, size_t(N));
  int E = errno;
  ::close(Fd);
  if (N < 0) {
    Error = "LCS_REMOTE_CACHE_KEY_FILE: cannot read " + Path + ": " +
            std::strerror(E);
    return false;
  }
  while (!Out.empty() && std::isspace((unsigned char)Out.back()))
    Out.pop_back();
  if (Out.size() < 16 || Out.size() > 65536) {
    Error = "LCS_REMOTE_CACHE_KEY_FILE: " + Path +
            " must hold a secret of 16 bytes to 64 KiB (e.g. 32 random "
            "bytes in hex)";
    return false;
  }
  return true;
}

} // namespace

const char *remoteModeName(RemoteMode M) {
  static constexpr const char *Names[] = {"readwrite", "readonly", "writeonly"};
  return enumName(M, Names, "readwrite");
}

std::string RemoteConfig::display() const {
  std::string H = Host.find(':') != std::string::npos ? "[" + Host + "]" : Host;
  return "redis://" + (User.empty() ? std::string() : User + "@") + H + ":" +
         std::to_string(Port) + "/" + std::to_string(Db);
}

bool parseRemoteURL(const std::string &URL, RemoteConfig &Out,
                    std::string &Error) {
  const std::string Shown = redacted(URL);
  auto Bad = [&](const std::string &Why) {
    Error = "remote cache URL '" + Shown + "': " + Why;
    return false;
  };
  if (URL.rfind("rediss://", 0) == 0)
    return Bad("rediss:// (TLS) is not supported: lcs's hiredis client may "
               "have no TLS (Debian 12's has none); run a TLS proxy such as "
               "stunnel on this host and use redis://127.0.0.1:PORT");
  if (URL.rfind("redis://", 0) != 0)
    return Bad("expected redis://[user:password@]host:port[/db]");
  std::string_view Rest = std::string_view(URL).substr(8);
  RemoteConfig C = Out;
  C.User.clear();
  C.Password.clear();
  if (size_t At = Rest.rfind('@'); At != std::string_view::npos) {
    std::string_view Info = Rest.substr(0, At);
    Rest = Rest.substr(At + 1);
    size_t Colon = Info.find(':');
    if (Colon == std::string_view::npos)
      return Bad("the user information must be user:password or :password");
    std::optional<std::string> User = percentDecode(Info.substr(0, Colon));
    std::optional<std::string> Password = percentDecode(Info.substr(Colon + 1));
    if (!User || !Password)
      return Bad("bad %-escape in the user information");
    C.User = std::move(*User);
    C.Password = std::move(*Password);
    if (C.Password.empty())
      return Bad("empty password");
  }
  if (Rest.find('?') != std::string_view::npos ||
      Rest.find('#') != std::string_view::npos)
    return Bad("query strings and fragments are not supported");
  std::string_view HostPort = Rest, Path;
  if (size_t Slash = Rest.find('/'); Slash != std::string_view::npos) {
    HostPort = Rest.substr(0, Slash);
    Path = Rest.substr(Slash + 1);
  }
  std::string_view PortText;
  if (!HostPort.empty() && HostPort[0] == '[') {
    size_t Close = HostPort.find(']');
    if (Close == std::string_view::npos)
      return Bad("unclosed '[' in the host");
    C.Host = std::string(HostPort.substr(1, Close - 1));
    if (Close + 1 >= HostPort.size() || HostPort[Close + 1] != ':')
      return Bad("expected :port after the host");
    PortText = HostPort.substr(Close + 2);
  } else {
    size_t Colon = HostPort.rfind(':');
    if (Colon == std::string_view::npos)
      return Bad("expected host:port (Redis's usual port is 6379)");
    C.Host = std::string(HostPort.substr(0, Colon));
    PortText = HostPort.substr(Colon + 1);
  }
  if (C.Host.empty())
    return Bad("empty host");
  uint64_t N;
  if (!parseUnsigned(PortText, 65535, N) || N == 0)
    return Bad("port '" + std::string(PortText) + "' is not 1 to 65535");
  C.Port = int(N);
  C.Db = 0;
  if (!Path.empty()) {
    if (!parseUnsigned(Path, 1u << 20, N))
      return Bad("database '" + std::string(Path) + "' is not a number");
    C.Db = unsigned(N);
  }
  Out = std::move(C);
  return true;
}

bool remoteConfigFromEnv(const std::string &URL, RemoteConfig &Out,
                         std::string &Error) {
  RemoteConfig C;
  if (!parseRemoteURL(URL, C, Error))
    return false;
  if (const char *M = std::getenv("LCS_REMOTE_CACHE_MODE"); M && *M) {
    std::string_view V = M;
    if (V == "readwrite")
      C.Mode = RemoteMode::ReadWrite;
    else if (V == "readonly")
      C.Mode = RemoteMode::ReadOnly;
    else if (V == "writeonly")
      C.Mode = RemoteMode::WriteOnly;
    else {
      Error = std::string("LCS_REMOTE_CACHE_MODE='") + M +
              "' is not readwrite, readonly or writeonly";
      return false;
    }
  }
  if (!envMillis("LCS_REMOTE_CACHE_CONNECT_TIMEOUT_MS", C.ConnectTimeout,
                 Error) ||
      !envMillis("LCS_REMOTE_CACHE_TIMEOUT_MS", C.OpTimeout, Error) ||
      !envMillis("LCS_REMOTE_CACHE_LEASE_WAIT_MS", C.LeaseWait, Error) ||
      !envMillis("LCS_REMOTE_CACHE_BREAKER_MS", C.BreakerCooldown, Error))
    return false;
  if (const char *S = std::getenv("LCS_REMOTE_CACHE_MAX_VALUE"); S && *S)
    if (!parseSize(S, C.MaxValueSize) || C.MaxValueSize == 0) {
      Error = std::string("LCS_REMOTE_CACHE_MAX_VALUE='") + S +
              "' is not a size (e.g. 16M)";
      return false;
    }
  if (const char *F = std::getenv("LCS_REMOTE_CACHE_KEY_FILE"); F && *F)
    if (!readKeyFile(F, C.SigningKey, Error))
      return false;
  Out = std::move(C);
  return true;
}

std::string remoteCacheURL(const std::optional<std::string> &Explicit) {
  if (Explicit)
    return *Explicit;
  const char *V = std::getenv("LCS_REMOTE_CACHE");
  return V ? V : "";
}

} // namespace lcs::cache
