//===- CodeGen.cpp - From a specialised module to PTX and cubin -----------===//
//
// See CodeGen.h.
//
//===----------------------------------------------------------------------===//

#include "lcs/compile/CodeGen.h"

#include "lcs/LaunchSensitivity.h"
#include "lcs/NVVMDialect.h"
#include "lcs/NoWrap.h"
#include "lcs/NvJitLink.h"
#include "lcs/cache/DiskCache.h"
#include "lcs/cache/FileSystem.h"
#include "lcs/cache/Key.h"
#include "lcs/compile/LinkInput.h"
#include "lcs/compile/TargetCheck.h"

#include "llvm/Analysis/CGSCCPassManager.h"
#include "llvm/Analysis/LoopAnalysisManager.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Transforms/IPO/Internalize.h"

#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <optional>

using namespace llvm;

namespace lcs {

static Error error(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

namespace {
/// The libdevice functions \p Names, with everything they use, as bitcode
/// of their own: made once per process for each set of names from the
/// lazily read library, whose reading (its symbol table and metadata, for
/// every build, in the build's own context) cost more than the rest of
/// linking a few functions; every later build calling the same set (the
/// next variant of the kernel) parses the small module instead.
Expected<std::string> libdeviceExtract(const std::vector<StringRef> &Names) {
  static constexpr size_t MaxExtracts = 64;
  static std::mutex Mutex;
  static std::map<std::string, std::string> Extracts;
  std::string Path = libdevicePath();
  std::string Key = Path;
  for (StringRef N : Names)
    (Key += '\n') += N;
  std::lock_guard<std::mutex> L(Mutex);
  auto It = Extracts.find(Key);
  if (It != Extracts.end())
    return It->second;
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(Path);
  if (!Buf)
    return error(Path + ": cannot read libdevice (needed for __nv_* calls): " +
                 Buf.getError().message());
  LLVMContext Ctx;
  // Lazily: the linker materialises only the functions the names reach.
  Expected<std::unique_ptr<Module>> Lib =
      getOwningLazyBitcodeModule(std::move(*Buf), Ctx);
  if (!Lib)
    return error(Path + ": " + toString(Lib.takeError()));
  Module Extract("libdevice", Ctx);
  Extract.setTargetTriple((*Lib)->getTargetTriple());
  Extract.setDataLayout((*Lib)->getDataLayout());
  for (StringRef N : Names)
    if (Function *F = (*Lib)->getFunction(N))
      Extract.getOrInsertFunction(N, F->getFunctionType());
  if (Linker::linkModules(Extract, std::move(*Lib), Linker::LinkOnlyNeeded))
    return error(Path + ": cannot link libdevice");
  std::string Bitcode;
  raw_string_ostream OS(Bitcode);
  // Use-list order too: what the next build reads back is what the
  // library's own link would have made, to the order of each value's uses.
  WriteBitcodeToFile(Extract, OS, /*ShouldPreserveUseListOrder=*/true);
  // A worker that compiles many different kernels keeps the latest sets.
  if (Extracts.size() >= MaxExtracts)
    Extracts.clear();
  return Extracts.emplace(std::move(Key), std::move(Bitcode)).first->second;
}
} // namespace

namespace {
/// The integer module flag \p Name, or \p Default.
uint64_t moduleFlag(const Module &M, StringRef Name, uint64_t Default) {
  if (auto *C =
          mdconst::dyn_extract_or_null<ConstantInt>(M.getModuleFlag(Name)))
    return C->getZExtValue();
  return Default;
}

/// libdevice asks `__nvvm_reflect("__CUDA_PREC_SQRT")` whether sqrtf must
/// round correctly. LLVM's NVVMReflect answers 0 to names it does not know,
/// so __nv_sqrtf became sqrt.approx.f32; libNVVM's answer is its
/// -prec-sqrt option, 1 unless the module's "nvvm-reflect-prec-sqrt" flag
/// says otherwise (a fastmath frontend sets 0).
void answerPrecSqrt(Module &M) {
  unsigned Answer = moduleFlag(M, "nvvm-reflect-prec-sqrt", 1) != 0;
  for (StringRef Name : {"__nvvm_reflect", "llvm.nvvm.reflect"}) {
    Function *Reflect = M.getFunction(Name);
    if (!Reflect)
      continue;
    for (User *U : make_early_inc_range(Reflect->users())) {
      auto *CI = dyn_cast<CallInst>(U);
      StringRef Asked;
      if (!CI || CI->getCalledFunction() != Reflect || CI->arg_size() != 1 ||
          !getConstantStringInfo(CI->getArgOperand(0), Asked) ||
          Asked != "__CUDA_PREC_SQRT")
        continue;
      CI->replaceAllUsesWith(ConstantInt::get(CI->getType(), Answer));
      CI->eraseFromParent();
    }
  }
}
} // namespace

Error linkLibdevice(Module &M) {
  std::vector<StringRef> Names;
  for (const Function &F : M.functions())
    if (F.isDeclaration() && F.getName().starts_with("__nv_"))
      Names.push_back(F.getName());
  if (Names.empty())
    return Error::success();
  llvm::sort(Names);
  Expected<std::string> Extract = libdeviceExtract(Names);
  if (!Extract)
    return Extract.takeError();
  Expected<std::unique_ptr<Module>> Lib = parseBitcodeFile(
      MemoryBufferRef(*Extract, "libdevice"), M.getContext());
  if (!Lib)
    return error(libdevicePath() + ": " + toString(Lib.takeError()));
  (*Lib)->setTargetTriple(M.getTargetTriple());
  (*Lib)->setDataLayout(M.getDataLayout());
  if (Linker::linkModules(M, std::move(*Lib), Linker::LinkOnlyNeeded,
                          [](Module &Linked, const StringSet<> &Names) {
                            internalizeModule(Linked, [&](const GlobalValue &GV) {
                              return !Names.contains(GV.getName());
                            });
                          }))
    return error(libdevicePath() + ": cannot link libdevice");
  return Error::success();
}

Error checkNVVMIntrinsics(const Module &M) {
  for (const Function &F : M)
    if (F.isDeclaration() && F.getName().starts_with("llvm.nvvm.") &&
        F.getIntrinsicID() == Intrinsic::not_intrinsic && !F.use_empty())
      return error("'" + F.getName() +
                   "' is an NVVM intrinsic that LLVM's "
                   "NVPTX backend does not have and lcs-lower-nvvm does "
                   "not lower");
  return Error::success();
}

namespace {
/// The global values reachable from \p Roots through references in bodies,
/// initializers, aliasees and constant expressions: one walk, each value and
/// each constant visited once, so the cost is linear in the module's size
/// whatever the depth of its call chains.
SmallPtrSet<const GlobalValue *, 32>
reachableFrom(ArrayRef<const GlobalValue *> Roots) {
  SmallPtrSet<const GlobalValue *, 32> Seen;
  SmallPtrSet<const Constant *, 32> SeenConstants;
  SmallVector<const GlobalValue *, 32> Work;
  SmallVector<const Constant *, 16> Constants;
  auto Reach = [&](const Value *V) {
    if (const auto *G = dyn_cast<GlobalValue>(V)) {
      if (Seen.insert(G).second)
        Work.push_back(G);
      return;
    }
    const auto *C = dyn_cast<Constant>(V);
    if (!C || isa<ConstantData>(C) || !SeenConstants.insert(C).second)
      return;
    Constants.push_back(C);
    while (!Constants.empty()) {
      const Constant *Next = Constants.pop_back_val();
      for (const Value *Op : Next->operands()) {
        if (const auto *G = dyn_cast<GlobalValue>(Op)) {
          if (Seen.insert(G).second)
            Work.push_back(G);
        } else if (const auto *OC = dyn_cast<Constant>(Op);
                   OC && !isa<ConstantData>(OC) &&
                   SeenConstants.insert(OC).second) {
          Constants.push_back(OC);
        }
      }
    }
  };
  for (const GlobalValue *R : Roots)
    Reach(R);
  while (!Work.empty()) {
    const GlobalValue *G = Work.pop_back_val();
    // Initializers, aliasees, resolvers; a function's personality, prefix
    // and prologue data.
    for (const Value *Op : cast<User>(G)->operands())
      Reach(Op);
    if (const auto *F = dyn_cast<Function>(G))
      for (const Instruction &I : instructions(*F))
        for (const Value *Op : I.operands())
          Reach(Op);
  }
  return Seen;
}
} // namespace

Error keepOnlyKernel(Module &M, StringRef Name, KeepFunctions Keep) {
  Function *Kernel = M.getFunction(Name);
  if (!Kernel || !isKernel(*Kernel))
    return error("unknown kernel '" + Name + "'");
  // Calling a kernel as a function is legal IR: the kernels the kept one
  // reaches keep their bodies; the others lose them.
  SmallPtrSet<const GlobalValue *, 32> FromKeep = reachableFrom({Kernel});
  for (Function &F : M)
    if (isKernel(F) && !F.isDeclaration() && !FromKeep.contains(&F))
      F.deleteBody();
  // What must stay whatever reaches it: the kept kernel, global variables
  // (the host finds __device__ and __constant__ ones by name), aliases, and
  // with Keep == Exported the definitions visible outside the module that
  // are not kernels (link inputs may call them). Everything the walk from
  // them misses goes.
  auto Erasable = [&](const Function &F) {
    return &F != Kernel &&
           (F.isDeclaration() || F.hasLocalLinkage() || isKernel(F) ||
            Keep == KeepFunctions::Reached);
  };
  SmallVector<const GlobalValue *, 32> Roots;
  for (const GlobalValue &G : M.global_values())
    if (!isa<Function>(G) || !Erasable(cast<Function>(G)))
      Roots.push_back(&G);
  SmallPtrSet<const GlobalValue *, 32> Live = reachableFrom(Roots);
  SmallVector<Function *, 32> Dead;
  for (Function &F : M)
    if (!Live.contains(&F))
      Dead.push_back(&F);
  // Dead functions may call each other: drop every body first, then erase
  // the ones nothing uses any more (a dead constant expression aside).
  for (Function *F : Dead)
    F->dropAllReferences();
  for (Function *F : Dead) {
    F->removeDeadConstantUsers();
    if (F->use_empty())
      F->eraseFromParent();
  }
  // Nothing outside can call what is left but the kernel: internal, the
  // optimiser may inline, specialise and drop it like a static function.
  if (Keep == KeepFunctions::Reached)
    for (Function &F : M)
      if (!F.isDeclaration() && !isKernel(F) && !F.hasLocalLinkage()) {
        F.setComdat(nullptr);
        F.setLinkage(GlobalValue::InternalLinkage);
      }
  return Error::success();
}

Expected<std::unique_ptr<TargetMachine>>
createNVPTXTargetMachine(StringRef Arch, unsigned OptLevel,
                         unsigned PTXVersion) {
  // Registration writes global tables: once, whatever the threads.
  static std::once_flag Once;
  std::call_once(Once, [] {
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
  });
  Triple TT("nvptx64-nvidia-cuda");
  std::string Err;
  const Target *T = TargetRegistry::lookupTarget(TT, Err);
  if (!T)
    return error("NVPTX target unavailable: " + Err);
  CodeGenOptLevel Level = OptLevel == 0   ? CodeGenOptLevel::None
                          : OptLevel == 1 ? CodeGenOptLevel::Less
                          : OptLevel == 2 ? CodeGenOptLevel::Default
                                          : CodeGenOptLevel::Aggressive;
  // FMA contraction as each producer's own compiler does it: libNVVM's
  // default (-fma=1, numba-cuda), clang's CUDA default (-ffp-contract=fast)
  // and Triton (enable_fp_fusion). Without it a*x+y rounds twice and the
  // result differs from the producer's own build of the same IR.
  TargetOptions Options;
  Options.AllowFPOpFusion = FPOpFusion::Fast;
  std::string Features = PTXVersion ? "+ptx" + std::to_string(PTXVersion) : "";
  std::unique_ptr<TargetMachine> TM(T->createTargetMachine(
      TT, Arch, Features, Options, std::nullopt, std::nullopt, Level));
  if (!TM)
    return error("cannot create an NVPTX target machine for " + Arch);
  return TM;
}

Expected<TargetMachine &> threadTargetMachine(StringRef Arch,
                                              unsigned OptLevel) {
  struct Slot {
    std::string Arch;
    unsigned OptLevel;
    std::unique_ptr<TargetMachine> TM;
  };
  // A few cover a thread that alternates targets.
  constexpr size_t MaxSlots = 4;
  thread_local std::vector<Slot> Slots;
  for (Slot &S : Slots)
    if (S.Arch == Arch && S.OptLevel == OptLevel)
      return *S.TM;
  Expected<std::unique_ptr<TargetMachine>> TM =
      createNVPTXTargetMachine(Arch, OptLevel);
  if (!TM)
    return TM.takeError();
  if (Slots.size() == MaxSlots)
    Slots.erase(Slots.begin());
  Slots.push_back({Arch.str(), OptLevel, std::move(*TM)});
  return *Slots.back().TM;
}

void optimizeModule(Module &M, TargetMachine &TM, unsigned OptLevel) {
  M.setTargetTriple(TM.getTargetTriple());
  M.setDataLayout(TM.createDataLayout());
  // libNVVM's -ftz=1 for all code, which a frontend asks with the module
  // flag "lcs.nvvm-ftz" (docs/metadata.md): f32 denormals flushed in every
  // function, as NVPTX's .ftz forms do. Not "nvvm-reflect-ftz", which only
  // answers libdevice (Triton sets it and keeps its own arithmetic IEEE).
  bool FlushF32 = moduleFlag(M, "lcs.nvvm-ftz", 0) != 0;
  for (Function &F : M)
    if (!F.isDeclaration()) {
      F.addFnAttr("target-cpu", TM.getTargetCPU());
      if (FlushF32 && !F.hasFnAttribute("denormal-fp-math-f32"))
        F.addFnAttr("denormal-fp-math-f32", "preserve-sign,preserve-sign");
    }
  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PassBuilder PB(&TM);
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  // Launch fields folded into already optimised code leave additions whose
  // no-wrap flags a constant build gets (see NoWrap.h); loop strength
  // reduction in the backend needs them.
  if (OptLevel > 0)
    PB.registerOptimizerLastEPCallback(
        [](ModulePassManager &MPM, OptimizationLevel, ThinOrFullLTOPhase) {
          MPM.addPass(InferNoWrapPass());
        });
  OptimizationLevel Level = OptLevel == 0   ? OptimizationLevel::O0
                            : OptLevel == 1 ? OptimizationLevel::O1
                            : OptLevel == 2 ? OptimizationLevel::O2
                                            : OptimizationLevel::O3;
  ModulePassManager MPM = OptLevel == 0
                              ? PB.buildO0DefaultPipeline(Level)
                              : PB.buildPerModuleDefaultPipeline(Level);
  MPM.run(M, MAM);
}

Error prepareForCodeGen(Module &M, TargetMachine &TM, unsigned OptLevel) {
  if (Expected<bool> Lowered = lowerNVVMDialect(M); !Lowered)
    return Lowered.takeError();
  if (Error E = linkLibdevice(M))
    return E;
  // Whoever asks, libdevice or the module's own code.
  answerPrecSqrt(M);
  if (Error E = checkNVVMIntrinsics(M))
    return E;
  optimizeModule(M, TM, OptLevel);
  return Error::success();
}

Expected<std::unique_ptr<PTXEmitter>>
PTXEmitter::make(StringRef Arch, unsigned OptLevel, unsigned PTXVersion) {
  Expected<std::unique_ptr<TargetMachine>> TM =
      createNVPTXTargetMachine(Arch, OptLevel, PTXVersion);
  if (!TM)
    return TM.takeError();
  std::unique_ptr<PTXEmitter> E(new PTXEmitter);
  E->Arch = Arch.str();
  E->OptLevel = OptLevel;
  E->PTXVersion = PTXVersion;
  E->TM = std::move(*TM);
  E->OS = std::make_unique<raw_svector_ostream>(E->Out);
  E->PM = std::make_unique<legacy::PassManager>();
  if (E->TM->addPassesToEmitFile(*E->PM, *E->OS, nullptr,
                                 CodeGenFileType::AssemblyFile))
    return error("the NVPTX backend cannot emit assembly");
  return E;
}

std::future<std::unique_ptr<PTXEmitter>>
PTXEmitter::makeAhead(StringRef Arch, unsigned OptLevel) {
  auto Make = [Arch = Arch.str(), OptLevel]() -> std::unique_ptr<PTXEmitter> {
    Expected<unsigned> Lowest = minPTXVersion(Arch);
    if (!Lowest) {
      consumeError(Lowest.takeError());
      return nullptr;
    }
    Expected<std::unique_ptr<PTXEmitter>> E = make(Arch, OptLevel, *Lowest);
    if (!E) {
      consumeError(E.takeError());
      return nullptr;
    }
    return std::move(*E);
  };
  try {
    return std::async(std::launch::async, std::move(Make));
  } catch (const std::exception &) {
    // No thread: made when needed.
    std::promise<std::unique_ptr<PTXEmitter>> None;
    None.set_value(nullptr);
    return None.get_future();
  }
}

PTXEmitter::~PTXEmitter() = default;

bool PTXEmitter::fits(StringRef A, unsigned O, unsigned V) const {
  return PM && A == Arch && O == OptLevel && V == PTXVersion;
}

std::string PTXEmitter::emit(Module &M) {
  assert(PM && "a PTXEmitter emits once");
  M.setTargetTriple(TM->getTargetTriple());
  M.setDataLayout(TM->createDataLayout());
  PM->run(M);
  PM.reset(); // once
  // Any debug info (Triton keeps line tables) makes the backend write
  // `.target sm_NN, debug`, which turns ptxas into a debugging assembler:
  // -O0 by default, "Optimized debugging not supported" otherwise. lcs
  // produces optimised code with line information, as `nvcc -lineinfo`
  // does: drop the `debug` target flag, keep the .loc/.file directives.
  std::string Out(this->Out.str());
  size_t Target = Out.find("\n.target ");
  if (Target != std::string::npos) {
    size_t End = Out.find('\n', Target + 1);
    size_t Debug = Out.find(", debug", Target);
    if (Debug != std::string::npos && Debug < End)
      Out.erase(Debug, strlen(", debug"));
  }
  return Out;
}

namespace {
Expected<std::string> assembleWithPtxas(StringRef PTX, StringRef Arch,
                                        unsigned OptLevel) {
  const std::string &Ptxas = ptxasPath();
  if (Ptxas.empty())
    return error("neither nvJitLink nor ptxas found (set CUDA_HOME)");

  SmallString<128> In, Out, Log;
  if (std::error_code EC = sys::fs::createTemporaryFile("lcs", "ptx", In))
    return error("cannot create a temporary file: " + EC.message());
  FileRemover RemoveIn(In);
  if (std::error_code EC = sys::fs::createTemporaryFile("lcs", "cubin", Out))
    return error("cannot create a temporary file: " + EC.message());
  FileRemover RemoveOut(Out);
  if (std::error_code EC = sys::fs::createTemporaryFile("lcs", "log", Log))
    return error("cannot create a temporary file: " + EC.message());
  FileRemover RemoveLog(Log);
  {
    std::error_code EC;
    raw_fd_ostream OS(In, EC);
    if (EC)
      return error(In + ": " + EC.message());
    OS << PTX;
    OS.close();
    if (OS.has_error())
      return error(In + ": write failed");
  }
  std::string ArchArg = ("-arch=" + Arch).str();
  std::string OptArg = "-O" + std::to_string(OptLevel);
  std::string InPath(In.str()), OutPath(Out.str());
  SmallVector<StringRef, 8> Args = {Ptxas, ArchArg, OptArg};
  // Keep line information where the PTX has it (see PTXEmitter::emit).
  if (PTX.contains("\n.file"))
    Args.push_back("-lineinfo");
  Args.append({InPath, "-o", OutPath});
  std::optional<StringRef> Redirects[] = {std::nullopt, Log.str(), Log.str()};
  std::string ErrMsg;
  int RC = sys::ExecuteAndWait(Ptxas, Args, std::nullopt, Redirects, 0, 0,
                               &ErrMsg);
  if (RC != 0) {
    std::string Diag;
    if (ErrorOr<std::unique_ptr<MemoryBuffer>> L = MemoryBuffer::getFile(Log))
      Diag = (*L)->getBuffer().trim().split('\n').first.str();
    return error("ptxas failed (" + (ErrMsg.empty() ? "exit " + Twine(RC)
                                                    : Twine(ErrMsg)) +
                 "): " + Diag);
  }
  ErrorOr<std::unique_ptr<MemoryBuffer>> Cubin = MemoryBuffer::getFile(Out);
  if (!Cubin)
    return error(Out + ": " + Cubin.getError().message());
  return (*Cubin)->getBuffer().str();
}
} // namespace

namespace {
std::mutex WarmUpMutex;
// Never destroyed: a process that exits during the warm-up (exit() from
// a fatal error) must not run a joinable std::thread's destructor, which
// would abort it.
std::thread *WarmUpThread = nullptr;
} // namespace

void startAssemblerWarmUp() {
  std::lock_guard<std::mutex> L(WarmUpMutex);
  static bool Started = false;
  if (std::exchange(Started, true))
    return;
  auto WarmUp = [] {
    std::string Why;
    const NvJitLink *J = NvJitLink::load(nvJitLinkPath(), Why);
    if (!J)
      return;
    // The lowest target lcs supports: the target only picks tables that
    // are small next to what the first link loads whatever the target.
    static const char PTX[] = ".version 6.3\n.target sm_75\n"
                              ".address_size 64\n"
                              ".visible .entry lcs_warm_up() { ret; }\n";
    std::string Cubin, Log;
    J->linkPTX(PTX, {"-arch=sm_75", "-O3"}, Cubin, Log);
  };
  // Best effort: a process that cannot start a thread assembles cold.
  try {
    WarmUpThread = new std::thread(WarmUp);
  } catch (const std::exception &) {
    WarmUpThread = nullptr;
  }
}

void finishAssemblerWarmUp() {
  std::lock_guard<std::mutex> L(WarmUpMutex);
  if (WarmUpThread && WarmUpThread->joinable())
    WarmUpThread->join();
}

Expected<std::string> assemblePTX(StringRef PTX, StringRef Arch,
                                  unsigned OptLevel, StringRef Kernel) {
  finishAssemblerWarmUp();
  std::string Why;
  const NvJitLink *J = NvJitLink::load(nvJitLinkPath(), Why);
  // Cache keys name nvJitLink whenever its library is there (without
  // loading it); a library that is there but unusable is an error, not a
  // silent switch to ptxas under nvJitLink's name.
  if (!J && !Why.empty())
    return error("cannot load nvJitLink (" + Why +
                 "); repair the CUDA toolkit or set CUDA_HOME");
  if (!J)
    return assembleWithPtxas(PTX, Arch, OptLevel);
  std::string ArchArg = ("-arch=" + Arch).str();
  // nvJitLink takes ptxas's optimisation levels 0 and 3.
  std::string OptArg = OptLevel == 0 ? "-O0" : "-O3";
  std::vector<const char *> Opts = {ArchArg.c_str(), OptArg.c_str()};
  if (PTX.contains("\n.file"))
    Opts.push_back("-lineinfo");
  std::string Cubin, Log;
  switch (J->linkPTX(PTX.str(), Opts, Cubin, Log)) {
  case NvJitLink::LinkResult::Ok:
    return Cubin;
  case NvJitLink::LinkResult::CreateFailed:
    return error("nvJitLink: cannot create a link for " + Arch);
  case NvJitLink::LinkResult::LinkFailed:
    break;
  }
  return error(describeLinkFailure(Log, 0, "", Kernel, Arch, J->version()));
}

/// The registers a thread may use when the PTX bounds the block
/// (`.reqntid` or `.maxntid`, as a specialised block size or launch bounds
/// write): the most that lets that many threads share one SM's 64K
/// registers (allocated per warp in units of 256), at most 255. ptxas
/// derives this limit for the kernel itself, but code linked in is compiled
/// without it, and a callee over the caller's limit fails the link ("entry
/// function 'K' with max regcount of 64 calls function 'f' with regcount of
/// 147"), so the link gets it as -maxrregcount.
static std::optional<unsigned> registerBudget(StringRef PTX) {
  std::optional<unsigned> Budget;
  for (StringRef Directive : {".reqntid", ".maxntid"}) {
    StringRef Rest = PTX;
    for (size_t At; (At = Rest.find(Directive)) != StringRef::npos;) {
      Rest = Rest.drop_front(At + Directive.size());
      uint64_t Threads = 1;
      StringRef Dims = Rest.take_until([](char C) { return C == '\n'; });
      SmallVector<StringRef, 3> Parts;
      Dims.split(Parts, ',');
      for (StringRef D : Parts) {
        uint64_t N;
        if (D.trim().getAsInteger(10, N) || N == 0)
          return std::nullopt; // not a directive lcs understands
        Threads *= N;
      }
      uint64_t Warps = (Threads + 31) / 32;
      if (Warps == 0 || Warps > 256)
        continue;
      unsigned Regs = unsigned(std::min<uint64_t>(255, 8 * (256 / Warps)));
      Budget = Budget ? std::min(*Budget, Regs) : Regs;
    }
  }
  return Budget;
}

Expected<std::string> linkCubin(StringRef PTX,
                                const std::vector<LinkInput> &Links,
                                StringRef Arch, unsigned OptLevel,
                                StringRef Kernel) {
  finishAssemblerWarmUp();
  std::string Why;
  const NvJitLink *J = NvJitLink::load(nvJitLinkPath(), Why);
  if (!J)
    return error(Why.empty()
                     ? "kernel '" + Kernel +
                           "': link inputs need nvJitLink (libnvJitLink.so.13 "
                           "under " +
                           cudaRoot() + "; ptxas cannot link); set CUDA_HOME"
                     : "cannot load nvJitLink (" + Why +
                           "); repair the CUDA toolkit or set CUDA_HOME");
  std::string ArchArg = ("-arch=" + Arch).str();
  std::string OptArg = OptLevel == 0 ? "-O0" : "-O3";
  std::vector<const char *> Opts = {ArchArg.c_str(), OptArg.c_str()};
  if (PTX.contains("\n.file"))
    Opts.push_back("-lineinfo");
  // -lto with no LTO-IR at all fails (nvJitLink finds no NVVM module);
  // LTO-IR without it is refused: so exactly when some input holds some.
  if (llvm::any_of(Links, [](const LinkInput &L) { return holdsLTOIR(L); }))
    Opts.push_back("-lto");
  std::string RegArg;
  std::optional<unsigned> Budget = registerBudget(PTX);
  if (Budget && *Budget < 255) {
    RegArg = "-maxrregcount=" + std::to_string(*Budget);
    Opts.push_back(RegArg.c_str());
  }
  // The kernel's PTX is named after the kernel, so that the log's
  // "Undefined reference to 'f' in 'K'" can say whose reference it is.
  std::string KernelName = Kernel.empty() ? "lcs.ptx" : Kernel.str();
  std::vector<NvJitLink::Part> Parts = {{nvJitLinkInputType(LinkKind::PTX),
                                         PTX.data(), PTX.size(),
                                         KernelName.c_str()}};
  for (const LinkInput &L : Links)
    Parts.push_back({nvJitLinkInputType(L.Kind), L.Bytes.data(), L.Bytes.size(),
                     L.Name.c_str()});
  std::string Cubin, Log;
  NvJitLink::Failure Failed;
  switch (J->link(Parts, Opts, Cubin, Log, Failed)) {
  case NvJitLink::LinkResult::Ok:
    return Cubin;
  case NvJitLink::LinkResult::CreateFailed:
    return error("nvJitLink: cannot create a link for " + Arch + " (error " +
                 Twine(Failed.Result) + ")");
  case NvJitLink::LinkResult::LinkFailed:
    break;
  }
  std::string Input = Failed.Part != size_t(-1) && Failed.Part != 0
                          ? Parts[Failed.Part].Name
                          : "";
  return error(describeLinkFailure(Log, Failed.Result, Input, Kernel, Arch,
                                   J->version()));
}

} // namespace lcs
