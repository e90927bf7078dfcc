//===- lcs-bench.cpp - lcs benchmarks -------------------------------------===//
///
/// \file
/// lcs-bench COMMAND [--out=FILE] [options]
///
///   analysis    CPU: analysis throughput and scaling on synthetic modules
///   launch      GPU: ns per launch, raw driver vs the lcs runtime
///               (--threads=N: N threads at once, a stream each)
///   compile     GPU: cold compile, fresh-process disk hit, in-memory hit,
///               and libNVVM + nvJitLink on the same IR (warm and fresh)
///   compile-cpu CPU: lcs vs libNVVM + nvJitLink to a cubin, fresh and warm
///   specialize  GPU: kernel time, generic vs specialised vs the
///               compile-time-constant build
///
/// Each result is one JSON object a line in --out (default stdout), with
/// medians and the 10th/90th percentiles; ratios are always between numbers
/// measured in the same run. Benchmarks measure and report; they assert
/// nothing.
///
//===----------------------------------------------------------------------===//

#include "BenchDriver.h"

#include "lcs/Version.h"
#include "lcs/compile/CodeGen.h"
#include "lcs/LaunchSensitivity.h"
#include "lcs/compile/ModuleInput.h"
#include "lcs/Runtime.h"
#include "lcs/compile/InProcess.h"
#include "lcs/compile/VariantCompiler.h"
#include "lcs/compile/Worker.h"
#include "lcs/cache/DiskCache.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <condition_variable>
#include <thread>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace lcs;
using Clock = std::chrono::steady_clock;

namespace {

double ns(Clock::duration D) {
  return double(std::chrono::duration_cast<std::chrono::nanoseconds>(D).count());
}

struct Summary {
  double Median, P10, P90;
};

Summary summarize(std::vector<double> V) {
  std::sort(V.begin(), V.end());
  auto At = [&](double Q) { return V[size_t(Q * double(V.size() - 1))]; };
  return {At(0.5), At(0.1), At(0.9)};
}

std::FILE *Out = stdout;
std::map<std::string, std::string> Options;

std::string opt(const std::string &Name, const std::string &Default) {
  auto It = Options.find(Name);
  return It == Options.end() ? Default : It->second;
}

int optInt(const std::string &Name, int Default) {
  return std::atoi(opt(Name, std::to_string(Default)).c_str());
}

void emit(const std::string &Json) {
  std::fprintf(Out, "%s\n", Json.c_str());
  std::fflush(Out);
}

std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

std::string jnum(double V) {
  char B[64];
  std::snprintf(B, sizeof B, "%.6g", V);
  return B;
}

std::string jsum(const Summary &S) {
  return "{\"median\": " + jnum(S.Median) + ", \"p10\": " + jnum(S.P10) +
         ", \"p90\": " + jnum(S.P90) + "}";
}

int fail(const std::string &Msg) {
  std::fprintf(stderr, "lcs-bench: error: %s\n", Msg.c_str());
  return 1;
}

//===-- analysis ----------------------------------------------------------===//

/// The synthetic module of scripts/gen-synthetic.py, in process.
std::string synthetic(unsigned Instructions) {
  const unsigned Body = 40, Funcs = std::max(2u, Instructions / Body);
  std::string S = "target triple = \"nvptx64-nvidia-cuda\"\n"
                  "declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()\n"
                  "declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()\n"
                  "declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()\n";
  for (unsigned I = 0; I != Funcs; ++I) {
    bool Kernel = I % 16 == 0;
    std::string Name = (Kernel ? "@k" : "@f") + std::to_string(I);
    S += "define " + std::string(Kernel ? "ptx_kernel void " : "i32 ") + Name +
         "(ptr %o, i32 %a) {\nentry:\n  %t = call i32 "
         "@llvm.nvvm.read.ptx.sreg.tid.x()\n";
    std::string V = "%t";
    if (I % 10 == 0) {
      S += "  %live = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()\n"
           "  %dead = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()\n"
           "  %slot = alloca i32\n  store i32 %dead, ptr %slot\n"
           "  %m = mul i32 %t, %live\n";
      V = "%m";
    }
    for (unsigned J = 0; J != (Body - 8) / 2; ++J) {
      S += "  %x" + std::to_string(J) + " = add i32 " + V + ", %a\n";
      S += "  %y" + std::to_string(J) + " = xor i32 %x" + std::to_string(J) +
           ", " + std::to_string(J + 1) + "\n";
      V = "%y" + std::to_string(J);
    }
    if (I + 1 < Funcs && (Kernel || (I + 1) % 16 != 0)) {
      S += "  %c = call i32 @f" + std::to_string(I + 1) + "(ptr %o, i32 " + V +
           ")\n";
      V = "%c";
    }
    S += "  store i32 " + V + ", ptr %o\n";
    S += Kernel ? "  ret void\n}\n" : "  ret i32 " + V + "\n}\n";
  }
  return S;
}

int benchAnalysis() {
  std::vector<unsigned> Sizes = {10000, 100000, 1000000};
  int Reps = optInt("reps", 5);
  double PerInstrSmall[2] = {0, 0}, PerInstrLarge[2] = {0, 0};
  for (unsigned Size : Sizes) {
    std::string Text = synthetic(Size);
    std::vector<double> Parse, Full, Scan;
    size_t Instructions = 0;
    for (int R = 0; R != Reps; ++R) {
      llvm::LLVMContext Ctx;
      auto T0 = Clock::now();
      auto M = parseInput(llvm::MemoryBufferRef(Text, "synthetic"), Ctx);
      auto T1 = Clock::now();
      if (!M)
        return fail(llvm::toString(M.takeError()));
      LaunchSensitivity A = computeLaunchSensitivity(**M);
      auto T2 = Clock::now();
      SensitivityOptions Fast;
      Fast.DiscardDeadReads = false;
      LaunchSensitivity B = computeLaunchSensitivity(**M, Fast);
      auto T3 = Clock::now();
      // Counting walks every instruction: outside the timed spans.
      Instructions = (*M)->getInstructionCount();
      Parse.push_back(ns(T1 - T0));
      Full.push_back(ns(T2 - T1));
      Scan.push_back(ns(T3 - T2));
    }
    Summary P = summarize(Parse), F = summarize(Full), S = summarize(Scan);
    double N = double(Instructions);
    emit("{\"bench\": \"analysis\", \"instructions\": " + jnum(N) +
         ", \"parse_ns\": " + jsum(P) + ", \"analysis_ns\": " + jsum(F) +
         ", \"scan_only_ns\": " + jsum(S) +
         ", \"analysis_instr_per_s\": " + jnum(N / F.Median * 1e9) +
         ", \"scan_only_instr_per_s\": " + jnum(N / S.Median * 1e9) +
         ", \"with_parse_instr_per_s\": " +
         jnum(N / (F.Median + P.Median) * 1e9) + "}");
    if (Size == Sizes.front()) {
      PerInstrSmall[0] = F.Median / N;
      PerInstrSmall[1] = S.Median / N;
    }
    if (Size == Sizes.back()) {
      PerInstrLarge[0] = F.Median / N;
      PerInstrLarge[1] = S.Median / N;
    }
  }
  emit("{\"bench\": \"analysis-scaling\", \"analysis_ratio_1M_over_10k\": " +
       jnum(PerInstrLarge[0] / PerInstrSmall[0]) +
       ", \"scan_only_ratio_1M_over_10k\": " +
       jnum(PerInstrLarge[1] / PerInstrSmall[1]) + "}");
  return 0;
}

//===-- launch ------------------------------------------------------------===//

const char *LaunchIR = R"(target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @empty() {
  ret void
}
define ptx_kernel void @four(ptr addrspace(1) %a, ptr addrspace(1) %b, i32 %n, float %x) {
  ret void
}
)";

