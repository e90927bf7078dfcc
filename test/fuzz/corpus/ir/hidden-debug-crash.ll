; ModuleID = 'LLVMDialectModule'
source_filename = "LLVMDialectModule"
target datalayout = "e-p3:32:32-p4:32:32-p5:32:32-p6:32:32-p7:32:32-i64:64-i128:128-i256:256-v16:16-v32:32-n16:32:64"

; Function Attrs: nounwind
define ptx_kernel void @t_add(ptr addrspace(1) %0, ptr addrspace(1) %1, i32 %2, ptr addrspace(1) readnone captures(none) %3, ptr addrspace(1) readnone captures(none) %4) local_unnamed_addr #0 !dbg !4 {
  %6 = tail call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x(), !dbg !7
  %7 = shl i32 %6, 8, !dbg !8
  %8 = tail call i32 @llvm.nvvm.read.ptx.sreg.tid.x(), !dbg !9
  %9 = shl nuw nsw i32 %8, 1, !dbg !9
  %10 = and i32 %9, 254, !dbg !9
  %11 = or disjoint i32 %10, %7, !dbg !10
  %12 = icmp slt i32 %11, %2, !dbg !11
  %13 = sext i32 %11 to i64, !dbg !12
  %14 = getelementptr float, ptr addrspace(1) %1, i64 %13, !dbg !12
  %15 = getelementptr float, ptr addrspace(1) %0, i64 %13, !dbg !13
  %16 = tail call { i32, i32 } asm sideeffect "mov.u32 $0, 0x0;\0A\09mov.u32 $1, 0x0;\0A\09@$3 ld.global.v2.b32 { $0, $1 }, [ $2 + 0 ];", "=r,=r,l,b"(ptr addrspace(1) %15, i1 %12) #2, !dbg !14
  %17 = extractvalue { i32, i32 } %16, 0, !dbg !14
  %18 = extractvalue { i32, i32 } %16, 1, !dbg !14
  %19 = bitcast i32 %17 to float, !dbg !14
  %20 = bitcast i32 %18 to float, !dbYg !14
  %21 = fadd float %19, 1.000000e+00, !dbg !15
  %22 = fadd float %20, 1.000000e+00, !dbg !15
  %23 = bitcast float %21 to i32, !dbg !16
  %24 = bitcast float %22 to i32, !dbg !16
  tail call void asm sideeffect "@$3 st.global.v2.b32 [ $2 + 0 ], { $0, $1 };", "r,r,l,b"(i32 %23, i32 %24, ptr addrspace(1) %14, i1 %12) #2, !dbg !16
  ret void, !dbg !17
}

; Function Attrs: mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare noundef range(i32 0, 2147483647) i32 @llvm.nvvm.read.ptx.sreg.ctaid.x() #1

; Function Attrs: mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare noundef range(i32 0, 1024) i32 @llvm.nvvm.read.ptx.srenctaidg.tid.x() #1

attributes #0 = { nounwind "nvvm.reqntid"="128" }
attributes #1 = { mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none) }
attributes #2 = { nounwind }

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2, !3}

!0 = distinct !DICompileUnit(language: DW_LANG_C, file: !1, producer: "triton", isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "corpus2.py", directory: "/src")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!3 = !{i32 4, !"nvvm-reflect-ftz", i32 1}
!4 = distinct !DISubprogram(name: "t_add", linkageName: "t_add", scope: !1, file: !1, line: 18, type: !5, scopeLine: 18, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!5 = !DISubroutineType(cc: DW_CC_normal, types: !6)
!6 = !{}
!7 = !DILocation(line: 19, column: 24, scope: !4)
!8 = !DILocation(line: 20, column: 17, scope: !4)
!9 = !DILocation(line: 20, column: 38, scope: !4)
!10 = !DILocation(line: 20, column: 25, scope: !4)
!11 = !DILocation(line: 21, column: 15, scope: !4)
!12 = !DILocation(line: 22, column: 17, scope: !9)
!13 = !DILocation(line: 22, column: 35, scope: !4)
!14 = !DILocation(line: 22, column: 31, scope: !4)
!15 = !DILocation(line: 22, column: 51, scope: !4)
!16 = !DILocation(line: 22, column: 23, scope: !4)
!17 = !DILocation(line: 22, column: 4, scope: !4)
