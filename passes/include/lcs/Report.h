//===- Report.h - Sensitivity reports for tools and frontends ---*- C++ -*-===//
///
/// \file
/// The report `lcs-compile --emit=report` prints. JSON (the default) is the
/// format programs read and is stable:
///
///   {"kernels": [{"name": "<symbol>", "depends_on": ["block.x", ...],
///                 "explicit": false,
///                 "specialized_on": {"block": [128, 1, 1]}}, ...]}
///
/// "specialized_on" appears only when a configuration was given: the groups
/// used under the soundness rule (whole groups the kernel depends on that
/// the configuration gives), with their values.
///
/// Fields are in canonical order; kernels in module order. The text format
/// is a table for people.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_REPORT_H
#define LCS_REPORT_H

#include "lcs/LaunchConfig.h"
#include "lcs/LaunchSensitivity.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/IR/PassManager.h"

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace lcs {

enum class ReportFormat { JSON, Text };

/// Writes the report for \p Kernels (a subset of an analysis result, in
/// order) to \p OS. With a configuration, each kernel also gets the groups
/// it was specialised on and their values ("specialized_on"; "cluster" is
/// "none" for an explicit no-cluster launch).
void writeReport(llvm::raw_ostream &OS,
                 llvm::ArrayRef<const KernelSensitivity *> Kernels,
                 ReportFormat Format, const LaunchConfig *Config = nullptr);

/// The text report of every kernel of \p LS and its problems, as
/// `print<lcs-sensitivity>` prints it.
void printSensitivity(llvm::raw_ostream &OS, const LaunchSensitivity &LS);

/// `print<lcs-sensitivity>`: prints the analysis result.
class LaunchSensitivityPrinterPass
    : public llvm::PassInfoMixin<LaunchSensitivityPrinterPass> {
public:
  explicit LaunchSensitivityPrinterPass(llvm::raw_ostream &OS) : OS(OS) {}
  llvm::PreservedAnalyses run(llvm::Module &M,
                              llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }

private:
  llvm::raw_ostream &OS;
};

} // namespace lcs

#endif // LCS_REPORT_H
