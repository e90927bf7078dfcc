//===- TargetCheckTest.cpp - Intrinsics against the target ----------------===//

#include "lcs/compile/TargetCheck.h"
#include "lcs/compile/CodeGen.h"
#include "lcs/Driver.h"

#include "TestIR.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <algorithm>

using namespace llvm;

namespace {

/// A fresh directory per test, removed after.
struct ScratchDir {
  SmallString<128> Path;
  ScratchDir() {
    EXPECT_FALSE(sys::fs::createUniqueDirectory("lcs-target-check", Path));
  }
  ~ScratchDir() { sys::fs::remove_directories(Path); }
};

unsigned filesUnder(StringRef Dir) {
  unsigned N = 0;
  std::error_code EC;
  for (sys::fs::recursive_directory_iterator I(Dir, EC), E; I != E && !EC;
       I.increment(EC))
    N += I->type() == sys::fs::file_type::regular_file;
  return N;
}

bool probe(StringRef Name, StringRef Type, StringRef Arch, unsigned PTX,
           std::vector<std::string> Args = {}) {
  Expected<bool> Ok = lcs::probeIntrinsic(Name, Type, Args, Arch, PTX);
  if (!Ok) {
    ADD_FAILURE() << toString(Ok.takeError());
    return false;
  }
  return *Ok;
}

TEST(ArchForDevice, ArchSpecificWhereTheDeviceHasOne) {
  EXPECT_EQ(lcs::archForDevice(9, 0), "sm_90a");
  EXPECT_EQ(lcs::archForDevice(10, 0), "sm_100a");
  EXPECT_EQ(lcs::archForDevice(10, 3), "sm_103a");
  EXPECT_EQ(lcs::archForDevice(11, 0), "sm_110a");
  EXPECT_EQ(lcs::archForDevice(12, 0), "sm_120a");
  EXPECT_EQ(lcs::archForDevice(12, 1), "sm_121a");
  EXPECT_EQ(lcs::archForDevice(7, 5), "sm_75");
  EXPECT_EQ(lcs::archForDevice(8, 0), "sm_80");
  EXPECT_EQ(lcs::archForDevice(8, 6), "sm_86");
  EXPECT_EQ(lcs::archForDevice(8, 9), "sm_89");
  // LLVM knows sm_101a, CUDA 13 does not (it became sm_110a).
  EXPECT_EQ(lcs::archForDevice(10, 1), "sm_101");
}

// archForDevice() decides without LLVM (the runtime does not load it):
// every target it can answer must be one LLVM knows.
TEST(ArchForDevice, EveryAnswerIsATargetLLVMKnows) {
  const std::vector<std::string> &Known = lcs::knownTargets();
  for (int Major = 7; Major <= 13; ++Major)
    for (int Minor = 0; Minor <= 9; ++Minor) {
      std::string A = lcs::archForDevice(Major, Minor);
      if (A.back() == 'a')
        EXPECT_NE(std::find(Known.begin(), Known.end(), A), Known.end()) << A;
    }
  for (const std::string &T : lcs::cudaTargets())
    EXPECT_NE(std::find(Known.begin(), Known.end(), T), Known.end()) << T;
}

TEST(ArchForDevice, KnownTargetsAreThoseOfLLVMAndCUDA13) {
  const std::vector<std::string> &T = lcs::knownTargets();
  for (const char *Want : {"sm_75", "sm_80", "sm_90", "sm_90a", "sm_100a",
                           "sm_100f", "sm_120a", "sm_121f"})
    EXPECT_TRUE(is_contained(T, Want)) << Want;
  for (const char *Not : {"sm_70", "sm_72", "sm_101", "sm_101a"})
    EXPECT_FALSE(is_contained(T, Not)) << Not;
}

TEST(ArchForDevice, FromTheDriver) {
  static int Major, Minor;
  static CUresult GetResult;
  lcs::DriverTable D{};
  D.Init = [](unsigned) { return CUDA_SUCCESS; };
  D.DeviceGet = [](CUdevice *Dev, int) {
    *Dev = 0;
    return GetResult;
  };
  D.DeviceGetAttribute = [](int *V, CUdevice_attribute A, CUdevice) {
    *V = A == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR ? Major : Minor;
    return CUDA_SUCCESS;
  };
  GetResult = CUDA_SUCCESS;
  Major = 9, Minor = 0;
  Expected<std::string> A = lcs::deviceArch(D, 0);
  ASSERT_TRUE(bool(A)) << toString(A.takeError());
  EXPECT_EQ(*A, "sm_90a");
  Major = 8, Minor = 6;
  A = lcs::deviceArch(D, 0);
  ASSERT_TRUE(bool(A)) << toString(A.takeError());
  EXPECT_EQ(*A, "sm_86");
  GetResult = CUDA_ERROR_NO_DEVICE;
  A = lcs::deviceArch(D, 0);
  ASSERT_FALSE(bool(A));
  EXPECT_NE(toString(A.takeError()).find("cuDeviceGet"), std::string::npos);
}

/// The probe's answers against the installed LLVM 22's NVPTX predicates
/// (NVPTXIntrinsics.td: hasSM<90>, hasPTX<83>, hasArchAccelFeatures).
TEST(TargetCheck, ProbeAnswersMatchLLVM) {
  lcs::setProbeCacheDir("");
  // Any target.
  EXPECT_TRUE(probe("llvm.nvvm.read.ptx.sreg.tid.x", "i32 ()", "sm_75", 78));
  EXPECT_TRUE(probe("llvm.nvvm.nanosleep", "void (i32)", "sm_75", 78));
  // sm_90 and newer, any variant.
  EXPECT_FALSE(
      probe("llvm.nvvm.read.ptx.sreg.cluster.nctaid.x", "i32 ()", "sm_80", 78));
  EXPECT_TRUE(
      probe("llvm.nvvm.read.ptx.sreg.cluster.nctaid.x", "i32 ()", "sm_90", 78));
  EXPECT_FALSE(
      probe("llvm.nvvm.barrier.cluster.arrive", "void ()", "sm_89", 78));
  EXPECT_TRUE(
      probe("llvm.nvvm.barrier.cluster.arrive", "void ()", "sm_90", 78));
  // sm_90 at PTX 8.3 and newer.
  EXPECT_FALSE(probe("llvm.nvvm.fence.proxy.tensormap_generic.release.cta",
                     "void ()", "sm_90", 80));
  EXPECT_TRUE(probe("llvm.nvvm.fence.proxy.tensormap_generic.release.cta",
                    "void ()", "sm_90", 83));
  // sm_90a only.
  EXPECT_FALSE(probe("llvm.nvvm.wgmma.commit_group.sync.aligned", "void ()",
                     "sm_90", lcs::MaxPTXVersion));
  EXPECT_TRUE(probe("llvm.nvvm.wgmma.commit_group.sync.aligned", "void ()",
                    "sm_90a", 80));
  EXPECT_FALSE(probe("llvm.nvvm.wgmma.commit_group.sync.aligned", "void ()",
                     "sm_100a", 90));
  // Arch-accelerated targets.
  EXPECT_FALSE(probe("llvm.nvvm.setmaxnreg.inc.sync.aligned.u32", "void (i32)",
                     "sm_90", 90, {"i32 240"}));
  EXPECT_TRUE(probe("llvm.nvvm.setmaxnreg.inc.sync.aligned.u32", "void (i32)",
                    "sm_90a", 80, {"i32 240"}));
}

/// The compile worker warms nvJitLink up on a thread of its own; a probe
/// forks only once that thread is done (a child must not inherit another
/// thread's locks), and an assembly after it works.
TEST(TargetCheck, ProbesAndAssemblyAfterTheAssemblerWarmUp) {
  lcs::setProbeCacheDir("");
  lcs::forgetProbeAnswers(); // the probes below must fork, run after run
  lcs::startAssemblerWarmUp();
  lcs::startAssemblerWarmUp(); // once per process
  unsigned Children = lcs::probeChildrenStarted();
  EXPECT_TRUE(probe("llvm.nvvm.read.ptx.sreg.nsmid", "i32 ()", "sm_75", 78));
  EXPECT_FALSE(probe("llvm.nvvm.read.ptx.sreg.cluster.nctarank", "i32 ()",
                     "sm_86", 78));
  EXPECT_GT(lcs::probeChildrenStarted(), Children) << "the probes forked";
  Expected<std::string> Cubin = lcs::assemblePTX(
      ".version 6.3\n.target sm_75\n.address_size 64\n"
      ".visible .entry k() { ret; }\n",
      "sm_75", 3);
  if (!Cubin) {
    std::string Why = toString(Cubin.takeError());
    if (Why.find("neither nvJitLink nor ptxas") == std::string::npos)
      ADD_FAILURE() << Why;
  } else {
    EXPECT_FALSE(Cubin->empty());
  }
  lcs::finishAssemblerWarmUp();
  lcs::finishAssemblerWarmUp();
}

TEST(TargetCheck, MinimumPTXVersions) {
  for (auto [Arch, Want] :
       {std::pair<const char *, unsigned>{"sm_90", 78}, {"sm_90a", 80}}) {
    Expected<unsigned> V = lcs::minPTXVersion(Arch);
    ASSERT_TRUE(bool(V)) << toString(V.takeError());
    EXPECT_EQ(*V, Want) << Arch;
  }
  Expected<unsigned> Bad = lcs::minPTXVersion("gfx90a");
  EXPECT_FALSE(bool(Bad));
  consumeError(Bad.takeError());
}

TEST(TargetCheck, AnswersAreCachedInMemoryAndOnDisk) {
  ScratchDir Dir;
  lcs::setProbeCacheDir(std::string(Dir.Path));
  unsigned Before = lcs::probeChildrenStarted();
  EXPECT_TRUE(probe("llvm.nvvm.read.ptx.sreg.ctaid.y", "i32 ()", "sm_80", 78));
  EXPECT_EQ(lcs::probeChildrenStarted(), Before + 1);
  SmallString<128> Probes(Dir.Path);
  sys::path::append(Probes, "probe");
  EXPECT_EQ(filesUnder(Probes), 1u);
  // In memory: no child.
  EXPECT_TRUE(probe("llvm.nvvm.read.ptx.sreg.ctaid.y", "i32 ()", "sm_80", 78));
  EXPECT_EQ(lcs::probeChildrenStarted(), Before + 1);
  // On disk: no child either.
  lcs::forgetProbeAnswers();
  EXPECT_TRUE(probe("llvm.nvvm.read.ptx.sreg.ctaid.y", "i32 ()", "sm_80", 78));
  EXPECT_EQ(lcs::probeChildrenStarted(), Before + 1);
  // A rejection is an answer too, and another target is another question.
  EXPECT_FALSE(
      probe("llvm.nvvm.read.ptx.sreg.clusterid.x", "i32 ()", "sm_80", 78));
  EXPECT_EQ(lcs::probeChildrenStarted(), Before + 2);
  lcs::forgetProbeAnswers();
  EXPECT_FALSE(
      probe("llvm.nvvm.read.ptx.sreg.clusterid.x", "i32 ()", "sm_80", 78));
  EXPECT_EQ(lcs::probeChildrenStarted(), Before + 2);
  EXPECT_EQ(filesUnder(Probes), 2u);
  lcs::setProbeCacheDir("");
}

TEST(TargetCheck, CorruptAnswersAreMisses) {
  ScratchDir Dir;
  lcs::setProbeCacheDir(std::string(Dir.Path));
  EXPECT_TRUE(probe("llvm.nvvm.read.ptx.sreg.nctaid.z", "i32 ()", "sm_86", 78));
  std::error_code EC;
  for (sys::fs::recursive_directory_iterator I(Dir.Path, EC), E; I != E && !EC;
       I.increment(EC))
    if (I->type() == sys::fs::file_type::regular_file) {
      std::error_code WEC;
      raw_fd_ostream OS(I->path(), WEC);
      OS << "garbage";
    }
  lcs::forgetProbeAnswers();
  unsigned Before = lcs::probeChildrenStarted();
  EXPECT_TRUE(probe("llvm.nvvm.read.ptx.sreg.nctaid.z", "i32 ()", "sm_86", 78));
  EXPECT_EQ(lcs::probeChildrenStarted(), Before + 1);
  lcs::setProbeCacheDir("");
}

TEST(TargetCheck, ModuleErrorsAndPTXVersion) {
  lcs::setProbeCacheDir("");
  LLVMContext Ctx;
  std::unique_ptr<Module> M = lcs::test::parse(Ctx, R"(
define ptx_kernel void @matmul() {
  call void @llvm.nvvm.fence.proxy.async()
  call void @llvm.nvvm.wgmma.commit_group.sync.aligned()
  ret void
}
declare void @llvm.nvvm.fence.proxy.async()
declare void @llvm.nvvm.wgmma.commit_group.sync.aligned()
)");
  ASSERT_TRUE(M);
  M->setModuleIdentifier("k.ll");
  Expected<unsigned> V = lcs::choosePTXVersion(*M, "sm_90");
  ASSERT_FALSE(bool(V));
  EXPECT_EQ(toString(V.takeError()),
            "k.ll: intrinsic llvm.nvvm.wgmma.commit_group.sync.aligned "
            "(called from 'matmul') is not available on sm_90; targets that "
            "have it: sm_90a");
  V = lcs::choosePTXVersion(*M, "sm_90a");
  ASSERT_TRUE(bool(V)) << toString(V.takeError());
  EXPECT_EQ(*V, 80u);
  V = lcs::choosePTXVersion(*M, "sm_72");
  ASSERT_FALSE(bool(V));
  EXPECT_NE(toString(V.takeError()).find("needs sm_75 or newer"),
            std::string::npos);
}

} // namespace
