//===- Driver.h - The CUDA Driver API seam ----------------------*- C++ -*-===//
///
/// \file
/// Every driver call lcs makes (the runtime, lcs-bench, the GPU tests) goes
/// through one table of function pointers with the Driver API's own
/// signatures. loadDriver() fills it from libcuda.so.1 through
/// DynamicLibrary, so everything but running on a device works without a
/// driver; tests pass a fake table through RuntimeOptions. A plain table
/// (not virtual calls) keeps the launch path as cheap as calling the driver.
///
/// Required entries are in every CUDA 12 driver; loadDriver() fails, naming
/// the first one missing, if any is. Optional entries (marked below) are
/// null where the driver lacks them, and whoever uses one checks it first:
/// they serve tests, benchmarks and features that have a fall-back. A fake
/// table must fill the required entries and may leave the optional ones
/// null.
///
/// lcs/DriverHandles.h has the RAII owners of modules and contexts.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_DRIVER_H
#define LCS_DRIVER_H

#include <cuda.h>

#include <string>

namespace lcs {

struct DriverTable {
  // Initialisation and devices.
  CUresult (*Init)(unsigned);
  CUresult (*DriverGetVersion)(int *);
  CUresult (*DeviceGetCount)(int *);
  CUresult (*DeviceGet)(CUdevice *, int);
  CUresult (*DeviceGetAttribute)(int *, CUdevice_attribute, CUdevice);
  CUresult (*DeviceGetName)(char *, int, CUdevice);
  // Contexts.
  CUresult (*DevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*DevicePrimaryCtxRelease)(CUdevice);
  CUresult (*CtxGetCurrent)(CUcontext *);
  CUresult (*CtxSetCurrent)(CUcontext);
  CUresult (*CtxPushCurrent)(CUcontext);
  CUresult (*CtxPopCurrent)(CUcontext *);
  CUresult (*CtxGetDevice)(CUdevice *);
  CUresult (*CtxSynchronize)();
  // Modules and functions.
  CUresult (*ModuleLoadData)(CUmodule *, const void *);
  CUresult (*ModuleLoadDataEx)(CUmodule *, const void *, unsigned,
                               CUjit_option *, void **);
  CUresult (*ModuleUnload)(CUmodule);
  CUresult (*ModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*FuncGetAttribute)(int *, CUfunction_attribute, CUfunction);
  CUresult (*FuncSetAttribute)(CUfunction, CUfunction_attribute, int);
  // Launching.
  CUresult (*LaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, CUstream, void **,
                           void **);
  CUresult (*LaunchKernelEx)(const CUlaunchConfig *, CUfunction, void **,
                             void **);
  CUresult (*ThreadExchangeStreamCaptureMode)(CUstreamCaptureMode *);
  // Memory.
  CUresult (*MemAlloc)(CUdeviceptr *, size_t);
  CUresult (*MemFree)(CUdeviceptr);
  CUresult (*MemcpyHtoD)(CUdeviceptr, const void *, size_t);
  CUresult (*MemcpyDtoH)(void *, CUdeviceptr, size_t);
  CUresult (*MemsetD8)(CUdeviceptr, unsigned char, size_t);
  // Streams.
  CUresult (*StreamCreate)(CUstream *, unsigned);
  CUresult (*StreamDestroy)(CUstream);
  CUresult (*StreamSynchronize)(CUstream);
  // Errors.
  CUresult (*GetErrorName)(CUresult, const char **);

  // Optional from here on: null when the driver (or a fake) lacks them.
  // Events (lcs-bench's timing).
  CUresult (*EventCreate)(CUevent *, unsigned);
  CUresult (*EventDestroy)(CUevent);
  CUresult (*EventRecord)(CUevent, CUstream);
  CUresult (*EventSynchronize)(CUevent);
  /// cuEventElapsedTime_v2 where the driver has it, else cuEventElapsedTime.
  CUresult (*EventElapsedTime)(float *, CUevent, CUevent);
  // Stream capture and graphs (the GPU tests).
  CUresult (*StreamBeginCapture)(CUstream, CUstreamCaptureMode);
  CUresult (*StreamEndCapture)(CUstream, CUgraph *);
  CUresult (*GraphInstantiate)(CUgraphExec *, CUgraph, unsigned long long);
  CUresult (*GraphLaunch)(CUgraphExec, CUstream);
  CUresult (*GraphDestroy)(CUgraph);
  CUresult (*GraphExecDestroy)(CUgraphExec);
  // Occupancy (launch-configuration advice).
  CUresult (*OccupancyMaxActiveBlocksPerMultiprocessor)(int *, CUfunction, int,
                                                        size_t);
  CUresult (*OccupancyMaxPotentialClusterSize)(int *, CUfunction,
                                               const CUlaunchConfig *);
  // A context of the caller's own (the GPU tests' context changes). New
  // entries go last: a table built against an older header keeps its
  // layout up to here.
  CUresult (*CtxCreate)(CUcontext *, CUctxCreateParams *, unsigned, CUdevice);
  CUresult (*CtxDestroy)(CUcontext);
};

/// The table for libcuda.so.1, loaded once per process and never unloaded;
/// null with \p Error saying why ("no CUDA driver: libcuda.so.1: cannot open
/// shared object file...", or the first required entry missing) when there
/// is none.
const DriverTable *loadDriver(std::string &Error);

/// "CUDA_ERROR_INVALID_VALUE" for \p R, through \p D when it can.
std::string driverErrorName(const DriverTable *D, CUresult R);

} // namespace lcs

#endif // LCS_DRIVER_H
