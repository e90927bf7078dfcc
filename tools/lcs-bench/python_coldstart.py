#!/usr/bin/env python3
"""Cold start from Python: a fresh process, the kernel on disk, the CUDA
context already created; lcs.numba (its disk cache warmed by an earlier
process) against numba-cuda ``cache=True`` (warmed too) on the same kernel.

Per launch process: (a) from the first launch call to the kernel enqueued
(the call's return; the time to the following sync is recorded too), and (b)
decoration plus (a). The kernel (an axpy over 1 Mi float32) is a plain
function in a module written to the work directory; the child imports
numpy, numba.cuda and the kernel's package (lcs.numba or nothing more),
creates the context and the arrays, and only then starts the clock, so
imports and context creation are not in (a) or (b). Import times are
measured in their own fresh processes (numpy imported before the clock in
each): ``import lcs``, ``import lcs.numba``, ``import numba.cuda``. Each
process reports whether a library named libLLVM is mapped (/proc/self/maps)
after its import or after its disk-hit launch.

Method: one warm-up process per launch variant (fills the caches, not
counted), then ``--rounds`` rounds (at least 5), each running every variant
once as a fresh process, the order rotated each round; medians and ranges
across rounds, and the per-round ratio numba-cuda (a) / lcs.numba (a).

Usage: python_coldstart.py --out DIR [--rounds N] [--work DIR]
                           [--variants VARIANT...]
Writes DIR/python-coldstart.jsonl and DIR/python-coldstart.png, prints the
summary table.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import python_stats as st  # noqa: E402

LAUNCH_VARIANTS = ("lcs.numba", "numba-cuda cache=True")
IMPORT_VARIANTS = ("import lcs", "import lcs.numba", "import numba.cuda")
VARIANTS = LAUNCH_VARIANTS + IMPORT_VARIANTS

KERNEL_MODULE = "coldstart_kernel"
KERNEL_SOURCE = '''"""The cold-start benchmark's kernel (written by python_coldstart.py)."""
from numba import cuda


