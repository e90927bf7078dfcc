//===- lcs-worker.cpp - The compile worker process ------------------------===//
///
/// \file
/// Started by the runtime's worker pool (compile/Worker.h), never by hand:
/// reads requests from the socket on --fd=N, runs them with the in-process
/// compiler, writes one reply each, and exits when the socket closes. A
/// failure that LLVM reports as an error is a reply; one that ends this
/// process (a fatal error, an abort, a crash) is seen by the pool, which
/// names it to the caller. Single-threaded in lcs's own code whenever it
/// forks (see TargetCheck): the assembler's warm-up thread is joined
/// before any fork (CodeGen.h says which thread the driver library keeps),
/// and the analysis' walks of large modules on several threads
/// (SensitivityOptions::Threads) are joined before the analysis returns.
///
/// Test hooks: with LCS_WORKER_TEST_HOOKS=1 in the environment, building a
/// kernel named lcs_test_fatal, lcs_test_abort or lcs_test_null calls
/// report_fatal_error, abort() or writes through a null pointer, so tests
/// can prove containment against a release build of LLVM that hostile IR
/// alone may no longer crash.
///
//===----------------------------------------------------------------------===//

#include "lcs/compile/CodeGen.h"
#include "lcs/compile/InProcess.h"
#include "lcs/compile/Worker.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/TargetSelect.h"

#include <cstdlib>
#include <cstring>
#include <string>

using namespace llvm;

namespace {

void runTestHook(const std::string &Kernel) {
  static const bool Enabled = [] {
    const char *V = std::getenv("LCS_WORKER_TEST_HOOKS");
    return V && std::strcmp(V, "1") == 0;
  }();
  if (!Enabled)
    return;
  if (Kernel == "lcs_test_fatal")
    report_fatal_error("lcs test hook: report_fatal_error");
  if (Kernel == "lcs_test_abort")
    std::abort();
  if (Kernel == "lcs_test_null") {
    volatile int *Null = nullptr;
    *Null = 1;
  }
}

lcs::worker::Reply handle(const std::string &Body) {
  using namespace lcs;
  worker::Reply R;
  uint8_t Op;
  worker::Sources Inputs;
  worker::BuildJob Job;
  if (!worker::decodeRequest(Body, Op, Inputs, Job)) {
    R.Message = "the compile worker received a malformed request";
    return R;
  }
  InProcessBackend &Here = inProcessBackend();
  Status S;
  if (Op == worker::OpAnalyse) {
    std::vector<cache::KernelRecord> Records;
    if (!(S = Here.analyse(Inputs, Records)))
      R.Payload = cache::encodeRecord(Records);
  } else if (Op == worker::OpPrepare) {
    std::vector<cache::KernelRecord> Records;
    std::shared_ptr<const worker::Prepared> Program;
    if (!(S = Here.prepare(Inputs, Records, Program)))
      R.Payload = worker::encodePrepared(
          Records, Program ? *Program : worker::Prepared());
  } else if (Op == worker::OpInspect) {
    S = Here.inspect(Inputs, R.Payload);
  } else {
    runTestHook(Job.Kernel.Name);
    cache::Variant V;
    if (!(S = Here.build(Job, V)))
      R.Payload = cache::encodeVariant(V);
  }
  R.Ok = S.isOk();
  R.Message = S.message();
  return R;
}

} // namespace

int main(int argc, char **argv) {
  int Fd = -1;
  for (int I = 1; I != argc; ++I)
    if (std::strncmp(argv[I], "--fd=", 5) == 0)
      Fd = std::atoi(argv[I] + 5);
  if (Fd < 0) {
    std::fprintf(stderr, "lcs-worker: started by the lcs runtime only "
                         "(--fd=N missing)\n");
    return 2;
  }
  // Meanwhile the first request's parsing and code generation run.
  // LCS_WORKER_NO_WARM_UP=1: without it (lcs-bench compile-cpu's A/B).
  if (!std::getenv("LCS_WORKER_NO_WARM_UP"))
    lcs::startAssemblerWarmUp();
  std::string Body;
  int Exit = 0;
  while (lcs::worker::readFrame(Fd, Body))
    if (!lcs::worker::writeFrame(Fd, lcs::worker::encodeReply(handle(Body)))) {
      Exit = 1;
      break;
    }
  // Not exit() with the warm-up inside nvJitLink: the static destructors
  // and library finalisers would run under it.
  lcs::finishAssemblerWarmUp();
  return Exit;
}
