//===- LinkInput.h - Device code linked into a kernel's cubin ---*- C++ -*-===//
///
/// \file
/// A link input is device code that is not LLVM IR and that nvJitLink links
/// with the kernel's PTX into its cubin: NVRTC's LTO-IR (`-dlto`, what
/// cuda.coop and numba-cuda's `output="ltoir"` give), PTX, a cubin, a
/// fatbin, a host object with embedded device code (`nvcc -rdc=true -c`) or
/// a static archive of those (libcudadevrt.a).
///
/// The kind is read from the bytes, in this one place:
///
///   LTO-IR    NVVM IR container magic 0x7F4E43ED (little endian)
///   cubin     ELF, e_machine EM_CUDA (190); relocatable (-rdc) or not
///   fatbin    magic 0xBA55ED50 (little endian)
///   object    ELF for the host holding a fatbin (its .nv_fatbin section)
///   library   "!<arch>\n"
///   PTX       text with a `.version` and a `.target` directive
///
/// A kind given explicitly is checked against the same shape, so garbage
/// never reaches nvJitLink, whatever the caller says it is.
///
/// No LLVM and no CUDA headers: the runtime's host side, the worker wire
/// format and the C API all carry these.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_COMPILE_LINKINPUT_H
#define LCS_COMPILE_LINKINPUT_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lcs {

/// The values are the C API's LCS_LINK_* constants.
enum class LinkKind : uint8_t {
  Detect = 0, ///< read the kind from the bytes
  LTOIR = 1,
  PTX = 2,
  Cubin = 3,
  Fatbin = 4,
  Object = 5,
  Library = 6,
};

struct LinkInput {
  /// What errors and nvJitLink call it: a file name, or a caller's label.
  std::string Name;
  LinkKind Kind = LinkKind::Detect;
  std::string Bytes;
};

/// "ltoir", "ptx", "cubin", "fatbin", "object", "library"; "auto" for
/// Detect.
const char *linkKindName(LinkKind K);
/// What an error calls the kind: "LTO-IR", "PTX", "a cubin", ...
const char *linkKindNoun(LinkKind K);
/// The kind named \p Name (as linkKindName spells it); false if none.
bool parseLinkKind(std::string_view Name, LinkKind &Out);

/// The kind of \p Bytes, or Detect when they are none of the six.
LinkKind detectLinkKind(std::string_view Bytes);

/// Resolves \p L's kind (detecting it when it is Detect) and checks its
/// bytes have that kind's shape. \returns "" when \p L can be linked, else
/// one line naming the input and what it is not.
std::string checkLinkInput(LinkInput &L);

/// True if \p L (already checked) holds LTO-IR, itself or inside a fatbin,
/// object or archive: nvJitLink then needs `-lto`.
bool holdsLTOIR(const LinkInput &L);

/// nvJitLink's NVJITLINK_INPUT_* value for \p K (not Detect).
int nvJitLinkInputType(LinkKind K);

/// nvJitLink's error log after a failed link, as one line: an unresolved
/// symbol names the symbol, \p Kernel and where it was referenced; LTO-IR
/// for a newer architecture names it and \p Arch; LTO-IR newer than this
/// nvJitLink names both (\p LinkerVersion, "13.0"). \p Result is the
/// nvJitLinkResult of the call that failed, \p Input the input it was
/// adding ("" when the link itself failed).
std::string describeLinkFailure(std::string_view Log, int Result,
                                std::string_view Input, std::string_view Kernel,
                                std::string_view Arch,
                                std::string_view LinkerVersion);

} // namespace lcs

#endif // LCS_COMPILE_LINKINPUT_H
