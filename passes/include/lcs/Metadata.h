//===- Metadata.h - The !lcs.kernels contract -------------------*- C++ -*-===//
///
/// \file
/// The module metadata lcs-annotate writes and later stages (specialisation,
/// the runtime, frontends) read. docs/metadata.md is the reference.
///
///   !lcs.kernels = !{!0, !1}
///   !0 = !{ptr @kernel_a, !"block.x", !"grid.x"}   ; fields, canonical order
///   !1 = !{ptr @kernel_b}                           ; depends on nothing
///   !2 = !{ptr @kernel_c, !"block.x", !"explicit"}  ; marked by a frontend
///
/// One node per kernel, in module order. Writing replaces any earlier
/// !lcs.kernels, so re-running the annotation never leaves stale entries.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_METADATA_H
#define LCS_METADATA_H

#include "lcs/Fields.h"

#include "llvm/Support/Error.h"

#include <vector>

namespace llvm {
class Function;
class Module;
} // namespace llvm

namespace lcs {

class LaunchSensitivity;

/// The name of the module-level named metadata.
inline constexpr const char *KernelsMetadataName = "lcs.kernels";
/// The string that follows the fields of an explicitly marked kernel.
inline constexpr const char *ExplicitTag = "explicit";

/// One entry of !lcs.kernels.
struct KernelRecord {
  llvm::Function *Kernel = nullptr;
  FieldMask Fields;
  bool Explicit = false;
};

/// Replaces !lcs.kernels in \p M with the result \p LS. Returns true if the
/// module changed (the new metadata differs from what was there).
bool writeKernelMetadata(llvm::Module &M, const LaunchSensitivity &LS);

/// Reads !lcs.kernels. An absent node gives an empty list; a malformed one
/// gives an error naming the entry and what is wrong with it.
llvm::Expected<std::vector<KernelRecord>>
readKernelMetadata(const llvm::Module &M);

} // namespace lcs

#endif // LCS_METADATA_H
