//===- FileSystem.h - The I/O seam of the cache -----------------*- C++ -*-===//
///
/// \file
/// Every call through which the cache changes the file system or takes a
/// lock goes through this interface, so tests can make any step fail
/// (ENOSPC on write, EIO on fsync, a failed rename) or stop a process
/// between steps. Each method returns 0 or an errno value; none throws.
/// Reads (open read-only, stat) need no seam and go to POSIX directly.
///
/// FileHandle owns one descriptor; AtomicFile publishes one file whole or
/// not at all.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CACHE_FILESYSTEM_H
#define LCS_CACHE_FILESYSTEM_H

#include <cstddef>
#include <string>
#include <string_view>
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
  /// flock(2); a blocking request is retried on EINTR.
  virtual int flock(int Fd, int Operation);

  /// The process-wide POSIX implementation.
  static FileSystem &posix();
};

/// One open descriptor, closed through its FileSystem when the handle goes.
class FileHandle {
public:
  FileHandle() = default;
  FileHandle(FileSystem &FS, int Fd) : FS(&FS), Fd(Fd) {}
  FileHandle(FileHandle &&O) noexcept : FS(O.FS), Fd(O.release()) {}
  FileHandle &operator=(FileHandle &&O) noexcept;
  FileHandle(const FileHandle &) = delete;
  FileHandle &operator=(const FileHandle &) = delete;
  ~FileHandle() { (void)close(); }

  /// Opens \p Path through \p FS into \p Out; 0 or an errno value.
  static int open(FileSystem &FS, const std::string &Path, int Flags,
                  mode_t Mode, FileHandle &Out);
  /// Opens \p Path for reading, outside the seam (reads change nothing).
  static FileHandle openForRead(const std::string &Path);

  explicit operator bool() const { return Fd >= 0; }
  int get() const { return Fd; }
  /// Closes now; 0 or the errno of close(2), which a writer must check
  /// (the data may fail to reach the disk only there).
  int close();
  int release() {
    int F = Fd;
    Fd = -1;
    return F;
  }

  /// Reads the whole file (at most \p Limit bytes, else EFBIG) into \p Out.
  int readAll(std::string &Out, size_t Limit) const;

private:
  FileSystem *FS = nullptr;
  int Fd = -1;
};

/// A file published whole or not at all, as ccache's AtomicFile: a unique
/// temporary file in the target's directory (so rename(2) is atomic),
/// written, fsynced, closed and renamed over the target, every result
/// checked. Destroyed without a successful commit(), it removes the
/// temporary file. Readers of the target need no lock.
class AtomicFile {
public:
  /// Whether commit() fsyncs: Durable for data that must survive a power
  /// loss whole; NotDurable where losing the last update is harmless and
  /// the fsync would cost more than the data is worth (counters).
  enum class Sync { Durable, NotDurable };

  AtomicFile(FileSystem &FS, std::string Path, Sync S = Sync::Durable);
  ~AtomicFile();
  AtomicFile(const AtomicFile &) = delete;
  AtomicFile &operator=(const AtomicFile &) = delete;

  /// Appends \p Bytes, opening the temporary file on first use.
  int write(std::string_view Bytes);
  /// fsync (if Durable), close, rename over the target.
  int commit();
  /// The step that failed ("open", "write", "fsync", "close", "rename").
  const char *failedStep() const { return Step; }

private:
  FileSystem &FS;
  std::string Path, TempPath;
  Sync Durability;
  FileHandle File;
  const char *Step = "open";
  bool Created = false, Committed = false;
};

/// A name for a temporary file beside \p Path, unique across processes
/// and threads: "PATH.tmp.PID.COUNTER.RANDOM".
std::string temporaryPathFor(const std::string &Path);

/// Marks the temporary files that temporaryPathFor() makes.
inline constexpr const char *TemporaryMarker = ".tmp.";

} // namespace lcs::cache

#endif // LCS_CACHE_FILESYSTEM_H
