"""numba-cuda kernels compiled by numba-cuda and launched through lcs.

``from lcs.numba import jit`` replaces ``numba.cuda.jit`` for kernels::

    @jit
    def axpy(out, x, a):
        i = cuda.grid(1)
        if i < x.size:
            out[i] = a * x[i]

    axpy[blocks, threads](out, x, 2.0)

numba-cuda types and lowers the kernel (its typing, rewrites, libdevice
calls, array ABI) to LLVM IR, once per argument-type signature and lcs
variant; lcs keeps one variant per value of the launch fields the kernel
reads, compiles it, caches it on disk, and launches it. numba-cuda's
launch-config-sensitive protocol (``numba.cuda.launchconfig``) works as in
numba-cuda: see docs/python.md for what this module relies on.
"""

import functools
import hashlib
import inspect as _inspect
import os
import threading
import types as _pytypes
import weakref

import numpy as np

import lcs
from lcs import _lcs

__all__ = ["jit", "LCSKernel", "NoMatchingSignatureError"]

#: The kernel's symbol in the IR lcs receives: numba's mangled names carry a
#: per-process counter, so the disk record is keyed by this one.
KERNEL_NAME = "lcs_numba_kernel"

_SUPPORTED = {"debug", "lineinfo", "fastmath", "opt", "max_registers",
              "launch_bounds", "inline", "forceinline", "cache", "link",
              "lto", "shared_memory_carveout"}
_UNSUPPORTED = {"extensions"}

#: Link input kinds lcs takes, from a file's extension (numba-cuda's map).
_EXT_KINDS = {".ltoir": "ltoir", ".ptx": "ptx", ".cubin": "cubin",
              ".fatbin": "fatbin", ".o": "object", ".a": "library",
              ".lib": "library"}
#: numba-cuda's in-memory LinkableCode classes, by name.
_LINKABLE_KINDS = {"LTOIR": "ltoir", "PTXSource": "ptx", "Cubin": "cubin",
                   "Fatbin": "fatbin", "Object": "object",
                   "Archive": "library"}
_KINDS = set(_EXT_KINDS.values())
_CARVEOUTS = {"default": -1, "maxl1": 0, "maxshared": 100}


class NoMatchingSignatureError(lcs.InvalidArgumentError, TypeError):
    """No explicit signature takes the arguments: a TypeError, as numba-cuda
    raises."""


def _carveout(value):
    """numba-cuda's shared_memory_carveout: -1..100 or default / MaxL1 /
    MaxShared."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise lcs.InvalidArgumentError(
            f"lcs.numba.jit: shared_memory_carveout={value!r} is not an int "
            "or 'default', 'MaxL1', 'MaxShared'")
    if isinstance(value, str):
        if value.lower() not in _CARVEOUTS:
            raise lcs.InvalidArgumentError(
                f"lcs.numba.jit: shared_memory_carveout='{value}' is not "
                "'default', 'MaxL1' or 'MaxShared'")
        return _CARVEOUTS[value.lower()]
    if not -1 <= value <= 100:
        raise lcs.InvalidArgumentError(
            f"lcs.numba.jit: shared_memory_carveout={value} is not a "
            "percentage (0 to 100, or -1)")
    return value


def _link_input(item):
    """(name, kind, data) of a link= item or a file numba-cuda links: a path
    (kind from its extension, .cu compiled by NVRTC when linked), (bytes,
    kind[, name]), or a numba-cuda LinkableCode. data is bytes, or ("cu",
    source) for CUDA C++ compiled per compute capability."""
    if isinstance(item, (str, os.PathLike)):
        path = os.fspath(item)
        ext = os.path.splitext(path)[1].lower()
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise lcs.InvalidArgumentError(
                f"lcs.numba: cannot read link input '{path}': "
                f"{e.strerror}") from None
        if ext == ".cu":
            return (path, "cu", data)
        return (path, _EXT_KINDS.get(ext), data)
    if (isinstance(item, tuple) and len(item) in (2, 3)
            and isinstance(item[0], (bytes, bytearray, memoryview))):
        kind = item[1]
        if kind is not None and kind not in _KINDS | {"cu"}:
            raise lcs.InvalidArgumentError(
                f"lcs.numba: unknown link input kind {kind!r} ("
                + ", ".join(sorted(_KINDS | {"cu"})) + ", or None)")
        name = item[2] if len(item) == 3 else f"{kind or 'link'} input"
        return (str(name), kind, bytes(item[0]))
    cls = type(item).__name__
    kind = "cu" if cls == "CUSource" else _LINKABLE_KINDS.get(cls)
    if kind is not None and hasattr(item, "data"):
        data = item.data
        if isinstance(data, str):
            data = data.encode()
        return (str(item.name), kind, bytes(data))
    raise lcs.InvalidArgumentError(
        f"lcs.numba: cannot link a {cls}; give a path, (bytes, kind[, name]) "
        "or a numba-cuda LinkableCode")


@functools.lru_cache(maxsize=None)
def _cudadevrt():
    """libcudadevrt.a, which numba-cuda links into kernels that synchronise
    the grid: (name, "library", bytes). Read once per process: the bytes
    linked are the bytes the disk identity digests."""
    from numba.cuda.cudadrv.libs import get_cudalib
    path = get_cudalib("cudadevrt", static=True)
    try:
        with open(path, "rb") as f:
            return (path, "library", f.read())
    except OSError as e:
        raise lcs.UnsupportedError(
            f"lcs.numba: the kernel synchronises the grid, which needs "
            f"libcudadevrt.a; cannot read '{path}': {e.strerror}") from None

_GROUP_FIELDS = {"grid": "grid", "block": "block", "smem": "smem"}


def _numba():
    """numba-cuda's modules, imported on first use (not at lcs import)."""
    from numba import cuda  # noqa: F401
    from numba.core import types
    from numba.core.compiler_lock import global_compiler_lock
    from numba.cuda.typing.typeof import Purpose, typeof
    from numba.cuda import compiler, dispatcher
    from numba.cuda.cudadrv import nvvm
    from numba.cuda.cext import _dispatcher
    return _pytypes.SimpleNamespace(
        cuda=cuda, types=types, lock=global_compiler_lock, typeof=typeof,
        Purpose=Purpose, compiler=compiler, dispatcher=dispatcher, nvvm=nvvm,
        cext=_dispatcher)


