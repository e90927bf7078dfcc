; UNSUPPORTED: sanitized
; clang -fpass-plugin: lcs-annotate runs at the end of the optimisation
; pipeline for NVPTX modules, so the metadata describes optimised code.
; RUN: %clang -O2 --target=nvptx64-nvidia-cuda -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s
; Not for other targets.
; RUN: %clang -O2 --target=x86_64-pc-linux-gnu -fpass-plugin=%plugin -S -emit-llvm %inputs/x86.ll -o - | FileCheck %s --check-prefix=HOST

target triple = "nvptx64-nvidia-cuda"

; CHECK: !lcs.kernels = !{![[K:[0-9]+]]}
; CHECK: ![[K]] = !{ptr @k, !"block.x", !"grid.x"}
; HOST-NOT: lcs.kernels

define internal i32 @helper() {
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %g = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
  %m = mul i32 %b, %g
  ret i32 %m
}

define ptx_kernel void @k(ptr %o) {
  %v = call i32 @helper()
  store i32 %v, ptr %o
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
