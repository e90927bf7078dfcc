"""lcs.numba: IR generation and identity on the CPU; numba-cuda's
launch-config-sensitive protocol through lcs on the stand-in driver or a
GPU; results against numba-cuda on a GPU."""


import re

import numpy as np
import pytest

import lcs

numba = pytest.importorskip("numba.cuda")
from numba import cuda, int32, types  # noqa: E402
from numba.cuda import launchconfig  # noqa: E402
from numba.cuda.core.rewrites import Rewrite, register_rewrite  # noqa: E402

import lcs.numba  # noqa: E402
from lcs.numba import jit  # noqa: E402
from conftest import FakeArray, run_threads  # noqa: E402
from kernels import sin_block_sums  # noqa: E402

F32_1D = types.float32[::1]
SIG = (F32_1D, F32_1D, types.float32)


# --- IR generation and the argument layout (no GPU) ---------------------------

@jit
def saxpy(x, out, a):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = a * x[i] + cuda.blockDim.x


def test_ir_for_cc_without_a_gpu():
    text = saxpy.compile_ir(SIG, cc=(9, 0))
    info = lcs.inspect(text)
    assert list(info) == [lcs.numba.KERNEL_NAME]
    k = info[lcs.numba.KERNEL_NAME]
    assert k["fields"] == ["block.x"]
    # The layout lcs.numba derives from numba's types is numba's ABI.
    layout, params = lcs.numba._layout(SIG, ["x", "out", "a"])
    assert params == k["params"]
    assert layout == [(True, 1), (True, 1), (False, 0)]


@pytest.mark.parametrize("t, param", [
    (types.int8, "i8"), (types.uint16, "i16"), (types.int32, "i32"),
    (types.uint64, "i64"), (types.float16, "half"), (types.float64, "double"),
    (types.boolean, "i8")])
def test_scalar_params_match_numba(t, param):
    @jit
    def k(out, v):
        out[0] = v

    sig = (types.float64[::1], t)
    ir = k.compile_ir(sig, cc=(9, 0))
    want = lcs.inspect(ir)[lcs.numba.KERNEL_NAME]["params"]
    got = lcs.numba._layout(sig, ["out", "v"])[1]
    assert got[-1] == param
    # numba passes float16 as i16: the same bytes, converted as a half.
    assert got[:-1] == want[:-1]
    assert want[-1] == ("i16" if param == "half" else param)


def test_two_dimensional_arrays():
    @jit
    def k(a):
        a[0, 0] = 1

    sig = (types.float32[:, :],)
    ir = k.compile_ir(sig, cc=(9, 0))
    assert lcs.numba._layout(sig, ["a"])[1] == \
        lcs.inspect(ir)[lcs.numba.KERNEL_NAME]["params"]


def test_unsupported_options_name_the_option():
    for opt in ("extensions",):
        with pytest.raises(lcs.UnsupportedError, match=f"'{opt}='"):
            jit(**{opt: True})
    with pytest.raises(lcs.UnsupportedError, match="device=True"):
        jit(device=True)
    with pytest.raises(lcs.InvalidArgumentError, match="unknown option 'fasmath'"):
        jit(fasmath=True)


PTX_INPUT = b""".version 8.0
.target sm_90
.address_size 64
.visible .func (.param .b32 r) lcs_twice(.param .b32 x)
{
  .reg .b32 %r<3>;
  ld.param.b32 %r1, [x];
  add.s32 %r2, %r1, %r1;
  st.param.b32 [r], %r2;
  ret;
}
"""


def test_link_inputs_are_read_and_keyed_by_content(tmp_path):
    path = tmp_path / "twice.ptx"
    path.write_bytes(PTX_INPUT)

    def body(out):
        out[0] = 1

    k = jit(link=[str(path), (b"\x7fELF...", "cubin", "mem.cubin")])(body)
    links = k.compile((types.int32[::1],), cc=(9, 0))["links"]
    assert [(n, kind) for n, kind, _ in links] == [
        (str(path), "ptx"), ("mem.cubin", "cubin")]
    assert links[0][2] == PTX_INPUT
    ident = lcs.numba.code_identity(body, (types.int32[::1],), k.options,
                                    (9, 0), k._links)
    path.write_bytes(PTX_INPUT + b"\n")
    k2 = jit(link=[str(path), (b"\x7fELF...", "cubin", "mem.cubin")])(body)
    assert lcs.numba.code_identity(body, (types.int32[::1],), k2.options,
                                   (9, 0), k2._links) != ident
    with pytest.raises(lcs.InvalidArgumentError,
                       match="cannot read link input '.*missing.ptx'"):
        jit(link=[str(tmp_path / "missing.ptx")])(body)
    with pytest.raises(lcs.InvalidArgumentError, match="unknown link input "
                       "kind 'elf'"):
        jit(link=[(b"x", "elf")])(body)
    with pytest.raises(lcs.InvalidArgumentError, match="link= is a list"):
        jit(link=True)(body)


