; ModuleID = 'LLVMDialectModule'
source_filename = "LLVMDialectModule"
target datalayout = "e-p3:32:32-p4:32:32-p5:32:32-p6:32:32-p7:32:32-i64:64-i128:128-i256:256-v16:16-v32:32-n16:32:64"

@global_smem = external addrspace(3) global [0 x i8], align 16

; Function Attrs: nounwind
define ptx_kernel void @matmul(ptr addrspace(1) %0, ptr addrspace(1) %1, ptr addrspace(1) %2, i32 %3, i32 %4, i32 %5, i32 %6, i32 %7, i32 %8, ptr addrspace(1) readnone captures(none) %9, ptr addrspace(1) readnone captures(none) %10) local_unnamed_addr #0 !dbg !4 {
  %12 = tail call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x(), !dbg !7
  %13 = tail call i32 @llvm.nvvm.read.ptx.sreg.ctaid.y(), !dbg !8
  %14 = shl i32 %12, 6, !dbg !9
  %15 = tail call i32 @llvm.nvvm.read.ptx.sreg.tid.x(), !dbg !10
  %16 = lshr i32 %15, 3, !dbg !10
  %17 = and i32 %16, 15, !dbg !10
  %18 = or disjoint i32 %17, 16, !dbg !10
  %19 = or disjoint i32 %17, 32, !dbg !10
  %20 = or disjoint i32 %17, 48, !dbg !10
  %21 = shl nuw nsw i32 %15, 3, !dbg !10
  %22 = and i32 %21, 56, !dbg !10
  %23 = or disjoint i32 %17, %14, !dbg !11
  %24 = or disjoint i32 %18, %14, !dbg !11
  %25 = or disjoint i32 %19, %14, !dbg !11
  %26 = or disjoint i32 %20, %14, !dbg !11
  %27 = shl nuw nsw i32 %13, 6, !dbg !12
  %28 = or disjoint i32 %22, %27, !dbg !13
  %29 = mul i32 %6, %23, !dbg !14
  %30 = mul i32 %6, %24, !dbg !14
  %31 = mul i32 %6, %25, !dbg !14
  %32 = mul i32 %6, %26, !dbg !14
  %33 = sext i32 %29 to i64, !dbg !15
  %34 = getelementptr half, ptr addrspace(1) %0, i64 %33, !dbg !15
  %35 = sext i32 %30 to i64, !dbg !15
  %36 = getelementptr half, ptr addrspace(1) %0, i64 %35, !dbg !15
  %37 = sext i32 %31 to i64, !dbg !15
  %38 = getelementptr half, ptr addrspace(1) %0, i64 %37, !dbg !15
  %39 = sext i32 %32 to i64, !dbg !15
  %40 = getelementptr half, ptr addrspace(1) %0, i64 %39, !dbg !15
  %41 = icmp sgt i32 %5, 0, !dbg !16
  %42 = zext nneg i32 %22 to i64, !dbg !17
  %43 = getelementptr half, ptr addrspace(1) %34, i64 %42, !dbg !17
  %44 = getelementptr half, ptr addrspace(1) %36, i64 %42, !dbg !17
  %45 = getelementptr half, ptr addrspace(1) %38, i64 %42, !dbg !17
  %46 = getelementptr half, ptr addrspace(1) %40, i64 %42, !dbg !17
  %47 = shl nuw nsw i32 %15, 4, !dbg !18
  %48 = and i32 %47, 2032, !dbg !18
  %49 = shl nuw nsw i32 %15, 1, !dbg !18
  %50 = and i32 %49, 112, !dbg !18
  %51 = xor i32 %48, %50, !dbg !18
  %52 = getelementptr inbounds nuw i8, ptr addrspace(3) @global_smem, i32 %51, !dbg !18
  %53 = select i1 %41, i32 16, i32 0, !dbg !18
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) %52, ptr addrspace(1) %43, i32 %53) #2, !dbg !18
  %54 = or disjoint i32 %51, 2048, !dbg !18
  %55 = getelementptr inbounds nuw i8, ptr addrspace(3) @global_smem, i32 %54, !dbg !18
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %55, ptr addrspace(1) %44, i32 %53) #2, !dbg !18
  %56 = or disjoint i32 %51, 4096, !dbg !18
  %57 = getelementptr inbounds nuw i8, ptr addrspace(3) @global_smem, i32 %56, !dbg !18
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %57, ptr addrspace(1) %45, i32 %53) #2, !dbg !18
  %58 = or disjoint i32 %51, 6144, !dbg !18
  %59 = getelementptr inbounds nuw i8, ptr addrspace(3) @global_smem, i32 %58, !dbg !18
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %59, ptr addrspace(1) %46, i32 %53) #2, !dbg !18
  tail call void @llvm.nvvm.cp.async.commit.group(), !dbg !18
  %60 = mul i32 %7, %17, !dbg !19
  %61 = mul i32 %7, %18, !dbg !19
  %62 = mul i32 %7, %19, !dbg !19
  %63 = mul i32 %7, %20, !dbg !19
  %64 = sext i32 %60 to i64, !dbg !20
  %65 = getelementptr half, ptr addrspace(1) %1, i64 %64, !dbg !20
  %66 = sext i32 %61 to i64, !dbg !20
  %67 = getelementptr half, ptr addrspace(1) %1, i64 %66, !dbg !20
  %68 = sext i32 %62 to i64, !dbg !20
  %69 = getelementptr half, ptr addrspace(1) %1, i64 %68, !dbg !20
  %70 = sext i32 %63 to i64, !dbg !20
  %71 = getelementptr half, ptr addrspace(1) %1, i64 %70, !dbg !20
  %72 = zext nneg i32 %28 to i64, !dbg !21
  %73 = getelementptr half, ptr addrspace(1) %65, i64 %72, !dbg !21
  %74 = getelementptr half, ptr addrspace(1) %67, i64 %72, !dbg !21
  %75 = getelementptr half, ptr addrspace(1) %69, i64 %72, !dbg !21
  %76 = getelementptr half, ptr addrspace(1) %71, i64 %72, !dbg !21
  %77 = getelementptr inbounds nuw i8, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @global_smem, i32 24576), i32 %51, !dbg !22
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) %77, ptr addrspace(1) %73, i32 %53) #2, !dbg !22
  %78 = getelementptr inbounds nuw i8, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @global_smem, i32 24576), i32 %54, !dbg !22
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %78, ptr addrspace(1) %74, i32 %53) #2, !dbg !22
  %79 = getelementptr inbounds nuw i8, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @global_smem, i32 24576), i32 %56, !dbg !22
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %79, ptr addrspace(1) %75, i32 %53) #2, !dbg !22
  %80 = getelementptr inbounds nuw i8, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @global_smem, i32 24576), i32 %58, !dbg !22
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %80, ptr addrspace(1) %76, i32 %53) #2, !dbg !22
  tail call void @llvm.nvvm.cp.async.commit.group(), !dbg !22
  %81 = icmp sgt i32 %5, 64, !dbg !16
  %82 = or disjoint i32 %22, 64, !dbg !23
  %83 = or disjoint i32 %17, 64, !dbg !23
  %84 = or disjoint i32 %17, 80, !dbg !23
  %85 = or disjoint i32 %17, 96, !dbg !23
  %86 = or i32 %16, 112, !dbg !23
  %87 = zext nneg i32 %82 to i64, !dbg !17
  %88 = getelementptr half, ptr addrspace(1) %34, i64 %87, !dbg !17
  %89 = getelementptr half, ptr addrspace(1) %36, i64 %87, !dbg !17
  %90 = getelementptr half, ptr addrspace(1) %38, i64 %87, !dbg !17
  %91 = getelementptr half, ptr addrspace(1) %40, i64 %87, !dbg !17
  tail call void @llvm.nvvm.barrier.cta.sync.aligned.all(i32 0), !dbg !18
  %92 = getelementptr inbounds nuw i8, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @global_smem, i32 8192), i32 %51, !dbg !18
  %93 = select i1 %81, i32 16, i32 0, !dbg !18
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) %92, ptr addrspace(1) %88, i32 %93) #2, !dbg !18
  %94 = getelementptr inbounds nuw i8, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @global_smem, i32 8192), i32 %54, !dbg !18
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %94, ptr addrspace(1) %89, i32 %93) #2, !dbg !18
  %95 = getelementptr inbounds nuw i8, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @global_smem, i32 8192), i32 %56, !dbg !18
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %95, ptr addrspace(1) %90, i32 %93) #2, !dbg !18
  %96 = getelementptr inbounds nuw i8, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @global_smem, i32 8192), i32 %58, !dbg !18
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %96, ptr addrspace(1) %91, i32 %93) #2, !dbg !18
  tail call void @llvm.nvvm.cp.async.commit.group(), !dbg !18
  %97 = mul i32 %7, %83, !dbg !19
  %98 = mul i32 %7, %84, !dbg !19
  %99 = mul i32 %7, %85, !dbg !19
  %100 = mul i32 %7, %86, !dbg !19
  %101 = sext i32 %97 to i64, !dbg !20
  %102 = getelementptr half, ptr addrspace(1) %1, i64 %101, !dbg !20
  %103 = sext i32 %98 to i64, !dbg !20
  %104 = getelementptr half, ptr addrspace(1) %1, i64 %103, !dbg !20
  %105 = sext i32 %99 to i64, !dbg !20
  %106 = getelementptr half, ptr addrspace(1) %1, i64 %105, !dbg !20
  %107 = sext i32 %100 to i64, !dbg !20
  %108 = getelementptr half, ptr addrspace(1) %1, i64 %107, !dbg !20
  %109 = getelementptr half, ptr addrspace(1) %102, i64 %72, !dbg !21
  %110 = getelementptr half, ptr addrspace(1) %104, i64 %72, !dbg !21
  %111 = getelementptr half, ptr addrspace(1) %106, i64 %72, !dbg !21
  %112 = getelementptr half, ptr addrspace(1) %108, i64 %72, !dbg !21
  %113 = getelementptr inbounds nuw i8, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @global_smem, i32 32768), i32 %51, !dbg !22
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) %113, ptr addrspace(1) %109, i32 %93) #2, !dbg !22
  %114 = getelementptr inbounds nuw i8, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @global_smem, i32 32768), i32 %54, !dbg !22
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %114, ptr addrspace(1) %110, i32 %93) #2, !dbg !22
  %115 = getelementptr inbounds nuw i8, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @global_smem, i32 32768), i32 %56, !dbg !22
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %115, ptr addrspace(1) %111, i32 %93) #2, !dbg !22
  %116 = getelementptr inbounds nuw i8, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @global_smem, i32 32768), i32 %58, !dbg !22
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %116, ptr addrspace(1) %112, i32 %93) #2, !dbg !22
  tail call void @llvm.nvvm.cp.async.commit.group(), !dbg !22
  %invariant.gep = getelementptr half, ptr addrspace(1) %1, i64 %72, !dbg !16
  br i1 %41, label %.lr.ph, label %._crit_edge, !dbg !16

