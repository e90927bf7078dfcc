//===- Launch.cpp - Kernel::launch ----------------------------------------===//
//
// The hit path: the runtime's context current (one cuCtxGetCurrent), the
// configuration within the device's and the kernel's limits, the last
// variant's, loaded: then its function is launched. No lock, no
// allocation, no IR, and few stores: next to the driver's launch, stores
// cost several times their own time and loads nothing (measured,
// docs/benchmarks.md), so the hit path checks by loads
// (config::passesWithoutCluster, core::keyMatches) and builds no status,
// key or context guard. Anything else takes launchChecked: the
// checks in full, the variant table, a switch to the runtime's context
// and back; and the slow path (discovery, the bound, compiling, loading),
// once per variant. The one counter the hit path bumps (launches) is
// sharded per thread (ShardedCounter.h): threads launching at once write
// no shared line.
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"

#include "lcs/Log.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace lcs {

using core::Variant;

namespace core {
namespace {
/// The one-writer slots that no live thread holds. Never destroyed:
/// threads may exit after static destruction has begun.
struct SlotPool {
  std::mutex M;
  std::vector<unsigned> Free;
  unsigned Fresh = 0;  ///< The first one-writer slot never handed out.
  unsigned Shared = 0; ///< Round-robin over the shared slots.
};
SlotPool &slotPool() {
  static SlotPool *Pool = new SlotPool;
  return *Pool;
}

constexpr unsigned SharedSlots =
    ShardedCounter::Slots - ShardedCounter::Exclusive;

/// This thread's slot + 1; 0: not assigned yet (constant-initialised: no
/// TLS guard on the hit path).
thread_local unsigned ThreadSlot = 0;

/// Gives this thread's one-writer slot back when the thread exits; a count
/// after that (from another thread-local destructor) goes to a shared
/// slot.
struct SlotLease {
  unsigned Index = ShardedCounter::Slots;
  ~SlotLease() {
    ThreadSlot = ShardedCounter::Exclusive + 1;
    if (Index >= ShardedCounter::Exclusive)
      return;
    SlotPool &P = slotPool();
    std::lock_guard<std::mutex> L(P.M);
    P.Free.push_back(Index);
  }
};

/// A slot for this thread: a free one-writer slot, else a shared one.
unsigned leaseSlot() {
  // Registered for destruction at the thread's first count, not on the
  // hit path.
  static thread_local SlotLease Lease;
  SlotPool &P = slotPool();
  std::lock_guard<std::mutex> L(P.M);
  if (!P.Free.empty()) {
    Lease.Index = P.Free.back();
    P.Free.pop_back();
  } else if (P.Fresh != ShardedCounter::Exclusive) {
    Lease.Index = P.Fresh++;
  } else {
    Lease.Index = ShardedCounter::Exclusive + P.Shared++ % SharedSlots;
  }
  return Lease.Index;
}
} // namespace

unsigned counterSlot() {
  if (!ThreadSlot)
    ThreadSlot = leaseSlot() + 1;
  return ThreadSlot - 1;
}
} // namespace core

namespace {
/// Why the runtime's context could not be used for a launch (\p In failed,
/// or another context is current and \p InCurrentContext forbids the
/// switch).
[[gnu::cold, gnu::noinline]] Status contextError(const Kernel::Impl &K,
                                                 const ScopedContext &In) {
  if (!In.result())
    return Status(LCS_ERROR_NOT_CURRENT,
                  "kernel '" + K.Name +
                      "': the runtime's context is not the current one "
                      "(LCS_LAUNCH_IN_CURRENT_CONTEXT)");
  return core::kernelError(
      LCS_ERROR_DRIVER, K.Name,
      std::string("making the runtime's context current: ") +
          In.failedCall() + ": " + driverErrorName(K.RT.D, In.result()));
}
} // namespace

Kernel::Kernel(std::unique_ptr<Impl> I) : I(std::move(I)) {}
Kernel::~Kernel() = default;

Status Kernel::launch(const LaunchParams &P, void **Args) {
  static const LaunchOptions Plain;
  return launch(P, Args, Plain);
}

