//===- DiskCache.cpp - The content-addressed disk cache -------------------===//
//
// See DiskCache.h for the layout and guarantees.
//
//===----------------------------------------------------------------------===//

#include "lcs/cache/DiskCache.h"
#include "WarnOnce.h"
#include "lcs/EnumNames.h"
#include "lcs/Log.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <iterator>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace lcs::cache {

namespace {

constexpr const char *EntrySuffix = ".lcse";
constexpr const char *LockSuffix = ".lock";
/// lcs never writes a larger entry; a larger file is not read at all.
constexpr size_t MaxEntrySize = size_t(1) << 30;
/// The stats file is a few short lines; a larger one is not ours.
constexpr size_t MaxStatsSize = size_t(1) << 16;
/// A store over the bound evicts down to this share of it, so that the
/// stores after it do not each walk the whole cache again.
constexpr uint64_t EvictToPercent = 90;
/// A temporary file this old belongs to a writer that died: a live writer
/// renames its file within seconds.
constexpr std::chrono::seconds StaleTemporaryAge{10 * 60};
/// How a waiter polls for the entry another process computes: soon at
/// first (most compiles take milliseconds), backing off so that a long
/// compile does not cost many wake-ups.
constexpr std::chrono::milliseconds FirstPoll{1}, LongestPoll{50};
/// Each retry means that another process removed or replaced a lock file
/// between our open and our flock; this many in a row means something
/// else is wrong, and the caller gives up the lock for now.
constexpr unsigned LockAttempts = 16;
/// The stats file is replaced by every flush, so each retry on it means
/// another flusher finished: under many processes flushing at once a
/// flusher can lose far more than LockAttempts races in a row and still
/// be making progress with the others (8 processes flushing 20 times each
/// lost a flush on a loaded 2-core machine). Bounded only against a
/// process that replaces the file forever.
constexpr unsigned StatsLockAttempts = 1u << 16;

std::string errnoText(int E) { return std::strerror(E); }

/// An open directory, closed on destruction; null when it did not open.
using DirHandle = std::unique_ptr<DIR, int (*)(DIR *)>;
DirHandle openDir(const std::string &Path) {
  return DirHandle(::opendir(Path.c_str()), ::closedir);
}

/// Files under DIR/v1/SUB, one level of fan-out.
template <class F> void forEachFanoutFile(const std::string &Top, F Visit) {
  DirHandle TopDir = openDir(Top);
  if (!TopDir)
    return;
  while (dirent *D = ::readdir(TopDir.get())) {
    std::string Name = D->d_name;
    // Fan-out directories are two hex digits (and ".." is not one).
    if (Name.size() != 2 || !std::isxdigit((unsigned char)Name[0]) ||
        !std::isxdigit((unsigned char)Name[1]))
      continue;
    std::string Sub = Top + "/" + Name;
    DirHandle Dir = openDir(Sub);
    if (!Dir)
      continue;
    while (dirent *E = ::readdir(Dir.get())) {
      std::string File = E->d_name;
      if (File != "." && File != "..")
        Visit(Sub + "/" + File, File);
    }
  }
}

/// forEachFanoutFile for a sweep: how many files \p Remove (given each
/// one's path and name) says it removed.
template <class F> unsigned countRemoved(const std::string &Top, F Remove) {
  unsigned Removed = 0;
  forEachFanoutFile(Top, [&](const std::string &Path, const std::string &Name) {
    if (Remove(Path, Name))
      ++Removed;
  });
  return Removed;
}

bool endsWith(const std::string &S, const char *Suffix) {
  size_t N = std::strlen(Suffix);
  return S.size() >= N && S.compare(S.size() - N, N, Suffix) == 0;
}

/// Whether \p Fd is still the file at \p Path (not removed or replaced).
bool isFileAt(int Fd, const std::string &Path) {
  struct stat Open, Named;
  return ::fstat(Fd, &Open) == 0 && ::lstat(Path.c_str(), &Named) == 0 &&
         Open.st_dev == Named.st_dev && Open.st_ino == Named.st_ino;
}

} // namespace

