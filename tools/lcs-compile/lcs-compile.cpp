//===- lcs-compile.cpp - lcs command-line compiler ------------------------===//
///
/// \file
/// Reads kernel IR (one or more inputs, linked), runs the lcs analysis and
/// prints what each kernel's behaviour depends on.
///
/// Exit status: 0 on success, 1 on any error (bad input, unknown kernel,
/// unwritable output). Errors are one line on stderr, prefixed with the tool
/// name and naming the input at fault.
///
//===----------------------------------------------------------------------===//

#include "lcs/CodeGen.h"
#include "lcs/LaunchSensitivity.h"
#include "lcs/ModuleInput.h"
#include "lcs/Plugin.h"
#include "lcs/Report.h"
#include "lcs/Specialize.h"
#include "lcs/cache/DiskCache.h"
#include "lcs/compile/VariantCompiler.h"

#include "llvm/Target/TargetMachine.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace llvm;
namespace cache = lcs::cache;

namespace {
cl::OptionCategory Category("lcs-compile options");

cl::list<std::string> Inputs(cl::Positional, cl::OneOrMore,
                             cl::desc("<input .ll or .bc>..."),
                             cl::cat(Category));

enum class EmitKind { Report, IR, PTX, Cubin };
cl::opt<EmitKind> Emit(
    "emit", cl::desc("What to produce"), cl::init(EmitKind::Report),
    cl::values(clEnumValN(EmitKind::Report, "report",
                          "which launch fields each kernel depends on "
                          "(default)"),
               clEnumValN(EmitKind::IR, "ir",
                          "optimised (specialised) LLVM IR, text"),
               clEnumValN(EmitKind::PTX, "ptx", "PTX from the NVPTX backend"),
               clEnumValN(EmitKind::Cubin, "cubin",
                          "a cubin assembled by the toolkit's ptxas")),
    cl::cat(Category));

cl::opt<std::string> Arch("arch",
                          cl::desc("Target GPU (sm_75 and newer; default "
                                   "sm_90)"),
                          cl::value_desc("sm_NN[a]"), cl::init("sm_90"),
                          cl::cat(Category));

cl::opt<unsigned> OptLevel("O", cl::desc("Optimisation level 0-3 (default 3)"),
                           cl::Prefix, cl::init(3), cl::cat(Category));

cl::opt<std::string> BlockOpt("block",
                              cl::desc("Specialise on block dims XxYxZ"),
                              cl::value_desc("XxYxZ"), cl::cat(Category));
cl::opt<std::string> GridOpt("grid", cl::desc("Specialise on grid dims XxYxZ"),
                             cl::value_desc("XxYxZ"), cl::cat(Category));
cl::opt<std::string>
    ClusterOpt("cluster",
               cl::desc("Specialise on cluster dims XxYxZ, or 'none' for an "
                        "explicit no-cluster launch"),
               cl::value_desc("XxYxZ|none"), cl::cat(Category));
cl::opt<std::string> SmemOpt("smem",
                             cl::desc("Specialise on dynamic shared memory"),
                             cl::value_desc("BYTES"), cl::cat(Category));
cl::opt<bool> NonPortableCluster(
    "nonportable-cluster",
    cl::desc("Allow clusters of up to 16 blocks (sm_90 and newer)"),
    cl::cat(Category));

cl::opt<lcs::ReportFormat> Format(
    "report-format", cl::desc("Report format"),
    cl::init(lcs::ReportFormat::JSON),
    cl::values(clEnumValN(lcs::ReportFormat::JSON, "json",
                          "{\"kernels\": [{\"name\", \"depends_on\", "
                          "\"explicit\"}]} (default)"),
               clEnumValN(lcs::ReportFormat::Text, "text", "a table")),
    cl::cat(Category));

cl::opt<std::string> KernelName("kernel",
                                cl::desc("Report only the kernel NAME "
                                         "(its symbol name)"),
                                cl::value_desc("NAME"), cl::cat(Category));

cl::opt<std::string> OutputPath("o", cl::desc("Output file (default: stdout)"),
                                cl::value_desc("FILE"), cl::init("-"),
                                cl::cat(Category));

cl::opt<bool> KeepDeadReads(
    "keep-dead-reads",
    cl::desc("Count every launch-register read, even dead ones (skips the "
             "cleanup of reading functions: faster, sound, less exact)"),
    cl::cat(Category));

cl::opt<bool> PrintTiming(
    "print-timing",
    cl::desc("Print to stderr how long reading and the analysis took"),
    cl::cat(Category));

cl::opt<std::string> CacheDir(
    "cache-dir",
    cl::desc("Cache directory for --emit=ptx|cubin (default: LCS_CACHE_DIR, "
             "else $XDG_CACHE_HOME/lcs or ~/.cache/lcs; LCS_CACHE_DISABLE=1 "
             "turns caching off)"),
    cl::value_desc("DIR"), cl::cat(Category));

cl::opt<bool> NoCache("no-cache", cl::desc("Do not use the cache"),
                      cl::cat(Category));

cl::opt<std::string> RemoteCacheURL(
    "remote-cache",
    cl::desc("Shared cache tier under the disk cache (default: "
             "LCS_REMOTE_CACHE; see docs/cache.md)"),
    cl::value_desc("redis://[user:password@]host:port[/db]"),
    cl::cat(Category));

/// --stats: LLVM registers its own -stats option, so this one is taken out
/// of argv before LLVM's parser runs (and documented in the overview).
bool PrintStats = false;

constexpr const char *Overview =
    "lcs-compile: launch-configuration analysis for NVPTX kernels\n\n"
    "Reads LLVM IR (text or bitcode, from clang, Triton or numba-cuda; "
    "several inputs are linked into one program, and a text input may hold "
    "several modules) and reports, for each kernel, which launch fields its "
    "behaviour depends on: block.x block.y block.z grid.x grid.y grid.z "
    "cluster.x cluster.y cluster.z smem.dynamic.\n\n"
    "With --block/--grid/--cluster/--smem it specialises each kernel on the "
    "whole groups it depends on that are given (and nothing else), and "
    "--emit=ir|ptx|cubin produces the code. Without a configuration the code "
    "is generic.\n\n"
    "--stats prints one JSON line on stderr: {\"cache\": \"hit\"|\"miss\"|"
    "\"off\", \"remote\": \"hit\"|\"miss\"|\"off\"|\"error\", \"record\", "
    "\"key\", \"kernel\", \"variant\", \"ms\"}.\n\n"
    "Environment: LCS_CACHE_DIR, LCS_CACHE_DISABLE=1, LCS_CACHE_MAX_SIZE "
    "(e.g. 2G; default 1G), LCS_REMOTE_CACHE and LCS_REMOTE_CACHE_*, LCS_LOG=error|warning|info|debug (info: each "
    "compile and cache event with its time), CUDA_HOME (ptxas, libdevice). "
    "See docs/cli.md.\n\n"
    "Exit status: 0 success, 1 error.\n";
} // namespace

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  std::vector<const char *> Args;
  for (int I = 0; I != argc; ++I) {
    StringRef A = argv[I];
    if (I && (A == "--stats" || A == "-stats"))
      PrintStats = true;
    else
      Args.push_back(argv[I]);
  }
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "lcs-compile " << lcs::Version << " (LLVM " << LLVM_VERSION_STRING
       << ")\n";
  });
  cl::ParseCommandLineOptions(int(Args.size()), Args.data(), Overview);

  auto Fail = [](auto &&Msg) {
    if constexpr (std::is_same_v<std::decay_t<decltype(Msg)>, Error>)
      WithColor::error(errs(), "lcs-compile") << toString(std::move(Msg))
                                              << "\n";
    else
      WithColor::error(errs(), "lcs-compile") << Msg << "\n";
    return 1;
  };

  using Clock = std::chrono::steady_clock;
  auto Ms = [](Clock::duration D) {
    return std::chrono::duration<double, std::milli>(D).count();
  };
  if (OptLevel > 3)
    return Fail("-O" + Twine(OptLevel) + ": the level must be 0 to 3");

  Clock::time_point T0 = Clock::now();
  // The configuration, in the pass's own text form so both share a parser.
  std::string ConfigText;
  auto AddParam = [&](StringRef Key, const std::string &Value) {
    if (!Value.empty())
      ConfigText += (Key + "=" + Value + ";").str();
  };
  AddParam("block", BlockOpt);
  AddParam("grid", GridOpt);
  AddParam("cluster", ClusterOpt);
  AddParam("smem", SmemOpt);
  AddParam("arch", Arch);
  if (NonPortableCluster)
    ConfigText += "nonportable-cluster";
  Expected<lcs::LaunchConfig> Config = lcs::parseLaunchConfig(ConfigText);
  if (!Config)
    return Fail(Config.takeError());
  bool HasConfig = !Config->givenFields().empty();

  const char *RemoteOutcome = "off";
  auto PrintStatsLine = [&](StringRef Outcome, const lcs::CompileResult *R) {
    if (!PrintStats)
      return;
    std::string Line;
    raw_string_ostream OS(Line);
    json::OStream J(OS);
    J.object([&] {
      J.attribute("cache", Outcome);
      J.attribute("remote", RemoteOutcome);
      if (R) {
        J.attribute("record", cache::DiskCache::outcomeName(R->RecordCache));
        J.attribute("key", R->VariantKey.hex());
        J.attribute("kernel", R->Kernel);
        J.attribute("variant", R->Variant);
      }
      J.attribute("ms", Ms(Clock::now() - T0));
    });
    errs() << Line << "\n";
  };

  Expected<std::vector<std::unique_ptr<MemoryBuffer>>> Buffers =
      lcs::readInputs(Inputs);
  if (!Buffers)
    return Fail(Buffers.takeError());

  // PTX and cubins go through the cache when there is one and the output is
  // one kernel (entries hold one kernel each). Cache entries are made with
  // the default analysis, so --keep-dead-reads and --print-timing bypass it.
  bool EmitsCode = (Emit == EmitKind::PTX || Emit == EmitKind::Cubin) &&
                   !KeepDeadReads && !PrintTiming;
  std::string Dir = EmitsCode && !NoCache ? cache::defaultCacheDir(CacheDir)
                                          : std::string();
  if (!Dir.empty()) {
    bool SizeValid;
    uint64_t MaxSize = cache::cacheMaxSizeFromEnv(SizeValid);
    if (!SizeValid)
      WithColor::warning(errs(), "lcs-compile")
          << "LCS_CACHE_MAX_SIZE is not a size (e.g. 500M, 2G); using 1G\n";
    cache::CacheOptions Opts;
    Opts.Dir = Dir;
    Opts.MaxSize = MaxSize;
    if (RemoteCacheURL.getNumOccurrences())
      Opts.Remote = RemoteCacheURL;
    // A bad remote configuration is this command's error, not a warning.
    if (std::string URL = cache::remoteCacheURL(Opts.Remote); !URL.empty()) {
      cache::RemoteConfig RC;
      std::string Error;
      if (!cache::remoteConfigFromEnv(URL, RC, Error))
        return Fail(Error);
    }
    Opts.Warn = [](const std::string &Msg) {
      WithColor::warning(errs(), "lcs-compile") << Msg << "\n";
    };
    cache::DiskCache Cache(Opts);
    lcs::VariantCompiler VC(&Cache);
    lcs::CompileRequest Req;
    for (const std::unique_ptr<MemoryBuffer> &B : *Buffers)
      Req.Inputs.emplace_back(B->getBufferIdentifier().str(),
                              B->getBuffer().str());
    bool OneKernel = !KernelName.empty();
    if (!OneKernel) {
      cache::DiskCache::Outcome RecordOutcome;
      Expected<std::vector<cache::KernelRecord>> Records =
          VC.sensitivity(Req.Inputs, RecordOutcome);
      if (!Records)
        return Fail(Records.takeError());
      OneKernel = Records->size() == 1;
    }
    if (OneKernel) {
      Req.Kernel = KernelName;
      Req.Config = *Config;
      Req.Arch = Arch;
      Req.OptLevel = OptLevel;
      Req.Kind = Emit == EmitKind::PTX ? lcs::CodeKind::PTX
                                       : lcs::CodeKind::Cubin;
      Expected<lcs::CompileResult> R = VC.compile(Req);
      if (cache::RemoteCache *Remote = Cache.remote()) {
        RemoteOutcome = cache::remoteOutcomeName(Remote->lastOutcome());
        Remote->flush(); // pending stores land before this process exits
      }
      Cache.flushStats();
      if (!R)
        return Fail(R.takeError());
      std::error_code EC;
      ToolOutputFile Out(OutputPath, EC,
                         Emit == EmitKind::Cubin ? sys::fs::OF_None
                                                 : sys::fs::OF_Text);
      if (EC)
        return Fail(OutputPath + ": cannot open for writing: " + EC.message());
      Out.os() << R->Code;
      Out.os().flush();
      if (Out.os().has_error())
        return Fail(OutputPath + ": write failed: " +
                    Out.os().error().message());
      Out.keep();
      PrintStatsLine(cache::DiskCache::outcomeName(R->Cache), &*R);
      return 0;
    }
  }

  LLVMContext Ctx;
  std::vector<MemoryBufferRef> Refs;
  for (const std::unique_ptr<MemoryBuffer> &B : *Buffers)
    Refs.push_back(B->getMemBufferRef());
  Expected<std::unique_ptr<Module>> Program = lcs::loadProgram(Refs, Ctx);
  if (!Program)
    return Fail(Program.takeError());
  Module &M = **Program;

  if (Emit != EmitKind::Report && !KernelName.empty())
    if (Error E = lcs::keepOnlyKernel(M, KernelName))
      return Fail(std::move(E));

  lcs::SensitivityOptions Opts;
  Opts.DiscardDeadReads = !KeepDeadReads;
  Clock::time_point T1 = Clock::now();
  lcs::LaunchSensitivity LS = lcs::computeLaunchSensitivity(M, Opts);
  Clock::time_point T2 = Clock::now();
  if (PrintTiming) {
    size_t Instructions = 0;
    for (const Function &F : M)
      Instructions += F.getInstructionCount();
    const lcs::LaunchSensitivity::Counts &C = LS.counts();
    errs() << format("lcs-compile: %zu instructions, %u functions; read+link "
                     "%.3f ms; analysis %.3f ms (%u reads, %u in %u cleaned "
                     "functions proved dead)\n",
                     Instructions, C.Functions, Ms(T1 - T0), Ms(T2 - T1),
                     C.Reads, C.DeadReads, C.CleanedFunctions);
  }
  // Where the cache path analysed first, the compile library reported these.
  if (Dir.empty())
    for (const std::string &P : LS.problems())
      WithColor::warning(errs(), "lcs-compile") << P << "\n";

  // A report only needs the configuration checked; code needs it applied.
  if (HasConfig && Emit == EmitKind::Report) {
    if (Error E = lcs::checkSpecialization(M, *Config, LS))
      return Fail(std::move(E));
  } else if (HasConfig) {
    Expected<std::vector<lcs::SpecializedKernel>> Done =
        lcs::specializeModule(M, *Config, LS);
    if (!Done)
      return Fail(Done.takeError());
  }

  std::error_code EC;
  ToolOutputFile Out(OutputPath, EC,
                     Emit == EmitKind::Cubin ? sys::fs::OF_None
                                             : sys::fs::OF_Text);
  if (EC)
    return Fail(OutputPath + ": cannot open for writing: " + EC.message());

  if (Emit != EmitKind::Report) {
    Expected<std::unique_ptr<TargetMachine>> TM =
        lcs::createNVPTXTargetMachine(Arch, OptLevel);
    if (!TM)
      return Fail(TM.takeError());
    if (Error E = lcs::prepareForCodeGen(M, **TM, OptLevel))
      return Fail(std::move(E));
    if (Emit == EmitKind::IR) {
      Out.os() << M;
    } else {
      Expected<std::string> PTX = lcs::emitPTX(M, **TM);
      if (!PTX)
        return Fail(PTX.takeError());
      if (Emit == EmitKind::PTX) {
        Out.os() << *PTX;
      } else {
        Expected<std::string> Cubin =
            lcs::assemblePTX(*PTX, Arch, OptLevel);
        if (!Cubin)
          return Fail(Cubin.takeError());
        Out.os() << *Cubin;
      }
    }
    Out.os().flush();
    if (Out.os().has_error())
      return Fail(OutputPath + ": write failed: " + Out.os().error().message());
    Out.keep();
    PrintStatsLine("off", nullptr);
    return 0;
  }

  SmallVector<const lcs::KernelSensitivity *, 8> Selected;
  if (!KernelName.empty()) {
    const Function *F = M.getFunction(KernelName);
    const lcs::KernelSensitivity *K = F ? LS.lookup(*F) : nullptr;
    if (!K) {
      std::string Known;
      for (const lcs::KernelSensitivity &Each : LS.kernels())
        Known += (Known.empty() ? "" : ", ") + Each.Kernel->getName().str();
      return Fail("unknown kernel '" + KernelName + "'" +
                  (F ? " (a function, not a kernel)" : "") +
                  "; kernels: " + (Known.empty() ? "none" : Known));
    }
    Selected.push_back(K);
  } else {
    for (const lcs::KernelSensitivity &K : LS.kernels())
      Selected.push_back(&K);
  }

  lcs::writeReport(Out.os(), Selected, Format, HasConfig ? &*Config : nullptr);
  Out.os().flush();
  if (Out.os().has_error())
    return Fail(OutputPath + ": write failed: " + Out.os().error().message());
  Out.keep();
  PrintStatsLine("off", nullptr);
  return 0;
}
