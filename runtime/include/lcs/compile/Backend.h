//===- Backend.h - What compiles: a worker, or this process -----*- C++ -*-===//
///
/// \file
/// The seam between the host side of compiling (keys, the cache, deciding
/// what to build: LCS::host, no LLVM) and the LLVM side (parsing, the
/// analysis, code generation: LCS::compile). The host side calls a
/// CompileBackend; two implement it:
///
///   WorkerBackend     (Worker.h, LCS::host): each call runs in an
///                     lcs-worker process; what the runtime uses.
///   InProcessBackend  (InProcess.h, LCS::compile): each call runs in this
///                     process; what lcs-compile, the worker itself and a
///                     program that links LCS::compile and passes it in
///                     (RuntimeOptions::Compiler) use.
///
/// So a process that only launches cached variants never loads libLLVM:
/// liblcs.so does not link it.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_COMPILE_BACKEND_H
#define LCS_COMPILE_BACKEND_H

#include "lcs/Status.h"
#include "lcs/cache/Entry.h"
#include "lcs/compile/LinkInput.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lcs {

namespace worker {

/// (name, bytes) of each input, linked in order.
using Sources = std::vector<std::pair<std::string, std::string>>;

/// A launch configuration restricted to a variant's groups, as numbers.
struct Config {
  bool HasBlock = false, HasGrid = false, HasSmem = false;
  /// 0: not given; 1: explicitly no cluster; 2: Cluster holds the dims.
  uint8_t ClusterState = 0;
  bool NonPortableCluster = false;
  uint32_t Block[3] = {1, 1, 1}, Grid[3] = {1, 1, 1}, Cluster[3] = {1, 1, 1};
  uint32_t Smem = 0;
};

/// A program as analysing it left it, for the optimised builds of its
/// variants: parsed, linked and verified once, its reading functions
/// cleaned up by the analysis (SensitivityOptions::CleanUpInPlace: the
/// optimiser's first steps, done once), kept as bitcode (a module belongs to
/// one LLVMContext, which is not thread-safe: each build loads it into its
/// own), with what the analysis found that a build would find again (which
/// launch-register reads of each function survive dead-read discarding).
/// Made by CompileBackend::prepare; opaque to the host.
struct Prepared {
  std::string Bitcode;
  /// The analysis' reusable part, in the backend's own encoding.
  std::string Analysis;
};

/// What a backend needs to build one variant.
struct BuildJob {
  cache::KernelRecord Kernel;
  Config Restricted;
  std::string Arch;
  uint32_t OptLevel = 3;
  bool Cubin = false;
  uint32_t ExtraSmem = 0;
  /// The groups specialised on, as the variant's metadata spells them.
  std::string Groups;
  /// The program as prepare() left it; when set, Inputs are not read (and
  /// may be empty).
  std::shared_ptr<const Prepared> Program;
  Sources Inputs;
  /// Device code nvJitLink links into the cubin (LinkInput.h).
  std::vector<LinkInput> Links;
};

} // namespace worker

/// Every LLVM call the host side of compiling makes. Errors are
/// LCS_ERROR_COMPILE with one line naming the input; implementations are
/// safe to call from several threads at once.
class CompileBackend {
public:
  virtual ~CompileBackend();

  /// The sensitivity record of each kernel of \p Inputs.
  virtual Status analyse(const worker::Sources &Inputs,
                         std::vector<cache::KernelRecord> &Out) = 0;

  /// analyse(), and \p Program for the builds of the program's variants
  /// (BuildJob::Program), so that they neither parse nor redo the analysis'
  /// dead-read discarding. A backend that cannot leaves \p Program null.
  virtual Status prepare(const worker::Sources &Inputs,
                         std::vector<cache::KernelRecord> &Out,
                         std::shared_ptr<const worker::Prepared> &Program) {
    Program.reset();
    return analyse(Inputs, Out);
  }

  /// One variant's code and launch metadata.
  virtual Status build(const worker::BuildJob &J, cache::Variant &Out) = 0;

  /// lcs_inspect_modules' text (lcs.h): one line a kernel,
  /// "kernel=K fields=F explicit=0|1 params=T1,T2" ("-" for none).
  virtual Status inspect(const worker::Sources &Inputs, std::string &Out) = 0;
};

} // namespace lcs

#endif // LCS_COMPILE_BACKEND_H
