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

#include "lcs/LaunchSensitivity.h"
#include "lcs/Plugin.h"
#include "lcs/Report.h"
#include "lcs/Specialize.h"
#include "lcs/cache/DiskCache.h"
#include "lcs/compile/CodeGen.h"
#include "lcs/compile/TargetCheck.h"
#include "lcs/compile/LinkInput.h"
#include "lcs/compile/ModuleInput.h"
#include "lcs/compile/Pipeline.h"
#include "lcs/compile/InProcess.h"
#include "lcs/compile/VariantCompiler.h"
#include "lcs/compile/Worker.h"

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

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <sys/wait.h>
#include <unistd.h>

using namespace llvm;
namespace cache = lcs::cache;

namespace {
cl::OptionCategory Category("lcs-compile options");

cl::list<std::string> Inputs(cl::Positional, cl::OneOrMore,
                             cl::desc("<input .ll or .bc>..."),
                             cl::cat(Category));

enum class Output { Report, IR, PTX, Cubin };
cl::opt<Output> Emit(
    "emit", cl::desc("What to produce"), cl::init(Output::Report),
    cl::values(clEnumValN(Output::Report, "report",
                          "which launch fields each kernel depends on "
                          "(default)"),
               clEnumValN(Output::IR, "ir",
                          "optimised (specialised) LLVM IR, text"),
               clEnumValN(Output::PTX, "ptx", "PTX from the NVPTX backend"),
               clEnumValN(Output::Cubin, "cubin",
                          "a cubin assembled by the toolkit's ptxas")),
    cl::cat(Category));

cl::opt<std::string> Arch("arch",
                          cl::desc("Target GPU (sm_75 and newer, or native: "
                                   "the driver's device 0; default sm_90)"),
                          cl::value_desc("sm_NN[a|f]|native"),
                          cl::init("sm_90"), cl::cat(Category));

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

cl::list<std::string> LinkFiles(
    "link",
    cl::desc("Link FILE into the kernel's cubin with nvJitLink (repeatable; "
             "LTO-IR, PTX, cubin, fatbin, host object or static archive, "
             "kind read from the content; needs --emit=cubin)"),
    cl::value_desc("FILE"), cl::cat(Category));

cl::list<std::string> LinkKinds(
    "link-kind",
    cl::desc("The kind of the --link files after it, instead of reading it "
             "from their content: ltoir, ptx, cubin, fatbin, object, "
             "library, or auto"),
    cl::value_desc("KIND"), cl::cat(Category));

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
    "is generic. --link=FILE links device code (NVRTC LTO-IR, PTX, cubin, "
    "fatbin, host object, static archive) into the kernel's cubin with "
    "nvJitLink.\n\n"
    "--stats prints one JSON line on stderr: {\"cache\": \"hit\"|\"miss\"|"
    "\"off\", \"remote\": \"hit\"|\"miss\"|\"off\"|\"error\", \"record\", "
    "\"key\", \"kernel\", \"variant\", \"ms\"}.\n\n"
    "Environment: LCS_CACHE_DIR, LCS_CACHE_DISABLE=1, LCS_CACHE_MAX_SIZE "
    "(e.g. 2G; default 1G), LCS_REMOTE_CACHE and LCS_REMOTE_CACHE_*, LCS_LOG=error|warning|info|debug (info: each "
    "compile and cache event with its time), CUDA_HOME (ptxas, libdevice). "
    "See docs/cli.md.\n\n"
    "Exit status: 0 success, 1 error.\n";

using Clock = std::chrono::steady_clock;
const Clock::time_point Start = Clock::now();

double msSince(Clock::time_point T) {
  return std::chrono::duration<double, std::milli>(Clock::now() - T).count();
}

Error toolError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

/// The configuration from --block, --grid, ..., in the pass's own text form
/// so that both share one parser.
Expected<lcs::LaunchConfig> configFromOptions() {
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
  return lcs::parseLaunchConfig(ConfigText);
}

/// Writes \p Data to -o, the one place output is written.
Error writeOutput(function_ref<void(raw_ostream &)> Write) {
  std::error_code EC;
  ToolOutputFile Out(OutputPath, EC,
                     Emit == Output::Cubin ? sys::fs::OF_None
                                           : sys::fs::OF_Text);
  if (EC)
    return toolError(OutputPath + ": cannot open for writing: " +
                     EC.message());
  Write(Out.os());
  Out.os().flush();
  if (Out.os().has_error())
    return toolError(OutputPath + ": write failed: " +
                     Out.os().error().message());
  Out.keep();
  return Error::success();
}

/// The remote tier's outcome for --stats: "off" unless one was asked.
const char *RemoteOutcome = "off";

/// --stats: one JSON line on stderr.
void printStats(StringRef Outcome, const lcs::CompileResult *R) {
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
    J.attribute("ms", msSince(Start));
  });
  errs() << Line << "\n";
}

