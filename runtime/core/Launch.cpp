//===- Launch.cpp - Kernel::launch ----------------------------------------===//
//
// The hit path: validate against the device's and the kernel's limits,
// build the variant key from the groups in use, probe the kernel's table
// without a lock, make sure the runtime's context is current, launch. No
// lock, no allocation, no IR; when the caller is already in the runtime's
// context, one cuCtxGetCurrent is the only driver call besides the launch.
// Anything else (discovery, the bound, compiling, loading) is the slow
// path, taken once per variant, in the runtime's context too.
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"

#include "lcs/Log.h"

namespace lcs {

using core::Variant;
using core::VKey;

Kernel::Kernel(std::unique_ptr<Impl> I) : I(std::move(I)) {}
Kernel::~Kernel() = default;

Status Kernel::launch(const LaunchParams &P, void **Args) {
  Impl &K = *I;
  K.RT.Launches.fetch_add(1, std::memory_order_relaxed);
  if (Status S = K.RT.checkDevice(P, K.Name)) {
    K.RT.Rejected.fetch_add(1, std::memory_order_relaxed);
    return S;
  }
  // Generators, loads and the launch run in the runtime's context; the
  // caller's comes back when this returns.
  ScopedContext In(*K.RT.D, K.RT.Dev.Ctx);
  if (CUresult R = In.result()) {
    K.RT.Rejected.fetch_add(1, std::memory_order_relaxed);
    return core::kernelError(LCS_ERROR_DRIVER, K.Name,
                             std::string("making the runtime's context "
                                         "current: ") +
                                 In.failedCall() + ": " +
                                 driverErrorName(K.RT.D, R));
  }
  if (!K.Known.load(std::memory_order_acquire))
    if (Status S = K.discover(P)) {
      K.RT.Rejected.fetch_add(1, std::memory_order_relaxed);
      return S;
    }
  if (Status S = K.checkKernel(P)) {
    K.RT.Rejected.fetch_add(1, std::memory_order_relaxed);
    return S;
  }
  VKey Key = core::makeKey(P, K.groups());
  Variant *V = K.Last.load(std::memory_order_acquire);
  if (!V || !(V->Key == Key)) {
    V = K.Table.lookup(Key, !K.Record.Explicit,
                       K.MaxVariants.load(std::memory_order_relaxed));
    if (V)
      K.Last.store(V, std::memory_order_release);
  }
  if (V)
    if (CUfunction Fn = V->Fn.load(std::memory_order_acquire))
      return K.launchOn(*V, Fn, P, Args);
  K.RT.SlowLaunches.fetch_add(1, std::memory_order_relaxed);
  return K.launchSlow(P, Args);
}

Status Kernel::Impl::launchOn(Variant &V, CUfunction Fn, const LaunchParams &P,
                              void **Args) {
  const DriverTable &D = *RT.D;
  const Limits &Device = RT.Dev.LaunchLimits;
  uint64_t Smem = uint64_t(P.shared_mem_bytes) + V.ExtraSmem;
  if (V.ExtraSmem && Smem > Device.MaxDynamicSmem)
    return core::kernelError(
        LCS_ERROR_INVALID_CONFIG, Name,
        config::smemError(P.shared_mem_bytes, V.ExtraSmem, Device).message());
  // Above 48 KiB the function must opt in; once per size increase. The
  // limit only grows: concurrent launches must not lower it under another.
  if (Smem > 49152 && Smem > V.SmemOptIn.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> L(V.M);
    if (Smem > V.SmemOptIn.load(std::memory_order_relaxed)) {
      CUresult R = D.FuncSetAttribute(
          Fn, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, int(Smem));
      if (R != CUDA_SUCCESS)
        return core::kernelError(LCS_ERROR_DRIVER, Name,
                                 "setting the dynamic shared memory opt-in: " +
                                     driverErrorName(&D, R));
      V.SmemOptIn.store(uint32_t(Smem), std::memory_order_release);
    }
  }
  CUresult R;
  if (P.cluster[0] | P.cluster[1] | P.cluster[2]) {
    CUlaunchAttribute Attr;
    Attr.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
    Attr.value.clusterDim.x = P.cluster[0];
    Attr.value.clusterDim.y = P.cluster[1];
    Attr.value.clusterDim.z = P.cluster[2];
    CUlaunchConfig C = {};
    C.gridDimX = P.grid[0];
    C.gridDimY = P.grid[1];
    C.gridDimZ = P.grid[2];
    C.blockDimX = P.block[0];
    C.blockDimY = P.block[1];
    C.blockDimZ = P.block[2];
    C.sharedMemBytes = uint32_t(Smem);
    C.hStream = static_cast<CUstream>(P.stream);
    C.attrs = &Attr;
    C.numAttrs = 1;
    R = D.LaunchKernelEx(&C, Fn, Args, nullptr);
  } else {
    R = D.LaunchKernel(Fn, P.grid[0], P.grid[1], P.grid[2], P.block[0],
                       P.block[1], P.block[2], uint32_t(Smem),
                       static_cast<CUstream>(P.stream), Args, nullptr);
  }
  if (R != CUDA_SUCCESS)
    return Status(LCS_ERROR_DRIVER,
                  "kernel '" + Name + "' (" + V.Groups +
                      "): launch failed: " + driverErrorName(&D, R));
  return Status::ok();
}

Status Kernel::Impl::launchSlow(const LaunchParams &P, void **Args) {
  unsigned Max = MaxVariants.load(std::memory_order_relaxed);
  bool PastBound = false;
  Status S;
  Variant *V = Table.findOrInsert(core::makeKey(P, groups()), !Record.Explicit,
                                  Max, P, Name, PastBound, S);
  if (PastBound && log::enabled(log::Level::Warning))
    log::write(log::Level::Warning,
               "kernel '" + Name +
                   "' is explicitly sensitive and has more than " +
                   std::to_string(Max) + " variants; compiling more");
  if (!V)
    return S;
  if (Status C = ensureCompiled(*V, P))
    return C;
  return launchOn(*V, V->Fn.load(std::memory_order_acquire), P, Args);
}

} // namespace lcs