DiskCache::DiskCache(CacheOptions Opts)
    : Options(std::move(Opts)),
      FS(Options.FS ? *Options.FS : FileSystem::posix()) {
  if (Options.Dir.empty()) {
    CurrentMode = Mode::Disabled;
    return;
  }
  Root = Options.Dir + "/v1";
  if (!checkDirectory(Options.Dir, /*Create=*/true) ||
      !checkDirectory(Root, true) || !checkDirectory(Root + "/entries", true) ||
      !checkDirectory(Root + "/locks", true))
    return;
  if (CurrentMode == Mode::ReadWrite &&
      ::access(Root.c_str(), W_OK | X_OK) != 0) {
    int E = errno;
    stopStoring("access " + Root, E);
  }
  // The remote tier (RemoteCache.h); a bad configuration leaves it off.
  if (std::string URL = remoteCacheURL(Options.Remote); !URL.empty()) {
    RemoteConfig RC;
    std::string Error;
    if (remoteConfigFromEnv(URL, RC, Error))
      Remote = std::make_unique<RemoteCache>(std::move(RC), Options.Warn);
    else
      warnOnce("remote", Error + "; using the local cache only");
  }
}

DiskCache::~DiskCache() = default;

CacheStats DiskCache::stats() const { return Stats.snapshot(); }

bool DiskCache::lastServedRemotely() {
  return RemoteCache::lastOutcome() == RemoteOutcome::Hit;
}

const char *DiskCache::outcomeName(Outcome O) {
  static constexpr const char *Names[] = {"hit", "miss", "off"};
  return enumName(O, Names, "off");
}

void DiskCache::warnOnce(const std::string &Kind, const std::string &Msg) {
  cache::warnOnce(StateMutex, Warned, Kind, Options.Warn, Msg);
}

void DiskCache::disable(const std::string &Why) {
  CurrentMode = Mode::Disabled;
  warnOnce("disabled", Why + "; continuing without the cache");
}

void DiskCache::stopStoring(const std::string &Step, int Err) {
  // Read-only or full, trying again would fail again: this process stops.
  Mode Expected = Mode::ReadWrite;
  CurrentMode.compare_exchange_strong(Expected, Mode::ReadOnly);
  if (Err == EROFS || Err == EACCES)
    warnOnce("readonly", "cache directory " + Options.Dir +
                             " is read-only: serving hits, storing nothing");
  else
    warnOnce("write", "cannot write to the cache (" + Step + ": " +
                          errnoText(Err) + "); continuing without storing");
}

bool DiskCache::checkDirectory(const std::string &Path, bool Create) {
  struct stat St;
  if (::lstat(Path.c_str(), &St) != 0) {
    if (errno != ENOENT || !Create) {
      disable("cache directory " + Path + ": " + errnoText(errno));
      return false;
    }
    // Create missing parents too (mkdir -p), each 0700; a failure shows in
    // the last mkdir.
    for (size_t Slash = Path.find('/', 1); Slash != std::string::npos;
         Slash = Path.find('/', Slash + 1))
      (void)FS.mkdir(Path.substr(0, Slash), 0700);
    int E = FS.mkdir(Path, 0700);
    if (E && E != EEXIST) {
      if (E == EROFS || E == EACCES)
        warnOnce("readonly", "cannot create cache directory " + Path + ": " +
                                 errnoText(E));
      disable("cache directory " + Path + ": " + errnoText(E));
      return false;
    }
    if (::lstat(Path.c_str(), &St) != 0) {
      disable("cache directory " + Path + ": " + errnoText(errno));
      return false;
    }
  }
  // The top directory may be reached through a symbolic link (a user's own
  // ~/.cache often is); everything lcs creates inside may not.
  if (S_ISLNK(St.st_mode)) {
    if (Path != Options.Dir || ::stat(Path.c_str(), &St) != 0) {
      disable("cache path " + Path + " is a symbolic link");
      return false;
    }
  }
  if (!S_ISDIR(St.st_mode)) {
    disable("cache path " + Path + " is not a directory");
    return false;
  }
  if (St.st_uid != ::geteuid()) {
    disable("cache directory " + Path + " belongs to another user (uid " +
            std::to_string(St.st_uid) + ")");
    return false;
  }
  if (St.st_mode & (S_IWGRP | S_IWOTH)) {
    char Octal[8];
    std::snprintf(Octal, sizeof Octal, "%03o", unsigned(St.st_mode & 0777));
    disable("cache directory " + Path +
            " is writable by group or others (mode " +
            std::to_string(St.st_mode & 0777) + " octal " + Octal + ")");
    return false;
  }
  return true;
}

