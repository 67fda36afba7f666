"""``torch.amp``: mixed precision is a no-op on ember's CPU (autocast runs code unchanged; GradScaler passes
through)."""

import contextlib
import warnings

from ._core import dtype as D
from ._core.tensor import device

__all__ = ["autocast", "GradScaler"]


class autocast(contextlib.ContextDecorator):
    """Mixed precision is a no-op on ember's CPU: the context and decorator run the code unchanged."""

    def __init__(self, device_type: str = "cpu", dtype=None, enabled: bool = True, cache_enabled=None):
        self.device_type, self.fast_dtype, self._enabled = device_type, dtype, enabled
        self._saved = []

    def __enter__(self):
        kind = self.device_type
        self._saved.append((_ENABLED.get(kind, False), _DTYPE.get(kind)))
        _ENABLED[kind] = bool(self._enabled)
        if self.fast_dtype is not None:
            _DTYPE[kind] = self.fast_dtype
        _NESTING[0] += 1
        return self

    def __exit__(self, *exc):
        kind = self.device_type
        _ENABLED[kind], dtype = self._saved.pop()
        if dtype is None:
            _DTYPE.pop(kind, None)
        else:
            _DTYPE[kind] = dtype
        _NESTING[0] -= 1
        return False


# -- the autocast state PyTorch keeps per device type: whether it is on, and the dtype it casts to ------------------
# (kept and reported as PyTorch does; ember's ops run in their own dtypes whatever it says)

_ENABLED: dict = {}
_DTYPE: dict = {}
_NESTING = [0]
_BFLOAT16_DEVICES = ("cpu", "hpu", "xla")


def _device_type(fn: str, device_type) -> str:
    if not isinstance(device_type, str):
        raise TypeError(f"{fn}(): argument 'device_type' (position 1) must be str, not {type(device_type).__name__}")
    return device(device_type).type


def _check_enabled(fn: str, enabled, position: int) -> None:
    if not isinstance(enabled, bool):
        raise TypeError(f"{fn}(): argument 'enabled' (position {position}) must be bool, not {type(enabled).__name__}")


def is_autocast_enabled(device_type=None) -> bool:
    """Whether autocast is on for ``device_type`` (left out: "cuda", as in PyTorch)."""
    kind = "cuda" if device_type is None else _device_type("is_autocast_enabled", device_type)
    return _ENABLED.get(kind, False)


def set_autocast_enabled(*args) -> None:
    """``set_autocast_enabled(device_type, enabled)``, or ``set_autocast_enabled(enabled)`` for "cuda"."""
    if len(args) == 1:
        _check_enabled("set_autocast_enabled", args[0], 1)
        _ENABLED["cuda"] = args[0]
        return
    if len(args) != 2:
        raise TypeError(f"set_autocast_enabled() takes 1 or 2 positional arguments but {len(args)} were given")
    kind = _device_type("set_autocast_enabled", args[0])
    _check_enabled("set_autocast_enabled", args[1], 2)
    _ENABLED[kind] = args[1]


_REQUIRED = object()


def _required(fn: str, name: str, value) -> None:
    if value is _REQUIRED:  # PyTorch's binding words it so
        raise TypeError(f'{fn}() missing 1 required positional arguments: "{name}"')


def get_autocast_dtype(device_type=_REQUIRED):
    """The dtype autocast casts to on ``device_type``: bfloat16 on the CPU (HPU, XLA), float16 elsewhere, until
    set_autocast_dtype changes it."""
    _required("get_autocast_dtype", "device_type", device_type)
    kind = _device_type("get_autocast_dtype", device_type)
    if kind in _DTYPE:
        return _DTYPE[kind]
    if kind in ("meta", "lazy"):
        raise RuntimeError("unsupported scalarType")
    return D.bfloat16 if kind in _BFLOAT16_DEVICES else D.float16


def set_autocast_dtype(device_type=_REQUIRED, dtype=_REQUIRED) -> None:
    _required("set_autocast_dtype", "device_type", device_type)
    _required("set_autocast_dtype", "dtype", dtype)
    kind = _device_type("set_autocast_dtype", device_type)
    if not isinstance(dtype, D.dtype):
        raise TypeError(f"set_autocast_dtype(): argument 'dtype' (position 2) must be torch.dtype, not "
                        f"{type(dtype).__name__}")
    _DTYPE[kind] = dtype


