"""Fixtures for lcs's Python tests.

Without a GPU, a stand-in libcuda.so.1 (fake_cuda.c, built here with the
system C compiler) is loaded before lcs loads the driver, so that launches,
generators, threads and numba-cuda's launch-config protocol are tested on
any machine; tests marked ``gpu`` need the real driver and a device, and
skip with the reason otherwise.
"""

import ctypes
import os
import shutil
import subprocess
import tempfile

import numpy as np
import pytest

if not hasattr(np, "row_stack"):  # numba-cuda 0.30 under numpy >= 2.4
    np.row_stack = np.vstack
os.environ.setdefault("NUMBA_CUDA_LOW_OCCUPANCY_WARNINGS", "0")

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "lit", "Inputs", "corpus")


def _real_gpu():
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
    except OSError as e:
        return None, f"no CUDA driver ({e})"
    if cuda.cuInit(0) != 0:
        return None, "cuInit failed: no usable device"
    n = ctypes.c_int()
    if cuda.cuDeviceGetCount(ctypes.byref(n)) != 0 or n.value == 0:
        return None, "no CUDA device"
    return cuda, None


def _load_fake():
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        return None, "no C compiler for the stand-in driver"
    out = os.path.join(tempfile.mkdtemp(prefix="lcs-fake-cuda-"), "libcuda.so.1")
    inc = []
    for d in (os.environ.get("CUDA_HOME"), os.environ.get("CUDA_PATH"),
              "/usr/local/cuda"):
        if d and os.path.exists(os.path.join(d, "include", "cuda.h")):
            inc = ["-I" + os.path.join(d, "include")]
            break
    r = subprocess.run([cc, "-shared", "-fPIC", "-O1", *inc,
                        "-Wl,-soname,libcuda.so.1", "-o", out,
                        os.path.join(HERE, "fake_cuda.c")],
                       capture_output=True, text=True)
    if r.returncode:
        return None, "building the stand-in driver failed: " + r.stderr[-300:]
    # Loaded globally under its soname: lcs's dlopen("libcuda.so.1") finds it.
    return ctypes.CDLL(out, mode=ctypes.RTLD_GLOBAL), None


GPU, NO_GPU_REASON = _real_gpu()
FAKE, NO_FAKE_REASON = (None, "a real driver is present") if GPU else _load_fake()


def pytest_configure(config):
    config.addinivalue_line("markers", "gpu: needs a CUDA device")
    config.addinivalue_line(
        "markers", "driver: needs the real driver or the stand-in")
    config.addinivalue_line("markers", "fake: needs the stand-in driver")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "gpu" in item.keywords and not GPU:
            item.add_marker(pytest.mark.skip(reason=NO_GPU_REASON))
        if "driver" in item.keywords and not (GPU or FAKE):
            item.add_marker(pytest.mark.skip(reason=NO_FAKE_REASON))
        if "fake" in item.keywords and not FAKE:
            item.add_marker(pytest.mark.skip(reason=NO_FAKE_REASON))


@pytest.fixture
def fake():
    return FAKE


@pytest.fixture
def runtime(tmp_path):
    import lcs
    return lcs.Runtime(cache_dir=str(tmp_path / "cache"))


class FakeArray:
    """A device array as far as the protocol goes (never dereferenced)."""

    def __init__(self, ptr, shape, typestr="<f4", strides=None):
        self.__cuda_array_interface__ = {
            "data": (ptr, False), "shape": tuple(shape), "typestr": typestr,
            "strides": strides, "version": 3}


@pytest.fixture
def numba_lcs(monkeypatch, tmp_path):
    """lcs.numba on the stand-in driver or the GPU, with a fresh cache."""
    import lcs
    import lcs.numba
    if FAKE:
        monkeypatch.setattr(lcs.numba, "_current_device", lambda: (0, (9, 0)))
        device = 0
    else:
        device, _ = lcs.numba._current_device()
    monkeypatch.setitem(lcs.numba._runtimes, device,
                        lcs.Runtime(cache_dir=str(tmp_path / "cache")))
    return lcs.numba


def last_launch():
    params = (ctypes.c_uint64 * 32)()
    dims = (ctypes.c_uint * 7)()
    FAKE.fake_last_launch(params, dims)
    return list(params), list(dims)


def run_threads(count, work, timeout=300):
    """work(i) on count threads started together; fails on a deadlock (a
    thread still running after timeout) or on any exception."""
    import threading
    errors = []
    start = threading.Barrier(count)

    def body(i):
        try:
            start.wait()
            work(i)
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(e)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "deadlock"
    assert not errors, errors
