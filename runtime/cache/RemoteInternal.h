//===- RemoteInternal.h - What the remote tier's files share ----*- C++ -*-===//
///
/// \file
/// Private to lcs_cache: the thread's last remote outcome, the clock and the
/// names that RemoteCache.cpp (the tier) and RemoteLease.cpp (leases and the
/// breaker) both use. RemoteConfig.cpp (URLs and settings) needs none of it.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CACHE_REMOTEINTERNAL_H
#define LCS_CACHE_REMOTEINTERNAL_H

#include "lcs/cache/RedisClient.h"
#include "lcs/cache/RemoteCache.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace lcs::cache {

/// One connection and the lock that serialises its use.
struct RemoteCache::Slot {
  std::mutex M;
  std::unique_ptr<redis::Connection> C;
};

namespace remote {

/// This thread's last outcome (RemoteCache::lastOutcome()).
extern thread_local RemoteOutcome LastOutcome;
/// Whether this thread's last fetch found a value and refused it.
extern thread_local bool LastRefused;

/// Lower-case hex of \p N bytes.
std::string toHex(const unsigned char *Bytes, size_t N);

inline int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

} // namespace remote
} // namespace lcs::cache

#endif // LCS_CACHE_REMOTEINTERNAL_H
