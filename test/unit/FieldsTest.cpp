//===- FieldsTest.cpp - The launch-field model ----------------------------===//

#include "lcs/Fields.h"
#include "lcs/cache/Entry.h"

#include "gtest/gtest.h"

using namespace llvm;
using namespace lcs;

TEST(Fields, CanonicalNamesAndOrder) {
  EXPECT_EQ(FieldMask::all().str(" "),
            "block.x block.y block.z grid.x grid.y grid.z cluster.x "
            "cluster.y cluster.z smem.dynamic");
  FieldMask M = FieldMask(Field::SmemDynamic) | Field::BlockY | Field::GridX;
  EXPECT_EQ(M.str(), "block.y,grid.x,smem.dynamic");
}

// The cache's record codec (no LLVM) and the passes both take the fields
// from lcs/config's table; records must carry them bit for bit.
TEST(Fields, CacheRecordsUseTheSameNamesAndBits) {
  for (unsigned I = 0; I != NumFields; ++I) {
    cache::KernelRecord R;
    R.Name = "k";
    R.Fields = uint16_t(1u << I);
    std::string Text = cache::encodeRecord({R});
    EXPECT_NE(Text.find("fields=" + fieldName(Field(I)).str()),
              std::string::npos)
        << Text;
    std::optional<std::vector<cache::KernelRecord>> Back =
        cache::decodeRecord(Text);
    ASSERT_TRUE(Back && Back->size() == 1) << Text;
    EXPECT_EQ((*Back)[0].Fields, R.Fields) << fieldName(Field(I)).str();
  }
}

TEST(Fields, Groups) {
  EXPECT_EQ(fieldGroup(Field::BlockZ), FieldGroup::Block);
  EXPECT_EQ(fieldGroup(Field::GridX), FieldGroup::Grid);
  EXPECT_EQ(fieldGroup(Field::ClusterY), FieldGroup::Cluster);
  EXPECT_EQ(fieldGroup(Field::SmemDynamic), FieldGroup::Smem);
  FieldMask M = FieldMask(Field::BlockX) | Field::ClusterZ;
  EXPECT_EQ(M.wholeGroups().str(),
            "block.x,block.y,block.z,cluster.x,cluster.y,cluster.z");
  ASSERT_EQ(M.groups().size(), 2u);
  EXPECT_EQ(groupName(M.groups()[1]), "cluster");
  FieldMask Every;
  for (unsigned G = 0; G != NumGroups; ++G)
    Every |= FieldMask::group(FieldGroup(G));
  EXPECT_EQ(Every, FieldMask::all());
}

TEST(Fields, ParseList) {
  Expected<FieldMask> M = parseFieldList(" grid.x , block.x");
  ASSERT_TRUE(bool(M)) << toString(M.takeError());
  EXPECT_EQ(M->str(), "block.x,grid.x");

  Expected<FieldMask> All = parseFieldList("all");
  ASSERT_TRUE(bool(All));
  EXPECT_EQ(*All, FieldMask::all());
}

TEST(Fields, ParseListRejectsUnknownAndEmpty) {
  Expected<FieldMask> Bad = parseFieldList("block.x,blockDim.y");
  ASSERT_FALSE(bool(Bad));
  EXPECT_NE(toString(Bad.takeError()).find("'blockDim.y'"), std::string::npos);

  Expected<FieldMask> Empty = parseFieldList("  ");
  ASSERT_FALSE(bool(Empty));
  consumeError(Empty.takeError());

  Expected<FieldMask> Trailing = parseFieldList("block.x,");
  ASSERT_FALSE(bool(Trailing));
  consumeError(Trailing.takeError());
}

TEST(Fields, EveryNameRoundTrips) {
  for (unsigned I = 0; I != NumFields; ++I) {
    Field F;
    ASSERT_TRUE(parseFieldName(fieldName(Field(I)), F));
    EXPECT_EQ(unsigned(F), I);
  }
}
