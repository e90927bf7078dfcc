//===- WarnOnce.h - One warning of each kind per cache object ---*- C++ -*-===//
///
/// \file
/// Private to lcs_cache: the disk cache and the remote tier each warn once
/// per kind of problem, to their caller's sink or else to LCS_LOG.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CACHE_WARNONCE_H
#define LCS_CACHE_WARNONCE_H

#include "lcs/Log.h"

#include <algorithm>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace lcs::cache {

/// Gives \p Msg to \p Sink (null: LCS_LOG, as a warning) unless \p Kind is
/// in \p Warned already; \p Warned is guarded by \p M.
inline void warnOnce(std::mutex &M, std::vector<std::string> &Warned,
                     const std::string &Kind,
                     const std::function<void(const std::string &)> &Sink,
                     const std::string &Msg) {
  {
    std::lock_guard<std::mutex> L(M);
    if (std::find(Warned.begin(), Warned.end(), Kind) != Warned.end())
      return;
    Warned.push_back(Kind);
  }
  if (Sink)
    Sink(Msg);
  else if (log::enabled(log::Level::Warning))
    log::write(log::Level::Warning, Msg);
}

} // namespace lcs::cache

#endif // LCS_CACHE_WARNONCE_H