def test_shared_memory_carveout_is_numbas():
    def body(out):
        out[0] = 1

    assert jit(shared_memory_carveout="MaxShared")(body)._carveout == 100
    assert jit(shared_memory_carveout="default")(body)._carveout == -1
    assert jit(shared_memory_carveout=25)(body)._carveout == 25
    with pytest.raises(lcs.InvalidArgumentError, match="not a percentage"):
        jit(shared_memory_carveout=101)(body)
    jit(lto=True)(body)  # accepted: LTO-IR inputs always link with -lto


def grid_sum(x, out):
    g = cuda.cg.this_grid()
    i = cuda.grid(1)
    if i < x.size:
        cuda.atomic.add(out, 0, x[i])
    g.sync()
    # Correct only if every block's adds are done: the grid sync.
    if i == 0:
        out[1] = out[0]


I32_1D = types.int32[::1]


@pytest.mark.gpu  # numba-cuda types grid groups through the driver
def test_grid_sync_links_cudadevrt_and_is_cooperative():
    built = jit(grid_sum).compile((I32_1D, I32_1D), cc=(9, 0))
    assert built["cooperative"]
    assert [kind for _, kind, _ in built["links"]] == ["library"]
    assert built["links"][0][0].endswith("libcudadevrt.a")
    assert not saxpy.compile(SIG, cc=(9, 0))["cooperative"]


def test_identity_of_a_grid_sync_kernel_digests_libcudadevrt(tmp_path,
                                                            monkeypatch):
    """A toolkit upgrade that changes libcudadevrt.a (same path, other
    bytes) changes the identity of a kernel that syncs the grid, so a disk
    entry linked with the old library is not served; other kernels do not
    read the library."""
    import numba.cuda.cudadrv.libs as libs
    lib = tmp_path / "libcudadevrt.a"
    reads = []

    def get_cudalib(name, static=False):
        reads.append(name)
        return str(lib)

    monkeypatch.setattr(libs, "get_cudalib", get_cudalib)
    sig = (I32_1D, I32_1D)
    try:
        lcs.numba._cudadevrt.cache_clear()
        lib.write_bytes(b"!<arch>\nold")
        old = lcs.numba.code_identity(grid_sum, sig, {}, (9, 0))
        assert lcs.numba.code_identity(grid_sum, sig, {}, (9, 0)) == old
        assert reads == ["cudadevrt"]  # read once per process
        lcs.numba._cudadevrt.cache_clear()
        lib.write_bytes(b"!<arch>\nnew")
        assert lcs.numba.code_identity(grid_sum, sig, {}, (9, 0)) != old
        assert ident(saxpy) and reads == ["cudadevrt"] * 2
    finally:
        lcs.numba._cudadevrt.cache_clear()


def test_cu_link_input_is_compiled_by_nvrtc(tmp_path):
    """A .cu link input becomes NVRTC's LTO-IR for the compute capability
    compiled for (numba-cuda's NVRTC wrapper returns cuda.core's
    ObjectCode). PTX (lto=False) is not tested here: cuda.core asks the
    driver whether it can load the PTX, which the stand-in cannot answer."""
    path = tmp_path / "twice.cu"
    path.write_text('extern "C" __device__ int twice(int x) '
                    "{ return 2 * x; }\n")

    def body(out):
        out[0] = 1

    links = jit(link=[str(path)])(body).compile((I32_1D,), cc=(9, 0))["links"]
    assert [(n, k) for n, k, _ in links] == [(str(path), "ltoir")]
    assert links[0][2].startswith(b"\xedCN\x7f")


