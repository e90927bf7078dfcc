//===- VariantTable.cpp - A kernel's variants, found without a lock -------===//
//
// See VariantTable.h.
//
//===----------------------------------------------------------------------===//

#include "VariantTable.h"

#include "lcs/config/LaunchConfig.h"

namespace lcs::core {

const VKey VariantTable::Generic = VKey();

VariantTable::VariantTable() : Slots(new std::atomic<Variant *>[Capacity]) {
  static_assert((Capacity & (Capacity - 1)) == 0, "probing masks the hash");
  for (size_t I = 0; I != Capacity; ++I)
    Slots[I].store(nullptr, std::memory_order_relaxed);
}

Variant *VariantTable::findOrInsert(const VKey &K, bool MayFallBack,
                                    unsigned Max, const LaunchParams &P,
                                    const std::string &Kernel, bool &PastBound,
                                    Status &Err) {
  std::lock_guard<std::mutex> L(Mutex);
  PastBound = false;
  if (Variant *V = find(K))
    return V;
  const VKey &Key = choose(K, MayFallBack, Max);
  if (&Key != &K)
    if (Variant *V = find(Key))
      return V;
  if (pastBound(Key, Max) && !WarnedBound) {
    assert(!MayFallBack && "choose() falls back past the bound");
    WarnedBound = PastBound = true;
  }
  if (Owned.size() >= Capacity / 2) {
    Err = Status(LCS_ERROR_INVALID_CONFIG,
                 "kernel '" + Kernel + "': more than " +
                     std::to_string(Capacity / 2) +
                     " variants; lower the policy's groups");
    return nullptr;
  }
  auto V = std::make_unique<Variant>();
  V->Key = Key;
  V->Groups = LaunchConfig::fromC(P).str(FieldMask::ofGroupBits(Key.Groups));
  Variant *Raw = V.get();
  Owned.push_back(std::move(V));
  if (Key.Groups)
    Specialised.fetch_add(1, std::memory_order_relaxed);
  // At most half the slots are used, so the probe finds an empty one.
  assert(Owned.size() <= Capacity / 2);
  size_t Mask = Capacity - 1;
  size_t I = hashKey(Key) & Mask;
  while (Slots[I].load(std::memory_order_relaxed))
    I = (I + 1) & Mask;
  Slots[I].store(Raw, std::memory_order_release);
  return Raw;
}

} // namespace lcs::core
