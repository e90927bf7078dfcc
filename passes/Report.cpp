//===- Report.cpp - Sensitivity reports for tools and frontends -----------===//
//
// See Report.h for the formats.
//
//===----------------------------------------------------------------------===//

#include "lcs/Report.h"

#include "llvm/IR/Function.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace lcs {

static void writeJSON(raw_ostream &OS,
                      ArrayRef<const KernelSensitivity *> Kernels) {
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
        });
    });
  });
  OS << "\n";
}

static void writeText(raw_ostream &OS,
                      ArrayRef<const KernelSensitivity *> Kernels) {
  size_t Width = 6;
  for (const KernelSensitivity *K : Kernels)
    Width = std::max(Width, K->Kernel->getName().size());
  OS << left_justify("kernel", Width) << "  explicit  depends on\n";
  for (const KernelSensitivity *K : Kernels)
    OS << left_justify(K->Kernel->getName(), Width) << "  "
       << left_justify(K->Explicit ? "yes" : "no", 8) << "  "
       << (K->Fields.empty() ? std::string("-") : K->Fields.str(" ")) << "\n";
}

void writeReport(raw_ostream &OS, ArrayRef<const KernelSensitivity *> Kernels,
                 ReportFormat Format) {
  if (Format == ReportFormat::JSON)
    writeJSON(OS, Kernels);
  else
    writeText(OS, Kernels);
}

} // namespace lcs
