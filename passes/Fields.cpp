//===- Fields.cpp - The field model, LLVM side ----------------------------===//
//
// See Fields.h; the model itself is config/Fields.cpp.
//
//===----------------------------------------------------------------------===//

#include "lcs/Fields.h"

using namespace llvm;

namespace lcs {

Error toError(const Status &S) {
  if (!S)
    return Error::success();
  return createStringError(inconvertibleErrorCode(), S.message());
}

Expected<FieldMask> parseFieldList(StringRef List) {
  FieldMask M;
  if (Status S = config::parseFieldList(List, M))
    return toError(S);
  return M;
}

} // namespace lcs
