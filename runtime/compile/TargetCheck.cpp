//===- TargetCheck.cpp - Intrinsics against the target, PTX version -------===//
//
// See TargetCheck.h. The probe protocol: the parent forks one child for a
// batch of probes; the child compiles them in order and writes one byte per
// probe ('1' compiled, '0' rejected with a diagnostic, '?' not a valid probe:
// no answer, code generation decides) and 'E' when done.
// A child that dies (abort in instruction selection) or exits early has
// rejected the probe it was on; the parent starts a new child for the rest.
//
//===----------------------------------------------------------------------===//

#include "lcs/compile/TargetCheck.h"

#include "lcs/compile/CodeGen.h"
#include "lcs/LaunchConfig.h"
#include "lcs/cache/DiskCache.h"
#include "lcs/cache/Key.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace llvm;

namespace lcs {

namespace {

Error error(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

constexpr const char *ProbeSchema = PTXProbeSchema;

/// How long a child may take over one probe before it is killed. A tiny
/// module compiles in milliseconds; a hang means an inherited lock (see
/// choosePTXVersion()).
constexpr int ProbeTimeoutMs = 30000;

const Target &nvptx() {
  // createNVPTXTargetMachine() registers the target (once); this machine is
  // thrown away.
  static const Target *T = [] {
    cantFail(createNVPTXTargetMachine("sm_75", 0));
    std::string Err;
    return TargetRegistry::lookupTarget(Triple("nvptx64-nvidia-cuda"), Err);
  }();
  return *T;
}

/// LLVM's NVPTX subtarget tables: processors and features.
const MCSubtargetInfo &subtargetInfo() {
  static std::unique_ptr<MCSubtargetInfo> STI(nvptx().createMCSubtargetInfo(
      Triple("nvptx64-nvidia-cuda"), "sm_75", ""));
  return *STI;
}

bool llvmKnowsCPU(StringRef CPU) {
  return any_of(subtargetInfo().getAllProcessorDescriptions(),
                [&](const SubtargetSubTypeKV &P) { return CPU == P.Key; });
}

/// LLVM's PTX versions within [Min, MaxPTXVersion], ascending.
std::vector<unsigned> ptxLadder(unsigned Min) {
  std::vector<unsigned> Out;
  for (const SubtargetFeatureKV &F :
       subtargetInfo().getAllProcessorFeatures()) {
    StringRef Name = F.Key;
    unsigned V;
    if (Name.consume_front("ptx") && !Name.getAsInteger(10, V) && V >= Min &&
        V <= MaxPTXVersion)
      Out.push_back(V);
  }
  llvm::sort(Out);
  return Out;
}

std::string ptxText(unsigned V) {
  return std::to_string(V / 10) + "." + std::to_string(V % 10);
}

//===----------------------------------------------------------------------===//
// The probe caches
//===----------------------------------------------------------------------===//

std::mutex CacheMutex;
StringMap<bool> Answers;
std::optional<std::string> ProbeDir; // unset: the default location
std::atomic<unsigned> ChildrenStarted{0};

std::string probeDir() {
  std::lock_guard<std::mutex> L(CacheMutex);
  if (!ProbeDir)
    ProbeDir = cache::defaultCacheDir();
  if (ProbeDir->empty())
    return "";
  SmallString<128> P(*ProbeDir);
  sys::path::append(P, "probe");
  return std::string(P);
}

/// The full identity of one answer; its digest names the file.
std::string answerKey(StringRef ProbeIR, StringRef Arch, unsigned PTX) {
  return (Twine(ProbeSchema) + "\nllvm " + LLVM_VERSION_STRING + "\narch " +
          Arch + "\nptx " + Twine(PTX) + "\n" + ProbeIR)
      .str();
}

std::string answerPath(const std::string &Dir, const std::string &Key) {
  std::string Hex = cache::hashBytes(Key).hex();
  return Dir + "/" + Hex.substr(0, 2) + "/" + Hex;
}

std::optional<bool> lookupAnswer(const std::string &Key) {
  {
    std::lock_guard<std::mutex> L(CacheMutex);
    auto It = Answers.find(Key);
    if (It != Answers.end())
      return It->second;
  }
  std::string Dir = probeDir();
  if (Dir.empty())
    return std::nullopt;
  ErrorOr<std::unique_ptr<MemoryBuffer>> B =
      MemoryBuffer::getFile(answerPath(Dir, Key));
  if (!B)
    return std::nullopt;
  // The file repeats the key: a digest collision or a torn file is a miss.
  StringRef Text = (*B)->getBuffer();
  if (!Text.consume_front(Key) ||
      (Text != "\nanswer=1\n" && Text != "\nanswer=0\n"))
    return std::nullopt;
  bool Ok = Text == "\nanswer=1\n";
  std::lock_guard<std::mutex> L(CacheMutex);
  Answers[Key] = Ok;
  return Ok;
}

/// Publishes atomically (temporary file in the same directory, fsync,
/// rename); a failure only costs a later probe.
void storeAnswer(const std::string &Key, bool Ok) {
  {
    std::lock_guard<std::mutex> L(CacheMutex);
    Answers[Key] = Ok;
  }
  std::string Dir = probeDir();
  if (Dir.empty())
    return;
  std::string Path = answerPath(Dir, Key);
  if (sys::fs::create_directories(sys::path::parent_path(Path)))
    return;
  int Fd;
  SmallString<128> Tmp;
  if (sys::fs::createUniqueFile(Path + ".tmp-%%%%%%%%", Fd, Tmp))
    return;
  std::string Text = Key + "\nanswer=" + (Ok ? "1" : "0") + "\n";
  bool Written = true;
  {
    raw_fd_ostream OS(Fd, /*shouldClose=*/false);
    OS << Text;
    OS.flush();
    Written = !OS.has_error();
    OS.clear_error();
  }
  Written = Written && ::fsync(Fd) == 0;
  Written = ::close(Fd) == 0 && Written;
  if (!Written || sys::fs::rename(Tmp, Path))
    sys::fs::remove(Tmp);
}

//===----------------------------------------------------------------------===//
// Probe children
//===----------------------------------------------------------------------===//

struct Probe {
  std::string IR; ///< the probe module
  std::string Arch;
  unsigned PTX;
};

/// Compiles one probe module: '1' compiled, '0' a diagnostic, '?' the probe
/// itself is not valid IR (then code generation decides, as without the
/// check). Runs in the child: instruction selection may abort it.
char compileProbe(const Probe &P) {
  LLVMContext Ctx;
  struct Handler : DiagnosticHandler {
    bool Failed = false;
    bool handleDiagnostics(const DiagnosticInfo &DI) override {
      if (DI.getSeverity() == DS_Error)
        Failed = true;
      return true;
    }
  };
  auto H = std::make_unique<Handler>();
  Handler *Diags = H.get();
  Ctx.setDiagnosticHandler(std::move(H));
  SMDiagnostic Err;
  std::unique_ptr<Module> M = parseAssemblyString(P.IR, Err, Ctx);
  if (!M || verifyModule(*M))
    return '?';
  Expected<std::unique_ptr<TargetMachine>> Made =
      createNVPTXTargetMachine(P.Arch, 2, P.PTX);
  if (!Made) {
    consumeError(Made.takeError());
    return '0';
  }
  std::unique_ptr<TargetMachine> TM = std::move(*Made);
  M->setTargetTriple(TM->getTargetTriple());
  M->setDataLayout(TM->createDataLayout());
  SmallString<0> Out;
  raw_svector_ostream OS(Out);
  legacy::PassManager PM;
  if (TM->addPassesToEmitFile(PM, OS, nullptr, CodeGenFileType::AssemblyFile))
    return '0';
  PM.run(*M);
  return Diags->Failed ? '0' : '1';
}

[[noreturn]] void childMain(ArrayRef<Probe> Probes, int Fd) {
  // The child must not touch the parent's world: LLVM's signal handlers
  // would remove the parent's pending output files, exit() would flush its
  // stdio buffers twice, and a core dump per rejected probe is slow.
  sys::unregisterHandlers();
  for (int Sig : {SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS})
    ::signal(Sig, SIG_DFL);
  struct rlimit NoCore = {0, 0};
  ::setrlimit(RLIMIT_CORE, &NoCore);
  int Null = ::open("/dev/null", O_WRONLY);
  if (Null >= 0) {
    ::dup2(Null, 1);
    ::dup2(Null, 2);
  }
  remove_fatal_error_handler();
  install_fatal_error_handler([](void *, const char *, bool) { ::_exit(70); });
  auto Put = [&](char C) {
    while (::write(Fd, &C, 1) < 0 && errno == EINTR) {
    }
  };
  for (const Probe &P : Probes)
    Put(compileProbe(P));
  Put('E');
  ::_exit(0);
}

/// \p Probes (of one target and PTX version) as one module: one code
/// generation instead of one each when, as usual, all compile.
Probe merged(ArrayRef<Probe> Probes) {
  Probe Out{"", Probes.front().Arch, Probes.front().PTX};
  StringSet<> Declared;
  std::string Bodies;
  for (size_t I = 0; I != Probes.size(); ++I) {
    SmallVector<StringRef, 8> Lines;
    StringRef(Probes[I].IR).split(Lines, '\n', -1, /*KeepEmpty=*/false);
    for (StringRef L : Lines) {
      if (L.starts_with("declare ")) {
        if (Declared.insert(L).second)
          Out.IR += (L + "\n").str();
        continue;
      }
      std::string Line = L.str();
      size_t At = Line.find("@lcs_probe(");
      if (At != std::string::npos)
        Line.insert(At + strlen("@lcs_probe"), std::to_string(I));
      Bodies += Line + "\n";
    }
  }
  Out.IR += Bodies;
  return Out;
}

/// Answers for \p Probes, in order, from as few children as the rejected
/// ones allow.
Expected<std::vector<bool>> runProbes(ArrayRef<Probe> Probes) {
  bool OneTarget = all_of(Probes, [&](const Probe &P) {
    return P.Arch == Probes.front().Arch && P.PTX == Probes.front().PTX;
  });
  if (Probes.size() > 1 && OneTarget) {
    Expected<std::vector<bool>> All = runProbes(merged(Probes));
    if (!All)
      return All.takeError();
    if (All->front())
      return std::vector<bool>(Probes.size(), true);
  }
  std::vector<bool> Out;
  while (Out.size() < Probes.size()) {
    ArrayRef<Probe> Rest = Probes.drop_front(Out.size());
    int P[2];
    if (::pipe2(P, O_CLOEXEC))
      return error(Twine("cannot check intrinsics: pipe: ") +
                   std::strerror(errno));
    // A child of a process with other threads may find their locks held.
    finishAssemblerWarmUp();
    pid_t Pid = ::fork();
    if (Pid < 0) {
      int E = errno;
      ::close(P[0]);
      ::close(P[1]);
      return error(Twine("cannot check intrinsics: fork: ") + std::strerror(E));
    }
    if (Pid == 0) {
      ::close(P[0]);
      childMain(Rest, P[1]);
    }
    ++ChildrenStarted;
    ::close(P[1]);
    bool Done = false, TimedOut = false;
    while (!Done) {
      struct pollfd PF = {P[0], POLLIN, 0};
      int R = ::poll(&PF, 1, ProbeTimeoutMs);
      if (R < 0 && errno == EINTR)
        continue;
      if (R == 0) {
        TimedOut = true;
        break;
      }
      char Buf[64];
      ssize_t N = ::read(P[0], Buf, sizeof(Buf));
      if (N < 0 && errno == EINTR)
        continue;
      if (N <= 0)
        break; // the child died or exited: it rejected the current probe
      for (ssize_t I = 0; I != N; ++I) {
        if (Buf[I] == 'E')
          Done = true;
        else
          Out.push_back(Buf[I] != '0');
      }
    }
    ::close(P[0]);
    if (TimedOut)
      ::kill(Pid, SIGKILL);
    int Status;
    while (::waitpid(Pid, &Status, 0) < 0 && errno == EINTR) {
    }
    if (TimedOut)
      return error("checking intrinsics for " + Probes[Out.size()].Arch +
                   ": a probe compile did not finish in " +
                   Twine(ProbeTimeoutMs / 1000) +
                   " s (is the process multi-threaded?)");
    if (!Done && Out.size() < Probes.size())
      Out.push_back(false);
  }
  return Out;
}

/// Cached answers for \p Probes; the misses go to children together.
Expected<std::vector<bool>> answers(ArrayRef<Probe> Probes) {
  std::vector<std::optional<bool>> Known;
  std::vector<Probe> Missing;
  std::vector<std::string> Keys;
  for (const Probe &P : Probes) {
    Keys.push_back(answerKey(P.IR, P.Arch, P.PTX));
    Known.push_back(lookupAnswer(Keys.back()));
    if (!Known.back())
      Missing.push_back(P);
  }
  if (!Missing.empty()) {
    Expected<std::vector<bool>> Got = runProbes(Missing);
    if (!Got)
      return Got.takeError();
    size_t J = 0;
    for (size_t I = 0; I != Probes.size(); ++I)
      if (!Known[I]) {
        Known[I] = (*Got)[J++];
        storeAnswer(Keys[I], *Known[I]);
      }
  }
  std::vector<bool> Out;
  for (const std::optional<bool> &K : Known)
    Out.push_back(*K);
  return Out;
}

//===----------------------------------------------------------------------===//
// Probe modules
//===----------------------------------------------------------------------===//

/// Types that print as self-contained IR text (no named structs).
bool printable(Type *T) {
  if (T->isTokenTy() || T->isMetadataTy() || T->isLabelTy())
    return false;
  if (auto *S = dyn_cast<StructType>(T))
    if (!S->isLiteral())
      return false;
  return all_of(T->subtypes(), printable);
}

/// A module with one function that passes its parameters to \p Name and
/// returns the result, so that instruction selection cannot drop the call;
/// immediate arguments (\p Imm[I] non-empty) are written in place. Empty if
/// the signature cannot be written as text.
std::string probeModule(StringRef Name, FunctionType *FT,
                        const std::vector<std::string> &Imm) {
  if (FT->isVarArg() || !printable(FT->getReturnType()))
    return "";
  std::string IR;
  raw_string_ostream OS(IR);
  std::string Ret;
  raw_string_ostream RO(Ret);
  FT->getReturnType()->print(RO);
  std::string Params, Args, DeclParams;
  for (unsigned I = 0; I != FT->getNumParams(); ++I) {
    Type *T = FT->getParamType(I);
    if (!printable(T))
      return "";
    std::string TS;
    raw_string_ostream TO(TS);
    T->print(TO);
    DeclParams += (I ? ", " : "") + TS;
    if (I < Imm.size() && !Imm[I].empty()) {
      Args += (I ? ", " : "") + Imm[I];
      continue;
    }
    std::string A = "%a" + std::to_string(I);
    Params += (Params.empty() ? "" : ", ") + TS + " " + A;
    Args += (I ? ", " : "") + TS + " " + A;
  }
  OS << "declare " << Ret << " @" << Name << "(" << DeclParams << ")\n";
  OS << "define " << Ret << " @lcs_probe(" << Params << ") {\n";
  if (FT->getReturnType()->isVoidTy())
    OS << "  call void @" << Name << "(" << Args << ")\n  ret void\n}\n";
  else
    OS << "  %r = call " << Ret << " @" << Name << "(" << Args << ")\n  ret "
       << Ret << " %r\n}\n";
  return IR;
}

/// The immediate arguments of \p CB as IR text, "" for the others.
std::vector<std::string> immediates(const CallBase &CB) {
  std::vector<std::string> Out;
  const Function *F = CB.getCalledFunction();
  for (unsigned I = 0; I != CB.arg_size(); ++I) {
    std::string S;
    if (F->hasParamAttribute(I, Attribute::ImmArg)) {
      raw_string_ostream OS(S);
      CB.getArgOperand(I)->printAsOperand(OS, /*PrintType=*/true);
    }
    Out.push_back(S);
  }
  return Out;
}

/// "x86" for llvm.x86.sse2.pause.
StringRef targetPrefix(StringRef Name) {
  Name.consume_front("llvm.");
  return Name.split('.').first;
}

std::mutex MinPTXMutex;
std::map<std::string, unsigned> MinPTX;

} // namespace

void setProbeCacheDir(const std::string &CacheDir) {
  std::lock_guard<std::mutex> L(CacheMutex);
  ProbeDir = CacheDir;
}

void forgetProbeAnswers() {
  std::lock_guard<std::mutex> L(CacheMutex);
  Answers.clear();
}

unsigned probeChildrenStarted() { return ChildrenStarted; }

const std::vector<std::string> &knownTargets() {
  static const std::vector<std::string> Targets = [] {
    std::vector<std::string> Out;
    for (const std::string &T : cudaTargets())
      if (llvmKnowsCPU(T))
        Out.push_back(T);
    return Out;
  }();
  return Targets;
}

Expected<unsigned> minPTXVersion(StringRef Arch) {
  std::lock_guard<std::mutex> L(MinPTXMutex);
  auto It = MinPTX.find(Arch.str());
  if (It != MinPTX.end())
    return It->second;
  if (!llvmKnowsCPU(Arch))
    return error("unknown target '" + Arch +
                 "' (LLVM " LLVM_VERSION_STRING " does not know it)");
  // LLVM's default PTX version per target is in NVPTX.td, which is not
  // installed: read it from what the backend writes for an empty module.
  Expected<std::unique_ptr<TargetMachine>> TM =
      createNVPTXTargetMachine(Arch, 0);
  if (!TM)
    return TM.takeError();
  LLVMContext Ctx;
  Module M("lcs-ptx-version", Ctx);
  M.setTargetTriple((*TM)->getTargetTriple());
  M.setDataLayout((*TM)->createDataLayout());
  SmallString<0> Out;
  raw_svector_ostream OS(Out);
  legacy::PassManager PM;
  if ((*TM)->addPassesToEmitFile(PM, OS, nullptr,
                                 CodeGenFileType::AssemblyFile))
    return error("the NVPTX backend cannot emit assembly");
  PM.run(M);
  StringRef Text = Out.str();
  size_t At = Text.find(".version ");
  unsigned Major, Minor;
  if (At == StringRef::npos)
    return error("no .version in the NVPTX backend's output for " + Arch);
  StringRef V = Text.drop_front(At + strlen(".version ")).split('\n').first;
  auto [Ma, Mi] = V.trim().split('.');
  if (Ma.getAsInteger(10, Major) || Mi.getAsInteger(10, Minor))
    return error("unreadable .version '" + V + "' for " + Arch);
  return MinPTX[Arch.str()] = Major * 10 + Minor;
}

Expected<bool> probeIntrinsic(StringRef Intrinsic, StringRef Type,
                              const std::vector<std::string> &Args,
                              StringRef Arch, unsigned PTXVersion) {
  // Through the parser, so that the type prints as probeModule() prints
  // the callee's ("void (i64)" becomes a declaration).
  auto [Ret, Rest] = Type.split('(');
  LLVMContext Ctx;
  SMDiagnostic Err;
  std::unique_ptr<Module> M =
      parseAssemblyString(("declare " + Ret.trim() + " @lcs_type_holder(" +
                           Rest.rsplit(')').first + ")")
                              .str(),
                          Err, Ctx);
  if (!M)
    return error("'" + Type + "': " + Err.getMessage());
  FunctionType *FT = M->getFunction("lcs_type_holder")->getFunctionType();
  std::string IR = probeModule(Intrinsic, FT, Args);
  if (IR.empty())
    return error("'" + Type + "' cannot be probed");
  Expected<std::vector<bool>> A = answers(Probe{IR, Arch.str(), PTXVersion});
  if (!A)
    return A.takeError();
  return A->front();
}

Expected<unsigned> choosePTXVersion(const Module &M, StringRef Arch) {
  if (Expected<TargetLimits> L = targetLimits(Arch); !L)
    return L.takeError();
  Expected<unsigned> Min = minPTXVersion(Arch);
  if (!Min)
    return Min.takeError();
  std::string Where = M.getModuleIdentifier();
  auto Fail = [&](const Twine &Msg) {
    return error((Where.empty() ? "" : Where + ": ") + Msg);
  };
  if (*Min > MaxPTXVersion)
    return Fail("target " + Arch + " needs PTX " + ptxText(*Min) +
                ", above the " + ptxText(MaxPTXVersion) +
                " that CUDA 13 assembles");

  // One probe per distinct call shape, in module order (the first misfit is
  // the one reported).
  struct Site {
    const Function *Callee;
    const Function *Caller;
    std::string IR;
  };
  std::vector<Site> Sites;
  StringMap<bool> Seen;
  for (const Function &F : M)
    for (const Instruction &I : instructions(F)) {
      const auto *CB = dyn_cast<CallBase>(&I);
      const Function *Callee = CB ? CB->getCalledFunction() : nullptr;
      if (!Callee || !Callee->isIntrinsic())
        continue;
      StringRef Name = Callee->getName();
      Intrinsic::ID ID = Callee->getIntrinsicID();
      bool NVVM = Name.starts_with("llvm.nvvm.");
      if (!NVVM && ID != Intrinsic::not_intrinsic &&
          !Intrinsic::isTargetIntrinsic(ID))
        continue; // target-independent: legalised for every target
      if (!NVVM)
        return Fail(
            "intrinsic " + Name + " (called from '" + F.getName() +
            "') is not available on " + Arch +
            "; targets that have it: none (" +
            (ID == Intrinsic::not_intrinsic
                 ? Twine("not an intrinsic LLVM " LLVM_VERSION_STRING " knows")
                 : "an intrinsic of another target, " + targetPrefix(Name)) +
            ")");
      std::string IR =
          probeModule(Name, Callee->getFunctionType(), immediates(*CB));
      if (IR.empty() || !Seen.insert({IR, true}).second)
        continue;
      Sites.push_back({Callee, &F, std::move(IR)});
    }
  if (Sites.empty())
    return *Min;

  std::vector<unsigned> Ladder = ptxLadder(*Min);
  unsigned Chosen = *Min;
  std::vector<Probe> First;
  for (const Site &S : Sites)
    First.push_back({S.IR, Arch.str(), Chosen});
  Expected<std::vector<bool>> Ok = answers(First);
  if (!Ok)
    return Ok.takeError();
  for (size_t I = 0; I != Sites.size(); ++I) {
    if ((*Ok)[I])
      continue;
    // PTX versions only add instructions: a probe that compiled at a lower
    // version compiles at a higher one, so the others need no re-probe.
    bool Found = false;
    for (unsigned V : Ladder) {
      if (V <= Chosen)
        continue;
      Expected<std::vector<bool>> A =
          answers(Probe{Sites[I].IR, Arch.str(), V});
      if (!A)
        return A.takeError();
      if (A->front()) {
        Chosen = V;
        Found = true;
        break;
      }
    }
    if (Found)
      continue;
    // Rejected at every PTX version: find who has it, at the highest.
    std::vector<Probe> Others;
    for (const std::string &T : knownTargets())
      if (T != Arch)
        Others.push_back({Sites[I].IR, T, MaxPTXVersion});
    Expected<std::vector<bool>> Have = answers(Others);
    if (!Have)
      return Have.takeError();
    std::string List;
    for (size_t J = 0; J != Others.size(); ++J)
      if ((*Have)[J])
        List += (List.empty() ? "" : ", ") + Others[J].Arch;
    return Fail("intrinsic " + Sites[I].Callee->getName() + " (called from '" +
                Sites[I].Caller->getName() + "') is not available on " + Arch +
                "; targets that have it: " + (List.empty() ? "none" : List));
  }
  return Chosen;
}

} // namespace lcs
