//===- RuntimeTest.cpp - The runtime over a fake driver -------------------===//

#include "FakeDriver.h"

#include "lcs/Runtime.h"
#include "lcs/cache/DiskCache.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

using namespace lcs;
using namespace lcs::test;

namespace {

std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

std::string corpus(const std::string &Name) {
  return readFile(std::string(LCS_CORPUS_DIR) + "/" + Name);
}

LaunchParams launchOf(unsigned Grid, unsigned Block, unsigned Smem = 0) {
  LaunchParams P = {};
  P.grid[0] = Grid;
  P.grid[1] = P.grid[2] = 1;
  P.block[0] = Block;
  P.block[1] = P.block[2] = 1;
  P.shared_mem_bytes = Smem;
  return P;
}

/// A generic kernel that reads blockDim.x and gridDim.x (both live).
const char *BlockGridKernel = R"(
target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k(ptr addrspace(1) %o) {
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %g = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
  %s = add i32 %b, %g
  store i32 %s, ptr addrspace(1) %o
  ret void
}
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
)";

class RuntimeTest : public ::testing::Test {
protected:
  void SetUp() override {
    fakeState().reset();
    char Template[] = "/tmp/lcs-runtime-test-XXXXXX";
    CacheDir = ::mkdtemp(Template);
  }
  void TearDown() override {
    std::system(("rm -rf " + CacheDir).c_str());
  }
  std::unique_ptr<Runtime> make(bool WithCache = false) {
    RuntimeOptions O;
    O.Driver = fakeDriver();
    O.CacheDir = WithCache ? CacheDir : std::string();
    O.PreferCubin = false; // PTX: no ptxas needed for the fake
    std::unique_ptr<Runtime> R;
    Status S = Runtime::create(O, R);
    EXPECT_TRUE(S.isOk()) << S.message();
    return R;
  }
  Kernel *kernel(Runtime &R, std::unique_ptr<Program> &P,
                 const std::string &IR, const std::string &Name = "k") {
    Status S = R.createProgram({{"test.ll", IR}}, P);
    EXPECT_TRUE(S.isOk()) << S.message();
    Kernel *K = nullptr;
    S = P->getKernel(Name, K);
    EXPECT_TRUE(S.isOk()) << S.message();
    return K;
  }
  std::string CacheDir;
};

TEST_F(RuntimeTest, NoDriver) {
  fakeState().InitResult = CUDA_ERROR_NO_DEVICE;
  RuntimeOptions O;
  O.Driver = fakeDriver();
  std::unique_ptr<Runtime> R;
  Status S = Runtime::create(O, R);
  EXPECT_EQ(S.code(), LCS_ERROR_NO_DRIVER);
  EXPECT_EQ(S.message(), "cuInit: CUDA_ERROR_NO_DEVICE");
  // The real driver on a machine without one says so.
  std::string Why;
  if (!loadDriver(Why)) {
    RuntimeOptions Real;
    Status S2 = Runtime::create(Real, R);
    EXPECT_EQ(S2.code(), LCS_ERROR_NO_DRIVER);
    EXPECT_NE(S2.message().find("no CUDA driver"), std::string::npos);
  }
}

