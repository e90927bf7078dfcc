"""How a launch reads its arguments: device arrays through numba's and
CuPy's attributes or __cuda_array_interface__ (the same values either way),
and lcs.numba's signature key (what numba's typing reads from them)."""

import ctypes

import numpy as np
import pytest

import lcs
from lcs import _lcs
from conftest import GPU, FakeArray, last_launch

numba_cuda = pytest.importorskip("numba.cuda")
from numba import cuda  # noqa: E402
from numba.cuda.cudadrv import devicearray  # noqa: E402
from numba.cuda.cudadrv import driver as _driver  # noqa: E402
from numba.cuda.typing.typeof import Purpose, typeof  # noqa: E402


def numba_array(shape, dtype=np.float32, ptr=0x10000, strides=None):
    """A numba-cuda device array over a made-up pointer (never touched)."""
    dtype = np.dtype(dtype)
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if strides is None:
        strides, acc = [], dtype.itemsize
        for n in reversed(shape):
            strides.insert(0, acc)
            acc *= n
    size = int(np.prod(shape)) * dtype.itemsize
    mem = _driver.MemoryPointer(context=None,
                                pointer=_driver.binding.CUdeviceptr(ptr),
                                size=max(size, 1))
    return devicearray.DeviceNDArray(shape, tuple(strides), dtype,
                                     gpu_data=mem)


def interface_view(a):
    """What __cuda_array_interface__ says, as _read_array reports it."""
    cai = a.__cuda_array_interface__
    itemsize = int(cai["typestr"][2:])
    strides = cai.get("strides")
    if strides is None:
        strides, acc = [], itemsize
        for n in reversed(cai["shape"]):
            strides.insert(0, acc)
            acc *= n
    return {"data": cai["data"][0], "shape": tuple(cai["shape"]),
            "strides": tuple(strides), "itemsize": itemsize,
            "readonly": bool(cai["data"][1])}


def read(a):
    got = _lcs._read_array(a)
    return {k: got[k] for k in ("data", "shape", "strides", "itemsize",
                                "readonly")}


def numba_arrays():
    """Views as numba makes them of a (6, 8) float64 array at 0x20000
    (slicing itself needs a context)."""
    return {
        "1-d": numba_array(100),
        "2-d C": numba_array((4, 5), np.int32),
        "2-d F": numba_array((4, 5), np.int16, strides=(2, 8)),
        "column view": numba_array(6, np.float64, 0x20000 + 24, (64,)),
        "strided view": numba_array((3, 3), np.float64, 0x20000 + 64,
                                    (128, 24)),
        "0-d": numba_array((), np.int64),
    }


@pytest.mark.parametrize("name", list(numba_arrays()))
def test_numba_arrays_read_as_their_interface_says(name):
    a = numba_arrays()[name]
    assert read(a) == interface_view(a)


@pytest.mark.parametrize("strides", [None, (32, 4), (4, 16)])
def test_interface_objects_read_as_they_say(strides):
    a = FakeArray(0x3000, (4, 8), "<f4", strides)
    assert read(a) == interface_view(a)
    got = _lcs._read_array(a)
    assert got["c_contiguous"] == (strides in (None, (32, 4)))
    assert got["f_contiguous"] == (strides == (4, 16))


@pytest.mark.parametrize("cai, message", [
    ({"shape": (4,), "typestr": "<f4", "version": 3}, "no 'data'"),
    ({"data": (1, False), "shape": (4,), "version": 3}, "no 'typestr'"),
    ({"data": (1, False), "shape": (4,), "typestr": "<f4",
      "mask": object(), "version": 3}, "masked arrays"),
    ({"data": (1, False), "shape": (4,), "typestr": "<f4",
      "strides": (4, 4), "version": 3}, "one per dimension"),
    ({"data": (1, False), "shape": (-1,), "typestr": "<f4", "version": 3},
     "negative extent"),
    ({"data": ("x", False), "shape": (4,), "typestr": "<f4", "version": 3},
     "not an integer"),
    ({"data": (1, False), "shape": (1,) * 65, "typestr": "<f4",
      "version": 3}, "more than 64 dimensions"),
    ({"data": (1, False), "shape": (4,), "typestr": "<f", "version": 3},
     "not an array type"),
    ({"data": (1, False), "shape": (4,), "typestr": "<\ud800",
      "version": 3}, "no 'typestr'"),
])
def test_bad_interfaces_are_named(cai, message):
    class Bad:
        __cuda_array_interface__ = cai
    with pytest.raises(lcs.InvalidArgumentError, match=message):
        _lcs._read_array(Bad())


@pytest.mark.gpu
def test_cupy_arrays_read_as_their_interface_says():
    cp = pytest.importorskip("cupy")
    base = cp.arange(48, dtype=cp.float32).reshape(6, 8)
    for a in (base, base.T, base[1::2, ::3], base[:, 5], cp.empty(0),
              cp.asfortranarray(base)):
        assert read(a) == interface_view(a)