struct Env {
  const bench::Cuda *C = nullptr;
  std::unique_ptr<Runtime> RT;
};

Status openEnv(Env &E, const std::string &CacheDir) {
  std::string Why;
  E.C = bench::cuda(Why);
  if (!E.C)
    return Status(LCS_ERROR_NO_DRIVER, Why);
  RuntimeOptions O;
  O.CacheDir = CacheDir;
  if (Status S = Runtime::create(O, E.RT))
    return S;
  // The raw baselines call the driver directly, as a frontend sharing the
  // runtime's context does: that context is current (a runtime leaves the
  // caller's context as it found it, none here).
  if (E.C->CtxSetCurrent(E.RT->context()) != CUDA_SUCCESS)
    return Status(LCS_ERROR_DRIVER, "cuCtxSetCurrent failed");
  return Status::ok();
}

/// One line per path: per-launch ns over rounds, the ratio of medians to
/// cuLaunchKernelEx and the median (p10-p90) of the per-round ratios.
void emitLaunch(const char *Kernel,
                std::map<std::string, std::vector<double>> &Samples,
                const std::vector<std::string> &Paths, int Threads, int Rounds,
                int Batch) {
  const std::vector<double> &Ex = Samples["cuLaunchKernelEx"];
  double ExMedian = summarize(Ex).Median;
  for (const std::string &Path : Paths) {
    const std::vector<double> &V = Samples[Path];
    std::vector<double> PerRound;
    for (size_t R = 0; R != V.size() && R != Ex.size(); ++R)
      PerRound.push_back(V[R] / Ex[R]);
    Summary S = summarize(V);
    emit("{\"bench\": \"launch\", \"kernel\": \"" + std::string(Kernel) +
         "\", \"path\": \"" + Path + "\", \"threads\": " +
         std::to_string(Threads) + ", \"ns\": " + jsum(S) +
         ", \"ratio_to_cuLaunchKernelEx\": " + jnum(S.Median / ExMedian) +
         ", \"per_round_ratio\": " + jsum(summarize(PerRound)) +
         ", \"rounds\": " + std::to_string(Rounds) +
         ", \"batch\": " + std::to_string(Batch) + "}");
  }
}

