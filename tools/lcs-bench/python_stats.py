"""Statistics shared by the Python benchmarks (python_launch.py,
python_coldstart.py); pure Python, tested in test/python/test_bench_stats.py.

A launch benchmark is a list of runs; each run measured every path once and
is a dict {path: cost}. Ratios and differences are taken within a run (paths
of one run ran back to back, so a slow phase of the machine hits all of
them) and summarised across runs by the median and the range.
"""

import json
import os
import statistics


def median(xs):
    xs = list(xs)
    if not xs:
        raise ValueError("median of no values")
    return statistics.median(xs)


def spread(xs):
    """(median, low, high) of xs."""
    xs = list(xs)
    return median(xs), min(xs), max(xs)


def rotated(items, i):
    """items rotated left by i (run i starts with a different path)."""
    items = list(items)
    if not items:
        return items
    i %= len(items)
    return items[i:] + items[:i]


def _complete(runs, *paths):
    """The runs that measured every one of paths."""
    return [r for r in runs if all(r.get(p) is not None for p in paths)]


def summarise_runs(runs, baseline, second_baseline=None):
    """Per path, across runs: ``median`` cost, ``low``/``high`` (range),
    ``above`` (median of per-run cost minus baseline's), ``ratio`` (median of
    per-run cost / baseline's) with ``ratio_low``/``ratio_high``, and
    ``runs`` (how many runs measured it with the baseline).

    ``second_baseline``: the baseline measured again as its own path; the
    result's ``noise`` holds its ratio and difference to the baseline across
    runs (the floor under which differences are not resolved)."""
    paths = []
    for r in runs:
        for p in r:
            if p not in paths:
                paths.append(p)
    out = {"paths": {}}
    for p in paths:
        costs = [r[p] for r in runs if r.get(p) is not None]
        if not costs:
            continue
        med, lo, hi = spread(costs)
        row = {"median": med, "low": lo, "high": hi, "runs": len(costs)}
        both = _complete(runs, p, baseline)
        if both:
            above = [r[p] - r[baseline] for r in both]
            ratios = [r[p] / r[baseline] for r in both]
            row["above"] = median(above)
            row["above_low"], row["above_high"] = min(above), max(above)
            row["ratio"], row["ratio_low"], row["ratio_high"] = spread(ratios)
            row["runs"] = len(both)
        out["paths"][p] = row
    if second_baseline is not None:
        both = _complete(runs, baseline, second_baseline)
        if both:
            ratios = [r[second_baseline] / r[baseline] for r in both]
            diffs = [r[second_baseline] - r[baseline] for r in both]
            out["noise"] = {
                "ratio": median(ratios), "ratio_low": min(ratios),
                "ratio_high": max(ratios), "diff": median(diffs),
                "diff_low": min(diffs), "diff_high": max(diffs),
                "runs": len(both)}
    return out


def paired_ratio(runs, num, den):
    """Median of per-run num/den with its range, or None if no run has
    both."""
    both = _complete(runs, num, den)
    if not both:
        return None
    med, lo, hi = spread(r[num] / r[den] for r in both)
    return {"ratio": med, "low": lo, "high": hi, "runs": len(both)}


def above_ratio(runs, path, peer, baseline):
    """Median over runs of (path - baseline) / (peer - baseline), with its
    range: how much of peer's cost above the baseline path still pays.
    Runs where peer is not above the baseline are left out (the ratio has
    no meaning there)."""
    vals = [(r[path] - r[baseline]) / (r[peer] - r[baseline])
            for r in _complete(runs, path, peer, baseline)
            if r[peer] > r[baseline]]
    if not vals:
        return None
    med, lo, hi = spread(vals)
    return {"ratio": med, "low": lo, "high": hi, "runs": len(vals)}


def goal(value, limit, at_most=True):
    """'met', 'missed' or 'not measured' for value against limit."""
    if value is None:
        return "not measured"
    ok = value <= limit if at_most else value >= limit
    return "met" if ok else "missed"


def chunk_costs(times_ns, per_chunk):
    """Per-launch cost of each timed chunk (ns / launch)."""
    if per_chunk <= 0:
        raise ValueError("per_chunk must be positive")
    return [t / per_chunk for t in times_ns]


def format_table(header, rows, left=1):
    """A Markdown table (what docs/benchmarks.md takes); the first ``left``
    columns are text, the others numbers (right-aligned)."""
    def cell(v):
        if v is None:
            return "-"
        if isinstance(v, float):
            return f"{v:.3f}" if abs(v) < 10 else f"{v:.2f}"
        return str(v)
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if i < left else "---:"
                            for i in range(len(header))) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(cell(v) for v in r) + " |")
    return "\n".join(lines)


# --- the method: alternating runs --------------------------------------------

def time_chunks(launch, sync, chunks, per_chunk, clock):
    """Per-launch cost (ns) of each of ``chunks`` chunks of ``per_chunk``
    launches. The queue is drained (``sync``) before the first chunk and
    after each one, outside the timed span, so no chunk waits for a full
    launch queue."""
    sync()
    out = []
    for _ in range(chunks):
        t0 = clock()
        for _ in range(per_chunk):
            launch()
        t1 = clock()
        sync()
        out.append((t1 - t0) / per_chunk)
    return out


def alternate(paths, runs, measure):
    """Runs ``runs`` runs; run i measures every path once, in ``paths``'
    order rotated by i. ``measure(path, run)`` returns the path's cost for
    that run, or raises (the path is then left out of that run and the
    exception recorded). Returns (runs as [{path: cost}], errors as
    [(run, path, exception)])."""
    results, errors = [], []
    for i in range(runs):
        run = {}
        for p in rotated(paths, i):
            try:
                run[p] = measure(p, i)
            except Exception as e:  # noqa: BLE001 (reported by the caller)
                errors.append((i, p, e))
        results.append(run)
    return results, errors


def write_records(outdir, name, records):
    """Appends records as JSON lines to outdir/name; returns the path."""
    path = os.path.join(outdir, name)
    with open(path, "a") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    return path


def finish(path, records, print_summary, chart):
    """The end of a run whose records are in path: their summary table, the
    chart (the name of a plot.py function drawing into path's folder; None:
    no chart) and where the results are."""
    print_summary(records)
    if chart:
        import plot
        getattr(plot, chart)(records, os.path.dirname(path))
    print(f"\nresults: {path}")
