; numba-cuda style input: typed pointers, legacy !nvvm.annotations kernels,
; pre-LLVM-12 untyped byval, no ptx_kernel calling convention in the text.
; RUN: %lcs_compile --report-format=text %s | FileCheck %s
; RUN: not %lcs_compile --report-format=text --kernel=helper_not_kernel %s 2>&1 | FileCheck %s --check-prefix=NOTK

target triple = "nvptx64-nvidia-cuda"
target datalayout = "e-p:64:64:64-i1:8:8-i8:8:8-i16:16:16-i32:32:32-i64:64:64-i128:128:128-f32:32:32-f64:64:64-v16:16:16-v32:32:32-v64:64:64-v128:128:128-n16:32:64"

%Params = type { float*, i64 }

; CHECK: legacy_kernel{{ +}}no{{ +}}block.x grid.x{{$}}
; CHECK-NEXT: byval_kernel{{ +}}no{{ +}}grid.y{{$}}
; NOTK: error: unknown kernel 'helper_not_kernel' (a function, not a kernel); kernels: legacy_kernel, byval_kernel

define void @legacy_kernel(float* %out, i64 %n) {
  %b = call i32 @"llvm.nvvm.read.ptx.sreg.ntid.x"()
  %g = call i32 @"llvm.nvvm.read.ptx.sreg.nctaid.x"()
  %p = mul i32 %b, %g
  %f = sitofp i32 %p to float
  store float %f, float* %out
  ret void
}

define void @byval_kernel(%Params* byval align 8 %p) {
  %slot = getelementptr %Params, %Params* %p, i32 0, i32 0
  %out = load float*, float** %slot
  %g = call i32 @"llvm.nvvm.read.ptx.sreg.nctaid.y"()
  %f = uitofp i32 %g to float
  store float %f, float* %out
  ret void
}

define i32 @helper_not_kernel() {
  ret i32 0
}

declare i32 @"llvm.nvvm.read.ptx.sreg.ntid.x"()
declare i32 @"llvm.nvvm.read.ptx.sreg.nctaid.x"()
declare i32 @"llvm.nvvm.read.ptx.sreg.nctaid.y"()

!nvvmir.version = !{ !0 }
!nvvm.annotations = !{ !1, !2 }
!0 = !{ i32 2, i32 0, i32 3, i32 2 }
!1 = !{ void (float*, i64)* @legacy_kernel, !"kernel", i32 1 }
!2 = !{ void (%Params*)* @byval_kernel, !"kernel", i32 1 }
