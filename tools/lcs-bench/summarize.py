#!/usr/bin/env python3
"""Prints lcs-bench's JSON lines as one readable line each (for logs)."""
import json
import sys

for line in open(sys.argv[1]):
    r = json.loads(line)
    b = r["bench"]
    if b == "launch":
        print(b, r["kernel"], r["path"], round(r["ns"]["median"]),
              round(r["ratio_to_cuLaunchKernelEx"], 3))
    elif b == "launch-peer":
        print(b, r["peer"], r["kernel"], r["ns"] and round(r["ns"]["median"]))
    elif b == "compile":
        print(b, r["kernel"], "cold", round(r["cold_ns"]["median"] / 1e6, 1),
              "disk", round(r["disk_hit_ns"]["median"] / 1e6, 3),
              "first", round(r["disk_hit_first_launch_ns"]["median"] / 1e6, 3),
              "c/d", round(r["cold_over_disk_hit"]),
              "nvvm", round(r.get("libnvvm_nvjitlink_ns", {}).get("median", 0) / 1e6, 1),
              "c/n", round(r.get("cold_over_libnvvm", 0), 2),
              "warm-cold", round(r["cold_warm_process_ns"]["median"] / 1e6, 1),
              "wc/n", round(r.get("warm_cold_over_libnvvm", 0), 2))
    elif b == "specialize":
        print(b, r["case"], round(r["generic_us"], 1),
              round(r["specialized_us"], 1),
              r.get("limit_us") and round(r["limit_us"], 1),
              round(r["specialized_over_generic"], 3),
              r.get("specialized_over_limit") and round(r["specialized_over_limit"], 3))
    elif b == "kernel-peer":
        print(b, r["peer"], r["case"], round(r["us"], 1))
    else:
        print(json.dumps(r)[:220])