# --- code identity ----------------------------------------------------------

def _versions():
    """The versions of what generates the code. From the modules'
    ``__version__`` (already imported with numba-cuda), not
    importlib.metadata, whose scan of sys.path costs milliseconds on the
    first launch of a process."""
    import llvmlite
    import numba
    import numba_cuda
    return [("lcs", lcs.__version__), ("numba", numba.__version__),
            ("numba-cuda", numba_cuda.__version__),
            ("llvmlite", llvmlite.__version__)]


class _Identity:
    """A canonical serialisation of what a kernel's code depends on."""

    def __init__(self):
        self.parts = []
        self.seen = {}
        self.names = set()  # every name the code reached uses

    def add(self, *items):
        self.parts.append(repr(items))

    def code(self, co):
        self.names.update(co.co_names)
        self.add("code", co.co_name, co.co_argcount, co.co_kwonlyargcount,
                 co.co_flags, co.co_code, co.co_names, co.co_varnames,
                 co.co_freevars, co.co_cellvars)
        for c in co.co_consts:
            if isinstance(c, _pytypes.CodeType):
                self.code(c)
            else:
                self.value(c)

    def function(self, fn):
        key = id(fn)
        if key in self.seen:
            self.add("ref", self.seen[key])
            return
        self.seen[key] = len(self.seen)
        self.add("function", getattr(fn, "__module__", None),
                 getattr(fn, "__qualname__", None))
        self.code(fn.__code__)
        self.add("defaults", fn.__defaults__)
        for name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or ()):
            try:
                contents = cell.cell_contents
            except ValueError:
                contents = "<empty cell>"
            self.add("closure", name)
            self.value(contents)
        for name in self._global_names(fn.__code__):
            if name in fn.__globals__:
                self.add("global", name)
                self.value(fn.__globals__[name])

    @staticmethod
    def _global_names(co):
        names = set(co.co_names)
        for c in co.co_consts:
            if isinstance(c, _pytypes.CodeType):
                names |= _Identity._global_names(c)
        return sorted(names)

    def value(self, v):
        py_func = getattr(v, "py_func", None)  # numba dispatchers
        if py_func is not None and isinstance(py_func, _pytypes.FunctionType):
            self.add("dispatcher", type(v).__name__,
                     sorted((k, repr(o)) for k, o in
                            getattr(v, "targetoptions", {}).items()))
            self.function(py_func)
        elif isinstance(v, _pytypes.FunctionType):
            self.function(v)
        elif isinstance(v, _pytypes.ModuleType):
            # By name and version: what is used through its attributes
            # (math.sin, np.float32) is the module's.
            self.add("module", v.__name__, str(getattr(v, "__version__", "")))
        elif isinstance(v, np.ndarray):
            self.add("ndarray", v.dtype.str, v.shape, v.tobytes())
        elif isinstance(v, (int, float, complex, str, bytes, bool,
                            type(None), np.generic)):
            self.add("const", type(v).__name__, v)
        elif isinstance(v, (tuple, list, frozenset)):
            self.add("seq", type(v).__name__, len(v))
            for x in v:
                self.value(x)
        elif isinstance(v, type):
            self.add("type", v.__module__, v.__qualname__)
        elif _is_extern_function(v):
            self.extern(v)
        else:
            # Anything else: its type and repr, which is what numba's typing
            # sees of most such objects (numba types, enums, dtypes).
            self.add("object", type(v).__module__, type(v).__qualname__,
                     repr(v))

    def extern(self, v):
        """A declare_device function: its name and signature, and what it
        links (by content) and whether it needs a cooperative launch, from
        the code library numba-cuda registered for it (its repr would hold
        an address)."""
        self.add("extern", v.name, str(v.sig))
        for lib in _extern_libraries(v):
            self.add("extern-library", bool(getattr(lib, "use_cooperative",
                                                    False)))
            for f in sorted(getattr(lib, "_linking_files", ()), key=repr):
                name, kind, data = _link_input(f)
                self.add("extern-link", name, str(kind),
                         hashlib.blake2b(data, digest_size=20).hexdigest())

    def digest(self):
        h = hashlib.blake2b(digest_size=20)
        for p in self.parts:
            h.update(p.encode("utf-8", "backslashreplace"))
            h.update(b"\0")
        return h.hexdigest()


