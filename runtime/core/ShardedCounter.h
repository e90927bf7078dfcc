//===- ShardedCounter.h - A counter without a shared cache line -*- C++ -*-===//
///
/// \file
/// Internal (not installed). A relaxed event counter for the launch hit
/// path: one cache-line-padded atomic slot per thread (threads take slots
/// round-robin the first time they count, any counter of the process using
/// the same slot index), summed when read. Up to Slots threads never write
/// a line another thread writes; past that, threads share slots and the sum
/// stays exact (every add is an atomic add). A read while others count sees
/// some of their adds, as a single relaxed atomic would.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CORE_SHARDEDCOUNTER_H
#define LCS_CORE_SHARDEDCOUNTER_H

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace lcs::core {

/// This thread's slot index, in [0, Slots): assigned on first use.
unsigned counterSlot();

class ShardedCounter {
public:
  /// Enough for the threads that launch at once in practice; a power of 2.
  static constexpr unsigned Slots = 32;
  /// A cache line (and the adjacent-line prefetch pair on x86: 128 bytes).
  static constexpr size_t LineBytes = 128;

  void add(uint64_t N = 1) {
    Slot[counterSlot()].V.fetch_add(N, std::memory_order_relaxed);
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

static_assert((ShardedCounter::Slots & (ShardedCounter::Slots - 1)) == 0,
              "slots are taken modulo a power of 2");

} // namespace lcs::core

#endif // LCS_CORE_SHARDEDCOUNTER_H
