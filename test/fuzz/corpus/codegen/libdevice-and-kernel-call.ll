target triple = "nvptx64-nvidia-cuda"

define ptx_kernel void @inner(ptr addrspace(1) %o, float %x) {
  %s = call float @__nv_sinf(float %x)
  store float %s, ptr addrspace(1) %o
  ret void
}

define ptx_kernel void @outer(ptr addrspace(1) %o, float %x) {
  %c = call i32 @llvm.nvvm.read.ptx.sreg.cluster.nctarank()
  %f = sitofp i32 %c to float
  %y = fadd float %x, %f
  call void @inner(ptr addrspace(1) %o, float %y)
  ret void
}

declare float @__nv_sinf(float)
declare i32 @llvm.nvvm.read.ptx.sreg.cluster.nctarank()
