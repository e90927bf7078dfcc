; UNSUPPORTED: sanitized
; Every launch register read through its intrinsic maps to its fields.
; RUN: %lcs_opt -passes=lcs-annotate -S %s | FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: !lcs.kernels =
; CHECK-DAG: !{ptr @block, !"block.x", !"block.y", !"block.z"}
; CHECK-DAG: !{ptr @grid, !"grid.x", !"grid.y", !"grid.z"}
; CHECK-DAG: !{ptr @cluster_dims, !"cluster.x", !"cluster.y", !"cluster.z"}
; CHECK-DAG: !{ptr @nclusterid_y, !"grid.y", !"cluster.y"}
; CHECK-DAG: !{ptr @nctarank, !"cluster.x", !"cluster.y", !"cluster.z"}
; CHECK-DAG: !{ptr @explicit_cluster, !"cluster.x", !"cluster.y", !"cluster.z"}
; CHECK-DAG: !{ptr @smem, !"smem.dynamic"}
; CHECK-DAG: !{ptr @per_thread}

define ptx_kernel void @block(ptr %o) {
  %x = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %y = call i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
  %z = call i32 @llvm.nvvm.read.ptx.sreg.ntid.z()
  %a = add i32 %x, %y
  %b = add i32 %a, %z
  store i32 %b, ptr %o
  ret void
}

define ptx_kernel void @grid(ptr %o) {
  %x = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
  %y = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()
  %z = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.z()
  %a = mul i32 %x, %y
  %b = mul i32 %a, %z
  store i32 %b, ptr %o
  ret void
}

define ptx_kernel void @cluster_dims(ptr %o) {
  %x = call i32 @llvm.nvvm.read.ptx.sreg.cluster.nctaid.x()
  %y = call i32 @llvm.nvvm.read.ptx.sreg.cluster.nctaid.y()
  %z = call i32 @llvm.nvvm.read.ptx.sreg.cluster.nctaid.z()
  store i32 %x, ptr %o
  %o1 = getelementptr i32, ptr %o, i32 1
  store i32 %y, ptr %o1
  %o2 = getelementptr i32, ptr %o, i32 2
  store i32 %z, ptr %o2
  ret void
}

define ptx_kernel void @nclusterid_y(ptr %o) {
  %v = call i32 @llvm.nvvm.read.ptx.sreg.nclusterid.y()
  store i32 %v, ptr %o
  ret void
}

define ptx_kernel void @nctarank(ptr %o) {
  %v = call i32 @llvm.nvvm.read.ptx.sreg.cluster.nctarank()
  store i32 %v, ptr %o
  ret void
}

define ptx_kernel void @explicit_cluster(ptr %o) {
  %v = call i1 @llvm.nvvm.is_explicit_cluster()
  %w = zext i1 %v to i32
  store i32 %w, ptr %o
  ret void
}

define ptx_kernel void @smem(ptr %o) {
  %d = call i32 @llvm.nvvm.read.ptx.sreg.dynamic_smem_size()
  %t = call i32 @llvm.nvvm.read.ptx.sreg.total_smem_size()
  %a = call i32 @llvm.nvvm.read.ptx.sreg.aggr_smem_size()
  %s = add i32 %d, %t
  %s2 = add i32 %s, %a
  store i32 %s2, ptr %o
  ret void
}

; Per-thread and per-block values are no launch dependence.
define ptx_kernel void @per_thread(ptr %o) {
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %c = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %l = call i32 @llvm.nvvm.read.ptx.sreg.laneid()
  %w = call i32 @llvm.nvvm.read.ptx.sreg.warpid()
  %r = call i32 @llvm.nvvm.read.ptx.sreg.cluster.ctarank()
  %a = add i32 %t, %c
  %b = add i32 %a, %l
  %d = add i32 %b, %w
  %e = add i32 %d, %r
  store i32 %e, ptr %o
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.z()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.z()
declare i32 @llvm.nvvm.read.ptx.sreg.cluster.nctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.cluster.nctaid.y()
declare i32 @llvm.nvvm.read.ptx.sreg.cluster.nctaid.z()
declare i32 @llvm.nvvm.read.ptx.sreg.nclusterid.y()
declare i32 @llvm.nvvm.read.ptx.sreg.cluster.nctarank()
declare i1 @llvm.nvvm.is_explicit_cluster()
declare i32 @llvm.nvvm.read.ptx.sreg.dynamic_smem_size()
declare i32 @llvm.nvvm.read.ptx.sreg.total_smem_size()
declare i32 @llvm.nvvm.read.ptx.sreg.aggr_smem_size()
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.laneid()
declare i32 @llvm.nvvm.read.ptx.sreg.warpid()
declare i32 @llvm.nvvm.read.ptx.sreg.cluster.ctarank()
