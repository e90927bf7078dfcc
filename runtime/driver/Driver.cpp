//===- Driver.cpp - The CUDA Driver API seam ------------------------------===//

#include "lcs/Driver.h"

#include <dlfcn.h>
#include <mutex>

namespace lcs {

const DriverTable *loadDriver(std::string &Error) {
  static std::once_flag Once;
  // Never destroyed: the driver outlives static destructors that may still
  // unload modules.
  static DriverTable *Table = nullptr;
  static std::string LoadError;
  std::call_once(Once, [] {
    void *Lib = ::dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!Lib) {
      const char *Why = ::dlerror();
      LoadError = std::string("no CUDA driver: ") +
                  (Why ? Why : "libcuda.so.1 not found");
      return;
    }
    auto *T = new DriverTable();
    struct Entry {
      void **Slot;
      const char *Name;
    } Entries[] = {
        {(void **)&T->Init, "cuInit"},
        {(void **)&T->DriverGetVersion, "cuDriverGetVersion"},
        {(void **)&T->DeviceGetCount, "cuDeviceGetCount"},
        {(void **)&T->DeviceGet, "cuDeviceGet"},
        {(void **)&T->DeviceGetAttribute, "cuDeviceGetAttribute"},
        {(void **)&T->DevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain"},
        {(void **)&T->DevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2"},
        {(void **)&T->CtxGetCurrent, "cuCtxGetCurrent"},
        {(void **)&T->CtxSetCurrent, "cuCtxSetCurrent"},
        {(void **)&T->CtxGetDevice, "cuCtxGetDevice"},
        {(void **)&T->ModuleLoadData, "cuModuleLoadData"},
        {(void **)&T->ModuleUnload, "cuModuleUnload"},
        {(void **)&T->ModuleGetFunction, "cuModuleGetFunction"},
        {(void **)&T->FuncGetAttribute, "cuFuncGetAttribute"},
        {(void **)&T->FuncSetAttribute, "cuFuncSetAttribute"},
        {(void **)&T->LaunchKernel, "cuLaunchKernel"},
        {(void **)&T->LaunchKernelEx, "cuLaunchKernelEx"},
        {(void **)&T->ThreadExchangeStreamCaptureMode,
         "cuThreadExchangeStreamCaptureMode"},
        {(void **)&T->GetErrorName, "cuGetErrorName"},
    };
    for (const Entry &E : Entries)
      if (!(*E.Slot = ::dlsym(Lib, E.Name))) {
        LoadError = std::string("libcuda.so.1 has no ") + E.Name +
                    " (driver too old for CUDA 12 and later?)";
        delete T;
        return;
      }
    Table = T;
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
