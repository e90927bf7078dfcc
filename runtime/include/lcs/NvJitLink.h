//===- lcs/NvJitLink.h - The toolkit's nvJitLink, loaded at run time -*- C++ -*-===//
///
/// \file
/// nvJitLink assembles PTX to a cubin in-process, without starting ptxas
/// (which costs more than the assembly itself on small kernels). lcs's
/// code generator and lcs-bench's libNVVM baseline both take it from here,
/// so they use the same library found the same way.
///
/// Lookup: <CUDA root>/lib64/libnvJitLink.so.13, then <CUDA root>/lib/...;
/// the first that exists is the one. Finding it does not load it (a cache
/// key needs only its identity, and a cache hit must not pay for dlopen).
/// A library that exists but cannot be loaded, or lacks an entry point, is
/// an error naming it, never a silent fall-back to something else.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_NVJITLINK_H
#define LCS_NVJITLINK_H

#include <cstddef>
#include <string>
#include <vector>

namespace lcs {

/// nvJitLink's entry points, with its own signatures (handles as void *,
/// nvJitLinkResult as int).
struct NvJitLink {
  int (*Create)(void **, unsigned, const char **);
  int (*AddData)(void *, int, const void *, size_t, const char *);
  int (*Complete)(void *);
  int (*GetLinkedCubinSize)(void *, size_t *);
  int (*GetLinkedCubin)(void *, void *);
  int (*GetErrorLogSize)(void *, size_t *);
  int (*GetErrorLog)(void *, char *);
  int (*Destroy)(void **);
  /// nvJitLinkVersion(major, minor); null where the library lacks it
  /// (older than 12.3): failure messages and cache keys then do without.
  int (*Version)(unsigned *, unsigned *) = nullptr;

  /// The path of the library under \p CudaRoot, or "" when there is none.
  /// Looked up once per process (the first root asked for counts).
  static const std::string &path(const std::string &CudaRoot);

  /// The loaded library, loaded once per process and never unloaded. Null
  /// when there is none (\p Why empty) or when the one there is unusable
  /// (\p Why = "PATH: <reason>").
  static const NvJitLink *get(const std::string &CudaRoot, std::string &Why);
  /// The same for the library at \p Path ("": none); the first call's
  /// library is the process's (lcs::nvJitLinkPath() decides which).
  static const NvJitLink *load(const std::string &Path, std::string &Why);

  /// What a link gave.
  enum class LinkResult { Ok, CreateFailed, LinkFailed };
  /// One input: an NVJITLINK_INPUT_* type, its bytes and its name.
  struct Part {
    int Type;
    const void *Data;
    size_t Size;
    const char *Name;
  };
  /// Why a link failed: the nvJitLinkResult of the call that failed, and
  /// the part it was adding (npos: completing the link).
  struct Failure {
    int Result = 0;
    size_t Part = size_t(-1);
  };
  /// Links \p Parts with \p Options ("-arch=sm_90", "-O3", "-lto", ...)
  /// into \p Cubin; on LinkFailed, \p Log holds nvJitLink's error log and
  /// \p Why the failing call. Every result is checked: a failure is an
  /// answer, never an abort.
  LinkResult link(const std::vector<Part> &Parts,
                  const std::vector<const char *> &Options, std::string &Cubin,
                  std::string &Log, Failure &Why) const;
  /// link() of one PTX module.
  LinkResult linkPTX(const std::string &PTX,
                     const std::vector<const char *> &Options,
                     std::string &Cubin, std::string &Log) const;
  /// "13.0", or "" when the library does not say.
  std::string version() const;
};

} // namespace lcs

#endif // LCS_NVJITLINK_H
