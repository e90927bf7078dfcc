//===- NoWrap.cpp - lcs-infer-nowrap: no-wrap flags from value ranges -----===//
//
// See NoWrap.h.
//
//===----------------------------------------------------------------------===//

#include "lcs/NoWrap.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/IR/ConstantRange.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

#define DEBUG_TYPE "lcs-infer-nowrap"

using namespace llvm;

STATISTIC(NumNUW, "Additions given nuw");
STATISTIC(NumNSW, "Additions given nsw");

namespace lcs {

namespace {
/// Sets the flags the operands' ranges prove on the additions in \p F's
/// loops. \returns whether any flag was set.
bool inferInFunction(Function &F, LoopInfo &LI, ScalarEvolution &SE) {
  bool Changed = false;
  for (BasicBlock &BB : F) {
    if (!LI.getLoopFor(&BB))
      continue;
    for (Instruction &I : BB) {
      auto *BO = dyn_cast<BinaryOperator>(&I);
      if (!BO || BO->getOpcode() != Instruction::Add ||
          !BO->getType()->isIntegerTy() ||
          (BO->hasNoUnsignedWrap() && BO->hasNoSignedWrap()))
        continue;
      const SCEV *L = SE.getSCEV(BO->getOperand(0));
      const SCEV *R = SE.getSCEV(BO->getOperand(1));
      constexpr auto Never = ConstantRange::OverflowResult::NeverOverflows;
      if (!BO->hasNoUnsignedWrap() &&
          SE.getUnsignedRange(L).unsignedAddMayOverflow(
              SE.getUnsignedRange(R)) == Never) {
        BO->setHasNoUnsignedWrap(true);
        ++NumNUW;
        Changed = true;
      }
      if (!BO->hasNoSignedWrap() &&
          SE.getSignedRange(L).signedAddMayOverflow(SE.getSignedRange(R)) ==
              Never) {
        BO->setHasNoSignedWrap(true);
        ++NumNSW;
        Changed = true;
      }
    }
  }
  return Changed;
}
} // namespace

PreservedAnalyses InferNoWrapPass::run(Module &M, ModuleAnalysisManager &MAM) {
  FunctionAnalysisManager &FAM =
      MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();
  bool Changed = false;
  for (Function &F : M) {
    if (F.isDeclaration())
      continue;
    LoopInfo &LI = FAM.getResult<LoopAnalysis>(F);
    if (LI.empty())
      continue;
    if (!inferInFunction(F, LI, FAM.getResult<ScalarEvolutionAnalysis>(F)))
      continue;
    Changed = true;
    // Flags change what scalar evolution may conclude; the CFG stays.
    PreservedAnalyses PA;
    PA.preserveSet<CFGAnalyses>();
    FAM.invalidate(F, PA);
  }
  if (!Changed)
    return PreservedAnalyses::all();
  PreservedAnalyses PA;
  PA.preserveSet<CFGAnalyses>();
  return PA;
}

} // namespace lcs
