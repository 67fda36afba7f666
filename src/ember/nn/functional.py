"""``nn.functional``: the stateless forms of the layers, activations and losses.

Ops that PyTorch records as one node (``GeluBackward0``, ``MseLossBackward0``, ``NativeLayerNormBackward0``...)
are one node here too: a NumPy forward and a ``Node`` whose backward is written with ember's own ops, so that
``create_graph=True`` differentiates it again. Ops PyTorch composes (softsign, l1_loss, kl_div) are composed.
"""

from __future__ import annotations

import math
import warnings

from .. import ops as AF
from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.args import _float_data, _tensor_arg
from .._core.messages import _long_name
from .._core.node import Node, _type_name
from .._core.record import _wrap_result
from .._core.tensor import Tensor, _wrap
from ..kernels import fused as KF
from ..ops.creation import empty as _empty
from ..ops.index import index_add as _index_add
from ..ops.linalg import cosine_similarity, pairwise_distance  # noqa: F401  (re-exported, as in PyTorch)
from ..ops.linalg import pdist as _pdist
from ..ops.unary import sigmoid, tanh  # noqa: F401
from ._functional_spatial import avg_pool2d, avg_pool3d, pad

_grad_mode = modes.grad

from ._functional_activation import *  # noqa: F403  (linear maps and activations)
from ._functional_activation import (  # noqa: F401  (used below; re-exported above)
    _check_p,
    _implicit_dim_warning,
    _inplace_result,
    _np,
    _plain_backward,
    _unary,
    celu,
    selu,
)

# =====================================================================================================
# Normalisation
# =====================================================================================================

_REDUCED_FLOATS = (D.float16, D.bfloat16)


def _normalize_backward(gh: Tensor, x: Tensor, dims: tuple, eps: float) -> Tensor:
    """dL/dx of x̂ = (x - μ)/√(σ² + ε) over ``dims``, given gh = dL/dx̂:  rstd (gh - mean(gh) - x̂ mean(gh x̂))."""
    mu = AF.mean(x, dims, keepdim=True)
    xc = x - mu
    rstd = AF.rsqrt(AF.mean(xc * xc, dims, keepdim=True) + eps)
    xhat = xc * rstd
    return rstd * (gh - AF.mean(gh, dims, keepdim=True) - xhat * AF.mean(gh * xhat, dims, keepdim=True))


def _xhat(x: Tensor, dims: tuple, eps: float) -> Tensor:
    mu = AF.mean(x, dims, keepdim=True)
    xc = x - mu
    return xc * AF.rsqrt(AF.mean(xc * xc, dims, keepdim=True) + eps)


class NativeLayerNormBackward0(Node):
    """y = x̂ w + b over the last dims:  dx = normalize-backward(g w), dw = Σ g x̂, db = Σ g
    (saves x, w, b and, as PyTorch, the mean and 1/σ of each normalised slice)"""

    def backward(self, g):
        x, w, b = self.saved_values()
        dims, eps = self.dims, self.eps
        nx, nw, nb = (e is not None for e in self.next)
        if _plain_backward():  # not recorded: the fused NumPy rule from the saved statistics (kernels.fused)
            gx, gw, gb = KF.layer_norm_backward(g._data, x._data, self.mean, self.rstd,
                                                None if w is None else w._data, dims, nx, nw and w is not None,
                                                nb and b is not None)
            return tuple(None if a is None else _wrap(a) for a in (gx, gw, gb))
        batch = tuple(range(x.ndim - len(dims)))
        gx = gw = gb = None
        if nx:
            gx = _normalize_backward(g * w if w is not None else g, x, dims, eps)
        if w is not None and nw:
            gw = AF.sum(g * _xhat(x, dims, eps), batch) if batch else g * _xhat(x, dims, eps)
        if b is not None and nb:
            gb = AF.sum(g, batch) if batch else g
        return (gx, gw, gb)

    def release(self):
        super().release()
        self.mean = self.rstd = None


