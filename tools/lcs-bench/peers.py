#!/usr/bin/env python3
"""Launch overhead of lcs's peers, measured like `lcs-bench launch`: batches
of launches of an empty kernel and a 4-argument kernel, CPU time per launch,
median and 10th/90th percentiles over rounds. Writes JSON lines.

Usage: peers.py [--out FILE] [--rounds N] [--batch N]
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np

if not hasattr(np, "row_stack"):  # numba-cuda 0.30 under numpy 2.5
    np.row_stack = np.vstack


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
    a = ap.parse_args()
    out = open(a.out, "a") if a.out else sys.stdout

    def emit(peer, kernel, ns, extra=None):
        rec = {"bench": "launch-peer", "peer": peer, "kernel": kernel, "ns": ns}
        rec.update(extra or {})
        out.write(json.dumps(rec) + "\n")
        out.flush()

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


if __name__ == "__main__":
    main()