.lr.ph:                                           ; preds = %11
  %117 = add nsw i32 %5, -128
  br label %118, !dbg !16

118:                                              ; preds = %.lr.ph, %118
  %119 = phi i32 [ -1, %.lr.ph ], [ %157, %118 ]
  %120 = phi i32 [ 1, %.lr.ph ], [ %344, %118 ]
  %121 = phi float [ 0.000000e+00, %.lr.ph ], [ %310, %118 ]
  %122 = phi float [ 0.000000e+00, %.lr.ph ], [ %311, %118 ]
  %123 = phi float [ 0.000000e+00, %.lr.ph ], [ %312, %118 ]
  %124 = phi float [ 0.000000e+00, %.lr.ph ], [ %313, %118 ]
  %125 = phi float [ 0.000000e+00, %.lr.ph ], [ %314, %118 ]
  %126 = phi float [ 0.000000e+00, %.lr.ph ], [ %315, %118 ]
  %127 = phi float [ 0.000000e+00, %.lr.ph ], [ %316, %118 ]
  %128 = phi float [ 0.000000e+00, %.lr.ph ], [ %317, %118 ]
  %129 = phi float [ 0.000000e+00, %.lr.ph ], [ %318, %118 ]
  %130 = phi float [ 0.000000e+00, %.lr.ph ], [ %319, %118 ]
  %131 = phi float [ 0.000000e+00, %.lr.ph ], [ %320, %118 ]
  %132 = phi float [ 0.000000e+00, %.lr.ph ], [ %321, %118 ]
  %133 = phi float [ 0.000000e+00, %.lr.ph ], [ %322, %118 ]
  %134 = phi float [ 0.000000e+00, %.lr.ph ], [ %323, %118 ]
  %135 = phi float [ 0.000000e+00, %.lr.ph ], [ %324, %118 ]
  %136 = phi float [ 0.000000e+00, %.lr.ph ], [ %325, %118 ]
  %137 = phi float [ 0.000000e+00, %.lr.ph ], [ %326, %118 ]
  %138 = phi float [ 0.000000e+00, %.lr.ph ], [ %327, %118 ]
  %139 = phi float [ 0.000000e+00, %.lr.ph ], [ %328, %118 ]
  %140 = phi float [ 0.000000e+00, %.lr.ph ], [ %329, %118 ]
  %141 = phi float [ 0.000000e+00, %.lr.ph ], [ %330, %118 ]
  %142 = phi float [ 0.000000e+00, %.lr.ph ], [ %331, %118 ]
  %143 = phi float [ 0.000000e+00, %.lr.ph ], [ %332, %118 ]
  %144 = phi float [ 0.000000e+00, %.lr.ph ], [ %333, %118 ]
  %145 = phi float [ 0.000000e+00, %.lr.ph ], [ %334, %118 ]
  %146 = phi float [ 0.000000e+00, %.lr.ph ], [ %335, %118 ]
  %147 = phi float [ 0.000000e+00, %.lr.ph ], [ %336, %118 ]
  %148 = phi float [ 0.000000e+00, %.lr.ph ], [ %337, %118 ]
  %149 = phi float [ 0.000000e+00, %.lr.ph ], [ %338, %118 ]
  %150 = phi float [ 0.000000e+00, %.lr.ph ], [ %339, %118 ]
  %151 = phi float [ 0.000000e+00, %.lr.ph ], [ %340, %118 ]
  %152 = phi float [ 0.000000e+00, %.lr.ph ], [ %341, %118 ]
  %153 = phi i32 [ 0, %.lr.ph ], [ %376, %118 ]
  %154 = icmp slt i32 %153, %117, !dbg !16
  %155 = add i32 %119, 1, !dbg !16
  %156 = icmp sgt i32 %155, 2, !dbg !16
  %157 = select i1 %156, i32 0, i32 %155, !dbg !16
  tail call void @llvm.nvvm.cp.async.wait.group(i32 2), !dbg !18
  tail call void @llvm.nvvm.barrier.cta.sync.aligned.all(i32 0), !dbg !18
  %158 = shl i32 %157, 12, !dbg !18
  %159 = getelementptr half, ptr addrspace(3) @global_smem, i32 %158, !dbg !18
  %160 = getelementptr half, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @global_smem, i32 24576), i32 %158, !dbg !22
  %161 = ptrtoint ptr addrspace(3) %159 to i32, !dbg !24
  %162 = lshr exact i32 %161, 4, !dbg !24
  %163 = and i32 %162, 16383, !dbg !24
  %164 = zext nneg i32 %163 to i64, !dbg !24
  %165 = ptrtoint ptr addrspace(3) %160 to i32, !dbg !24
  %166 = lshr exact i32 %165, 4, !dbg !24
  %167 = and i32 %166, 16383, !dbg !24
  %168 = zext nneg i32 %167 to i64, !dbg !24
  tail call void @llvm.nvvm.wgmma.fence.sync.aligned(), !dbg !24
  %169 = or disjoint i64 %164, 4611686293305294848, !dbg !24
  %170 = or disjoint i64 %168, 4611686293305294848, !dbg !24
  %171 = tail call { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } asm sideeffect "wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {$0,$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$30,$31}, $64, $65, $66, 1, 1, 0, 1;", "=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,l,l,b"(float %121, float %122, float %123, float %124, float %125, float %126, float %127, float %128, float %129, float %130, float %131, float %132, float %133, float %134, float %135, float %136, float %137, float %138, float %139, float %140, float %141, float %142, float %143, float %144, float %145, float %146, float %147, float %148, float %149, float %150, float %151, float %152, i64 %169, i64 %170, i1 true) #2, !dbg !24
  %172 = add nuw nsw i64 %164, 4611686293305294850, !dbg !24
  %173 = add nuw nsw i64 %168, 4611686293305294976, !dbg !24
  %174 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 0, !dbg !24
  %175 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 1, !dbg !24
  %176 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 2, !dbg !24
  %177 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 3, !dbg !24
  %178 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 4, !dbg !24
  %179 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 5, !dbg !24
  %180 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 6, !dbg !24
  %181 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 7, !dbg !24
  %182 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 8, !dbg !24
  %183 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 9, !dbg !24
  %184 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 10, !dbg !24
  %185 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 11, !dbg !24
  %186 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 12, !dbg !24
  %187 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 13, !dbg !24
  %188 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 14, !dbg !24
  %189 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 15, !dbg !24
  %190 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 16, !dbg !24
  %191 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 17, !dbg !24
  %192 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 18, !dbg !24
  %193 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 19, !dbg !24
  %194 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 20, !dbg !24
  %195 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 21, !dbg !24
  %196 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 22, !dbg !24
  %197 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 23, !dbg !24
  %198 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 24, !dbg !24
  %199 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 25, !dbg !24
  %200 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 26, !dbg !24
  %201 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 27, !dbg !24
  %202 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 28, !dbg !24
  %203 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 29, !dbg !24
  %204 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 30, !dbg !24
  %205 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %171, 31, !dbg !24
  %206 = tail call { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } asm sideeffect "wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {$0,$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$30,$31}, $64, $65, $66, 1, 1, 0, 1;", "=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,l,l,b"(float %174, float %175, float %176, float %177, float %178, float %179, float %180, float %181, float %182, float %183, float %184, float %185, float %186, float %187, float %188, float %189, float %190, float %191, float %192, float %193, float %194, float %195, float %196, float %197, float %198, float %199, float %200, float %201, float %202, float %203, float %204, float %205, i64 %172, i64 %173, i1 true) #2, !dbg !24
  %207 = add nuw nsw i64 %164, 4611686293305294852, !dbg !24
  %208 = add nuw nsw i64 %168, 4611686293305295104, !dbg !24
  %209 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 0, !dbg !24
  %210 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 1, !dbg !24
  %211 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 2, !dbg !24
  %212 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 3, !dbg !24
  %213 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 4, !dbg !24
  %214 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 5, !dbg !24
  %215 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 6, !dbg !24
  %216 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 7, !dbg !24
  %217 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 8, !dbg !24
  %218 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 9, !dbg !24
  %219 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 10, !dbg !24
  %220 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 11, !dbg !24
  %221 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 12, !dbg !24
  %222 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 13, !dbg !24
  %223 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 14, !dbg !24
  %224 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 15, !dbg !24
  %225 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 16, !dbg !24
  %226 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 17, !dbg !24
  %227 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 18, !dbg !24
  %228 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 19, !dbg !24
  %229 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 20, !dbg !24
  %230 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 21, !dbg !24
  %231 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 22, !dbg !24
  %232 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 23, !dbg !24
  %233 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 24, !dbg !24
  %234 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 25, !dbg !24
  %235 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 26, !dbg !24
  %236 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 27, !dbg !24
  %237 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 28, !dbg !24
  %238 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 29, !dbg !24
  %239 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 30, !dbg !24
  %240 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %206, 31, !dbg !24
  %241 = tail call { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } asm sideeffect "wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {$0,$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$30,$31}, $64, $65, $66, 1, 1, 0, 1;", "=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,l,l,b"(float %209, float %210, float %211, float %212, float %213, float %214, float %215, float %216, float %217, float %218, float %219, float %220, float %221, float %222, float %223, float %224, float %225, float %226, float %227, float %228, float %229, float %230, float %231, float %232, float %233, float %234, float %235, float %236, float %237, float %238, float %239, float %240, i64 %207, i64 %208, i1 true) #2, !dbg !24
  %242 = add nuw nsw i64 %164, 4611686293305294854, !dbg !24
  %243 = add nuw nsw i64 %168, 4611686293305295232, !dbg !24
  %244 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 0, !dbg !24
  %245 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 1, !dbg !24
  %246 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 2, !dbg !24
  %247 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 3, !dbg !24
  %248 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 4, !dbg !24
  %249 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 5, !dbg !24
  %250 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 6, !dbg !24
  %251 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 7, !dbg !24
  %252 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 8, !dbg !24
  %253 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 9, !dbg !24
  %254 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 10, !dbg !24
  %255 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 11, !dbg !24
  %256 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 12, !dbg !24
  %257 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 13, !dbg !24
  %258 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 14, !dbg !24
  %259 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 15, !dbg !24
  %260 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 16, !dbg !24
  %261 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 17, !dbg !24
  %262 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 18, !dbg !24
  %263 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 19, !dbg !24
  %264 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 20, !dbg !24
  %265 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 21, !dbg !24
  %266 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 22, !dbg !24
  %267 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 23, !dbg !24
  %268 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 24, !dbg !24
  %269 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 25, !dbg !24
  %270 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 26, !dbg !24
  %271 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 27, !dbg !24
  %272 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 28, !dbg !24
  %273 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 29, !dbg !24
  %274 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 30, !dbg !24
  %275 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %241, 31, !dbg !24
  %276 = tail call { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } asm sideeffect "wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {$0,$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$30,$31}, $64, $65, $66, 1, 1, 0, 1;", "=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,l,l,b"(float %244, float %245, float %246, float %247, float %248, float %249, float %250, float %251, float %252, float %253, float %254, float %255, float %256, float %257, float %258, float %259, float %260, float %261, float %262, float %263, float %264, float %265, float %266, float %267, float %268, float %269, float %270, float %271, float %272, float %273, float %274, float %275, i64 %242, i64 %243, i1 true) #2, !dbg !24
  %277 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 0, !dbg !24
  %278 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 1, !dbg !24
  %279 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 2, !dbg !24
  %280 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 3, !dbg !24
  %281 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 4, !dbg !24
  %282 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 5, !dbg !24
  %283 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 6, !dbg !24
  %284 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 7, !dbg !24
  %285 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 8, !dbg !24
  %286 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 9, !dbg !24
  %287 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 10, !dbg !24
  %288 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 11, !dbg !24
  %289 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 12, !dbg !24
  %290 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 13, !dbg !24
  %291 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 14, !dbg !24
  %292 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 15, !dbg !24
  %293 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 16, !dbg !24
  %294 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 17, !dbg !24
  %295 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 18, !dbg !24
  %296 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 19, !dbg !24
  %297 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 20, !dbg !24
  %298 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 21, !dbg !24
  %299 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 22, !dbg !24
  %300 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 23, !dbg !24
  %301 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 24, !dbg !24
  %302 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 25, !dbg !24
  %303 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 26, !dbg !24
  %304 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 27, !dbg !24
  %305 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 28, !dbg !24
  %306 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 29, !dbg !24
  %307 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 30, !dbg !24
  %308 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %276, 31, !dbg !24
  tail call void @llvm.nvvm.wgmma.commit_group.sync.aligned(), !dbg !24
  %309 = tail call { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } asm sideeffect "// wait for regs: $0,$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$30,$31,$32,$33,$34,$35,$36,$37\0A\09wgmma.wait_group.sync.aligned 1;", "=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=l,=r,=r,=l,=r,=r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37"(float %277, float %278, float %279, float %280, float %281, float %282, float %283, float %284, float %285, float %286, float %287, float %288, float %289, float %290, float %291, float %292, float %293, float %294, float %295, float %296, float %297, float %298, float %299, float %300, float %301, float %302, float %303, float %304, float %305, float %306, float %307, float %308, ptr addrspace(3) %159, i32 0, i32 0, ptr addrspace(3) %160, i32 0, i32 0) #2, !dbg !24
  %310 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 0, !dbg !24
  %311 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 1, !dbg !24
  %312 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 2, !dbg !24
  %313 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 3, !dbg !24
  %314 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 4, !dbg !24
  %315 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 5, !dbg !24
  %316 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 6, !dbg !24
  %317 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 7, !dbg !24
  %318 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 8, !dbg !24
  %319 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 9, !dbg !24
  %320 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 10, !dbg !24
  %321 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 11, !dbg !24
  %322 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 12, !dbg !24
  %323 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 13, !dbg !24
  %324 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 14, !dbg !24
  %325 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 15, !dbg !24
  %326 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 16, !dbg !24
  %327 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 17, !dbg !24
  %328 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 18, !dbg !24
  %329 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 19, !dbg !24
  %330 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 20, !dbg !24
  %331 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 21, !dbg !24
  %332 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 22, !dbg !24
  %333 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 23, !dbg !24
  %334 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 24, !dbg !24
  %335 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 25, !dbg !24
  %336 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 26, !dbg !24
  %337 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 27, !dbg !24
  %338 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 28, !dbg !24
  %339 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 29, !dbg !24
  %340 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 30, !dbg !24
  %341 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, ptr addrspace(3), i32, i32, ptr addrspace(3), i32, i32 } %309, 31, !dbg !24
  %342 = add i32 %120, 1, !dbg !16
  %343 = icmp sgt i32 %342, 2, !dbg !16
  %344 = select i1 %343, i32 0, i32 %342, !dbg !16
  %345 = add i32 %153, 128, !dbg !16
  %346 = or disjoint i32 %345, %22, !dbg !23
  %347 = or disjoint i32 %345, %17, !dbg !23
  %348 = or disjoint i32 %345, %18, !dbg !23
  %349 = or disjoint i32 %345, %19, !dbg !23
  %350 = or disjoint i32 %345, %20, !dbg !23
  %351 = sext i32 %346 to i64, !dbg !17
  %352 = getelementptr half, ptr addrspace(1) %34, i64 %351, !dbg !17
  %353 = getelementptr half, ptr addrspace(1) %36, i64 %351, !dbg !17
  %354 = getelementptr half, ptr addrspace(1) %38, i64 %351, !dbg !17
  %355 = getelementptr half, ptr addrspace(1) %40, i64 %351, !dbg !17
  %356 = shl i32 %344, 12, !dbg !18
  %357 = getelementptr half, ptr addrspace(3) @global_smem, i32 %356, !dbg !18
  tail call void @llvm.nvvm.barrier.cta.sync.aligned.all(i32 0), !dbg !18
  %358 = getelementptr inbounds nuw i8, ptr addrspace(3) %357, i32 %51, !dbg !18
  %359 = select i1 %154, i32 16, i32 0, !dbg !18
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) %358, ptr addrspace(1) %352, i32 %359) #2, !dbg !18
  %360 = getelementptr inbounds nuw i8, ptr addrspace(3) %357, i32 %54, !dbg !18
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %360, ptr addrspace(1) %353, i32 %359) #2, !dbg !18
  %361 = getelementptr inbounds nuw i8, ptr addrspace(3) %357, i32 %56, !dbg !18
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %361, ptr addrspace(1) %354, i32 %359) #2, !dbg !18
  %362 = getelementptr inbounds nuw i8, ptr addrspace(3) %357, i32 %58, !dbg !18
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %362, ptr addrspace(1) %355, i32 %359) #2, !dbg !18
  tail call void @llvm.nvvm.cp.async.commit.group(), !dbg !18
  %363 = mul i32 %347, %7, !dbg !19
  %364 = mul i32 %348, %7, !dbg !19
  %365 = mul i32 %349, %7, !dbg !19
  %366 = mul i32 %350, %7, !dbg !19
  %367 = sext i32 %363 to i64, !dbg !20
  %368 = sext i32 %364 to i64, !dbg !20
  %369 = sext i32 %365 to i64, !dbg !20
  %370 = sext i32 %366 to i64, !dbg !20
  %gep = getelementptr half, ptr addrspace(1) %invariant.gep, i64 %367, !dbg !21
  %gep3 = getelementptr half, ptr addrspace(1) %invariant.gep, i64 %368, !dbg !21
  %gep5 = getelementptr half, ptr addrspace(1) %invariant.gep, i64 %369, !dbg !21
  %gep7 = getelementptr half, ptr addrspace(1) %invariant.gep, i64 %370, !dbg !21
  %371 = getelementptr half, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @global_smem, i32 24576), i32 %356, !dbg !22
  %372 = getelementptr inbounds nuw i8, ptr addrspace(3) %371, i32 %51, !dbg !22
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) %372, ptr addrspace(1) %gep, i32 %359) #2, !dbg !22
  %373 = getelementptr inbounds nuw i8, ptr addrspace(3) %371, i32 %54, !dbg !22
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %373, ptr addrspace(1) %gep3, i32 %359) #2, !dbg !22
  %374 = getelementptr inbounds nuw i8, ptr addrspace(3) %371, i32 %56, !dbg !22
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %374, ptr addrspace(1) %gep5, i32 %359) #2, !dbg !22
  %375 = getelementptr inbounds nuw i8, ptr addrspace(3) %371, i32 %58, !dbg !22
  tail call void asm sideeffect "cp.async.cg.shared.global [ $0 + 0 ], [ $1 + 0 ], 0x10, $2;", "r,l,r"(ptr addrspace(3) nonnull %375, ptr addrspace(1) %gep7, i32 %359) #2, !dbg !22
  tail call void @llvm.nvvm.cp.async.commit.group(), !dbg !22
  %376 = add i32 %153, 64, !dbg !16
  %377 = icmp slt i32 %376, %5, !dbg !16
  br i1 %377, label %118, label %._crit_edge, !dbg !16

