//===- BenchDriver.cpp - Driver calls the benchmarks need -----------------===//

#include "BenchDriver.h"

#include "lcs/NvJitLink.h"
#include "lcs/compile/CodeGen.h"

namespace lcs::bench {

const Cuda *cuda(std::string &Error) {
  const DriverTable *T = loadDriver(Error);
  if (!T)
    return nullptr;
  if (!T->EventCreate || !T->EventRecord || !T->EventSynchronize ||
      !T->EventElapsedTime) {
    Error = "the CUDA driver lacks the event entry points lcs-bench times "
            "with";
    return nullptr;
  }
  return T;
}

NVVMToolchain::NVVMToolchain() {
  std::string Root = cudaRoot();
  NVVMLib = DynamicLibrary::open({"libnvvm.so.4", Root + "/nvvm/lib64/libnvvm.so.4",
                                  Root + "/lib64/libnvvm.so.4",
                                  Root + "/lib/libnvvm.so.4"},
                                 Error);
  if (!NVVMLib)
    return;
  bool Ok =
      NVVMLib.symbol("nvvmCreateProgram", NVVM.CreateProgram) &&
      NVVMLib.symbol("nvvmDestroyProgram", NVVM.DestroyProgram) &&
      NVVMLib.symbol("nvvmAddModuleToProgram", NVVM.AddModule) &&
      NVVMLib.symbol("nvvmLazyAddModuleToProgram", NVVM.LazyAddModule) &&
      NVVMLib.symbol("nvvmCompileProgram", NVVM.CompileProgram) &&
      NVVMLib.symbol("nvvmGetCompiledResultSize", NVVM.GetCompiledResultSize) &&
      NVVMLib.symbol("nvvmGetCompiledResult", NVVM.GetCompiledResult) &&
      NVVMLib.symbol("nvvmGetProgramLogSize", NVVM.GetProgramLogSize) &&
      NVVMLib.symbol("nvvmGetProgramLog", NVVM.GetProgramLog);
  if (!Ok) {
    Error = NVVMLib.name() + ": not the libNVVM API lcs-bench expects";
    return;
  }
  std::string Why;
  JitLink = NvJitLink::get(Root, Why);
  if (!JitLink)
    Error = Why.empty() ? "libnvJitLink.so.13 not found under " + Root : Why;
}

bool NVVMToolchain::compile(const std::vector<std::string> &Modules,
                            const std::string &Libdevice,
                            const std::string &Arch, std::string &Cubin,
                            std::string &Log, std::string *PTXOut) {
  std::string PTX;
  if (!toPTX(Modules, Libdevice, Arch, PTX, Log))
    return false;
  if (PTXOut)
    *PTXOut = PTX;
  return assemble(PTX, Arch, Cubin, Log);
}

bool NVVMToolchain::toPTX(const std::vector<std::string> &Modules,
                          const std::string &Libdevice,
                          const std::string &Arch, std::string &PTX,
                          std::string &Log) {
  void *P = nullptr;
  if (NVVM.CreateProgram(&P)) {
    Log = "nvvmCreateProgram failed";
    return false;
  }
  for (const std::string &M : Modules)
    NVVM.AddModule(P, M.data(), M.size(), "module");
  if (!Libdevice.empty())
    NVVM.LazyAddModule(P, Libdevice.data(), Libdevice.size(), "libdevice");
  std::string ArchOpt = "-arch=compute_" + Arch.substr(3);
  const char *Opts[] = {ArchOpt.c_str(), "-opt=3"};
  int RC = NVVM.CompileProgram(P, 2, Opts);
  size_t N = 0;
  if (RC) {
    NVVM.GetProgramLogSize(P, &N);
    Log.resize(N);
    NVVM.GetProgramLog(P, Log.data());
    Log = "nvvmCompileProgram failed (" + std::to_string(RC) + "): " + Log;
    NVVM.DestroyProgram(&P);
    return false;
  }
  NVVM.GetCompiledResultSize(P, &N);
  PTX.assign(N, '\0');
  NVVM.GetCompiledResult(P, PTX.data());
  NVVM.DestroyProgram(&P);
  // libNVVM's result counts the terminating NUL; nvJitLink takes text.
  while (!PTX.empty() && PTX.back() == '\0')
    PTX.pop_back();
  return true;
}

bool NVVMToolchain::assemble(const std::string &PTX, const std::string &Arch,
                             std::string &Cubin, std::string &Log) {
  std::string ArchLink = "-arch=" + Arch;
  switch (JitLink->linkPTX(PTX, {ArchLink.c_str(), "-O3"}, Cubin, Log)) {
  case NvJitLink::LinkResult::Ok:
    return true;
  case NvJitLink::LinkResult::CreateFailed:
    Log = "nvJitLinkCreate failed for " + Arch;
    return false;
  case NvJitLink::LinkResult::LinkFailed:
    Log = "nvJitLink failed for " + Arch + ": " + Log;
    return false;
  }
  return false;
}

} // namespace lcs::bench
