//===- ModuleWalk.h - Walking a large module's functions fast ---*- C++ -*-===//
//
// What the analysis' walks over a module's functions share. Past a few
// thousand functions a module outgrows the caches and a walk is a chain of
// cache misses, one an object; these helpers overlap the misses: several
// chains at once on one thread (functionsInOrder), or contiguous shares of
// the functions on several threads (inChunks).
//
//===----------------------------------------------------------------------===//

#ifndef LCS_MODULEWALK_H
#define LCS_MODULEWALK_H

#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace llvm {
class Function;
class Module;
} // namespace llvm

namespace lcs {

/// \p M's functions in module order. A large module's list is walked as
/// several segments at once, each starting at a function of the module's
/// symbol table (whose entries load independently of each other), on up
/// to walkThreads(\p Threads, its symbols) threads, and the segments are
/// joined in order.
std::vector<const llvm::Function *> functionsInOrder(const llvm::Module &M,
                                                     unsigned Threads = 0);

/// How many threads walk \p Functions functions, for \p Requested threads
/// (SensitivityOptions::Threads): 0, this thread alone below 2048 functions
/// and up to 8 (at most the hardware's) beyond; never more than one per 64
/// functions.
unsigned walkThreads(unsigned Requested, size_t Functions);

/// Runs \p Work(Chunk, Begin, End) for \p Threads contiguous chunks of
/// [0, \p N), chunk 0 on this thread and the others on threads of their
/// own, and waits for all, whatever happens. A thread that cannot start
/// leaves its chunk to this one; an exception from any chunk is rethrown
/// here once all have stopped. \p Work must only read the IR and write
/// what belongs to its chunk.
template <typename WorkFn>
void inChunks(size_t N, unsigned Threads, WorkFn Work) {
  auto Begin = [&](unsigned T) { return N * T / Threads; };
  std::vector<std::thread> Helpers;
  std::vector<std::exception_ptr> Errors;
  std::vector<unsigned> Left;
  try {
    Helpers.reserve(Threads);
    Errors.resize(Threads);
    Left.reserve(Threads);
  } catch (const std::exception &) {
    Threads = 1;
  }
  if (Threads <= 1) {
    Work(0u, size_t(0), N);
    return;
  }
  // A joinable std::thread's destructor would end the process.
  struct Joiner {
    std::vector<std::thread> &Helpers;
    ~Joiner() {
      for (std::thread &H : Helpers)
        if (H.joinable())
          H.join();
    }
  } Join{Helpers};
  for (unsigned T = 1; T != Threads; ++T) {
    try {
      Helpers.emplace_back([&Work, &Errors, T, B = Begin(T), E = Begin(T + 1)] {
        try {
          Work(T, B, E);
        } catch (...) {
          Errors[T] = std::current_exception();
        }
      });
    } catch (...) {
      Left.push_back(T); // reserved: cannot throw
    }
  }
  Work(0u, size_t(0), Begin(1));
  for (unsigned T : Left)
    Work(T, Begin(T), Begin(T + 1));
  for (std::thread &H : Helpers)
    H.join();
  for (const std::exception_ptr &E : Errors)
    if (E)
      std::rethrow_exception(E);
}

} // namespace lcs

#endif // LCS_MODULEWALK_H
