//===- FileSystem.cpp - The I/O seam of the cache -------------------------===//

#include "lcs/cache/FileSystem.h"

#include <atomic>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <random>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lcs::cache {

FileSystem::~FileSystem() = default;

int FileSystem::open(const std::string &Path, int Flags, mode_t Mode,
                     int &Fd) {
  do
    Fd = ::open(Path.c_str(), Flags, Mode);
  while (Fd < 0 && errno == EINTR);
  return Fd < 0 ? errno : 0;
}

int FileSystem::writeAll(int Fd, const void *Bytes, size_t Size) {
  const char *P = static_cast<const char *>(Bytes);
  while (Size) {
    ssize_t N = ::write(Fd, P, Size);
    if (N < 0) {
      if (errno == EINTR)
        continue;
      return errno;
    }
    if (N == 0)
      return EIO;
    P += N;
    Size -= size_t(N);
  }
  return 0;
}

int FileSystem::fsync(int Fd) { return ::fsync(Fd) ? errno : 0; }

int FileSystem::close(int Fd) { return ::close(Fd) ? errno : 0; }

int FileSystem::rename(const std::string &From, const std::string &To) {
  return ::rename(From.c_str(), To.c_str()) ? errno : 0;
}

int FileSystem::unlink(const std::string &Path) {
  return ::unlink(Path.c_str()) ? errno : 0;
}

int FileSystem::mkdir(const std::string &Path, mode_t Mode) {
  return ::mkdir(Path.c_str(), Mode) ? errno : 0;
}

int FileSystem::touch(int Fd) {
  struct timespec Times[2];
  Times[0].tv_nsec = UTIME_OMIT; // access time: left alone
  Times[1].tv_nsec = UTIME_NOW;  // modification time: the recency
  return ::futimens(Fd, Times) ? errno : 0;
}

int FileSystem::flock(int Fd, int Operation) {
  int R;
  do
    R = ::flock(Fd, Operation);
  while (R != 0 && errno == EINTR && !(Operation & LOCK_NB));
  return R ? errno : 0;
}

FileSystem &FileSystem::posix() {
  static FileSystem *Instance = new FileSystem();
  return *Instance;
}

FileHandle &FileHandle::operator=(FileHandle &&O) noexcept {
  if (this != &O) {
    (void)close();
    FS = O.FS;
    Fd = O.release();
  }
  return *this;
}

int FileHandle::open(FileSystem &FS, const std::string &Path, int Flags,
                     mode_t Mode, FileHandle &Out) {
  int Fd = -1;
  if (int E = FS.open(Path, Flags, Mode, Fd))
    return E;
  Out = FileHandle(FS, Fd);
  return 0;
}

FileHandle FileHandle::openForRead(const std::string &Path) {
  int Fd;
  do
    Fd = ::open(Path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  while (Fd < 0 && errno == EINTR);
  return FileHandle(FileSystem::posix(), Fd);
}

int FileHandle::close() {
  if (Fd < 0)
    return 0;
  assert(FS && "an open handle has a file system");
  return FS->close(release());
}

int FileHandle::readAll(std::string &Out, size_t Limit) const {
  struct stat St;
  if (::fstat(Fd, &St) != 0)
    return errno;
  if (!S_ISREG(St.st_mode))
    return EINVAL;
  if (uint64_t(St.st_size) > Limit)
    return EFBIG;
  // The size is a hint: a file that shrinks or grows meanwhile reads as
  // what was there, which the reader's checks then judge.
  Out.resize(size_t(St.st_size));
  size_t Done = 0;
  while (Done < Out.size()) {
    ssize_t N = ::read(Fd, Out.data() + Done, Out.size() - Done);
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

std::string temporaryPathFor(const std::string &Path) {
  static std::atomic<unsigned> Counter{0};
  static thread_local std::mt19937_64 Rng{std::random_device{}()};
  char Buf[64];
  std::snprintf(Buf, sizeof Buf, "%s%d.%u.%llx", TemporaryMarker,
                int(::getpid()), Counter++, (unsigned long long)Rng());
  return Path + Buf;
}

AtomicFile::AtomicFile(FileSystem &FS, std::string Target, Sync S)
    : FS(FS), Path(std::move(Target)), TempPath(temporaryPathFor(Path)),
      Durability(S) {}

AtomicFile::~AtomicFile() {
  if (Committed)
    return;
  (void)File.close();
  // Only a file this object created is removed: the name is unique, but
  // if O_EXCL failed it is not ours.
  if (Created)
    (void)FS.unlink(TempPath);
}

int AtomicFile::write(std::string_view Bytes) {
  assert(!Committed && "write after commit");
  if (!File) {
    Step = "open";
    if (int E = FileHandle::open(
            FS, TempPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
            0600, File))
      return E;
    Created = true;
  }
  Step = "write";
  if (int E = FS.writeAll(File.get(), Bytes.data(), Bytes.size()))
    return E;
  return 0;
}

int AtomicFile::commit() {
  assert(!Committed && "commit twice");
  if (!File)
    if (int E = write({}))
      return E;
  if (Durability == Sync::Durable) {
    Step = "fsync";
    if (int E = FS.fsync(File.get()))
      return E;
  }
  Step = "close";
  if (int E = File.close())
    return E;
  Step = "rename";
  if (int E = FS.rename(TempPath, Path))
    return E;
  Committed = true;
  return 0;
}

} // namespace lcs::cache