/// Threads that run one job together, started at once: each job is one
/// path's batch in every thread, so the threads contend as a frontend's
/// launching threads do.
class Crew {
public:
  Crew(int N, std::function<void(int)> Init) : N(N) {
    for (int I = 0; I != N; ++I)
      Threads.emplace_back([this, I, Init] {
        Init(I);
        uint64_t Seen = 0;
        for (;;) {
          std::function<void(int)> Job;
          {
            std::unique_lock<std::mutex> L(M);
            Wake.wait(L, [&] { return Quit || Gen != Seen; });
            if (Quit)
              return;
            Seen = Gen;
            Job = Work;
          }
          Job(I);
          std::lock_guard<std::mutex> L(M);
          if (--Pending == 0)
            Done.notify_one();
        }
      });
  }
  ~Crew() {
    {
      std::lock_guard<std::mutex> L(M);
      Quit = true;
    }
    Wake.notify_all();
    for (std::thread &T : Threads)
      T.join();
  }
  /// Runs \p Job(thread index) in every thread; returns when all are done.
  void run(std::function<void(int)> Job) {
    std::unique_lock<std::mutex> L(M);
    Work = std::move(Job);
    Pending = N;
    ++Gen;
    Wake.notify_all();
    Done.wait(L, [&] { return Pending == 0; });
  }

private:
  int N;
  std::vector<std::thread> Threads;
  std::mutex M;
  std::condition_variable Wake, Done;
  std::function<void(int)> Work;
  uint64_t Gen = 0;
  int Pending = 0;
  bool Quit = false;
};

/// --threads=N: N threads, each with its own stream, launch \p F (raw) or
/// \p K (lcs) at once, Batch launches each; a round measures every path
/// once, the order rotated. A path's sample for a round is the mean over
/// threads of each thread's time per launch.
int launchThreaded(Env &E, CUfunction F, Kernel *K, lcs_kernel_t CK,
                   const char *Name, void **Args, int Threads, int Rounds,
                   int Batch) {
  std::vector<CUstream> Streams(Threads, nullptr);
  for (CUstream &S : Streams)
    if (E.C->StreamCreate(&S, CU_STREAM_NON_BLOCKING) != CUDA_SUCCESS)
      return fail("cuStreamCreate failed");
  CUcontext Ctx = E.RT->context();
  Crew C(Threads, [&](int) { E.C->CtxSetCurrent(Ctx); });
  const std::vector<std::string> Paths = {"cuLaunchKernel", "cuLaunchKernelEx",
                                          "lcs C++", "lcs C"};
  std::vector<double> PerThread(Threads);
  std::atomic<int> Ready{0};
  auto Launches = [&](size_t Path, int T) {
    CUstream S = Streams[T];
    LaunchParams LP = {{1, 1, 1}, {32, 1, 1}, {0, 0, 0}, 0, S};
    CUlaunchConfig Cfg = {};
    Cfg.gridDimX = Cfg.gridDimY = Cfg.gridDimZ = 1;
    Cfg.blockDimX = 32;
    Cfg.blockDimY = Cfg.blockDimZ = 1;
    Cfg.hStream = S;
    E.C->StreamSynchronize(S);
    // Start together: every thread's batch overlaps the others'.
    Ready.fetch_add(1);
    while (Ready.load() < Threads)
      ;
    auto T0 = Clock::now();
    switch (Path) {
    case 0:
      for (int J = 0; J != Batch; ++J)
        E.C->LaunchKernel(F, 1, 1, 1, 32, 1, 1, 0, S, Args, nullptr);
      break;
    case 1:
      for (int J = 0; J != Batch; ++J)
        E.C->LaunchKernelEx(&Cfg, F, Args, nullptr);
      break;
    case 2:
      for (int J = 0; J != Batch; ++J)
        K->launch(LP, Args);
      break;
    default:
      for (int J = 0; J != Batch; ++J)
        lcs_launch(CK, &LP, Args);
      break;
    }
    PerThread[T] = ns(Clock::now() - T0) / Batch;
    E.C->StreamSynchronize(S);
  };
  // Each thread's first lcs launch on its stream, outside the timing.
  C.run([&](int T) {
    LaunchParams LP = {{1, 1, 1}, {32, 1, 1}, {0, 0, 0}, 0, Streams[T]};
    K->launch(LP, Args);
    E.C->StreamSynchronize(Streams[T]);
  });
  std::map<std::string, std::vector<double>> Samples;
  for (int Round = 0; Round != Rounds; ++Round)
    for (size_t I = 0; I != Paths.size(); ++I) {
      size_t Path = (I + Round) % Paths.size();
      Ready = 0;
      C.run([&](int T) { Launches(Path, T); });
      double Sum = 0;
      for (double V : PerThread)
        Sum += V;
      Samples[Paths[Path]].push_back(Sum / Threads);
    }
  for (CUstream S : Streams)
    E.C->StreamDestroy(S);
  emitLaunch(Name, Samples, Paths, Threads, Rounds, Batch);
  return 0;
}

