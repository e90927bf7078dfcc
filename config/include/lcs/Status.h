//===- Status.h - The runtime's status type ---------------------*- C++ -*-===//
///
/// \file
/// A status code (lcs.h's lcs_status_t) and a message: what the runtime and
/// the launch-configuration library (lcs/config) return. No LLVM, so that
/// both stay usable without the compiler; the passes turn a Status into an
/// llvm::Error with lcs::toError (lcs/LaunchConfig.h).
///
//===----------------------------------------------------------------------===//

#ifndef LCS_STATUS_H
#define LCS_STATUS_H

#include "lcs/lcs.h"

#include <string>
#include <utility>

namespace lcs {

/// A status code and message; Ok when Code is LCS_SUCCESS.
class Status {
public:
  Status() = default;
  Status(lcs_status_t Code, std::string Message)
      : Code(Code), Message(std::move(Message)) {}
  static Status ok() { return Status(); }
  bool isOk() const { return Code == LCS_SUCCESS; }
  explicit operator bool() const { return !isOk(); } ///< true on error
  lcs_status_t code() const { return Code; }
  const std::string &message() const { return Message; }

private:
  lcs_status_t Code = LCS_SUCCESS;
  std::string Message;
};

} // namespace lcs

#endif // LCS_STATUS_H
