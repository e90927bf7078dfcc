target triple = "nvptx64-nvidia-cuda"

define ptx_kernel void @k(ptr addrspace(1) %o) {
  call void @llvm.nvvm.setmaxnreg.inc.sync.aligned.u32(i32 240)
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  store i32 %t, ptr addrspace(1) %o
  ret void
}

declare void @llvm.nvvm.setmaxnreg.inc.sync.aligned.u32(i32 immarg)
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