int benchLaunch() {
  Env E;
  if (Status S = openEnv(E, ""))
    return fail(S.message());
  std::unique_ptr<Program> P;
  if (Status S = E.RT->createProgram({{"launch.ll", LaunchIR}}, P))
    return fail(S.message());
  // The raw baselines launch the very code lcs loads: the same cubin.
  VariantCompiler VC(nullptr, inProcessBackend());
  CompileRequest Req;
  Req.Inputs = {{"launch.ll", LaunchIR}};
  Req.Arch = E.RT->arch();
  Req.Kind = CodeKind::Cubin;
  int Rounds = optInt("rounds", 30), Batch = optInt("batch", 200);
  int Threads = optInt("threads", 1);
  CUdeviceptr A = 0, B = 0;
  E.C->MemAlloc(&A, 1024);
  E.C->MemAlloc(&B, 1024);
  int N = 1000;
  float X = 1.0f;
  void *Args4[] = {&A, &B, &N, &X};
  for (const char *Name : {"empty", "four"}) {
    Req.Kernel = Name;
    CompileResult Compiled;
    if (Status S = VC.compile(Req, Compiled))
      return fail(S.message());
    CUmodule M;
    CUfunction F;
    if (E.C->ModuleLoadData(&M, Compiled.Code.data()) ||
        E.C->ModuleGetFunction(&F, M, Name))
      return fail("loading the baseline cubin failed");
    Kernel *K = nullptr;
    if (Status S = P->getKernel(Name, K))
      return fail(S.message());
    lcs_kernel_t CK = reinterpret_cast<lcs_kernel_t>(K);
    void **Args = std::strcmp(Name, "four") == 0 ? Args4 : nullptr;
    LaunchParams LP = {{1, 1, 1}, {32, 1, 1}, {0, 0, 0}, 0, nullptr};
    if (Status S = K->launch(LP, Args)) // compile and load before timing
      return fail(S.message());
    CUlaunchConfig Cfg = {};
    Cfg.gridDimX = Cfg.gridDimY = Cfg.gridDimZ = 1;
    Cfg.blockDimX = 32;
    Cfg.blockDimY = Cfg.blockDimZ = 1;
    if (Threads > 1) {
      if (int RC = launchThreaded(E, F, K, CK, Name, Args, Threads, Rounds,
                                  Batch))
        return RC;
      continue;
    }
    std::vector<std::pair<std::string, std::function<void()>>> Paths = {
        {"cuLaunchKernel",
         [&] {
           E.C->LaunchKernel(F, 1, 1, 1, 32, 1, 1, 0, nullptr, Args, nullptr);
         }},
        {"cuLaunchKernelEx",
         [&] { E.C->LaunchKernelEx(&Cfg, F, Args, nullptr); }},
        {"lcs C++", [&] { K->launch(LP, Args); }},
        {"lcs C", [&] { lcs_launch(CK, &LP, Args); }},
    };
    std::map<std::string, std::vector<double>> Samples;
    for (int Round = 0; Round != Rounds; ++Round)
      for (size_t I = 0; I != Paths.size(); ++I) {
        // Rotate the order each round so no path always goes first.
        auto &Path = Paths[(I + Round) % Paths.size()];
        E.C->CtxSynchronize();
        auto T0 = Clock::now();
        for (int J = 0; J != Batch; ++J)
          Path.second();
        auto T1 = Clock::now();
        Samples[Path.first].push_back(ns(T1 - T0) / Batch);
      }
    E.C->CtxSynchronize();
    emitLaunch(Name, Samples, {"cuLaunchKernel", "cuLaunchKernelEx",
                               "lcs C++", "lcs C"},
               1, Rounds, Batch);
  }
  return 0;
}

//===-- compile -----------------------------------------------------------===//

/// Arguments for any corpus numba-cuda kernel: two 1024-element float
/// arrays over a real device buffer, then a float scalar; kernels with
/// fewer parameters ignore the rest.
struct NumbaArgs {
  CUdeviceptr Buffer = 0;
  int64_t Fields[2][7];
  float Scalar = 1.0f;
  std::vector<void *> Ptrs;
  explicit NumbaArgs(const bench::Cuda &C) {
    C.MemAlloc(&Buffer, 1 << 20);
    C.MemsetD8(Buffer, 0, 1 << 20);
    for (auto &F : Fields) {
      int64_t V[7] = {0, 0, 1024, 4, int64_t(Buffer), 1024, 4};
      std::memcpy(F, V, sizeof V);
      for (int64_t &X : F)
        Ptrs.push_back(&X);
    }
    Ptrs.push_back(&Scalar);
  }
};

/// In a child: open a runtime over \p CacheDir and time the first launch.
int benchCompileChild() {
  std::string File = opt("file", ""), CacheDir = opt("cache-dir", "");
  std::string Bytes = readFile(File); // timed from IR bytes in memory
  auto T0 = Clock::now();
  Env E;
  if (Status S = openEnv(E, CacheDir))
    return fail(S.message());
  auto T1 = Clock::now();
  std::unique_ptr<Program> P;
  if (Status S = E.RT->createProgram({{File, Bytes}}, P))
    return fail(S.message());
  Kernel *K = nullptr;
  if (Status S = P->getKernel(P->kernels().at(0), K))
    return fail(S.message());
  auto T2 = Clock::now();
  LaunchParams LP = {{1, 1, 1}, {128, 1, 1}, {0, 0, 0}, 0, nullptr};
  NumbaArgs Args(*E.C);
  auto T2b = Clock::now(); // the buffer's allocation is not the launch's
  Status S = K->launch(LP, Args.Ptrs.data());
  auto T3 = Clock::now();
  if (S)
    return fail(S.message());
  if (CUresult R = E.C->CtxSynchronize())
    return fail("the kernel failed: CUresult " + std::to_string(int(R)));
  T3 -= T2b - T2;
  lcs_counters_t C = E.RT->counters();
  std::printf("{\"runtime_init_ns\": %.0f, \"program_ns\": %.0f, "
              "\"first_launch_ns\": %.0f, \"compiles\": %llu, "
              "\"disk_hits\": %llu}\n",
              ns(T1 - T0), ns(T2 - T1), ns(T3 - T2),
              (unsigned long long)C.compiles,
              (unsigned long long)C.disk_hits);
  return 0;
}

