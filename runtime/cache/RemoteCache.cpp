//===- RemoteCache.cpp - The shared cache tier on Redis -------------------===//
//
// The tier itself: connections, entry names, the signed value format,
// fetches and the background store queue. URLs and settings are in
// RemoteConfig.cpp, leases and the breaker in RemoteLease.cpp. See
// RemoteCache.h for the layout, the value format and the guarantees.
//
//===----------------------------------------------------------------------===//

#include "RemoteInternal.h"

#include "WarnOnce.h"
#include "lcs/EnumNames.h"
#include "lcs/Log.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iterator>

namespace lcs::cache {

namespace remote {

thread_local RemoteOutcome LastOutcome = RemoteOutcome::Off;
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

} // namespace remote

using remote::LastOutcome;
using remote::LastRefused;
using remote::toHex;

namespace {

constexpr char ValueMagic[4] = {'L', 'C', 'S', 'R'};
constexpr uint8_t ValueFormat = 1;
constexpr uint8_t FlagSigned = 1;
constexpr size_t MacSize = 32;
constexpr size_t ValueHeader = 6; // magic, format, flags
/// Pending stores beyond this are dropped (counted): memory stays bounded
/// when Redis is slower than the compiles.
constexpr size_t MaxQueued = 64;

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
  Data.append(reinterpret_cast<const char *>(K.Strong.data()), K.Strong.size());
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
              reinterpret_cast<const unsigned char *>(Data.data()), Data.size(),
              Out, &Len) != nullptr &&
         Len == MacSize;
}

} // namespace

const char *remoteOutcomeName(RemoteOutcome O) {
  static constexpr const char *Names[] = {"off", "hit", "miss", "error"};
  return enumName(O, Names, "off");
}

uint64_t &remoteStatSlot(RemoteStats &S, unsigned I) {
  uint64_t *Slots[] = {&S.Hits,       &S.Misses,        &S.Stores,
                       &S.Refusals,   &S.Timeouts,      &S.Errors,
                       &S.LeaseWaits, &S.LeaseTimeouts, &S.Dropped};
  return *Slots[I];
}

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

RemoteStats RemoteCache::stats() const { return Stats.snapshot(); }

void RemoteCache::warnOnce(const std::string &Kind, const std::string &Msg) {
  cache::warnOnce(StateMutex, Warned, Kind, Warn, Msg);
}

bool RemoteCache::connectSlot(Slot &S, std::string &Error,
                              redis::Failure &Why) {
  S.C = redis::Connection::connect(Config.Host, Config.Port,
                                   Config.ConnectTimeout, Config.OpTimeout,
                                   Error, Why);
  if (!S.C) {
    Error = "connecting to " + Config.Host + ":" + std::to_string(Config.Port) +
            ": " + Error;
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
  warnOnce("unnamed",
           "remote cache: key " + K.hex() + " has no strong name; not shared");
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
      Time.report(log::Level::Info,
                  "remote fetch key=" + K.hex().substr(0, 16) + " " + What);
  };
  std::optional<redis::Reply> R = run(*Foreground, {"GET", Name});
  if (!R || (R->Kind != redis::Reply::Type::String &&
             R->Kind != redis::Reply::Type::Nil)) {
    if (R) // an error reply: counted, but no sign the server is gone
      Stats.bump(&RemoteStats::Errors);
    LastOutcome = RemoteOutcome::Error;
    Report("error");
    return std::nullopt;
  }
  if (R->Kind == redis::Reply::Type::Nil) {
    Stats.bump(&RemoteStats::Misses);
    LastOutcome = RemoteOutcome::Miss;
    Report("miss");
    return std::nullopt;
  }
  Entry E;
  std::string Why;
  if (decodeValue(R->Str, K, Kind, E, Why) != Verdict::Ok) {
    Stats.bump(&RemoteStats::Refusals);
    LastRefused = true;
    warnOnce("refused", "remote cache: refused the value under " + Name + " (" +
                            Why + "); compiling here");
    LastOutcome = RemoteOutcome::Miss;
    Report("refused");
    return std::nullopt;
  }
  Stats.bump(&RemoteStats::Hits);
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
      Stats.bump(&RemoteStats::Dropped);
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
      Stats.bump(&RemoteStats::Dropped);
    } else {
      std::optional<redis::Reply> R = run(*Background, {"SET", I.Name, Value});
      if (R && R->isStatus("OK")) {
        Stats.bump(&RemoteStats::Stores);
      } else if (R) {
        // Redis answered no (full without an eviction policy, read-only
        // replica): counted and reported once, never an error here.
        Stats.bump(&RemoteStats::Errors);
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

bool RemoteCache::sharedStats(
    std::vector<std::pair<std::string, uint64_t>> &Out, std::string &Error) {
  Slot S;
  redis::Failure Why;
  if (!connectSlot(S, Error, Why))
    return false;
  std::optional<redis::Reply> R =
      S.C->command({"HGETALL", StatsName}, Error, Why);
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