TEST_F(RuntimeTest, VariantsFollowTheGroupsTheKernelDependsOn) {
  auto R = make();
  std::unique_ptr<Program> P;
  Kernel *K = kernel(*R, P, corpus("numba_grid_stride_saxpy.ll"),
                     "_ZN8__main__17grid_stride_saxpyB2v9B104cw51cXTLSUwv1sDU"
                     "aKthqaNgoKmjgOR3W3Cw6igA9duC0hkwnNGiHEkYkrqQBFBTDEwCyQe2"
                     "1eqwcFW3UoDGjzpQEsgzrtUEAA_3d_3dE5ArrayIfLi1E1C7mutable7"
                     "alignedE5ArrayIfLi1E1C7mutable7alignedEf");
  ASSERT_TRUE(K);
  lcs_sensitivity_t Sens;
  ASSERT_TRUE(K->sensitivity(Sens).isOk());
  EXPECT_EQ(Sens.fields, uint32_t(LCS_FIELD_BLOCK_X | LCS_FIELD_GRID_X));
  EXPECT_FALSE(Sens.is_explicit);
  // Default policy: block and cluster. Grid changes share a variant.
  ASSERT_TRUE(K->launch(launchOf(10, 128), nullptr).isOk());
  ASSERT_TRUE(K->launch(launchOf(20, 128), nullptr).isOk());
  ASSERT_TRUE(K->launch(launchOf(20, 256), nullptr).isOk());
  lcs_counters_t C = R->counters();
  EXPECT_EQ(C.launches, 3u);
  EXPECT_EQ(C.compiles, 2u);
  EXPECT_EQ(C.memory_hits, 1u);
  std::vector<VariantInfo> Vs = K->variants();
  ASSERT_EQ(Vs.size(), 2u);
  EXPECT_EQ(Vs[0].Groups, "block=128x1x1");
  EXPECT_EQ(Vs[1].Groups, "block=256x1x1");
  auto &L = fakeState().Launches;
  ASSERT_EQ(L.size(), 3u);
  EXPECT_EQ(L[0].Fn, L[1].Fn);
  EXPECT_NE(L[1].Fn, L[2].Fn);
  EXPECT_EQ(L[1].Grid[0], 20u);
  // The loaded code is specialised: the block size is folded, grid is not.
  ASSERT_EQ(fakeState().Modules.size(), 2u);
  EXPECT_NE(fakeState().Modules[0].find(".reqntid 128, 1, 1"),
            std::string::npos);
  EXPECT_NE(fakeState().Modules[0].find("%nctaid.x"), std::string::npos);
  EXPECT_EQ(fakeState().Modules[0].find("%ntid.x"), std::string::npos);
  VariantInfo V;
  ASSERT_TRUE(K->variantFor(launchOf(99, 256), V).isOk());
  EXPECT_EQ(V.Groups, "block=256x1x1");
  EXPECT_TRUE(V.Compiled);
  ASSERT_TRUE(K->variantFor(launchOf(99, 512), V).isOk());
  EXPECT_FALSE(V.Compiled);
}

TEST_F(RuntimeTest, PolicyGroupsAndTheBound) {
  auto R = make();
  std::unique_ptr<Program> P;
  Kernel *K = kernel(*R, P, BlockGridKernel);
  K->setPolicy({LCS_GROUP_BLOCK | LCS_GROUP_GRID, 2});
  ASSERT_TRUE(K->launch(launchOf(1, 32), nullptr).isOk());
  ASSERT_TRUE(K->launch(launchOf(2, 32), nullptr).isOk()); // grid: new
  ASSERT_TRUE(K->launch(launchOf(3, 32), nullptr).isOk()); // past bound
  ASSERT_TRUE(K->launch(launchOf(4, 64), nullptr).isOk()); // generic again
  std::vector<VariantInfo> Vs = K->variants();
  ASSERT_EQ(Vs.size(), 3u);
  EXPECT_EQ(Vs[0].Groups, "block=32x1x1;grid=1x1x1");
  EXPECT_EQ(Vs[1].Groups, "block=32x1x1;grid=2x1x1");
  EXPECT_EQ(Vs[2].Groups, "") << "past the bound: the generic variant";
  EXPECT_EQ(R->counters().compiles, 3u);
  // Launches past the bound are served from memory, not the slow path.
  ASSERT_TRUE(K->launch(launchOf(9, 32), nullptr).isOk());
  lcs_counters_t C = R->counters();
  EXPECT_EQ(C.launches, 5u);
  EXPECT_EQ(C.memory_hits, 2u);
  // The generic code reads the registers.
  EXPECT_NE(fakeState().Modules[2].find("%ntid.x"), std::string::npos);
  EXPECT_EQ(fakeState().Modules[2].find(".reqntid"), std::string::npos);
  // Policy with no groups: one generic variant serves all.
  std::unique_ptr<Program> P2;
  Kernel *K2 = kernel(*R, P2, BlockGridKernel);
  K2->setPolicy({0, 8});
  ASSERT_TRUE(K2->launch(launchOf(1, 32), nullptr).isOk());
  ASSERT_TRUE(K2->launch(launchOf(5, 64), nullptr).isOk());
  EXPECT_EQ(K2->variants().size(), 1u);
}

