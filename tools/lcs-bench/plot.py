#!/usr/bin/env python3
"""Charts for docs/benchmarks.md from lcs-bench's JSON lines.

Usage: plot.py RESULTS.jsonl OUTDIR
Writes launch-overhead.png and specialize.png (from lcs-bench's records),
python-launch.png and python-coldstart.png (from python_launch.py's and
python_coldstart.py's), each when the results hold its records.
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import matplotlib.ticker


def main():
    rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    outdir = sys.argv[2]

    # The last measurement of each path (a run may repeat the benchmark).
    latest = {}
    for r in rows:
        if r["bench"] in ("launch", "launch-peer") and \
                r.get("kernel") == "four" and r.get("ns"):
            latest[r.get("path") or r.get("peer")] = r
    launch = sorted(latest.values(), key=lambda r: r["ns"]["median"])
    if launch:
        launch_chart(launch, outdir)
    spec = list({r["case"]: r for r in rows
                 if r["bench"] == "specialize"}.values())
    if spec:
        specialize_chart(spec, outdir)
    if any(r["bench"] == "python-launch" for r in rows):
        python_launch_chart(rows, outdir)
    if any(r["bench"] == "python-coldstart" for r in rows):
        python_coldstart_chart(rows, outdir)


def launch_chart(launch, outdir):
    labels = [r.get("path") or r.get("peer") for r in launch]
    med = [r["ns"]["median"] / 1000 for r in launch]
    err = [[(r["ns"]["median"] - r["ns"]["p10"]) / 1000 for r in launch],
           [(r["ns"]["p90"] - r["ns"]["median"]) / 1000 for r in launch]]
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.barh(labels, med, xerr=err, color="tab:blue")
    ax.set_xlabel("CPU time per launch (us), 4-argument kernel; bars: p10-p90")
    ax.set_title("Launch overhead by path (same run, same GPU)")
    for i, v in enumerate(med):
        ax.text(v, i, f" {v:.2f}", va="center")
    fig.tight_layout()
    fig.savefig(f"{outdir}/launch-overhead.png", dpi=120)


def specialize_chart(spec, outdir):
    fig, ax = plt.subplots(figsize=(9, 4.5))
    names = [r["case"] for r in spec]
    x = range(len(spec))
    w = 0.27
    ax.bar([i - w for i in x], [1.0] * len(spec), w, label="generic",
           color="tab:gray")
    ax.bar(list(x), [r["specialized_over_generic"] for r in spec], w,
           label="lcs specialised", color="tab:blue")
    ax.bar([i + w for i in x],
           [r["limit_us"] / r["generic_us"] if "limit_us" in r else 0
            for r in spec], w, label="compile-time constant (-D)",
           color="tab:green")
    ax.set_xticks(list(x))
    ax.set_xticklabels(names, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("kernel time relative to generic")
    ax.set_title("Kernel time: generic vs specialised vs the -D limit")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(f"{outdir}/specialize.png", dpi=120)


def python_launch_chart(rows, outdir):
    """python_launch.py's summary: per kernel, each path's median cost per
    launch over runs, bars from the lowest to the highest run."""
    summ = [r for r in rows if r["bench"] == "python-launch"]
    kernels = [k for k in ("empty", "four") if any(r["kernel"] == k
                                                   for r in summ)]
    if not kernels:
        return
    fig, axes = plt.subplots(1, len(kernels), figsize=(7 * len(kernels), 4.5),
                             squeeze=False)
    for ax, k in zip(axes[0], kernels):
        rs = sorted((r for r in summ if r["kernel"] == k),
                    key=lambda r: r["median"])
        med = [r["median"] / 1000 for r in rs]
        err = [[(r["median"] - r["low"]) / 1000 for r in rs],
               [(r["high"] - r["median"]) / 1000 for r in rs]]
        colors = ["tab:gray" if r["path"].startswith("cuLaunchKernel") else
                  "tab:blue" if r["path"].startswith("lcs") else "tab:orange"
                  for r in rs]
        ax.barh([r["path"] for r in rs], med, xerr=err, color=colors)
        for i, v in enumerate(med):
            ax.text(v, i, f" {v:.2f}", va="center", fontsize=8)
        ax.set_xlabel("CPU us per launch (median of runs; bars: run range)")
        ax.set_title(f"{k} kernel" + (": 2 arrays, a float, an int"
                                      if k == "four" else ""))
    fig.suptitle("Launch cost from Python (alternating runs, same process)")
    fig.tight_layout()
    fig.savefig(f"{outdir}/python-launch.png", dpi=120)
    plt.close(fig)


def python_coldstart_chart(rows, outdir):
    """python_coldstart.py's summary: (a) and (b) per launch variant, and
    the import times, medians over fresh processes with their ranges."""
    summ = {r["variant"]: r for r in rows if r["bench"] == "python-coldstart"}
    if not summ:
        return
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4))

    def bars(ax, items):
        labels = [lab for lab, _, _ in items]
        med = [r[m] / 1e6 for _, r, m in items]
        err = [[(r[m] - r[m + "_low"]) / 1e6 for _, r, m in items],
               [(r[m + "_high"] - r[m]) / 1e6 for _, r, m in items]]
        ax.barh(labels, med, xerr=err, color="tab:blue")
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        for i, v in enumerate(med):
            ax.text(v, i, f" {v:.2f}", va="center", fontsize=8)
    launch = [(f"{v} {what}", summ[v], m)
              for v in ("lcs.numba", "numba-cuda cache=True") if v in summ
              for what, m in (("(a)", "first_launch_ns"),
                              ("(b)", "decorate_launch_ns"))
              if m in summ[v]]
    if launch:
        bars(ax1, launch)
    ax1.set_xlabel("ms, log scale (median of fresh processes; bars: range)")
    ax1.set_title("Disk hit: (a) first launch, (b) decorate + (a)")
    imports = [(v, summ[v], "import_ns")
               for v in ("import lcs", "import lcs.numba", "import numba.cuda")
               if v in summ and "import_ns" in summ[v]]
    if imports:
        bars(ax2, imports)
    ax2.set_xlabel("ms, log scale (numpy imported before the clock)")
    ax2.set_title("Import time, fresh process")
    fig.tight_layout()
    fig.savefig(f"{outdir}/python-coldstart.png", dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    main()
