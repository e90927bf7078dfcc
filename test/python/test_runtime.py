"""lcs.Runtime: programs, launches, argument conversion, generators, threads.

Marked ``driver``: on the stand-in driver without a GPU, on the GPU with the
real one (the kernels are empty: pointers are never dereferenced). Checks
of the exact bytes passed are ``fake`` only.
"""

import struct
import threading

import numpy as np
import pytest

import lcs
from conftest import GPU, FakeArray, last_launch, run_threads

pytestmark = pytest.mark.driver

IR = b'''target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @KERNEL(ptr %p, i32 %n, float %f, i64 %q, double %d, i8 %b) {
  ret void
}
'''


def ir(name="k"):
    return IR.replace(b"KERNEL", name.encode())


def f32(bits):
    return struct.unpack("<f", struct.pack("<I", bits & 0xffffffff))[0]


def test_program_kernel_and_params(runtime):
    k = runtime.program(ir()).kernel("k")
    assert k.name == "k"
    assert k.params == ["ptr", "i32", "float", "i64", "double", "i8"]
    assert k.sensitivity == ([], False)


def test_unknown_kernel_names_the_known(runtime):
    p = runtime.program(ir())
    with pytest.raises(lcs.InvalidArgumentError, match="k"):
        p.kernel("nope")


@pytest.mark.fake
def test_scalars_convert_to_the_ir_types(runtime):
    k = runtime.program(ir()).kernel("k")
    k[4, 128](FakeArray(0x1234, (4,)), 7, 2.5, -3, np.float32(0.5), True)
    params, dims = last_launch()
    assert params[0] == 0x1234 and params[1] == 7
    assert f32(params[2]) == 2.5
    assert params[3] == 2**64 - 3
    assert struct.unpack("<d", struct.pack("<Q", params[4]))[0] == 0.5
    assert params[5] == 1
    assert dims == [4, 1, 1, 128, 1, 1, 0]
    k.launch(None, np.int32(5), 1, 10, 2, 0, grid=(2, 3), block=(32, 2),
             shared_mem=64)
    params, dims = last_launch()
    assert params[:2] == [0, 5] and f32(params[2]) == 1.0
    assert dims == [2, 3, 1, 32, 2, 1, 64]


@pytest.mark.parametrize("args, message", [
    ((0, 1.5, 1.0, 1, 1.0, 0), r"parameter 1 is i32, got a floating-point float"),
    ((0, 2**40, 1.0, 1, 1.0, 0), r"parameter 1 is i32; 1099511627776 does not fit"),
    ((1.0, 1, 1.0, 1, 1.0, 0), r"parameter 0 is ptr, got a floating-point float"),
    ((0, 1, 1.0), r"takes 6 parameters, got 3"),
    (("x", 1, 1.0, 1, 1.0, 0), r"parameter 0: cannot pass a str"),
    ((0, 1, 1.0, 1, 1.0, 300), r"parameter 5 is i8; 300 does not fit"),
])
def test_mismatch_names_the_parameter(runtime, args, message):
    k = runtime.program(ir()).kernel("k")
    with pytest.raises(lcs.InvalidArgumentError, match=message):
        k[1, 1](*args)


def test_bad_configurations(runtime):
    k = runtime.program(ir()).kernel("k")
    args = (0, 1, 1.0, 1, 1.0, 0)
    with pytest.raises(lcs.InvalidArgumentError, match="2 to 4 items"):
        k[1](*args)
    with pytest.raises(lcs.InvalidArgumentError, match="block: expected 1 to 3"):
        k[1, (1, 1, 1, 1)](*args)
    with pytest.raises(lcs.InvalidArgumentError, match="grid = -1"):
        k[-1, 1](*args)
    with pytest.raises(lcs.InvalidConfigError, match="block.z"):
        k[1, (1, 1, 65)](*args)


@pytest.mark.fake
def test_streams(runtime):
    k = runtime.program(ir()).kernel("k")
    args = (0, 1, 1.0, 1, 1.0, 0)

    class Core:
        def __cuda_stream__(self):
            return (0, 0x10)

    class CuPy:
        ptr = 0x20

    class Torch:
        cuda_stream = 0x30

    for s in (0, 0x40, Core(), CuPy(), Torch(), None):
        k[1, 1, s](*args)
    with pytest.raises(lcs.InvalidArgumentError, match="stream: expected"):
        k[1, 1, object()](*args)


