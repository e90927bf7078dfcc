//===- GpuRuntimeTest.cpp - The lcs runtime on the GPU --------------------===//
///
/// \file
/// What the runtime adds over compiling: generators and their marks, the
/// disk cache across processes, many threads, clusters, stream capture,
/// generator shared memory, and rejection before the driver. Skipped with
/// the reason where there is no driver or device.
///
//===----------------------------------------------------------------------===//

#include "CudaDriver.h"
#include "TestSupport.h"

#include "lcs/Runtime.h"
#include "lcs/cache/DiskCache.h"
#include "lcs/lcs.h"

#include "gtest/gtest.h"

#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

using namespace lcs;
using namespace lcs::test;

namespace {

#define REQUIRE_GPU()                                                          \
  do {                                                                         \
    if (!CudaDriver::get().available())                                        \
      GTEST_SKIP() << CudaDriver::get().unavailableReason();                   \
  } while (0)

/// A test that another test (GpuRuntime.Parent) runs in a child process
/// (spawnChild): skipped unless that test has set the environment variable
/// Var, whose value is then in Dir; skipped where there is no GPU.
#define REQUIRE_CHILD_OF(Parent, Var, Dir)                                     \
  const char *Dir = std::getenv(Var);                                          \
  if (!Dir)                                                                    \
    GTEST_SKIP() << "run by GpuRuntime." Parent;                               \
  REQUIRE_GPU()

/// Runs this binary's test GpuRuntime.\p Child in a new process with the
/// environment variables \p Env set; returns the process's id.
pid_t spawnChild(const char *Child,
                 const std::vector<std::pair<const char *, std::string>> &Env) {
  // Built before the fork: the child only sets variables and starts.
  std::string Filter = std::string("--gtest_filter=GpuRuntime.") + Child;
  pid_t Pid = ::fork();
  if (Pid == 0) {
    for (const auto &[Name, Value] : Env)
      ::setenv(Name, Value.c_str(), 1);
    ::execl("/proc/self/exe", "lcs-gpu-tests", Filter.c_str(), (char *)nullptr);
    ::_exit(127);
  }
  return Pid;
}

/// Waits for a process of spawnChild: its exit status, 128 where it did
/// not exit.
int waitChild(pid_t Pid) {
  int Status = 0;
  ::waitpid(Pid, &Status, 0);
  return WIFEXITED(Status) ? WEXITSTATUS(Status) : 128;
}

std::unique_ptr<Runtime> makeRuntime(const std::string &CacheDir = "") {
  RuntimeOptions O;
  O.CacheDir = CacheDir;
  std::unique_ptr<Runtime> R;
  Status S = Runtime::create(O, R);
  EXPECT_TRUE(S.isOk()) << S.message();
  return R;
}

/// out[ctaid.x * ntid.x + tid.x] = VALUE, with VALUE an IR expression over
/// %b (ntid.x), %rank (cluster_nctarank), %ex (is_explicit_cluster, i32),
/// %cx (cluster_nctaid.x), %smem (dynamic_smem_size).
std::string kernelIR(const std::string &Name, const std::string &Value,
                     const std::string &Attrs = "") {
  return R"(target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @)" +
         Name + R"((ptr addrspace(1) %out) )" + Attrs + R"( {
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %c = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %rank = call i32 @llvm.nvvm.read.ptx.sreg.cluster.nctarank()
  %exb = call i1 @llvm.nvvm.is_explicit_cluster()
  %ex = zext i1 %exb to i32
  %cx = call i32 @llvm.nvvm.read.ptx.sreg.cluster.nctaid.x()
  %smem = call i32 @llvm.nvvm.read.ptx.sreg.dynamic_smem_size()
  %base = mul i32 %c, %b
  %i = add i32 %base, %t
  %v = )" +
         Value + R"(
  %p = getelementptr i32, ptr addrspace(1) %out, i32 %i
  store i32 %v, ptr addrspace(1) %p
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.cluster.nctarank()
declare i1 @llvm.nvvm.is_explicit_cluster()
declare i32 @llvm.nvvm.read.ptx.sreg.cluster.nctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.dynamic_smem_size()
)";
}

