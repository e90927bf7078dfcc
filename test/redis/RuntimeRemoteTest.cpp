//===- RuntimeRemoteTest.cpp - The runtime over the shared tier -----------===//
//
// RuntimeOptions::RemoteCache reaches the disk cache: a second "node" (its
// own cache directory) loads the first one's variant from Redis, byte for
// byte, and Redis going away never fails a launch.
//
//===----------------------------------------------------------------------===//

#include "FakeDriver.h"
#include "RedisServer.h"

#include "lcs/Runtime.h"
#include "lcs/cache/DiskCache.h"
#include "lcs/cache/RemoteCache.h"
#include "lcs/lcs.h"

#include "gtest/gtest.h"

#include <csignal>
#include <sys/stat.h>

using namespace lcs;
using namespace lcs::test;

namespace {

class RuntimeRemote : public ::testing::Test {
protected:
  void SetUp() override {
    fakeState().reset();
    ASSERT_NO_FATAL_FAILURE(Server.start());
  }
  /// One node's runtime: its own cache directory, the shared Redis.
  std::unique_ptr<Runtime> node(const TempDir &Dir) {
    RuntimeOptions O;
    O.Driver = fakeDriver();
    O.CacheDir = Dir.Path;
    O.RemoteCache = Server.url();
    O.PreferCubin = false;
    std::unique_ptr<Runtime> R;
    Status S = Runtime::create(O, R);
    EXPECT_TRUE(S.isOk()) << S.message();
    return R;
  }
  /// Launches k with block size \p B; the code the fake driver loaded.
  std::string launch(Runtime &R, unsigned B) {
    std::unique_ptr<Program> P;
    Status S = R.createProgram({{"test.ll", BlockDimKernel}}, P);
    EXPECT_TRUE(S.isOk()) << S.message();
    Kernel *K = nullptr;
    if (!S.isOk() || !P->getKernel("k", K).isOk())
      return "";
    size_t Before = fakeState().Modules.size();
    S = K->launch(launchOf(1, B), nullptr);
    EXPECT_TRUE(S.isOk()) << S.message();
    return fakeState().Modules.size() > Before ? fakeState().Modules.back()
                                               : "";
  }
  RedisServer Server;
};

TEST_F(RuntimeRemote, ASecondNodeLoadsTheFirstNodesVariant) {
  TempDir A, B;
  std::string First;
  {
    std::unique_ptr<Runtime> R = node(A);
    First = launch(*R, 128);
    ASSERT_FALSE(First.empty());
    EXPECT_EQ(cache::RemoteCache::lastOutcome(), cache::RemoteOutcome::Miss);
  } // destroying the runtime flushes its pending stores
  EXPECT_GE(Server.entries(), 2); // the record and the variant
  std::unique_ptr<Runtime> R = node(B);
  std::string Second = launch(*R, 128);
  EXPECT_EQ(cache::RemoteCache::lastOutcome(), cache::RemoteOutcome::Hit);
  // What the runtime's counters need to tell this from a compile.
  EXPECT_TRUE(cache::DiskCache::lastServedRemotely());
  EXPECT_EQ(First, Second);
}

TEST(RuntimeRemoteCApi, ABadURLIsTheCallersErrorWithoutThePassword) {
  lcs_runtime_t RT = nullptr;
  EXPECT_EQ(lcs_runtime_create_remote(nullptr, "rediss://u:hunter2@h:6379",
                                      &RT),
            LCS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(RT, nullptr);
  std::string Message = lcs_last_error();
  EXPECT_NE(Message.find("TLS"), std::string::npos) << Message;
  EXPECT_EQ(Message.find("hunter2"), std::string::npos) << Message;
  EXPECT_EQ(lcs_runtime_create_remote(nullptr, "redis://nohost", &RT),
            LCS_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(lcs_last_error()).find("host:port"),
            std::string::npos);
}

TEST_F(RuntimeRemote, LaunchesNeverFailWhenRedisIsGone) {
  TempDir A;
  std::unique_ptr<Runtime> R = node(A);
  Server.stop(SIGKILL);
  for (unsigned B : {32u, 64u, 96u, 128u})
    EXPECT_FALSE(launch(*R, B).empty()) << B;
  EXPECT_EQ(cache::RemoteCache::lastOutcome(), cache::RemoteOutcome::Error);
}

} // namespace