def _int_list_arg(fn: str, arg: str, pos: int, v) -> tuple:
    """PyTorch's binding of an ``int[]`` argument (one int, or a sequence of ints; NumPy ints pass)"""
    def is_int(a):
        return isinstance(a, (int, np.integer)) and not isinstance(a, bool)
    if isinstance(v, (list, tuple)):
        for i, a in enumerate(v):
            if not is_int(a):
                raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be tuple of ints, but found element "
                                f"of type {type(a).__name__} at pos {i}")
        return tuple(int(a) for a in v)
    if is_int(v):
        return (int(v),)
    raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be tuple of ints, not {type(v).__name__}")


def _norm_dtypes(kernel: str, input, weight, bias, dispatch_first: bool = False) -> None:
    """PyTorch's CPU norm kernels on dtypes: parameters of another dtype than the input are "mixed type" (allowed
    only as float32 parameters of a float16/bfloat16 input), otherwise every tensor has the input's dtype, and
    the kernel exists for floating inputs only (``dispatch_first``: that refusal comes before the mixed check)."""
    dt = input.dtype
    if dispatch_first and not dt.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_long_name(dt)}\'')
    defined = [t.dtype for t in (weight, bias) if t is not None]
    if defined and defined[0] is not dt:
        if any(d is not D.float32 for d in defined):
            raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
        if dt not in _REDUCED_FLOATS:
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
        return
    if not dt.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_long_name(dt)}\'')
    for d in defined:
        if d is not dt:
            raise RuntimeError(f"expected scalar type {_long_name(dt)} but found {_long_name(d)}")


def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """(x - μ)/√(σ² + ε) · w + b, with μ, σ² over the last len(normalized_shape) dims."""
    if type(normalized_shape) is int:
        normalized_shape = (normalized_shape,)
    elif type(normalized_shape) is not tuple or not all(type(v) is int for v in normalized_shape):
        normalized_shape = _int_list_arg("layer_norm", "normalized_shape", 2, normalized_shape)
    if type(input) is not Tensor or not (weight is None or isinstance(weight, Tensor)) or not (
            bias is None or isinstance(bias, Tensor)):
        _tensor_arg("layer_norm", ("input", 1, input), *((n, i, t) for n, i, t in (
            ("weight", 3, weight), ("bias", 4, bias)) if t is not None))
    k = len(normalized_shape)
    if k == 0:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                           "element, but got normalized_shape = []")
    if (weight is not None and weight._data.shape != normalized_shape) or (bias is not None and
                                                                           bias._data.shape != normalized_shape):
        for name, t in (("weight", weight), ("bias", bias)):
            if t is not None and t._data.shape != normalized_shape:
                raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                                   f"shape {_sz(t.shape)} and normalized_shape = {_sz(normalized_shape)}")
    if tuple(input.shape[input.ndim - k:]) != normalized_shape or input.ndim < k:
        raise RuntimeError(f"Given normalized_shape={_sz(normalized_shape)}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in normalized_shape)}], but got input of size"
                           f"{_sz(input.shape)}")
    dt = input._data.dtype
    if (weight is not None and weight._data.dtype != dt) or (bias is not None and bias._data.dtype != dt) or \
            dt.kind != "f":
        _norm_dtypes("LayerNormKernelImpl", input, weight, bias)
    x = _np(input)
    dims = tuple(range(input.ndim - k, input.ndim))
    y, mu, rstd = KF.layer_norm(x, dims, eps, None if weight is None else weight._data,
                                None if bias is None else bias._data)
    return _wrap_result(y, NativeLayerNormBackward0, (input, weight, bias), saved=(input, weight, bias), dims=dims,
                eps=eps, mean=mu, rstd=rstd)


