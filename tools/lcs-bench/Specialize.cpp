//===- Specialize.cpp - lcs-bench specialize ------------------------------===//
//
// Kernel time (CUDA events, median of interleaved runs) of each kernel
// generic, specialised by lcs, and (for CUDA C++) built with the block size a
// compile-time constant, on problems large enough that a launch runs for
// well over 100 us.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"

#include "lcs/Runtime.h"
#include "lcs/compile/InProcess.h"
#include "lcs/compile/VariantCompiler.h"

#include "llvm/Support/Error.h"

#include <algorithm>
#include <cstring>
#include <cstdio>
#include <deque>
#include <functional>


using namespace lcs;
using namespace lcs::bench;

namespace {

struct Args {
  std::deque<std::vector<char>> Storage;
  std::vector<void *> Ptrs;
  template <class T> void add(T V) {
    Storage.emplace_back(sizeof(T));
    std::memcpy(Storage.back().data(), &V, sizeof(T));
    Ptrs.push_back(Storage.back().data());
  }
  void numbaArray(CUdeviceptr P, int64_t N, int64_t Item) {
    add<void *>(nullptr);
    add<void *>(nullptr);
    add<int64_t>(N);
    add<int64_t>(Item);
    add<CUdeviceptr>(P);
    add<int64_t>(N);
    add<int64_t>(Item);
  }
};

struct Case {
  std::string Label, Kernel;
  std::string Source, Limit; ///< IR files; Limit empty for numba kernels
  Dim3 Grid, Block;
  unsigned Smem = 0;
  std::function<void(const Cuda &, Args &, std::vector<CUdeviceptr> &)> Setup;
};

CUfunction load(const Cuda &C, const std::string &Arch, const std::string &File,
                const std::string &Kernel, const LaunchConfig *Config,
                std::string &Error) {
  VariantCompiler VC(nullptr, inProcessBackend());
  CompileRequest R;
  R.Inputs = {{File, readFile(File)}};
  R.Kernel = Kernel;
  if (Config)
    R.Config = *Config;
  R.Arch = Arch;
  R.Kind = CodeKind::Cubin;
  CompileResult Compiled;
  if (Status S = VC.compile(R, Compiled)) {
    Error = S.message();
    return nullptr;
  }
  CUmodule M;
  CUfunction F;
  if (C.ModuleLoadData(&M, Compiled.Code.data()) ||
      C.ModuleGetFunction(&F, M, Kernel.c_str())) {
    Error = "cannot load " + Kernel;
    return nullptr;
  }
  return F;
}

double median(std::vector<double> V) {
  std::sort(V.begin(), V.end());
  return V[V.size() / 2];
}

} // namespace