/// Kernel "k" of a new program of kernelIR("k", \p Value) on \p R, kept
/// in \p P; null (with a failure recorded) when either step fails.
Kernel *kernelK(Runtime &R, std::unique_ptr<Program> &P,
                const std::string &Value) {
  Status S = R.createProgram({{"k.ll", kernelIR("k", Value)}}, P);
  EXPECT_TRUE(S.isOk()) << S.message();
  Kernel *K = nullptr;
  if (S.isOk()) {
    EXPECT_TRUE(P->getKernel("k", K).isOk());
  }
  return K;
}

/// A runtime (makeRuntime(\p CacheDir)) and its kernelK of \p Value: K is
/// null, with a failure recorded, when a step fails.
struct RuntimeK {
  explicit RuntimeK(const std::string &Value, const std::string &CacheDir = "")
      : R(makeRuntime(CacheDir)), K(R ? kernelK(*R, P, Value) : nullptr) {}
  std::unique_ptr<Runtime> R;
  std::unique_ptr<Program> P;
  Kernel *K;
};

std::vector<uint32_t> run(Kernel &K, const LaunchParams &P, size_t N) {
  DeviceBuffer Out(N * 4);
  EXPECT_EQ(CudaDriver::get().zero(Out.ptr(), Out.bytes()), "");
  CUdeviceptr Ptr = Out.ptr();
  void *Args[] = {&Ptr};
  Status S = K.launch(P, Args);
  EXPECT_TRUE(S.isOk()) << S.message();
  EXPECT_EQ(CudaDriver::get().synchronize(), "");
  std::vector<uint32_t> Host(N);
  EXPECT_EQ(CudaDriver::get().download(Host.data(), Out.ptr(), Out.bytes()),
            "");
  return Host;
}

TEST(GpuRuntime, MarkedGeneratorCompilesPerConfiguration) {
  REQUIRE_GPU();
  auto R = makeRuntime();
  std::unique_ptr<Program> P;
  // Like cuda.coop: the block size is a compile-time constant of the code.
  ASSERT_TRUE(R->createProgram(
                   "gpu-test-block-constant-v1",
                   [](const std::string &Kernel, Generated &G) {
                     LaunchParams C;
                     if (Status S = currentLaunchConfig(C))
                       return S;
                     markLaunchConfigSensitive(LCS_FIELD_BLOCK_X |
                                               LCS_FIELD_BLOCK_Y |
                                               LCS_FIELD_BLOCK_Z);
                     G.IR = kernelIR(Kernel, "add i32 " +
                                                 std::to_string(C.block[0]) +
                                                 ", 1000");
                     return Status::ok();
                   },
                   P)
                  .isOk());
  Kernel *K = nullptr;
  ASSERT_TRUE(P->getKernel("k", K).isOk());
  for (unsigned B : {32u, 64u, 32u}) {
    std::vector<uint32_t> Out = run(*K, launchOf(1, B), B);
    for (uint32_t V : Out)
      ASSERT_EQ(V, 1000 + B);
  }
  lcs_counters_t C = R->counters();
  EXPECT_EQ(C.compiles, 2u) << "[1,32], [1,64]; the repeat is a hit";
  EXPECT_EQ(C.generator_calls, 2u);
}

TEST(GpuRuntime, DiskCacheChild) {
  REQUIRE_CHILD_OF("SecondProcessLoadsFromDisk", "LCS_TEST_CHILD_CACHE", Dir);
  RuntimeK RK("add i32 %b, 7", Dir);
  ASSERT_TRUE(RK.K);
  for (uint32_t V : run(*RK.K, launchOf(2, 128), 256))
    ASSERT_EQ(V, 135u);
  lcs_counters_t C = RK.R->counters();
  std::printf("child counters: compiles=%llu disk_hits=%llu\n",
              (unsigned long long)C.compiles,
              (unsigned long long)C.disk_hits);
  EXPECT_EQ(C.compiles, unsigned(std::atoi(std::getenv("LCS_TEST_EXPECT_COMPILES"))));
}

/// Runs this binary's DiskCacheChild test in a new process.
int runChild(const std::string &Dir, int ExpectCompiles) {
  return waitChild(spawnChild(
      "DiskCacheChild",
      {{"LCS_TEST_CHILD_CACHE", Dir},
       {"LCS_TEST_EXPECT_COMPILES", std::to_string(ExpectCompiles)}}));
}