class NativeGroupNormBackward0(Node):
    """y = x̂ w + b with x̂ normalised per (sample, group):  dx = normalize-backward(g w) per group"""

    def backward(self, g):
        x, w, b = self.saved_values()
        n, c = x.shape[0], x.shape[1]
        G, eps = self.groups, self.eps
        wshape = (1, c) + (1,) * (x.ndim - 2)
        other = (0,) + tuple(range(2, x.ndim))
        xg = AF.reshape(x, (n, G, -1))
        gx = gw = gb = None
        if self.next[0] is not None:
            gh = g * AF.reshape(w, wshape) if w is not None else g
            gx = AF.reshape(_normalize_backward(AF.reshape(gh, (n, G, -1)), xg, (2,), eps), x.shape)
        if w is not None and self.next[1] is not None:
            xhat = AF.reshape(_xhat(xg, (2,), eps), x.shape)
            gw = AF.sum(g * xhat, other)
        if b is not None and self.next[2] is not None:
            gb = AF.sum(g, other)
        return (gx, gw, gb)


def _group_norm_params(input, weight, bias, c):
    """PyTorch's checks of group_norm's weight and bias (its bias message shows the weight's shape, or [0])"""
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.ndim != 1 or t.shape[0] != c):
            shown = t if name == "weight" else weight
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in input, "
                               f"but got {name} of shape {_sz(shown.shape) if shown is not None else '[0]'} and "
                               f"input of shape {_sz(input.shape)}")
    dt = input._data.dtype
    if dt.kind != "f" or (weight is not None and weight._data.dtype != dt) or (bias is not None and
                                                                               bias._data.dtype != dt):
        _norm_dtypes("GroupNormKernelImpl", input, weight, bias)


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """x normalised over each group of channels (and all spatial positions) per sample, then · w + b."""
    if not isinstance(input, Tensor):  # PyTorch's wrapper reads input.dim() first
        raise AttributeError(f"'{type(input).__name__}' object has no attribute 'dim'")
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    n, c = input.shape[0], input.shape[1]
    # the wrapper's _verify_batch_size([N·C // num_groups, num_groups, *spatial]) (Python's own errors for a
    # num_groups of 0 or of another type)
    q = n * c // num_groups
    if q * math.prod(input.shape[2:]) == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size "
                         f"{[q, num_groups] + list(input.shape[2:])}")
    if type(num_groups) is not int or not (weight is None or isinstance(weight, Tensor)) or not (
            bias is None or isinstance(bias, Tensor)):
        if not isinstance(num_groups, (int, np.integer)) or isinstance(num_groups, bool):
            raise TypeError(f"group_norm(): argument 'num_groups' (position 2) must be int, not "
                            f"{type(num_groups).__name__}")
        _tensor_arg("group_norm", *((nm, i, t) for nm, i, t in (("weight", 3, weight), ("bias", 4, bias))
                                    if t is not None))
        num_groups = int(num_groups)
    if num_groups <= 0:
        raise RuntimeError(f"Expected num groups to be greater than 0, got {num_groups}")
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {_sz(input.shape)} and num_groups={num_groups}")
    _group_norm_params(input, weight, bias, c)
    x = _np(input)
    xg = x.reshape(n, num_groups, -1)
    mu = xg.mean(axis=2, keepdims=True)
    xc = xg - mu
    var = np.mean(xc * xc, axis=2, keepdims=True)
    y = (xc / np.sqrt(var + x.dtype.type(eps))).reshape(x.shape)
    wshape = (1, c) + (1,) * (input.ndim - 2)
    if weight is not None:
        y *= weight._data.reshape(wshape)
    if bias is not None:
        y += bias._data.reshape(wshape)
    return _wrap_result(y, NativeGroupNormBackward0, (input, weight, bias), saved=(input, weight, bias), groups=num_groups,
                eps=eps)


