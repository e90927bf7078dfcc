//===- Fields.h - The field model, LLVM side --------------------*- C++ -*-===//
///
/// \file
/// The launch-field model lives in lcs/config/Fields.h (no LLVM); this
/// header gives the passes and tools its names as StringRef, its parsers
/// as llvm::Expected, and toError(), the one place a Status becomes an
/// llvm::Error.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_FIELDS_H
#define LCS_FIELDS_H

#include "lcs/Status.h"
#include "lcs/config/Fields.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace lcs {

/// \p S as an llvm::Error carrying its message (success for an ok status).
llvm::Error toError(const Status &S);

/// The canonical spelling of \p F, e.g. "block.x".
inline llvm::StringRef fieldName(Field F) { return config::fieldName(F); }

/// The canonical spelling of \p G: "block", "grid", "cluster", "smem".
inline llvm::StringRef groupName(FieldGroup G) { return config::groupName(G); }

/// Parses one canonical field name. Returns false if \p Name is not one.
inline bool parseFieldName(llvm::StringRef Name, Field &Out) {
  return config::parseFieldName(Name, Out);
}

/// config::parseFieldList as an llvm::Expected.
llvm::Expected<FieldMask> parseFieldList(llvm::StringRef List);

} // namespace lcs

#endif // LCS_FIELDS_H
