//===- Toolkit.h - Where the CUDA toolkit's pieces are ----------*- C++ -*-===//
///
/// \file
/// The one place that finds the CUDA toolkit's pieces lcs uses (libdevice,
/// nvJitLink, ptxas) and names them for cache keys. No LLVM: the host side
/// computes variant keys from these without loading the compiler.
///
/// Lookup order, the same for every piece:
///
///   1. a path given explicitly: $LCS_LIBDEVICE (libdevice's .bc file),
///      $LCS_NVJITLINK (the libnvJitLink.so.N file). The Python package
///      sets them from cuda.pathfinder (pip-installed toolkits), as
///      numba-cuda finds them, unless they are set already;
///   2. the toolkit root $CUDA_HOME, else $CUDA_PATH;
///   3. /usr/local/cuda.
///
/// ptxas, the fallback assembler, is looked for under the root's bin/,
/// then on PATH. Each lookup happens once per process; a worker inherits
/// the environment of the process that started it, so both agree.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_COMPILE_TOOLKIT_H
#define LCS_COMPILE_TOOLKIT_H

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace lcs {

/// The CUDA toolkit root: $CUDA_HOME, $CUDA_PATH, else /usr/local/cuda.
std::string cudaRoot();

/// libdevice: $LCS_LIBDEVICE, else under cudaRoot() (it may not exist).
std::string libdevicePath();

/// XXH3 of libdevice's bytes, computed once per process ("" if absent):
/// what variant keys carry for it.
const std::string &libdeviceDigest();

/// The nvJitLink library: $LCS_NVJITLINK, else the one under cudaRoot()
/// (NvJitLink::path); "" when there is none.
const std::string &nvJitLinkPath();

/// ptxas under cudaRoot()/bin, else on PATH; "" when there is none.
const std::string &ptxasPath();

/// What assemblePTX uses, for cache keys: "nvJitLink 13.0 xxh3 <digest>"
/// or "ptxas <its --version line> xxh3 <digest>", the same for the same
/// toolkit build wherever and whenever it was installed (a shared cache
/// tier relies on it); empty if neither is found. Computed once per
/// process by identifyAssembler() with the memo under the directory given
/// to setAssemblerMemoDir(), else cache::defaultCacheDir().
std::string assemblerIdentity();

/// The identity of the assembler program or library at \p Path:
/// "<Name> <Version()> xxh3 <digest of its bytes>" ("version-unknown" when
/// Version() is empty). Reading and digesting a large library, and asking
/// its version, happen once per (path, size, mtime): the answer is
/// memoised for the process and, when \p MemoDir is not empty, on disk in
/// `<MemoDir>/assembler/` (published atomically; a fresh process reads it
/// back instead of digesting again). Empty if \p Path is not a readable
/// regular file.
std::string identifyAssembler(std::string_view Name, const std::string &Path,
                              const std::function<std::string()> &Version,
                              const std::string &MemoDir);

/// The cache directory whose `assembler/` memo assemblerIdentity() uses;
/// empty keeps the memo in memory only. Takes effect if called before the
/// first assemblerIdentity().
void setAssemblerMemoDir(const std::string &CacheDir);

/// Forgets the identities memoised in memory (the disk memo stays), for
/// tests of the disk memo.
void forgetAssemblerIdentities();

/// Creates \p Path and its missing parents (0700, as the cache's own
/// directories) for a memo under the cache directory; false if it cannot.
bool makeMemoDirectory(const std::string &Path);

/// True if assemblePTX can produce cubins here.
bool canAssemble();

/// The highest PTX ISA version lcs emits: what CUDA 13's ptxas and
/// nvJitLink accept, as LLVM's number (90 is PTX 9.0).
constexpr unsigned MaxPTXVersion = 90;

/// The target probe's schema (TargetCheck.h), bumped when the probe
/// module's shape changes: old answers then miss.
inline constexpr const char *PTXProbeSchema = "lcs-probe 1";

/// What goes into a variant key for the PTX version: the policy, not the
/// number. The number is a function of the key's other parts (source,
/// kernel, target, LLVM version) and this policy, and is only known after
/// the module is parsed, which a cache hit must not need.
std::string ptxVersionPolicy();

/// CUDA 13's NVPTX targets (ptxas --help, "Allowed values"), sm_75 and
/// newer. knownTargets() (TargetCheck.h) is those LLVM 22 also knows.
const std::vector<std::string> &cudaTargets();

/// The exact target for a device of compute capability \p Major.\p Minor:
/// the arch-specific one where the device has one that CUDA 13 knows (9.0:
/// sm_90a, 10.0: sm_100a, 10.3: sm_103a, 11.0: sm_110a, 12.0: sm_120a,
/// 12.1: sm_121a), else sm_XY. Code for sm_XYa runs only on XY devices,
/// which is what the runtime compiles for. LLVM 22 knows every one of
/// them (TargetCheckTest checks), so the runtime decides without LLVM.
std::string archForDevice(int Major, int Minor);

/// The LLVM that compiles: its version, fixed when lcs is configured, so
/// that keys are computed without loading it.
const char *llvmVersion();

} // namespace lcs

#endif // LCS_COMPILE_TOOLKIT_H