def _is_extern_function(v):
    t = type(v)
    return (t.__name__ == "ExternFunction"
            and t.__module__.startswith("numba.cuda"))


def _extern_libraries(v):
    """The code libraries numba-cuda's target context holds for a
    declare_device function (declare_device created the context already)."""
    from numba.cuda.descriptor import cuda_target
    defns = getattr(cuda_target.target_context, "_defns", {})
    selector = defns.get(v) if hasattr(defns, "get") else None
    libs = []
    for _, impl in getattr(selector, "versions", ()):
        libs.extend(getattr(impl, "libs", ()))
    return libs


def _rewrites_identity(ident):
    """The IR rewrites registered with numba-cuda (they change the code)."""
    try:
        from numba.cuda.core.rewrites import rewrite_registry
    except ImportError:
        return
    for stage, rewrites in sorted(rewrite_registry.rewrites.items()):
        for r in rewrites:
            ident.add("rewrite", stage, r.__module__, r.__qualname__)
            for m in ("match", "apply"):
                fn = getattr(r, m, None)
                if isinstance(fn, _pytypes.FunctionType):
                    ident.code(fn.__code__)


def code_identity(py_func, argtypes, options, cc, links=()):
    """The disk identity of a kernel: its code (bytecode, constants, closure
    values, referenced globals and device functions, transitively), argument
    types, jit options, NUMBA_* settings, registered rewrites, compute
    capability, and lcs/numba/numba-cuda/llvmlite versions; for a kernel
    whose code reaches ``this_grid`` (grid sync), the digest of the
    libcudadevrt.a it links. Computed without running numba's compiler."""
    ident = _Identity()
    ident.add("lcs.numba", 1, KERNEL_NAME)
    ident.function(py_func)
    if "this_grid" in ident.names:
        links = list(links) + [_cudadevrt()]
    ident.add("argtypes", tuple(str(t) for t in argtypes))
    ident.add("options", sorted((k, repr(v)) for k, v in options.items()
                                if k != "link"))
    # Link inputs by content (their reprs may hold addresses).
    for name, kind, data in links:
        ident.add("link", name, str(kind),
                  hashlib.blake2b(data, digest_size=20).hexdigest())
    ident.add("env", sorted((k, v) for k, v in os.environ.items()
                            if k.startswith("NUMBA_")))
    ident.add("cc", tuple(cc))
    ident.add("versions", _versions())
    _rewrites_identity(ident)
    return "lcs.numba:" + ident.digest()


# --- numba types to lcs's argument layout ------------------------------------

_SCALARS = {"int8": "i8", "uint8": "i8", "int16": "i16", "uint16": "i16",
            "int32": "i32", "uint32": "i32", "int64": "i64", "uint64": "i64",
            "bool": "i8", "float16": "half", "float32": "float",
            "float64": "double"}


def _leaves(argtypes, argnames):
    """(numba type, name) of each value numba passes for argtypes: tuples
    (named or not) member by member, a complex number as its real and
    imaginary parts, arrays and scalars as they are; and whether any
    argument had to be taken apart."""
    nb = _numba()
    out = []
    composite = False

    def walk(t, name):
        nonlocal composite
        if isinstance(t, nb.types.BaseTuple):
            composite = True
            for j, member in enumerate(t):
                walk(member, f"{name}[{j}]")
        elif isinstance(t, nb.types.Complex):
            composite = True
            part = t.underlying_float
            out.extend([(part, f"{name}.real"), (part, f"{name}.imag")])
        else:
            out.append((t, name))

    for i, t in enumerate(argtypes):
        walk(t, argnames[i] if i < len(argnames) else str(i))
    return out, composite


def _flatten(argtypes, args):
    """args as numba passes them for argtypes (see _leaves): the values of
    tuples' members, complex numbers' parts in their float type."""
    nb = _numba()
    out = []

    def walk(t, v):
        if isinstance(t, nb.types.BaseTuple):
            for member, w in zip(t, v):
                walk(member, w)
        elif isinstance(t, nb.types.Complex):
            f = np.float32 if t.underlying_float == nb.types.float32 \
                else np.float64
            c = complex(v)
            out.extend([f(c.real), f(c.imag)])
        else:
            out.append(v)

    for t, v in zip(argtypes, args):
        walk(t, v)
    return tuple(out)


