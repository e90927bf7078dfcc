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
  static std::once_flag Once;
  // Never destroyed: its code may be called until the process ends.
  static NvJitLink *Instance = nullptr;
  static std::string Failure;
  std::call_once(Once, [&] {
    const std::string &Name = path(CudaRoot);
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
    // Optional: only cache keys use it, and the content digest beside it
    // identifies the library without it.
    Lib.symbol("nvJitLinkVersion", J.Version);
    Lib.release();
    Instance = new NvJitLink(J);
  });
  Why = Failure;
  return Instance;
}

NvJitLink::LinkResult
NvJitLink::linkPTX(const std::string &PTX,
                   const std::vector<const char *> &Options,
                   std::string &Cubin, std::string &Log) const {
  void *H = nullptr;
  if (Create(&H, unsigned(Options.size()),
             const_cast<const char **>(Options.data())) != 0)
    return LinkResult::CreateFailed;
  // NVJITLINK_INPUT_PTX is 2.
  bool Ok = AddData(H, 2, PTX.data(), PTX.size(), "lcs.ptx") == 0 &&
            Complete(H) == 0;
  size_t N = 0;
  if (Ok) {
    GetLinkedCubinSize(H, &N);
    Cubin.resize(N);
    GetLinkedCubin(H, Cubin.data());
  } else {
    GetErrorLogSize(H, &N);
    Log.resize(N);
    if (N)
      GetErrorLog(H, Log.data());
    // The size counts the terminating NUL.
    while (!Log.empty() && Log.back() == '\0')
      Log.pop_back();
  }
  Destroy(&H);
  return Ok ? LinkResult::Ok : LinkResult::LinkFailed;
}

} // namespace lcs