def test_numbas_atomic_helpers_are_defined():
    # numba-cuda declares these in the lowering and defines them before
    # libNVVM (nvvm.llvm_replace): unresolved at the link without it.
    @jit
    def k(f32, f64, u64):
        cuda.atomic.max(f64, 0, 1.0)
        cuda.atomic.min(f32, 0, 1.0)
        cuda.atomic.sub(f32, 1, 1.0)
        cuda.atomic.nanmax(f64, 1, 1.0)
        cuda.atomic.inc(u64, 0, 10)
        cuda.atomic.dec(u64, 1, 10)

    ir = k.compile_ir((types.float32[::1], types.float64[::1],
                       types.uint64[::1]), cc=(9, 0))
    for helper in ("double_max", "float_min", "float_sub", "double_nanmax",
                   "u64_inc", "u64_dec"):
        assert re.search(rf"define internal \S+ @\"?___numba_atomic_{helper}",
                         ir), helper
    assert not re.search(r"declare \S+ @\"?___numba_atomic", ir)
    assert lcs.analyze(ir) == {lcs.numba.KERNEL_NAME: []}
    assert "atom." in lcs.ptx(ir)  # compiles: nothing unresolved


def test_kernel_names_survive_numbas_libnvvm_edits():
    # numba-cuda's edits before libNVVM delete "immarg" wherever it occurs:
    # the kernel is renamed first.
    @jit
    def shimmarg(x):
        x[0] = 1

    ir = shimmarg.compile_ir((types.int32[::1],), cc=(9, 0))
    assert list(lcs.analyze(ir)) == [lcs.numba.KERNEL_NAME]


def test_fastmath_is_numbas_nvvm_options():
    # numba-cuda's fastmath is libNVVM's -ftz=1 -prec-sqrt=0; without it
    # sqrtf rounds correctly, as libNVVM's defaults do.
    import math

    def body(r, x, y):
        r[0] = math.cos(x) + x / y + math.sqrt(y)

    sig = (types.float32[::1], types.float32, types.float32)
    fast = lcs.ptx(jit(fastmath=True)(body).compile_ir(sig, cc=(9, 0)))
    prec = lcs.ptx(jit(body).compile_ir(sig, cc=(9, 0)))
    for op in ("cos.approx.ftz.f32", "div.approx.ftz.f32",
               "sqrt.approx.ftz.f32", "add.ftz.f32"):
        assert op in fast and op not in prec, op
    assert "sqrt.rn.f32" in prec and "div.rn.f32" in prec
    assert ".ftz" not in prec.replace("ex2.approx.ftz", "")


def test_unsupported_types_name_the_parameter():
    with pytest.raises(lcs.UnsupportedError, match="parameter 'c'"):
        lcs.numba._layout((types.unicode_type,), ["c"])
    with pytest.raises(lcs.UnsupportedError, match=r"parameter 't\[1\]'"):
        lcs.numba._layout((types.Tuple((types.int32, types.unicode_type)),),
                          ["t"])


def test_tuples_and_complex_numbers_are_taken_apart_as_numba_does():
    @jit
    def k(out, c, t):
        out[0] = c.real + t[0] + t[1][0]

    sig = (types.float64[::1], types.complex64,
           types.Tuple((types.int64, types.UniTuple(types.float32, 2))))
    ir = k.compile_ir(sig, cc=(9, 0))
    want = lcs.inspect(ir)[lcs.numba.KERNEL_NAME]["params"]
    layout, params = lcs.numba._layout(sig, ["out", "c", "t"])
    assert params == want
    assert layout == [(True, 1)] + [(False, 0)] * 5
    leaves, composite = lcs.numba._leaves(sig, ["out", "c", "t"])
    assert composite and [n for _, n in leaves] == [
        "out", "c.real", "c.imag", "t[0]", "t[1][0]", "t[1][1]"]
    flat = lcs.numba._flatten(sig, ("a", 1.5 - 2j, (7, (0.5, 0.25))))
    assert flat == ("a", 1.5, -2.0, 7, 0.5, 0.25)
    assert [type(v) for v in flat[1:3]] == [np.float32, np.float32]


def test_launch_without_configuration():
    with pytest.raises(lcs.InvalidArgumentError, match=r"kernel\[grid, block\]"):
        saxpy(1, 2, 3)


