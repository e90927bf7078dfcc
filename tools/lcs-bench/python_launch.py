#!/usr/bin/env python3
"""Per-launch CPU cost from Python: lcs, lcs.numba and their peers against
the raw driver, in one process.

Kernels: ``empty()`` and ``four(a, b, x, n)`` (two float32 arrays, a
double, a 64-bit int; bodies empty), one block of 32 threads (Triton: its
default 4 warps), the legacy default stream. Every path gets the same
argument objects: two CuPy arrays, the Python float 2.0 and the Python int
1000 (numba device arrays for the "(numba arrays)" paths; Triton gets torch
views of the same CuPy buffers, as it needs ``data_ptr()``).

Paths: ``cuLaunchKernelEx`` (cuda.bindings.driver, on CuPy's compiled
function, prebuilt config and parameter array: the floor a Python caller
reaches; measured twice, as two paths, for the noise floor), ``lcs``
(Runtime + program from NVVM IR text), ``lcs.numba``, ``numba-cuda``,
``CuPy RawKernel``, ``Triton``.

Method: ``--runs`` runs (at least 5); each run measures every path once, the
order rotated by one each run; a path's measurement is ``--chunks`` chunks
of ``--per-chunk`` launches timed with perf_counter_ns, the stream
synchronised before and after each chunk (outside the timed span); its cost
for the run is the median over chunks. Reported per path: the median over
runs, the median of per-run differences and ratios to cuLaunchKernelEx (with
their range), and the noise floor (the two cuLaunchKernelEx columns' per-run
ratio).

Usage: python_launch.py --out DIR [--runs N] [--chunks N] [--per-chunk N]
Writes DIR/python-launch.jsonl (JSON lines) and DIR/python-launch.png, and
prints the summary table.
"""
import argparse
import ctypes
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import python_stats as st  # noqa: E402

BASE = "cuLaunchKernelEx"
BASE2 = "cuLaunchKernelEx (2nd)"
KERNELS = ("empty", "four")
X, N = 2.0, 1000  # the scalar arguments, the same objects for every path

CUDA_SRC = r'''
extern "C" __global__ void empty() {}
extern "C" __global__ void four(float *a, float *b, double x, long long n) {}
'''

# lcs's IR for the same kernels: a Python float is a double, an int an i64,
# as CuPy passes them.
LCS_IR = b'''target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @empty() {
  ret void
}
define ptx_kernel void @four(ptr %a, ptr %b, double %x, i64 %n) {
  ret void
}
'''


def py_empty():
    pass


def py_four(a, b, x, n):
    pass