TEST_F(RuntimeTest, ExplicitKernelsCompilePerConfigurationPastTheBound) {
  auto R = make();
  std::unique_ptr<Program> P;
  std::string IR = R"(
target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k(ptr addrspace(1) %o) "lcs.launch-config-sensitive"="grid.x" {
  store i32 1, ptr addrspace(1) %o
  ret void
}
)";
  Kernel *K = kernel(*R, P, IR);
  K->setPolicy({LCS_GROUP_BLOCK, 2}); // policy does not limit explicit kernels
  for (unsigned G = 1; G <= 4; ++G)
    ASSERT_TRUE(K->launch(launchOf(G, 32), nullptr).isOk());
  std::vector<VariantInfo> Vs = K->variants();
  ASSERT_EQ(Vs.size(), 4u);
  for (const VariantInfo &V : Vs)
    EXPECT_NE(V.Groups.find("grid="), std::string::npos) << "no generic";
  lcs_sensitivity_t S;
  ASSERT_TRUE(K->sensitivity(S).isOk());
  EXPECT_TRUE(S.is_explicit);
}

TEST_F(RuntimeTest, InvalidConfigurationsNameTheField) {
  auto R = make();
  std::unique_ptr<Program> P;
  Kernel *K = kernel(*R, P, BlockGridKernel);
  struct Case {
    LaunchParams P;
    const char *Message;
  };
  LaunchParams Cluster = launchOf(6, 32);
  Cluster.cluster[0] = 4;
  Cluster.cluster[1] = Cluster.cluster[2] = 1;
  LaunchParams ClusterZero = launchOf(8, 32);
  ClusterZero.cluster[0] = 2;
  LaunchParams ZDim = launchOf(1, 1);
  ZDim.block[2] = 65;
  LaunchParams Big = launchOf(1, 64);
  Big.cluster[0] = 16;
  Big.cluster[1] = Big.cluster[2] = 1;
  Big.grid[0] = 16;
  Case Cases[] = {
      {launchOf(1, 2048), "kernel 'k': block.x = 2048 exceeds the maximum "
                          "of 1024 for the device (sm_90)"},
      {launchOf(0, 32), "kernel 'k': grid.x must be at least 1"},
      {ZDim, "kernel 'k': block.z = 65 exceeds the maximum of 64 for the "
             "device (sm_90)"},
      {[] {
         LaunchParams P = launchOf(1, 64);
         P.block[1] = 32;
         return P;
       }(),
       "kernel 'k': block 64x32x1 has 2048 threads; at most 1024 for the "
       "device (sm_90)"},
      {launchOf(1, 32, 300000), "kernel 'k': smem.dynamic = 300000 bytes "
                                "exceeds the opt-in maximum of 232448 bytes "
                                "for the device (sm_90)"},
      {Cluster, "kernel 'k': grid.x = 6 is not a multiple of cluster.x = 4"},
      {ClusterZero, "kernel 'k': cluster.y must be at least 1"},
      {Big, "kernel 'k': cluster 16x1x1 has 16 blocks; at most 8 (portable)"},
  };
  for (const Case &C : Cases) {
    Status S = K->launch(C.P, nullptr);
    EXPECT_EQ(S.code(), LCS_ERROR_INVALID_CONFIG);
    EXPECT_EQ(S.message(), C.Message);
  }
  EXPECT_TRUE(fakeState().Launches.empty()) << "nothing reached the driver";

  // The kernel's own requirements.
  std::unique_ptr<Program> P2;
  Kernel *Req = kernel(*R, P2, R"(
target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k(ptr addrspace(1) %o) "nvvm.reqntid"="128" {
  store i32 1, ptr addrspace(1) %o
  ret void
}
)");
  Status S = Req->launch(launchOf(1, 64), nullptr);
  EXPECT_EQ(S.code(), LCS_ERROR_INVALID_CONFIG);
  EXPECT_EQ(S.message(), "kernel 'k': block 64x1x1 contradicts its required "
                         "block 128x1x1 (reqntid)");
  EXPECT_TRUE(Req->launch(launchOf(1, 128), nullptr).isOk());

  // No clusters before sm_90.
  fakeState().ComputeMajor = 8;
  auto Old = make();
  std::unique_ptr<Program> P3;
  Kernel *K3 = kernel(*Old, P3, BlockGridKernel);
  LaunchParams C = launchOf(2, 32);
  C.cluster[0] = 2;
  C.cluster[1] = C.cluster[2] = 1;
  S = K3->launch(C, nullptr);
  EXPECT_EQ(S.message(), "kernel 'k': cluster 2x1x1: the device (sm_80) "
                         "cannot launch thread block clusters (sm_90 or "
                         "newer can)");
}

