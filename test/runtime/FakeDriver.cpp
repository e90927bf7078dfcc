//===- FakeDriver.cpp - A CUDA driver for tests without a GPU -------------===//

#include "FakeDriver.h"

#include <cstring>

namespace lcs::test {

namespace {
FakeState State;
thread_local CUstreamCaptureMode CaptureMode = CU_STREAM_CAPTURE_MODE_GLOBAL;
// Opaque handles: small integers cast to pointers.
CUcontext TheContext = reinterpret_cast<CUcontext>(uintptr_t(0xc0));
thread_local CUcontext Current = nullptr;

CUresult init(unsigned) { return State.InitResult; }
CUresult driverGetVersion(int *V) {
  *V = 13000;
  return CUDA_SUCCESS;
}
CUresult deviceGetCount(int *N) {
  *N = 1;
  return CUDA_SUCCESS;
}
CUresult deviceGet(CUdevice *D, int) {
  *D = 0;
  return CUDA_SUCCESS;
}
CUresult deviceGetAttribute(int *V, CUdevice_attribute A, CUdevice) {
  switch (A) {
  case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR:
    *V = State.ComputeMajor;
    break;
  case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR:
    *V = 0;
    break;
  case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK:
  case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X:
  case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y:
    *V = 1024;
    break;
  case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z:
    *V = 64;
    break;
  case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X:
    *V = 0x7fffffff;
    break;
  case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y:
  case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z:
    *V = 65535;
    break;
  case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN:
    *V = 232448;
    break;
  case CU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH:
    *V = State.ComputeMajor >= 9;
    break;
  default:
    *V = 0;
  }
  return CUDA_SUCCESS;
}
CUresult primaryRetain(CUcontext *C, CUdevice) {
  *C = TheContext;
  return CUDA_SUCCESS;
}
CUresult primaryRelease(CUdevice) { return CUDA_SUCCESS; }
CUresult ctxGetCurrent(CUcontext *C) {
  *C = Current;
  return CUDA_SUCCESS;
}
CUresult ctxSetCurrent(CUcontext C) {
  Current = C;
  return CUDA_SUCCESS;
}
CUresult ctxGetDevice(CUdevice *D) {
  *D = 0;
  return CUDA_SUCCESS;
}
CUresult moduleLoadData(CUmodule *M, const void *Image) {
  ++State.Loads;
  if (State.FailLoads > 0) {
    --State.FailLoads;
    return CUDA_ERROR_INVALID_IMAGE;
  }
  if (CaptureMode == CU_STREAM_CAPTURE_MODE_RELAXED)
    ++State.RelaxedLoads;
  std::lock_guard<std::mutex> L(State.M);
  State.Modules.emplace_back(static_cast<const char *>(Image));
  *M = reinterpret_cast<CUmodule>(uintptr_t(State.Modules.size()));
  return CUDA_SUCCESS;
}
CUresult moduleUnload(CUmodule) { return CUDA_SUCCESS; }
CUresult moduleGetFunction(CUfunction *F, CUmodule M, const char *Name) {
  std::lock_guard<std::mutex> L(State.M);
  size_t I = reinterpret_cast<uintptr_t>(M) - 1;
  if (I >= State.Modules.size() ||
      State.Modules[I].find(std::string(".entry ") + Name) ==
          std::string::npos)
    return CUDA_ERROR_NOT_FOUND;
  *F = reinterpret_cast<CUfunction>(uintptr_t(M) * 16);
  return CUDA_SUCCESS;
}
CUresult funcGetAttribute(int *V, CUfunction_attribute, CUfunction) {
  *V = 0;
  return CUDA_SUCCESS;
}
CUresult funcSetAttribute(CUfunction, CUfunction_attribute, int V) {
  State.SmemOptInSet = V;
  return CUDA_SUCCESS;
}
CUresult launchKernel(CUfunction F, unsigned GX, unsigned GY, unsigned GZ,
                      unsigned BX, unsigned BY, unsigned BZ, unsigned Smem,
                      CUstream, void **, void **) {
  std::lock_guard<std::mutex> L(State.M);
  State.Launches.push_back({F, {GX, GY, GZ}, {BX, BY, BZ}, {0, 0, 0}, Smem,
                            false});
  return CUDA_SUCCESS;
}
CUresult launchKernelEx(const CUlaunchConfig *C, CUfunction F, void **,
                        void **) {
  FakeLaunch FL{F,
                {C->gridDimX, C->gridDimY, C->gridDimZ},
                {C->blockDimX, C->blockDimY, C->blockDimZ},
                {0, 0, 0},
                C->sharedMemBytes,
                true};
  for (unsigned I = 0; I != C->numAttrs; ++I)
    if (C->attrs[I].id == CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION) {
      FL.Cluster[0] = C->attrs[I].value.clusterDim.x;
      FL.Cluster[1] = C->attrs[I].value.clusterDim.y;
      FL.Cluster[2] = C->attrs[I].value.clusterDim.z;
    }
  std::lock_guard<std::mutex> L(State.M);
  State.Launches.push_back(FL);
  return CUDA_SUCCESS;
}
CUresult exchangeCaptureMode(CUstreamCaptureMode *M) {
  std::swap(*M, CaptureMode);
  return CUDA_SUCCESS;
}
CUresult getErrorName(CUresult R, const char **Name) {
  *Name = R == CUDA_ERROR_INVALID_IMAGE ? "CUDA_ERROR_INVALID_IMAGE"
          : R == CUDA_ERROR_NO_DEVICE   ? "CUDA_ERROR_NO_DEVICE"
                                        : "CUDA_ERROR_FAKE";
  return CUDA_SUCCESS;
}

const DriverTable Table = {
    init,          driverGetVersion, deviceGetCount,  deviceGet,
    deviceGetAttribute, primaryRetain, primaryRelease, ctxGetCurrent,
    ctxSetCurrent, ctxGetDevice,     moduleLoadData,  moduleUnload,
    moduleGetFunction, funcGetAttribute, funcSetAttribute, launchKernel,
    launchKernelEx, exchangeCaptureMode, getErrorName,
};
} // namespace

FakeState &fakeState() { return State; }
const DriverTable *fakeDriver() { return &Table; }

} // namespace lcs::test