# --- identity --------------------------------------------------------------

SCALE = 2.0


@cuda.jit(device=True)
def helper(v):
    return v + 1


@cuda.jit(device=True)
def helper_changed(v):
    return v + 2


def _make(body, **options):
    scope = {"cuda": cuda, "SCALE": SCALE, "helper": helper}
    exec(body, scope)
    return jit(**options)(scope["k"]) if options else jit(scope["k"])


def ident(kernel, sig=SIG, cc=(9, 0)):
    return lcs.numba.code_identity(kernel.py_func, sig, kernel.options, cc)


BASE = """
def k(x, out, a):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = helper(a * x[i] * SCALE)
"""


def test_identity_is_stable():
    assert ident(_make(BASE)) == ident(_make(BASE))


def test_identity_changes_with_the_body():
    assert ident(_make(BASE)) != ident(_make(BASE.replace("* SCALE", "+ SCALE")))


def test_identity_changes_with_a_closure_value():
    def outer(c):
        @jit
        def k(x, out, a):
            out[0] = c

        return k

    assert ident(outer(1.0)) != ident(outer(2.0))
    assert ident(outer(1.0)) == ident(outer(1.0))


def test_identity_changes_with_a_global_constant():
    k1 = _make(BASE)
    k2 = _make(BASE)
    k2.py_func.__globals__["SCALE"] = 3.0
    assert ident(k1) != ident(k2)


def test_identity_changes_with_a_called_device_function():
    k1 = _make(BASE)
    k2 = _make(BASE)
    k2.py_func.__globals__["helper"] = helper_changed
    assert ident(k1) != ident(k2)


def test_identity_covers_declare_device_and_its_link_files(tmp_path):
    """A declare_device function is identified by name, signature and the
    content of what it links: stable across declarations (no address),
    changed when a linked file changes (never a stale disk hit)."""
    src = tmp_path / "plus.cu"

    def declared(body):
        src.write_text('extern "C" __device__ int plus(int x) { ' + body +
                       ' }')
        return cuda.declare_device("plus", "int32(int32)", link=[str(src)],
                                   abi="c")

    def kernel_calling(fn):
        def k(x):
            x[0] = fn(x[0])
        return k

    sig = (types.int32[::1],)
    a = lcs.numba.code_identity(kernel_calling(declared("return x + 1;")),
                                sig, {}, (9, 0))
    b = lcs.numba.code_identity(kernel_calling(declared("return x + 1;")),
                                sig, {}, (9, 0))
    c = lcs.numba.code_identity(kernel_calling(declared("return x + 2;")),
                                sig, {}, (9, 0))
    assert a == b
    assert a != c


def test_identity_changes_with_a_jit_option():
    base = ident(_make(BASE))
    assert ident(_make(BASE, fastmath=True)) != base
    assert ident(_make(BASE, max_registers=32)) != base
    assert ident(_make(BASE, lineinfo=True)) != base


def test_identity_changes_with_types_and_cc():
    k = _make(BASE)
    assert ident(k) != ident(k, sig=(F32_1D, F32_1D, types.float64))
    assert ident(k) != ident(k, cc=(8, 0))


def test_identity_changes_with_a_registered_rewrite():
    k = _make(BASE)
    before = ident(k)

    @register_rewrite("after-inference")
    class NoOp(Rewrite):
        def match(self, func_ir, block, typemap, calltypes):
            return False

        def apply(self):
            return None

    assert ident(k) != before


def test_identity_does_not_compile():
    k = _make(BASE)
    ident(k)
    assert k.numba_compiles == 0


# --- numba-cuda's launch-config-sensitive protocol through lcs ------------

LOG = []


def _hook(name, action):
    """numba-cuda's test rewrite: on kernel ``name``, action(cfg) once."""
    @register_rewrite("after-inference")
    class Hook(Rewrite):
        def __init__(self, state):
            super().__init__(state)
            self._logged = False

        def match(self, func_ir, block, typemap, calltypes):
            if func_ir.func_id.func_name != name or self._logged:
                return False
            self._block = block
            return True

        def apply(self):
            action(launchconfig.ensure_current_launch_config())
            self._logged = True
            return self._block

    return Hook