class NativeBatchNormBackward0(Node):
    """y = x̂ w + b, x̂ per channel over (N, spatial):  batch stats -> normalize-backward, running stats -> g w rstd"""

    def backward(self, g):
        x, w, b = self.saved_values()
        c = x.shape[1]
        wshape = (1, c) + (1,) * (x.ndim - 2)
        dims = (0,) + tuple(range(2, x.ndim))
        eps = self.eps
        gx = gw = gb = None
        gh = g * AF.reshape(w, wshape) if w is not None else g
        if self.training:
            if self.next[0] is not None:
                gx = _normalize_backward(gh, x, dims, eps)
            xhat = _xhat(x, dims, eps) if w is not None and self.next[1] is not None else None
        else:
            mean = _wrap(self.mean.reshape(wshape))
            rstd = _wrap(self.rstd.reshape(wshape))
            if self.next[0] is not None:
                gx = gh * rstd
            xhat = (x - mean) * rstd if w is not None and self.next[1] is not None else None
        if xhat is not None:
            gw = AF.sum(g * xhat, dims)
        if b is not None and self.next[2] is not None:
            gb = AF.sum(g, dims)
        return (gx, gw, gb)


def _check_batch_norm(input, running_mean, running_var, weight, bias, training: bool) -> None:
    """PyTorch's checks of a batch norm, in its order: the Python wrapper's values-per-channel test (when
    training), the binding's argument types, the channel count of each statistic and affine parameter, then
    dtypes (PyTorch's CPU kernel accepts float16/bfloat16 input with float32 parameters, and otherwise one dtype
    throughout). Nothing is changed before they pass."""
    if training:  # F.batch_norm's _verify_batch_size(input.size())
        if not isinstance(input, Tensor):
            raise AttributeError(f"'{type(input).__name__}' object has no attribute 'size'")
        sz = input.shape
        if not sz:
            raise IndexError("tuple index out of range")
        if sz[0] * math.prod(sz[2:]) == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}")
    params = (weight, bias, running_mean, running_var)
    if type(input) is not Tensor or not all(t is None or isinstance(t, Tensor) for t in params):
        _tensor_arg("batch_norm", ("input", 1, input), *((n, i, t) for n, i, t in (
            ("weight", 2, weight), ("bias", 3, bias), ("running_mean", 4, running_mean),
            ("running_var", 5, running_var)) if t is not None))
    xd = input._data
    if xd.size == 0:
        return
    c = xd.shape[1] if xd.ndim > 1 else 0  # (PyTorch reads size 0 channels from a 0-d or 1-d input)
    dt = xd.dtype
    if xd.ndim > 1 and dt.kind == "f" and all(t is None or (t._data.size == c and t._data.dtype == dt)
                                              for t in params) and (
            training or (running_mean is not None and running_var is not None)):
        return  # the common case: every check below passes
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None:
            if t._data.size != c:
                raise RuntimeError(f"{name} should contain {c} elements not {t._data.size}")
        elif not training:
            raise RuntimeError(f"{name} must be defined in evaluation mode")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and t._data.size != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t._data.size}")
    if xd.ndim < 2:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(xd.ndim, 1)}, "
                         f"{max(xd.ndim, 1) - 1}], but got 1)")
    _batch_norm_dtypes(input, weight, bias, running_mean, running_var)


