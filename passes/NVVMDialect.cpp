//===- NVVMDialect.cpp - libNVVM's LLVM-7 dialect to LLVM 22 --------------===//
//
// See NVVMDialect.h for the mapping. Each call is rewritten on its own:
// build the LLVM intrinsic call, convert operands and results, replace.
//
//===----------------------------------------------------------------------===//

#include "lcs/NVVMDialect.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/Module.h"

#define DEBUG_TYPE "lcs-lower-nvvm"

using namespace llvm;

namespace lcs {

namespace {

Error lowerError(const CallInst &CI, const Twine &Msg) {
  return createStringError(
      inconvertibleErrorCode(),
      "function '" + CI.getFunction()->getName() + "': call to '" +
          CI.getCalledFunction()->getName() + "': " + Msg);
}

/// Producers' declarations are not checked by the verifier (the names are
/// not LLVM's): every lowering checks the shapes it relies on.
Error expectOperands(const CallInst &CI, unsigned N) {
  if (CI.arg_size() != N)
    return lowerError(CI, "expected " + Twine(N) + " operands, not " +
                              Twine(CI.arg_size()));
  return Error::success();
}

Error expectType(const CallInst &CI, Type *Want, StringRef What) {
  if (CI.getType() != Want) {
    std::string Have, Expected;
    raw_string_ostream(Have) << *CI.getType();
    raw_string_ostream(Expected) << *Want;
    return lowerError(CI, What + " type is " + Have + ", not " + Expected);
  }
  return Error::success();
}

/// The constant operand \p I of \p CI, or an error naming \p What.
Expected<uint64_t> constantOperand(const CallInst &CI, unsigned I,
                                   StringRef What, uint64_t Max) {
  auto *C = dyn_cast<ConstantInt>(CI.getArgOperand(I));
  if (!C)
    return lowerError(CI, What + " must be a constant");
  if (C->getZExtValue() > Max)
    return lowerError(CI, What + " " + Twine(C->getZExtValue()) +
                              " is out of range 0.." + Twine(Max));
  return C->getZExtValue();
}

/// Declaration of the LLVM intrinsic \p Name, overloaded on \p Tys.
Expected<Function *> intrinsic(Module &M, const CallInst &CI, StringRef Name,
                               ArrayRef<Type *> Tys = {}) {
  Intrinsic::ID ID = Intrinsic::lookupIntrinsicID(Name);
  if (ID == Intrinsic::not_intrinsic)
    return lowerError(CI, "no LLVM intrinsic '" + Name + "'");
  return Intrinsic::getOrInsertDeclaration(&M, ID, Tys);
}

/// Replaces the dialect call \p CI by \p V, keeping its name.
void replace(CallInst &CI, Value *V) {
  V->takeName(&CI);
  CI.replaceAllUsesWith(V);
}

/// Whether a value of type \p From converts to \p To: equal types, or
/// same-size types bitcast (i32 <-> <2 x half> fp16 pairs).
bool convertible(Type *From, Type *To) {
  return From == To || CastInst::isBitCastable(From, To);
}

Value *convert(IRBuilderBase &B, Value *V, Type *To) {
  return V->getType() == To ? V : B.CreateBitCast(V, To);
}

/// Converts each operand of \p CI from \p First on to \p Types.
Expected<SmallVector<Value *, 16>> convertOperands(IRBuilderBase &B,
                                                    const CallInst &CI,
                                                    unsigned First,
                                                    ArrayRef<Type *> Types) {
  SmallVector<Value *, 16> Out;
  for (unsigned I = 0; I != Types.size(); ++I) {
    Value *V = CI.getArgOperand(First + I);
    if (!convertible(V->getType(), Types[I]))
      return lowerError(CI, "operand " + Twine(First + I) +
                                " does not fit the LLVM intrinsic's");
    Out.push_back(convert(B, V, Types[I]));
  }
  return Out;
}

/// Builds a value of \p CI's struct type from the elements of \p From.
Expected<Value *> convertStruct(IRBuilderBase &B, const CallInst &CI,
                                Value *From) {
  if (From->getType() == CI.getType())
    return From;
  auto *To = dyn_cast<StructType>(CI.getType());
  auto *FromTy = cast<StructType>(From->getType());
  if (!To || To->getNumElements() != FromTy->getNumElements())
    return lowerError(CI, "result type does not fit the LLVM intrinsic's");
  for (unsigned I = 0; I != To->getNumElements(); ++I)
    if (!convertible(FromTy->getElementType(I), To->getElementType(I)))
      return lowerError(CI, "result element " + Twine(I) +
                                " does not fit the LLVM intrinsic's");
  Value *Out = PoisonValue::get(To);
  for (unsigned I = 0; I != To->getNumElements(); ++I)
    Out = B.CreateInsertValue(
        Out, convert(B, B.CreateExtractValue(From, I), To->getElementType(I)),
        I);
  return Out;
}

/// Replaces \p CI by \p Call's struct result, converted to \p CI's type;
/// on error \p Call is removed again and \p CI left as it was.
Error replaceWithStruct(IRBuilderBase &B, CallInst &CI, CallInst *Call) {
  Expected<Value *> Out = convertStruct(B, CI, Call);
  if (!Out) {
    Call->eraseFromParent();
    return Out.takeError();
  }
  replace(CI, *Out);
  return Error::success();
}

Error lowerShfl(CallInst &CI, StringRef Type) {
  static constexpr StringLiteral Modes[] = {"idx", "up", "down", "bfly"};
  if (Error E = expectOperands(CI, 5))
    return E;
  Expected<uint64_t> Mode = constantOperand(CI, 1, "shuffle mode", 3);
  if (!Mode)
    return Mode.takeError();
  Module &M = *CI.getModule();
  Expected<Function *> F = intrinsic(
      M, CI, ("llvm.nvvm.shfl.sync." + Modes[*Mode] + "." + Type + "p").str());
  if (!F)
    return F.takeError();
  FunctionType *FTy = (*F)->getFunctionType();
  if (Error E = expectType(CI, FTy->getReturnType(), "result"))
    return E;
  IRBuilder<> B(&CI);
  SmallVector<Value *, 4> Args;
  for (unsigned I : {0u, 2u, 3u, 4u}) {
    Value *V = CI.getArgOperand(I);
    if (V->getType() != FTy->getParamType(Args.size()))
      return lowerError(CI, "operand " + Twine(I) +
                                " does not fit the LLVM intrinsic's");
    Args.push_back(V);
  }
  replace(CI, B.CreateCall(*F, Args));
  return Error::success();
}

Error lowerVote(CallInst &CI) {
  if (Error E = expectOperands(CI, 3))
    return E;
  LLVMContext &Ctx = CI.getContext();
  if (Error E = expectType(
          CI,
          StructType::get(Type::getInt32Ty(Ctx), Type::getInt1Ty(Ctx)),
          "result"))
    return E;
  if (!CI.getArgOperand(0)->getType()->isIntegerTy(32) ||
      !CI.getArgOperand(2)->getType()->isIntegerTy(1))
    return lowerError(CI, "operands must be (i32 mask, i32 mode, i1 value)");
  Expected<uint64_t> Mode = constantOperand(CI, 1, "vote mode", 3);
  if (!Mode)
    return Mode.takeError();
  static constexpr StringLiteral Names[] = {
      "llvm.nvvm.vote.all.sync", "llvm.nvvm.vote.any.sync",
      "llvm.nvvm.vote.uni.sync", "llvm.nvvm.vote.ballot.sync"};
  Expected<Function *> F = intrinsic(*CI.getModule(), CI, Names[*Mode]);
  if (!F)
    return F.takeError();
  IRBuilder<> B(&CI);
  Value *R = B.CreateCall(*F, {CI.getArgOperand(0), CI.getArgOperand(2)});
  Value *I32, *I1;
  if (*Mode == 3) {
    I32 = R;
    I1 = B.CreateICmpNE(R, B.getInt32(0));
  } else {
    I1 = R;
    I32 = B.CreateZExt(R, B.getInt32Ty());
  }
  Value *Out = PoisonValue::get(CI.getType());
  Out = B.CreateInsertValue(Out, I32, 0);
  Out = B.CreateInsertValue(Out, I1, 1);
  replace(CI, Out);
  return Error::success();
}

Error lowerMatchAll(CallInst &CI, StringRef Type) {
  if (Error E = expectOperands(CI, 2))
    return E;
  Expected<Function *> F = intrinsic(
      *CI.getModule(), CI, ("llvm.nvvm.match.all.sync." + Type + "p").str());
  if (!F)
    return F.takeError();
  FunctionType *FTy = (*F)->getFunctionType();
  if (Error E = expectType(CI, FTy->getReturnType(), "result"))
    return E;
  if (CI.getArgOperand(0)->getType() != FTy->getParamType(0) ||
      CI.getArgOperand(1)->getType() != FTy->getParamType(1))
    return lowerError(CI, "operands do not fit the LLVM intrinsic's");
  IRBuilder<> B(&CI);
  Value *New = B.CreateCall(*F, {CI.getArgOperand(0), CI.getArgOperand(1)});
  replace(CI, New);
  return Error::success();
}

/// hmma.GEOM.REST; \p Rest is what follows the geometry.
Error lowerHmma(CallInst &CI, StringRef Geom, StringRef Rest) {
  Module &M = *CI.getModule();
  IRBuilder<> B(&CI);
  static constexpr StringLiteral Layouts[] = {"row", "col"};
  // The strided load or store \p Op ("load.a", "store.d") of \p Elt, in the
  // layout that operand 2 (rowcol) names, for the pointer of operand 0.
  auto strided = [&](const std::string &Op,
                     StringRef Elt) -> Expected<Function *> {
    Expected<uint64_t> Layout = constantOperand(CI, 2, "rowcol", 1);
    if (!Layout)
      return Layout.takeError();
    return intrinsic(M, CI,
                     ("llvm.nvvm.wmma." + Geom + "." + Op + "." +
                      Layouts[*Layout] + ".stride." + Elt)
                         .str(),
                     {CI.getArgOperand(0)->getType()});
  };

  if (Rest.consume_front("ld.")) {
    // ld.a.pNi32, ld.b.pNi32, ld.c.f16.pNi32, ld.c.f32.pNf32
    StringRef Frag = Rest.take_front(1);
    StringRef Elt = Frag == "c" ? Rest.substr(2, 3) : StringRef("f16");
    if (Error E = expectOperands(CI, 3))
      return E;
    if (!CI.getArgOperand(0)->getType()->isPointerTy() ||
        !CI.getArgOperand(1)->getType()->isIntegerTy(32))
      return lowerError(CI, "operands must be (ptr, i32 ldm, i32 rowcol)");
    Expected<Function *> F = strided(("load." + Frag).str(), Elt);
    if (!F)
      return F.takeError();
    return replaceWithStruct(
        B, CI, B.CreateCall(*F, {CI.getArgOperand(0), CI.getArgOperand(1)}));
  }

  if (Rest.consume_front("st.c.")) {
    // st.c.f32.pNfloat(ptr, ldm, rowcol, 8 x float)
    // st.c.f16.pNi32(ptr, ldm, rowcol, 4 x i32)
    StringRef Elt = Rest.take_front(3);
    if (CI.arg_size() < 3 || !CI.getArgOperand(0)->getType()->isPointerTy() ||
        !CI.getArgOperand(1)->getType()->isIntegerTy(32))
      return lowerError(CI, "operands must be (ptr, i32 ldm, i32 rowcol, "
                            "values...)");
    Expected<Function *> F = strided("store.d", Elt);
    if (!F)
      return F.takeError();
    FunctionType *FTy = (*F)->getFunctionType();
    unsigned NumValues = FTy->getNumParams() - 2;
    if (CI.arg_size() != 3 + NumValues)
      return lowerError(CI, "expected " + Twine(NumValues) +
                                " fragment values");
    Expected<SmallVector<Value *, 16>> Values =
        convertOperands(B, CI, 3, FTy->params().slice(1, NumValues));
    if (!Values)
      return Values.takeError();
    SmallVector<Value *, 12> Args{CI.getArgOperand(0)};
    Args.append(Values->begin(), Values->end());
    Args.push_back(CI.getArgOperand(1));
    B.CreateCall(*F, Args);
    return Error::success();
  }

  if (Rest.consume_front("mma.")) {
    // mma.D.C(rowcol, satf, a0..a7, b0..b7, c...)
    auto [D, C] = Rest.split('.');
    if (CI.arg_size() < 2)
      return lowerError(CI, "expected rowcol and satf operands");
    Expected<uint64_t> Layout = constantOperand(CI, 0, "rowcol", 3);
    if (!Layout)
      return Layout.takeError();
    Expected<uint64_t> Satf = constantOperand(CI, 1, "satf", 1);
    if (!Satf)
      return Satf.takeError();
    if (*Satf)
      return lowerError(CI, "satf must be 0 (the specification removed it)");
    Expected<Function *> F = intrinsic(
        M, CI,
        ("llvm.nvvm.wmma." + Geom + ".mma." + Layouts[*Layout >> 1] + "." +
         Layouts[*Layout & 1] + "." + D + "." + C)
            .str());
    if (!F)
      return F.takeError();
    FunctionType *FTy = (*F)->getFunctionType();
    if (CI.arg_size() != 2 + FTy->getNumParams())
      return lowerError(CI, "expected " + Twine(2 + FTy->getNumParams()) +
                                " operands");
    Expected<SmallVector<Value *, 16>> Args =
        convertOperands(B, CI, 2, FTy->params());
    if (!Args)
      return Args.takeError();
    return replaceWithStruct(B, CI, B.CreateCall(*F, *Args));
  }
  return lowerError(CI, "unknown hmma operation");
}

/// Lowers one call; false in \p Handled if the callee is no dialect
/// intrinsic this file knows.
Error lowerCall(CallInst &CI, bool &Handled) {
  StringRef Name = CI.getCalledFunction()->getName();
  Handled = true;
  if (Name == "llvm.nvvm.shfl.sync.i32")
    return lowerShfl(CI, "i32");
  if (Name == "llvm.nvvm.shfl.sync.f32")
    return lowerShfl(CI, "f32");
  if (Name == "llvm.nvvm.vote.sync")
    return lowerVote(CI);
  if (Name == "llvm.nvvm.match.all.sync.i32")
    return lowerMatchAll(CI, "i32");
  if (Name == "llvm.nvvm.match.all.sync.i64")
    return lowerMatchAll(CI, "i64");
  StringRef Rest = Name;
  if (Rest.consume_front("llvm.nvvm.hmma.")) {
    auto [Geom, Op] = Rest.split('.');
    if (Geom == "m16n16k16" || Geom == "m32n8k16" || Geom == "m8n32k16")
      return lowerHmma(CI, Geom, Op);
  }
  Handled = false;
  return Error::success();
}

} // namespace

namespace {
/// Inline PTX whose result or effect depends on which threads execute it
/// together.
bool isCollectivePTX(StringRef Asm) {
  static constexpr StringLiteral Ops[] = {
      "activemask", "vote.",    "shfl.",    "match.",     "redux.",
      "bar.",       "barrier",  "elect.",   "mma.",       "ldmatrix",
      "stmatrix",   "setmaxnreg", ".aligned"};
  return any_of(Ops, [&](StringRef Op) { return Asm.contains(Op); });
}
} // namespace

bool markCollectiveConvergence(Module &M) {
  bool Changed = false;
  SmallVector<Function *, 16> Work;
  for (Function &F : M) {
    if (F.isDeclaration())
      continue;
    bool Convergent = false;
    for (BasicBlock &BB : F)
      for (Instruction &I : BB) {
        auto *CB = dyn_cast<CallBase>(&I);
        if (!CB)
          continue;
        if (const auto *Asm = dyn_cast<InlineAsm>(CB->getCalledOperand());
            Asm && !CB->isConvergent() &&
            isCollectivePTX(Asm->getAsmString())) {
          CB->addFnAttr(Attribute::Convergent);
          Changed = true;
        }
        Convergent |= CB->isConvergent();
      }
    if (Convergent && !F.isConvergent())
      Work.push_back(&F);
  }
  // A convergent callee makes its calls convergent: up the callers.
  while (!Work.empty()) {
    Function *F = Work.pop_back_val();
    if (F->isConvergent())
      continue;
    F->setConvergent();
    Changed = true;
    for (User *U : F->users())
      if (auto *CB = dyn_cast<CallBase>(U);
          CB && CB->getCalledOperand() == F &&
          !CB->getFunction()->isConvergent())
        Work.push_back(CB->getFunction());
  }
  return Changed;
}

Expected<bool> lowerNVVMDialect(Module &M) {
  bool Changed = false;
  for (Function &F : make_early_inc_range(M)) {
    // Dialect intrinsics are declarations LLVM does not recognise.
    if (!F.isDeclaration() || F.getIntrinsicID() != Intrinsic::not_intrinsic ||
        !F.getName().starts_with("llvm.nvvm."))
      continue;
    for (User *U : make_early_inc_range(F.users())) {
      auto *CI = dyn_cast<CallInst>(U);
      if (!CI || CI->getCalledFunction() != &F)
        continue;
      bool Handled;
      if (Error E = lowerCall(*CI, Handled))
        return E;
      if (!Handled)
        break;
      CI->eraseFromParent();
      Changed = true;
    }
    if (F.use_empty())
      F.eraseFromParent();
  }
  // After the lowering: the dialect's warp intrinsics are LLVM's convergent
  // ones only from here, and their callers must be marked too.
  return markCollectiveConvergence(M) || Changed;
}

PreservedAnalyses LowerNVVMDialectPass::run(Module &M,
                                            ModuleAnalysisManager &) {
  Expected<bool> Changed = lowerNVVMDialect(M);
  if (!Changed) {
    M.getContext().diagnose(DiagnosticInfoGeneric(
        "lcs-lower-nvvm: " + toString(Changed.takeError()), DS_Error));
    return PreservedAnalyses::all();
  }
  return *Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

} // namespace lcs
