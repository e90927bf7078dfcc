"""On a GPU: every numba kernel of the shared corpus, written as Python,
through lcs.numba and numba-cuda with bitwise-equal results; a raise of
``cfg.sharedmem`` seen by the kernel on a memory hit and on a fresh process's
disk hit; torch, Triton, numba-cuda and lcs compiling and launching in one
process (several LLVMs must not clash)."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

numba = pytest.importorskip("numba.cuda")
from numba import cuda  # noqa: E402

from conftest import HERE  # noqa: E402
from kernels import (atomics_mix, block_reduce, dyn_smem_scan,  # noqa: E402
                     grid_stride_saxpy,
                     histogram_atomic, softplus_blockstride, sqrt_div,
                     uses_blockdim, via_device_fn)

pytestmark = pytest.mark.gpu


# --- the corpus kernels (kernels.py) -----------------------------------------

def _rng():
    return np.random.default_rng(11)


# (kernel, make arguments (host arrays / scalars), launches, outputs to compare)
CASES = {
    "uses_blockdim": (uses_blockdim,
                      lambda: [np.zeros(4096, np.int32)],
                      [(16, 256), (8, 512)], [0]),
    # Whole numbers: every float32 partial sum is exact (below 2**24), so
    # the atomics' order cannot change a bit.
    "block_reduce": (block_reduce,
                     lambda: [_rng().integers(-50, 50, 1 << 16).astype(np.float32),
                              np.zeros(1, np.float32)],
                     [(256, 256), (64, 1024)], [1]),
    "grid_stride_saxpy": (grid_stride_saxpy,
                          lambda: [_rng().standard_normal(1 << 18).astype(np.float32),
                                   _rng().standard_normal(1 << 18).astype(np.float32),
                                   np.float32(1.5)],
                          [(80, 128), (132, 256)], [1]),
    "dyn_smem_scan": (dyn_smem_scan,
                      lambda: [_rng().standard_normal(16 * 256).astype(np.float32)],
                      [(16, 256, 0, 1024)], [0]),
    "via_device_fn": (via_device_fn,
                      lambda: [np.zeros(2048, np.int32)],
                      [(8, (16, 16)), (8, (32, 8))], [0]),
    "softplus_blockstride": (softplus_blockstride,
                             lambda: [_rng().standard_normal(64 * 1024).astype(np.float32),
                                      np.zeros(64 * 1024, np.float32)],
                             [(64, 128), (64, 1024)], [1]),
    "histogram_atomic": (histogram_atomic,
                         lambda: [_rng().random(1 << 18).astype(np.float32),
                                  np.zeros(64, np.int32)],
                         [(80, 256), (132, 512)], [1]),
    # Not a corpus kernel: numba-cuda's atomics defined at its libNVVM step.
    "atomics_mix": (atomics_mix,
                    lambda: [_rng().integers(-99, 99, 4096).astype(np.float64),
                             np.array([1e9, 0], np.float32),
                             np.array([-1e9, np.nan], np.float64),
                             np.array([0, 5], np.uint64)],
                    [(16, 256)], [1, 2, 3]),
    "sqrt_div": (sqrt_div,
                 lambda: [_rng().random(1 << 16).astype(np.float32) * 100,
                          np.zeros(1 << 16, np.float32)],
                 [(256, 256)], [1]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_kernel_bitwise_equal_to_numba_cuda(numba_lcs, name):
    fn, make, launches, outputs = CASES[name]
    ours, theirs = numba_lcs.jit(fn), cuda.jit(fn)
    for launch in launches:
        results = []
        for k in (ours, theirs):
            args = [cuda.to_device(a) if isinstance(a, np.ndarray) and a.ndim
                    else a for a in make()]
            k[launch](*args)
            cuda.synchronize()
            results.append([args[i].copy_to_host() for i in outputs])
        for a, b in zip(*results):
            assert a.tobytes() == b.tobytes(), f"{name} {launch}"
    assert ours.counters["compiles"] >= 1


# --- a sharedmem raise on a memory hit and on a disk hit ---------------------

def test_sharedmem_raise_on_memory_and_disk_hits(tmp_path):
    """The hook (an after-inference rewrite, as cuda.coop's) raises
    cfg.sharedmem by 256 bytes; the kernel writes the length of its dynamic
    shared array. Launched with 128 bytes it must see (128 + 256) / 4 = 96
    elements: on the compiling launch, on a memory hit, and in a fresh
    process that takes the variant from disk (no compile, no hook)."""

    def run():
        out = subprocess.run(
            [sys.executable, os.path.join(HERE, "smem_raise_child.py"),
             str(tmp_path)], capture_output=True, text=True, cwd=HERE,
            timeout=300)
        assert out.returncode == 0, out.stderr[-2000:]
        return json.loads(out.stdout.strip().splitlines()[-1])

    first, second = run(), run()
    assert first["seen"] == [96, 96], first
    assert first["compiles"] == 1 and first["memory_hits"] >= 1
    assert second["seen"] == [96, 96], second
    assert second["compiles"] == 0 and second["disk_hits"] == 1
    assert second["numba_compiles"] == 0


# --- several LLVMs in one process --------------------------------------------

def test_torch_triton_numba_and_lcs_in_one_process():
    pytest.importorskip("torch")
    pytest.importorskip("triton")
    out = subprocess.run(
        [sys.executable, os.path.join(HERE, "many_llvms_child.py")],
        capture_output=True, text=True, cwd=HERE, timeout=600)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-4000:]
    assert out.stdout.strip().splitlines()[-1] == "torch triton numba lcs lcs.numba: ok"
