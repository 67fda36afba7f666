"""The one place that gives ``Tensor`` its methods, properties and operators.

The data structure is ``ember._core.tensor``; each op declares below its definition how it is reached
(``expose(exp, method=True, inplace=True)``, see ``ember._core.exposure``). Importing the op families registers
those declarations; this module attaches them, binding the op functions themselves (``Tensor.exp is
ember.ops.unary.exp``: no wrapper frame, no cost per call). In-place forms come from ``ops.inplace.make_inplace``.
``TORCH`` collects the ``torch.*`` names for the top-level namespace.
"""

from __future__ import annotations

from . import autograd
from ._array import np
from ._core.exposure import DECLARED
from ._core.tensor import Tensor
from .ops.inplace import make_inplace
from .ops.out import with_out

__all__ = ["TORCH", "TORCH_INPLACE"]

# binary dunders whose other operand may be anything: a foreign type gets NotImplemented, so Python raises its
# usual TypeError (or tries the other operand's reflected method). Comparisons too: ``t == None`` and
# ``t == [1, 2]`` are then False and ``t < None`` Python's "'<' not supported" TypeError, as in PyTorch.
_BINARY = {"__truediv__", "__rtruediv__", "__floordiv__", "__mod__", "__pow__", "__rpow__", "__rsub__",
           "__rfloordiv__", "__rmod__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__and__",
           "__rand__", "__or__", "__ror__", "__xor__", "__rxor__", "__lshift__", "__rshift__", "__rlshift__",
           "__rrshift__"}
_OPERAND = (Tensor, int, float, bool, complex, np.generic)
_MATMUL = {"__matmul__", "__rmatmul__"}  # only a tensor: ``t @ 2`` is Python's "unsupported operand" TypeError


def _operator(fn, operand=_OPERAND):
    def op(a, b):
        if not isinstance(b, operand):
            return NotImplemented
        return fn(a, b)
    op.__name__, op.__doc__ = fn.__name__, fn.__doc__
    return op


TORCH: dict = {}
for _e in DECLARED:
    for _name in _e.methods:
        setattr(Tensor, _name, _e.fn)
    for _name in _e.props:
        setattr(Tensor, _name, property(_e.fn, doc=_e.fn.__doc__))
    for _name in _e.operators:
        setattr(Tensor, _name, _operator(_e.fn) if _name in _BINARY else _operator(_e.fn, Tensor)
                if _name in _MATMUL else _e.fn)
    if _e.inplace:
        _method = make_inplace(_e.fn, _e.inplace[-1] if _e.inplace[0].startswith("__") else _e.inplace[0])
        for _name in _e.inplace:
            setattr(Tensor, _name, _method)
    for _name in _e.torch:
        TORCH[_name] = with_out(_e.fn, _name, _e.out) if _e.out else _e.fn


def _backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(self)/d(leaf) into each leaf's ``.grad`` (``gradient`` is dL/dself; default 1 for scalars)."""
    autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)


Tensor.backward = _backward

# ``torch.exp_(x)`` and friends: the method, as a function
TORCH_INPLACE = ("abs_", "acos_", "acosh_", "asin_", "asinh_", "atan_", "atanh_", "ceil_", "cos_", "cosh_", "erf_",
                 "erfc_", "exp_", "exp2_", "expm1_", "floor_", "frac_", "log_", "log10_", "log1p_", "log2_", "neg_",
                 "negative_", "reciprocal_", "round_", "rsqrt_", "sin_", "sinh_", "sqrt_", "square_", "tan_",
                 "trunc_", "fix_", "clamp_", "clamp_max_", "clamp_min_", "clip_", "fill_", "sinc_", "deg2rad_",
                 "rad2deg_", "gcd_", "lcm_", "ldexp_", "logit_", "xlogy_", "i0_", "detach_", "nan_to_num_",
                 "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_", "arctanh_", "index_put_", "relu_",
                 "sigmoid_", "tanh_", "zero_", "addmv_", "conj_physical_", "as_strided_")
for _name in TORCH_INPLACE:
    TORCH[_name] = getattr(Tensor, _name, None)

# methods of nn ops, whose module loads on first use (keeping ``import ember`` light)


def _hardshrink(self, lambd=0.5):
    """x.hardshrink(lambd) = nn.functional.hardshrink(x, lambd)"""
    from .nn import functional
    return functional.hardshrink(self, lambd)


def _prelu(self, weight):
    """x.prelu(weight) = nn.functional.prelu(x, weight)"""
    from .nn import functional
    return functional.prelu(self, weight)


Tensor.hardshrink = _hardshrink
Tensor.prelu = _prelu
