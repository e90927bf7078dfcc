//===- ReadLiveness.cpp - Which launch-register reads are dead ----------===//
//
// The liveness walk of the launch-sensitivity analysis; see ReadLiveness.h.
//
//===----------------------------------------------------------------------===//

#include "lcs/ReadLiveness.h"
#include "lcs/SpecialRegisters.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"

using namespace llvm;

namespace lcs {

std::optional<FieldMask> ReadLiveness::settle(ArrayRef<const CallBase *> Reads,
                                              unsigned &Dead) {
  findReachable();
  FieldMask Fields;
  Dead = 0;
  for (const CallBase *CB : Reads) {
    // A read with effects of its own (inline PTX that does more than
    // move registers) is live whatever its value does.
    if (!Reachable.contains(CB->getParent()) ||
        (!isEffect(*CB) && !reachesEffect(*CB))) {
      ++Dead;
      continue;
    }
    // Inline PTX with several outputs is modelled output by output by
    // the cleanup only.
    if (CB->isInlineAsm() || !certainlyLive(*CB))
      return std::nullopt;
    Fields |= launchFieldsReadByCall(*CB);
  }
  return Fields;
}

void ReadLiveness::findReachable() {
  SmallVector<const BasicBlock *, 16> Work = {&F.getEntryBlock()};
  Reachable.insert(&F.getEntryBlock());
  auto Add = [&](const BasicBlock *BB) {
    if (Reachable.insert(BB).second)
      Work.push_back(BB);
  };
  while (!Work.empty()) {
    const BasicBlock *BB = Work.pop_back_val();
    const Instruction *T = BB->getTerminator();
    if (!T)
      continue;
    if (const auto *Br = dyn_cast<BranchInst>(T); Br && Br->isConditional()) {
      if (const auto *C = dyn_cast<ConstantInt>(Br->getCondition())) {
        Add(Br->getSuccessor(C->isZero() ? 1 : 0));
        continue;
      }
    }
    if (const auto *Sw = dyn_cast<SwitchInst>(T))
      if (const auto *C = dyn_cast<ConstantInt>(Sw->getCondition())) {
        Add(Sw->findCaseValue(C)->getCaseSuccessor());
        continue;
      }
    for (const BasicBlock *S : successors(BB))
      Add(S);
  }
}

bool ReadLiveness::isLifetimeMark(const User *U) {
  const auto *II = dyn_cast<IntrinsicInst>(U);
  return II && II->isLifetimeStartOrEnd();
}

bool ReadLiveness::writeOnly(const AllocaInst &AI) {
  auto [It, New] = WriteOnly.try_emplace(&AI, false);
  if (New)
    It->second = all_of(AI.users(), [&](const User *U) {
      if (const auto *SI = dyn_cast<StoreInst>(U))
        return SI->getPointerOperand() == &AI && SI->getValueOperand() != &AI &&
               !SI->isVolatile();
      return isLifetimeMark(U);
    });
  return It->second;
}

bool ReadLiveness::isEffect(const Instruction &I) {
  if (!Reachable.contains(I.getParent()))
    return false;
  if (I.isTerminator())
    return true;
  if (const auto *SI = dyn_cast<StoreInst>(&I))
    if (const auto *AI = dyn_cast<AllocaInst>(SI->getPointerOperand());
        AI && writeOnly(*AI))
      return false;
  if (isLifetimeMark(&I))
    return false;
  if (const auto *CB = dyn_cast<CallBase>(&I); CB && isPureMoveAsm(*CB))
    return false;
  return I.mayHaveSideEffects();
}

bool ReadLiveness::reachesEffect(const Instruction &Read) {
  struct Item {
    const Instruction *I;
    std::optional<unsigned> Index;
  };
  SmallVector<Item, 16> Stack = {{&Read, std::nullopt}};
  SmallPtrSet<const Instruction *, 16> Whole;
  DenseSet<std::pair<const Instruction *, unsigned>> Element;
  while (!Stack.empty()) {
    Item V = Stack.pop_back_val();
    if (V.Index ? !Element.insert({V.I, *V.Index}).second
                : !Whole.insert(V.I).second)
      continue;
    for (const User *U : V.I->users()) {
      const auto *I = dyn_cast<Instruction>(U);
      if (!I)
        continue;
      if (isEffect(*I))
        return true;
      if (const auto *IV = dyn_cast<InsertValueInst>(I);
          IV && IV->getNumIndices() == 1) {
        unsigned At = IV->getIndices()[0];
        // Inserted: at At; an aggregate inside another one: anywhere.
        if (IV->getInsertedValueOperand() == V.I) {
          Stack.push_back(
              {IV, V.Index ? std::nullopt : std::optional<unsigned>(At)});
          continue;
        }
        // The aggregate goes on, but for the element overwritten here.
        if (IV->getAggregateOperand() == V.I && V.Index && *V.Index == At)
          continue;
        Stack.push_back({IV, V.Index});
        continue;
      }
      if (const auto *EV = dyn_cast<ExtractValueInst>(I);
          EV && V.Index && EV->getNumIndices() == 1) {
        if (EV->getIndices()[0] == *V.Index)
          Stack.push_back({EV, std::nullopt});
        continue;
      }
      Stack.push_back({I, std::nullopt});
    }
  }
  return false;
}

bool ReadLiveness::independent(const Value *Op, const Value *From) {
  if (isa<Constant>(Op) || isa<Argument>(Op))
    return true;
  const auto *CB = dyn_cast<CallBase>(Op);
  if (!CB || CB->isInlineAsm())
    return false;
  const Function *Callee = CB->getCalledFunction();
  if (!Callee)
    return false;
  if (const auto *FromCall = dyn_cast<CallBase>(From);
      FromCall && FromCall->getCalledOperand() == CB->getCalledOperand())
    return false;
  return !Callee->isIntrinsic() || lookupIntrinsicRegister(*Callee);
}

bool ReadLiveness::overwrittenNext(const StoreInst &SI) {
  for (const Instruction *I = SI.getNextNode(); I; I = I->getNextNode()) {
    if (!I->mayReadOrWriteMemory())
      continue;
    const auto *Next = dyn_cast<StoreInst>(I);
    return Next && Next->getPointerOperand() == SI.getPointerOperand();
  }
  return false;
}

bool ReadLiveness::certainlyLive(const Instruction &Read) const {
  SmallVector<const Instruction *, 8> Stack = {&Read};
  SmallPtrSet<const Instruction *, 16> Seen;
  while (!Stack.empty()) {
    const Instruction *V = Stack.pop_back_val();
    if (!Seen.insert(V).second)
      continue;
    for (const User *U : V->users()) {
      const auto *I = dyn_cast<Instruction>(U);
      if (!I || !Reachable.contains(I->getParent()))
        continue;
      if (const auto *SI = dyn_cast<StoreInst>(I)) {
        if (SI->getValueOperand() == V && !SI->isVolatile() &&
            !isa<AllocaInst>(getUnderlyingObject(SI->getPointerOperand())) &&
            !overwrittenNext(*SI))
          return true;
        continue;
      }
      if (isa<ReturnInst>(I))
        return true;
      if (const auto *CB = dyn_cast<CallBase>(I)) {
        const Function *Callee = CB->getCalledFunction();
        if (Callee && !Callee->isIntrinsic() && CB->mayHaveSideEffects() &&
            CB->hasArgument(V))
          return true;
        continue;
      }
      if (isa<ZExtInst>(I) || isa<SExtInst>(I)) {
        Stack.push_back(I);
        continue;
      }
      const auto *BO = dyn_cast<BinaryOperator>(I);
      if (!BO)
        continue;
      const Value *Other =
          BO->getOperand(0) == V ? BO->getOperand(1) : BO->getOperand(0);
      if (Other == V || !independent(Other, &Read))
        continue;
      switch (BO->getOpcode()) {
      case Instruction::Add:
      case Instruction::Sub:
      case Instruction::Xor:
        Stack.push_back(I);
        break;
      case Instruction::Mul:
        if (const auto *C = dyn_cast<ConstantInt>(Other); !C || !C->isZero())
          Stack.push_back(I);
        break;
      default:
        break;
      }
    }
  }
  return false;
}

} // namespace lcs