def _layout(argtypes, argnames):
    """numba's flattened kernel parameters for argtypes (see _leaves): an
    array is meminfo, parent, nitems, itemsize, data, shape[ndim],
    strides[ndim]."""
    nb = _numba()
    layout, params = [], []
    for t, name in _leaves(argtypes, argnames)[0]:
        if isinstance(t, nb.types.Array):
            layout.append((True, t.ndim))
            params += ["ptr", "ptr", "i64", "i64", "ptr"] + ["i64"] * (2 * t.ndim)
        elif isinstance(t, (nb.types.Integer, nb.types.Float,
                            nb.types.Boolean)):
            key = "bool" if isinstance(t, nb.types.Boolean) else str(t)
            if key not in _SCALARS:
                raise lcs.UnsupportedError(
                    f"parameter '{name}': numba type {t} is not supported yet")
            layout.append((False, 0))
            params.append(_SCALARS[key])
        else:
            raise lcs.UnsupportedError(
                f"parameter '{name}': numba type {t} is not supported by "
                "lcs.numba yet (arrays, integers, floats, booleans, complex "
                "numbers and tuples of them are)")
    return layout, params


# --- numba-cuda's launch configuration, recorded -----------------------------

@functools.lru_cache(maxsize=None)
def _config_class():
    nb = _numba()

    class LCSLaunchConfiguration(nb.dispatcher._LaunchConfiguration):
        """numba-cuda's launch configuration for one lcs variant compile.

        It records which groups (grid, block, smem) the compile reads; lcs's
        configuration is fetched only on the first read, so a compile that
        reads nothing leaves the kernel to lcs's analysis."""

        def __init__(self, dispatcher):
            # Not the base __init__: no driver stream object, no occupancy
            # warning; the stream is lcs's handle (an int).
            self.dispatcher = dispatcher
            self.pre_launch_callbacks = []
            self.read = set()
            self.marked = None
            self._cfg = None
            self._smem_set = None

        def _get(self, group):
            self.read.add(group)
            if self._cfg is None:
                self._cfg = lcs.current_launch_config()
            return self._cfg

        @property
        def griddim(self):
            return tuple(self._get("grid")["grid"])

        @property
        def blockdim(self):
            return tuple(self._get("block")["block"])

        @property
        def sharedmem(self):
            if self._smem_set is not None:
                self.read.add("smem")
                return self._smem_set
            return self._get("smem")["shared_mem"]

        @sharedmem.setter
        def sharedmem(self, value):
            base = self._get("smem")["shared_mem"]
            if value < base:
                raise lcs.InvalidArgumentError(
                    f"sharedmem may only be raised ({base} -> {value})")
            self._smem_set = int(value)

        @property
        def stream(self):
            return self._get("stream")["stream"]

        @stream.setter
        def stream(self, value):
            pass

        @property
        def _kernel_launch_config_sensitive(self):
            return self.marked is not None

        @_kernel_launch_config_sensitive.setter
        def _kernel_launch_config_sensitive(self, value):
            # dispatcher.mark_launch_config_sensitive(): the groups read so
            # far, all of them if none was.
            if value:
                groups = set(self.read) - {"stream"}
                self.marked = (self.marked or set()) | (
                    groups or {"grid", "block", "smem"})

        def extra_shared_mem(self):
            if self._smem_set is None:
                return 0
            return self._smem_set - self._cfg["shared_mem"]

        def fields(self):
            """The groups to mark in lcs, None for no mark."""
            groups = set(self.read) - {"stream"}
            if self.marked is not None:
                groups |= self.marked
            return sorted(groups) or None

    return LCSLaunchConfiguration


# --- the kernel ---------------------------------------------------------------

class _Signature:
    __slots__ = ("argtypes", "layout", "params", "identity", "program",
                 "kernel", "pending", "callbacks", "composite")

    def __init__(self, argtypes):
        self.argtypes = argtypes
        self.composite = False  # tuples or complex numbers to take apart
        self.program = None
        self.kernel = None
        self.pending = []    # (configuration compiled, pre-launch callbacks)
        self.callbacks = {}  # variant key -> pre-launch callbacks


class _LaunchRecord:
    """The launch configuration a kept pre-launch callback receives on a
    later launch: numba-cuda's attribute names, this launch's values."""

    def __init__(self, kernel, config, args):
        self.dispatcher = kernel
        self.griddim = tuple(config["grid"])
        self.blockdim = tuple(config["block"])
        self.sharedmem = config["shared_mem"]
        self.stream = config["stream"]
        self.args = args
        self.pre_launch_callbacks = []


