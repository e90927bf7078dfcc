//===- LaunchSensitivity.cpp - Which launch fields a kernel depends on ----===//
//
// Three steps, each linear in what it looks at:
//  1. each function's mark, and the calls of each function found through its
//     uses: launch-register reads (calls of a register's intrinsic) and call
//     edges; one walk over the bodies adds what uses cannot show (inline PTX
//     that reads registers, calls through pointers);
//  2. the functions that read registers get a liveness walk (ReadLiveness.h);
//     those it cannot settle are cloned (alone) into a scratch module,
//     cleaned up, and walked again: reads that did not survive were dead;
//  3. a call-graph pass (Tarjan's SCCs, callees first; CallGraphSummary.h)
//     ORs each function's fields with those of everything it reaches.
// The functions are listed, and large modules walked, as ModuleWalk.h says:
// overlapping the cache misses of a module that outgrew the caches.
//
//===----------------------------------------------------------------------===//

#include "lcs/LaunchSensitivity.h"
#include "lcs/CallGraphSummary.h"
#include "lcs/ModuleWalk.h"
#include "lcs/ReadLiveness.h"
#include "lcs/SpecialRegisters.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/CGSCCPassManager.h"
#include "llvm/Analysis/LoopAnalysisManager.h"
#include "llvm/IR/CallingConv.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/InstCombine/InstCombine.h"
#include "llvm/Transforms/Scalar/ADCE.h"
#include "llvm/Transforms/Scalar/EarlyCSE.h"
#include "llvm/Transforms/Scalar/SROA.h"
#include "llvm/Transforms/Scalar/SimplifyCFG.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <optional>
#include <system_error>
#include <vector>

#define DEBUG_TYPE "lcs-sensitivity"

using namespace llvm;

STATISTIC(NumKernels, "Kernels analysed");
STATISTIC(NumReads, "Launch-register reads found");
STATISTIC(NumDeadReads, "Launch-register reads proved dead");
STATISTIC(NumCleaned, "Functions cloned and cleaned up");
STATISTIC(NumSettled, "Functions whose reads the liveness walk settled");

namespace lcs {

AnalysisKey LaunchSensitivityAnalysis::Key;

bool isKernel(const Function &F) {
  return F.getCallingConv() == CallingConv::PTX_Kernel;
}

namespace {

/// What the scan finds in one function.
struct FunctionFacts {
  FieldMask Read;    ///< Fields of launch-register reads in the body.
  FieldMask Marked;  ///< Fields of the function's own mark.
  bool HasMark = false;
  /// The function's kind, read once with its mark (later passes over the
  /// functions then touch lcs's data only, not the module's).
  bool IsDeclaration = false, IsKernel = false;
  /// Whether a call through a pointer may reach it (markAddressTaken).
  bool AddressTaken = false;
  unsigned Reads = 0;
  bool CallsIndirect = false;
  /// The functions it calls, each once: their indices in ModuleFacts::Fns
  /// (the call graph's summary then looks nothing up).
  SmallVector<unsigned, 4> Callees;
  /// The calls that read launch registers, for the liveness walk.
  SmallVector<const CallBase *, 2> ReadCalls;
  /// The callee of the last edge scanUses added: it adds all the edges to
  /// one callee together, so comparing with it keeps each callee once.
  unsigned LastCallee = ~0u;

  void addRead(const CallBase &CB, FieldMask Fields) {
    Read |= Fields;
    ++Reads;
    ReadCalls.push_back(&CB);
  }
};

/// The functions of a module in module order, and their facts.
struct ModuleFacts {
  ModuleFacts(const Module &M, unsigned Threads) {
    Fns = functionsInOrder(M, Threads);
    Index.reserve(Fns.size());
    for (unsigned N = 0, E = Fns.size(); N != E; ++N)
      Index[Fns[N]] = N;
    Facts.resize(Fns.size());
  }

  FunctionFacts &of(const Function &F) {
    auto It = Index.find(&F);
    assert(It != Index.end() && "a function of the module");
    return Facts[It->second];
  }

  /// The index of the function \p I is in; None for an instruction in
  /// none of the module's (one a pass made and never inserted), which no
  /// walk of the module would see either.
  static constexpr unsigned None = ~0u;
  unsigned indexOf(const Instruction &I) const {
    const BasicBlock *BB = I.getParent();
    if (!BB || !BB->getParent())
      return None;
    auto It = Index.find(BB->getParent());
    return It == Index.end() ? None : It->second;
  }

