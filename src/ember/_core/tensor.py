"""``Tensor``: a NumPy array plus what autograd needs (``requires_grad``, ``grad``, ``grad_fn``, version).

This file is the data structure only; the ops (``ember.ops``) are bound onto the class as methods and operators
by ``ember._bind``. Attributes that most tensors never set (grad, grad_fn, hooks, view base...) are class-level
defaults, so making a tensor is two stores.
"""

from __future__ import annotations

import warnings
import weakref

from .. import _layouts, _tensor_str
from .. import storage as _storage
from .._array import np
from . import dtype as D
from . import modes
from .dims import _wrap_dim
from .messages import _cname, _long_name, _shape_str
from .meta import is_meta_array as _is_meta_array
from .meta import meta_array
from .node import _RemovableHandle

__all__ = ["device", "meta_tensor", "Size", "Tensor", "to_meta", "_check_device", "_CPU", "_DEFAULT_DEVICE",
           "_DictHandle", "_new", "_to_dtype_arg", "_wrap"]


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``torch.Size([2, 3])``."""

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    __str__ = __repr__

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, k):
        r = tuple.__getitem__(self, k)
        return Size(r) if isinstance(k, slice) else r

    def __add__(self, other):
        return Size(tuple.__add__(self, tuple(other)))


_DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia",
                 "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")


class device:
    """``ember.device('cpu')``: where a tensor lives. ember computes on the CPU; ``meta`` tensors have a shape
    and a dtype but no values; other device types can be named but hold no tensors here.

    Used as a context manager (``with torch.device("meta"):``) it is the default device inside the block."""

    __slots__ = ("type", "index", "_previous")

    def __init__(self, type_or_str="cpu", index=None, *, type=None):  # noqa: A002  (PyTorch's keyword)
        if type is not None:
            type_or_str = type
        if isinstance(type_or_str, device):
            self.type, self.index = type_or_str.type, type_or_str.index
            return
        if isinstance(type_or_str, int) and not isinstance(type_or_str, bool):
            raise RuntimeError("Cannot access accelerator device when none is available.")
        s = str(type_or_str)
        if ":" in s:
            s, idx = s.split(":", 1)
            if not idx.isdigit() or s not in _DEVICE_TYPES:
                raise RuntimeError(f"Invalid device string: '{type_or_str}'")
            index = int(idx)
        if s not in _DEVICE_TYPES:
            raise RuntimeError(f"Expected one of {', '.join(_DEVICE_TYPES)} device type at start of device "
                               f"string: {s}")
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        self.type, self.index = s, index

    def __repr__(self):
        return f"device(type='{self.type}'" + (f", index={self.index})" if self.index is not None else ")")

    def __str__(self):
        return self.type + (f":{self.index}" if self.index is not None else "")

    def __eq__(self, other):
        # as PyTorch: a device equals a device only (torch.device("cpu") == "cpu" is False)
        return isinstance(other, device) and self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))

    def __enter__(self):
        self._previous = _DEFAULT_DEVICE[0]
        _DEFAULT_DEVICE[0] = device(self)
        return self

    def __exit__(self, *exc):
        _DEFAULT_DEVICE[0] = self._previous
        return False


_CPU = device("cpu")
_META_TO_NUMPY = ("can't convert meta device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host "
                  "memory first.")
_META = device("meta")
_DEFAULT_DEVICE = [_CPU]  # torch.set_default_device / ``with torch.device(...)``

# what PyTorch's CPU build raises when a tensor is asked to live on a device it was built without
_NO_DEVICE = {"cuda": (AssertionError, "Torch not compiled with CUDA enabled"),
              "xpu": (AssertionError, "Torch not compiled with XPU enabled"),
              "mtia": (AssertionError, "Torch not compiled with MTIA enabled. Ensure you have `import "
                       "mtia.host_runtime.torch_mtia.dynamic_library` in your python src file and include "
                       "`//mtia/host_runtime/torch_mtia:torch_mtia` as your target dependency!"),
              "hpu": (ModuleNotFoundError, "No module named 'torch.hpu'"),
              "privateuseone": (ModuleNotFoundError, "No module named 'torch.privateuseone'")}


def _check_device(dev):
    """The device type a tensor asked for on ``dev`` gets ("cpu" or "meta"; None means the default device);
    any other device raises what PyTorch's CPU build raises for it."""
    if dev is None:
        dev = _DEFAULT_DEVICE[0]
        if dev is _CPU:
            return "cpu"
    elif type(dev) is str and dev == "cpu":
        return "cpu"
    d = dev if isinstance(dev, device) else device(dev)
    if d.type == "cpu" or d.type == "meta":
        return d.type
    cls, msg = _NO_DEVICE.get(d.type, (RuntimeError, f"PyTorch is not linked with support for {d.type} devices"))
    raise cls(msg)


