//===- RemoteCache.cpp - The shared cache tier on Redis -------------------===//
//
// See RemoteCache.h for the layout, the value format and the guarantees.
//
//===----------------------------------------------------------------------===//

#include "lcs/cache/RemoteCache.h"
#include "lcs/Log.h"
#include "lcs/cache/DiskCache.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iterator>
#include <random>
#include <unistd.h>

namespace lcs::cache {

namespace {

constexpr char ValueMagic[4] = {'L', 'C', 'S', 'R'};
constexpr uint8_t ValueFormat = 1;
constexpr uint8_t FlagSigned = 1;
constexpr size_t MacSize = 32;
constexpr size_t ValueHeader = 6; // magic, format, flags
/// Pending stores beyond this are dropped (counted): memory stays bounded
/// when Redis is slower than the compiles.
constexpr size_t MaxQueued = 64;

// Deletes the lease only if it still holds our token: never another node's.
constexpr const char *ReleaseScript =
    "if redis.call('get', KEYS[1]) == ARGV[1] then "
    "return redis.call('del', KEYS[1]) else return 0 end";

thread_local RemoteOutcome LastOutcome = RemoteOutcome::Off;
/// Whether this thread's last fetch found a value and refused it.
thread_local bool LastRefused = false;

std::string toHex(const unsigned char *Bytes, size_t N) {
  static constexpr char Digits[] = "0123456789abcdef";
  std::string Out;
  Out.reserve(2 * N);
  for (size_t I = 0; I != N; ++I) {
    Out += Digits[Bytes[I] >> 4];
    Out += Digits[Bytes[I] & 15];
  }
  return Out;
}

std::string sha256Hex(std::string_view Data) {
  unsigned char Md[EVP_MAX_MD_SIZE];
  unsigned Len = 0;
  if (EVP_Digest(Data.data(), Data.size(), Md, &Len, EVP_sha256(), nullptr) !=
      1)
    return std::string();
  return toHex(Md, Len);
}

/// SHA-256 over the kind and the key's strong name (Key.h): never the
/// 128-bit XXH3 key, which other writers of a shared store could collide.
/// Empty for a key built without a strong name.
std::string nameSuffix(const Key &K, EntryKind Kind) {
  if (!K.HasStrong)
    return std::string();
  std::string Data = "lcs-remote-entry";
  Data += '\0';
  Data += char(Kind);
  Data.append(reinterpret_cast<const char *>(K.Strong.data()),
              K.Strong.size());
  return sha256Hex(Data);
}

bool hmac(const std::string &Secret, std::string_view Name,
          std::string_view EntryBytes, unsigned char Out[MacSize]) {
  std::string Data;
  Data.reserve(Name.size() + EntryBytes.size());
  Data.append(Name);
  Data.append(EntryBytes);
  unsigned Len = 0;
  return HMAC(EVP_sha256(), Secret.data(), int(Secret.size()),
              reinterpret_cast<const unsigned char *>(Data.data()),
              Data.size(), Out, &Len) != nullptr &&
         Len == MacSize;
}

int hexValue(char C) {
  if (C >= '0' && C <= '9')
    return C - '0';
  if (C >= 'a' && C <= 'f')
    return C - 'a' + 10;
  if (C >= 'A' && C <= 'F')
    return C - 'A' + 10;
  return -1;
}

bool percentDecode(std::string_view In, std::string &Out) {
  Out.clear();
  for (size_t I = 0; I < In.size(); ++I) {
    if (In[I] != '%') {
      Out += In[I];
      continue;
    }
    if (I + 2 >= In.size())
      return false;
    int H = hexValue(In[I + 1]), L = hexValue(In[I + 2]);
    if (H < 0 || L < 0)
      return false;
    Out += char(H * 16 + L);
    I += 2;
  }
  return true;
}

bool parseUnsigned(std::string_view S, uint64_t Max, uint64_t &Out) {
  if (S.empty() || S.size() > 12)
    return false;
  uint64_t V = 0;
  for (char C : S) {
    if (C < '0' || C > '9')
      return false;
    V = V * 10 + uint64_t(C - '0');
  }
  if (V > Max)
    return false;
  Out = V;
  return true;
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

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

} // namespace

const char *remoteModeName(RemoteMode M) {
  switch (M) {
  case RemoteMode::ReadWrite:
    return "readwrite";
  case RemoteMode::ReadOnly:
    return "readonly";
  case RemoteMode::WriteOnly:
    return "writeonly";
  }
  return "readwrite";
}

const char *remoteOutcomeName(RemoteOutcome O) {
  switch (O) {
  case RemoteOutcome::Off:
    return "off";
  case RemoteOutcome::Hit:
    return "hit";
  case RemoteOutcome::Miss:
    return "miss";
  case RemoteOutcome::Error:
    return "error";
  }
  return "off";
}

uint64_t &remoteStatSlot(RemoteStats &S, unsigned I) {
  uint64_t *Slots[] = {&S.Hits,   &S.Misses,     &S.Stores,
                       &S.Refusals, &S.Timeouts, &S.Errors,
                       &S.LeaseWaits, &S.LeaseTimeouts, &S.Dropped};
  return *Slots[I];
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
    if (!percentDecode(Info.substr(0, Colon), C.User) ||
        !percentDecode(Info.substr(Colon + 1), C.Password))
      return Bad("bad %-escape in the user information");
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

/// One connection and the lock that serialises its use.
struct RemoteCache::Slot {
  std::mutex M;
  std::unique_ptr<redis::Connection> C;
};

RemoteCache::RemoteCache(RemoteConfig Cfg,
                         std::function<void(const std::string &)> W)
    : Config(std::move(Cfg)), Warn(std::move(W)),
      Foreground(std::make_unique<Slot>()),
      Background(std::make_unique<Slot>()) {}

RemoteCache::~RemoteCache() {
  flush();
  {
    std::lock_guard<std::mutex> L(QueueMutex);
    Stopping = true;
  }
  QueueChanged.notify_all();
  if (Writer.joinable())
    Writer.join();
}

void RemoteCache::bump(uint64_t RemoteStats::*C, uint64_t By) {
  std::lock_guard<std::mutex> L(StateMutex);
  Stats.*C += By;
}

RemoteStats RemoteCache::stats() const {
  std::lock_guard<std::mutex> L(StateMutex);
  return Stats;
}

void RemoteCache::warnOnce(const std::string &Kind, const std::string &Msg) {
  {
    std::lock_guard<std::mutex> L(StateMutex);
    if (std::find(Warned.begin(), Warned.end(), Kind) != Warned.end())
      return;
    Warned.push_back(Kind);
  }
  if (Warn)
    Warn(Msg);
  else if (log::enabled(log::Level::Warning))
    log::write(log::Level::Warning, Msg);
}

bool RemoteCache::breakerOpen() const {
  int64_t Until = OpenUntil.load(std::memory_order_relaxed);
  return Until && nowNs() < Until;
}

void RemoteCache::succeeded() {
  ConsecutiveFailures.store(0, std::memory_order_relaxed);
  OpenUntil.store(0, std::memory_order_relaxed);
}

void RemoteCache::failed(redis::Failure Why, const std::string &Error) {
  bump(&RemoteStats::Errors);
  if (Why == redis::Failure::Timeout)
    bump(&RemoteStats::Timeouts);
  if (Why == redis::Failure::NoLibrary) {
    // Not going to change in this process: off for good.
    OpenUntil.store(INT64_MAX, std::memory_order_relaxed);
    warnOnce("nolib", "remote cache " + Config.display() + ": " + Error +
                          "; using the local cache only");
    return;
  }
  unsigned N = ConsecutiveFailures.fetch_add(1, std::memory_order_relaxed) + 1;
  if (N < Config.BreakerThreshold)
    return;
  OpenUntil.store(nowNs() + std::chrono::nanoseconds(Config.BreakerCooldown)
                                .count(),
                  std::memory_order_relaxed);
  std::string Msg = "remote cache " + Config.display() + ": " +
                    std::to_string(N) + " consecutive failures (last: " +
                    Error + "); local cache only for " +
                    std::to_string(Config.BreakerCooldown.count()) +
                    " ms, then retrying";
  warnOnce("breaker", Msg);
  if (log::enabled(log::Level::Info))
    log::write(log::Level::Info, Msg);
}

bool RemoteCache::connectSlot(Slot &S, std::string &Error,
                              redis::Failure &Why) {
  S.C = redis::Connection::connect(Config.Host, Config.Port,
                                   Config.ConnectTimeout, Config.OpTimeout,
                                   Error, Why);
  if (!S.C) {
    Error = "connecting to " + Config.Host + ":" +
            std::to_string(Config.Port) + ": " + Error;
    return false;
  }
  auto Setup = [&](const std::vector<std::string_view> &Args,
                   const char *What) {
    std::optional<redis::Reply> R = S.C->command(Args, Error, Why);
    if (R && R->Kind != redis::Reply::Type::Error)
      return true;
    // The reply names the problem, never the password sent.
    Error = std::string(What) + ": " + (R ? R->Str : Error);
    if (R)
      Why = redis::Failure::IO;
    S.C.reset();
    return false;
  };
  if (!Config.Password.empty()) {
    std::vector<std::string_view> Args = {"AUTH"};
    if (!Config.User.empty())
      Args.push_back(Config.User);
    Args.push_back(Config.Password);
    if (!Setup(Args, "authentication failed"))
      return false;
  }
  if (Config.Db) {
    std::string Db = std::to_string(Config.Db);
    if (!Setup({"SELECT", Db}, "selecting the database failed"))
      return false;
  }
  return true;
}

std::optional<redis::Reply>
RemoteCache::run(Slot &S, const std::vector<std::string_view> &Args) {
  if (breakerOpen())
    return std::nullopt;
  std::lock_guard<std::mutex> L(S.M);
  std::string Error;
  redis::Failure Why = redis::Failure::None;
  for (int Attempt = 0; Attempt != 2; ++Attempt) {
    bool Fresh = false;
    if (!S.C || S.C->broken()) {
      S.C.reset();
      if (!connectSlot(S, Error, Why)) {
        failed(Why, Error);
        return std::nullopt;
      }
      Fresh = true;
    }
    if (std::optional<redis::Reply> R = S.C->command(Args, Error, Why)) {
      succeeded();
      return R;
    }
    S.C.reset();
    // A kept connection may have been closed by a restarted server: one
    // more try on a fresh one. A timeout is not retried (bounded waits).
    if (Fresh || Why == redis::Failure::Timeout)
      break;
  }
  failed(Why, Error);
  return std::nullopt;
}

std::string RemoteCache::entryName(const Key &K, EntryKind Kind) {
  std::string Suffix = nameSuffix(K, Kind);
  return Suffix.empty() ? Suffix : "lcs:v2:e:" + Suffix;
}

std::string RemoteCache::leaseName(const Key &K, EntryKind Kind) {
  std::string Suffix = nameSuffix(K, Kind);
  return Suffix.empty() ? Suffix : "lcs:v2:lease:" + Suffix;
}

bool RemoteCache::named(const Key &K) {
  if (K.HasStrong)
    return true;
  // A key built before any remote tier existed (StrongNames): a bug in the
  // caller, not the user's problem; the key is kept off the shared store.
  warnOnce("unnamed", "remote cache: key " + K.hex() +
                          " has no strong name; not shared");
  LastOutcome = RemoteOutcome::Off;
  return false;
}

std::string RemoteCache::encodeValue(const Entry &E) const {
  return encodeValue(E, entryName(E.EntryKey, E.Kind));
}

std::string RemoteCache::encodeValue(const Entry &E,
                                     const std::string &Name) const {
  if (Name.empty())
    return std::string();
  std::string Bytes = encodeEntry(E);
  std::string Out(ValueMagic, 4);
  Out += char(ValueFormat);
  if (Config.SigningKey.empty()) {
    Out += char(0);
  } else {
    Out += char(FlagSigned);
    unsigned char Mac[MacSize];
    if (!hmac(Config.SigningKey, Name, Bytes, Mac))
      return std::string(); // never stored: not a value
    Out.append(reinterpret_cast<const char *>(Mac), MacSize);
  }
  return Out + Bytes;
}

RemoteCache::Verdict RemoteCache::decodeValue(std::string_view Value,
                                              const Key &K, EntryKind Kind,
                                              Entry &Out,
                                              std::string &Why) const {
  if (Value.size() > Config.MaxValueSize) {
    Why = "larger than the maximum value size";
    return Verdict::TooLarge;
  }
  if (Value.size() < ValueHeader ||
      std::memcmp(Value.data(), ValueMagic, 4) != 0 ||
      uint8_t(Value[4]) != ValueFormat || (uint8_t(Value[5]) & ~FlagSigned)) {
    Why = "not an lcs remote value of format 1";
    return Verdict::Malformed;
  }
  bool Signed = uint8_t(Value[5]) & FlagSigned;
  std::string_view Bytes = Value.substr(ValueHeader);
  std::string_view Mac;
  if (Signed) {
    if (Bytes.size() < MacSize) {
      Why = "truncated signature";
      return Verdict::Malformed;
    }
    Mac = Bytes.substr(0, MacSize);
    Bytes = Bytes.substr(MacSize);
  }
  if (!Config.SigningKey.empty()) {
    if (!Signed) {
      Why = "unsigned, and a signing key is set";
      return Verdict::Unsigned;
    }
    unsigned char Expected[MacSize];
    std::string Name = entryName(K, Kind);
    if (Name.empty() || !hmac(Config.SigningKey, Name, Bytes, Expected) ||
        CRYPTO_memcmp(Expected, Mac.data(), MacSize) != 0) {
      Why = "bad signature";
      return Verdict::BadSignature;
    }
  }
  DecodeError Err = decodeEntry(Bytes, Out, &K, &Kind);
  if (Err != DecodeError::Ok) {
    Why = std::string("entry: ") + decodeErrorName(Err);
    return Verdict::Malformed;
  }
  return Verdict::Ok;
}

std::optional<Entry> RemoteCache::fetch(const Key &K, EntryKind Kind) {
  if (!named(K))
    return std::nullopt;
  if (Config.Mode == RemoteMode::WriteOnly) {
    LastOutcome = RemoteOutcome::Miss;
    return std::nullopt;
  }
  std::string Name = entryName(K, Kind);
  LastRefused = false;
  log::Timer Time;
  auto Report = [&](const char *What) {
    if (log::enabled(log::Level::Info))
      Time.report(log::Level::Info, "remote fetch key=" +
                                        K.hex().substr(0, 16) + " " + What);
  };
  std::optional<redis::Reply> R = run(*Foreground, {"GET", Name});
  if (!R || (R->Kind != redis::Reply::Type::String &&
             R->Kind != redis::Reply::Type::Nil)) {
    if (R) // an error reply: counted, but no sign the server is gone
      bump(&RemoteStats::Errors);
    LastOutcome = RemoteOutcome::Error;
    Report("error");
    return std::nullopt;
  }
  if (R->Kind == redis::Reply::Type::Nil) {
    bump(&RemoteStats::Misses);
    LastOutcome = RemoteOutcome::Miss;
    Report("miss");
    return std::nullopt;
  }
  Entry E;
  std::string Why;
  if (decodeValue(R->Str, K, Kind, E, Why) != Verdict::Ok) {
    bump(&RemoteStats::Refusals);
    LastRefused = true;
    warnOnce("refused", "remote cache: refused the value under " + Name +
                            " (" + Why + "); compiling here");
    LastOutcome = RemoteOutcome::Miss;
    Report("refused");
    return std::nullopt;
  }
  bump(&RemoteStats::Hits);
  LastOutcome = RemoteOutcome::Hit;
  Report("hit");
  return E;
}

std::optional<Entry>
RemoteCache::readThrough(const Key &K, EntryKind Kind,
                         std::optional<Entry> Local,
                         const std::function<void(const Entry &)> &Publish) {
  if (Local) {
    LastOutcome = RemoteOutcome::Off;
    return Local;
  }
  std::optional<Entry> E = fetch(K, Kind);
  if (E)
    Publish(*E);
  return E;
}

void RemoteCache::noteLocalHit() { LastOutcome = RemoteOutcome::Off; }

RemoteOutcome RemoteCache::lastOutcome() { return LastOutcome; }

std::string RemoteCache::newToken() {
  static thread_local std::mt19937_64 Rng{std::random_device{}()};
  uint64_t A = Rng(), B = Rng();
  unsigned char Bytes[16];
  std::memcpy(Bytes, &A, 8);
  std::memcpy(Bytes + 8, &B, 8);
  return toHex(Bytes, 16);
}

std::optional<Entry> RemoteCache::getOrCompute(
    const Key &K, EntryKind Kind,
    const std::function<std::optional<Entry>()> &Compute,
    const std::function<void(const Entry &)> &Publish) {
  if (!named(K)) {
    std::optional<Entry> E = Compute();
    if (E)
      Publish(*E);
    LastOutcome = RemoteOutcome::Off;
    return E;
  }
  RemoteOutcome Outcome = RemoteOutcome::Miss;
  std::string Name = entryName(K, Kind), Lease = leaseName(K, Kind), Token;
  bool Wait = false;
  if (Config.Mode != RemoteMode::WriteOnly) {
    if (std::optional<Entry> E = fetch(K, Kind)) {
      Publish(*E);
      return E;
    }
    Outcome = LastOutcome;
  }
  if (Outcome != RemoteOutcome::Error) {
    if (Config.Mode == RemoteMode::ReadWrite) {
      Token = newToken();
      std::string TTL = std::to_string(Config.LeaseTTL.count());
      std::optional<redis::Reply> R =
          run(*Foreground, {"SET", Lease, Token, "NX", "PX", TTL});
      Wait = R && R->Kind == redis::Reply::Type::Nil;
      if (!R || !R->isStatus("OK"))
        Token.clear();
      if (!R)
        Outcome = RemoteOutcome::Error;
      // The previous owner may have stored and released between our GET and
      // our SET: look once more before compiling (a refused value is still
      // there; it is not asked for twice).
      if (!Token.empty() && !LastRefused)
        if (std::optional<Entry> E = fetch(K, Kind)) {
          release(*Foreground, Lease, Token);
          Publish(*E);
          return E;
        }
    } else if (Config.Mode == RemoteMode::ReadOnly) {
      // Takes no lease (that is a write), but waits for one held.
      std::optional<redis::Reply> R = run(*Foreground, {"EXISTS", Lease});
      Wait = R && R->Kind == redis::Reply::Type::Integer && R->Integer > 0;
    }
  }
  if (Wait) {
    bump(&RemoteStats::LeaseWaits);
    auto Deadline = std::chrono::steady_clock::now() + Config.LeaseWait;
    auto Pause = std::chrono::milliseconds(5);
    bool TimedOut = true;
    while (std::chrono::steady_clock::now() < Deadline) {
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          Pause, Deadline - std::chrono::steady_clock::now()));
      Pause = std::min(Pause * 2, std::chrono::milliseconds(50));
      std::optional<redis::Reply> Has = run(*Foreground, {"EXISTS", Name});
      bool Stored = Has && Has->Kind == redis::Reply::Type::Integer &&
                    Has->Integer > 0;
      if (!Stored && Has) {
        // The owner gave up its lease without storing (it failed, or its
        // store was dropped): no point waiting longer. Its store lands
        // before its release, so look once more.
        std::optional<redis::Reply> Held = run(*Foreground, {"EXISTS", Lease});
        if (Held && Held->Kind == redis::Reply::Type::Integer &&
            Held->Integer == 0) {
          Stored = true;
          TimedOut = false;
        }
      }
      if (!Has) {
        Outcome = RemoteOutcome::Error;
        TimedOut = false;
        break;
      }
      if (Stored) {
        if (std::optional<Entry> E = fetch(K, Kind)) {
          Publish(*E);
          return E;
        }
        TimedOut = false;
        Outcome = LastOutcome;
        break;
      }
    }
    if (TimedOut) {
      bump(&RemoteStats::LeaseTimeouts);
      if (log::enabled(log::Level::Info))
        log::write(log::Level::Info,
                   "remote cache: waited " +
                       std::to_string(Config.LeaseWait.count()) +
                       " ms for another node compiling " + K.hex() +
                       "; compiling here");
    }
  }
  std::optional<Entry> E = Compute();
  if (E) {
    Publish(*E);
    // Stored under the name asked for: the computed entry carries the same
    // 128 bits, but only K is sure to carry the strong name.
    enqueue(*E, Name, Token.empty() ? std::string() : Lease, Token);
  } else if (!Token.empty()) {
    release(*Foreground, Lease, Token);
  }
  LastOutcome = Outcome;
  return E;
}

void RemoteCache::release(Slot &S, const std::string &Lease,
                          const std::string &Token) {
  run(S, {"EVAL", ReleaseScript, "1", Lease, Token});
}

void RemoteCache::storeAsync(const Entry &E, std::string LeaseToken) {
  if (!named(E.EntryKey))
    return;
  enqueue(E, entryName(E.EntryKey, E.Kind),
          LeaseToken.empty() ? std::string() : leaseName(E.EntryKey, E.Kind),
          std::move(LeaseToken));
}

void RemoteCache::enqueue(const Entry &E, std::string Name, std::string Lease,
                          std::string Token) {
  if (Config.Mode == RemoteMode::ReadOnly)
    return;
  {
    std::lock_guard<std::mutex> L(QueueMutex);
    if (Stopping)
      return;
    if (Queue.size() >= MaxQueued) {
      // The lease, if any, expires on its own.
      bump(&RemoteStats::Dropped);
      return;
    }
    Item I;
    I.E = E;
    I.Name = std::move(Name);
    I.Lease = std::move(Lease);
    I.Token = std::move(Token);
    Queue.push_back(std::move(I));
    if (!Writer.joinable())
      Writer = std::thread([this] { writer(); });
  }
  QueueChanged.notify_all();
}

void RemoteCache::writer() {
  std::unique_lock<std::mutex> L(QueueMutex);
  for (;;) {
    QueueChanged.wait(L, [&] { return Stopping || !Queue.empty(); });
    if (Queue.empty())
      return; // stopping, nothing left
    Item I = std::move(Queue.front());
    Queue.pop_front();
    Busy = true;
    L.unlock();

    std::string Value = encodeValue(I.E, I.Name);
    if (Value.empty() || Value.size() > Config.MaxValueSize) {
      bump(&RemoteStats::Dropped);
    } else {
      std::optional<redis::Reply> R = run(*Background, {"SET", I.Name, Value});
      if (R && R->isStatus("OK")) {
        bump(&RemoteStats::Stores);
      } else if (R) {
        // Redis answered no (full without an eviction policy, read-only
        // replica): counted and reported once, never an error here.
        bump(&RemoteStats::Errors);
        warnOnce("store", "remote cache " + Config.display() +
                              ": storing refused by the server: " + R->Str);
      }
    }
    if (!I.Token.empty())
      release(*Background, I.Lease, I.Token);

    L.lock();
    Busy = false;
    QueueChanged.notify_all();
  }
}

void RemoteCache::flush() {
  {
    std::unique_lock<std::mutex> L(QueueMutex);
    // Each pending store is bounded by its timeouts; so is the wait.
    auto Each = Config.ConnectTimeout + 3 * Config.OpTimeout;
    auto Bound = std::min<std::chrono::milliseconds>(
        Each * int64_t(Queue.size() + 1) + std::chrono::milliseconds(500),
        std::chrono::milliseconds(30000));
    QueueChanged.wait_for(L, Bound, [&] { return Queue.empty() && !Busy; });
  }
  if (Config.Mode == RemoteMode::ReadOnly)
    return;
  RemoteStats Now = stats(), Delta;
  {
    std::lock_guard<std::mutex> L(StateMutex);
    for (unsigned I = 0; I != std::size(RemoteStatNames); ++I)
      remoteStatSlot(Delta, I) =
          remoteStatSlot(Now, I) - remoteStatSlot(Flushed, I);
  }
  for (unsigned I = 0; I != std::size(RemoteStatNames); ++I) {
    uint64_t N = remoteStatSlot(Delta, I);
    if (!N)
      continue;
    std::string By = std::to_string(N);
    std::optional<redis::Reply> R =
        run(*Foreground, {"HINCRBY", StatsName, RemoteStatNames[I], By});
    if (!R || R->Kind != redis::Reply::Type::Integer)
      continue;
    std::lock_guard<std::mutex> L(StateMutex);
    remoteStatSlot(Flushed, I) += N;
  }
}

bool RemoteCache::ping(std::string &Error, double &Millis) {
  auto T0 = std::chrono::steady_clock::now();
  // Straight to a fresh connection, past the breaker: this is the check.
  Slot S;
  redis::Failure Why;
  if (!connectSlot(S, Error, Why))
    return false;
  std::optional<redis::Reply> R = S.C->command({"PING"}, Error, Why);
  if (!R || !R->isStatus("PONG")) {
    if (R)
      Error = "unexpected reply to PING: " + R->Str;
    return false;
  }
  Millis = std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now() - T0)
               .count();
  return true;
}

bool RemoteCache::sharedStats(std::vector<std::pair<std::string, uint64_t>> &Out,
                              std::string &Error) {
  Slot S;
  redis::Failure Why;
  if (!connectSlot(S, Error, Why))
    return false;
  std::optional<redis::Reply> R = S.C->command({"HGETALL", StatsName}, Error, Why);
  if (!R)
    return false;
  if (R->Kind != redis::Reply::Type::Array) {
    Error = "unexpected reply to HGETALL: " + R->Str;
    return false;
  }
  Out.clear();
  for (const char *Name : RemoteStatNames)
    Out.emplace_back(Name, 0);
  for (size_t I = 0; I + 1 < R->Elements.size(); I += 2)
    for (auto &[Name, Value] : Out)
      if (Name == R->Elements[I].Str)
        Value = std::strtoull(R->Elements[I + 1].Str.c_str(), nullptr, 10);
  return true;
}

} // namespace lcs::cache
