//===- DriverHandles.cpp - Owners of driver modules and contexts ----------===//
//
// See lcs/DriverHandles.h.
//
//===----------------------------------------------------------------------===//

#include "lcs/DriverHandles.h"

namespace lcs {

ScopedContext::ScopedContext(const DriverTable &D, CUcontext Ctx,
                             bool MaySwitch) noexcept
    : D(D) {
  if ((Result = D.CtxGetCurrent(&Previous)) != CUDA_SUCCESS) {
    Failed = "cuCtxGetCurrent";
    return;
  }
  enter(Ctx, MaySwitch);
}

ScopedContext::ScopedContext(const DriverTable &D, CUcontext Ctx,
                             bool MaySwitch, CUcontext Current) noexcept
    : D(D), Previous(Current) {
  enter(Ctx, MaySwitch);
}

void ScopedContext::enter(CUcontext Ctx, bool MaySwitch) noexcept {
  WasCurrent = Previous == Ctx;
  if (WasCurrent || !MaySwitch)
    return;
  if ((Result = D.CtxSetCurrent(Ctx)) != CUDA_SUCCESS) {
    Failed = "cuCtxSetCurrent";
    return;
  }
  Switched = true;
}

ScopedContext::~ScopedContext() {
  if (Switched)
    D.CtxSetCurrent(Previous);
}

CUresult ModuleHandle::load(const DriverTable &D, CUcontext Ctx,
                            const void *Image, ModuleHandle &Out) {
  Out.reset();
  CUmodule M = nullptr;
  if (Ctx) {
    ScopedContext In(D, Ctx);
    if (In.result() != CUDA_SUCCESS)
      return In.result();
    if (CUresult R = D.ModuleLoadData(&M, Image))
      return R;
  } else if (CUresult R = D.ModuleLoadData(&M, Image)) {
    return R;
  }
  Out = ModuleHandle(D, M, Ctx);
  return CUDA_SUCCESS;
}

void ModuleHandle::reset() noexcept {
  if (!M)
    return;
  CUmodule Old = std::exchange(M, nullptr);
  if (!Ctx) {
    D->ModuleUnload(Old);
    return;
  }
  // A module is unloaded from its own context; where that context cannot
  // be made current (the driver is shutting down) there is nothing to free.
  ScopedContext In(*D, Ctx);
  if (In.result() == CUDA_SUCCESS)
    D->ModuleUnload(Old);
  Ctx = nullptr;
}

CUresult PrimaryContext::retain(const DriverTable &D, CUdevice Device,
                                PrimaryContext &Out) {
  Out.reset();
  CUcontext Ctx = nullptr;
  if (CUresult R = D.DevicePrimaryCtxRetain(&Ctx, Device))
    return R;
  Out.D = &D;
  Out.Device = Device;
  Out.Ctx = Ctx;
  return CUDA_SUCCESS;
}

void PrimaryContext::reset() noexcept {
  if (Ctx)
    D->DevicePrimaryCtxRelease(Device);
  Ctx = nullptr;
}

} // namespace lcs