._crit_edge:                                      ; preds = %118, %11
  %378 = phi float [ 0.000000e+00, %11 ], [ %310, %118 ]
  %379 = phi float [ 0.000000e+00, %11 ], [ %311, %118 ]
  %380 = phi float [ 0.000000e+00, %11 ], [ %312, %118 ]
  %381 = phi float [ 0.000000e+00, %11 ], [ %313, %118 ]
  %382 = phi float [ 0.000000e+00, %11 ], [ %314, %118 ]
  %383 = phi float [ 0.000000e+00, %11 ], [ %315, %118 ]
  %384 = phi float [ 0.000000e+00, %11 ], [ %316, %118 ]
  %385 = phi float [ 0.000000e+00, %11 ], [ %317, %118 ]
  %386 = phi float [ 0.000000e+00, %11 ], [ %318, %118 ]
  %387 = phi float [ 0.000000e+00, %11 ], [ %319, %118 ]
  %388 = phi float [ 0.000000e+00, %11 ], [ %320, %118 ]
  %389 = phi float [ 0.000000e+00, %11 ], [ %321, %118 ]
  %390 = phi float [ 0.000000e+00, %11 ], [ %322, %118 ]
  %391 = phi float [ 0.000000e+00, %11 ], [ %323, %118 ]
  %392 = phi float [ 0.000000e+00, %11 ], [ %324, %118 ]
  %393 = phi float [ 0.000000e+00, %11 ], [ %325, %118 ]
  %394 = phi float [ 0.000000e+00, %11 ], [ %326, %118 ]
  %395 = phi float [ 0.000000e+00, %11 ], [ %327, %118 ]
  %396 = phi float [ 0.000000e+00, %11 ], [ %328, %118 ]
  %397 = phi float [ 0.000000e+00, %11 ], [ %329, %118 ]
  %398 = phi float [ 0.000000e+00, %11 ], [ %330, %118 ]
  %399 = phi float [ 0.000000e+00, %11 ], [ %331, %118 ]
  %400 = phi float [ 0.000000e+00, %11 ], [ %332, %118 ]
  %401 = phi float [ 0.000000e+00, %11 ], [ %333, %118 ]
  %402 = phi float [ 0.000000e+00, %11 ], [ %334, %118 ]
  %403 = phi float [ 0.000000e+00, %11 ], [ %335, %118 ]
  %404 = phi float [ 0.000000e+00, %11 ], [ %336, %118 ]
  %405 = phi float [ 0.000000e+00, %11 ], [ %337, %118 ]
  %406 = phi float [ 0.000000e+00, %11 ], [ %338, %118 ]
  %407 = phi float [ 0.000000e+00, %11 ], [ %339, %118 ]
  %408 = phi float [ 0.000000e+00, %11 ], [ %340, %118 ]
  %409 = phi float [ 0.000000e+00, %11 ], [ %341, %118 ]
  %410 = tail call { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } asm sideeffect "// wait for regs: $0,$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$30,$31\0A\09wgmma.wait_group.sync.aligned 0;", "=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,=f,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"(float %378, float %379, float %380, float %381, float %382, float %383, float %384, float %385, float %386, float %387, float %388, float %389, float %390, float %391, float %392, float %393, float %394, float %395, float %396, float %397, float %398, float %399, float %400, float %401, float %402, float %403, float %404, float %405, float %406, float %407, float %408, float %409) #2, !dbg !16
  tail call void @llvm.nvvm.cp.async.wait.group(i32 0), !dbg !16
  tail call void @llvm.nvvm.barrier.cta.sync.aligned.all(i32 0), !dbg !16
  %411 = mul i32 %8, %23, !dbg !25
  %412 = mul i32 %8, %24, !dbg !25
  %413 = mul i32 %8, %25, !dbg !25
  %414 = mul i32 %8, %26, !dbg !25
  %415 = sext i32 %411 to i64, !dbg !26
  %416 = getelementptr half, ptr addrspace(1) %2, i64 %415, !dbg !26
  %417 = sext i32 %412 to i64, !dbg !26
  %418 = getelementptr half, ptr addrspace(1) %2, i64 %417, !dbg !26
  %419 = sext i32 %413 to i64, !dbg !26
  %420 = getelementptr half, ptr addrspace(1) %2, i64 %419, !dbg !26
  %421 = sext i32 %414 to i64, !dbg !26
  %422 = getelementptr half, ptr addrspace(1) %2, i64 %421, !dbg !26
  %423 = getelementptr half, ptr addrspace(1) %416, i64 %72, !dbg !27
  %424 = getelementptr half, ptr addrspace(1) %418, i64 %72, !dbg !27
  %425 = getelementptr half, ptr addrspace(1) %420, i64 %72, !dbg !27
  %426 = getelementptr half, ptr addrspace(1) %422, i64 %72, !dbg !27
  %427 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 0, !dbg !28
  %428 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 1, !dbg !28
  %429 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 2, !dbg !28
  %430 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 3, !dbg !28
  %431 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 4, !dbg !28
  %432 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 5, !dbg !28
  %433 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 6, !dbg !28
  %434 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 7, !dbg !28
  %435 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 8, !dbg !28
  %436 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 9, !dbg !28
  %437 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 10, !dbg !28
  %438 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 11, !dbg !28
  %439 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 12, !dbg !28
  %440 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 13, !dbg !28
  %441 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 14, !dbg !28
  %442 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 15, !dbg !28
  %443 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 16, !dbg !28
  %444 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 17, !dbg !28
  %445 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 18, !dbg !28
  %446 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 19, !dbg !28
  %447 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 20, !dbg !28
  %448 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 21, !dbg !28
  %449 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 22, !dbg !28
  %450 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 23, !dbg !28
  %451 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 24, !dbg !28
  %452 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 25, !dbg !28
  %453 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 26, !dbg !28
  %454 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 27, !dbg !28
  %455 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 28, !dbg !28
  %456 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 29, !dbg !28
  %457 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 30, !dbg !28
  %458 = extractvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %410, 31, !dbg !28
  %459 = insertelement <2 x float> poison, float %427, i64 0, !dbg !28
  %460 = insertelement <2 x float> %459, float %428, i64 1, !dbg !28
  %461 = fptrunc <2 x float> %460 to <2 x half>, !dbg !28
  %462 = insertelement <2 x float> poison, float %429, i64 0, !dbg !28
  %463 = insertelement <2 x float> %462, float %430, i64 1, !dbg !28
  %464 = fptrunc <2 x float> %463 to <2 x half>, !dbg !28
  %465 = insertelement <2 x float> poison, float %431, i64 0, !dbg !28
  %466 = insertelement <2 x float> %465, float %432, i64 1, !dbg !28
  %467 = fptrunc <2 x float> %466 to <2 x half>, !dbg !28
  %468 = insertelement <2 x float> poison, float %433, i64 0, !dbg !28
  %469 = insertelement <2 x float> %468, float %434, i64 1, !dbg !28
  %470 = fptrunc <2 x float> %469 to <2 x half>, !dbg !28
  %471 = insertelement <2 x float> poison, float %435, i64 0, !dbg !28
  %472 = insertelement <2 x float> %471, float %436, i64 1, !dbg !28
  %473 = fptrunc <2 x float> %472 to <2 x half>, !dbg !28
  %474 = insertelement <2 x float> poison, float %437, i64 0, !dbg !28
  %475 = insertelement <2 x float> %474, float %438, i64 1, !dbg !28
  %476 = fptrunc <2 x float> %475 to <2 x half>, !dbg !28
  %477 = insertelement <2 x float> poison, float %439, i64 0, !dbg !28
  %478 = insertelement <2 x float> %477, float %440, i64 1, !dbg !28
  %479 = fptrunc <2 x float> %478 to <2 x half>, !dbg !28
  %480 = insertelement <2 x float> poison, float %441, i64 0, !dbg !28
  %481 = insertelement <2 x float> %480, float %442, i64 1, !dbg !28
  %482 = fptrunc <2 x float> %481 to <2 x half>, !dbg !28
  %483 = insertelement <2 x float> poison, float %443, i64 0, !dbg !28
  %484 = insertelement <2 x float> %483, float %444, i64 1, !dbg !28
  %485 = fptrunc <2 x float> %484 to <2 x half>, !dbg !28
  %486 = insertelement <2 x float> poison, float %445, i64 0, !dbg !28
  %487 = insertelement <2 x float> %486, float %446, i64 1, !dbg !28
  %488 = fptrunc <2 x float> %487 to <2 x half>, !dbg !28
  %489 = insertelement <2 x float> poison, float %447, i64 0, !dbg !28
  %490 = insertelement <2 x float> %489, float %448, i64 1, !dbg !28
  %491 = fptrunc <2 x float> %490 to <2 x half>, !dbg !28
  %492 = insertelement <2 x float> poison, float %449, i64 0, !dbg !28
  %493 = insertelement <2 x float> %492, float %450, i64 1, !dbg !28
  %494 = fptrunc <2 x float> %493 to <2 x half>, !dbg !28
  %495 = insertelement <2 x float> poison, float %451, i64 0, !dbg !28
  %496 = insertelement <2 x float> %495, float %452, i64 1, !dbg !28
  %497 = fptrunc <2 x float> %496 to <2 x half>, !dbg !28
  %498 = insertelement <2 x float> poison, float %453, i64 0, !dbg !28
  %499 = insertelement <2 x float> %498, float %454, i64 1, !dbg !28
  %500 = fptrunc <2 x float> %499 to <2 x half>, !dbg !28
  %501 = insertelement <2 x float> poison, float %455, i64 0, !dbg !28
  %502 = insertelement <2 x float> %501, float %456, i64 1, !dbg !28
  %503 = fptrunc <2 x float> %502 to <2 x half>, !dbg !28
  %504 = insertelement <2 x float> poison, float %457, i64 0, !dbg !28
  %505 = insertelement <2 x float> %504, float %458, i64 1, !dbg !28
  %506 = fptrunc <2 x float> %505 to <2 x half>, !dbg !28
  %507 = and i32 %47, 1536, !dbg !29
  %508 = and i32 %15, 1, !dbg !29
  %509 = shl nuw nsw i32 %508, 5, !dbg !29
  %510 = and i32 %15, 2, !dbg !29
  %511 = icmp eq i32 %510, 0, !dbg !29
  %512 = select i1 %511, i32 0, i32 4160, !dbg !29
  %513 = and i32 %15, 4, !dbg !29
  %514 = icmp eq i32 %513, 0, !dbg !29
  %515 = shl nuw nsw i32 %513, 2, !dbg !29
  %516 = and i32 %15, 8, !dbg !29
  %517 = icmp eq i32 %516, 0, !dbg !29
  %518 = select i1 %517, i32 0, i32 2080, !dbg !29
  %519 = and i32 %15, 16, !dbg !29
  %520 = icmp eq i32 %519, 0, !dbg !29
  %521 = shl nuw nsw i32 %519, 3, !dbg !29
  %522 = or disjoint i32 %512, %515, !dbg !29
  %523 = or disjoint i32 %522, %521, !dbg !29
  %524 = or disjoint i32 %507, %509, !dbg !29
  %525 = xor i32 %524, %518, !dbg !29
  %526 = or disjoint i32 %523, %525, !dbg !29
  %527 = getelementptr inbounds nuw i8, ptr addrspace(3) @global_smem, i32 %526, !dbg !29
  %528 = bitcast <2 x half> %461 to i32, !dbg !29
  %529 = bitcast <2 x half> %467 to i32, !dbg !29
  %530 = bitcast <2 x half> %473 to i32, !dbg !29
  %531 = bitcast <2 x half> %479 to i32, !dbg !29
  %532 = insertelement <4 x i32> poison, i32 %528, i64 0, !dbg !29
  %533 = insertelement <4 x i32> %532, i32 %529, i64 1, !dbg !29
  %534 = insertelement <4 x i32> %533, i32 %530, i64 2, !dbg !29
  %535 = insertelement <4 x i32> %534, i32 %531, i64 3, !dbg !29
  store <4 x i32> %535, ptr addrspace(3) %527, align 16, !dbg !29
  %536 = getelementptr inbounds nuw i8, ptr addrspace(3) %527, i32 256, !dbg !29
  %537 = bitcast <2 x half> %464 to i32, !dbg !29
  %538 = bitcast <2 x half> %470 to i32, !dbg !29
  %539 = bitcast <2 x half> %476 to i32, !dbg !29
  %540 = bitcast <2 x half> %482 to i32, !dbg !29
  %541 = insertelement <4 x i32> poison, i32 %537, i64 0, !dbg !29
  %542 = insertelement <4 x i32> %541, i32 %538, i64 1, !dbg !29
  %543 = insertelement <4 x i32> %542, i32 %539, i64 2, !dbg !29
  %544 = insertelement <4 x i32> %543, i32 %540, i64 3, !dbg !29
  store <4 x i32> %544, ptr addrspace(3) %536, align 16, !dbg !29
  %545 = xor i32 %526, 64, !dbg !29
  %546 = getelementptr inbounds nuw i8, ptr addrspace(3) @global_smem, i32 %545, !dbg !29
  %547 = bitcast <2 x half> %485 to i32, !dbg !29
  %548 = bitcast <2 x half> %491 to i32, !dbg !29
  %549 = bitcast <2 x half> %497 to i32, !dbg !29
  %550 = bitcast <2 x half> %503 to i32, !dbg !29
  %551 = insertelement <4 x i32> poison, i32 %547, i64 0, !dbg !29
  %552 = insertelement <4 x i32> %551, i32 %548, i64 1, !dbg !29
  %553 = insertelement <4 x i32> %552, i32 %549, i64 2, !dbg !29
  %554 = insertelement <4 x i32> %553, i32 %550, i64 3, !dbg !29
  store <4 x i32> %554, ptr addrspace(3) %546, align 16, !dbg !29
  %555 = getelementptr inbounds nuw i8, ptr addrspace(3) %546, i32 256, !dbg !29
  %556 = bitcast <2 x half> %488 to i32, !dbg !29
  %557 = bitcast <2 x half> %494 to i32, !dbg !29
  %558 = bitcast <2 x half> %500 to i32, !dbg !29
  %559 = bitcast <2 x half> %506 to i32, !dbg !29
  %560 = insertelement <4 x i32> poison, i32 %556, i64 0, !dbg !29
  %561 = insertelement <4 x i32> %560, i32 %557, i64 1, !dbg !29
  %562 = insertelement <4 x i32> %561, i32 %558, i64 2, !dbg !29
  %563 = insertelement <4 x i32> %562, i32 %559, i64 3, !dbg !29
  store <4 x i32> %563, ptr addrspace(3) %555, align 16, !dbg !29
  tail call void @llvm.nvvm.barrier.cta.sync.aligned.all(i32 0), !dbg !29
  %564 = shl nuw nsw i32 %15, 2, !dbg !29
  %565 = and i32 %564, 416, !dbg !29
  %566 = shl nuw nsw i32 %508, 6, !dbg !29
  %567 = shl nuw nsw i32 %510, 3, !dbg !29
  %568 = select i1 %514, i32 0, i32 2080, !dbg !29
  %569 = select i1 %520, i32 0, i32 4160, !dbg !29
  %570 = or disjoint i32 %565, %566, !dbg !29
  %571 = or disjoint i32 %568, %569, !dbg !29
  %572 = xor i32 %571, %570, !dbg !29
  %573 = getelementptr inbounds nuw i8, ptr addrspace(3) @global_smem, i32 %567, !dbg !29
  %574 = getelementptr inbounds nuw i8, ptr addrspace(3) %573, i32 %572, !dbg !29
  %575 = tail call { i32, i32, i32, i32 } @llvm.nvvm.ldmatrix.sync.aligned.m8n8.x4.b16.p3(ptr addrspace(3) %574), !dbg !29
  %576 = extractvalue { i32, i32, i32, i32 } %575, 0, !dbg !29
  %577 = extractvalue { i32, i32, i32, i32 } %575, 1, !dbg !29
  %578 = extractvalue { i32, i32, i32, i32 } %575, 2, !dbg !29
  %579 = extractvalue { i32, i32, i32, i32 } %575, 3, !dbg !29
  %580 = getelementptr inbounds nuw i8, ptr addrspace(3) %574, i32 512, !dbg !29
  %581 = tail call { i32, i32, i32, i32 } @llvm.nvvm.ldmatrix.sync.aligned.m8n8.x4.b16.p3(ptr addrspace(3) nonnull %580), !dbg !29
  %582 = extractvalue { i32, i32, i32, i32 } %581, 0, !dbg !29
  %583 = extractvalue { i32, i32, i32, i32 } %581, 1, !dbg !29
  %584 = extractvalue { i32, i32, i32, i32 } %581, 2, !dbg !29
  %585 = extractvalue { i32, i32, i32, i32 } %581, 3, !dbg !29
  %586 = getelementptr inbounds nuw i8, ptr addrspace(3) %574, i32 1024, !dbg !29
  %587 = tail call { i32, i32, i32, i32 } @llvm.nvvm.ldmatrix.sync.aligned.m8n8.x4.b16.p3(ptr addrspace(3) nonnull %586), !dbg !29
  %588 = extractvalue { i32, i32, i32, i32 } %587, 0, !dbg !29
  %589 = extractvalue { i32, i32, i32, i32 } %587, 1, !dbg !29
  %590 = extractvalue { i32, i32, i32, i32 } %587, 2, !dbg !29
  %591 = extractvalue { i32, i32, i32, i32 } %587, 3, !dbg !29
  %592 = getelementptr inbounds nuw i8, ptr addrspace(3) %574, i32 1536, !dbg !29
  %593 = tail call { i32, i32, i32, i32 } @llvm.nvvm.ldmatrix.sync.aligned.m8n8.x4.b16.p3(ptr addrspace(3) nonnull %592), !dbg !29
  %594 = extractvalue { i32, i32, i32, i32 } %593, 0, !dbg !29
  %595 = extractvalue { i32, i32, i32, i32 } %593, 1, !dbg !29
  %596 = extractvalue { i32, i32, i32, i32 } %593, 2, !dbg !29
  %597 = extractvalue { i32, i32, i32, i32 } %593, 3, !dbg !29
  tail call void asm sideeffect "st.global.v4.b32 [ $4 + 0 ], { $0, $1, $2, $3 };", "r,r,r,r,l"(i32 %576, i32 %577, i32 %578, i32 %579, ptr addrspace(1) %423) #2, !dbg !29
  tail call void asm sideeffect "st.global.v4.b32 [ $4 + 0 ], { $0, $1, $2, $3 };", "r,r,r,r,l"(i32 %582, i32 %583, i32 %584, i32 %585, ptr addrspace(1) %424) #2, !dbg !29
  tail call void asm sideeffect "st.global.v4.b32 [ $4 + 0 ], { $0, $1, $2, $3 };", "r,r,r,r,l"(i32 %588, i32 %589, i32 %590, i32 %591, ptr addrspace(1) %425) #2, !dbg !29
  tail call void asm sideeffect "st.global.v4.b32 [ $4 + 0 ], { $0, $1, $2, $3 };", "r,r,r,r,l"(i32 %594, i32 %595, i32 %596, i32 %597, ptr addrspace(1) %426) #2, !dbg !29
  ret void, !dbg !30
}

