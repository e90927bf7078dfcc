//===- LinkInput.cpp - Device code linked into a kernel's cubin -----------===//
//
// See lcs/compile/LinkInput.h. Every reader here is bounds-checked: the
// bytes are the caller's, and a truncated header must give an error, not a
// read past the end.
//
//===----------------------------------------------------------------------===//

#include "lcs/compile/LinkInput.h"

#include <iterator>

namespace lcs {

namespace {

constexpr uint32_t LTOIRMagic = 0x7F4E43ED;
constexpr uint32_t FatbinMagic = 0xBA55ED50;
constexpr uint16_t EM_CUDA = 190;
/// A fatbin entry's kind for LTO-IR (1 is PTX, 2 an ELF cubin).
constexpr uint16_t FatbinEntryLTOIR = 8;
/// nvJitLinkResult values the failure description knows.
constexpr int NvJitLinkArchMismatch = 13;
constexpr int NvJitLinkOutdatedLibrary = 14;

uint64_t readLE(std::string_view B, size_t At, unsigned N) {
  uint64_t V = 0;
  for (unsigned I = 0; I != N; ++I)
    V |= uint64_t(uint8_t(B[At + I])) << (8 * I);
  return V;
}

bool hasMagic(std::string_view B, uint32_t Magic) {
  return B.size() >= 4 && readLE(B, 0, 4) == Magic;
}

bool isELF(std::string_view B) {
  // e_machine is at 18 in both ELF classes; the headers are 52 or 64 bytes.
  return B.size() >= 52 && B.substr(0, 4) == "\x7f"
                                             "ELF";
}

uint16_t elfMachine(std::string_view B) { return uint16_t(readLE(B, 18, 2)); }

/// Calls \p Entry(kind) for each entry of the fatbin at \p At; stops early
/// when it returns true. \returns whether the header is a whole fatbin.
template <typename Fn>
bool forEachFatbinEntry(std::string_view B, size_t At, Fn Entry) {
  if (B.size() < At + 16 || readLE(B, At, 4) != FatbinMagic)
    return false;
  uint64_t Header = readLE(B, At + 6, 2);
  uint64_t Size = readLE(B, At + 8, 8);
  if (Header < 16 || Size > B.size() - At || Header > B.size() - At - Size)
    return false;
  size_t Pos = At + Header, End = At + Header + Size;
  while (Pos + 16 <= End) {
    uint64_t EntryHeader = readLE(B, Pos + 4, 4);
    uint64_t Payload = readLE(B, Pos + 8, 8);
    if (Entry(uint16_t(readLE(B, Pos, 2))))
      return true;
    if (EntryHeader < 16 || EntryHeader > End - Pos ||
        Payload > End - Pos - EntryHeader)
      break;
    Pos += EntryHeader + Payload;
  }
  return true;
}

/// Whether \p B holds an embedded fatbin (host objects and archives keep
/// them in .nv_fatbin sections), and whether one of them holds LTO-IR.
void scanEmbeddedFatbins(std::string_view B, bool &Any, bool &LTO) {
  Any = LTO = false;
  const char Magic[4] = {'\x50', '\xed', '\x55', '\xba'};
  for (size_t At = B.find(std::string_view(Magic, 4));
       At != std::string_view::npos;
       At = B.find(std::string_view(Magic, 4), At + 1)) {
    bool Whole = forEachFatbinEntry(B, At, [&](uint16_t Kind) {
      LTO |= Kind == FatbinEntryLTOIR;
      return LTO;
    });
    Any |= Whole;
    if (LTO)
      return;
  }
}

/// True if \p B is text whose lines include a `.version` and a `.target`
/// directive (after comments and blank lines, as the NVPTX backend, nvcc
/// and NVRTC write them).
bool looksLikePTX(std::string_view B) {
  if (B.find('\0') != std::string_view::npos)
    return false;
  bool Version = false, Target = false;
  size_t Pos = 0;
  while (Pos < B.size() && !(Version && Target)) {
    size_t End = B.find('\n', Pos);
    std::string_view Line = B.substr(
        Pos, End == std::string_view::npos ? B.size() - Pos : End - Pos);
    size_t First = Line.find_first_not_of(" \t\r");
    if (First != std::string_view::npos) {
      Line.remove_prefix(First);
      Version |=
          Line.substr(0, 9) == ".version " || Line.substr(0, 9) == ".version\t";
      Target |=
          Line.substr(0, 8) == ".target " || Line.substr(0, 8) == ".target\t";
    }
    if (End == std::string_view::npos)
      break;
    Pos = End + 1;
  }
  return Version && Target;
}

bool isArchive(std::string_view B) {
  return B.size() > 8 && B.substr(0, 8) == "!<arch>\n";
}

/// Why \p B is not of kind \p K ("" when it is).
std::string shapeProblem(LinkKind K, std::string_view B) {
  switch (K) {
  case LinkKind::LTOIR:
    return B.size() >= 16 && hasMagic(B, LTOIRMagic)
               ? ""
               : "no NVVM IR container magic 0x7F4E43ED";
  case LinkKind::PTX:
    return looksLikePTX(B) ? "" : "no .version and .target directives";
  case LinkKind::Cubin:
    if (!isELF(B))
      return "not an ELF file";
    return elfMachine(B) == EM_CUDA
               ? ""
               : "an ELF file not for CUDA (e_machine " +
                     std::to_string(elfMachine(B)) + ", not 190)";
  case LinkKind::Fatbin:
    return forEachFatbinEntry(B, 0, [](uint16_t) { return false; })
               ? ""
               : "no whole fatbin (magic 0xBA55ED50 and its sizes)";
  case LinkKind::Object:
  case LinkKind::Library: {
    if (K == LinkKind::Object && !isELF(B))
      return "not an ELF file";
    if (K == LinkKind::Object && elfMachine(B) == EM_CUDA)
      return "a CUDA ELF file (a cubin), not a host object";
    if (K == LinkKind::Library && !isArchive(B))
      return "no \"!<arch>\" header";
    bool Any, LTO;
    scanEmbeddedFatbins(B, Any, LTO);
    return Any ? "" : "no CUDA device code in it (no embedded fatbin)";
  }
  case LinkKind::Detect:
    break;
  }
  return "no kind";
}

std::string quoted(std::string_view S) { return "'" + std::string(S) + "'"; }

/// The text between the first pair of single quotes after \p From in
/// \p Line, or "".
std::string_view quotedAfter(std::string_view Line, size_t From) {
  size_t Open = Line.find('\'', From);
  if (Open == std::string_view::npos)
    return {};
  size_t Close = Line.find('\'', Open + 1);
  if (Close == std::string_view::npos)
    return {};
  return Line.substr(Open + 1, Close - Open - 1);
}

} // namespace

namespace {
struct KindInfo {
  LinkKind Kind;
  const char *Name, *Noun;
  /// NVJITLINK_INPUT_*.
  int NvJitLinkType;
};
constexpr KindInfo Kinds[] = {
    {LinkKind::Detect, "auto", "a link input", 0},
    {LinkKind::LTOIR, "ltoir", "LTO-IR", 3},
    {LinkKind::PTX, "ptx", "PTX", 2},
    {LinkKind::Cubin, "cubin", "a cubin", 1},
    {LinkKind::Fatbin, "fatbin", "a fatbin", 4},
    {LinkKind::Object, "object", "a host object with device code", 5},
    {LinkKind::Library, "library", "a static archive with device code", 6},
};
const KindInfo &info(LinkKind K) {
  return uint8_t(K) < std::size(Kinds) ? Kinds[uint8_t(K)] : Kinds[0];
}
} // namespace

const char *linkKindName(LinkKind K) { return info(K).Name; }

const char *linkKindNoun(LinkKind K) { return info(K).Noun; }

bool parseLinkKind(std::string_view Name, LinkKind &Out) {
  for (const KindInfo &I : Kinds)
    if (Name == I.Name) {
      Out = I.Kind;
      return true;
    }
  return false;
}

LinkKind detectLinkKind(std::string_view B) {
  if (B.size() >= 16 && hasMagic(B, LTOIRMagic))
    return LinkKind::LTOIR;
  if (hasMagic(B, FatbinMagic))
    return LinkKind::Fatbin;
  if (isELF(B))
    return elfMachine(B) == EM_CUDA ? LinkKind::Cubin : LinkKind::Object;
  if (isArchive(B))
    return LinkKind::Library;
  if (looksLikePTX(B))
    return LinkKind::PTX;
  return LinkKind::Detect;
}

std::string checkLinkInput(LinkInput &L) {
  std::string Who = "link input " + quoted(L.Name) + ": ";
  if (L.Bytes.empty())
    return Who + "empty, not " + linkKindNoun(L.Kind);
  if (uint8_t(L.Kind) > uint8_t(LinkKind::Library))
    return Who + "unknown kind " + std::to_string(unsigned(L.Kind)) +
           " (0 to detect, 1-6: ltoir ptx cubin fatbin object library)";
  LinkKind Seen = detectLinkKind(L.Bytes);
  if (L.Kind == LinkKind::Detect) {
    if (Seen == LinkKind::Detect)
      return Who + "not a link input: neither LTO-IR, PTX, a cubin, a "
                   "fatbin, a host object nor a static archive";
    L.Kind = Seen;
    std::string Problem = shapeProblem(Seen, L.Bytes);
    if (!Problem.empty())
      return Who + "not " + linkKindNoun(Seen) + ": " + Problem;
    return "";
  }
  std::string Problem = shapeProblem(L.Kind, L.Bytes);
  if (Problem.empty())
    return "";
  std::string Msg = Who + "not " + linkKindNoun(L.Kind) + ", the kind " +
                    "given for it: " + Problem;
  if (Seen != LinkKind::Detect && shapeProblem(Seen, L.Bytes).empty())
    Msg += std::string(" (it is ") + linkKindNoun(Seen) + ")";
  return Msg;
}

bool holdsLTOIR(const LinkInput &L) {
  if (L.Kind == LinkKind::LTOIR)
    return true;
  if (L.Kind != LinkKind::Fatbin && L.Kind != LinkKind::Object &&
      L.Kind != LinkKind::Library)
    return false;
  bool Any, LTO;
  scanEmbeddedFatbins(L.Bytes, Any, LTO);
  return LTO;
}

int nvJitLinkInputType(LinkKind K) { return info(K).NvJitLinkType; }

std::string describeLinkFailure(std::string_view Log, int Result,
                                std::string_view Input, std::string_view Kernel,
                                std::string_view Arch,
                                std::string_view LinkerVersion) {
  std::string InputText =
      Input.empty() ? std::string() : "link input " + quoted(Input);
  std::string_view First;
  for (size_t Pos = 0; Pos < Log.size();) {
    size_t End = Log.find('\n', Pos);
    std::string_view Line = Log.substr(
        Pos, End == std::string_view::npos ? Log.size() - Pos : End - Pos);
    Pos = End == std::string_view::npos ? Log.size() : End + 1;
    while (!Line.empty() && (Line.back() == '\r' || Line.back() == ' '))
      Line.remove_suffix(1);
    if (Line.empty())
      continue;
    if (size_t At = Line.find("Undefined reference to ");
        At != std::string_view::npos) {
      std::string_view Symbol = quotedAfter(Line, At);
      size_t In = Line.find(" in '", At);
      std::string_view Where = In == std::string_view::npos
                                   ? std::string_view()
                                   : quotedAfter(Line, In);
      // nvJitLink names the code it made from all LTO-IR "ltoPtx".
      std::string From = Where.empty() || Where == Kernel || Where == "lcs.ptx"
                             ? "the kernel's code"
                         : Where == "ltoPtx" ? "the LTO-IR link inputs"
                                             : "link input " + quoted(Where);
      return (Kernel.empty() ? std::string("the program")
                             : "kernel " + quoted(Kernel)) +
             ": unresolved symbol " + quoted(Symbol) + " (referenced from " +
             From +
             "; defined by neither the kernel's module nor any link input)";
    }
    if (size_t At = Line.find("LTOIR arch newer than target arch");
        At != std::string_view::npos) {
      // "ERROR 100 in LTOIR arch newer than target arch": 100 is the input's.
      std::string Built;
      if (Line.substr(0, 6) == "ERROR ") {
        size_t Digits = Line.find_first_not_of("0123456789", 6);
        if (Digits != std::string_view::npos && Digits > 6)
          Built = "sm_" + std::string(Line.substr(6, Digits - 6));
      }
      return (InputText.empty() ? std::string("LTO-IR") : InputText) +
             ": LTO-IR built for " +
             (Built.empty() ? std::string("a newer architecture") : Built) +
             ", newer than the target " + std::string(Arch) +
             "; rebuild it for " + std::string(Arch) + " or older";
    }
    if (Result == NvJitLinkOutdatedLibrary ||
        Line.find("may need newer version of nvJitLink") !=
            std::string_view::npos)
      return (InputText.empty() ? std::string("LTO-IR") : InputText) +
             ": LTO-IR made by an NVRTC newer than the nvJitLink " +
             std::string(LinkerVersion.empty() ? "?" : LinkerVersion) +
             " in use; link with an nvJitLink at least as new as that "
             "NVRTC (CUDA_HOME), or rebuild it with NVRTC " +
             std::string(LinkerVersion.empty() ? "?" : LinkerVersion);
    // nvJitLink's own closing line says nothing about the cause.
    if (Line.substr(0, 8) == "ERROR 9:" ||
        Line.find("NO_MODULE_IN_PROGRAM") != std::string_view::npos)
      continue;
    if (First.empty())
      First = Line;
  }
  if (Result == NvJitLinkArchMismatch && !InputText.empty())
    return InputText + ": built for another architecture than " +
           std::string(Arch);
  std::string Msg = "nvJitLink failed for " + std::string(Arch);
  if (!InputText.empty())
    Msg += " on " + InputText;
  if (!Kernel.empty())
    Msg += " (kernel " + quoted(Kernel) + ")";
  Msg += ": ";
  Msg += First.empty() ? "error " + std::to_string(Result) + ", no log"
                       : std::string(First);
  return Msg;
}

} // namespace lcs
