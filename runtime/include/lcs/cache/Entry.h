//===- Entry.h - The cache entry format -------------------------*- C++ -*-===//
///
/// \file
/// One cache entry is one file. Format version 2, all integers little
/// endian:
///
///   entry      := magic version kind key desc_len desc payload_len payload
///                 checksum
///   magic      := "LCSE"                      4 bytes
///   version    := u32                         2
///   kind       := u8                          1 PTX, 2 cubin, 3 record
///   key        := u8[16]                      the entry's key, big endian;
///                                             compared with the key looked
///                                             up
///   desc_len   := u16
///   desc       := desc_len bytes of UTF-8     readable descriptor for
///                                             listings: "kernel=... arch=...
///                                             block=128x1x1"
///   payload_len:= u64
///   payload    := payload_len bytes           see below
///   checksum   := u8[16]                      XXH3-128 of every byte before
///                                             it, big endian
///
/// Payload of a PTX or cubin entry (a variant, one kernel):
///
///   variant    := meta_len meta code
///   meta_len   := u32
///   meta       := lines "name=value\n", value escaped: kernel, reqntid
///                 (x,y,z, if set), cluster (x,y,z, if set), smem_extra
///                 (bytes a generator added), groups (the groups
///                 specialised on, e.g. "block,grid"), and the group values
///   code       := the PTX text or cubin bytes
///
/// Payload of a record entry (the sensitivity of one source's kernels):
///
///   record     := lines "kernel=NAME fields=f1,f2 explicit=0|1[ reqntid=X,Y,Z]
///                 [ maxntid=X,Y,Z][ cluster=X,Y,Z]\n", one a kernel,
///                 fields in canonical order ("-" for none); the optional
///                 tokens are the kernel's own launch requirements; NAME
///                 and the values escaped
///
///   escaped    := each byte that is '%', a space, a control character or
///                 not ASCII (<= 0x20, >= 0x7f) as "%XX" (two hex digits),
///                 so a kernel named anything stays one token on one line
///
/// Version 1 (no escaping; a name with a space or newline could not be
/// recorded) is read as UnknownVersion: a miss, and the file is replaced.
///
/// A reader accepts an entry only if every part checks: anything else is a
/// miss (and the caller removes the file).
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CACHE_ENTRY_H
#define LCS_CACHE_ENTRY_H

#include "lcs/cache/Key.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lcs::cache {

/// Bump whenever the bytes of an entry change; keep a golden file per
/// version in test/unit/Inputs.
inline constexpr uint32_t EntryFormatVersion = 2;

enum class EntryKind : uint8_t { PTX = 1, Cubin = 2, Record = 3 };

/// The name of a kind ("ptx", "cubin", "record").
const char *kindName(EntryKind K);

struct Entry {
  EntryKind Kind = EntryKind::PTX;
  Key EntryKey;
  std::string Descriptor;
  std::string Payload;
};

/// Serialises \p E in format version EntryFormatVersion.
std::string encodeEntry(const Entry &E);

/// Why decoding failed; Ok if it did not.
enum class DecodeError {
  Ok,
  Truncated,
  BadMagic,
  UnknownVersion,
  UnknownKind,
  KeyMismatch,
  KindMismatch,
  TrailingBytes,
  BadChecksum,
};
const char *decodeErrorName(DecodeError E);

/// Parses \p Bytes. With \p Expected and \p ExpectedKind, the entry's key and
/// kind must match them.
DecodeError decodeEntry(std::string_view Bytes, Entry &Out,
                        const Key *Expected = nullptr,
                        const EntryKind *ExpectedKind = nullptr);

/// The payload of a variant entry.
struct Variant {
  /// Launch information and group values, name to value.
  std::map<std::string, std::string> Meta;
  std::string Code;
};
std::string encodeVariant(const Variant &V);
std::optional<Variant> decodeVariant(std::string_view Payload);

/// One kernel in a record entry. Fields is a bit mask in canonical order
/// (bit 0 block.x ... bit 9 smem.dynamic), kept as bits here so the cache
/// needs no compiler headers.
struct KernelRecord {
  std::string Name;
  uint16_t Fields = 0;
  bool Explicit = false;
  /// The kernel's own launch requirements ("x,y,z"), empty if none.
  std::string ReqNTid, MaxNTid, ClusterDim;
};
std::string encodeRecord(const std::vector<KernelRecord> &Kernels);
std::optional<std::vector<KernelRecord>> decodeRecord(std::string_view Payload);

} // namespace lcs::cache

#endif // LCS_CACHE_ENTRY_H
