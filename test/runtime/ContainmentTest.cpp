//===- ContainmentTest.cpp - Crashes while compiling stay in the worker ---===//
//
// One runtime survives 200 compiles that end the compile worker (a fatal
// error, an abort, a null write: test hooks, since a release build of LLVM
// may not crash on any given module) interleaved with 20 real hostile
// modules, each failing as LCS_ERROR_COMPILE naming the kernel and what
// happened; then a good kernel compiles and launches in the same process.
//
//===----------------------------------------------------------------------===//

#include "FakeDriver.h"

#include "lcs/Runtime.h"
#include "lcs/compile/Worker.h"

#include "gtest/gtest.h"

#include <cstdlib>
#include <thread>

using namespace lcs;
using namespace lcs::test;

namespace {

std::string hookModule(const std::string &Kernel) {
  return "target triple = \"nvptx64-nvidia-cuda\"\n"
         "define ptx_kernel void @" +
         Kernel + "(ptr addrspace(1) %o) {\n  store i32 1, ptr addrspace(1) "
                  "%o\n  ret void\n}\n";
}

/// Modules that stop LLVM 22's NVPTX backend on sm_80 (the fixture's fake
/// device is 8.0: on 9.0 the runtime targets sm_90a, which has the first
/// two): Hopper's arch-specific intrinsics, and another target's.
std::string hostileModule(unsigned I) {
  static const char *Calls[][2] = {
      {"declare void @llvm.nvvm.wgmma.commit_group.sync.aligned()",
       "call void @llvm.nvvm.wgmma.commit_group.sync.aligned()"},
      {"declare void @llvm.nvvm.setmaxnreg.inc.sync.aligned.u32(i32 "
       "immarg)",
       "call void @llvm.nvvm.setmaxnreg.inc.sync.aligned.u32(i32 240)"},
      {"declare void @llvm.x86.sse2.pause()",
       "call void @llvm.x86.sse2.pause()"},
  };
  const char *const *C = Calls[I % 3];
  return std::string("target triple = \"nvptx64-nvidia-cuda\"\n") + C[0] +
         "\ndefine ptx_kernel void @hostile(ptr addrspace(1) %o) {\n  " +
         C[1] + "\n  store i32 " + std::to_string(I) +
         ", ptr addrspace(1) %o\n  ret void\n}\n";
}

LaunchParams launch128() {
  LaunchParams P = {};
  P.grid[0] = P.grid[1] = P.grid[2] = 1;
  P.block[0] = 128;
  P.block[1] = P.block[2] = 1;
  return P;
}

class ContainmentTest : public ::testing::Test {
protected:
  void SetUp() override {
    fakeState().reset();
    fakeState().ComputeMajor[0] = 8;
    ::setenv("LCS_WORKER_TEST_HOOKS", "1", 1);
    RuntimeOptions O;
    O.Driver = fakeDriver();
    O.CacheDir = std::string();
    O.PreferCubin = false;
    O.CompileWorkers = 2;
    Status S = Runtime::create(O, RT);
    ASSERT_TRUE(S.isOk()) << S.message();
  }
  void TearDown() override { ::unsetenv("LCS_WORKER_TEST_HOOKS"); }

  /// Launches the kernel \p Name of \p IR once.
  Status launchOnce(const std::string &IR, const std::string &Name) {
    std::unique_ptr<Program> P;
    if (Status S = RT->createProgram({{"test.ll", IR}}, P))
      return S;
    Kernel *K = nullptr;
    if (Status S = P->getKernel(Name, K))
      return S;
    int Out = 0;
    void *Arg = &Out;
    return K->launch(launch128(), &Arg);
  }

