//===- Metadata.cpp - The !lcs.kernels contract ---------------------------===//
//
// Writing and reading !lcs.kernels; see Metadata.h for the format.
//
//===----------------------------------------------------------------------===//

#include "lcs/Metadata.h"
#include "lcs/LaunchSensitivity.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace lcs {

static MDNode *buildNode(LLVMContext &Ctx, const KernelSensitivity &K) {
  SmallVector<Metadata *, NumFields + 2> Ops;
  Ops.push_back(ValueAsMetadata::get(const_cast<Function *>(K.Kernel)));
  for (Field F : K.Fields.fields())
    Ops.push_back(MDString::get(Ctx, fieldName(F)));
  if (K.Explicit)
    Ops.push_back(MDString::get(Ctx, ExplicitTag));
  return MDNode::get(Ctx, Ops);
}

bool writeKernelMetadata(Module &M, const LaunchSensitivity &LS) {
  LLVMContext &Ctx = M.getContext();
  SmallVector<MDNode *, 8> Nodes;
  for (const KernelSensitivity &K : LS.kernels())
    Nodes.push_back(buildNode(Ctx, K));

  // MDNodes are uniqued, so equal content means pointer-equal operands.
  if (NamedMDNode *Old = M.getNamedMetadata(KernelsMetadataName)) {
    bool Same = Old->getNumOperands() == Nodes.size();
    for (unsigned I = 0; Same && I != Nodes.size(); ++I)
      Same = Old->getOperand(I) == Nodes[I];
    if (Same)
      return false;
    M.eraseNamedMetadata(Old);
  }
  NamedMDNode *NMD = M.getOrInsertNamedMetadata(KernelsMetadataName);
  for (MDNode *N : Nodes)
    NMD->addOperand(N);
  return true;
}

Expected<std::vector<KernelRecord>> readKernelMetadata(const Module &M) {
  std::vector<KernelRecord> Out;
  const NamedMDNode *NMD = M.getNamedMetadata(KernelsMetadataName);
  if (!NMD)
    return Out;
  auto Bad = [&](unsigned I, const Twine &Why) {
    return createStringError(inconvertibleErrorCode(),
                             "!" + Twine(KernelsMetadataName) + " entry " +
                                 Twine(I) + ": " + Why);
  };
  for (unsigned I = 0, E = NMD->getNumOperands(); I != E; ++I) {
    const MDNode *N = NMD->getOperand(I);
    if (N->getNumOperands() == 0)
      return Bad(I, "empty node");
    auto *VM = dyn_cast_or_null<ValueAsMetadata>(N->getOperand(0).get());
    auto *F = VM ? dyn_cast<Function>(VM->getValue()) : nullptr;
    if (!F)
      return Bad(I, "first operand is not a function");
    KernelRecord R;
    R.Kernel = F;
    for (unsigned J = 1, JE = N->getNumOperands(); J != JE; ++J) {
      auto *S = dyn_cast_or_null<MDString>(N->getOperand(J).get());
      if (!S)
        return Bad(I, "operand " + Twine(J) + " is not a string");
      if (S->getString() == ExplicitTag) {
        if (J + 1 != JE)
          return Bad(I, "'explicit' must be the last operand");
        R.Explicit = true;
        continue;
      }
      Field Fld;
      if (!parseFieldName(S->getString(), Fld))
        return Bad(I, "unknown launch field '" + S->getString() + "'");
      if (!R.Fields.empty() && unsigned(Fld) <= unsigned(R.Fields.fields().back()))
        return Bad(I, "fields out of canonical order or repeated at '" +
                          S->getString() + "'");
      R.Fields |= Fld;
    }
    Out.push_back(R);
  }
  return Out;
}

} // namespace lcs
