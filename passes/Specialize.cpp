//===- Specialize.cpp - lcs-specialize: fold launch fields ----------------===//
//
// Plan first, change second: every kernel's groups, launch-bound conflicts
// and clones are decided before the module is touched, so an error leaves
// the module as it was.
//
//===----------------------------------------------------------------------===//

#include "lcs/Specialize.h"
#include "lcs/LaunchSensitivity.h"
#include "lcs/SpecialRegisters.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/ConstantRange.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <optional>

#define DEBUG_TYPE "lcs-specialize"

using namespace llvm;

STATISTIC(NumFolded, "Launch-register reads folded to constants");
STATISTIC(NumRanged, "Register reads given a value range");
STATISTIC(NumCloned, "Functions cloned for a specialised kernel");

namespace lcs {

namespace {

Error kernelError(const Function &K, const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(),
                           "kernel '" + K.getName() + "': " + Msg);
}

/// An NVVM dims attribute ("x,y,z", 1 to 3 dims), or nullopt.
std::optional<Dim3> parseAttrDims(const Function &F, StringRef Attr) {
  Attribute A = F.getFnAttribute(Attr);
  if (!A.isStringAttribute())
    return std::nullopt;
  return config::parseRecordDims(A.getValueAsString());
}

std::string attrDims(const Dim3 &D) {
  return (Twine(D[0]) + "," + Twine(D[1]) + "," + Twine(D[2])).str();
}


/// What folds and what is bounded, for one kernel.
class Folder {
public:
  Folder(const LaunchConfig &C, FieldMask Groups)
      : C(C), Groups(Groups), Block(Groups.uses(FieldGroup::Block)),
        Grid(Groups.uses(FieldGroup::Grid)),
        Cluster(Groups.uses(FieldGroup::Cluster)) {}

  /// The constant a register takes, if its groups are used.
  std::optional<uint64_t> constantOf(const SpecialRegister &R) const {
    StringRef N = R.PTXName;
    auto Dim = [&](StringRef Prefix) { return dimOf(N, Prefix); };
    if (int D = Dim("ntid"); D >= 0 && D < 3 && Block)
      return (*C.Block)[D];
    if (int D = Dim("nctaid"); D >= 0 && D < 3 && Grid)
      return (*C.Grid)[D];
    if (int D = Dim("cluster_nctaid"); D >= 0 && D < 3 && Cluster)
      return C.clusterDims()[D];
    if (int D = Dim("nclusterid"); D >= 0 && D < 3 && Grid && Cluster)
      return (*C.Grid)[D] / C.clusterDims()[D];
    if (N == "cluster_nctarank" && Cluster)
      return volume(C.clusterDims());
    if (N == "is_explicit_cluster" && Cluster)
      return C.Cluster.has_value();
    if (N == "dynamic_smem_size" && Groups.uses(FieldGroup::Smem))
      return *C.Smem;
    return std::nullopt;
  }

  /// Exclusive upper bound of a per-thread register, if known.
  std::optional<uint64_t> boundOf(const SpecialRegister &R) const {
    StringRef N = R.PTXName;
    auto Dim = [&](StringRef Prefix) { return dimOf(N, Prefix); };
    if (int D = Dim("tid"); D >= 0 && D < 3 && Block)
      return (*C.Block)[D];
    if (N == "laneid" && Block)
      return std::min<uint64_t>(32, volume(*C.Block));
    if (int D = Dim("ctaid"); D >= 0 && D < 3 && Grid)
      return (*C.Grid)[D];
    if (int D = Dim("cluster_ctaid"); D >= 0 && D < 3 && Cluster)
      return C.clusterDims()[D];
    if (N == "cluster_ctarank" && Cluster)
      return volume(C.clusterDims());
    if (int D = Dim("clusterid"); D >= 0 && D < 3 && Grid && Cluster)
      return (*C.Grid)[D] / C.clusterDims()[D];
    return std::nullopt;
  }

  /// Folds and bounds every read in \p F. Returns the number folded.
  unsigned run(Function &F) {
    unsigned Folded = 0;
    SmallVector<CallInst *, 16> Calls;
    for (Instruction &I : instructions(F))
      if (auto *CI = dyn_cast<CallInst>(&I))
        Calls.push_back(CI);
    for (CallInst *CI : Calls) {
      if (CI->isInlineAsm()) {
        replacePureMoveAsm(*CI, [&](IRBuilderBase &B,
                                    const SpecialRegister &R) -> Value * {
          if (std::optional<uint64_t> V = constantOf(R)) {
            ++Folded;
            return B.getIntN(R.Bits, *V);
          }
          CallInst *Read = emitRegisterRead(B, R);
          bound(*Read, R);
          return Read;
        });
        continue;
      }
      const Function *Callee = CI->getCalledFunction();
      const SpecialRegister *R =
          Callee ? lookupIntrinsicRegister(*Callee) : nullptr;
      if (!R)
        continue;
      if (std::optional<uint64_t> V = constantOf(*R)) {
        CI->replaceAllUsesWith(ConstantInt::get(CI->getType(), *V));
        CI->eraseFromParent();
        ++Folded;
        continue;
      }
      bound(*CI, *R);
    }
    NumFolded += Folded;
    return Folded;
  }

private:
  void bound(CallInst &CI, const SpecialRegister &R) {
    std::optional<uint64_t> Hi = boundOf(R);
    if (!Hi || !CI.getType()->isIntegerTy(32))
      return;
    CI.addRangeRetAttr(ConstantRange(APInt(32, 0), APInt(32, *Hi)));
    ++NumRanged;
  }

