//===- ModuleWalk.cpp - Walking a large module's functions fast -----------===//

#include "lcs/ModuleWalk.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/ValueSymbolTable.h"

#include <algorithm>

using namespace llvm;

namespace lcs {

namespace {
/// Past this many symbols a module's functions are walked as segments.
constexpr size_t SegmentedSymbols = 2048;
/// Segments, and how many are walked at once (the misses in flight).
constexpr unsigned Segments = 256, Lanes = 16;
} // namespace

std::vector<const Function *> functionsInOrder(const Module &M,
                                              unsigned Threads) {
  std::vector<const Function *> Fns;
  size_t Symbols = M.getValueSymbolTable().size();
  if (Symbols < SegmentedSymbols) {
    for (const Function &F : M)
      Fns.push_back(&F);
    return Fns;
  }
  // Segment S starts at Seeds[S] and runs up to the next seed in the list;
  // segment 0 starts at the module's first function. The symbol table
  // lists functions in hash order: seeds anywhere in the list.
  std::vector<const Function *> Seeds;
  DenseMap<const Function *, unsigned> SeedIndex;
  auto AddSeed = [&](const Function &F) {
    if (SeedIndex.try_emplace(&F, Seeds.size()).second)
      Seeds.push_back(&F);
  };
  if (M.empty())
    return Fns;
  AddSeed(*M.begin());
  for (const auto &Entry : M.getValueSymbolTable()) {
    if (Seeds.size() == Segments)
      break;
    if (const auto *F = dyn_cast<Function>(Entry.getValue()))
      AddSeed(*F);
  }
  constexpr unsigned Last = ~0u;
  std::vector<std::vector<const Function *>> Walked(Seeds.size());
  std::vector<unsigned> Next(Seeds.size(), Last);
  // Segments [Begin, End), round-robin over the lanes, one function each in
  // turn; a lane that reaches the next seed (or the end) takes the next
  // segment not started. Each segment's entries are its walker's alone.
  auto WalkSegments = [&](unsigned, size_t Begin, size_t End) {
    struct Lane {
      size_t Segment;
      const Function *F;
    };
    Lane Active[Lanes];
    unsigned NumActive = 0;
    size_t Started = Begin;
    while (NumActive != Lanes && Started != End) {
      Active[NumActive++] = {Started, Seeds[Started]};
      ++Started;
    }
    while (NumActive) {
      for (unsigned L = 0; L < NumActive;) {
        Lane &A = Active[L];
        Walked[A.Segment].push_back(A.F);
        auto It = std::next(A.F->getIterator());
        if (It != M.end()) {
          auto Seed = SeedIndex.find(&*It);
          if (Seed == SeedIndex.end()) {
            A.F = &*It;
            ++L;
            continue;
          }
          Next[A.Segment] = Seed->second;
        }
        if (Started != End) {
          A = {Started, Seeds[Started]};
          ++Started;
          ++L;
        } else {
          A = Active[--NumActive];
        }
      }
    }
  };
  // Several threads for a large module, each with a share of the segments
  // enough to keep its lanes busy. Fewer seeds than segments: the symbol
  // table held only that many functions (the rest of it globals), which
  // count as the module's size.
  size_t Functions = Seeds.size() == Segments ? Symbols : Seeds.size();
  unsigned Helpers = std::min<size_t>(walkThreads(Threads, Functions),
                                      std::max<size_t>(1, Seeds.size() / Lanes));
  inChunks(Seeds.size(), Helpers, WalkSegments);
  for (unsigned S = 0; S != Last; S = Next[S])
    Fns.insert(Fns.end(), Walked[S].begin(), Walked[S].end());
  assert(Fns.size() == M.size() && "every segment joined once");
  return Fns;
}

unsigned walkThreads(unsigned Requested, size_t Functions) {
  constexpr size_t ParallelFunctions = 2048, MinChunk = 64;
  constexpr unsigned MaxAutoThreads = 8;
  size_t Wanted = Requested;
  if (!Wanted) {
    if (Functions < ParallelFunctions)
      return 1;
    Wanted = std::min<size_t>(MaxAutoThreads,
                              std::max(1u, std::thread::hardware_concurrency()));
  }
  return unsigned(std::max<size_t>(
      1, std::min(Wanted, (Functions + MinChunk - 1) / MinChunk)));
}

} // namespace lcs
