//===- TargetCheckDevice.cpp - The target of a device ---------------------===//
//
// Built into LCS::runtime, not LCS::compile: it needs the runtime's driver
// loader and the CUDA headers.
//
//===----------------------------------------------------------------------===//

#include "lcs/Driver.h"
#include "lcs/compile/TargetCheck.h"

using namespace llvm;

namespace lcs {

Expected<std::string> deviceArch(const DriverTable &D, int Ordinal) {
  auto Check = [&](CUresult R, const char *Call) -> Error {
    if (R == CUDA_SUCCESS)
      return Error::success();
    return createStringError(inconvertibleErrorCode(),
                             Twine("asking the driver for device ") +
                                 Twine(Ordinal) + "'s target: " + Call + ": " +
                                 driverErrorName(&D, R));
  };
  if (Error E = Check(D.Init(0), "cuInit"))
    return E;
  CUdevice Dev;
  if (Error E = Check(D.DeviceGet(&Dev, Ordinal), "cuDeviceGet"))
    return E;
  int Major = 0, Minor = 0;
  if (Error E =
          Check(D.DeviceGetAttribute(
                    &Major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, Dev),
                "cuDeviceGetAttribute"))
    return E;
  if (Error E =
          Check(D.DeviceGetAttribute(
                    &Minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, Dev),
                "cuDeviceGetAttribute"))
    return E;
  return archForDevice(Major, Minor);
}

Expected<std::string> nativeArch() {
  std::string Why;
  const DriverTable *D = loadDriver(Why);
  if (!D)
    return createStringError(inconvertibleErrorCode(),
                             "--arch=native needs the CUDA driver: " + Why);
  Expected<std::string> A = deviceArch(*D, 0);
  if (!A)
    return createStringError(inconvertibleErrorCode(),
                             "--arch=native: " + toString(A.takeError()));
  return A;
}

} // namespace lcs
