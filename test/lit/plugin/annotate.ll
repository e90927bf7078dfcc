; UNSUPPORTED: sanitized
; lcs-annotate in opt: writes !lcs.kernels, replaces stale entries, is
; idempotent, and the pipeline prints back under its registered names.
; RUN: %lcs_opt -passes=lcs-annotate -S %s | FileCheck %s
; RUN: %lcs_opt -passes=lcs-annotate -S %s | %lcs_opt -passes=lcs-annotate -S | FileCheck %s
; RUN: %lcs_opt -passes='lcs-annotate,print<lcs-sensitivity>,require<lcs-sensitivity>,invalidate<lcs-sensitivity>' -print-pipeline-passes -disable-output %s | FileCheck %s --check-prefix=PIPE
; RUN: %lcs_opt -passes='lcs-annotate' -debug-pass-manager -disable-output %s 2>&1 | FileCheck %s --check-prefix=PM

target triple = "nvptx64-nvidia-cuda"

; CHECK: !lcs.kernels = !{![[A:[0-9]+]], ![[B:[0-9]+]]}
; CHECK-NOT: !lcs.kernels
; CHECK-DAG: ![[A]] = !{ptr @a, !"block.x"}
; CHECK-DAG: ![[B]] = !{ptr @b}
; CHECK-NOT: smem.dynamic

; PIPE: lcs-annotate,print<lcs-sensitivity>,require<lcs-sensitivity>,invalidate<lcs-sensitivity>
; PM: Running pass: lcs::AnnotatePass
; PM: Running analysis: lcs::LaunchSensitivityAnalysis

define ptx_kernel void @a(ptr %o) {
  %x = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  store i32 %x, ptr %o
  ret void
}

define ptx_kernel void @b(ptr %o) {
  store i32 0, ptr %o
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()

; Stale metadata from an earlier run: @b no longer depends on smem.
!lcs.kernels = !{!0}
!0 = !{ptr @b, !"smem.dynamic", !"explicit"}
