; UNSUPPORTED: sanitized
; A function whose address is taken can be called from anywhere: specialising
; one kernel clones it and everything it calls, and the originals, which
; callers through the pointer reach, stay generic.
; RUN: %lcs_opt -passes='lcs-specialize<block=128;kernel=k1>' -S %s | FileCheck %s

@fp = global ptr @f

; CHECK-LABEL: define ptx_kernel void @k1(
; CHECK: call i32 @f.lcs.k1()
define ptx_kernel void @k1(ptr %o) {
  %v = call i32 @f()
  store i32 %v, ptr %o
  ret void
}

; CHECK-LABEL: define ptx_kernel void @k2(
; CHECK: %v = call i32 %p()
define ptx_kernel void @k2(ptr %o) {
  %p = load ptr, ptr @fp
  %v = call i32 %p()
  store i32 %v, ptr %o
  ret void
}

; CHECK-LABEL: define internal i32 @f()
; CHECK-NEXT: %v = call i32 @g()
define internal i32 @f() {
  %v = call i32 @g()
  ret i32 %v
}

; CHECK-LABEL: define internal i32 @g()
; CHECK-NEXT: call {{.*}}i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
define internal i32 @g() {
  %n = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  ret i32 %n
}

; CHECK-LABEL: define internal i32 @f.lcs.k1()
; CHECK-NEXT: %v = call i32 @g.lcs.k1()
; CHECK-LABEL: define internal i32 @g.lcs.k1()
; CHECK-NEXT: ret i32 128

declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