def _log(fields, mark=True):
    def action(cfg):
        LOG.append({f: getattr(cfg, f) for f in fields})
        if mark:
            cfg.dispatcher.mark_launch_config_sensitive()
    return action


def _raise_smem(cfg):
    cfg.sharedmem = cfg.sharedmem + 256
    cfg.dispatcher.mark_launch_config_sensitive()


_hook("lcs_scenario_all", _log(("griddim", "blockdim", "sharedmem")))
_hook("lcs_scenario_block", _log(("blockdim",)))
_hook("lcs_scenario_nomark", _log(("blockdim",), mark=False))
_hook("lcs_smem_raise", _raise_smem)

CALLBACKS = []


def _register_callback(cfg):
    block = cfg.blockdim[0]
    cfg.pre_launch_callbacks.append(
        lambda kernel, launch: CALLBACKS.append((block, launch.blockdim[0])))
    cfg.dispatcher.mark_launch_config_sensitive()


_hook("lcs_pre_launch", _register_callback)


def _array(n=1):
    if lcs_gpu():
        return cuda.device_array(n, np.int32)
    return FakeArray(0x1000, (n,), "<i4")


def lcs_gpu():
    from conftest import GPU
    return GPU is not None


def _launch_logged(kernel, launches, n=1):
    """Clears LOG, then launches kernel at each (grid, block) on one array
    of n elements; returns the array."""
    LOG.clear()
    a = _array(n)
    for g, b in launches:
        kernel[g, b](a)
    return a


def _sensitivity(kernel):
    """(fields, explicit) of kernel's one signature."""
    (fields, explicit), = kernel.sensitivity.values()
    return fields, explicit


# The kernels of the scenarios below: the hooks above match them by name.
def lcs_scenario_all(x):
    x[0] = 1


def lcs_scenario_block(x):
    x[0] = 1


def lcs_scenario_nomark(x):
    x[0] = 1


def _three_compiles(kernel, a):
    c = kernel.counters
    assert c["numba_compiles"] == 3 and c["generator_calls"] == 3
    kernel[1, 64](a)  # a hit
    assert kernel.counters["numba_compiles"] == 3


def _two_compiles(kernel, a):
    assert kernel.counters["numba_compiles"] == 2


@pytest.mark.driver
@pytest.mark.parametrize("py_func, launches, log, check, fields_ok", [
    # numba-cuda's test_launch_config_sensitive: [1,32], [1,64], [2,32].
    pytest.param(
        lcs_scenario_all, [(1, 32), (1, 64), (2, 32)],
        [{"griddim": (1, 1, 1), "blockdim": (32, 1, 1), "sharedmem": 0},
         {"griddim": (1, 1, 1), "blockdim": (64, 1, 1), "sharedmem": 0},
         {"griddim": (2, 1, 1), "blockdim": (32, 1, 1), "sharedmem": 0}],
        _three_compiles, lambda f: "block.x" in f and "grid.x" in f,
        id="numba_scenario_three_compiles"),
    pytest.param(
        lcs_scenario_block, [(1, 32), (2, 32), (1, 64)],
        [{"blockdim": (32, 1, 1)}, {"blockdim": (64, 1, 1)}],
        _two_compiles, lambda f: f == ["block.x", "block.y", "block.z"],
        id="blockdim_only_hook_two_compiles"),
    pytest.param(
        lcs_scenario_nomark, [(1, 32), (4, 32), (1, 64)],
        [{"blockdim": (32, 1, 1)}, {"blockdim": (64, 1, 1)}],
        lambda kernel, a: None, lambda f: "block.x" in f,
        id="read_without_mark_is_never_reused"),
])
def test_launch_config_scenario(numba_lcs, py_func, launches, log, check,
                                fields_ok):
    """A hooked kernel launched at each (grid, block) of launches: the
    hook's LOG, the per-case check(kernel, array), then the fields the
    kernel's one signature is sensitive to, marked explicitly."""
    kernel = numba_lcs.jit(py_func)
    a = _launch_logged(kernel, launches)
    assert LOG == log
    check(kernel, a)
    fields, explicit = _sensitivity(kernel)
    assert explicit and fields_ok(fields)