; Function Attrs: mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare noundef range(i32 0, 2147483647) i32 @llvm.nvvm.read.ptx.sreg.ctaid.x() #1

; Function Attrs: mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare noundef range(i32 0, 65535) i32 @llvm.nvvm.read.ptx.sreg.ctaid.y() #1

; Function Attrs: mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare noundef range(i32 0, 1024) i32 @llvm.nvvm.read.ptx.sreg.tid.x() #1

; Function Attrs: nounwind
declare void @llvm.nvvm.cp.async.commit.group() #2

; Function Attrs: convergent nocallback nounwind
declare void @llvm.nvvm.barrier.cta.sync.aligned.all(i32) #3

; Function Attrs: nounwind
declare void @llvm.nvvm.cp.async.wait.group(i32 immarg) #2

; Function Attrs: nocallback nofree nounwind memory(argmem: read)
declare { i32, i32, i32, i32 } @llvm.nvvm.ldmatrix.sync.aligned.m8n8.x4.b16.p3(ptr addrspace(3) readonly captures(none)) #4

; Function Attrs: convergent nounwind
declare void @llvm.nvvm.wgmma.fence.sync.aligned() #5

; Function Attrs: convergent nounwind
declare void @llvm.nvvm.wgmma.commit_group.sync.aligned() #5

