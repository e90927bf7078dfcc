//===- VariantTable.h - A kernel's variants, found without a lock -*- C++
//-*-===//
///
/// \file
/// Internal (not installed). A kernel's variants keyed by the values of the
/// field groups they are specialised on, in an open-addressing table that
/// launches probe with acquire loads and no lock; insertions take the
/// table's lock and publish with a release store.
///
/// The bound: a kernel keeps at most max_variants specialised variants.
/// Past it, a configuration without its own variant uses the generic one
/// (unless the kernel's IR is only valid for its own configuration). The
/// choice is made in choose(), and decided under the lock when a variant
/// is inserted, so racing first launches cannot exceed the bound.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CORE_VARIANTTABLE_H
#define LCS_CORE_VARIANTTABLE_H

#include "lcs/DriverHandles.h"
#include "lcs/Runtime.h"
#include "lcs/config/Fields.h"

#include <atomic>
#include <cassert>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace lcs::core {

/// A variant's identity within its kernel: the values of the groups used,
/// zero elsewhere. V holds the fields in canonical order (Fields.def), then
/// whether the cluster group's value is an explicit cluster (1) or none (2).
struct VKey {
  static constexpr unsigned ClusterKind = NumFields;
  uint32_t V[NumFields + 1] = {0};
  uint32_t Groups = 0; ///< LCS_GROUP_* bits
  bool operator==(const VKey &O) const {
    return Groups == O.Groups && std::memcmp(V, O.V, sizeof V) == 0;
  }
};

// makeKey copies each group's three dims at once.
static_assert(unsigned(Field::BlockZ) == unsigned(Field::BlockX) + 2 &&
              unsigned(Field::GridZ) == unsigned(Field::GridX) + 2 &&
              unsigned(Field::ClusterZ) == unsigned(Field::ClusterX) + 2);

/// The key of a launch with \p P specialised on \p Groups (LCS_GROUP_*).
inline VKey makeKey(const LaunchParams &P, uint32_t Groups) {
  assert((Groups & ~FieldMask::all().groupBits()) == 0 && "unknown groups");
  VKey K;
  K.Groups = Groups;
  if (Groups & LCS_GROUP_BLOCK)
    std::memcpy(K.V + unsigned(Field::BlockX), P.block, sizeof P.block);
  if (Groups & LCS_GROUP_GRID)
    std::memcpy(K.V + unsigned(Field::GridX), P.grid, sizeof P.grid);
  if (Groups & LCS_GROUP_CLUSTER) {
    std::memcpy(K.V + unsigned(Field::ClusterX), P.cluster, sizeof P.cluster);
    K.V[VKey::ClusterKind] = P.cluster[0] | P.cluster[1] | P.cluster[2] ? 1 : 2;
  }
  if (Groups & LCS_GROUP_SMEM)
    K.V[unsigned(Field::SmemDynamic)] = P.shared_mem_bytes;
  return K;
}

/// Whether \p K, a key makeKey made, is makeKey(\p P, \p Groups): read
/// from \p P field by field, without building a key. The hit path's check:
/// a key built on the stack and compared at once loads what it has just
/// stored, 8 bytes across two of makeKey's stores, which the processor
/// cannot forward (a stall a launch). Fields of groups not in \p Groups
/// are 0 in every key of those groups, and the cluster kind follows from
/// the cluster's dims.
inline bool keyMatches(const VKey &K, const LaunchParams &P, uint32_t Groups) {
  if (K.Groups != Groups)
    return false;
  auto Differ3 = [](const uint32_t *A, const uint32_t *B) {
    return (A[0] ^ B[0]) | (A[1] ^ B[1]) | (A[2] ^ B[2]);
  };
  uint32_t Diff = 0;
  if (Groups & LCS_GROUP_BLOCK)
    Diff |= Differ3(K.V + unsigned(Field::BlockX), P.block);
  if (Groups & LCS_GROUP_GRID)
    Diff |= Differ3(K.V + unsigned(Field::GridX), P.grid);
  // The cluster kind follows from the dims.
  if (Groups & LCS_GROUP_CLUSTER)
    Diff |= Differ3(K.V + unsigned(Field::ClusterX), P.cluster);
  if (Groups & LCS_GROUP_SMEM)
    Diff |= K.V[unsigned(Field::SmemDynamic)] ^ P.shared_mem_bytes;
  return Diff == 0;
}

inline uint64_t hashKey(const VKey &K) {
  uint64_t H = 0x9e3779b97f4a7c15ull ^ K.Groups;
  for (uint32_t V : K.V) {
    H ^= V;
    H *= 0xff51afd7ed558ccdull;
    H ^= H >> 33;
  }
  return H;
}

/// One compile attempt that waiters share.
struct Attempt {
  std::mutex M;
  std::condition_variable CV;
  bool Done = false;
  Status Result;
};

/// What the occupancy calculator said for a variant, per block size and
/// dynamic shared memory, so that launches after the first ask nothing. A
/// slot packs valid(1) kind(1) threads(12) smem(20) value(16); readers take
/// it with one acquire load, writers hold the variant's lock.
class OccupancyCache {
public:
  enum Kind : uint64_t { BlocksPerSM = 0, ClusterSize = 1 };
  static constexpr unsigned Slots = 8;

