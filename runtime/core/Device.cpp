//===- Device.cpp - The context a runtime serves --------------------------===//
//
// See Device.h.
//
//===----------------------------------------------------------------------===//

#include "Device.h"

#include "lcs/compile/Toolkit.h"

namespace lcs::core {

Status DeviceContext::open(const DriverTable &Driver,
                           std::optional<int> Ordinal) {
  D = &Driver;
  auto Check = [&](CUresult R, const std::string &Call) {
    return R == CUDA_SUCCESS
               ? Status::ok()
               : Status(R == CUDA_ERROR_NO_DEVICE ? LCS_ERROR_NO_DRIVER
                                                  : LCS_ERROR_DRIVER,
                        Call + ": " + driverErrorName(D, R));
  };
  if (Status S = Check(D->Init(0), "cuInit"))
    return S;
  CUcontext Current = nullptr;
  if (!Ordinal)
    if (Status S = Check(D->CtxGetCurrent(&Current), "cuCtxGetCurrent"))
      return S;
  if (Current) {
    if (Status S = Check(D->CtxGetDevice(&Device), "cuCtxGetDevice"))
      return S;
    Ctx = Current;
  } else {
    int Count = 0;
    if (D->DeviceGetCount(&Count) != CUDA_SUCCESS || Count == 0)
      return Status(LCS_ERROR_NO_DRIVER, "no CUDA device");
    int N = Ordinal.value_or(0);
    if (N < 0 || N >= Count)
      return Status(LCS_ERROR_INVALID_ARGUMENT,
                    "device " + std::to_string(N) + " does not exist; " +
                        std::to_string(Count) +
                        (Count == 1 ? " device (0)"
                                    : " devices (0 to " +
                                          std::to_string(Count - 1) + ")"));
    if (Status S = Check(D->DeviceGet(&Device, N),
                         "cuDeviceGet(" + std::to_string(N) + ")"))
      return S;
    if (Status S = Check(PrimaryContext::retain(*D, Device, Primary),
                         "cuDevicePrimaryCtxRetain(" + std::to_string(N) + ")"))
      return S;
    Ctx = Primary.get();
  }
  // An attribute the driver does not report keeps CUDA's fixed limit.
  auto Attr = [&](CUdevice_attribute A, uint32_t &Out) {
    int V = 0;
    if (D->DeviceGetAttribute(&V, A, Device) == CUDA_SUCCESS && V > 0)
      Out = uint32_t(V);
  };
  LaunchLimits = config::cudaLimits();
  uint32_t Major = 9, Minor = 0, ClusterLaunch = 0, Cooperative = 0;
  Attr(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, Major);
  Attr(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, Minor);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, LaunchLimits.MaxThreads);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X, LaunchLimits.MaxBlock[0]);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y, LaunchLimits.MaxBlock[1]);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z, LaunchLimits.MaxBlock[2]);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X, LaunchLimits.MaxGrid[0]);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y, LaunchLimits.MaxGrid[1]);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z, LaunchLimits.MaxGrid[2]);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN,
       LaunchLimits.MaxDynamicSmem);
  Attr(CU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH, ClusterLaunch);
  Attr(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, SMCount);
  Attr(CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH, Cooperative);
  CooperativeLaunch = Cooperative != 0;
  LaunchLimits.HasClusters = ClusterLaunch != 0;
  // Before a variant is known a cluster may have up to 16 blocks (what any
  // device allows with the non-portable attribute); past 8, the variant
  // decides: its attribute, then the occupancy calculator (Launch.cpp).
  LaunchLimits.MaxNonPortableClusterBlocks = LaunchLimits.HasClusters ? 16 : 0;
  LaunchLimits.SM = Major * 10 + Minor;
  LaunchLimits.Who = config::deviceName(LaunchLimits.SM);
  // The exact device: its arch-specific target where it has one, so that
  // kernels using wgmma, setmaxnreg or TMA can run.
  Arch = archForDevice(int(Major), int(Minor));
  return Status::ok();
}

} // namespace lcs::core
