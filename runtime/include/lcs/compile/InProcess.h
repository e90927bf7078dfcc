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

namespace lcs {

class InProcessBackend : public CompileBackend {
public:
  Status analyse(const worker::Sources &Inputs,
                 std::vector<cache::KernelRecord> &Out) override;
  Status build(const worker::BuildJob &J, cache::Variant &Out) override;
  Status inspect(const worker::Sources &Inputs, std::string &Out) override;
};

/// One for the process, never destroyed.
InProcessBackend &inProcessBackend();

} // namespace lcs

#endif // LCS_COMPILE_INPROCESS_H
