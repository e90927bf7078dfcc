"""One process of test_sharedmem_raise_on_memory_and_disk_hits: argv[1] is
the cache directory. Prints the dynamic shared array lengths the kernel saw
and the counters, as JSON."""

import json
import sys

import numpy as np

np.row_stack = getattr(np, "row_stack", np.vstack)

import lcs  # noqa: E402
import lcs.numba  # noqa: E402
from numba import cuda, float32  # noqa: E402
from numba.cuda import launchconfig  # noqa: E402
from numba.cuda.core.rewrites import Rewrite, register_rewrite  # noqa: E402


@register_rewrite("after-inference")
class RaiseSmem(Rewrite):
    """cuda.coop's pattern: a primitive needs 256 more bytes."""

    def match(self, func_ir, block, typemap, calltypes):
        if func_ir.func_id.func_name != "lcs_smem_seen" or getattr(self, "_done", False):
            return False
        self._block = block
        return True

    def apply(self):
        cfg = launchconfig.ensure_current_launch_config()
        cfg.sharedmem = cfg.sharedmem + 256
        cfg.dispatcher.mark_launch_config_sensitive()
        self._done = True
        return self._block


device, _ = lcs.numba._current_device()
lcs.numba._runtimes[device] = lcs.Runtime(cache_dir=sys.argv[1])


@lcs.numba.jit
def lcs_smem_seen(out):
    sm = cuda.shared.array(0, float32)
    if cuda.threadIdx.x == 0:
        out[0] = sm.size


seen = []
for _ in range(2):
    out = cuda.device_array(1, np.int32)
    lcs_smem_seen[1, 32, 0, 128](out)
    cuda.synchronize()
    seen.append(int(out.copy_to_host()[0]))
print(json.dumps(dict(lcs_smem_seen.counters, seen=seen)))