class Setup:
    """The paths' launch callables, per kernel, sharing one context (the
    primary context of device 0, which numba-cuda, CuPy, torch and lcs all
    use) and the same argument objects."""

    def __init__(self, cache_dir):
        self.launch = {k: {} for k in KERNELS}  # kernel -> path -> callable
        self.errors = []                         # (path, message)
        self.meta = {}
        import numpy as np
        if not hasattr(np, "row_stack"):  # numba-cuda 0.30 under numpy >= 2.4
            np.row_stack = np.vstack
        from numba import cuda
        cuda.current_context()
        try:
            import cupy as cp
        except ImportError as e:
            raise SystemExit(f"python_launch.py: CuPy is needed (the shared "
                             f"argument arrays): {e}")
        self.cp, self.np, self.cuda = cp, np, cuda
        self.a = cp.zeros(256, dtype=cp.float32)
        self.b = cp.zeros(256, dtype=cp.float32)
        self.na = cuda.device_array(256, dtype=np.float32)
        self.nb = cuda.device_array(256, dtype=np.float32)
        self.sync = lambda: cp.cuda.runtime.streamSynchronize(0)
        self.module = cp.RawModule(code=CUDA_SRC)
        self.meta["versions"] = versions()
        for name, fn in (("driver", self._driver), ("lcs", self._lcs),
                         ("lcs.numba", lambda: self._lcs_numba(cache_dir)),
                         ("numba-cuda", self._numba_cuda),
                         ("CuPy RawKernel", self._cupy),
                         ("Triton", self._triton)):
            try:
                fn()
            except Exception as e:  # a path that cannot run is reported
                self.errors.append((name, f"{type(e).__name__}: {e}"))

    def add(self, kernel, path, fn):
        self.launch[kernel][path] = fn

    def _driver(self):
        fns = {k: self.module.get_function(k) for k in KERNELS}
        holders = {"empty": [],
                   "four": [ctypes.c_void_p(self.a.data.ptr),
                            ctypes.c_void_p(self.b.data.ptr),
                            ctypes.c_double(X), ctypes.c_longlong(N)]}
        params = {k: (ctypes.c_void_p * max(1, len(v)))(
            *[ctypes.addressof(h) for h in v]) for k, v in holders.items()}
        self._keep = (holders, params, fns)
        try:
            from cuda.bindings import driver as drv
        except ImportError:
            drv = None
        for k in KERNELS:
            addr = ctypes.addressof(params[k])
            if drv is not None:
                cfg = drv.CUlaunchConfig()
                cfg.gridDimX, cfg.gridDimY, cfg.gridDimZ = 1, 1, 1
                cfg.blockDimX, cfg.blockDimY, cfg.blockDimZ = 32, 1, 1
                cfg.sharedMemBytes = 0
                cfg.hStream = drv.CUstream(0)
                cfg.numAttrs = 0
                # RawKernel.kernel is the cupy.cuda.Function holding the CUfunction.
                f = drv.CUfunction(fns[k].kernel.ptr)
                launch = (lambda cfg=cfg, f=f, addr=addr:
                          drv.cuLaunchKernelEx(cfg, f, addr, 0))
                err = launch()[0]
                if err != drv.CUresult.CUDA_SUCCESS:
                    raise RuntimeError(f"cuLaunchKernelEx: {err}")
                self.meta["driver_via"] = "cuda.bindings.driver.cuLaunchKernelEx"
            else:
                # cupy.cuda.driver wraps cuLaunchKernel, not the Ex form.
                launchKernel = self.cp.cuda.driver.launchKernel
                ptr = fns[k].kernel.ptr
                launch = (lambda ptr=ptr, addr=addr: launchKernel(
                    ptr, 1, 1, 1, 32, 1, 1, 0, 0, addr, 0))
                launch()
                self.meta["driver_via"] = ("cupy.cuda.driver.launchKernel "
                                           "(cuLaunchKernel: no cuda.bindings)")
            self.add(k, BASE, launch)
            self.add(k, BASE2, launch)

    def _lcs(self):
        import lcs
        rt = lcs.Runtime(cache_dir="")
        prog = rt.program(LCS_IR)
        ke, k4 = prog.kernel("empty"), prog.kernel("four")
        a, b = self.a, self.b
        self.add("empty", "lcs", lambda: ke[1, 32]())
        self.add("four", "lcs", lambda: k4[1, 32](a, b, X, N))
        self._lcs_rt = rt

    def _lcs_numba(self, cache_dir):
        # lcs.numba's runtimes use LCS_CACHE_DIR: a fresh one per run.
        os.environ["LCS_CACHE_DIR"] = cache_dir
        import lcs.numba
        ke, k4 = lcs.numba.jit(py_empty), lcs.numba.jit(py_four)
        a, b, na, nb = self.a, self.b, self.na, self.nb
        self.add("empty", "lcs.numba", lambda: ke[1, 32]())
        self.add("four", "lcs.numba", lambda: k4[1, 32](a, b, X, N))
        self.add("four", "lcs.numba (numba arrays)",
                 lambda: k4[1, 32](na, nb, X, N))
        self._lcs_numba_kernels = (ke, k4)

    def _numba_cuda(self):
        cuda = self.cuda
        ke, k4 = cuda.jit(py_empty), cuda.jit(py_four)
        a, b, na, nb = self.a, self.b, self.na, self.nb
        self.add("empty", "numba-cuda", lambda: ke[1, 32]())
        self.add("four", "numba-cuda", lambda: k4[1, 32](a, b, X, N))
        self.add("four", "numba-cuda (numba arrays)",
                 lambda: k4[1, 32](na, nb, X, N))

    def _cupy(self):
        ke = self.module.get_function("empty")
        k4 = self.module.get_function("four")
        a, b = self.a, self.b
        self.add("empty", "CuPy RawKernel", lambda: ke((1,), (32,), ()))
        self.add("four", "CuPy RawKernel",
                 lambda: k4((1,), (32,), (a, b, X, N)))

    def _triton(self):
        import torch
        import triton

        @triton.jit
        def t_empty():
            pass

        @triton.jit
        def t_four(a, b, x, n):
            pass

        @triton.jit
        def t_empty1(a):
            pass

        ta = torch.as_tensor(self.a, device="cuda")
        tb = torch.as_tensor(self.b, device="cuda")
        if ta.data_ptr() != self.a.data.ptr:
            raise RuntimeError("torch copied the CuPy array")
        try:
            t_empty[(1,)]()
            self.add("empty", "Triton", lambda: t_empty[(1,)]())
        except Exception as e:  # noqa: BLE001
            # A Triton that refuses a kernel without parameters: the empty
            # kernel takes one (unused) array, and the record says so.
            self.meta["Triton empty"] = (f"one unused array argument "
                                         f"({type(e).__name__}: {e})")
            self.add("empty", "Triton", lambda: t_empty1[(1,)](ta))
        self.add("four", "Triton", lambda: t_four[(1,)](ta, tb, X, N))

    def warm_up(self, count):
        """Compiles and loads every path (first launches), then ``count``
        launches each; a path that fails here is dropped and reported."""
        for k in KERNELS:
            for p, fn in list(self.launch[k].items()):
                try:
                    for _ in range(count):
                        fn()
                    self.sync()
                except Exception as e:  # noqa: BLE001
                    self.errors.append((f"{p} ({k})",
                                        f"{type(e).__name__}: {e}"))
                    del self.launch[k][p]
        ln = getattr(self, "_lcs_numba_kernels", None)
        if ln:
            self.meta["lcs.numba counters"] = {
                k.__name__: k.counters for k in ln}


