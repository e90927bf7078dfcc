//===- TargetCheck.h - Intrinsics against the target, PTX version -*- C++
//-*-===//
///
/// \file
/// The NVPTX backend answers an intrinsic the target lacks with
/// `LLVM ERROR: Cannot select`, which aborts the process. lcs compiles
/// inside its users' processes, so every intrinsic call is checked against
/// the target before code generation and a misfit is a one-line error:
///
///   k.ll: intrinsic llvm.nvvm.wgmma.commit_group.sync.aligned (called from
///   'matmul') is not available on sm_90; targets that have it: sm_90a
///
/// How: llvm-22-dev does not ship the NVPTX .td files that hold the SM/PTX
/// predicates, and some checks live only in C++ lowering code, so the
/// answer comes from instruction selection itself. Each distinct call
/// (intrinsic, exact overloaded type, immediate arguments) becomes a tiny
/// module compiled to PTX in a forked child; the child dies instead of the
/// caller. Answers are cached per (call, target, PTX version, LLVM version)
/// in memory and under `<cache dir>/probe/`, so the fork happens once per
/// new intrinsic on a machine. Intrinsics of other targets (llvm.x86.*,
/// llvm.amdgcn.*, ...) are rejected without probing; target-independent
/// ones are legalised for every target and are not probed.
///
/// The PTX version is lcs's choice: the lowest that every intrinsic of the
/// module needs, from the target's minimum (LLVM's default for it) up to the
/// highest that both LLVM and CUDA 13's assemblers accept (9.0).
///
//===----------------------------------------------------------------------===//

#ifndef LCS_COMPILE_TARGETCHECK_H
#define LCS_COMPILE_TARGETCHECK_H

#include "lcs/compile/Toolkit.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace lcs {

struct DriverTable;

/// Checks every intrinsic call in \p M against \p Arch ("sm_90a") and
/// returns the PTX version lcs uses for it (LLVM's number: 78 is PTX 7.8).
/// Errors are one line, prefixed with the module's identifier. Targets
/// CUDA 13 cannot assemble are rejected (targetLimits()).
///
/// Forks: the caller must be single-threaded (lcs-compile, the compile
/// worker). A fork of a multi-threaded process may inherit a lock another
/// thread held, and the child would hang until the probe's time limit.
llvm::Expected<unsigned> choosePTXVersion(const llvm::Module &M,
                                          llvm::StringRef Arch);

/// Where probe answers are kept on disk: `<CacheDir>/probe/`. Empty keeps
/// them in memory only. Until set, the default cache location
/// (cache::defaultCacheDir()) is used.
void setProbeCacheDir(const std::string &CacheDir);

/// The answers the probe would give, for tests and tools: true if a call
/// to \p Intrinsic with \p Type (IR text of a function type, e.g.
/// "void (i64)") and immediate arguments \p Args (IR text, "i64 0"; one per
/// parameter, empty for a non-immediate one) compiles for \p Arch at PTX
/// \p PTXVersion. Uses and fills the caches.
llvm::Expected<bool> probeIntrinsic(llvm::StringRef Intrinsic,
                                    llvm::StringRef Type,
                                    const std::vector<std::string> &Args,
                                    llvm::StringRef Arch, unsigned PTXVersion);

/// Forgets the answers held in memory (the disk ones stay), for tests of
/// the disk cache.
void forgetProbeAnswers();

/// How many probe children were started in this process (tests check the
/// caches with it).
unsigned probeChildrenStarted();

/// The NVPTX targets that LLVM 22 and CUDA 13 both know, sm_75 and newer
/// ("sm_75", ..., "sm_90a", "sm_100", "sm_100a", "sm_100f", ...).
const std::vector<std::string> &knownTargets();

/// The PTX version LLVM emits for \p Arch by default: lcs's minimum.
llvm::Expected<unsigned> minPTXVersion(llvm::StringRef Arch);

/// archForDevice() of device \p Ordinal through \p D. Errors name the
/// driver call. This and nativeArch() are in LCS::runtime (the driver's
/// side), not LCS::compile.
llvm::Expected<std::string> deviceArch(const DriverTable &D, int Ordinal);

/// `--arch=native`: deviceArch() of device 0 through the CUDA driver
/// (loadDriver()); an error when there is no driver or no device.
llvm::Expected<std::string> nativeArch();

} // namespace lcs

#endif // LCS_COMPILE_TARGETCHECK_H
