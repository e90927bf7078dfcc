//===- DriverHandlesTest.cpp - Handle owners and device memory, fake driver ===//
///
/// \file
/// ModuleHandle, PrimaryContext and ScopedContext over the fake driver: one
/// release per handle however it is moved, unloads in the module's context,
/// the caller's context restored; and the runtime's device memory calls
/// (lcs/Runtime.h), which run in the runtime's context.
///
//===----------------------------------------------------------------------===//

#include "FakeDriver.h"

#include "lcs/DriverHandles.h"
#include "lcs/Runtime.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace lcs;
using namespace lcs::test;

namespace {

const CUcontext Other = reinterpret_cast<CUcontext>(uintptr_t(0xd0));

class DriverHandlesTest : public ::testing::Test {
protected:
  void SetUp() override {
    fakeState().reset();
    D.CtxSetCurrent(nullptr);
    fakeState().SetCurrents = 0;
  }
  void TearDown() override { D.CtxSetCurrent(nullptr); }
  CUcontext current() {
    CUcontext C = nullptr;
    D.CtxGetCurrent(&C);
    return C;
  }
  /// A module loaded in fakeContext() (the fake, like the driver, loads
  /// only into a current context).
  CUmodule loaded() {
    ScopedContext In(D, fakeContext());
    CUmodule M = nullptr;
    EXPECT_EQ(D.ModuleLoadData(&M, ".entry k"), CUDA_SUCCESS);
    return M;
  }
  const DriverTable &D = *fakeDriver();
};

TEST_F(DriverHandlesTest, ScopedContextSwitchesAndRestores) {
  D.CtxSetCurrent(Other);
  {
    ScopedContext In(D, fakeContext());
    EXPECT_EQ(In.result(), CUDA_SUCCESS);
    EXPECT_EQ(current(), fakeContext());
  }
  EXPECT_EQ(current(), Other);
}

TEST_F(DriverHandlesTest, ScopedContextRestoresNoContext) {
  {
    ScopedContext In(D, fakeContext());
    EXPECT_EQ(current(), fakeContext());
  }
  EXPECT_EQ(current(), nullptr);
}

TEST_F(DriverHandlesTest, ScopedContextAlreadyCurrentSetsNothing) {
  D.CtxSetCurrent(fakeContext());
  fakeState().SetCurrents = 0;
  {
    ScopedContext In(D, fakeContext());
    EXPECT_EQ(current(), fakeContext());
  }
  EXPECT_EQ(current(), fakeContext());
  EXPECT_EQ(fakeState().SetCurrents.load(), 0);
}

TEST_F(DriverHandlesTest, ModuleUnloadsOnceInItsContext) {
  D.CtxSetCurrent(Other);
  {
    ModuleHandle M;
    ASSERT_EQ(ModuleHandle::load(D, fakeContext(), ".entry k", M),
              CUDA_SUCCESS);
    EXPECT_TRUE(M);
    EXPECT_EQ(current(), Other); // loading restored the caller's context
  }
  ASSERT_EQ(fakeState().Unloads.size(), 1u);
  EXPECT_EQ(fakeState().Unloads[0].Current, fakeContext());
  EXPECT_EQ(current(), Other);
}

TEST_F(DriverHandlesTest, ModuleMovesKeepOneOwner) {
  CUmodule Raw = loaded();
  {
    ModuleHandle A(D, Raw, fakeContext());
    ModuleHandle B(std::move(A));
    EXPECT_FALSE(A);
    EXPECT_EQ(B.get(), Raw);
    ModuleHandle C;
    C = std::move(B);
    EXPECT_FALSE(B);
    ModuleHandle &Same = C; // (through a reference: no -Wself-move)
    C = std::move(Same);    // self-move keeps the module
    EXPECT_EQ(C.get(), Raw);
    EXPECT_TRUE(fakeState().Unloads.empty());
  }
  ASSERT_EQ(fakeState().Unloads.size(), 1u);
  EXPECT_EQ(fakeState().Unloads[0].Module, Raw);
}

TEST_F(DriverHandlesTest, ModuleAssignmentUnloadsTheOldOne) {
  CUmodule First = loaded(), Second = loaded();
  ModuleHandle A(D, First, fakeContext());
  A = ModuleHandle(D, Second, fakeContext());
  ASSERT_EQ(fakeState().Unloads.size(), 1u);
  EXPECT_EQ(fakeState().Unloads[0].Module, First);
  EXPECT_EQ(A.release(), Second);
  A.reset();
  EXPECT_EQ(fakeState().Unloads.size(), 1u); // released: not unloaded
}

TEST_F(DriverHandlesTest, FailedLoadOwnsNothing) {
  fakeState().FailLoads = 1;
  ModuleHandle M;
  EXPECT_EQ(ModuleHandle::load(D, fakeContext(), ".entry k", M),
            CUDA_ERROR_INVALID_IMAGE);
  EXPECT_FALSE(M);
  EXPECT_EQ(current(), nullptr);
}

TEST_F(DriverHandlesTest, PrimaryContextReleasedOnce) {
  {
    PrimaryContext P;
    ASSERT_EQ(PrimaryContext::retain(D, 0, P), CUDA_SUCCESS);
    EXPECT_EQ(P.get(), fakeContext());
    PrimaryContext Q(std::move(P));
    EXPECT_FALSE(P);
    PrimaryContext &Same = Q;
    Q = std::move(Same);
    PrimaryContext R;
    R = std::move(Q);
    EXPECT_TRUE(R);
    EXPECT_EQ(fakeState().PrimaryReleases.load(), 0);
  }
  EXPECT_EQ(fakeState().PrimaryRetains.load(), 1);
  EXPECT_EQ(fakeState().PrimaryReleases.load(), 1);
}

/// The runtime's device memory over the fake (whose memory is host memory).
class RuntimeMemoryTest : public DriverHandlesTest {
protected:
  void SetUp() override {
    DriverHandlesTest::SetUp();
    RuntimeOptions O;
    O.Driver = fakeDriver();
    O.CacheDir = std::string();
    ASSERT_FALSE(Runtime::create(O, RT));
  }
  std::unique_ptr<Runtime> RT;
};

TEST_F(RuntimeMemoryTest, RoundTripInTheRuntimesContext) {
  EXPECT_EQ(RT->context(), fakeContext());
  // The fake refuses memory calls outside its context: they must switch.
  D.CtxSetCurrent(Other);
  CUdeviceptr P = 0;
  ASSERT_FALSE(RT->allocate(16, P));
  EXPECT_NE(P, 0u);
  EXPECT_EQ(current(), Other);
  const char In[16] = "fifteen chars..";
  char Out[16] = {};
  EXPECT_FALSE(RT->copyToDevice(P, In, sizeof In));
  EXPECT_FALSE(RT->copyToHost(Out, P, sizeof Out));
  EXPECT_EQ(std::memcmp(In, Out, sizeof In), 0);
  EXPECT_FALSE(RT->fill(P, 0, 8));
  EXPECT_FALSE(RT->copyToHost(Out, P, sizeof Out));
  EXPECT_EQ(Out[0], 0);
  EXPECT_EQ(Out[8], In[8]);
  EXPECT_FALSE(RT->synchronize());
  EXPECT_EQ(fakeState().Synchronizes.load(), 1);
  EXPECT_FALSE(RT->deallocate(P));
  EXPECT_FALSE(RT->deallocate(0));
  EXPECT_EQ(fakeState().Allocations, 0);
  EXPECT_EQ(current(), Other);
}

TEST_F(RuntimeMemoryTest, ZeroBytesIsAnArgumentError) {
  CUdeviceptr P = 1;
  Status S = RT->allocate(0, P);
  EXPECT_EQ(S.code(), LCS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(S.message(), "allocating device memory: the size is 0 bytes");
  EXPECT_EQ(P, 0u);
}

TEST(CApiMemory, NullArgumentsAreNamed) {
  lcs_deviceptr_t P = 0;
  EXPECT_EQ(lcs_mem_alloc(nullptr, 4, &P), LCS_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(lcs_last_error(), "lcs_mem_alloc: NULL argument");
  EXPECT_EQ(lcs_memcpy_to_host(nullptr, nullptr, 0, 4),
            LCS_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(lcs_last_error(), "lcs_memcpy_to_host: NULL argument");
  EXPECT_EQ(lcs_runtime_synchronize(nullptr), LCS_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(lcs_last_error(), "lcs_runtime_synchronize: rt is NULL");
}

} // namespace
