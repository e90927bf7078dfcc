//===- Bench.h - What lcs-bench's commands share ----------------*- C++ -*-===//
///
/// \file
/// The command-line options, the JSON-lines output and its summaries, the
/// runtime over the real driver, and one entry point per command
/// (lcs-bench.cpp: analysis, launch, containment and main; Compile.cpp:
/// compile and compile-cpu; Specialize.cpp: specialize).
///
//===----------------------------------------------------------------------===//

#ifndef LCS_BENCH_BENCH_H
#define LCS_BENCH_BENCH_H

#include "BenchDriver.h"

#include "lcs/Runtime.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace lcs::bench {

using Clock = std::chrono::steady_clock;
double ns(Clock::duration D);

/// Median and 10th/90th percentiles.
struct Summary {
  double Median, P10, P90;
};
Summary summarize(std::vector<double> V);

/// The numba-cuda corpus kernels the compile benchmarks time.
extern const char *const CompileKernels[4];

/// --name=value, or \p Default.
std::string opt(const std::string &Name, const std::string &Default);
int optInt(const std::string &Name, int Default);

/// Where results go (--out, else stdout), one JSON object a line.
std::FILE *out();
void emit(const std::string &Json);
std::string jnum(double V);
std::string jsum(const Summary &S);

std::string readFile(const std::string &Path);
/// Prints "lcs-bench: error: Msg"; returns 1.
int fail(const std::string &Msg);

/// A runtime over the real driver, whose context is made current so that
/// the raw baselines share it.
struct Env {
  const Cuda *C = nullptr;
  std::unique_ptr<Runtime> RT;
};
/// \p PrestartWorker: RuntimeOptions::PrestartWorker (false where the
/// process never compiles with lcs, so no worker competes with what it
/// times); \p Driver: RuntimeOptions::Driver (null: the CUDA driver).
Status openEnv(Env &E, const std::string &CacheDir,
               bool PrestartWorker = true,
               const DriverTable *Driver = nullptr);
const Cuda *openRuntime(std::unique_ptr<Runtime> &RT, std::string &Error);

// The commands; \p Self is this program's path (children are run from it).
int benchAnalysis();
int benchLaunch();
int benchContainment();
int benchCompile(const std::string &Self);
int benchCompileChild();
int benchNvvmChild();
int benchCompileCpu(const std::string &Self);
int benchLcsCpuChild();
int benchCompilePhases();
int benchSpecialize();

} // namespace lcs::bench

#endif