def test_policy_and_variants(runtime):
    blockdim = b'''target triple = "nvptx64-nvidia-cuda"
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
define ptx_kernel void @k(ptr %p) {
  %n = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  store i32 %n, ptr %p
  ret void
}
'''
    k = runtime.program(blockdim).kernel("k")
    assert k.sensitivity == (["block.x"], False)
    k.set_policy(groups=["block"], max_variants=2)
    # The kernel stores through %p: real memory on a GPU (a null pointer
    # would poison the context for every later test), never read on the
    # stand-in driver.
    out = 0
    if GPU:
        from numba import cuda
        out = cuda.device_array(1, np.int32)
    for b in (32, 64, 128, 32):
        k[1, b](out)
    groups = sorted(v["groups"] for v in k.variants)
    assert "block=32x1x1" in groups and "block=64x1x1" in groups
    with pytest.raises(lcs.InvalidArgumentError, match="unknown field group 'blocks'"):
        k.set_policy(groups=["blocks"])


def test_generator_marks_and_extra_smem(runtime):
    calls = []

    def gen(name):
        calls.append(lcs.current_launch_config()["block"])
        lcs.mark_launch_config_sensitive("block.x")
        return ir(name), 16

    k = runtime.program_from_generator(
        "test-gen-marks", gen,
        params={"g": ["ptr", "i32", "float", "i64", "double", "i8"]}).kernel("g")
    args = (0, 1, 1.0, 1, 1.0, 0)
    for g, b in [(1, 32), (1, 32), (2, 32), (1, 64)]:
        k[g, b](*args)
    assert calls == [(32, 1, 1), (64, 1, 1)]
    assert k.sensitivity == (["block.x"], True)
    assert runtime.counters["generator_calls"] == 2


def test_generator_exception_is_chained(runtime):
    def gen(name):
        raise KeyError("boom")

    k = runtime.program_from_generator("test-gen-raise", gen).kernel("b")
    with pytest.raises(lcs.CompileError, match="raised KeyError: 'boom'") as e:
        k[1, 1]()
    assert isinstance(e.value.__cause__, KeyError)


def test_generator_bad_return(runtime):
    k = runtime.program_from_generator("test-gen-bad", lambda n: 42).kernel("b")
    with pytest.raises(lcs.CompileError, match="bytes or str"):
        k[1, 1]()


def test_identity_must_be_text(runtime):
    with pytest.raises(lcs.InvalidArgumentError, match="identity"):
        runtime.program_from_generator("", lambda n: b"")


def test_threads_share_each_compile(runtime):
    """8 threads x 4 variants: no deadlock, one generator call each."""
    calls = []
    lock = threading.Lock()

    def gen(name):
        b = lcs.current_launch_config()["block"][0]
        lcs.mark_launch_config_sensitive("block")
        with lock:
            calls.append(b)
        return ir(name)

    k = runtime.program_from_generator(
        "test-gen-threads", gen,
        params={"t": ["ptr", "i32", "float", "i64", "double", "i8"]}).kernel("t")
    def work(i):
        for rep in range(5):
            for b in (32, 64, 128, 256):
                k[1, b](0, i, 1.0, rep, 2.0, 1)

    run_threads(8, work)
    assert sorted(calls) == [32, 64, 128, 256]


def test_generator_exception_reaches_waiters(runtime):
    entered = threading.Event()
    release = threading.Event()

    def gen(name):
        entered.set()
        release.wait(10)
        raise RuntimeError("generator failed")

    k = runtime.program_from_generator("test-gen-waiters", gen).kernel("w")
    results = []

    def work():
        try:
            k[1, 32]()
            results.append(None)
        except lcs.CompileError as e:
            results.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    entered.wait(10)
    release.set()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 4
    for e in results:
        assert isinstance(e, lcs.CompileError)
        assert "generator failed" in str(e)
        assert isinstance(e.__cause__, RuntimeError)


def test_disk_cache_skips_the_generator(tmp_path):
    calls = []

    def gen(name):
        calls.append(name)
        lcs.mark_launch_config_sensitive("block.x")
        return ir(name)

    params = {"d": ["ptr", "i32", "float", "i64", "double", "i8"]}
    args = (0, 1, 1.0, 1, 1.0, 0)
    for _ in range(2):
        rt = lcs.Runtime(cache_dir=str(tmp_path))
        k = rt.program_from_generator("test-gen-disk", gen, params).kernel("d")
        k[1, 32](*args)
    assert calls == ["d"]
    assert rt.counters["disk_hits"] == 1 and rt.counters["compiles"] == 0