def _batch_norm_dtypes(input, weight, bias, running_mean, running_var) -> None:
    """batch norm's CPU kernel on dtypes: floating input only, then PyTorch's mixed-type rule"""
    dt = input.dtype
    if not dt.is_floating_point:
        raise NotImplementedError(f'"batch_norm" not implemented for \'{_long_name(dt)}\'')
    defined = [t.dtype for t in (weight, bias, running_mean, running_var) if t is not None]
    if defined and defined[0] is not dt:  # PyTorch's "mixed type": parameters of another dtype
        if any(d is not D.float32 for d in defined):
            raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
        if dt not in _REDUCED_FLOATS:
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
        return
    for d in defined:
        if d is not dt:
            raise RuntimeError(f"expected scalar type {_long_name(dt)} but found {_long_name(d)}")


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """(x - μ)/√(σ² + ε) · w + b per channel; batch statistics (updating the running ones) when training."""
    _check_batch_norm(input, running_mean, running_var, weight, bias, training)
    return _batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def _batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps):
    """batch_norm once its arguments are checked (the BatchNorm modules check before they count the batch)"""
    x = _np(input)
    c = x.shape[1]
    dims = (0,) + tuple(range(2, x.ndim))
    wshape = (1, c) + (1,) * (x.ndim - 2)
    ty = x.dtype.type
    if training:
        count = x.size // c
        if count <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}")
        mean = x.mean(axis=dims)
        xc = x - mean.reshape(wshape)
        var = np.mean(xc * xc, axis=dims)
        rstd = 1 / np.sqrt(var + ty(eps))
        y = xc * rstd.reshape(wshape)
        if running_mean is not None:
            rm = running_mean._data
            rm *= 1 - momentum
            rm += (momentum * mean).astype(rm.dtype)
            running_mean._bump()
        if running_var is not None:
            rv = running_var._data
            rv *= 1 - momentum
            rv += (momentum * var * (count / (count - 1))).astype(rv.dtype)
            running_var._bump()
    else:
        mean = running_mean._data.astype(x.dtype, copy=False)
        rstd = 1 / np.sqrt(running_var._data.astype(x.dtype, copy=False) + ty(eps))
        y = (x - mean.reshape(wshape)) * rstd.reshape(wshape)
    if weight is not None:
        y *= weight._data.reshape(wshape)
    if bias is not None:
        y += bias._data.reshape(wshape)
    stats = {} if training else {"mean": mean, "rstd": rstd}
    return _wrap_result(y, NativeBatchNormBackward0, (input, weight, bias), saved=(input, weight, bias), training=training,
                eps=eps, **stats)


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each (sample, channel) over its spatial positions: batch_norm of the input seen as one sample
    of N·C channels; running statistics (if given) move by the mean over the batch of the per-sample updates."""
    if not isinstance(input, Tensor):  # PyTorch's wrapper reads input.size() first
        raise AttributeError(f"'{type(input).__name__}' object has no attribute 'size'")
    if use_input_stats and math.prod(input.shape[2:]) == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {input.shape}")
    if type(input) is not Tensor or not all(t is None or isinstance(t, Tensor) for t in
                                            (weight, bias, running_mean, running_var)):
        _tensor_arg("instance_norm", ("input", 1, input), *((nm, i, t) for nm, i, t in (
            ("weight", 2, weight), ("bias", 3, bias), ("running_mean", 4, running_mean),
            ("running_var", 5, running_var)) if t is not None))
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    n, c = input.shape[0], input.shape[1]
    x = input.reshape((1, n * c) + tuple(input.shape[2:]))
    w = weight.repeat(n) if weight is not None else None
    b = bias.repeat(n) if bias is not None else None
    # the running statistics take part in the input's dtype (PyTorch accepts them in any floating dtype here)
    dt = input._data.dtype if input._data.dtype.kind == "f" else None
    rm = _wrap(np.tile(running_mean._data, n).astype(dt, copy=False)) if running_mean is not None else None
    rv = _wrap(np.tile(running_var._data, n).astype(dt, copy=False)) if running_var is not None else None
    out = batch_norm(x, rm, rv, w, b, use_input_stats, momentum, eps)
    if use_input_stats:
        for stat, rep in ((running_mean, rm), (running_var, rv)):
            if stat is not None:
                stat._data[...] = rep._data.reshape(n, c).mean(0)
                stat._bump()
    return out.view(input.shape)


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0):
    """x / (k + α · mean of x² over the ``size`` neighbouring channels)^β (zero-padded at the channel ends),
    composed as PyTorch composes it (a padded average pool over channels)."""
    dim = input.ndim
    if dim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality                          input (got {dim} "
                         f"dimensions)")
    if input.numel() == 0:
        return input
    div = input.mul(input)
    if dim == 3:
        div = pad(div.unsqueeze(1), (0, 0, size // 2, (size - 1) // 2))
        div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        sizes = input.shape
        div = div.view(sizes[0], 1, sizes[1], sizes[2], -1)
        div = pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = avg_pool3d(div, (size, 1, 1), stride=1).squeeze(1)
        div = div.view(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div


class CrossMapLRN2dBackward(Node):
    """PyTorch's legacy cross-map LRN (an autograd Function): y = x · scale^-β with scale = k + α/size · Σ x²
    over its (asymmetric) channel window; its backward is PyTorch's formula, not the exact derivative:
    dx = g·scale^-β - (2αβ/size) · x · Σ_window' g·y/scale"""

    def backward(self, g):
        if _grad_mode.enabled:
            raise RuntimeError("mul(): functions with out=... arguments don't support automatic differentiation, "
                               "but one of the arguments requires grad.")
        x, y, scale = self.x, self.y, self.scale
        size, alpha, beta = self.size, self.alpha, self.beta
        gd = g._data
        c = x.shape[1]
        ratio = gd * y / scale
        ipp = int(size - (size - 1) / 2)
        if ipp + c > c + size - 1:  # PyTorch's padded buffer is too short for size 1
            raise RuntimeError(f"start ({ipp}) + length ({c}) exceeds dimension size ({c + size - 1}).")
        j = np.arange(c)
        window = ((j[None, :] >= j[:, None] - ipp) & (j[None, :] <= j[:, None] + size - 1 - ipp)).astype(x.dtype)
        acc = np.einsum("cj,njhw->nchw", window, ratio)
        gx = np.power(scale, -beta) * gd - (2 * alpha * beta / size) * x * acc
        return (_wrap(gx.astype(x.dtype, copy=False)),)


