//===- NVVMDialect.h - libNVVM's LLVM-7 dialect to LLVM 22 ------*- C++ -*-===//
///
/// \file
/// libNVVM's "LLVM 7 dialect" (NVIDIA's NVVM IR specification, 15.6) has
/// warp-level intrinsics that LLVM's NVPTX backend lacks, and numba-cuda
/// emits them. Left alone they become `.extern .func llvm.nvvm...` that ptxas
/// rejects. `lcs-lower-nvvm` rewrites each to LLVM's equivalent:
///
///   {i32,i1} shfl.sync.i32(mask, mode, a, b, c)   shfl.sync.{idx,up,down,bfly}.i32p(mask, a, b, c)
///   {i32,i1} vote.sync(mask, mode, pred)          vote.{all,any,uni}.sync -> i1 element,
///                                                 vote.ballot.sync -> i32 element
///   {i32,i1} match.all.sync.{i32,i64}(mask, v)    match.all.sync.{i32,i64}p
///   hmma.GEOM.ld.{a,b,c.f16,c.f32}(p, ldm, rowcol) wmma.GEOM.load.{a,b,c}.{row,col}.stride.TYPE(p, ldm)
///   hmma.GEOM.st.c.{f16,f32}(p, ldm, rowcol, v..) wmma.GEOM.store.d.{row,col}.stride.TYPE(p, v.., ldm)
///   hmma.GEOM.mma.D.C(rowcol, satf, a.., b.., c..) wmma.GEOM.mma.{row,col}.{row,col}.D.C(a.., b.., c..)
///
/// fp16 fragments are i32 in NVVM and <2 x half> in LLVM; values are
/// bitcast between the two. `mode` and `rowcol` must be constants and
/// `satf` zero, as the specification requires; anything else, and any other
/// `llvm.nvvm.*` function LLVM does not know, is an error naming it.
///
/// For the modes whose result the specification leaves unspecified, the
/// lowering defines it: vote.sync's i32 element is the i1 result zero-
/// extended for all/any/eq, and its i1 element is "ballot != 0" for ballot.
///
/// Convergence. libNVVM keeps inline PTX where the source put it; LLVM may
/// move a call that is not `convergent`, and its late CFG simplification
/// hoists the same call out of both sides of a branch. For PTX that acts on
/// the threads executing it together, that changes the result: numba-cuda's
/// `cuda.activemask()` in both branches of a divergent `if` would read the
/// whole warp. So inline PTX naming a warp- or block-collective operation
/// (activemask, vote, shfl, match, redux, bar/barrier, elect, mma, wgmma,
/// ldmatrix/stmatrix, setmaxnreg, any `.aligned` form) is made `convergent`,
/// as clang makes every inline asm of CUDA device code, and so is each
/// function that makes a convergent call, up its callers, so that calls to
/// it are not moved either.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_NVVMDIALECT_H
#define LCS_NVVMDIALECT_H

#include "llvm/IR/PassManager.h"
#include "llvm/Support/Error.h"

namespace lcs {

/// Rewrites every LLVM-7-dialect intrinsic call in \p M. On error (a
/// non-constant mode, say) nothing is left half-done for that call, and the
/// error names the function and the intrinsic. Returns whether M changed.
llvm::Expected<bool> lowerNVVMDialect(llvm::Module &M);

/// Marks collective inline PTX and the functions that reach a convergent
/// call `convergent` (see above). Returns whether M changed.
bool markCollectiveConvergence(llvm::Module &M);

/// `lcs-lower-nvvm`.
class LowerNVVMDialectPass : public llvm::PassInfoMixin<LowerNVVMDialectPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M,
                              llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }
};

} // namespace lcs

#endif // LCS_NVVMDIALECT_H
