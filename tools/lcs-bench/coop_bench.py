#!/usr/bin/env python3
"""CUB across the link boundary: kernel time of a block reduction per block
size, four ways, in one run on one GPU.

- ``lcs_cub_call``: the kernel is numba-cuda's LLVM IR, compiled and
  specialised by lcs to PTX; CUB's ``BlockReduce<float, BLOCK>`` is NVRTC
  LTO-IR behind an extern function (cuda.coop's pattern), linked by
  nvJitLink with -lto through lcs (a generator adds it per block size). The
  kernel calls CUB: PTX cannot be optimised together with LTO-IR.
- ``nvrtc_cub_inlined``: the same kernel in CUDA C++ around the same CUB
  function, compiled whole by NVRTC (the block size a template argument,
  CUB inlined): the limit.
- ``handwritten_generic`` / ``handwritten_specialized``: a shared-memory
  tree reduction written in numba-cuda (reading ``cuda.blockDim.x``),
  compiled by lcs generic (policy with no groups) and specialised on the
  block size.

Every block sums ITEMS x BLOCK consecutive floats (small integers, so that
every order of additions gives the same sums, which are checked against the
host). Kernel time: CUDA events around LAUNCHES back-to-back launches,
divided by LAUNCHES, median (and quartiles) over REPS interleaved rounds.
Prints a table and writes ``coop.jsonl`` (one JSON object a variant and
block size) to --out.

Needs a GPU, numba-cuda, the lcs package and NVRTC with CUB's headers (CUDA
13: ``include/cccl``, found as numba-cuda finds them, else under the CUDA
include directory).

Usage: python3 tools/lcs-bench/coop_bench.py [--out DIR] [--reps N]
           [--launches N] [--log2n N] [--items N] [--blocks 64,128,...]
"""

import argparse
import ctypes
import hashlib
import json
import os
import statistics
import sys

import numpy as np

np.row_stack = getattr(np, "row_stack", np.vstack)  # numba-cuda 0.30, numpy 2.4

import lcs  # noqa: E402
import lcs.numba  # noqa: E402
from numba import cuda, float32  # noqa: E402
from numba.core import types  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "test", "python"))
from kernels import block_tree_sum  # noqa: E402

#: CUB's block reduction behind a C symbol; with COOP_KERNEL, also the whole
#: kernel in CUDA C++ (CUB inlined). BLOCK and ITEMS are defined before.
CUB_SOURCE = r"""
#include <cub/block/block_reduce.cuh>

extern "C" __device__ float coop_block_sum(float x) {
  using Reduce = cub::BlockReduce<float, BLOCK>;
  __shared__ typename Reduce::TempStorage storage;
  return Reduce(storage).Sum(x);
}

#ifdef COOP_KERNEL
extern "C" __global__ void __launch_bounds__(BLOCK)
cub_block_sums(const float *x, float *out) {
  unsigned t = threadIdx.x, b = blockIdx.x;
  size_t base = size_t(b) * BLOCK * ITEMS;
  float acc = 0.0f;
#pragma unroll
  for (int k = 0; k < ITEMS; ++k)
    acc += x[base + size_t(k) * BLOCK + t];
  float s = coop_block_sum(acc);
  if (t == 0)
    out[b] = s;
}
#endif
"""

block_sum = cuda.declare_device("coop_block_sum", "float32(float32)", abi="c")


def make_kernels(items):
    """The numba kernels (Python functions), ITEMS a compile-time constant."""

    @cuda.jit(device=True, forceinline=True)
    def thread_sum(x):
        """This thread's ITEMS elements of its block's, block-strided."""
        nt = cuda.blockDim.x
        base = cuda.blockIdx.x * nt * items
        acc = float32(0)
        for k in range(items):
            acc += x[base + k * nt + cuda.threadIdx.x]
        return acc

    def cub_call(x, out):
        s = block_sum(thread_sum(x))
        if cuda.threadIdx.x == 0:
            out[cuda.blockIdx.x] = s

    def handwritten(x, out):
        sm = cuda.shared.array(1024, float32)
        t = cuda.threadIdx.x
        sm[t] = thread_sum(x)
        block_tree_sum(sm, t)
        if t == 0:
            out[cuda.blockIdx.x] = sm[0]

    return cub_call, handwritten


