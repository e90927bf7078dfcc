//===- Entry.cpp - The cache entry format ---------------------------------===//
//
// See Entry.h for the grammar.
//
//===----------------------------------------------------------------------===//

#include "lcs/cache/Entry.h"
#include "PercentDecode.h"
#include "lcs/EnumNames.h"

#include "lcs/config/Fields.h"

#include <cassert>
#include <cstring>

namespace lcs::cache {

namespace {
constexpr char Magic[4] = {'L', 'C', 'S', 'E'};
constexpr size_t HeaderFixed = 4 + 4 + 1 + 16 + 2; // up to desc
constexpr size_t ChecksumSize = 16;
static_assert(HeaderFixed == 27, "desc_len ends at byte 27 (Entry.h)");

void putLE(std::string &S, uint64_t V, unsigned Bytes) {
  for (unsigned I = 0; I != Bytes; ++I)
    S.push_back(char((V >> (8 * I)) & 0xff));
}

uint64_t getLE(const char *P, unsigned Bytes) {
  uint64_t V = 0;
  for (unsigned I = 0; I != Bytes; ++I)
    V |= uint64_t(uint8_t(P[I])) << (8 * I);
  return V;
}

int hexDigit(char C) {
  if (C >= '0' && C <= '9')
    return C - '0';
  if (C >= 'a' && C <= 'f')
    return C - 'a' + 10;
  if (C >= 'A' && C <= 'F')
    return C - 'A' + 10;
  return -1;
}

/// Every byte that could end a token or a line, or is not printable ASCII,
/// and '%' itself, as "%XX": a kernel may be named anything.
std::string escape(std::string_view S) {
  static const char Digits[] = "0123456789ABCDEF";
  std::string Out;
  for (char C : S) {
    unsigned char B = C;
    if (B <= ' ' || B >= 0x7f || B == '%') {
      Out += '%';
      Out += Digits[B >> 4];
      Out += Digits[B & 0xf];
    } else {
      Out += C;
    }
  }
  return Out;
}

/// Splits "name=value" lines, unescaping the values.
bool parseLines(std::string_view Text,
                std::vector<std::pair<std::string, std::string>> &Out) {
  while (!Text.empty()) {
    size_t End = Text.find('\n');
    if (End == std::string_view::npos)
      return false;
    std::string_view Line = Text.substr(0, End);
    Text.remove_prefix(End + 1);
    size_t Eq = Line.find('=');
    if (Eq == std::string_view::npos || Eq == 0)
      return false;
    std::optional<std::string> Value = percentDecode(Line.substr(Eq + 1));
    if (!Value)
      return false;
    Out.emplace_back(std::string(Line.substr(0, Eq)), std::move(*Value));
  }
  return true;
}
} // namespace

/// The inverse of escape().
std::optional<std::string> percentDecode(std::string_view S) {
  std::string Out;
  for (size_t I = 0; I < S.size(); ++I) {
    if (S[I] != '%') {
      Out += S[I];
      continue;
    }
    if (I + 2 >= S.size())
      return std::nullopt;
    int High = hexDigit(S[I + 1]), Low = hexDigit(S[I + 2]);
    if (High < 0 || Low < 0)
      return std::nullopt;
    Out += char(High << 4 | Low);
    I += 2;
  }
  return Out;
}

const char *kindName(EntryKind K) {
  static constexpr const char *Names[] = {"ptx", "cubin", "record"};
  return enumName(K, Names, "unknown", /*First=*/1);
}

const char *decodeErrorName(DecodeError E) {
  static constexpr const char *Names[] = {
      "ok",           "truncated",    "bad magic",     "unknown format version",
      "unknown kind", "key mismatch", "kind mismatch", "trailing bytes",
      "bad checksum"};
  return enumName(E, Names, "unknown");
}

std::string encodeEntry(const Entry &E) {
  std::string Out;
  Out.reserve(HeaderFixed + E.Descriptor.size() + 8 + E.Payload.size() +
              ChecksumSize);
  Out.append(Magic, 4);
  putLE(Out, EntryFormatVersion, 4);
  Out.push_back(char(E.Kind));
  uint8_t KeyBytes[16];
  E.EntryKey.toBytes(KeyBytes);
  Out.append(reinterpret_cast<const char *>(KeyBytes), 16);
  std::string_view Desc = E.Descriptor;
  if (Desc.size() > 0xffff)
    Desc = Desc.substr(0, 0xffff);
  putLE(Out, Desc.size(), 2);
  Out.append(Desc);
  putLE(Out, E.Payload.size(), 8);
  Out.append(E.Payload);
  uint8_t Sum[16];
  hashBytes(Out).toBytes(Sum);
  Out.append(reinterpret_cast<const char *>(Sum), ChecksumSize);
  assert(Out.size() ==
             HeaderFixed + Desc.size() + 8 + E.Payload.size() + ChecksumSize &&
         "the layout of Entry.h");
#ifndef NDEBUG
  Entry Back;
  assert(decodeEntry(Out, Back, &E.EntryKey, &E.Kind) == DecodeError::Ok &&
         Back.Payload == E.Payload && "entries round-trip");
#endif
  return Out;
}

DecodeError decodeEntry(std::string_view Bytes, Entry &Out, const Key *Expected,
                        const EntryKind *ExpectedKind) {
  if (Bytes.size() < HeaderFixed)
    return Bytes.size() >= 4 && std::memcmp(Bytes.data(), Magic, 4) != 0
               ? DecodeError::BadMagic
               : DecodeError::Truncated;
  const char *P = Bytes.data();
  if (std::memcmp(P, Magic, 4) != 0)
    return DecodeError::BadMagic;
  if (getLE(P + 4, 4) != EntryFormatVersion)
    return DecodeError::UnknownVersion;
  uint8_t Kind = uint8_t(P[8]);
  if (Kind < 1 || Kind > 3)
    return DecodeError::UnknownKind;
  Key K = Key::fromBytes(reinterpret_cast<const uint8_t *>(P + 9));
  size_t DescLen = getLE(P + 25, 2);
  size_t Pos = HeaderFixed;
  if (Bytes.size() < Pos + DescLen + 8)
    return DecodeError::Truncated;
  std::string_view Desc = Bytes.substr(Pos, DescLen);
  Pos += DescLen;
  uint64_t PayloadLen = getLE(P + Pos, 8);
  Pos += 8;
  if (PayloadLen > Bytes.size() ||
      Bytes.size() - Pos < PayloadLen + ChecksumSize)
    return DecodeError::Truncated;
  std::string_view Payload = Bytes.substr(Pos, PayloadLen);
  Pos += PayloadLen;
  if (Bytes.size() != Pos + ChecksumSize)
    return DecodeError::TrailingBytes;
  Key Sum = Key::fromBytes(reinterpret_cast<const uint8_t *>(P + Pos));
  if (hashBytes(Bytes.substr(0, Pos)) != Sum)
    return DecodeError::BadChecksum;
  // Only a checksummed entry is compared with what was asked for, so a
  // corrupt file is reported as corrupt rather than as foreign.
  if (Expected && K != *Expected)
    return DecodeError::KeyMismatch;
  if (ExpectedKind && EntryKind(Kind) != *ExpectedKind)
    return DecodeError::KindMismatch;
  Out.Kind = EntryKind(Kind);
  Out.EntryKey = K;
  Out.Descriptor.assign(Desc);
  Out.Payload.assign(Payload);
  return DecodeError::Ok;
}

std::string encodeVariant(const Variant &V) {
  std::string Meta;
  for (const auto &[Name, Value] : V.Meta) {
    assert(!Name.empty() && Name.find_first_of("=\n") == std::string::npos &&
           "meta names are identifiers");
    Meta += Name + "=" + escape(Value) + "\n";
  }
  std::string Out;
  putLE(Out, Meta.size(), 4);
  Out += Meta;
  Out += V.Code;
  assert(decodeVariant(Out) && decodeVariant(Out)->Meta == V.Meta &&
         "variants round-trip");
  return Out;
}

std::optional<Variant> decodeVariant(std::string_view Payload) {
  if (Payload.size() < 4)
    return std::nullopt;
  uint64_t MetaLen = getLE(Payload.data(), 4);
  if (Payload.size() - 4 < MetaLen)
    return std::nullopt;
  std::vector<std::pair<std::string, std::string>> Lines;
  if (!parseLines(Payload.substr(4, MetaLen), Lines))
    return std::nullopt;
  Variant V;
  for (auto &[Name, Value] : Lines)
    V.Meta[Name] = Value;
  V.Code.assign(Payload.substr(4 + MetaLen));
  return V;
}

std::string encodeRecord(const std::vector<KernelRecord> &Kernels) {
  std::string Out;
  for (const KernelRecord &K : Kernels) {
    std::string Fields = FieldMask(K.Fields).str(",");
    assert(!K.Name.empty() && "a kernel has a name");
    assert(K.Fields >> NumFields == 0 && "fields are the canonical ten");
    Out += "kernel=" + escape(K.Name) +
           " fields=" + (Fields.empty() ? "-" : Fields) +
           " explicit=" + (K.Explicit ? "1" : "0");
    if (!K.ReqNTid.empty())
      Out += " reqntid=" + escape(K.ReqNTid);
    if (!K.MaxNTid.empty())
      Out += " maxntid=" + escape(K.MaxNTid);
    if (!K.ClusterDim.empty())
      Out += " cluster=" + escape(K.ClusterDim);
    Out += "\n";
  }
  assert(decodeRecord(Out) && decodeRecord(Out)->size() == Kernels.size() &&
         "records round-trip");
  return Out;
}

std::optional<std::vector<KernelRecord>>
decodeRecord(std::string_view Payload) {
  std::vector<KernelRecord> Out;
  while (!Payload.empty()) {
    size_t End = Payload.find('\n');
    if (End == std::string_view::npos)
      return std::nullopt;
    std::string_view Line = Payload.substr(0, End);
    Payload.remove_prefix(End + 1);
    // Blank-separated name=value tokens; the kernel (a symbol) comes first.
    KernelRecord K;
    bool HaveName = false, HaveFields = false, HaveExplicit = false;
    while (!Line.empty()) {
      size_t Sp = Line.find(' ');
      std::string_view Tok = Line.substr(0, Sp);
      Line.remove_prefix(Sp == std::string_view::npos ? Line.size() : Sp + 1);
      size_t Eq = Tok.find('=');
      if (Eq == std::string_view::npos)
        return std::nullopt;
      std::string_view Name = Tok.substr(0, Eq), Value = Tok.substr(Eq + 1);
      std::optional<std::string> Text = percentDecode(Value);
      if (!Text)
        return std::nullopt;
      if (Name == "kernel" && !HaveName && !Text->empty()) {
        K.Name = std::move(*Text);
        HaveName = true;
      } else if (Name == "fields" && !HaveFields) {
        HaveFields = true;
        if (Value == "-")
          continue;
        while (!Value.empty()) {
          size_t Comma = Value.find(',');
          std::string_view F = Value.substr(0, Comma);
          Field Fld;
          if (!config::parseFieldName(F, Fld))
            return std::nullopt;
          K.Fields |= FieldMask(Fld).bits();
          if (Comma == std::string_view::npos)
            break;
          Value.remove_prefix(Comma + 1);
        }
      } else if (Name == "explicit" && !HaveExplicit &&
                 (Value == "0" || Value == "1")) {
        K.Explicit = Value == "1";
        HaveExplicit = true;
      } else if (Name == "reqntid") {
        K.ReqNTid = std::move(*Text);
      } else if (Name == "maxntid") {
        K.MaxNTid = std::move(*Text);
      } else if (Name == "cluster") {
        K.ClusterDim = std::move(*Text);
      } else {
        return std::nullopt;
      }
    }
    if (!HaveName || !HaveFields || !HaveExplicit)
      return std::nullopt;
    Out.push_back(std::move(K));
  }
  return Out;
}

} // namespace lcs::cache