TEST(GpuRuntime, SecondProcessLoadsFromDisk) {
  REQUIRE_GPU();
  char Template[] = "/tmp/lcs-gpu-cache-XXXXXX";
  std::string Dir = ::mkdtemp(Template);
  EXPECT_EQ(runChild(Dir, 1), 0) << "first process compiles";
  EXPECT_EQ(runChild(Dir, 0), 0) << "second process loads from disk";
  std::system(("rm -rf " + Dir).c_str());
}

TEST(GpuRuntime, SixteenThreadsMixedConfigurations) {
  REQUIRE_GPU();
  RuntimeK RK("mul i32 %b, 3");
  ASSERT_TRUE(RK.K);
  std::atomic<int> Bad{0};
  std::vector<std::thread> Threads;
  for (int T = 0; T != 16; ++T)
    Threads.emplace_back([&, T] {
      CudaDriver::get().makeCurrent();
      for (int I = 0; I != 20; ++I) {
        unsigned B = 32u << ((T + I) % 4);
        DeviceBuffer Out(4 * B * 2);
        CUdeviceptr Ptr = Out.ptr();
        void *Args[] = {&Ptr};
        if (!RK.K->launch(launchOf(2, B), Args).isOk()) {
          ++Bad;
          continue;
        }
        std::vector<uint32_t> Host(B * 2);
        CudaDriver::get().download(Host.data(), Out.ptr(), Out.bytes());
        for (uint32_t V : Host)
          if (V != 3 * B)
            ++Bad;
      }
    });
  for (std::thread &T : Threads)
    T.join();
  EXPECT_EQ(Bad, 0);
  EXPECT_EQ(RK.R->counters().compiles, 4u) << "4 variants, each compiled once";
  EXPECT_EQ(RK.R->counters().launches, 320u);
}

/// The caller switches between launches: to another context of the device,
/// to none. Each launch runs in the runtime's context (the results are
/// right) and leaves the caller's current; LCS_LAUNCH_IN_CURRENT_CONTEXT
/// refuses from the other context.
TEST(GpuRuntime, LaunchesFollowTheCallersContextChanges) {
  REQUIRE_GPU();
  CudaDriver &Cuda = CudaDriver::get();
  ASSERT_EQ(Cuda.makeCurrent(), "");
  RuntimeK RK("mul i32 %b, 3");
  ASSERT_TRUE(RK.K);
  CUcontext Own = Cuda.current();
  DeviceBuffer Out(4 * 2 * 128);
  CUdeviceptr Ptr = Out.ptr();
  void *Args[] = {&Ptr};
  auto Expect = [&](uint32_t Block) {
    ASSERT_EQ(Cuda.setCurrent(Own), "");
    ASSERT_EQ(Cuda.synchronize(), "");
    std::vector<uint32_t> Host(2 * Block);
    ASSERT_EQ(Cuda.download(Host.data(), Ptr, 4 * Host.size()), "");
    for (uint32_t V : Host)
      ASSERT_EQ(V, 3 * Block);
  };
  for (int I = 0; I != 3; ++I)
    ASSERT_TRUE(RK.K->launch(launchOf(2, 64), Args).isOk());
  Expect(64);

  if (!Cuda.canCreateContexts())
    GTEST_SKIP() << "the CUDA driver lacks cuCtxCreate_v4 (before 12.5)";
  CUcontext Other = nullptr;
  ASSERT_EQ(Cuda.createContext(Other), "");
  // Whatever fails below: the primary context current again, Other gone.
  struct Restore {
    CudaDriver &Cuda;
    CUcontext Other;
    ~Restore() {
      Cuda.makeCurrent();
      Cuda.destroyContext(Other);
    }
  } Guard{Cuda, Other};
  ASSERT_EQ(Cuda.setCurrent(Other), "");
  for (int I = 0; I != 3; ++I) {
    Status S = RK.K->launch(launchOf(2, 32), Args);
    ASSERT_TRUE(S.isOk()) << S.message();
    EXPECT_EQ(Cuda.current(), Other);
  }
  LaunchOptions Here;
  Here.InCurrentContext = true;
  EXPECT_EQ(RK.K->launch(launchOf(2, 32), Args, Here).code(),
            LCS_ERROR_NOT_CURRENT);
  Expect(32);

  ASSERT_EQ(Cuda.setCurrent(nullptr), "");
  ASSERT_TRUE(RK.K->launch(launchOf(2, 128), Args).isOk());
  EXPECT_EQ(Cuda.current(), nullptr);
  Expect(128);
  EXPECT_EQ(RK.R->counters().compiles, 3u) << "blocks 64, 32, 128";
}

