//===- Failures.h - Which failures a runtime remembers ----------*- C++ -*-===//
///
/// \file
/// Internal (not installed). A failure that the same input would produce
/// again is remembered for the process (per variant; per configuration for
/// a generated kernel's discovery) and returned as is, same code and
/// message, by later launches instead of compiling again; nothing failed is
/// ever cached as good. A failure that may not recur is retried by the next
/// launch. docs/reliability.md has the failure model.
///
/// Deterministic (remembered):
///   - LCS_ERROR_COMPILE from LLVM: bad IR, a target check, a verifier or
///     code-generation error the worker reports;
///   - the compile worker crashing on the input (a signal other than
///     SIGKILL) or exiting with a status (LLVM's report_fatal_error):
///     the same input in a fresh worker would do the same;
///   - a generator's failure, or its IR lacking the kernel;
///   - LCS_ERROR_INVALID_CONFIG at load: the variant's code requires another
///     block than the one it is keyed on.
/// Transient (retried):
///   - LCS_ERROR_DRIVER: loading, finding the function, the context;
///   - the worker not starting (not found, spawn failure, no descriptors),
///     lost, killed from outside (SIGKILL, SIGTERM: the OOM killer, an
///     operator), or stopped at the time limit (LCS_COMPILE_TIMEOUT): a less
///     loaded machine may finish it.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CORE_FAILURES_H
#define LCS_CORE_FAILURES_H

#include "lcs/lcs.h"

#include <string>

namespace lcs::core {

/// Whether a compile failure with the worker's or LLVM's own message
/// \p Raw (before the runtime puts the kernel's name in front) may not
/// recur. The phrases are the worker pool's (lcs/compile/Worker.h).
inline bool transientCompileMessage(const std::string &Raw) {
  auto Starts = [&](const char *P) { return Raw.rfind(P, 0) == 0; };
  return Starts("the compile took longer than") ||
         Starts("starting the compile worker") ||
         Starts("the compile worker lcs-worker was not found") ||
         Starts("the compile worker was lost") ||
         Starts("the compile worker crashed (SIGKILL)") ||
         Starts("the compile worker crashed (signal 15)"); // SIGTERM
}

/// Whether a failed compile or load with \p Code is remembered; \p Raw as
/// for transientCompileMessage().
inline bool rememberFailure(lcs_status_t Code, const std::string &Raw) {
  switch (Code) {
  case LCS_ERROR_COMPILE:
    return !transientCompileMessage(Raw);
  case LCS_ERROR_INVALID_CONFIG:
    return true;
  default:
    return false;
  }
}

} // namespace lcs::core

#endif // LCS_CORE_FAILURES_H
