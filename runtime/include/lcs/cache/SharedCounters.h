//===- lcs/cache/SharedCounters.h - Counters many threads bump --*- C++ -*-===//
///
/// \file
/// The counters of a cache tier (CacheStats, RemoteStats): one cache object
/// serves many threads, which bump them; stats() reads them as one
/// snapshot.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CACHE_SHAREDCOUNTERS_H
#define LCS_CACHE_SHAREDCOUNTERS_H

#include <cstdint>
#include <mutex>

namespace lcs::cache {

/// \p Counters (a struct of uint64_t fields) under their own mutex.
template <typename Counters> class SharedCounters {
public:
  void bump(uint64_t Counters::*C, uint64_t By = 1) {
    std::lock_guard<std::mutex> L(M);
    Values.*C += By;
  }
  Counters snapshot() const {
    std::lock_guard<std::mutex> L(M);
    return Values;
  }
  /// \p Update(the counters), under the mutex: a read-modify-write step.
  template <typename Fn> void update(Fn Update) {
    std::lock_guard<std::mutex> L(M);
    Update(Values);
  }

private:
  mutable std::mutex M;
  Counters Values{};
};

} // namespace lcs::cache

#endif // LCS_CACHE_SHAREDCOUNTERS_H