int lcs::bench::benchSpecialize() {
  std::unique_ptr<Runtime> RT;
  std::string Error;
  const Cuda *CP = openRuntime(RT, Error);
  if (!CP) {
    std::fprintf(stderr, "lcs-bench: error: %s\n", Error.c_str());
    return 1;
  }
  const Cuda &C = *CP;
  std::string Kernels = opt("kernels", "build/tools/lcs-bench");
  std::string Corpus = opt("corpus", "test/lit/Inputs/corpus");
  int Runs = std::atoi(opt("runs", "20").c_str());
  auto Alloc = [&](std::vector<CUdeviceptr> &Bufs, size_t Bytes) {
    CUdeviceptr P = 0;
    if (C.MemAlloc(&P, Bytes) != CUDA_SUCCESS) {
      std::fprintf(stderr, "lcs-bench: error: cannot allocate %zu bytes\n",
                   Bytes);
      std::exit(1);
    }
    C.MemsetD8(P, 0, Bytes);
    Bufs.push_back(P);
    return P;
  };
  const unsigned M64 = 64u << 20;
  std::vector<Case> Cases = {
      {"C++ block reduction", "reduce", Kernels + "/bench-generic.ll",
       Kernels + "/bench-256x1x1.ll", {M64 / (256 * 16), 1, 1}, {256, 1, 1}, 0,
       [&](const Cuda &, Args &A, std::vector<CUdeviceptr> &B) {
         A.add(Alloc(B, size_t(M64) * 4));
         A.add(Alloc(B, size_t(M64 / (256 * 16)) * 4));
         A.add<unsigned>(M64);
       }},
      {"C++ tiled transpose", "transpose", Kernels + "/bench-generic.ll",
       Kernels + "/bench-32x8x1.ll", {256, 256, 1}, {32, 8, 1}, 0,
       [&](const Cuda &, Args &A, std::vector<CUdeviceptr> &B) {
         A.add(Alloc(B, size_t(8192) * 8192 * 4));
         A.add(Alloc(B, size_t(8192) * 8192 * 4));
         A.add<unsigned>(8192);
         A.add<unsigned>(8192);
       }},
      {"C++ 3D stencil", "stencil3d", Kernels + "/bench-generic.ll",
       Kernels + "/bench-32x4x2.ll", {16, 128, 128}, {32, 4, 2}, 0,
       [&](const Cuda &, Args &A, std::vector<CUdeviceptr> &B) {
         A.add(Alloc(B, size_t(512) * 512 * 256 * 4));
         A.add(Alloc(B, size_t(512) * 512 * 256 * 4));
         A.add<unsigned>(512);
         A.add<unsigned>(512);
         A.add<unsigned>(256);
       }},
      {"C++ block scan", "scan", Kernels + "/bench-generic.ll",
       Kernels + "/bench-256x1x1.ll", {2048, 1, 1}, {256, 1, 1}, 0,
       [&](const Cuda &, Args &A, std::vector<CUdeviceptr> &B) {
         A.add(Alloc(B, size_t(M64) * 4));
         A.add(Alloc(B, size_t(M64) * 4));
         A.add<unsigned>(M64);
       }},
      {"numba grid-stride saxpy", "", Corpus + "/numba_grid_stride_saxpy.ll",
       "", {1024, 1, 1}, {256, 1, 1}, 0,
       [&](const Cuda &, Args &A, std::vector<CUdeviceptr> &B) {
         A.numbaArray(Alloc(B, size_t(M64) * 4), M64, 4);
         A.numbaArray(Alloc(B, size_t(M64) * 4), M64, 4);
         A.add<float>(2.0f);
       }},
      {"numba softplus block-stride", "",
       Corpus + "/numba2_softplus_blockstride.ll", "", {65536, 1, 1},
       {256, 1, 1}, 0,
       [&](const Cuda &, Args &A, std::vector<CUdeviceptr> &B) {
         A.numbaArray(Alloc(B, size_t(M64) * 4), M64, 4);
         A.numbaArray(Alloc(B, size_t(M64) * 4), M64, 4);
       }},
      {"numba histogram", "", Corpus + "/numba2_histogram_atomic.ll", "",
       {1024, 1, 1}, {256, 1, 1}, 0,
       [&](const Cuda &, Args &A, std::vector<CUdeviceptr> &B) {
         A.numbaArray(Alloc(B, size_t(M64) * 4), M64, 4);
         A.numbaArray(Alloc(B, 16 * 4), 16, 4);
       }},
      {"numba block reduce", "", Corpus + "/numba_block_reduce.ll", "",
       {M64 / 256, 1, 1}, {256, 1, 1}, 0,
       [&](const Cuda &, Args &A, std::vector<CUdeviceptr> &B) {
         A.numbaArray(Alloc(B, size_t(M64) * 4), M64, 4);
         A.numbaArray(Alloc(B, 4), 1, 4);
       }},
      {"numba dynamic-smem scan", "", Corpus + "/numba_dyn_smem_scan.ll", "",
       {M64 / 256, 1, 1}, {256, 1, 1}, 1024,
       [&](const Cuda &, Args &A, std::vector<CUdeviceptr> &B) {
         A.numbaArray(Alloc(B, size_t(M64) * 4), M64, 4);
       }},
      {"numba uses blockDim", "", Corpus + "/numba_uses_blockdim.ll", "",
       {M64 / 256, 1, 1}, {256, 1, 1}, 0,
       [&](const Cuda &, Args &A, std::vector<CUdeviceptr> &B) {
         A.numbaArray(Alloc(B, size_t(M64) * 4), M64, 4);
       }},
  };
  CUevent Start, Stop;
  C.EventCreate(&Start, 0);
  C.EventCreate(&Stop, 0);
  for (Case &K : Cases) {
    std::string Name = K.Kernel;
    if (Name.empty()) { // numba: the module's only kernel
      std::unique_ptr<Program> P;
      if (Status S = RT->createProgram({{K.Source, readFile(K.Source)}}, P)) {
        std::fprintf(stderr, "lcs-bench: %s\n", S.message().c_str());
        return 1;
      }
      Name = P->kernels().at(0);
    }
    LaunchConfig Config;
    Config.Block = K.Block;
    Config.Grid = K.Grid;
    Config.ClusterNone = true;
    Config.Smem = K.Smem;
    struct Variant {
      const char *Label;
      CUfunction F;
      std::vector<double> Us;
    };
    std::vector<Variant> Vs;
    CUfunction G = load(C, RT->arch(), K.Source, Name, nullptr, Error);
    CUfunction S = G ? load(C, RT->arch(), K.Source, Name, &Config, Error)
                     : nullptr;
    if (!G || !S) {
      std::fprintf(stderr, "lcs-bench: %s: %s\n", K.Label.c_str(),
                   Error.c_str());
      return 1;
    }
    Vs.push_back({"generic", G, {}});
    Vs.push_back({"specialized", S, {}});
    if (!K.Limit.empty()) {
      CUfunction L = load(C, RT->arch(), K.Limit, Name, nullptr, Error);
      if (!L) {
        std::fprintf(stderr, "lcs-bench: %s\n", Error.c_str());
        return 1;
      }
      Vs.push_back({"limit", L, {}});
    }
    Args A;
    std::vector<CUdeviceptr> Buffers;
    K.Setup(C, A, Buffers);
    for (int R = -2; R != Runs; ++R) // two warm-up rounds
      for (size_t I = 0; I != Vs.size(); ++I) {
        Variant &V = Vs[(I + size_t(R + 2)) % Vs.size()];
        C.EventRecord(Start, nullptr);
        if (CUresult Res = C.LaunchKernel(
                V.F, K.Grid[0], K.Grid[1], K.Grid[2], K.Block[0], K.Block[1],
                K.Block[2], K.Smem, nullptr, A.Ptrs.data(), nullptr)) {
          std::fprintf(stderr, "lcs-bench: error: %s: launch failed (%d)\n",
                       K.Label.c_str(), int(Res));
          return 1;
        }
        C.EventRecord(Stop, nullptr);
        C.EventSynchronize(Stop);
        float Ms = 0;
        C.EventElapsedTime(&Ms, Start, Stop);
        if (R >= 0)
          V.Us.push_back(double(Ms) * 1000.0);
      }
    double Gen = median(Vs[0].Us), Spec = median(Vs[1].Us);
    std::string Line = "{\"bench\": \"specialize\", \"case\": \"" + K.Label +
                       "\", \"block\": \"" + dim3Str(K.Block) +
                       "\", \"grid\": \"" + dim3Str(K.Grid) +
                       "\", \"generic_us\": " + std::to_string(Gen) +
                       ", \"specialized_us\": " + std::to_string(Spec) +
                       ", \"specialized_over_generic\": " +
                       std::to_string(Spec / Gen);
    if (Vs.size() == 3) {
      double Lim = median(Vs[2].Us);
      Line += ", \"limit_us\": " + std::to_string(Lim) +
              ", \"specialized_over_limit\": " + std::to_string(Spec / Lim);
    }
    std::fprintf(out(), "%s, \"runs\": %d}\n", Line.c_str(), Runs);
    std::fflush(out());
    for (CUdeviceptr P : Buffers)
      C.MemFree(P);
  }
  return 0;
}
