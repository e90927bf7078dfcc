//===- CodeGen.h - From a specialised module to PTX and cubin ---*- C++ -*-===//
///
/// \file
/// The back half of lcs-compile: libdevice, optimisation, PTX from the NVPTX
/// backend in-process, and a cubin from nvJitLink or ptxas. No GPU is
/// needed. Where the toolkit's pieces are, and their identities for keys,
/// is Toolkit.h (no LLVM).
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CODEGEN_H
#define LCS_CODEGEN_H

#include "lcs/compile/Toolkit.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <future>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class Module;
class TargetMachine;
class raw_svector_ostream;
namespace legacy {
class PassManager;
} // namespace legacy
} // namespace llvm

namespace lcs {

struct LinkInput;

/// Links the libdevice functions \p M calls (`__nv_*`), only those, and
/// internalises them. A no-op when it calls none. Errors name the file.
/// libdevice is read once per process for each set of functions called.
llvm::Error linkLibdevice(llvm::Module &M);

/// Fails, naming the first one, if \p M calls `llvm.nvvm.*` functions that
/// LLVM does not know as intrinsics (libNVVM's LLVM-7 dialect): the backend
/// would emit them as `.extern .func`, which ptxas rejects.
llvm::Error checkNVVMIntrinsics(const llvm::Module &M);

/// Which non-kernel functions keepOnlyKernel keeps.
enum class KeepFunctions {
  /// Those the kernel or a global variable reaches; they become internal.
  /// For a variant compiled alone: the host sees kernels and global
  /// variables only.
  Reached,
  /// Also every definition visible outside the module, with its linkage:
  /// for a variant linked with inputs that may call them.
  Exported,
};

/// Reduces \p M to the kernel \p Name and what it reaches: kernels it
/// reaches (called as functions, or through a global) keep their bodies,
/// the other kernels lose theirs, global variables and aliases stay, and
/// unused declarations and the functions \p Keep does not name go. One walk
/// over the references: linear in the module's size, whatever the depth of
/// its call chains.
llvm::Error keepOnlyKernel(llvm::Module &M, llvm::StringRef Name,
                           KeepFunctions Keep = KeepFunctions::Exported);

/// An NVPTX target machine for \p Arch ("sm_90") at PTX version
/// \p PTXVersion (LLVM's number, 78 for PTX 7.8; 0: the target's lowest).
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createNVPTXTargetMachine(llvm::StringRef Arch, unsigned OptLevel,
                         unsigned PTXVersion = 0);

/// This thread's createNVPTXTargetMachine(Arch, OptLevel), made at its
/// first use and reused, build after build, for optimising (making one
/// builds the subtarget's lowering tables, about 0.1 ms). A machine serves
/// one build at a time, hence one per thread; the reference stays valid
/// until this thread asks for another. Not for emitting code: the backend
/// numbers call sites per machine, so the PTX would depend on the builds
/// before.
llvm::Expected<llvm::TargetMachine &> threadTargetMachine(llvm::StringRef Arch,
                                                          unsigned OptLevel);

/// Runs the default -O<OptLevel> pipeline (with the NVPTX target's own
/// passes) over \p M.
void optimizeModule(llvm::Module &M, llvm::TargetMachine &TM,
                    unsigned OptLevel);

/// Everything between a (specialised) module and code generation: lower
/// libNVVM's dialect intrinsics, link libdevice, reject what the backend
/// cannot emit, run the -O<OptLevel> pipeline.
llvm::Error prepareForCodeGen(llvm::Module &M, llvm::TargetMachine &TM,
                              unsigned OptLevel);

/// The NVPTX backend's pass pipeline over a target machine of its own,
/// for one module: a machine per build, since the backend numbers call
/// sites per machine and the PTX must not depend on the builds before.
/// Making both takes about 0.2 ms (development machine), so a build makes
/// them beside its optimiser (makeAhead).
class PTXEmitter {
public:
  /// A machine as createNVPTXTargetMachine(Arch, OptLevel, PTXVersion)
  /// makes, and the pipeline over it.
  static llvm::Expected<std::unique_ptr<PTXEmitter>>
  make(llvm::StringRef Arch, unsigned OptLevel, unsigned PTXVersion);
  /// make() on a thread of its own, for the target's lowest PTX version
  /// (what lcs emits unless an intrinsic needs more). The future holds
  /// null where that failed: the build then makes its own and reports.
  /// Take it before anything forks (choosePTXVersion()).
  static std::future<std::unique_ptr<PTXEmitter>>
  makeAhead(llvm::StringRef Arch, unsigned OptLevel);
  ~PTXEmitter();