/// In a child: libNVVM + nvJitLink from IR bytes in memory to a cubin (and,
/// with a driver, a loaded CUfunction), loading the libraries and reading
/// libdevice included: the fresh-process baseline.
int benchNvvmChild() {
  std::string File = opt("file", ""), Bytes = readFile(File);
  std::string Arch = opt("arch", "sm_90a");
  Env E;
  bool Gpu = opt("gpu", "1") == "1";
  if (Gpu) {
    if (Status S = openEnv(E, ""))
      return fail(S.message());
    Arch = E.RT->arch();
  }
  auto T0 = Clock::now();
  bench::NVVMToolchain NVVM;
  if (!NVVM.available())
    return fail(NVVM.Error);
  std::string Libdevice = readFile(lcs::libdevicePath());
  std::string Cubin, Log;
  if (!NVVM.compile({Bytes}, Libdevice, Arch, Cubin, Log))
    return fail(Log);
  auto T1 = Clock::now();
  if (Gpu) {
    CUmodule M = nullptr;
    if (CUresult RC = E.C->ModuleLoadData(&M, Cubin.data()))
      return fail("cuModuleLoadData: " + std::to_string(int(RC)));
    T1 = Clock::now();
  }
  std::printf("{\"nvvm_ns\": %.0f}\n", ns(T1 - T0));
  return 0;
}

/// In a child: lcs from IR bytes in memory to a cubin without a GPU, as the
/// runtime does it (analysis with the program prepared, then the variant
/// for block 128) in a fresh worker pool; the worker's start-up is part of
/// it, and is reported apart (a second pool's first request minus a warm
/// worker's).
int benchLcsCpuChild() {
  std::string File = opt("file", ""), Bytes = readFile(File);
  CompileRequest Req;
  Req.Inputs = {{File, Bytes}};
  Req.Config.Block = Dim3{128, 1, 1};
  Req.Arch = opt("arch", "sm_90a");
  Req.Kind = CodeKind::Cubin;
  auto T0 = Clock::now();
  WorkerBackend Workers(1);
  VariantCompiler VC(nullptr, Workers);
  CompileResult R;
  if (Status S = VC.compile(Req, R))
    return fail(S.message());
  auto T1 = Clock::now();
  std::printf("{\"lcs_ns\": %.0f}\n", ns(T1 - T0));
  return 0;
}

bool runCommand(const std::string &Cmd, std::string &Json) {
  std::FILE *P = ::popen(Cmd.c_str(), "r");
  if (!P)
    return false;
  char Buf[1024];
  Json.clear();
  while (std::fgets(Buf, sizeof Buf, P))
    Json += Buf;
  return ::pclose(P) == 0;
}

double field(const std::string &Json, const std::string &Name);

/// A backend as before programs were prepared: each build parses the
/// sources and runs the whole analysis again (the A/B baseline).
class Unprepared : public CompileBackend {
public:
  explicit Unprepared(CompileBackend &B) : B(B) {}
  Status analyse(const worker::Sources &In,
                 std::vector<cache::KernelRecord> &Out) override {
    return B.analyse(In, Out);
  }
  Status build(const worker::BuildJob &J, cache::Variant &Out) override {
    return B.build(J, Out);
  }
  Status inspect(const worker::Sources &In, std::string &Out) override {
    return B.inspect(In, Out);
  }

private:
  CompileBackend &B;
};

