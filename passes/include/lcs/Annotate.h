//===- Annotate.h - lcs-annotate: record kernel sensitivity -----*- C++ -*-===//
///
/// \file
/// `lcs-annotate` writes the LaunchSensitivity result into !lcs.kernels (see
/// Metadata.h). Problems found by the analysis (malformed marks) are reported
/// as warnings through the module's LLVMContext, naming the function.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_ANNOTATE_H
#define LCS_ANNOTATE_H

#include "llvm/IR/PassManager.h"

namespace lcs {

class AnnotatePass : public llvm::PassInfoMixin<AnnotatePass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M,
                              llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }
};

} // namespace lcs

#endif // LCS_ANNOTATE_H
