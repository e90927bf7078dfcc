//===- Runtime.h - The lcs runtime, C++ API ---------------------*- C++ -*-===//
///
/// \file
/// What JIT frontends link: programs (modules or a generator) whose kernels
/// are launched with a configuration; lcs keeps one variant per value of the
/// launch fields each kernel depends on (within a policy), compiles each
/// once, and launches through the CUDA Driver API. The C API (lcs.h) is a
/// thin layer over this one and shares its types. docs/runtime.md
/// describes the model, policy, threading and lifetime.
///
/// Threading: every call is thread-safe. The launch hit path takes no lock,
/// allocates nothing and never touches IR. Compiles of one variant happen
/// once however many threads need it; different variants compile
/// concurrently.
///
/// Contexts: a Runtime is bound to one CUDA context (RuntimeOptions::Device)
/// and every call runs in it, making it current for the call's duration and
/// restoring the caller's; no call, creation and destruction included,
/// leaves another context current than the one it found.
///
/// Failures: a deterministic one (a compile error, a generator's failure, a
/// configuration the variant's code cannot run) is remembered and returned
/// as is by later launches; driver and transient ones are retried
/// (docs/reliability.md).
///
/// Lifetime: Kernels belong to their Program, Programs must be destroyed
/// before their Runtime.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_RUNTIME_H
#define LCS_RUNTIME_H

#include "lcs/Driver.h"
#include "lcs/Status.h"
#include "lcs/compile/LinkInput.h"
#include "lcs/lcs.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lcs {

using LaunchParams = lcs_launch_config_t;
using Policy = lcs_policy_t;

class CompileBackend;

struct RuntimeOptions {
  /// The disk cache: nullopt for the default location, "" for none.
  /// Runtimes of one process with the same directory share it.
  std::optional<std::string> CacheDir;
  /// The shared cache tier under the disk cache (docs/cache.md), a
  /// redis:// URL: nullopt for LCS_REMOTE_CACHE, "" for none.
  std::optional<std::string> RemoteCache;
  /// The driver; null for libcuda.so.1 (tests pass a fake).
  const DriverTable *Driver = nullptr;
  Policy DefaultPolicy = {LCS_GROUP_BLOCK | LCS_GROUP_CLUSTER, 8};
  unsigned OptLevel = 3;
  /// Compile to cubins with ptxas when it is found (else PTX, which the
  /// driver compiles when loading).
  bool PreferCubin = true;
  /// Compile workers (processes that contain crashes, see
  /// lcs/compile/Worker.h): at most this many at once; 0, one per core.
  unsigned CompileWorkers = 0;
  /// Start one compile worker when the runtime is created, before the
  /// device is initialised (cuInit and the context: tens to hundreds of ms),
  /// so that the process's first compile finds it started: libLLVM loaded
  /// and nvJitLink warmed up (CodeGen.h) meanwhile. A runtime that never
  /// compiles keeps one idle process; false (or LCS_PRESTART_WORKER=0, for
  /// every API) starts workers on demand.
  bool PrestartWorker = true;
  /// Compile with this backend instead (not owned; it must outlive the
  /// runtime): lcs::inProcessBackend() (lcs/compile/InProcess.h, in
  /// LCS::compile, which links LLVM) compiles in this process, with no
  /// containment and no worker start-up, for hosts that are themselves
  /// throwaway processes. Null: lcs-worker processes; the runtime itself
  /// never loads LLVM.
  CompileBackend *Compiler = nullptr;
  /// The context the runtime is bound to: nullopt for the context current
  /// when it is created, else device 0's primary context; a device ordinal
  /// for that device's primary context (retained for the runtime's life).
  /// Last, so that existing aggregate initialisations keep their meaning.
  std::optional<int> Device;
};

/// How one launch runs, beyond its configuration.
struct LaunchOptions {
  /// Launch with CU_LAUNCH_ATTRIBUTE_COOPERATIVE, so that the grid's blocks
  /// may synchronise (cooperative groups' grid sync). The grid must fit on
  /// the device at once; that is checked before the driver is called, from
  /// the occupancy of the variant launched (cached per block and shared
  /// memory size). Not with a cluster.
  bool Cooperative = false;
  /// Launch only when the caller's current context is the runtime's; else
  /// nothing is launched or compiled and the status is
  /// LCS_ERROR_NOT_CURRENT (LCS_LAUNCH_IN_CURRENT_CONTEXT).
  bool InCurrentContext = false;
};

/// Function attributes of a generated variant, set once when it loads and
/// stored with it in the cache (a disk hit launches the same way).
struct FunctionAttributes {
  /// CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT: the percentage of
  /// L1 to make shared memory (0 to 100); -1 leaves the driver's choice.
  int SharedMemoryCarveout = -1;
  /// CU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED: clusters of more
  /// than 8 blocks, up to what cuOccupancyMaxPotentialClusterSize allows.
  bool NonPortableClusterSizeAllowed = false;
  /// CU_FUNC_ATTRIBUTE_CLUSTER_SCHEDULING_POLICY_PREFERENCE, a
  /// CUclusterSchedulingPolicy; 0 (default) leaves it.
  int ClusterSchedulingPolicy = 0;
  /// The code synchronises the whole grid (grid sync): every launch of the
  /// variant is cooperative, as if LaunchOptions::Cooperative were given.
  bool Cooperative = false;

  bool empty() const {
    return SharedMemoryCarveout < 0 && !NonPortableClusterSizeAllowed &&
           ClusterSchedulingPolicy == 0 && !Cooperative;
  }
};

