//===- Key.cpp - Cache keys: XXH3-128 over a canonical encoding -----------===//

#include "lcs/cache/Key.h"
#include "lcs/BuildIdentity.h"

#include <cassert>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace lcs::cache {

static void appendLE(std::string &S, uint64_t V, unsigned Bytes) {
  for (unsigned I = 0; I != Bytes; ++I)
    S.push_back(char((V >> (8 * I)) & 0xff));
}

std::string Key::hex() const {
  static const char Digits[] = "0123456789abcdef";
  std::string Out(32, '0');
  for (unsigned I = 0; I != 16; ++I) {
    Out[15 - I] = Digits[(High >> (4 * I)) & 0xf];
    Out[31 - I] = Digits[(Low >> (4 * I)) & 0xf];
  }
  return Out;
}

bool Key::fromHex(std::string_view Hex, Key &Out) {
  if (Hex.size() != 32)
    return false;
  uint64_t Parts[2] = {0, 0};
  for (unsigned I = 0; I != 32; ++I) {
    char C = Hex[I];
    unsigned D;
    if (C >= '0' && C <= '9')
      D = C - '0';
    else if (C >= 'a' && C <= 'f')
      D = C - 'a' + 10;
    else
      return false;
    Parts[I / 16] = (Parts[I / 16] << 4) | D;
  }
  Out.High = Parts[0];
  Out.Low = Parts[1];
  return true;
}

void Key::toBytes(uint8_t Out[16]) const {
  static_assert(sizeof(Key) == 16, "a key is 128 bits");
  for (unsigned I = 0; I != 8; ++I) {
    Out[I] = uint8_t(High >> (56 - 8 * I));
    Out[8 + I] = uint8_t(Low >> (56 - 8 * I));
  }
}

Key Key::fromBytes(const uint8_t In[16]) {
  Key K;
  for (unsigned I = 0; I != 8; ++I) {
    K.High = (K.High << 8) | In[I];
    K.Low = (K.Low << 8) | In[8 + I];
  }
  return K;
}

Key hashBytes(std::string_view Bytes) {
  XXH128_hash_t H = XXH3_128bits(Bytes.data(), Bytes.size());
  return Key{H.high64, H.low64};
}

const char *buildIdentity() { return LCS_BUILD_IDENTITY; }

KeyBuilder::KeyBuilder(std::string_view Domain, std::string_view Build) {
  add("domain", Domain);
  add("key-schema", uint64_t(KeySchemaVersion));
  add("build", Build);
}

KeyBuilder &KeyBuilder::add(std::string_view Name, std::string_view Value) {
  assert(!Name.empty() && Name.size() <= 0xffff && "a name fits its u16");
  [[maybe_unused]] size_t Before = Encoding.size();
  appendLE(Encoding, Name.size(), 2);
  Encoding.append(Name);
  appendLE(Encoding, Value.size(), 8);
  Encoding.append(Value);
  assert(Encoding.size() == Before + 2 + Name.size() + 8 + Value.size() &&
         "field := u16 length, name, u64 length, value");
  return *this;
}

KeyBuilder &KeyBuilder::add(std::string_view Name, uint64_t Value) {
  std::string V;
  appendLE(V, Value, 8);
  return add(Name, V);
}

KeyBuilder &KeyBuilder::addDigest(std::string_view Name,
                                  std::string_view Bytes) {
  return add(Name, hashBytes(Bytes).hex());
}

} // namespace lcs::cache
