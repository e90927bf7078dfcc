/* A stand-in libcuda.so.1 for the Python tests on machines without a GPU:
 * one device (compute capability 9.0), modules accepted as they are,
 * launches recorded (the first 8 bytes of up to 32 parameters each).
 * conftest.py builds it with the soname libcuda.so.1 and loads it before
 * lcs does, so that lcs's dlopen("libcuda.so.1") finds it. */
#include <cuda.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t M = PTHREAD_MUTEX_INITIALIZER;
static __thread CUcontext Current; /* per thread, as the driver's */
static int Modules, Launches;
static uint64_t LastParams[32];
static unsigned LastDims[7];
static CUstreamCaptureMode Capture = CU_STREAM_CAPTURE_MODE_GLOBAL;

CUresult cuInit(unsigned F) { (void)F; return CUDA_SUCCESS; }
CUresult cuDriverGetVersion(int *V) { *V = 13000; return CUDA_SUCCESS; }
CUresult cuDeviceGetCount(int *N) { *N = 1; return CUDA_SUCCESS; }
CUresult cuDeviceGet(CUdevice *D, int I) {
  *D = 0;
  return I == 0 ? CUDA_SUCCESS : CUDA_ERROR_INVALID_DEVICE;
}
CUresult cuDeviceGetAttribute(int *V, CUdevice_attribute A, CUdevice D) {
  (void)D;
  switch (A) {
  case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR: *V = 9; break;
  case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK:
  case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X:
  case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y: *V = 1024; break;
  case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z: *V = 64; break;
  case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X: *V = 0x7fffffff; break;
  case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y:
  case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z: *V = 65535; break;
  case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN: *V = 232448; break;
  case CU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH: *V = 1; break;
  case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT: *V = 132; break;
  case CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH: *V = 1; break;
  default: *V = 0;
  }
  return CUDA_SUCCESS;
}
CUresult cuDevicePrimaryCtxRetain(CUcontext *C, CUdevice D) {
  (void)D;
  *C = (CUcontext)(uintptr_t)0x1000;
  return CUDA_SUCCESS;
}
CUresult cuDevicePrimaryCtxRelease_v2(CUdevice D) { (void)D; return CUDA_SUCCESS; }
CUresult cuCtxGetCurrent(CUcontext *C) { *C = Current; return CUDA_SUCCESS; }
CUresult cuCtxSetCurrent(CUcontext C) { Current = C; return CUDA_SUCCESS; }
CUresult cuCtxGetDevice(CUdevice *D) { *D = 0; return CUDA_SUCCESS; }
/* A stack of one is enough for the runtime's push/pop around a call. */
static __thread CUcontext Pushed;
CUresult cuCtxPushCurrent_v2(CUcontext C) {
  Pushed = Current;
  Current = C;
  return CUDA_SUCCESS;
}
CUresult cuCtxPopCurrent_v2(CUcontext *C) {
  if (C)
    *C = Current;
  Current = Pushed;
  Pushed = 0;
  return CUDA_SUCCESS;
}
CUresult cuCtxSynchronize(void) { return CUDA_SUCCESS; }
CUresult cuDeviceGetName(char *Name, int Len, CUdevice D) {
  (void)D;
  snprintf(Name, (size_t)Len, "lcs fake device");
  return CUDA_SUCCESS;
}
/* Device memory is host memory: the tests only pass pointers around. */
CUresult cuMemAlloc_v2(CUdeviceptr *P, size_t Bytes) {
  void *H = malloc(Bytes ? Bytes : 1);
  if (!H)
    return CUDA_ERROR_OUT_OF_MEMORY;
  *P = (CUdeviceptr)(uintptr_t)H;
  return CUDA_SUCCESS;
}
CUresult cuMemFree_v2(CUdeviceptr P) {
  free((void *)(uintptr_t)P);
  return CUDA_SUCCESS;
}
CUresult cuMemcpyHtoD_v2(CUdeviceptr D, const void *H, size_t N) {
  memcpy((void *)(uintptr_t)D, H, N);
  return CUDA_SUCCESS;
}
CUresult cuMemcpyDtoH_v2(void *H, CUdeviceptr D, size_t N) {
  memcpy(H, (const void *)(uintptr_t)D, N);
  return CUDA_SUCCESS;
}
CUresult cuMemsetD8_v2(CUdeviceptr D, unsigned char V, size_t N) {
  memset((void *)(uintptr_t)D, V, N);
  return CUDA_SUCCESS;
}
CUresult cuStreamCreate(CUstream *S, unsigned F) {
  (void)F;
  *S = (CUstream)(uintptr_t)0x2000;
  return CUDA_SUCCESS;
}
CUresult cuStreamDestroy_v2(CUstream S) { (void)S; return CUDA_SUCCESS; }
CUresult cuStreamSynchronize(CUstream S) { (void)S; return CUDA_SUCCESS; }
CUresult cuModuleLoadData(CUmodule *Mod, const void *Image) {
  (void)Image;
  pthread_mutex_lock(&M);
  *Mod = (CUmodule)(uintptr_t)(++Modules);
  pthread_mutex_unlock(&M);
  return CUDA_SUCCESS;
}
CUresult cuModuleLoadDataEx(CUmodule *Mod, const void *Image, unsigned N,
                            CUjit_option *O, void **V) {
  (void)N;
  (void)O;
  (void)V;
  return cuModuleLoadData(Mod, Image);
}
CUresult cuModuleUnload(CUmodule Mod) { (void)Mod; return CUDA_SUCCESS; }
CUresult cuModuleGetFunction(CUfunction *F, CUmodule Mod, const char *Name) {
  (void)Name;
  *F = (CUfunction)((uintptr_t)Mod * 16);
  return CUDA_SUCCESS;
}
CUresult cuFuncGetAttribute(int *V, CUfunction_attribute A, CUfunction F) {
  (void)A; (void)F;
  *V = 0;
  return CUDA_SUCCESS;
}
CUresult cuFuncSetAttribute(CUfunction F, CUfunction_attribute A, int V) {
  (void)F; (void)A; (void)V;
  return CUDA_SUCCESS;
}
static void record(void **Params, const unsigned Dims[7]) {
  pthread_mutex_lock(&M);
  ++Launches;
  memset(LastParams, 0, sizeof LastParams);
  for (int I = 0; Params && I < 32 && Params[I]; ++I)
    memcpy(&LastParams[I], Params[I], 8);
  memcpy(LastDims, Dims, sizeof LastDims);
  pthread_mutex_unlock(&M);
}
CUresult cuLaunchKernel(CUfunction F, unsigned GX, unsigned GY, unsigned GZ,
                        unsigned BX, unsigned BY, unsigned BZ, unsigned Smem,
                        CUstream S, void **Params, void **Extra) {
  (void)F; (void)S; (void)Extra;
  unsigned Dims[7] = {GX, GY, GZ, BX, BY, BZ, Smem};
  record(Params, Dims);
  return CUDA_SUCCESS;
}
CUresult cuLaunchKernelEx(const CUlaunchConfig *C, CUfunction F, void **Params,
                          void **Extra) {
  (void)F; (void)Extra;
  unsigned Dims[7] = {C->gridDimX, C->gridDimY, C->gridDimZ, C->blockDimX,
                      C->blockDimY, C->blockDimZ, C->sharedMemBytes};
  record(Params, Dims);
  return CUDA_SUCCESS;
}
/* Two blocks of any size on each of the 132 SMs. */
CUresult cuOccupancyMaxActiveBlocksPerMultiprocessor(int *N, CUfunction F,
                                                     int Block, size_t Smem) {
  (void)F; (void)Block; (void)Smem;
  *N = 2;
  return CUDA_SUCCESS;
}
CUresult cuThreadExchangeStreamCaptureMode(CUstreamCaptureMode *Mode) {
  CUstreamCaptureMode Old = Capture;
  Capture = *Mode;
  *Mode = Old;
  return CUDA_SUCCESS;
}
CUresult cuGetErrorName(CUresult R, const char **Name) {
  (void)R;
  *Name = "CUDA_ERROR_FAKE";
  return CUDA_SUCCESS;
}

/* For the tests. */
int fake_launches(void) { return Launches; }
void fake_last_launch(uint64_t *Params, unsigned *Dims) {
  pthread_mutex_lock(&M);
  memcpy(Params, LastParams, sizeof LastParams);
  memcpy(Dims, LastDims, sizeof LastDims);
  pthread_mutex_unlock(&M);
}
