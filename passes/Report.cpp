//===- Report.cpp - Sensitivity reports for tools and frontends -----------===//
//
// See Report.h for the formats.
//
//===----------------------------------------------------------------------===//

#include "lcs/Report.h"
#include "lcs/Specialize.h"

#include "llvm/IR/Function.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace lcs {

static void writeJSON(raw_ostream &OS,
                      ArrayRef<const KernelSensitivity *> Kernels,
                      const LaunchConfig *Config) {
  json::OStream J(OS, /*IndentSize=*/2);
  J.object([&] {
    J.attributeArray("kernels", [&] {
      for (const KernelSensitivity *K : Kernels)
        J.object([&] {
          J.attribute("name", K->Kernel->getName());
          J.attributeArray("depends_on", [&] {
            for (Field F : K->Fields.fields())
              J.value(fieldName(F));
          });
          J.attribute("explicit", K->Explicit);
          if (!Config)
            return;
          FieldMask Used = specializationGroups(*K, *Config);
          J.attributeObject("specialized_on", [&] {
            auto Dims = [&](StringRef Key, const Dim3 &D) {
              J.attributeArray(Key, [&] {
                for (uint32_t V : D)
                  J.value(int64_t(V));
              });
            };
            for (FieldGroup G : Used.groups()) {
              if (G == FieldGroup::Block)
                Dims("block", *Config->Block);
              else if (G == FieldGroup::Grid)
                Dims("grid", *Config->Grid);
              else if (G == FieldGroup::Cluster && Config->Cluster)
                Dims("cluster", *Config->Cluster);
              else if (G == FieldGroup::Cluster)
                J.attribute("cluster", "none");
              else
                J.attribute("smem", int64_t(*Config->Smem));
            }
          });
        });
    });
  });
  OS << "\n";
}

static void writeText(raw_ostream &OS,
                      ArrayRef<const KernelSensitivity *> Kernels,
                      const LaunchConfig *Config) {
  size_t Width = 6;
  for (const KernelSensitivity *K : Kernels)
    Width = std::max(Width, K->Kernel->getName().size());
  OS << left_justify("kernel", Width) << "  explicit  depends on";
  OS << (Config ? "  | specialized on\n" : "\n");
  for (const KernelSensitivity *K : Kernels) {
    std::string Fields =
        K->Fields.empty() ? std::string("-") : K->Fields.str(" ");
    OS << left_justify(K->Kernel->getName(), Width) << "  "
       << left_justify(K->Explicit ? "yes" : "no", 8) << "  ";
    if (!Config) {
      OS << Fields << "\n";
      continue;
    }
    std::string Used = Config->str(specializationGroups(*K, *Config));
    OS << Fields << "  | " << (Used.empty() ? "-" : Used) << "\n";
  }
}

void writeReport(raw_ostream &OS, ArrayRef<const KernelSensitivity *> Kernels,
                 ReportFormat Format, const LaunchConfig *Config) {
  if (Format == ReportFormat::JSON)
    writeJSON(OS, Kernels, Config);
  else
    writeText(OS, Kernels, Config);
}

void printSensitivity(raw_ostream &OS, const LaunchSensitivity &LS) {
  SmallVector<const KernelSensitivity *, 8> All;
  for (const KernelSensitivity &K : LS.kernels())
    All.push_back(&K);
  OS << "lcs-sensitivity: " << All.size()
     << (All.size() == 1 ? " kernel\n" : " kernels\n");
  writeReport(OS, All, ReportFormat::Text);
  for (const std::string &P : LS.problems())
    OS << "warning: " << P << "\n";
}

PreservedAnalyses
LaunchSensitivityPrinterPass::run(Module &M, ModuleAnalysisManager &MAM) {
  printSensitivity(OS, MAM.getResult<LaunchSensitivityAnalysis>(M));
  return PreservedAnalyses::all();
}

} // namespace lcs