def versions():
    import importlib.metadata as md
    out = {"python": sys.version.split()[0]}
    for d in ("lcs", "numba-cuda", "numba", "llvmlite", "numpy", "cuda-bindings",
              "cuda-python", "triton", "torch"):
        try:
            out[d] = md.version(d)
        except md.PackageNotFoundError:
            pass
    for mod in ("cupy",):
        try:
            out[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001
            pass
    return out


def summarise(runs_by_kernel):
    """Summary records and goal records from {kernel: runs}."""
    out = []
    for k, runs in runs_by_kernel.items():
        s = st.summarise_runs(runs, BASE, BASE2)
        for p, row in s["paths"].items():
            out.append(dict(bench="python-launch", kernel=k, path=p, **row))
        if "noise" in s:
            out.append(dict(bench="python-launch-noise", kernel=k,
                            **s["noise"]))
        for args in ("",) + ((" (numba arrays)",) if k == "four" else ()):
            r = st.above_ratio(runs, "lcs.numba" + args, "numba-cuda" + args,
                               BASE)
            out.append(dict(
                bench="python-launch-goal", kernel=k,
                goal=f"lcs.numba{args} above {BASE} / numba-cuda{args} above "
                     f"{BASE}", limit=0.25,
                status=st.goal(r and r["ratio"], 0.25), **(r or {})))
        r = st.paired_ratio(runs, "lcs.numba", "CuPy RawKernel")
        out.append(dict(bench="python-launch-goal", kernel=k,
                        goal="lcs.numba / CuPy RawKernel", limit=1.3,
                        status=st.goal(r and r["ratio"], 1.3), **(r or {})))
    return out


def print_summary(records, file=sys.stdout):
    rows = []
    for r in records:
        if r["bench"] == "python-launch":
            rows.append([r["kernel"], r["path"], r["median"] / 1000,
                         f"{r['low'] / 1000:.2f}-{r['high'] / 1000:.2f}",
                         r.get("above", 0) / 1000 if "above" in r else None,
                         r.get("ratio"),
                         f"{r['ratio_low']:.3f}-{r['ratio_high']:.3f}"
                         if "ratio" in r else None, r["runs"]])
    print(st.format_table(["kernel", "path", "us per launch", "range (runs)",
                           f"us above {BASE}", f"/ {BASE} (median of runs)",
                           "ratio range", "runs"], rows, left=2), file=file)
    for r in records:
        if r["bench"] == "python-launch-noise":
            print(f"\nnoise floor ({r['kernel']}): {BASE2} / {BASE} "
                  f"{r['ratio']:.3f} (range {r['ratio_low']:.3f}-"
                  f"{r['ratio_high']:.3f}), difference {r['diff']:.0f} ns "
                  f"(range {r['diff_low']:.0f} to {r['diff_high']:.0f})",
                  file=file)
    print(file=file)
    for r in records:
        if r["bench"] == "python-launch-goal":
            val = (f"{r['ratio']:.3f} (range {r['low']:.3f}-{r['high']:.3f}, "
                   f"{r['runs']} runs)" if "ratio" in r else "-")
            print(f"goal {r['kernel']}: {r['goal']} <= {r['limit']}: {val}: "
                  f"{r['status']}", file=file)


def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        description="Per-launch CPU cost from Python: lcs, lcs.numba, "
        "numba-cuda, CuPy RawKernel, Triton and cuLaunchKernelEx, in "
        "alternating runs (see the module docstring for the method).")
    ap.add_argument("--out", required=True,
                    help="output directory (python-launch.jsonl, .png)")
    ap.add_argument("--runs", type=int, default=7,
                    help="alternating runs, at least 5 (default 7)")
    ap.add_argument("--chunks", type=int, default=40,
                    help="timed chunks per path per run (default 40)")
    ap.add_argument("--per-chunk", type=int, default=100,
                    help="launches per chunk, between syncs (default 100)")
    ap.add_argument("--warmup", type=int, default=200,
                    help="launches per path before the runs (default 200)")
    ap.add_argument("--no-plot", action="store_true", help="no chart")
    a = ap.parse_args(argv)
    if a.runs < 5:
        ap.error("--runs: the method needs at least 5 runs")
    if a.chunks < 1 or a.per_chunk < 1 or a.warmup < 1:
        ap.error("--chunks, --per-chunk and --warmup must be positive")
    if a.per_chunk > 512:
        ap.error("--per-chunk: at most 512 (the launch queue must not fill)")
    return a


