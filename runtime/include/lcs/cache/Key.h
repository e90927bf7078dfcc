//===- Key.h - Cache keys: XXH3-128 over a canonical encoding ---*- C++ -*-===//
///
/// \file
/// A cache key is the XXH3-128 digest of a canonical, versioned encoding of
/// everything that changes the cached bytes. KeyBuilder produces that
/// encoding: the domain, key schema version and build identity, then fields
/// in the order the caller adds them, each as
///
///   field := u16 name_length, name, u64 value_length, value   (little endian)
///
/// so no two different field sequences encode alike. What goes into each
/// kind of key is decided in one place (compile/VariantCompiler.cpp) and
/// documented in docs/cache.md.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CACHE_KEY_H
#define LCS_CACHE_KEY_H

#include <cstdint>
#include <string>
#include <string_view>

namespace lcs::cache {

/// Version of the key schema: bump whenever what goes into a key changes.
/// 2: the build identity added, the always empty "extra" field removed.
inline constexpr uint32_t KeySchemaVersion = 2;

/// This build of lcs: a reproducible content hash of its sources and of the
/// build options that change its code (lcs/BuildIdentity.h, computed at
/// build time). Every key carries it, so a development build never reads
/// entries that an older build of the same version wrote.
const char *buildIdentity();

/// A 128-bit key.
struct Key {
  uint64_t High = 0, Low = 0;

  bool operator==(const Key &O) const { return High == O.High && Low == O.Low; }
  bool operator!=(const Key &O) const { return !(*this == O); }

  /// 32 lowercase hex digits, high half first.
  std::string hex() const;
  /// Parses hex(); false if \p Hex is not 32 hex digits.
  static bool fromHex(std::string_view Hex, Key &Out);
  /// The 16 bytes, big endian (high half first), as stored in entries.
  void toBytes(uint8_t Out[16]) const;
  static Key fromBytes(const uint8_t In[16]);
};

/// XXH3-128 of \p Bytes.
Key hashBytes(std::string_view Bytes);

/// Builds the canonical encoding and hashes it.
class KeyBuilder {
public:
  /// \p Domain separates kinds of keys ("lcs-variant", "lcs-record").
  /// Every key starts with the domain, the key schema version and \p Build,
  /// the build identity (another only in tests).
  explicit KeyBuilder(std::string_view Domain,
                      std::string_view Build = buildIdentity());

  KeyBuilder &add(std::string_view Name, std::string_view Value);
  KeyBuilder &add(std::string_view Name, uint64_t Value);
  /// Adds a large value by its XXH3-128 digest (source modules, libraries).
  KeyBuilder &addDigest(std::string_view Name, std::string_view Bytes);

  Key key() const { return hashBytes(Encoding); }
  /// The encoding itself, for tests and debugging.
  const std::string &encoding() const { return Encoding; }

private:
  std::string Encoding;
};

} // namespace lcs::cache

#endif // LCS_CACHE_KEY_H
