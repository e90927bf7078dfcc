//===- Driver.cpp - The CUDA Driver API seam ------------------------------===//
//
// See lcs/Driver.h. This is the one place that names the driver library.
//
//===----------------------------------------------------------------------===//

#include "lcs/Driver.h"

#include "lcs/DynamicLibrary.h"

#include <mutex>

namespace lcs {

namespace {
constexpr const char *DriverLibrary = "libcuda.so.1";

/// One table slot: its symbol (and an older one to fall back on).
struct Entry {
  void **Slot;
  const char *Name;
  const char *Fallback;
  bool Required;
};

template <typename Fn> void **slot(Fn *&F) {
  return reinterpret_cast<void **>(&F);
}
} // namespace

const DriverTable *loadDriver(std::string &Error) {
  static std::once_flag Once;
  // Never destroyed, and the library never closed: static destructors may
  // still unload modules through the table.
  static DriverTable *Table = nullptr;
  static std::string LoadError;
  std::call_once(Once, [] {
    std::string Why;
    DynamicLibrary Lib = DynamicLibrary::open({DriverLibrary}, Why);
    if (!Lib) {
      LoadError = "no CUDA driver: " + Why;
      return;
    }
    DriverTable T{};
    const Entry Entries[] = {
        {slot(T.Init), "cuInit", nullptr, true},
        {slot(T.DriverGetVersion), "cuDriverGetVersion", nullptr, true},
        {slot(T.DeviceGetCount), "cuDeviceGetCount", nullptr, true},
        {slot(T.DeviceGet), "cuDeviceGet", nullptr, true},
        {slot(T.DeviceGetAttribute), "cuDeviceGetAttribute", nullptr, true},
        {slot(T.DeviceGetName), "cuDeviceGetName", nullptr, true},
        {slot(T.DevicePrimaryCtxRetain), "cuDevicePrimaryCtxRetain", nullptr,
         true},
        {slot(T.DevicePrimaryCtxRelease), "cuDevicePrimaryCtxRelease_v2",
         nullptr, true},
        {slot(T.CtxGetCurrent), "cuCtxGetCurrent", nullptr, true},
        {slot(T.CtxSetCurrent), "cuCtxSetCurrent", nullptr, true},
        {slot(T.CtxPushCurrent), "cuCtxPushCurrent_v2", nullptr, true},
        {slot(T.CtxPopCurrent), "cuCtxPopCurrent_v2", nullptr, true},
        {slot(T.CtxGetDevice), "cuCtxGetDevice", nullptr, true},
        {slot(T.CtxSynchronize), "cuCtxSynchronize", nullptr, true},
        {slot(T.ModuleLoadData), "cuModuleLoadData", nullptr, true},
        {slot(T.ModuleLoadDataEx), "cuModuleLoadDataEx", nullptr, true},
        {slot(T.ModuleUnload), "cuModuleUnload", nullptr, true},
        {slot(T.ModuleGetFunction), "cuModuleGetFunction", nullptr, true},
        {slot(T.FuncGetAttribute), "cuFuncGetAttribute", nullptr, true},
        {slot(T.FuncSetAttribute), "cuFuncSetAttribute", nullptr, true},
        {slot(T.LaunchKernel), "cuLaunchKernel", nullptr, true},
        {slot(T.LaunchKernelEx), "cuLaunchKernelEx", nullptr, true},
        {slot(T.ThreadExchangeStreamCaptureMode),
         "cuThreadExchangeStreamCaptureMode", nullptr, true},
        {slot(T.MemAlloc), "cuMemAlloc_v2", nullptr, true},
        {slot(T.MemFree), "cuMemFree_v2", nullptr, true},
        {slot(T.MemcpyHtoD), "cuMemcpyHtoD_v2", nullptr, true},
        {slot(T.MemcpyDtoH), "cuMemcpyDtoH_v2", nullptr, true},
        {slot(T.MemsetD8), "cuMemsetD8_v2", nullptr, true},
        {slot(T.StreamCreate), "cuStreamCreate", nullptr, true},
        {slot(T.StreamDestroy), "cuStreamDestroy_v2", nullptr, true},
        {slot(T.StreamSynchronize), "cuStreamSynchronize", nullptr, true},
        {slot(T.GetErrorName), "cuGetErrorName", nullptr, true},
        {slot(T.EventCreate), "cuEventCreate", nullptr, false},
        {slot(T.EventDestroy), "cuEventDestroy_v2", nullptr, false},
        {slot(T.EventRecord), "cuEventRecord", nullptr, false},
        {slot(T.EventSynchronize), "cuEventSynchronize", nullptr, false},
        {slot(T.EventElapsedTime), "cuEventElapsedTime_v2",
         "cuEventElapsedTime", false},
        {slot(T.StreamBeginCapture), "cuStreamBeginCapture_v2", nullptr,
         false},
        {slot(T.StreamEndCapture), "cuStreamEndCapture", nullptr, false},
        {slot(T.GraphInstantiate), "cuGraphInstantiateWithFlags", nullptr,
         false},
        {slot(T.GraphLaunch), "cuGraphLaunch", nullptr, false},
        {slot(T.GraphDestroy), "cuGraphDestroy", nullptr, false},
        {slot(T.GraphExecDestroy), "cuGraphExecDestroy", nullptr, false},
        {slot(T.OccupancyMaxActiveBlocksPerMultiprocessor),
         "cuOccupancyMaxActiveBlocksPerMultiprocessor", nullptr, false},
        {slot(T.OccupancyMaxPotentialClusterSize),
         "cuOccupancyMaxPotentialClusterSize", nullptr, false},
        {slot(T.CtxCreate), "cuCtxCreate_v4", nullptr, false},
        {slot(T.CtxDestroy), "cuCtxDestroy_v2", nullptr, false},
    };
    for (const Entry &E : Entries) {
      *E.Slot = Lib.symbol(E.Name);
      if (!*E.Slot && E.Fallback)
        *E.Slot = Lib.symbol(E.Fallback);
      if (!*E.Slot && E.Required) {
        LoadError = std::string(DriverLibrary) + " has no " + E.Name +
                    " (driver too old for CUDA 12 and later?)";
        return; // Lib closes the library
      }
    }
    Lib.release();
    Table = new DriverTable(T);
  });
  Error = LoadError;
  return Table;
}

std::string driverErrorName(const DriverTable *D, CUresult R) {
  const char *Name = nullptr;
  if (D && D->GetErrorName && D->GetErrorName(R, &Name) == CUDA_SUCCESS &&
      Name)
    return Name;
  return "CUresult " + std::to_string(int(R));
}

} // namespace lcs
