"""`lcs-compile --link` with every kind of link input, run on the GPU: the
lit test test/lit/link/kinds.test checks that each links into a cubin; here
each cubin is loaded and launched, and the kernel's results come from the
linked device function (block_sum_128(v) = 2 v)."""

import os
import shutil
import subprocess

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = os.path.join(HERE, "..", "lit", "link", "Inputs")


def _cuda_home():
    for d in (os.environ.get("CUDA_HOME"), os.environ.get("CUDA_PATH"),
              "/usr/local/cuda"):
        if d and os.access(os.path.join(d, "bin", "nvcc"), os.X_OK):
            return d
    return None


def _lcs_compile():
    """lcs-compile: $LCS_COMPILE, beside $LCS_WORKER, or the build tree's."""
    candidates = [os.environ.get("LCS_COMPILE")]
    if os.environ.get("LCS_WORKER"):
        candidates.append(os.path.join(
            os.path.dirname(os.environ["LCS_WORKER"]), "lcs-compile"))
    candidates.append(os.path.join(HERE, "..", "..", "build", "bin",
                                   "lcs-compile"))
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return c
    return None


# kind: the nvcc arguments that make it (the archive is made from the object)
KINDS = {
    "cubin": ["-arch=sm_90", "-rdc=true", "-cubin"],
    "fatbin": ["-arch=sm_90", "-rdc=true", "-fatbin"],
    "ptx": ["-arch=sm_90", "-rdc=true", "-ptx"],
    "o": ["-arch=sm_90", "-rdc=true", "-c"],
    "a": None,
    "ltoir": ["-arch=lto_90", "-dlto", "-ltoir"],
    "lto.fatbin": ["-arch=lto_90", "-dlto", "-fatbin"],
    "lto.o": ["-arch=lto_90", "-dlto", "-rdc=true", "-c"],
}


@pytest.mark.gpu
@pytest.mark.parametrize("kind", list(KINDS))
def test_each_link_kind_runs(kind, tmp_path):
    cp = pytest.importorskip("cupy")
    cuda_home, tool = _cuda_home(), _lcs_compile()
    if not cuda_home or not shutil.which("ar") or not tool:
        pytest.skip("needs nvcc, ar and lcs-compile")
    nvcc = os.path.join(cuda_home, "bin", "nvcc")
    dev = os.path.join(INPUTS, "dev.cu")
    if kind == "a":
        obj = tmp_path / "dev.o"
        subprocess.run([nvcc, *KINDS["o"], dev, "-o", str(obj)], check=True)
        made = tmp_path / "libdev.a"
        subprocess.run(["ar", "rcs", str(made), str(obj)], check=True)
    else:
        made = tmp_path / ("dev." + kind)
        subprocess.run([nvcc, *KINDS[kind], dev, "-o", str(made)], check=True)
    out = tmp_path / "kernel.cubin"
    subprocess.run([tool, "--emit=cubin", "--no-cache", "--arch=sm_90",
                    os.path.join(INPUTS, "block_sums.ll"), f"--link={made}",
                    "-o", str(out)], check=True)
    fn = cp.RawModule(path=str(out)).get_function("block_sums")
    blocks, block = 8, 128
    x = cp.arange(blocks * block, dtype=cp.float32)
    y = cp.zeros(blocks, dtype=cp.float32)
    fn((blocks,), (block,), (x, y))
    want = 2 * np.arange(0, blocks * block, block, dtype=np.float32)
    assert np.array_equal(y.get(), want)
