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
///   compile-phases CPU: where lcs's warm compile goes, stage by stage,
///               against libNVVM to PTX and nvJitLink
///   specialize  GPU: kernel time, generic vs specialised vs the
///               compile-time-constant build
///
/// Each result is one JSON object a line in --out (default stdout), with
/// medians and the 10th/90th percentiles; ratios are always between numbers
/// measured in the same run. Benchmarks measure and report; they assert
/// nothing.
///
//===----------------------------------------------------------------------===//

#include "Bench.h"

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
using namespace lcs::bench;

namespace lcs::bench {

double ns(Clock::duration D) {
  return double(std::chrono::duration_cast<std::chrono::nanoseconds>(D).count());
}

const char *const CompileKernels[4] = {
    "numba_uses_blockdim.ll", "numba_grid_stride_saxpy.ll",
    "numba2_softplus_blockstride.ll", "numba_block_reduce.ll"};

Summary summarize(std::vector<double> V) {
  std::sort(V.begin(), V.end());
  auto At = [&](double Q) { return V[size_t(Q * double(V.size() - 1))]; };
  return {At(0.5), At(0.1), At(0.9)};
}

namespace {
std::FILE *Out = stdout;
std::map<std::string, std::string> Options;
} // namespace

std::FILE *out() { return Out; }

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

Status openEnv(Env &E, const std::string &CacheDir, bool PrestartWorker,
               const DriverTable *Driver) {
  std::string Why;
  E.C = bench::cuda(Why);
  if (!E.C)
    return Status(LCS_ERROR_NO_DRIVER, Why);
  RuntimeOptions O;
  O.CacheDir = CacheDir;
  O.PrestartWorker = PrestartWorker;
  O.Driver = Driver;
  if (Status S = Runtime::create(O, E.RT))
    return S;
  // The raw baselines call the driver directly, as a frontend sharing the
  // runtime's context does: that context is current (a runtime leaves the
  // caller's context as it found it, none here).
  if (E.C->CtxSetCurrent(E.RT->context()) != CUDA_SUCCESS)
    return Status(LCS_ERROR_DRIVER, "cuCtxSetCurrent failed");
  return Status::ok();
}

const Cuda *openRuntime(std::unique_ptr<Runtime> &RT, std::string &Error) {
  Env E;
  if (Status S = openEnv(E, "")) {
    Error = S.message();
    return nullptr;
  }
  RT = std::move(E.RT);
  return E.C;
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

/// Keeps the bare walk from being optimised away.
volatile uint64_t WalkSink;

int benchAnalysis() {
  std::vector<unsigned> Sizes = {10000, 100000, 1000000};
  int Reps = optInt("reps", 5);
  // analysis, scan only, and a bare walk over every instruction and its
  // operands: the floor any analysis of the module pays.
  double PerInstrSmall[5] = {0, 0, 0, 0, 0}, PerInstrLarge[5] = {0, 0, 0, 0, 0};
  for (unsigned Size : Sizes) {
    std::string Text = synthetic(Size);
    std::vector<double> Parse, Full, Scan, Walk, FullOne, ScanOne;
    size_t Instructions = 0;
    for (int R = 0; R != Reps; ++R) {
      llvm::LLVMContext Ctx;
      auto T0 = Clock::now();
      auto M = parseInput(llvm::MemoryBufferRef(Text, "synthetic"), Ctx);
      auto T1 = Clock::now();
      if (!M)
        return fail(llvm::toString(M.takeError()));
      // The analysis and the scan alone, with the threads the analysis
      // picks and on this thread alone (SensitivityOptions::Threads), the
      // two orders alternating across reps (the first after the parse
      // finds less of the module in the caches at small sizes).
      SensitivityOptions Auto, Fast, One, FastOne;
      Fast.DiscardDeadReads = FastOne.DiscardDeadReads = false;
      One.Threads = FastOne.Threads = 1;
      auto Time = [&](const SensitivityOptions &O) {
        auto Start = Clock::now();
        LaunchSensitivity LS = computeLaunchSensitivity(**M, O);
        return ns(Clock::now() - Start);
      };
      double TFull, TScan, TFullOne, TScanOne;
      if (R % 2 == 0) {
        TFull = Time(Auto), TScan = Time(Fast);
        TFullOne = Time(One), TScanOne = Time(FastOne);
      } else {
        TFullOne = Time(One), TScanOne = Time(FastOne);
        TFull = Time(Auto), TScan = Time(Fast);
      }
      FullOne.push_back(TFullOne);
      ScanOne.push_back(TScanOne);
      auto TW = Clock::now();
      uint64_t Seen = 0;
      for (const llvm::Function &Fn : **M)
        for (const llvm::BasicBlock &BB : Fn)
          for (const llvm::Instruction &I : BB) {
            Seen += I.getOpcode();
            for (const llvm::Use &U : I.operands())
              Seen += uintptr_t(U.get()) & 1;
          }
      auto T4 = Clock::now();
      WalkSink = Seen;
      Walk.push_back(ns(T4 - TW));
      // Counting walks every instruction: outside the timed spans.
      Instructions = (*M)->getInstructionCount();
      Parse.push_back(ns(T1 - T0));
      Full.push_back(TFull);
      Scan.push_back(TScan);
    }
    Summary P = summarize(Parse), F = summarize(Full), S = summarize(Scan),
            W = summarize(Walk);
    double N = double(Instructions);
    emit("{\"bench\": \"analysis\", \"instructions\": " + jnum(N) +
         ", \"parse_ns\": " + jsum(P) + ", \"analysis_ns\": " + jsum(F) +
         ", \"scan_only_ns\": " + jsum(S) + ", \"walk_ns\": " + jsum(W) +
         ", \"analysis_one_thread_ns\": " + jsum(summarize(FullOne)) +
         ", \"scan_only_one_thread_ns\": " + jsum(summarize(ScanOne)) +
         ", \"analysis_over_parse\": " + jnum(F.Median / P.Median) +
         ", \"analysis_instr_per_s\": " + jnum(N / F.Median * 1e9) +
         ", \"scan_only_instr_per_s\": " + jnum(N / S.Median * 1e9) +
         ", \"with_parse_instr_per_s\": " +
         jnum(N / (F.Median + P.Median) * 1e9) + "}");
    double *PerInstr = Size == Sizes.front()  ? PerInstrSmall
                       : Size == Sizes.back() ? PerInstrLarge
                                              : nullptr;
    if (PerInstr) {
      PerInstr[0] = F.Median / N;
      PerInstr[1] = S.Median / N;
      PerInstr[2] = W.Median / N;
      PerInstr[3] = summarize(FullOne).Median / N;
      PerInstr[4] = summarize(ScanOne).Median / N;
    }
  }
  emit("{\"bench\": \"analysis-scaling\", \"analysis_ratio_1M_over_10k\": " +
       jnum(PerInstrLarge[0] / PerInstrSmall[0]) +
       ", \"scan_only_ratio_1M_over_10k\": " +
       jnum(PerInstrLarge[1] / PerInstrSmall[1]) +
       ", \"walk_ratio_1M_over_10k\": " +
       jnum(PerInstrLarge[2] / PerInstrSmall[2]) +
       ", \"analysis_one_thread_ratio_1M_over_10k\": " +
       jnum(PerInstrLarge[3] / PerInstrSmall[3]) +
       ", \"scan_only_one_thread_ratio_1M_over_10k\": " +
       jnum(PerInstrLarge[4] / PerInstrSmall[4]) + "}");
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

namespace {
/// The runtime's driver table for lcs-bench launch: the driver's, but for
/// a cuLaunchKernelEx that notes the function lcs launches while Spying
/// (the warm-up launch only), so that a raw path can launch lcs's own
/// CUfunction: whether a difference lies in lcs's path or in the function.
DriverTable SpyTable;
decltype(SpyTable.LaunchKernelEx) RealLaunchEx = nullptr;
CUfunction LastLcsFunction = nullptr;
CUresult spyLaunchEx(const CUlaunchConfig *C, CUfunction F, void **Args,
                     void **Extra) {
  LastLcsFunction = F;
  return RealLaunchEx(C, F, Args, Extra);
}
} // namespace

int benchLaunch() {
  Env E;
  std::string Why;
  const DriverTable *Real = loadDriver(Why);
  if (!Real)
    return fail(Why);
  SpyTable = *Real;
  RealLaunchEx = Real->LaunchKernelEx;
  if (Status S = openEnv(E, "", true, &SpyTable))
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
    SpyTable.LaunchKernelEx = spyLaunchEx;
    Status Warm = K->launch(LP, Args); // compile and load before timing
    SpyTable.LaunchKernelEx = RealLaunchEx;
    if (Warm)
      return fail(Warm.message());
    CUfunction LcsFn = LastLcsFunction;
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
        // The same call on the function lcs loaded for this launch.
        {"cuLaunchKernelEx, lcs's CUfunction",
         [&] { E.C->LaunchKernelEx(&Cfg, LcsFn, Args, nullptr); }},
        // What lcs's context check costs by itself: the runtime asks for
        // the current context before each launch.
        {"cuCtxGetCurrent + cuLaunchKernel",
         [&] {
           CUcontext Current;
           E.C->CtxGetCurrent(&Current);
           E.C->LaunchKernel(F, 1, 1, 1, 32, 1, 1, 0, nullptr, Args, nullptr);
         }},
        {"lcs C++", [&] { K->launch(LP, Args); }},
        {"lcs C", [&] { lcs_launch(CK, &LP, Args); }},
    };
    // --probes=1: what other work between two raw launches costs, to tell
    // which of lcs's own costs the driver's launch magnifies: stores to 64
    // lines, loads of 16, a chain of 40 dependent multiply-adds.
    static volatile uint64_t Probe[512];
    static uint64_t ProbeSink;
    if (optInt("probes", 0)) {
      Paths.push_back({"probe: cuLaunchKernelEx + 64 stores", [&] {
                         for (int I = 0; I != 64; ++I)
                           Probe[I * 8] = I;
                         E.C->LaunchKernelEx(&Cfg, F, Args, nullptr);
                       }});
      Paths.push_back({"probe: cuLaunchKernelEx + 16 loads", [&] {
                         uint64_t Sum = 0;
                         for (int I = 0; I != 16; ++I)
                           Sum += Probe[I * 8];
                         ProbeSink += Sum;
                         E.C->LaunchKernelEx(&Cfg, F, Args, nullptr);
                       }});
      Paths.push_back({"probe: cuLaunchKernelEx + 40 multiply-adds", [&] {
                         uint64_t X = ProbeSink | 1;
                         for (int I = 0; I != 40; ++I) {
                           X = X * 2862933555777941757ull + 3037000493ull;
                           asm volatile("" : "+r"(X));
                         }
                         ProbeSink = X;
                         E.C->LaunchKernelEx(&Cfg, F, Args, nullptr);
                       }});
    }
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
    std::vector<std::string> Names;
    for (const auto &Path : Paths)
      Names.push_back(Path.first);
    emitLaunch(Name, Samples, Names, 1, Rounds, Batch);
  }
  return 0;
}

} // namespace lcs::bench