std::string DiskCache::entryPath(const Key &K) const {
  std::string Hex = K.hex();
  assert(Hex.size() == 32 && "a key is 32 hex digits");
  return Root + "/entries/" + Hex.substr(0, 2) + "/" + Hex + EntrySuffix;
}

bool DiskCache::ensureFanout(const std::string &Sub, const Key &K,
                             std::string &Dir) {
  Dir = Root + "/" + Sub + "/" + K.hex().substr(0, 2);
  struct stat St;
  if (::lstat(Dir.c_str(), &St) == 0) {
    if (S_ISLNK(St.st_mode) || !S_ISDIR(St.st_mode) ||
        St.st_uid != ::geteuid()) {
      disable("cache path " + Dir + " is a symbolic link or not ours");
      return false;
    }
    return true;
  }
  int E = FS.mkdir(Dir, 0700);
  if (E && E != EEXIST) {
    stopStoring("mkdir " + Dir, E);
    return false;
  }
  return true;
}

std::optional<Entry> DiskCache::lookup(const Key &K, EntryKind Kind) {
  RemoteCache::noteLocalHit(); // until the remote tier says otherwise
  std::optional<Entry> E = probe(K, Kind);
  Stats.bump(E ? &CacheStats::Hits : &CacheStats::Misses);
  if (Remote) // a local miss asks the remote tier
    return Remote->readThrough(K, Kind, std::move(E),
                               [&](const Entry &R) { publish(R); });
  return E;
}

std::optional<Entry> DiskCache::probe(const Key &K, EntryKind Kind) {
  if (CurrentMode == Mode::Disabled)
    return std::nullopt;
  std::string Path = entryPath(K);
  FileHandle File = FileHandle::openForRead(Path);
  if (!File) {
    if (errno == ELOOP)
      disable("cache entry " + Path + " is a symbolic link");
    return std::nullopt;
  }
  std::string Bytes;
  Entry E;
  if (File.readAll(Bytes, MaxEntrySize) != 0 ||
      decodeEntry(Bytes, E, &K, &Kind) != DecodeError::Ok) {
    Stats.bump(&CacheStats::Corrupt);
    if (CurrentMode == Mode::ReadWrite)
      (void)FS.unlink(Path);
    return std::nullopt;
  }
  assert(E.EntryKey == K && E.Kind == Kind && "decodeEntry checked both");
  if (CurrentMode == Mode::ReadWrite)
    (void)FS.touch(File.get()); // recency only: a failure costs nothing
  Stats.bump(&CacheStats::BytesRead, Bytes.size());
  return E;
}

bool DiskCache::store(const Entry &E) {
  bool Stored = publish(E);
  if (Remote) // write-back: entries stored directly (records) are shared too
    Remote->storeAsync(E);
  return Stored;
}

bool DiskCache::publish(const Entry &E) {
  if (CurrentMode != Mode::ReadWrite)
    return false;
  std::string Dir;
  if (!ensureFanout("entries", E.EntryKey, Dir))
    return false;
  std::string Path = entryPath(E.EntryKey);
  std::string Bytes = encodeEntry(E);
  AtomicFile File(FS, Path);
  int Err = File.write(Bytes);
  if (!Err)
    Err = File.commit();
  if (Err) {
    stopStoring(File.failedStep(), Err);
    return false;
  }
  Stats.bump(&CacheStats::Stores);
  Stats.bump(&CacheStats::BytesWritten, Bytes.size());
  enforceLimit(Path);
  return true;
}

