//===- TargetCheck.cpp - Intrinsics against the target, PTX version -------===//
//
// See TargetCheck.h. Here: the target table (CUDA 13's targets as LLVM
// knows them, their PTX versions) and the check of a module's intrinsic
// calls. The answers come from TargetProbe.cpp, which compiles each probe
// in a forked child.
//
//===----------------------------------------------------------------------===//

#include "lcs/compile/TargetCheck.h"
#include "TargetProbe.h"

#include "lcs/LaunchConfig.h"
#include "lcs/compile/CodeGen.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>

using namespace llvm;

namespace lcs {

using namespace probe;

namespace {

/// CUDA 13's targets (ptxas --help, "Allowed values"): LLVM 22 also knows
/// sm_101*, which CUDA 13 renamed sm_110*, and targets older than sm_75.
constexpr const char *Cuda13Targets[] = {
    "sm_75",   "sm_80",   "sm_86",  "sm_87",   "sm_88",   "sm_89",
    "sm_90",   "sm_90a",  "sm_100", "sm_100a", "sm_100f", "sm_103",
    "sm_103a", "sm_103f", "sm_110", "sm_110a", "sm_110f", "sm_120",
    "sm_120a", "sm_120f", "sm_121", "sm_121a", "sm_121f"};

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

/// "x86" for llvm.x86.sse2.pause.
StringRef targetPrefix(StringRef Name) {
  Name.consume_front("llvm.");
  return Name.split('.').first;
}

std::mutex MinPTXMutex;
std::map<std::string, unsigned> MinPTX;

} // namespace

namespace probe {

std::unique_ptr<TargetMachine> makeTM(StringRef CPU, unsigned PTX,
                                      const TargetOptions &Options,
                                      CodeGenOptLevel Level) {
  std::string Features = PTX ? "+ptx" + std::to_string(PTX) : "";
  return std::unique_ptr<TargetMachine>(
      nvptx().createTargetMachine(Triple("nvptx64-nvidia-cuda"), CPU, Features,
                                  Options, std::nullopt, std::nullopt, Level));
}

bool emitAssembly(TargetMachine &TM, Module &M, SmallVectorImpl<char> &Out) {
  M.setTargetTriple(TM.getTargetTriple());
  M.setDataLayout(TM.createDataLayout());
  raw_svector_ostream OS(Out);
  legacy::PassManager PM;
  if (TM.addPassesToEmitFile(PM, OS, nullptr, CodeGenFileType::AssemblyFile))
    return false;
  PM.run(M);
  return true;
}

} // namespace probe

std::string ptxVersionPolicy() {
  return "lowest-needed max=" + ptxText(MaxPTXVersion) + " " + ProbeSchema;
}

const std::vector<std::string> &knownTargets() {
  static const std::vector<std::string> Targets = [] {
    std::vector<std::string> Out;
    for (const char *T : Cuda13Targets)
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
  std::unique_ptr<TargetMachine> TM =
      makeTM(Arch, 0, TargetOptions(), CodeGenOptLevel::None);
  if (!TM)
    return error("cannot create an NVPTX target machine for " + Arch);
  LLVMContext Ctx;
  Module M("lcs-ptx-version", Ctx);
  SmallString<0> Out;
  if (!emitAssembly(*TM, M, Out))
    return error("the NVPTX backend cannot emit assembly");
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

Expected<std::unique_ptr<TargetMachine>> checkTarget(const Module &M,
                                                     const TargetMachine &TM) {
  Expected<unsigned> PTX = choosePTXVersion(M, TM.getTargetCPU());
  if (!PTX)
    return PTX.takeError();
  std::unique_ptr<TargetMachine> Out =
      makeTM(TM.getTargetCPU(), *PTX, TM.Options, TM.getOptLevel());
  if (!Out)
    return error("cannot create an NVPTX target machine for " +
                 TM.getTargetCPU());
  return Out;
}

std::string archForDevice(int Major, int Minor) {
  std::string Plain = "sm_" + std::to_string(Major * 10 + Minor);
  std::string Specific = Plain + "a";
  for (const char *T : Cuda13Targets)
    if (Specific == T && llvmKnowsCPU(T))
      return Specific;
  return Plain;
}

} // namespace lcs