def _cross_map_lrn2d(input: Tensor, size: int, alpha: float, beta: float, k: float) -> Tensor:
    if input.ndim != 4:
        raise ValueError(f"CrossMapLRN2d: Expected input to be 4D, got {input.ndim}D instead.")
    x = _np(input)
    c = x.shape[1]
    # PyTorch's running window: channels 0..pre_pad-1 for the first map, then one in and (after pre_pad) one out
    pre_pad = int((size - 1) / 2 + 1)
    window = np.zeros((c, c), dtype=x.dtype)
    window[0, :min(pre_pad, c)] = 1
    for ch in range(1, c):
        window[ch] = window[ch - 1]
        if ch < c - pre_pad + 1:
            window[ch, ch + pre_pad - 1] += 1
        if ch > pre_pad:
            window[ch, ch - pre_pad] -= 1
    scale = np.einsum("cj,njhw->nchw", window, x * x) * x.dtype.type(alpha / size) + x.dtype.type(k)
    y = np.power(scale, x.dtype.type(-beta)) * x
    t = _wrap_result(y, CrossMapLRN2dBackward, (input,))
    if t.grad_fn is not None:
        node = t.grad_fn
        node.x, node.y, node.scale = x, y, scale
        node.size, node.alpha, node.beta = size, alpha, beta
    return t


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out=None) -> Tensor:
    """x / max(‖x‖_p, eps) along ``dim``."""
    denom = AF.clamp_min(AF.norm(input, p, dim, keepdim=True), eps)
    return input / AF.expand_as(denom, input)


# =====================================================================================================
# Dropout, embedding, one-hot
# =====================================================================================================