def _include_path():
    """CUDA's include directory and CCCL's (CUB), as numba-cuda finds
    them."""
    from numba.cuda.cuda_paths import get_cuda_paths
    include = get_cuda_paths()["include_dir"].info
    paths = [include]
    try:
        from cuda import pathfinder
        found = pathfinder.locate_nvidia_header_directory("cccl")
        if found is not None:
            paths.append(found.abs_path)
    except (ImportError, AttributeError):
        pass
    cccl = os.path.join(include or "", "cccl")
    if os.path.isdir(cccl):
        paths.append(cccl)
    return list(dict.fromkeys(p for p in paths if p))


def nvrtc(block, items, cc, target):
    """NVRTC's `target` ("ltoir": the CUB function, -dlto -rdc=true;
    "cubin": the whole kernel) for `block` threads."""
    from cuda.core import Program, ProgramOptions
    lto = target == "ltoir"
    src = (f"#define BLOCK {block}\n#define ITEMS {items}\n"
           + ("" if lto else "#define COOP_KERNEL\n") + CUB_SOURCE)
    options = ProgramOptions(arch=f"sm_{cc[0]}{cc[1]}", std="c++17",
                             include_path=_include_path(),
                             relocatable_device_code=lto,
                             link_time_optimization=lto)
    out = Program(src, "c++", options=options).compile(target)
    return bytes(getattr(out, "code", out))


class Driver:
    """The few driver calls the NVRTC cubin needs (numba's context is
    current)."""

    def __init__(self):
        self.lib = ctypes.CDLL("libcuda.so.1")
        self.lib.cuLaunchKernel.argtypes = (
            [ctypes.c_void_p] + [ctypes.c_uint] * 7
            + [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p])

    def check(self, rc, what):
        if rc:
            raise RuntimeError(f"{what} failed ({rc})")

    def function(self, cubin, name):
        mod, fn = ctypes.c_void_p(), ctypes.c_void_p()
        self.check(self.lib.cuModuleLoadData(ctypes.byref(mod), cubin),
                   "cuModuleLoadData")
        self.check(self.lib.cuModuleGetFunction(ctypes.byref(fn), mod,
                                                name.encode()),
                   "cuModuleGetFunction")
        return fn

    def launcher(self, fn, grid, block, pointers):
        values = [ctypes.c_uint64(p) for p in pointers]
        params = (ctypes.c_void_p * len(values))(
            *[ctypes.addressof(v) for v in values])

        def launch():
            self.check(self.lib.cuLaunchKernel(fn, grid, 1, 1, block, 1, 1, 0,
                                               None, params, None),
                       "cuLaunchKernel")
        launch.keep = (values, params)
        return launch


