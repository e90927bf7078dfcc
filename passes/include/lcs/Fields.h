//===- Fields.h - The launch-configuration field model ----------*- C++ -*-===//
///
/// \file
/// The ten launch fields lcs reasons about, their canonical names and order,
/// and the four groups a specialised variant is keyed on. Everything that
/// prints, parses or hashes fields goes through this header so the spelling
/// and order are the same in metadata, reports, cache keys and docs.
///
/// Canonical order: block.x block.y block.z grid.x grid.y grid.z
///                  cluster.x cluster.y cluster.z smem.dynamic
///
//===----------------------------------------------------------------------===//

#ifndef LCS_FIELDS_H
#define LCS_FIELDS_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace lcs {

/// One launch field. The numeric value is the bit index in a FieldMask and
/// the position in canonical order.
enum class Field : unsigned {
  BlockX,
  BlockY,
  BlockZ,
  GridX,
  GridY,
  GridZ,
  ClusterX,
  ClusterY,
  ClusterZ,
  SmemDynamic,
};

constexpr unsigned NumFields = 10;

/// The groups a variant is specialised on: a kernel that depends on any field
/// of a group is specialised on the whole group.
enum class FieldGroup : unsigned { Block, Grid, Cluster, Smem };

constexpr unsigned NumGroups = 4;

/// A set of fields, one bit per Field.
class FieldMask {
public:
  constexpr FieldMask() = default;
  constexpr explicit FieldMask(uint16_t Bits) : Bits(Bits & AllBits) {}
  constexpr FieldMask(Field F) : Bits(uint16_t(1u << unsigned(F))) {}

  static constexpr FieldMask all() { return FieldMask(AllBits); }
  static FieldMask group(FieldGroup G);

  constexpr uint16_t bits() const { return Bits; }
  constexpr bool empty() const { return Bits == 0; }
  constexpr bool contains(Field F) const {
    return Bits & (1u << unsigned(F));
  }
  constexpr bool containsAll(FieldMask O) const {
    return (Bits & O.Bits) == O.Bits;
  }

  constexpr FieldMask operator|(FieldMask O) const {
    return FieldMask(uint16_t(Bits | O.Bits));
  }
  constexpr FieldMask operator&(FieldMask O) const {
    return FieldMask(uint16_t(Bits & O.Bits));
  }
  FieldMask &operator|=(FieldMask O) {
    Bits |= O.Bits;
    return *this;
  }
  constexpr bool operator==(FieldMask O) const { return Bits == O.Bits; }
  constexpr bool operator!=(FieldMask O) const { return Bits != O.Bits; }

  /// The fields in canonical order.
  llvm::SmallVector<Field, NumFields> fields() const;

  /// The groups that contain at least one field of this mask.
  llvm::SmallVector<FieldGroup, NumGroups> groups() const;

  /// This mask widened to whole groups (the soundness rule for variants).
  FieldMask wholeGroups() const;

  /// Canonical names joined by \p Sep, e.g. "block.x,grid.x".
  std::string str(llvm::StringRef Sep = ",") const;

private:
  static constexpr uint16_t AllBits = (1u << NumFields) - 1;
  uint16_t Bits = 0;
};

/// The canonical spelling of \p F, e.g. "block.x".
llvm::StringRef fieldName(Field F);

/// The canonical spelling of \p G: "block", "grid", "cluster", "smem".
llvm::StringRef groupName(FieldGroup G);

/// The group \p F belongs to.
FieldGroup fieldGroup(Field F);

/// Parses one canonical field name. Returns false if \p Name is not one.
bool parseFieldName(llvm::StringRef Name, Field &Out);

/// Parses a frontend's field list: a comma-separated list of canonical names
/// (surrounding blanks allowed), or "all". An empty list is an error: a mark
/// that depends on nothing is better left off.
llvm::Expected<FieldMask> parseFieldList(llvm::StringRef List);

} // namespace lcs

#endif // LCS_FIELDS_H
