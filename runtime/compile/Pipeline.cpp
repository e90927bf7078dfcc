//===- Pipeline.cpp - The one compile pipeline ----------------------------===//
//
// See Pipeline.h. The order of the stages is fixed here and nowhere else.
//
//===----------------------------------------------------------------------===//

#include "lcs/compile/Pipeline.h"

#include "lcs/Specialize.h"
#include "lcs/compile/CodeGen.h"
#include "lcs/compile/TargetCheck.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>

using namespace llvm;

namespace lcs {

Expected<LaunchSensitivity> specializeProgram(Module &M,
                                              const PipelineOptions &O) {
  if (!O.Kernel.empty())
    if (Error E = keepOnlyKernel(M, O.Kernel,
                                 O.Links.empty() ? KeepFunctions::Reached
                                                 : KeepFunctions::Exported))
      return E;
  // Optimised code: the dead-read cleanup's work is the optimiser's first,
  // done once on the module itself. -O0 keeps the code as it came.
  SensitivityOptions Analysis = O.Analysis;
  if (O.OptLevel > 0)
    Analysis.CleanUpInPlace = &M;
  LaunchSensitivity LS = computeLaunchSensitivity(M, Analysis);
  if (!O.Config.givenFields().empty()) {
    Expected<std::vector<SpecializedKernel>> Done =
        specializeModule(M, O.Config, LS);
    if (!Done)
      return Done.takeError();
  }
  return LS;
}

Expected<PipelineOutput> generateCode(Module &M, const PipelineOptions &O) {
  if (!O.Links.empty() && O.Emit != EmitKind::Cubin)
    return createStringError(
        inconvertibleErrorCode(),
        "link inputs are linked by nvJitLink into a cubin; %s code "
        "cannot hold them (emit a cubin)",
        O.Emit == EmitKind::IR ? "IR" : "PTX");
  Expected<TargetMachine &> TM = threadTargetMachine(O.Arch, O.OptLevel);
  if (!TM)
    return TM.takeError();
  PipelineOutput Out;
  auto Start = std::chrono::steady_clock::now();
  // The time since the last lap, in nanoseconds.
  auto Lap = [&Start] {
    auto Now = std::chrono::steady_clock::now();
    double Ns = std::chrono::duration<double, std::nano>(Now - Start).count();
    Start = Now;
    return Ns;
  };
  if (!O.Kernel.empty())
    if (const Function *K = M.getFunction(O.Kernel))
      for (auto [Attr, Name] : {std::pair{"nvvm.reqntid", "reqntid"},
                                {"nvvm.maxntid", "maxntid"},
                                {"nvvm.cluster_dim", "cluster"}}) {
        Attribute A = K->getFnAttribute(Attr);
        if (A.isStringAttribute() && !A.getValueAsString().empty())
          Out.Bounds[Name] = A.getValueAsString().str();
      }
  // The backend's machine and pipeline are made while the optimiser runs.
  std::future<std::unique_ptr<PTXEmitter>> Ahead;
  if (O.Emit != EmitKind::IR)
    Ahead = PTXEmitter::makeAhead(O.Arch, O.OptLevel);
  Error Prepared = prepareForCodeGen(M, *TM, O.OptLevel);
  // Taken before anything can fork (the target probe).
  std::unique_ptr<PTXEmitter> Emitter = Ahead.valid() ? Ahead.get() : nullptr;
  if (Prepared)
    return std::move(Prepared);
  Out.Times.Prepare = Lap();
  if (O.Emit == EmitKind::IR) {
    raw_string_ostream OS(Out.Code);
    OS << M;
    OS.flush();
    Out.Times.Emit = Lap();
    return Out;
  }
  // After preparing: lowering, libdevice and the optimiser change which
  // intrinsics are there. The emitter carries lcs's PTX version.
  Expected<unsigned> Version = choosePTXVersion(M, O.Arch);
  if (!Version)
    return Version.takeError();
  if (!Emitter || !Emitter->fits(O.Arch, O.OptLevel, *Version)) {
    Expected<std::unique_ptr<PTXEmitter>> Made =
        PTXEmitter::make(O.Arch, O.OptLevel, *Version);
    if (!Made)
      return Made.takeError();
    Emitter = std::move(*Made);
  }
  std::string PTX = Emitter->emit(M);
  Emitter.reset();
  Out.Times.Emit = Lap();
  if (O.Emit == EmitKind::PTX) {
    Out.Code = std::move(PTX);
    return Out;
  }
  Expected<std::string> Cubin =
      O.Links.empty() ? assemblePTX(PTX, O.Arch, O.OptLevel, O.Kernel)
                      : linkCubin(PTX, O.Links, O.Arch, O.OptLevel, O.Kernel);
  if (!Cubin)
    return Cubin.takeError();
  Out.Code = std::move(*Cubin);
  Out.Times.Assemble = Lap();
  return Out;
}

Expected<PipelineOutput> runPipeline(Module &M, const PipelineOptions &O) {
  Expected<LaunchSensitivity> LS = specializeProgram(M, O);
  if (!LS)
    return LS.takeError();
  return generateCode(M, O);
}

} // namespace lcs
