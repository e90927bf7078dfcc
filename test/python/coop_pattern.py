"""cuda.coop's "single-phase" pattern, reproduced (cuda.coop itself is not
installable: PyPI's cuda-cccl has no cuda.coop). Importing this module
registers its rewrite with numba-cuda.

- The kernel calls block primitives, ``coop_block_sum(x)`` and
  ``coop_block_scan(x)`` (float32), numba intrinsics whose code is a call to
  an extern device function of that name.
- An ``after-inference`` rewrite, as cuda.coop's, sees a kernel that uses
  them, reads the block size from numba-cuda's current launch configuration,
  marks the dispatcher launch-config-sensitive and compiles with NVRTC (found
  as numba-cuda finds it) ``cub::BlockReduce<float, BLOCK>`` and
  ``cub::BlockScan<float, BLOCK>`` behind those symbols, as LTO-IR for the
  compute capability being compiled for.
- The intrinsics' code generation adds that LTO-IR to the code library of
  the kernel being compiled (``add_linking_file``), as cuda.coop's
  ``add_ltoirs`` does; lcs.numba links the library's linking files per
  variant.

Counters: ``BLOCKS`` lists the block sizes the rewrite compiled for.
"""

import os
import threading

from llvmlite import ir as llvmir
from numba.cuda import cgutils, types
from numba.cuda.core.rewrites import Rewrite, register_rewrite
from numba.cuda.cudadrv import nvrtc
from numba.cuda.cudadrv.linkable_code import LTOIR
from numba.cuda.extending import intrinsic
from numba.cuda import launchconfig

#: CUB primitives behind C symbols; COOP_BLOCK is the block size.
CUB_SOURCE = r"""
#include <cub/block/block_reduce.cuh>
#include <cub/block/block_scan.cuh>

// The block's sum, valid in thread 0.
extern "C" __device__ float coop_block_sum(float x) {
  using Reduce = cub::BlockReduce<float, COOP_BLOCK>;
  __shared__ typename Reduce::TempStorage storage;
  return Reduce(storage).Sum(x);
}

// The inclusive prefix sum over the block's threads.
extern "C" __device__ float coop_block_scan(float x) {
  using Scan = cub::BlockScan<float, COOP_BLOCK>;
  __shared__ typename Scan::TempStorage storage;
  float out;
  Scan(storage).InclusiveSum(x, out);
  return out;
}
"""

BLOCKS = []
_pending = threading.local()  # the LTO-IR of the compile on this thread


def _cccl_include():
    """CUB's headers: numba-cuda's NVRTC wrapper adds cuda.pathfinder's
    CCCL directory; a toolkit that pathfinder does not know is searched for
    include/cccl under numba-cuda's CUDA include directory."""
    from cuda import pathfinder
    from numba.cuda import config
    from numba.cuda.cuda_paths import get_cuda_paths
    if pathfinder.locate_nvidia_header_directory("cccl") is not None:
        return
    include = get_cuda_paths()["include_dir"].info
    cccl = os.path.join(include or "", "cccl")
    extra = config.CUDA_NVRTC_EXTRA_SEARCH_PATHS or ""
    if os.path.isdir(cccl) and cccl not in extra.split(":"):
        config.CUDA_NVRTC_EXTRA_SEARCH_PATHS = ":".join(
            p for p in (extra, cccl) if p)


def cub_ltoir(block, cc):
    """NVRTC's LTO-IR of CUB_SOURCE for `block` threads and compute
    capability `cc` (-dlto -rdc=true)."""
    _cccl_include()
    src = f"#define COOP_BLOCK {block}\n" + CUB_SOURCE
    out, _ = nvrtc.compile(src, f"coop_block_{block}.cu", tuple(cc),
                           ltoir=True)
    return bytes(getattr(out, "code", out))  # cuda.core's ObjectCode


def _call(context, builder, args, symbol):
    lto = getattr(_pending, "ltoir", None)
    if lto is None:
        raise RuntimeError(
            f"{symbol}: no LTO-IR (the kernel was compiled without a launch "
            "configuration)")
    lib = context.active_code_library
    added = lib.__dict__.setdefault("_coop_ltoirs", set())
    if lto.name not in added:
        added.add(lto.name)
        lib.add_linking_file(lto)
    f32 = llvmir.FloatType()
    fn = cgutils.get_or_insert_function(
        builder.module, llvmir.FunctionType(f32, [f32]), symbol)
    return builder.call(fn, args)


def _primitive(symbol):
    """A float32 -> float32 intrinsic calling the extern `symbol`."""
    def typer(typingctx, x):
        if x != types.float32:
            return None
        return types.float32(types.float32), (
            lambda context, builder, sig, args:
            _call(context, builder, args, symbol))
    typer.__name__ = typer.__qualname__ = symbol
    return intrinsic(typer)


coop_block_sum = _primitive("coop_block_sum")
coop_block_scan = _primitive("coop_block_scan")
PRIMITIVES = (coop_block_sum, coop_block_scan)


@register_rewrite("after-inference")
class CoopSinglePhase(Rewrite):
    """Instantiates the primitives for the launch's block size."""

    def __init__(self, state=None):
        super().__init__(state)
        self._state = state
        self._done = False

    def match(self, func_ir, block, typemap, calltypes):
        if self._done:
            return False
        for stmt in block.body:
            value = getattr(stmt, "value", None)
            if (type(value).__name__ == "Global"
                    and any(value.value is p for p in PRIMITIVES)):
                self._block = block
                return True
        return False

    def apply(self):
        self._done = True
        cfg = launchconfig.ensure_current_launch_config()
        x, y, z = cfg.blockdim
        cfg.dispatcher.mark_launch_config_sensitive()
        cc = self._state.flags.compute_capability
        threads = x * y * z
        _pending.ltoir = LTOIR(cub_ltoir(threads, cc),
                               name=f"coop_block_{threads}.ltoir")
        BLOCKS.append(threads)
        return self._block
