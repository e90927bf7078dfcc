//===- CallGraphSummary.h - What each function reaches ----------*- C++ -*-===//
//
// The analysis' last step: each function's fields ORed with those of
// everything it reaches, over a call graph given as one array.
//
//===----------------------------------------------------------------------===//

#ifndef LCS_CALLGRAPHSUMMARY_H
#define LCS_CALLGRAPHSUMMARY_H

#include "lcs/Fields.h"

#include "llvm/ADT/ArrayRef.h"

#include <vector>

namespace lcs {

/// What a function depends on, itself and through everything it reaches.
struct Summary {
  FieldMask Fields; ///< Detected and marked.
  FieldMask Marked; ///< Marked only.
  bool Explicit = false;

  void merge(const Summary &O) {
    Fields |= O.Fields;
    Marked |= O.Marked;
    Explicit |= O.Explicit;
  }
};

/// A call graph summarised with Tarjan's algorithm (iterative, so deep call
/// chains cannot overflow the stack). Linear in nodes + edges.
class CallGraphSummary {
public:
  /// Node N has its own summary Own[N] and the successors
  /// Succs[First[N]] up to Succs[First[N + 1]]: First has one entry more
  /// than there are nodes.
  CallGraphSummary(std::vector<unsigned> First, std::vector<unsigned> Succs,
                   std::vector<Summary> Own);

  /// The summary of node \p N: its own and every reachable node's.
  const Summary &of(unsigned N) const { return Solved[N]; }

private:
  static constexpr unsigned Unvisited = ~0u;

  llvm::ArrayRef<unsigned> succs(unsigned N) const {
    return llvm::ArrayRef<unsigned>(Succs).slice(First[N],
                                                 First[N + 1] - First[N]);
  }
  void solve();

  std::vector<unsigned> First, Succs;
  std::vector<Summary> Own, Solved;
};

} // namespace lcs

#endif // LCS_CALLGRAPHSUMMARY_H