/// What a generator produces for one configuration.
struct Generated {
  std::string IR;
  uint32_t ExtraSharedMem = 0;
  FunctionAttributes Attributes;
  /// Device code linked into this configuration's cubin (cuda.coop's
  /// primitives as LTO-IR, built for the block size at hand); covered by
  /// the program's source identity, like the IR.
  std::vector<LinkInput> Links;
};
/// A frontend's code generator for kernel \p Kernel; currentLaunchConfig()
/// tells it the configuration.
using GeneratorFn =
    std::function<Status(const std::string &Kernel, Generated &Out)>;

/// What failed, beyond lcs_counters_t.
struct FailureCounters {
  uint64_t Failed = 0;     ///< compile or load attempts that failed
  uint64_t Remembered = 0; ///< of those, deterministic: remembered
  uint64_t Repeated = 0;   ///< launches answered by a remembered failure
};

struct VariantInfo {
  std::string Key;    ///< the cache key, hex
  std::string Groups; ///< "block=128x1x1", "" for the generic variant
  bool Compiled = false;
};

class Program;
class Kernel;

class Runtime {
public:
  static Status create(const RuntimeOptions &Options,
                       std::unique_ptr<Runtime> &Out);
  ~Runtime();

  /// A program from modules (IR text or bitcode), linked in order.
  Status createProgram(std::vector<std::pair<std::string, std::string>> Modules,
                       std::unique_ptr<Program> &Out);
  /// The same, with device code nvJitLink links into every variant's cubin
  /// (LinkInput.h); each input's kind and bytes are in the source key. A
  /// bad input fails here with LCS_ERROR_INVALID_ARGUMENT.
  Status createProgram(std::vector<std::pair<std::string, std::string>> Modules,
                       std::vector<LinkInput> Links,
                       std::unique_ptr<Program> &Out);
  /// A program from a generator; \p SourceIdentity must change whenever its
  /// output could.
  Status createProgram(const std::string &SourceIdentity, GeneratorFn Generator,
                       std::unique_ptr<Program> &Out);

  void setDefaultPolicy(const Policy &P);
  lcs_counters_t counters() const;
  FailureCounters failureCounters() const;
  /// The target compiled for: the device's arch-specific one where it has
  /// one ("sm_90a" on a 9.0 device), else "sm_80" and the like.
  const std::string &arch() const;

  /// Device memory in this runtime's context (see lcs_mem_alloc): each call
  /// makes the context current for its duration and restores the
  /// caller's. Copies are synchronous; \p Bytes of an allocation must be
  /// non-zero; freeing 0 does nothing.
  Status allocate(size_t Bytes, CUdeviceptr &Out);
  Status deallocate(CUdeviceptr Ptr);
  Status copyToDevice(CUdeviceptr Dst, const void *Src, size_t Bytes);
  Status copyToHost(void *Dst, CUdeviceptr Src, size_t Bytes);
  Status fill(CUdeviceptr Dst, unsigned char Value, size_t Bytes);
  /// Waits for all work in the context (cuCtxSynchronize).
  Status synchronize();

  /// The driver this runtime calls and the context it serves.
  const DriverTable &driver() const;
  CUcontext context() const;

  struct Impl;
  Impl &impl() { return *I; }

private:
  explicit Runtime(std::unique_ptr<Impl> I);
  std::unique_ptr<Impl> I;
};

class Program {
public:
  ~Program();
  /// The kernel named \p Name (its symbol); an error names the known ones.
  Status getKernel(const std::string &Name, Kernel *&Out);
  /// The kernels of a module program (a generated one: those asked for).
  std::vector<std::string> kernels();

  struct Impl;
  explicit Program(std::unique_ptr<Impl> I);
  Impl &impl() { return *I; }

private:
  std::unique_ptr<Impl> I;
};

class Kernel {
public:
  /// Launches as cuLaunchKernel would (cuLaunchKernelEx with a cluster).
  Status launch(const LaunchParams &P, void **Args);
  /// The same, with \p Options (a cooperative launch).
  Status launch(const LaunchParams &P, void **Args,
                const LaunchOptions &Options);

  /// Builds and loads the variants of \p Configs without launching (warm-up,
  /// autotuning), compiling up to one per compile worker at once. \p Out
  /// gets one status per configuration; the result is the first failure
  /// (its message naming the configuration's index), else ok.
  Status precompile(const std::vector<LaunchParams> &Configs,
                    std::vector<Status> &Out);

  void setPolicy(const Policy &P);
  /// What the kernel depends on; a generated kernel's is known once it has
  /// been launched (or found in the disk cache).
  Status sensitivity(lcs_sensitivity_t &Out);
  std::vector<VariantInfo> variants();
  /// The variant \p P maps to.
  Status variantFor(const LaunchParams &P, VariantInfo &Out);

  struct Impl;
  explicit Kernel(std::unique_ptr<Impl> I);
  ~Kernel();
  Impl &impl() { return *I; }

private:
  std::unique_ptr<Impl> I;
};

/// The C API's handle (lcs.h) for a runtime made with \p Options, for
/// bindings that need options lcs_runtime_create lacks (and tests).
Status createCRuntime(const RuntimeOptions &Options, lcs_runtime_t &Out);

/// While a generator runs for a launch: that launch's configuration.
/// Otherwise an error (LCS_ERROR_NO_LAUNCH_CONFIG).
Status currentLaunchConfig(LaunchParams &Out);
/// While a generator runs: the fields its output depends on (narrowing the
/// "all" that reading the configuration implies).
Status markLaunchConfigSensitive(uint32_t Fields);

} // namespace lcs

#endif // LCS_RUNTIME_H
