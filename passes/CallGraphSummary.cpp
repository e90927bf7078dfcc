//===- CallGraphSummary.cpp - What each function reaches ------------------===//

#include "lcs/CallGraphSummary.h"

#include "llvm/ADT/SmallVector.h"

#include <algorithm>

using namespace llvm;

namespace lcs {

CallGraphSummary::CallGraphSummary(std::vector<unsigned> First,
                                   std::vector<unsigned> Succs,
                                   std::vector<Summary> Own)
    : First(std::move(First)), Succs(std::move(Succs)), Own(std::move(Own)) {
  solve();
}

void CallGraphSummary::solve() {
  unsigned NumNodes = First.size() - 1;
  Solved.assign(NumNodes, Summary());
  std::vector<unsigned> Low(NumNodes), Order(NumNodes, Unvisited);
  std::vector<unsigned> Stack;
  std::vector<bool> OnStack(NumNodes, false);
  struct Frame {
    unsigned Node;
    unsigned NextSucc;
  };
  std::vector<Frame> Work;
  unsigned Counter = 0;
  auto Visit = [&](unsigned N) {
    Order[N] = Low[N] = Counter++;
    Stack.push_back(N);
    OnStack[N] = true;
    Work.push_back({N, 0});
  };

  for (unsigned Root = 0; Root != NumNodes; ++Root) {
    if (Order[Root] != Unvisited)
      continue;
    Visit(Root);
    while (!Work.empty()) {
      Frame &Top = Work.back();
      unsigned N = Top.Node;
      if (First[N] + Top.NextSucc < First[N + 1]) {
        unsigned S = Succs[First[N] + Top.NextSucc++];
        if (Order[S] == Unvisited)
          Visit(S);
        else if (OnStack[S])
          Low[N] = std::min(Low[N], Order[S]);
        continue;
      }
      // N is done. If it roots an SCC, every SCC reachable from it outside
      // itself is already solved (Tarjan emits callees first).
      if (Low[N] == Order[N]) {
        SmallVector<unsigned, 4> Members;
        unsigned M;
        do {
          M = Stack.back();
          Stack.pop_back();
          OnStack[M] = false;
          Members.push_back(M);
        } while (M != N);
        Summary SCC;
        for (unsigned Member : Members) {
          SCC.merge(Own[Member]);
          for (unsigned S : succs(Member))
            SCC.merge(Solved[S]);
        }
        for (unsigned Member : Members)
          Solved[Member] = SCC;
      }
      Work.pop_back();
      if (!Work.empty()) {
        unsigned Parent = Work.back().Node;
        Low[Parent] = std::min(Low[Parent], Low[N]);
      }
    }
  }
}

} // namespace lcs
