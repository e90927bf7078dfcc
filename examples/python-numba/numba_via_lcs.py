#!/usr/bin/env python3
"""A numba-cuda kernel launched through lcs, checked against numba-cuda.

``lcs.numba.jit`` in place of ``cuda.jit``: numba-cuda compiles the kernel to
LLVM IR, lcs finds that it reads ``cuda.blockDim.x`` and ``cuda.gridsize(1)``,
keeps one variant per block size (the default policy specialises on the
block, not the grid), compiles and launches it. The same kernel is launched
by numba-cuda for each configuration, and the results must match bit for
bit. Needs the lcs package (docs/python.md), numba-cuda and a GPU.

    python3 examples/python-numba/numba_via_lcs.py
"""

import importlib.metadata
import os
import sys

import numpy as np

if not hasattr(np, "row_stack"):  # numba-cuda 0.30 under numpy >= 2.4
    np.row_stack = np.vstack
# Small grids are the point here, not a mistake.
os.environ.setdefault("NUMBA_CUDA_LOW_OCCUPANCY_WARNINGS", "0")

from numba import cuda  # noqa: E402

import lcs  # noqa: E402
from lcs.numba import jit  # noqa: E402

# The kernel, shared with the tests: out[b] = the sum of a*x[i] over the
# elements grid-stride block b sees, a shared-memory tree reduction per block.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "test", "python"))
from kernels import block_sums  # noqa: E402


SIG = "void(float32[::1], float32[::1], float32)"
ours = jit(SIG)(block_sums)  # compiles at the first launch, per variant


def main():
    print("lcs", lcs.__version__, "| numba-cuda",
          importlib.metadata.version("numba-cuda"))
    if not cuda.is_available():
        print("numba_via_lcs: no CUDA device; nothing to run")
        return 0
    theirs = cuda.jit(SIG)(block_sums)  # compiles now: needs the device

    n = 1 << 20
    rng = np.random.default_rng(7)
    x = cuda.to_device(rng.standard_normal(n).astype(np.float32))
    a = np.float32(0.5)
    failures = 0
    for grid, block in [(80, 128), (80, 256), (132, 256), (264, 1024),
                        (80, 128)]:
        got = cuda.device_array(grid, np.float32)
        want = cuda.device_array(grid, np.float32)
        ours[grid, block](x, got, a)
        theirs[grid, block](x, want, a)
        cuda.synchronize()
        got, want = got.copy_to_host(), want.copy_to_host()
        same = np.array_equal(got, want)
        failures += not same
        print("grid %4d block %4d  sum %12.4f  %s" %
              (grid, block, float(got.sum(dtype=np.float64)),
               "matches numba-cuda" if same else
               "MISMATCH (max diff %g)" % np.abs(got - want).max()))

    (fields, explicit), = ours.sensitivity.values()
    print("kernel depends on:", ", ".join(fields) or "nothing")
    (variants,) = ours.variants.values()
    print("variants:", ", ".join(v["groups"] or "generic" for v in variants))
    c = ours.counters
    print("launches %d, lcs compiles %d, numba compiles %d, disk hits %d" %
          (c["launches"], c["compiles"], c["numba_compiles"], c["disk_hits"]))
    print("numba_via_lcs:", "FAILED" if failures else "all results match")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
