; UNSUPPORTED: sanitized
; lcs-specialize folds each register kind, from each source (intrinsic,
; inline PTX, callee), clones a callee another kernel shares, writes launch
; bounds and ranges, and uses only the groups each kernel depends on.
; RUN: %lcs_opt -passes='lcs-specialize<block=128x2x1;grid=64x4x1;cluster=2x2x1;smem=4096>' -S %s | FileCheck %s
; Only one kernel: the other user of @shared keeps calling the generic one.
; RUN: %lcs_opt -passes='lcs-specialize<block=128;kernel=block_only>' -S %s | FileCheck %s --check-prefix=ONE
; ONE-LABEL: define ptx_kernel void @generic_user(ptr %o) #{{[0-9]+}} {
; ONE-NEXT: call i32 @shared()
; ONE-LABEL: define internal i32 @shared.lcs.block_only()
; ONE-NEXT: ret i32 128
; ONE-NOT: @shared.lcs.generic_user

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: define ptx_kernel void @all_kinds(
; CHECK-SAME: #[[ALL:[0-9]+]]
; CHECK: store i32 128, ptr %o
; CHECK: store i32 2, ptr
; CHECK: store i32 4, ptr
; CHECK: store i32 2, ptr
; CHECK: store i32 32, ptr
; CHECK: store i32 4, ptr
; CHECK: zext i1 true to i32
; CHECK: store i32 4096, ptr
; CHECK-NOT: sreg.ntid
; CHECK-NOT: sreg.nctaid
define ptx_kernel void @all_kinds(ptr %o) {
  %bx = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  store i32 %bx, ptr %o
  %by = call i32 asm "mov.u32 $0, %ntid.y;", "=r"()
  %o1 = getelementptr i32, ptr %o, i32 1
  store i32 %by, ptr %o1
  %gy = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()
  %o2 = getelementptr i32, ptr %o, i32 2
  store i32 %gy, ptr %o2
  %cy = call i32 @llvm.nvvm.read.ptx.sreg.cluster.nctaid.y()
  %o3 = getelementptr i32, ptr %o, i32 3
  store i32 %cy, ptr %o3
  %ncx = call i32 @llvm.nvvm.read.ptx.sreg.nclusterid.x()
  %o4 = getelementptr i32, ptr %o, i32 4
  store i32 %ncx, ptr %o4
  %rank = call i32 @llvm.nvvm.read.ptx.sreg.cluster.nctarank()
  %o5 = getelementptr i32, ptr %o, i32 5
  store i32 %rank, ptr %o5
  %ex = call i1 @llvm.nvvm.is_explicit_cluster()
  %exi = zext i1 %ex to i32
  %o6 = getelementptr i32, ptr %o, i32 6
  store i32 %exi, ptr %o6
  %sm = call i32 asm sideeffect "mov.u32 $0, %dynamic_smem_size;", "=r"()
  %o7 = getelementptr i32, ptr %o, i32 7
  store i32 %sm, ptr %o7
  ret void
}

; Reads only the block: no grid folding, no ctaid range, no cluster dims.
; CHECK-LABEL: define ptx_kernel void @block_only(
; CHECK-SAME: #[[BLOCK:[0-9]+]]
; CHECK: call range(i32 0, 128) i32 @llvm.nvvm.read.ptx.sreg.tid.x()
; CHECK: call range(i32 0, 32) i32 @llvm.nvvm.read.ptx.sreg.laneid()
; CHECK: call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
; CHECK: call i32 @shared.lcs.block_only()
define ptx_kernel void @block_only(ptr %o) {
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %l = call i32 @llvm.nvvm.read.ptx.sreg.laneid()
  %c = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %s = call i32 @shared()
  %a = add i32 %t, %l
  %b = add i32 %a, %c
  %d = add i32 %b, %s
  store i32 %d, ptr %o
  ret void
}

; Depends on the grid only: ctaid gets a range, no reqntid.
; CHECK-LABEL: define ptx_kernel void @grid_only(
; CHECK-SAME: #[[GRID:[0-9]+]]
; CHECK: call range(i32 0, 64) i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
; CHECK: store i32 64,
define ptx_kernel void @grid_only(ptr %o) {
  %c = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %g = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
  store i32 %g, ptr %o
  %o1 = getelementptr i32, ptr %o, i32 1
  store i32 %c, ptr %o1
  ret void
}

; Depends on nothing: unchanged, no bounds.
; CHECK-LABEL: define ptx_kernel void @nothing(ptr %o) {
define ptx_kernel void @nothing(ptr %o) {
  store i32 0, ptr %o
  ret void
}

; Shared by block_only and generic_user: each specialised kernel gets its
; own copy, the original stays generic for everything else.
; CHECK-LABEL: define internal i32 @shared()
; CHECK: call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
define internal i32 @shared() {
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  ret i32 %b
}

define ptx_kernel void @generic_user(ptr %o) "lcs.launch-config-sensitive"="grid.z" {
  %s = call i32 @shared()
  store i32 %s, ptr %o
  ret void
}

; CHECK-LABEL: define internal i32 @shared.lcs.block_only()
; CHECK-NEXT: ret i32 128
; CHECK-LABEL: define internal i32 @shared.lcs.generic_user()
; CHECK-NEXT: ret i32 128

; CHECK-DAG: attributes #[[ALL]] = { "lcs.variant"="block=128x2x1;grid=64x4x1;cluster=2x2x1;smem=4096" "nvvm.cluster_dim"="2,2,1" "nvvm.reqntid"="128,2,1" }
; CHECK-DAG: attributes #[[BLOCK]] = { "lcs.variant"="block=128x2x1" "nvvm.reqntid"="128,2,1" }
; CHECK-DAG: attributes #[[GRID]] = { "lcs.variant"="grid=64x4x1" }

declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()
declare i32 @llvm.nvvm.read.ptx.sreg.cluster.nctaid.y()
declare i32 @llvm.nvvm.read.ptx.sreg.nclusterid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.cluster.nctarank()
declare i1 @llvm.nvvm.is_explicit_cluster()
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.laneid()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