  std::vector<const Function *> Fns;
  DenseMap<const Function *, unsigned> Index;
  std::vector<FunctionFacts> Facts;
};

/// Records what one instruction of a function contributes: a read or a call
/// edge to a function of \p MF (\p Seen keeps each callee once; no edges
/// without \p MF). For the cleaned-up clones, small and walked anyway, and
/// for checking; scanUses and scanOtherCall find the same in a module.
void scanInstruction(const Instruction &I, FunctionFacts &Facts,
                     SmallPtrSetImpl<const Function *> &Seen,
                     const ModuleFacts *MF) {
  const auto *CB = dyn_cast<CallBase>(&I);
  if (!CB)
    return;
  FieldMask Read = launchFieldsReadByCall(*CB);
  if (!Read.empty()) {
    Facts.addRead(*CB, Read);
    return;
  }
  if (CB->isInlineAsm())
    return;
  const Value *Target = CB->getCalledOperand()->stripPointerCasts();
  if (const auto *Callee = dyn_cast<Function>(Target)) {
    if (MF && !Callee->isIntrinsic() && Seen.insert(Callee).second)
      Facts.Callees.push_back(MF->Index.lookup(Callee));
    return;
  }
  // A call through a pointer or an alias: anything address-taken.
  Facts.CallsIndirect = true;
}

/// Walks \p F once: reads, and call edges to the functions of \p MF.
void scanBody(const Function &F, FunctionFacts &Facts,
              const ModuleFacts *MF) {
  SmallPtrSet<const Function *, 8> Seen;
  for (const Instruction &I : instructions(F))
    scanInstruction(I, Facts, Seen, MF);
}

/// A call scanUses found: a read (Read set) or an edge to the function
/// Callee, in the function Caller (both indices into ModuleFacts::Fns).
struct FoundCall {
  unsigned Caller;
  unsigned Callee;
  const CallBase *Read;
  FieldMask Fields;
};

/// Lists in \p Found the calls of \p G, found through its uses, for the
/// functions that make them (recordCalls records them): the calls
/// scanInstruction records,
///  - of a register's intrinsic: reads, where G itself is the callee with
///    G's type (what getCalledFunction() accepts);
///  - of another intrinsic: nothing;
///  - of any other function: call edges, where the callee is G or a value
///    stripPointerCasts() takes to G (casts, zero GEPs, calls returning their
///    argument), followed from G through its users.
/// Uses lead to the calls alone: at a million instructions the bodies are
/// hundreds of MB, and a walk that read every call's callee and looked it
/// up paid a cache miss for each; the walk left (scanOtherCall) reads the
/// kind of each instruction, and the callee only of calls that are not of
/// a function.
void scanUses(const Function &G, unsigned GIndex, const ModuleFacts &MF,
              std::vector<FoundCall> &Found) {
  if (G.isIntrinsic()) {
    FieldMask Fields = launchFieldsOfIntrinsic(G);
    if (Fields.empty())
      return;
    for (const Use &U : G.uses()) {
      const auto *CB = dyn_cast<CallBase>(U.getUser());
      if (!CB || !CB->isCallee(&U) ||
          CB->getFunctionType() != G.getFunctionType())
        continue;
      if (unsigned Caller = MF.indexOf(*CB); Caller != ModuleFacts::None)
        Found.push_back({Caller, ModuleFacts::None, CB, Fields});
    }
    return;
  }
  SmallVector<const Value *, 4> Work = {&G};
  SmallPtrSet<const Value *, 4> Seen = {&G};
  while (!Work.empty()) {
    const Value *V = Work.pop_back_val();
    for (const Use &U : V->uses()) {
      const User *Usr = U.getUser();
      if (const auto *CB = dyn_cast<CallBase>(Usr); CB && CB->isCallee(&U)) {
        if (unsigned Caller = MF.indexOf(*CB); Caller != ModuleFacts::None)
          Found.push_back({Caller, GIndex, nullptr, FieldMask()});
        continue;
      }
      if (Usr->getType()->isPointerTy() && Usr->stripPointerCasts() == &G &&
          Seen.insert(Usr).second)
        Work.push_back(Usr);
    }
  }
}

/// Records scanUses's finds in the callers' facts, in the order found:
/// reads, and each callee once per caller (all of one callee's edges come
/// together, so comparing with the caller's last callee suffices).
void recordCalls(ModuleFacts &MF, ArrayRef<FoundCall> Found) {
  for (const FoundCall &C : Found) {
    FunctionFacts &Caller = MF.Facts[C.Caller];
    if (C.Read) {
      Caller.addRead(*C.Read, C.Fields);
    } else if (Caller.LastCallee != C.Callee) {
      Caller.LastCallee = C.Callee;
      Caller.Callees.push_back(C.Callee);
    }
  }
}

/// Records what the uses of functions cannot show about \p I, a call whose
/// callee is not a function: inline PTX that names launch registers, or a
/// call through a value that does not strip to a function (an alias, a
/// loaded pointer). A module's inline asm values cannot be listed (LLVM
/// keeps them in the context, out of reach), so finding these takes a walk.
void scanOtherCall(const Instruction &I, FunctionFacts &Facts) {
  const auto *CB = dyn_cast<CallBase>(&I);
  if (!CB)
    return;
  const Value *Callee = CB->getCalledOperand();
  if (isa<Function>(Callee))
    return;
  if (const auto *IA = dyn_cast<InlineAsm>(Callee)) {
    FieldMask Read = launchFieldsInPTX(IA->getAsmString());
    if (!Read.empty())
      Facts.addRead(*CB, Read);
    return;
  }
  if (!isa<Function>(Callee->stripPointerCasts()))
    Facts.CallsIndirect = true;
}

/// Runs scanOtherCall over the bodies of the functions MF.Fns[Begin, End),
/// several at a time, one instruction of each in turn. Walking a body is a
/// chain of dependent loads (each instruction leads to the next); once a
/// module outgrows the caches each is a miss, and one chain leaves the
/// memory system idle while it waits. Interleaved chains overlap their
/// misses.
void scanBodies(ModuleFacts &MF, size_t Begin, size_t End) {
  constexpr unsigned Lanes = 16;
  struct Lane {
    FunctionFacts *Facts = nullptr;
    Function::const_iterator Block, BlockEnd;
    const Instruction *I = nullptr;
  };
  Lane L[Lanes];
  size_t Next = Begin;
  // Moves a lane to its next instruction: in the block, the next block, or
  // the next function; false when nothing is left.
  auto Advance = [&](Lane &A) {
    if (A.I)
      A.I = A.I->getNextNode();
    while (!A.I) {
      if (A.Facts && A.Block != A.BlockEnd && ++A.Block != A.BlockEnd) {
        A.I = A.Block->empty() ? nullptr : &A.Block->front();
        continue;
      }
      if (Next == End) {
        A.Facts = nullptr;
        return false;
      }
      const Function *F = MF.Fns[Next];
      A.Facts = &MF.Facts[Next++];
      A.Block = F->begin();
      A.BlockEnd = F->end();
      A.I = A.Block == A.BlockEnd || A.Block->empty() ? nullptr
                                                      : &A.Block->front();
      if (A.Block == A.BlockEnd)
        A.Facts = nullptr; // No body: take the next function.
    }
    return true;
  };
  unsigned Active = 0;
  for (Lane &A : L)
    Active += Advance(A);
  while (Active) {
    for (Lane &A : L) {
      if (!A.I)
        continue;
      scanOtherCall(*A.I, *A.Facts);
      if (!Advance(A))
        --Active;
    }
  }
}

#ifndef NDEBUG
/// Whether \p Found, what the uses and the walk found in \p F, is what one
/// walk with scanInstruction finds (callees and reading calls in any order).
bool sameAsScan(const Function &F, const FunctionFacts &Found,
                const ModuleFacts &MF) {
  FunctionFacts Walked;
  scanBody(F, Walked, &MF);
  auto Sorted = [](const auto &Range) {
    SmallVector<std::decay_t<decltype(*Range.begin())>, 8> V(Range.begin(),
                                                             Range.end());
    llvm::sort(V);
    return V;
  };
  return Walked.Read == Found.Read && Walked.Reads == Found.Reads &&
         Walked.CallsIndirect == Found.CallsIndirect &&
         Sorted(Walked.Callees) == Sorted(Found.Callees) &&
         Sorted(Walked.ReadCalls) == Sorted(Found.ReadCalls);
}
#endif

/// Reads the frontend mark of \p F, if any.
void readMark(const Function &F, FunctionFacts &Facts,
              std::vector<std::string> &Problems) {
  Attribute A = F.getFnAttribute(SensitiveAttr);
  if (!A.isValid())
    return;
  Facts.HasMark = true;
  if (!A.isStringAttribute()) {
    Facts.Marked = FieldMask::all();
    return;
  }
  Expected<FieldMask> Mask = parseFieldList(A.getValueAsString());
  if (!Mask) {
    Problems.push_back(("function '" + F.getName() + "': attribute \"" +
                        SensitiveAttr + "\"=\"" + A.getValueAsString() +
                        "\": " + toString(Mask.takeError()) +
                        "; treated as 'all'")
                           .str());
    Facts.Marked = FieldMask::all();
    return;
  }
  Facts.Marked = *Mask;
}

/// Models inline PTX that only moves special registers as the equivalent
/// intrinsic calls, so the cleanup can drop it when the outputs are dead
/// (numba-cuda reads %dynamic_smem_size this way with `asm sideeffect` and
/// often never uses it).
bool modelPureMoves(CallInst &CI) {
  return replacePureMoveAsm(CI, [](IRBuilderBase &B, const SpecialRegister &R) {
    return emitRegisterRead(B, R);
  });
}

/// Cleans up the functions in \p Reading, clones of them in a scratch
/// module or, with \p InPlace (\p M itself, the caller's to change), the
/// functions themselves, and rescans them; on return MF.of(*F).Read holds
/// only the reads that survived. Call edges are left as found in the
/// original (conservative); the facts' ReadCalls of a function cleaned in
/// place are stale after it.
void discardDeadReads(const Module &M, Module *InPlace, ModuleFacts &MF,
                      ArrayRef<const Function *> Reading,
                      LaunchSensitivity::Counts &Stats) {
  ValueToValueMapTy VMap;
  std::unique_ptr<Module> Scratch;
  if (!InPlace) {
    SmallPtrSet<const GlobalValue *, 16> ToClone(Reading.begin(),
                                                  Reading.end());
    Scratch = CloneModule(M, VMap, [&](const GlobalValue *GV) {
      return ToClone.contains(GV);
    });
  }

  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PassBuilder PB;
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);