@pytest.mark.driver
def test_pre_launch_callbacks_are_kept_for_the_variant(numba_lcs):
    """A callback registered by a variant's compile runs before that launch
    and before every later launch of the same variant, never another's."""
    @numba_lcs.jit
    def lcs_pre_launch(x):
        x[0] = 1

    CALLBACKS.clear()
    a = _array()
    for g, b in [(1, 32), (1, 32), (1, 64), (2, 32), (3, 64)]:
        lcs_pre_launch[g, b](a)
    # (the block size the variant was compiled for, the launch's)
    assert CALLBACKS == [(32, 32), (32, 32), (64, 64), (32, 32), (64, 64)]
    assert lcs_pre_launch.counters["numba_compiles"] == 2


@pytest.mark.gpu
def test_numba_streams(numba_lcs):
    """kernel[grid, block, stream] with numba-cuda's stream objects, as
    numba-cuda's own tests launch: the work is ordered on that stream."""
    @numba_lcs.jit
    def add(x, v):
        i = cuda.grid(1)
        if i < x.size:
            x[i] += v

    for make in (cuda.stream, cuda.default_stream,
                 cuda.legacy_default_stream, cuda.per_thread_default_stream):
        s = make()
        a = cuda.to_device(np.zeros(1000, np.float32), stream=s)
        for _ in range(3):
            add[4, 256, s](a, 1.0)
        s.synchronize()
        assert np.array_equal(a.copy_to_host(stream=s),
                              np.full(1000, 3.0, np.float32)), make.__name__


@pytest.mark.gpu
def test_launches_follow_numbas_current_device(numba_lcs):
    """One kernel object, launched with device 0 then device 1 current:
    each launch runs on the current device, with that device's arrays."""
    if len(cuda.gpus) < 2:
        pytest.skip("needs two devices")

    @numba_lcs.jit
    def add_one(x):
        i = cuda.grid(1)
        if i < x.size:
            x[i] += 1

    results = {}
    for dev in (0, 1, 0):
        with cuda.gpus[dev]:
            a = cuda.to_device(np.arange(64, dtype=np.int32) * (dev + 1))
            add_one[1, 64](a)
            results.setdefault(dev, []).append(a.copy_to_host())
    for dev, outs in results.items():
        for out in outs:
            assert np.array_equal(
                out, np.arange(64, dtype=np.int32) * (dev + 1) + 1)
    assert add_one.counters["numba_compiles"] == 1  # device 0's object
    assert add_one._devices[1].counters["numba_compiles"] == 1


@pytest.mark.driver
def test_tuple_and_complex_arguments(numba_lcs, fake):
    import struct

    @numba_lcs.jit
    def k(out, c, t):
        out[0] = int32(c.real * 10 + c.imag + t[0] + t[1][0] + t[1][1])

    out = _array()
    # Python's complex and floats are numba's complex128 and float64; the
    # numpy scalars keep their widths.
    for c, t, widths in ((1.5 - 2j, (7, (0.5, 0.25)), "dddd"),
                         (np.complex64(1.5 - 2j),
                          (7, (np.float32(0.5), 0.25)), "fffd")):
        k[1, 1](out, c, t)
        if fake:
            from conftest import last_launch
            p = last_launch()[0]
            # After the array's 7 parameters: the parts, then the tuple's
            # members, one parameter each as numba passes them.
            raw = [struct.pack("<Q", v) for v in (p[7], p[8], p[10], p[11])]
            got = [struct.unpack("<" + w, b[:struct.calcsize(w)])[0]
                   for w, b in zip(widths, raw)]
            assert got == [1.5, -2.0, 0.5, 0.25] and p[9] == 7
        else:
            assert out.copy_to_host()[0] == int(15 - 2 + 7 + 0.75)
    assert len(k.signatures) == 2  # complex128 and complex64

    # An explicit complex signature takes a real number, as numba's
    # conversions allow: taken apart all the same.
    @numba_lcs.jit("void(int32[::1], complex128)")
    def e(out, c):
        out[0] = int32(c.real * 10 + c.imag)

    for v in (1.5, 1.5 + 0j, 1.5):  # the second launch of a real as well
        e[1, 1](out, v)
        if fake:
            p = last_launch()[0]
            assert struct.unpack("<dd", struct.pack("<QQ", p[7], p[8])) == \
                (1.5, 0.0)
        else:
            assert out.copy_to_host()[0] == 15