int DiskCache::lockPath(const std::string &Path, int Operation,
                        FileHandle &Lock, unsigned Attempts) {
  for (unsigned Attempt = 0; Attempt != Attempts; ++Attempt) {
    int E = FileHandle::open(
        FS, Path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600, Lock);
    if (E == ELOOP)
      disable("cache file " + Path + " is a symbolic link");
    if (!E)
      E = FS.flock(Lock.get(), Operation);
    if (E) {
      (void)Lock.close();
      return E;
    }
    // A file removed (a stale lock pruned) or replaced (stats renamed
    // over) between our open and our flock locks nothing anyone else
    // sees: let it go and lock the file now at the path.
    if (isFileAt(Lock.get(), Path))
      return 0;
    (void)Lock.close();
  }
  return EAGAIN;
}

std::optional<Entry> DiskCache::lockOrWait(const Key &K, EntryKind Kind,
                                           FileHandle &Lock) {
  std::string Dir;
  if (CurrentMode != Mode::ReadWrite || !ensureFanout("locks", K, Dir))
    return std::nullopt;
  std::string Path = Dir + "/" + K.hex() + LockSuffix;
  auto Deadline = std::chrono::steady_clock::now() + Options.LockWait;
  for (auto Pause = FirstPoll;; Pause = std::min(Pause * 2, LongestPoll)) {
    int E = lockPath(Path, LOCK_EX | LOCK_NB, Lock, LockAttempts);
    if (!E) // The previous holder may have just stored it.
      return probe(K, Kind);
    if (E != EWOULDBLOCK && E != EINTR)
      return std::nullopt;
    // Someone else is computing this key: wait for their entry.
    std::this_thread::sleep_for(Pause);
    if (std::optional<Entry> Found = probe(K, Kind))
      return Found;
    if (std::chrono::steady_clock::now() > Deadline) {
      warnOnce("lockwait", "waited " +
                               std::to_string(Options.LockWait.count()) +
                               " ms for another process compiling " + K.hex() +
                               "; compiling here");
      return std::nullopt;
    }
  }
}

std::optional<Entry>
DiskCache::getOrCompute(const Key &K, EntryKind Kind,
                        const std::function<std::optional<Entry>()> &Compute,
                        Outcome &Result) {
  RemoteCache::noteLocalHit(); // until the remote tier says otherwise
  if (CurrentMode == Mode::Disabled) {
    Result = Outcome::Off;
    return Compute();
  }
  // Probes are not counted; the outcome is, once.
  std::optional<Entry> Found = probe(K, Kind);
  FileHandle Lock; // held until the entry is stored, then released
  if (!Found)
    Found = lockOrWait(K, Kind, Lock);
  if (Found) {
    Result = Outcome::Hit;
    Stats.bump(&CacheStats::Hits);
    return Found;
  }
  Result = Outcome::Miss;
  Stats.bump(&CacheStats::Misses);
  std::optional<Entry> E;
  if (Remote) // fetched or computed under the cluster lease, stored here
    E = Remote->getOrCompute(K, Kind, Compute,
                             [&](const Entry &R) { publish(R); });
  else if ((E = Compute()))
    store(*E);
  return E;
}

std::vector<EntryInfo> DiskCache::list() {
  std::vector<EntryInfo> Out;
  if (Root.empty())
    return Out;
  forEachFanoutFile(Root + "/entries", [&](const std::string &Path,
                                           const std::string &Name) {
    if (!endsWith(Name, EntrySuffix))
      return; // temporary files of writers in flight
    EntryInfo Info;
    Info.Path = Path;
    struct stat St;
    if (::lstat(Path.c_str(), &St) != 0)
      return;
    Info.Size = uint64_t(St.st_size);
    Info.MTime = St.st_mtime;
    if (!Key::fromHex(Name.substr(0, Name.size() - std::strlen(EntrySuffix)),
                      Info.EntryKey))
      Info.Problem = "file name is not a key";
    else if (S_ISLNK(St.st_mode) || !S_ISREG(St.st_mode))
      Info.Problem = "not a regular file";
    if (!Info.Problem.empty()) {
      Out.push_back(Info);
      return;
    }
    std::string Bytes;
    Entry E;
    DecodeError Err = DecodeError::Truncated;
    FileHandle File = FileHandle::openForRead(Path);
    if (File && File.readAll(Bytes, MaxEntrySize) == 0)
      Err = decodeEntry(Bytes, E, &Info.EntryKey);
    if (Err == DecodeError::Ok) {
      Info.Valid = true;
      Info.Kind = E.Kind;
      Info.Descriptor = E.Descriptor;
    } else {
      Info.Problem = decodeErrorName(Err);
    }
    Out.push_back(Info);
  });
  return Out;
}

