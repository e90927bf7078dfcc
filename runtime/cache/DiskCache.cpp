//===- DiskCache.cpp - The content-addressed disk cache -------------------===//
//
// See DiskCache.h for the layout and guarantees.
//
//===----------------------------------------------------------------------===//

#include "lcs/cache/DiskCache.h"
#include "lcs/Log.h"

#include <algorithm>
#include <cctype>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <random>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <ctime>
#include <unistd.h>

namespace lcs::cache {

namespace {

constexpr const char *EntrySuffix = ".lcse";
constexpr uint64_t MaxEntrySize = uint64_t(1) << 30;

std::string errnoText(int E) { return std::strerror(E); }

/// Reads all of \p Fd.
int readAll(int Fd, std::string &Out, uint64_t Size) {
  Out.resize(Size);
  size_t Done = 0;
  while (Done < Size) {
    ssize_t N = ::read(Fd, Out.data() + Done, Size - Done);
    if (N < 0) {
      if (errno == EINTR)
        continue;
      return errno;
    }
    if (N == 0)
      break;
    Done += size_t(N);
  }
  Out.resize(Done);
  return 0;
}

/// Entry files under DIR/v1/entries, one level of fan-out.
template <class F> void forEachEntryFile(const std::string &Entries, F Visit) {
  DIR *Top = ::opendir(Entries.c_str());
  if (!Top)
    return;
  while (dirent *D = ::readdir(Top)) {
    std::string Name = D->d_name;
    // Fan-out directories are two hex digits (and ".." is not one).
    if (Name.size() != 2 || !std::isxdigit((unsigned char)Name[0]) ||
        !std::isxdigit((unsigned char)Name[1]))
      continue;
    std::string Sub = Entries + "/" + Name;
    DIR *Dir = ::opendir(Sub.c_str());
    if (!Dir)
      continue;
    while (dirent *E = ::readdir(Dir)) {
      std::string File = E->d_name;
      if (File == "." || File == "..")
        continue;
      Visit(Sub + "/" + File, File);
    }
    ::closedir(Dir);
  }
  ::closedir(Top);
}

bool endsWith(const std::string &S, const char *Suffix) {
  size_t N = std::strlen(Suffix);
  return S.size() >= N && S.compare(S.size() - N, N, Suffix) == 0;
}

std::string uniqueSuffix() {
  static std::atomic<unsigned> Counter{0};
  static thread_local std::mt19937_64 Rng{std::random_device{}()};
  char Buf[64];
  std::snprintf(Buf, sizeof Buf, ".tmp.%d.%u.%llx", int(::getpid()),
                Counter++, (unsigned long long)Rng());
  return Buf;
}

} // namespace

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
  uint64_t Size = uint64_t(1) << 30;
  if (const char *S = std::getenv("LCS_CACHE_MAX_SIZE"); S && *S)
    if (!parseSize(S, Size)) {
      Valid = false;
      Size = uint64_t(1) << 30;
    }
  return Size;
}

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
    CurrentMode = Mode::ReadOnly;
    warnOnce("readonly", "cache directory " + Options.Dir +
                             " is read-only: serving hits, storing nothing");
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

void DiskCache::bump(uint64_t CacheStats::*Counter, uint64_t By) {
  std::lock_guard<std::mutex> L(StateMutex);
  Stats.*Counter += By;
}

CacheStats DiskCache::stats() const {
  std::lock_guard<std::mutex> L(StateMutex);
  return Stats;
}

const char *DiskCache::outcomeName(Outcome O) {
  switch (O) {
  case Outcome::Hit:
    return "hit";
  case Outcome::Miss:
    return "miss";
  case Outcome::Off:
    return "off";
  }
  return "off";
}

void DiskCache::warnOnce(const std::string &Kind, const std::string &Msg) {
  {
    std::lock_guard<std::mutex> L(StateMutex);
    if (std::find(Warned.begin(), Warned.end(), Kind) != Warned.end())
      return;
    Warned.push_back(Kind);
  }
  if (Options.Warn)
    Options.Warn(Msg);
  else if (log::enabled(log::Level::Warning))
    log::write(log::Level::Warning, Msg);
}

void DiskCache::disable(const std::string &Why) {
  CurrentMode = Mode::Disabled;
  warnOnce("disabled", Why + "; continuing without the cache");
}

