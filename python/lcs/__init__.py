"""lcs: launch-configuration specialization for NVPTX kernels, from Python.

lcs finds which launch fields (``block.x`` ... ``smem.dynamic``) each kernel
depends on and keeps one compiled variant per value of those fields only.

- :func:`analyze` reports each kernel's fields (no GPU needed);
- :class:`Runtime` makes programs from IR modules or from a generator and
  launches their kernels: ``kernel[grid, block, stream, shared_mem](*args)``;
- :mod:`lcs.numba` runs numba-cuda kernels through lcs.

Errors are :class:`Error` subclasses, one per lcs status, carrying lcs's
message. docs/python.md is the guide.
"""

import json as _json
import os as _os
import sys as _sys
import threading as _threading

from . import _lcs
from ._lcs import (  # noqa: F401  (re-exported)
    CompileError,
    DriverError,
    Error,
    InvalidArgumentError,
    InvalidConfigError,
    NoDriverError,
    NoLaunchConfigError,
    UnsupportedError,
)

for _cls in (Error, InvalidArgumentError, NoDriverError, DriverError,
             InvalidConfigError, CompileError, NoLaunchConfigError,
             UnsupportedError):
    _cls.__module__ = "lcs"

__version__ = _lcs.version()

#: The launch fields, in canonical order and spelling.
FIELDS = ("block.x", "block.y", "block.z", "grid.x", "grid.y", "grid.z",
          "cluster.x", "cluster.y", "cluster.z", "smem.dynamic")
#: The field groups a policy specialises on.
GROUPS = ("block", "grid", "cluster", "smem")

__all__ = [
    "analyze", "inspect", "ptx", "Runtime", "Program", "Kernel",
    "current_launch_config",
    "mark_launch_config_sensitive", "generator_add_link",
    "generator_set_attributes", "Error", "InvalidArgumentError",
    "NoDriverError", "DriverError", "InvalidConfigError", "CompileError",
    "NoLaunchConfigError", "UnsupportedError", "FIELDS", "GROUPS",
    "__version__",
]


def _looks_like_ir(text):
    return "\n" in text or text.lstrip().startswith(
        ("; ModuleID", "source_filename", "target ", "define ", "declare "))


def _modules(modules, what):
    """(name, bytes) for each module: bytes, IR text, or a path."""
    if not modules:
        raise InvalidArgumentError(f"{what}: no module given")
    out = []
    for i, m in enumerate(modules):
        if isinstance(m, (bytes, bytearray, memoryview)):
            out.append((f"module {i}", bytes(m)))
        elif isinstance(m, str) and _looks_like_ir(m):
            out.append((f"module {i}", m.encode()))
        elif isinstance(m, (str, _os.PathLike)):
            path = _os.fspath(m)
            try:
                with open(path, "rb") as f:
                    out.append((path, f.read()))
            except OSError as e:
                raise InvalidArgumentError(
                    f"{what}: cannot read '{path}': {e.strerror}") from None
        else:
            raise InvalidArgumentError(
                f"{what}: module {i} is a {type(m).__name__}; give bytes, IR "
                "text or a path")
    return out


def analyze(*modules):
    """Each kernel's launch fields, canonical spelling, in module order.

    ``modules``: LLVM IR as bytes (text or bitcode), IR text as str, or
    paths; linked in order as a program would be. No GPU needed.

    >>> lcs.analyze("kernel.ll")
    {'scale': ['block.x', 'grid.x']}
    """
    return {k["name"]: list(k["fields"])
            for k in _lcs.inspect(_modules(modules, "analyze"))}


def inspect(*modules):
    """Like :func:`analyze`, with each kernel's ``explicit`` flag and
    parameter types as the IR declares them (``"ptr"``, ``"i32"`` ...)."""
    return {k["name"]: {"fields": list(k["fields"]),
                        "explicit": k["explicit"],
                        "params": list(k["params"])}
            for k in _lcs.inspect(_modules(modules, "inspect"))}


def ptx(*modules, kernel=None, arch="sm_90"):
    """The generic PTX lcs compiles for a kernel of the modules (given as
    for :func:`analyze`; ``kernel`` None: the only one), before any
    specialisation, at -O3 for ``arch``. No GPU needed.

    >>> ".entry scale" in lcs.ptx("kernel.ll")
    True
    """
    return _lcs.emit_ptx(_modules(modules, "ptx"), kernel or "", arch or "")


def current_launch_config():
    """While a generator runs: the configuration it compiles for, as a dict
    (``grid``, ``block``, ``cluster``: 3-tuples; ``shared_mem``;
    ``stream``). Reading it makes the kernel depend on every field unless
    :func:`mark_launch_config_sensitive` narrows it. Elsewhere raises
    :class:`NoLaunchConfigError`."""
    return _lcs.current_launch_config()