class LCSKernel(_lcs.Dispatcher):
    """A numba-cuda kernel launched through lcs (what :func:`jit` returns).

    ``kernel[grid, block, stream, sharedmem](*args)`` launches it on numba's
    current device. Arguments: device arrays (anything with
    ``__cuda_array_interface__``), NumPy host arrays (copied to the device and
    back, as numba-cuda does), Python and NumPy scalars.
    """

    def __init__(self, py_func, sigs, options):
        self.py_func = py_func
        self.options = options
        self.__name__ = py_func.__name__
        self.__doc__ = py_func.__doc__
        self._argnames = list(_inspect.signature(py_func).parameters)
        self._explicit = None
        self._sigs = {}          # argtypes -> _Signature
        # kernel[index](*args): one call into the extension, which keys
        # the signature's kernel by what numba's typing reads from the
        # arguments and asks _resolve / _launch_slow otherwise.
        super().__init__()
        self._dispatcher_init(self.__name__, self._argnames)
        self._lock = threading.RLock()
        # (name, kind, bytes) of link=, read now: a bad path fails here.
        link = options.get("link") or ()
        if not isinstance(link, (list, tuple)):
            raise lcs.InvalidArgumentError(
                "lcs.numba.jit: link= is a list of paths, (bytes, kind[, "
                "name]) or LinkableCode objects")
        self._links = [_link_input(i) for i in link]
        self._carveout = (None if options.get("shared_memory_carveout") is None
                          else _carveout(options["shared_memory_carveout"]))
        self._runtime = None
        self._cc = None
        self._device_id = None
        self._devices = {}  # device id -> LCSKernel (other devices)
        self._sig_args = sigs
        self._probe = None
        self.numba_compiles = 0
        self._specialized = False
        self.specializations = {}  # (cc, argtypes) -> LCSKernel
        if sigs:
            from numba.core import sigutils
            self._explicit = []
            for sig in sigs:
                argtypes, _ = sigutils.normalize_signature(sig)
                self._explicit.append(tuple(argtypes))
                self._sigs[tuple(argtypes)] = _Signature(tuple(argtypes))

    def __repr__(self):
        return f"<lcs.numba kernel {self.py_func.__qualname__}>"

    def __call__(self, *args, **kwargs):
        raise lcs.InvalidArgumentError(
            f"kernel '{self.__name__}': the launch configuration was not "
            "specified: launch it with kernel[grid, block](*args)")

    # numba's configure, kernel[grid, block, stream, sharedmem], is the
    # extension's Dispatcher.__getitem__.

    def _resolve(self, args):
        """The lcs kernel of args' numba signature (the extension's miss),
        or None when its arguments must be taken apart (a tuple or complex
        parameter, which an explicit signature may give a real number):
        the extension then launches through _launch_slow."""
        s = self._signature_for(args)
        return None if s.composite else s.kernel

    def _launch_slow(self, index, args):
        """Arguments the extension does not key: host arrays (copied to the
        device and back, as numba-cuda does), tuples and complex numbers
        (taken apart as numba passes them) and other kinds."""
        s = self._signature_for(args)
        if s.composite:
            args = _flatten(s.argtypes, args)
        if any(isinstance(a, np.ndarray) for a in args):
            args, copies = _to_device(args)
            s.kernel[index](*args)
            for h, d in copies:
                d.copy_to_host(h)
        else:
            s.kernel[index](*args)

    # -- compile side --

    def _device(self):
        if self._runtime is None:
            self._enter_thread()
        return self._runtime

    def _enter_thread(self):
        """The first launch of this kernel on a thread: numba's current
        device's context made current here, as numba-cuda's launch does.
        Returns this kernel's runtime (the extension then checks that its
        context is the current one)."""
        device_id, cc = _current_device()
        with self._lock:
            if self._runtime is None:
                self._runtime, self._cc = _runtime_for(device_id), tuple(cc)
                self._device_id = device_id
        return self._runtime._rt

    def _for_device(self):
        """The kernel object serving numba's current device, when a launch
        finds another context current than this kernel's runtime's: each
        device has its own programs, variants and counters (this object's
        introspection reports the device it first launched on)."""
        device_id, _ = _current_device()
        if device_id == self._device_id:
            return self
        with self._lock:
            k = self._devices.get(device_id)
            if k is None:
                k = self._devices[device_id] = LCSKernel(
                    self.py_func, self._sig_args, self.options)
            return k

    def _typeof(self, args):
        nb = _numba()
        return tuple(nb.typeof(a, nb.Purpose.argument) for a in args)

    def _signature_for(self, args):
        """The signature of args as numba types them (numba-cuda's typeof:
        DLPack, then the CUDA Array Interface, scalars by value). The
        extension keys its hits by what this typing reads; this runs on its
        misses and for host arrays."""
        argtypes = self._typeof(args)
        with self._lock:
            if self._explicit is not None:
                s = self._match_explicit(argtypes)
            else:
                s = self._sigs.get(argtypes)
                if s is None:
                    s = self._sigs[argtypes] = _Signature(argtypes)
            if s.kernel is None:
                self._prepare(s)
            return s

    def _match_explicit(self, argtypes):
        """The signature numba-cuda would launch for argtypes: its overload
        resolution (exact, then promotions, then safe and unsafe
        conversions; TypeError when two fit best, or none)."""
        nb = _numba()
        from numba.core import typing
        from numba.cuda.descriptor import cuda_target
        cases = [typing.signature(nb.types.void, *sig)
                 for sig in self._explicit]
        best = cuda_target.typing_context.resolve_overload(
            self.py_func, cases, argtypes, {}, allow_ambiguous=False,
            unsafe_casting=True)
        if best is None:
            raise NoMatchingSignatureError(
                f"kernel '{self.__name__}': no signature matches the "
                f"argument types ({', '.join(map(str, argtypes))}) (numba: "
                "No matching definition for argument type(s)); signatures: "
                + "; ".join("(" + ", ".join(map(str, s)) + ")"
                            for s in self._explicit))
        return self._sigs[tuple(best.args)]

    def _prepare(self, s):
        rt = self._device()
        s.layout, s.params = _layout(s.argtypes, self._argnames)
        s.identity = code_identity(self.py_func, s.argtypes, self.options,
                                   self._cc, self._links)
        s.program = rt.program_from_generator(
            s.identity, _weak_call(self, s.argtypes, "_generate"),
            params={KERNEL_NAME: s.params})
        s.kernel = s.program.kernel(KERNEL_NAME)
        leaves, s.composite = _leaves(s.argtypes, self._argnames)
        s.kernel._set_layout(s.layout, [name for _, name in leaves])

    def compile_ir(self, argtypes, cc=None):
        """numba-cuda's LLVM IR for argtypes (one module; the kernel renamed
        to :data:`KERNEL_NAME`). Needs no GPU when ``cc`` is given."""
        return self.compile(argtypes, cc)["ir"]

    def compile(self, argtypes, cc=None):
        """What lcs builds for argtypes: ``ir`` (as :meth:`compile_ir`),
        ``links`` ((name, kind, bytes) that numba-cuda would link: link=,
        declare_device's link=, libcudadevrt.a for grid sync) and
        ``cooperative`` (the kernel synchronises the grid, so it launches
        cooperatively). Needs no GPU when ``cc`` is given."""
        nb = _numba()
        if cc is None:
            self._device()
            cc = self._cc
        o = self.options
        debug = o.get("debug", False)
        opt = o.get("opt", True)
        nvvm_options = {"fastmath": o.get("fastmath", False),
                        "opt": 3 if opt else 0}
        if debug:
            nvvm_options["g"] = None
        with nb.lock:
            cres = nb.compiler.compile_cuda(
                self.py_func, nb.types.void, tuple(argtypes), debug=debug,
                lineinfo=o.get("lineinfo", False),
                forceinline=o.get("forceinline", False),
                inline=o.get("inline", "never"),
                fastmath=o.get("fastmath", False), nvvm_options=nvvm_options,
                cc=tuple(cc), max_registers=o.get("max_registers"))
            lib = cres.library
            name = cres.fndesc.llvm_func_name
            kernel = lib.get_function(name)
            lib._entry_name = name
            nb.compiler.kernel_fixup(kernel, debug)
            nb.nvvm.set_launch_bounds(kernel, o.get("launch_bounds"))
            # As numba-cuda's _Kernel: grid sync needs libcudadevrt.a.
            cooperative = bool(lib.use_cooperative)
            files = sorted(lib._linking_files, key=repr)
            if o.get("fastmath"):
                _flag_fastmath(lib.modules[0])
            # What numba-cuda does to each module before libNVVM: its
            # atomic helpers (float min/max/sub, u64 inc/dec...) are
            # declared by the lowering and defined here. After the rename:
            # it also deletes "immarg" wherever it occurs.
            modules = [nb.nvvm.llvm_replace(str(m).replace(name, KERNEL_NAME))
                       for m in lib.modules]
        links = list(self._links) + [_link_input(f) for f in files]
        if cooperative:
            links.append(_cudadevrt())
        links = [self._built(link, cc) for link in links]
        self.numba_compiles += 1
        return {"ir": _link_text(modules),
                "links": links, "cooperative": cooperative}

    def _built(self, link, cc):
        """CUDA C++ link inputs compiled by NVRTC (as numba-cuda does: LTO-IR
        by default)."""
        name, kind, data = link
        if kind != "cu":
            return link
        from numba.cuda.cudadrv import nvrtc
        lto = self.options.get("lto")
        out, _ = nvrtc.compile(data.decode(), name, tuple(cc),
                               ltoir=lto is not False)
        out = getattr(out, "code", out)  # cuda.core's ObjectCode, or bytes
        if isinstance(out, str):
            out = out.encode()
        return (name, "ltoir" if lto is not False else "ptx", bytes(out))

    def _generate(self, s, name):
        """lcs's generator: numba-cuda's compile under its launch-config
        thread-local, for the configuration lcs is compiling."""
        nb = _numba()
        args = _lcs._current_launch_args()
        lcs._marks.user_marked = False
        out = {}

        def compile_for_args(*_args, **_kws):
            out.update(self.compile(s.argtypes, self._cc))
            return True

        # numba's compiler lock (re-entrant) serialises the probe's use.
        with nb.lock:
            cfg = _config_class()(self._probe_dispatcher())
            probe = cfg.dispatcher
            probe._compile_for_args = compile_for_args
            prev = nb.cext.swap_current_launch_args(args)
            try:
                # numba-cuda's own entry point sets its thread-local around
                # the compile it triggers (LaunchConfigGuard); the probe has
                # no overloads, so it always compiles.
                nb.cext.Dispatcher._cuda_call(
                    probe, *args, **{"__numba_cuda_launch_config__": cfg})
            finally:
                nb.cext.swap_current_launch_args(prev)
                del probe._compile_for_args
        if not lcs._marks.user_marked:
            fields = cfg.fields()
            if fields:
                lcs.mark_launch_config_sensitive(*fields)
            elif cfg._cfg is not None:
                # Only the stream was read: no field, but lcs counted a read.
                lcs.mark_launch_config_sensitive()
        if cfg.pre_launch_callbacks:
            # Run now, before the launch that compiles this variant (as in
            # numba-cuda), and kept for its later launches in this process.
            for cb in cfg.pre_launch_callbacks:
                cb(s.kernel, cfg)
            with self._lock:
                s.pending.append((lcs.current_launch_config(),
                                  list(cfg.pre_launch_callbacks)))
            s.kernel._set_pre_launch(
                _weak_call(self, s.argtypes, "_pre_launch"))
        for link_name, kind, data in out["links"]:
            lcs.generator_add_link(data, kind, link_name)
        if self._carveout is not None or out["cooperative"]:
            lcs.generator_set_attributes(
                shared_memory_carveout=(-1 if self._carveout is None
                                        else self._carveout),
                cooperative=out["cooperative"])
        return out["ir"], cfg.extra_shared_mem()

    def _pre_launch(self, s, config, args):
        """Before each launch of a signature some of whose variants
        registered pre-launch callbacks: those of the variant config maps
        to, called as numba-cuda calls them, (kernel, launch configuration)."""
        with self._lock:
            while s.pending:  # keyed once the compile has marked its fields
                compiled, cbs = s.pending.pop()
                key = s.kernel.variant_for(compiled)["key"]
                s.callbacks.setdefault(key, []).extend(cbs)
            cbs = s.callbacks.get(s.kernel.variant_for(config)["key"])
        if cbs:
            launch = _LaunchRecord(self, config, args)
            for cb in cbs:
                cb(s.kernel, launch)

    def _probe_dispatcher(self):
        if self._probe is None:
            nb = _numba()
            self._probe = nb.dispatcher.CUDADispatcher(
                self.py_func, targetoptions={k: v for k, v in
                                             self.options.items()
                                             if k != "cache"})
        return self._probe

    # -- numba-cuda's dispatcher API --

    def specialize(self, *args):
        """A kernel of the one signature of args (numba-cuda's
        ``specialize``), the same object for the same types on a device."""
        if self._specialized:
            raise RuntimeError("Dispatcher already specialized")
        _, cc = _current_device()
        argtypes = self._typeof(args)
        with self._lock:
            k = self.specializations.get((cc, argtypes))
            if k is None:
                k = LCSKernel(self.py_func, [argtypes], self.options)
                k._specialized = True
                self.specializations[cc, argtypes] = k
            return k

    @property
    def specialized(self):
        """Whether this kernel came from :meth:`specialize`."""
        return self._specialized

    def forall(self, ntasks, tpb=0, stream=0, sharedmem=0):
        """numba-cuda's ``forall``: a launcher of ntasks threads in 1D
        blocks of tpb (128 when 0), for a kernel that maps ``cuda.grid(1)``
        to tasks one to one and ignores threads past ntasks."""
        if ntasks < 0:
            raise ValueError(
                f"Can't create ForAll with negative task count: {ntasks}")

        def launch(*args):
            if ntasks == 0:
                return
            kernel = self if self._specialized else self.specialize(*args)
            block = tpb or 128
            kernel[(ntasks + block - 1) // block, block, stream,
                   sharedmem](*args)
        return launch

    def inspect_asm(self, signature=None):
        """The PTX per signature ({argtypes: text}), or of one: what lcs
        compiles from numba-cuda's IR before specialising it on a launch
        configuration (numba-cuda's ``inspect_asm``). Link inputs are not
        in it: nvJitLink adds them to the cubin."""
        if signature is None:
            return {sig: self.inspect_asm(sig) for sig in self.signatures}
        self._device()
        sig = tuple(signature.args if hasattr(signature, "args")
                    else signature)
        return lcs.ptx(self.compile_ir(sig), kernel=KERNEL_NAME,
                       arch="sm_%d%d" % self._cc)

    @property
    def overloads(self):
        """{argtypes: lcs kernel} of the signatures declared or launched
        (a declared one is None until its first launch)."""
        return {t: s.kernel for t, s in self._sigs.items()}

    # -- introspection --

    @property
    def signatures(self):
        """The argument-type signatures seen (or declared)."""
        return list(self._sigs)

    def inspect_llvm(self, signature=None):
        """numba-cuda's LLVM IR per signature ({argtypes: text}), as lcs
        receives it before specialisation."""
        sigs = [tuple(signature)] if signature is not None else self.signatures
        return {sig: self.compile_ir(sig) for sig in sigs}

    @property
    def sensitivity(self):
        """{argtypes: (fields, explicit)} of the signatures launched."""
        return {t: s.kernel.sensitivity for t, s in self._sigs.items()
                if s.kernel is not None}

    @property
    def variants(self):
        """{argtypes: [variant dicts]} of the signatures launched."""
        return {t: s.kernel.variants for t, s in self._sigs.items()
                if s.kernel is not None}

    @property
    def counters(self):
        """The runtime's counters plus ``numba_compiles`` (this kernel's)."""
        c = dict(self._runtime.counters) if self._runtime else {}
        c["numba_compiles"] = self.numba_compiles
        return c