TEST(GpuRuntime, ClusterLaunch) {
  REQUIRE_GPU();
  auto R = makeRuntime();
  std::unique_ptr<Program> P;
  // rank * 100 + explicit * 10 + cluster.x
  std::string IR = kernelIR("k", "add i32 %t2, %cx");
  IR.replace(IR.find("  %v = "), 0,
             "  %t1 = mul i32 %rank, 100\n  %t1e = mul i32 %ex, 10\n"
             "  %t2 = add i32 %t1, %t1e\n");
  ASSERT_TRUE(R->createProgram({{"k.ll", IR}}, P).isOk());
  Kernel *K = nullptr;
  ASSERT_TRUE(P->getKernel("k", K).isOk());
  LaunchParams C = launchOf(4, 64);
  C.cluster[0] = 2;
  C.cluster[1] = C.cluster[2] = 1;
  for (uint32_t X : run(*K, C, 256))
    ASSERT_EQ(X, 212u) << "2 blocks a cluster, explicit, cluster.x 2";
  for (uint32_t X : run(*K, launchOf(4, 64), 256))
    ASSERT_EQ(X, 101u) << "no cluster: one block, not explicit";
  EXPECT_EQ(K->variants().size(), 2u);
}

TEST(GpuRuntime, LaunchInsideStreamCaptureReplaysAsGraph) {
  REQUIRE_GPU();
  CudaDriver &D = CudaDriver::get();
  RuntimeK RK("add i32 %b, 5");
  ASSERT_TRUE(RK.K);
  void *Stream = nullptr;
  ASSERT_EQ(D.streamCreate(Stream), "");
  DeviceBuffer Out(4 * 256);
  CUdeviceptr Ptr = Out.ptr();
  void *Args[] = {&Ptr};
  ASSERT_EQ(D.beginCapture(Stream), "");
  LaunchParams L = launchOf(2, 128);
  L.stream = Stream;
  // A new variant: compiled and loaded while the stream is capturing.
  Status S = RK.K->launch(L, Args);
  void *Graph = nullptr;
  std::string End = D.endCaptureAndInstantiate(Stream, Graph);
  ASSERT_TRUE(S.isOk()) << S.message();
  ASSERT_EQ(End, "") << "the launch must not have broken the capture";
  for (int Replay = 0; Replay != 2; ++Replay) {
    ASSERT_EQ(D.zero(Out.ptr(), Out.bytes()), "");
    ASSERT_EQ(D.synchronize(), "");
    ASSERT_EQ(D.graphLaunch(Graph, Stream), "");
    ASSERT_EQ(D.streamSynchronize(Stream), "");
    std::vector<uint32_t> Host(256);
    ASSERT_EQ(D.download(Host.data(), Out.ptr(), Out.bytes()), "");
    for (uint32_t V : Host)
      ASSERT_EQ(V, 133u);
  }
  EXPECT_EQ(RK.R->counters().compiles, 1u);
}

/// The C API's generator: the kernel reports %dynamic_smem_size.
int smemGenerator(void *User, const char *Kernel, lcs_generated_t *Out) {
  auto *IR = static_cast<std::string *>(User);
  lcs_mark_launch_config_sensitive(LCS_FIELD_BLOCK_X);
  *IR = kernelIR(Kernel, "add i32 %smem, 0");
  Out->ir = IR->data();
  Out->ir_size = IR->size();
  Out->extra_shared_mem = 65536; // past 48 KiB: needs the opt-in
  return 0;
}