bool DiskCache::checkDirectory(const std::string &Path, bool Create) {
  struct stat St;
  if (::lstat(Path.c_str(), &St) != 0) {
    if (errno != ENOENT || !Create) {
      disable("cache directory " + Path + ": " + errnoText(errno));
      return false;
    }
    // Create missing parents too (mkdir -p), each 0700.
    size_t Slash = Path.find('/', 1);
    while (Slash != std::string::npos) {
      FS.mkdir(Path.substr(0, Slash), 0700);
      Slash = Path.find('/', Slash + 1);
    }
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
    disable("cache directory " + Path +
            " is writable by group or others (mode " +
            std::to_string(St.st_mode & 0777) + " octal " +
            [&] {
              char B[8];
              std::snprintf(B, sizeof B, "%03o", unsigned(St.st_mode & 0777));
              return std::string(B);
            }() +
            ")");
    return false;
  }
  return true;
}

std::string DiskCache::entryPath(const Key &K) const {
  std::string Hex = K.hex();
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
    if (E == EROFS || E == EACCES) {
      CurrentMode = Mode::ReadOnly;
      warnOnce("readonly", "cache directory " + Options.Dir +
                               " is read-only: serving hits, storing nothing");
    } else {
      warnOnce("write", "cannot write to the cache: mkdir " + Dir + ": " +
                            errnoText(E));
      CurrentMode = Mode::ReadOnly;
    }
    return false;
  }
  return true;
}

std::optional<Entry> DiskCache::lookup(const Key &K, EntryKind Kind) {
  std::optional<Entry> E = probe(K, Kind);
  bump(E ? &CacheStats::Hits : &CacheStats::Misses);
  if (Remote) // a local miss asks the remote tier
    return Remote->readThrough(K, Kind, std::move(E),
                               [&](const Entry &R) { store(R); });
  return E;
}

