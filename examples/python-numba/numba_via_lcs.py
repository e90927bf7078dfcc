#!/usr/bin/env python3
"""A numba-cuda kernel launched through lcs, checked against numba-cuda.

numba-cuda compiles the kernel to NVVM IR (``inspect_llvm()``); lcs's C API,
loaded with ctypes, analyses it, compiles one variant per block size (the
kernel reads ``cuda.blockDim.x`` and ``cuda.gridsize(1)``) and launches it.
The same kernel is then launched by numba-cuda for each configuration, and
the results must match bit for bit.

    python3 examples/python-numba/numba_via_lcs.py [path/to/liblcs.so]

The library is found, in order: the argument, $LCS_LIBRARY, build/lib in
this repository, the loader's search path. Needs a GPU and numba-cuda.
"""

import ctypes
import importlib.metadata
import os
import re
import sys

import numpy as np

if not hasattr(np, "row_stack"):  # numba-cuda 0.30 under numpy >= 2.4
    np.row_stack = np.vstack
# Small grids are the point here, not a mistake.
os.environ.setdefault("NUMBA_CUDA_LOW_OCCUPANCY_WARNINGS", "0")

from numba import cuda, float32  # noqa: E402


@cuda.jit("void(float32[::1], float32[::1], float32)")
def block_sums(x, out, a):
    """out[b] = the sum of a*x[i] over the elements grid-stride block b sees."""
    sm = cuda.shared.array(1024, float32)
    t = cuda.threadIdx.x
    acc = float32(0)
    i = cuda.grid(1)
    while i < x.size:
        acc += a * x[i]
        i += cuda.gridsize(1)
    sm[t] = acc
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 0:
        if t < s:
            sm[t] += sm[t + s]
        cuda.syncthreads()
        s //= 2
    if t == 0:
        out[cuda.blockIdx.x] = sm[0]


# --- the lcs C API (lcs/lcs.h) ------------------------------------------------

class LaunchConfig(ctypes.Structure):
    _fields_ = [("grid", ctypes.c_uint32 * 3), ("block", ctypes.c_uint32 * 3),
                ("cluster", ctypes.c_uint32 * 3),
                ("shared_mem_bytes", ctypes.c_uint32),
                ("stream", ctypes.c_void_p)]


class Module(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("data", ctypes.c_void_p),
                ("size", ctypes.c_size_t)]


class Sensitivity(ctypes.Structure):
    _fields_ = [("fields", ctypes.c_uint32), ("is_explicit", ctypes.c_int)]


class VariantInfo(ctypes.Structure):
    _fields_ = [("key", ctypes.c_char * 33), ("groups", ctypes.c_char * 96),
                ("compiled", ctypes.c_int)]


class Counters(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint64) for n in
                ("launches", "compiles", "memory_hits", "disk_hits",
                 "generator_calls")]


LCS_SUCCESS, LCS_ERROR_NO_DRIVER = 0, 2
FIELD_NAMES = ["block.x", "block.y", "block.z", "grid.x", "grid.y", "grid.z",
               "cluster.x", "cluster.y", "cluster.z", "smem"]