TEST(GpuRuntime, GeneratorExtraSharedMemoryThroughTheCApi) {
  REQUIRE_GPU();
  lcs_runtime_t RT = nullptr;
  ASSERT_EQ(lcs_runtime_create("", &RT), LCS_SUCCESS) << lcs_last_error();
  std::string IR;
  lcs_program_t P = nullptr;
  ASSERT_EQ(lcs_program_create_generated(RT, "gpu-test-smem-v1",
                                         smemGenerator, &IR, &P),
            LCS_SUCCESS);
  lcs_kernel_t K = nullptr;
  ASSERT_EQ(lcs_program_get_kernel(P, "k", &K), LCS_SUCCESS);
  DeviceBuffer Out(4 * 64);
  CUdeviceptr Ptr = Out.ptr();
  void *Args[] = {&Ptr};
  lcs_launch_config_t C = {};
  C.grid[0] = C.grid[1] = C.grid[2] = 1;
  C.block[0] = 64;
  C.block[1] = C.block[2] = 1;
  C.shared_mem_bytes = 256;
  ASSERT_EQ(lcs_launch(K, &C, Args), LCS_SUCCESS) << lcs_last_error();
  ASSERT_EQ(CudaDriver::get().synchronize(), "");
  std::vector<uint32_t> Host(64);
  ASSERT_EQ(CudaDriver::get().download(Host.data(), Out.ptr(), Out.bytes()),
            "");
  for (uint32_t V : Host)
    ASSERT_EQ(V, 256u + 65536u) << "the caller's bytes plus the generator's";
  lcs_sensitivity_t S;
  ASSERT_EQ(lcs_kernel_sensitivity(K, &S), LCS_SUCCESS);
  EXPECT_EQ(S.is_explicit, 1);
  EXPECT_TRUE(S.fields & LCS_FIELD_BLOCK_X);
  lcs_launch_config_t Outside;
  EXPECT_EQ(lcs_current_launch_config(&Outside), LCS_ERROR_NO_LAUNCH_CONFIG);
  EXPECT_STREQ(lcs_last_error(),
               "no launch configuration is active on this thread");
  lcs_program_destroy(P);
  lcs_runtime_destroy(RT);
}

TEST(GpuRuntime, InvalidConfigurationsAreRejectedBeforeTheDriver) {
  REQUIRE_GPU();
  RuntimeK RK("add i32 %b, 1");
  ASSERT_TRUE(RK.K);
  DeviceBuffer Out(4 * 1024);
  CUdeviceptr Ptr = Out.ptr();
  void *Args[] = {&Ptr};
  LaunchParams Z = launchOf(1, 1);
  Z.block[2] = 65;
  LaunchParams NotDividing = launchOf(3, 32);
  NotDividing.cluster[0] = 2;
  NotDividing.cluster[1] = NotDividing.cluster[2] = 1;
  struct Case {
    LaunchParams P;
    const char *Field;
  } Cases[] = {{launchOf(1, 2048), "block.x = 2048"},
               {Z, "block.z = 65"},
               {launchOf(1, 32, 1 << 20), "smem.dynamic = 1048576"},
               {NotDividing, "grid.x = 3 is not a multiple of cluster.x = 2"}};
  for (const Case &C : Cases) {
    Status S = RK.K->launch(C.P, Args);
    EXPECT_EQ(S.code(), LCS_ERROR_INVALID_CONFIG);
    EXPECT_NE(S.message().find(C.Field), std::string::npos) << S.message();
  }
  EXPECT_EQ(RK.R->counters().compiles, 0u) << "rejected before compiling";
  for (uint32_t V : run(*RK.K, launchOf(1, 256), 256))
    ASSERT_EQ(V, 257u);
}

/// One process of the stress test: 8 threads x 64 configurations.
TEST(GpuRuntime, StressChild) {
  REQUIRE_CHILD_OF("MultiProcessStress", "LCS_TEST_STRESS_DIR", Dir);
  RuntimeOptions O;
  O.CacheDir = std::string(Dir) + "/cache";
  O.DefaultPolicy = {LCS_GROUP_BLOCK, 128};
  std::unique_ptr<Runtime> R;
  ASSERT_TRUE(Runtime::create(O, R).isOk());
  std::unique_ptr<Program> P;
  Kernel *K = kernelK(*R, P, "mul i32 %b, 3");
  ASSERT_TRUE(K);
  std::atomic<int> Errors{0};
  std::vector<std::thread> Ts;
  unsigned Seed = unsigned(::getpid());
  for (int T = 0; T != 8; ++T)
    Ts.emplace_back([&, T] {
      CudaDriver::get().makeCurrent();
      for (int I = 0; I != 64; ++I) {
        unsigned B = 16u * (1 + (I * 7 + T * 13 + Seed) % 64);
        DeviceBuffer Out(4 * B);
        CUdeviceptr Ptr = Out.ptr();
        void *Args[] = {&Ptr};
        if (!K->launch(launchOf(1, B), Args).isOk()) {
          ++Errors;
          continue;
        }
        std::vector<uint32_t> Host(B);
        CudaDriver::get().download(Host.data(), Out.ptr(), Out.bytes());
        for (uint32_t V : Host)
          if (V != 3 * B) {
            ++Errors;
            break;
          }
      }
    });
  for (std::thread &T : Ts)
    T.join();
  lcs_counters_t C = R->counters();
  std::FILE *F = std::fopen(
      (std::string(Dir) + "/child-" + std::to_string(::getpid())).c_str(), "w");
  std::fprintf(F, "%llu %llu %d\n", (unsigned long long)C.compiles,
               (unsigned long long)C.disk_hits, Errors.load());
  std::fclose(F);
  EXPECT_EQ(Errors, 0);
}