TEST_F(RuntimeTest, ClusterAndOptInSharedMemory) {
  auto R = make();
  std::unique_ptr<Program> P;
  Kernel *K = kernel(*R, P, BlockGridKernel);
  LaunchParams C = launchOf(4, 64, 100000);
  C.cluster[0] = 2;
  C.cluster[1] = C.cluster[2] = 1;
  ASSERT_TRUE(K->launch(C, nullptr).isOk());
  ASSERT_EQ(fakeState().Launches.size(), 1u);
  EXPECT_TRUE(fakeState().Launches[0].Ex);
  EXPECT_EQ(fakeState().Launches[0].Cluster[0], 2u);
  EXPECT_EQ(fakeState().Launches[0].Smem, 100000u);
  EXPECT_EQ(fakeState().SmemOptInSet, 100000) << "opt-in set above 48 KiB";
  // An explicit cluster is another variant than no cluster.
  ASSERT_TRUE(K->launch(launchOf(4, 64), nullptr).isOk());
  EXPECT_FALSE(fakeState().Launches[1].Ex);
  EXPECT_EQ(K->variants().size(), 1u)
      << "the kernel does not read cluster registers: one variant";
}

TEST_F(RuntimeTest, ErrorsReachEveryWaiterAndARetrySucceeds) {
  auto R = make();
  std::unique_ptr<Program> P;
  Kernel *K = kernel(*R, P, BlockGridKernel);
  fakeState().FailLoads = 1;
  Status S = K->launch(launchOf(1, 32), nullptr);
  EXPECT_EQ(S.code(), LCS_ERROR_DRIVER);
  EXPECT_NE(S.message().find("loading PTX for kernel 'k', key "),
            std::string::npos);
  EXPECT_NE(S.message().find("CUDA_ERROR_INVALID_IMAGE"), std::string::npos);
  EXPECT_TRUE(K->launch(launchOf(1, 32), nullptr).isOk()) << "retried";

  std::unique_ptr<Program> Bad;
  S = R->createProgram({{"bad.ll", "this is not IR"}}, Bad);
  EXPECT_EQ(S.code(), LCS_ERROR_COMPILE);
  EXPECT_EQ(S.message(), "bad.ll: line 1:1: expected top-level entity");

  Kernel *Missing = nullptr;
  S = P->getKernel("nope", Missing);
  EXPECT_EQ(S.code(), LCS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(S.message(), "unknown kernel 'nope'; kernels: k");
}

TEST_F(RuntimeTest, OneCompilePerVariantAcrossThreads) {
  auto R = make();
  std::unique_ptr<Program> P;
  Kernel *K = kernel(*R, P, BlockGridKernel);
  std::vector<std::thread> Threads;
  std::atomic<int> Failures{0};
  for (int T = 0; T != 16; ++T)
    Threads.emplace_back([&, T] {
      for (int I = 0; I != 50; ++I) {
        unsigned Block = 32u << ((T + I) % 4); // 4 variants
        if (!K->launch(launchOf(1 + I % 3, Block), nullptr).isOk())
          ++Failures;
      }
    });
  for (std::thread &T : Threads)
    T.join();
  EXPECT_EQ(Failures, 0);
  EXPECT_EQ(R->counters().compiles, 4u);
  EXPECT_EQ(R->counters().launches, 800u);
  EXPECT_EQ(fakeState().Launches.size(), 800u);
  EXPECT_EQ(fakeState().Loads, 4);
}

TEST_F(RuntimeTest, TheBoundHoldsUnderRacingFirstLaunches) {
  // Every thread's first launch is a configuration nobody has seen, all at
  // once: each may find the bound not yet reached, but only max_variants of
  // them may get a specialised variant; the others use the generic one.
  auto R = make();
  std::unique_ptr<Program> P;
  Kernel *K = kernel(*R, P, BlockGridKernel);
  constexpr unsigned Max = 3, NumThreads = 16;
  K->setPolicy({LCS_GROUP_BLOCK, Max});
  std::atomic<unsigned> Ready{0};
  std::atomic<int> Failures{0};
  std::vector<std::thread> Threads;
  for (unsigned T = 0; T != NumThreads; ++T)
    Threads.emplace_back([&, T] {
      ++Ready;
      while (Ready.load() != NumThreads)
        std::this_thread::yield();
      if (!K->launch(launchOf(1, 32 + T), nullptr).isOk())
        ++Failures;
    });
  for (std::thread &T : Threads)
    T.join();
  EXPECT_EQ(Failures, 0);
  unsigned Specialised = 0, Generic = 0;
  for (const VariantInfo &V : K->variants())
    ++(V.Groups.empty() ? Generic : Specialised);
  EXPECT_EQ(Specialised, Max) << "the bound is exact";
  EXPECT_EQ(Generic, 1u) << "the others share the generic variant";
  EXPECT_EQ(fakeState().Launches.size(), NumThreads);
}

TEST_F(RuntimeTest, LoadingHappensInRelaxedCaptureMode) {
  auto R = make();
  std::unique_ptr<Program> P;
  Kernel *K = kernel(*R, P, BlockGridKernel);
  ASSERT_TRUE(K->launch(launchOf(1, 32), nullptr).isOk());
  EXPECT_EQ(fakeState().RelaxedLoads, 1);
}

TEST_F(RuntimeTest, TheLaunchConfigurationIsVisibleOnlyDuringGeneration) {
  LaunchParams Out;
  Status S = currentLaunchConfig(Out);
  EXPECT_EQ(S.code(), LCS_ERROR_NO_LAUNCH_CONFIG);
  EXPECT_EQ(S.message(), "no launch configuration is active on this thread");
  EXPECT_EQ(markLaunchConfigSensitive(LCS_FIELD_BLOCK_X).code(),
            LCS_ERROR_NO_LAUNCH_CONFIG);

  auto R = make();
  std::vector<unsigned> Seen;
  std::unique_ptr<Program> P;
  // Like cuda.coop: code depends on the block size, which is marked.
  ASSERT_TRUE(R->createProgram(
                   "coop-block-sum-v1",
                   [&](const std::string &Kernel, Generated &G) {
                     LaunchParams C;
                     if (Status S = currentLaunchConfig(C))
                       return S;
                     Seen.push_back(C.block[0]);
                     if (Status S = markLaunchConfigSensitive(
                             LCS_FIELD_BLOCK_X | LCS_FIELD_BLOCK_Y |
                             LCS_FIELD_BLOCK_Z))
                       return S;
                     G.IR = "target triple = \"nvptx64-nvidia-cuda\"\n"
                            "define ptx_kernel void @" +
                            Kernel +
                            "(ptr addrspace(1) %o) {\n  store i32 " +
                            std::to_string(C.block[0]) +
                            ", ptr addrspace(1) %o\n  ret void\n}\n";
                     G.ExtraSharedMem = 4 * C.block[0];
                     return Status::ok();
                   },
                   P)
                  .isOk());
  Kernel *K = nullptr;
  ASSERT_TRUE(P->getKernel("coop", K).isOk());
  // numba-cuda's semantics: [1,32] then [1,64] compile twice, a repeat
  // does not.
  ASSERT_TRUE(K->launch(launchOf(1, 32), nullptr).isOk());
  ASSERT_TRUE(K->launch(launchOf(1, 64), nullptr).isOk());
  ASSERT_TRUE(K->launch(launchOf(1, 32), nullptr).isOk());
  ASSERT_TRUE(K->launch(launchOf(7, 32), nullptr).isOk()) << "grid ignored";
  EXPECT_EQ(Seen, (std::vector<unsigned>{32, 64}));
  EXPECT_EQ(R->counters().compiles, 2u);
  EXPECT_EQ(R->counters().generator_calls, 2u);
  // The generator's extra shared memory is added at launch.
  EXPECT_EQ(fakeState().Launches[0].Smem, 128u);
  EXPECT_EQ(fakeState().Launches[1].Smem, 256u);
  lcs_sensitivity_t S2;
  ASSERT_TRUE(K->sensitivity(S2).isOk());
  EXPECT_TRUE(S2.is_explicit);
  EXPECT_EQ(S2.fields, 7u);
  // Outside generation again: nothing active.
  EXPECT_EQ(currentLaunchConfig(Out).code(), LCS_ERROR_NO_LAUNCH_CONFIG);
}

TEST_F(RuntimeTest, GeneratorsThatReadWithoutMarkingAreSensitiveToAll) {
  auto R = make();
  int Calls = 0;
  std::unique_ptr<Program> P;
  ASSERT_TRUE(R->createProgram(
                   "reads-but-forgets-to-mark",
                   [&](const std::string &Kernel, Generated &G) {
                     ++Calls;
                     LaunchParams C;
                     currentLaunchConfig(C);
                     G.IR = "target triple = \"nvptx64-nvidia-cuda\"\n"
                            "define ptx_kernel void @" +
                            Kernel + "() {\n  ret void\n}\n";
                     return Status::ok();
                   },
                   P)
                  .isOk());
  Kernel *K = nullptr;
  ASSERT_TRUE(P->getKernel("g", K).isOk());
  ASSERT_TRUE(K->launch(launchOf(1, 32), nullptr).isOk());
  ASSERT_TRUE(K->launch(launchOf(2, 32), nullptr).isOk()); // grid matters now
  EXPECT_EQ(Calls, 2);
  lcs_sensitivity_t S;
  ASSERT_TRUE(K->sensitivity(S).isOk());
  EXPECT_EQ(S.fields, uint32_t(LCS_FIELD_ALL));
}

TEST_F(RuntimeTest, UnmarkedGeneratorOutputServesEveryConfiguration) {
  auto R = make();
  int Calls = 0;
  std::unique_ptr<Program> P;
  ASSERT_TRUE(R->createProgram(
                   "config-independent",
                   [&](const std::string &Kernel, Generated &G) {
                     ++Calls;
                     G.IR = std::string(BlockGridKernel);
                     return Status::ok();
                   },
                   P)
                  .isOk());
  Kernel *K = nullptr;
  ASSERT_TRUE(P->getKernel("k", K).isOk());
  for (unsigned B : {32u, 64u, 128u})
    ASSERT_TRUE(K->launch(launchOf(1, B), nullptr).isOk());
  EXPECT_EQ(Calls, 1) << "one generation serves every configuration";
  EXPECT_EQ(R->counters().compiles, 3u) << "specialised on the block size";
  lcs_sensitivity_t S;
  ASSERT_TRUE(K->sensitivity(S).isOk());
  EXPECT_FALSE(S.is_explicit);
}

TEST_F(RuntimeTest, GeneratorFailuresAreReported) {
  auto R = make();
  std::unique_ptr<Program> P;
  ASSERT_TRUE(R->createProgram(
                   "fails",
                   [&](const std::string &, Generated &) {
                     return Status(LCS_ERROR_COMPILE, "no such template");
                   },
                   P)
                  .isOk());
  Kernel *K = nullptr;
  ASSERT_TRUE(P->getKernel("k", K).isOk());
  Status S = K->launch(launchOf(1, 32), nullptr);
  EXPECT_EQ(S.code(), LCS_ERROR_COMPILE);
  EXPECT_EQ(S.message(), "kernel 'k': the generator failed: no such template");
}

TEST_F(RuntimeTest, ASecondRuntimeLoadsFromDiskWithoutCompiling) {
  int Calls = 0;
  auto Gen = [&](const std::string &Kernel, Generated &G) {
    ++Calls;
    LaunchParams C;
    currentLaunchConfig(C);
    markLaunchConfigSensitive(LCS_FIELD_BLOCK_X);
    G.IR = "target triple = \"nvptx64-nvidia-cuda\"\n"
           "define ptx_kernel void @" +
           Kernel + "() {\n  ret void\n}\n";
    return Status::ok();
  };
  for (int Round = 0; Round != 2; ++Round) {
    auto R = make(/*WithCache=*/true);
    std::unique_ptr<Program> Mod, Gened;
    Kernel *K = kernel(*R, Mod, BlockGridKernel);
    ASSERT_TRUE(R->createProgram("gen-v1", Gen, Gened).isOk());
    Kernel *G = nullptr;
    ASSERT_TRUE(Gened->getKernel("g", G).isOk());
    ASSERT_TRUE(K->launch(launchOf(1, 32), nullptr).isOk());
    ASSERT_TRUE(G->launch(launchOf(1, 64), nullptr).isOk());
    lcs_counters_t C = R->counters();
    if (Round == 0) {
      EXPECT_EQ(C.compiles, 2u);
      EXPECT_EQ(C.disk_hits, 0u);
    } else {
      EXPECT_EQ(C.compiles, 0u) << "the second runtime compiles nothing";
      EXPECT_EQ(C.disk_hits, 2u);
      EXPECT_EQ(C.generator_calls, 0u) << "nor calls the generator";
    }
  }
  EXPECT_EQ(Calls, 1);
}

} // namespace

