//===- CApiBits.cpp - lcs.h's bits against the field table ----------------===//
//
// lcs.h is C99 and spells its LCS_FIELD_* and LCS_GROUP_* values itself;
// they are part of the ABI. This file ties them to Fields.def at compile
// time, so the table and the C API cannot drift apart.
//
//===----------------------------------------------------------------------===//

#include "lcs/config/Fields.h"
#include "lcs/lcs.h"

namespace lcs {
namespace {

#define LCS_FIELD(Enum, Name, Group, CBit)                                     \
  static_assert(uint32_t(CBit) == FieldMask(Field::Enum).bits(),               \
                #CBit " must be Field::" #Enum "'s bit in Fields.def");
#include "lcs/config/Fields.def"

#define LCS_GROUP(Enum, Name, CBit)                                            \
  static_assert(uint32_t(CBit) == 1u << unsigned(FieldGroup::Enum),            \
                #CBit " must be bit FieldGroup::" #Enum);                      \
  static_assert(FieldMask::ofGroupBits(CBit) ==                                \
                    FieldMask::group(FieldGroup::Enum),                        \
                #CBit " must select the fields of group " Name);
#include "lcs/config/Fields.def"

static_assert(uint32_t(LCS_FIELD_ALL) == FieldMask::all().bits(),
              "LCS_FIELD_ALL must be every field of Fields.def");

} // namespace
} // namespace lcs