TEST(GpuRuntime, MultiProcessStress) {
  REQUIRE_GPU();
  char Template[] = "/tmp/lcs-gpu-stress-XXXXXX";
  std::string Dir = ::mkdtemp(Template);
  std::vector<pid_t> Kids;
  for (int I = 0; I != 16; ++I)
    Kids.push_back(spawnChild("StressChild", {{"LCS_TEST_STRESS_DIR", Dir}}));
  for (pid_t Pid : Kids)
    EXPECT_EQ(waitChild(Pid), 0);
  unsigned long long Compiles = 0, DiskHits = 0;
  int Errors = 0, Reports = 0;
  std::FILE *L = ::popen(("cat " + Dir + "/child-*").c_str(), "r");
  unsigned long long C, D;
  int E;
  while (std::fscanf(L, "%llu %llu %d", &C, &D, &E) == 3) {
    Compiles += C;
    DiskHits += D;
    Errors += E;
    ++Reports;
  }
  ::pclose(L);
  EXPECT_EQ(Reports, 16);
  EXPECT_EQ(Errors, 0);
  EXPECT_EQ(Compiles, 64u) << "each variant compiled once across processes";
  EXPECT_EQ(Compiles + DiskHits, 16u * 64u);
  cache::CacheOptions CO;
  CO.Dir = Dir + "/cache";
  EXPECT_EQ(cache::DiskCache(CO).verify(), 0u);
  std::printf("stress: %d processes, compiles %llu, disk hits %llu\n",
              Reports, Compiles, DiskHits);
  std::system(("rm -rf " + Dir).c_str());
}

/// A grid-wide sum in one launch: each block adds ctaid+1, then waits at an
/// atomic-counter grid barrier (which only ends when every block is
/// resident: the cooperative guarantee) and stores the total.
const char *GridSumIR = R"(target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @gsum(ptr addrspace(1) %ctr, ptr addrspace(1) %out) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %c = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %n = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
  %sum = getelementptr i32, ptr addrspace(1) %ctr, i32 1
  %first = icmp eq i32 %t, 0
  br i1 %first, label %arrive, label %done
arrive:
  %c1 = add i32 %c, 1
  %a = atomicrmw add ptr addrspace(1) %sum, i32 %c1 seq_cst
  fence seq_cst
  %b = atomicrmw add ptr addrspace(1) %ctr, i32 1 seq_cst
  br label %spin
spin:
  %v = load atomic i32, ptr addrspace(1) %ctr acquire, align 4
  %all = icmp uge i32 %v, %n
  br i1 %all, label %read, label %spin
read:
  %s = load atomic i32, ptr addrspace(1) %sum acquire, align 4
  %p = getelementptr i32, ptr addrspace(1) %out, i32 %c
  store i32 %s, ptr addrspace(1) %p
  br label %done
done:
  call void @llvm.nvvm.barrier0()
  ret void
}
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
declare void @llvm.nvvm.barrier0()
)";

