//===- Fields.h - The launch-configuration field model ----------*- C++ -*-===//
///
/// \file
/// The ten launch fields lcs reasons about, their canonical names and order,
/// and the four groups a specialised variant is keyed on, generated from
/// Fields.def. Everything that prints, parses or hashes fields goes through
/// this header so the spelling and order are the same in metadata, reports,
/// cache records, the C API and docs. No LLVM: the cache and runtime use it
/// too (lcs/Fields.h adds the LLVM-side helpers for the passes).
///
/// Canonical order: block.x block.y block.z grid.x grid.y grid.z
///                  cluster.x cluster.y cluster.z smem.dynamic
///
/// A FieldMask's bits are the C API's LCS_FIELD_* bits, and bit G of a
/// group-bit set is LCS_GROUP_* for group G (checked in CApiBits.cpp).
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CONFIG_FIELDS_H
#define LCS_CONFIG_FIELDS_H

#include "lcs/Status.h"

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>

namespace lcs {

/// One launch field. The numeric value is the bit index in a FieldMask and
/// the position in canonical order.
enum class Field : unsigned {
#define LCS_FIELD(Enum, Name, Group, CBit) Enum,
#include "lcs/config/Fields.def"
};

constexpr unsigned NumFields = 0
#define LCS_FIELD(Enum, Name, Group, CBit) +1
#include "lcs/config/Fields.def"
    ;

/// The groups a variant is specialised on: a kernel that depends on any field
/// of a group is specialised on the whole group.
enum class FieldGroup : unsigned {
#define LCS_GROUP(Enum, Name, CBit) Enum,
#include "lcs/config/Fields.def"
};

constexpr unsigned NumGroups = 0
#define LCS_GROUP(Enum, Name, CBit) +1
#include "lcs/config/Fields.def"
    ;

/// The group \p F belongs to.
constexpr FieldGroup fieldGroup(Field F) {
  constexpr FieldGroup Groups[] = {
#define LCS_FIELD(Enum, Name, Group, CBit) FieldGroup::Group,
#include "lcs/config/Fields.def"
  };
  return Groups[unsigned(F)];
}

/// At most N items, no allocation: what FieldMask lists.
template <typename T, unsigned N> class FixedList {
public:
  void push_back(T V) {
    assert(Size < N && "more items than the list holds");
    Items[Size++] = V;
  }
  const T *begin() const { return Items; }
  const T *end() const { return Items + Size; }
  unsigned size() const { return Size; }
  bool empty() const { return Size == 0; }
  const T &operator[](unsigned I) const {
    assert(I < Size);
    return Items[I];
  }
  const T &back() const { return (*this)[Size - 1]; }

private:
  T Items[N] = {};
  unsigned Size = 0;
};

/// A set of fields, one bit per Field (the C API's LCS_FIELD_* bits).
class FieldMask {
public:
  constexpr FieldMask() = default;
  constexpr explicit FieldMask(uint16_t Bits) : Bits(Bits & AllBits) {}
  constexpr FieldMask(Field F) : Bits(uint16_t(1u << unsigned(F))) {}

  static constexpr FieldMask all() { return FieldMask(AllBits); }
  /// The fields of \p G.
  static constexpr FieldMask group(FieldGroup G) {
    uint16_t B = 0;
    for (unsigned I = 0; I != NumFields; ++I)
      if (fieldGroup(Field(I)) == G)
        B |= uint16_t(1u << I);
    return FieldMask(B);
  }
  /// The fields of the groups in \p GroupBits (bit G: FieldGroup G, the C
  /// API's LCS_GROUP_* bits); unknown bits are ignored.
  static constexpr FieldMask ofGroupBits(uint32_t GroupBits) {
    FieldMask M;
    for (unsigned G = 0; G != NumGroups; ++G)
      if (GroupBits & (1u << G))
        M |= group(FieldGroup(G));
    return M;
  }

  constexpr uint16_t bits() const { return Bits; }
  constexpr bool empty() const { return Bits == 0; }
  constexpr bool contains(Field F) const { return Bits & (1u << unsigned(F)); }
  constexpr bool containsAll(FieldMask O) const {
    return (Bits & O.Bits) == O.Bits;
  }
  /// True if any field of \p G is in this mask.
  constexpr bool uses(FieldGroup G) const {
    return !(*this & group(G)).empty();
  }

  constexpr FieldMask operator|(FieldMask O) const {
    return FieldMask(uint16_t(Bits | O.Bits));
  }
  constexpr FieldMask operator&(FieldMask O) const {
    return FieldMask(uint16_t(Bits & O.Bits));
  }
  constexpr FieldMask &operator|=(FieldMask O) {
    Bits |= O.Bits;
    return *this;
  }
  constexpr bool operator==(FieldMask O) const { return Bits == O.Bits; }
  constexpr bool operator!=(FieldMask O) const { return Bits != O.Bits; }

  /// The group bits (bit G for FieldGroup G) of the groups this mask touches.
  constexpr uint32_t groupBits() const {
    uint32_t G = 0;
    for (unsigned I = 0; I != NumGroups; ++I)
      if (uses(FieldGroup(I)))
        G |= 1u << I;
    return G;
  }

  /// The fields in canonical order.
  FixedList<Field, NumFields> fields() const;

  /// The groups that contain at least one field of this mask.
  FixedList<FieldGroup, NumGroups> groups() const;

  /// This mask widened to whole groups (the soundness rule for variants).
  constexpr FieldMask wholeGroups() const { return ofGroupBits(groupBits()); }

  /// Canonical names joined by \p Sep, e.g. "block.x,grid.x".
  std::string str(std::string_view Sep = ",") const;

private:
  static constexpr uint16_t AllBits = uint16_t((1u << NumFields) - 1);
  uint16_t Bits = 0;
};

namespace config {

/// The canonical spelling of \p F, e.g. "block.x".
std::string_view fieldName(Field F);

/// The canonical spelling of \p G: "block", "grid", "cluster", "smem".
std::string_view groupName(FieldGroup G);

/// Parses one canonical field name. Returns false if \p Name is not one.
bool parseFieldName(std::string_view Name, Field &Out);

/// Parses a frontend's field list: a comma-separated list of canonical names
/// (surrounding blanks allowed), or "all". An empty list is an error: a mark
/// that depends on nothing is better left off.
Status parseFieldList(std::string_view List, FieldMask &Out);

} // namespace config
} // namespace lcs

#endif // LCS_CONFIG_FIELDS_H
