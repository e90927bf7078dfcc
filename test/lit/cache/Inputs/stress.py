"""8 processes compile overlapping variants into one fresh cache at once.

Every process must succeed; every variant must be compiled exactly once
across all processes (cross-process single flight) and every copy of a
variant must be byte-identical. Usage: stress.py LCS_COMPILE INPUT DIR
"""
import collections
import json
import os
import subprocess
import sys

compiler, source, work = sys.argv[1:4]
cache = os.path.join(work, "cache")
configs = [["--block=%d" % b] for b in (32, 64, 96, 128, 256, 512)]
procs = []
for p in range(8):
    # Each process compiles all six variants, starting at a different one.
    order = configs[p % 6:] + configs[:p % 6]
    script = []
    for i, cfg in enumerate(order):
        out = os.path.join(work, "p%d_%s.ptx" % (p, cfg[0][8:]))
        script.append([compiler, "--stats", "--cache-dir=" + cache,
                       "--emit=ptx", *cfg, source, "-o", out])
    procs.append(script)

# Run the k-th command of every process at the same time.
failures = 0
stats = collections.defaultdict(list)
for k in range(len(configs)):
    running = [subprocess.Popen(script[k], stderr=subprocess.PIPE, text=True)
               for script in procs]
    for proc in running:
        _, err = proc.communicate(timeout=300)
        if proc.returncode != 0:
            failures += 1
            print("FAILED:", err)
            continue
        line = json.loads(err.strip().splitlines()[-1])
        stats[line["key"]].append(line["cache"])

outputs = collections.defaultdict(set)
for name in os.listdir(work):
    if name.endswith(".ptx"):
        block = name.split("_")[1]
        outputs[block].add(open(os.path.join(work, name), "rb").read())

compiled = {k: v.count("miss") for k, v in stats.items()}
print("processes failed:", failures)
print("variants:", len(stats))
print("compiles per variant:", sorted(set(compiled.values())))
print("runs per variant:", sorted(set(len(v) for v in stats.values())))
print("distinct outputs per variant:", sorted(set(len(v) for v in outputs.values())))