namespace {

TEST(CApi, ErrorsWithoutADriverOrArguments) {
  std::string Why;
  if (!lcs::loadDriver(Why)) {
    lcs_runtime_t RT = nullptr;
    EXPECT_EQ(lcs_runtime_create("", &RT), LCS_ERROR_NO_DRIVER);
    EXPECT_EQ(RT, nullptr);
    EXPECT_NE(std::string(lcs_last_error()).find("no CUDA driver"),
              std::string::npos)
        << lcs_last_error();
  }
  EXPECT_EQ(lcs_runtime_create("", nullptr), LCS_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(lcs_last_error(), "lcs_runtime_create: out is NULL");
  lcs_launch_config_t C = {};
  EXPECT_EQ(lcs_launch(nullptr, &C, nullptr), LCS_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(lcs_last_error(), "lcs_launch: NULL kernel or configuration");
  lcs_kernel_t K = nullptr;
  EXPECT_EQ(lcs_program_get_kernel(nullptr, "k", &K),
            LCS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lcs_current_launch_config(&C), LCS_ERROR_NO_LAUNCH_CONFIG);
  EXPECT_STREQ(lcs_last_error(),
               "no launch configuration is active on this thread");
  EXPECT_EQ(lcs_mark_launch_config_sensitive(LCS_FIELD_BLOCK_X),
            LCS_ERROR_NO_LAUNCH_CONFIG);
  lcs_sensitivity_t S;
  EXPECT_EQ(lcs_kernel_sensitivity(nullptr, &S), LCS_ERROR_INVALID_ARGUMENT);
}

} // namespace

namespace {

/// 16 processes x 8 threads x 64 configurations on one disk cache, the
/// runtime over the fake driver: no errors, each variant compiled once
/// across all processes, nothing corrupt afterwards.
TEST(RuntimeStress, ProcessesThreadsAndConfigurationsShareOneCache) {
  char Template[] = "/tmp/lcs-stress-XXXXXX";
  std::string Dir = ::mkdtemp(Template);
  const int Processes = 16, Threads = 8, Configs = 64;
  int Pipe[2];
  ASSERT_EQ(::pipe(Pipe), 0);
  std::vector<pid_t> Kids;
  for (int P = 0; P != Processes; ++P) {
    pid_t Pid = ::fork();
    ASSERT_GE(Pid, 0);
    if (Pid == 0) {
      fakeState().reset();
      RuntimeOptions O;
      O.Driver = fakeDriver();
      O.CacheDir = Dir;
      O.PreferCubin = false;
      O.DefaultPolicy = {LCS_GROUP_BLOCK, 128};
      std::unique_ptr<Runtime> R;
      std::unique_ptr<Program> Prog;
      Kernel *K = nullptr;
      if (Runtime::create(O, R) ||
          R->createProgram({{"k.ll", BlockGridKernel}}, Prog) ||
          Prog->getKernel("k", K))
        ::_exit(2);
      std::atomic<int> Errors{0};
      std::vector<std::thread> Ts;
      for (int T = 0; T != Threads; ++T)
        Ts.emplace_back([&, T] {
          for (int I = 0; I != Configs; ++I) {
            unsigned Block = 16u * (1 + (I * 7 + T * 13 + P * 5) % Configs);
            if (!K->launch(launchOf(1, Block), nullptr).isOk())
              ++Errors;
          }
        });
      for (std::thread &T : Ts)
        T.join();
      lcs_counters_t C = R->counters();
      uint64_t Line[3] = {C.compiles, C.disk_hits, uint64_t(Errors.load())};
      (void)!::write(Pipe[1], Line, sizeof Line);
      ::_exit(0);
    }
    Kids.push_back(Pid);
  }
  ::close(Pipe[1]);
  for (pid_t Pid : Kids) {
    int Status = 0;
    ::waitpid(Pid, &Status, 0);
    EXPECT_TRUE(WIFEXITED(Status) && WEXITSTATUS(Status) == 0);
  }
  uint64_t Compiles = 0, DiskHits = 0, Errors = 0, Line[3];
  while (::read(Pipe[0], Line, sizeof Line) == ssize_t(sizeof Line)) {
    Compiles += Line[0];
    DiskHits += Line[1];
    Errors += Line[2];
  }
  EXPECT_EQ(Errors, 0u);
  EXPECT_EQ(Compiles, uint64_t(Configs)) << "each variant compiled once";
  EXPECT_EQ(Compiles + DiskHits, uint64_t(Processes * Configs))
      << "every other process loaded each variant from disk";
  cache::CacheOptions CO;
  CO.Dir = Dir;
  cache::DiskCache C(CO);
  EXPECT_EQ(C.verify(), 0u) << "nothing corrupt";
  EXPECT_EQ(C.list().size(), size_t(Configs + 1)) << "variants + the record";
  std::system(("rm -rf " + Dir).c_str());
}

} // namespace

namespace {

/// The hit path's cost over the fake driver: 20000 launches of one loaded
/// variant, 21 rounds, the median round's nanoseconds per launch. Printed,
/// not asserted (a shared machine's timings vary); the call counts that the
/// context handling adds are asserted in ContextTest.
TEST(RuntimeTiming, HitPathNanosecondsPerLaunch) {
  fakeState().reset();
  RuntimeOptions O;
  O.Driver = fakeDriver();
  O.CacheDir = std::string();
  O.PreferCubin = false;
  std::unique_ptr<Runtime> R;
  ASSERT_TRUE(Runtime::create(O, R).isOk());
  std::unique_ptr<Program> P;
  ASSERT_TRUE(R->createProgram({{"k.ll", BlockGridKernel}}, P).isOk());
  Kernel *K = nullptr;
  ASSERT_TRUE(P->getKernel("k", K).isOk());
  // The caller works in the runtime's context, as a frontend would.
  CUcontext Ctx = R->context();
  fakeDriver()->CtxSetCurrent(Ctx);
  LaunchParams L = launchOf(4, 128);
  ASSERT_TRUE(K->launch(L, nullptr).isOk());
  constexpr int Launches = 20000, Rounds = 21;
  std::vector<double> PerLaunch;
  for (int Round = 0; Round != Rounds; ++Round) {
    {
      std::lock_guard<std::mutex> G(fakeState().M);
      fakeState().Launches.clear();
      fakeState().Launches.reserve(Launches);
    }
    auto Start = std::chrono::steady_clock::now();
    for (int I = 0; I != Launches; ++I)
      if (K->launch(L, nullptr))
        FAIL() << "launch failed";
    auto Ns = std::chrono::duration<double, std::nano>(
                  std::chrono::steady_clock::now() - Start)
                  .count();
    PerLaunch.push_back(Ns / Launches);
  }
  std::sort(PerLaunch.begin(), PerLaunch.end());
  double Median = PerLaunch[Rounds / 2];
  std::printf("hit path over the fake driver: %.1f ns per launch (median of "
              "%d rounds of %d)\n",
              Median, Rounds, Launches);
  ::testing::Test::RecordProperty("hit_path_ns", std::to_string(Median));
  fakeDriver()->CtxSetCurrent(nullptr);
}

} // namespace
