//===- ShardedCounter.h - A counter without a shared cache line -*- C++ -*-===//
///
/// \file
/// Internal (not installed). A relaxed event counter for the launch hit
/// path: one cache-line-padded atomic slot per thread, summed when read. A
/// thread takes a slot the first time it counts (any counter of the
/// process using the same index) and gives it back when it exits. The
/// first Exclusive slots have one writer each, which adds with a relaxed
/// load and store: no locked instruction, which would wait for the
/// launch's earlier stores to drain (perf over the stand-in driver put half
/// of Kernel::launch's samples on it). Threads past Exclusive at once share
/// the other slots round-robin, with atomic adds. The sum stays exact
/// either way, and a read while others count sees some of their adds, as
/// a single relaxed atomic would.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CORE_SHARDEDCOUNTER_H
#define LCS_CORE_SHARDEDCOUNTER_H

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace lcs::core {

/// This thread's slot index, in [0, Slots): assigned on first use; below
/// ShardedCounter::Exclusive this thread is its only writer until it
/// exits.
unsigned counterSlot();

class ShardedCounter {
public:
  /// Enough for the threads that launch at once in practice.
  static constexpr unsigned Slots = 64;
  /// Slots with one writer each; the rest are shared.
  static constexpr unsigned Exclusive = 48;
  /// A cache line (and the adjacent-line prefetch pair on x86: 128 bytes).
  static constexpr size_t LineBytes = 128;

  void add(uint64_t N = 1) {
    unsigned I = counterSlot();
    std::atomic<uint64_t> &V = Slot[I].V;
    if (I < Exclusive)
      V.store(V.load(std::memory_order_relaxed) + N, std::memory_order_relaxed);
    else
      V.fetch_add(N, std::memory_order_relaxed);
  }
  uint64_t load() const {
    uint64_t Sum = 0;
    for (const Padded &S : Slot)
      Sum += S.V.load(std::memory_order_relaxed);
    return Sum;
  }

private:
  struct alignas(LineBytes) Padded {
    std::atomic<uint64_t> V{0};
  };
  Padded Slot[Slots];
};

} // namespace lcs::core

#endif // LCS_CORE_SHARDEDCOUNTER_H
