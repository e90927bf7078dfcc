; Warp-specialised kernels hand registers between warp groups with
; setmaxnreg, an arch-accelerated feature: not on plain sm_90.
; RUN: rm -rf %t && mkdir %t
; RUN: not %lcs_compile --emit=ptx --arch=sm_90 --no-cache %s 2> %t/err
; RUN: FileCheck %s < %t/err
; RUN: count 1 < %t/err
; RUN: %lcs_compile --emit=ptx --arch=sm_90a --no-cache %s | FileCheck %s --check-prefix=PTX

; CHECK: lcs-compile: error: {{.*}}setmaxnreg.ll: intrinsic llvm.nvvm.setmaxnreg.dec.sync.aligned.u32 (called from 'producer') is not available on sm_90; targets that have it: sm_90a, sm_100a, {{.*}}sm_120a{{.*$}}
; CHECK-NOT: sm_90,
; CHECK-NOT: sm_100,

; PTX: .target sm_90a
; PTX-LABEL: .entry producer
; PTX: setmaxnreg.dec.sync.aligned.u32 40;

target triple = "nvptx64-nvidia-cuda"

define ptx_kernel void @producer() {
  call void @llvm.nvvm.setmaxnreg.dec.sync.aligned.u32(i32 40)
  ret void
}

declare void @llvm.nvvm.setmaxnreg.dec.sync.aligned.u32(i32 immarg)