def axpy(out, x, a):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = a * x[i]
'''
SIZE = 1 << 20
BLOCK = 256


def libllvm_mapped():
    """The libLLVM files mapped in this process (basenames)."""
    try:
        with open("/proc/self/maps") as f:
            return sorted({os.path.basename(line.split()[-1])
                           for line in f
                           if "libLLVM" in line and "/" in line})
    except OSError:
        return None


def _numpy():
    import numpy as np
    if not hasattr(np, "row_stack"):  # numba-cuda 0.30 under numpy >= 2.4
        np.row_stack = np.vstack
    return np


def child(variant, work):
    """One fresh process: measures ``variant`` and prints one JSON line."""
    clock = time.perf_counter_ns
    rec = {"variant": variant}
    if variant in IMPORT_VARIANTS:
        _numpy()
        t0 = clock()
        if variant == "import lcs":
            import lcs  # noqa: F401
        elif variant == "import lcs.numba":
            import lcs.numba  # noqa: F401
        else:
            from numba import cuda  # noqa: F401
        rec["import_ns"] = clock() - t0
        rec["libllvm"] = libllvm_mapped()
        print(json.dumps(rec))
        return
    np = _numpy()
    from numba import cuda
    if variant == "lcs.numba":
        import lcs.numba
        jit = lcs.numba.jit
    else:
        def jit(fn):
            return cuda.jit(cache=True)(fn)
    cuda.current_context()
    x = cuda.to_device(np.arange(SIZE, dtype=np.float32))
    out = cuda.device_array(SIZE, dtype=np.float32)
    cuda.synchronize()
    sys.path.insert(0, work)
    kernel_module = __import__(KERNEL_MODULE)
    rec["libllvm_before"] = libllvm_mapped()

    t0 = clock()
    k = jit(kernel_module.axpy)
    t1 = clock()
    k[SIZE // BLOCK, BLOCK](out, x, 2.0)
    t2 = clock()
    cuda.synchronize()
    t3 = clock()

    rec["decorate_ns"] = t1 - t0
    rec["first_launch_ns"] = t2 - t1          # (a)
    rec["first_launch_sync_ns"] = t3 - t1
    rec["decorate_launch_ns"] = t2 - t0       # (b)
    rec["libllvm"] = libllvm_mapped()
    rec["correct"] = bool((out.copy_to_host() ==
                           2.0 * np.arange(SIZE, dtype=np.float32)).all())
    if variant == "lcs.numba":
        c = k.counters
        rec["counters"] = c
        rec["disk_hit"] = (c.get("disk_hits", 0) >= 1 and
                           c.get("compiles", 1) == 0 and
                           c.get("numba_compiles", 1) == 0)
    else:
        stats = k.stats
        rec["counters"] = {"cache_hits": sum(stats.cache_hits.values()),
                           "cache_misses": sum(stats.cache_misses.values())}
        rec["disk_hit"] = (rec["counters"]["cache_hits"] >= 1 and
                           rec["counters"]["cache_misses"] == 0)
    print(json.dumps(rec))


def run_child(variant, work, timeout=600):
    """Runs one fresh process; returns its record plus the wall time the
    parent saw (process start to exit)."""
    env = dict(os.environ)
    env["LCS_CACHE_DIR"] = os.path.join(work, "lcs-cache")
    env["NUMBA_CACHE_DIR"] = os.path.join(work, "numba-cache")
    env.setdefault("NUMBA_CUDA_LOW_OCCUPANCY_WARNINGS", "0")
    t0 = time.perf_counter_ns()
    p = subprocess.run([sys.executable, os.path.abspath(__file__), "--child",
                        variant, "--work", work], env=env,
                       capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter_ns() - t0
    if p.returncode:
        tail = (p.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise RuntimeError(f"{variant}: exit {p.returncode}: {tail}")
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    if not lines:
        raise RuntimeError(f"{variant}: no result line in its output")
    rec = json.loads(lines[-1])
    rec["process_wall_ns"] = wall
    return rec


METRICS = ("first_launch_ns", "first_launch_sync_ns", "decorate_ns",
           "decorate_launch_ns", "import_ns", "process_wall_ns")


def summarise(rounds):
    """Summary and goal records from [{variant: child record}]."""
    out = []
    for v in VARIANTS:
        recs = [r[v] for r in rounds if v in r]
        if not recs:
            continue
        row = {"bench": "python-coldstart", "variant": v, "rounds": len(recs)}
        for m in METRICS:
            vals = [r[m] for r in recs if r.get(m) is not None]
            if vals:
                row[m], row[m + "_low"], row[m + "_high"] = st.spread(vals)
        if "disk_hit" in recs[0]:
            row["disk_hits"] = sum(bool(r.get("disk_hit")) for r in recs)
            row["correct"] = all(r.get("correct") for r in recs)
        maps = {tuple(r.get("libllvm") or ()) for r in recs}
        row["libllvm"] = sorted({x for m in maps for x in m})
        row["libllvm_mapped"] = any(maps - {()})
        out.append(row)
    lcs_a = [r["lcs.numba"]["first_launch_ns"] for r in rounds
             if "lcs.numba" in r]
    a_med = st.median(lcs_a) if lcs_a else None
    out.append({"bench": "python-coldstart-goal",
                "goal": "lcs.numba (a) first launch <= 5 ms",
                "value_ms": a_med / 1e6 if a_med is not None else None,
                "limit_ms": 5.0,
                "status": st.goal(a_med and a_med / 1e6, 5.0)})
    runs = [{v: r[v]["first_launch_ns"] for v in LAUNCH_VARIANTS if v in r}
            for r in rounds]
    ratio = st.paired_ratio(runs, "numba-cuda cache=True", "lcs.numba")
    out.append(dict({"bench": "python-coldstart-goal",
                     "goal": "numba-cuda cache=True (a) / lcs.numba (a) >= 50",
                     "limit": 50.0,
                     "status": st.goal(ratio and ratio["ratio"], 50.0,
                                       at_most=False)}, **(ratio or {})))
    return out


def print_summary(records, file=sys.stdout):
    def ms(r, m):
        if m not in r:
            return None
        return f"{r[m] / 1e6:.2f} ({r[m + '_low'] / 1e6:.2f}-{r[m + '_high'] / 1e6:.2f})"
    rows = []
    for r in records:
        if r["bench"] != "python-coldstart":
            continue
        rows.append([r["variant"], ms(r, "first_launch_ns"),
                     ms(r, "first_launch_sync_ns"),
                     ms(r, "decorate_launch_ns"), ms(r, "import_ns"),
                     ms(r, "process_wall_ns"),
                     f"{r['disk_hits']}/{r['rounds']}" if "disk_hits" in r
                     else "-",
                     "yes" if r["libllvm_mapped"] else "no", r["rounds"]])
    print(st.format_table(
        ["variant", "(a) first launch ms", "(a) + sync ms",
         "(b) decorate + (a) ms", "import ms", "process wall ms",
         "disk hits", "libLLVM mapped", "rounds"], rows), file=file)
    print("\nmedian (range) over rounds", file=file)
    for r in records:
        if r["bench"] == "python-coldstart-goal":
            if "value_ms" in r:
                val = ("-" if r["value_ms"] is None
                       else f"{r['value_ms']:.3f} ms")
            else:
                val = (f"{r['ratio']:.1f} (range {r['low']:.1f}-"
                       f"{r['high']:.1f}, {r['runs']} rounds)"
                       if "ratio" in r else "-")
            print(f"goal: {r['goal']}: {val}: {r['status']}", file=file)


def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        description="Cold start from Python in fresh processes: lcs.numba "
        "(disk hit) against numba-cuda cache=True, and import times (see "
        "the module docstring for the method).")
    ap.add_argument("--out", help="output directory (python-coldstart.jsonl, "
                    ".png); required unless --child")
    ap.add_argument("--rounds", type=int, default=7,
                    help="alternating rounds of fresh processes, at least 5 "
                    "(default 7)")
    ap.add_argument("--work", help="work directory (kernel module, caches); "
                    "default: a new temporary directory")
    ap.add_argument("--variants", nargs="+", choices=VARIANTS,
                    default=list(VARIANTS), metavar="VARIANT",
                    help="what to measure (default all): "
                    + ", ".join(f"'{v}'" for v in VARIANTS))
    ap.add_argument("--no-plot", action="store_true", help="no chart")
    ap.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        if not a.work:
            ap.error("--child needs --work")
        return a
    if not a.out:
        ap.error("--out is required")
    if a.rounds < 5:
        ap.error("--rounds: the method needs at least 5 rounds")
    return a


def main(argv=None):
    a = parse_args(argv)
    if a.child:
        child(a.child, a.work)
        return
    os.makedirs(a.out, exist_ok=True)
    work = a.work or tempfile.mkdtemp(prefix="lcs-pycold-")
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, KERNEL_MODULE + ".py"), "w") as f:
        f.write(KERNEL_SOURCE)
    records, errors = [], []
    variants = [v for v in VARIANTS if v in a.variants]
    for v in [v for v in LAUNCH_VARIANTS if v in variants]:  # warm the caches
        try:
            rec = run_child(v, work)
            records.append(dict(bench="python-coldstart-warmup", **rec))
        except Exception as e:  # noqa: BLE001
            errors.append(("warm-up", v, e))

    def measure(v, i):
        rec = run_child(v, work)
        records.append(dict(bench="python-coldstart-run", round=i, **rec))
        return rec

    rounds, errs = st.alternate(variants, a.rounds, measure)
    errors += errs
    records += summarise(rounds)
    meta = {"bench": "python-coldstart-meta", "rounds": a.rounds,
            "variants": variants,
            "size": SIZE, "block": BLOCK, "python": sys.version.split()[0],
            "errors": [{"round": i, "variant": v, "error": str(e)}
                       for i, v, e in errors]}
    path = st.write_records(a.out, "python-coldstart.jsonl", [meta] + records)
    for i, v, e in errors:
        print(f"not measured: {v} (round {i}): {e}")
    for r in records:
        if r["bench"] == "python-coldstart-run" and "disk_hit" in r and \
                not r["disk_hit"]:
            print(f"warning: {r['variant']} round {r['round']} was not a "
                  f"disk hit: {r.get('counters')}")
    st.finish(path, records, print_summary,
              None if a.no_plot else "python_coldstart_chart")


if __name__ == "__main__":
    main()
