//===- Fields.cpp - The launch-configuration field model ------------------===//
//
// Names, groups and parsing for launch fields; see Fields.h.
//
//===----------------------------------------------------------------------===//

#include "lcs/Fields.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace lcs {

static constexpr StringLiteral FieldNames[NumFields] = {
    "block.x",   "block.y",   "block.z",   "grid.x",    "grid.y",
    "grid.z",    "cluster.x", "cluster.y", "cluster.z", "smem.dynamic"};

static constexpr StringLiteral GroupNames[NumGroups] = {"block", "grid",
                                                        "cluster", "smem"};

StringRef fieldName(Field F) { return FieldNames[unsigned(F)]; }

StringRef groupName(FieldGroup G) { return GroupNames[unsigned(G)]; }

FieldGroup fieldGroup(Field F) {
  unsigned I = unsigned(F);
  return I == unsigned(Field::SmemDynamic) ? FieldGroup::Smem
                                           : FieldGroup(I / 3);
}

FieldMask FieldMask::group(FieldGroup G) {
  switch (G) {
  case FieldGroup::Block:
    return FieldMask(0b111);
  case FieldGroup::Grid:
    return FieldMask(0b111 << 3);
  case FieldGroup::Cluster:
    return FieldMask(0b111 << 6);
  case FieldGroup::Smem:
    return FieldMask(Field::SmemDynamic);
  }
  return FieldMask();
}

SmallVector<Field, NumFields> FieldMask::fields() const {
  SmallVector<Field, NumFields> Out;
  for (unsigned I = 0; I != NumFields; ++I)
    if (Bits & (1u << I))
      Out.push_back(Field(I));
  return Out;
}

SmallVector<FieldGroup, NumGroups> FieldMask::groups() const {
  SmallVector<FieldGroup, NumGroups> Out;
  for (unsigned G = 0; G != NumGroups; ++G)
    if (!(*this & group(FieldGroup(G))).empty())
      Out.push_back(FieldGroup(G));
  return Out;
}

FieldMask FieldMask::wholeGroups() const {
  FieldMask Out;
  for (FieldGroup G : groups())
    Out |= group(G);
  return Out;
}

std::string FieldMask::str(StringRef Sep) const {
  std::string Out;
  for (Field F : fields()) {
    if (!Out.empty())
      Out += Sep;
    Out += fieldName(F);
  }
  return Out;
}

bool parseFieldName(StringRef Name, Field &Out) {
  for (unsigned I = 0; I != NumFields; ++I)
    if (Name == FieldNames[I]) {
      Out = Field(I);
      return true;
    }
  return false;
}

Expected<FieldMask> parseFieldList(StringRef List) {
  StringRef Trimmed = List.trim();
  if (Trimmed == "all")
    return FieldMask::all();
  if (Trimmed.empty())
    return createStringError(inconvertibleErrorCode(),
                             "empty field list (expected 'all' or a "
                             "comma-separated list such as 'block.x,grid.x')");
  SmallVector<StringRef, NumFields> Parts;
  Trimmed.split(Parts, ',');
  FieldMask Mask;
  for (StringRef Part : Parts) {
    Part = Part.trim();
    Field F;
    if (!parseFieldName(Part, F))
      return createStringError(
          inconvertibleErrorCode(),
          "unknown launch field '" + Part +
              "' (expected 'all' or fields among block.x block.y block.z "
              "grid.x grid.y grid.z cluster.x cluster.y cluster.z "
              "smem.dynamic)");
    Mask |= F;
  }
  return Mask;
}

} // namespace lcs