def mark_launch_config_sensitive(*fields):
    """While a generator runs: the fields its output depends on, e.g.
    ``mark_launch_config_sensitive("block.x")`` or a group (``"block"``,
    ``"grid"``, ``"cluster"``, ``"smem"``, ``"all"``)."""
    _lcs.mark_launch_config_sensitive(*fields)
    _marks.user_marked = True


def generator_add_link(data, kind=None, name="link input"):
    """While a generator runs: device code (bytes) that nvJitLink links into
    this configuration's cubin. ``kind``: ``"ltoir"``, ``"ptx"``,
    ``"cubin"``, ``"fatbin"``, ``"object"``, ``"library"`` (a static archive
    such as libcudadevrt.a), or None to detect it from the bytes. Its bytes
    are covered by the program's identity, like the generated IR."""
    _lcs.generator_add_link(bytes(data), kind, name)


def generator_set_attributes(shared_memory_carveout=-1,
                             non_portable_cluster_size_allowed=False,
                             cluster_scheduling_policy=0, cooperative=False):
    """While a generator runs: the function attributes of this
    configuration's variant, set once when it loads and stored with it on
    disk: the preferred shared memory carveout (percent, -1 for the
    driver's choice), whether clusters of more than 8 blocks are allowed,
    and the cluster scheduling policy (a CUclusterSchedulingPolicy).
    ``cooperative``: the code synchronises the grid, so every launch of the
    variant is cooperative (the grid checked to fit co-resident)."""
    _lcs.generator_set_attributes(int(shared_memory_carveout),
                                  bool(non_portable_cluster_size_allowed),
                                  int(cluster_scheduling_policy),
                                  bool(cooperative))


# Whether the generator running on this thread marked fields itself
# (lcs.numba then leaves the narrowing to it).
_marks = _threading.local()


def _device_context(device):
    """Makes ``device``'s primary context current (numba's if numba-cuda
    has one), so that the runtime serves it."""
    if device is None:
        return
    import ctypes
    cuda = ctypes.CDLL("libcuda.so.1")
    ctx, dev = ctypes.c_void_p(), ctypes.c_int()
    for call in (lambda: cuda.cuInit(0),
                 lambda: cuda.cuDeviceGet(ctypes.byref(dev), int(device)),
                 lambda: cuda.cuDevicePrimaryCtxRetain(ctypes.byref(ctx), dev),
                 lambda: cuda.cuCtxSetCurrent(ctx)):
        r = call()
        if r:
            raise DriverError(f"selecting device {device}: CUresult {r}")


_toolkit_lock = _threading.Lock()
_toolkit_found = False
_TOOLKIT_VARS = ("LCS_NVJITLINK", "LCS_LIBDEVICE")


def _ask_pathfinder():
    """{variable: path} for what cuda.pathfinder finds; None without it."""
    try:
        from cuda import pathfinder
    except ImportError:
        return None
    found = {}
    try:
        found["LCS_NVJITLINK"] = pathfinder.load_nvidia_dynamic_lib(
            "nvJitLink").abs_path
    except Exception:  # not found, or a pathfinder without it
        pass
    try:
        found["LCS_LIBDEVICE"] = _os.fspath(pathfinder.find_bitcode_lib("device"))
    except Exception:
        pass
    return found


def _toolkit_memo(cache_dir):
    """Where cuda.pathfinder's answer is remembered, and what it depends
    on: importing and asking it costs tens of milliseconds, which a launch
    served by the disk cache must not pay in every new process."""
    off = _os.environ.get("LCS_CACHE_DISABLE", "")
    if cache_dir == "" or (off and off != "0"):
        return None, None
    base = (cache_dir or _os.environ.get("LCS_CACHE_DIR")
            or _os.path.join(_os.environ.get("XDG_CACHE_HOME")
                             or _os.path.join(_os.path.expanduser("~"),
                                              ".cache"), "lcs"))
    # The interpreter, its package directories (installing a wheel changes
    # their mtime), conda, the loader's cache, and the toolkit variables.
    stamps = []
    for d in [p for p in _sys.path if "-packages" in p] + ["/etc/ld.so.cache"]:
        try:
            stamps.append([d, _os.stat(d).st_mtime_ns])
        except OSError:
            pass
    key = {"python": _sys.executable, "prefix": _sys.prefix, "stamps": stamps,
           "env": [_os.environ.get(v, "") for v in (
               "CUDA_HOME", "CUDA_PATH", "CONDA_PREFIX", "LD_LIBRARY_PATH")]}
    return _os.path.join(base, "toolkit.json"), key


