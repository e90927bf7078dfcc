"""torch, Triton, numba-cuda, lcs and lcs.numba each compile and launch a
kernel in one process, interleaved, and each result is checked: LLVMs
loaded by each (Triton's, numba's llvmlite, lcs's compile worker) must not
clash."""

import numpy as np

np.row_stack = getattr(np, "row_stack", np.vstack)

import torch  # noqa: E402
import triton  # noqa: E402
import triton.language as tl  # noqa: E402
from numba import cuda  # noqa: E402

import lcs  # noqa: E402
import lcs.numba  # noqa: E402

N = 4096
x = torch.arange(N, device="cuda", dtype=torch.float32)

# torch (its own kernels; JIT through torch.compile is not needed here)
y = x * 2 + 1
assert torch.equal(y, torch.arange(N, device="cuda", dtype=torch.float32) * 2 + 1)


@triton.jit
def triton_add(a, b, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    tl.store(b + offs, tl.load(a + offs, mask=m) + 1, mask=m)


t = torch.empty_like(x)
triton_add[(N // 256,)](x, t, N, BLOCK=256)
torch.cuda.synchronize()
assert torch.equal(t, x + 1)


def plus_two(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = a[i] + 2


xa = cuda.as_cuda_array(x)
o1 = cuda.device_array(N, np.float32)
cuda.jit(plus_two)[N // 256, 256](xa, o1)

rt = lcs.Runtime(cache_dir="")
ir = b'''target triple = "nvptx64-nvidia-cuda"
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
define ptx_kernel void @plus3(ptr addrspace(1) %a, ptr addrspace(1) %o) {
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %c = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %m = mul i32 %c, %b
  %i = add i32 %m, %t
  %pa = getelementptr float, ptr addrspace(1) %a, i32 %i
  %v = load float, ptr addrspace(1) %pa
  %w = fadd float %v, 3.0
  %po = getelementptr float, ptr addrspace(1) %o, i32 %i
  store float %w, ptr addrspace(1) %po
  ret void
}
'''
o2 = torch.empty_like(x)
rt.program(ir).kernel("plus3")[N // 256, 256](x, o2)

o3 = cuda.device_array(N, np.float32)
lcs.numba.jit(plus_two)[N // 256, 256](xa, o3)

# Triton again after lcs and numba have compiled.
t2 = torch.empty_like(x)
triton_add[(N // 128,)](x, t2, N, BLOCK=128)
cuda.synchronize()
torch.cuda.synchronize()
host = np.arange(N, dtype=np.float32)
assert np.array_equal(o1.copy_to_host(), host + 2)
assert torch.equal(o2, x + 3)
assert np.array_equal(o3.copy_to_host(), host + 2)
assert torch.equal(t2, x + 1)
print("torch triton numba lcs lcs.numba: ok")
