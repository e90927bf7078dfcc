; UNSUPPORTED: sanitized
; libNVVM's LLVM-7 dialect, as numba-cuda emits it (typed pointers), lowered
; to LLVM 22 intrinsics: the right intrinsic per mode/layout and the right
; operand for each position; then the whole thing assembles with ptxas.
; RUN: %lcs_opt -passes=lcs-lower-nvvm -S %s | FileCheck %s
; RUN: %lcs_compile --emit=cubin --arch=sm_90 %s -o %t.cubin
; RUN: %lcs_compile --emit=ptx %s | FileCheck %s --check-prefix=PTX

target triple = "nvptx64-nvidia-cuda"

; PTX-NOT: .extern
; PTX-DAG: shfl.sync.idx.b32
; PTX-DAG: shfl.sync.up.b32
; PTX-DAG: shfl.sync.down.b32
; PTX-DAG: shfl.sync.bfly.b32
; PTX-DAG: vote.sync.all.pred
; PTX-DAG: vote.sync.ballot.b32
; PTX-DAG: match.all.sync.b32
; PTX-DAG: wmma.load.a.sync.aligned.row.m16n16k16
; PTX-DAG: wmma.load.b.sync.aligned.col.m16n16k16
; PTX-DAG: wmma.mma.sync.aligned.row.col.m16n16k16.f32.f32
; PTX-DAG: wmma.store.d.sync.aligned.row.m16n16k16.global.f32

