//===- ConfigTest.cpp - The launch-configuration library ------------------===//
//
// lcs/config without LLVM: the text and record parsers, the C conversions,
// every validation rule's message, and the C API's bits against the table.
//
//===----------------------------------------------------------------------===//

#include "lcs/config/Fields.h"
#include "lcs/config/LaunchConfig.h"
#include "lcs/config/Validate.h"

#include "gtest/gtest.h"

#include <vector>

using namespace lcs;

namespace {

LaunchConfig parsed(const std::string &Text) {
  LaunchConfig C;
  Status S = config::parse(Text, C);
  EXPECT_TRUE(S.isOk()) << Text << ": " << S.message();
  return C;
}

std::string parseError(const std::string &Text) {
  LaunchConfig C;
  Status S = config::parse(Text, C);
  EXPECT_EQ(S.code(), LCS_ERROR_INVALID_CONFIG) << Text;
  return S.message();
}

Limits target(const std::string &Arch) {
  Limits L;
  Status S = config::targetLimits(Arch, L);
  EXPECT_TRUE(S.isOk()) << S.message();
  return L;
}

/// The message validate() gives \p Text against \p L ("" if valid).
std::string check(const std::string &Text, const Limits &L) {
  Status S = config::validate(parsed(Text), L);
  EXPECT_TRUE(S.isOk() || S.code() == LCS_ERROR_INVALID_CONFIG);
  return S.message();
}

lcs_launch_config_t cLaunch(uint32_t Grid, uint32_t Block) {
  lcs_launch_config_t P = {};
  P.grid[0] = Grid;
  P.block[0] = Block;
  P.grid[1] = P.grid[2] = P.block[1] = P.block[2] = 1;
  return P;
}

TEST(ConfigTest, TheCApiBitsAreTheTable) {
  const uint32_t FieldBits[] = {LCS_FIELD_BLOCK_X,   LCS_FIELD_BLOCK_Y,
                                LCS_FIELD_BLOCK_Z,   LCS_FIELD_GRID_X,
                                LCS_FIELD_GRID_Y,    LCS_FIELD_GRID_Z,
                                LCS_FIELD_CLUSTER_X, LCS_FIELD_CLUSTER_Y,
                                LCS_FIELD_CLUSTER_Z, LCS_FIELD_SMEM_DYNAMIC};
  ASSERT_EQ(std::size(FieldBits), size_t(NumFields));
  for (unsigned I = 0; I != NumFields; ++I)
    EXPECT_EQ(FieldMask(Field(I)).bits(), FieldBits[I])
        << config::fieldName(Field(I));
  EXPECT_EQ(FieldMask::all().bits(), uint32_t(LCS_FIELD_ALL));
  const uint32_t GroupBits[] = {LCS_GROUP_BLOCK, LCS_GROUP_GRID,
                                LCS_GROUP_CLUSTER, LCS_GROUP_SMEM};
  ASSERT_EQ(std::size(GroupBits), size_t(NumGroups));
  for (unsigned G = 0; G != NumGroups; ++G) {
    FieldMask M = FieldMask::group(FieldGroup(G));
    EXPECT_EQ(M.groupBits(), GroupBits[G]) << config::groupName(FieldGroup(G));
    EXPECT_EQ(FieldMask::ofGroupBits(GroupBits[G]), M);
  }
  EXPECT_EQ(FieldMask(LCS_FIELD_GRID_Y | LCS_FIELD_SMEM_DYNAMIC).groupBits(),
            uint32_t(LCS_GROUP_GRID | LCS_GROUP_SMEM));
  EXPECT_EQ(FieldMask::ofGroupBits(LCS_GROUP_CLUSTER).str(),
            "cluster.x,cluster.y,cluster.z");
}

TEST(ConfigTest, FieldLists) {
  FieldMask M;
  ASSERT_TRUE(config::parseFieldList(" grid.x , block.x", M).isOk());
  EXPECT_EQ(M.str(" "), "block.x grid.x");
  Status Bad = config::parseFieldList("block.x,warp", M);
  EXPECT_EQ(Bad.message(),
            "unknown launch field 'warp' (expected 'all' or fields among "
            "block.x block.y block.z grid.x grid.y grid.z cluster.x "
            "cluster.y cluster.z smem.dynamic)");
  EXPECT_FALSE(config::parseFieldList(" ", M).isOk());
}

TEST(ConfigTest, TheTextForm) {
  LaunchConfig C = parsed(" block=128x2 ; grid=64;cluster=2x1x1;smem=4096;"
                          "kernel=k;arch=sm_90a;nonportable-cluster");
  EXPECT_EQ(*C.Block, (Dim3{128, 2, 1}));
  EXPECT_EQ(*C.Grid, (Dim3{64, 1, 1}));
  EXPECT_EQ(*C.Cluster, (Dim3{2, 1, 1}));
  EXPECT_EQ(*C.Smem, 4096u);
  EXPECT_EQ(C.Kernel, "k");
  EXPECT_EQ(C.Arch, "sm_90a");
  EXPECT_TRUE(C.NonPortableCluster);
  EXPECT_EQ(C.str(), "block=128x2x1;grid=64x1x1;cluster=2x1x1;smem=4096");
  EXPECT_EQ(C.str(FieldMask::group(FieldGroup::Grid)), "grid=64x1x1");

  LaunchConfig None = parsed("cluster=2;cluster=none");
  EXPECT_FALSE(None.Cluster);
  EXPECT_TRUE(None.ClusterNone);
  EXPECT_EQ(None.str(), "cluster=none");
  EXPECT_EQ(None.givenFields(), FieldMask::group(FieldGroup::Cluster));
  EXPECT_TRUE(parsed("").givenFields().empty());

  EXPECT_EQ(parseError("block"), "parameter 'block' needs a value (KEY=VALUE)");
  EXPECT_EQ(parseError("warp=32"),
            "unknown parameter 'warp' (expected block, grid, cluster, smem, "
            "kernel, arch, nonportable-cluster)");
  EXPECT_EQ(parseError("block=1x2x3x4"),
            "block: '1x2x3x4' is not 1 to 3 dimensions joined by 'x' (e.g. "
            "128x2x1)");
  EXPECT_EQ(parseError("grid="),
            "grid: '' is not 1 to 3 dimensions joined by 'x' (e.g. 128x2x1)");
  EXPECT_EQ(parseError("grid=4xq"), "grid: 'q' is not a number");
  EXPECT_EQ(parseError("block=-1"), "block: '-1' is not a number");
  EXPECT_EQ(parseError("block=4294967296"),
            "block: '4294967296' is not a number");
  EXPECT_EQ(parseError("cluster=2x0"), "cluster.y must be at least 1");
  EXPECT_EQ(parseError("smem=1k"), "smem: '1k' is not a byte count");
  EXPECT_EQ(parseError("kernel="), "kernel: empty name");
  EXPECT_EQ(parseError("arch=gfx90a"),
            "unknown target 'gfx90a' (expected sm_NN, sm_NNa or sm_NNf, e.g. sm_90)");
  EXPECT_EQ(parseError("arch=sm_70"),
            "target 'sm_70' is not supported: ptxas from CUDA 13 needs sm_75 "
            "or newer");
}

TEST(ConfigTest, TheRecordForm) {
  EXPECT_EQ(config::parseRecordDims("128"), (Dim3{128, 1, 1}));
  EXPECT_EQ(config::parseRecordDims("8, 4,2"), (Dim3{8, 4, 2}));
  EXPECT_FALSE(config::parseRecordDims(""));
  EXPECT_FALSE(config::parseRecordDims("1,2,3,4"));
  EXPECT_FALSE(config::parseRecordDims("1,x"));
  EXPECT_FALSE(config::parseRecordDims("0"));
}

TEST(ConfigTest, TheCForm) {
  lcs_launch_config_t P = cLaunch(8, 64);
  P.shared_mem_bytes = 100;
  LaunchConfig C = LaunchConfig::fromC(P);
  EXPECT_EQ(C.givenFields(), FieldMask::all());
  EXPECT_TRUE(C.ClusterNone);
  EXPECT_EQ(C.str(), "block=64x1x1;grid=8x1x1;cluster=none;smem=100");
  P.cluster[0] = 2;
  P.cluster[1] = P.cluster[2] = 1;
  lcs_launch_config_t Back = LaunchConfig::fromC(P).toC();
  EXPECT_EQ(LaunchConfig::fromC(Back).str(), LaunchConfig::fromC(P).str());
  // Absent parts: 1x1x1, no cluster, no shared memory.
  lcs_launch_config_t Partial = parsed("grid=4").toC();
  EXPECT_EQ(Partial.block[0], 1u);
  EXPECT_EQ(Partial.grid[0], 4u);
  EXPECT_EQ(Partial.cluster[0], 0u);
  EXPECT_EQ(Partial.shared_mem_bytes, 0u);
}

TEST(ConfigTest, TargetLimits) {
  EXPECT_EQ(target("sm_75").MaxDynamicSmem, 65536u);
  EXPECT_EQ(target("sm_80").MaxDynamicSmem, 166912u);
  EXPECT_EQ(target("sm_89").MaxDynamicSmem, 101376u);
  EXPECT_EQ(target("sm_90a").MaxDynamicSmem, 232448u);
  EXPECT_EQ(target("sm_90a").Who, "sm_90");
  EXPECT_FALSE(target("sm_86").HasClusters);
  EXPECT_TRUE(target("sm_100").HasClusters);
  Limits L;
  EXPECT_FALSE(config::targetLimits("sm_", L).isOk());
  EXPECT_FALSE(config::targetLimits("sm_99999999999", L).isOk());
}

TEST(ConfigTest, EveryRuleNamesTheFieldAndTheLimit) {
  // Each configuration, for a target, and the error it gets ("" none).
  struct Case {
    const char *Arch, *Text, *Error;
  };
  const Case Cases[] = {
      {"sm_90", "block=1024;grid=2147483646;cluster=2;smem=232448", ""},
      {"sm_90", "block=2048",
       "block.x = 2048 exceeds the maximum of 1024 for sm_90"},
      {"sm_90", "block=1x1x65",
       "block.z = 65 exceeds the maximum of 64 for sm_90"},
      {"sm_90", "block=64x32",
       "block 64x32x1 has 2048 threads; at most 1024 for sm_90"},
      {"sm_90", "grid=2147483648",
       "grid.x = 2147483648 exceeds the maximum of 2147483647 for sm_90"},
      {"sm_90", "grid=1x65536",
       "grid.y = 65536 exceeds the maximum of 65535 for sm_90"},
      {"sm_80", "cluster=2",
       "cluster 2x1x1: sm_80 cannot launch thread block clusters (sm_90 "
       "or newer can)"},
      {"sm_90", "cluster=4x4",
       "cluster 4x4x1 has 16 blocks; at most 8 (portable; 16 with "
       "nonportable-cluster)"},
      {"sm_90", "cluster=4x4;nonportable-cluster", ""},
      {"sm_90", "cluster=4x4x2;nonportable-cluster",
       "cluster 4x4x2 has 32 blocks; at most 16 (non-portable)"},
      {"sm_90", "grid=6;cluster=4",
       "grid.x = 6 is not a multiple of cluster.x = 4"},
      {"sm_90", "smem=232449",
       "smem.dynamic = 232449 bytes exceeds the opt-in maximum of "
       "232448 bytes for sm_90"},
      {"sm_80", "cluster=none", ""},
  };
  for (const Case &C : Cases)
    EXPECT_EQ(check(C.Text, target(C.Arch)), C.Error) << C.Text;

  // A device's limits, through the C form (zero dims reach the validator).
  Limits D = config::cudaLimits();
  D.Who = config::deviceName(90);
  D.HasClusters = true;
  D.MaxDynamicSmem = 1000;
  auto CCheck = [&](const lcs_launch_config_t &P) {
    return config::validate(ConfigRef::of(P), D).message();
  };
  EXPECT_EQ(CCheck(cLaunch(0, 32)), "grid.x must be at least 1");
  EXPECT_EQ(CCheck(cLaunch(1, 0)), "block.x must be at least 1");
  EXPECT_EQ(CCheck(cLaunch(1, 2048)),
            "block.x = 2048 exceeds the maximum of 1024 for the device "
            "(sm_90)");
  lcs_launch_config_t Cl = cLaunch(16, 32);
  Cl.cluster[0] = 2;
  EXPECT_EQ(CCheck(Cl), "cluster.y must be at least 1");
  Cl.cluster[0] = 16;
  Cl.cluster[1] = Cl.cluster[2] = 1;
  EXPECT_EQ(CCheck(Cl), "cluster 16x1x1 has 16 blocks; at most 8 (portable)");
  lcs_launch_config_t Sm = cLaunch(1, 32);
  Sm.shared_mem_bytes = 1001;
  EXPECT_EQ(CCheck(Sm), "smem.dynamic = 1001 bytes exceeds the opt-in "
                        "maximum of 1000 bytes for the device (sm_90)");
  EXPECT_EQ(config::smemError(900, 200, D).message(),
            "smem.dynamic = 900 bytes + 200 the generator added exceeds the "
            "opt-in maximum of 1000 bytes for the device (sm_90)");
  EXPECT_EQ(CCheck(cLaunch(1, 32)), "");
}

/// The hit path's check by loads alone says yes exactly where validate
/// and checkBounds both pass, for every launch without a cluster, and no
/// for every launch with one.
TEST(ConfigTest, PassesWithoutClusterAgreesWithTheChecks) {
  // A device's limits, and none or all allowed.
  Limits Device;
  Device.MaxBlock[0] = 1024, Device.MaxBlock[1] = 1024, Device.MaxBlock[2] = 64;
  Device.MaxThreads = 1024;
  Device.MaxGrid[0] = 0x7fffffffu;
  Device.MaxGrid[1] = Device.MaxGrid[2] = 65535;
  Device.MaxDynamicSmem = 232448;
  Device.HasClusters = true;
  Limits None = Device, All = Device;
  for (unsigned I = 0; I != 3; ++I) {
    None.MaxBlock[I] = None.MaxGrid[I] = 0;
    All.MaxBlock[I] = All.MaxGrid[I] = 0xffffffffu;
  }
  None.MaxThreads = None.MaxDynamicSmem = 0;
  All.MaxThreads = All.MaxDynamicSmem = 0xffffffffu;
  unsigned Passed = 0, Checked = 0;
  for (const Limits &L : {Device, None, All}) {
    std::vector<KernelBounds> Bounds(5);
    Bounds[1].ReqNTid = {128, 1, 1};
    Bounds[2].MaxThreads = 256;
    Bounds[3].ClusterDim = {2, 1, 1};
    Bounds[4].MaxClusterRank = 4;
    const uint32_t Blocks[] = {0, 1, 2, 64, 65, 128, 256, 1024, 1025,
                               0xffffffffu};
    const uint32_t Grids[] = {0, 1, 65535, 65536, 0x7fffffffu, 0x80000000u,
                              0xffffffffu};
    const uint32_t Smems[] = {0, 49152, 232448, 232449};
    for (const KernelBounds &B : Bounds)
      for (uint32_t BX : Blocks)
        for (uint32_t BY : {1u, 2u, 1024u, 1025u, 0u})
          for (uint32_t BZ : {1u, 64u, 65u})
            for (uint32_t G : Grids)
              for (uint32_t GY : {1u, 65535u, 65536u})
                for (uint32_t Smem : Smems)
                  for (uint32_t CX : {0u, 2u}) {
                    lcs_launch_config_t P = {};
                    P.block[0] = BX, P.block[1] = BY, P.block[2] = BZ;
                    P.grid[0] = G, P.grid[1] = GY, P.grid[2] = GY;
                    P.shared_mem_bytes = Smem;
                    P.cluster[0] = CX;
                    P.cluster[1] = P.cluster[2] = CX ? 1 : 0;
                    ConfigRef C = ConfigRef::of(P);
                    C.NonPortableCluster = true; // as the runtime asks
                    bool Checks = config::validate(C, L).isOk() &&
                                  config::checkBounds(C, B).isOk();
                    bool Fast = config::passesWithoutCluster(P, L, B);
                    ++Checked;
                    Passed += Fast;
                    ASSERT_EQ(Fast, Checks && !CX)
                        << "block " << BX << "x" << BY << "x" << BZ << " grid "
                        << G << "x" << GY << " smem " << Smem << " cluster "
                        << CX << " limits " << L.MaxThreads;
                  }
  }
  EXPECT_GT(Passed, 0u);
  EXPECT_LT(Passed, Checked);
}

TEST(ConfigTest, KernelBounds) {
  KernelBounds B;
  EXPECT_TRUE(B.empty());
  EXPECT_TRUE(config::checkBounds(parsed("block=2048;cluster=none"), B).isOk());
  B.ReqNTid = {128, 1, 1};
  EXPECT_EQ(config::checkBounds(parsed("block=256"), B).message(),
            "block 256x1x1 contradicts its required block 128x1x1 (reqntid)");
  EXPECT_TRUE(config::checkBounds(parsed("block=128"), B).isOk());
  EXPECT_TRUE(config::checkBounds(parsed("grid=5"), B).isOk())
      << "no block given: nothing to check";
  B = KernelBounds();
  B.MaxThreads = 256;
  EXPECT_EQ(config::checkBounds(parsed("block=512"), B).message(),
            "block 512x1x1 has 512 threads, more than its maximum of 256 "
            "(maxntid)");
  B = KernelBounds();
  B.ClusterDim = {2, 1, 1};
  EXPECT_EQ(config::checkBounds(parsed("cluster=none"), B).message(),
            "cluster none contradicts its required cluster 2x1x1 "
            "(cluster_dim)");
  EXPECT_EQ(config::checkBounds(parsed("cluster=4"), B).message(),
            "cluster 4x1x1 contradicts its required cluster 2x1x1 "
            "(cluster_dim)");
  EXPECT_EQ(config::checkBounds(ConfigRef::of(cLaunch(1, 32)), B).message(),
            "cluster none contradicts its required cluster 2x1x1 "
            "(cluster_dim)");
  B = KernelBounds();
  B.MaxClusterRank = 4;
  EXPECT_EQ(config::checkBounds(parsed("cluster=8"), B).message(),
            "cluster 8x1x1 has 8 blocks, more than its maximum of 4 "
            "(maxclusterrank)");
  EXPECT_EQ(config::requiredBlockError({64, 1, 1}, {128, 1, 1}).message(),
            "block 64x1x1 contradicts its required block 128x1x1 (reqntid)");
}

} // namespace
