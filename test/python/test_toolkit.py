"""Where the CUDA toolkit's pieces come from (docs/python.md, "The CUDA
toolkit"): cuda.pathfinder's answer, handed to the runtime as LCS_NVJITLINK
and LCS_LIBDEVICE, unless they are set; remembered on disk so that a new
process does not import and ask cuda.pathfinder again. No GPU needed."""

import os
import sys
import types

import lcs

VARS = ("LCS_NVJITLINK", "LCS_LIBDEVICE")


def fresh(monkeypatch):
    monkeypatch.setattr(lcs, "_toolkit_found", False)
    for var in VARS:  # set first, so that teardown restores the original
        monkeypatch.setenv(var, "x")
        monkeypatch.delenv(var)


def test_pathfinder_answer_reaches_the_runtime(monkeypatch, tmp_path):
    fresh(monkeypatch)
    lib, bc = tmp_path / "libnvJitLink.so.13", tmp_path / "libdevice.10.bc"
    lib.write_bytes(b"lib")
    bc.write_bytes(b"bc")
    cuda = types.ModuleType("cuda")
    finder = types.ModuleType("cuda.pathfinder")
    finder.load_nvidia_dynamic_lib = lambda name: types.SimpleNamespace(
        abs_path=str(lib))
    finder.find_bitcode_lib = lambda name: str(bc)
    cuda.pathfinder = finder
    monkeypatch.setitem(sys.modules, "cuda", cuda)
    monkeypatch.setitem(sys.modules, "cuda.pathfinder", finder)
    lcs._find_toolkit(str(tmp_path / "cache"))
    assert os.environ["LCS_NVJITLINK"] == str(lib)
    assert os.environ["LCS_LIBDEVICE"] == str(bc)


def test_a_variable_already_set_wins(monkeypatch, tmp_path):
    fresh(monkeypatch)
    monkeypatch.setenv("LCS_NVJITLINK", "/given/libnvJitLink.so.13")
    monkeypatch.setattr(lcs, "_ask_pathfinder", lambda: {
        "LCS_NVJITLINK": "/found/lib", "LCS_LIBDEVICE": __file__})
    monkeypatch.delitem(sys.modules, "cuda.pathfinder", raising=False)
    lcs._find_toolkit(str(tmp_path / "cache"))
    assert os.environ["LCS_NVJITLINK"] == "/given/libnvJitLink.so.13"
    assert os.environ["LCS_LIBDEVICE"] == __file__


def counting_ask(monkeypatch, tmp_path):
    """cuda.pathfinder's answer, a libdevice file in tmp_path, through an
    `_ask_pathfinder` that counts its calls: returns (the file, the list
    that gets an item a call)."""
    asked = []
    bc = tmp_path / "libdevice.10.bc"
    bc.write_bytes(b"bc")

    def ask():
        asked.append(1)
        return {"LCS_LIBDEVICE": str(bc)}

    monkeypatch.setattr(lcs, "_ask_pathfinder", ask)
    return bc, asked


def test_answer_is_remembered_until_a_file_goes(monkeypatch, tmp_path):
    bc, asked = counting_ask(monkeypatch, tmp_path)
    monkeypatch.delitem(sys.modules, "cuda.pathfinder", raising=False)
    cache = str(tmp_path / "cache")
    for _ in range(2):  # two "processes"
        fresh(monkeypatch)
        lcs._find_toolkit(cache)
        assert os.environ["LCS_LIBDEVICE"] == str(bc)
    assert len(asked) == 1
    bc.unlink()  # a remembered file that is gone is asked for again
    fresh(monkeypatch)
    lcs._find_toolkit(cache)
    assert len(asked) == 2
    fresh(monkeypatch)  # no cache, no memory
    lcs._find_toolkit("")
    assert len(asked) == 3


def test_answer_is_remembered_with_pathfinder_imported(monkeypatch, tmp_path):
    """numba-cuda imports cuda.pathfinder: a new process that has it
    imported still takes the remembered answer (asking dlopens nvJitLink)."""
    bc, asked = counting_ask(monkeypatch, tmp_path)
    monkeypatch.setitem(sys.modules, "cuda.pathfinder",
                        types.ModuleType("cuda.pathfinder"))
    cache = str(tmp_path / "cache")
    for _ in range(3):
        fresh(monkeypatch)
        lcs._find_toolkit(cache)
        assert os.environ["LCS_LIBDEVICE"] == str(bc)
    assert asked == [1]
