; Launch bounds reach the PTX; --kernel keeps one kernel and what it
; reaches; -O0 still emits valid code.
; RUN: %lcs_compile --emit=ptx --block=64x2 --grid=8x2 --cluster=2 %s | FileCheck %s
; CHECK-LABEL: .entry clustered(
; CHECK: .reqntid 64, 2, 1
; CHECK: .explicitcluster
; CHECK: .reqnctapercluster 2, 1, 1
; CHECK-NOT: %cluster_nctarank
; Depends on the grid only: the grid folds (8 + 3), no block or cluster bounds.
; CHECK-LABEL: .entry other(
; CHECK-NOT: .reqntid
; CHECK-NOT: .explicitcluster
; CHECK-NOT: %nctaid
; CHECK: st.global.b32 [{{%rd[0-9]+}}], 11;
; CHECK-LABEL: .entry bounded(

; A kernel that asked for a maximum gets the exact block instead.
; RUN: %lcs_compile --emit=ptx --block=128 --kernel=bounded %s | FileCheck %s --check-prefix=MAX
; MAX: .entry bounded(
; MAX-NOT: .maxntid
; MAX: .reqntid 128, 1, 1
; MAX-NOT: .entry clustered
; MAX-NOT: .entry other

; RUN: %lcs_compile --emit=ir --kernel=other %s | FileCheck %s --check-prefix=ONE
; ONE: define ptx_kernel void @other(
; ONE-NOT: define {{.*}}@clustered
; ONE-NOT: define {{.*}}@bounded

; RUN: %lcs_compile --emit=cubin -O0 --block=64x2 --grid=8x2 %s -o %t.cubin
; RUN: not %lcs_compile --emit=ptx -O4 %s 2>&1 | FileCheck %s --check-prefix=OPT
; OPT: error: -O4: the level must be 0 to 3

target triple = "nvptx64-nvidia-cuda"

define ptx_kernel void @clustered(ptr addrspace(1) %o) {
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
  %r = call i32 @llvm.nvvm.read.ptx.sreg.cluster.nctarank()
  %s = add i32 %b, %r
  store i32 %s, ptr addrspace(1) %o
  ret void
}

define ptx_kernel void @other(ptr addrspace(1) %o) {
  %g = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
  %h = call i32 @helper()
  %s = add i32 %g, %h
  store i32 %s, ptr addrspace(1) %o
  ret void
}

define ptx_kernel void @bounded(ptr addrspace(1) %o) "nvvm.maxntid"="256" {
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  store i32 %b, ptr addrspace(1) %o
  ret void
}

define internal i32 @helper() {
  ret i32 3
}

declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.cluster.nctarank()