TEST(GpuRuntime, CooperativeGridSyncAtTheLargestCoResidentGrid) {
  REQUIRE_GPU();
  auto R = makeRuntime();
  std::unique_ptr<Program> P;
  ASSERT_TRUE(R->createProgram({{"gsum.ll", GridSumIR}}, P).isOk());
  Kernel *K = nullptr;
  ASSERT_TRUE(P->getKernel("gsum", K).isOk());
  LaunchOptions Coop;
  Coop.Cooperative = true;
  // The largest grid, from the error for one far too large.
  Status S = K->launch(launchOf(1u << 20, 256), nullptr, Coop);
  ASSERT_EQ(S.code(), LCS_ERROR_INVALID_CONFIG) << S.message();
  size_t At = S.message().find("at most ");
  ASSERT_NE(At, std::string::npos) << S.message();
  unsigned Most = unsigned(std::strtoul(S.message().c_str() + At + 8,
                                        nullptr, 10));
  ASSERT_GT(Most, 0u);
  DeviceBuffer Ctr(8), Out(size_t(Most) * 4);
  ASSERT_EQ(CudaDriver::get().zero(Ctr.ptr(), Ctr.bytes()), "");
  CUdeviceptr CtrP = Ctr.ptr(), OutP = Out.ptr();
  void *Args[] = {&CtrP, &OutP};
  S = K->launch(launchOf(Most, 256), Args, Coop);
  ASSERT_TRUE(S.isOk()) << S.message();
  ASSERT_EQ(CudaDriver::get().synchronize(), "");
  std::vector<uint32_t> Host(Most);
  ASSERT_EQ(CudaDriver::get().download(Host.data(), Out.ptr(), Out.bytes()),
            "");
  uint32_t Total = uint32_t(uint64_t(Most) * (Most + 1) / 2);
  for (uint32_t V : Host)
    ASSERT_EQ(V, Total);
  S = K->launch(launchOf(Most + 1, 256), Args, Coop);
  EXPECT_EQ(S.code(), LCS_ERROR_INVALID_CONFIG);
  EXPECT_NE(S.message().find("grid of " + std::to_string(Most + 1) +
                             " blocks cannot be co-resident: at most " +
                             std::to_string(Most) + " ("),
            std::string::npos)
      << S.message();
}

/// A generated kernel with a carveout and non-portable clusters, launched
/// with a 16-block cluster: out[i] = the cluster's block count.
Status clusterGenerator(const std::string &Kernel, Generated &G) {
  LaunchParams C;
  if (Status S = currentLaunchConfig(C))
    return S;
  G.IR = kernelIR(Kernel, "add i32 %rank, 0");
  G.Attributes.SharedMemoryCarveout = 100;
  G.Attributes.NonPortableClusterSizeAllowed = true;
  return Status::ok();
}

TEST(GpuRuntime, ClusterAttributesChild) {
  REQUIRE_CHILD_OF("NonPortableClusterFromCompileAndDisk",
                   "LCS_TEST_CLUSTER_CACHE", Dir);
  auto R = makeRuntime(Dir);
  std::unique_ptr<Program> P;
  ASSERT_TRUE(R->createProgram("cluster16-v1", clusterGenerator, P).isOk());
  Kernel *K = nullptr;
  ASSERT_TRUE(P->getKernel("c16", K).isOk());
  LaunchParams L = launchOf(32, 64);
  L.cluster[0] = 16;
  L.cluster[1] = L.cluster[2] = 1;
  for (uint32_t V : run(*K, L, 32 * 64))
    ASSERT_EQ(V, 16u);
  lcs_counters_t C = R->counters();
  std::printf("cluster child: compiles=%llu disk_hits=%llu generator=%llu\n",
              (unsigned long long)C.compiles,
              (unsigned long long)C.disk_hits,
              (unsigned long long)C.generator_calls);
  bool First = std::atoi(std::getenv("LCS_TEST_CLUSTER_FIRST")) != 0;
  EXPECT_EQ(C.compiles, First ? 1u : 0u);
  EXPECT_EQ(C.disk_hits, First ? 0u : 1u);
  EXPECT_EQ(C.generator_calls, First ? 1u : 0u);
}

TEST(GpuRuntime, NonPortableClusterFromCompileAndDisk) {
  REQUIRE_GPU();
  char Template[] = "/tmp/lcs-gpu-cluster-XXXXXX";
  std::string Dir = ::mkdtemp(Template);
  for (int First : {1, 0})
    EXPECT_EQ(
        waitChild(spawnChild("ClusterAttributesChild",
                             {{"LCS_TEST_CLUSTER_CACHE", Dir},
                              {"LCS_TEST_CLUSTER_FIRST", First ? "1" : "0"}})),
        0)
        << (First ? "the compiling process" : "the disk-hit process");
  std::system(("rm -rf " + Dir).c_str());
}

} // namespace
