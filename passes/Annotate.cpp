//===- Annotate.cpp - lcs-annotate: record kernel sensitivity -------------===//
//
// Glue only: the analysis computes, Metadata.cpp writes.
//
//===----------------------------------------------------------------------===//

#include "lcs/Annotate.h"
#include "lcs/LaunchSensitivity.h"
#include "lcs/Metadata.h"

#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

#define DEBUG_TYPE "lcs-annotate"

using namespace llvm;

namespace lcs {

PreservedAnalyses AnnotatePass::run(Module &M, ModuleAnalysisManager &MAM) {
  const LaunchSensitivity &LS = MAM.getResult<LaunchSensitivityAnalysis>(M);
  for (const std::string &P : LS.problems())
    M.getContext().diagnose(
        DiagnosticInfoGeneric(Twine("lcs-annotate: ") + P, DS_Warning));
  if (!writeKernelMetadata(M, LS))
    return PreservedAnalyses::all();
  // Only named metadata changed: no instruction, CFG or attribute did, so
  // the sensitivity result and CFG analyses stay valid.
  PreservedAnalyses PA;
  PA.preserve<LaunchSensitivityAnalysis>();
  PA.preserveSet<CFGAnalyses>();
  return PA;
}

} // namespace lcs
