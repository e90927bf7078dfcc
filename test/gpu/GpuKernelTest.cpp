//===- GpuKernelTest.cpp - Generic and specialised kernels on the GPU -----===//
///
/// \file
/// Each kernel is compiled once generic and once per launch configuration
/// specialised (the lcs-compile pipeline, in-process, to a cubin through
/// ptxas), run on the device, and checked two ways: the specialised output
/// is bitwise the generic one, and both match a host reference.
///
/// Inputs: the shared corpus (real numba-cuda and Triton IR), CUDA C++
/// kernels built by clang-22, and warp operations in libNVVM's dialect
/// (nvvm_warp.ll) checked against the NVVM IR specification. LCS_CORPUS_DIR,
/// LCS_CUDA_KERNELS and LCS_GPU_INPUTS override where they are read from
/// (the GPU machine has another checkout path).
/// Without a driver or device every test is skipped with the reason.
///
//===----------------------------------------------------------------------===//

#include "CudaDriver.h"

#include "lcs/compile/CodeGen.h"
#include "lcs/compile/Pipeline.h"
#include "lcs/LaunchSensitivity.h"
#include "lcs/compile/ModuleInput.h"
#include "lcs/Runtime.h"
#include "lcs/Specialize.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Target/TargetMachine.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>

using namespace llvm;
using namespace lcs;
using namespace lcs::test;