def _flag_fastmath(module):
    """numba-cuda's fastmath is libNVVM's -ftz=1 -prec-sqrt=0 (and
    -prec-div=0 -fma=1, which numba's lowering already says per operation):
    said to lcs with module flags (docs/metadata.md): libdevice's answers,
    and f32 denormals flushed in all code."""
    from llvmlite import ir
    i32 = ir.IntType(32)
    for name, value in (("nvvm-reflect-ftz", 1), ("nvvm-reflect-prec-sqrt", 0),
                        ("lcs.nvvm-ftz", 1)):
        module.add_named_metadata("llvm.module.flags", [
            i32(4), ir.MetaDataString(module, name), i32(value)])


def _link_text(modules):
    """One module from numba's (the kernel's and its device libraries')."""
    if len(modules) == 1:
        return modules[0]
    from llvmlite import binding as llvm
    main = llvm.parse_assembly(modules[0])
    for text in modules[1:]:
        main.link_in(llvm.parse_assembly(text))
    return str(main)


def _weak_call(kernel, argtypes, method):
    """kernel.method(kernel's signature of argtypes, *args), holding the
    kernel weakly: the extension's program and kernel objects keep their
    generator and hook alive, and a strong reference back would keep every
    launched kernel (and its programs and modules) alive for good."""
    ref = weakref.ref(kernel)

    def call(*args):
        k = ref()
        if k is None:
            raise lcs.InvalidArgumentError(
                "this lcs.numba kernel no longer exists")
        return getattr(k, method)(k._sigs[argtypes], *args)
    return call


