; Warp-level operations in libNVVM's LLVM-7 dialect (typed pointers,
; !nvvm.annotations), as numba-cuda emits them. Run by GpuKernelTest.cpp,
; which checks every result against the NVVM IR specification's semantics.
target triple = "nvptx64-nvidia-cuda"

; out[row * 32 + lane]; one warp.
define void @warp_ops(i32* %out) {
entry:
  %lane = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %v = mul i32 %lane, 10
  %idx = call { i32, i1 } @llvm.nvvm.shfl.sync.i32(i32 -1, i32 0, i32 %v, i32 3, i32 31)
  %idx.v = extractvalue { i32, i1 } %idx, 0
  %idx.p = extractvalue { i32, i1 } %idx, 1
  %idx.pz = zext i1 %idx.p to i32
  %i0 = add i32 %lane, 0
  %p0 = getelementptr i32, i32* %out, i32 %i0
  store i32 %idx.v, i32* %p0
  %up = call { i32, i1 } @llvm.nvvm.shfl.sync.i32(i32 -1, i32 1, i32 %v, i32 1, i32 0)
  %up.v = extractvalue { i32, i1 } %up, 0
  %up.p = extractvalue { i32, i1 } %up, 1
  %up.pz = zext i1 %up.p to i32
  %i1 = add i32 %lane, 32
  %p1 = getelementptr i32, i32* %out, i32 %i1
  store i32 %up.v, i32* %p1
  %i2 = add i32 %lane, 64
  %p2 = getelementptr i32, i32* %out, i32 %i2
  store i32 %up.pz, i32* %p2
  %down = call { i32, i1 } @llvm.nvvm.shfl.sync.i32(i32 -1, i32 2, i32 %v, i32 2, i32 31)
  %down.v = extractvalue { i32, i1 } %down, 0
  %down.p = extractvalue { i32, i1 } %down, 1
  %down.pz = zext i1 %down.p to i32
  %i3 = add i32 %lane, 96
  %p3 = getelementptr i32, i32* %out, i32 %i3
  store i32 %down.v, i32* %p3
  %i4 = add i32 %lane, 128
  %p4 = getelementptr i32, i32* %out, i32 %i4
  store i32 %down.pz, i32* %p4
  %bfly = call { i32, i1 } @llvm.nvvm.shfl.sync.i32(i32 -1, i32 3, i32 %v, i32 4, i32 31)
  %bfly.v = extractvalue { i32, i1 } %bfly, 0
  %bfly.p = extractvalue { i32, i1 } %bfly, 1
  %bfly.pz = zext i1 %bfly.p to i32
  %i5 = add i32 %lane, 160
  %p5 = getelementptr i32, i32* %out, i32 %i5
  store i32 %bfly.v, i32* %p5
  %all.c = icmp ult i32 %lane, 32
  %all = call { i32, i1 } @llvm.nvvm.vote.sync(i32 -1, i32 0, i1 %all.c)
  %all.e = extractvalue { i32, i1 } %all, 1
  %all.r = zext i1 %all.e to i32
  %i6 = add i32 %lane, 192
  %p6 = getelementptr i32, i32* %out, i32 %i6
  store i32 %all.r, i32* %p6
  %any.c = icmp eq i32 %lane, 5
  %any = call { i32, i1 } @llvm.nvvm.vote.sync(i32 -1, i32 1, i1 %any.c)
  %any.e = extractvalue { i32, i1 } %any, 1
  %any.r = zext i1 %any.e to i32
  %i7 = add i32 %lane, 224
  %p7 = getelementptr i32, i32* %out, i32 %i7
  store i32 %any.r, i32* %p7
  %uni.c = icmp ult i32 %lane, 16
  %uni = call { i32, i1 } @llvm.nvvm.vote.sync(i32 -1, i32 2, i1 %uni.c)
  %uni.e = extractvalue { i32, i1 } %uni, 1
  %uni.r = zext i1 %uni.e to i32
  %i8 = add i32 %lane, 256
  %p8 = getelementptr i32, i32* %out, i32 %i8
  store i32 %uni.r, i32* %p8
  %odd = and i32 %lane, 1
  %ballot.c = icmp ne i32 %odd, 0
  %ballot = call { i32, i1 } @llvm.nvvm.vote.sync(i32 -1, i32 3, i1 %ballot.c)
  %ballot.r = extractvalue { i32, i1 } %ballot, 0
  %i9 = add i32 %lane, 288
  %p9 = getelementptr i32, i32* %out, i32 %i9
  store i32 %ballot.r, i32* %p9
  %m1 = call { i32, i1 } @llvm.nvvm.match.all.sync.i32(i32 -1, i32 7)
  %m1.m = extractvalue { i32, i1 } %m1, 0
  %m1.p = extractvalue { i32, i1 } %m1, 1
  %m1.pz = zext i1 %m1.p to i32
  %i10 = add i32 %lane, 320
  %p10 = getelementptr i32, i32* %out, i32 %i10
  store i32 %m1.m, i32* %p10
  %i11 = add i32 %lane, 352
  %p11 = getelementptr i32, i32* %out, i32 %i11
  store i32 %m1.pz, i32* %p11
  %m2 = call { i32, i1 } @llvm.nvvm.match.all.sync.i32(i32 -1, i32 %lane)
  %m2.m = extractvalue { i32, i1 } %m2, 0
  %i12 = add i32 %lane, 384
  %p12 = getelementptr i32, i32* %out, i32 %i12
  store i32 %m2.m, i32* %p12
  %lo = icmp ult i32 %lane, 16
  br i1 %lo, label %low, label %done
low:
  ; Only the lanes in the member mask execute the match.
  %l64 = zext i32 %lane to i64
  %half = lshr i64 %l64, 4
  %m3 = call { i32, i1 } @llvm.nvvm.match.all.sync.i64(i32 65535, i64 %half)
  %m3.m = extractvalue { i32, i1 } %m3, 0
  %i13 = add i32 %lane, 416
  %p13 = getelementptr i32, i32* %out, i32 %i13
  store i32 %m3.m, i32* %p13
  br label %done
done:
  ret void
}

