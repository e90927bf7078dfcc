; A variant compiles what its kernel reaches. clang keeps every __device__
; function visible outside the module; without link inputs nothing outside
; can call them (the host finds kernels and global variables only), so the
; ones the kernel does not reach go and the reached ones become internal.
; __device__ and __constant__ variables stay: the host looks them up.
; RUN: %lcs_compile --emit=ptx --kernel=kernel --block=128 %s | FileCheck %s
; RUN: %lcs_compile --emit=ir --kernel=kernel --block=128 -O0 %s | FileCheck %s --check-prefix=IR
; Without --kernel every kernel stays, and so do the exported functions.
; RUN: %lcs_compile --emit=ptx %s | FileCheck %s --check-prefix=ALL

; CHECK: .visible .global .align 4 .u32 counter;
; CHECK: .visible .const .align 4 .f32 scale
; CHECK-NOT: unused_helper
; CHECK-NOT: .visible .func
; CHECK: .visible .entry kernel(
; CHECK-NOT: %ntid
; CHECK-NOT: .entry other
; CHECK-NOT: unused_helper

; IR-DAG: @counter = {{.*}}addrspace(1) externally_initialized global i32 0
; IR-DAG: @scale = {{.*}}addrspace(4) externally_initialized constant float
; IR-DAG: define internal {{.*}}float @_Z11used_helperf(
; IR-DAG: define {{.*}}ptx_kernel void @kernel(
; IR-NOT: unused_helper
; IR-NOT: @other

; ALL-DAG: .visible .func {{.*}}_Z13unused_helperf(
; ALL-DAG: .visible .func {{.*}}_Z11used_helperf(
; ALL-DAG: .visible .entry kernel(
; ALL-DAG: .visible .entry other(

target datalayout = "e-p6:32:32-i64:64-i128:128-i256:256-v16:16-v32:32-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

@counter = dso_local local_unnamed_addr addrspace(1) externally_initialized global i32 0, align 4
@scale = dso_local addrspace(4) externally_initialized constant float 2.000000e+00, align 4
@llvm.compiler.used = appending global [1 x ptr] [ptr addrspacecast (ptr addrspace(4) @scale to ptr)], section "llvm.metadata"

define dso_local noundef float @_Z11used_helperf(float noundef %0) local_unnamed_addr #0 {
  %2 = tail call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %3 = uitofp nneg i32 %2 to float
  %4 = fmul contract float %0, %3
  ret float %4
}

declare noundef range(i32 1, 1025) i32 @llvm.nvvm.read.ptx.sreg.ntid.x() #1

define dso_local noundef float @_Z13unused_helperf(float noundef %0) local_unnamed_addr #0 {
  %2 = tail call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %3 = uitofp nneg i32 %2 to float
  %4 = fadd contract float %0, %3
  ret float %4
}

define dso_local ptx_kernel void @kernel(ptr noundef writeonly captures(none) %0) local_unnamed_addr #2 {
  %2 = load float, ptr addrspacecast (ptr addrspace(4) @scale to ptr), align 4
  %3 = tail call float @_Z11used_helperf(float %2)
  %4 = tail call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %5 = zext nneg i32 %4 to i64
  %6 = getelementptr inbounds nuw float, ptr %0, i64 %5
  store float %3, ptr %6, align 4
  ret void
}

declare noundef range(i32 0, 1024) i32 @llvm.nvvm.read.ptx.sreg.tid.x() #1

define dso_local ptx_kernel void @other(ptr noundef writeonly captures(none) %0) local_unnamed_addr #2 {
  %2 = tail call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %3 = add nuw nsw i32 %2, 1
  %4 = uitofp nneg i32 %3 to float
  store float %4, ptr %0, align 4
  ret void
}

attributes #0 = { mustprogress nofree norecurse nosync nounwind willreturn memory(none) "target-cpu"="sm_90" "target-features"="+ptx88,+sm_90" }
attributes #1 = { mustprogress nocallback nofree nosync nounwind speculatable willreturn memory(none) }
attributes #2 = { mustprogress nofree noinline norecurse nosync nounwind willreturn memory(argmem: write) "target-cpu"="sm_90" "target-features"="+ptx88,+sm_90" }