; Operands (mask, value, b, c) keep their meaning; the mode picks the name.
; CHECK-LABEL: define void @shuffles(
; CHECK: %s0 = call { i32, i1 } @llvm.nvvm.shfl.sync.idx.i32p(i32 -1, i32 %v, i32 3, i32 31)
; CHECK: %s1 = call { i32, i1 } @llvm.nvvm.shfl.sync.up.i32p(i32 %mask, i32 %v, i32 1, i32 0)
; CHECK: %s2 = call { i32, i1 } @llvm.nvvm.shfl.sync.down.i32p(i32 -1, i32 %v, i32 2, i32 31)
; CHECK: %s3 = call { i32, i1 } @llvm.nvvm.shfl.sync.bfly.i32p(i32 -1, i32 %v, i32 4, i32 31)
; CHECK-NOT: llvm.nvvm.shfl.sync.i32(
define void @shuffles(i32* %out, i32 %v, i32 %mask) {
  %s0 = call { i32, i1 } @llvm.nvvm.shfl.sync.i32(i32 -1, i32 0, i32 %v, i32 3, i32 31)
  %s1 = call { i32, i1 } @llvm.nvvm.shfl.sync.i32(i32 %mask, i32 1, i32 %v, i32 1, i32 0)
  %s2 = call { i32, i1 } @llvm.nvvm.shfl.sync.i32(i32 -1, i32 2, i32 %v, i32 2, i32 31)
  %s3 = call { i32, i1 } @llvm.nvvm.shfl.sync.i32(i32 -1, i32 3, i32 %v, i32 4, i32 31)
  %a = extractvalue { i32, i1 } %s0, 0
  %b = extractvalue { i32, i1 } %s1, 0
  %c = extractvalue { i32, i1 } %s2, 0
  %d = extractvalue { i32, i1 } %s3, 0
  %p = extractvalue { i32, i1 } %s3, 1
  %ab = add i32 %a, %b
  %cd = add i32 %c, %d
  %pz = zext i1 %p to i32
  %s = add i32 %ab, %cd
  %t = add i32 %s, %pz
  store i32 %t, i32* %out
  ret void
}

; all/any/eq give the i1 element, ballot the i32 element.
; CHECK-LABEL: define void @votes(
; CHECK: %[[ALL:.*]] = call i1 @llvm.nvvm.vote.all.sync(i32 -1, i1 %p)
; CHECK: zext i1 %[[ALL]] to i32
; CHECK: call i1 @llvm.nvvm.vote.any.sync(i32 -1, i1 %p)
; CHECK: call i1 @llvm.nvvm.vote.uni.sync(i32 -1, i1 %p)
; CHECK: %[[BAL:.*]] = call i32 @llvm.nvvm.vote.ballot.sync(i32 -1, i1 %p)
; CHECK: icmp ne i32 %[[BAL]], 0
define void @votes(i32* %out, i1 %p) {
  %v0 = call { i32, i1 } @llvm.nvvm.vote.sync(i32 -1, i32 0, i1 %p)
  %v1 = call { i32, i1 } @llvm.nvvm.vote.sync(i32 -1, i32 1, i1 %p)
  %v2 = call { i32, i1 } @llvm.nvvm.vote.sync(i32 -1, i32 2, i1 %p)
  %v3 = call { i32, i1 } @llvm.nvvm.vote.sync(i32 -1, i32 3, i1 %p)
  %all = extractvalue { i32, i1 } %v0, 1
  %any = extractvalue { i32, i1 } %v1, 1
  %eq = extractvalue { i32, i1 } %v2, 1
  %ballot = extractvalue { i32, i1 } %v3, 0
  %x = zext i1 %all to i32
  %y = zext i1 %any to i32
  %z = zext i1 %eq to i32
  %s0 = add i32 %x, %y
  %s1 = add i32 %s0, %z
  %s2 = add i32 %s1, %ballot
  store i32 %s2, i32* %out
  ret void
}

; CHECK-LABEL: define void @matches(
; CHECK: call { i32, i1 } @llvm.nvvm.match.all.sync.i32p(i32 -1, i32 %v)
; CHECK: call { i32, i1 } @llvm.nvvm.match.all.sync.i64p(i32 -1, i64 %w)
; CHECK: call i32 @llvm.nvvm.match.any.sync.i32(i32 -1, i32 %v)
define void @matches(i32* %out, i32 %v, i64 %w) {
  %m0 = call { i32, i1 } @llvm.nvvm.match.all.sync.i32(i32 -1, i32 %v)
  %m1 = call { i32, i1 } @llvm.nvvm.match.all.sync.i64(i32 -1, i64 %w)
  %m2 = call i32 @llvm.nvvm.match.any.sync.i32(i32 -1, i32 %v)
  %a = extractvalue { i32, i1 } %m0, 0
  %b = extractvalue { i32, i1 } %m1, 0
  %s = add i32 %a, %b
  %t = add i32 %s, %m2
  store i32 %t, i32* %out
  ret void
}

; rowcol 1 = A row-major, B column-major; fp16 fragments are bitcast
; between i32 (NVVM) and <2 x half> (LLVM); the store takes ldm last.
; CHECK-LABEL: define void @hmma(
; CHECK: %[[A:.*]] = call { <2 x half>, {{.*}} } @llvm.nvvm.wmma.m16n16k16.load.a.row.stride.f16.p1(ptr addrspace(1) %pa, i32 16)
; CHECK: bitcast <2 x half> {{.*}} to i32
; CHECK: call { <2 x half>, {{.*}} } @llvm.nvvm.wmma.m16n16k16.load.b.col.stride.f16.p1(ptr addrspace(1) %pb, i32 16)
; CHECK: call { float, {{.*}} } @llvm.nvvm.wmma.m16n16k16.load.c.row.stride.f32.p1(ptr addrspace(1) %pc, i32 16)
; CHECK: bitcast i32 {{.*}} to <2 x half>
; CHECK: call { float, {{.*}} } @llvm.nvvm.wmma.m16n16k16.mma.row.col.f32.f32(<2 x half>
; CHECK: call void @llvm.nvvm.wmma.m16n16k16.store.d.row.stride.f32.p1(ptr addrspace(1) %pc, float %d0, float %d1, float %d2, float %d3, float %d4, float %d5, float %d6, float %d7, i32 16)
; CHECK-NOT: llvm.nvvm.hmma
define void @hmma(i32 addrspace(1)* %pa, i32 addrspace(1)* %pb, float addrspace(1)* %pc) {
  %a = call { i32, i32, i32, i32, i32, i32, i32, i32 } @llvm.nvvm.hmma.m16n16k16.ld.a.p1i32(i32 addrspace(1)* %pa, i32 16, i32 0)
  %b = call { i32, i32, i32, i32, i32, i32, i32, i32 } @llvm.nvvm.hmma.m16n16k16.ld.b.p1i32(i32 addrspace(1)* %pb, i32 16, i32 1)
  %c = call { float, float, float, float, float, float, float, float } @llvm.nvvm.hmma.m16n16k16.ld.c.f32.p1f32(float addrspace(1)* %pc, i32 16, i32 0)
  %a0 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %a, 0
  %a1 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %a, 1
  %a2 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %a, 2
  %a3 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %a, 3
  %a4 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %a, 4
  %a5 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %a, 5
  %a6 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %a, 6
  %a7 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %a, 7
  %b0 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %b, 0
  %b1 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %b, 1
  %b2 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %b, 2
  %b3 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %b, 3
  %b4 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %b, 4
  %b5 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %b, 5
  %b6 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %b, 6
  %b7 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %b, 7
  %c0 = extractvalue { float, float, float, float, float, float, float, float } %c, 0
  %c1 = extractvalue { float, float, float, float, float, float, float, float } %c, 1
  %c2 = extractvalue { float, float, float, float, float, float, float, float } %c, 2
  %c3 = extractvalue { float, float, float, float, float, float, float, float } %c, 3
  %c4 = extractvalue { float, float, float, float, float, float, float, float } %c, 4
  %c5 = extractvalue { float, float, float, float, float, float, float, float } %c, 5
  %c6 = extractvalue { float, float, float, float, float, float, float, float } %c, 6
  %c7 = extractvalue { float, float, float, float, float, float, float, float } %c, 7
  %d = call { float, float, float, float, float, float, float, float } @llvm.nvvm.hmma.m16n16k16.mma.f32.f32(i32 1, i32 0, i32 %a0, i32 %a1, i32 %a2, i32 %a3, i32 %a4, i32 %a5, i32 %a6, i32 %a7, i32 %b0, i32 %b1, i32 %b2, i32 %b3, i32 %b4, i32 %b5, i32 %b6, i32 %b7, float %c0, float %c1, float %c2, float %c3, float %c4, float %c5, float %c6, float %c7)
  %d0 = extractvalue { float, float, float, float, float, float, float, float } %d, 0
  %d1 = extractvalue { float, float, float, float, float, float, float, float } %d, 1
  %d2 = extractvalue { float, float, float, float, float, float, float, float } %d, 2
  %d3 = extractvalue { float, float, float, float, float, float, float, float } %d, 3
  %d4 = extractvalue { float, float, float, float, float, float, float, float } %d, 4
  %d5 = extractvalue { float, float, float, float, float, float, float, float } %d, 5
  %d6 = extractvalue { float, float, float, float, float, float, float, float } %d, 6
  %d7 = extractvalue { float, float, float, float, float, float, float, float } %d, 7
  call void @llvm.nvvm.hmma.m16n16k16.st.c.f32.p1float(float addrspace(1)* %pc, i32 16, i32 0, float %d0, float %d1, float %d2, float %d3, float %d4, float %d5, float %d6, float %d7)
  ret void
}

; Keep the functions alive as a kernel's callees.
define void @k(i32* %o, i32 %v, i64 %w, i32 addrspace(1)* %pa, i32 addrspace(1)* %pb, float addrspace(1)* %pc) {
  call void @shuffles(i32* %o, i32 %v, i32 -1)
  %p = icmp eq i32 %v, 0
  call void @votes(i32* %o, i1 %p)
  call void @matches(i32* %o, i32 %v, i64 %w)
  call void @hmma(i32 addrspace(1)* %pa, i32 addrspace(1)* %pb, float addrspace(1)* %pc)
  ret void
}

declare { i32, i1 } @llvm.nvvm.shfl.sync.i32(i32, i32, i32, i32, i32)
declare { i32, i1 } @llvm.nvvm.vote.sync(i32, i32, i1)
declare { i32, i1 } @llvm.nvvm.match.all.sync.i32(i32, i32)
declare { i32, i1 } @llvm.nvvm.match.all.sync.i64(i32, i64)
declare i32 @llvm.nvvm.match.any.sync.i32(i32, i32)
declare { i32, i32, i32, i32, i32, i32, i32, i32 } @llvm.nvvm.hmma.m16n16k16.ld.a.p1i32(i32 addrspace(1)*, i32, i32)
declare { i32, i32, i32, i32, i32, i32, i32, i32 } @llvm.nvvm.hmma.m16n16k16.ld.b.p1i32(i32 addrspace(1)*, i32, i32)
declare { float, float, float, float, float, float, float, float } @llvm.nvvm.hmma.m16n16k16.ld.c.f32.p1f32(float addrspace(1)*, i32, i32)
declare { float, float, float, float, float, float, float, float } @llvm.nvvm.hmma.m16n16k16.mma.f32.f32(i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, float, float, float, float, float, float, float, float)
declare void @llvm.nvvm.hmma.m16n16k16.st.c.f32.p1float(float addrspace(1)*, i32, i32, float, float, float, float, float, float, float, float)

!nvvm.annotations = !{!0}
!0 = !{void (i32*, i32, i64, i32 addrspace(1)*, i32 addrspace(1)*, float addrspace(1)*)* @k, !"kernel", i32 1}
