"""One process of the cold-start test: launch an lcs.numba kernel, print
its counters as JSON. argv: cache directory, "fake" or "gpu"."""

import json
import sys

if sys.argv[2] == "fake":
    import conftest  # noqa: F401  (loads the stand-in driver)
import conftest as c
import lcs
import lcs.numba
from numba import cuda

if sys.argv[2] == "fake":
    lcs.numba._current_device = lambda: (0, (9, 0))
    array = c.FakeArray(0x1000, (64,), "<f4")
else:
    import numpy as np
    array = cuda.device_array(64, np.float32)
device, _ = lcs.numba._current_device()
lcs.numba._runtimes[device] = lcs.Runtime(cache_dir=sys.argv[1])

SCALE = 3.0


@lcs.numba.jit
def scaled_index(out):
    i = cuda.threadIdx.x
    if i < out.size:
        out[i] = i * SCALE + cuda.blockDim.x


scaled_index[1, 64](array)
print(json.dumps(scaled_index.counters))
