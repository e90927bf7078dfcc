"""Type stubs for lcs (the package and its extension's objects)."""

from os import PathLike
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

__version__: str
FIELDS: Tuple[str, ...]
GROUPS: Tuple[str, ...]

Module = Union[bytes, bytearray, memoryview, str, PathLike]
Dims = Union[int, Tuple[int], Tuple[int, int], Tuple[int, int, int]]
Stream = Any  # int, or an object with __cuda_stream__, .ptr or .cuda_stream

class Error(Exception):
    """Base of every lcs error; str() is lcs's message."""
class InvalidArgumentError(Error, ValueError):
    """A bad argument: an unknown name, a value of the wrong type."""
class NoDriverError(Error):
    """libcuda.so.1 is missing or there is no device."""
class DriverError(Error):
    """The CUDA driver failed a call."""
class InvalidConfigError(Error):
    """A launch configuration was rejected (the message names the field)."""
class CompileError(Error):
    """Bad IR, or a generator failed (its exception is the __cause__)."""
class NoLaunchConfigError(Error):
    """No generator is running on this thread."""
class UnsupportedError(Error):
    """A feature lcs does not support yet (the message names it)."""

def analyze(*modules: Module) -> Dict[str, List[str]]:
    """Each kernel's launch fields, canonical spelling. No GPU needed."""
def inspect(*modules: Module) -> Dict[str, Dict[str, Any]]:
    """Each kernel's fields, explicit flag and parameter types."""
def ptx(*modules: Module, kernel: Optional[str] = None,
        arch: str = "sm_90") -> str:
    """The generic PTX of a kernel, before any specialisation."""
def current_launch_config() -> Dict[str, Any]:
    """While a generator runs: grid, block, cluster (3-tuples), shared_mem,
    stream."""
def mark_launch_config_sensitive(*fields: str) -> None:
    """While a generator runs: the fields (or groups) its output depends
    on."""

def generator_add_link(data: bytes, kind: Optional[str] = None,
                       name: str = "link input") -> None:
    """While a generator runs: device code linked into this configuration's
    cubin (kind: ltoir, ptx, cubin, fatbin, object, library; None
    detects)."""
def generator_set_attributes(shared_memory_carveout: int = -1,
                             non_portable_cluster_size_allowed: bool = False,
                             cluster_scheduling_policy: int = 0,
                             cooperative: bool = False) -> None:
    """While a generator runs: the variant's function attributes."""

class ConfiguredKernel:
    """kernel[grid, block, stream, shared_mem]: call it with the arguments."""
    def __call__(self, *args: Any) -> None: ...
    @property
    def config(self) -> Dict[str, Any]: ...

class Kernel:
    """A kernel of a program."""
    @property
    def name(self) -> str: ...
    @property
    def params(self) -> Optional[List[str]]:
        """Parameter types as the IR declares them; None if unknown."""
    @property
    def sensitivity(self) -> Tuple[List[str], bool]:
        """(fields, explicit)."""
    @property
    def variants(self) -> List[Dict[str, Any]]:
        """key, groups ("block=128x1x1", "" generic), compiled."""
    def set_policy(self, groups: Sequence[str] = ("block", "cluster"),
                   max_variants: int = 8) -> None: ...
    def launch(self, *args: Any, grid: Dims, block: Dims, stream: Stream = 0,
               shared_mem: int = 0, cluster: Optional[Dims] = None,
               cooperative: bool = False) -> None:
        """cooperative: a cooperative launch (grid sync); the grid must fit
        co-resident (InvalidConfigError names both numbers)."""
    def precompile(self, configs: Sequence[Union[Mapping[str, Any],
                                                 Tuple[Any, ...]]]
                   ) -> List[Optional[Error]]:
        """Builds the variants of configs without launching, several at
        once: one entry each, None or the error its launch would raise."""
    def variant_for(self, config: Union[Mapping[str, Any], Tuple[Any, ...]]
                    ) -> Dict[str, Any]:
        """The variant a configuration (as precompile takes it) maps to,
        compiled or not: key, groups, compiled."""
    def __getitem__(self, index: Tuple[Any, ...]) -> ConfiguredKernel:
        """[grid, block], [grid, block, stream] or [grid, block, stream,
        shared_mem] (numba's order)."""

class Program:
    def kernel(self, name: str) -> Kernel: ...

class Runtime:
    """The lcs runtime for one CUDA context."""
    def __init__(self, cache_dir: Optional[Union[str, PathLike]] = None,
                 device: Optional[int] = None,
                 remote_cache: Optional[str] = None) -> None: ...
    def program(self, *modules: Module) -> Program: ...
    def program_from_generator(
        self, identity: str,
        fn: Callable[[str], Union[bytes, str, Tuple[Union[bytes, str], int]]],
        params: Optional[Mapping[str, Sequence[str]]] = None) -> Program: ...
    def set_default_policy(self, groups: Sequence[str] = ("block", "cluster"),
                           max_variants: int = 8) -> None: ...
    @property
    def counters(self) -> Dict[str, int]: ...
