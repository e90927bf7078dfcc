//===- GpuMultiDeviceTest.cpp - One module on two devices -----------------===//
///
/// \file
/// The same module as two programs, one per device (a runtime bound to each
/// device's primary context), launched from two threads at once with
/// several block sizes; every result is checked on the host, and each
/// thread finds its current context as it left it. Needs two devices (the
/// GPU machine's two-GPU kind); elsewhere skipped with the reason.
///
//===----------------------------------------------------------------------===//

#include "lcs/Runtime.h"

#include "gtest/gtest.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace lcs;

namespace {

/// y[i] = a * x[i] for i < n, block-stride: reads blockDim.x.
const char *ScaleIR = R"(
target triple = "nvptx64-nvidia-cuda"
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
define ptx_kernel void @scale(ptr addrspace(1) %x, ptr addrspace(1) %y, float %a, i32 %n) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %c = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %g = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
  %base = mul i32 %c, %b
  %i0 = add i32 %base, %t
  %stride = mul i32 %b, %g
  br label %loop
loop:
  %i = phi i32 [ %i0, %entry ], [ %next, %body ]
  %in = icmp ult i32 %i, %n
  br i1 %in, label %body, label %exit
body:
  %px = getelementptr float, ptr addrspace(1) %x, i32 %i
  %vx = load float, ptr addrspace(1) %px
  %r = fmul float %a, %vx
  %py = getelementptr float, ptr addrspace(1) %y, i32 %i
  store float %r, ptr addrspace(1) %py
  %next = add i32 %i, %stride
  br label %loop
exit:
  ret void
}
)";

/// The number of devices, or a reason there are not two.
int deviceCount(std::string &Why) {
  const DriverTable *D = loadDriver(Why);
  if (!D)
    return 0;
  int N = 0;
  if (D->Init(0) != CUDA_SUCCESS || D->DeviceGetCount(&N) != CUDA_SUCCESS) {
    Why = "no CUDA device";
    return 0;
  }
  if (N < 2)
    Why = "needs 2 CUDA devices; the driver reports " + std::to_string(N);
  return N;
}

/// Launches \p K on \p R for several block sizes with a per-device factor
/// and checks every element; returns the first problem, or "".
std::string runOn(Runtime &R, Kernel &K, float Factor) {
  const DriverTable &D = R.driver();
  CUcontext Before = nullptr;
  D.CtxGetCurrent(&Before);
  constexpr unsigned N = 1u << 20;
  std::vector<float> X(N), Y(N);
  for (unsigned I = 0; I != N; ++I)
    X[I] = float(I % 1000);
  CUdeviceptr DX = 0, DY = 0;
  if (Status S = R.allocate(N * sizeof(float), DX))
    return S.message();
  if (Status S = R.allocate(N * sizeof(float), DY))
    return S.message();
  std::string Problem;
  if (Status S = R.copyToDevice(DX, X.data(), N * sizeof(float)))
    Problem = S.message();
  for (int Round = 0; Round != 20 && Problem.empty(); ++Round) {
    unsigned Block = 64u << (Round % 4);
    float A = Factor + float(Round);
    unsigned Count = N;
    void *Args[] = {&DX, &DY, &A, &Count};
    LaunchParams P = {};
    P.grid[0] = 1024;
    P.grid[1] = P.grid[2] = 1;
    P.block[0] = Block;
    P.block[1] = P.block[2] = 1;
    if (Status S = R.fill(DY, 0, N * sizeof(float))) {
      Problem = S.message();
    } else if (Status S = K.launch(P, Args)) {
      Problem = S.message();
    } else if (Status S = R.copyToHost(Y.data(), DY, N * sizeof(float))) {
      Problem = S.message();
    } else {
      for (unsigned I = 0; I != N; ++I)
        if (Y[I] != A * X[I]) {
          Problem = "block " + std::to_string(Block) + ": y[" +
                    std::to_string(I) + "] = " + std::to_string(Y[I]) +
                    ", expected " + std::to_string(A * X[I]);
          break;
        }
    }
  }
  R.deallocate(DX);
  R.deallocate(DY);
  CUcontext After = nullptr;
  D.CtxGetCurrent(&After);
  if (Problem.empty() && After != Before)
    Problem = "the thread's current context changed";
  return Problem;
}

TEST(GpuMultiDevice, OneModuleTwoDevicesTwoThreads) {
  std::string Why;
  if (deviceCount(Why) < 2)
    GTEST_SKIP() << Why;
  std::unique_ptr<Runtime> R[2];
  std::unique_ptr<Program> P[2];
  Kernel *K[2] = {nullptr, nullptr};
  for (int Dev = 0; Dev != 2; ++Dev) {
    RuntimeOptions O;
    O.CacheDir = std::string();
    O.Device = Dev;
    Status S = Runtime::create(O, R[Dev]);
    ASSERT_TRUE(S.isOk()) << S.message();
    S = R[Dev]->createProgram({{"scale.ll", ScaleIR}}, P[Dev]);
    ASSERT_TRUE(S.isOk()) << S.message();
    S = P[Dev]->getKernel("scale", K[Dev]);
    ASSERT_TRUE(S.isOk()) << S.message();
  }
  ASSERT_NE(R[0]->context(), R[1]->context());
  std::string Problems[2];
  std::thread T0([&] { Problems[0] = runOn(*R[0], *K[0], 1.5f); });
  std::thread T1([&] { Problems[1] = runOn(*R[1], *K[1], -2.0f); });
  T0.join();
  T1.join();
  EXPECT_EQ(Problems[0], "") << "device 0";
  EXPECT_EQ(Problems[1], "") << "device 1";
  for (int Dev = 0; Dev != 2; ++Dev) {
    lcs_counters_t C = R[Dev]->counters();
    EXPECT_EQ(C.launches, 20u);
    EXPECT_EQ(C.compiles + C.disk_hits, 4u) << "one variant per block size";
  }
}

} // namespace