namespace {

std::string inputPath(const char *Var, const char *Default,
                      const std::string &File) {
  const char *Dir = std::getenv(Var);
  return std::string(Dir && *Dir ? Dir : Default) + "/" + File;
}

std::string corpus(const std::string &File) {
  return inputPath("LCS_CORPUS_DIR", LCS_CORPUS_DIR, File);
}

std::string gpuInput(const std::string &File) {
  return inputPath("LCS_GPU_INPUTS", LCS_GPU_INPUTS, File);
}

std::string cudaKernels() {
  const char *F = std::getenv("LCS_CUDA_KERNELS");
  return F && *F ? F : LCS_CUDA_KERNELS;
}

struct Launch {
  Dim3 Grid, Block;
  unsigned Smem = 0;
  std::string str() const {
    return "grid=" + dim3Str(Grid) + " block=" + dim3Str(Block) +
           " smem=" + std::to_string(Smem);
  }
};

/// How a case's kernels are built and launched.
enum class Mode {
  Compiled, ///< the lcs-compile pipeline in-process, loaded by the test
  Runtime,  ///< the lcs runtime: generic policy vs every group
};
Mode CurrentMode = Mode::Compiled;

/// A loaded kernel: a function the test loaded, or a runtime kernel.
struct Kernel {
  void *Module = nullptr;
  void *Function = nullptr;
  lcs::Kernel *RT = nullptr;
  std::unique_ptr<lcs::Program> Program;
  ~Kernel() {
    if (Module)
      CudaDriver::get().unload(Module);
  }
};

/// The runtime the Runtime-mode cases share (no disk cache: every variant
/// is compiled).
lcs::Runtime &sharedRuntime() {
  static std::unique_ptr<lcs::Runtime> R = [] {
    lcs::RuntimeOptions O;
    O.CacheDir = std::string();
    std::unique_ptr<lcs::Runtime> Out;
    lcs::Status S = lcs::Runtime::create(O, Out);
    if (S)
      ADD_FAILURE() << S.message();
    return Out;
  }();
  return *R;
}

std::string slurp(const std::string &Path) {
  Expected<std::vector<std::unique_ptr<MemoryBuffer>>> B = readInputs({Path});
  if (!B) {
    ADD_FAILURE() << toString(B.takeError());
    return "";
  }
  return (*B)[0]->getBuffer().str();
}

/// A runtime kernel over \p Files with policy \p Groups.
std::unique_ptr<Kernel> runtimeKernel(const std::vector<std::string> &Files,
                                      const std::string &Name,
                                      uint32_t Groups) {
  std::vector<std::pair<std::string, std::string>> Modules;
  for (const std::string &F : Files)
    Modules.emplace_back(F, slurp(F));
  auto K = std::make_unique<Kernel>();
  lcs::Status S = sharedRuntime().createProgram(Modules, K->Program);
  if (S) {
    ADD_FAILURE() << S.message();
    return nullptr;
  }
  std::string KernelName = Name;
  if (KernelName.empty())
    KernelName = K->Program->kernels().at(0);
  S = K->Program->getKernel(KernelName, K->RT);
  if (S) {
    ADD_FAILURE() << S.message();
    return nullptr;
  }
  K->RT->setPolicy({Groups, 64});
  return K;
}

/// Compiles \p Files (kernel \p Name, or the only kernel) generic, or
/// specialised for \p L, and loads it.
std::unique_ptr<Kernel> build(const std::vector<std::string> &Files,
                              const std::string &Name, const Launch *L) {
  CudaDriver &D = CudaDriver::get();
  LLVMContext Ctx;
  Expected<std::unique_ptr<Module>> M = loadProgram(Files, Ctx);
  if (!M) {
    ADD_FAILURE() << toString(M.takeError());
    return nullptr;
  }
  LaunchSensitivity LS = computeLaunchSensitivity(**M);
  std::string KernelName = Name;
  if (KernelName.empty()) {
    if (LS.kernels().size() != 1) {
      ADD_FAILURE() << "expected one kernel in " << Files[0];
      return nullptr;
    }
    KernelName = LS.kernels()[0].Kernel->getName().str();
  }
  PipelineOptions O;
  O.Kernel = KernelName;
  O.Arch = D.arch();
  O.Emit = EmitKind::Cubin;
  if (L) {
    O.Config.Grid = L->Grid;
    O.Config.Block = L->Block;
    O.Config.Smem = L->Smem;
    O.Config.Kernel = KernelName;
    O.Config.Arch = D.arch();
  }
  Expected<PipelineOutput> Cubin = runPipeline(**M, O);
  if (!Cubin) {
    ADD_FAILURE() << (L ? L->str() + ": " : "") << toString(Cubin.takeError());
    return nullptr;
  }
  auto K = std::make_unique<Kernel>();
  if (std::string E = D.load(Cubin->Code, KernelName, K->Module, K->Function);
      !E.empty()) {
    ADD_FAILURE() << E;
    return nullptr;
  }
  return K;
}

/// Kernel arguments with stable storage, as cuLaunchKernel takes them.
class Args {
public:
  template <class T> void add(T V) {
    Storage.emplace_back(sizeof(T));
    std::memcpy(Storage.back().data(), &V, sizeof(T));
    Ptrs.push_back(Storage.back().data());
  }
  /// numba-cuda's flattened 1-D array: meminfo, parent, nitems, itemsize,
  /// data, shape, stride (bytes).
  void addNumbaArray(const DeviceBuffer &B, int64_t ItemSize) {
    int64_t N = B.bytes() / ItemSize;
    add<void *>(nullptr);
    add<void *>(nullptr);
    add<int64_t>(N);
    add<int64_t>(ItemSize);
    add<CUdeviceptr>(B.ptr());
    add<int64_t>(N);
    add<int64_t>(ItemSize);
  }
  void **data() { return Ptrs.data(); }

private:
  std::deque<std::vector<char>> Storage;
  std::vector<void *> Ptrs;
};

template <class T> std::vector<T> download(const DeviceBuffer &B) {
  std::vector<T> Out(B.bytes() / sizeof(T));
  EXPECT_EQ(CudaDriver::get().download(Out.data(), B.ptr(), B.bytes()), "");
  return Out;
}

template <class T>
std::unique_ptr<DeviceBuffer> upload(const std::vector<T> &Host) {
  auto B = std::make_unique<DeviceBuffer>(Host.size() * sizeof(T));
  EXPECT_EQ(B->error(), "");
  EXPECT_EQ(CudaDriver::get().upload(B->ptr(), Host.data(), B->bytes()), "");
  return B;
}

using Bytes = std::vector<uint8_t>;

template <class T> Bytes asBytes(const std::vector<T> &V) {
  Bytes Out(V.size() * sizeof(T));
  std::memcpy(Out.data(), V.data(), Out.size());
  return Out;
}

template <class T> std::vector<T> fromBytes(const Bytes &B) {
  std::vector<T> Out(B.size() / sizeof(T));
  std::memcpy(Out.data(), B.data(), B.size());
  return Out;
}

/// Runs the generic kernel and one specialised per launch; \p Run launches
/// a kernel and returns its output; \p Check compares with the reference.
void checkVariants(const std::vector<std::string> &Files,
                   const std::string &Name, const std::vector<Launch> &Ls,
                   const std::function<Bytes(Kernel &, const Launch &)> &Run,
                   const std::function<void(const Launch &, const Bytes &)>
                       &Check) {
  CudaDriver &D = CudaDriver::get();
  if (!D.available())
    GTEST_SKIP() << D.unavailableReason();
  bool RT = CurrentMode == Mode::Runtime;
  const uint32_t AllGroups =
      LCS_GROUP_BLOCK | LCS_GROUP_GRID | LCS_GROUP_CLUSTER | LCS_GROUP_SMEM;
  std::unique_ptr<Kernel> Generic =
      RT ? runtimeKernel(Files, Name, 0) : build(Files, Name, nullptr);
  ASSERT_TRUE(Generic);
  std::unique_ptr<Kernel> Shared =
      RT ? runtimeKernel(Files, Name, AllGroups) : nullptr;
  for (const Launch &L : Ls) {
    SCOPED_TRACE(L.str());
    std::unique_ptr<Kernel> Own = RT ? nullptr : build(Files, Name, &L);
    Kernel *Special = RT ? Shared.get() : Own.get();
    ASSERT_TRUE(Special);
    Bytes G = Run(*Generic, L);
    Bytes S = Run(*Special, L);
    EXPECT_TRUE(G == S) << "specialised output differs from generic";
    Check(L, G);
  }
}

void launch(Kernel &K, const Launch &L, Args &A) {
  unsigned G[3] = {L.Grid[0], L.Grid[1], L.Grid[2]};
  unsigned B[3] = {L.Block[0], L.Block[1], L.Block[2]};
  if (K.RT) {
    lcs::LaunchParams P = {};
    std::copy(G, G + 3, P.grid);
    std::copy(B, B + 3, P.block);
    P.shared_mem_bytes = L.Smem;
    lcs::Status S = K.RT->launch(P, A.data());
    ASSERT_TRUE(S.isOk()) << S.message();
    ASSERT_EQ(CudaDriver::get().synchronize(), "");
    return;
  }
  ASSERT_EQ(CudaDriver::get().launch(K.Function, G, B, L.Smem, A.data()), "");
}

/// Each case runs twice: built by the test (suite S) and through the lcs
/// runtime (suite S##Runtime).
#define GPU_CASE(Suite, Name)                                                  \
  void Suite##_##Name##_body();                                                \
  TEST(Suite, Name) {                                                          \
    CurrentMode = Mode::Compiled;                                              \
    Suite##_##Name##_body();                                                   \
  }                                                                            \
  TEST(Suite##Runtime, Name) {                                                 \
    CurrentMode = Mode::Runtime;                                               \
    Suite##_##Name##_body();                                                   \
  }                                                                            \
  void Suite##_##Name##_body()

unsigned ceilDiv(unsigned A, unsigned B) { return (A + B - 1) / B; }

std::unique_ptr<DeviceBuffer> zeroed(size_t Bytes) {
  auto B = std::make_unique<DeviceBuffer>(Bytes);
  EXPECT_EQ(CudaDriver::get().zero(B->ptr(), B->bytes()), "");
  return B;
}

/// Launches a numba kernel whose parameters are the arrays of 4-byte items
/// \p Arrays; returns what \p Result then holds.
Bytes runNumba(Kernel &K, const Launch &L,
               std::initializer_list<const DeviceBuffer *> Arrays,
               const DeviceBuffer &Result) {
  Args A;
  for (const DeviceBuffer *B : Arrays)
    A.addNumbaArray(*B, 4);
  launch(K, L, A);
  return download<uint8_t>(Result);
}

/// Launches a kernel of (const float *In, float *Out, Tail...) on \p X and
/// a zeroed output of \p OutBytes; returns what the output then holds.
template <class... TailT>
Bytes runOnArray(Kernel &K, const Launch &L, const std::vector<float> &X,
                 size_t OutBytes, TailT... Tail) {
  auto DX = upload(X), Out = zeroed(OutBytes);
  Args A;
  A.add<CUdeviceptr>(DX->ptr());
  A.add<CUdeviceptr>(Out->ptr());
  (A.add(Tail), ...);
  launch(K, L, A);
  return download<uint8_t>(*Out);
}

/// checkVariants() for a numba kernel that fills its one array, of \p N
/// floats, with the value \p Want gives for the launch.
void checkFills(const std::vector<std::string> &Files, unsigned N,
                const std::vector<Launch> &Ls,
                const std::function<float(const Launch &)> &Want) {
  checkVariants(
      Files, "", Ls,
      [&](Kernel &K, const Launch &L) {
        auto Out = zeroed(N * 4);
        return runNumba(K, L, {Out.get()}, *Out);
      },
      [&](const Launch &L, const Bytes &Out) {
        for (float V : fromBytes<float>(Out))
          ASSERT_EQ(V, Want(L));
      });
}

/// checkVariants() for a numba kernel of two arrays: \p X in, and an
/// output of \p OutBytes, zeroed, that \p Check is given.
void checkInOut(
    const std::string &File, const std::vector<Launch> &Ls,
    const std::vector<float> &X, size_t OutBytes,
    const std::function<void(const Launch &, const Bytes &)> &Check) {
  checkVariants(
      {corpus(File)}, "", Ls,
      [&](Kernel &K, const Launch &L) {
        auto DX = upload(X), Out = zeroed(OutBytes);
        return runNumba(K, L, {DX.get(), Out.get()}, *Out);
      },
      Check);
}

//===-- numba-cuda corpus -------------------------------------------------===//

GPU_CASE(GpuCorpus, UsesBlockDim) {
  const unsigned N = 10000;
  std::vector<Launch> Ls;
  for (unsigned B : {96u, 128u, 256u})
    Ls.push_back({{ceilDiv(N, B), 1, 1}, {B, 1, 1}});
  checkFills({corpus("numba_uses_blockdim.ll")}, N, Ls,
             [](const Launch &L) { return float(L.Block[0]); });
}

GPU_CASE(GpuCorpus, ViaDeviceFunction) {
  const unsigned N = 4096;
  std::vector<Launch> Ls = {{{N / 32, 1, 1}, {32, 4, 1}},
                            {{N / 64, 1, 1}, {64, 2, 1}},
                            {{N / 16, 1, 1}, {16, 8, 2}}};
  checkFills({corpus("numba_via_device_fn.part1.ll"),
              corpus("numba_via_device_fn.part2.ll")},
             N, Ls,
             [](const Launch &L) { return float(L.Block[0] * L.Block[1]); });
}

GPU_CASE(GpuCorpus, GridStrideSaxpy) {
  const unsigned N = 100000;
  std::vector<float> X(N), Y(N);
  for (unsigned I = 0; I != N; ++I) {
    X[I] = float(I % 101) * 0.5f;
    Y[I] = float(I % 37);
  }
  const float Alpha = 3.0f;
  std::vector<Launch> Ls = {{{7, 1, 1}, {128, 1, 1}},
                            {{64, 1, 1}, {256, 1, 1}},
                            {{1000, 1, 1}, {1024, 1, 1}}};
  checkVariants(
      {corpus("numba_grid_stride_saxpy.ll")}, "", Ls,
      [&](Kernel &K, const Launch &L) {
        auto DX = upload(X), DY = upload(Y);
        Args A;
        A.addNumbaArray(*DX, 4);
        A.addNumbaArray(*DY, 4);
        A.add<float>(Alpha);
        launch(K, L, A);
        return asBytes(download<float>(*DY));
      },
      [&](const Launch &, const Bytes &Out) {
        std::vector<float> R = fromBytes<float>(Out);
        for (unsigned I = 0; I != N; ++I)
          ASSERT_EQ(R[I], Alpha * X[I] + Y[I]) << "at " << I;
      });
}

GPU_CASE(GpuCorpus, BlockReduce) {
  const unsigned N = 20000;
  std::vector<float> X(N);
  double Sum = 0;
  for (unsigned I = 0; I != N; ++I)
    Sum += X[I] = float(I % 7);
  std::vector<Launch> Ls;
  for (unsigned B : {128u, 256u, 1024u})
    Ls.push_back({{ceilDiv(N, B), 1, 1}, {B, 1, 1}});
  checkInOut("numba_block_reduce.ll", Ls, X, 4,
             [&](const Launch &, const Bytes &Out) {
               EXPECT_EQ(fromBytes<float>(Out)[0], float(Sum));
             });
}

GPU_CASE(GpuCorpus, DynamicSharedScan) {
  std::vector<Launch> Ls = {{{16, 1, 1}, {256, 1, 1}, 1024},
                            {{32, 1, 1}, {128, 1, 1}, 512},
                            {{4, 1, 1}, {1024, 1, 1}, 4096}};
  checkVariants(
      {corpus("numba_dyn_smem_scan.ll")}, "", Ls,
      [&](Kernel &K, const Launch &L) {
        unsigned N = L.Grid[0] * L.Block[0];
        std::vector<float> X(N);
        for (unsigned I = 0; I != N; ++I)
          X[I] = float(I % 5);
        auto DX = upload(X);
        return runNumba(K, L, {DX.get()}, *DX);
      },
      [&](const Launch &L, const Bytes &Out) {
        // Inclusive prefix sum within each block.
        std::vector<float> R = fromBytes<float>(Out);
        unsigned B = L.Block[0];
        for (unsigned Blk = 0; Blk != L.Grid[0]; ++Blk) {
          float Acc = 0;
          for (unsigned T = 0; T != B; ++T) {
            unsigned I = Blk * B + T;
            Acc += float(I % 5);
            ASSERT_EQ(R[I], Acc) << "block " << Blk << " thread " << T;
          }
        }
      });
}

GPU_CASE(GpuCorpus, SoftplusBlockStride) {
  const unsigned Grid = 16, N = Grid * 1024;
  std::vector<float> X(N);
  for (unsigned I = 0; I != N; ++I)
    X[I] = float(int(I % 200) - 100) / 10.0f;
  std::vector<Launch> Ls;
  for (unsigned B : {64u, 256u, 1024u})
    Ls.push_back({{Grid, 1, 1}, {B, 1, 1}});
  checkInOut("numba2_softplus_blockstride.ll", Ls, X, N * 4,
             [&](const Launch &, const Bytes &Out) {
               std::vector<float> R = fromBytes<float>(Out);
               for (unsigned I = 0; I != N; ++I) {
                 double Ref = std::log1p(std::exp(double(X[I])));
                 ASSERT_NEAR(R[I], Ref, 1e-5 * std::max(1.0, Ref))
                     << "at " << I;
               }
             });
}

GPU_CASE(GpuCorpus, HistogramAtomic) {
  const unsigned N = 50000, Bins = 16;
  std::vector<float> X(N);
  std::vector<int32_t> Ref(Bins, 0);
  for (unsigned I = 0; I != N; ++I) {
    X[I] = float(I % 97) / 97.0f;
    ++Ref[int32_t(double(X[I]) * Bins) % Bins];
  }
  std::vector<Launch> Ls = {{{8, 1, 1}, {128, 1, 1}},
                            {{100, 1, 1}, {256, 1, 1}},
                            {{1, 1, 1}, {32, 1, 1}}};
  checkInOut("numba2_histogram_atomic.ll", Ls, X, Bins * 4,
             [&](const Launch &, const Bytes &Out) {
               EXPECT_EQ(fromBytes<int32_t>(Out), Ref);
             });
}

GPU_CASE(GpuCorpus, TritonAdd) {
  const unsigned N = 10000;
  std::vector<float> X(N);
  for (unsigned I = 0; I != N; ++I)
    X[I] = float(I) * 0.25f;
  // The kernel requires 128 threads (nvvm.reqntid); 256 elements a block.
  std::vector<Launch> Ls = {{{ceilDiv(N, 256), 1, 1}, {128, 1, 1}}};
  checkVariants(
      {corpus("triton_t_add.ll")}, "t_add", Ls,
      [&](Kernel &K, const Launch &L) {
        return runOnArray(K, L, X, N * 4, int32_t(N), CUdeviceptr(0),
                          CUdeviceptr(0));
      },
      [&](const Launch &, const Bytes &Out) {
        std::vector<float> R = fromBytes<float>(Out);
        for (unsigned I = 0; I != N; ++I)
          ASSERT_EQ(R[I], X[I] + 1.0f) << "at " << I;
      });
}

//===-- CUDA C++ (clang-22) ------------------------------------------------===//

GPU_CASE(GpuCudaCpp, BlockSum) {
  const unsigned N = 100003;
  std::vector<float> X(N);
  for (unsigned I = 0; I != N; ++I)
    X[I] = float(I % 9);
  std::vector<Launch> Ls;
  for (unsigned B : {64u, 256u, 1024u})
    Ls.push_back({{ceilDiv(N, B * 4), 1, 1}, {B, 1, 1}});
  checkVariants(
      {cudaKernels()}, "block_sum", Ls,
      [&](Kernel &K, const Launch &L) {
        return runOnArray(K, L, X, L.Grid[0] * 4, int32_t(N));
      },
      [&](const Launch &L, const Bytes &Out) {
        std::vector<float> R = fromBytes<float>(Out);
        unsigned Chunk = L.Block[0] * 4;
        for (unsigned B = 0; B != L.Grid[0]; ++B) {
          double Sum = 0;
          for (unsigned I = B * Chunk; I < std::min(N, (B + 1) * Chunk); ++I)
            Sum += X[I];
          ASSERT_EQ(R[B], float(Sum)) << "block " << B;
        }
      });
}

GPU_CASE(GpuCudaCpp, Transpose) {
  const unsigned Rows = 300, Cols = 200;
  std::vector<float> X(Rows * Cols);
  for (unsigned I = 0; I != X.size(); ++I)
    X[I] = float(I);
  std::vector<Launch> Ls;
  for (unsigned By : {8u, 4u, 32u})
    Ls.push_back({{ceilDiv(Cols, 32), ceilDiv(Rows, 32), 1}, {32, By, 1}});
  checkVariants(
      {cudaKernels()}, "transpose", Ls,
      [&](Kernel &K, const Launch &L) {
        return runOnArray(K, L, X, X.size() * 4, int32_t(Rows), int32_t(Cols));
      },
      [&](const Launch &, const Bytes &Out) {
        std::vector<float> R = fromBytes<float>(Out);
        for (unsigned Rr = 0; Rr != Rows; ++Rr)
          for (unsigned C = 0; C != Cols; ++C)
            ASSERT_EQ(R[C * Rows + Rr], X[Rr * Cols + C]);
      });
}

GPU_CASE(GpuCudaCpp, Stencil3D) {
  const unsigned NX = 64, NY = 48, NZ = 40;
  std::vector<float> X(NX * NY * NZ);
  for (unsigned I = 0; I != X.size(); ++I)
    X[I] = float((I * 7) % 13);
  std::vector<Launch> Ls;
  for (Dim3 B : {Dim3{8, 8, 4}, Dim3{32, 4, 2}, Dim3{16, 16, 1}})
    Ls.push_back(
        {{ceilDiv(NX, B[0]), ceilDiv(NY, B[1]), ceilDiv(NZ, B[2])}, B});
  checkVariants(
      {cudaKernels()}, "stencil3d", Ls,
      [&](Kernel &K, const Launch &L) {
        return runOnArray(K, L, X, X.size() * 4, int32_t(NX), int32_t(NY),
                          int32_t(NZ));
      },
      [&](const Launch &, const Bytes &Out) {
        std::vector<float> R = fromBytes<float>(Out);
        for (unsigned K = 1; K + 1 < NZ; ++K)
          for (unsigned J = 1; J + 1 < NY; ++J)
            for (unsigned I = 1; I + 1 < NX; ++I) {
              unsigned C = I + J * NX + K * NX * NY;
              double Ref = 0.5 * X[C] + 0.25 * (X[C - 1] + X[C + 1]) +
                           0.125 * (X[C - NX] + X[C + NX]) +
                           0.0625 * (X[C - NX * NY] + X[C + NX * NY]);
              ASSERT_NEAR(R[C], Ref, 1e-4) << "at " << I << "," << J << ","
                                           << K;
            }
      });
}

//===-- libNVVM's LLVM-7 dialect, lowered by lcs-lower-nvvm ---------------===//

/// Expected results of @warp_ops, from the NVVM IR specification (15.6).
uint32_t warpOpExpected(unsigned Row, unsigned L) {
  switch (Row) {
  case 0: // shfl idx from lane 3
    return 30;
  case 1: // shfl up 1, clamp 0: lane 0 keeps its own value
    return L >= 1 ? (L - 1) * 10 : L * 10;
  case 2:
    return L >= 1;
  case 3: // shfl down 2, clamp 31
    return L + 2 <= 31 ? (L + 2) * 10 : L * 10;
  case 4:
    return L + 2 <= 31;
  case 5: // shfl bfly 4
    return (L ^ 4) * 10;
  case 6: // vote all (lane < 32)
    return 1;
  case 7: // vote any (lane == 5)
    return 1;
  case 8: // vote eq (lane < 16): differs across the warp
    return 0;
  case 9: // ballot (odd lanes)
    return 0xAAAAAAAAu;
  case 10: // match.all on equal values: the member mask
    return 0xFFFFFFFFu;
  case 11:
    return 1;
  case 12: // match.all on distinct values
    return 0;
  case 13: // match.all.i64 over lanes 0-15, equal values
    return L < 16 ? 0xFFFFu : 0;
  }
  return 0;
}

GPU_CASE(GpuNVVMDialect, WarpOperations) {
  const unsigned Rows = 14;
  checkVariants(
      {gpuInput("nvvm_warp.ll")}, "warp_ops", {{{1, 1, 1}, {32, 1, 1}}},
      [&](Kernel &K, const Launch &L) {
        DeviceBuffer Out(Rows * 32 * 4);
        EXPECT_EQ(CudaDriver::get().zero(Out.ptr(), Out.bytes()), "");
        Args A;
        A.add<CUdeviceptr>(Out.ptr());
        launch(K, L, A);
        return asBytes(download<uint32_t>(Out));
      },
      [&](const Launch &, const Bytes &Out) {
        std::vector<uint32_t> R = fromBytes<uint32_t>(Out);
        for (unsigned Row = 0; Row != Rows; ++Row)
          for (unsigned L = 0; L != 32; ++L)
            EXPECT_EQ(R[Row * 32 + L], warpOpExpected(Row, L))
                << "row " << Row << " lane " << L;
      });
}

/// IEEE half bits of a small integer-valued float (exact).
uint16_t toHalf(float F) {
  uint32_t Bits;
  std::memcpy(&Bits, &F, 4);
  if ((Bits & 0x7fffffff) == 0)
    return uint16_t(Bits >> 16);
  uint32_t Sign = (Bits >> 16) & 0x8000;
  int Exp = int((Bits >> 23) & 0xff) - 127 + 15;
  uint32_t Mant = (Bits >> 13) & 0x3ff;
  return uint16_t(Sign | (uint32_t(Exp) << 10) | Mant);
}

GPU_CASE(GpuNVVMDialect, MatrixMultiplyAccumulate) {
  // A 16x16 row-major, B 16x16 column-major (fp16 pairs in i32), C row-major.
  std::vector<float> A(256), B(256), C(256);
  for (unsigned I = 0; I != 256; ++I) {
    A[I] = float(int(I % 7) - 3);
    B[I] = float(int(I % 5) - 2);
    C[I] = float(I % 11);
  }
  auto Pack = [](const std::vector<float> &M) {
    std::vector<uint16_t> H(M.size());
    for (size_t I = 0; I != M.size(); ++I)
      H[I] = toHalf(M[I]);
    return H;
  };
  std::vector<uint16_t> HA = Pack(A), HB = Pack(B);
  checkVariants(
      {gpuInput("nvvm_warp.ll")}, "mma", {{{1, 1, 1}, {32, 1, 1}}},
      [&](Kernel &K, const Launch &L) {
        auto DA = upload(HA), DB = upload(HB), DC = upload(C);
        DeviceBuffer D(256 * 4);
        Args Ar;
        Ar.add<CUdeviceptr>(DA->ptr());
        Ar.add<CUdeviceptr>(DB->ptr());
        Ar.add<CUdeviceptr>(DC->ptr());
        Ar.add<CUdeviceptr>(D.ptr());
        launch(K, L, Ar);
        return asBytes(download<float>(D));
      },
      [&](const Launch &, const Bytes &Out) {
        std::vector<float> R = fromBytes<float>(Out);
        for (unsigned I = 0; I != 16; ++I)
          for (unsigned J = 0; J != 16; ++J) {
            float Ref = C[I * 16 + J];
            for (unsigned K = 0; K != 16; ++K)
              Ref += A[I * 16 + K] * B[K + J * 16]; // B is column-major
            EXPECT_EQ(R[I * 16 + J], Ref) << "D[" << I << "][" << J << "]";
          }
      });
}

} // namespace