def autocast_increment_nesting() -> int:
    """One more autocast region entered; the depth after it (an autocast context counts itself)."""
    _NESTING[0] += 1
    return _NESTING[0]


def autocast_decrement_nesting() -> int:
    _NESTING[0] -= 1
    return _NESTING[0]


def _deprecated(old: str, new: str) -> None:
    warnings.warn(f"torch.{old} is deprecated. Please use torch.{new} instead.", DeprecationWarning, stacklevel=3)


def _device_getters(kind: str):
    def get_dtype():
        _deprecated(f"get_autocast_{name}_dtype()", f"get_autocast_dtype('{kind}')")
        return get_autocast_dtype(kind)

    def is_enabled() -> bool:
        _deprecated(f"is_autocast_{name}_enabled()", f"is_autocast_enabled('{kind}')")
        return _ENABLED.get(kind, False)

    def set_dtype(dtype) -> None:
        if not isinstance(dtype, D.dtype):
            raise TypeError(f"dtype must be a torch.dtype (got {type(dtype).__name__})")
        _deprecated(f"set_autocast_{name}_dtype(dtype)", f"set_autocast_dtype('{kind}', dtype)")
        _DTYPE[kind] = dtype

    def set_enabled(enabled) -> None:
        if not isinstance(enabled, bool):
            raise TypeError(f"enabled must be a bool (got {type(enabled).__name__})")
        _deprecated(f"set_autocast_{name}_enabled(enabled)", f"set_autocast_enabled('{kind}', enabled)")
        _ENABLED[kind] = enabled

    name = "gpu" if kind == "cuda" else kind
    fns = {f"get_autocast_{name}_dtype": get_dtype, f"is_autocast_{name}_enabled": is_enabled,
           f"set_autocast_{name}_dtype": set_dtype, f"set_autocast_{name}_enabled": set_enabled}
    for fname, fn in fns.items():
        fn.__name__ = fn.__qualname__ = fname
        fn.__doc__ = f"deprecated: torch.{fname} (warns, then acts on device type {kind!r})"
    return fns


# torch.get_autocast_cpu_dtype & co.: the deprecated per-device spellings (PyTorch has no is/set ..._gpu_enabled
# of this kind: torch.is_autocast_enabled() and set_autocast_enabled(bool) are cuda's)
_GETTERS = {**_device_getters("cpu"), **_device_getters("cuda"), **_device_getters("ipu"), **_device_getters("xla")}
get_autocast_cpu_dtype = _GETTERS["get_autocast_cpu_dtype"]
is_autocast_cpu_enabled = _GETTERS["is_autocast_cpu_enabled"]
set_autocast_cpu_dtype = _GETTERS["set_autocast_cpu_dtype"]
set_autocast_cpu_enabled = _GETTERS["set_autocast_cpu_enabled"]
get_autocast_gpu_dtype = _GETTERS["get_autocast_gpu_dtype"]
set_autocast_gpu_dtype = _GETTERS["set_autocast_gpu_dtype"]
get_autocast_ipu_dtype = _GETTERS["get_autocast_ipu_dtype"]
is_autocast_ipu_enabled = _GETTERS["is_autocast_ipu_enabled"]
set_autocast_ipu_dtype = _GETTERS["set_autocast_ipu_dtype"]
set_autocast_ipu_enabled = _GETTERS["set_autocast_ipu_enabled"]
get_autocast_xla_dtype = _GETTERS["get_autocast_xla_dtype"]
is_autocast_xla_enabled = _GETTERS["is_autocast_xla_enabled"]
set_autocast_xla_dtype = _GETTERS["set_autocast_xla_dtype"]
set_autocast_xla_enabled = _GETTERS["set_autocast_xla_enabled"]


class GradScaler:
    """Loss scaling for float16 training; on the CPU it is disabled and every call passes through."""

    def __init__(self, device: str = "cuda", init_scale: float = 2.0 ** 16, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000, enabled: bool = True):
        self._enabled = False
        self._scale = init_scale

    def scale(self, outputs):
        return outputs

    def unscale_(self, optimizer) -> None:
        return None

    def step(self, optimizer, *args, **kwargs):
        return optimizer.step(*args, **kwargs)

    def update(self, new_scale=None) -> None:
        return None

    def get_scale(self) -> float:
        return 1.0

    def is_enabled(self) -> bool:
        return self._enabled

    def state_dict(self) -> dict:
        return {}

    def load_state_dict(self, state) -> None:
        return None
