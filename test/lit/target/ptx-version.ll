; lcs picks the lowest PTX version every intrinsic needs, from the target's
; own minimum (7.8 for sm_90) up to 9.0 (CUDA 13).
; RUN: split-file %s %t
; RUN: %lcs_compile --emit=ptx --arch=sm_90 --no-cache %t/plain.ll | FileCheck %s --check-prefix=PLAIN
; RUN: %lcs_compile --emit=ptx --arch=sm_90 --no-cache %t/async.ll | FileCheck %s --check-prefix=ASYNC
; RUN: %lcs_compile --emit=ptx --arch=sm_90 --no-cache %t/tensormap.ll | FileCheck %s --check-prefix=TENSORMAP
; A rejected probe kills its child, not the output file lcs-compile has open
; (the child must not run the parent's signal-time cleanup).
; RUN: %lcs_compile --emit=ptx --arch=sm_90 --no-cache %t/async.ll -o %t/async.ptx
; RUN: FileCheck %s --check-prefix=ASYNC < %t/async.ptx
; The same modules through the cache (the compile library's path).
; RUN: %lcs_compile --emit=ptx --arch=sm_90 --cache-dir=%t/cache %t/tensormap.ll | FileCheck %s --check-prefix=TENSORMAP
; Too old for CUDA 13: rejected before anything is compiled.
; RUN: not %lcs_compile --emit=ptx --arch=sm_70 --no-cache %t/plain.ll 2>&1 | FileCheck %s --check-prefix=OLD

; PLAIN: .version 7.8
; ASYNC: .version 8.0
; ASYNC: fence.proxy.async;
; TENSORMAP: .version 8.3
; TENSORMAP: fence.proxy.async;
; TENSORMAP: fence.proxy.tensormap::generic.release.cta;
; OLD: error: target 'sm_70' is not supported: ptxas from CUDA 13 needs sm_75 or newer

;--- plain.ll
target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k(ptr %p) {
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  store i32 %t, ptr %p
  ret void
}
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()

;--- async.ll
target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k() {
  call void @llvm.nvvm.fence.proxy.async()
  ret void
}
declare void @llvm.nvvm.fence.proxy.async()

;--- tensormap.ll
target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k() {
  call void @llvm.nvvm.fence.proxy.async()
  call void @llvm.nvvm.fence.proxy.tensormap_generic.release.cta()
  ret void
}
declare void @llvm.nvvm.fence.proxy.async()
declare void @llvm.nvvm.fence.proxy.tensormap_generic.release.cta()