def load_lcs(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [argv[1]] if len(argv) > 1 else []
    if os.environ.get("LCS_LIBRARY"):
        candidates.append(os.environ["LCS_LIBRARY"])
    candidates += [os.path.join(here, "..", "..", "build", "lib", "liblcs.so"),
                   "liblcs.so.0"]
    for path in candidates:
        try:
            lib = ctypes.CDLL(path)
            break
        except OSError:
            continue
    else:
        sys.exit("numba_via_lcs: liblcs.so not found (tried %s)"
                 % ", ".join(candidates))
    lib.lcs_last_error.restype = ctypes.c_char_p
    lib.lcs_version.restype = ctypes.c_char_p
    return lib


def check(lib, status, what):
    if status != LCS_SUCCESS:
        sys.exit("numba_via_lcs: %s: %s"
                 % (what, lib.lcs_last_error().decode()))


def split_modules(ir):
    """inspect_llvm() may print several modules as one text."""
    parts = re.split(r"(?m)^(?=; ModuleID)", ir)
    return [p for p in parts if p.strip()]


def kernel_name(ir):
    m = re.search(r'@"?([^",\s]+)"?,\s*!"kernel",\s*i32 1', ir)
    if not m:
        sys.exit("numba_via_lcs: no kernel in numba's IR")
    return m.group(1)


def array_args(arr):
    """numba's flattened 1-D array: meminfo, parent, nitems, itemsize,
    data, shape, stride."""
    return [ctypes.c_void_p(0), ctypes.c_void_p(0),
            ctypes.c_int64(arr.size), ctypes.c_int64(arr.dtype.itemsize),
            ctypes.c_void_p(arr.device_ctypes_pointer.value),
            ctypes.c_int64(arr.shape[0]), ctypes.c_int64(arr.strides[0])]


def main(argv):
    lib = load_lcs(argv)
    print("lcs", lib.lcs_version().decode(), "| numba-cuda",
          importlib.metadata.version("numba-cuda"))

    rt = ctypes.c_void_p()
    status = lib.lcs_runtime_create(None, ctypes.byref(rt))
    if status == LCS_ERROR_NO_DRIVER:
        print("numba_via_lcs:", lib.lcs_last_error().decode())
        return 0
    check(lib, status, "lcs_runtime_create")

    ir = next(iter(block_sums.inspect_llvm().values()))
    texts = [p.encode() for p in split_modules(ir)]
    mods = (Module * len(texts))(*[
        Module(b"numba:block_sums", ctypes.cast(ctypes.c_char_p(t),
                                                ctypes.c_void_p), len(t))
        for t in texts])
    prog, kern = ctypes.c_void_p(), ctypes.c_void_p()
    check(lib, lib.lcs_program_create(rt, mods, len(texts), ctypes.byref(prog)),
          "lcs_program_create")
    name = kernel_name(ir)
    check(lib, lib.lcs_program_get_kernel(prog, name.encode(),
                                          ctypes.byref(kern)),
          "lcs_program_get_kernel")
    sens = Sensitivity()
    check(lib, lib.lcs_kernel_sensitivity(kern, ctypes.byref(sens)),
          "lcs_kernel_sensitivity")
    print("kernel depends on:",
          ", ".join(f for i, f in enumerate(FIELD_NAMES)
                    if sens.fields >> i & 1) or "nothing")

    n = 1 << 20
    rng = np.random.default_rng(7)
    x = cuda.to_device(rng.standard_normal(n).astype(np.float32))
    a = np.float32(0.5)
    failures = 0
    for grid, block in [(80, 128), (80, 256), (132, 256), (264, 1024),
                        (80, 128)]:
        ours = cuda.device_array(grid, np.float32)
        theirs = cuda.device_array(grid, np.float32)
        values = array_args(x) + array_args(ours) + [ctypes.c_float(a)]
        args = (ctypes.c_void_p * len(values))(
            *[ctypes.cast(ctypes.pointer(v), ctypes.c_void_p) for v in values])
        config = LaunchConfig((grid, 1, 1), (block, 1, 1), (0, 0, 0), 0, None)
        check(lib, lib.lcs_launch(kern, ctypes.byref(config), args),
              "lcs_launch")
        block_sums[grid, block](x, theirs, a)
        cuda.synchronize()
        got, want = ours.copy_to_host(), theirs.copy_to_host()
        info = VariantInfo()
        check(lib, lib.lcs_kernel_variant_for(kern, ctypes.byref(config),
                                              ctypes.byref(info)),
              "lcs_kernel_variant_for")
        same = np.array_equal(got, want)
        failures += not same
        print("grid %4d block %4d  variant %-18s  sum %12.4f  %s" %
              (grid, block, info.groups.decode() or "generic",
               float(got.sum(dtype=np.float64)),
               "matches numba-cuda" if same else
               "MISMATCH (max diff %g)" % np.abs(got - want).max()))

    counters = Counters()
    check(lib, lib.lcs_runtime_get_counters(rt, ctypes.byref(counters)),
          "lcs_runtime_get_counters")
    print("launches %d, compiles %d, disk hits %d, memory hits %d" %
          (counters.launches, counters.compiles, counters.disk_hits,
           counters.memory_hits))
    lib.lcs_program_destroy(prog)
    lib.lcs_runtime_destroy(rt)
    print("numba_via_lcs:", "FAILED" if failures else "all results match")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
