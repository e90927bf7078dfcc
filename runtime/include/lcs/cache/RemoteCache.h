//===- RemoteCache.h - The shared cache tier on Redis -----------*- C++ -*-===//
///
/// \file
/// A second tier under the disk cache (DiskCache.h), shared by every node
/// of a cluster through one Redis server:
///
///  - Read-through: a local miss asks Redis; an entry is used only if it
///    decodes (Entry.h: magic, version, the key and kind asked for, the
///    checksum) and, with a signing key, carries a valid HMAC-SHA256. The
///    disk cache then publishes it locally, atomically.
///  - Write-back: an entry compiled here is published locally, then queued
///    for a background thread that stores it in Redis (bounded queue; full
///    means dropped, counted). flush() waits for the queue, bounded.
///  - Single flight across nodes: before compiling, a lease
///    (SET lease token NX PX ttl); others poll for the entry up to the lease
///    wait, then compile themselves. The owner releases by compare-and-delete
///    on its token after its store lands; a crashed owner's lease expires.
///  - Never worse than no remote: every operation is bounded by the connect
///    and operation timeouts; after BreakerThreshold consecutive failures the
///    tier is off for BreakerCooldown (one warning), then tried again. No
///    failure of Redis is ever an error for the caller.
///
/// Redis layout 2 (the "v2" in every name; 1 named entries by the XXH3 key):
///
///   lcs:v2:e:HEX        an entry value; HEX is the SHA-256 of
///                       "lcs-remote-entry" 0x00 kind strong[32], lowercase
///                       hex, strong the key's strong name (Key.h)
///   lcs:v2:lease:HEX    a lease: a random 128-bit token, with a TTL
///   lcs:v2:stats        hash of counters summed over processes (flush())
///
/// A key without a strong name (built before any remote tier existed) is
/// neither fetched nor stored: one warning, outcome Off.
///
///   value  := "LCSR" u8 format(1) u8 flags [mac] entry
///   flags  := bit 0: signed
///   mac    := u8[32] HMAC-SHA256(secret, name entry), name as above
///   entry  := the entry file's bytes (Entry.h)
///
/// Thread-safe: one RemoteCache serves every thread of a process.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CACHE_REMOTECACHE_H
#define LCS_CACHE_REMOTECACHE_H

#include "lcs/cache/Entry.h"
#include "lcs/cache/Key.h"
#include "lcs/cache/RedisClient.h"
#include "lcs/cache/SharedCounters.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace lcs::cache {

enum class RemoteMode { ReadWrite, ReadOnly, WriteOnly };
const char *remoteModeName(RemoteMode M);

/// What the remote tier did for one lookup or compile.
enum class RemoteOutcome {
  Off,   ///< not configured, or the local cache answered
  Hit,   ///< a verified remote entry was used
  Miss,  ///< Redis had no usable entry (absent, refused, write-only mode)
  Error, ///< Redis failed, timed out, or the breaker is open
};
const char *remoteOutcomeName(RemoteOutcome O); ///< "off", "hit", ...

struct RemoteConfig {
  std::string Host;
  int Port = 6379;
  unsigned Db = 0;
  std::string User, Password;
  RemoteMode Mode = RemoteMode::ReadWrite;
  std::chrono::milliseconds ConnectTimeout{200};
  /// Bounds each socket read and write of one operation.
  std::chrono::milliseconds OpTimeout{250};
  /// How long a node waits for another node's lease before compiling.
  std::chrono::milliseconds LeaseWait{2000};
  /// A lease's lifetime in Redis (a crashed owner's lease expires).
  std::chrono::milliseconds LeaseTTL{10000};
  unsigned BreakerThreshold = 3;
  std::chrono::milliseconds BreakerCooldown{30000};
  /// Larger values are neither stored nor accepted.
  uint64_t MaxValueSize = uint64_t(16) << 20;
  /// The HMAC secret; empty: entries are stored unsigned and unsigned
  /// entries are accepted.
  std::string SigningKey;

  /// "redis://[user@]host:port/db": never the password.
  std::string display() const;
};

/// Parses redis://[user:password@]host:port[/db] into \p Out (user and
/// password may be %-encoded; host may be [IPv6]). False with a one-line
/// \p Error, which never contains the password.
bool parseRemoteURL(const std::string &URL, RemoteConfig &Out,
                    std::string &Error);

/// \p URL parsed, then the LCS_REMOTE_CACHE_* variables applied: _MODE,
/// _CONNECT_TIMEOUT_MS, _TIMEOUT_MS, _LEASE_WAIT_MS, _BREAKER_MS,
/// _MAX_VALUE (a size), _KEY_FILE. False with a one-line \p Error.
bool remoteConfigFromEnv(const std::string &URL, RemoteConfig &Out,
                         std::string &Error);

/// \p Explicit if set (empty: no remote), else LCS_REMOTE_CACHE, else "".
std::string remoteCacheURL(const std::optional<std::string> &Explicit);