@pytest.mark.gpu
def test_real_numba_arrays_read_as_their_interface_says():
    base = cuda.device_array((6, 8), np.float32)
    for a in (base, base[1::2, ::3], base.T, cuda.device_array(0),
              cuda.mapped_array(4), cuda.managed_array(4)):
        assert read(a) == interface_view(a)


# --- lcs.numba's launch -------------------------------------------------------

@pytest.mark.driver
def test_signature_key_follows_numbas_typing(numba_lcs):
    """Arrays that numba types differently never share a signature: C, F
    and non-contiguous layouts, dimensions, element types."""
    @numba_lcs.jit
    def k(x):
        x[0] = 1

    if GPU:
        base = cuda.device_array((6, 8), np.float32)
        args = [base, base.T, base[:, ::2], base[0], base[0]]
    else:
        args = [numba_array((6, 8), np.float32),
                numba_array((8, 6), np.float32, strides=(4, 32)),
                numba_array((6, 4), np.float32, strides=(32, 8)),
                numba_array(8, np.float32), numba_array(4, np.int32)]
    for a in args:
        k[1, 1](a)
        k[1, 1](a)
    want = {(typeof(a, Purpose.argument),) for a in args}
    assert set(k.signatures) == want  # one signature per numba type


@pytest.mark.fake
def test_numba_arrays_are_passed_in_numbas_abi(numba_lcs):
    @numba_lcs.jit
    def k(x, v):
        x[0, 0] = v

    view = numba_array((3, 3), np.float64, 0x40000 + 64, (128, 24))
    k[1, 1](view, 2.5)
    params = last_launch()[0]
    # meminfo, parent, nitems, itemsize, data, shape[2], strides[2], v
    assert params[:9] == [0, 0, 3 * 3, 8, 0x40000 + 8 * 8, 3, 3, 128, 24]
    assert np.float64(2.5).view(np.uint64) == params[9]


@pytest.mark.fake
def test_launch_order_never_shares_a_signature(numba_lcs):
    """Arrays whose numba types differ in ways a coarse key would merge,
    launched in the order that would reuse the wrong kernel: a broadcast
    (zero-stride) array after a C one, a strided array after an empty one
    of the same flags, a big int after a small one."""
    @numba_lcs.jit
    def k(x, v):
        x[0, 0] = v

    args = [(numba_array((4, 3), np.float32), 1),
            (numba_array((4, 3), np.float32, strides=(0, 4)), 1),
            (FakeArray(0x8000, (0, 4), "<f4", (32, 8)), 1),
            (FakeArray(0x8000, (6, 4), "<f4", (32, 8)), 1),
            (FakeArray(0x8000, (6, 4), "<f4", (32, 8)), 2 ** 63)]
    for a in args:
        k[1, 1](*a)
        k[1, 1](*a)
    want = {tuple(typeof(x, Purpose.argument) for x in a) for a in args}
    assert set(k.signatures) == want  # numba's own types, one signature each


@pytest.mark.fake
def test_instance_interfaces_are_read_per_object(numba_lcs):
    """A class whose instances carry the interface themselves: each
    instance is read (the first one lacking it decides nothing)."""
    @numba_lcs.jit
    def k(x):
        x[0] = 1

    class Maybe:
        pass

    with pytest.raises(Exception):
        k[1, 1](Maybe())
    for typestr in ("<f4", "<f8", "<f4"):
        m = Maybe()
        m.__cuda_array_interface__ = {"data": (0x7000, False), "shape": (4,),
                                      "typestr": typestr, "version": 3}
        k[1, 1](m)
    assert sorted(str(t[0].dtype) for t in k.signatures) == [
        "float32", "float64"]


def test_a_launched_kernel_is_collected(numba_lcs):
    """The kernel's programs hold their generator weakly: a kernel that
    launched is freed with its last reference."""
    import gc
    import weakref

    @numba_lcs.jit
    def k(x):
        x[0] = 1

    from conftest import FAKE
    if FAKE:
        k[1, 32](numba_array(4))
    ref = weakref.ref(k)
    del k
    gc.collect()
    assert ref() is None


@pytest.mark.fake
def test_many_arguments(numba_lcs):
    """More arguments than the launch keeps on its stack (8)."""
    @numba_lcs.jit
    def k(a, b, c, d, e, f, g, h, i, j):
        a[0] = b[0] + c[0] + d[0] + e[0] + f[0] + g[0] + h[0] + i[0] + j

    arrays = [numba_array(4, np.float32, ptr=0x1000 * (n + 1))
              for n in range(9)]
    for _ in range(2):
        k[1, 1](*arrays, 1.5)
    params = last_launch()[0]  # the stand-in keeps the first 32 slots
    # each array's data pointer, 7 slots apart
    assert [params[7 * n + 4] for n in range(4)] == [
        0x1000, 0x2000, 0x3000, 0x4000]
    assert len(k.signatures) == 1


@pytest.mark.driver
def test_a_bad_array_names_the_parameter(numba_lcs):
    @numba_lcs.jit
    def k(x):
        x[0] = 1

    class Bad:
        __cuda_array_interface__ = {"data": (1, False), "shape": (4,),
                                    "typestr": "<f4", "mask": object(),
                                    "version": 3}
    with pytest.raises(lcs.InvalidArgumentError,
                       match=r"parameter 0 \('x'\): masked arrays"):
        k[1, 1](Bad())