unsigned DiskCache::verify() {
  unsigned Removed = 0;
  for (const EntryInfo &I : list())
    if (!I.Valid && FS.unlink(I.Path) == 0) {
      ++Removed;
      Stats.bump(&CacheStats::Corrupt);
    }
  // Temporary files of writers that died: never served, only space.
  time_t Now = ::time(nullptr);
  auto RemoveIfStale = [&](const std::string &Path, const std::string &Name) {
    struct stat St;
    if (Name.find(TemporaryMarker) != std::string::npos &&
        ::lstat(Path.c_str(), &St) == 0 && S_ISREG(St.st_mode) &&
        Now - St.st_mtime > StaleTemporaryAge.count())
      (void)FS.unlink(Path);
  };
  forEachFanoutFile(Root + "/entries", RemoveIfStale);
  // Those of stats flushes lie beside DIR/v1/stats.
  DirHandle Top = openDir(Root);
  while (dirent *D = Top ? ::readdir(Top.get()) : nullptr)
    RemoveIfStale(Root + "/" + D->d_name, D->d_name);
  removeStaleLocks();
  return Removed;
}

unsigned DiskCache::removeStaleLocks() {
  if (CurrentMode != Mode::ReadWrite)
    return 0;
  auto Now = std::chrono::system_clock::now();
  return countRemoved(
      Root + "/locks", [&](const std::string &Path, const std::string &Name) {
        // Removed only while we hold it ourselves, so no one is computing the
        // key, and only if older than the lock wait, so a key in use keeps its
        // file; a locker that had opened it sees it gone after its flock and
        // locks a new one (lockPath), so single flight holds.
        FileHandle Lock = FileHandle::openForRead(Path);
        struct stat St;
        if (!endsWith(Name, LockSuffix) || !Lock ||
            FS.flock(Lock.get(), LOCK_EX | LOCK_NB) != 0 ||
            ::fstat(Lock.get(), &St) != 0 || !isFileAt(Lock.get(), Path))
          return false;
        auto MTime = std::chrono::system_clock::from_time_t(St.st_mtime);
        return Now - MTime > Options.LockWait && FS.unlink(Path) == 0;
      });
}

uint64_t DiskCache::totalSize() {
  uint64_t Total = 0;
  if (Root.empty())
    return 0;
  forEachFanoutFile(
      Root + "/entries", [&](const std::string &Path, const std::string &Name) {
        struct stat St;
        if (endsWith(Name, EntrySuffix) && ::lstat(Path.c_str(), &St) == 0)
          Total += uint64_t(St.st_size);
      });
  return Total;
}

unsigned DiskCache::evictTo(uint64_t Target, const std::string &Keep,
                            uint64_t Above) {
  assert(Target <= Above && "evicting to more than the trigger");
  struct File {
    std::string Path;
    uint64_t Size;
    struct timespec MTime;
  };
  std::vector<File> Files;
  uint64_t Total = 0;
  forEachFanoutFile(
      Root + "/entries", [&](const std::string &Path, const std::string &Name) {
        struct stat St;
        if (!endsWith(Name, EntrySuffix) || ::lstat(Path.c_str(), &St) != 0)
          return;
        Files.push_back({Path, uint64_t(St.st_size), St.st_mtim});
        Total += uint64_t(St.st_size);
      });
  if (Total <= Above)
    return 0;
  std::sort(Files.begin(), Files.end(), [](const File &A, const File &B) {
    return A.MTime.tv_sec != B.MTime.tv_sec ? A.MTime.tv_sec < B.MTime.tv_sec
                                            : A.MTime.tv_nsec < B.MTime.tv_nsec;
  });
  unsigned Removed = 0;
  for (const File &F : Files) {
    if (Total <= Target)
      break;
    if (F.Path == Keep)
      continue;
    // Gone already (another process evicting too) counts as freed, or
    // concurrent evictors would each free the whole margin.
    int Err = FS.unlink(F.Path);
    if (Err == 0 || Err == ENOENT)
      Total -= F.Size;
    if (Err == 0) {
      ++Removed;
      Stats.bump(&CacheStats::Evictions);
    }
  }
  return Removed;
}

