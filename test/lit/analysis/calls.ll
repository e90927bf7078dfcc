; UNSUPPORTED: sanitized
; Dependence through calls: transitive, shared callees, recursion, mutual
; recursion, indirect calls, and functions no kernel reaches.
; RUN: %lcs_compile %s | FileCheck %s
; RUN: %lcs_opt -passes='print<lcs-sensitivity>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=TABLE

target triple = "nvptx64-nvidia-cuda"

; CHECK: "name": "transitive",
; CHECK-NEXT: "depends_on": [
; CHECK-NEXT: "grid.y"
; CHECK-NEXT: ],
; CHECK: "name": "shares_leaf",
; CHECK-NEXT: "depends_on": [
; CHECK-NEXT: "grid.y"
; CHECK-NEXT: ],
; CHECK: "name": "recursive",
; CHECK-NEXT: "depends_on": [
; CHECK-NEXT: "block.z"
; CHECK-NEXT: ],
; CHECK: "name": "mutual",
; CHECK-NEXT: "depends_on": [
; CHECK-NEXT: "block.x",
; CHECK-NEXT: "cluster.x"
; CHECK-NEXT: ],
; CHECK: "name": "indirect",
; CHECK-NEXT: "depends_on": [
; CHECK-NEXT: "smem.dynamic"
; CHECK-NEXT: ],
; CHECK: "name": "calls_nothing_sensitive",
; CHECK-NEXT: "depends_on": [],

; TABLE: lcs-sensitivity: 6 kernels
; TABLE: transitive{{ +}}no{{ +}}grid.y
; TABLE: calls_nothing_sensitive{{ +}}no{{ +}}-

define internal i32 @leaf() {
  %v = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()
  ret i32 %v
}

define internal i32 @middle() {
  %v = call i32 @leaf()
  %w = add i32 %v, 1
  ret i32 %w
}

define ptx_kernel void @transitive(ptr %o) {
  %v = call i32 @middle()
  store i32 %v, ptr %o
  ret void
}

define ptx_kernel void @shares_leaf(ptr %o) {
  %v = call i32 @leaf()
  store i32 %v, ptr %o
  ret void
}

define internal i32 @rec(i32 %n) {
entry:
  %done = icmp eq i32 %n, 0
  br i1 %done, label %base, label %step
base:
  %z = call i32 @llvm.nvvm.read.ptx.sreg.ntid.z()
  ret i32 %z
step:
  %m = sub i32 %n, 1
  %r = call i32 @rec(i32 %m)
  ret i32 %r
}

define ptx_kernel void @recursive(ptr %o, i32 %n) {
  %v = call i32 @rec(i32 %n)
  store i32 %v, ptr %o
  ret void
}

define internal i32 @ping(i32 %n) {
entry:
  %done = icmp eq i32 %n, 0
  br i1 %done, label %base, label %step
base:
  %x = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  ret i32 %x
step:
  %m = sub i32 %n, 1
  %r = call i32 @pong(i32 %m)
  ret i32 %r
}

define internal i32 @pong(i32 %n) {
  %c = call i32 @llvm.nvvm.read.ptx.sreg.cluster.nctaid.x()
  %r = call i32 @ping(i32 %n)
  %s = add i32 %r, %c
  ret i32 %s
}

define ptx_kernel void @mutual(ptr %o, i32 %n) {
  %v = call i32 @pong(i32 %n)
  store i32 %v, ptr %o
  ret void
}

; Address-taken: an indirect call may reach it.
define internal i32 @target() {
  %v = call i32 @llvm.nvvm.read.ptx.sreg.dynamic_smem_size()
  ret i32 %v
}

@table = internal constant [1 x ptr] [ptr @target]

define ptx_kernel void @indirect(ptr %o, i32 %i) {
  %slot = getelementptr [1 x ptr], ptr @table, i32 0, i32 %i
  %fn = load ptr, ptr %slot
  %v = call i32 %fn()
  store i32 %v, ptr %o
  ret void
}

; Reaches only a function with no reads; the reader below is not reached by
; any kernel and does not count.
define internal void @quiet(ptr %o) {
  store i32 7, ptr %o
  ret void
}

define ptx_kernel void @calls_nothing_sensitive(ptr %o) {
  call void @quiet(ptr %o)
  ret void
}

define void @unreached(ptr %o) {
  %v = call i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
  store i32 %v, ptr %o
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.z()
declare i32 @llvm.nvvm.read.ptx.sreg.cluster.nctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.dynamic_smem_size()
