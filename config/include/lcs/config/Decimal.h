//===- Decimal.h - Unsigned decimal numbers in text -------------*- C++ -*-===//
///
/// \file
/// The one reader of plain decimal numbers for configuration text and
/// environment variables: the launch-configuration parsers and the cache's
/// settings accept exactly the same digits.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CONFIG_DECIMAL_H
#define LCS_CONFIG_DECIMAL_H

#include <cstdint>
#include <string_view>

namespace lcs {

/// Reads \p S as decimal digits only (no sign, blanks or suffix) into \p Out
/// when the value is at most \p Max; \p Out is untouched otherwise.
bool parseDecimal(std::string_view S, uint64_t Max, uint64_t &Out);

} // namespace lcs

#endif // LCS_CONFIG_DECIMAL_H
