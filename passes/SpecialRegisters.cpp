//===- SpecialRegisters.cpp - PTX special registers and launch fields -----===//
//
// The register table and the inline-PTX scanner; see SpecialRegisters.h.
//
//===----------------------------------------------------------------------===//

#include "lcs/SpecialRegisters.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/Module.h"

#include <vector>

using namespace llvm;

namespace lcs {

namespace {
constexpr FieldMask BX = Field::BlockX, BY = Field::BlockY, BZ = Field::BlockZ;
constexpr FieldMask GX = Field::GridX, GY = Field::GridY, GZ = Field::GridZ;
constexpr FieldMask CX = Field::ClusterX, CY = Field::ClusterY,
                    CZ = Field::ClusterZ;
constexpr FieldMask CAll = CX | CY | CZ;
constexpr FieldMask Smem = Field::SmemDynamic;
constexpr FieldMask None;

#define SREG(N) "llvm.nvvm.read.ptx.sreg." N
const SpecialRegister Registers[] = {
    // Launch configuration.
    {"ntid.x", SREG("ntid.x"), BX, 32},
    {"ntid.y", SREG("ntid.y"), BY, 32},
    {"ntid.z", SREG("ntid.z"), BZ, 32},
    {"nctaid.x", SREG("nctaid.x"), GX, 32},
    {"nctaid.y", SREG("nctaid.y"), GY, 32},
    {"nctaid.z", SREG("nctaid.z"), GZ, 32},
    {"cluster_nctaid.x", SREG("cluster.nctaid.x"), CX, 32},
    {"cluster_nctaid.y", SREG("cluster.nctaid.y"), CY, 32},
    {"cluster_nctaid.z", SREG("cluster.nctaid.z"), CZ, 32},
    {"nclusterid.x", SREG("nclusterid.x"), GX | CX, 32},
    {"nclusterid.y", SREG("nclusterid.y"), GY | CY, 32},
    {"nclusterid.z", SREG("nclusterid.z"), GZ | CZ, 32},
    {"cluster_nctarank", SREG("cluster.nctarank"), CAll, 32},
    {"is_explicit_cluster", "llvm.nvvm.is_explicit_cluster", CAll, 1},
    {"dynamic_smem_size", SREG("dynamic_smem_size"), Smem, 32},
    {"total_smem_size", SREG("total_smem_size"), Smem, 32},
    {"aggr_smem_size", SREG("aggr_smem_size"), Smem, 32},
    // Per-thread and per-block values: no launch dependence.
    {"tid.x", SREG("tid.x"), None, 32},
    {"tid.y", SREG("tid.y"), None, 32},
    {"tid.z", SREG("tid.z"), None, 32},
    {"ctaid.x", SREG("ctaid.x"), None, 32},
    {"ctaid.y", SREG("ctaid.y"), None, 32},
    {"ctaid.z", SREG("ctaid.z"), None, 32},
    {"clusterid.x", SREG("clusterid.x"), None, 32},
    {"clusterid.y", SREG("clusterid.y"), None, 32},
    {"clusterid.z", SREG("clusterid.z"), None, 32},
    {"cluster_ctaid.x", SREG("cluster.ctaid.x"), None, 32},
    {"cluster_ctaid.y", SREG("cluster.ctaid.y"), None, 32},
    {"cluster_ctaid.z", SREG("cluster.ctaid.z"), None, 32},
    {"cluster_ctarank", SREG("cluster.ctarank"), None, 32},
    {"laneid", SREG("laneid"), None, 32},
    {"warpid", SREG("warpid"), None, 32},
    {"nwarpid", SREG("nwarpid"), None, 32},
    {"smid", SREG("smid"), None, 32},
    {"nsmid", SREG("nsmid"), None, 32},
    {"warpsize", SREG("warpsize"), None, 32},
};
#undef SREG

/// Vector forms (`%ntid` without a suffix) read all three dimensions.
struct VectorRegister {
  StringRef PTXName;
  FieldMask Fields;
};
const VectorRegister VectorRegisters[] = {
    {"ntid", BX | BY | BZ},
    {"nctaid", GX | GY | GZ},
    {"cluster_nctaid", CAll},
    {"nclusterid", GX | GY | GZ | CAll},
};

bool isIdentChar(char C) { return isAlnum(C) || C == '_' || C == '.'; }
} // namespace

ArrayRef<SpecialRegister> specialRegisters() { return Registers; }

const SpecialRegister *lookupIntrinsicRegister(StringRef IntrinsicName) {
  if (!IntrinsicName.starts_with("llvm.nvvm."))
    return nullptr;
  for (const SpecialRegister &R : Registers)
    if (R.Intrinsic == IntrinsicName)
      return &R;
  return nullptr;
}

const SpecialRegister *lookupPTXRegister(StringRef PTXName) {
  for (const SpecialRegister &R : Registers)
    if (R.PTXName == PTXName)
      return &R;
  return nullptr;
}

namespace {
/// The intrinsic ID of each entry of Registers (not_intrinsic where LLVM
/// has none), resolved once: a constant of this LLVM, not an analysis result.
ArrayRef<Intrinsic::ID> registerIDs() {
  static const std::vector<Intrinsic::ID> IDs = [] {
    std::vector<Intrinsic::ID> V;
    for (const SpecialRegister &R : Registers)
      V.push_back(R.Intrinsic.empty() ? Intrinsic::not_intrinsic
                                      : Intrinsic::lookupIntrinsicID(
                                            R.Intrinsic));
    return V;
  }();
  return IDs;
}
} // namespace

const SpecialRegister *lookupIntrinsicRegister(const Function &Callee) {
  // Function::getName() is a lookup in the context's table of every named
  // value: its cost grows with the module (cache misses), and the scan asks
  // for every call. The reserved-name flag and the intrinsic ID live in the
  // function itself; only `llvm.*` names LLVM does not know (old producers'
  // NVVM dialect) need the name.
  if (!Callee.isIntrinsic())
    return nullptr;
  Intrinsic::ID ID = Callee.getIntrinsicID();
  if (ID == Intrinsic::not_intrinsic)
    return lookupIntrinsicRegister(Callee.getName());
  ArrayRef<Intrinsic::ID> IDs = registerIDs();
  for (size_t I = 0, E = IDs.size(); I != E; ++I)
    if (IDs[I] == ID)
      return &Registers[I];
  return nullptr;
}

FieldMask launchFieldsOfIntrinsic(const Function &Callee) {
  if (const SpecialRegister *R = lookupIntrinsicRegister(Callee))
    return R->Fields;
  return FieldMask();
}

FieldMask launchFieldsReadByCall(const CallBase &CB) {
  if (const auto *IA = dyn_cast<InlineAsm>(CB.getCalledOperand()))
    return launchFieldsInPTX(IA->getAsmString());
  if (const Function *Callee = CB.getCalledFunction())
    return launchFieldsOfIntrinsic(*Callee);
  return FieldMask();
}

FieldMask launchFieldsInPTX(StringRef Asm) {
  FieldMask Mask;
  size_t Pos = 0;
  while ((Pos = Asm.find('%', Pos)) != StringRef::npos) {
    size_t Begin = ++Pos;
    while (Pos < Asm.size() && isIdentChar(Asm[Pos]))
      ++Pos;
    StringRef Name = Asm.slice(Begin, Pos);
    // A trailing '.' belongs to the statement, not the register.
    Name = Name.rtrim('.');
    if (const SpecialRegister *R = lookupPTXRegister(Name)) {
      Mask |= R->Fields;
      continue;
    }
    for (const VectorRegister &V : VectorRegisters)
      if (Name == V.PTXName)
        Mask |= V.Fields;
  }
  return Mask;
}

bool parsePureMoves(StringRef Asm, SmallVectorImpl<PTXMove> &Moves) {
  Moves.clear();
  SmallVector<StringRef, 4> Statements;
  Asm.split(Statements, ';');
  for (StringRef S : Statements) {
    S = S.trim(" \t\n\r");
    if (S.empty())
      continue;
    // mov.u32 $0, %reg
    StringRef Op, Rest;
    std::tie(Op, Rest) = S.split(' ');
    if (Op != "mov.u32" && Op != "mov.b32" && Op != "mov.s32")
      return false;
    StringRef Dst, Src;
    std::tie(Dst, Src) = Rest.split(',');
    Dst = Dst.trim(" \t");
    Src = Src.trim(" \t");
    unsigned Operand;
    if (!Dst.consume_front("$") || Dst.getAsInteger(10, Operand))
      return false;
    if (!Src.consume_front("%"))
      return false;
    const SpecialRegister *R = lookupPTXRegister(Src);
    if (!R || R->Intrinsic.empty() || R->Bits != 32)
      return false;
    Moves.push_back({Operand, R});
  }
  return !Moves.empty();
}

CallInst *emitRegisterRead(IRBuilderBase &B, const SpecialRegister &R) {
  Module &M = *B.GetInsertBlock()->getModule();
  Type *Ty = B.getIntNTy(R.Bits);
  FunctionCallee Fn =
      M.getOrInsertFunction(R.Intrinsic, FunctionType::get(Ty, false));
  return B.CreateCall(Fn);
}

namespace {
/// For inline PTX that only moves special registers into its i32 outputs,
/// the register of each output; false otherwise.
bool pureMoveSources(const CallBase &CB,
                     SmallVectorImpl<const SpecialRegister *> &Source) {
  const auto *IA = dyn_cast<InlineAsm>(CB.getCalledOperand());
  if (!IA || CB.arg_size() != 0)
    return false;
  SmallVector<PTXMove, 4> Moves;
  if (!parsePureMoves(IA->getAsmString(), Moves))
    return false;
  Type *RetTy = CB.getType();
  auto *STy = dyn_cast<StructType>(RetTy);
  unsigned NumOutputs = STy ? STy->getNumElements() : 1;
  Type *I32 = Type::getInt32Ty(CB.getContext());
  if (STy ? !all_of(STy->elements(), [&](Type *T) { return T == I32; })
          : RetTy != I32)
    return false;
  Source.assign(NumOutputs, nullptr);
  for (const PTXMove &M : Moves) {
    if (M.Operand >= NumOutputs)
      return false;
    Source[M.Operand] = M.Reg;
  }
  return !is_contained(Source, nullptr);
}
} // namespace

bool isPureMoveAsm(const CallBase &CB) {
  SmallVector<const SpecialRegister *, 4> Source;
  return pureMoveSources(CB, Source);
}

bool replacePureMoveAsm(
    CallInst &CI,
    function_ref<Value *(IRBuilderBase &, const SpecialRegister &)> Read) {
  SmallVector<const SpecialRegister *, 4> Source;
  if (!pureMoveSources(CI, Source))
    return false;
  auto *STy = dyn_cast<StructType>(CI.getType());
  IRBuilder<> B(&CI);
  Value *Result;
  if (!STy) {
    Result = Read(B, *Source[0]);
  } else {
    Result = PoisonValue::get(STy);
    for (unsigned I = 0, E = Source.size(); I != E; ++I)
      Result = B.CreateInsertValue(Result, Read(B, *Source[I]), I);
  }
  CI.replaceAllUsesWith(Result);
  CI.eraseFromParent();
  return true;
}

} // namespace lcs
