//===- Driver.h - The CUDA Driver API seam ----------------------*- C++ -*-===//
///
/// \file
/// Every driver call the runtime makes goes through one table of function
/// pointers with the Driver API's own signatures. loadDriver() fills it from
/// libcuda.so.1 with dlopen, so everything but launching works without a
/// driver; tests pass a fake table through RuntimeOptions. A plain table
/// (not virtual calls) keeps the launch path as cheap as calling the driver.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_DRIVER_H
#define LCS_DRIVER_H

#include <cuda.h>

#include <string>

namespace lcs {

struct DriverTable {
  CUresult (*Init)(unsigned);
  CUresult (*DriverGetVersion)(int *);
  CUresult (*DeviceGetCount)(int *);
  CUresult (*DeviceGet)(CUdevice *, int);
  CUresult (*DeviceGetAttribute)(int *, CUdevice_attribute, CUdevice);
  CUresult (*DevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*DevicePrimaryCtxRelease)(CUdevice);
  CUresult (*CtxGetCurrent)(CUcontext *);
  CUresult (*CtxSetCurrent)(CUcontext);
  CUresult (*CtxGetDevice)(CUdevice *);
  CUresult (*ModuleLoadData)(CUmodule *, const void *);
  CUresult (*ModuleUnload)(CUmodule);
  CUresult (*ModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*FuncGetAttribute)(int *, CUfunction_attribute, CUfunction);
  CUresult (*FuncSetAttribute)(CUfunction, CUfunction_attribute, int);
  CUresult (*LaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, CUstream, void **,
                           void **);
  CUresult (*LaunchKernelEx)(const CUlaunchConfig *, CUfunction, void **,
                             void **);
  CUresult (*ThreadExchangeStreamCaptureMode)(CUstreamCaptureMode *);
  CUresult (*GetErrorName)(CUresult, const char **);
};

/// The table for libcuda.so.1, loaded once per process; null with \p Error
/// saying why ("no CUDA driver: libcuda.so.1: cannot open shared object
/// file") when there is none.
const DriverTable *loadDriver(std::string &Error);

/// "CUDA_ERROR_INVALID_VALUE" for \p R, through \p D when it can.
std::string driverErrorName(const DriverTable *D, CUresult R);

} // namespace lcs

#endif // LCS_DRIVER_H
