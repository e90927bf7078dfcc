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
/// XXH3 is fast but not meant to resist constructed collisions: fine for a
/// cache only this user writes, not for a store shared with other writers
/// (RemoteCache.h). While strong names are on (StrongNames), KeyBuilder
/// also keeps a second encoding, the same fields with addDigest's digests
/// and embedded keys in SHA-256, and each key carries its SHA-256: the
/// strong name, under which the remote tier stores it. Off, it costs
/// nothing.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CACHE_KEY_H
#define LCS_CACHE_KEY_H

#include <array>
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

/// A 128-bit key, and its strong name if it was built with one.
struct Key {
  uint64_t High = 0, Low = 0;
  /// SHA-256 of the strong encoding; meaningful only if HasStrong. Never
  /// stored on disk (entries hold the 128 bits) and not compared by ==.
  std::array<uint8_t, 32> Strong{};
  bool HasStrong = false;

  bool operator==(const Key &O) const { return High == O.High && Low == O.Low; }
  bool operator!=(const Key &O) const { return !(*this == O); }

  /// 64 lowercase hex digits of Strong; empty without one.
  std::string strongHex() const;

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

/// SHA-256 of \p Bytes.
std::array<uint8_t, 32> sha256(std::string_view Bytes);

/// While one of these lives anywhere in the process, KeyBuilders made
/// after it build strong names too. A remote tier holds one for its life:
/// keys are built after the cache that uses them is opened.
class StrongNames {
public:
  StrongNames();
  ~StrongNames();
  StrongNames(const StrongNames &) = delete;
  StrongNames &operator=(const StrongNames &) = delete;
  static bool enabled();
};

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
  /// Adds a large value by its XXH3-128 digest (source modules, libraries);
  /// the strong encoding has its SHA-256.
  KeyBuilder &addDigest(std::string_view Name, std::string_view Bytes);
  /// Adds another key (a source key in a variant key): its hex, and its
  /// strong name in the strong encoding. A key without one leaves this
  /// one without one too: a weak link would make the name weak.
  KeyBuilder &addKey(std::string_view Name, const Key &K);

  /// The key, with its strong name while strong names are on.
  Key key() const;
  /// The encoding itself, for tests and debugging.
  const std::string &encoding() const { return Encoding; }
  /// The strong encoding; empty while strong names are off.
  const std::string &strongEncoding() const { return StrongEncoding; }

private:
  void append(std::string &To, std::string_view Name, std::string_view Value);

  std::string Encoding, StrongEncoding;
  /// Whether this builder keeps the strong encoding, and whether all it
  /// embeds had strong names.
  bool Strong, StrongComplete = true;
};

} // namespace lcs::cache

#endif // LCS_CACHE_KEY_H
