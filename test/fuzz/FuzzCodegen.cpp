//===- FuzzCodegen.cpp - Fuzz IR through the whole pipeline to PTX --------===//
//
// Any bytes read as IR text; a module that loads and passes lcs's program
// check goes through the one pipeline (runPipeline: analysis, the NVVM
// dialect, libdevice, the -O3 pipeline, the target check, the NVPTX
// backend) to PTX for sm_90. A clear error is the right answer for most
// inputs; a crash, hang, out-of-memory or sanitizer report is a finding.
// This keeps true what issue 12 asks of lcs-compile: no IR, however
// hostile, reaches code generation with something the backend aborts on
// that lcs could have rejected with a message.
//
// The target check forks a child per batch of unanswered intrinsic probes
// and requires a single-threaded caller. libFuzzer runs the input on its
// main thread; its only other thread (the RSS watcher of -rss_limit_mb)
// sleeps between getrusage calls and holds no lock a child could inherit.
// A probe child resets the fatal signals to their defaults and leaves with
// _exit, so libFuzzer's crash and exit callbacks never run in it and a
// rejected probe is not mistaken for a finding. Timers (-timeout) are not
// inherited across fork. Probe answers stay in memory: the fuzzer writes
// nothing outside its corpus and artifact directories.
//
// Bitcode is skipped (FuzzInput.h says why).
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.h"

#include "lcs/compile/Pipeline.h"
#include "lcs/compile/TargetCheck.h"


using namespace llvm;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  lcs::setProbeCacheDir("");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  LLVMContext Ctx;
  std::unique_ptr<Module> M = lcs::fuzz::loadFuzzInput(Data, Size, Ctx);
  if (!M)
    return 0;
  lcs::PipelineOptions O;
  O.Arch = "sm_90";
  O.Emit = lcs::EmitKind::PTX;
  Expected<lcs::PipelineOutput> Out = lcs::runPipeline(*M, O);
  if (!Out)
    consumeError(Out.takeError());
  return 0;
}
