//===- FileSystem.h - The I/O seam of the cache -----------------*- C++ -*-===//
///
/// \file
/// Every call through which the cache changes the file system goes through
/// this interface, so tests can make any step fail (ENOSPC on write, EIO on
/// fsync, a failed rename) or stop a writer between steps. Each method
/// returns 0 or an errno value; none throws.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CACHE_FILESYSTEM_H
#define LCS_CACHE_FILESYSTEM_H

#include <cstddef>
#include <string>
#include <sys/types.h>

namespace lcs::cache {

class FileSystem {
public:
  virtual ~FileSystem();

  /// open(2); on success \p Fd is set.
  virtual int open(const std::string &Path, int Flags, mode_t Mode, int &Fd);
  /// Writes all of \p Bytes (retrying short writes).
  virtual int writeAll(int Fd, const void *Bytes, size_t Size);
  virtual int fsync(int Fd);
  virtual int close(int Fd);
  virtual int rename(const std::string &From, const std::string &To);
  virtual int unlink(const std::string &Path);
  virtual int mkdir(const std::string &Path, mode_t Mode);
  /// Sets the modification time of \p Fd to now (the LRU recency).
  virtual int touch(int Fd);

  /// The process-wide POSIX implementation.
  static FileSystem &posix();
};

} // namespace lcs::cache

#endif // LCS_CACHE_FILESYSTEM_H