def _find_toolkit(cache_dir=None):
    """Tells the runtime (and the compile workers it starts, which inherit
    the environment) where cuda.pathfinder finds nvJitLink and libdevice,
    as numba-cuda finds them for pip-only users: ``LCS_NVJITLINK`` and
    ``LCS_LIBDEVICE``, unless already set. Without cuda.pathfinder, or
    where it finds nothing, the runtime looks under ``CUDA_HOME``,
    ``CUDA_PATH``, then ``/usr/local/cuda``. Once per process, before the
    first runtime: cache keys name the pieces found."""
    global _toolkit_found
    with _toolkit_lock:
        if _toolkit_found:
            return
        _toolkit_found = True
        if all(_os.environ.get(v) for v in _TOOLKIT_VARS):
            return
        found = None
        # Remembered even when cuda.pathfinder is imported already (numba-
        # cuda imports it): its answer dlopens nvJitLink, milliseconds
        # that a launch served by the disk cache needs no part of.
        path, key = _toolkit_memo(cache_dir)
        if path:
            try:
                with open(path) as f:
                    memo = _json.load(f)
                if memo["key"] == key and all(
                        _os.path.isfile(p) for p in memo["found"].values()):
                    found = memo["found"]
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass
        if found is None:
            found = _ask_pathfinder() or {}
            if path:
                try:
                    _os.makedirs(_os.path.dirname(path), mode=0o700,
                                 exist_ok=True)
                    tmp = "%s.%d.tmp" % (path, _os.getpid())
                    with open(tmp, "w") as f:
                        _json.dump({"key": key, "found": found}, f)
                    _os.replace(tmp, path)
                except OSError:
                    pass  # only costs a later lookup
        for var, value in found.items():
            if not _os.environ.get(var):
                _os.environ[var] = value


class Runtime:
    """The lcs runtime for one CUDA context.

    ``cache_dir``: the disk cache (None: ``LCS_CACHE_DIR`` or
    ``~/.cache/lcs``; ``""``: none). ``device``: None for the current context
    (numba's, if numba-cuda made one) or device 0; an int selects that
    device's primary context first. ``remote_cache``: the shared cache tier
    under the disk cache, ``redis://[user:password@]host:port[/db]`` (None:
    ``LCS_REMOTE_CACHE``; ``""``: none; see docs/cache.md); a malformed URL
    raises :class:`ValueError`, an unreachable server does not (the disk
    cache serves alone). Raises :class:`NoDriverError` without a driver or
    device.
    """

    def __init__(self, cache_dir=None, device=None, remote_cache=None):
        if cache_dir is not None:
            cache_dir = _os.fspath(cache_dir)
        if remote_cache is not None and not isinstance(remote_cache, str):
            raise TypeError("remote_cache must be a redis:// URL (str) or "
                            f"None, not {type(remote_cache).__name__}")
        _device_context(device)
        _find_toolkit(cache_dir)
        self._rt = _lcs.Runtime(cache_dir, remote_cache)

    def program(self, *modules):
        """A program from IR modules (bytes, IR text or paths), linked in
        order; analysed now (bad IR raises :class:`CompileError` here)."""
        return self._rt.program(_modules(modules, "program"))

    def program_from_generator(self, identity, fn, params=None):
        """A program whose kernels ``fn(kernel_name)`` generates, per launch
        configuration: it returns LLVM IR (bytes or str) or ``(ir,
        extra_shared_mem)``, and may read :func:`current_launch_config` and
        call :func:`mark_launch_config_sensitive`. ``identity`` (str) must
        change whenever ``fn``'s output could: it keys the disk cache.
        ``params``: ``{kernel: ["ptr", "i32", ...]}``, the parameter types,
        so that scalars convert exactly; without them a Python int passes as
        a pointer, a float as a double, NumPy scalars as their dtype. An
        exception in ``fn`` is re-raised, chained, as :class:`CompileError`
        in the launching thread and every thread waiting for that compile.
        """
        if not isinstance(identity, str) or not identity:
            raise InvalidArgumentError(
                "program_from_generator: identity must be a non-empty str")
        return self._rt.program_from_generator(
            identity, fn, {k: list(v) for k, v in (params or {}).items()})

    def set_default_policy(self, groups=("block", "cluster"), max_variants=8):
        """The policy of kernels that set none: the field groups specialised
        on and the bound on specialised variants per kernel."""
        self._rt.set_default_policy(tuple(groups), int(max_variants))

    @property
    def counters(self):
        """launches, compiles, memory_hits, disk_hits, generator_calls."""
        return self._rt.counters


# The program and kernel objects are the extension's own (the launch path
# is one call into it); __init__.pyi documents them.
Program = _lcs.Program
Kernel = _lcs.Kernel
ConfiguredKernel = _lcs.ConfiguredKernel