Status Kernel::launch(const LaunchParams &P, void **Args,
                      const LaunchOptions &O) {
  Impl &K = *I;
  K.RT.Launches.add();
  // The hit: the runtime's context current, a configuration within the
  // device's and the kernel's limits, the last variant's, loaded. Found by
  // loads alone but for the driver's one call: next to the driver's
  // launch, stores are what cost (docs/architecture.md, "The launch hit
  // path").
  CUcontext Current = nullptr;
  bool Asked = K.RT.D->CtxGetCurrent(&Current) == CUDA_SUCCESS;
  if (Asked && Current == K.RT.Dev.Ctx &&
      K.Known.load(std::memory_order_acquire) &&
      config::passesWithoutCluster(P, K.RT.Dev.LaunchLimits, K.Bounds)) {
    Variant *V = K.Last.load(std::memory_order_acquire);
    if (V && core::keyMatches(V->Key, P, K.groups()) &&
        V->Fn.load(std::memory_order_acquire))
      return K.launchOn(*V, P, Args, O);
  }
  return K.launchChecked(P, Args, O, Asked ? &Current : nullptr);
}

Status Kernel::Impl::launchChecked(const LaunchParams &P, void **Args,
                                   const LaunchOptions &O,
                                   const CUcontext *Current) {
  Impl &K = *this;
  if (Status S = K.RT.checkDevice(P, K.Name))
    return K.reject(std::move(S));
  // Generators, loads and the launch run in the runtime's context; the
  // caller's comes back when this returns.
  std::optional<ScopedContext> In;
  if (Current)
    In.emplace(*K.RT.D, K.RT.Dev.Ctx, !O.InCurrentContext, *Current);
  else
    In.emplace(*K.RT.D, K.RT.Dev.Ctx, !O.InCurrentContext);
  if (In->result() || (O.InCurrentContext && !In->wasCurrent()))
    return K.reject(contextError(K, *In));
  if (!K.Known.load(std::memory_order_acquire))
    if (Status S = K.discover(P))
      return K.reject(std::move(S));
  if (Status S = K.checkKernel(P))
    return K.reject(std::move(S));
  uint32_t Groups = K.groups();
  Variant *V = K.Last.load(std::memory_order_acquire);
  if (!V || !core::keyMatches(V->Key, P, Groups))
    V = K.find(P, Groups);
  if (V && V->Fn.load(std::memory_order_acquire))
    return K.launchOn(*V, P, Args, O);
  K.RT.SlowLaunches.fetch_add(1, std::memory_order_relaxed);
  return K.launchSlow(P, Args, O);
}

Variant *Kernel::Impl::find(const LaunchParams &P, uint32_t Groups) {
  Variant *V = Table.lookup(core::makeKey(P, Groups), !Explicit,
                            MaxVariants.load(std::memory_order_relaxed));
  if (V)
    Last.store(V, std::memory_order_release);
  return V;
}

Status Kernel::Impl::reject(Status S) {
  RT.Rejected.fetch_add(1, std::memory_order_relaxed);
  return S;
}

namespace {
/// cuLaunchKernelEx's configuration for \p P, without attributes.
CUlaunchConfig exConfig(const LaunchParams &P, uint64_t Smem) {
  CUlaunchConfig C = {};
  C.gridDimX = P.grid[0];
  C.gridDimY = P.grid[1];
  C.gridDimZ = P.grid[2];
  C.blockDimX = P.block[0];
  C.blockDimY = P.block[1];
  C.blockDimZ = P.block[2];
  C.sharedMemBytes = uint32_t(Smem);
  C.hStream = static_cast<CUstream>(P.stream);
  return C;
}

std::string blockStr(const LaunchParams &P) {
  if (P.block[1] == 1 && P.block[2] == 1)
    return std::to_string(P.block[0]);
  return std::to_string(P.block[0]) + "x" + std::to_string(P.block[1]) + "x" +
         std::to_string(P.block[2]);
}

/// A driver query whose answer the variant's occupancy cache keeps.
struct OccupancyQuery {
  core::OccupancyCache::Kind K;
  const char *What; ///< What is checked with it.
  const char *Call; ///< The driver function's name.
};
constexpr OccupancyQuery BlocksPerSMQuery{
    core::OccupancyCache::BlocksPerSM, "a cooperative launch",
    "cuOccupancyMaxActiveBlocksPerMultiprocessor"};
constexpr OccupancyQuery ClusterSizeQuery{
    core::OccupancyCache::ClusterSize, "a cluster of more than 8 blocks",
    "cuOccupancyMaxPotentialClusterSize"};

/// \p Q's answer for \p Threads threads and \p Smem bytes of dynamic shared
/// memory: from the variant's cache, else from the driver function \p F
/// (null where the driver lacks it) called by \p Call, then cached.
template <typename DriverFn, typename CallFn>
Status occupancy(Variant &V, const std::string &Name, const DriverTable &D,
                 const OccupancyQuery &Q, uint64_t Threads, uint64_t Smem,
                 DriverFn F, CallFn Call, int &Out) {
  Out = V.Occupancy.find(Q.K, Threads, Smem);
  if (Out >= 0)
    return Status::ok();
  if (!F)
    return core::kernelError(LCS_ERROR_DRIVER, Name,
                             std::string(Q.What) + " is checked with " +
                                 Q.Call + ", which the driver lacks");
  CUresult R = Call(F, &Out);
  if (R != CUDA_SUCCESS)
    return core::kernelError(LCS_ERROR_DRIVER, Name,
                             std::string(Q.Call) + ": " +
                                 driverErrorName(&D, R));
  std::lock_guard<std::mutex> L(V.M);
  V.Occupancy.insert(Q.K, Threads, Smem, Out);
  return Status::ok();
}
} // namespace