  FunctionPassManager FPM;
  FPM.addPass(SROAPass(SROAOptions::ModifyCFG));
  FPM.addPass(EarlyCSEPass(/*UseMemorySSA=*/false));
  FPM.addPass(InstCombinePass());
  FPM.addPass(SimplifyCFGPass());
  FPM.addPass(SROAPass(SROAOptions::ModifyCFG));
  FPM.addPass(InstCombinePass());
  FPM.addPass(ADCEPass());
  FPM.addPass(SimplifyCFGPass());

  for (const Function *F : Reading) {
    // In place, F is InPlace's own function: changing it is the caller's
    // request.
    auto *Clone = InPlace ? const_cast<Function *>(F) : cast<Function>(VMap[F]);
    SmallVector<CallInst *, 8> AsmCalls;
    for (Instruction &I : instructions(*Clone))
      if (auto *CI = dyn_cast<CallInst>(&I); CI && CI->isInlineAsm())
        AsmCalls.push_back(CI);
    for (CallInst *CI : AsmCalls)
      modelPureMoves(*CI);
    FPM.run(*Clone, FAM);
    ++Stats.CleanedFunctions;
    ++NumCleaned;

    FunctionFacts After;
    scanBody(*Clone, After, nullptr);
    FunctionFacts &Before = MF.of(*F);
    // Reads only disappear in the cleanup, and callees are kept from the
    // original, so intersecting keeps the result sound.
    Before.Read = Before.Read & After.Read;
    Stats.DeadReads += Before.Reads - std::min(Before.Reads, After.Reads);
  }
}

/// The call graph over the module's functions plus one node standing for
/// "any address-taken function", summarised: successors in one array, the
/// callees, then the indirect node for a call through a pointer; the
/// indirect node's are the address-taken functions.
CallGraphSummary summarise(const ModuleFacts &MF) {
  unsigned Indirect = MF.Fns.size();
  std::vector<unsigned> First, Succs, AddressTaken;
  std::vector<Summary> Own(Indirect + 1);
  First.reserve(Indirect + 2);
  for (unsigned N = 0; N != Indirect; ++N) {
    const FunctionFacts &FF = MF.Facts[N];
    Own[N] = {FF.Read | FF.Marked, FF.Marked, FF.HasMark};
    First.push_back(Succs.size());
    Succs.insert(Succs.end(), FF.Callees.begin(), FF.Callees.end());
    if (FF.CallsIndirect)
      Succs.push_back(Indirect);
    if (FF.AddressTaken)
      AddressTaken.push_back(N);
  }
  First.push_back(Succs.size());
  Succs.insert(Succs.end(), AddressTaken.begin(), AddressTaken.end());
  First.push_back(Succs.size());
  return CallGraphSummary(std::move(First), std::move(Succs), std::move(Own));
}

/// Marks the functions a call through a pointer may reach, where any
/// function makes such a call (else what the indirect node reaches is no
/// one's concern, and hasAddressTaken, which walks every use of every
/// function, need not run). Taken from the module as the scan saw it,
/// before any cleanup in place: SROA can turn a call through a stored
/// pointer into a direct call and leave the callee's address untaken,
/// while the caller's edges are the original's (a call through a pointer,
/// no edge to the callee).
void markAddressTaken(ModuleFacts &MF) {
  if (none_of(MF.Facts,
              [](const FunctionFacts &FF) { return FF.CallsIndirect; }))
    return;
  for (unsigned N = 0, E = MF.Fns.size(); N != E; ++N)
    MF.Facts[N].AddressTaken = MF.Fns[N]->hasAddressTaken(
        nullptr, /*IgnoreCallbackUses=*/false,
        /*IgnoreAssumeLikeCalls=*/true, /*IgnoreLLVMUsed=*/true);
}

} // namespace