@pytest.mark.gpu
def test_corpus_kernel_on_the_gpu(runtime):
    """Triton's t_add from the corpus (out[i] = in[i] + 1, 256 a program,
    128 threads), launched with numba device arrays."""
    import os
    from numba import cuda
    from conftest import CORPUS

    k = runtime.program(os.path.join(CORPUS, "triton_t_add.ll")).kernel("t_add")
    n = 1000
    x = np.arange(n, dtype=np.float32)
    src, dst = cuda.to_device(x), cuda.device_array(n, np.float32)
    k[(n + 255) // 256, 128](src, dst, n, None, None)
    cuda.synchronize()
    assert np.array_equal(dst.copy_to_host(), x + 1)


BLOCKDIM_IR = b"""target triple = "nvptx64-nvidia-cuda"
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
define ptx_kernel void @bd(ptr addrspace(1) %out) {
  %n = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %z = icmp eq i32 %t, 0
  br i1 %z, label %w, label %d
w:
  store i32 %n, ptr addrspace(1) %out
  br label %d
d:
  ret void
}
"""


@pytest.mark.gpu
def test_precompile_eight_then_launch_without_compiling(runtime):
    """The cuda.coop issue's test 5 on the GPU: 8 configurations built
    ahead (policy bound raised to fit), then 8 launches: no compile, each
    variant sees its own block size."""
    cp = pytest.importorskip("cupy")
    k = runtime.program(BLOCKDIM_IR).kernel("bd")
    k.set_policy(("block",), 8)
    blocks = [32 * i for i in range(1, 9)]
    assert k.precompile([(1, b) for b in blocks]) == [None] * 8
    compiles = runtime.counters["compiles"]
    assert compiles == 8
    out = cp.zeros(1, dtype=cp.int32)
    for b in blocks:
        k[1, b](out)
        assert int(out.get()[0]) == b
    assert runtime.counters["compiles"] == compiles
    assert sum(v["compiled"] for v in k.variants) == 8


# The limits asserted are the stand-in device's (2 blocks an SM x 132 SMs);
# test/gpu checks cooperative launches against a real device's occupancy.
@pytest.mark.fake
def test_cooperative_launch_and_precompile(runtime):
    k = runtime.program(ir()).kernel("k")
    args = (0, 1, 1.0, 1, 1.0, 0)
    k.launch(*args, grid=264, block=256, cooperative=True)
    with pytest.raises(lcs.InvalidConfigError,
                       match="grid of 265 blocks cannot be co-resident"):
        k.launch(*args, grid=265, block=256, cooperative=True)
    k.set_policy(("block",), 16)
    out = k.precompile([{"grid": 1, "block": 64}, (1, 2048), (1, 128, 0, 0)])
    assert out[0] is None and out[2] is None
    assert isinstance(out[1], lcs.InvalidConfigError)
    assert str(out[1]) == ("kernel 'k': block.x = 2048 exceeds the maximum "
                           "of 1024 for the device (sm_90)")
    compiles = runtime.counters["compiles"]
    launches = runtime.counters["launches"]
    k[1, 64](*args)
    k[1, 128](*args)
    assert runtime.counters["compiles"] == compiles, "built ahead"
    assert runtime.counters["launches"] == launches + 2
    with pytest.raises(lcs.InvalidArgumentError, match="unknown configuration "
                       "key 'blok'"):
        k.precompile([{"grid": 1, "blok": 64}])


# The limits asserted are the stand-in device's (2 blocks an SM x 132 SMs);
# test/gpu checks cooperative launches against a real device's occupancy.
@pytest.mark.fake
def test_generator_attributes_and_links(runtime):
    def gen(name):
        lcs.generator_set_attributes(cooperative=True)
        return ir(name)

    k = runtime.program_from_generator(
        "test-gen-coop", gen,
        params={"g": ["ptr", "i32", "float", "i64", "double", "i8"]}).kernel("g")
    args = (0, 1, 1.0, 1, 1.0, 0)
    k[264, 256](*args)
    with pytest.raises(lcs.InvalidConfigError, match="co-resident"):
        k[265, 256](*args)
    with pytest.raises(lcs.NoLaunchConfigError):
        lcs.generator_set_attributes(shared_memory_carveout=50)
    with pytest.raises(lcs.NoLaunchConfigError):
        lcs.generator_add_link(b"x", "ptx")

    def bad(name):
        lcs.generator_add_link(b"x", "elf")
        return ir(name)

    kb = runtime.program_from_generator("test-gen-badlink", bad).kernel("b")
    with pytest.raises(lcs.CompileError, match="unknown link input kind 'elf'"):
        kb[1, 32](*args)
