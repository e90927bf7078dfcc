//===- RuntimeImpl.h - The runtime's internals ------------------*- C++ -*-===//
///
/// \file
/// Internal (not installed): the Impl structs behind Runtime, Program and
/// Kernel, shared by the files of runtime/core:
///
///   Device.cpp         the context and the device's facts and limits
///   VariantTable.cpp   a kernel's variants, probed without a lock
///   Launch.cpp         Kernel::launch: the hit path, then the slow path
///   KernelCompile.cpp  discovery, single flight, compiling, loading;
///                      generators and their launch configuration;
///                      failures remembered (Failures.h)
///   Runtime.cpp        the C++ facade; what runtimes in one process share
///
/// Tear-down order: Kernels (and their modules) go with their Program,
/// which must go before its Runtime; the Runtime's Impl releases its
/// primary context (Dev) last, after the workers and the cache.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CORE_RUNTIMEIMPL_H
#define LCS_CORE_RUNTIMEIMPL_H

#include "Device.h"
#include "ShardedCounter.h"
#include "VariantTable.h"

#include "lcs/Runtime.h"
#include "lcs/cache/DiskCache.h"
#include "lcs/compile/VariantCompiler.h"
#include "lcs/compile/Worker.h"
#include "lcs/config/Validate.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace lcs {

namespace core {
/// "kernel 'K': Msg". Out of line and cold, as every error of the launch
/// path: none of it is built in the hit path's own code.
[[gnu::cold, gnu::noinline]] Status
kernelError(lcs_status_t Code, const std::string &Kernel,
            const std::string &Msg);
/// kernelError for \p S, an error of a check of the launch's configuration.
[[gnu::cold, gnu::noinline]] Status kernelError(const Status &S,
                                                const std::string &Kernel);
} // namespace core

struct Runtime::Impl {
  const DriverTable *D = nullptr;
  core::DeviceContext Dev;
  RuntimeOptions Options;
  /// Shared by the runtimes of the process that use the same directory.
  std::shared_ptr<cache::DiskCache> Cache;
  /// The worker processes, unless Options.Compiler was given.
  std::unique_ptr<WorkerBackend> Workers;
  /// Workers, or Options.Compiler.
  CompileBackend *Backend = nullptr;
  CodeKind Kind = CodeKind::PTX;
  std::atomic<uint32_t> DefaultGroups{LCS_GROUP_BLOCK | LCS_GROUP_CLUSTER};
  std::atomic<uint32_t> DefaultMaxVariants{8};
  // Launches served by a loaded variant are Launches - SlowLaunches -
  // Rejected, so the hit path counts once, in this thread's slot of a
  // sharded counter (no cache line shared with other launching threads).
  core::ShardedCounter Launches;
  std::atomic<uint64_t> SlowLaunches{0}, Rejected{0}, Compiles{0},
      DiskHits{0}, GeneratorCalls{0};
  // Failed compiles or loads (each attempt), those remembered, and the
  // launches answered from a remembered failure (FailureCounters).
  std::atomic<uint64_t> Failed{0}, Remembered{0}, Repeated{0};

  /// The compiler with the cache in front, in workers unless told not to.
  VariantCompiler compiler() { return VariantCompiler(Cache.get(), *Backend); }

  /// Compiles that may run at once: one per compile worker.
  unsigned compileConcurrency() const {
    if (Options.CompileWorkers)
      return Options.CompileWorkers;
    return std::max(1u, std::thread::hardware_concurrency());
  }

  /// \p P against the device's limits.
  /// A cluster past 8 blocks passes here when the device could run it; the
  /// variant decides later (Kernel::Impl::checkCluster).
  Status checkDevice(const LaunchParams &P, const std::string &Kernel) const {
    ConfigRef C = ConfigRef::of(P);
    C.NonPortableCluster = true;
    Status S = config::validate(C, Dev.LaunchLimits);
    if (S)
      return core::kernelError(S, Kernel);
    return S;
  }
};

struct Program::Impl {
  Runtime::Impl &RT;
  // Modules, or a generator.
  Sources Modules;
  std::vector<LinkInput> Links;
  cache::Key Source;
  std::vector<cache::KernelRecord> Records;
  /// The modules parsed, linked and verified once, as bitcode, with the
  /// analysis' reusable part: every variant's build starts from it. Null
  /// when the records came from a cache (the first build parses then).
  std::shared_ptr<const worker::Prepared> Prepared;
  std::string Identity;
  GeneratorFn Generator;
  std::mutex KernelsMutex;
  std::map<std::string, std::unique_ptr<Kernel>> Kernels;

  explicit Impl(Runtime::Impl &RT) : RT(RT) {}
  bool isGenerated() const { return bool(Generator); }
};

struct Kernel::Impl {
  // What every launch reads, together at the front (a launch next to the
  // driver's finds little of lcs's data in the caches: each line counts).
  Runtime::Impl &RT;
  // What the kernel depends on; Known is set once (release) and read on
  // every launch (acquire), the fields below it before it is set.
  std::atomic<bool> Known{false};
  bool Explicit = false;     ///< Record.Explicit
  uint32_t DependGroups = 0; ///< LCS_GROUP_* of Record.Fields
  std::atomic<uint32_t> PolicyGroups, MaxVariants;
  /// The variant the last launch used: most launches repeat it, and
  /// comparing keys is cheaper than hashing one.
  std::atomic<core::Variant *> Last{nullptr};
  KernelBounds Bounds; ///< Record's launch bounds