  /// 0-2 for "<Prefix>.x/y/z", else -1.
  static int dimOf(StringRef Name, StringRef Prefix) {
    if (!Name.starts_with(Prefix) || Name.size() != Prefix.size() + 2 ||
        Name[Prefix.size()] != '.')
      return -1;
    int D = Name.back() - 'x';
    return D >= 0 && D < 3 ? D : -1;
  }

  const LaunchConfig &C;
  FieldMask Groups;
  bool Block, Grid, Cluster;
};

/// Direct-call successors of \p F that have bodies.
SmallVector<Function *, 8> directCallees(Function &F) {
  SmallVector<Function *, 8> Out;
  SmallPtrSet<Function *, 8> Seen;
  for (Instruction &I : instructions(F))
    if (auto *CB = dyn_cast<CallBase>(&I))
      if (auto *Callee = dyn_cast<Function>(
              CB->getCalledOperand()->stripPointerCasts()))
        if (!Callee->isDeclaration() && Seen.insert(Callee).second)
          Out.push_back(Callee);
  return Out;
}

/// Functions reachable from \p K through direct calls, K first.
SetVector<Function *> reachable(Function &K) {
  SetVector<Function *> Reach;
  Reach.insert(&K);
  for (size_t I = 0; I != Reach.size(); ++I)
    for (Function *C : directCallees(*Reach[I]))
      Reach.insert(C);
  return Reach;
}

/// Checks the configuration against the kernel's own launch requirements
/// (reqntid, maxntid, cluster_dim, maxclusterrank) for the groups used.
Error checkBounds(const Function &K, const LaunchConfig &C, FieldMask Groups) {
  KernelBounds B;
  if (std::optional<Dim3> Req = parseAttrDims(K, "nvvm.reqntid"))
    B.ReqNTid = *Req;
  if (std::optional<Dim3> Max = parseAttrDims(K, "nvvm.maxntid"))
    B.MaxThreads = volume(*Max);
  if (std::optional<Dim3> Req = parseAttrDims(K, "nvvm.cluster_dim"))
    B.ClusterDim = *Req;
  if (Attribute Rank = K.getFnAttribute("nvvm.maxclusterrank");
      Rank.isStringAttribute())
    (void)Rank.getValueAsString().getAsInteger(10, B.MaxClusterRank);
  if (Status S = config::checkBounds(C.restrictedTo(Groups), B))
    return kernelError(K, S.message());
  return Error::success();
}

void writeBounds(Function &K, const LaunchConfig &C, FieldMask Groups) {
  if (Groups.uses(FieldGroup::Block)) {
    // ptxas rejects .maxntid together with .reqntid.
    K.removeFnAttr("nvvm.maxntid");
    K.addFnAttr("nvvm.reqntid", attrDims(*C.Block));
  }
  if (Groups.uses(FieldGroup::Cluster) && C.Cluster)
    K.addFnAttr("nvvm.cluster_dim", attrDims(*C.Cluster));
  K.addFnAttr("lcs.variant", C.str(Groups));
}

} // namespace

FieldMask specializationGroups(FieldMask Fields, const LaunchConfig &C) {
  return Fields.wholeGroups() & C.givenFields();
}

FieldMask specializationGroups(const KernelSensitivity &K,
                               const LaunchConfig &C) {
  return specializationGroups(K.Fields, C);
}

namespace {
/// One kernel to specialise and the groups it is specialised on.
struct Plan {
  Function *Kernel;
  FieldMask Groups;
};

/// Validates \p C for \p M and decides what each kernel gets; changes
/// nothing, so an error leaves the module as it was.
Expected<std::vector<Plan>> plan(const Module &M, const LaunchConfig &C,
                                 const LaunchSensitivity &LS) {
  // The target: the configuration's, else the module's, else the default.
  std::string Arch = C.Arch;
  if (Arch.empty())
    for (const KernelSensitivity &K : LS.kernels())
      if (Attribute A = K.Kernel->getFnAttribute("target-cpu");
          A.isStringAttribute() && A.getValueAsString().starts_with("sm_")) {
        Arch = A.getValueAsString().str();
        break;
      }
  if (Arch.empty())
    Arch = DefaultArch;
  Expected<TargetLimits> T = targetLimits(Arch);
  if (!T)
    return T.takeError();
  if (Error E = validateLaunchConfig(C, *T))
    return E;

  std::vector<const KernelSensitivity *> Selected;
  if (!C.Kernel.empty()) {
    const Function *F = M.getFunction(C.Kernel);
    const KernelSensitivity *K = F ? LS.lookup(*F) : nullptr;
    if (!K)
      return createStringError(inconvertibleErrorCode(),
                               "unknown kernel '" + C.Kernel + "'");
    Selected.push_back(K);
  } else {
    for (const KernelSensitivity &K : LS.kernels())
      Selected.push_back(&K);
  }

  std::vector<Plan> Plans;
  for (const KernelSensitivity *K : Selected) {
    FieldMask Groups = specializationGroups(*K, C);
    if (Error E = checkBounds(*K->Kernel, C, Groups))
      return E;
    Plans.push_back({const_cast<Function *>(K->Kernel), Groups});
  }
  return Plans;
}
} // namespace