Status Kernel::Impl::checkCooperative(Variant &V, CUfunction Fn,
                                      const LaunchParams &P, uint64_t Smem) {
  const DriverTable &D = *RT.D;
  if (P.cluster[0] | P.cluster[1] | P.cluster[2])
    return core::kernelError(LCS_ERROR_INVALID_CONFIG, Name,
                             "a cooperative launch cannot have a cluster");
  if (!RT.Dev.CooperativeLaunch)
    return core::kernelError(LCS_ERROR_INVALID_CONFIG, Name,
                             RT.Dev.LaunchLimits.Who +
                                 " cannot launch cooperative kernels");
  uint64_t Threads = uint64_t(P.block[0]) * P.block[1] * P.block[2];
  int PerSM = 0;
  auto PerSMOf = [&](auto *F, int *Out) {
    return F(Out, Fn, int(Threads), size_t(Smem));
  };
  if (Status S = occupancy(V, Name, D, BlocksPerSMQuery, Threads, Smem,
                           D.OccupancyMaxActiveBlocksPerMultiprocessor,
                           PerSMOf, PerSM))
    return S;
  uint64_t Grid = uint64_t(P.grid[0]) * P.grid[1] * P.grid[2];
  uint64_t Max = uint64_t(PerSM) * RT.Dev.SMCount;
  if (Grid <= Max)
    return Status::ok();
  return core::kernelError(
      LCS_ERROR_INVALID_CONFIG, Name,
      "grid of " + std::to_string(Grid) +
          " blocks cannot be co-resident: at most " + std::to_string(Max) +
          " (" + std::to_string(PerSM) + " per SM x " +
          std::to_string(RT.Dev.SMCount) + " SMs) for block " + blockStr(P) +
          ", " + std::to_string(Smem) + " bytes of dynamic shared memory");
}

Status Kernel::Impl::checkCluster(Variant &V, CUfunction Fn,
                                  const LaunchParams &P, uint64_t Smem) {
  uint64_t Blocks = uint64_t(P.cluster[0]) * P.cluster[1] * P.cluster[2];
  auto ClusterStr = [&] {
    return "cluster " + std::to_string(P.cluster[0]) + "x" +
           std::to_string(P.cluster[1]) + "x" + std::to_string(P.cluster[2]) +
           " has " + std::to_string(Blocks) + " blocks; at most ";
  };
  if (!V.NonPortableCluster)
    return core::kernelError(LCS_ERROR_INVALID_CONFIG, Name,
                             ClusterStr() + "8 (portable)");
  const DriverTable &D = *RT.D;
  uint64_t Threads = uint64_t(P.block[0]) * P.block[1] * P.block[2];
  int Max = 0;
  auto SizeOf = [&](auto *F, int *Out) {
    CUlaunchConfig C = exConfig(P, Smem);
    return F(Out, Fn, &C);
  };
  if (Status S = occupancy(V, Name, D, ClusterSizeQuery, Threads, Smem,
                           D.OccupancyMaxPotentialClusterSize, SizeOf, Max))
    return S;
  if (Blocks <= uint64_t(Max))
    return Status::ok();
  return core::kernelError(LCS_ERROR_INVALID_CONFIG, Name,
                           ClusterStr() + std::to_string(Max) +
                               " (non-portable, for block " + blockStr(P) +
                               ", " + std::to_string(Smem) +
                               " bytes of dynamic shared memory)");
}