/// The --link files, read, with the kind each --link-kind before it gives
/// (checked, see LinkInput.h).
Expected<std::vector<lcs::LinkInput>> readLinks() {
  std::vector<lcs::LinkInput> Out;
  unsigned NextKind = 0;
  lcs::LinkKind Kind = lcs::LinkKind::Detect;
  for (unsigned I = 0; I != LinkFiles.size(); ++I) {
    for (; NextKind != LinkKinds.size() &&
           LinkKinds.getPosition(NextKind) < LinkFiles.getPosition(I);
         ++NextKind)
      if (!lcs::parseLinkKind(LinkKinds[NextKind], Kind))
        return toolError("--link-kind=" + LinkKinds[NextKind] +
                         ": not a kind (ltoir, ptx, cubin, fatbin, object, "
                         "library, auto)");
    ErrorOr<std::unique_ptr<MemoryBuffer>> B = MemoryBuffer::getFile(
        LinkFiles[I], /*IsText=*/false, /*RequiresNullTerminator=*/false);
    if (!B)
      return toolError(LinkFiles[I] +
                       ": cannot read link input: " + B.getError().message());
    lcs::LinkInput L;
    L.Name = LinkFiles[I];
    L.Kind = Kind;
    L.Bytes = (*B)->getBuffer().str();
    if (std::string Problem = lcs::checkLinkInput(L); !Problem.empty())
      return toolError(Problem);
    Out.push_back(std::move(L));
  }
  if (NextKind != LinkKinds.size())
    return toolError("--link-kind=" + LinkKinds[LinkKinds.size() - 1] +
                     " applies to the --link files after it, and none "
                     "follows");
  return std::move(Out);
}

lcs::CodeKind codeKind() {
  return Emit == Output::PTX ? lcs::CodeKind::PTX : lcs::CodeKind::Cubin;
}

/// PTX or a cubin of one kernel through the cache in \p Dir. \returns false
/// when the program has several kernels and none was named (entries hold one
/// kernel each): the caller compiles without the cache.
Expected<bool> compileCached(const std::string &Dir,
                             const lcs::Sources &Sources,
                             const std::vector<lcs::LinkInput> &Links,
                             const lcs::LaunchConfig &Config) {
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
      return toolError(Error);
  }
  Opts.Warn = [](const std::string &Msg) {
    WithColor::warning(errs(), "lcs-compile") << Msg << "\n";
  };
  cache::DiskCache Cache(Opts);
  // In this process: lcs-compile is the throwaway process, and the target
  // probe forks for what needs containing (TargetCheck.h).
  lcs::VariantCompiler VC(&Cache, lcs::inProcessBackend());
  if (KernelName.empty()) {
    cache::DiskCache::Outcome RecordOutcome;
    std::vector<cache::KernelRecord> Records;
    if (lcs::Status S = VC.sensitivity(Sources, Records, RecordOutcome))
      return lcs::toError(S);
    if (Records.size() != 1)
      return false;
  }
  lcs::CompileRequest Req;
  Req.Inputs = Sources;
  Req.Kernel = KernelName;
  Req.Config = Config;
  Req.Arch = Arch;
  Req.OptLevel = OptLevel;
  Req.Kind = codeKind();
  Req.Links = Links;
  lcs::CompileResult Result;
  lcs::Status Compiled = VC.compile(Req, Result);
  if (cache::RemoteCache *Remote = Cache.remote()) {
    RemoteOutcome = cache::remoteOutcomeName(Remote->lastOutcome());
    Remote->flush(); // pending stores land before this process exits
  }
  Cache.flushStats();
  if (Compiled)
    return lcs::toError(Compiled);
  if (Error E = writeOutput([&](raw_ostream &OS) { OS << Result.Code; }))
    return std::move(E);
  printStats(cache::DiskCache::outcomeName(Result.Cache), &Result);
  return true;
}

