//===- DiskCache.h - The content-addressed disk cache -----------*- C++ -*-===//
///
/// \file
/// A directory of entries (Entry.h), shared by processes, safe without a
/// global lock:
///
///   DIR/v1/entries/KK/KEY.lcse   one entry; KK is the key's first two hex
///                                digits
///   DIR/v1/locks/KK/KEY.lock     per-key lock for single flight (flock)
///   DIR/v1/stats                 persistent counters, updated under its
///                                flock and replaced by rename
///
/// Thread-safe: one DiskCache may serve every thread of a process.
///
/// Guarantees:
///  - Publishing is atomic: unique temporary file in the entry's directory,
///    write, fsync, rename; every result checked. Readers take no lock; two
///    writers of one key both succeed and the entry is one of theirs, whole.
///  - A reader never returns wrong bytes: magic, version, kind, key, length
///    and XXH3-128 checksum all check, or the entry is a miss and is removed.
///  - Size bound: after a store, if the entries exceed the maximum, the least
///    recently used are removed (recency is the modification time, bumped on
///    every hit, not atime) until 90 % of it is left; never the entry just
///    stored.
///  - Single flight: getOrCompute() serialises computing one key across
///    processes through a per-key flock that the kernel releases if its
///    holder dies; waiters poll for the entry and compute themselves after a
///    bounded wait. An entry is absent exactly while one process computes
///    it. Lock files no one holds that are older than the lock wait are
///    removed (prune, verify, clear, eviction); a locker checks after its
///    flock that the file is still the one at the path, else locks anew.
///  - Safety: the directory must belong to this user and not be writable by
///    group or others, and nothing inside may be a symbolic link; otherwise
///    the cache is disabled (one warning). A read-only directory serves hits
///    and stores nothing; a failing write (a full disk) disables storing
///    (one warning). Nothing here is ever an error for the caller.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CACHE_DISKCACHE_H
#define LCS_CACHE_DISKCACHE_H

#include "lcs/cache/Entry.h"
#include "lcs/cache/FileSystem.h"
#include "lcs/cache/RemoteCache.h"
#include "lcs/cache/SharedCounters.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lcs::cache {

/// The size bound unless LCS_CACHE_MAX_SIZE says otherwise.
inline constexpr uint64_t DefaultCacheMaxSize = uint64_t(1) << 30;

/// Counters of one process (and, through flushStats, of the cache).
struct CacheStats {
  uint64_t Hits = 0;
  uint64_t Misses = 0;
  uint64_t Stores = 0;
  uint64_t Evictions = 0;
  uint64_t Corrupt = 0;
  uint64_t BytesRead = 0;
  uint64_t BytesWritten = 0;
};

struct CacheOptions {
  std::string Dir;
  uint64_t MaxSize = DefaultCacheMaxSize;
  /// How long getOrCompute waits for another process computing the key.
  std::chrono::milliseconds LockWait{60000};
  /// The I/O seam; null for POSIX.
  FileSystem *FS = nullptr;
  /// Receives each warning (at most one per kind of problem); null: stderr.
  std::function<void(const std::string &)> Warn;
  /// The shared tier under this cache (RemoteCache.h): a redis:// URL;
  /// nullopt: LCS_REMOTE_CACHE; "": none.
  std::optional<std::string> Remote;
};

/// Where the cache lives: \p Explicit (--cache-dir) if set, else
/// LCS_CACHE_DIR, else $XDG_CACHE_HOME/lcs, else $HOME/.cache/lcs. Empty if
/// LCS_CACHE_DISABLE is set to anything but "0" or no location is known.
std::string defaultCacheDir(const std::string &Explicit = "");

/// The same location, LCS_CACHE_DISABLE aside (lcs-cache manages a cache
/// that lcs is told not to use).
std::string cacheLocation(const std::string &Explicit = "");

/// LCS_CACHE_MAX_SIZE ("500M", "2G", bytes) or the default 1 GiB; false in
/// \p Valid if the variable is set but malformed.
uint64_t cacheMaxSizeFromEnv(bool &Valid);

/// Parses a size: a number with an optional K, M, G or T suffix (powers of
/// 1024). False if malformed.
bool parseSize(const std::string &Text, uint64_t &Out);

/// One entry as listed.
struct EntryInfo {
  std::string Path;
  Key EntryKey;
  EntryKind Kind = EntryKind::PTX;
  std::string Descriptor;
  uint64_t Size = 0;
  int64_t MTime = 0; ///< seconds since the epoch
  bool Valid = false;
  std::string Problem; ///< why not valid
};

class DiskCache {
public:
  enum class Mode { Disabled, ReadOnly, ReadWrite };
  enum class Outcome { Hit, Miss, Off };
  static const char *outcomeName(Outcome O); ///< "hit", "miss", "off"

