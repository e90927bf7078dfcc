; A kernel whose block sum comes from a link input: block_sum_128 is only
; declared here (cuda.coop's pattern: the primitive is CUB, built by NVRTC).
target triple = "nvptx64-nvidia-cuda"
target datalayout = "e-p6:32:32-i64:64-i128:128-i256:256-v16:16-v32:32-n16:32:64"

declare float @block_sum_128(float)
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()

define ptx_kernel void @block_sums(ptr addrspace(1) %in, ptr addrspace(1) %out) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %n = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %base = mul i32 %b, %n
  %i = add i32 %base, %t
  %i64 = zext i32 %i to i64
  %p = getelementptr float, ptr addrspace(1) %in, i64 %i64
  %v = load float, ptr addrspace(1) %p
  %s = call float @block_sum_128(float %v)
  %first = icmp eq i32 %t, 0
  br i1 %first, label %store, label %done
store:
  %b64 = zext i32 %b to i64
  %q = getelementptr float, ptr addrspace(1) %out, i64 %b64
  store float %s, ptr addrspace(1) %q
  br label %done
done:
  ret void
}