@pytest.mark.driver
def test_specialize_forall_and_overloads(numba_lcs, fake):
    @numba_lcs.jit
    def k(out, n):
        i = cuda.grid(1)
        if i < n:
            out[i] = i

    out = _array(1000)
    s = k.specialize(out, 1000)
    assert s.specialized and not k.specialized
    assert k.specialize(out, 1) is s  # the same types
    with pytest.raises(RuntimeError, match="already specialized"):
        s.specialize(out, 1000)
    with pytest.raises(ValueError, match="negative task count"):
        k.forall(-1)
    k.forall(0)(out, 0)  # no work: no launch
    assert not k.overloads and len(s.overloads) == 1
    k.forall(1000)(out, 1000)
    if fake:
        from conftest import last_launch
        assert last_launch()[1][:6] == [8, 1, 1, 128, 1, 1]
    else:
        assert (out.copy_to_host() == np.arange(1000)).all()
    k.forall(1000, tpb=250)(out, 1000)
    if fake:
        assert last_launch()[1][:6] == [4, 1, 1, 250, 1, 1]
    assert list(s.overloads) == s.signatures and s.overloads[s.signatures[0]]


@pytest.mark.driver
def test_inspect_asm_is_lcs_generic_ptx(numba_lcs):
    @numba_lcs.jit("void(int32[::1])", launch_bounds=128)
    def k(x):
        x[0] = cuda.blockDim.x

    sig = k.signatures[0]
    ptx = k.inspect_asm(sig)
    assert f".entry {lcs.numba.KERNEL_NAME}" in ptx
    assert re.search(r"\.maxntid\s+128", ptx) and "%ntid.x" in ptx
    every = k.inspect_asm()
    assert list(every) == [sig] and ".maxntid" in every[sig]


@pytest.mark.driver
def test_sharedmem_raise_is_extra_dynamic_smem(numba_lcs, fake):
    @numba_lcs.jit
    def lcs_smem_raise(x):
        x[0] = 1

    lcs_smem_raise[1, 32, 0, 128](_array())
    if fake:
        from conftest import last_launch
        assert last_launch()[1][6] == 128 + 256


@pytest.mark.driver
def test_unmarked_kernel_is_left_to_the_analysis(numba_lcs):
    @numba_lcs.jit
    def plain(x):
        x[cuda.threadIdx.x] = cuda.blockDim.x

    _launch_logged(plain, [(1, 32), (2, 32), (1, 64)], n=64)
    fields, explicit = _sensitivity(plain)
    assert fields == ["block.x"] and not explicit
    # numba compiles once: its IR serves every configuration, and lcs
    # specialises it per block size (grid not in the key).
    c = plain.counters
    assert c["numba_compiles"] == 1 and c["compiles"] == 2


@pytest.mark.driver
def test_explicit_signature(numba_lcs):
    @numba_lcs.jit("void(int32[::1], float32)")
    def k(x, v):
        x[0] = v

    a = _array()
    k[1, 1](a, 1.5)
    k[1, 1](a, 2)
    assert len(k.signatures) == 1
    with pytest.raises(lcs.InvalidArgumentError, match="no signature matches"):
        k[1, 1](a, a)


def test_explicit_signatures_resolve_as_numba_does():
    @jit(["void(float64[::1], float32, float32)",
          "void(float64[::1], float64, float64)"])
    def k(r, x, y):
        r[0] = x + y

    f64 = types.float64[::1]

    def pick(*scalars):
        return k._match_explicit((f64,) + scalars).argtypes[1:]

    # numba-cuda's overload resolution: exact first, then conversions.
    assert pick(types.float32, types.float32) == (types.float32,) * 2
    assert pick(types.float64, types.float64) == (types.float64,) * 2
    assert pick(types.int64, types.int64) == (types.float64,) * 2
    with pytest.raises(TypeError, match="No matching definition"):
        pick(types.complex128, types.complex128)
    with pytest.raises(lcs.InvalidArgumentError, match="no signature matches"):
        k._match_explicit((types.float64[:, ::1], types.float64,
                           types.float64))

    @jit(["void(float64[::1], float32, float64)",
          "void(float64[::1], float64, float32)"])
    def both(r, x, y):
        r[0] = x + y

    with pytest.raises(TypeError, match="Ambiguous overloading"):
        both._match_explicit((f64, types.float64, types.float64))