def numba_args(arr):
    """numba's flattened 1-D array: meminfo, parent, nitems, itemsize, data,
    shape, stride."""
    n = arr.shape[0]
    ptr = arr.__cuda_array_interface__["data"][0]
    return (0, 0, n, 4, ptr, n, 4)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=".")
    ap.add_argument("--reps", type=int, default=51)
    ap.add_argument("--launches", type=int, default=20)
    ap.add_argument("--log2n", type=int, default=26)
    ap.add_argument("--items", type=int, default=4)
    ap.add_argument("--blocks", default="64,128,256,1024")
    a = ap.parse_args()
    blocks = [int(b) for b in a.blocks.split(",")]
    n = 1 << a.log2n
    os.makedirs(a.out, exist_ok=True)

    ctx = cuda.current_context()
    cc = tuple(ctx.device.compute_capability)
    rt = lcs.Runtime(cache_dir="")
    drv = Driver()
    sig = (types.float32[::1], types.float32[::1])
    cub_call, handwritten = make_kernels(a.items)
    name = lcs.numba.KERNEL_NAME

    def ir_of(fn):
        return lcs.numba.jit(fn).compile_ir(sig, cc)

    call_ir, hand_ir = ir_of(cub_call), ir_of(handwritten)
    params = {name: lcs.inspect(call_ir)[name]["params"]}
    ltoirs = {b: nvrtc(b, a.items, cc, "ltoir") for b in blocks}

    def generate(kernel_name):
        block = lcs.current_launch_config()["block"][0]
        lcs.mark_launch_config_sensitive("block.x")
        lcs.generator_add_link(ltoirs[block], "ltoir",
                               f"coop_block_sum_{block}.ltoir")
        return call_ir

    identity = hashlib.sha256(call_ir.encode() + b"".join(
        ltoirs[b] for b in blocks)).hexdigest()
    call_k = rt.program_from_generator("coop-bench " + identity, generate,
                                       params=params).kernel(name)
    generic_k = rt.program(hand_ir).kernel(name)
    generic_k.set_policy(groups=[])
    special_k = rt.program(hand_ir).kernel(name)

    x = (np.random.default_rng(14).integers(-8, 9, n)).astype(np.float32)
    x_d = cuda.to_device(x)
    start, stop = cuda.event(timing=True), cuda.event(timing=True)
    records, table = [], []
    for block in blocks:
        grid = n // (block * a.items)
        want = x.reshape(grid, block * a.items).sum(axis=1)
        variants = {}
        for label, k in (("lcs_cub_call", call_k),
                         ("handwritten_generic", generic_k),
                         ("handwritten_specialized", special_k)):
            out = cuda.device_array(grid, np.float32)
            args = numba_args(x_d) + numba_args(out)
            variants[label] = (lambda k=k, args=args:
                               k[grid, block](*args), out)
        out = cuda.device_array(grid, np.float32)
        fn = drv.function(nvrtc(block, a.items, cc, "cubin"),
                          "cub_block_sums")
        variants["nvrtc_cub_inlined"] = (drv.launcher(
            fn, grid, block, [x_d.__cuda_array_interface__["data"][0],
                              out.__cuda_array_interface__["data"][0]]), out)
        ok = {}
        for label, (launch, out) in variants.items():
            launch()  # compiles lcs's variant
            cuda.synchronize()
            ok[label] = bool(np.array_equal(out.copy_to_host(), want))
        times = {label: [] for label in variants}
        labels = list(variants)
        for rep in range(-2, a.reps):  # two warm-up rounds
            for i in range(len(labels)):
                label = labels[(i + rep) % len(labels)]
                launch = variants[label][0]
                start.record()
                for _ in range(a.launches):
                    launch()
                stop.record()
                stop.synchronize()
                if rep >= 0:
                    times[label].append(
                        cuda.event_elapsed_time(start, stop) * 1000.0
                        / a.launches)
        row = {"block": block}
        for label in labels:
            q = statistics.quantiles(times[label], n=4)
            med = statistics.median(times[label])
            row[label] = med
            records.append({
                "bench": "coop", "variant": label, "block": block,
                "grid": grid, "n": n, "items": a.items, "us": med,
                "p25_us": q[0], "p75_us": q[2], "reps": a.reps,
                "launches": a.launches, "ok": ok[label],
                "arch": f"sm_{cc[0]}{cc[1]}"})
        table.append(row)
    path = os.path.join(a.out, "coop.jsonl")
    with open(path, "w") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    cols = ["lcs_cub_call", "nvrtc_cub_inlined", "handwritten_generic",
            "handwritten_specialized"]
    print(f"kernel time, us (median of {a.reps} x {a.launches} launches; "
          f"2^{a.log2n} floats, {a.items} a thread)")
    print("| block | lcs + CUB LTO-IR (call) | NVRTC, CUB inlined | "
          "hand-written generic | hand-written specialised | call / inlined |")
    print("|---:|---:|---:|---:|---:|---:|")
    for row in table:
        print(f"| {row['block']} | " + " | ".join(
            f"{row[c]:.2f}" for c in cols)
            + f" | {row['lcs_cub_call'] / row['nvrtc_cub_inlined']:.3f} |")
    bad = [r for r in records if not r["ok"]]
    for r in bad:
        print(f"wrong sums: {r['variant']} block {r['block']}",
              file=sys.stderr)
    print(f"wrote {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
