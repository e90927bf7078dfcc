//===- BenchDriver.cpp - Driver calls the benchmarks need -----------------===//

#include "BenchDriver.h"

#include "lcs/compile/CodeGen.h"

#include <dlfcn.h>
#include <vector>

namespace lcs::bench {

const Cuda *cuda(std::string &Error) {
  static Cuda *Table = nullptr;
  static std::string LoadError;
  static bool Tried = false;
  if (!Tried) {
    Tried = true;
    void *Lib = ::dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!Lib) {
      LoadError = "no CUDA driver (libcuda.so.1)";
    } else {
      auto *T = new Cuda();
      struct {
        void **Slot;
        const char *Name;
      } Entries[] = {
          {(void **)&T->MemAlloc, "cuMemAlloc_v2"},
          {(void **)&T->MemFree, "cuMemFree_v2"},
          {(void **)&T->MemcpyHtoD, "cuMemcpyHtoD_v2"},
          {(void **)&T->MemcpyDtoH, "cuMemcpyDtoH_v2"},
          {(void **)&T->MemsetD8, "cuMemsetD8_v2"},
          {(void **)&T->CtxSynchronize, "cuCtxSynchronize"},
          {(void **)&T->EventCreate, "cuEventCreate"},
          {(void **)&T->EventRecord, "cuEventRecord"},
          {(void **)&T->EventSynchronize, "cuEventSynchronize"},
          {(void **)&T->EventElapsedTime, "cuEventElapsedTime_v2"},
          {(void **)&T->ModuleLoadData, "cuModuleLoadData"},
          {(void **)&T->ModuleGetFunction, "cuModuleGetFunction"},
          {(void **)&T->LaunchKernel, "cuLaunchKernel"},
          {(void **)&T->LaunchKernelEx, "cuLaunchKernelEx"},
      };
      for (auto &E : Entries)
        if (!(*E.Slot = ::dlsym(Lib, E.Name)))
          LoadError = std::string("libcuda.so.1 lacks ") + E.Name;
      if (LoadError.empty())
        Table = T;
    }
  }
  Error = LoadError;
  return Table;
}

namespace {
typedef int (*NvvmCreate)(void **);
typedef int (*NvvmDestroy)(void **);
typedef int (*NvvmAdd)(void *, const char *, size_t, const char *);
typedef int (*NvvmCompile)(void *, int, const char **);
typedef int (*NvvmSize)(void *, size_t *);
typedef int (*NvvmGet)(void *, char *);
typedef int (*JlCreate)(void **, unsigned, const char **);
typedef int (*JlAdd)(void *, int, const void *, size_t, const char *);
typedef int (*JlComplete)(void *);
typedef int (*JlSize)(void *, size_t *);
typedef int (*JlGet)(void *, void *);
typedef int (*JlDestroy)(void **);

void *openFirst(std::initializer_list<std::string> Names) {
  for (const std::string &N : Names)
    if (void *L = ::dlopen(N.c_str(), RTLD_NOW | RTLD_LOCAL))
      return L;
  return nullptr;
}
} // namespace

NVVMToolchain::NVVMToolchain() {
  std::string Root = cudaRoot();
  NVVM = openFirst({"libnvvm.so.4", Root + "/nvvm/lib64/libnvvm.so.4",
                    Root + "/lib64/libnvvm.so.4", Root + "/lib/libnvvm.so.4"});
  JitLink = openFirst({"libnvJitLink.so.13", Root + "/lib64/libnvJitLink.so.13"});
  if (!NVVM)
    Error = "libnvvm.so.4 not found";
  else if (!JitLink)
    Error = "libnvJitLink.so.13 not found";
}

bool NVVMToolchain::compile(const std::vector<std::string> &Modules,
                            const std::string &Libdevice,
                            const std::string &Arch, std::string &Cubin,
                            std::string &Log) {
  auto Create = (NvvmCreate)::dlsym(NVVM, "nvvmCreateProgram");
  auto Destroy = (NvvmDestroy)::dlsym(NVVM, "nvvmDestroyProgram");
  auto Add = (NvvmAdd)::dlsym(NVVM, "nvvmAddModuleToProgram");
  auto LazyAdd = (NvvmAdd)::dlsym(NVVM, "nvvmLazyAddModuleToProgram");
  auto Compile = (NvvmCompile)::dlsym(NVVM, "nvvmCompileProgram");
  auto Size = (NvvmSize)::dlsym(NVVM, "nvvmGetCompiledResultSize");
  auto Get = (NvvmGet)::dlsym(NVVM, "nvvmGetCompiledResult");
  auto LogSize = (NvvmSize)::dlsym(NVVM, "nvvmGetProgramLogSize");
  auto GetLog = (NvvmGet)::dlsym(NVVM, "nvvmGetProgramLog");
  void *P = nullptr;
  if (Create(&P)) {
    Log = "nvvmCreateProgram failed";
    return false;
  }
  for (const std::string &M : Modules)
    Add(P, M.data(), M.size(), "module");
  if (!Libdevice.empty())
    LazyAdd(P, Libdevice.data(), Libdevice.size(), "libdevice");
  std::string ArchOpt = "-arch=compute_" + Arch.substr(3);
  const char *Opts[] = {ArchOpt.c_str(), "-opt=3"};
  int RC = Compile(P, 2, Opts);
  size_t N = 0;
  if (RC) {
    LogSize(P, &N);
    Log.resize(N);
    GetLog(P, Log.data());
    Log = "nvvmCompileProgram failed (" + std::to_string(RC) + "): " + Log;
    Destroy(&P);
    return false;
  }
  Size(P, &N);
  std::string PTX(N, '\0');
  Get(P, PTX.data());
  Destroy(&P);

  auto JCreate = (JlCreate)::dlsym(JitLink, "nvJitLinkCreate");
  auto JAdd = (JlAdd)::dlsym(JitLink, "nvJitLinkAddData");
  auto JComplete = (JlComplete)::dlsym(JitLink, "nvJitLinkComplete");
  auto JSize = (JlSize)::dlsym(JitLink, "nvJitLinkGetLinkedCubinSize");
  auto JGet = (JlGet)::dlsym(JitLink, "nvJitLinkGetLinkedCubin");
  auto JDestroy = (JlDestroy)::dlsym(JitLink, "nvJitLinkDestroy");
  void *H = nullptr;
  std::string ArchLink = "-arch=" + Arch;
  const char *LOpts[] = {ArchLink.c_str(), "-O3"};
  if (int RC = JCreate(&H, 2, LOpts)) {
    Log = "nvJitLinkCreate failed (" + std::to_string(RC) + ")";
    return false;
  }
  int RC2 = JAdd(H, /*NVJITLINK_INPUT_PTX*/ 2, PTX.data(), PTX.size(), "ptx");
  int RC3 = RC2 ? -1 : JComplete(H);
  bool Ok = RC2 == 0 && RC3 == 0;
  if (!Ok)
    Log = "nvJitLink add/complete failed (" + std::to_string(RC2) + ", " +
          std::to_string(RC3) + ")";
  if (Ok) {
    JSize(H, &N);
    Cubin.resize(N);
    JGet(H, Cubin.data());
  }
  JDestroy(&H);
  return Ok;
}

} // namespace lcs::bench
