//===- ContextTest.cpp - Contexts and devices, over the fake driver -------===//
//
// A runtime is bound to the context current at creation, else to a device's
// primary context; every public call (C++ and C, creation and destruction
// included) leaves the calling thread's current context as it found it;
// launches run in the runtime's context, and a hit from a caller already in
// it costs one cuCtxGetCurrent. Devices of different architectures compile
// for their own target and so have different keys.
//
//===----------------------------------------------------------------------===//

#include "FakeDriver.h"
#include "TestSupport.h"

#include "lcs/Runtime.h"

#include "gtest/gtest.h"

#include <cstring>
#include <thread>

using namespace lcs;
using namespace lcs::test;

namespace {

CUcontext current() {
  CUcontext C = nullptr;
  fakeDriver()->CtxGetCurrent(&C);
  return C;
}

/// Runs \p Call and checks that it left the current context as it was;
/// \p What names the call in the failure.
template <typename CallT> auto keeps(const char *What, CallT Call) {
  CUcontext Before = current();
  auto Result = Call();
  EXPECT_EQ(current(), Before) << What << " changed the current context";
  return Result;
}

class ContextTest : public ::testing::Test {
protected:
  void SetUp() override {
    fakeState().reset();
    fakeState().DeviceCount = 2; // 9.0 and 8.0
    fakeDriver()->CtxSetCurrent(nullptr);
  }
  void TearDown() override { fakeDriver()->CtxSetCurrent(nullptr); }
  static RuntimeOptions options(std::optional<int> Device = std::nullopt) {
    RuntimeOptions O;
    O.Driver = fakeDriver();
    O.CacheDir = std::string();
    O.PreferCubin = false;
    O.Device = Device;
    return O;
  }
};

/// Every public call from each of the states a caller may be in: no
/// context, the runtime's, another device's, a context of its own.
TEST_F(ContextTest, NoCallChangesTheCallersContext) {
  const CUcontext States[] = {nullptr, fakePrimaryContext(0),
                              fakePrimaryContext(1), fakeCreateContext(0)};
  for (CUcontext State : States) {
    SCOPED_TRACE(State ? "a context current" : "no context current");
    fakeState().reset();
    fakeState().DeviceCount = 2;
    fakeDriver()->CtxSetCurrent(State);
    for (std::optional<int> Device : {std::optional<int>(), std::optional(1)}) {
      std::unique_ptr<Runtime> R;
      ASSERT_FALSE(keeps("Runtime::create",
                         [&] { return Runtime::create(options(Device), R); }));
      CUcontext Bound = R->context();
      std::unique_ptr<Program> P, G;
      ASSERT_FALSE(keeps("createProgram", [&] {
        return R->createProgram({{"m.ll", BlockDimKernel}}, P);
      }));
      ASSERT_FALSE(keeps("createProgram (generator)", [&] {
        return R->createProgram(
            "ctx-gen",
            [](const std::string &, Generated &Out) {
              Out.IR = BlockDimKernel;
              return Status::ok();
            },
            G);
      }));
      Kernel *K = nullptr, *GK = nullptr;
      ASSERT_FALSE(keeps("getKernel", [&] { return P->getKernel("k", K); }));
      ASSERT_FALSE(keeps("getKernel", [&] { return G->getKernel("k", GK); }));
      keeps("kernels", [&] { return P->kernels(); });
      keeps("setPolicy", [&] {
        K->setPolicy({LCS_GROUP_BLOCK, 8});
        R->setDefaultPolicy({LCS_GROUP_BLOCK, 8});
        return 0;
      });
      for (int I = 0; I != 2; ++I) { // a compile and load, then a hit
        EXPECT_FALSE(keeps(
            "launch", [&] { return K->launch(launchOf(1, 64), nullptr); }));
        EXPECT_FALSE(keeps("launch (generated)", [&] {
          return GK->launch(launchOf(1, 64), nullptr);
        }));
      }
      EXPECT_TRUE(keeps("launch (invalid)",
                        [&] { return K->launch(launchOf(1, 4096), nullptr); }));
      lcs_sensitivity_t S;
      EXPECT_FALSE(keeps("sensitivity", [&] { return K->sensitivity(S); }));
      keeps("variants", [&] { return K->variants(); });
      VariantInfo V;
      EXPECT_FALSE(keeps("variantFor",
                         [&] { return K->variantFor(launchOf(1, 64), V); }));
      keeps("counters", [&] { return R->counters(); });
      keeps("failureCounters", [&] { return R->failureCounters(); });
      CUdeviceptr Mem = 0;
      int Host = 7;
      EXPECT_FALSE(keeps("allocate", [&] { return R->allocate(4, Mem); }));
      EXPECT_FALSE(keeps("copyToDevice", [&] {
        return R->copyToDevice(Mem, &Host, sizeof Host);
      }));
      EXPECT_FALSE(keeps("fill", [&] { return R->fill(Mem, 0, 4); }));
      EXPECT_FALSE(keeps("copyToHost", [&] {
        return R->copyToHost(&Host, Mem, sizeof Host);
      }));
      EXPECT_FALSE(keeps("synchronize", [&] { return R->synchronize(); }));
      EXPECT_FALSE(keeps("deallocate", [&] { return R->deallocate(Mem); }));
      keeps("Program destruction", [&] {
        P.reset();
        G.reset();
        return 0;
      });
      keeps("Runtime destruction", [&] {
        R.reset();
        return 0;
      });
      // Every launch ran in the runtime's context; every module was
      // unloaded in it.
      for (const FakeLaunch &L : fakeState().Launches)
        EXPECT_EQ(L.Ctx, Bound);
      for (const FakeState::Unload &U : fakeState().Unloads)
        EXPECT_EQ(U.Current, Bound);
      EXPECT_FALSE(fakeState().Unloads.empty());
      fakeState().Launches.clear();
      fakeState().Unloads.clear();
    }
    EXPECT_EQ(fakeState().PrimaryRetains.load(),
              fakeState().PrimaryReleases.load());
  }
}

TEST_F(ContextTest, TheCApiLeavesTheCallersContextToo) {
  for (CUcontext State : {CUcontext(nullptr), fakePrimaryContext(1)}) {
    fakeState().reset();
    fakeState().DeviceCount = 2;
    fakeDriver()->CtxSetCurrent(State);
    lcs_runtime_t RT = nullptr;
    ASSERT_FALSE(
        keeps("create", [&] { return createCRuntime(options(0), RT); }));
    lcs_module_t M = {"m.ll", BlockDimKernel, std::strlen(BlockDimKernel)};
    lcs_program_t P = nullptr;
    lcs_kernel_t K = nullptr;
    ASSERT_EQ(keeps("lcs_program_create",
                    [&] { return lcs_program_create(RT, &M, 1, &P); }),
              LCS_SUCCESS);
    ASSERT_EQ(keeps("lcs_program_get_kernel",
                    [&] { return lcs_program_get_kernel(P, "k", &K); }),
              LCS_SUCCESS);
    lcs_launch_config_t C = launchOf(1, 128);
    for (int I = 0; I != 2; ++I)
      EXPECT_EQ(keeps("lcs_launch", [&] { return lcs_launch(K, &C, nullptr); }),
                LCS_SUCCESS)
          << lcs_last_error();
    lcs_variant_info_t V;
    EXPECT_EQ(keeps("lcs_kernel_variant_for",
                    [&] { return lcs_kernel_variant_for(K, &C, &V); }),
              LCS_SUCCESS);
    lcs_deviceptr_t Mem = 0;
    EXPECT_EQ(
        keeps("lcs_mem_alloc", [&] { return lcs_mem_alloc(RT, 8, &Mem); }),
        LCS_SUCCESS);
    EXPECT_EQ(keeps("lcs_memset", [&] { return lcs_memset(RT, Mem, 1, 8); }),
              LCS_SUCCESS);
    EXPECT_EQ(keeps("lcs_mem_free", [&] { return lcs_mem_free(RT, Mem); }),
              LCS_SUCCESS);
    EXPECT_EQ(keeps("lcs_runtime_synchronize",
                    [&] { return lcs_runtime_synchronize(RT); }),
              LCS_SUCCESS);
    keeps("lcs_program_destroy", [&] { return lcs_program_destroy(P); });
    keeps("lcs_runtime_destroy", [&] { return lcs_runtime_destroy(RT); });
    ASSERT_EQ(fakeState().Launches.size(), 2u);
    EXPECT_EQ(fakeState().Launches[0].Ctx, fakeContext());
    EXPECT_EQ(fakeState().PrimaryReleases.load(), 1);
  }
}

TEST_F(ContextTest, IsCurrentComparesWithTheCallersContext) {
  lcs_runtime_t RT = nullptr;
  ASSERT_FALSE(createCRuntime(options(1), RT));
  int Out = -1;
  for (CUcontext State : {CUcontext(nullptr), fakePrimaryContext(0),
                          fakePrimaryContext(1)}) {
    fakeDriver()->CtxSetCurrent(State);
    ASSERT_EQ(keeps("lcs_runtime_is_current",
                    [&] { return lcs_runtime_is_current(RT, &Out); }),
              LCS_SUCCESS);
    EXPECT_EQ(Out, State == fakePrimaryContext(1) ? 1 : 0);
  }
  EXPECT_EQ(lcs_runtime_is_current(RT, nullptr), LCS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lcs_runtime_is_current(nullptr, &Out), LCS_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(lcs_last_error(), "lcs_runtime_is_current: NULL argument");
  lcs_runtime_destroy(RT);
}

/// LCS_LAUNCH_IN_CURRENT_CONTEXT: another context current means nothing is
/// launched (or compiled) and LCS_ERROR_NOT_CURRENT, from the runtime's one
/// context check; its own context current, a launch like any other.
TEST_F(ContextTest, InCurrentContextLaunchesOnlyThere) {
  lcs_runtime_t RT = nullptr;
  ASSERT_FALSE(createCRuntime(options(1), RT));
  lcs_module_t M = {"m.ll", BlockDimKernel, std::strlen(BlockDimKernel)};
  lcs_program_t P = nullptr;
  lcs_kernel_t K = nullptr;
  ASSERT_EQ(lcs_program_create(RT, &M, 1, &P), LCS_SUCCESS);
  ASSERT_EQ(lcs_program_get_kernel(P, "k", &K), LCS_SUCCESS);
  lcs_launch_config_t C = launchOf(1, 128);
  lcs_launch_options_t O = {LCS_LAUNCH_IN_CURRENT_CONTEXT};
  fakeDriver()->CtxSetCurrent(fakePrimaryContext(0));
  EXPECT_EQ(keeps("lcs_launch_ex",
                  [&] { return lcs_launch_ex(K, &C, nullptr, &O); }),
            LCS_ERROR_NOT_CURRENT);
  EXPECT_EQ(fakeState().Launches.size(), 0u);
  lcs_counters_t Counters;
  ASSERT_EQ(lcs_runtime_get_counters(RT, &Counters), LCS_SUCCESS);
  EXPECT_EQ(Counters.compiles, 0u) << "nothing compiled for it either";
  fakeDriver()->CtxSetCurrent(fakePrimaryContext(1));
  EXPECT_EQ(lcs_launch_ex(K, &C, nullptr, &O), LCS_SUCCESS) << lcs_last_error();
  ASSERT_EQ(fakeState().Launches.size(), 1u);
  EXPECT_EQ(fakeState().Launches[0].Ctx, fakePrimaryContext(1));
  lcs_program_destroy(P);
  lcs_runtime_destroy(RT);
}

TEST_F(ContextTest, BoundToTheCurrentContextElseADevicesPrimary) {
  std::unique_ptr<Runtime> R;
  // None current: device 0's primary context, retained, not made current.
  ASSERT_FALSE(Runtime::create(options(), R));
  EXPECT_EQ(R->context(), fakePrimaryContext(0));
  EXPECT_EQ(fakeState().PrimaryRetains.load(), 1);
  EXPECT_EQ(current(), nullptr);
  R.reset();
  EXPECT_EQ(fakeState().PrimaryReleases.load(), 1);
  // A context of the caller's own: that one, nothing retained.
  CUcontext Own = fakeCreateContext(1);
  fakeDriver()->CtxSetCurrent(Own);
  ASSERT_FALSE(Runtime::create(options(), R));
  EXPECT_EQ(R->context(), Own);
  EXPECT_EQ(R->arch(), "sm_80") << "the device of the current context";
  EXPECT_EQ(fakeState().PrimaryRetains.load(), 1);
  // A device asked for: its primary context, whatever is current.
  std::unique_ptr<Runtime> On1;
  ASSERT_FALSE(Runtime::create(options(1), On1));
  EXPECT_EQ(On1->context(), fakePrimaryContext(1));
  EXPECT_EQ(current(), Own);
  // A device that does not exist.
  std::unique_ptr<Runtime> Bad;
  Status S = Runtime::create(options(2), Bad);
  EXPECT_EQ(S.code(), LCS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(S.message(), "device 2 does not exist; 2 devices (0 to 1)");
  S = Runtime::create(options(-1), Bad);
  EXPECT_EQ(S.message(), "device -1 does not exist; 2 devices (0 to 1)");
  lcs_runtime_t RT = nullptr;
  // The C call over the real driver: without one it says so.
  std::string Why;
  if (!loadDriver(Why)) {
    EXPECT_EQ(lcs_runtime_create_on_device(0, "", &RT), LCS_ERROR_NO_DRIVER);
    EXPECT_EQ(RT, nullptr);
  }
  EXPECT_EQ(lcs_runtime_create_on_device(0, "", nullptr),
            LCS_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(lcs_last_error(), "lcs_runtime_create_on_device: out is NULL");
}

/// The hit path's context handling: one cuCtxGetCurrent when the caller is
/// in the runtime's context; a switch there and back when another one or
/// none is current; only the runtime's with LCS_LAUNCH_IN_CURRENT_CONTEXT.
TEST_F(ContextTest, AHitInTheRuntimesContextAddsOneGetCurrent) {
  std::unique_ptr<Runtime> R;
  ASSERT_FALSE(Runtime::create(options(), R));
  std::unique_ptr<Program> P;
  ASSERT_FALSE(R->createProgram({{"m.ll", BlockDimKernel}}, P));
  Kernel *K = nullptr;
  ASSERT_FALSE(P->getKernel("k", K));
  ASSERT_FALSE(K->launch(launchOf(1, 32), nullptr));
  fakeDriver()->CtxSetCurrent(R->context());
  fakeState().GetCurrents = 0;
  fakeState().SetCurrents = 0;
  for (int I = 0; I != 100; ++I)
    ASSERT_FALSE(K->launch(launchOf(1, 32), nullptr));
  EXPECT_EQ(fakeState().GetCurrents.load(), 100);
  EXPECT_EQ(fakeState().SetCurrents.load(), 0);
  EXPECT_EQ(fakeState().Launches.back().Ctx, R->context());

  fakeDriver()->CtxSetCurrent(fakePrimaryContext(1));
  fakeState().GetCurrents = 0;
  fakeState().SetCurrents = 0;
  size_t Before = fakeState().Launches.size();
  for (int I = 0; I != 100; ++I)
    ASSERT_FALSE(K->launch(launchOf(1, 32), nullptr));
  EXPECT_EQ(fakeState().Launches.size() - Before, 100u) << "each launched once";
  EXPECT_EQ(fakeState().GetCurrents.load(), 100);
  EXPECT_EQ(fakeState().SetCurrents.load(), 200) << "there and back";
  EXPECT_EQ(current(), fakePrimaryContext(1));
  EXPECT_EQ(fakeState().Launches.back().Ctx, R->context());

  // None current: launched in the runtime's, none current again.
  fakeDriver()->CtxSetCurrent(R->context());
  ASSERT_FALSE(K->launch(launchOf(1, 32), nullptr));
  fakeDriver()->CtxSetCurrent(nullptr);
  ASSERT_FALSE(K->launch(launchOf(1, 32), nullptr));
  EXPECT_EQ(fakeState().Launches.back().Ctx, R->context());
  EXPECT_EQ(current(), nullptr);

  // Only in the current context: LCS_ERROR_NOT_CURRENT from another.
  fakeDriver()->CtxSetCurrent(R->context());
  LaunchOptions Here;
  Here.InCurrentContext = true;
  ASSERT_FALSE(K->launch(launchOf(1, 32), nullptr, Here));
  fakeDriver()->CtxSetCurrent(fakePrimaryContext(1));
  Before = fakeState().Launches.size();
  EXPECT_EQ(K->launch(launchOf(1, 32), nullptr, Here).code(),
            LCS_ERROR_NOT_CURRENT);
  EXPECT_EQ(fakeState().Launches.size(), Before);
}

/// A 9.0 and an 8.0 device: each runtime compiles for its own target, so
/// the same module and configuration have different variant keys; two
/// threads launch on both at once, each launch in its runtime's context.
TEST_F(ContextTest, DevicesOfTwoArchitecturesHaveTheirOwnKeys) {
  std::unique_ptr<Runtime> R0, R1;
  ASSERT_FALSE(Runtime::create(options(0), R0));
  ASSERT_FALSE(Runtime::create(options(1), R1));
  EXPECT_EQ(R0->arch(), "sm_90a") << "the arch-specific target on 9.0";
  EXPECT_EQ(R1->arch(), "sm_80");
  std::unique_ptr<Program> P0, P1;
  ASSERT_FALSE(R0->createProgram({{"m.ll", BlockDimKernel}}, P0));
  ASSERT_FALSE(R1->createProgram({{"m.ll", BlockDimKernel}}, P1));
  Kernel *K0 = nullptr, *K1 = nullptr;
  ASSERT_FALSE(P0->getKernel("k", K0));
  ASSERT_FALSE(P1->getKernel("k", K1));
  std::atomic<int> Failures{0};
  auto Run = [&](Kernel *K) {
    for (int I = 0; I != 200; ++I)
      if (K->launch(launchOf(1, 32u << (I % 3)), nullptr))
        ++Failures;
  };
  std::thread T0(Run, K0), T1(Run, K1);
  T0.join();
  T1.join();
  EXPECT_EQ(Failures, 0);
  VariantInfo V0, V1;
  ASSERT_FALSE(K0->variantFor(launchOf(1, 32), V0));
  ASSERT_FALSE(K1->variantFor(launchOf(1, 32), V1));
  ASSERT_TRUE(V0.Compiled && V1.Compiled);
  EXPECT_EQ(V0.Groups, V1.Groups);
  EXPECT_NE(V0.Key, V1.Key) << "the target is in the key";
  size_t On0 = 0, On1 = 0;
  for (const FakeLaunch &L : fakeState().Launches)
    ++(L.Ctx == R0->context() ? On0 : On1);
  EXPECT_EQ(On0, 200u);
  EXPECT_EQ(On1, 200u);
  // Each loaded module's PTX names its runtime's target.
  bool Saw90a = false, Saw80 = false;
  for (const std::string &Code : fakeState().Modules) {
    Saw90a |= Code.find(".target sm_90a") != std::string::npos;
    Saw80 |= Code.find(".target sm_80") != std::string::npos;
  }
  EXPECT_TRUE(Saw90a && Saw80);
}

} // namespace
