//===- EnumNames.h - Names of small enums, from one table -------*- C++ -*-===//
///
/// \file
/// The runtime names its small enums (cache kinds, outcomes, modes, log
/// levels) from a table in declaration order instead of a switch each: a
/// value outside the table, which only a bad cast makes, gets the fallback.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_ENUMNAMES_H
#define LCS_ENUMNAMES_H

#include <cstddef>

namespace lcs {

/// Names[V - First], or \p Fallback when \p V is outside the table.
template <typename EnumT, size_t N>
const char *enumName(EnumT V, const char *const (&Names)[N],
                     const char *Fallback, long First = 0) {
  long I = long(V) - First;
  return I >= 0 && size_t(I) < N ? Names[I] : Fallback;
}

} // namespace lcs

#endif // LCS_ENUMNAMES_H