; D = A * B + C for one 16x16x16 tile: A row-major fp16, B column-major
; fp16, C and D row-major f32 (rowcol 1: A row, B col).
define void @mma(i32 addrspace(1)* %a, i32 addrspace(1)* %b, float addrspace(1)* %c, float addrspace(1)* %d) {
  %fa = call { i32, i32, i32, i32, i32, i32, i32, i32 } @llvm.nvvm.hmma.m16n16k16.ld.a.p1i32(i32 addrspace(1)* %a, i32 16, i32 0)
  %fb = call { i32, i32, i32, i32, i32, i32, i32, i32 } @llvm.nvvm.hmma.m16n16k16.ld.b.p1i32(i32 addrspace(1)* %b, i32 16, i32 1)
  %fc = call { float, float, float, float, float, float, float, float } @llvm.nvvm.hmma.m16n16k16.ld.c.f32.p1f32(float addrspace(1)* %c, i32 16, i32 0)
  %a0 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fa, 0
  %a1 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fa, 1
  %a2 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fa, 2
  %a3 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fa, 3
  %a4 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fa, 4
  %a5 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fa, 5
  %a6 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fa, 6
  %a7 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fa, 7
  %b0 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fb, 0
  %b1 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fb, 1
  %b2 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fb, 2
  %b3 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fb, 3
  %b4 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fb, 4
  %b5 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fb, 5
  %b6 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fb, 6
  %b7 = extractvalue { i32, i32, i32, i32, i32, i32, i32, i32 } %fb, 7
  %c0 = extractvalue { float, float, float, float, float, float, float, float } %fc, 0
  %c1 = extractvalue { float, float, float, float, float, float, float, float } %fc, 1
  %c2 = extractvalue { float, float, float, float, float, float, float, float } %fc, 2
  %c3 = extractvalue { float, float, float, float, float, float, float, float } %fc, 3
  %c4 = extractvalue { float, float, float, float, float, float, float, float } %fc, 4
  %c5 = extractvalue { float, float, float, float, float, float, float, float } %fc, 5
  %c6 = extractvalue { float, float, float, float, float, float, float, float } %fc, 6
  %c7 = extractvalue { float, float, float, float, float, float, float, float } %fc, 7
  %fd = call { float, float, float, float, float, float, float, float } @llvm.nvvm.hmma.m16n16k16.mma.f32.f32(i32 1, i32 0, i32 %a0, i32 %a1, i32 %a2, i32 %a3, i32 %a4, i32 %a5, i32 %a6, i32 %a7, i32 %b0, i32 %b1, i32 %b2, i32 %b3, i32 %b4, i32 %b5, i32 %b6, i32 %b7, float %c0, float %c1, float %c2, float %c3, float %c4, float %c5, float %c6, float %c7)
  %d0 = extractvalue { float, float, float, float, float, float, float, float } %fd, 0
  %d1 = extractvalue { float, float, float, float, float, float, float, float } %fd, 1
  %d2 = extractvalue { float, float, float, float, float, float, float, float } %fd, 2
  %d3 = extractvalue { float, float, float, float, float, float, float, float } %fd, 3
  %d4 = extractvalue { float, float, float, float, float, float, float, float } %fd, 4
  %d5 = extractvalue { float, float, float, float, float, float, float, float } %fd, 5
  %d6 = extractvalue { float, float, float, float, float, float, float, float } %fd, 6
  %d7 = extractvalue { float, float, float, float, float, float, float, float } %fd, 7
  call void @llvm.nvvm.hmma.m16n16k16.st.c.f32.p1float(float addrspace(1)* %d, i32 16, i32 0, float %d0, float %d1, float %d2, float %d3, float %d4, float %d5, float %d6, float %d7)
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare { i32, i1 } @llvm.nvvm.shfl.sync.i32(i32, i32, i32, i32, i32)
declare { i32, i1 } @llvm.nvvm.vote.sync(i32, i32, i1)
declare { i32, i1 } @llvm.nvvm.match.all.sync.i32(i32, i32)
declare { i32, i1 } @llvm.nvvm.match.all.sync.i64(i32, i64)
declare { i32, i32, i32, i32, i32, i32, i32, i32 } @llvm.nvvm.hmma.m16n16k16.ld.a.p1i32(i32 addrspace(1)*, i32, i32)
declare { i32, i32, i32, i32, i32, i32, i32, i32 } @llvm.nvvm.hmma.m16n16k16.ld.b.p1i32(i32 addrspace(1)*, i32, i32)
declare { float, float, float, float, float, float, float, float } @llvm.nvvm.hmma.m16n16k16.ld.c.f32.p1f32(float addrspace(1)*, i32, i32)
declare { float, float, float, float, float, float, float, float } @llvm.nvvm.hmma.m16n16k16.mma.f32.f32(i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, float, float, float, float, float, float, float, float)
declare void @llvm.nvvm.hmma.m16n16k16.st.c.f32.p1float(float addrspace(1)*, i32, i32, float, float, float, float, float, float, float, float)

!nvvm.annotations = !{!0, !1}
!0 = !{void (i32*)* @warp_ops, !"kernel", i32 1}
!1 = !{void (i32 addrspace(1)*, i32 addrspace(1)*, float addrspace(1)*, float addrspace(1)*)* @mma, !"kernel", i32 1}