/// CPU only (no driver needed): per corpus kernel, lcs against libNVVM +
/// nvJitLink from IR bytes in memory to a cubin for block 128, both fresh
/// (a new process each, libraries loaded in the timed span; lcs's worker
/// start-up included and reported apart) and both warm (this process, the
/// libraries loaded and a worker running); and lcs warm without the
/// prepared program (each build parses and analyses again), the baseline
/// of the parse-once change. Alternating, median of --reps.
int benchCompileCpu(const std::string &Self) {
  std::string Corpus = opt("corpus", "test/lit/Inputs/corpus");
  std::string Arch = opt("arch", "sm_90a");
  int Reps = std::max(2, optInt("reps", 5));
  bench::NVVMToolchain NVVM;
  if (!NVVM.available())
    return fail(NVVM.Error);
  std::string Libdevice = readFile(lcs::libdevicePath());
  WorkerBackend Warm(1);
  for (const char *Name :
       {"numba_uses_blockdim.ll", "numba_grid_stride_saxpy.ll",
        "numba2_softplus_blockstride.ll", "numba_block_reduce.ll"}) {
    std::string File = Corpus + "/" + Name, Bytes = readFile(File);
    std::vector<double> LcsFresh, NvvmFresh, LcsWarm, NvvmWarm, FreshRatio,
        WarmRatio, Startup, LcsWarmSources;
    Unprepared FromSources(Warm);
    auto LcsHere = [&](CompileBackend &B) {
      CompileRequest Req;
      Req.Inputs = {{File, Bytes}};
      Req.Config.Block = Dim3{128, 1, 1};
      Req.Arch = Arch;
      Req.Kind = CodeKind::Cubin;
      auto T0 = Clock::now();
      VariantCompiler VC(nullptr, B);
      CompileResult R;
      Status S = VC.compile(Req, R);
      double T = ns(Clock::now() - T0);
      return S ? -1.0 : T;
    };
    auto NvvmHere = [&] {
      auto T0 = Clock::now();
      std::string Cubin, Log;
      bool Ok = NVVM.compile({Bytes}, Libdevice, Arch, Cubin, Log);
      double T = ns(Clock::now() - T0);
      return Ok ? T : -1.0;
    };
    LcsHere(Warm); // the warm worker's start-up and first compile
    NvvmHere();
    // Another variant of a program already analysed: the build alone, in
    // the warm worker, from the prepared program or from the sources.
    std::vector<cache::KernelRecord> Records;
    std::shared_ptr<const worker::Prepared> Program;
    if (Status S = Warm.prepare({{File, Bytes}}, Records, Program))
      return fail(S.message());
    worker::BuildJob Job;
    Job.Kernel = Records.at(0);
    Job.Arch = Arch;
    Job.Cubin = true;
    Job.Restricted.HasBlock = true;
    Job.Restricted.Block[0] = 256;
    Job.Groups = "block=256x1x1";
    auto BuildHere = [&](bool Prepared) {
      worker::BuildJob J = Job;
      if (Prepared)
        J.Program = Program;
      else
        J.Inputs = {{File, Bytes}};
      auto T0 = Clock::now();
      cache::Variant V;
      Status S = Warm.build(J, V);
      double T = ns(Clock::now() - T0);
      return S ? -1.0 : T;
    };
    std::vector<double> BuildPrepared, BuildSources;
    for (int R = 0; R != Reps; ++R) {
      std::string A, B;
      std::string Args = " --file='" + File + "' --arch=" + Arch;
      if (!runCommand("'" + Self + "' compile-cpu-child" + Args, A) ||
          !runCommand("'" + Self + "' nvvm-child --gpu=0" + Args, B))
        return fail("child failed: " + A + B);
      LcsFresh.push_back(field(A, "lcs_ns"));
      NvvmFresh.push_back(field(B, "nvvm_ns"));
      FreshRatio.push_back(LcsFresh.back() / NvvmFresh.back());
      double W = LcsHere(Warm), N = NvvmHere();
      if (W < 0 || N < 0)
        return fail(std::string("compiling ") + Name + " failed");
      LcsWarm.push_back(W);
      NvvmWarm.push_back(N);
      LcsWarmSources.push_back(LcsHere(FromSources));
      BuildPrepared.push_back(BuildHere(true));
      BuildSources.push_back(BuildHere(false));
      WarmRatio.push_back(W / N);
      WorkerBackend Fresh(1);
      double First = LcsHere(Fresh), Second = LcsHere(Fresh);
      Startup.push_back(First - Second);
    }
    emit(std::string("{\"bench\": \"compile-cpu\", \"kernel\": \"") + Name +
         "\", \"arch\": \"" + Arch + "\", \"lcs_fresh_ns\": " +
         jsum(summarize(LcsFresh)) + ", \"libnvvm_fresh_ns\": " +
         jsum(summarize(NvvmFresh)) + ", \"fresh_ratio\": " +
         jsum(summarize(FreshRatio)) + ", \"lcs_warm_ns\": " +
         jsum(summarize(LcsWarm)) + ", \"libnvvm_warm_ns\": " +
         jsum(summarize(NvvmWarm)) + ", \"warm_ratio\": " +
         jsum(summarize(WarmRatio)) + ", \"lcs_warm_unprepared_ns\": " +
         jsum(summarize(LcsWarmSources)) +
         ", \"next_variant_build_prepared_ns\": " +
         jsum(summarize(BuildPrepared)) +
         ", \"next_variant_build_sources_ns\": " +
         jsum(summarize(BuildSources)) + ", \"worker_startup_ns\": " +
         jsum(summarize(Startup)) + ", \"reps\": " + std::to_string(Reps) +
         "}");
  }
  return 0;
}

bool runChild(const std::string &Self, const std::string &File,
              const std::string &Dir, std::string &Json) {
  return runCommand("'" + Self + "' compile-child --file='" + File +
                        "' --cache-dir='" + Dir + "'",
                    Json);
}

double field(const std::string &Json, const std::string &Name) {
  size_t P = Json.find("\"" + Name + "\": ");
  return P == std::string::npos ? -1
                                : std::atof(Json.c_str() + P + Name.size() + 4);
}

