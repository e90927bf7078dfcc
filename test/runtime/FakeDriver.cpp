//===- FakeDriver.cpp - A CUDA driver for tests without a GPU -------------===//

#include "FakeDriver.h"

#include <cstdlib>
#include <cstring>

namespace lcs::test {

namespace {
FakeState State;
thread_local CUstreamCaptureMode CaptureMode = CU_STREAM_CAPTURE_MODE_GLOBAL;
// Opaque handles: small integers cast to pointers. A context's low four
// bits are its device: primary contexts are 0xc0 + device, created ones
// 0x100 * n + device.
constexpr uintptr_t PrimaryBase = 0xc0;
std::atomic<uintptr_t> Created{0};
thread_local CUcontext Current = nullptr;

CUcontext primaryOf(int Device) {
  return reinterpret_cast<CUcontext>(PrimaryBase + uintptr_t(Device));
}

CUresult init(unsigned) { return State.InitResult; }
CUresult driverGetVersion(int *V) {
  *V = 13000;
  return CUDA_SUCCESS;
}
CUresult deviceGetCount(int *N) {
  *N = State.DeviceCount;
  return CUDA_SUCCESS;
}
CUresult deviceGet(CUdevice *D, int Ordinal) {
  if (Ordinal < 0 || Ordinal >= State.DeviceCount)
    return CUDA_ERROR_INVALID_DEVICE;
  *D = Ordinal;
  return CUDA_SUCCESS;
}
CUresult deviceGetAttribute(int *V, CUdevice_attribute A, CUdevice Dev) {
  if (Dev < 0 || Dev >= State.DeviceCount)
    return CUDA_ERROR_INVALID_DEVICE;
  int Major = State.ComputeMajor[Dev];
  switch (A) {
  case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR:
    *V = Major;
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
    *V = Major >= 9;
    break;
  case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT:
    *V = 132;
    break;
  case CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH:
    *V = 1;
    break;
  default:
    *V = 0;
  }
  return CUDA_SUCCESS;
}
CUresult primaryRetain(CUcontext *C, CUdevice Dev) {
  if (Dev < 0 || Dev >= State.DeviceCount)
    return CUDA_ERROR_INVALID_DEVICE;
  *C = primaryOf(Dev);
  return CUDA_SUCCESS;
}
CUresult primaryRelease(CUdevice) { return CUDA_SUCCESS; }
CUresult ctxGetCurrent(CUcontext *C) {
  ++State.GetCurrents;
  *C = Current;
  return CUDA_SUCCESS;
}
CUresult ctxSetCurrent(CUcontext C) {
  Current = C;
  return CUDA_SUCCESS;
}
CUresult ctxGetDevice(CUdevice *D) {
  int Dev = fakeContextDevice(Current);
  if (Dev < 0)
    return CUDA_ERROR_INVALID_CONTEXT;
  *D = Dev;
  return CUDA_SUCCESS;
}
bool inContext() { return fakeContextDevice(Current) >= 0; }
CUresult moduleLoadData(CUmodule *M, const void *Image) {
  ++State.Loads;
  if (!inContext())
    return CUDA_ERROR_INVALID_CONTEXT;
  if (State.FailLoads > 0) {
    --State.FailLoads;
    return CUDA_ERROR_INVALID_IMAGE;
  }
  if (CaptureMode == CU_STREAM_CAPTURE_MODE_RELAXED)
    ++State.RelaxedLoads;
  std::lock_guard<std::mutex> L(State.M);
  State.Modules.emplace_back(static_cast<const char *>(Image));
  State.ModuleContexts.push_back(Current);
  *M = reinterpret_cast<CUmodule>(uintptr_t(State.Modules.size()));
  return CUDA_SUCCESS;
}
CUresult moduleUnload(CUmodule) { return CUDA_SUCCESS; }
CUresult moduleGetFunction(CUfunction *F, CUmodule M, const char *Name) {
  std::lock_guard<std::mutex> L(State.M);
  size_t I = reinterpret_cast<uintptr_t>(M) - 1;
  if (I >= State.Modules.size() ||
      State.Modules[I].find(std::string(".entry ") + Name) == std::string::npos)
    return CUDA_ERROR_NOT_FOUND;
  *F = reinterpret_cast<CUfunction>(uintptr_t(M) * 16);
  return CUDA_SUCCESS;
}
CUresult funcGetAttribute(int *V, CUfunction_attribute, CUfunction) {
  *V = 0;
  return CUDA_SUCCESS;
}
CUresult funcSetAttribute(CUfunction F, CUfunction_attribute A, int V) {
  std::lock_guard<std::mutex> L(State.M);
  if (A == CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES)
    State.SmemOptInSet = V;
  else
    State.FuncAttributes.push_back({F, A, V});
  return CUDA_SUCCESS;
}
CUresult occupancyBlocks(int *N, CUfunction, int, size_t) {
  ++State.OccupancyCalls;
  *N = State.BlocksPerSM;
  return CUDA_SUCCESS;
}
CUresult occupancyCluster(int *N, CUfunction, const CUlaunchConfig *) {
  ++State.OccupancyCalls;
  *N = State.MaxClusterSize;
  return CUDA_SUCCESS;
}
/// A function launches only in its module's context; the driver refuses it
/// elsewhere as driver 580 does: INVALID_CONTEXT with none current,
/// INVALID_HANDLE with another. Called under State.M.
CUresult launchable(CUfunction F) {
  size_t I = reinterpret_cast<uintptr_t>(F) / 16 - 1;
  if (I < State.ModuleContexts.size() && State.ModuleContexts[I] == Current)
    return CUDA_SUCCESS;
  return Current ? CUDA_ERROR_INVALID_HANDLE : CUDA_ERROR_INVALID_CONTEXT;
}
CUresult launchKernel(CUfunction F, unsigned GX, unsigned GY, unsigned GZ,
                      unsigned BX, unsigned BY, unsigned BZ, unsigned Smem,
                      CUstream, void **, void **) {
  std::lock_guard<std::mutex> L(State.M);
  if (CUresult R = launchable(F))
    return R;
  State.Launches.push_back(
      {F, Current, {GX, GY, GZ}, {BX, BY, BZ}, {0, 0, 0}, Smem, false});
  return CUDA_SUCCESS;
}
CUresult launchKernelEx(const CUlaunchConfig *C, CUfunction F, void **,
                        void **) {
  FakeLaunch FL{F,
                Current,
                {C->gridDimX, C->gridDimY, C->gridDimZ},
                {C->blockDimX, C->blockDimY, C->blockDimZ},
                {0, 0, 0},
                C->sharedMemBytes,
                true};
  for (unsigned I = 0; I != C->numAttrs; ++I) {
    if (C->attrs[I].id == CU_LAUNCH_ATTRIBUTE_COOPERATIVE)
      FL.Cooperative = C->attrs[I].value.cooperative != 0;
    if (C->attrs[I].id == CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION) {
      FL.Cluster[0] = C->attrs[I].value.clusterDim.x;
      FL.Cluster[1] = C->attrs[I].value.clusterDim.y;
      FL.Cluster[2] = C->attrs[I].value.clusterDim.z;
    }
  }
  std::lock_guard<std::mutex> L(State.M);
  if (CUresult R = launchable(F))
    return R;
  State.Launches.push_back(FL);
  return CUDA_SUCCESS;
}
CUresult exchangeCaptureMode(CUstreamCaptureMode *M) {
  std::swap(*M, CaptureMode);
  return CUDA_SUCCESS;
}
CUresult getErrorName(CUresult R, const char **Name) {
  *Name = R == CUDA_ERROR_INVALID_IMAGE     ? "CUDA_ERROR_INVALID_IMAGE"
          : R == CUDA_ERROR_NO_DEVICE       ? "CUDA_ERROR_NO_DEVICE"
          : R == CUDA_ERROR_INVALID_CONTEXT ? "CUDA_ERROR_INVALID_CONTEXT"
          : R == CUDA_ERROR_INVALID_DEVICE  ? "CUDA_ERROR_INVALID_DEVICE"
          : R == CUDA_ERROR_INVALID_HANDLE  ? "CUDA_ERROR_INVALID_HANDLE"
                                            : "CUDA_ERROR_FAKE";
  return CUDA_SUCCESS;
}

// Device memory: host allocations, their addresses as device pointers.
CUresult memAlloc(CUdeviceptr *P, size_t Bytes) {
  if (!inContext())
    return CUDA_ERROR_INVALID_CONTEXT;
  if (Bytes == 0)
    return CUDA_ERROR_INVALID_VALUE;
  void *Mem = std::malloc(Bytes);
  if (!Mem)
    return CUDA_ERROR_OUT_OF_MEMORY;
  std::lock_guard<std::mutex> L(State.M);
  ++State.Allocations;
  *P = CUdeviceptr(reinterpret_cast<uintptr_t>(Mem));
  return CUDA_SUCCESS;
}
CUresult memFree(CUdeviceptr P) {
  if (!inContext())
    return CUDA_ERROR_INVALID_CONTEXT;
  std::free(reinterpret_cast<void *>(uintptr_t(P)));
  std::lock_guard<std::mutex> L(State.M);
  --State.Allocations;
  return CUDA_SUCCESS;
}
CUresult memcpyHtoD(CUdeviceptr Dst, const void *Src, size_t Bytes) {
  if (!inContext())
    return CUDA_ERROR_INVALID_CONTEXT;
  std::memcpy(reinterpret_cast<void *>(uintptr_t(Dst)), Src, Bytes);
  return CUDA_SUCCESS;
}
CUresult memcpyDtoH(void *Dst, CUdeviceptr Src, size_t Bytes) {
  if (!inContext())
    return CUDA_ERROR_INVALID_CONTEXT;
  std::memcpy(Dst, reinterpret_cast<const void *>(uintptr_t(Src)), Bytes);
  return CUDA_SUCCESS;
}
CUresult memsetD8(CUdeviceptr Dst, unsigned char V, size_t Bytes) {
  if (!inContext())
    return CUDA_ERROR_INVALID_CONTEXT;
  std::memset(reinterpret_cast<void *>(uintptr_t(Dst)), V, Bytes);
  return CUDA_SUCCESS;
}
CUresult ctxSynchronize() {
  ++State.Synchronizes;
  return Current ? CUDA_SUCCESS : CUDA_ERROR_INVALID_CONTEXT;
}
CUresult ctxPushCurrent(CUcontext C) {
  Current = C;
  return CUDA_SUCCESS;
}
CUresult ctxPopCurrent(CUcontext *C) {
  if (C)
    *C = Current;
  Current = nullptr;
  return CUDA_SUCCESS;
}
CUresult deviceGetName(char *Name, int Len, CUdevice) {
  std::strncpy(Name, "Fake GPU", size_t(Len));
  if (Len > 0)
    Name[Len - 1] = '\0';
  return CUDA_SUCCESS;
}
CUresult moduleLoadDataEx(CUmodule *M, const void *Image, unsigned,
                          CUjit_option *, void **) {
  return moduleLoadData(M, Image);
}
CUresult streamCreate(CUstream *S, unsigned) {
  *S = reinterpret_cast<CUstream>(uintptr_t(0x5));
  return CUDA_SUCCESS;
}
CUresult streamDestroy(CUstream) { return CUDA_SUCCESS; }
CUresult streamSynchronize(CUstream) { return CUDA_SUCCESS; }

// Counted versions of the context and module calls, for the handle tests.
CUresult countedRetain(CUcontext *C, CUdevice D) {
  ++State.PrimaryRetains;
  return primaryRetain(C, D);
}
CUresult countedRelease(CUdevice D) {
  ++State.PrimaryReleases;
  return primaryRelease(D);
}
CUresult countedSetCurrent(CUcontext C) {
  ++State.SetCurrents;
  return ctxSetCurrent(C);
}
CUresult countedUnload(CUmodule M) {
  std::lock_guard<std::mutex> L(State.M);
  State.Unloads.push_back({M, Current});
  return moduleUnload(M);
}

/// The required entries; the optional ones stay null, as a driver without
/// them would leave them.
DriverTable makeTable() {
  DriverTable T{};
  T.Init = init;
  T.DriverGetVersion = driverGetVersion;
  T.DeviceGetCount = deviceGetCount;
  T.DeviceGet = deviceGet;
  T.DeviceGetAttribute = deviceGetAttribute;
  T.DeviceGetName = deviceGetName;
  T.DevicePrimaryCtxRetain = countedRetain;
  T.DevicePrimaryCtxRelease = countedRelease;
  T.CtxGetCurrent = ctxGetCurrent;
  T.CtxSetCurrent = countedSetCurrent;
  T.CtxPushCurrent = ctxPushCurrent;
  T.CtxPopCurrent = ctxPopCurrent;
  T.CtxGetDevice = ctxGetDevice;
  T.CtxSynchronize = ctxSynchronize;
  T.ModuleLoadData = moduleLoadData;
  T.ModuleLoadDataEx = moduleLoadDataEx;
  T.ModuleUnload = countedUnload;
  T.ModuleGetFunction = moduleGetFunction;
  T.FuncGetAttribute = funcGetAttribute;
  T.FuncSetAttribute = funcSetAttribute;
  T.LaunchKernel = launchKernel;
  T.LaunchKernelEx = launchKernelEx;
  T.ThreadExchangeStreamCaptureMode = exchangeCaptureMode;
  T.MemAlloc = memAlloc;
  T.MemFree = memFree;
  T.MemcpyHtoD = memcpyHtoD;
  T.MemcpyDtoH = memcpyDtoH;
  T.MemsetD8 = memsetD8;
  T.StreamCreate = streamCreate;
  T.StreamDestroy = streamDestroy;
  T.StreamSynchronize = streamSynchronize;
  T.GetErrorName = getErrorName;
  return T;
}
const DriverTable Table = makeTable();
DriverTable makeOccupancyTable() {
  DriverTable T = makeTable();
  T.OccupancyMaxActiveBlocksPerMultiprocessor = occupancyBlocks;
  T.OccupancyMaxPotentialClusterSize = occupancyCluster;
  return T;
}
const DriverTable OccupancyTable = makeOccupancyTable();
} // namespace

FakeState &fakeState() { return State; }
CUcontext fakeContext() { return primaryOf(0); }
CUcontext fakePrimaryContext(int Device) { return primaryOf(Device); }
CUcontext fakeCreateContext(int Device) {
  return reinterpret_cast<CUcontext>(0x100 * (++Created) + uintptr_t(Device));
}
int fakeContextDevice(CUcontext C) {
  uintptr_t V = reinterpret_cast<uintptr_t>(C);
  int Dev = int(V & 0xf);
  bool Primary = V >= PrimaryBase && V < PrimaryBase + MaxDevices;
  bool Made = V >= 0x100 && V / 0x100 <= Created.load();
  if (!(Primary || Made) || Dev >= State.DeviceCount)
    return -1;
  return Dev;
}
const DriverTable *fakeDriver() { return &Table; }
const DriverTable *fakeDriverWithOccupancy() { return &OccupancyTable; }

} // namespace lcs::test