/// A plain launch (no cluster, not cooperative, no opt-in to make) builds
/// its configuration and calls the driver, inline in the hit path; the rest
/// go through launchWithAttributes.
inline Status Kernel::Impl::launchOn(Variant &V, const LaunchParams &P,
                                     void **Args, const LaunchOptions &O) {
  // Set once, before the caller's acquire load found it set.
  CUfunction Fn = V.Fn.load(std::memory_order_relaxed);
  uint64_t Smem = uint64_t(P.shared_mem_bytes) + V.ExtraSmem;
  if ((P.cluster[0] | P.cluster[1] | P.cluster[2]) || O.Cooperative ||
      V.Cooperative ||
      (V.ExtraSmem && Smem > RT.Dev.LaunchLimits.MaxDynamicSmem) ||
      (Smem > 49152 && Smem > V.SmemOptIn.load(std::memory_order_acquire)))
    return launchWithAttributes(V, Fn, P, Args, O, Smem);
  // cuLaunchKernelEx for every launch: measured about 1 % cheaper than
  // cuLaunchKernel per call on an H200 (docs/benchmarks.md).
  CUlaunchConfig C = exConfig(P, Smem);
  CUresult R = RT.D->LaunchKernelEx(&C, Fn, Args, nullptr);
  if (R != CUDA_SUCCESS)
    return launchError(V, R);
  return Status::ok();
}

Status Kernel::Impl::launchWithAttributes(Variant &V, CUfunction Fn,
                                          const LaunchParams &P, void **Args,
                                          const LaunchOptions &O,
                                          uint64_t Smem) {
  if (V.ExtraSmem && Smem > RT.Dev.LaunchLimits.MaxDynamicSmem)
    return smemError(V, P);
  // Above 48 KiB the function must opt in; once per size increase.
  if (Smem > 49152 && Smem > V.SmemOptIn.load(std::memory_order_acquire))
    if (Status S = optIn(V, Fn, Smem))
      return S;
  bool HasCluster = P.cluster[0] | P.cluster[1] | P.cluster[2];
  bool Cooperative = O.Cooperative || V.Cooperative;
  // Both checks follow the opt-in: occupancy depends on it.
  if (HasCluster &&
      uint64_t(P.cluster[0]) * P.cluster[1] * P.cluster[2] > 8)
    if (Status S = checkCluster(V, Fn, P, Smem))
      return S;
  if (Cooperative)
    if (Status S = checkCooperative(V, Fn, P, Smem))
      return S;
  CUlaunchAttribute Attr;
  CUlaunchConfig C = exConfig(P, Smem);
  if (HasCluster || Cooperative) {
    if (Cooperative) {
      Attr.id = CU_LAUNCH_ATTRIBUTE_COOPERATIVE;
      Attr.value.cooperative = 1;
    } else {
      Attr.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
      Attr.value.clusterDim.x = P.cluster[0];
      Attr.value.clusterDim.y = P.cluster[1];
      Attr.value.clusterDim.z = P.cluster[2];
    }
    C.attrs = &Attr;
    C.numAttrs = 1;
  }
  CUresult R = RT.D->LaunchKernelEx(&C, Fn, Args, nullptr);
  if (R != CUDA_SUCCESS)
    return launchError(V, R);
  return Status::ok();
}

Status Kernel::Impl::smemError(const Variant &V, const LaunchParams &P) {
  return core::kernelError(
      LCS_ERROR_INVALID_CONFIG, Name,
      config::smemError(P.shared_mem_bytes, V.ExtraSmem, RT.Dev.LaunchLimits)
          .message());
}

