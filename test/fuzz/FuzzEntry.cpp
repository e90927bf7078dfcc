//===- FuzzEntry.cpp - Fuzz the cache entry reader ------------------------===//
//
// Any bytes as a cache entry, a variant payload and a record payload. A
// decoded entry must re-encode to the same bytes (the format has one
// encoding).
//
//===----------------------------------------------------------------------===//

#include "lcs/cache/Entry.h"

#include <string_view>

using namespace lcs::cache;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::string_view Bytes(reinterpret_cast<const char *>(Data), Size);
  Entry E;
  if (decodeEntry(Bytes, E) == DecodeError::Ok && encodeEntry(E) != Bytes)
    __builtin_trap();
  decodeVariant(Bytes);
  decodeRecord(Bytes);
  return 0;
}
