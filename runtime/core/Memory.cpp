//===- Memory.cpp - Device memory in a runtime's context ------------------===//
//
// Examples and frontends that must start on machines without a driver get
// device memory here rather than from libcuda directly (see lcs.h). Each
// call runs in the runtime's context and leaves the caller's current.
//
//===----------------------------------------------------------------------===//

#include "lcs/DriverHandles.h"
#include "lcs/Runtime.h"

namespace lcs {

namespace {
/// Runs \p Call in \p RT's context; an error names \p What and the
/// driver's error.
template <typename CallT>
Status inContext(const Runtime &RT, const std::string &What, CallT Call) {
  const DriverTable &D = RT.driver();
  ScopedContext In(D, RT.context());
  if (CUresult R = In.result())
    return Status(LCS_ERROR_DRIVER, What + ": " + In.failedCall() + ": " +
                                        driverErrorName(&D, R));
  if (CUresult R = Call(D))
    return Status(LCS_ERROR_DRIVER, What + ": " + driverErrorName(&D, R));
  return Status::ok();
}

std::string bytes(size_t N) { return std::to_string(N) + " bytes"; }
} // namespace

Status Runtime::allocate(size_t Bytes, CUdeviceptr &Out) {
  Out = 0;
  if (Bytes == 0)
    return Status(LCS_ERROR_INVALID_ARGUMENT,
                  "allocating device memory: the size is 0 bytes");
  return inContext(*this, "cuMemAlloc (" + bytes(Bytes) + ")",
                   [&](const DriverTable &D) { return D.MemAlloc(&Out, Bytes); });
}

Status Runtime::deallocate(CUdeviceptr Ptr) {
  if (!Ptr)
    return Status::ok();
  return inContext(*this, "cuMemFree",
                   [&](const DriverTable &D) { return D.MemFree(Ptr); });
}

Status Runtime::copyToDevice(CUdeviceptr Dst, const void *Src, size_t Bytes) {
  if (Bytes == 0)
    return Status::ok();
  return inContext(*this, "cuMemcpyHtoD (" + bytes(Bytes) + ")",
                   [&](const DriverTable &D) {
                     return D.MemcpyHtoD(Dst, Src, Bytes);
                   });
}

Status Runtime::copyToHost(void *Dst, CUdeviceptr Src, size_t Bytes) {
  if (Bytes == 0)
    return Status::ok();
  return inContext(*this, "cuMemcpyDtoH (" + bytes(Bytes) + ")",
                   [&](const DriverTable &D) {
                     return D.MemcpyDtoH(Dst, Src, Bytes);
                   });
}

Status Runtime::fill(CUdeviceptr Dst, unsigned char Value, size_t Bytes) {
  if (Bytes == 0)
    return Status::ok();
  return inContext(*this, "cuMemsetD8 (" + bytes(Bytes) + ")",
                   [&](const DriverTable &D) {
                     return D.MemsetD8(Dst, Value, Bytes);
                   });
}

Status Runtime::synchronize() {
  return inContext(*this, "cuCtxSynchronize", [](const DriverTable &D) {
    return D.CtxSynchronize();
  });
}

} // namespace lcs
