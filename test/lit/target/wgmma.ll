; Triton lowers tl.dot to wgmma on Hopper; wgmma exists on sm_90a only. For
; sm_90 the NVPTX backend used to abort the process ("Cannot select").
; RUN: rm -rf %t && mkdir %t
; RUN: not %lcs_compile --emit=ptx --arch=sm_90 --no-cache %s -o %t/out.ptx 2> %t/err
; RUN: FileCheck %s < %t/err
; RUN: count 1 < %t/err
; The probe answers come from the disk cache the second time: same line.
; RUN: not %lcs_compile --emit=ptx --arch=sm_90 --cache-dir=%t/cache %s 2> %t/err1
; RUN: not %lcs_compile --emit=ptx --arch=sm_90 --cache-dir=%t/cache %s 2> %t/err2
; RUN: FileCheck %s < %t/err1
; RUN: diff %t/err1 %t/err2
; RUN: not %lcs_compile --emit=cubin --arch=sm_100a --no-cache %s 2>&1 | FileCheck %s --check-prefix=SM100A
; RUN: %lcs_compile --emit=ptx --arch=sm_90a --no-cache %s | FileCheck %s --check-prefix=PTX

; CHECK: lcs-compile: error: {{.*}}wgmma.ll: intrinsic llvm.nvvm.wgmma.commit_group.sync.aligned (called from 'matmul') is not available on sm_90; targets that have it: sm_90a{{$}}
; SM100A: intrinsic llvm.nvvm.wgmma.commit_group.sync.aligned (called from 'matmul') is not available on sm_100a; targets that have it: sm_90a{{$}}

; PTX: .version 8.0
; PTX: .target sm_90a
; PTX-LABEL: .entry matmul
; PTX: wgmma.commit_group.sync.aligned;
; PTX: wgmma.wait_group.sync.aligned 0;

target triple = "nvptx64-nvidia-cuda"

define ptx_kernel void @matmul(ptr %p) {
  call void @llvm.nvvm.wgmma.commit_group.sync.aligned()
  call void @llvm.nvvm.wgmma.wait_group.sync.aligned(i64 0)
  call void @llvm.nvvm.wgmma.fence.sync.aligned()
  ret void
}

declare void @llvm.nvvm.wgmma.fence.sync.aligned()
declare void @llvm.nvvm.wgmma.commit_group.sync.aligned()
declare void @llvm.nvvm.wgmma.wait_group.sync.aligned(i64 immarg)
