//===- CodeGen.h - From a specialised module to PTX and cubin ---*- C++ -*-===//
///
/// \file
/// The back half of lcs-compile: libdevice, optimisation, PTX from the NVPTX
/// backend in-process, and a cubin from ptxas. No GPU is needed.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CODEGEN_H
#define LCS_CODEGEN_H

#include "llvm/ADT/STLFunctionalExtras.h"
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

struct LinkInput;

/// The CUDA toolkit root: $CUDA_HOME, $CUDA_PATH, else /usr/local/cuda.
std::string cudaRoot();

/// libdevice under cudaRoot() (it may not exist).
std::string libdevicePath();

/// Links the libdevice functions \p M calls (`__nv_*`), only those, and
/// internalises them. A no-op when it calls none. Errors name the file.
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

/// An NVPTX target machine for \p Arch ("sm_90").
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createNVPTXTargetMachine(llvm::StringRef Arch, unsigned OptLevel);

/// Runs the default -O<OptLevel> pipeline (with the NVPTX target's own
/// passes) over \p M.
void optimizeModule(llvm::Module &M, llvm::TargetMachine &TM,
                    unsigned OptLevel);

/// Everything between a (specialised) module and code generation: lower
/// libNVVM's dialect intrinsics, link libdevice, reject what the backend
/// cannot emit, run the -O<OptLevel> pipeline.
llvm::Error prepareForCodeGen(llvm::Module &M, llvm::TargetMachine &TM,
                              unsigned OptLevel);

/// PTX for \p M from the NVPTX backend.
llvm::Expected<std::string> emitPTX(llvm::Module &M, llvm::TargetMachine &TM);

/// Assembles \p PTX for \p Arch into a cubin: with nvJitLink in-process
/// (dlopen of libnvJitLink.so.13 from the toolkit), else the ptxas program.
/// No GPU is needed. \p Kernel, when given, is named in nvJitLink's
/// errors (an unresolved symbol names the symbol and the kernel).
llvm::Expected<std::string> assemblePTX(llvm::StringRef PTX,
                                        llvm::StringRef Arch,
                                        unsigned OptLevel,
                                        llvm::StringRef Kernel = "");

/// Links the PTX of kernel \p Kernel with \p Links (checked, see
/// LinkInput.h) into a cubin for \p Arch with nvJitLink, with `-lto` when
/// any of them holds LTO-IR. ptxas cannot link, so nvJitLink is required.
/// Errors are one line: an unresolved symbol names it and the kernel,
/// LTO-IR for a newer architecture or from a newer NVRTC names both.
llvm::Expected<std::string> linkCubin(llvm::StringRef PTX,
                                      const std::vector<LinkInput> &Links,
                                      llvm::StringRef Arch, unsigned OptLevel,
                                      llvm::StringRef Kernel);

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
std::string identifyAssembler(llvm::StringRef Name, const std::string &Path,
                              llvm::function_ref<std::string()> Version,
                              const std::string &MemoDir);

/// The cache directory whose `assembler/` memo assemblerIdentity() uses;
/// empty keeps the memo in memory only. Takes effect if called before the
/// first assemblerIdentity().
void setAssemblerMemoDir(const std::string &CacheDir);

/// Forgets the identities memoised in memory (the disk memo stays), for
/// tests of the disk memo.
void forgetAssemblerIdentities();

/// True if assemblePTX can produce cubins here.
bool canAssemble();

} // namespace lcs

#endif // LCS_CODEGEN_H
