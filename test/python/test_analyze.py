"""lcs.analyze / lcs.inspect and the errors: no GPU, no driver."""

import os
import pathlib
import shutil
import subprocess

import pytest

import lcs
from conftest import CORPUS


def corpus(name):
    return os.path.join(CORPUS, name)


def only(result):
    assert len(result) == 1
    return next(iter(result.values()))


@pytest.mark.parametrize("name, fields", [
    ("numba_uses_blockdim.ll", ["block.x"]),
    ("numba_block_reduce.ll", ["block.x"]),
    ("numba_dyn_smem_scan.ll", ["block.x"]),
    ("numba_grid_stride_saxpy.ll", ["block.x", "grid.x"]),
    ("numba2_histogram_atomic.ll", ["block.x", "grid.x"]),
    ("numba2_softplus_blockstride.ll", ["block.x"]),
    ("triton_t_add.ll", []),
])
def test_corpus_fields(name, fields):
    assert only(lcs.analyze(corpus(name))) == fields


def test_linked_modules_in_order():
    parts = [corpus("numba_via_device_fn.part%d.ll" % i) for i in (1, 2)]
    assert only(lcs.analyze(*parts)) == ["block.x", "block.y"]


def test_every_input_form():
    path = corpus("numba_uses_blockdim.ll")
    text = pathlib.Path(path).read_text()
    want = lcs.analyze(path)
    assert lcs.analyze(pathlib.Path(path)) == want
    assert lcs.analyze(text) == want
    assert lcs.analyze(text.encode()) == want


def test_bitcode():
    as_ = shutil.which("llvm-as-22") or shutil.which("llvm-as")
    if not as_:
        pytest.skip("no llvm-as")
    bc = subprocess.run([as_, "-o", "-", corpus("numba_grid_stride_saxpy.ll")],
                        capture_output=True, check=True).stdout
    info = only(lcs.inspect(bc))
    assert info["fields"] == ["block.x", "grid.x"]
    # numba's flattened arrays, then the float: types from bitcode too.
    assert info["params"] == ["ptr", "ptr", "i64", "i64", "ptr", "i64", "i64"] * 2 + ["float"]


def test_params_with_address_spaces():
    info = only(lcs.inspect(corpus("triton_t_add.ll")))
    assert info["params"] == ["ptr addrspace(1)"] * 2 + ["i32"] + ["ptr addrspace(1)"] * 2


def test_inspect_params_and_explicit():
    ir = '''target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k(ptr %p, i8 %a, i16 %b, i32 %c, i64 %d, half %e, float %f, double %g) #0 {
  ret void
}
attributes #0 = { "lcs.launch-config-sensitive"="block.x" }
'''
    assert lcs.inspect(ir) == {"k": {
        "fields": ["block.x"], "explicit": True,
        "params": ["ptr", "i8", "i16", "i32", "i64", "half", "float", "double"]}}


def test_generic_ptx():
    ptx = lcs.ptx(corpus("numba_uses_blockdim.ll"))
    assert ".entry " in ptx and "%ntid.x" in ptx  # read, not folded
    assert lcs.ptx(corpus("triton_t_add.ll"), kernel="t_add",
                   arch="sm_80").count(".target sm_80") == 1
    with pytest.raises(lcs.CompileError, match="unknown kernel 'nope'"):
        lcs.ptx(corpus("triton_t_add.ll"), kernel="nope")


def test_bad_ir_is_a_compile_error():
    with pytest.raises(lcs.CompileError, match="module 0"):
        lcs.analyze(b"this is not IR")


def test_missing_path():
    with pytest.raises(lcs.InvalidArgumentError, match="cannot read 'no/such.ll'"):
        lcs.analyze("no/such.ll")


def test_no_module_and_bad_type():
    with pytest.raises(lcs.InvalidArgumentError, match="no module"):
        lcs.analyze()
    with pytest.raises(lcs.InvalidArgumentError, match="module 0 is a int"):
        lcs.analyze(3)


def test_error_hierarchy():
    kinds = [lcs.InvalidArgumentError, lcs.NoDriverError, lcs.DriverError,
             lcs.InvalidConfigError, lcs.CompileError, lcs.NoLaunchConfigError,
             lcs.UnsupportedError]
    for k in kinds:
        assert issubclass(k, lcs.Error) and k.__module__ == "lcs"
    assert issubclass(lcs.InvalidArgumentError, ValueError)
    assert len(set(kinds)) == len(kinds)


def test_no_launch_config_outside_a_generator():
    with pytest.raises(lcs.NoLaunchConfigError,
                       match="no launch configuration is active"):
        lcs.current_launch_config()
    with pytest.raises(lcs.NoLaunchConfigError):
        lcs.mark_launch_config_sensitive("block.x")


def test_unknown_field_names_it():
    with pytest.raises(lcs.InvalidArgumentError, match="unknown launch field 'block.w'"):
        lcs.mark_launch_config_sensitive("block.w")


def test_version():
    top = pathlib.Path(__file__).parents[2] / "CMakeLists.txt"
    assert "project(lcs VERSION %s " % lcs.__version__ in top.read_text()