def test_an_unused_kernel_is_collected():
    """kernel[...] launchers and the kernel refer to each other; Python's
    cycle collector frees them."""
    import gc
    import weakref
    from lcs.numba import jit

    @jit
    def k(x):
        x[0] = 1

    launcher = k[1, 32]
    assert k[1, 32] is launcher
    ref = weakref.ref(k)
    del k, launcher
    gc.collect()
    assert ref() is None


# --- DLPack-only objects ------------------------------------------------------

class _DLTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("device_type", ctypes.c_int32),
                ("device_id", ctypes.c_int32), ("ndim", ctypes.c_int32),
                ("code", ctypes.c_uint8), ("bits", ctypes.c_uint8),
                ("lanes", ctypes.c_uint16),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("strides", ctypes.POINTER(ctypes.c_int64)),
                ("byte_offset", ctypes.c_uint64)]


class _DLManaged(ctypes.Structure):
    _fields_ = [("tensor", _DLTensor), ("ctx", ctypes.c_void_p),
                ("deleter", ctypes.c_void_p)]


_new_capsule = ctypes.pythonapi.PyCapsule_New
_new_capsule.restype = ctypes.py_object
_new_capsule.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]


class DLPackOnly:
    """A device tensor offering only DLPack (made-up pointer), as JAX or a
    framework without the CUDA Array Interface would."""

    def __init__(self, ptr, shape, code=2, bits=32, strides=None,
                 device=2, offset=0):
        n = len(shape)
        self._shape = (ctypes.c_int64 * max(n, 1))(*shape)
        self._strides = (None if strides is None else
                         (ctypes.c_int64 * max(n, 1))(*strides))
        self._m = _DLManaged()
        t = self._m.tensor
        t.data, t.device_type, t.device_id, t.ndim = ptr, device, 0, n
        t.code, t.bits, t.lanes = code, bits, 1
        t.shape = self._shape
        t.strides = (ctypes.cast(self._strides, ctypes.POINTER(ctypes.c_int64))
                     if self._strides is not None else None)
        t.byte_offset = offset
        self.device = device

    def __dlpack_device__(self):
        return (self.device, 0)

    def __dlpack__(self, stream=None, max_version=None, **kwargs):
        # The unversioned capsule (a producer may give it whatever the
        # consumer asks for); no destructor: the tensor lives in this object.
        return _new_capsule(ctypes.addressof(self._m), b"dltensor", None)


def test_dlpack_tensors_are_read():
    got = _lcs._read_array(DLPackOnly(0x5000, (4, 6), strides=(1, 4),
                                      offset=16))
    assert got["data"] == 0x5000 + 16
    assert got["shape"] == (4, 6) and got["strides"] == (4, 16)
    assert got["typestr"] == "<f4" and got["f_contiguous"]
    got = _lcs._read_array(DLPackOnly(0x5000, (3,), code=0, bits=8))
    assert got["typestr"] == "|i1" and got["strides"] == (1,)


@pytest.mark.parametrize("kwargs, message", [
    ({"device": 1}, "device type 1, not a CUDA device"),
    ({"code": 4, "bits": 16}, "no numpy equivalent"),
    ({"bits": 12}, "has 12 bits"),
    ({"no_shape": True}, "has no shape"),
])
def test_bad_dlpack_tensors_are_named(kwargs, message):
    no_shape = kwargs.pop("no_shape", False)
    t = DLPackOnly(0x5000, (4,), **kwargs)
    if no_shape:
        t._m.tensor.shape = None
    with pytest.raises(lcs.InvalidArgumentError, match=message):
        _lcs._read_array(t)


@pytest.mark.fake
def test_dlpack_tensors_launch_through_lcs_numba(numba_lcs):
    @numba_lcs.jit
    def k(x, v):
        x[0, 0] = v

    k[1, 1](DLPackOnly(0x6000, (2, 3), bits=64), 2.5)
    params = last_launch()[0]
    # meminfo, parent, nitems, itemsize, data, shape[2], strides[2], v
    assert params[:9] == [0, 0, 6, 8, 0x6000, 2, 3, 24, 8]
    assert [str(t) for t in k.signatures[0]] == ["array(float64, 2d, C)",
                                                 "float64"]


@pytest.mark.gpu
def test_dlpack_only_cupy_arrays_compute_through_lcs_numba(numba_lcs):
    cp = pytest.importorskip("cupy")

    class Only:
        def __init__(self, a):
            self.a = a

        def __dlpack__(self, stream=None):
            return self.a.__dlpack__()

        def __dlpack_device__(self):
            return self.a.__dlpack_device__()

    @numba_lcs.jit
    def twice(x, out):
        i = cuda.grid(1)
        if i < x.size:
            out[i] = 2 * x[i]

    x = cp.arange(1000, dtype=cp.float32)
    out = cp.zeros_like(x)
    twice[4, 256](Only(x), Only(out))
    assert cp.array_equal(out, 2 * x)