std::optional<Entry> DiskCache::probe(const Key &K, EntryKind Kind) {
  if (CurrentMode == Mode::Disabled)
    return std::nullopt;
  std::string Path = entryPath(K);
  int Fd = ::open(Path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (Fd < 0) {
    if (errno == ELOOP) {
      disable("cache entry " + Path + " is a symbolic link");
      return std::nullopt;
    }
    return std::nullopt;
  }
  struct stat St;
  std::string Bytes;
  DecodeError Err = DecodeError::Truncated;
  Entry E;
  if (::fstat(Fd, &St) == 0 && S_ISREG(St.st_mode) &&
      uint64_t(St.st_size) <= MaxEntrySize &&
      readAll(Fd, Bytes, uint64_t(St.st_size)) == 0)
    Err = decodeEntry(Bytes, E, &K, &Kind);
  if (Err != DecodeError::Ok) {
    ::close(Fd);
    bump(&CacheStats::Corrupt);
    if (CurrentMode == Mode::ReadWrite)
      FS.unlink(Path);
    return std::nullopt;
  }
  if (CurrentMode == Mode::ReadWrite)
    FS.touch(Fd);
  ::close(Fd);
  bump(&CacheStats::BytesRead, Bytes.size());
  return E;
}

bool DiskCache::store(const Entry &E) {
  if (CurrentMode != Mode::ReadWrite)
    return false;
  std::string Dir;
  if (!ensureFanout("entries", E.EntryKey, Dir))
    return false;
  std::string Path = entryPath(E.EntryKey);
  std::string Tmp = Path + uniqueSuffix();
  std::string Bytes = encodeEntry(E);

  int Fd = -1;
  const char *Step = "open";
  int Err = FS.open(Tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    0600, Fd);
  if (!Err) {
    Step = "write";
    Err = FS.writeAll(Fd, Bytes.data(), Bytes.size());
    if (!Err) {
      Step = "fsync";
      Err = FS.fsync(Fd);
    }
    int CloseErr = FS.close(Fd);
    if (!Err && CloseErr) {
      Step = "close";
      Err = CloseErr;
    }
    if (!Err) {
      Step = "rename";
      Err = FS.rename(Tmp, Path);
    }
    if (Err)
      FS.unlink(Tmp);
  }
  if (Err) {
    if (Err == EROFS || Err == EACCES) {
      CurrentMode = Mode::ReadOnly;
      warnOnce("readonly", "cache directory " + Options.Dir +
                               " is read-only: serving hits, storing nothing");
    } else {
      // A full or failing disk: stop trying for this process.
      CurrentMode = Mode::ReadOnly;
      warnOnce("write", std::string("cannot write to the cache (") + Step +
                            ": " + errnoText(Err) +
                            "); continuing without storing");
    }
    return false;
  }
  bump(&CacheStats::Stores);
  bump(&CacheStats::BytesWritten, Bytes.size());
  enforceLimit(Path);
  return true;
}

std::optional<Entry>
DiskCache::getOrCompute(const Key &K, EntryKind Kind,
                        const std::function<std::optional<Entry>()> &Compute,
                        Outcome &Result) {
  if (CurrentMode == Mode::Disabled) {
    Result = Outcome::Off;
    return Compute();
  }
  // Probes below are not counted; the outcome is, once.
  auto Hit = [&](std::optional<Entry> E) {
    Result = Outcome::Hit;
    bump(&CacheStats::Hits);
    if (Remote)
      RemoteCache::noteLocalHit();
    return E;
  };
  if (std::optional<Entry> E = probe(K, Kind))
    return Hit(std::move(E));
  Result = Outcome::Miss;
  bump(&CacheStats::Misses);
  int LockFd = -1;
  std::string LockDir;
  if (CurrentMode == Mode::ReadWrite && ensureFanout("locks", K, LockDir)) {
    std::string LockPath = LockDir + "/" + K.hex() + ".lock";
    LockFd = ::open(LockPath.c_str(),
                    O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (LockFd < 0 && errno == ELOOP)
      disable("cache lock " + LockPath + " is a symbolic link");
  }
  if (LockFd >= 0) {
    auto Deadline = std::chrono::steady_clock::now() + Options.LockWait;
    auto Pause = std::chrono::milliseconds(1);
    while (::flock(LockFd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        ::close(LockFd);
        LockFd = -1;
        break;
      }
      // Someone else is computing this key: wait for their entry.
      std::this_thread::sleep_for(Pause);
      Pause = std::min(Pause * 2, std::chrono::milliseconds(50));
      if (std::optional<Entry> E = probe(K, Kind)) {
        ::close(LockFd);
        bump(&CacheStats::Misses, uint64_t(-1));
        return Hit(std::move(E));
      }
      if (std::chrono::steady_clock::now() > Deadline) {
        warnOnce("lockwait", "waited " +
                                 std::to_string(Options.LockWait.count()) +
                                 " ms for another process compiling " +
                                 K.hex() + "; compiling here");
        ::close(LockFd);
        LockFd = -1;
        break;
      }
    }
    // Holding the lock: the previous holder may have just stored it.
    if (LockFd >= 0)
      if (std::optional<Entry> E = probe(K, Kind)) {
        ::close(LockFd);
        bump(&CacheStats::Misses, uint64_t(-1));
        return Hit(std::move(E));
      }
  }
  std::optional<Entry> E;
  if (Remote) // fetched or computed under the cluster lease, stored here
    E = Remote->getOrCompute(K, Kind, Compute,
                             [&](const Entry &R) { store(R); });
  else if ((E = Compute()))
    store(*E);
  if (LockFd >= 0)
    ::close(LockFd); // releases the flock
  return E;
}

std::vector<EntryInfo> DiskCache::list() {
  std::vector<EntryInfo> Out;
  if (Root.empty())
    return Out;
  forEachEntryFile(Root + "/entries", [&](const std::string &Path,
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
    Key Expected;
    if (!Key::fromHex(Name.substr(0, Name.size() - std::strlen(EntrySuffix)),
                      Expected)) {
      Info.Problem = "file name is not a key";
      Out.push_back(Info);
      return;
    }
    if (S_ISLNK(St.st_mode) || !S_ISREG(St.st_mode)) {
      Info.Problem = "not a regular file";
      Out.push_back(Info);
      return;
    }
    int Fd = ::open(Path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    std::string Bytes;
    Entry E;
    DecodeError Err = DecodeError::Truncated;
    if (Fd >= 0) {
      if (Info.Size <= MaxEntrySize && readAll(Fd, Bytes, Info.Size) == 0)
        Err = decodeEntry(Bytes, E, &Expected);
      ::close(Fd);
    }
    Info.EntryKey = Expected;
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
      bump(&CacheStats::Corrupt);
    }
  // Temporary files of writers that died (a live writer renames its file
  // within seconds): never served, only space, removed after 10 minutes.
  time_t Now = ::time(nullptr);
  forEachEntryFile(Root + "/entries",
                   [&](const std::string &Path, const std::string &Name) {
                     struct stat St;
                     if (Name.find(".tmp.") != std::string::npos &&
                         ::lstat(Path.c_str(), &St) == 0 &&
                         Now - St.st_mtime > 600)
                       FS.unlink(Path);
                   });
  return Removed;
}

uint64_t DiskCache::totalSize() {
  uint64_t Total = 0;
  if (Root.empty())
    return 0;
  forEachEntryFile(Root + "/entries",
                   [&](const std::string &Path, const std::string &Name) {
                     struct stat St;
                     if (endsWith(Name, EntrySuffix) &&
                         ::lstat(Path.c_str(), &St) == 0)
                       Total += uint64_t(St.st_size);
                   });
  return Total;
}

unsigned DiskCache::evictTo(uint64_t Target, const std::string &Keep,
                            uint64_t Above) {
  struct File {
    std::string Path;
    uint64_t Size;
    struct timespec MTime;
  };
  std::vector<File> Files;
  uint64_t Total = 0;
  forEachEntryFile(Root + "/entries",
                   [&](const std::string &Path, const std::string &Name) {
                     struct stat St;
                     if (!endsWith(Name, EntrySuffix) ||
                         ::lstat(Path.c_str(), &St) != 0)
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
      bump(&CacheStats::Evictions);
    }
  }
  return Removed;
}

void DiskCache::enforceLimit(const std::string &Keep) {
  evictTo(Options.MaxSize / 10 * 9, Keep, Options.MaxSize);
}

unsigned DiskCache::prune(uint64_t MaxSize) {
  if (CurrentMode != Mode::ReadWrite)
    return 0;
  return evictTo(MaxSize, "", MaxSize);
}

unsigned DiskCache::clear() {
  if (CurrentMode != Mode::ReadWrite)
    return 0;
  unsigned Removed = 0;
  forEachEntryFile(Root + "/entries",
                   [&](const std::string &Path, const std::string &) {
                     if (FS.unlink(Path) == 0)
                       ++Removed;
                   });
  forEachEntryFile(Root + "/locks",
                   [&](const std::string &Path, const std::string &) {
                     FS.unlink(Path);
                   });
  return Removed;
}

namespace {
constexpr const char *StatNames[] = {"hits",    "misses",        "stores",
                                     "evictions", "corrupt",     "bytes_read",
                                     "bytes_written"};

uint64_t *statSlot(CacheStats &S, unsigned I) {
  uint64_t *Slots[] = {&S.Hits,    &S.Misses,    &S.Stores,      &S.Evictions,
                       &S.Corrupt, &S.BytesRead, &S.BytesWritten};
  return Slots[I];
}

CacheStats parseStats(const std::string &Text) {
  CacheStats S;
  size_t Pos = 0;
  while (Pos < Text.size()) {
    size_t End = Text.find('\n', Pos);
    if (End == std::string::npos)
      End = Text.size();
    std::string Line = Text.substr(Pos, End - Pos);
    Pos = End + 1;
    size_t Sp = Line.find(' ');
    if (Sp == std::string::npos)
      continue;
    for (unsigned I = 0; I != 7; ++I)
      if (Line.compare(0, Sp, StatNames[I]) == 0)
        *statSlot(S, I) = std::strtoull(Line.c_str() + Sp + 1, nullptr, 10);
  }
  return S;
}
} // namespace

CacheStats DiskCache::persistentStats() {
  if (Root.empty())
    return {};
  int Fd = ::open((Root + "/stats").c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (Fd < 0)
    return {};
  ::flock(Fd, LOCK_SH);
  struct stat St;
  std::string Text;
  if (::fstat(Fd, &St) == 0 && St.st_size < (1 << 16))
    readAll(Fd, Text, uint64_t(St.st_size));
  ::close(Fd);
  return parseStats(Text);
}

void DiskCache::flushStats() {
  if (CurrentMode != Mode::ReadWrite)
    return;
  int Fd = ::open((Root + "/stats").c_str(),
                  O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (Fd < 0)
    return;
  if (::flock(Fd, LOCK_EX) == 0) {
    struct stat St;
    std::string Text;
    if (::fstat(Fd, &St) == 0 && St.st_size < (1 << 16))
      readAll(Fd, Text, uint64_t(St.st_size));
    CacheStats Total = parseStats(Text);
    CacheStats Mine = stats();
    std::string Out;
    for (unsigned I = 0; I != 7; ++I) {
      *statSlot(Total, I) += *statSlot(Mine, I);
      Out += std::string(StatNames[I]) + " " +
             std::to_string(*statSlot(Total, I)) + "\n";
    }
    if (::ftruncate(Fd, 0) == 0 &&
        ::pwrite(Fd, Out.data(), Out.size(), 0) == ssize_t(Out.size())) {
      std::lock_guard<std::mutex> L(StateMutex);
      for (unsigned I = 0; I != 7; ++I)
        *statSlot(Stats, I) -= *statSlot(Mine, I);
    }
  }
  ::close(Fd);
}

} // namespace lcs::cache
