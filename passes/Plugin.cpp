//===- Plugin.cpp - Registering lcs passes with a PassBuilder -------------===//
//
// The only place passes are registered; driven by Passes.def.
//
//===----------------------------------------------------------------------===//

#include "lcs/Plugin.h"
#include "lcs/Annotate.h"
#include "lcs/LaunchSensitivity.h"
#include "lcs/NVVMDialect.h"
#include "lcs/NoWrap.h"
#include "lcs/Report.h"
#include "lcs/Specialize.h"

#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;

namespace lcs {

void registerLCSPasses(PassBuilder &PB) {
  // Class names to pipeline names, so -print-pipeline-passes round-trips.
  if (PassInstrumentationCallbacks *PIC = PB.getPassInstrumentationCallbacks()) {
#define LCS_MODULE_PASS(NAME, CREATE)                                          \
  PIC->addClassToPassName(decltype(CREATE)::name(), NAME);
#define LCS_MODULE_ANALYSIS(NAME, CREATE)                                      \
  PIC->addClassToPassName(decltype(CREATE)::name(), NAME);
#define LCS_MODULE_PASS_WITH_PARAMS(NAME, CLASS, CREATE, PARSER)               \
  PIC->addClassToPassName(CLASS::name(), NAME);
#include "lcs/Passes.def"
  }

  PB.registerAnalysisRegistrationCallback([](ModuleAnalysisManager &MAM) {
#define LCS_MODULE_ANALYSIS(NAME, CREATE) MAM.registerPass([] { return CREATE; });
#include "lcs/Passes.def"
  });

  PB.registerPipelineParsingCallback(
      [](StringRef Name, ModulePassManager &MPM,
         ArrayRef<PassBuilder::PipelineElement>) {
#define LCS_MODULE_PASS(NAME, CREATE)                                          \
  if (Name == NAME) {                                                          \
    MPM.addPass(CREATE);                                                       \
    return true;                                                               \
  }
#define LCS_MODULE_ANALYSIS(NAME, CREATE)                                      \
  if (Name == "require<" NAME ">") {                                           \
    MPM.addPass(RequireAnalysisPass<                                           \
                std::remove_reference_t<decltype(CREATE)>, Module>());         \
    return true;                                                               \
  }                                                                            \
  if (Name == "invalidate<" NAME ">") {                                        \
    MPM.addPass(InvalidateAnalysisPass<                                        \
                std::remove_reference_t<decltype(CREATE)>>());                 \
    return true;                                                               \
  }
#define LCS_MODULE_PASS_WITH_PARAMS(NAME, CLASS, CREATE, PARSER)               \
  if (PassBuilder::checkParametrizedPassName(Name, NAME)) {                    \
    auto Params = PassBuilder::parsePassParameters(PARSER, Name, NAME);        \
    if (!Params) {                                                             \
      errs() << NAME << ": " << toString(Params.takeError()) << "\n";          \
      return false;                                                            \
    }                                                                          \
    MPM.addPass(CREATE(std::move(*Params)));                                   \
    return true;                                                               \
  }
#include "lcs/Passes.def"
        return false;
      });

  // In clang's default pipelines, annotate NVPTX modules once optimisation
  // is done, so the metadata describes the code that is emitted.
  PB.registerOptimizerLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel, ThinOrFullLTOPhase) {
        struct AnnotateIfNVPTX : PassInfoMixin<AnnotateIfNVPTX> {
          PreservedAnalyses run(Module &M, ModuleAnalysisManager &MAM) {
            if (!M.getTargetTriple().isNVPTX())
              return PreservedAnalyses::all();
            return AnnotatePass().run(M, MAM);
          }
          static StringRef name() { return "lcs-annotate"; }
        };
        MPM.addPass(AnnotateIfNVPTX());
      });
}

} // namespace lcs

PassPluginLibraryInfo getLCSPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "LCSPasses", lcs::Version,
          lcs::registerLCSPasses};
}
