//===- SpecialRegistersTest.cpp - Register table and PTX scanning ---------===//

#include "lcs/SpecialRegisters.h"

#include "gtest/gtest.h"

using namespace llvm;
using namespace lcs;

TEST(SpecialRegisters, IntrinsicsByName) {
  const SpecialRegister *R =
      lookupIntrinsicRegister("llvm.nvvm.read.ptx.sreg.nclusterid.y");
  ASSERT_NE(R, nullptr);
  EXPECT_EQ(R->Fields.str(), "grid.y,cluster.y");
  EXPECT_EQ(lookupIntrinsicRegister("llvm.nvvm.read.ptx.sreg.cluster.nctarank")
                ->Fields.str(),
            "cluster.x,cluster.y,cluster.z");
  EXPECT_TRUE(lookupIntrinsicRegister("llvm.nvvm.read.ptx.sreg.tid.x")
                  ->Fields.empty());
  EXPECT_EQ(lookupIntrinsicRegister("llvm.nvvm.read.ptx.sreg.unknown"),
            nullptr);
  EXPECT_EQ(lookupIntrinsicRegister("my.ntid.x"), nullptr);
}

TEST(SpecialRegisters, PTXScan) {
  EXPECT_EQ(launchFieldsInPTX("mov.u32 $0, %ntid.y;").str(), "block.y");
  EXPECT_EQ(launchFieldsInPTX("mov.v4.u32 {$0,$1,$2,$3}, %ntid;").str(),
            "block.x,block.y,block.z");
  EXPECT_EQ(launchFieldsInPTX("mov.u32 $0, %tid.x; mov.u32 $1, %ctaid.x;"),
            FieldMask());
  EXPECT_EQ(launchFieldsInPTX("mov.u32 $0, %dynamic_smem_size;").str(),
            "smem.dynamic");
  EXPECT_EQ(launchFieldsInPTX("mov.u32 %r1, %cluster_nctaid.z;\n\tadd.u32 $0, "
                              "%r1, %nctaid.x;")
                .str(),
            "grid.x,cluster.z");
  // %ntid is not %ntidx, and operand names are not registers.
  EXPECT_EQ(launchFieldsInPTX("mov.u32 $0, %ntidx;"), FieldMask());
  EXPECT_EQ(launchFieldsInPTX("@%p1 mov.u32 $0, 0;"), FieldMask());
}

TEST(SpecialRegisters, PureMoves) {
  SmallVector<PTXMove, 4> Moves;
  ASSERT_TRUE(parsePureMoves("mov.u32 $0, %dynamic_smem_size;", Moves));
  ASSERT_EQ(Moves.size(), 1u);
  EXPECT_EQ(Moves[0].Operand, 0u);
  EXPECT_EQ(Moves[0].Reg->PTXName, "dynamic_smem_size");

  ASSERT_TRUE(parsePureMoves("mov.u32 $0, %ntid.x;\n\tmov.u32 $1, %tid.x;",
                             Moves));
  EXPECT_EQ(Moves.size(), 2u);

  EXPECT_FALSE(parsePureMoves("mov.u32 $0, %ntid.x; st.u32 [$1], $0;", Moves));
  EXPECT_FALSE(parsePureMoves("mov.u64 $0, %clock64;", Moves));
  EXPECT_FALSE(parsePureMoves("mov.u32 $0, %envreg1;", Moves));
  EXPECT_FALSE(parsePureMoves("", Moves));
}