  Program::Impl &Prog;
  std::string Name;
  std::mutex DiscoverMutex;
  std::condition_variable DiscoverCV;
  bool Discovering = false;
  cache::KernelRecord Record;
  cache::Key Source;
  // A generator's output that does not depend on the configuration, and
  // the program discovery prepared from it (null: build from GenericIR).
  std::string GenericIR;
  uint32_t GenericExtraSmem = 0;
  std::vector<LinkInput> GenericLinks;
  FunctionAttributes GenericAttributes;
  std::shared_ptr<const worker::Prepared> GenericProgram;
  bool HaveGenericIR = false;
  // Output of the discovery run, for its own configuration's variant.
  struct Discovered {
    core::VKey Key;
    Generated Out;
    std::shared_ptr<const worker::Prepared> Program;
  };
  std::optional<Discovered> Stash;
  /// Deterministic discovery failures by the launch's whole configuration
  /// (a generator may fail for one and not another), oldest first, at most
  /// MaxDiscoveryFailures. Under DiscoverMutex.
  std::vector<std::pair<core::VKey, Status>> DiscoveryFailures;
  static constexpr size_t MaxDiscoveryFailures = 64;

  core::VariantTable Table;

  Impl(Runtime::Impl &RT, Program::Impl &Prog, std::string Name)
      : RT(RT), PolicyGroups(RT.DefaultGroups.load()),
        MaxVariants(RT.DefaultMaxVariants.load()), Prog(Prog),
        Name(std::move(Name)) {}


  void setRecord(const cache::KernelRecord &R) {
    Record = R;
    Explicit = R.Explicit;
    DependGroups = FieldMask(R.Fields).groupBits();
    Bounds = KernelBounds();
    const Dim3 None = {0, 0, 0};
    Bounds.ReqNTid = config::parseRecordDims(R.ReqNTid).value_or(None);
    Bounds.ClusterDim = config::parseRecordDims(R.ClusterDim).value_or(None);
    Bounds.MaxThreads =
        volume(config::parseRecordDims(R.MaxNTid).value_or(None));
  }

  /// The groups a launch specialises on.
  uint32_t groups() const {
    if (Explicit)
      return DependGroups; // the IR is only valid for its configuration
    return DependGroups & PolicyGroups.load(std::memory_order_relaxed);
  }

  /// \p P against the kernel's own launch bounds.
  Status checkKernel(const LaunchParams &P) const {
    if (Bounds.empty())
      return Status::ok();
    Status S = config::checkBounds(ConfigRef::of(P), Bounds);
    if (S)
      return core::kernelError(S, Name);
    return S;
  }

  Status discover(const LaunchParams &P);
  /// The variant table's entry for \p P (null: none yet), remembered as
  /// the last one. Out of line: most launches repeat the last variant.
  [[gnu::noinline]] core::Variant *find(const LaunchParams &P,
                                        uint32_t Groups);
  /// The variant for \p P, compiled and loaded (discovery included): the
  /// slow path without the launch. Null with \p Err on failure.
  core::Variant *prepare(const LaunchParams &P, Status &Err);
  /// A launch that is not the hit (Kernel::launch's first test), every
  /// check made in full: another context current, a cluster, the first
  /// launch or another variant's, an error. \p Current: the context the
  /// caller found current, null if it could not ask.
  [[gnu::noinline]] Status launchChecked(const LaunchParams &P, void **Args,
                                         const LaunchOptions &O,
                                         const CUcontext *Current);
  Status launchSlow(const LaunchParams &P, void **Args,
                    const LaunchOptions &O);
  Status ensureCompiled(core::Variant &V, const LaunchParams &P);
  Status compile(core::Variant &V, const LaunchParams &P, bool &Remember);
  /// Launches \p V's function, loaded, for \p P (Launch.cpp only).
  Status launchOn(core::Variant &V, const LaunchParams &P, void **Args,
                  const LaunchOptions &O);
  /// launchOn for a launch with a cluster, a cooperative one, or one that
  /// needs \p Fn opted in to \p Smem bytes of shared memory first.
  [[gnu::noinline]] Status launchWithAttributes(core::Variant &V, CUfunction Fn,
                                                const LaunchParams &P,
                                                void **Args,
                                                const LaunchOptions &O,
                                                uint64_t Smem);
  /// Counts \p S as a rejected launch and returns it.
  [[gnu::cold, gnu::noinline]] Status reject(Status S);
  /// What the variant's occupancy allows: a cooperative grid co-resident,
  /// a cluster past 8 blocks. Calls the driver once per (variant, block,
  /// shared memory).
  [[gnu::noinline]] Status checkCooperative(core::Variant &V, CUfunction Fn,
                                            const LaunchParams &P,
                                            uint64_t Smem);
  [[gnu::noinline]] Status checkCluster(core::Variant &V, CUfunction Fn,
                                        const LaunchParams &P, uint64_t Smem);
  /// launchOn's rare parts, out of its way: \p P's shared memory past the
  /// device's with the variant's own; opting \p Fn in to \p Smem bytes
  /// (past 48 KiB, once per size increase); the launch refused.
  [[gnu::cold, gnu::noinline]] Status smemError(const core::Variant &V,
                                                const LaunchParams &P);
  [[gnu::noinline]] Status optIn(core::Variant &V, CUfunction Fn,
                                 uint64_t Smem);
  [[gnu::cold, gnu::noinline]] Status launchError(const core::Variant &V,
                                                  CUresult R);
};

} // namespace lcs

#endif // LCS_CORE_RUNTIMEIMPL_H