int benchCompile(const std::string &Self) {
  std::string Corpus = opt("corpus", "test/lit/Inputs/corpus");
  int Reps = std::max(2, optInt("reps", 5));
  bench::NVVMToolchain NVVM;
  std::string Libdevice = readFile(lcs::libdevicePath());
  Env E;
  if (Status S = openEnv(E, ""))
    return fail(S.message());
  for (const char *Name :
       {"numba_uses_blockdim.ll", "numba_grid_stride_saxpy.ll",
        "numba2_softplus_blockstride.ll", "numba_block_reduce.ll"}) {
    std::string File = Corpus + "/" + Name;
    std::vector<double> Cold, Disk, DiskFirstLaunch, Nvvm, WarmCold, NvvmFresh;
    for (int R = 0; R != Reps; ++R) {
      char Template[] = "/tmp/lcs-bench-cache-XXXXXX";
      std::string Dir = ::mkdtemp(Template);
      std::string First, Second;
      if (!runChild(Self, File, Dir, First) ||
          !runChild(Self, File, Dir, Second))
        return fail("child failed: " + First + Second);
      std::system(("rm -rf '" + Dir + "'").c_str());
      if (field(First, "compiles") != 1 || field(Second, "compiles") != 0)
        return fail("unexpected counters: " + First + Second);
      // Cold: IR bytes to a launched kernel (program + first launch);
      // disk hit: the same in a fresh process with the entry on disk.
      Cold.push_back(field(First, "program_ns") +
                     field(First, "first_launch_ns"));
      Disk.push_back(field(Second, "program_ns") +
                     field(Second, "first_launch_ns"));
      DiskFirstLaunch.push_back(field(Second, "first_launch_ns"));
      // The same cold compile in this (warm) process, as libNVVM is timed
      // below: one-time costs (loading libraries) are not counted.
      {
        char WarmTemplate[] = "/tmp/lcs-bench-warm-XXXXXX";
        std::string WarmDir = ::mkdtemp(WarmTemplate);
        RuntimeOptions O;
        O.CacheDir = WarmDir;
        std::unique_ptr<Runtime> WarmRT;
        if (Status S = Runtime::create(O, WarmRT))
          return fail(S.message());
        std::string Bytes = readFile(File);
        auto T0 = Clock::now();
        std::unique_ptr<Program> P;
        if (Status S = WarmRT->createProgram({{File, Bytes}}, P))
          return fail(S.message());
        Kernel *K = nullptr;
        if (Status S = P->getKernel(P->kernels().at(0), K))
          return fail(S.message());
        LaunchParams LP = {{1, 1, 1}, {128, 1, 1}, {0, 0, 0}, 0, nullptr};
        auto T1a = Clock::now();
        NumbaArgs Args(*E.C);
        auto T1b = Clock::now();
        Status S = K->launch(LP, Args.Ptrs.data());
        auto T1 = Clock::now() - (T1b - T1a);
        if (S)
          return fail(S.message());
        if (CUresult R = E.C->CtxSynchronize())
          return fail("the kernel failed: CUresult " + std::to_string(int(R)));
        E.C->MemFree(Args.Buffer);
        if (R > 0) // the first warms this process up
          WarmCold.push_back(ns(T1 - T0));
        P.reset();
        WarmRT.reset();
        std::system(("rm -rf '" + WarmDir + "'").c_str());
      }
      if (NVVM.available()) {
        std::string FreshJson;
        if (!runCommand("'" + Self + "' nvvm-child --file='" + File + "'",
                        FreshJson))
          return fail("libNVVM child failed: " + FreshJson);
        NvvmFresh.push_back(field(FreshJson, "nvvm_ns"));
        auto T0 = Clock::now();
        std::string Cubin, Log;
        bool Ok = NVVM.compile({readFile(File)}, Libdevice, E.RT->arch(),
                               Cubin, Log);
        CUmodule M = nullptr;
        if (Ok)
          if (CUresult RC = E.C->ModuleLoadData(&M, Cubin.data())) {
            Ok = false;
            Log = "cuModuleLoadData: " + std::to_string(int(RC));
          }
        auto T1 = Clock::now();
        if (!Ok)
          return fail(std::string("libNVVM failed on ") + Name + ": " + Log);
        Nvvm.push_back(ns(T1 - T0));
      }
    }
    Summary C = summarize(Cold), D = summarize(Disk),
            DF = summarize(DiskFirstLaunch);
    std::string Line = "{\"bench\": \"compile\", \"kernel\": \"" +
                       std::string(Name) + "\", \"cold_ns\": " + jsum(C) +
                       ", \"disk_hit_ns\": " + jsum(D) +
                       ", \"disk_hit_first_launch_ns\": " + jsum(DF) +
                       ", \"cold_over_disk_hit\": " +
                       jnum(C.Median / D.Median);
    Summary W = summarize(WarmCold);
    Line += ", \"cold_warm_process_ns\": " + jsum(W);
    if (!Nvvm.empty()) {
      Summary N = summarize(Nvvm);
      Summary NF = summarize(NvvmFresh);
      Line += ", \"libnvvm_nvjitlink_ns\": " + jsum(N) +
              ", \"libnvvm_nvjitlink_fresh_ns\": " + jsum(NF) +
              ", \"cold_over_libnvvm\": " + jnum(C.Median / N.Median) +
              ", \"cold_over_libnvvm_fresh\": " + jnum(C.Median / NF.Median) +
              ", \"warm_cold_over_libnvvm\": " + jnum(W.Median / N.Median);
    } else {
      Line += ", \"libnvvm\": \"" + NVVM.Error + "\"";
    }
    emit(Line + "}");
  }
  return 0;
}

} // namespace

namespace lcs::bench {
std::FILE *out() { return Out; }
std::string option(const std::string &N, const std::string &D) { return opt(N, D); }
std::string readInput(const std::string &Path) { return readFile(Path); }
const Cuda *openRuntime(std::unique_ptr<Runtime> &RT, std::string &Error) {
  Env E;
  if (Status S = openEnv(E, "")) {
    Error = S.message();
    return nullptr;
  }
  RT = std::move(E.RT);
  return E.C;
}
} // namespace lcs::bench

