//===- NvrtcLTO.h - LTO-IR from NVRTC, for tests ----------------*- C++ -*-===//
///
/// \file
/// cuda.coop's way of making a primitive: CUDA C++ compiled by NVRTC with
/// `-dlto -rdc=true` to LTO-IR. The tests make their inputs this way at run
/// time (nothing generated is committed). NVRTC is opened with dlopen from
/// the toolkit, so the tests need no CUDA library at link time.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_TEST_NVRTCLTO_H
#define LCS_TEST_NVRTCLTO_H

#include "lcs/DynamicLibrary.h"
#include "lcs/compile/CodeGen.h"

#include <string>
#include <vector>

namespace lcs::test {

/// LTO-IR for \p Source built for \p Arch ("sm_90") with CUB's headers on
/// the include path. \returns "" with \p Error set when NVRTC is missing or
/// the compile fails.
inline std::string nvrtcLTOIR(const std::string &Source,
                              const std::string &Arch, std::string &Error) {
  std::string Root = cudaRoot();
  DynamicLibrary Lib = DynamicLibrary::open(
      {Root + "/lib64/libnvrtc.so.13", Root + "/lib/libnvrtc.so.13",
       "libnvrtc.so.13"},
      Error);
  if (!Lib)
    return "";
  // Kept loaded for the process, as the runtime keeps nvJitLink: NVRTC's
  // own allocations (its C++ runtime's exception pool) stay reachable
  // rather than reported as leaks from an unloaded library.
  struct KeepLoaded {
    DynamicLibrary &L;
    ~KeepLoaded() { L.release(); }
  } Keep{Lib};
  // nvrtcResult is an int enum; nvrtcProgram a pointer.
  int (*Create)(void **, const char *, const char *, int, const char *const *,
                const char *const *);
  int (*Compile)(void *, int, const char *const *);
  int (*LogSize)(void *, size_t *);
  int (*Log)(void *, char *);
  int (*Size)(void *, size_t *);
  int (*Get)(void *, char *);
  int (*Destroy)(void **);
  if (!Lib.symbol("nvrtcCreateProgram", Create) ||
      !Lib.symbol("nvrtcCompileProgram", Compile) ||
      !Lib.symbol("nvrtcGetProgramLogSize", LogSize) ||
      !Lib.symbol("nvrtcGetProgramLog", Log) ||
      !Lib.symbol("nvrtcGetLTOIRSize", Size) ||
      !Lib.symbol("nvrtcGetLTOIR", Get) ||
      !Lib.symbol("nvrtcDestroyProgram", Destroy)) {
    Error = Lib.name() + ": not the NVRTC API the tests expect";
    return "";
  }
  void *P = nullptr;
  if (Create(&P, Source.c_str(), "primitive.cu", 0, nullptr, nullptr) != 0) {
    Error = "nvrtcCreateProgram failed";
    return "";
  }
  std::string ArchOpt = "-arch=" + Arch;
  std::string Cccl = "-I" + Root + "/include/cccl";
  std::string Include = "-I" + Root + "/include";
  std::vector<const char *> Opts = {"-dlto", "-rdc=true", ArchOpt.c_str(),
                                    Cccl.c_str(), Include.c_str(),
                                    "-std=c++17"};
  std::string Out;
  if (Compile(P, int(Opts.size()), Opts.data()) != 0) {
    size_t N = 0;
    LogSize(P, &N);
    Error.assign(N, '\0');
    if (N)
      Log(P, Error.data());
    Error = "NVRTC: " + Error;
  } else {
    size_t N = 0;
    Size(P, &N);
    Out.assign(N, '\0');
    if (N && Get(P, Out.data()) != 0)
      Out.clear();
  }
  Destroy(&P);
  return Out;
}

/// cuda.coop's block reduction for 128 threads, callable across the link
/// boundary as `float block_sum_128(float)`.
inline const char *cubBlockSum128() {
  return R"(#include <cub/block/block_reduce.cuh>
extern "C" __device__ float block_sum_128(float v) {
  using BlockReduce = cub::BlockReduce<float, 128>;
  __shared__ typename BlockReduce::TempStorage Temp;
  return BlockReduce(Temp).Sum(v);
})";
}

/// A kernel that writes each block's block_sum_128 of in[] to out[block].
inline const char *blockSumsIR() {
  return R"(target triple = "nvptx64-nvidia-cuda"
declare float @block_sum_128(float)
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
define ptx_kernel void @block_sums(ptr addrspace(1) %in, ptr addrspace(1) %out) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %n = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %base = mul i32 %b, %n
  %i = add i32 %base, %t
  %i64 = zext i32 %i to i64
  %p = getelementptr float, ptr addrspace(1) %in, i64 %i64
  %v = load float, ptr addrspace(1) %p
  %s = call float @block_sum_128(float %v)
  %first = icmp eq i32 %t, 0
  br i1 %first, label %store, label %done
store:
  %b64 = zext i32 %b to i64
  %q = getelementptr float, ptr addrspace(1) %out, i64 %b64
  store float %s, ptr addrspace(1) %q
  br label %done
done:
  ret void
}
)";
}

} // namespace lcs::test

#endif // LCS_TEST_NVRTCLTO_H