LaunchSensitivity computeLaunchSensitivity(const Module &M,
                                           const SensitivityOptions &Opts) {
  assert((!Opts.CleanUpInPlace || Opts.CleanUpInPlace == &M) &&
         "the cleanup in place runs on the module analysed");
  LaunchSensitivity Result;
  ModuleFacts MF(M, Opts.Threads);
  /// The functions that read launch registers (indices into MF.Fns).
  std::vector<unsigned> Reading;

  // Past a few thousand functions the walks are memory-bound (each body
  // is a chain of cache misses): several threads overlap more of them.
  // Each chunk reads the IR and writes only its own functions' facts and
  // its own lists, which are then taken in order.
  size_t NumFns = MF.Fns.size();
  unsigned Threads = walkThreads(Opts.Threads, NumFns);
  std::vector<std::vector<std::string>> ChunkProblems(Threads);
  std::vector<std::vector<FoundCall>> ChunkCalls(Threads);
  inChunks(NumFns, Threads, [&](unsigned Chunk, size_t Begin, size_t End) {
    for (size_t N = Begin; N != End; ++N) {
      const Function &F = *MF.Fns[N];
      FunctionFacts &FF = MF.Facts[N];
      FF.IsDeclaration = F.isDeclaration();
      FF.IsKernel = isKernel(F);
      readMark(F, FF, ChunkProblems[Chunk]);
      scanUses(F, N, MF, ChunkCalls[Chunk]);
    }
  });
  for (unsigned C = 0; C != Threads; ++C) {
    Result.Problems.insert(Result.Problems.end(), ChunkProblems[C].begin(),
                           ChunkProblems[C].end());
    recordCalls(MF, ChunkCalls[C]);
  }
  ChunkCalls.clear();
  inChunks(NumFns, Threads, [&](unsigned, size_t Begin, size_t End) {
    scanBodies(MF, Begin, End);
  });
  markAddressTaken(MF);
  for (unsigned N = 0, E = MF.Fns.size(); N != E; ++N) {
    if (MF.Facts[N].IsDeclaration)
      continue;
    assert(sameAsScan(*MF.Fns[N], MF.Facts[N], MF) &&
           "the uses and the walk find what scanInstruction finds");
    ++Result.Stats.Functions;
    Result.Stats.Reads += MF.Facts[N].Reads;
    if (MF.Facts[N].Reads)
      Reading.push_back(N);
  }
  NumReads += Result.Stats.Reads;

  if (Opts.DiscardDeadReads && !Reading.empty()) {
    // The liveness walk settles most functions (in chunks: it only reads
    // the IR; the outcomes are counted in order after); the cleanup takes
    // only the rest.
    enum Outcome : uint8_t { Reused, Settled, Unsettle };
    std::vector<Outcome> Outcomes(Reading.size());
    std::vector<unsigned> Dead(Reading.size(), 0);
    inChunks(Reading.size(), walkThreads(Opts.Threads, Reading.size()),
             [&](unsigned, size_t Begin, size_t End) {
               for (size_t I = Begin; I != End; ++I) {
                 const Function *F = MF.Fns[Reading[I]];
                 FunctionFacts &FF = MF.Facts[Reading[I]];
                 if (Opts.KnownLiveReads && F->hasName()) {
                   auto Known = Opts.KnownLiveReads->find(F->getName());
                   if (Known != Opts.KnownLiveReads->end()) {
                     FF.Read = FF.Read & Known->second;
                     Outcomes[I] = Reused;
                     continue;
                   }
                 }
                 if (std::optional<FieldMask> Live =
                         ReadLiveness(*F).settle(FF.ReadCalls, Dead[I])) {
                   FF.Read = FF.Read & *Live;
                   Outcomes[I] = Settled;
                   continue;
                 }
                 Outcomes[I] = Unsettle;
               }
             });
    SmallVector<const Function *, 16> Unsettled;
    for (size_t I = 0; I != Reading.size(); ++I) {
      if (Outcomes[I] == Reused) {
        ++Result.Stats.ReusedFunctions;
      } else if (Outcomes[I] == Settled) {
        Result.Stats.DeadReads += Dead[I];
        ++Result.Stats.SettledFunctions;
        ++NumSettled;
      } else {
        Unsettled.push_back(MF.Fns[Reading[I]]);
      }
    }
    if (!Unsettled.empty())
      discardDeadReads(M, Opts.CleanUpInPlace, MF, Unsettled, Result.Stats);
  }
  NumDeadReads += Result.Stats.DeadReads;
  // By function: the names are looked up only if asked for (liveReads).
  Result.LiveReads.reserve(Reading.size());
  for (unsigned N : Reading)
    Result.LiveReads.push_back({MF.Fns[N], MF.Facts[N].Read});

  CallGraphSummary Graph = summarise(MF);
  // The functions the analysis started with: a cleanup in place may have
  // declared intrinsics since (modelPureMoves).
  Result.FunctionFields.resize(MF.Fns.size());
  for (unsigned N = 0, E = MF.Fns.size(); N != E; ++N) {
    const Function &F = *MF.Fns[N];
    const Summary &S = Graph.of(N);
    Result.FunctionFields[N] = S.Fields;
    if (!MF.Facts[N].IsKernel || MF.Facts[N].IsDeclaration)
      continue;
    KernelSensitivity K;
    K.Kernel = &F;
    K.Fields = S.Fields;
    K.MarkedFields = S.Marked;
    K.Explicit = S.Explicit;
    Result.KernelIndex[&F] = Result.Kernels.size();
    Result.Kernels.push_back(K);
  }
  Result.FunctionIndex = std::move(MF.Index);
  NumKernels += Result.Kernels.size();
  return Result;
}

const KernelSensitivity *
LaunchSensitivity::lookup(const Function &Kernel) const {
  auto It = KernelIndex.find(&Kernel);
  return It == KernelIndex.end() ? nullptr : &Kernels[It->second];
}

StringMap<FieldMask> LaunchSensitivity::liveReads() const {
  StringMap<FieldMask> ByName;
  for (const auto &[F, Fields] : LiveReads)
    if (F->hasName())
      ByName[F->getName()] = Fields;
  return ByName;
}

FieldMask LaunchSensitivity::fieldsOf(const Function &F) const {
  auto It = FunctionIndex.find(&F);
  return It == FunctionIndex.end() ? FieldMask() : FunctionFields[It->second];
}

bool LaunchSensitivity::invalidate(Module &, const PreservedAnalyses &PA,
                                   ModuleAnalysisManager::Invalidator &) {
  auto PAC = PA.getChecker<LaunchSensitivityAnalysis>();
  return !PAC.preserved() && !PAC.preservedSet<AllAnalysesOn<Module>>();
}

LaunchSensitivity LaunchSensitivityAnalysis::run(Module &M,
                                                 ModuleAnalysisManager &) {
  return computeLaunchSensitivity(M);
}

} // namespace lcs
