"""numba-cuda kernels as Python sources, written once for the tests, the
example (examples/python-numba/numba_via_lcs.py) and lcs-bench's peers.py
and coop_bench.py.

The corpus kernels are the sources of the numba-cuda IR in
test/lit/Inputs/corpus (its README.md): keep them as they are there, since
peers.py times numba-cuda's compile of them against lcs-bench's of that IR.
They are left undecorated, so that each user compiles them its own way
(``lcs.numba.jit``, ``cuda.jit``); only the device function is compiled here.
"""

import math

from numba import cuda, float32, int32, uint64


# --- the corpus kernels -------------------------------------------------------

def uses_blockdim(a):
    i = cuda.grid(1)
    if i < a.size:
        a[i] = cuda.blockDim.x


def block_reduce(a, out):
    sm = cuda.shared.array(1024, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    sm[t] = a[i] if i < a.size else 0
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 0:
        if t < s:
            sm[t] += sm[t + s]
        cuda.syncthreads()
        s //= 2
    if t == 0:
        cuda.atomic.add(out, 0, sm[0])


def grid_stride_saxpy(x, y, alpha):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        y[i] = alpha * x[i] + y[i]


def dyn_smem_scan(a):
    """Launched with 1024 bytes of dynamic shared memory: [16, 256, 0, 1024]."""
    sm = cuda.shared.array(0, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    sm[t] = a[i]
    cuda.syncthreads()
    off = 1
    while off < cuda.blockDim.x:
        v = sm[t - off] if t >= off else 0
        cuda.syncthreads()
        sm[t] += v
        cuda.syncthreads()
        off *= 2
    a[i] = sm[t]


@cuda.jit(device=True)
def helper_lanes():
    return cuda.blockDim.x * cuda.blockDim.y


def via_device_fn(a):
    i = cuda.grid(1)
    if i < a.size:
        a[i] = helper_lanes()


def softplus_blockstride(x, y):
    i = cuda.threadIdx.x
    base = cuda.blockIdx.x * 1024
    while i < 1024:
        y[base + i] = math.log1p(math.exp(x[base + i]))
        i += cuda.blockDim.x


def histogram_atomic(x, bins):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        cuda.atomic.add(bins, int32(x[i] * bins.size) % bins.size, 1)


# --- per-block sums ------------------------------------------------------------

@cuda.jit(device=True, inline="always")
def block_tree_sum(sm, t):
    """The block's sum into sm[0], for thread 0 to read after the call: each
    thread t has stored its value at sm[t], the block size is a power of two
    (at most sm's size); a shared-memory tree reduction, as in
    block_reduce (inlined by numba, so the kernel's IR is as if written
    there)."""
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 0:
        if t < s:
            sm[t] += sm[t + s]
        cuda.syncthreads()
        s //= 2


def _block_sums(term):
    """The kernel out[b] = the sum of a*term(x[i]) over the elements that
    grid-stride block b sees; term is something numba compiles (a type as a
    conversion, a math function)."""

    def block_sums(x, out, a):
        sm = cuda.shared.array(1024, float32)
        t = cuda.threadIdx.x
        acc = float32(0)
        i = cuda.grid(1)
        while i < x.size:
            acc += a * term(x[i])
            i += cuda.gridsize(1)
        sm[t] = acc
        block_tree_sum(sm, t)
        if t == 0:
            out[cuda.blockIdx.x] = sm[0]

    return block_sums


#: out[b] = the sum of a*x[i] (x is float32: the conversion changes nothing).
block_sums = _block_sums(float32)
#: out[b] = the sum of a*sin(x[i]): a libdevice call in the loop.
sin_block_sums = _block_sums(math.sin)


def atomics_mix(x, f32, f64, u64):
    """numba-cuda's CAS-loop atomics (nvvm.llvm_replace): float min/max/sub,
    nanmax, u64 inc/dec. Whole numbers: every order gives the same bits."""
    i = cuda.grid(1)
    if i < x.size:
        v = x[i]
        cuda.atomic.max(f64, 0, v)
        cuda.atomic.min(f32, 0, float32(v))
        cuda.atomic.sub(f32, 1, float32(v))
        cuda.atomic.nanmax(f64, 1, v)
        cuda.atomic.inc(u64, 0, uint64(10))
        cuda.atomic.dec(u64, 1, uint64(10))


def sqrt_div(x, y):
    """libdevice's sqrtf (correctly rounded, as libNVVM's -prec-sqrt=1) and
    IEEE division: bit for bit numba-cuda's."""
    i = cuda.grid(1)
    if i < x.size:
        y[i] = math.sqrt(x[i]) / (x[i] + float32(1.5))