attributes #0 = { nounwind "nvvm.reqntid"="128" }
attributes #1 = { mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none) }
attributes #2 = { nounwind }
attributes #3 = { convergent nocallback nounwind }
attributes #4 = { nocallback nofree nounwind memory(argmem: read) }
attributes #5 = { convergent nounwind }

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2, !3}

!0 = distinct !DICompileUnit(language: DW_LANG_C, file: !1, producer: "triton", isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "triton_matmul.py", directory: ".")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!3 = !{i32 4, !"nvvm-reflect-ftz", i32 1}
!4 = distinct !DISubprogram(name: "matmul", linkageName: "matmul", scope: !1, file: !1, line: 8, type: !5, scopeLine: 8, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!5 = !DISubroutineType(cc: DW_CC_normal, types: !6)
!6 = !{}
!7 = !DILocation(line: 10, column: 23, scope: !4)
!8 = !DILocation(line: 10, column: 46, scope: !4)
!9 = !DILocation(line: 11, column: 14, scope: !4)
!10 = !DILocation(line: 11, column: 32, scope: !4)
!11 = !DILocation(line: 11, column: 19, scope: !4)
!12 = !DILocation(line: 11, column: 47, scope: !4)
!13 = !DILocation(line: 11, column: 52, scope: !4)
!14 = !DILocation(line: 15, column: 38, scope: !4)
!15 = !DILocation(line: 15, column: 24, scope: !4)
!16 = !DILocation(line: 14, column: 25, scope: !4)
!17 = !DILocation(line: 15, column: 44, scope: !4)
!18 = !DILocation(line: 15, column: 20, scope: !4)
!19 = !DILocation(line: 16, column: 44, scope: !4)
!20 = !DILocation(line: 16, column: 24, scope: !4)
!21 = !DILocation(line: 16, column: 50, scope: !4)
!22 = !DILocation(line: 16, column: 20, scope: !4)
!23 = !DILocation(line: 15, column: 49, scope: !4)
!24 = !DILocation(line: 17, column: 25, scope: !4)
!25 = !DILocation(line: 18, column: 31, scope: !4)
!26 = !DILocation(line: 18, column: 17, scope: !4)
!27 = !DILocation(line: 18, column: 37, scope: !4)
!28 = !DILocation(line: 18, column: 63, scope: !4)
!29 = !DILocation(line: 18, column: 56, scope: !4)
!30 = !DILocation(line: 18, column: 4, scope: !4)