Error checkSpecialization(const Module &M, const LaunchConfig &C,
                          const LaunchSensitivity &LS) {
  Expected<std::vector<Plan>> Plans = plan(M, C, LS);
  return Plans ? Error::success() : Plans.takeError();
}

Expected<std::vector<SpecializedKernel>>
specializeModule(Module &M, const LaunchConfig &C,
                 const LaunchSensitivity &LS) {
  Expected<std::vector<Plan>> Plans = plan(M, C, LS);
  if (!Plans)
    return Plans.takeError();

  // How many roots reach each function through direct calls: the kernels,
  // and functions whose address is taken (callable through a pointer from
  // anywhere). A function with more than one root, or whose address is
  // taken, is cloned before folding, so that the other roots keep the
  // generic code.
  DenseMap<Function *, unsigned> Reachers;
  DenseMap<const Function *, SetVector<Function *>> KernelReach;
  for (const KernelSensitivity &K : LS.kernels()) {
    SetVector<Function *> &R = KernelReach[K.Kernel];
    R = reachable(*const_cast<Function *>(K.Kernel));
    for (Function *F : R)
      ++Reachers[F];
  }
  for (Function &F : M)
    if (!F.isDeclaration() && !isKernel(F) &&
        F.hasAddressTaken(nullptr, false, true, true))
      for (Function *G : reachable(F))
        ++Reachers[G];

  std::vector<SpecializedKernel> Result;
  for (const Plan &P : *Plans) {
    SpecializedKernel Out;
    Out.Kernel = P.Kernel;
    Out.Groups = P.Groups;
    if (P.Groups.empty()) {
      Result.push_back(Out);
      continue;
    }
    const SetVector<Function *> &Reach = KernelReach[P.Kernel];
    // Functions to fold for this kernel; clones replace shared originals.
    SmallVector<Function *, 8> Work{P.Kernel};
    ValueToValueMapTy Clones;
    for (Function *F : Reach) {
      if (F == P.Kernel || (LS.fieldsOf(*F) & P.Groups).empty())
        continue;
      bool Shared = Reachers.lookup(F) > 1 || isKernel(*F) ||
                    F->hasAddressTaken(nullptr, false, true, true);
      if (!Shared) {
        Work.push_back(F);
        continue;
      }
      ValueToValueMapTy VMap;
      Function *Copy = CloneFunction(F, VMap);
      Copy->setName(F->getName() + ".lcs." + P.Kernel->getName());
      Copy->setLinkage(GlobalValue::InternalLinkage);
      if (isKernel(*Copy)) // A kernel called as a function: the copy is not.
        Copy->setCallingConv(CallingConv::C);
      Clones[F] = Copy;
      Work.push_back(Copy);
      ++Out.ClonedFunctions;
      ++NumCloned;
    }
    // Point this kernel's code at its clones.
    for (Function *F : Work)
      for (Instruction &I : instructions(*F))
        if (auto *CB = dyn_cast<CallBase>(&I))
          if (auto *Callee = dyn_cast<Function>(
                  CB->getCalledOperand()->stripPointerCasts()))
            if (Value *Copy = Clones.lookup(Callee))
              CB->setCalledOperand(Copy);

    Folder Fold(C, P.Groups);
    for (Function *F : Work)
      Out.FoldedReads += Fold.run(*F);
    writeBounds(*P.Kernel, C, P.Groups);
    Result.push_back(Out);
  }
  return Result;
}

PreservedAnalyses SpecializePass::run(Module &M, ModuleAnalysisManager &MAM) {
  const LaunchSensitivity &LS = MAM.getResult<LaunchSensitivityAnalysis>(M);
  Expected<std::vector<SpecializedKernel>> R = specializeModule(M, Config, LS);
  if (!R) {
    M.getContext().diagnose(DiagnosticInfoGeneric(
        "lcs-specialize: " + toString(R.takeError()), DS_Error));
    return PreservedAnalyses::all();
  }
  bool Changed = any_of(*R, [](const SpecializedKernel &K) {
    return !K.Groups.empty();
  });
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

void SpecializePass::printPipeline(
    raw_ostream &OS, function_ref<StringRef(StringRef)> MapClassName2PassName) {
  OS << MapClassName2PassName(name()) << '<' << Config.str(FieldMask::all());
  if (Config.NonPortableCluster)
    OS << ";nonportable-cluster";
  if (!Config.Kernel.empty())
    OS << ";kernel=" << Config.Kernel;
  if (!Config.Arch.empty())
    OS << ";arch=" << Config.Arch;
  OS << '>';
}

} // namespace lcs
