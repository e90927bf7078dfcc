#!/usr/bin/env python3
"""Launch overhead of lcs's peers, measured like `lcs-bench launch`: batches
of launches of an empty kernel and a 4-argument kernel, CPU time per launch,
median and 10th/90th percentiles over rounds. Writes JSON lines.

Usage: peers.py [--out FILE] [--rounds N] [--batch N] [--python-launch DIR]

--python-launch DIR also runs python_launch.py (lcs and lcs.numba from
Python against these peers and cuLaunchKernelEx, in alternating runs) with
its default method, writing into DIR.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

if not hasattr(np, "row_stack"):  # numba-cuda 0.30 under numpy 2.5
    np.row_stack = np.vstack

HERE = os.path.dirname(os.path.abspath(__file__))


def measure(launch, sync, rounds, batch):
    samples = []
    launch()
    sync()
    for _ in range(rounds):
        sync()
        t0 = time.perf_counter_ns()
        for _ in range(batch):
            launch()
        t1 = time.perf_counter_ns()
        samples.append((t1 - t0) / batch)
    sync()
    samples.sort()
    q = lambda f: samples[int(f * (len(samples) - 1))]
    return {"median": q(0.5), "p10": q(0.1), "p90": q(0.9)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--python-launch", metavar="DIR",
                    help="also run python_launch.py, writing into DIR")
    a = ap.parse_args()
    out = open(a.out, "a") if a.out else sys.stdout

    def emit(peer, kernel, ns, extra=None):
        rec = {"bench": "launch-peer", "peer": peer, "kernel": kernel, "ns": ns}
        rec.update(extra or {})
        out.write(json.dumps(rec) + "\n")
        out.flush()

    try:
        numba_kernel_times(lambda rec: (out.write(json.dumps(rec) + "\n"),
                                        out.flush()), 30)
    except Exception as e:
        emit("numba-cuda", "kernel-times-error", None, {"error": repr(e)})

    try:
        from numba import cuda, float32, int32

        @cuda.jit
        def empty():
            pass

        @cuda.jit
        def four(a, b, n, x):
            pass

        da = cuda.device_array(256, dtype=np.float32)
        db = cuda.device_array(256, dtype=np.float32)
        emit("numba-cuda", "empty",
             measure(lambda: empty[1, 32](), cuda.synchronize, a.rounds, a.batch))
        emit("numba-cuda", "four",
             measure(lambda: four[1, 32](da, db, 1000, 1.0), cuda.synchronize,
                     a.rounds, a.batch))
    except Exception as e:  # a peer that cannot run is reported, not fatal
        emit("numba-cuda", "error", None, {"error": repr(e)})

    try:
        import cupy as cp
        mod = cp.RawModule(code=r'''
extern "C" __global__ void empty() {}
extern "C" __global__ void four(float *a, float *b, int n, float x) {}
''')
        ke, k4 = mod.get_function("empty"), mod.get_function("four")
        ca = cp.zeros(256, dtype=cp.float32)
        cb = cp.zeros(256, dtype=cp.float32)
        sync = cp.cuda.Device().synchronize
        emit("CuPy RawKernel", "empty",
             measure(lambda: ke((1,), (32,), ()), sync, a.rounds, a.batch))
        emit("CuPy RawKernel", "four",
             measure(lambda: k4((1,), (32,), (ca, cb, np.int32(1000),
                                              np.float32(1.0))),
                     sync, a.rounds, a.batch))
    except Exception as e:
        emit("CuPy RawKernel", "error", None, {"error": repr(e)})

    try:
        import torch
        import triton
        import triton.language as tl

        @triton.jit
        def t_empty(x):
            pass

        @triton.jit
        def t_four(a, b, n, x):
            pass

        ta = torch.zeros(256, device="cuda")
        tb = torch.zeros(256, device="cuda")
        sync = torch.cuda.synchronize
        emit("Triton", "empty",
             measure(lambda: t_empty[(1,)](ta), sync, a.rounds, a.batch))
        emit("Triton", "four",
             measure(lambda: t_four[(1,)](ta, tb, 1000, 1.0), sync, a.rounds,
                     a.batch))
    except Exception as e:
        emit("Triton", "error", None, {"error": repr(e)})

    if a.python_launch:
        sys.path.insert(0, HERE)
        import python_launch
        python_launch.main(["--out", a.python_launch])


def numba_kernel_times(emit_rec, runs):
    """numba-cuda's own compile of the corpus kernels (sources as in the
    corpus README, written once in test/python/kernels.py), timed like
    `lcs-bench specialize`: CUDA events around one launch, median of runs,
    same problem sizes."""
    from numba import cuda
    sys.path.insert(0, os.path.join(HERE, "..", "..", "test", "python"))
    import kernels
    uses_blockdim = cuda.jit(kernels.uses_blockdim)
    block_reduce = cuda.jit(kernels.block_reduce)
    grid_stride_saxpy = cuda.jit(kernels.grid_stride_saxpy)
    dyn_smem_scan = cuda.jit(kernels.dyn_smem_scan)
    softplus_blockstride = cuda.jit(kernels.softplus_blockstride)
    histogram_atomic = cuda.jit(kernels.histogram_atomic)

    n = 64 << 20
    x = cuda.to_device(np.zeros(n, dtype=np.float32))
    y = cuda.to_device(np.zeros(n, dtype=np.float32))
    out = cuda.to_device(np.zeros(1, dtype=np.float32))
    bins = cuda.to_device(np.zeros(16, dtype=np.int32))
    cases = [
        ("numba grid-stride saxpy", lambda: grid_stride_saxpy[1024, 256](x, y, 2.0)),
        ("numba softplus block-stride", lambda: softplus_blockstride[65536, 256](x, y)),
        ("numba histogram", lambda: histogram_atomic[1024, 256](x, bins)),
        ("numba block reduce", lambda: block_reduce[n // 256, 256](x, out)),
        ("numba dynamic-smem scan", lambda: dyn_smem_scan[n // 256, 256, 0, 1024](y)),
        ("numba uses blockDim", lambda: uses_blockdim[n // 256, 256](y)),
    ]
    start, stop = cuda.event(), cuda.event()
    for name, launch in cases:
        launch()
        launch()
        cuda.synchronize()
        us = []
        for _ in range(runs):
            start.record()
            launch()
            stop.record()
            stop.synchronize()
            us.append(cuda.event_elapsed_time(start, stop) * 1000.0)
        us.sort()
        emit_rec({"bench": "kernel-peer", "peer": "numba-cuda", "case": name,
                  "us": us[len(us) // 2], "runs": runs})


if __name__ == "__main__":
    main()
