//===- NvJitLink.cpp - The toolkit's nvJitLink, loaded at run time --------===//
//
// See lcs/NvJitLink.h.
//
//===----------------------------------------------------------------------===//

#include "lcs/NvJitLink.h"

#include "lcs/DynamicLibrary.h"

#include <mutex>
#include <sys/stat.h>

namespace lcs {

const std::string &NvJitLink::path(const std::string &CudaRoot) {
  static std::once_flag Once;
  static std::string Found;
  std::call_once(Once, [&] {
    for (std::string Name : {CudaRoot + "/lib64/libnvJitLink.so.13",
                             CudaRoot + "/lib/libnvJitLink.so.13"}) {
      struct stat St;
      if (::stat(Name.c_str(), &St) == 0) {
        Found = Name;
        return;
      }
    }
  });
  return Found;
}

const NvJitLink *NvJitLink::get(const std::string &CudaRoot,
                                std::string &Why) {
  return load(path(CudaRoot), Why);
}

const NvJitLink *NvJitLink::load(const std::string &Name, std::string &Why) {
  static std::once_flag Once;
  // Never destroyed: its code may be called until the process ends.
  static NvJitLink *Instance = nullptr;
  static std::string Failure;
  std::call_once(Once, [&] {
    if (Name.empty())
      return;
    std::string Error;
    DynamicLibrary Lib = DynamicLibrary::open({Name}, Error);
    if (!Lib) {
      Failure = Error;
      return;
    }
    NvJitLink J{};
    bool Ok = Lib.symbol("nvJitLinkCreate", J.Create) &&
              Lib.symbol("nvJitLinkAddData", J.AddData) &&
              Lib.symbol("nvJitLinkComplete", J.Complete) &&
              Lib.symbol("nvJitLinkGetLinkedCubinSize", J.GetLinkedCubinSize) &&
              Lib.symbol("nvJitLinkGetLinkedCubin", J.GetLinkedCubin) &&
              Lib.symbol("nvJitLinkGetErrorLogSize", J.GetErrorLogSize) &&
              Lib.symbol("nvJitLinkGetErrorLog", J.GetErrorLog) &&
              Lib.symbol("nvJitLinkDestroy", J.Destroy);
    if (!Ok) {
      Failure = Name + ": not the nvJitLink API lcs expects";
      return; // Lib closes the library
    }
    // Optional: failure messages and cache keys use it; the content digest
    // beside it in keys identifies the library without it.
    if (!Lib.symbol("nvJitLinkVersion", J.Version))
      J.Version = nullptr;
    Lib.release();
    Instance = new NvJitLink(J);
  });
  Why = Failure;
  return Instance;
}

NvJitLink::LinkResult NvJitLink::link(const std::vector<Part> &Parts,
                                      const std::vector<const char *> &Options,
                                      std::string &Cubin, std::string &Log,
                                      Failure &Why) const {
  void *H = nullptr;
  Why = Failure();
  if (int R = Create(&H, unsigned(Options.size()),
                     const_cast<const char **>(Options.data()));
      R != 0 || !H) {
    Why.Result = R;
    return LinkResult::CreateFailed;
  }
  bool Ok = true;
  for (size_t I = 0; Ok && I != Parts.size(); ++I)
    if (int R = AddData(H, Parts[I].Type, Parts[I].Data, Parts[I].Size,
                        Parts[I].Name)) {
      Why.Result = R;
      Why.Part = I;
      Ok = false;
    }
  if (Ok)
    if (int R = Complete(H)) {
      Why.Result = R;
      Ok = false;
    }
  size_t N = 0;
  if (Ok) {
    if (GetLinkedCubinSize(H, &N) == 0) {
      Cubin.resize(N);
      if (N && GetLinkedCubin(H, Cubin.data()) != 0)
        N = 0;
    }
    if (N == 0) {
      Cubin.clear();
      Log = "nvJitLink gave no cubin";
      Ok = false;
    }
  } else if (GetErrorLogSize(H, &N) == 0 && N) {
    Log.resize(N);
    if (GetErrorLog(H, Log.data()) != 0)
      Log.clear();
    // The size counts the terminating NUL.
    while (!Log.empty() && Log.back() == '\0')
      Log.pop_back();
  }
  Destroy(&H);
  return Ok ? LinkResult::Ok : LinkResult::LinkFailed;
}

NvJitLink::LinkResult
NvJitLink::linkPTX(const std::string &PTX,
                   const std::vector<const char *> &Options, std::string &Cubin,
                   std::string &Log) const {
  Failure Why;
  // NVJITLINK_INPUT_PTX is 2.
  return link({{2, PTX.data(), PTX.size(), "lcs.ptx"}}, Options, Cubin, Log,
              Why);
}

std::string NvJitLink::version() const {
  unsigned Major = 0, Minor = 0;
  if (!Version || Version(&Major, &Minor) != 0)
    return "";
  return std::to_string(Major) + "." + std::to_string(Minor);
}

} // namespace lcs