//===-- containment -------------------------------------------------------===//

/// What the compile worker costs: the same variant built in this process
/// and in a warm worker (IR over the socket, the build, the reply), and a
/// worker's start-up (the first request of a fresh pool minus a warm one).
/// No cache and no GPU: the compile itself is what is timed.
int benchContainment() {
  std::string Corpus = opt("corpus", "test/lit/Inputs/corpus");
  int Reps = std::max(3, optInt("reps", 7));
  for (const char *Name :
       {"numba_uses_blockdim.ll", "numba_grid_stride_saxpy.ll",
        "numba2_softplus_blockstride.ll", "numba_block_reduce.ll"}) {
    CompileRequest Req;
    Req.Inputs = {{Name, readFile(Corpus + "/" + Name)}};
    Req.Config.Block = Dim3{128, 1, 1};
    Req.Arch = "sm_90a";
    Req.Kind = CodeKind::PTX;
    auto Time = [&](CompileBackend &Backend) -> double {
      VariantCompiler VC(nullptr, Backend);
      Clock::time_point T0 = Clock::now();
      CompileResult R;
      Status S = VC.compile(Req, R);
      double Ns = std::chrono::duration<double, std::nano>(Clock::now() - T0)
                      .count();
      if (S) {
        std::fprintf(stderr, "lcs-bench: %s\n", S.message().c_str());
        return -1;
      }
      return Ns;
    };
    std::vector<double> Here, Worker, FirstOfPool, Ratio;
    // LLVM's one-time initialisation is not the boundary's.
    Time(inProcessBackend());
    for (int I = 0; I != Reps; ++I) {
      WorkerBackend Fresh(1);
      double First = Time(Fresh);
      double InWorker = Time(Fresh);
      double InProcess = Time(inProcessBackend());
      if (First < 0 || InWorker < 0 || InProcess < 0)
        return fail(std::string("compiling ") + Name + " failed");
      Here.push_back(InProcess);
      Worker.push_back(InWorker);
      FirstOfPool.push_back(First - InWorker);
      Ratio.push_back(InWorker / InProcess);
    }
    Summary H = summarize(Here), W = summarize(Worker),
            S = summarize(FirstOfPool), R = summarize(Ratio);
    emit(std::string("{\"bench\": \"containment\", \"kernel\": \"") + Name +
         "\", \"in_process_ms\": " + jnum(H.Median / 1e6) +
         ", \"warm_worker_ms\": " + jnum(W.Median / 1e6) +
         ", \"worker_over_in_process\": " + jsum(R) +
         ", \"worker_startup_ms\": " + jnum(S.Median / 1e6) +
         ", \"reps\": " + jnum(Reps) + "}");
  }
  return 0;
}

int benchSpecialize();

int main(int argc, char **argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help")) {
    std::puts("usage: lcs-bench analysis|launch|compile|specialize|containment|"
              "compile-cpu "
              "[--out=FILE] [--reps=N] [--rounds=N] [--batch=N] [--threads=N] "
              "[--corpus=DIR] [--kernels=DIR]\n"
              "Each result is a JSON line; see docs/benchmarks.md.");
    return argc < 2;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::puts("lcs-bench " LCS_VERSION_STRING);
    return 0;
  }
  std::string Command = argv[1];
  for (int I = 2; I < argc; ++I) {
    std::string A = argv[I];
    size_t Eq = A.find('=');
    if (A.rfind("--", 0) != 0 || Eq == std::string::npos)
      return fail("bad option '" + A + "' (expected --name=value)");
    Options[A.substr(2, Eq - 2)] = A.substr(Eq + 1);
  }
  // Counts are positive integers: a zero would leave nothing to summarise.
  for (const char *Count : {"reps", "rounds", "batch", "runs", "threads"})
    if (auto It = Options.find(Count); It != Options.end()) {
      char *End = nullptr;
      long V = std::strtol(It->second.c_str(), &End, 10);
      if (It->second.empty() || *End || V < 1 || V > 1000000)
        return fail("--" + std::string(Count) + "='" + It->second +
                    "' is not a count from 1 to 1000000");
    }
  if (Options.count("out")) {
    Out = std::fopen(Options["out"].c_str(), "a");
    if (!Out)
      return fail("cannot open " + Options["out"]);
  }
  char Self[4096];
  ssize_t N = ::readlink("/proc/self/exe", Self, sizeof Self - 1);
  Self[N > 0 ? N : 0] = 0;
  if (Command == "analysis")
    return benchAnalysis();
  if (Command == "launch")
    return benchLaunch();
  if (Command == "compile")
    return benchCompile(Self);
  if (Command == "compile-child")
    return benchCompileChild();
  if (Command == "nvvm-child")
    return benchNvvmChild();
  if (Command == "compile-cpu")
    return benchCompileCpu(Self);
  if (Command == "compile-cpu-child")
    return benchLcsCpuChild();
  if (Command == "specialize")
    return benchSpecialize();
  if (Command == "containment")
    return benchContainment();
  return fail("unknown command '" + Command + "' (see --help)");
}
