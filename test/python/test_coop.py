"""cuda.coop's single-phase pattern through lcs.numba (coop_pattern.py): an
after-inference rewrite instantiates CUB's block reduction and block scan
for the launch's block size with NVRTC, as LTO-IR linked into the kernel.
On the stand-in driver everything up to the cubin (NVRTC, nvJitLink with
-lto, the variants, the disk) runs on the CPU; on a GPU the results are
checked against the host."""

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("numba.cuda")

from conftest import HERE  # noqa: E402

BLOCKS = [64, 128, 256, 1024]
LTOIR_MAGIC = b"\xedCN\x7f"


def test_nvrtc_gives_cub_ltoir_per_block_size():
    """NVRTC (as numba-cuda finds it) compiles CUB's primitives for a block
    size and compute capability, no GPU needed; the block size is in the
    code."""
    import coop_pattern
    small = coop_pattern.cub_ltoir(64, (9, 0))
    large = coop_pattern.cub_ltoir(1024, (9, 0))
    assert small.startswith(LTOIR_MAGIC) and large.startswith(LTOIR_MAGIC)
    assert small != large


def _child(cache, mode):
    out = subprocess.run(
        [sys.executable, os.path.join(HERE, "coop_child.py"), str(cache),
         mode], capture_output=True, text=True, cwd=HERE, timeout=600)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-4000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _single_phase(tmp_path, mode):
    """Two processes on one cache directory: the first compiles each block
    size once (one rewrite, one NVRTC call, one numba compile, one lcs
    compile each) and serves the second round from memory; the second takes
    all four from disk, running no rewrite, NVRTC, numba or lcs compile."""
    first, second = _child(tmp_path, mode), _child(tmp_path, mode)
    compiled, again = first["rounds"]
    assert first["rewrite_blocks"] == BLOCKS
    assert first["nvrtc"] == [f"coop_block_{b}.cu" for b in BLOCKS]
    assert compiled["compiles"] == compiled["numba_compiles"] == 4
    assert compiled["generator_calls"] == 4
    assert again["compiles"] == 4 and again["memory_hits"] == 4
    # One LTO-IR per block size, each given to lcs for its variant.
    links = first["links"]
    assert [link["name"] for link in links] == [
        f"coop_block_{b}.ltoir" for b in BLOCKS]
    assert {link["kind"] for link in links} == {"ltoir"}
    assert len({link["digest"] for link in links}) == 4

    cold, warm = second["rounds"]
    assert second["rewrite_blocks"] == [] and second["nvrtc"] == []
    assert second["links"] == []
    assert cold["disk_hits"] == 4
    assert cold["compiles"] == cold["numba_compiles"] == 0
    assert cold["generator_calls"] == 0
    assert warm["compiles"] == 0 and warm["memory_hits"] == 4
    return first, second


@pytest.mark.fake
def test_single_phase_on_the_stand_in_driver(tmp_path):
    _single_phase(tmp_path, "fake")


@pytest.mark.gpu
def test_single_phase_cub_results_equal_the_host(tmp_path):
    """Block sums and inclusive scans of CUB's primitives, linked as LTO-IR
    per block size, equal the host's: compiled, and from disk."""
    for run in _single_phase(tmp_path, "gpu"):
        assert run["ok"] == {str(b): {"sums": True, "scans": True}
                             for b in BLOCKS}, run["ok"]