/// The report: which fields each selected kernel depends on.
Error writeKernelReport(const Module &M, const lcs::LaunchSensitivity &LS,
                        const lcs::LaunchConfig *Config) {
  SmallVector<const lcs::KernelSensitivity *, 8> Selected;
  if (!KernelName.empty()) {
    const Function *F = M.getFunction(KernelName);
    const lcs::KernelSensitivity *K = F ? LS.lookup(*F) : nullptr;
    if (!K) {
      std::string Known;
      for (const lcs::KernelSensitivity &Each : LS.kernels())
        Known += (Known.empty() ? "" : ", ") + Each.Kernel->getName().str();
      return toolError("unknown kernel '" + KernelName + "'" +
                       (F ? " (a function, not a kernel)" : "") +
                       "; kernels: " + (Known.empty() ? "none" : Known));
    }
    Selected.push_back(K);
  } else {
    for (const lcs::KernelSensitivity &K : LS.kernels())
      Selected.push_back(&K);
  }
  return writeOutput([&](raw_ostream &OS) {
    lcs::writeReport(OS, Selected, Format, Config);
  });
}

void printTiming(const Module &M, const lcs::LaunchSensitivity &LS,
                 double ReadMs, double AnalysisMs) {
  size_t Instructions = 0;
  for (const Function &F : M)
    Instructions += F.getInstructionCount();
  const lcs::LaunchSensitivity::Counts &C = LS.counts();
  errs() << format("lcs-compile: %zu instructions, %u functions; read+link "
                   "%.3f ms; analysis %.3f ms (%u reads, %u proved dead; "
                   "%u functions settled by the liveness walk, %u cleaned "
                   "up)\n",
                   Instructions, C.Functions, ReadMs, AnalysisMs, C.Reads,
                   C.DeadReads, C.SettledFunctions, C.CleanedFunctions);
}

/// Everything but the cached path: analyse, then report or run the
/// pipeline in this process.
Error compileDirect(const lcs::Sources &Sources,
                    const std::vector<lcs::LinkInput> &Links,
                    const lcs::LaunchConfig &Config, bool Cached) {
  LLVMContext Ctx;
  std::vector<MemoryBufferRef> Refs;
  for (const auto &[Name, Bytes] : Sources)
    Refs.emplace_back(Bytes, Name);
  Expected<std::unique_ptr<Module>> Program = lcs::loadProgram(Refs, Ctx);
  if (!Program)
    return Program.takeError();
  Module &M = **Program;
  bool HasConfig = !Config.givenFields().empty();

  lcs::PipelineOptions O;
  O.Config = Config;
  O.Arch = Arch;
  O.OptLevel = OptLevel;
  O.Analysis.DiscardDeadReads = !KeepDeadReads;
  O.Links = Links;
  double ReadMs = msSince(Start);
  Clock::time_point T = Clock::now();
  Expected<lcs::LaunchSensitivity> LS = [&]() -> Expected<lcs::LaunchSensitivity> {
    if (Emit != Output::Report) {
      O.Kernel = KernelName;
      return lcs::specializeProgram(M, O);
    }
    // A report only needs the configuration checked, not applied.
    // The module is not compiled: cleaned in place, as the runtime's
    // records are made.
    lcs::SensitivityOptions Analysis = O.Analysis;
    Analysis.CleanUpInPlace = &M;
    lcs::LaunchSensitivity Result = lcs::computeLaunchSensitivity(M, Analysis);
    if (HasConfig)
      if (Error E = lcs::checkSpecialization(M, Config, Result))
        return std::move(E);
    return std::move(Result);
  }();
  if (!LS)
    return LS.takeError();
  if (PrintTiming)
    printTiming(M, *LS, ReadMs, msSince(T));
  // Where the cache path analysed first, the compile library reported these.
  if (!Cached)
    for (const std::string &P : LS->problems())
      WithColor::warning(errs(), "lcs-compile") << P << "\n";

  if (Emit == Output::Report)
    return writeKernelReport(M, *LS, HasConfig ? &Config : nullptr);
  O.Emit = Emit == Output::IR    ? lcs::EmitKind::IR
           : Emit == Output::PTX ? lcs::EmitKind::PTX
                                 : lcs::EmitKind::Cubin;
  // Link errors name the kernel: the only one, when none was named.
  if (O.Kernel.empty() && LS->kernels().size() == 1)
    O.Kernel = LS->kernels().front().Kernel->getName().str();
  Expected<lcs::PipelineOutput> Code = lcs::generateCode(M, O);
  if (!Code)
    return Code.takeError();
  return writeOutput([&](raw_ostream &OS) { OS << Code->Code; });
}

} // namespace

