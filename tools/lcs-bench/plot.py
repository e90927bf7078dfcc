#!/usr/bin/env python3
"""Charts for docs/benchmarks.md from lcs-bench's JSON lines.

Usage: plot.py RESULTS.jsonl OUTDIR
Writes launch-overhead.png and specialize.png.
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


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

    spec = list({r["case"]: r for r in rows
                 if r["bench"] == "specialize"}.values())
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


if __name__ == "__main__":
    main()
