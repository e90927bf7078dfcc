//===- InProcess.h - Compiling in this process ------------------*- C++ -*-===//
///
/// \file
/// The CompileBackend (Backend.h) that runs in the calling process, over
/// LLVM: what lcs-worker serves its requests with, what lcs-compile uses
/// (it forks for the target probe, see TargetCheck.h), and what a program
/// that links LCS::compile passes as RuntimeOptions::Compiler to compile
/// without worker processes. Here an LLVM crash ends the caller.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_COMPILE_INPROCESS_H
#define LCS_COMPILE_INPROCESS_H

#include "lcs/compile/Backend.h"

#include <cstdint>

namespace lcs {

/// What the in-process compiles of this process did, since it started
/// (tests and benchmarks: a program is parsed once, its variants reuse the
/// analysis).
struct InProcessStats {
  uint64_t TextParses = 0;   ///< programs read from their inputs
  uint64_t BitcodeLoads = 0; ///< prepared programs loaded by a build
  /// Builds that took the module prepare() left on their thread instead.
  uint64_t ModulesReused = 0;
  /// Reading functions whose dead reads were looked for (liveness walk or
  /// cleanup), and those whose answer was reused from the program's.
  uint64_t DiscardRuns = 0, DiscardReused = 0;
};

class InProcessBackend : public CompileBackend {
public:
  Status analyse(const worker::Sources &Inputs,
                 std::vector<cache::KernelRecord> &Out) override;
  /// Keeps the linked, verified module as bitcode (use-list order kept, so
  /// a build from it matches a build from the sources) and each reading
  /// function's surviving reads. The module itself stays with the thread
  /// (a small one, until its next prepare or build) for the next build of
  /// this program there, which then need not load it.
  Status prepare(const worker::Sources &Inputs,
                 std::vector<cache::KernelRecord> &Out,
                 std::shared_ptr<const worker::Prepared> &Program) override;
  Status build(const worker::BuildJob &J, cache::Variant &Out) override;
  Status inspect(const worker::Sources &Inputs, std::string &Out) override;
};

/// One for the process, never destroyed.
InProcessBackend &inProcessBackend();

/// A snapshot of this process's counts.
InProcessStats inProcessStats();

} // namespace lcs

#endif // LCS_COMPILE_INPROCESS_H
