//===- GpuTritonTest.cpp - A Hopper Triton matmul through the runtime -----===//
//
// Triton 3.6's fp16 matmul (tl.dot, lowered to wgmma on Hopper; IR made on
// the GPU machine by Triton itself, Inputs/triton_matmul_wgmma.ll) runs
// through the runtime, which must compile it for the arch-specific target
// (sm_90a). Inputs are small integers, so fp16 products summed in fp32 are
// exact: the result equals the host's bit for bit, as Triton's own does.
//
//===----------------------------------------------------------------------===//

#include "CudaDriver.h"

#include "lcs/Runtime.h"

#include "gtest/gtest.h"

#include <cstring>
#include <fstream>
#include <sstream>

using namespace lcs;
using namespace lcs::test;

namespace {

/// IEEE half from a small integer (exact for |V| <= 2048).
uint16_t toHalf(int V) {
  if (V == 0)
    return 0;
  uint16_t Sign = V < 0 ? 0x8000 : 0;
  unsigned A = unsigned(V < 0 ? -V : V), E = 0;
  while ((A >> E) > 1)
    ++E;
  unsigned Mantissa = (A << (10 - E)) & 0x3ff;
  return uint16_t(Sign | ((E + 15) << 10) | Mantissa);
}

TEST(GpuTriton, WgmmaMatmulThroughTheRuntime) {
  if (!CudaDriver::get().available())
    GTEST_SKIP() << CudaDriver::get().unavailableReason();
  RuntimeOptions O;
  O.CacheDir = std::string();
  std::unique_ptr<Runtime> R;
  Status S = Runtime::create(O, R);
  ASSERT_TRUE(S.isOk()) << S.message();
  if (R->arch().rfind("sm_90", 0) != 0)
    GTEST_SKIP() << "wgmma needs a Hopper GPU; this is " << R->arch();
  EXPECT_EQ(R->arch(), "sm_90a");
  std::ifstream In(std::string(LCS_GPU_INPUTS) +
                   "/Inputs/triton_matmul_wgmma.ll");
  std::stringstream IR;
  IR << In.rdbuf();
  std::unique_ptr<Program> P;
  S = R->createProgram({{"triton_matmul_wgmma.ll", IR.str()}}, P);
  ASSERT_TRUE(S.isOk()) << S.message();
  Kernel *K = nullptr;
  ASSERT_TRUE(P->getKernel("matmul", K).isOk());

  constexpr int M = 256, N = 256, Kd = 256;
  std::vector<uint16_t> A(M * Kd), B(Kd * N), C(M * N);
  std::vector<int> AI(M * Kd), BI(Kd * N);
  for (int I = 0; I != M * Kd; ++I)
    A[I] = toHalf(AI[I] = (I * 7 + I / Kd) % 5 - 2);
  for (int I = 0; I != Kd * N; ++I)
    B[I] = toHalf(BI[I] = (I * 3 + I / N) % 5 - 2);
  DeviceBuffer DA(A.size() * 2), DB(B.size() * 2), DC(C.size() * 2);
  ASSERT_EQ(CudaDriver::get().upload(DA.ptr(), A.data(), DA.bytes()), "");
  ASSERT_EQ(CudaDriver::get().upload(DB.ptr(), B.data(), DB.bytes()), "");
  ASSERT_EQ(CudaDriver::get().zero(DC.ptr(), DC.bytes()), "");
  // Triton specialised the unit strides away: (a, b, c, M, N, K, stride_am,
  // stride_bk, stride_cm, global scratch, profile scratch).
  CUdeviceptr PA = DA.ptr(), PB = DB.ptr(), PC = DC.ptr(), Null = 0;
  int32_t Mv = M, Nv = N, Kv = Kd, Sam = Kd, Sbk = N, Scm = N;
  void *Args[] = {&PA, &PB, &PC, &Mv, &Nv, &Kv, &Sam, &Sbk, &Scm, &Null, &Null};
  LaunchParams L = {};
  L.grid[0] = M / 64;
  L.grid[1] = N / 64;
  L.grid[2] = 1;
  L.block[0] = 128; // 4 warps
  L.block[1] = L.block[2] = 1;
  L.shared_mem_bytes = 49152; // Triton's metadata "shared"
  S = K->launch(L, Args);
  ASSERT_TRUE(S.isOk()) << S.message();
  ASSERT_EQ(CudaDriver::get().synchronize(), "");
  ASSERT_EQ(CudaDriver::get().download(C.data(), DC.ptr(), DC.bytes()), "");
  unsigned Wrong = 0;
  for (int I = 0; I != M; ++I)
    for (int J = 0; J != N; ++J) {
      int Sum = 0;
      for (int X = 0; X != Kd; ++X)
        Sum += AI[I * Kd + X] * BI[X * N + J];
      Wrong += C[I * N + J] != toHalf(Sum);
    }
  EXPECT_EQ(Wrong, 0u) << "of " << M * N << " elements";
}

} // namespace