  /// The value cached for (\p K, \p Threads, \p Smem), or -1.
  int find(Kind K, uint64_t Threads, uint64_t Smem) const {
    if (!fits(Threads, Smem))
      return -1;
    uint64_t Tag = tag(K, Threads, Smem);
    for (const std::atomic<uint64_t> &S : Slot) {
      uint64_t V = S.load(std::memory_order_acquire);
      if ((V & ~uint64_t(0xffff)) == Tag)
        return int(V & 0xffff);
    }
    return -1;
  }
  /// Caches \p Value (the oldest slot goes); the caller holds the lock.
  void insert(Kind K, uint64_t Threads, uint64_t Smem, int Value) {
    if (!fits(Threads, Smem) || Value < 0 || Value > 0xffff)
      return;
    Slot[Next++ % Slots].store(tag(K, Threads, Smem) | uint64_t(Value),
                               std::memory_order_release);
  }

private:
  static bool fits(uint64_t Threads, uint64_t Smem) {
    return Threads < (1u << 12) && Smem < (1u << 20);
  }
  static uint64_t tag(Kind K, uint64_t Threads, uint64_t Smem) {
    return uint64_t(1) << 49 | uint64_t(K) << 48 | Threads << 36 | Smem << 16;
  }
  std::atomic<uint64_t> Slot[Slots] = {};
  unsigned Next = 0;
};

struct Variant {
  VKey Key;
  std::atomic<CUfunction> Fn{nullptr}; ///< non-null once ready
  /// Unloaded in the runtime's context when the kernel goes, before the
  /// runtime releases that context.
  ModuleHandle Module;
  uint32_t ExtraSmem = 0;
  /// The generator's function attributes (set when loaded).
  bool NonPortableCluster = false;
  /// Every launch is cooperative (the code synchronises the grid).
  bool Cooperative = false;
  std::atomic<uint32_t> SmemOptIn{0};
  /// Occupancy answers for cooperative launches and large clusters; written
  /// under M.
  OccupancyCache Occupancy;
  std::string Groups;   ///< set at insertion, under the table's lock
  std::string CacheKey; ///< set before Fn is published; read after it
  std::mutex M;
  std::shared_ptr<Attempt> InFlight;
  /// A deterministic failure (core/Failures.h), returned to every later
  /// launch instead of compiling again. Under M.
  std::optional<Status> Failure;
};

class VariantTable {
public:
  /// Slots; at most half are used, so probes end at an empty slot.
  static constexpr size_t Capacity = 512;

  VariantTable();

  /// The variant with key \p K, or null. Lock-free.
  Variant *find(const VKey &K) const {
    size_t Mask = Capacity - 1;
    for (size_t I = hashKey(K) & Mask, N = 0; N != Capacity;
         I = (I + 1) & Mask, ++N) {
      Variant *V = Slots[I].load(std::memory_order_acquire);
      if (!V)
        return nullptr;
      if (V->Key == K)
        return V;
    }
    return nullptr;
  }

  /// The key a launch with key \p K uses: \p K, or, past the bound of \p Max
  /// specialised variants, the generic key when \p MayFallBack (a kernel
  /// whose IR is valid for every configuration). The one place the bound
  /// is applied; the specialised count only grows, so a lock-free caller
  /// that sees the bound passed is never wrong.
  const VKey &choose(const VKey &K, bool MayFallBack, unsigned Max) const {
    if (MayFallBack && pastBound(K, Max))
      return Generic;
    return K;
  }

  /// The variant a launch with key \p K uses, if it exists. Lock-free.
  Variant *lookup(const VKey &K, bool MayFallBack, unsigned Max) const {
    if (Variant *V = find(K))
      return V;
    const VKey &C = choose(K, MayFallBack, Max);
    return &C == &K ? nullptr : find(C);
  }

  /// lookup(), else a new variant for the key choose() picks, decided under
  /// the table's lock. \p PastBound is set when a kernel that cannot fall
  /// back gets a specialised variant past the bound (first time only).
  /// Null with \p Err set when the table is full.
  Variant *findOrInsert(const VKey &K, bool MayFallBack, unsigned Max,
                        const LaunchParams &P, const std::string &Kernel,
                        bool &PastBound, Status &Err);

  /// Specialised variants (Groups != 0) in the table.
  unsigned specialised() const {
    return Specialised.load(std::memory_order_relaxed);
  }

  /// Calls \p Fn on each variant in insertion order, under the lock.
  template <typename FnT> void forEach(FnT Fn) const {
    std::lock_guard<std::mutex> L(Mutex);
    for (const std::unique_ptr<Variant> &V : Owned)
      Fn(*V);
  }

private:
  bool pastBound(const VKey &K, unsigned Max) const {
    return K.Groups && Specialised.load(std::memory_order_relaxed) >= Max;
  }

  static const VKey Generic;
  std::unique_ptr<std::atomic<Variant *>[]> Slots;
  mutable std::mutex Mutex;
  std::vector<std::unique_ptr<Variant>> Owned; ///< under Mutex
  /// Written under Mutex only, so a bound checked under it is exact.
  std::atomic<unsigned> Specialised{0};
  bool WarnedBound = false; ///< under Mutex
};

} // namespace lcs::core

#endif // LCS_CORE_VARIANTTABLE_H
