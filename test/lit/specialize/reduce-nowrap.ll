; The block reduction of tools/lcs-bench/kernels.cu as clang-22 -O1 emits it
; generic (the block size read from %ntid.x), specialised for 256 threads.
; The constant build (-DBX=256) finds `base + k` free of carries while its
; loop test still dominates the body; lcs folds after clang rotated the loop,
; and lcs-infer-nowrap gives the addition its flags back from scalar
; evolution's ranges, so the backend walks the input with a pointer
; induction variable (+1024 bytes an iteration) instead of a mul.wide and an
; add, as the constant build does: the same PTX but for .reqntid/.maxntid.
; clang -O1 marks its loops llvm.loop.unroll.disable, in both builds.
; RUN: %lcs_compile --emit=ptx --kernel=reduce --block=256 %s | FileCheck %s
; RUN: %lcs_compile --emit=ir --kernel=reduce --block=256 %s | FileCheck %s --check-prefix=IR
; An instrumented plugin cannot be loaded into the installed opt.
; RUN: %if !sanitized %{ %lcs_opt -passes=lcs-infer-nowrap -S %s | FileCheck %s --check-prefix=GENERIC %}

; CHECK-LABEL: .entry reduce(
; CHECK: .reqntid 256, 1, 1
; CHECK: $L__BB0_[[LATCH:[0-9]+]]:
; CHECK-NEXT: add.s32 {{%r[0-9]+}}, {{%r[0-9]+}}, 256;
; CHECK-NEXT: add.s64 {{%rd[0-9]+}}, {{%rd[0-9]+}}, 1024;
; CHECK: $L__BB0_1:
; CHECK-NOT: mul.wide
; CHECK: ld.global.b32
; CHECK-NEXT: add.f32
; CHECK-NEXT: bra.uni $L__BB0_[[LATCH]];

; IR: add nuw nsw i32 %{{[0-9]+}}, %{{[0-9]+}}
; IR-NEXT: icmp ult i32

; Generic, the stride unknown: the ranges prove nothing, nothing changes.
; GENERIC: %20 = add i32 %18, %8

target datalayout = "e-p6:32:32-i64:64-i128:128-i256:256-v16:16-v32:32-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

@_ZZ6reduceE7partial = internal unnamed_addr addrspace(3) global [1024 x float] undef, align 4

define dso_local ptx_kernel void @reduce(ptr noundef readonly captures(none) %0, ptr noundef writeonly captures(none) %1, i32 noundef %2) local_unnamed_addr #0 {
  %4 = tail call noundef range(i32 0, 1024) i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %5 = tail call noundef range(i32 0, 2147483647) i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %6 = tail call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %7 = shl nuw nsw i32 %6, 4
  %8 = mul i32 %7, %5
  %9 = shl nuw nsw i32 %6, 4
  %10 = icmp samesign ult i32 %4, %9
  br i1 %10, label %17, label %11

11:                                               ; preds = %27, %3
  %12 = phi float [ 0.000000e+00, %3 ], [ %28, %27 ]
  %13 = zext nneg i32 %4 to i64
  %14 = getelementptr inbounds nuw float, ptr addrspacecast (ptr addrspace(3) @_ZZ6reduceE7partial to ptr), i64 %13
  store float %12, ptr %14, align 4
  tail call void @llvm.nvvm.barrier.cta.sync.aligned.all(i32 0)
  %15 = lshr i32 %6, 1
  %16 = icmp eq i32 %15, 0
  br i1 %16, label %31, label %33

17:                                               ; preds = %3, %27
  %18 = phi i32 [ %29, %27 ], [ %4, %3 ]
  %19 = phi float [ %28, %27 ], [ 0.000000e+00, %3 ]
  %20 = add i32 %18, %8
  %21 = icmp ult i32 %20, %2
  br i1 %21, label %22, label %27

22:                                               ; preds = %17
  %23 = zext i32 %20 to i64
  %24 = getelementptr inbounds nuw float, ptr %0, i64 %23
  %25 = load float, ptr %24, align 4
  %26 = fadd contract float %19, %25
  br label %27

27:                                               ; preds = %17, %22
  %28 = phi float [ %26, %22 ], [ %19, %17 ]
  %29 = add nuw nsw i32 %18, %6
  %30 = icmp samesign ult i32 %29, %9
  br i1 %30, label %17, label %11, !llvm.loop !10

31:                                               ; preds = %43, %11
  %32 = icmp eq i32 %4, 0
  br i1 %32, label %46, label %50

33:                                               ; preds = %11, %43
  %34 = phi i32 [ %44, %43 ], [ %15, %11 ]
  %35 = icmp samesign ult i32 %4, %34
  br i1 %35, label %36, label %43

36:                                               ; preds = %33
  %37 = add nuw nsw i32 %34, %4
  %38 = zext nneg i32 %37 to i64
  %39 = getelementptr inbounds nuw float, ptr addrspacecast (ptr addrspace(3) @_ZZ6reduceE7partial to ptr), i64 %38
  %40 = load float, ptr %39, align 4
  %41 = load float, ptr %14, align 4
  %42 = fadd contract float %40, %41
  store float %42, ptr %14, align 4
  br label %43

43:                                               ; preds = %36, %33
  tail call void @llvm.nvvm.barrier.cta.sync.aligned.all(i32 0)
  %44 = lshr i32 %34, 1
  %45 = icmp eq i32 %44, 0
  br i1 %45, label %31, label %33, !llvm.loop !13

46:                                               ; preds = %31
  %47 = load float, ptr addrspacecast (ptr addrspace(3) @_ZZ6reduceE7partial to ptr), align 4
  %48 = zext nneg i32 %5 to i64
  %49 = getelementptr inbounds nuw float, ptr %1, i64 %48
  store float %47, ptr %49, align 4
  br label %50

50:                                               ; preds = %46, %31
  ret void
}

declare noundef range(i32 1, 1025) i32 @llvm.nvvm.read.ptx.sreg.ntid.x() #1
declare noundef range(i32 0, 1024) i32 @llvm.nvvm.read.ptx.sreg.tid.x() #1
declare noundef range(i32 0, 2147483647) i32 @llvm.nvvm.read.ptx.sreg.ctaid.x() #1
declare void @llvm.nvvm.barrier.cta.sync.aligned.all(i32) #2

attributes #0 = { convergent mustprogress noinline norecurse nounwind "target-cpu"="sm_90" "target-features"="+ptx88,+sm_90" }
attributes #1 = { mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none) }
attributes #2 = { convergent nocallback nounwind }

!10 = distinct !{!10, !11, !12}
!11 = !{!"llvm.loop.mustprogress"}
!12 = !{!"llvm.loop.unroll.disable"}
!13 = distinct !{!13, !11, !12}
