//===- CudaDriver.cpp - The driver calls the GPU tests need ---------------===//

#include "CudaDriver.h"

namespace lcs::test {

CudaDriver &CudaDriver::get() {
  // Never destroyed: the tests' static buffers may be freed after it.
  static CudaDriver *Instance = new CudaDriver();
  return *Instance;
}

CudaDriver::CudaDriver() {
  Fn = loadDriver(Error);
  if (!Fn)
    return;
  // Stream capture and graphs are optional entries of the table.
  if (!Fn->StreamBeginCapture || !Fn->StreamEndCapture ||
      !Fn->GraphInstantiate || !Fn->GraphLaunch) {
    Error = "the CUDA driver lacks stream capture or graph entry points";
    return;
  }
  if (std::string E = check(Fn->Init(0), "cuInit"); !E.empty()) {
    Error = E;
    return;
  }
  int Count = 0;
  if (Fn->DeviceGetCount(&Count) != CUDA_SUCCESS || Count == 0) {
    Error = "no CUDA device";
    return;
  }
  CUdevice Device;
  std::string E = check(Fn->DeviceGet(&Device, 0), "cuDeviceGet");
  if (E.empty())
    E = check(Fn->DeviceGetAttribute(
                  &Major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, Device),
              "cuDeviceGetAttribute");
  if (E.empty())
    E = check(Fn->DeviceGetAttribute(
                  &Minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, Device),
              "cuDeviceGetAttribute");
  // Retained for the life of the process, like the instance.
  if (E.empty())
    E = check(Fn->DevicePrimaryCtxRetain(&Context, Device),
              "cuDevicePrimaryCtxRetain");
  if (E.empty())
    E = check(Fn->CtxSetCurrent(Context), "cuCtxSetCurrent");
  Error = E;
}

std::string CudaDriver::check(CUresult Result, const char *Call) {
  if (Result == CUDA_SUCCESS)
    return "";
  return std::string(Call) + ": " + driverErrorName(Fn, Result);
}

std::string CudaDriver::arch() const {
  return "sm_" + std::to_string(Major * 10 + Minor);
}

std::string CudaDriver::load(const std::string &Image,
                             const std::string &Kernel, void *&Module,
                             void *&Function) {
  CUmodule M = nullptr;
  if (std::string E =
          check(Fn->ModuleLoadData(&M, Image.data()), "cuModuleLoadData");
      !E.empty())
    return E;
  Module = M;
  CUfunction F = nullptr;
  std::string E = check(Fn->ModuleGetFunction(&F, M, Kernel.c_str()),
                        "cuModuleGetFunction");
  Function = F;
  return E;
}

void CudaDriver::unload(void *Module) {
  Fn->ModuleUnload(static_cast<CUmodule>(Module));
}

std::string CudaDriver::alloc(CUdeviceptr &Ptr, size_t Bytes) {
  return check(Fn->MemAlloc(&Ptr, Bytes), "cuMemAlloc");
}

void CudaDriver::free(CUdeviceptr Ptr) { Fn->MemFree(Ptr); }

std::string CudaDriver::upload(CUdeviceptr Dst, const void *Src,
                               size_t Bytes) {
  return check(Fn->MemcpyHtoD(Dst, Src, Bytes), "cuMemcpyHtoD");
}

std::string CudaDriver::download(void *Dst, CUdeviceptr Src, size_t Bytes) {
  return check(Fn->MemcpyDtoH(Dst, Src, Bytes), "cuMemcpyDtoH");
}

std::string CudaDriver::zero(CUdeviceptr Dst, size_t Bytes) {
  return check(Fn->MemsetD8(Dst, 0, Bytes), "cuMemsetD8");
}

std::string CudaDriver::launch(void *Function, const unsigned Grid[3],
                               const unsigned Block[3], unsigned Smem,
                               void **Args) {
  if (std::string E = check(
          Fn->LaunchKernel(static_cast<CUfunction>(Function), Grid[0],
                           Grid[1], Grid[2], Block[0], Block[1], Block[2],
                           Smem, nullptr, Args, nullptr),
          "cuLaunchKernel");
      !E.empty())
    return E;
  return check(Fn->CtxSynchronize(), "cuCtxSynchronize");
}

CUcontext CudaDriver::current() {
  CUcontext Ctx = nullptr;
  Fn->CtxGetCurrent(&Ctx);
  return Ctx;
}

std::string CudaDriver::setCurrent(CUcontext Ctx) {
  return check(Fn->CtxSetCurrent(Ctx), "cuCtxSetCurrent");
}

std::string CudaDriver::createContext(CUcontext &Ctx) {
  if (!Fn->CtxCreate)
    return "the CUDA driver lacks cuCtxCreate_v4";
  CUdevice Device;
  if (std::string E = check(Fn->DeviceGet(&Device, 0), "cuDeviceGet");
      !E.empty())
    return E;
  CUctxCreateParams Params = {};
  if (std::string E =
          check(Fn->CtxCreate(&Ctx, &Params, 0, Device), "cuCtxCreate");
      !E.empty())
    return E;
  // cuCtxCreate pushes the new context; popped, the caller's stack is as it
  // was (cuCtxSetCurrent replaces the top of the stack, null pops it).
  CUcontext Popped = nullptr;
  return check(Fn->CtxPopCurrent(&Popped), "cuCtxPopCurrent");
}

std::string CudaDriver::destroyContext(CUcontext Ctx) {
  return check(Fn->CtxDestroy(Ctx), "cuCtxDestroy");
}

std::string CudaDriver::makeCurrent() {
  return check(Fn->CtxSetCurrent(Context), "cuCtxSetCurrent");
}

std::string CudaDriver::synchronize() {
  return check(Fn->CtxSynchronize(), "cuCtxSynchronize");
}

std::string CudaDriver::streamCreate(void *&Stream) {
  CUstream S = nullptr;
  std::string E =
      check(Fn->StreamCreate(&S, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
  Stream = S;
  return E;
}

std::string CudaDriver::beginCapture(void *Stream) {
  // The strictest mode.
  return check(Fn->StreamBeginCapture(static_cast<CUstream>(Stream),
                                      CU_STREAM_CAPTURE_MODE_GLOBAL),
               "cuStreamBeginCapture");
}

std::string CudaDriver::endCaptureAndInstantiate(void *Stream,
                                                 void *&GraphExec) {
  CUgraph Graph = nullptr;
  if (std::string E = check(
          Fn->StreamEndCapture(static_cast<CUstream>(Stream), &Graph),
          "cuStreamEndCapture");
      !E.empty())
    return E;
  CUgraphExec Exec = nullptr;
  std::string E = check(Fn->GraphInstantiate(&Exec, Graph, 0),
                        "cuGraphInstantiateWithFlags");
  GraphExec = Exec;
  return E;
}

std::string CudaDriver::graphLaunch(void *GraphExec, void *Stream) {
  return check(Fn->GraphLaunch(static_cast<CUgraphExec>(GraphExec),
                               static_cast<CUstream>(Stream)),
               "cuGraphLaunch");
}

std::string CudaDriver::streamSynchronize(void *Stream) {
  return check(Fn->StreamSynchronize(static_cast<CUstream>(Stream)),
               "cuStreamSynchronize");
}

DeviceBuffer::DeviceBuffer(size_t Bytes) : Bytes(Bytes) {
  Err = CudaDriver::get().alloc(Ptr, Bytes ? Bytes : 1);
}

DeviceBuffer::~DeviceBuffer() {
  if (Ptr)
    CudaDriver::get().free(Ptr);
}

} // namespace lcs::test