  std::unique_ptr<Runtime> RT;
};

TEST_F(ContainmentTest, TwoHundredCrashesThenAGoodLaunch) {
  static const char *Hooks[] = {"lcs_test_fatal", "lcs_test_abort",
                                "lcs_test_null"};
  // Under a sanitizer the worker's null write ends in the sanitizer's own
  // abort or exit, whose report line names the SEGV: either way the message
  // says the worker died and how.
  static const char *What[] = {"lcs test hook: report_fatal_error",
                               "SIGABRT", "SEGV"};
  unsigned Hostile = 0;
  for (unsigned I = 0; I != 200; ++I) {
    if (I % 10 == 9) {
      Status S = launchOnce(hostileModule(Hostile++), "hostile");
      EXPECT_EQ(S.code(), LCS_ERROR_COMPILE) << S.message();
      EXPECT_NE(S.message().find("kernel 'hostile'"), std::string::npos)
          << S.message();
    }
    Status S = launchOnce(hookModule(Hooks[I % 3]), Hooks[I % 3]);
    EXPECT_EQ(S.code(), LCS_ERROR_COMPILE) << S.message();
    EXPECT_NE(S.message().find(std::string("kernel '") + Hooks[I % 3] + "'"),
              std::string::npos)
        << S.message();
    // A sanitizer build reports the null write itself (its report line
    // names the SEGV; if a long report pushed that line out of the kept
    // tail, the sanitizer's name still says who ended the worker).
    bool Named = S.message().find(What[I % 3]) != std::string::npos ||
                 (I % 3 == 2 &&
                  S.message().find("Sanitizer") != std::string::npos);
    EXPECT_TRUE(Named) << S.message();
  }
  EXPECT_EQ(Hostile, 20u);
  Status S = launchOnce(hookModule("good"), "good");
  EXPECT_TRUE(S.isOk()) << S.message();
  EXPECT_EQ(fakeState().Launches.size(), 1u);
}

TEST_F(ContainmentTest, WaitersOnACrashingVariantGetTheSameError) {
  std::unique_ptr<Program> P;
  ASSERT_TRUE(
      RT->createProgram({{"test.ll", hookModule("lcs_test_abort")}}, P)
          .isOk());
  Kernel *K = nullptr;
  ASSERT_TRUE(P->getKernel("lcs_test_abort", K).isOk());
  std::vector<Status> Results(8);
  std::vector<std::thread> Threads;
  for (unsigned T = 0; T != Results.size(); ++T)
    Threads.emplace_back([&, T] {
      int Out = 0;
      void *Arg = &Out;
      Results[T] = K->launch(launch128(), &Arg);
    });
  for (std::thread &T : Threads)
    T.join();
  for (const Status &S : Results) {
    EXPECT_EQ(S.code(), LCS_ERROR_COMPILE);
    EXPECT_EQ(S.message(), Results[0].message());
  }
  EXPECT_NE(Results[0].message().find("SIGABRT"), std::string::npos)
      << Results[0].message();
  // A crash on the input would recur: it is remembered, not retried.
  EXPECT_EQ(RT->failureCounters().Failed, 1u) << "one compile for all";
  uint64_t Repeated = RT->failureCounters().Repeated;
  int Out = 0;
  void *Arg = &Out;
  Status Again = K->launch(launch128(), &Arg);
  EXPECT_EQ(Again.code(), LCS_ERROR_COMPILE);
  EXPECT_EQ(Again.message(), Results[0].message());
  EXPECT_EQ(RT->failureCounters().Repeated, Repeated + 1);
  EXPECT_EQ(RT->failureCounters().Failed, 1u);
}

} // namespace

namespace {

/// Prestarting a worker: it is the one the next call uses; never more than
/// one idle, never past the bound, never waiting for a busy pool.
TEST(WorkerPool, PrestartedWorkerServesTheNextCall) {
  worker::Pool Pool(1);
  Pool.prestart();
  EXPECT_EQ(Pool.started(), 1u);
  Pool.prestart(); // one is idle already
  EXPECT_EQ(Pool.started(), 1u);
  worker::Sources In = {{"m.ll", hookModule("k")}};
  worker::Reply R = Pool.call(worker::encodeInspect(In));
  EXPECT_TRUE(R.Ok) << R.Message;
  EXPECT_EQ(Pool.started(), 1u) << "the call started a worker of its own";
  // While the only worker is busy, prestarting returns at once.
  std::thread Busy([&] { Pool.call(worker::encodeInspect(In)); });
  Pool.prestart();
  Busy.join();
  EXPECT_EQ(Pool.started(), 1u);
}

/// A prestart that cannot start a worker gives its place back once: the next
/// call tries again and reports why, it does not wait for a worker that
/// never comes (the place was given back twice, and the pool waited).
TEST(WorkerPool, AFailedPrestartLeavesThePoolUsable) {
  ::setenv("LCS_WORKER", "/nonexistent/lcs-worker", 1);
  worker::Pool Pool(1);
  ::unsetenv("LCS_WORKER");
  Pool.prestart();
  Pool.prestart();
  worker::Reply R =
      Pool.call(worker::encodeInspect({{"m.ll", hookModule("k")}}));
  EXPECT_FALSE(R.Ok);
  EXPECT_NE(R.Message.find("/nonexistent/lcs-worker"), std::string::npos)
      << R.Message;
}

} // namespace