  /// Opens (creating) the cache; never fails: problems leave it Disabled
  /// or ReadOnly with a warning.
  explicit DiskCache(CacheOptions Options);
  ~DiskCache();
  DiskCache(const DiskCache &) = delete;
  DiskCache &operator=(const DiskCache &) = delete;

  Mode mode() const { return CurrentMode.load(std::memory_order_relaxed); }
  const std::string &dir() const { return Options.Dir; }

  /// The entry for \p K of kind \p Kind, if present and intact.
  std::optional<Entry> lookup(const Key &K, EntryKind Kind);

  /// Publishes \p E atomically; false if not stored (read-only, disabled or
  /// a write failed, after one warning). With a remote tier, also queues it
  /// for Redis.
  bool store(const Entry &E);

  /// lookup(), else \p Compute under the key's single-flight lock, storing
  /// what it returns. \p Result says which happened; a Miss the remote
  /// tier answered is told by lastServedRemotely().
  std::optional<Entry>
  getOrCompute(const Key &K, EntryKind Kind,
               const std::function<std::optional<Entry>()> &Compute,
               Outcome &Result);

  /// Whether this thread's last lookup() or getOrCompute() (on any cache)
  /// was answered by the remote tier: a miss here that compiled nothing.
  static bool lastServedRemotely();

  /// Every entry file, checked.
  std::vector<EntryInfo> list();
  /// Removes entries that do not check (returns how many), temporary
  /// files older than 10 minutes (left by writers that died) and stale
  /// lock files.
  unsigned verify();
  /// Evicts least recently used entries down to \p MaxSize bytes and
  /// removes stale lock files; returns how many entries were removed.
  unsigned prune(uint64_t MaxSize);
  /// Removes every entry and the stale lock files; returns how many
  /// entries.
  unsigned clear();
  /// Removes the lock files that no one holds and that are older than the
  /// lock wait; returns how many.
  unsigned removeStaleLocks();
  /// Total bytes of entry files.
  uint64_t totalSize();

  /// This process's counters (a snapshot).
  CacheStats stats() const;
  /// Adds this process's counters to DIR/v1/stats and resets them.
  void flushStats();
  /// The persistent counters (without this process's unflushed ones).
  CacheStats persistentStats();

  std::string entryPath(const Key &K) const;

  /// The shared tier, or null. A local miss consults it (lookup,
  /// getOrCompute); what it fetches or this process computes is published
  /// here first.
  RemoteCache *remote() { return Remote.get(); }

private:
  /// store() here only: what came from (or goes to) the remote tier.
  bool publish(const Entry &E);
  /// lookup() without counting a hit or miss.
  std::optional<Entry> probe(const Key &K, EntryKind Kind);
  /// Locks \p K's lock file, or waits for its entry; the entry if it
  /// appeared, else \p Lock holds the lock (or nothing: no lock to be had,
  /// or the wait ran out).
  std::optional<Entry> lockOrWait(const Key &K, EntryKind Kind,
                                  FileHandle &Lock);
  /// Opens (creating) \p Path and flocks it with \p Operation, making sure
  /// the file locked is still the one at the path; 0 or an errno value
  /// (EAGAIN after \p Attempts files in a row were replaced or removed
  /// under us).
  int lockPath(const std::string &Path, int Operation, FileHandle &Lock,
               unsigned Attempts);
  void warnOnce(const std::string &Kind, const std::string &Msg);
  void disable(const std::string &Why);
  /// A write failed at \p Step with \p Err: stores nothing more (one
  /// warning, which says read-only for EROFS and EACCES).
  void stopStoring(const std::string &Step, int Err);
  bool checkDirectory(const std::string &Path, bool Create);
  bool ensureFanout(const std::string &Sub, const Key &K, std::string &Dir);
  void enforceLimit(const std::string &Keep);
  /// If the entries total more than \p Above, removes the least recently
  /// used (never \p Keep) until they total at most \p Target. One walk.
  unsigned evictTo(uint64_t Target, const std::string &Keep,
                   uint64_t Above);
  /// Maintenance of a writable cache (0 otherwise): \p Step's count of
  /// files removed, then the stale locks removed too.
  unsigned sweep(const std::function<unsigned()> &Step);

  CacheOptions Options;
  FileSystem &FS;
  std::atomic<Mode> CurrentMode{Mode::ReadWrite};
  SharedCounters<CacheStats> Stats;
  /// Guards Warned: one cache object serves many threads.
  mutable std::mutex StateMutex;
  std::vector<std::string> Warned;
  std::string Root; ///< DIR/v1
  std::unique_ptr<RemoteCache> Remote;
};

} // namespace lcs::cache

#endif // LCS_CACHE_DISKCACHE_H