# --- against numba-cuda on a GPU ---------------------------------------------

@pytest.mark.gpu
def test_bitwise_equal_to_numba_cuda(numba_lcs):
    ours = numba_lcs.jit(sin_block_sums)
    theirs = cuda.jit(sin_block_sums)
    x = cuda.to_device(np.random.default_rng(7).standard_normal(1 << 20)
                       .astype(np.float32))
    for grid, block in [(80, 128), (80, 256), (132, 256), (264, 1024)]:
        o1 = cuda.device_array(grid, np.float32)
        o2 = cuda.device_array(grid, np.float32)
        ours[grid, block](x, o1, np.float32(0.5))
        theirs[grid, block](x, o2, np.float32(0.5))
        cuda.synchronize()
        assert np.array_equal(o1.copy_to_host(), o2.copy_to_host())


@pytest.mark.gpu
def test_grid_sync_kernel_launches_cooperatively(numba_lcs):
    """numba-cuda's grid sync through lcs: the largest co-resident grid
    sums exactly; one block more is refused before the driver."""
    import re
    k = numba_lcs.jit(grid_sum)
    block = 256
    out = cuda.device_array(2, np.int32)
    with pytest.raises(lcs.InvalidConfigError,
                       match="cannot be co-resident") as e:
        k[1 << 20, block](cuda.to_device(np.ones(1, np.int32)), out)
    most = int(re.search(r"at most (\d+)", str(e.value)).group(1))
    assert most > 0
    n = most * block
    x = (np.arange(n) % 7).astype(np.int32)
    out = cuda.to_device(np.zeros(2, np.int32))
    k[most, block](cuda.to_device(x), out)
    got = out.copy_to_host()
    assert got[0] == got[1] == x.sum()
    with pytest.raises(lcs.InvalidConfigError,
                       match=f"grid of {most + 1} blocks cannot be "
                       f"co-resident: at most {most} "):
        k[most + 1, block](cuda.to_device(x), out)


@pytest.mark.driver
def test_second_process_launches_from_disk(tmp_path):
    """No numba compile and no lcs compile in a process whose kernel is on
    disk: the identity is stable across processes."""
    import json
    import os
    import subprocess
    import sys
    from conftest import FAKE, HERE

    def run():
        out = subprocess.run(
            [sys.executable, os.path.join(HERE, "cold_start.py"),
             str(tmp_path), "fake" if FAKE else "gpu"],
            capture_output=True, text=True, cwd=HERE, timeout=300)
        assert out.returncode == 0, out.stderr[-2000:]
        return json.loads(out.stdout.strip().splitlines()[-1])

    first, second = run(), run()
    assert first["numba_compiles"] == 1 and first["compiles"] == 1
    assert second["numba_compiles"] == 0 and second["compiles"] == 0
    assert second["disk_hits"] == 1 and second["generator_calls"] == 0


_hook("lcs_threads_block", _log(("blockdim",)))


@pytest.mark.driver
def test_threads_launch_a_marked_kernel(numba_lcs):
    """4 threads x 2 block sizes x 10 launches: one numba compile per block
    size, no deadlock between the GIL, numba's compiler lock and lcs's
    single flight."""

    @numba_lcs.jit
    def lcs_threads_block(x):
        x[0] = 1

    LOG.clear()
    a = _array()

    def work(i):
        for _ in range(10):
            for b in (32, 64):
                lcs_threads_block[1, b](a)

    run_threads(4, work)
    assert sorted(e["blockdim"] for e in LOG) == [(32, 1, 1), (64, 1, 1)]
    assert lcs_threads_block.counters["numba_compiles"] == 2


@pytest.mark.gpu
def test_host_arrays_are_copied_in_and_out(numba_lcs):
    """As numba-cuda does with NumPy arrays (its LC-S test passes one)."""
    @numba_lcs.jit
    def fill(x, v):
        i = cuda.grid(1)
        if i < x.size:
            x[i] = v + i

    x = np.zeros(100, np.int32)
    fill[1, 128](x, 5)
    assert np.array_equal(x, np.arange(100, dtype=np.int32) + 5)