namespace {

/// Everything after option parsing.
int run() {
  auto Fail = [&](Error E) {
    WithColor::error(errs(), "lcs-compile") << toString(std::move(E)) << "\n";
    return 1;
  };

  if (OptLevel > 3)
    return Fail(toolError("-O" + Twine(OptLevel) +
                          ": the level must be 0 to 3"));
  if (Arch == "native") {
    Expected<std::string> Native = lcs::nativeArch();
    if (!Native)
      return Fail(Native.takeError());
    Arch = *Native;
  }
  lcs::setProbeCacheDir(NoCache ? "" : cache::defaultCacheDir(CacheDir));
  lcs::setAssemblerMemoDir(NoCache ? "" : cache::defaultCacheDir(CacheDir));
  Expected<lcs::LaunchConfig> Config = configFromOptions();
  if (!Config)
    return Fail(Config.takeError());
  Expected<std::vector<std::unique_ptr<MemoryBuffer>>> Buffers =
      lcs::readInputs(Inputs);
  if (!Buffers)
    return Fail(Buffers.takeError());
  lcs::Sources Sources;
  for (const std::unique_ptr<MemoryBuffer> &B : *Buffers)
    Sources.emplace_back(B->getBufferIdentifier().str(), B->getBuffer().str());
  Expected<std::vector<lcs::LinkInput>> Links = readLinks();
  if (!Links)
    return Fail(Links.takeError());
  // nvJitLink links them into a cubin; PTX or IR cannot carry them.
  if (!Links->empty() && Emit != Output::Cubin)
    return Fail(toolError(
        Twine("--link needs --emit=cubin: nvJitLink links the inputs and "
              "the kernel's PTX into a cubin, and ") +
        (Emit == Output::PTX
             ? "PTX output cannot carry them (emit PTX without --link and "
               "link it yourself, or emit a cubin)"
         : Emit == Output::IR ? "LLVM IR output cannot carry them"
                              : "a report links nothing")));

  // PTX and cubins go through the cache when there is one. Cache entries
  // are made with the default analysis, so --keep-dead-reads and
  // --print-timing bypass it.
  bool EmitsCode = (Emit == Output::PTX || Emit == Output::Cubin) &&
                   !KeepDeadReads && !PrintTiming;
  std::string Dir = EmitsCode && !NoCache ? cache::defaultCacheDir(CacheDir)
                                          : std::string();
  if (!Dir.empty()) {
    Expected<bool> Done = compileCached(Dir, Sources, *Links, *Config);
    if (!Done)
      return Fail(Done.takeError());
    if (*Done)
      return 0;
  }
  if (Error E = compileDirect(Sources, *Links, *Config, !Dir.empty()))
    return Fail(std::move(E));
  printStats("off", nullptr);
  return 0;
}

/// Runs \p Body in a child process, so that a crash inside LLVM on hostile
/// input (a fatal error, an abort, a bad access) ends in one line and exit
/// status 1, never a signal. lcs-compile is single-threaded here, so fork()
/// is safe. The child's stderr is held until it ends: on a crash only the
/// one line is printed, not LLVM's stack dump.
int runContained(function_ref<int()> Body) {
  int Pipe[2];
  if (::pipe(Pipe) != 0)
    return Body();
  errs().flush();
  pid_t Pid = ::fork();
  if (Pid < 0) {
    ::close(Pipe[0]);
    ::close(Pipe[1]);
    return Body();
  }
  if (Pid == 0) {
    ::close(Pipe[0]);
    ::dup2(Pipe[1], 2);
    ::close(Pipe[1]);
    int Status = Body();
    outs().flush();
    errs().flush();
    std::fflush(nullptr);
    ::_exit(Status);
  }
  ::close(Pipe[1]);
  std::string Err;
  char Buf[4096];
  for (ssize_t N; (N = ::read(Pipe[0], Buf, sizeof Buf)) != 0;) {
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0)
      break;
    Err.append(Buf, size_t(N));
  }
  ::close(Pipe[0]);
  int St = 0;
  while (::waitpid(Pid, &St, 0) < 0 && errno == EINTR)
    ;
  if (WIFEXITED(St)) {
    errs() << Err;
    return WEXITSTATUS(St);
  }
  std::string Names;
  for (const std::string &I : Inputs)
    Names += (Names.empty() ? "" : ", ") + I;
  WithColor::error(errs(), "lcs-compile")
      << Names << ": "
      << lcs::worker::describeDeath("the compiler", St, Err) << "\n";
  return 1;
}

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
  return runContained(run);
}
