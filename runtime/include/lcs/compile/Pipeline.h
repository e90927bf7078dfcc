//===- Pipeline.h - The one compile pipeline --------------------*- C++ -*-===//
///
/// \file
/// From a loaded, verified program to code, in the one order every driver
/// uses (lcs-compile, the variant compiler, lcs-bench), as `opt` drives
/// runPassPipeline:
///
///   select    keep only the kernel asked for and what it reaches
///             (optional); without link inputs other device functions go
///             and the kept ones become internal, with link inputs every
///             exported function stays (an input may call it); global
///             variables always stay
///   analyse   launch sensitivity of what is left
///   specialise on the given groups each kernel depends on (optional)
///   prepare   NVVM dialect, libdevice, -O pipeline
///   emit      IR text, PTX, or a cubin (linked with the link inputs by
///             nvJitLink when there are any: they imply a cubin)
///
/// Parsing and linking (ModuleInput.h) and caching (VariantCompiler.h) stay
/// with the callers: a pipeline run neither reads files nor touches a cache.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_COMPILE_PIPELINE_H
#define LCS_COMPILE_PIPELINE_H

#include "lcs/LaunchConfig.h"
#include "lcs/LaunchSensitivity.h"
#include "lcs/compile/LinkInput.h"

#include "llvm/Support/Error.h"

#include <map>
#include <optional>
#include <string>

namespace llvm {
class Module;
} // namespace llvm

namespace lcs {

/// What a pipeline run produces.
enum class EmitKind { IR, PTX, Cubin };

struct PipelineOptions {
  /// Non-empty: the program is reduced to this kernel and what it reaches.
  std::string Kernel;
  /// The groups to specialise on, with their values; an empty configuration
  /// gives generic code.
  LaunchConfig Config;
  std::string Arch = "sm_90";
  unsigned OptLevel = 3;
  EmitKind Emit = EmitKind::PTX;
  SensitivityOptions Analysis;
  /// Device code linked into the cubin (checked, see LinkInput.h); needs
  /// Emit == Cubin and Kernel.
  std::vector<LinkInput> Links;
};

/// The code of one run and what it found on the way.
struct PipelineOutput {
  std::string Code;
  /// Launch bounds of the selected kernel after specialisation, as the
  /// variant's metadata spells them ("reqntid", "maxntid", "cluster": "XxYxZ"
  /// text from the kernel's attributes); empty without a selected kernel.
  std::map<std::string, std::string> Bounds;
  /// Wall time of generateCode's stages, in nanoseconds: preparing (the
  /// NVVM dialect, libdevice, the -O pipeline), emitting PTX (or IR text),
  /// assembling or linking the cubin (zero without one). lcs-bench
  /// compile-phases reports them.
  struct StageTimes {
    double Prepare = 0, Emit = 0, Assemble = 0;
  } Times;
};

/// Selects, analyses and specialises \p M in place. \returns the analysis of
/// \p M before specialisation (what lcs-compile reports).
llvm::Expected<LaunchSensitivity> specializeProgram(llvm::Module &M,
                                                   const PipelineOptions &O);

/// Prepares \p M (already specialised) and emits its code.
llvm::Expected<PipelineOutput> generateCode(llvm::Module &M,
                                            const PipelineOptions &O);

/// The whole pipeline: specializeProgram, then generateCode.
llvm::Expected<PipelineOutput> runPipeline(llvm::Module &M,
                                           const PipelineOptions &O);

} // namespace lcs

#endif // LCS_COMPILE_PIPELINE_H
