; UNSUPPORTED: sanitized
; What the specification forbids, and what lcs does not know, is an error
; naming the function and intrinsic, never PTX that ptxas rejects.
; RUN: split-file %s %t
; RUN: not %lcs_opt -passes=lcs-lower-nvvm -disable-output %t/mode.ll 2>&1 | FileCheck %s --check-prefix=MODE
; MODE: error: lcs-lower-nvvm: function 'k': call to 'llvm.nvvm.shfl.sync.i32': shuffle mode must be a constant
; RUN: not %lcs_opt -passes=lcs-lower-nvvm -disable-output %t/range.ll 2>&1 | FileCheck %s --check-prefix=RANGE
; RANGE: error: lcs-lower-nvvm: function 'k': call to 'llvm.nvvm.vote.sync': vote mode 7 is out of range 0..3
; RUN: not %lcs_opt -passes=lcs-lower-nvvm -disable-output %t/satf.ll 2>&1 | FileCheck %s --check-prefix=SATF
; SATF: satf must be 0
; RUN: not %lcs_compile --emit=ptx %t/unknown.ll 2>&1 | FileCheck %s --check-prefix=UNKNOWN
; UNKNOWN: lcs-compile: error: 'llvm.nvvm.frobnicate' is an NVVM intrinsic that LLVM's NVPTX backend does not have and lcs-lower-nvvm does not lower

; Producers' declarations with the wrong shape are errors too, not crashes.
; RUN: not %lcs_opt -passes=lcs-lower-nvvm -disable-output %t/shfl-arity.ll 2>&1 | FileCheck %s --check-prefix=SHFLARITY
; SHFLARITY: error: lcs-lower-nvvm: function 'k': call to 'llvm.nvvm.shfl.sync.i32': expected 5 operands, not 2
; RUN: not %lcs_opt -passes=lcs-lower-nvvm -disable-output %t/vote-type.ll 2>&1 | FileCheck %s --check-prefix=VOTETYPE
; VOTETYPE: error: lcs-lower-nvvm: function 'k': call to 'llvm.nvvm.vote.sync': result type is i32, not { i32, i1 }
; RUN: not %lcs_compile --emit=ptx %t/shfl-type.ll 2>&1 | FileCheck %s --check-prefix=SHFLTYPE
; SHFLTYPE: call to 'llvm.nvvm.shfl.sync.f32': operand 2 does not fit the LLVM intrinsic's
;--- mode.ll
target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k(ptr %o, i32 %mode) {
  %s = call { i32, i1 } @llvm.nvvm.shfl.sync.i32(i32 -1, i32 %mode, i32 1, i32 0, i32 31)
  %v = extractvalue { i32, i1 } %s, 0
  store i32 %v, ptr %o
  ret void
}
declare { i32, i1 } @llvm.nvvm.shfl.sync.i32(i32, i32, i32, i32, i32)

;--- range.ll
target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k(ptr %o, i1 %p) {
  %s = call { i32, i1 } @llvm.nvvm.vote.sync(i32 -1, i32 7, i1 %p)
  %v = extractvalue { i32, i1 } %s, 0
  store i32 %v, ptr %o
  ret void
}
declare { i32, i1 } @llvm.nvvm.vote.sync(i32, i32, i1)

;--- satf.ll
target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k(ptr %o, i32 %a, float %c) {
  %d = call { float, float, float, float, float, float, float, float } @llvm.nvvm.hmma.m16n16k16.mma.f32.f32(i32 1, i32 1, i32 %a, i32 %a, i32 %a, i32 %a, i32 %a, i32 %a, i32 %a, i32 %a, i32 %a, i32 %a, i32 %a, i32 %a, i32 %a, i32 %a, i32 %a, i32 %a, float %c, float %c, float %c, float %c, float %c, float %c, float %c, float %c)
  %v = extractvalue { float, float, float, float, float, float, float, float } %d, 0
  store float %v, ptr %o
  ret void
}
declare { float, float, float, float, float, float, float, float } @llvm.nvvm.hmma.m16n16k16.mma.f32.f32(i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, float, float, float, float, float, float, float, float)

;--- unknown.ll
target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k(ptr %o) {
  %v = call i32 @llvm.nvvm.frobnicate(i32 1)
  store i32 %v, ptr %o
  ret void
}
declare i32 @llvm.nvvm.frobnicate(i32)

;--- shfl-arity.ll
target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k(ptr %o) {
  %s = call { i32, i1 } @llvm.nvvm.shfl.sync.i32(i32 -1, i32 0)
  %v = extractvalue { i32, i1 } %s, 0
  store i32 %v, ptr %o
  ret void
}
declare { i32, i1 } @llvm.nvvm.shfl.sync.i32(i32, i32)

;--- vote-type.ll
target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k(ptr %o, i1 %p) {
  %s = call i32 @llvm.nvvm.vote.sync(i32 -1, i32 3, i1 %p)
  store i32 %s, ptr %o
  ret void
}
declare i32 @llvm.nvvm.vote.sync(i32, i32, i1)

;--- shfl-type.ll
target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k(ptr %o, double %x) {
  %s = call { float, i1 } @llvm.nvvm.shfl.sync.f32(i32 -1, i32 0, double %x, i32 0, i32 31)
  %v = extractvalue { float, i1 } %s, 0
  store float %v, ptr %o
  ret void
}
declare { float, i1 } @llvm.nvvm.shfl.sync.f32(i32, i32, double, i32, i32)
