; UNSUPPORTED: sanitized
; Frontend marks: "lcs.launch-config-sensitive" on the kernel, on a callee,
; on a declaration; "all"; a malformed mark is a warning and counts as all.
; RUN: %lcs_opt -passes=lcs-annotate -S %s 2>%t.err | FileCheck %s
; RUN: FileCheck %s --check-prefix=WARN < %t.err
; The cached compile path reports it too, once, when it analyses.
; RUN: rm -rf %t.c && %lcs_compile --emit=ptx --cache-dir=%t.c --block=64 --kernel=on_kernel %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=CACHED
; CACHED: lcs: warning: function 'malformed': attribute "lcs.launch-config-sensitive"="blockDim.x": unknown launch field

target triple = "nvptx64-nvidia-cuda"

; CHECK-DAG: !{ptr @on_kernel, !"block.x", !"block.y", !"explicit"}
; CHECK-DAG: !{ptr @on_callee, !"block.x", !"smem.dynamic", !"explicit"}
; CHECK-DAG: !{ptr @on_declaration, !"cluster.x", !"cluster.y", !"cluster.z", !"explicit"}
; CHECK-DAG: !{ptr @all, !"block.x", !"block.y", !"block.z", !"grid.x", !"grid.y", !"grid.z", !"cluster.x", !"cluster.y", !"cluster.z", !"smem.dynamic", !"explicit"}
; CHECK-DAG: !{ptr @malformed, !"block.x", !"block.y", !"block.z", !"grid.x", !"grid.y", !"grid.z", !"cluster.x", !"cluster.y", !"cluster.z", !"smem.dynamic", !"explicit"}
; CHECK-DAG: !{ptr @unmarked}

; WARN: warning: lcs-annotate: function 'malformed': attribute "lcs.launch-config-sensitive"="blockDim.x": unknown launch field 'blockDim.x' {{.*}}; treated as 'all'

; A mark counts even where the kernel never reads the register itself (a
; frontend generated its code for the block size).
define ptx_kernel void @on_kernel(ptr %o) #0 {
  store i32 0, ptr %o
  ret void
}

define internal void @primitive(ptr %o) #1 {
  store i32 1, ptr %o
  ret void
}

define ptx_kernel void @on_callee(ptr %o) {
  %x = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  store i32 %x, ptr %o
  call void @primitive(ptr %o)
  ret void
}

declare void @external_primitive(ptr) #2

define ptx_kernel void @on_declaration(ptr %o) {
  call void @external_primitive(ptr %o)
  ret void
}

define ptx_kernel void @all(ptr %o) #3 {
  ret void
}

define ptx_kernel void @malformed(ptr %o) #4 {
  ret void
}

; Calls a declaration without a mark (libdevice-like): nothing.
declare float @__nv_expf(float)
define ptx_kernel void @unmarked(ptr %o) {
  %e = call float @__nv_expf(float 1.0)
  store float %e, ptr %o
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()

attributes #0 = { "lcs.launch-config-sensitive"="block.y,block.x" }
attributes #1 = { "lcs.launch-config-sensitive"="smem.dynamic" }
attributes #2 = { "lcs.launch-config-sensitive"="cluster.x,cluster.y,cluster.z" }
attributes #3 = { "lcs.launch-config-sensitive"="all" }
attributes #4 = { "lcs.launch-config-sensitive"="blockDim.x" }
