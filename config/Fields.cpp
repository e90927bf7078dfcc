//===- Fields.cpp - The launch-configuration field model ------------------===//
//
// Names and parsing for launch fields; see Fields.h.
//
//===----------------------------------------------------------------------===//

#include "lcs/config/Fields.h"

namespace lcs {

namespace {
constexpr std::string_view FieldNames[] = {
#define LCS_FIELD(Enum, Name, Group, CBit) Name,
#include "lcs/config/Fields.def"
};
constexpr std::string_view GroupNames[] = {
#define LCS_GROUP(Enum, Name, CBit) Name,
#include "lcs/config/Fields.def"
};
static_assert(std::size(FieldNames) == NumFields);
static_assert(std::size(GroupNames) == NumGroups);

std::string_view trim(std::string_view S) {
  size_t B = S.find_first_not_of(" \t\r\n");
  if (B == std::string_view::npos)
    return {};
  return S.substr(B, S.find_last_not_of(" \t\r\n") - B + 1);
}
} // namespace

FixedList<Field, NumFields> FieldMask::fields() const {
  FixedList<Field, NumFields> Out;
  for (unsigned I = 0; I != NumFields; ++I)
    if (Bits & (1u << I))
      Out.push_back(Field(I));
  return Out;
}

FixedList<FieldGroup, NumGroups> FieldMask::groups() const {
  FixedList<FieldGroup, NumGroups> Out;
  for (unsigned G = 0; G != NumGroups; ++G)
    if (uses(FieldGroup(G)))
      Out.push_back(FieldGroup(G));
  return Out;
}

std::string FieldMask::str(std::string_view Sep) const {
  std::string Out;
  for (Field F : fields()) {
    if (!Out.empty())
      Out += Sep;
    Out += config::fieldName(F);
  }
  return Out;
}

namespace config {

std::string_view fieldName(Field F) {
  assert(unsigned(F) < NumFields);
  return FieldNames[unsigned(F)];
}

std::string_view groupName(FieldGroup G) {
  assert(unsigned(G) < NumGroups);
  return GroupNames[unsigned(G)];
}

bool parseFieldName(std::string_view Name, Field &Out) {
  for (unsigned I = 0; I != NumFields; ++I)
    if (Name == FieldNames[I]) {
      Out = Field(I);
      return true;
    }
  return false;
}

Status parseFieldList(std::string_view List, FieldMask &Out) {
  std::string_view Trimmed = trim(List);
  if (Trimmed == "all") {
    Out = FieldMask::all();
    return Status::ok();
  }
  if (Trimmed.empty())
    return Status(LCS_ERROR_INVALID_ARGUMENT,
                  "empty field list (expected 'all' or a comma-separated "
                  "list such as 'block.x,grid.x')");
  FieldMask Mask;
  while (true) {
    size_t Comma = Trimmed.find(',');
    std::string_view Part = trim(Trimmed.substr(0, Comma));
    Field F;
    if (!parseFieldName(Part, F))
      return Status(LCS_ERROR_INVALID_ARGUMENT,
                    "unknown launch field '" + std::string(Part) +
                        "' (expected 'all' or fields among " +
                        FieldMask::all().str(" ") + ")");
    Mask |= F;
    if (Comma == std::string_view::npos)
      break;
    Trimmed.remove_prefix(Comma + 1);
  }
  Out = Mask;
  return Status::ok();
}

} // namespace config
} // namespace lcs