Status Kernel::Impl::optIn(Variant &V, CUfunction Fn, uint64_t Smem) {
  // The limit only grows: concurrent launches must not lower it under
  // another.
  std::lock_guard<std::mutex> L(V.M);
  if (Smem <= V.SmemOptIn.load(std::memory_order_relaxed))
    return Status::ok();
  CUresult R = RT.D->FuncSetAttribute(
      Fn, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, int(Smem));
  if (R != CUDA_SUCCESS)
    return core::kernelError(LCS_ERROR_DRIVER, Name,
                             "setting the dynamic shared memory opt-in: " +
                                 driverErrorName(RT.D, R));
  V.SmemOptIn.store(uint32_t(Smem), std::memory_order_release);
  return Status::ok();
}

Status Kernel::Impl::launchError(const Variant &V, CUresult R) {
  return Status(LCS_ERROR_DRIVER, "kernel '" + Name + "' (" + V.Groups +
                                      "): launch failed: " +
                                      driverErrorName(RT.D, R));
}

Variant *Kernel::Impl::prepare(const LaunchParams &P, Status &Err) {
  unsigned Max = MaxVariants.load(std::memory_order_relaxed);
  bool PastBound = false;
  Variant *V = Table.findOrInsert(core::makeKey(P, groups()), !Record.Explicit,
                                  Max, P, Name, PastBound, Err);
  if (PastBound && log::enabled(log::Level::Warning))
    log::write(log::Level::Warning,
               "kernel '" + Name +
                   "' is explicitly sensitive and has more than " +
                   std::to_string(Max) + " variants; compiling more");
  if (!V)
    return nullptr;
  if ((Err = ensureCompiled(*V, P)))
    return nullptr;
  return V;
}

Status Kernel::Impl::launchSlow(const LaunchParams &P, void **Args,
                                const LaunchOptions &O) {
  Status S;
  Variant *V = prepare(P, S);
  if (!V)
    return S;
  // The next launch most likely repeats this one.
  Last.store(V, std::memory_order_release);
  return launchOn(*V, P, Args, O);
}

} // namespace lcs

namespace lcs {

Status Kernel::precompile(const std::vector<LaunchParams> &Configs,
                          std::vector<Status> &Out) {
  Impl &K = *I;
  Out.assign(Configs.size(), Status::ok());
  auto Fail = [&](size_t Index, const Status &S) {
    Out[Index] = S;
  };
  std::vector<size_t> Todo;
  {
    ScopedContext In(*K.RT.D, K.RT.Dev.Ctx);
    if (CUresult R = In.result())
      return core::kernelError(LCS_ERROR_DRIVER, K.Name,
                               std::string("making the runtime's context "
                                           "current: ") +
                                   In.failedCall() + ": " +
                                   driverErrorName(K.RT.D, R));
    // Checks and a generated kernel's discovery in this thread: discovery
    // is one generator run that the others would wait for anyway.
    for (size_t Index = 0; Index != Configs.size(); ++Index) {
      const LaunchParams &P = Configs[Index];
      Status S = K.RT.checkDevice(P, K.Name);
      if (!S && !K.Known.load(std::memory_order_acquire))
        S = K.discover(P);
      if (!S)
        S = K.checkKernel(P);
      if (S)
        Fail(Index, S);
      else
        Todo.push_back(Index);
    }
  }
  // Variants of one kernel compile concurrently (single flight per
  // variant), as many at once as there are compile workers.
  size_t Threads = std::min<size_t>(Todo.size(), K.RT.compileConcurrency());
  std::atomic<size_t> Next{0};
  auto Work = [&] {
    ScopedContext In(*K.RT.D, K.RT.Dev.Ctx);
    for (size_t J; (J = Next.fetch_add(1)) < Todo.size();) {
      size_t Index = Todo[J];
      if (CUresult R = In.result()) {
        Fail(Index, core::kernelError(
                        LCS_ERROR_DRIVER, K.Name,
                        std::string("making the runtime's context current: ") +
                            In.failedCall() + ": " +
                            driverErrorName(K.RT.D, R)));
        continue;
      }
      Status S;
      if (!K.prepare(Configs[Index], S))
        Fail(Index, S);
    }
  };
  std::vector<std::thread> Pool;
  for (size_t T = 1; T < Threads; ++T)
    Pool.emplace_back(Work);
  Work();
  for (std::thread &T : Pool)
    T.join();
  for (size_t Index = 0; Index != Out.size(); ++Index)
    if (Out[Index])
      return Status(Out[Index].code(), "configuration " +
                                           std::to_string(Index) + ": " +
                                           Out[Index].message());
  return Status::ok();
}

} // namespace lcs