class Tensor:
    """A multi-dimensional array that can record the operations applied to it for automatic differentiation."""

    # defaults shared by every tensor until set on one (keeps construction cheap)
    _requires_grad = False          # requires_grad
    _grad = None
    grad_fn = None
    _output_nr = 0
    _version_counter = None           # version counter: a one-element list shared with views, created on demand
    _base = None         # the tensor this one is a view of
    _hooks = None
    _post_hooks = None   # register_post_accumulate_grad_hook
    _retains_grad = False
    _view_key = None
    _modified_at = None
    _tangent = None      # forward-mode AD: the tangent at the current dual level (see autograd.forward_ad)
    _tangent_pending = None  # (node, input tangents) until that tangent is first needed

    @staticmethod
    def _wrap(arr: np.ndarray) -> "Tensor":
        return _wrap(arr)

    # -- basic properties ------------------------------------------------------------------------------
    @property
    def data(self) -> "Tensor":
        """The same values, detached from the graph (shares memory)."""
        # unlike detach(), its own version counter: in-place changes through .data are hidden from autograd
        return _wrap(self._data)

    @data.setter
    def data(self, value: "Tensor"):
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        if self._requires_grad and value._data.dtype.kind not in "fc":
            raise RuntimeError("data set to a tensor that requires gradients must be floating point or complex dtype")
        self._data = value._data

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool):
        if self.grad_fn is not None and not value:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you want to use a "
                               "computed variable in a subgraph that doesn't require differentiation use "
                               "var_no_grad = var.detach().")
        if value and self._data.dtype.kind not in "fc":
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        if value and not _GRAD.inference and getattr(self if self._base is None else self._base, "_inference", False):
            raise RuntimeError("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.")
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        if type(requires_grad) is not bool:
            raise TypeError(f"requires_grad_(): argument 'requires_grad' (position 1) must be bool, not "
                            f"{type(requires_grad).__name__}")
        if requires_grad and self._data.dtype.kind not in "fc":
            # PyTorch's method words this differently from the property setter
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    @property
    def grad(self):
        if self.grad_fn is not None and not self._retains_grad and self._grad is None:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "
                "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated "
                "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf "
                "Tensor by mistake, make sure you access the leaf Tensor instead. See "
                "github.com/pytorch/pytorch/pull/30531 for more information.", UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type "
                                f"{type(value).__name__}")
            if value is self:
                raise RuntimeError("can't assign Variable as its own grad")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(f"attempting to assign a gradient with dtype '{_cname(value)}' to a tensor with "
                                   f"grad_dtype '{_long_name(self.dtype)}'. The gradient must match the tensor's "
                                   "grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype "
                                   "attribute with a specific dtype, or None to allow any dtype. Set grad_dtype with "
                                   "caution. Diverging the dtypes of a tensor and its gradient may break downstream "
                                   "systems that assume they match.")
            if value.shape != self.shape:
                raise RuntimeError(f"attempting to assign a gradient of size '{_shape_str(value.shape)}' to a tensor "
                                   f"of size '{_shape_str(self.shape)}'. Please ensure that the gradient and the "
                                   "tensor are the same size")
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    def _is_view(self) -> bool:
        """Whether this tensor is a view of another (its ``_base``), as PyTorch's private method (torchviz uses it)"""
        return self._base is not None

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    @property
    def _version(self) -> int:
        vc = self._version_counter
        return vc[0] if vc is not None else 0

    def _bump(self):
        """Mark an in-place modification (saved copies of this tensor become stale)."""
        vc = self._version_counter
        if vc is None:
            self._version_counter = [1]
        else:
            vc[0] += 1

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    @property
    def dtype(self) -> D.dtype:
        return D.from_numpy_dtype(self._data.dtype)

    @property
    def device(self) -> device:
        return _META if _is_meta_array(self._data) else _CPU

    @property
    def is_cuda(self) -> bool:
        return False

    @property
    def is_sparse(self) -> bool:
        return False

    @property
    def is_quantized(self) -> bool:
        return False

    @property
    def is_meta(self) -> bool:
        """True for a tensor on the meta device (a shape and a dtype, no values)."""
        return _is_meta_array(self._data)

    @property
    def layout(self):
        return _layouts.strided

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def is_complex(self) -> bool:
        return self._data.dtype.kind == "c"

    def is_contiguous(self, memory_format=None) -> bool:
        return bool(self._data.flags.c_contiguous)

    def element_size(self) -> int:
        return self._data.itemsize

    def stride(self, dim=None):
        st = tuple(s // self._data.itemsize for s in self._data.strides)
        return st if dim is None else st[dim]

    def storage_offset(self) -> int:
        """Where this tensor starts in its storage (the memory its array views), in elements."""
        if _is_meta_array(self._data):
            return 0
        return _storage.offset_in_storage(self._data)

    def data_ptr(self) -> int:
        if _is_meta_array(self._data):
            return 0
        return self._data.__array_interface__["data"][0]

    def untyped_storage(self) -> _storage.UntypedStorage:
        """The memory under this tensor, as bytes (shared with it)."""
        if _is_meta_array(self._data):  # no memory: a meta storage of the tensor's size
            s = _storage.UntypedStorage._of(meta_array((self._data.nbytes,), np.uint8))
        else:
            s = _storage.untyped_storage_of(self._data)
        s.device = self.device
        return s

    def storage(self) -> _storage.TypedStorage:
        """The memory under this tensor, as elements of its dtype (deprecated in PyTorch, with its warning)."""
        warnings.warn(_storage._TYPED_DEPRECATED, UserWarning, stacklevel=2)
        s = _storage.typed_storage_of(self._data)
        s.device = self.device
        return s

    def storage_type(self):
        """The legacy storage class of this tensor's dtype (torch.FloatStorage ...)."""
        return _storage.legacy_storage(self.dtype)

    def get_device(self) -> int:
        return -1

    @property
    def is_cpu(self) -> bool:
        return not _is_meta_array(self._data)

    # devices and layouts a tensor here is never on or in (PyTorch's flags, all False on its CPU build)
    is_ipu = is_maia = is_mkldnn = is_mps = is_mtia = is_vulkan = is_xla = is_xpu = property(lambda self: False)
    is_nested = is_sparse_csr = property(lambda self: False)

    def is_distributed(self) -> bool:
        return False

    def const_data_ptr(self) -> int:
        return self.data_ptr()

    def xpu(self, device=None, non_blocking=False, memory_format=None):
        return _check_device("xpu")

    def ipu(self, device=None, non_blocking=False, memory_format=None):
        raise RuntimeError("PyTorch is not linked with support for ipu devices")

    def mtia(self, device=None, non_blocking=False, memory_format=None):
        return _check_device("mtia")

    @property
    def output_nr(self) -> int:
        """Which output of its grad_fn this tensor is."""
        return self._output_nr

    @property
    def volatile(self) -> bool:
        return False

    name = None  # named tensors are not supported; PyTorch's default name is None

    def is_pinned(self, device=None) -> bool:
        return False

    def is_shared(self) -> bool:
        return False

    def record_stream(self, stream) -> None:
        """Streams are a GPU notion; nothing to record on the CPU."""

    def is_set_to(self, other) -> bool:
        """True when both tensors view the same memory with the same shape and strides."""
        return (self._data.__array_interface__ == other._data.__array_interface__
                and self._data.strides == other._data.strides)

    @property
    def itemsize(self) -> int:
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        return self._data.nbytes

    # -- conversion ----------------------------------------------------------------------------------------
    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        if _is_meta_array(self._data):
            raise RuntimeError("Tensor.item() cannot be called on meta tensors")
        return self._data.reshape(()).item()

    def tolist(self):
        if _is_meta_array(self._data):
            raise NotImplementedError("Cannot copy out of meta tensor; no data!")
        return self._data.tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The values as a NumPy array sharing memory with the tensor; ``force=True`` also for a tensor that
        requires grad (as ``t.detach().numpy()``)."""
        if _is_meta_array(self._data):  # checked first, as PyTorch does
            raise TypeError(_META_TO_NUMPY)
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                               "instead.")
        return self._data.view()

    # -- the NumPy protocol: np.asarray(t), ufuncs on tensors, NumPy scalars as operands ----------------------
    # A NumPy scalar on the left of an operator (np.float64(2) * t) defers to the tensor's reflected operator
    # because of __array_priority__, so the result is a tensor with PyTorch's type promotion. A ufunc applied
    # to a tensor (np.exp(t)) computes on the array and __array_wrap__ makes the result a tensor again.
    __array_priority__ = 1000

    def __array__(self, dtype=None, copy=None):
        """The values as an ndarray (sharing memory unless a copy or another dtype is asked for)."""
        arr = self._data
        if _is_meta_array(arr):
            raise TypeError(_META_TO_NUMPY)
        if self._requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                               "instead.")
        if dtype is not None and np.dtype(dtype) != arr.dtype:
            if copy is False:
                raise ValueError("Unable to avoid copy while creating an array as requested.")
            return arr.astype(dtype)
        return arr.copy() if copy else arr.view()

    def __array_wrap__(self, array, context=None, return_scalar=False):
        """A ufunc's result as a tensor (booleans become uint8, as PyTorch's __array_wrap__ does)."""
        if array.dtype == np.bool_:
            array = array.astype(np.uint8)
        return _wrap(np.asarray(array))

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with {'more than one value' if self._data.size else 'no values'} "
                               "is ambiguous")
        if _is_meta_array(self._data):
            raise RuntimeError("Tensor.item() cannot be called on meta tensors")
        return bool(self._data.reshape(()))

    def __float__(self) -> float:
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        if _is_meta_array(self._data):
            raise RuntimeError("Tensor.item() cannot be called on meta tensors")
        if self._requires_grad and _GRAD.enabled:  # PyTorch warns only where grad mode is on (not in an optimizer's step)
            warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
                          "Consider using tensor.detach() first.",
                          UserWarning, stacklevel=2)
        return float(self._data.reshape(()))

    def __int__(self) -> int:
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        if _is_meta_array(self._data):
            raise RuntimeError("Tensor.item() cannot be called on meta tensors")
        return int(self._data.reshape(()))

    def __complex__(self) -> complex:
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return complex(self._data.reshape(()))

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.reshape(()))

    __hash__ = object.__hash__  # by identity, as PyTorch's; the C slot (optimizer.state[p] runs no Python frame)

    def __format__(self, spec):
        # as PyTorch: a plain 0-d tensor formats as its Python number (f"{loss}" prints 0.123...), anything
        # else only with an empty spec
        if self._data.ndim == 0 and type(self) is Tensor and not _is_meta_array(self._data):
            return self._data.item().__format__(spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return str(self)

    def __reduce_ex__(self, protocol):
        # pickling (e.g. for DataLoader workers): rebuild from the array; the graph is not carried
        return (_rebuild, (self._data, self._requires_grad))

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                               "protocol at the moment.  If you were attempting to deepcopy a module, this may be "
                               "because of a torch.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        t = type(self).__new__(type(self))
        t.__dict__.update({k: v for k, v in self.__dict__.items() if k not in ("_version_counter", "_base", "_grad")})
        t._data = self._data.copy()
        if self._grad is not None:
            t._grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = t
        return t

    def type_as(self, other) -> "Tensor":
        return self.to(other.dtype)

    def cpu(self, memory_format=None) -> "Tensor":
        return self

    def pin_memory(self):
        return self

    def share_memory_(self):
        return self

    # -- autograd ----------------------------------------------------------------------------------------

    def detach(self) -> "Tensor":
        """The same values (shared memory) with no history and ``requires_grad=False``."""
        t = _wrap(self._data)
        if self._version_counter is None:
            self._version_counter = [0]
        t._version_counter = self._version_counter
        return t

    def detach_(self) -> "Tensor":
        if self._base is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are using "
                               "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as "
                               "True, gradients are views of DDP buckets, and hence detach_() cannot be called on "
                               "these gradients. To fix this error, please refer to the Optimizer.zero_grad() "
                               "function in torch/optim/optimizer.py as the solution.")
        self.grad_fn = None
        self._requires_grad = False
        self._output_nr = 0
        return self

    def retain_grad(self) -> None:
        """Keep this non-leaf tensor's gradient in ``.grad`` after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        _tensor_hooks(self)[-1] = ("retain", weakref.ref(self))

    def register_hook(self, hook):
        """``hook(grad)`` runs when this tensor's gradient is computed; it may return a replacement."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = {}
            key = len(self._hooks) + 1
            while key in self._hooks:
                key += 1
            self._hooks[key] = hook
            return _DictHandle(self._hooks, key)
        hooks = _tensor_hooks(self)
        key = max([k for k in hooks if k >= 0], default=-1) + 1
        hooks[key] = ("hook", hook)
        _ = _RemovableHandle
        return _DictHandle(hooks, key)

    def register_post_accumulate_grad_hook(self, hook):
        """``hook(tensor)`` runs after backward has accumulated this leaf's ``.grad`` (e.g. to step in place)."""
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._post_hooks is None:
            self._post_hooks = {}
        key = max(self._post_hooks, default=0) + 1
        self._post_hooks[key] = hook
        return _DictHandle(self._post_hooks, key)

    # -- printing --------------------------------------------------------------------------------------
    def __repr__(self, *, tensor_contents=None) -> str:
        suffixes = []
        fn = self.grad_fn
        if fn is not None:
            suffixes.append(f"grad_fn=<{fn.name()}>")
        elif self._requires_grad:
            suffixes.append("requires_grad=True")
        pending = self._tangent_pending
        if pending is not None:  # forward mode: a dual tensor prints its tangent, as PyTorch's do
            self._tangent_pending = None
            self._tangent = modes.forward.compute(self, *pending)
        if self._tangent is not None:
            suffixes.insert(0, f"tangent={self._tangent!r}")
        if _is_meta_array(self._data):  # PyTorch prints a meta tensor's size and dtype in place of values
            size = "(" + ", ".join(str(n) for n in self._data.shape) + ("," if self._data.ndim == 1 else "") + ")"
            parts = ["...", "device='meta'", f"size={size}"]
            if self.dtype is not D.get_default_dtype():
                parts.append(f"dtype=torch.{self.dtype.name}")
            head = "Parameter containing:\n" if _is_param(self) else ""
            return head + _tensor_str._add_suffixes("tensor(" + parts[0], parts[1:] + suffixes, len("tensor("))
        return _tensor_str.format_tensor(self._data, self.dtype.name, D.get_default_dtype().name, suffixes,
                                         is_parameter=_is_param(self))

    __str__ = __repr__

    # -- in-place helpers (shared by every `op_`) ----------------------------------------------------------


