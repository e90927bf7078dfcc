//===- PercentDecode.h - "%XX" escapes, read back ---------------*- C++ -*-===//
///
/// \file
/// Private to lcs_cache: the entry format's escaped values (Entry.h) and the
/// user information of a redis:// URL use the same "%XX" escapes.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CACHE_PERCENTDECODE_H
#define LCS_CACHE_PERCENTDECODE_H

#include <optional>
#include <string>
#include <string_view>

namespace lcs::cache {

/// \p S with each "%XX" (hex, either case) replaced by its byte; nullopt for
/// a '%' not followed by two hex digits.
std::optional<std::string> percentDecode(std::string_view S);

} // namespace lcs::cache

#endif // LCS_CACHE_PERCENTDECODE_H