def main(argv=None):
    a = parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    os.environ.setdefault("NUMBA_CUDA_LOW_OCCUPANCY_WARNINGS", "0")
    cache = tempfile.mkdtemp(prefix="lcs-pylaunch-cache-")
    s = Setup(cache)
    s.warm_up(a.warmup)
    clock = time.perf_counter_ns
    runs_by_kernel, records = {}, []
    for k in KERNELS:
        paths = list(s.launch[k])
        if BASE not in paths:
            raise SystemExit("python_launch.py: the raw driver path failed: "
                             + "; ".join(f"{p}: {e}" for p, e in s.errors))

        def measure(p, i, k=k):
            costs = st.time_chunks(s.launch[k][p], s.sync, a.chunks,
                                   a.per_chunk, clock)
            records.append({"bench": "python-launch-run", "kernel": k,
                            "path": p, "run": i,
                            "ns": st.median(costs),
                            "mean_ns": sum(costs) / len(costs),
                            "chunks": a.chunks, "per_chunk": a.per_chunk})
            return st.median(costs)

        runs, errors = st.alternate(paths, a.runs, measure)
        runs_by_kernel[k] = runs
        s.errors += [(f"{p} ({k}, run {i})", f"{type(e).__name__}: {e}")
                     for i, p, e in errors]
    records += summarise(runs_by_kernel)
    meta = {"bench": "python-launch-meta", "runs": a.runs, "chunks": a.chunks,
            "per_chunk": a.per_chunk, "warmup": a.warmup,
            "errors": [{"path": p, "error": e} for p, e in s.errors], **s.meta}
    path = st.write_records(a.out, "python-launch.jsonl", [meta] + records)
    print(f"driver baseline through {s.meta.get('driver_via', '-')}")
    for p, e in s.errors:
        print(f"path not measured: {p}: {e}")
    st.finish(path, records, print_summary,
              None if a.no_plot else "python_launch_chart")


if __name__ == "__main__":
    main()
