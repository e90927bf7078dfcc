//===- LaunchSensitivity.h - Which launch fields a kernel depends on -*- C++ -*-===//
///
/// \file
/// The launch-configuration sensitivity analysis: for every kernel (a
/// `ptx_kernel` function) of a module, the launch fields whose values can
/// change what the kernel does.
///
/// A kernel depends on a field when a read of a register for that field can
/// influence its behaviour, in the kernel or in any function it reaches:
///  - calls to `llvm.nvvm.read.ptx.sreg.*` / `llvm.nvvm.is_explicit_cluster`
///    (matched by name);
///  - inline PTX that names such a register;
///  - direct calls, transitively, recursion included; an indirect call
///    reaches every address-taken function;
///  - the frontend mark `"lcs.launch-config-sensitive"="<fields>|all"` on the
///    kernel or on any function (definition or declaration) it reaches.
///
/// Invariant: the analysis is sound. A field the kernel depends on is never
/// missed; where it cannot prove a read dead, the read counts. Declarations
/// without a mark are assumed not to read the launch configuration (libdevice
/// and other linked-in libraries do not); a frontend that links code that
/// does must mark the declaration.
///
/// Dead reads: only functions that read a register are looked at, first by
/// a targeted liveness walk (linear in the function): a read whose value
/// reaches no effect in the reachable blocks is dead; one that reaches an
/// effect the cleanup keeps through operations that keep its information is
/// live. Functions with a read the walk cannot settle either way are cloned
/// into a scratch module, inline PTX that only moves special registers into
/// outputs is modelled as the equivalent intrinsic calls, and the clone is
/// cleaned up with SROA, EarlyCSE, InstCombine, SimplifyCFG and ADCE; a read
/// that survives the cleanup counts. The walk proves no read dead that the
/// cleanup would keep, so the answer is the cleanup's wherever the walk
/// decides. Marks always count.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_LAUNCHSENSITIVITY_H
#define LCS_LAUNCHSENSITIVITY_H

#include "lcs/Fields.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/PassManager.h"

#include <string>
#include <vector>

namespace llvm {
class Function;
class Module;
class raw_ostream;
} // namespace llvm

namespace lcs {

/// The function attribute through which a frontend marks a function as
/// depending on launch fields; its value is a field list or "all".
inline constexpr const char *SensitiveAttr = "lcs.launch-config-sensitive";

/// What one kernel depends on.
struct KernelSensitivity {
  const llvm::Function *Kernel = nullptr;
  /// Every field the kernel depends on, detected or marked.
  FieldMask Fields;
  /// The part of Fields that comes from frontend marks.
  FieldMask MarkedFields;
  /// True if the kernel or a function it reaches carries a mark.
  bool Explicit = false;
};

/// How the analysis runs.
struct SensitivityOptions {
  /// Clean up a clone of the reading functions to discard dead reads. Off,
  /// every read counts: faster and still sound, but not exact.
  bool DiscardDeadReads = true;
  /// Reads that survived dead-read discarding, by function name, from an
  /// earlier run (LaunchSensitivity::liveReads()) on a module in which each
  /// of these functions had the body it has now (the same program, or a
  /// part of it that keepOnlyKernel left: it erases functions and changes
  /// linkage, never a kept body). A named reading function found here is
  /// neither walked nor cleaned up: its reads are these, which is what
  /// discarding would find again, since it looks at the function's body
  /// and the attributes of what it calls only. Used with DiscardDeadReads.
  const llvm::StringMap<FieldMask> *KnownLiveReads = nullptr;
  /// The module analysed, when its caller compiles it next and may have it
  /// changed: the dead-read cleanup then runs on the module's own reading
  /// functions instead of clones. They come out cleaned up (SROA, early
  /// CSE, instcombine, CFG simplification, ADCE; inline PTX that only
  /// moves a special register becomes the intrinsic read), which the
  /// optimiser would do first anyway and then finds done, and no clone is
  /// made. The fields found are the same or fewer (constant globals are
  /// known in place, declarations in a clone); both are sound. Null: the
  /// module is left as it is.
  llvm::Module *CleanUpInPlace = nullptr;
  /// Threads for the walks that only read the IR (the function list, the
  /// bodies' scan, the reads' liveness), each over a contiguous share.
  /// 0: this thread alone below 2048 functions, up to 8 (at most the
  /// hardware's) from there, where the walks are bound by memory latency
  /// and threads overlap more misses; N: N, at most one per 64 functions.
  /// The result does not depend on it.
  unsigned Threads = 0;
};

/// The analysis result for one module.
class LaunchSensitivity {
public:
  /// Kernels in module order.
  llvm::ArrayRef<KernelSensitivity> kernels() const { return Kernels; }