//===-- containment -------------------------------------------------------===//

/// What the compile worker costs: the same variant built in this process
/// and in a warm worker (IR over the socket, the build, the reply), and a
/// worker's start-up (the first request of a fresh pool minus a warm one).
/// No cache and no GPU: the compile itself is what is timed.
int lcs::bench::benchContainment() {
  std::string Corpus = opt("corpus", "test/lit/Inputs/corpus");
  int Reps = std::max(3, optInt("reps", 7));
  for (const char *Name : CompileKernels) {
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


int main(int argc, char **argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help")) {
    std::puts("usage: lcs-bench analysis|launch|compile|specialize|containment|"
              "compile-cpu|compile-phases "
              "[--out=FILE] [--reps=N] [--rounds=N] [--batch=N] [--threads=N] "
              "[--probes=1] "
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
  const std::string Me = Self;
  const std::pair<const char *, std::function<int()>> Commands[] = {
      {"analysis", benchAnalysis},
      {"launch", benchLaunch},
      {"compile", [&] { return benchCompile(Me); }},
      {"compile-child", benchCompileChild},
      {"nvvm-child", benchNvvmChild},
      {"compile-cpu", [&] { return benchCompileCpu(Me); }},
      {"compile-cpu-child", benchLcsCpuChild},
      {"compile-phases", benchCompilePhases},
      {"specialize", benchSpecialize},
      {"containment", benchContainment}};
  for (const auto &[Name, Run] : Commands)
    if (Command == Name)
      return Run();
  return fail("unknown command '" + Command + "' (see --help)");
}
