//===- DynamicLibrary.cpp - An owned dlopen handle ------------------------===//
//
// See lcs/DynamicLibrary.h.
//
//===----------------------------------------------------------------------===//

#include "lcs/DynamicLibrary.h"

#include <dlfcn.h>

namespace lcs {

DynamicLibrary DynamicLibrary::open(const std::vector<std::string> &Names,
                                    std::string &Error) {
  Error.clear();
  DynamicLibrary Lib;
  for (const std::string &N : Names) {
    if (void *H = ::dlopen(N.c_str(), RTLD_NOW | RTLD_LOCAL)) {
      Lib.Handle = H;
      Lib.Name = N;
      Error.clear();
      return Lib;
    }
    const char *Why = ::dlerror();
    std::string Reason = Why ? Why : "cannot be loaded";
    if (!Error.empty())
      Error += "; ";
    // glibc's message starts with the name already ("libfoo.so.1: cannot
    // open shared object file"); do not say it twice.
    Error += Reason.rfind(N, 0) == 0 ? Reason : N + ": " + Reason;
  }
  if (Names.empty())
    Error = "no library name to load";
  return Lib;
}

void *DynamicLibrary::symbol(const char *Symbol) const {
  return Handle ? ::dlsym(Handle, Symbol) : nullptr;
}

void DynamicLibrary::reset() noexcept {
  if (Handle)
    ::dlclose(Handle);
  Handle = nullptr;
  Name.clear();
}

} // namespace lcs
