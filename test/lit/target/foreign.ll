; An intrinsic of another target in an NVPTX module: rejected without a
; probe, whatever the target.
; RUN: rm -rf %t && mkdir %t
; RUN: not %lcs_compile --emit=ptx --arch=sm_90 --no-cache %s 2> %t/err
; RUN: FileCheck %s < %t/err
; RUN: count 1 < %t/err
; RUN: not %lcs_compile --emit=cubin --arch=sm_90a --no-cache %s 2>&1 | FileCheck %s --check-prefix=SM90A

; CHECK: lcs-compile: error: {{.*}}foreign.ll: intrinsic llvm.x86.sse2.pause (called from 'spin') is not available on sm_90; targets that have it: none (an intrinsic of another target, x86){{$}}
; SM90A: intrinsic llvm.x86.sse2.pause (called from 'spin') is not available on sm_90a;

target triple = "nvptx64-nvidia-cuda"

define ptx_kernel void @spin() {
  call void @llvm.x86.sse2.pause()
  ret void
}

declare void @llvm.x86.sse2.pause()
