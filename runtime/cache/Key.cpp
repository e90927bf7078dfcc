//===- Key.cpp - Cache keys: XXH3-128 over a canonical encoding -----------===//

#include "lcs/cache/Key.h"
#include "lcs/BuildIdentity.h"

#include <atomic>
#include <cassert>

#include <openssl/evp.h>

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

std::string Key::strongHex() const {
  if (!HasStrong)
    return std::string();
  static const char Digits[] = "0123456789abcdef";
  std::string Out;
  Out.reserve(64);
  for (uint8_t B : Strong) {
    Out += Digits[B >> 4];
    Out += Digits[B & 15];
  }
  return Out;
}

Key hashBytes(std::string_view Bytes) {
  XXH128_hash_t H = XXH3_128bits(Bytes.data(), Bytes.size());
  Key K;
  K.High = H.high64;
  K.Low = H.low64;
  return K;
}

std::array<uint8_t, 32> sha256(std::string_view Bytes) {
  std::array<uint8_t, 32> Out{};
  unsigned Len = 0;
  [[maybe_unused]] int Ok =
      EVP_Digest(Bytes.data(), Bytes.size(), Out.data(), &Len, EVP_sha256(),
                 nullptr);
  assert(Ok == 1 && Len == Out.size() && "SHA-256 is always available");
  return Out;
}

static std::atomic<unsigned> StrongNameUsers{0};

StrongNames::StrongNames() { StrongNameUsers.fetch_add(1); }
StrongNames::~StrongNames() { StrongNameUsers.fetch_sub(1); }
bool StrongNames::enabled() { return StrongNameUsers.load() != 0; }

const char *buildIdentity() { return LCS_BUILD_IDENTITY; }

KeyBuilder::KeyBuilder(std::string_view Domain, std::string_view Build)
    : Strong(StrongNames::enabled()) {
  add("domain", Domain);
  add("key-schema", uint64_t(KeySchemaVersion));
  add("build", Build);
}

void KeyBuilder::append(std::string &To, std::string_view Name,
                        std::string_view Value) {
  assert(!Name.empty() && Name.size() <= 0xffff && "a name fits its u16");
  [[maybe_unused]] size_t Before = To.size();
  appendLE(To, Name.size(), 2);
  To.append(Name);
  appendLE(To, Value.size(), 8);
  To.append(Value);
  assert(To.size() == Before + 2 + Name.size() + 8 + Value.size() &&
         "field := u16 length, name, u64 length, value");
}

KeyBuilder &KeyBuilder::add(std::string_view Name, std::string_view Value) {
  append(Encoding, Name, Value);
  if (Strong)
    append(StrongEncoding, Name, Value);
  return *this;
}

KeyBuilder &KeyBuilder::add(std::string_view Name, uint64_t Value) {
  std::string V;
  appendLE(V, Value, 8);
  return add(Name, V);
}

KeyBuilder &KeyBuilder::addDigest(std::string_view Name,
                                  std::string_view Bytes) {
  append(Encoding, Name, hashBytes(Bytes).hex());
  if (Strong) {
    Key Digest;
    Digest.Strong = sha256(Bytes);
    Digest.HasStrong = true;
    append(StrongEncoding, Name, Digest.strongHex());
  }
  return *this;
}

KeyBuilder &KeyBuilder::addKey(std::string_view Name, const Key &K) {
  append(Encoding, Name, K.hex());
  if (Strong) {
    StrongComplete = StrongComplete && K.HasStrong;
    append(StrongEncoding, Name, K.strongHex());
  }
  return *this;
}

Key KeyBuilder::key() const {
  Key K = hashBytes(Encoding);
  if (Strong && StrongComplete) {
    K.Strong = sha256(StrongEncoding);
    K.HasStrong = true;
  }
  return K;
}

} // namespace lcs::cache
