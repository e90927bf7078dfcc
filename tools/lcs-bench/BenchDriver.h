//===- BenchDriver.h - Driver calls the benchmarks need ---------*- C++ -*-===//
///
/// \file
/// The driver calls lcs-bench makes beyond the runtime's seam (memory,
/// events, raw module loading), and the libNVVM and nvJitLink baselines,
/// all loaded with dlopen so lcs-bench starts without them and says which
/// is missing.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_BENCH_BENCHDRIVER_H
#define LCS_BENCH_BENCHDRIVER_H

#include <cuda.h>

#include <string>
#include <vector>

namespace lcs::bench {

struct Cuda {
  CUresult (*MemAlloc)(CUdeviceptr *, size_t);
  CUresult (*MemFree)(CUdeviceptr);
  CUresult (*MemcpyHtoD)(CUdeviceptr, const void *, size_t);
  CUresult (*MemcpyDtoH)(void *, CUdeviceptr, size_t);
  CUresult (*MemsetD8)(CUdeviceptr, unsigned char, size_t);
  CUresult (*CtxSynchronize)();
  CUresult (*EventCreate)(CUevent *, unsigned);
  CUresult (*EventRecord)(CUevent, CUstream);
  CUresult (*EventSynchronize)(CUevent);
  CUresult (*EventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*ModuleLoadData)(CUmodule *, const void *);
  CUresult (*ModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*LaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, CUstream, void **,
                           void **);
  CUresult (*LaunchKernelEx)(const CUlaunchConfig *, CUfunction, void **,
                             void **);
};

/// The driver's table, or null with \p Error.
const Cuda *cuda(std::string &Error);

/// libNVVM + nvJitLink: IR text to a cubin, as numba-cuda does without lcs.
struct NVVMToolchain {
  bool available() const { return Error.empty(); }
  std::string Error;
  /// Compiles \p Modules (and libdevice, lazily) for \p Arch ("sm_90").
  bool compile(const std::vector<std::string> &Modules,
               const std::string &Libdevice, const std::string &Arch,
               std::string &Cubin, std::string &Log);

  NVVMToolchain();
  void *NVVM = nullptr, *JitLink = nullptr;
};

} // namespace lcs::bench

#endif