def _to_device(args):
    nb = _numba()
    out, copies = [], []
    for a in args:
        if isinstance(a, np.ndarray):
            d = nb.cuda.to_device(a)
            copies.append((a, d))
            a = d
        out.append(a)
    return tuple(out), copies


def _current_device():
    """numba's current device (its context made current): (id, cc)."""
    ctx = _numba().cuda.current_context()
    return ctx.device.id, tuple(ctx.device.compute_capability)


_runtimes = {}
_runtimes_lock = threading.Lock()


def _runtime_for(device_id):
    with _runtimes_lock:
        rt = _runtimes.get(device_id)
        if rt is None:
            rt = _runtimes[device_id] = lcs.Runtime()
        return rt


def jit(func_or_sig=None, **options):
    """numba-cuda's ``cuda.jit`` for kernels, launched through lcs.

    ``@jit``, ``@jit(sig)``, ``@jit(sig, fastmath=True)``, ``@jit(**opts)``.
    Options: debug, lineinfo, fastmath, opt, max_registers, launch_bounds,
    inline, forceinline, cache (lcs always caches on disk), ``link=`` (paths,
    ``(bytes, kind[, name])`` or numba-cuda LinkableCode objects, linked by
    nvJitLink, with -lto when one is LTO-IR), ``lto=`` (for ``.cu`` inputs:
    LTO-IR unless False), ``shared_memory_carveout=``. Kernels that
    synchronise the grid (``cuda.cg.this_grid().sync()``) link
    libcudadevrt.a and launch cooperatively, as in numba-cuda.
    ``extensions=`` raises :class:`lcs.UnsupportedError`; ``device=True`` too
    (use ``numba.cuda.jit`` for device functions: they work when called from
    a kernel).
    """
    for opt in options:
        if opt in _UNSUPPORTED:
            raise lcs.UnsupportedError(
                f"lcs.numba.jit: option '{opt}=' is not supported yet")
        if opt == "device":
            if options[opt]:
                raise lcs.UnsupportedError(
                    "lcs.numba.jit: device=True is not supported; use "
                    "numba.cuda.jit for device functions")
            continue
        if opt not in _SUPPORTED:
            raise lcs.InvalidArgumentError(
                f"lcs.numba.jit: unknown option '{opt}'")
    options = {k: v for k, v in options.items() if k != "device"}

    def wrap(fn, sigs):
        if not isinstance(fn, _pytypes.FunctionType):
            raise lcs.InvalidArgumentError(
                "lcs.numba.jit: decorate a Python function")
        return LCSKernel(fn, sigs, options)

    if isinstance(func_or_sig, _pytypes.FunctionType):
        return wrap(func_or_sig, None)
    if func_or_sig is None:
        return lambda fn: wrap(fn, None)
    sigs = func_or_sig if isinstance(func_or_sig, list) else [func_or_sig]
    return lambda fn: wrap(fn, sigs)
