"""One process of test_coop.py's single-phase tests: argv[1] is the cache
directory, argv[2] "fake" (the stand-in driver) or "gpu". Launches a kernel
built from CUB's block reduction and block scan (coop_pattern.py) with 64,
128, 256 and 1024 threads, twice; prints as JSON the counters after the
first and second round, the block sizes the rewrite compiled for, every
NVRTC call, the LTO-IR link inputs lcs received, and on a GPU whether block
sums and scans equal the host's."""

import hashlib
import json
import sys

if sys.argv[2] == "fake":
    import conftest  # noqa: F401  (loads the stand-in driver)
import numpy as np

np.row_stack = getattr(np, "row_stack", np.vstack)

import lcs  # noqa: E402
import lcs.numba  # noqa: E402
from numba import cuda  # noqa: E402
from numba.cuda.cudadrv import nvrtc  # noqa: E402

import coop_pattern  # noqa: E402
from coop_pattern import coop_block_scan, coop_block_sum  # noqa: E402

NVRTC = []
_compile = nvrtc.compile


def counted_compile(src, name, *args, **kwargs):
    NVRTC.append(name)
    return _compile(src, name, *args, **kwargs)


nvrtc.compile = counted_compile

LINKS = []
_add_link = lcs.generator_add_link


def recorded_add_link(data, kind=None, name="link input"):
    LINKS.append({"name": name, "kind": kind,
                  "digest": hashlib.sha256(bytes(data)).hexdigest()})
    return _add_link(data, kind, name)


lcs.generator_add_link = recorded_add_link

FAKE = sys.argv[2] == "fake"
if FAKE:
    lcs.numba._current_device = lambda: (0, (9, 0))
device, _ = lcs.numba._current_device()
lcs.numba._runtimes[device] = lcs.Runtime(cache_dir=sys.argv[1])


@lcs.numba.jit
def coop_sums_and_scans(x, sums, scans):
    i = cuda.grid(1)
    v = x[i]
    total = coop_block_sum(v)
    scans[i] = coop_block_scan(v)
    if cuda.threadIdx.x == 0:
        sums[cuda.blockIdx.x] = total


BLOCKS = (64, 128, 256, 1024)
N = 16 * 1024
x = (np.random.default_rng(14).integers(-8, 9, N)).astype(np.float32)
rounds, ok = [], {}
for _ in range(2):
    for block in BLOCKS:
        grid = N // block
        if FAKE:
            args = (conftest.FakeArray(0x1000, (N,)),
                    conftest.FakeArray(0x100000, (grid,)),
                    conftest.FakeArray(0x200000, (N,)))
            coop_sums_and_scans[grid, block](*args)
            continue
        sums = cuda.device_array(grid, np.float32)
        scans = cuda.device_array(N, np.float32)
        coop_sums_and_scans[grid, block](cuda.to_device(x), sums, scans)
        cuda.synchronize()
        # Integers: every order of the additions gives the same floats.
        per_block = x.reshape(grid, block)
        ok[block] = {
            "sums": bool(np.array_equal(sums.copy_to_host(),
                                        per_block.sum(axis=1))),
            "scans": bool(np.array_equal(scans.copy_to_host(),
                                         np.cumsum(per_block, axis=1)
                                         .reshape(N)))}
    rounds.append(dict(coop_sums_and_scans.counters))
print(json.dumps({"rounds": rounds, "rewrite_blocks": coop_pattern.BLOCKS,
                  "nvrtc": NVRTC, "links": LINKS, "ok": ok}))
