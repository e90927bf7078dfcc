//===- Specialize.h - lcs-specialize: fold launch fields --------*- C++ -*-===//
///
/// \file
/// Turns generic kernels into the kernels a compile-time-constant build would
/// give for one launch configuration.
///
/// For each selected kernel, with G = the groups (block, grid, cluster, smem)
/// the kernel depends on that the configuration gives values for:
///  - reads of registers in G are replaced by constants in the kernel and in
///    every function it reaches directly; a reached function that another
///    kernel also reaches, or whose address is taken, is cloned first, so
///    other kernels and indirect calls keep the generic code;
///  - derived registers fold too (%nclusterid = grid / cluster,
///    %cluster_nctarank, %is_explicit_cluster), and so does inline PTX that
///    only moves such registers into its outputs;
///  - launch bounds: "nvvm.reqntid" from block (an existing compatible
///    "nvvm.maxntid" is dropped), "nvvm.cluster_dim" from cluster;
///  - ranges on the reads that remain: tid in [0, block), laneid in
///    [0, min(32, threads)), ctaid in [0, grid), cluster ctaid/ctarank.
///
/// Soundness rule: a variant depends only on G. Groups the kernel does not
/// depend on are neither folded nor used for bounds or ranges.
///
/// %total_smem_size and %aggr_smem_size include static shared memory, which
/// is known only after code generation; they are not folded.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_SPECIALIZE_H
#define LCS_SPECIALIZE_H

#include "lcs/LaunchConfig.h"

#include "llvm/IR/PassManager.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace lcs {

class LaunchSensitivity;
struct KernelSensitivity;

/// What was done to one kernel.
struct SpecializedKernel {
  const llvm::Function *Kernel = nullptr;
  /// The groups used (whole groups, canonical field order).
  FieldMask Groups;
  unsigned FoldedReads = 0;
  unsigned ClonedFunctions = 0;
};

/// The default target when neither the configuration nor the module says.
inline constexpr const char *DefaultArch = "sm_90";

/// The groups \p K is specialised on under \p Config: the whole groups it
/// depends on that the configuration gives values for (the soundness rule).
FieldMask specializationGroups(FieldMask Fields, const LaunchConfig &Config);
FieldMask specializationGroups(const KernelSensitivity &K,
                               const LaunchConfig &Config);

/// Everything specializeModule() checks (target, limits, kernel name, the
/// kernels' own launch bounds), without changing \p M.
llvm::Error checkSpecialization(const llvm::Module &M,
                                const LaunchConfig &Config,
                                const LaunchSensitivity &LS);

/// Specialises \p M for \p Config. \p LS must describe \p M as it is. On
/// error the module is unchanged and the error names the kernel and field.
llvm::Expected<std::vector<SpecializedKernel>>
specializeModule(llvm::Module &M, const LaunchConfig &Config,
                 const LaunchSensitivity &LS);

/// `lcs-specialize<block=XxYxZ;grid=...;cluster=...;smem=N;kernel=NAME>`.
class SpecializePass : public llvm::PassInfoMixin<SpecializePass> {
public:
  explicit SpecializePass(LaunchConfig Config) : Config(std::move(Config)) {}
  llvm::PreservedAnalyses run(llvm::Module &M,
                              llvm::ModuleAnalysisManager &MAM);
  void printPipeline(llvm::raw_ostream &OS,
                     llvm::function_ref<llvm::StringRef(llvm::StringRef)>
                         MapClassName2PassName);
  static bool isRequired() { return true; }

private:
  LaunchConfig Config;
};

} // namespace lcs

#endif // LCS_SPECIALIZE_H
