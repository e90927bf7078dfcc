; Reads whose value cannot influence the kernel do not count.
; RUN: %lcs_compile --report-format=text %s | FileCheck %s
; Without the cleanup every read counts: sound, not exact.
; RUN: %lcs_compile --report-format=text --keep-dead-reads %s | FileCheck %s --check-prefix=ALL

target triple = "nvptx64-nvidia-cuda"

; CHECK: unused{{ +}}no{{ +}}-{{$}}
; CHECK-NEXT: numba_xyz_keep_x{{ +}}no{{ +}}block.x{{$}}
; CHECK-NEXT: stored_never_loaded{{ +}}no{{ +}}-{{$}}
; CHECK-NEXT: folded_by_range{{ +}}no{{ +}}-{{$}}
; CHECK-NEXT: in_dead_branch{{ +}}no{{ +}}-{{$}}
; CHECK-NEXT: through_memory_live{{ +}}no{{ +}}grid.x{{$}}
; CHECK-NEXT: controls_branch{{ +}}no{{ +}}block.y{{$}}

; ALL: unused{{ +}}no{{ +}}grid.z{{$}}
; ALL-NEXT: numba_xyz_keep_x{{ +}}no{{ +}}block.x block.y block.z{{$}}

define ptx_kernel void @unused(ptr %o) {
  %v = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.z()
  store i32 0, ptr %o
  ret void
}

; numba-cuda reads ntid.x/y/z together and keeps one.
define ptx_kernel void @numba_xyz_keep_x(ptr %o) {
  %x = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %y = call i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
  %z = call i32 @llvm.nvvm.read.ptx.sreg.ntid.z()
  %s0 = insertvalue {i32, i32, i32} undef, i32 %x, 0
  %s1 = insertvalue {i32, i32, i32} %s0, i32 %y, 1
  %s2 = insertvalue {i32, i32, i32} %s1, i32 %z, 2
  %e = extractvalue {i32, i32, i32} %s2, 0
  store i32 %e, ptr %o
  ret void
}

define ptx_kernel void @stored_never_loaded(ptr %o) {
  %slot = alloca i32
  %v = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
  store i32 %v, ptr %slot
  store i32 1, ptr %o
  ret void
}

; ntid.x is at least 1: the comparison is known, the value irrelevant.
define ptx_kernel void @folded_by_range(ptr %o) {
  %v = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %c = icmp ugt i32 %v, 0
  %r = zext i1 %c to i32
  store i32 %r, ptr %o
  ret void
}

define ptx_kernel void @in_dead_branch(ptr %o) {
entry:
  br i1 false, label %dead, label %live
dead:
  %v = call i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
  store i32 %v, ptr %o
  br label %live
live:
  ret void
}

define ptx_kernel void @through_memory_live(ptr %o) {
  %slot = alloca i32
  %v = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
  store i32 %v, ptr %slot
  %w = load i32, ptr %slot
  store i32 %w, ptr %o
  ret void
}

define ptx_kernel void @controls_branch(ptr %o) {
entry:
  %v = call i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
  %c = icmp eq i32 %v, 1
  br i1 %c, label %a, label %b
a:
  store i32 1, ptr %o
  ret void
b:
  store i32 2, ptr %o
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.z()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.z()
