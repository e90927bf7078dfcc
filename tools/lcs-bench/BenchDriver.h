//===- BenchDriver.h - Driver calls the benchmarks need ---------*- C++ -*-===//
///
/// \file
/// lcs-bench calls the driver through the runtime's table (lcs/Driver.h):
/// memory, events and raw module loading beyond what the runtime uses. The
/// libNVVM + nvJitLink baseline loads libNVVM here and nvJitLink through
/// the same loader lcs's code generator uses (lcs/NvJitLink.h). All are
/// opened at run time, so lcs-bench starts without them and says which is
/// missing.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_BENCH_BENCHDRIVER_H
#define LCS_BENCH_BENCHDRIVER_H

#include "lcs/Driver.h"
#include "lcs/DynamicLibrary.h"

#include <string>
#include <vector>

namespace lcs {
struct NvJitLink;
} // namespace lcs

namespace lcs::bench {

using Cuda = DriverTable;

/// The driver's table with the optional entries lcs-bench needs (events),
/// or null with \p Error.
const Cuda *cuda(std::string &Error);

/// libNVVM + nvJitLink: IR text to a cubin, as numba-cuda does without lcs.
struct NVVMToolchain {
  bool available() const { return Error.empty(); }
  std::string Error;
  /// Compiles \p Modules (and libdevice, lazily) for \p Arch ("sm_90");
  /// the PTX libNVVM made goes to \p PTXOut when given.
  bool compile(const std::vector<std::string> &Modules,
               const std::string &Libdevice, const std::string &Arch,
               std::string &Cubin, std::string &Log,
               std::string *PTXOut = nullptr);
  /// libNVVM alone: \p Modules (and libdevice, lazily) to PTX for \p Arch,
  /// the first half of compile().
  bool toPTX(const std::vector<std::string> &Modules,
             const std::string &Libdevice, const std::string &Arch,
             std::string &PTX, std::string &Log);
  /// nvJitLink alone: \p PTX to a cubin for \p Arch, as compile() does.
  bool assemble(const std::string &PTX, const std::string &Arch,
                std::string &Cubin, std::string &Log);

  NVVMToolchain();

private:
  struct NVVMApi {
    int (*CreateProgram)(void **);
    int (*DestroyProgram)(void **);
    int (*AddModule)(void *, const char *, size_t, const char *);
    int (*LazyAddModule)(void *, const char *, size_t, const char *);
    int (*CompileProgram)(void *, int, const char **);
    int (*GetCompiledResultSize)(void *, size_t *);
    int (*GetCompiledResult)(void *, char *);
    int (*GetProgramLogSize)(void *, size_t *);
    int (*GetProgramLog)(void *, char *);
  };
  DynamicLibrary NVVMLib;
  NVVMApi NVVM{};
  const NvJitLink *JitLink = nullptr;
};

} // namespace lcs::bench

#endif