/// Counters of one process.
struct RemoteStats {
  uint64_t Hits = 0;          ///< verified entries used
  uint64_t Misses = 0;        ///< lookups Redis had nothing for
  uint64_t Stores = 0;        ///< entries written to Redis
  uint64_t Refusals = 0;      ///< values that did not verify
  uint64_t Timeouts = 0;      ///< operations that ran out of time
  uint64_t Errors = 0;        ///< failed operations (timeouts included)
  uint64_t LeaseWaits = 0;    ///< waits for another node's compile
  uint64_t LeaseTimeouts = 0; ///< waits that ended in compiling here
  uint64_t Dropped = 0;       ///< stores skipped: too large, queue full
};
/// The counters' names, as in lcs:v1:stats and lcs-cache's output.
inline constexpr const char *RemoteStatNames[] = {
    "hits",   "misses",      "stores",         "refusals", "timeouts",
    "errors", "lease_waits", "lease_timeouts", "dropped"};
uint64_t &remoteStatSlot(RemoteStats &S, unsigned I);

class RemoteCache {
public:
  /// Connects lazily: nothing happens until the first operation.
  /// \p Warn receives each warning; null: LCS_LOG.
  explicit RemoteCache(RemoteConfig Config,
                       std::function<void(const std::string &)> Warn = {});
  /// flush()es, then stops the writer.
  ~RemoteCache();
  RemoteCache(const RemoteCache &) = delete;
  RemoteCache &operator=(const RemoteCache &) = delete;

  const RemoteConfig &config() const { return Config; }

  /// The verified remote entry for \p K, if any (never in write-only mode).
  std::optional<Entry> fetch(const Key &K, EntryKind Kind);

  /// DiskCache::lookup's tier: \p Local if present; else fetch(), handing
  /// what it finds to \p Publish (the local store) before returning it.
  std::optional<Entry>
  readThrough(const Key &K, EntryKind Kind, std::optional<Entry> Local,
              const std::function<void(const Entry &)> &Publish);

  /// DiskCache::getOrCompute's tier, after a local miss under the local
  /// lock: fetch; else take the cluster lease or wait for its owner
  /// (bounded); else \p Compute. Entries fetched or computed go to
  /// \p Publish; computed ones are then stored in Redis off this thread.
  std::optional<Entry>
  getOrCompute(const Key &K, EntryKind Kind,
               const std::function<std::optional<Entry>()> &Compute,
               const std::function<void(const Entry &)> &Publish);

  /// Sets this thread's outcome to Off: the local cache answered, or no
  /// remote tier was asked.
  static void noteLocalHit();
  /// The outcome of this thread's last lookup or compile through a remote.
  static RemoteOutcome lastOutcome();

  /// Queues \p E for storing (nothing in read-only mode), then the release
  /// of \p LeaseToken's lease if given.
  void storeAsync(const Entry &E, std::string LeaseToken = {});

  /// Waits (bounded) for queued stores, then adds this process's counters
  /// to lcs:v1:stats. For short-lived processes before they exit.
  void flush();

  /// Round trip to the server: false with \p Error if it fails.
  bool ping(std::string &Error, double &Millis);
  /// lcs:v1:stats, name to value.
  bool sharedStats(std::vector<std::pair<std::string, uint64_t>> &Out,
                   std::string &Error);

  RemoteStats stats() const;
  bool breakerOpen() const;

  /// Names in Redis (see the file comment); empty for a key without a
  /// strong name.
  static std::string entryName(const Key &K, EntryKind Kind);
  static std::string leaseName(const Key &K, EntryKind Kind);
  static constexpr const char *StatsName = "lcs:v2:stats";

  /// The value stored for \p E: signed when a key is set.
  std::string encodeValue(const Entry &E) const;
  enum class Verdict { Ok, Malformed, TooLarge, Unsigned, BadSignature };
  /// Checks \p Value as the entry for \p K: Ok and the entry in \p Out, or
  /// why not (an entry that does not decode is Malformed, \p Why says how).
  Verdict decodeValue(std::string_view Value, const Key &K, EntryKind Kind,
                      Entry &Out, std::string &Why) const;

private:
  struct Slot;
  struct Item {
    Entry E;
    std::string Name, Lease, Token;
  };

  /// Whether \p K has a strong name; else one warning and outcome Off.
  bool named(const Key &K);
  std::string encodeValue(const Entry &E, const std::string &Name) const;
  void enqueue(const Entry &E, std::string Name, std::string Lease,
               std::string Token);

  /// Runs one command on \p S, (re)connecting as needed; nullopt on a
  /// failure, which is counted and feeds the breaker.
  std::optional<redis::Reply> run(Slot &S, const std::vector<std::string_view> &Args);
  bool connectSlot(Slot &S, std::string &Error, redis::Failure &Why);
  void failed(redis::Failure Why, const std::string &Error);
  void succeeded();
  void warnOnce(const std::string &Kind, const std::string &Msg);
  void writer();
  void release(Slot &S, const std::string &Lease, const std::string &Token);
  std::string newToken();

  /// Keys built while this tier lives carry strong names.
  StrongNames Naming;
  RemoteConfig Config;
  std::function<void(const std::string &)> Warn;
  std::unique_ptr<Slot> Foreground, Background;

  SharedCounters<RemoteStats> Stats;
  /// Guards Flushed and Warned.
  mutable std::mutex StateMutex;
  RemoteStats Flushed;
  std::vector<std::string> Warned;

  std::atomic<unsigned> ConsecutiveFailures{0};
  std::atomic<int64_t> OpenUntil{0}; ///< steady_clock ns; 0: closed

  std::mutex QueueMutex;
  std::condition_variable QueueChanged;
  std::deque<Item> Queue;
  bool Busy = false, Stopping = false;
  std::thread Writer;
};

} // namespace lcs::cache

#endif // LCS_CACHE_REMOTECACHE_H