def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool, batched_dims: int) -> Tensor:
    _check_p(p)
    if not training or p == 0.0:
        return input
    nshape = tuple(input.shape[:batched_dims]) + (1,) * (input.ndim - batched_dims)
    noise = _empty(nshape, dtype=input.dtype)
    if p == 1.0:
        noise._data[...] = 0
    else:
        noise.bernoulli_(1 - p)
        noise._data /= noise._data.dtype.type(1 - p)
    r = input * noise
    return _inplace_result(input, r) if inplace else r


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, L) input with probability p."""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note that "
                           "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a "
                           "channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    return _feature_dropout(input, p, training, inplace, input.ndim - 1)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, H, W) input with probability p."""
    if input.ndim not in (3, 4):
        warnings.warn(f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and will "
                      "result in an error in a future release. To retain the behavior and silence this warning, "
                      "please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on "
                      "inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension "
                      "(i.e. 3D or 4D inputs).", stacklevel=2)
    if input.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
                      "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. "
                      "This behavior will change in a future release to interpret the input as one without a "
                      "batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, "
                      "please switch to using dropout1d instead.", stacklevel=2)
    return _feature_dropout(input, p, training, inplace, 2)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) input with probability p."""
    _check_p(p)
    if input.ndim not in (4, 5):
        warnings.warn(f"dropout3d: Received a {input.ndim}-D input to dropout3d, which is deprecated and will "
                      "result in an error in a future release. To retain the behavior and silence this warning, "
                      "please use dropout instead. Note that dropout3d exists to provide channel-wise dropout on "
                      "inputs with 3 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. "
                      "4D or 5D inputs).", stacklevel=2)
    if input.ndim != 5:
        x = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
        r = _feature_dropout(x, p, training, inplace, 2)
        return r.squeeze_(0) if inplace else r.squeeze(0)
    return _feature_dropout(input, p, training, inplace, 2)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """alpha_dropout of whole channels: one draw per (sample, channel)."""
    _check_p(p)
    if not training or p == 0 or input.numel() == 0:
        return input
    if input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    if p == 1:
        r = input * 0
        return _inplace_result(input, r) if inplace else r
    alpha = 1.7580993408473766  # λα of SELU
    a = 1.0 / math.sqrt((alpha * alpha * p + 1) * (1 - p))
    nshape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
    noise = _empty(nshape, dtype=input.dtype).bernoulli_(1 - p)._data
    b = _wrap((noise - 1) * (alpha * a) + alpha * a * p)
    r = input * _wrap(noise * a) + b
    return _inplace_result(input, r) if inplace else r


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """dropout that keeps SELU's mean and variance: dropped units go to -λα, then an affine correction"""
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0
    alpha = 1.7580993408473766  # λα of SELU
    a = 1.0 / math.sqrt((alpha * alpha * p + 1) * (1 - p))
    # PyTorch's order of draws: one bernoulli(1 - p) per element, in the input's dtype
    noise = _wrap(np.empty_like(_float_data(input))).bernoulli_(1 - p)
    b = (noise - 1) * (alpha * a) + alpha * a * p
    return input * (noise * a) + b


