//===- NoWrap.h - lcs-infer-nowrap: no-wrap flags from value ranges -*- C++ -*-===//
///
/// \file
/// Sets nuw/nsw on integer additions in loops where the ranges scalar
/// evolution knows for the operands prove that the addition cannot wrap.
///
/// Why: a compile-time-constant build meets its constants while the loops
/// are still in source form, where the loop test dominates the body and
/// InstCombine proves `base + k` free of carries (an `add nuw nsw` in the
/// end). lcs folds launch fields into code a frontend has already
/// optimised: the loops are rotated, that test no longer dominates the
/// body, and nothing in the -O pipeline derives the flags again, although
/// scalar evolution knows both ranges. Without them the backend cannot
/// widen the index into a pointer induction variable (a mul.wide and an
/// add per iteration more in the block reduction's loop).
///
/// Only facts are added: a flag is set when the unsigned (signed) ranges of
/// both operands cannot overflow, whatever the values in them.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_NOWRAP_H
#define LCS_NOWRAP_H

#include "llvm/IR/PassManager.h"

namespace lcs {

/// The pass, over every function of a module.
class InferNoWrapPass : public llvm::PassInfoMixin<InferNoWrapPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
};

} // namespace lcs

#endif // LCS_NOWRAP_H