void DiskCache::enforceLimit(const std::string &Keep) {
  // Lock files are empty but each an inode: they go with the entries.
  if (evictTo(Options.MaxSize / 100 * EvictToPercent, Keep, Options.MaxSize))
    removeStaleLocks();
}

unsigned DiskCache::sweep(const std::function<unsigned()> &Step) {
  if (CurrentMode != Mode::ReadWrite)
    return 0;
  unsigned Removed = Step();
  removeStaleLocks();
  return Removed;
}

unsigned DiskCache::prune(uint64_t MaxSize) {
  return sweep([&] { return evictTo(MaxSize, "", MaxSize); });
}

unsigned DiskCache::clear() {
  return sweep([&] {
    return countRemoved(Root + "/entries",
                        [&](const std::string &Path, const std::string &) {
                          return FS.unlink(Path) == 0;
                        });
  });
}

namespace {
/// The stats file: one "name value" line per counter, in this order.
constexpr std::pair<const char *, uint64_t CacheStats::*> StatFields[] = {
    {"hits", &CacheStats::Hits},
    {"misses", &CacheStats::Misses},
    {"stores", &CacheStats::Stores},
    {"evictions", &CacheStats::Evictions},
    {"corrupt", &CacheStats::Corrupt},
    {"bytes_read", &CacheStats::BytesRead},
    {"bytes_written", &CacheStats::BytesWritten}};
static_assert(sizeof(CacheStats) == std::size(StatFields) * sizeof(uint64_t),
              "every counter is in the stats file");

CacheStats parseStats(const std::string &Text) {
  CacheStats S;
  std::istringstream In(Text);
  std::string Line;
  while (std::getline(In, Line)) {
    size_t Sp = Line.find(' ');
    if (Sp == std::string::npos)
      continue;
    for (const auto &[Name, Field] : StatFields)
      if (Line.compare(0, Sp, Name) == 0)
        S.*Field = std::strtoull(Line.c_str() + Sp + 1, nullptr, 10);
  }
  return S;
}
} // namespace

CacheStats DiskCache::persistentStats() {
  if (Root.empty())
    return {};
  // Written by rename only: a reader sees one whole version, no lock.
  std::string Text;
  FileHandle File = FileHandle::openForRead(Root + "/stats");
  if (File)
    (void)File.readAll(Text, MaxStatsSize);
  return parseStats(Text);
}

void DiskCache::flushStats() {
  if (CurrentMode != Mode::ReadWrite)
    return;
  // Read, add, publish under the file's own flock, so concurrent flushes
  // add up; the new file renamed over it is what the next flusher locks.
  std::string Path = Root + "/stats";
  FileHandle Lock;
  std::string Text;
  if (lockPath(Path, LOCK_EX, Lock, StatsLockAttempts) != 0 ||
      Lock.readAll(Text, MaxStatsSize))
    return;
  CacheStats Total = parseStats(Text);
  CacheStats Mine = stats();
  std::string Out;
  for (const auto &[Name, Field] : StatFields) {
    Total.*Field += Mine.*Field;
    Out += std::string(Name) + " " + std::to_string(Total.*Field) + "\n";
  }
  // Counters are not worth an fsync a process: a power loss may lose the
  // last update, never make the file unreadable.
  AtomicFile File(FS, Path, AtomicFile::Sync::NotDurable);
  if (File.write(Out) != 0 || File.commit() != 0)
    return;
  Stats.update([&](CacheStats &S) {
    for (const auto &[Name, Field] : StatFields)
      S.*Field -= Mine.*Field;
  });
}

} // namespace lcs::cache
