//===- CudaDriver.cpp - The driver calls the GPU tests need ---------------===//

#include "CudaDriver.h"

#include <dlfcn.h>

namespace lcs::test {

// Driver API signatures, with handle types as void*; CUresult is an int.
struct CudaDriver::Api {
  int (*cuInit)(unsigned);
  int (*cuDeviceGetCount)(int *);
  int (*cuDeviceGet)(int *, int);
  int (*cuDeviceGetAttribute)(int *, int, int);
  int (*cuDevicePrimaryCtxRetain)(void **, int);
  int (*cuCtxSetCurrent)(void *);
  int (*cuModuleLoadData)(void **, const void *);
  int (*cuModuleUnload)(void *);
  int (*cuModuleGetFunction)(void **, void *, const char *);
  int (*cuMemAlloc)(CUdeviceptr *, size_t);
  int (*cuMemFree)(CUdeviceptr);
  int (*cuMemcpyHtoD)(CUdeviceptr, const void *, size_t);
  int (*cuMemcpyDtoH)(void *, CUdeviceptr, size_t);
  int (*cuMemsetD8)(CUdeviceptr, unsigned char, size_t);
  int (*cuLaunchKernel)(void *, unsigned, unsigned, unsigned, unsigned,
                        unsigned, unsigned, unsigned, void *, void **,
                        void **);
  int (*cuCtxSynchronize)();
  int (*cuGetErrorName)(int, const char **);
  int (*cuStreamCreate)(void **, unsigned);
  int (*cuStreamBeginCapture)(void *, int);
  int (*cuStreamEndCapture)(void *, void **);
  int (*cuGraphInstantiate)(void **, void *, unsigned long long);
  int (*cuGraphLaunch)(void *, void *);
  int (*cuStreamSynchronize)(void *);
};

CudaDriver &CudaDriver::get() {
  // Never destroyed: the driver may be unloaded before static destructors.
  static CudaDriver *Instance = new CudaDriver();
  return *Instance;
}

CudaDriver::CudaDriver() {
  void *Lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!Lib) {
    Error = "no CUDA driver (dlopen libcuda.so.1 failed)";
    return;
  }
  Fn = new Api();
  struct Entry {
    void **Slot;
    const char *Name;
  } Entries[] = {
      {(void **)&Fn->cuInit, "cuInit"},
      {(void **)&Fn->cuDeviceGetCount, "cuDeviceGetCount"},
      {(void **)&Fn->cuDeviceGet, "cuDeviceGet"},
      {(void **)&Fn->cuDeviceGetAttribute, "cuDeviceGetAttribute"},
      {(void **)&Fn->cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain"},
      {(void **)&Fn->cuCtxSetCurrent, "cuCtxSetCurrent"},
      {(void **)&Fn->cuModuleLoadData, "cuModuleLoadData"},
      {(void **)&Fn->cuModuleUnload, "cuModuleUnload"},
      {(void **)&Fn->cuModuleGetFunction, "cuModuleGetFunction"},
      {(void **)&Fn->cuMemAlloc, "cuMemAlloc_v2"},
      {(void **)&Fn->cuMemFree, "cuMemFree_v2"},
      {(void **)&Fn->cuMemcpyHtoD, "cuMemcpyHtoD_v2"},
      {(void **)&Fn->cuMemcpyDtoH, "cuMemcpyDtoH_v2"},
      {(void **)&Fn->cuMemsetD8, "cuMemsetD8_v2"},
      {(void **)&Fn->cuLaunchKernel, "cuLaunchKernel"},
      {(void **)&Fn->cuCtxSynchronize, "cuCtxSynchronize"},
      {(void **)&Fn->cuGetErrorName, "cuGetErrorName"},
      {(void **)&Fn->cuStreamCreate, "cuStreamCreate"},
      {(void **)&Fn->cuStreamBeginCapture, "cuStreamBeginCapture_v2"},
      {(void **)&Fn->cuStreamEndCapture, "cuStreamEndCapture"},
      {(void **)&Fn->cuGraphInstantiate, "cuGraphInstantiateWithFlags"},
      {(void **)&Fn->cuGraphLaunch, "cuGraphLaunch"},
      {(void **)&Fn->cuStreamSynchronize, "cuStreamSynchronize"},
  };
  for (const Entry &E : Entries)
    if (!(*E.Slot = dlsym(Lib, E.Name))) {
      Error = std::string("libcuda.so.1 lacks ") + E.Name;
      return;
    }
  if (std::string E = check(Fn->cuInit(0), "cuInit"); !E.empty()) {
    Error = E;
    return;
  }
  int Count = 0;
  if (Fn->cuDeviceGetCount(&Count) != 0 || Count == 0) {
    Error = "no CUDA device";
    return;
  }
  int Device;
  std::string E = check(Fn->cuDeviceGet(&Device, 0), "cuDeviceGet");
  if (E.empty()) // 75, 76: compute capability major, minor.
    E = check(Fn->cuDeviceGetAttribute(&Major, 75, Device),
              "cuDeviceGetAttribute");
  if (E.empty())
    E = check(Fn->cuDeviceGetAttribute(&Minor, 76, Device),
              "cuDeviceGetAttribute");
  if (E.empty())
    E = check(Fn->cuDevicePrimaryCtxRetain(&Context, Device),
              "cuDevicePrimaryCtxRetain");
  if (E.empty())
    E = check(Fn->cuCtxSetCurrent(Context), "cuCtxSetCurrent");
  Error = E;
}

std::string CudaDriver::check(int Result, const char *Call) {
  if (Result == 0)
    return "";
  const char *Name = nullptr;
  if (Fn && Fn->cuGetErrorName)
    Fn->cuGetErrorName(Result, &Name);
  return std::string(Call) + ": " +
         (Name ? Name : "CUresult " + std::to_string(Result));
}

std::string CudaDriver::arch() const {
  return "sm_" + std::to_string(Major * 10 + Minor);
}

std::string CudaDriver::load(const std::string &Image,
                             const std::string &Kernel, void *&Module,
                             void *&Function) {
  if (std::string E = check(Fn->cuModuleLoadData(&Module, Image.data()),
                            "cuModuleLoadData");
      !E.empty())
    return E;
  return check(Fn->cuModuleGetFunction(&Function, Module, Kernel.c_str()),
               "cuModuleGetFunction");
}

void CudaDriver::unload(void *Module) { Fn->cuModuleUnload(Module); }

std::string CudaDriver::alloc(CUdeviceptr &Ptr, size_t Bytes) {
  return check(Fn->cuMemAlloc(&Ptr, Bytes), "cuMemAlloc");
}

void CudaDriver::free(CUdeviceptr Ptr) { Fn->cuMemFree(Ptr); }

std::string CudaDriver::upload(CUdeviceptr Dst, const void *Src,
                               size_t Bytes) {
  return check(Fn->cuMemcpyHtoD(Dst, Src, Bytes), "cuMemcpyHtoD");
}

std::string CudaDriver::download(void *Dst, CUdeviceptr Src, size_t Bytes) {
  return check(Fn->cuMemcpyDtoH(Dst, Src, Bytes), "cuMemcpyDtoH");
}

std::string CudaDriver::zero(CUdeviceptr Dst, size_t Bytes) {
  return check(Fn->cuMemsetD8(Dst, 0, Bytes), "cuMemsetD8");
}

std::string CudaDriver::launch(void *Function, const unsigned Grid[3],
                               const unsigned Block[3], unsigned Smem,
                               void **Args) {
  if (std::string E = check(Fn->cuLaunchKernel(Function, Grid[0], Grid[1],
                                               Grid[2], Block[0], Block[1],
                                               Block[2], Smem, nullptr, Args,
                                               nullptr),
                            "cuLaunchKernel");
      !E.empty())
    return E;
  return check(Fn->cuCtxSynchronize(), "cuCtxSynchronize");
}

std::string CudaDriver::makeCurrent() {
  return check(Fn->cuCtxSetCurrent(Context), "cuCtxSetCurrent");
}

std::string CudaDriver::synchronize() {
  return check(Fn->cuCtxSynchronize(), "cuCtxSynchronize");
}

std::string CudaDriver::streamCreate(void *&Stream) {
  return check(Fn->cuStreamCreate(&Stream, 1 /*non-blocking*/),
               "cuStreamCreate");
}

std::string CudaDriver::beginCapture(void *Stream) {
  // CU_STREAM_CAPTURE_MODE_GLOBAL: the strictest mode.
  return check(Fn->cuStreamBeginCapture(Stream, 0), "cuStreamBeginCapture");
}

std::string CudaDriver::endCaptureAndInstantiate(void *Stream,
                                                 void *&GraphExec) {
  void *Graph = nullptr;
  if (std::string E = check(Fn->cuStreamEndCapture(Stream, &Graph),
                            "cuStreamEndCapture");
      !E.empty())
    return E;
  return check(Fn->cuGraphInstantiate(&GraphExec, Graph, 0),
               "cuGraphInstantiateWithFlags");
}

std::string CudaDriver::graphLaunch(void *GraphExec, void *Stream) {
  return check(Fn->cuGraphLaunch(GraphExec, Stream), "cuGraphLaunch");
}

std::string CudaDriver::streamSynchronize(void *Stream) {
  return check(Fn->cuStreamSynchronize(Stream), "cuStreamSynchronize");
}

DeviceBuffer::DeviceBuffer(size_t Bytes) : Bytes(Bytes) {
  Err = CudaDriver::get().alloc(Ptr, Bytes ? Bytes : 1);
}

DeviceBuffer::~DeviceBuffer() {
  if (Ptr)
    CudaDriver::get().free(Ptr);
}

} // namespace lcs::test