def _to_dtype_arg(args, kwargs):
    """The dtype asked of ``.to(...)`` (a dtype, or another tensor's), after checking any device is the CPU."""
    dt = kwargs.get("dtype")
    _check_device(kwargs.get("device"))
    for a in args:
        if isinstance(a, D.dtype):
            dt = a
        elif isinstance(a, Tensor):
            dt = a.dtype
        elif isinstance(a, (str, device, int)):
            _check_device(a)
    return dt


def _is_param(t) -> bool:
    return getattr(type(t), "_is_parameter_class", False)


def _rebuild(arr, rg):
    t = _wrap(arr)
    t._requires_grad = rg
    return t


class _DictHandle:
    __slots__ = ("_d", "_k")

    def __init__(self, d, k):
        self._d, self._k = d, k

    def remove(self):
        self._d.pop(self._k, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


# type(handle) prints as PyTorch's <class 'torch.utils.hooks.RemovableHandle'> (the one class all its registrations
# return); isinstance against ember.utils.hooks.RemovableHandle holds through its virtual subclasses
_DictHandle.__name__ = _DictHandle.__qualname__ = "RemovableHandle"
_DictHandle.__module__ = "torch.utils.hooks"


def _tensor_hooks(t) -> dict:
    """Hooks of a non-leaf tensor live on its grad_fn, keyed by output index (the engine runs them)."""
    node = t.grad_fn
    if node.tensor_hooks is None:
        node.tensor_hooks = {}
    return node.tensor_hooks.setdefault(t._output_nr, {})


_new = object.__new__
_GRAD = modes.grad


# print(type(t)) shows <class 'torch.Tensor'> as in PyTorch (pickling goes through __reduce_ex__, not the name)
Tensor.__module__ = "torch"


_storage.UntypedStorage.device = _storage.TypedStorage.device = _CPU


def meta_tensor(shape, dtype=None) -> Tensor:
    """A tensor on the meta device: ``shape`` and ``dtype`` (default: the default dtype), no values."""
    return _wrap(meta_array(shape, (dtype or D.get_default_dtype()).np))


def to_meta(t: Tensor) -> Tensor:
    """``t`` on the meta device (same shape, dtype and requires_grad; no values)."""
    m = _wrap(meta_array(t._data.shape, t._data.dtype))
    m._requires_grad = t._requires_grad and t.grad_fn is None
    return m


def _wrap(arr: np.ndarray) -> Tensor:
    """A tensor around ``arr`` (no copy, no checks): the constructor every op uses."""
    t = _new(Tensor)
    t._data = arr
    if _GRAD.inference:  # made inside inference_mode: an inference tensor (Tensor.is_inference())
        t._inference = True
    return t