  /// The entry for \p Kernel, or null if it is not a kernel of the module.
  const KernelSensitivity *lookup(const llvm::Function &Kernel) const;

  /// The fields that any function (kernel or not) depends on, itself and
  /// through what it reaches. Empty for functions the analysis never saw.
  FieldMask fieldsOf(const llvm::Function &F) const;

  /// Problems with the input found along the way (a malformed mark, say),
  /// each naming the function. The analysis stays sound regardless: a
  /// malformed mark counts as "all".
  llvm::ArrayRef<std::string> problems() const { return Problems; }

  /// Each named function that reads launch registers, with the fields of
  /// its reads that dead-read discarding kept (all of them when it did not
  /// run): what SensitivityOptions::KnownLiveReads takes. Made on each
  /// call from the functions themselves (the analysis reads no names): the
  /// module must still be there, its reading functions neither renamed
  /// nor erased.
  llvm::StringMap<FieldMask> liveReads() const;


  /// Invalidated unless the analysis or all module analyses are preserved.
  bool invalidate(llvm::Module &M, const llvm::PreservedAnalyses &PA,
                  llvm::ModuleAnalysisManager::Invalidator &Inv);

  /// Statistics of the last run, for reports and benchmarks.
  struct Counts {
    unsigned Functions = 0;    ///< Defined functions scanned.
    unsigned Reads = 0;        ///< Launch-register reads found.
    unsigned SettledFunctions = 0; ///< Functions the liveness walk settled.
    unsigned CleanedFunctions = 0; ///< Functions cloned and cleaned up.
    unsigned DeadReads = 0;    ///< Reads the walk or the cleanup proved dead.
    /// Reading functions whose live reads came from KnownLiveReads.
    unsigned ReusedFunctions = 0;
  };
  const Counts &counts() const { return Stats; }

private:
  friend LaunchSensitivity
  computeLaunchSensitivity(const llvm::Module &M,
                           const SensitivityOptions &Opts);

  std::vector<KernelSensitivity> Kernels;
  llvm::DenseMap<const llvm::Function *, unsigned> KernelIndex;
  /// Each function's index (the analysis' own map, kept) and fields.
  llvm::DenseMap<const llvm::Function *, unsigned> FunctionIndex;
  std::vector<FieldMask> FunctionFields;
  std::vector<std::string> Problems;
  /// Each reading function and its live reads, in module order.
  std::vector<std::pair<const llvm::Function *, FieldMask>> LiveReads;
  Counts Stats;
};

/// Runs the analysis on \p M without a pass manager; \p M is not modified
/// unless Opts.CleanUpInPlace is \p M. Large modules are walked on
/// several threads (Opts.Threads), all joined before this returns.
LaunchSensitivity computeLaunchSensitivity(const llvm::Module &M,
                                           const SensitivityOptions &Opts = {});

/// The analysis as a new-PM module analysis.
class LaunchSensitivityAnalysis
    : public llvm::AnalysisInfoMixin<LaunchSensitivityAnalysis> {
public:
  using Result = LaunchSensitivity;
  Result run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);

private:
  friend llvm::AnalysisInfoMixin<LaunchSensitivityAnalysis>;
  static llvm::AnalysisKey Key;
};

/// True if \p F is a kernel: a function with the `ptx_kernel` calling
/// convention (legacy `nvvm.annotations` kernels are upgraded to it when the
/// module is parsed).
bool isKernel(const llvm::Function &F);

} // namespace lcs

#endif // LCS_LAUNCHSENSITIVITY_H