  bool fits(llvm::StringRef Arch, unsigned OptLevel, unsigned PTXVersion) const;
  /// PTX for \p M; once per emitter.
  std::string emit(llvm::Module &M);

private:
  PTXEmitter() = default;
  std::string Arch;
  unsigned OptLevel = 0, PTXVersion = 0;
  // Destroyed in reverse: the pipeline, the stream it writes, the machine.
  std::unique_ptr<llvm::TargetMachine> TM;
  llvm::SmallString<0> Out;
  std::unique_ptr<llvm::raw_svector_ostream> OS;
  std::unique_ptr<llvm::legacy::PassManager> PM;
};

/// Assembles \p PTX for \p Arch into a cubin: with nvJitLink in-process
/// (dlopen of libnvJitLink.so.13 from the toolkit), else the ptxas program.
/// No GPU is needed. \p Kernel, when given, is named in nvJitLink's
/// errors (an unresolved symbol names the symbol and the kernel).
llvm::Expected<std::string> assemblePTX(llvm::StringRef PTX,
                                        llvm::StringRef Arch,
                                        unsigned OptLevel,
                                        llvm::StringRef Kernel = "");

/// Loads nvJitLink and assembles a one-instruction kernel on a thread of
/// its own, so that a new process's first assembly does not wait for the
/// library's loading (a 100 MB dlopen) and nvJitLink's first-use cost
/// behind its own code generation: they overlap it. Once per process; the
/// compile worker starts it when it starts. Best effort: a toolkit without
/// nvJitLink, or a failure, leaves the real assembly to find and report it.
void startAssemblerWarmUp();
/// Waits for startAssemblerWarmUp()'s thread, if any. Called before every
/// assembly (one nvJitLink link at a time) and before the process forks
/// (TargetCheck's probes), so that no thread of lcs's is inside nvJitLink,
/// the loader or malloc's slow paths then. One thread does outlive it:
/// nvJitLink's first link loads the driver library, which keeps a helper
/// thread (as after any assembly, warm-up or not); a probe's child only
/// runs LLVM's code generation, which never calls into the driver. The
/// library must stay loadable: nvJitLink initialises the driver
/// (cuInit, cuGetExportTable) and, without it or without a visible
/// device, links far slower (H200, 2026-11-30: a variant's build 19-52 ms
/// without the driver library, 54-101 ms with no device visible, 4-17 ms
/// with both; docs/benchmarks.md).
void finishAssemblerWarmUp();

/// Links the PTX of kernel \p Kernel with \p Links (checked, see
/// LinkInput.h) into a cubin for \p Arch with nvJitLink, with `-lto` when
/// any of them holds LTO-IR. ptxas cannot link, so nvJitLink is required.
/// Errors are one line: an unresolved symbol names it and the kernel,
/// LTO-IR for a newer architecture or from a newer NVRTC names both.
llvm::Expected<std::string> linkCubin(llvm::StringRef PTX,
                                      const std::vector<LinkInput> &Links,
                                      llvm::StringRef Arch, unsigned OptLevel,
                                      llvm::StringRef Kernel);

} // namespace lcs

#endif // LCS_CODEGEN_H
