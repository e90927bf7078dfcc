//===- Compile.cpp - lcs-bench compile, compile-cpu -----------------------===//
///
/// \file
/// The compile benchmarks: cold compile, fresh-process disk hit and
/// in-memory hit through the runtime, against libNVVM + nvJitLink on the
/// same IR, in warm and fresh processes (children of this program); and
/// the CPU-only comparison up to the cubin. See docs/benchmarks.md.
///
//===----------------------------------------------------------------------===//

#include "Bench.h"

#include "lcs/cache/DiskCache.h"
#include "lcs/LaunchSensitivity.h"
#include "lcs/compile/CodeGen.h"
#include "lcs/compile/InProcess.h"
#include "lcs/compile/ModuleInput.h"
#include "lcs/compile/Pipeline.h"
#include "lcs/compile/VariantCompiler.h"
#include "lcs/compile/Worker.h"

#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <sys/wait.h>
#include <unistd.h>

using namespace lcs;

namespace lcs::bench {

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
  if (Status S = openEnv(E, CacheDir, opt("prestart", "1") == "1"))
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
  auto TC = Clock::now();
  if (Gpu) {
    if (Status S = openEnv(E, "", /*PrestartWorker=*/false))
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
  std::printf("{\"nvvm_ns\": %.0f, \"context_ns\": %.0f}\n", ns(T1 - T0),
              ns(T0 - TC));
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
/// libraries loaded and a worker running; the side compiled first after
/// the fresh children alternates); and lcs warm without the prepared
/// program (each build parses and analyses again), the baseline of the
/// parse-once change. Alternating, median of --reps.
int benchCompileCpu(const std::string &Self) {
  std::string Corpus = opt("corpus", "test/lit/Inputs/corpus");
  std::string Arch = opt("arch", "sm_90a");
  int Reps = std::max(2, optInt("reps", 5));
  bench::NVVMToolchain NVVM;
  if (!NVVM.available())
    return fail(NVVM.Error);
  std::string Libdevice = readFile(lcs::libdevicePath());
  WorkerBackend Warm(1);
  for (const char *Name : CompileKernels) {
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
    // What the assembler (nvJitLink, the same on both sides) takes of each
    // warm compile: lcs's PTX for block 128 and generic, libNVVM's PTX.
    auto LcsPTX = [&](bool Specialised, std::string &PTX) {
      CompileRequest Req;
      Req.Inputs = {{File, Bytes}};
      if (Specialised)
        Req.Config.Block = Dim3{128, 1, 1};
      Req.Arch = Arch;
      Req.Kind = CodeKind::PTX;
      VariantCompiler VC(nullptr, Warm);
      CompileResult R;
      Status S = VC.compile(Req, R);
      PTX = R.Code;
      return S.isOk();
    };
    std::string SpecPTX, GenericPTX, NvvmPTX, Scratch, Log;
    if (!LcsPTX(true, SpecPTX) || !LcsPTX(false, GenericPTX) ||
        !NVVM.compile({Bytes}, Libdevice, Arch, Scratch, Log, &NvvmPTX))
      return fail(std::string("PTX of ") + Name + ": " + Log);
    auto AssembleLcs = [&](const std::string &PTX) {
      auto T0 = Clock::now();
      llvm::Expected<std::string> Cubin = assemblePTX(PTX, Arch, 3);
      double T = ns(Clock::now() - T0);
      if (!Cubin) {
        llvm::consumeError(Cubin.takeError());
        return -1.0;
      }
      return T;
    };
    auto AssembleNvvm = [&] {
      auto T0 = Clock::now();
      std::string Cubin, L;
      bool Ok = NVVM.assemble(NvvmPTX, Arch, Cubin, L);
      double T = ns(Clock::now() - T0);
      return Ok ? T : -1.0;
    };
    std::vector<double> AsmSpec, AsmGeneric, AsmNvvm, WarmRatioBeforeAsm,
        FreshNoWarmUpRatio;
    std::vector<double> BuildPrepared, BuildSources, PrepareAlone;
    // The warm compile's first part alone: parsing, analysing and cleaning
    // up, the prepared program back from the worker.
    auto PrepareHere = [&] {
      auto T0 = Clock::now();
      std::vector<cache::KernelRecord> R;
      std::shared_ptr<const worker::Prepared> P;
      Status S = Warm.prepare({{File, Bytes}}, R, P);
      double T = ns(Clock::now() - T0);
      return S ? -1.0 : T;
    };
    for (int R = 0; R != Reps; ++R) {
      std::string A, B, C;
      std::string Args = " --file='" + File + "' --arch=" + Arch;
      // The worker's assembler warm-up (CodeGen.h) switched off: its A/B.
      if (!runCommand("'" + Self + "' compile-cpu-child" + Args, A) ||
          !runCommand("'" + Self + "' nvvm-child --gpu=0" + Args, B) ||
          !runCommand("LCS_WORKER_NO_WARM_UP=1 '" + Self +
                          "' compile-cpu-child" + Args,
                      C))
        return fail("child failed: " + A + B + C);
      LcsFresh.push_back(field(A, "lcs_ns"));
      NvvmFresh.push_back(field(B, "nvvm_ns"));
      FreshRatio.push_back(LcsFresh.back() / NvvmFresh.back());
      FreshNoWarmUpRatio.push_back(field(C, "lcs_ns") / NvvmFresh.back());
      // The first compile after the fresh children finds the caches cold
      // (the children just ran): each side takes that place every other
      // repetition.
      double W, N;
      if (R % 2 == 0) {
        W = LcsHere(Warm);
        N = NvvmHere();
      } else {
        N = NvvmHere();
        W = LcsHere(Warm);
      }
      if (W < 0 || N < 0)
        return fail(std::string("compiling ") + Name + " failed");
      LcsWarm.push_back(W);
      NvvmWarm.push_back(N);
      LcsWarmSources.push_back(LcsHere(FromSources));
      BuildPrepared.push_back(BuildHere(true));
      PrepareAlone.push_back(PrepareHere());
      BuildSources.push_back(BuildHere(false));
      WarmRatio.push_back(W / N);
      AsmSpec.push_back(AssembleLcs(SpecPTX));
      AsmGeneric.push_back(AssembleLcs(GenericPTX));
      AsmNvvm.push_back(AssembleNvvm());
      if (AsmSpec.back() < 0 || AsmGeneric.back() < 0 || AsmNvvm.back() < 0)
        return fail(std::string("assembling the PTX of ") + Name + " failed");
      WarmRatioBeforeAsm.push_back((W - AsmSpec.back()) /
                                   (N - AsmNvvm.back()));
      WorkerBackend Fresh(1);
      double First = LcsHere(Fresh), Second = LcsHere(Fresh);
      Startup.push_back(First - Second);
    }
    emit(std::string("{\"bench\": \"compile-cpu\", \"kernel\": \"") + Name +
         "\", \"arch\": \"" + Arch + "\", \"lcs_fresh_ns\": " +
         jsum(summarize(LcsFresh)) + ", \"libnvvm_fresh_ns\": " +
         jsum(summarize(NvvmFresh)) + ", \"fresh_ratio\": " +
         jsum(summarize(FreshRatio)) +
         ", \"fresh_ratio_without_warm_up\": " +
         jsum(summarize(FreshNoWarmUpRatio)) + ", \"lcs_warm_ns\": " +
         jsum(summarize(LcsWarm)) + ", \"libnvvm_warm_ns\": " +
         jsum(summarize(NvvmWarm)) + ", \"warm_ratio\": " +
         jsum(summarize(WarmRatio)) + ", \"lcs_warm_unprepared_ns\": " +
         jsum(summarize(LcsWarmSources)) +
         ", \"prepare_ns\": " + jsum(summarize(PrepareAlone)) +
         ", \"next_variant_build_prepared_ns\": " +
         jsum(summarize(BuildPrepared)) +
         ", \"next_variant_build_sources_ns\": " +
         jsum(summarize(BuildSources)) + ", \"assemble_lcs_ns\": " +
         jsum(summarize(AsmSpec)) + ", \"assemble_lcs_generic_ns\": " +
         jsum(summarize(AsmGeneric)) + ", \"assemble_libnvvm_ns\": " +
         jsum(summarize(AsmNvvm)) +
         ", \"warm_ratio_before_assembly\": " +
         jsum(summarize(WarmRatioBeforeAsm)) + ", \"worker_startup_ns\": " +
         jsum(summarize(Startup)) + ", \"reps\": " + std::to_string(Reps) +
         "}");
  }
  return 0;
}

/// One warm compile of \p Bytes for block 128 to a cubin, in this thread,
/// stage by stage as a worker's prepare and its build from the module it
/// holds do them; with \p CleanUp false the analysis skips the dead-read
/// cleanup and the optimiser gets the module as parsed.
struct Stages {
  double Parse = 0, Analyse = 0, Bitcode = 0, Specialise = 0, Prepare = 0,
         Emit = 0, Assemble = 0;
  std::string PTX;
  double beforeAssembly() const {
    return Parse + Analyse + Bitcode + Specialise + Prepare + Emit;
  }
};

bool compileInStages(const std::string &File, const std::string &Bytes,
                     const std::string &Arch, bool CleanUp, Stages &T,
                     std::string &Error) {
  auto Start = Clock::now();
  auto Lap = [&Start] {
    auto Now = Clock::now();
    double D = ns(Now - Start);
    Start = Now;
    return D;
  };
  auto Fail = [&Error](llvm::Error E) {
    Error = llvm::toString(std::move(E));
    return false;
  };
  llvm::LLVMContext Ctx;
  llvm::Expected<std::unique_ptr<llvm::Module>> M =
      loadProgram({llvm::MemoryBufferRef(Bytes, File)}, Ctx);
  if (!M)
    return Fail(M.takeError());
  Ctx.setDiscardValueNames(true);
  T.Parse = Lap();
  SensitivityOptions Analysis;
  Analysis.CleanUpInPlace = M->get();
  Analysis.DiscardDeadReads = CleanUp;
  LaunchSensitivity LS = computeLaunchSensitivity(**M, Analysis);
  llvm::StringMap<FieldMask> Live = LS.liveReads();
  if (LS.kernels().empty()) {
    Error = File + ": no kernel";
    return false;
  }
  PipelineOptions O;
  O.Kernel = LS.kernels().front().Kernel->getName().str();
  T.Analyse = Lap();
  std::string Bitcode;
  llvm::raw_string_ostream OS(Bitcode);
  llvm::WriteBitcodeToFile(**M, OS, /*ShouldPreserveUseListOrder=*/true);
  OS.flush();
  T.Bitcode = Lap();
  O.Analysis.KnownLiveReads = &Live;
  O.Config.Block = Dim3{128, 1, 1};
  O.Arch = Arch;
  O.Emit = EmitKind::PTX; // the bench assembles it itself, timed apart
  llvm::Expected<LaunchSensitivity> Specialised = specializeProgram(**M, O);
  if (!Specialised)
    return Fail(Specialised.takeError());
  T.Specialise = Lap();
  llvm::Expected<PipelineOutput> Out = generateCode(**M, O);
  if (!Out)
    return Fail(Out.takeError());
  T.Prepare = Out->Times.Prepare;
  T.Emit = Out->Times.Emit;
  T.PTX = std::move(Out->Code);
  Lap();
  llvm::Expected<std::string> Cubin = assemblePTX(T.PTX, Arch, 3, O.Kernel);
  if (!Cubin)
    return Fail(Cubin.takeError());
  T.Assemble = Lap();
  return true;
}

/// CPU only, in this process: where lcs's warm compile of one variant goes,
/// stage by stage (parse and check; the analysis with the dead-read cleanup
/// in place; the prepared program's bitcode; specialisation; preparing,
/// the -O3 pipeline above all; PTX emission; nvJitLink's assembly), against
/// libNVVM's compile of the same IR to PTX and nvJitLink's assembly of it,
/// the side that goes first alternating. The same compile without the
/// cleanup shows what the cleanup costs and what the optimiser gets back
/// (and whether its PTX is the same). Median of --reps, one round before
/// them not counted.
int benchCompilePhases() {
  std::string Corpus = opt("corpus", "test/lit/Inputs/corpus");
  std::string Arch = opt("arch", "sm_90a");
  int Reps = std::max(2, optInt("reps", 20));
  bench::NVVMToolchain NVVM;
  if (!NVVM.available())
    return fail(NVVM.Error);
  std::string Libdevice = readFile(lcs::libdevicePath());
  for (const char *Name : CompileKernels) {
    std::string File = Corpus + "/" + Name, Bytes = readFile(File);
    std::map<std::string, std::vector<double>> V;
    bool SamePTX = true;
    for (int R = -1; R != Reps; ++R) {
      Stages Lcs, Uncleaned;
      std::string Error, PTX, Cubin, Log;
      double NvvmPTX = 0, NvvmAsm = 0;
      auto Nvvm = [&] {
        auto T0 = Clock::now();
        if (!NVVM.toPTX({Bytes}, Libdevice, Arch, PTX, Log))
          return false;
        auto T1 = Clock::now();
        if (!NVVM.assemble(PTX, Arch, Cubin, Log))
          return false;
        NvvmPTX = ns(T1 - T0);
        NvvmAsm = ns(Clock::now() - T1);
        return true;
      };
      bool Ok = R % 2 ? Nvvm() && compileInStages(File, Bytes, Arch, true,
                                                  Lcs, Error)
                      : compileInStages(File, Bytes, Arch, true, Lcs, Error) &&
                            Nvvm();
      if (!Ok || !compileInStages(File, Bytes, Arch, false, Uncleaned, Error))
        return fail(std::string(Name) + ": " + Error + Log);
      if (R < 0)
        continue;
      SamePTX = SamePTX && Lcs.PTX == Uncleaned.PTX;
      double Before = Lcs.beforeAssembly();
      for (auto [Key, Value] :
           {std::pair{"parse_ns", Lcs.Parse},
            {"analyse_ns", Lcs.Analyse},
            {"bitcode_ns", Lcs.Bitcode},
            {"specialise_ns", Lcs.Specialise},
            {"prepare_ns", Lcs.Prepare},
            {"emit_ns", Lcs.Emit},
            {"assemble_ns", Lcs.Assemble},
            {"lcs_to_ptx_ns", Before},
            {"libnvvm_to_ptx_ns", NvvmPTX},
            {"assemble_libnvvm_ns", NvvmAsm},
            {"to_ptx_ratio", Before / NvvmPTX},
            {"to_cubin_ratio", (Before + Lcs.Assemble) / (NvvmPTX + NvvmAsm)},
            {"llvm_pipeline_share", (Lcs.Prepare + Lcs.Emit) / Before},
            {"llvm_pipeline_over_libnvvm",
             (Lcs.Prepare + Lcs.Emit) / NvvmPTX},
            {"cleanup_ns", Lcs.Analyse - Uncleaned.Analyse},
            {"optimiser_gets_back_ns", Uncleaned.Prepare - Lcs.Prepare}})
        V[Key].push_back(Value);
    }
    std::string Json = std::string("{\"bench\": \"compile-phases\", "
                                   "\"kernel\": \"") +
                       Name + "\", \"arch\": \"" + Arch + "\"";
    for (const auto &[Key, Values] : V)
      Json += ", \"" + Key + "\": " + jsum(summarize(Values));
    emit(Json + ", \"uncleaned_ptx_identical\": " +
         (SamePTX ? "true" : "false") + ", \"reps\": " +
         std::to_string(Reps) + "}");
  }
  return 0;
}

bool runChild(const std::string &Self, const std::string &File,
              const std::string &Dir, std::string &Json,
              bool Prestart = true) {
  return runCommand("'" + Self + "' compile-child --file='" + File +
                        "' --cache-dir='" + Dir + "' --prestart=" +
                        (Prestart ? "1" : "0"),
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
  for (const char *Name : CompileKernels) {
    std::string File = Corpus + "/" + Name;
    std::vector<double> Cold, Disk, DiskFirstLaunch, Nvvm, WarmCold, NvvmFresh,
        ColdNoPrestart, ColdE2E, ColdNoPrestartE2E, NvvmFreshE2E;
    for (int R = 0; R != Reps; ++R) {
      char Template[] = "/tmp/lcs-bench-cache-XXXXXX";
      std::string Dir = ::mkdtemp(Template);
      char OtherTemplate[] = "/tmp/lcs-bench-cache-XXXXXX";
      std::string OtherDir = ::mkdtemp(OtherTemplate);
      // The same cold compile with the worker started on demand, not when
      // the runtime is created (RuntimeOptions::PrestartWorker): its A/B.
      // Alternating which of the two cold children runs first.
      std::string First, Second, Third;
      bool Ok = R % 2 ? runChild(Self, File, OtherDir, Third, false) &&
                            runChild(Self, File, Dir, First)
                      : runChild(Self, File, Dir, First) &&
                            runChild(Self, File, OtherDir, Third, false);
      if (!Ok || !runChild(Self, File, Dir, Second))
        return fail("child failed: " + First + Second + Third);
      std::system(("rm -rf '" + Dir + "' '" + OtherDir + "'").c_str());
      if (field(First, "compiles") != 1 || field(Second, "compiles") != 0 ||
          field(Third, "compiles") != 1)
        return fail("unexpected counters: " + First + Second + Third);
      ColdNoPrestart.push_back(field(Third, "program_ns") +
                               field(Third, "first_launch_ns"));
      // End to end, from before the device's initialisation: the prestart
      // moves the worker's start into it.
      ColdE2E.push_back(field(First, "runtime_init_ns") +
                        field(First, "program_ns") +
                        field(First, "first_launch_ns"));
      ColdNoPrestartE2E.push_back(field(Third, "runtime_init_ns") +
                                  ColdNoPrestart.back());
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
        NvvmFreshE2E.push_back(field(FreshJson, "context_ns") +
                               NvvmFresh.back());
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
    Summary W = summarize(WarmCold), CN = summarize(ColdNoPrestart);
    Line += ", \"cold_warm_process_ns\": " + jsum(W) +
            ", \"cold_without_prestart_ns\": " + jsum(CN);
    if (!Nvvm.empty()) {
      Summary N = summarize(Nvvm);
      Summary NF = summarize(NvvmFresh);
      Line += ", \"libnvvm_nvjitlink_ns\": " + jsum(N) +
              ", \"libnvvm_nvjitlink_fresh_ns\": " + jsum(NF) +
              ", \"cold_over_libnvvm\": " + jnum(C.Median / N.Median) +
              ", \"cold_over_libnvvm_fresh\": " + jnum(C.Median / NF.Median) +
              ", \"cold_without_prestart_over_libnvvm_fresh\": " +
              jnum(CN.Median / NF.Median) +
              ", \"cold_e2e_ns\": " + jsum(summarize(ColdE2E)) +
              ", \"cold_without_prestart_e2e_ns\": " +
              jsum(summarize(ColdNoPrestartE2E)) +
              ", \"libnvvm_fresh_e2e_ns\": " + jsum(summarize(NvvmFreshE2E)) +
              ", \"cold_e2e_over_libnvvm_fresh_e2e\": " +
              jnum(summarize(ColdE2E).Median /
                   summarize(NvvmFreshE2E).Median) +
              ", \"warm_cold_over_libnvvm\": " + jnum(W.Median / N.Median);
    } else {
      Line += ", \"libnvvm\": \"" + NVVM.Error + "\"";
    }
    emit(Line + "}");
  }
  return 0;
}

} // namespace lcs::bench
