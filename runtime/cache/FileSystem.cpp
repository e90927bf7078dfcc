//===- FileSystem.cpp - The I/O seam of the cache -------------------------===//

#include "lcs/cache/FileSystem.h"

#include <cerrno>
#include <fcntl.h>
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

FileSystem &FileSystem::posix() {
  static FileSystem *Instance = new FileSystem();
  return *Instance;
}

} // namespace lcs::cache
