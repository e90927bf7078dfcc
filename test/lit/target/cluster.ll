; Cluster special registers exist from sm_90 on; for sm_80 the backend used
; to abort.
; RUN: rm -rf %t && mkdir %t
; RUN: not %lcs_compile --emit=ptx --arch=sm_80 --no-cache %s 2> %t/err
; RUN: FileCheck %s < %t/err
; RUN: count 1 < %t/err
; RUN: %lcs_compile --emit=ptx --arch=sm_90 --no-cache %s | FileCheck %s --check-prefix=PTX

; CHECK: lcs-compile: error: {{.*}}cluster.ll: intrinsic llvm.nvvm.read.ptx.sreg.cluster.nctaid.x (called from 'clustered') is not available on sm_80; targets that have it: sm_90, sm_90a, sm_100, {{.*}}sm_121f{{$}}

; PTX: .version 7.8
; PTX: .target sm_90
; PTX: %cluster_nctaid.x

target triple = "nvptx64-nvidia-cuda"

define ptx_kernel void @clustered(ptr %out) {
  %n = call i32 @llvm.nvvm.read.ptx.sreg.cluster.nctaid.x()
  store i32 %n, ptr %out
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.cluster.nctaid.x()