class EmbeddingBackward0(Node):
    """y = W[idx]:  dW = Σ over positions of g scattered to rows idx (row padding_idx gets none)"""

    def backward(self, g):
        idx = self.idx
        flat = idx.reshape(-1)
        gflat = g._data.reshape(flat.size, -1)
        if self.padding_idx is not None:
            keep = flat != self.padding_idx
            flat, gflat = flat[keep], gflat[keep]
        if self.scale_grad_by_freq:
            counts = np.bincount(flat, minlength=self.wshape[0])
            gflat = (gflat / counts[flat][:, None]).astype(gflat.dtype, copy=False)
        if _grad_mode.enabled or modes.forward.level is not None:  # recording: the same sums, differentiable in g
            rows = AF.reshape(g, (flat.size if self.padding_idx is None else idx.size, -1))
            if self.padding_idx is not None:
                rows = rows[_wrap(keep)]
            if self.scale_grad_by_freq:
                rows = rows / _wrap(counts[flat][:, None].astype(g._data.dtype))
            return (_index_add(AF.zeros(self.wshape, dtype=g.dtype), 0, _wrap(flat), rows),)
        if len(self.wshape) == 2 and gflat.ndim == 2:
            return (_wrap(KF.embedding_backward(gflat, flat, self.wshape[0])),)
        gw = np.zeros(self.wshape, dtype=g._data.dtype)
        np.add.at(gw, flat, gflat)
        return (_wrap(gw),)

    def jvp(self, t):
        return t[_wrap(self.idx)]


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of ``weight`` picked by the integer ``input``: W[input]."""
    if type(input) is not Tensor or type(weight) is not Tensor:
        _tensor_arg("embedding", ("indices", 2, input), ("weight", 1, weight))
    if padding_idx is not None:
        if weight.ndim == 0:  # PyTorch's wrapper reads weight.size(0)
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        n = weight.shape[0]
        if padding_idx > 0:
            if padding_idx >= n:
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -n:
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = n + padding_idx
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    n = weight.shape[0]
    idx = input._data
    if idx.dtype.kind not in "iu":
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {_type_name(input)} instead (while checking "
                           "arguments for embedding)")
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _embedding_renorm_(weight, idx, max_norm, norm_type)
    return _wrap_result(weight._data[idx], EmbeddingBackward0, (weight,), idx=idx, wshape=weight.shape,
                padding_idx=padding_idx, scale_grad_by_freq=scale_grad_by_freq)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """An int64 tensor with a trailing dim of size num_classes: 1 at each value's index, 0 elsewhere."""
    if not isinstance(tensor, Tensor):
        _tensor_arg("one_hot", ("input", 1, tensor))
    if type(num_classes) is not int and not (isinstance(num_classes, (int, np.integer)) and
                                             not isinstance(num_classes, bool)):
        raise TypeError(f"one_hot(): argument 'num_classes' (position 2) must be int, not "
                        f"{type(num_classes).__name__}")
    if tensor.dtype is not D.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    a = tensor._data
    if num_classes == -1:
        if a.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(a.max()) + 1
    if a.size:
        if a.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if a.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    return _wrap((a[..., None] == np.arange(num_classes)).astype(np.int64))




def pdist(input: Tensor, p: float = 2) -> Tensor:
    """p-norm distances between all row pairs (upper triangle)"""
    return _pdist(input, p)


def _rms_norm(x: Tensor, normalized_shape, weight=None, eps=None) -> Tensor:
    """x / √(mean(x²) + eps) over the trailing normalized_shape dims, times weight (torch.rms_norm, which checks
    no shape)"""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    dims = tuple(range(-len(shape), 0))
    if eps is None:
        eps = float(np.finfo(_float_data(x).dtype).eps)
    r = x * AF.rsqrt((x * x).mean(dims, keepdim=True) + eps)
    return r * weight if weight is not None else r


def rms_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, eps: float | None = None) -> Tensor:
    """x / √(mean(x²) + eps) · weight over the trailing dims"""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(input.shape[input.ndim - len(shape):]) != shape or len(shape) > input.ndim:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape [*"
                           f"{', '.join(map(str, shape))}], but got input of size{list(input.shape)}")
    return _rms_norm(input, normalized_shape, weight, eps)


def selu_(input: Tensor) -> Tensor:
    return selu(input, inplace=True)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return celu(input, alpha, inplace=True)


# convolution, pooling, padding, interpolation (_functional_spatial), attention (_functional_attention), and sequence ops
# (_functional_seq) live beside this file
from ._functional_attention import *  # noqa: F403
from ._functional_loss import *  # noqa: F403
from ._functional_loss import (  # noqa: F401  (helpers the loss modules and user code reach as F._...)
    _REDUCTIONS,
    _check_same_size,
    _reduce,
    _reduction,
    _sz,
)
from ._functional_misc import *  # noqa: F403  (grouped/scaled mm, scaling enums, dispatch helpers)
from ._functional_sampling import *  # noqa: F403
from ._functional_seq import (  # noqa: F401
    _canonical_mask,
    _embedding_renorm_,
    _none_or_dtype,
    embedding_bag,
    multi_head_attention_forward,
)
from ._functional_spatial import *
