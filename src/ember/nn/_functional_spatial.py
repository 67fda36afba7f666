"""Spatial kernels of ``ember.nn.functional``: convolution, pooling, unpooling, padding, fold.

How they are computed (whole-array NumPy, no loops over pixels), for 1, 2 and 3 spatial dims alike:

* Convolution is im2col + GEMM. The windows of the padded input are a strided *view*
  ``(N, C, *k, *out)``; one reshape copies it into columns ``(N, C·K, L)`` (K = ∏k, L = ∏out) and one
  batched matmul with the weight ``(O, C·K)`` gives the output. Its adjoint, col2im, adds the columns back
  with one vectorised slice-add per kernel offset. Unit-stride ungrouped convolutions (most of them) run the
  same formulas on shifted rows, one GEMM per product for the whole batch (``kernels.spatial``). A single
  ``ConvolutionBackward0`` node computes the input, weight and bias gradients; under ``create_graph`` (or on
  dual tensors) it computes them with the differentiable ``_im2col``/``_col2im`` primitives and ``matmul``
  instead, so double backward and forward-over-reverse work.
* Pads (reflect/replicate/circular), average and adaptive average pooling are *separable linear maps*: along
  each spatial axis the output is ``A @ x`` for a small matrix ``A``. One primitive applies such maps; its
  backward applies the transposes (and is itself differentiable). The forward values of pads (a gather) and
  pools (window sums divided once) are computed without the product, in which 0·inf = nan would spread one
  non-finite value over its whole row. Resampling (``interpolate``) uses the same primitive from
  ``_functional_sampling``.
* Max pooling scans each axis with whole-array maxima over strided views (``kernels.spatial.max_pool_scan``,
  PyTorch's tie and NaN rules); adaptive and fractional pooling take the argmax over a gathered window array.
  The backward scatters the gradient to the winners (offset by offset when windows do not overlap), and
  ``max_unpool`` is that scatter as a forward op.
"""

from __future__ import annotations

import itertools
import math

from numpy.lib.stride_tricks import as_strided

from .. import ops as AF
from .._array import np
from .._core import modes
from .._core.messages import _cname, _long_name
from .._core.meta import is_meta_array, meta_array
from .._core.node import Node
from .._core.record import ZeroDerivativeBackward, _tangents_of, _wrap_result
from .._core.tensor import Tensor, _wrap
from ..autograd import grad_mode
from ..kernels import spatial as KS
from ..ops.index import NotImplemented as _NotImplemented
from ..ops.pointwise import _refuse_forward_ad
from ..ops.random import rand
from ..ops.shape import _constant_pad

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "adaptive_max_pool1d",
    "adaptive_max_pool1d_with_indices",
    "adaptive_max_pool2d",
    "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d",
    "adaptive_max_pool3d_with_indices",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "channel_shuffle",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_tbc",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "fold",
    "fractional_max_pool2d",
    "fractional_max_pool2d_with_indices",
    "fractional_max_pool3d",
    "fractional_max_pool3d_with_indices",
    "lp_pool1d",
    "lp_pool2d",
    "lp_pool3d",
    "max_pool1d",
    "max_pool1d_with_indices",
    "max_pool2d",
    "max_pool2d_with_indices",
    "max_pool3d",
    "max_pool3d_with_indices",
    "max_unpool1d",
    "max_unpool2d",
    "max_unpool3d",
    "native_channel_shuffle",
    "pad",
    "pixel_shuffle",
    "pixel_unshuffle",
    "unfold",
]

_grad_mode = grad_mode.state
_fw = modes.forward


def _recording() -> bool:
    """A backward formula must use differentiable ops: create_graph, or a backward run on dual tensors
    (forward-over-reverse: the gradient's tangent is H v)."""
    return _grad_mode.enabled or _fw.level is not None


# =====================================================================================================
# Argument helpers
# =====================================================================================================

def _tuple(v, n: int, name: str = "") -> tuple:
    """An int or a sequence of ints as an n-tuple (PyTorch's _single/_pair/_triple, with conv's message)."""
    if isinstance(v, (list, tuple)):
        if len(v) == 1:
            return tuple(int(v[0]) for _ in range(n))
        if len(v) != n:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} values to match "
                               f"the convolution dimensions, but got {name}={list(v)}")
        return tuple(int(a) for a in v)
    return (int(v),) * n


def _shape_str(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _dtype_name(a: np.ndarray) -> str:
    return {"float32": "Float", "float64": "Double", "float16": "Half"}.get(a.dtype.name, a.dtype.name)


def _tdiv(a: int, b: int) -> int:
    """C++ integer division (truncates toward zero), which PyTorch's size checks use."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _spatial_slices(lead: int, slices) -> tuple:
    return (slice(None),) * lead + tuple(slices)


# =====================================================================================================
# im2col / col2im (NumPy) and their differentiable primitives
# =====================================================================================================

def _windows(xp: np.ndarray, k, s, d, out) -> np.ndarray:
    """Read-only view (N, C, *k, *out) of padded ``xp``: the element at kernel offset a of window i."""
    nd = len(k)
    st = xp.strides
    shape = tuple(xp.shape[:2]) + tuple(k) + tuple(out)
    strides = st[:2] + tuple(st[2 + i] * d[i] for i in range(nd)) + tuple(st[2 + i] * s[i] for i in range(nd))
    return as_strided(xp, shape, strides, writeable=False)


def _pad_np(x: np.ndarray, p, value=0) -> np.ndarray:
    """Constant-pad the spatial axes (all after the first two) by ``p = ((before, after), ...)``."""
    if not any(a or b for a, b in p):
        return np.ascontiguousarray(x)
    shape = tuple(x.shape[:2]) + tuple(x.shape[2 + i] + p[i][0] + p[i][1] for i in range(len(p)))
    r = np.full(shape, value, dtype=x.dtype)
    r[_spatial_slices(2, (slice(a, a + n) for (a, _b), n in zip(p, x.shape[2:])))] = x
    return r


def _im2col_np(x: np.ndarray, k, s, p, d, out) -> np.ndarray:
    """Columns (N, C·K, L) of the windows of ``x`` padded by ``p``: PyTorch's ``unfold`` layout."""
    n, c = x.shape[:2]
    win = _windows(_pad_np(x, p), k, s, d, out)
    return win.reshape(n, c * math.prod(k), math.prod(out))  # the one copy


def _im2col_gemm_np(x: np.ndarray, k, s, p, d, out) -> np.ndarray:
    """Columns as one (C·K, N·L) matrix, so a whole batch's convolution is ONE matmul."""
    n, c = x.shape[:2]
    nd = len(k)
    win = _windows(_pad_np(x, p), k, s, d, out)  # (N, C, *k, *out) view
    perm = (1,) + tuple(range(2, 2 + nd)) + (0,) + tuple(range(2 + nd, 2 + 2 * nd))
    return win.transpose(perm).reshape(c * math.prod(k), n * math.prod(out))  # the one copy


def _col2im_np(cols: np.ndarray, c: int, size, k, s, p, d, out) -> np.ndarray:
    """Adjoint of ``_im2col_np``: sum the columns back into an (N, C, *size) image (overlaps add up)."""
    n = cols.shape[0]
    nd = len(k)
    # the buffer must hold every window, even ones reaching past the image (transposed-conv output_padding)
    full = tuple(max(size[i] + p[i][0] + p[i][1], (out[i] - 1) * s[i] + (k[i] - 1) * d[i] + 1) for i in range(nd))
    buf = np.zeros((n, c) + full, dtype=cols.dtype)
    cv = cols if cols.ndim == 2 + 2 * nd else cols.reshape((n, c) + tuple(k) + tuple(out))
    ext = [s[i] * (out[i] - 1) + 1 for i in range(nd)]
    for off in itertools.product(*(range(v) for v in k)):  # one whole-array add per kernel offset
        dst = _spatial_slices(2, (slice(off[i] * d[i], off[i] * d[i] + ext[i], s[i]) for i in range(nd)))
        buf[dst] += cv[(slice(None), slice(None)) + off]
    return buf[_spatial_slices(2, (slice(p[i][0], p[i][0] + size[i]) for i in range(nd)))]


class Im2ColBackward0(Node):
    """cols = im2col(x):  dx = col2im(g)"""

    def backward(self, g):
        return (_col2im(g, *self.geom),)


class Col2ImBackward0(Node):
    """x = col2im(cols):  dcols = im2col(g)"""

    def backward(self, g):
        _c, _size, k, s, p, d, out = self.geom
        return (_im2col(g, k, s, p, d, out),)


def _im2col(x: Tensor, k, s, p, d, out) -> Tensor:
    """Differentiable im2col of an (N, C, *spatial) or unbatched (C, *spatial) tensor."""
    nd = len(k)
    xd = x._data
    unbatched = xd.ndim == nd + 1
    cols = _im2col_np(xd[None] if unbatched else xd, k, s, p, d, out)
    t = _wrap_result(cols[0] if unbatched else cols, Im2ColBackward0, (x,),
             geom=(x.shape[-nd - 1], tuple(x.shape[-nd:]), k, s, p, d, out))
    return t


def _col2im(cols: Tensor, c, size, k, s, p, d, out) -> Tensor:
    """Differentiable col2im into an (N, C, *size) tensor, or (C, *size) from unbatched (C·K, L) columns."""
    cd = cols._data
    unbatched = cd.ndim == 2
    img = _col2im_np(cd[None] if unbatched else cd, c, size, k, s, p, d, out)
    t = _wrap_result(np.ascontiguousarray(img[0] if unbatched else img), Col2ImBackward0, (cols,),
             geom=(c, tuple(size), k, s, p, d, out))
    return t


# =====================================================================================================
# Convolution
# =====================================================================================================

def _conv_grads_numpy(c, g, x, w, need_x, need_w):
    """(dx, dw) as arrays; ``c`` holds the geometry (stride, pad, dil, groups, transposed, cached cols)."""
    s, p, d, G = c.stride, c.pad, c.dil, c.groups
    nd = len(s)
    n = x.shape[0]
    k = tuple(w.shape[2:])
    gx = gw = None
    if c.plan is not None:  # the forward ran on shifted rows: its columns serve dW
        r = KS.conv_unit_backward(c.plan, g, x, w, need_x, need_w)
        if r is not None:
            return r
    if not c.transposed:
        o = w.shape[0]
        out = tuple(g.shape[2:])
        if G == 1:
            # GEMM layout: g as (O, N·L); dW = g colsᵀ, dcols = Wᵀ g, each one matmul
            ci = w.shape[1]
            g2 = np.moveaxis(g, 1, 0).reshape(o, -1)
            if need_w:
                cols = _im2col_gemm_np(x, k, s, p, d, out)
                gw = (g2 @ cols.T).reshape(w.shape)
            if need_x:
                dcols = (w.reshape(o, -1).T @ g2).reshape((ci,) + k + (n,) + out)
                gx = _col2im_np(np.moveaxis(dcols, nd + 1, 0), ci, x.shape[2:], k, s, p, d, out)
        else:
            L = math.prod(out)
            gl = g.reshape(n, G, o // G, L)
            if need_x:
                dcols = np.matmul(w.reshape(G, o // G, -1).transpose(0, 2, 1), gl)
                gx = _col2im_np(dcols.reshape(n, -1, L), x.shape[1], x.shape[2:], k, s, p, d, out)
            if need_w:
                cols = _im2col_np(x, k, s, p, d, out).reshape(n, G, -1, L)
                gw = np.matmul(gl, cols.transpose(0, 1, 3, 2)).sum(0).reshape(w.shape)
    else:
        ci = w.shape[0]
        ins = tuple(x.shape[2:])
        L = math.prod(ins)
        cols = _im2col_np(g, k, s, p, d, ins).reshape(n, G, -1, L)  # conv of g with the same geometry
        if need_x:
            gx = np.matmul(w.reshape(G, ci // G, -1), cols).reshape(x.shape)
        if need_w:
            xl = x.reshape(n, G, ci // G, L)
            gw = np.matmul(xl, cols.transpose(0, 1, 3, 2)).sum(0).reshape(w.shape)
    if gx is not None:
        gx = np.ascontiguousarray(gx).reshape(x.shape)
    return gx, gw


def _conv_grads_recorded(c, g, x, w, need_x, need_w):
    """(dx, dw) as recorded tensors (create_graph): the same formulas with differentiable ops."""
    s, p, d, G = c.stride, c.pad, c.dil, c.groups
    n = x.shape[0]
    k = tuple(w.shape[2:])
    gx = gw = None
    if not c.transposed:
        o = w.shape[0]
        out = tuple(g.shape[2:])
        L = math.prod(out)
        gl = g.reshape(n, G, o // G, L)
        if need_x:
            dcols = (w.reshape(G, o // G, -1).transpose(1, 2) @ gl).reshape(n, -1, L)
            gx = _col2im(dcols, x.shape[1], tuple(x.shape[2:]), k, s, p, d, out)
        if need_w:
            cols = _im2col(x, k, s, p, d, out).reshape(n, G, -1, L)
            gw = (gl @ cols.transpose(2, 3)).sum(0).reshape(w.shape)
    else:
        ci = w.shape[0]
        ins = tuple(x.shape[2:])
        L = math.prod(ins)
        cols = _im2col(g, k, s, p, d, ins).reshape(n, G, -1, L)
        if need_x:
            gx = (w.reshape(G, ci // G, -1) @ cols).reshape(x.shape)
        if need_w:
            xl = x.reshape(n, G, ci // G, L)
            gw = (xl @ cols.transpose(2, 3)).sum(0).reshape(w.shape)
    return gx, gw


def _conv_grads(c, g, x, w, need_x, need_w):
    if _recording():  # create_graph or dual tensors: differentiable formulas
        return _conv_grads_recorded(c, g, x, w, need_x, need_w)
    gx, gw = _conv_grads_numpy(c, g._data, x._data, w._data, need_x, need_w)
    return (None if gx is None else _wrap(gx)), (None if gw is None else _wrap(gw))


class ConvolutionBackward0(Node):
    """y = conv(x, W) + b:  dx = col2im(Wᵀ g), dW = g colsᵀ, db = Σ g (transposed conv: the roles swap)"""

    plan = None  # unit-stride ungrouped convs: the forward's shifted-row geometry and columns, reused by dW

    def release(self):
        super().release()
        self.plan = None

    def backward(self, g):
        x, w = self.saved_values()
        need_x, need_w, need_b = (e is not None for e in self.next)
        gb = g.sum((0,) + tuple(range(2, g.ndim))) if need_b else None
        gx, gw = _conv_grads(self, g, x, w, need_x, need_w)
        return gx, gw, gb


_CONV_SIGS = {
    "conv": ("(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, tuple of ints padding = 0, "
             "tuple of ints dilation = 1, int groups = 1)",
             "(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, str padding = \"valid\", "
             "tuple of ints dilation = 1, int groups = 1)"),
}
_CONV_ARGS = ("input", "weight", "bias", "stride", "padding", "dilation", "groups")
_CONVT_ARGS = ("input", "weight", "bias", "stride", "padding", "output_padding", "groups", "dilation")


def _conv_type_error(name: str, transposed: bool, args) -> TypeError:
    """PyTorch's argument-parser TypeError for a conv call with a non-Tensor input, weight or bias: conv1d/2d/3d
    have two overloads (padding as ints or as a string), so "invalid combination"; conv_transpose has one."""
    if transposed:
        for pos, (arg, v) in enumerate(zip(_CONVT_ARGS[:3], args[:3]), 1):
            if not isinstance(v, Tensor) and not (arg == "bias" and v is None):
                return TypeError(f"{name}(): argument '{arg}' (position {pos}) must be Tensor, not {type(v).__name__}")
    defaults = (object(), object(), None, 1, 0, 1, 1)  # the arguments shown: up to the last non-default one
    last = max(i for i, v in enumerate(args) if i < 2 or not (v is defaults[i] or
                                                              (type(v) is int and v == defaults[i])))
    got = ", ".join("Tensor" if isinstance(v, Tensor) else type(v).__name__ for v in args[:last + 1])
    sigs = _CONV_SIGS["conv"]
    lines = [f" * {sig}\n" for sig in sigs]
    if last == 6:  # every argument given: PyTorch's parser shows each signature's refusal (its check of the
        # optional and integer-list parameters refuses every value, so only a Tensor input or weight passes)
        marks = ", ".join(_parser_type(v) if i < 2 and isinstance(v, Tensor) else f"!{_parser_type(v)}!"
                          for i, v in enumerate(args))
        lines = [line + f"      didn't match because some of the arguments have invalid types: ({marks})\n"
                 for line in lines]
    return TypeError(f"{name}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     + "".join(lines))


def _parser_type(v) -> str:
    """how PyTorch's argument parser names a value in its "didn't match" line"""
    if isinstance(v, Tensor):
        return "Tensor"
    if isinstance(v, (list, tuple)):
        inner = ", ".join(type(a).__name__ for a in v)
        return f"list of [{inner}]" if isinstance(v, list) else f"tuple of ({inner})"
    return type(v).__name__


def _int_or_ints(v) -> bool:
    """the fast test: a Python int, or a tuple of them"""
    return type(v) is int or (type(v) is tuple and all(type(a) is int for a in v))


def _int_seq(v) -> bool:
    return isinstance(v, (list, tuple)) and all(isinstance(a, (int, np.integer)) and not isinstance(a, bool)
                                                for a in v)


def _conv_param_type_error(name, transposed, arg, v, args):
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return
    if not transposed:
        raise _conv_type_error(name, False, args)
    if arg == "groups":
        raise TypeError(f"{name}(): argument 'groups' must be int, not {type(v).__name__}")
    raise TypeError(f"{name}(): argument '{arg}' must be tuple of ints, not {type(v).__name__}")


def _expand_conv_param(v, name: str, nd: int, dim: int) -> tuple:
    """PyTorch's expand_param_if_needed: one value serves every spatial dim, else exactly ``dim`` values (``dim``:
    the weight's spatial dims; an int stands for ``nd`` copies, as the binding reads it)."""
    if type(v) is int and nd == dim:
        return (v,) * dim
    if type(v) is tuple and len(v) == dim:
        return v
    v = tuple(int(a) for a in v) if isinstance(v, (list, tuple)) else (int(v),) * nd
    if len(v) == 1:
        return v * dim
    if len(v) != dim:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {dim} values to match the "
                           f"convolution dimensions, but got {name}={list(v)}")
    return v


_CONV_KERNELS = {(1, False): "slow_conv2d_cpu", (2, False): "slow_conv2d_cpu", (3, False): "compute_columns3d",
                 (1, True): "slow_conv_transpose2d_out_cpu", (2, True): "slow_conv_transpose2d_out_cpu",
                 (3, True): "slow_conv_transpose3d_out_cpu"}


def _conv_checks(x: Tensor, w: Tensor, b, nd: int, stride, padding, dilation, groups: int, transposed: bool,
                 output_padding, name: str):
    """PyTorch's checks of a convolution, in its order (at::convolution, check_shape_forward, then the kernel)"""
    if not isinstance(x, Tensor) or not isinstance(w, Tensor) or not (b is None or isinstance(b, Tensor)):
        args = (x, w, b, stride, padding, output_padding, groups, dilation) if transposed else \
            (x, w, b, stride, padding, dilation, groups)
        raise _conv_type_error(name, transposed, args)
    if not (_int_or_ints(stride) and _int_or_ints(dilation) and type(groups) is int and (
            _int_or_ints(padding) or (not transposed and isinstance(padding, str))) and (
            not transposed or _int_or_ints(output_padding))):
        for arg, v in (("stride", stride), ("padding", padding), ("dilation", dilation), ("groups", groups)) + (
                (("output_padding", output_padding),) if transposed else ()):
            if not _int_seq(v) and not (arg == "padding" and not transposed and isinstance(v, str)):
                _conv_param_type_error(name, transposed, arg, v, (x, w, b, stride, padding, output_padding, groups,
                                                                  dilation) if transposed else
                                       (x, w, b, stride, padding, dilation, groups))
    if b is not None and not transposed and not isinstance(padding, str) and b._data.dtype != x._data.dtype:
        raise RuntimeError(f"Input type ({_cname(x._data)}) and bias type ({_cname(b._data)}) should be the same")
    if x.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got input "
                           f"of size: {_shape_str(x.shape)}")
    xd, wd = x._data, w._data
    xs = xd.shape if xd.ndim == nd + 2 else (1,) + xd.shape
    ws = wd.shape
    dim = len(ws) - 2
    if dim <= 0:
        raise RuntimeError("weight should have at least three dimensions")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    s = _expand_conv_param(stride, "stride", nd, dim)
    p = None if isinstance(padding, str) else _expand_conv_param(padding, "padding", nd, dim)
    d = _expand_conv_param(dilation, "dilation", nd, dim)
    op = None
    if transposed:
        op = _expand_conv_param(output_padding, "output_padding", nd, dim)
        if min(op) < 0:
            raise RuntimeError("negative output_padding is not supported")
    if p is not None and min(p) < 0:
        raise RuntimeError("negative padding is not supported")
    if min(s) <= 0:
        raise RuntimeError("non-positive stride is not supported")
    if min(d) < 0:
        raise RuntimeError("dilation should be greater than zero")
    if len(ws) != len(xs):
        raise RuntimeError(f"Expected {len(ws)}-dimensional input for {len(ws)}-dimensional weight {_shape_str(ws)}, "
                           f"but got {len(xs)}-dimensional input of size {_shape_str(xs)} instead")
    if ws[0] < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got "
                           f"weight of size {_shape_str(ws)} instead")
    if ws[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                           f"but got weight of size [{_shape_str(ws)}] instead")
    cin = xs[1]
    if not transposed:
        if cin != ws[1] * groups:
            raise RuntimeError(f"Given groups={groups}, weight of size {_shape_str(ws)}, expected "
                               f"input{_shape_str(xs)} to have {ws[1] * groups} channels, but got {cin} "
                               f"channels instead")
        if b is not None and b._data.shape != ws[:1]:
            raise RuntimeError(f"Given weight of size {_shape_str(ws)}, expected bias to be 1-dimensional with "
                               f"{ws[0]} elements, but got bias of size {_shape_str(b.shape)} instead")
        if p is not None and not all(xs[2 + i] + 2 * p[i] >= d[i] * (ws[2 + i] - 1) + 1 for i in range(nd)):
            eff = [xs[2 + i] + 2 * p[i] for i in range(nd)]
            ek = [d[i] * (ws[2 + i] - 1) + 1 for i in range(nd)]
            if True:
                raise RuntimeError(f"Calculated padded input size per channel: ({' x '.join(map(str, eff))}). "
                                   f"Kernel size: ({' x '.join(map(str, ek))}). Kernel size can't be greater than "
                                   f"actual input size")
    else:
        if cin != ws[0]:
            raise RuntimeError(f"Given transposed=1, weight of size {_shape_str(ws)}, expected "
                               f"input{_shape_str(xs)} to have {ws[0]} channels, but got {cin} channels "
                               f"instead")
        if b is not None and (b.ndim != 1 or b.shape[0] != ws[1] * groups):
            raise RuntimeError(f"Given transposed=1, weight of size {_shape_str(ws)}, expected bias to be "
                               f"1-dimensional with {ws[1] * groups} elements, but got bias of size "
                               f"{_shape_str(b.shape)} instead")
    if 0 in xs and xs[0] and xs[1]:
        raise RuntimeError(f"Only zero batch or zero channel inputs are supported, but got input shape: "
                           f"{_shape_str(xs)}")
    if 0 in ws[2:]:
        if transposed and nd == 3:
            raise RuntimeError(f"non-empty 5D (n_output_plane x n_input_plane x kernel_depth x kernel_height x "
                               f"kernel_width) tensor expected for weight, but got: {_shape_str(ws)}")
        if nd == 3:
            raise RuntimeError(f"kernel size should be greater than zero, but got: {' x '.join(map(str, ws[2:]))} "
                               f"(TxHxW)")
        kh, kw = (1, ws[2]) if nd == 1 else ws[2:4]
        raise RuntimeError(f"kernel size should be greater than zero, but got kernel_height: {kh} kernel_width: {kw}")
    if 0 in d:  # (negative dilations were refused above; zero ones reach the kernel's own check)
        d2 = (1,) + d if nd == 1 else d
        if transposed:
            words = _DIM_WORDS[len(d2)]
            raise RuntimeError("dilation should be greater than zero, but got " +
                               ", ".join(f"dilation_{w_}: {v}" for w_, v in zip(words, d2)))
        raise RuntimeError(f"dilation should be greater than zero, but got {list(d2)}")
    if xd.dtype != wd.dtype or xd.dtype == np.bool_:
        if xd.dtype == np.bool_:
            raise NotImplementedError(f"\"{_CONV_KERNELS[nd, transposed]}\" not implemented for 'Bool'")
        raise RuntimeError(f"expected scalar type {_long_name(xd.dtype)} but found {_long_name(wd.dtype)}")
    return s, d, op


def _conv_padding(padding, nd, k, s, d):
    """Per-axis (before, after) padding; 'same' may pad one more after than before, as PyTorch does."""
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * nd
        if padding == "same":
            if any(v != 1 for v in s):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            tot = [d[i] * (k[i] - 1) for i in range(nd)]
            return tuple((t // 2, t - t // 2) for t in tot)
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    p = _tuple(padding, nd, "padding")
    if any(v < 0 for v in p):
        raise RuntimeError("negative padding is not supported")
    return tuple((v, v) for v in p)


_DIM_WORDS = {1: ("width",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def _output_padding_error(op, s, d):
    if len(op) == 1:  # PyTorch runs 1-d transposed convs as 2-d ones of unit height
        op, s, d = (0,) + tuple(op), (1,) + tuple(s), (1,) + tuple(d)
    words = _DIM_WORDS[len(op)]
    parts = [f"output_padding_{w}: {v}" for w, v in zip(words, op)]
    parts += [f"stride_{w}: {v}" for w, v in zip(words, s)]
    parts += [f"dilation_{w}: {v}" for w, v in zip(words, d)]
    return "output padding must be smaller than either stride or dilation, but got " + " ".join(parts)


def _conv_np(x: np.ndarray, w: np.ndarray, s, p, d, G: int, transposed: bool, op=None, bias=None):
    """Forward of a (transposed) convolution plus bias on batched arrays; returns (output, plan-or-None)."""
    nd = len(s)
    n = x.shape[0]
    k = tuple(w.shape[2:])
    if not transposed:
        eff = [x.shape[2 + i] + p[i][0] + p[i][1] for i in range(nd)]
        ek = [d[i] * (k[i] - 1) + 1 for i in range(nd)]
        if any(eff[i] < ek[i] for i in range(nd)):
            raise RuntimeError(f"Calculated padded input size per channel: ({' x '.join(map(str, eff))}). Kernel "
                               f"size: ({' x '.join(map(str, ek))}). Kernel size can't be greater than actual "
                               f"input size")
        out = tuple((eff[i] - ek[i]) // s[i] + 1 for i in range(nd))
        o = w.shape[0]
        if is_meta_array(x) or is_meta_array(w):  # the meta device: the output's shape, no values
            return meta_array((n, o) + out, np.result_type(x, w)), None
        if G == 1 and all(v == 1 for v in s) and x.dtype.kind == "f" and x.dtype == w.dtype:
            # one GEMM on shifted rows (kernels.spatial); the plan keeps the columns for dW
            return KS.conv_unit_forward(x, w, bias, p, d, out)
        if G == 1:
            # (O, C·K) @ (C·K, N·L): one GEMM for the batch
            cols = _im2col_gemm_np(x, k, s, p, d, out)
            r = (w.reshape(o, -1) @ cols).reshape((o, n) + out)
            r = np.ascontiguousarray(np.moveaxis(r, 0, 1))
        else:
            cols = _im2col_np(x, k, s, p, d, out)  # (N, C·K, L)
            r = np.matmul(w.reshape(G, o // G, -1), cols.reshape(n, G, -1, math.prod(out))).reshape((n, o) + out)
        if bias is not None:
            r += bias.reshape((-1,) + (1,) * nd)
        return r, None
    if any(op[i] >= s[i] and op[i] >= d[i] for i in range(nd)):
        raise RuntimeError(_output_padding_error(op, s, d))
    ins = tuple(x.shape[2:])
    out = tuple((ins[i] - 1) * s[i] - p[i][0] - p[i][1] + d[i] * (k[i] - 1) + op[i] + 1 for i in range(nd))
    if any(v <= 0 for v in out):
        raise RuntimeError(f"Given input size per channel: ({' x '.join(map(str, ins))}). Calculated output size "
                           f"per channel: ({' x '.join(map(str, out))}). Output size is too small")
    ci, cog = w.shape[:2]
    if is_meta_array(x) or is_meta_array(w):
        return meta_array((n, cog * G) + out, np.result_type(x, w)), None
    L = math.prod(ins)
    cols = np.matmul(w.reshape(G, ci // G, -1).transpose(0, 2, 1), x.reshape(n, G, ci // G, L))
    r = np.ascontiguousarray(_col2im_np(cols.reshape(n, cols.shape[1] * cols.shape[2], L), cog * G, out, k, s, p,
                                        d, ins))  # (explicit sizes: an empty batch has no -1 to infer)
    if bias is not None:
        r += bias.reshape((-1,) + (1,) * nd)
    return r, None


def _convolution(x: Tensor, w: Tensor, b, stride, padding, dilation, groups: int, nd: int, name: str,
                 transposed: bool = False, output_padding=0, geom=None) -> Tensor:
    if geom is None:  # (stride, dilation, output_padding) as nd-tuples, once every check has passed
        geom = _conv_checks(x, w, b, nd, stride, padding, dilation, groups, transposed, output_padding, name)
    if x.ndim == nd + 1:  # unbatched: PyTorch adds and removes a batch dim (SqueezeBackward1 on top)
        return AF.squeeze(_convolution(x.unsqueeze(0), w, b, stride, padding, dilation, groups, nd, name,
                                       transposed, output_padding, geom), 0)
    s, d, op = geom
    p = _conv_padding(padding, nd, tuple(w.shape[2:]), s, d)
    r, plan = _conv_np(x._data, w._data, s, p, d, groups, transposed, op, None if b is None else b._data)
    t = _wrap_result(r, ConvolutionBackward0, (x, w, b), saved=(x, w), stride=s, pad=p, dil=d, groups=groups,
             transposed=transposed, plan=plan)
    return t


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """y[n, o, l] = b[o] + Σ_{c,k} W[o, c, k] · x[n, c, s·l + d·k - p]  (cross-correlation)"""
    return _convolution(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """y[n, o, i, j] = b[o] + Σ_{c,a,b} W[o, c, a, b] · x[n, c, s·i + d·a - p, s·j + d·b - p]"""
    return _convolution(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """y[n, o, t, i, j] = b[o] + Σ_{c,a,b,e} W[o, c, a, b, e] · x[n, c, s·t + d·a - p, s·i + d·b - p, s·j + d·e - p]"""
    return _convolution(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, nd):
    name = f"conv_transpose{nd}d"
    if isinstance(padding, str):
        raise TypeError(f"{name}(): argument 'padding' must be tuple of ints, not str")
    return _convolution(input, weight, bias, stride, padding, dilation, groups, nd, name, True, output_padding)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """The adjoint of conv1d with respect to its input (a "deconvolution"), plus bias."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 1)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """The adjoint of conv2d with respect to its input (a "deconvolution"), plus bias."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 2)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """The adjoint of conv3d with respect to its input (a "deconvolution"), plus bias."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 3)


class _TbcGeometry:
    """The conv1d geometry conv_tbc runs: unit stride and dilation, symmetric padding, one group."""

    transposed = False
    groups = 1
    plan = None
    stride = dil = (1,)

    def __init__(self, pad: int):
        self.pad = ((pad, pad),)


class ConvTbcBackward0(Node):
    """y[t, b, o] = bias[o] + Σ_{k,c} x[t + k - pad, b, c] · W[k, c, o]  (conv1d of x, W permuted):
    dx, dW = conv1d's gradients, permuted back; dbias = Σ_{t,b} g"""

    def backward(self, g):
        x, w = self.saved_values()
        need_x, need_w, need_b = (e is not None for e in self.next)
        gb = g.sum((0, 1)) if need_b else None
        gx, gw = _conv_grads(_TbcGeometry(self.pad), g.permute(1, 2, 0), x.permute(1, 2, 0), w.permute(2, 1, 0),
                             need_x, need_w)
        return (None if gx is None else gx.permute(2, 0, 1)), (None if gw is None else gw.permute(2, 1, 0)), gb


def conv_tbc(input: Tensor, weight: Tensor, bias: Tensor, pad: int = 0) -> Tensor:
    """1-d convolution over (time, batch, channel) input with a (kernel, in, out) weight."""
    if input.ndim != 3:
        raise RuntimeError("Input must have 3 dims: time, batch, in_channel")
    if weight.ndim != 3:
        raise RuntimeError("Weight tensor must have 3 dims: kernel_width, in_channels, out_channels.")
    if bias.ndim != 1:
        raise RuntimeError("Bias must be 1-D")
    if input.shape[2] != weight.shape[1]:
        raise RuntimeError("Input dim 2 (input channels) is not == dim 1 in the weight tensor")
    if weight.shape[2] != bias.shape[0]:
        raise RuntimeError("Bias size must equal dim 2 in the weight tensor (output channels).")
    pad = int(pad)
    if _fw.level is not None and _tangents_of((input, weight, bias)) is not None:
        raise NotImplementedError(
            "Trying to use forward AD with conv_tbc that does not support it because it has not been implemented "
            "yet.\nPlease file an issue to PyTorch at https://github.com/pytorch/pytorch/issues/new?template="
            "feature-request.yml so that we can prioritize its implementation or submit a PR adding the "
            "implementation to derivatives.yaml")
    t_out = input.shape[0] + 2 * pad - weight.shape[0] + 1
    if t_out < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {t_out}: "
                           f"{_shape_str((t_out, input.shape[1], weight.shape[2]))}")
    x = np.ascontiguousarray(input._data.transpose(1, 2, 0))
    w = np.ascontiguousarray(weight._data.transpose(2, 1, 0))
    if t_out == 0:
        r = np.zeros((input.shape[1], weight.shape[2], 0), dtype=x.dtype)
    else:
        r, _ = _conv_np(x, w, (1,), ((pad, pad),), (1,), 1, False)
    r = np.ascontiguousarray(r.transpose(2, 0, 1)) + bias._data
    t = _wrap_result(r, ConvTbcBackward0, (input, weight, bias), saved=(input, weight), pad=pad)
    return t


# =====================================================================================================
# unfold / fold / pixel_shuffle
# =====================================================================================================

def _blocks(size, k, s, p, d):
    return tuple((size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2))


def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


def _int_tuple_arg(fn: str, arg: str, pos: int, v, n: int | None = None, pair: bool = False) -> tuple:
    """PyTorch's binding of an ``int[n]`` argument: an int stands for n copies, a sequence must hold ints
    (``pair``: the Python wrapper's ``_pair`` ran first, so any iterable, a string too, became a tuple)."""
    if type(v) is int:
        return (v,) * n
    if type(v) is tuple and all(type(a) is int for a in v):
        return v
    if pair and not isinstance(v, (list, tuple)):
        try:
            v = tuple(iter(v))
        except TypeError:
            v = (v,) * n
    if isinstance(v, (list, tuple)):
        for i, a in enumerate(v):
            if not _is_int(a):
                raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be tuple of ints, but found element "
                                f"of type {type(a).__name__} at pos {i}")
        return tuple(int(a) for a in v)
    if not _is_int(v):
        raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be tuple of ints, not {type(v).__name__}")
    return (int(v),) * n


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sliding blocks as columns: (N, C, H, W) -> (N, C·kh·kw, L)"""
    if not isinstance(input, Tensor):
        raise TypeError(f"im2col(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    k, d, p, s = (_int_tuple_arg("im2col", arg, i, v, 2, pair=True) for i, (arg, v) in enumerate(
        (("kernel_size", kernel_size), ("dilation", dilation), ("padding", padding), ("stride", stride)), 2))
    for arg, v in (("kernel_size", k), ("dilation", d), ("padding", p), ("stride", s)):
        if len(v) != 2:
            raise RuntimeError(f"It is expected {arg} equals to 2, but got size {len(v)}")
    if k[0] <= 0 or k[1] <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kernel_height: {k[0]} kernel_width: "
                           f"{k[1]}")
    if d[0] <= 0 or d[1] <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilation_height: {d[0]} dilation_width: "
                           f"{d[1]}")
    if p[0] < 0 or p[1] < 0:
        raise RuntimeError(f"padding should be non-negative, but got pad_height: {p[0]} pad_width: {p[1]}")
    if s[0] <= 0 or s[1] <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got stride_height: {s[0]} stride_width: {s[1]}")
    sh = input.shape
    if len(sh) < 3:  # PyTorch reads size(1) and size(2) first
        if not sh:
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        raise IndexError(f"Dimension out of range (expected to be in range of [{-len(sh)}, {len(sh) - 1}], "
                         f"but got {len(sh)})")
    if len(sh) not in (3, 4) or 0 in sh[1:] or (len(sh) == 3 and sh[0] == 0):
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
                           f"dimensions for input, but got: {_shape_str(sh)}")
    out = _blocks(input.shape[-2:], k, s, p, d)
    if out[0] <= 0 or out[1] <= 0:
        raise RuntimeError(f"Given input with spatial size ({input.shape[-2]}, {input.shape[-1]}), kernel_size="
                           f"({k[0]}, {k[1]}), dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), calculated "
                           f"shape of the array of sliding blocks as ({out[0]}, {out[1]}), but its components "
                           f"must be at least one.")
    if input._data.dtype.kind in "iu":
        raise NotImplementedError(f"\"im2col_out_cpu\" not implemented for '{_long_name(input._data.dtype)}'")
    return _im2col(input, k, s, ((p[0], p[0]), (p[1], p[1])), d, out)


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sum columns back into an image: (N, C·kh·kw, L) -> (N, C, H, W), the adjoint of unfold"""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and "
                           f"non-zero dimensions for input, but got: {_shape_str(input.shape)}")
    size, k, d, p, s = (_tuple(v, 2) for v in (output_size, kernel_size, dilation, padding, stride))
    kk = k[0] * k[1]
    ch, nblocks = input.shape[-2], input.shape[-1]
    if ch % kk:  # PyTorch names dims 1 and 2 for unbatched input too
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, "
                           f"but got input.size(1)={ch} and kernel_size=({k[0]}, {k[1]}).")
    out = _blocks(size, k, s, p, d)
    if out[0] * out[1] != nblocks:
        raise RuntimeError(f"Given output_size=({size[0]}, {size[1]}), kernel_size=({k[0]}, {k[1]}), dilation=("
                           f"{d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), stride=({s[0]}, {s[1]}), expected size of "
                           f"input's dimension 2 to match the calculated number of sliding blocks {out[0]} * "
                           f"{out[1]} = {out[0] * out[1]}, but got input.size(2)={nblocks}.")
    return _col2im(input, ch // kk, size, k, s, ((p[0], p[0]), (p[1], p[1])), d, out)


class PixelShuffleBackward0(Node):
    """y = pixel_shuffle(x, r):  dx = pixel_unshuffle(g, r)"""

    def backward(self, g):
        return (pixel_unshuffle(g, self.r),)


class PixelUnshuffleBackward0(Node):
    """y = pixel_unshuffle(x, r):  dx = pixel_shuffle(g, r)"""

    def backward(self, g):
        return (pixel_shuffle(g, self.r),)


def _int_arg(fn: str, input, arg: str, v) -> None:
    """PyTorch's binding of (Tensor input, int arg)"""
    if not isinstance(input, Tensor):
        _pool_input(fn, input)
    if not _is_int(v):
        raise TypeError(f"{fn}(): argument '{arg}' (position 2) must be int, not {type(v).__name__}")


def _shuffle_checks(input: Tensor, fn: str, arg: str, r: int) -> None:
    if input.ndim < 3:
        raise RuntimeError(f"{fn} expects input to have at least 3 dimensions, but got input with {input.ndim} "
                           f"dimension(s)")
    if r <= 0:
        raise RuntimeError(f"{fn} expects a positive {arg}, but got {r}")


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C·r², H, W) -> (*, C, H·r, W·r)"""
    if not isinstance(input, Tensor) or not _is_int(upscale_factor):
        _int_arg("pixel_shuffle", input, "upscale_factor", upscale_factor)
    r = int(upscale_factor)
    _shuffle_checks(input, "pixel_shuffle", "upscale_factor", r)
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square "
                           f"of upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    a = input._data.reshape(-1, c // (r * r), r, r, h, w).transpose(0, 1, 4, 2, 5, 3)
    t = _wrap_result(a.reshape(*lead, c // (r * r), h * r, w * r), PixelShuffleBackward0, (input,), r=r)
    return t


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H·r, W·r) -> (*, C·r², H, W)"""
    if not isinstance(input, Tensor) or not _is_int(downscale_factor):
        _int_arg("pixel_unshuffle", input, "downscale_factor", downscale_factor)
    r = int(downscale_factor)
    _shuffle_checks(input, "pixel_unshuffle", "downscale_factor", r)
    *lead, c, h, w = input.shape
    if h % r or w % r:
        raise RuntimeError(f"pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)"
                           f"={h} is not divisible by {r}" if h % r else
                           f"pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)"
                           f"={w} is not divisible by {r}")
    a = input._data.reshape(-1, c, h // r, r, w // r, r).transpose(0, 1, 3, 5, 2, 4)
    t = _wrap_result(a.reshape(*lead, c * r * r, h // r, w // r), PixelUnshuffleBackward0, (input,), r=r)
    return t


class ChannelShuffleBackward0(Node):
    """y = channel_shuffle(x, g) (channel j·C/g + k goes to k·g + j):  dx = channel_shuffle(g, C/g)"""

    def backward(self, g):
        return (channel_shuffle(g, g.shape[1] // self.groups),)


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """Regroup channels: (N, g·c, *) -> (N, c·g, *), the channels of each group interleaved"""
    if not isinstance(input, Tensor) or not _is_int(groups):
        _int_arg("channel_shuffle", input, "groups", groups)
    if input.ndim <= 2:
        raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input with sizes "
                           f"{_shape_str(input.shape)}")
    groups = int(groups)
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{groups}")
    n, c = input.shape[:2]
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and {groups} groups.")
    rest = tuple(input.shape[2:])
    a = input._data.reshape((n, groups, c // groups) + rest).swapaxes(1, 2).reshape(input.shape)
    t = _wrap_result(a, ChannelShuffleBackward0, (input,), groups=groups)
    return t


def native_channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """channel_shuffle's values; PyTorch gives it no derivative (backward and forward mode raise)"""
    _refuse_forward_ad("native_channel_shuffle", input)
    y = channel_shuffle(input.detach(), groups)
    return _wrap_result(y._data, _NotImplemented, (input,), op="native_channel_shuffle")  # no derivative


# =====================================================================================================
# Separable linear maps: pads, resampling, average pooling
# =====================================================================================================

class _SeparableBackward(Node):
    """y = x ×_axis A (per axis):  dx = g ×_axis Aᵀ"""

    def backward(self, g):
        return (_separable(g, [(ax, m.T) for ax, m in self.mats], type(self)),)


class ReflectionPad1DBackwardBackward0(ZeroDerivativeBackward):
    """z = Aᵀ g (ReflectionPad1D's backward: each position's mirrors add up), recorded under create_graph:
    dz/dg = A (the op itself);  dz/dx = 0"""


class ReflectionPad1DBackward0(_SeparableBackward):
    """y = A x (A copies the mirrored positions):  dx = Aᵀ g (each position's mirrors add up)"""

    zero_double = ReflectionPad1DBackwardBackward0


class ReflectionPad2DBackwardBackward0(ZeroDerivativeBackward):
    """z = Aᵀ g (ReflectionPad2D's backward: each position's mirrors add up), recorded under create_graph:
    dz/dg = A (the op itself);  dz/dx = 0"""


class ReflectionPad2DBackward0(_SeparableBackward):
    """y = A_h x A_wᵀ (mirrored positions):  dx = A_hᵀ g A_w"""

    zero_double = ReflectionPad2DBackwardBackward0


class ReflectionPad3DBackwardBackward0(ZeroDerivativeBackward):
    """z = Aᵀ g (ReflectionPad3D's backward: each position's mirrors add up), recorded under create_graph:
    dz/dg = A (the op itself);  dz/dx = 0"""


class ReflectionPad3DBackward0(_SeparableBackward):
    """y = x ×_d A_d ×_h A_h ×_w A_w (mirrored positions):  dx = g ×_d A_dᵀ ×_h A_hᵀ ×_w A_wᵀ"""

    zero_double = ReflectionPad3DBackwardBackward0


class ReplicationPad1DBackwardBackward0(ZeroDerivativeBackward):
    """z = Aᵀ g (ReplicationPad1D's backward: the edges collect the padding's gradient), recorded under create_graph:
    dz/dg = A (the op itself);  dz/dx = 0"""


class ReplicationPad1DBackward0(_SeparableBackward):
    """y = A x (A repeats the edge values):  dx = Aᵀ g (the edges collect the padding's gradient)"""

    zero_double = ReplicationPad1DBackwardBackward0


class ReplicationPad2DBackwardBackward0(ZeroDerivativeBackward):
    """z = Aᵀ g (ReplicationPad2D's backward: the edges collect the padding's gradient), recorded under create_graph:
    dz/dg = A (the op itself);  dz/dx = 0"""


class ReplicationPad2DBackward0(_SeparableBackward):
    """y = A_h x A_wᵀ (edge values repeated):  dx = A_hᵀ g A_w"""

    zero_double = ReplicationPad2DBackwardBackward0


class ReplicationPad3DBackwardBackward0(ZeroDerivativeBackward):
    """z = Aᵀ g (ReplicationPad3D's backward: the edges collect the padding's gradient), recorded under create_graph:
    dz/dg = A (the op itself);  dz/dx = 0"""


class ReplicationPad3DBackward0(_SeparableBackward):
    """y = x ×_d A_d ×_h A_h ×_w A_w (edge values repeated):  dx = g ×_d A_dᵀ ×_h A_hᵀ ×_w A_wᵀ"""

    zero_double = ReplicationPad3DBackwardBackward0


class CopySlices(_SeparableBackward):
    """circular pad y = x ×_axis A (A wraps around):  dx = g ×_axis Aᵀ (PyTorch records it as slice copies)"""


class AvgPool2DBackwardBackward0(ZeroDerivativeBackward):
    """z = Aᵀ g (AvgPool2D's backward: window means), recorded under create_graph:
    dz/dg = A (the op itself);  dz/dx = 0"""


class AvgPool2DBackward0(_SeparableBackward):
    """y = A_h x A_wᵀ (A: window means):  dx = A_hᵀ g A_w"""

    zero_double = AvgPool2DBackwardBackward0


class AvgPool3DBackwardBackward0(ZeroDerivativeBackward):
    """z = Aᵀ g (AvgPool3D's backward: window means), recorded under create_graph:
    dz/dg = A (the op itself);  dz/dx = 0"""


class AvgPool3DBackward0(_SeparableBackward):
    """y = x ×_d A_d ×_h A_h ×_w A_w (window means):  dx = g ×_d A_dᵀ ×_h A_hᵀ ×_w A_wᵀ"""

    zero_double = AvgPool3DBackwardBackward0


class AdaptiveAvgPool2DBackwardBackward0(ZeroDerivativeBackward):
    """z = Aᵀ g (AdaptiveAvgPool2D's backward: adaptive window means), recorded under create_graph:
    dz/dg = A (the op itself);  dz/dx = 0"""


class AdaptiveAvgPool2DBackward0(_SeparableBackward):
    """y = A_h x A_wᵀ (A: means over ⌊iH/o⌋..⌈(i+1)H/o⌉):  dx = A_hᵀ g A_w"""

    zero_double = AdaptiveAvgPool2DBackwardBackward0


class AdaptiveAvgPool3DBackwardBackward0(ZeroDerivativeBackward):
    """z = Aᵀ g (AdaptiveAvgPool3D's backward: adaptive window means), recorded under create_graph:
    dz/dg = A (the op itself);  dz/dx = 0"""


class AdaptiveAvgPool3DBackward0(_SeparableBackward):
    """y = x ×_d A_d ×_h A_h ×_w A_w (adaptive window means):  dx = g ×_d A_dᵀ ×_h A_hᵀ ×_w A_wᵀ"""

    zero_double = AdaptiveAvgPool3DBackwardBackward0


def _node_class(name: str):
    """The separable-map node class declared under PyTorch's name ``name`` (here or in _functional_sampling)."""
    for cls in _SeparableBackward.__subclasses__():
        if cls.__name__ == name:
            return cls
    raise KeyError(name)


def _separable(x: Tensor, mats, node_cls, values=None) -> Tensor:
    """Apply matrix ``A`` (out, in) along each negative ``axis`` of ``x``: a pure BLAS linear map. ``values``: the
    same map computed without products by zero (pads gather, pools sum windows), so that an inf or NaN stays
    where it is (in a matrix product 0·inf = nan reaches every output of its row)."""
    a = x._data
    if values is not None:
        a = values
    else:
        for ax, m in mats:
            m = m.astype(a.dtype, copy=False)
            if ax == -1:
                a = a @ m.T
            else:
                a = np.moveaxis(np.moveaxis(a, ax, -1) @ m.T, -1, ax)
    t = _wrap_result(np.ascontiguousarray(a), node_cls, (x,), mats=mats)
    return t


def _select_matrix(idx: np.ndarray, n_in: int) -> np.ndarray:
    """One-hot rows: (A x)[o] = x[idx[o]]."""
    m = np.zeros((len(idx), n_in))
    m[np.arange(len(idx)), idx] = 1.0
    return m


# -- pad ---------------------------------------------------------------------------------------------------

def _pad_index(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """For each output position along one axis, the input position it copies."""
    i = np.arange(-lo, n + hi)
    if mode == "reflect":
        period = 2 * (n - 1) if n > 1 else 1
        i = np.abs(i) % period
        return np.where(i >= n, period - i, i)
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    return i % n  # circular


_PAD_NAMES = {"reflect": "ReflectionPad{}DBackward0", "replicate": "ReplicationPad{}DBackward0",
              "circular": "CopySlices"}


def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last len(pad)/2 dims: pad = (left_last, right_last, left_prev, right_prev, ...)"""
    if not isinstance(input, Tensor):
        _pool_input("pad", input)
    if type(pad) is not tuple and type(pad) is not list:
        raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, not {type(pad).__name__}")
    pads = list(_int_tuple_arg("pad", "pad", 2, pad))
    if not isinstance(mode, str):
        raise TypeError(f"pad(): argument 'mode' (position 3) must be str, not {type(mode).__name__}")
    if value is not None and (not isinstance(value, (int, float, np.integer, np.floating)) or
                              isinstance(value, np.bool_)):
        raise TypeError(f"pad(): argument 'value' (position 4) must be float, not {type(value).__name__}")
    if len(pads) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pads) // 2 > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pads)} and input of dimension {input.ndim}")
    if mode == "constant":
        return _constant_pad(input, pads, 0.0 if value is None else value)
    if mode not in _PAD_NAMES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value not in (None, 0, 0.0):
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    nd = len(pads) // 2
    if nd not in (1, 2, 3) or input.ndim not in (nd + 1, nd + 2):
        raise NotImplementedError(f"Padding size {len(pads)} is not supported for {input.ndim}D input tensor.\n"
                                  "Supported combinations for non-constant padding:\n"
                                  "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
                                  "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
                                  "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    mats = []
    values = input._data
    for i in range(nd):
        ax = -1 - i
        n = input.shape[ax]
        lo, hi = pads[2 * i], pads[2 * i + 1]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, "
                               f"but got: padding ({lo}, {hi}) at dimension {input.ndim + ax} of input "
                               f"{_shape_str(input.shape)}")
        if mode == "circular" and (lo > n or hi > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        idx = _pad_index(n, lo, hi, mode)
        mats.append((ax, _select_matrix(idx, n)))
        values = np.take(values, idx, axis=ax)  # the forward is a gather: values (nan, -0 ...) copied exactly
    return _separable(input, mats, _node_class(_PAD_NAMES[mode].format(nd)), values)


# =====================================================================================================
# Pooling geometry: argument forms, output sizes and PyTorch's checks, in the order it makes them
# =====================================================================================================

_COUNT_WORDS = {1: "one", 2: "two", 3: "three"}


def _pool_arg(v, nd: int, msg: str, default=None, where=None) -> tuple:
    """An int or a sequence of ints as an nd-tuple; ``where`` = (function, argument, position) names a wrong type
    as PyTorch's binding does."""
    if type(v) is not int:
        if where is not None:
            _int_tuple_arg(*where, v, nd)
        if isinstance(v, (list, tuple)):
            if not v and default is not None:
                return default
            if len(v) == 1:
                return (int(v[0]),) * nd
            if len(v) != nd:
                raise RuntimeError(msg)
            return tuple(int(a) for a in v)
    return (int(v),) * nd


def _pool_args(fn: str, nd: int, kernel_size, stride, padding, dilation=1, binding=None):
    """(kernel, stride, padding, dilation) n-tuples; stride None or empty means the kernel size. ``binding``: the
    name PyTorch's argument parser reports wrong types under."""
    w = _COUNT_WORDS[nd]
    either = "" if fn == "avg_pool3d" else "either "
    b = binding or fn
    k = _pool_arg(kernel_size, nd, f"{fn}: kernel_size must {either}be a single int, or a tuple of {w} ints",
                  where=(b, "kernel_size", 2))
    s = k if stride is None else _pool_arg(stride, nd, f"{fn}: stride must {either}be omitted, a single int, or a "
                                                       f"tuple of {w} ints", k, (b, "stride", 3))
    p = _pool_arg(padding, nd, f"{fn}: padding must {either}be a single int, or a tuple of {w} ints",
                  where=(b, "padding", 4))
    d = _pool_arg(dilation, nd, f"{fn}: dilation must be either a single int, or a tuple of {w} ints",
                  where=(b, "dilation", 5))
    return k, s, p, d


def _pool_input(fn: str, x) -> None:
    """PyTorch's binding refuses a non-Tensor input (the caller tests ``isinstance`` first)"""
    raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}")


def _pool_out(n: int, k: int, p: int, s: int, d: int, ceil_mode: bool) -> int:
    """PyTorch's pooling_output_shape: windows of extent d(k-1)+1 every s over n + 2p (ceil: one more if it
    starts inside the input or the left padding)."""
    if s == 0:
        raise RuntimeError("stride should not be zero")
    if p < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {p}")
    if p > _tdiv((k - 1) * d + 1, 2):
        raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p}, kernel_size={k} "
                           f"and dilation={d}")
    o = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (o - 1) * s >= n + p:
        o -= 1
    return o


def _sizes_x(c, sizes) -> str:
    return "x".join(str(v) for v in (c, *sizes))


def _pool_shape_check(shape, nd: int, k, s, d, p, outs, check_input_size: bool = False, fn: str = "") -> None:
    """PyTorch's pool2d/pool3d_shape_check (``fn`` names the 3-d kernel in its empty-input message)."""
    letters = "THW"[3 - nd:]
    if any(v <= 0 for v in k):
        raise RuntimeError("kernel size should be greater than zero, but got " +
                           " ".join(f"k{a}: {v}" for a, v in zip(letters, k)))
    if any(v <= 0 for v in s):
        raise RuntimeError("stride should be greater than zero, but got " +
                           " ".join(f"d{a}: {v}" for a, v in zip(letters, s)))
    if any(v <= 0 for v in d):
        raise RuntimeError("dilation should be greater than zero, but got " +
                           " ".join(f"dilation{a}: {v}" for a, v in zip(letters, d)))
    batched = len(shape) == nd + 2
    if nd == 2 and len(shape) not in (3, 4):
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but "
                           f"got:{_shape_str(shape)}")
    if nd == 3 and any(v == 0 for v in shape[1 if batched else 0:]):
        raise RuntimeError(f"{fn}: Expected input's non-batch dimensions to have positive length, but input has a "
                           f"shape of {_shape_str(shape)} and non-batch dimension 0 has length zero!")
    if any(v == 0 for v in shape[1 if batched else 0:]):
        raise RuntimeError(f"Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with optional 0 dim batch size for "
                           f"input, but got:{_shape_str(shape)}")
    sp = tuple(shape[-nd:])
    if check_input_size and any(sp[i] < k[i] for i in range(nd)):
        raise RuntimeError(f"input image (T: {sp[0]} H: {sp[1]} W: {sp[2]}) smaller than kernel size (kT: {k[0]} kH: "
                           f"{k[1]} kW: {k[2]})")
    if any(k[i] // 2 < p[i] for i in range(nd)):
        if nd == 2:
            raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got padW = {p[1]}, "
                               f"padH = {p[0]}, kW = {k[1]}, kH = {k[0]}")
        raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got kT: {k[0]} kW: "
                           f"{k[2]} kH: {k[1]} padT: {p[0]} padW: {p[2]} padH: {p[1]}")
    if any(o < 1 for o in outs):
        c = shape[-nd - 1]
        raise RuntimeError(f"Given input size: ({_sizes_x(c, sp)}). Calculated output size: ({_sizes_x(c, outs)}). "
                           f"Output size is too small")


def _check1d(fn: str, arg: str, v) -> int:
    if isinstance(v, (list, tuple)):
        if len(v) != 1:
            raise RuntimeError(f"{fn}() argument '{arg}' should contain one int (got {len(v)})")
        return int(v[0])
    return int(v)


def _check_dim_range(input: Tensor, fn: str) -> None:
    if input.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.ndim}-dimensional tensor for argument #1 "
                           f"'self' (while checking arguments for {fn})")


def _list_with_default(out_size, shape) -> tuple | int:
    """``None`` entries of an output size take the input's size (PyTorch's _list_with_default)."""
    if isinstance(out_size, (int, np.integer)):
        return int(out_size)
    n = len(out_size)
    return tuple(int(shape[-n + i]) if v is None else v for i, v in enumerate(out_size))


# =====================================================================================================
# Average pooling (separable linear maps)
# =====================================================================================================

def _avg_matrix(n: int, o: int, k: int, s: int, p: int, count_include_pad: bool, divide: bool) -> np.ndarray:
    """(o, n) matrix of one axis: window i covers [s·i - p, s·i - p + k) clipped; / its size (or count)."""
    start = np.arange(o) * s - p
    end = np.minimum(start + k, n + p)
    pool = end - start
    start, end = np.maximum(start, 0), np.minimum(end, n)
    i = np.arange(n)
    m = ((i >= start[:, None]) & (i < end[:, None])).astype(np.float64)
    if divide:
        m /= (pool if count_include_pad else end - start)[:, None]
    return m


def _avg_pool(input: Tensor, nd: int, kernel_size, stride, padding, ceil_mode: bool, count_include_pad: bool,
              divisor_override, node_name: str) -> Tensor:
    fn = f"avg_pool{nd}d"
    if not isinstance(input, Tensor):
        _pool_input(fn, input)
    k, s, p, _ = _pool_args(fn, nd, kernel_size, stride, padding)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    if nd == 2 and input.ndim < 3:  # PyTorch reads size(-3) first
        if input.ndim == 0:
            raise IndexError("Dimension specified as -3 but tensor has no dimensions")
        raise IndexError(f"Dimension out of range (expected to be in range of [{-input.ndim}, {input.ndim - 1}], "
                         f"but got -3)")
    if nd == 3 and input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for input")
    sp = tuple(input.shape[-nd:])
    outs = tuple(_pool_out(sp[i], k[i], p[i], s[i], 1, ceil_mode) for i in range(nd))
    _pool_shape_check(tuple(input.shape), nd, k, s, (1,) * nd, p, outs, nd == 3, "avg_pool3d()")
    dk = input._data.dtype
    if dk.kind in "biu" and dk != np.int64 or (nd == 3 and dk == np.float16):
        kernel = "avg_pool2d" if nd == 2 else "avg_pool3d_out_frame"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_long_name(dk)}'")
    div = divisor_override is None
    mats = [(-1 - i, _avg_matrix(sp[j], outs[j], k[j], s[j], p[j], count_include_pad, div))
            for i, j in enumerate(reversed(range(nd)))]
    if not div:
        mats[0] = (-1, mats[0][1] / float(divisor_override))
    values = _avg_pool_values(input._data, k, s, p, outs, count_include_pad, divisor_override)
    return _separable(input, mats, _node_class(node_name), values)


def _avg_pool_values(x: np.ndarray, k, s, p, outs, count_include_pad: bool, divisor_override) -> np.ndarray:
    """Window sums (k strided views added per axis, zero padding), divided once by the window's divisor, as
    PyTorch's kernel: Σ window / (pool size, or the count inside the input, or divisor_override)."""
    nd = len(k)
    lead = x.ndim - nd
    a = x
    sizes, counts = [], []
    for i in reversed(range(nd)):
        ax, n = lead + i, x.shape[lead + i]
        extra = max(0, (outs[i] - 1) * s[i] + k[i] - (n + p[i]))
        if p[i] or extra:
            widths = [(0, 0)] * a.ndim
            widths[ax] = (p[i], extra)
            a = np.pad(a, widths)
        acc = KS._axis_view(a, ax, 0, s[i], outs[i]).copy()
        for j in range(1, k[i]):
            acc += KS._axis_view(a, ax, j, s[i], outs[i])
        a = acc
        start = np.arange(outs[i]) * s[i] - p[i]
        end = np.minimum(start + k[i], n + p[i])
        sizes.append(end - start)
        counts.append(np.minimum(end, n) - np.maximum(start, 0))
    if divisor_override is not None:
        if a.dtype.kind == "f":
            return a / a.dtype.type(divisor_override)
        q = np.abs(a) // abs(divisor_override)  # integers: truncated toward zero, as PyTorch's C++ division
        return np.where((a < 0) != (divisor_override < 0), -q, q).astype(a.dtype, copy=False)
    div = None
    for i, c in enumerate(reversed(sizes if count_include_pad else counts)):  # axis order, first axis first
        c = c.reshape((-1,) + (1,) * (nd - 1 - i))
        div = c if div is None else div * c
    if a.dtype.kind in "iu":  # PyTorch's integer kernel: the window sum / its count, truncated toward zero
        q = np.abs(a) // div
        return np.where(a < 0, -q, q).astype(a.dtype, copy=False)
    return a / div.astype(a.dtype)


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """y[l] = mean of the k-window at s·l - p"""
    _pool1d_types("avg_pool1d", input, kernel_size, stride, padding, 1)
    _check_dim_range(input, "avg_pool1d")
    k = _check1d("avg_pool1d", "kernel_size", kernel_size)
    s = k if stride is None or (isinstance(stride, (list, tuple)) and not stride) else \
        _check1d("avg_pool1d", "stride", stride)
    p = _check1d("avg_pool1d", "padding", padding)
    r = avg_pool2d(input.unsqueeze(-2), (1, k), (1, s), (0, p), ceil_mode, count_include_pad)
    return AF.squeeze(r, -2)


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override=None) -> Tensor:
    """y[i, j] = mean of the (kh × kw) window at (s·i - p, s·j - p)"""
    return _avg_pool(input, 2, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override,
                     "AvgPool2DBackward0")


def avg_pool3d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override=None) -> Tensor:
    """y[t, i, j] = mean of the (kt × kh × kw) window at (s·t - p, s·i - p, s·j - p)"""
    return _avg_pool(input, 3, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override,
                     "AvgPool3DBackward0")


def _adaptive_bounds(n_in: int, n_out: int):
    o = np.arange(n_out)
    return (o * n_in) // n_out, -((-(o + 1) * n_in) // n_out)  # floor, ceil


def _adaptive_avg_matrix(n_in: int, n_out: int) -> np.ndarray:
    start, end = _adaptive_bounds(n_in, n_out)
    i = np.arange(n_in)
    m = ((i >= start[:, None]) & (i < end[:, None])).astype(np.float64)
    return m / np.maximum(end - start, 1)[:, None]


def _check_nonempty(input: Tensor, fn: str, nd: int, spatial_only: bool = False) -> None:
    first = input.ndim - nd if spatial_only else (1 if input.ndim == nd + 2 else 0)
    for i in range(first, input.ndim):
        if input.shape[i] == 0:
            raise RuntimeError(f"{fn}(): Expected input to have non-zero size for non-batch dimensions, but input has "
                               f"sizes {_shape_str(input.shape)} with dimension {i} being empty")


def _adaptive_avg_pool(input: Tensor, output_size, nd: int, node_name: str) -> Tensor:
    fn = f"adaptive_avg_pool{nd}d"
    if not isinstance(input, Tensor):  # PyTorch's wrapper reads input.size() first
        raise AttributeError(f"'{type(input).__name__}' object has no attribute 'size'")
    osz = _list_with_default(output_size, input.shape)
    if type(osz) is not int:
        osz = _int_tuple_arg(fn, "output_size", 2, osz, nd)
    osz = (osz,) * nd if isinstance(osz, int) else osz
    if len(osz) != nd:
        raise RuntimeError(f"{fn}: output_size must be {nd}")
    if any(v < 0 for v in osz):
        got = ", ".join(map(str, osz)) if nd == 2 else f"{osz[0]}, {osz[1]},{osz[2]}"  # sic: PyTorch's spacing
        raise RuntimeError(f"{fn}: elements of output_size must be greater than or equal to 0 but received {{{got}}}")
    if all(v == 1 for v in osz):  # PyTorch takes the mean here (MeanBackward1)
        return AF.mean(input, tuple(range(-1, -nd - 1, -1)), keepdim=True)
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"{fn}(): Expected {nd + 1}D or {nd + 2}D tensor, but got {_shape_str(input.shape)}")
    _check_nonempty(input, fn, nd, spatial_only=nd == 2)
    if input._data.dtype.kind in "biu":
        raise NotImplementedError(f"\"{fn}\" not implemented for '{_long_name(input._data.dtype)}'")
    sp = input.shape[-nd:]
    mats = [(-1 - i, _adaptive_avg_matrix(sp[j], osz[j])) for i, j in enumerate(reversed(range(nd)))]
    return _separable(input, mats, _node_class(node_name), _adaptive_avg_values(input._data, osz))


def _adaptive_avg_values(x: np.ndarray, osz) -> np.ndarray:
    """Window sums over ⌊iN/o⌋..⌈(i+1)N/o⌉ per axis (a gather of the widest window, its spare slots pointing at an
    appended zero), divided once by the window's size."""
    nd = len(osz)
    lead = x.ndim - nd
    a, div = x, None
    for i in reversed(range(nd)):
        ax, n = lead + i, x.shape[lead + i]
        start, end = _adaptive_bounds(n, osz[i])
        kmax = int((end - start).max()) if osz[i] else 0
        j = start[:, None] + np.arange(kmax)
        idx = np.where(j < end[:, None], j, n)  # n: the appended zero
        zero = np.zeros(a.shape[:ax] + (1,) + a.shape[ax + 1:], a.dtype)
        g = np.take(np.concatenate([a, zero], axis=ax), idx.reshape(-1), axis=ax)
        g = g.reshape(a.shape[:ax] + (osz[i], kmax) + a.shape[ax + 1:])
        a = g[(slice(None),) * (ax + 1) + (0,)].copy() if kmax else np.zeros(g.shape[:ax + 1] + g.shape[ax + 2:], a.dtype)
        for q in range(1, kmax):
            a += g[(slice(None),) * (ax + 1) + (q,)]
        c = (end - start).reshape((-1,) + (1,) * (nd - 1 - i))
        div = c if div is None else div * c
    return a / np.maximum(div, 1).astype(a.dtype)


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """y[l] = mean of x over ⌊lL/o⌋..⌈(l+1)L/o⌉"""
    _check_dim_range(input, "adaptive_avg_pool1d")
    o = _check1d("adaptive_avg_pool1d", "output_size", output_size)
    return AF.squeeze(adaptive_avg_pool2d(input.unsqueeze(-2), (1, o)), -2)


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """y[i, j] = mean of x over rows ⌊iH/oh⌋..⌈(i+1)H/oh⌉ and the like columns"""
    return _adaptive_avg_pool(input, output_size, 2, "AdaptiveAvgPool2DBackward0")


def adaptive_avg_pool3d(input: Tensor, output_size) -> Tensor:
    """y[t, i, j] = mean of x over ⌊tD/od⌋..⌈(t+1)D/od⌉ and the like rows and columns"""
    return _adaptive_avg_pool(input, output_size, 3, "AdaptiveAvgPool3DBackward0")


# =====================================================================================================
# Power-average pooling (composed, as in PyTorch)
# =====================================================================================================

def _lp_pool(input: Tensor, norm_type, kernel_size, stride, ceil_mode: bool, nd: int) -> Tensor:
    pools = {1: (max_pool1d, avg_pool1d), 2: (max_pool2d, avg_pool2d), 3: (max_pool3d, avg_pool3d)}
    max_pool, avg_pool = pools[nd]
    ks = (kernel_size,) if nd == 1 else _pool_arg(kernel_size, nd, "")
    if isinstance(norm_type, (int, float)) and math.isinf(norm_type):
        if norm_type > 0:
            return max_pool(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
        return -max_pool(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if stride is not None:
        out = avg_pool(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = avg_pool(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    return (out.sign() * AF.relu(out.abs())).mul(math.prod(ks)).pow(1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    """(Σ_window x^p)^(1/p) over 1-d windows (max of |x| for p = ∞)"""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    """(Σ_window x^p)^(1/p) over 2-d windows (max of |x| for p = ∞)"""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool3d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    """(Σ_window x^p)^(1/p) over 3-d windows (max of |x| for p = ∞)"""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3)


# =====================================================================================================
# Max pooling: plain, adaptive, fractional; and unpooling
# =====================================================================================================

class _MaxPoolBackward(Node):
    """y = max over windows, idx = argmax:  dx[idx] += g"""

    indices = None  # flat positions of the maxima (max_pool computes them from ``offsets`` when first needed)
    offsets = geom = None  # max_pool: the winning kernel offset per axis, and the windows' geometry

    def backward(self, g):
        if self.indices is None:
            if not _recording():
                gx = _max_pool_backward_np(g._data, self.offsets, self.geom, self.shape)
                if gx is not None:
                    return (_wrap(gx),)
            self.indices = _pool_flat_index(self.offsets, self.geom)
        idx, shape, nd = self.indices, self.shape, self.nd
        lead = tuple(shape[:-nd])
        hw = math.prod(shape[-nd:])
        if _recording():  # differentiable scatter for create_graph / dual tensors
            z = _wrap(np.zeros(lead + (hw,), dtype=g._data.dtype))
            return (z.scatter_add(-1, _wrap(idx.reshape(lead + (-1,))), g.reshape(lead + (-1,))).reshape(shape),)
        planes = math.prod(lead)
        gidx = idx.reshape(planes, -1) + (np.arange(planes) * hw)[:, None]
        gx = np.bincount(gidx.ravel(), weights=g._data.ravel(), minlength=planes * hw)
        return (_wrap(gx.astype(g._data.dtype, copy=False).reshape(shape)),)


def _max_pool_backward_np(g: np.ndarray, offs, geom, shape):
    """Non-overlapping windows without padding or dilation (stride >= kernel): each input position gets the
    gradient of at most one window, so dx is written offset by offset, no scatter. None for other geometries."""
    sp, k, s, p, d, outs = geom
    nd = len(k)
    if any(p) or any(v != 1 for v in d) or any(s[i] < k[i] for i in range(nd)) or \
            any(outs[i] * s[i] > sp[i] for i in range(nd)):
        return None
    gx = np.zeros(shape, dtype=g.dtype)
    lead = gx.ndim - nd
    blocks = gx[_spatial_slices(lead, (slice(0, outs[i] * s[i]) for i in range(nd)))]
    blocks = blocks.reshape(blocks.shape[:lead] + tuple(v for i in range(nd) for v in (outs[i], s[i])))
    j = offs[0].astype(np.int16) if math.prod(k) > 127 else offs[0].astype(np.int8)
    for i in range(1, nd):  # the winner's offset in the window, row-major
        j = j * k[i] + offs[i]
    # g's bits where the window's winner sits, +0 elsewhere: g AND an all-ones/all-zeros mask (a product with a
    # 0/1 mask would give -0 and nan; np.copyto(where=) and np.where cost 3-5x this on strided outputs)
    it = np.dtype(f"i{g.itemsize}")
    gi = np.ascontiguousarray(g).view(it)
    for q, a in enumerate(itertools.product(*(range(v) for v in k))):
        dst = blocks[(Ellipsis,) + tuple(v for i in range(nd) for v in (slice(None), a[i]))]
        np.bitwise_and(gi, np.negative((j == q).view(np.int8), dtype=it), out=dst.view(it))
    return gx


class MaxPool2DWithIndicesBackwardBackward0(ZeroDerivativeBackward):
    """z = g scattered to the argmax positions idx, recorded under create_graph:
    dz/dg = gather at idx;  dz/dx = 0"""


class MaxPool2DWithIndicesBackward0(_MaxPoolBackward):
    zero_double = MaxPool2DWithIndicesBackwardBackward0


class MaxPool3DWithIndicesBackwardBackward0(ZeroDerivativeBackward):
    """z = g scattered to the argmax positions idx, recorded under create_graph:
    dz/dg = gather at idx;  dz/dx = 0"""


class MaxPool3DWithIndicesBackward0(_MaxPoolBackward):
    zero_double = MaxPool3DWithIndicesBackwardBackward0


class AdaptiveMaxPool2DBackwardBackward0(ZeroDerivativeBackward):
    """z = g scattered to the argmax positions idx, recorded under create_graph:
    dz/dg = gather at idx;  dz/dx = 0"""


class AdaptiveMaxPool2DBackward0(_MaxPoolBackward):
    zero_double = AdaptiveMaxPool2DBackwardBackward0


class AdaptiveMaxPool3DBackwardBackward0(ZeroDerivativeBackward):
    """z = g scattered to the argmax positions idx, recorded under create_graph:
    dz/dg = gather at idx;  dz/dx = 0"""


class AdaptiveMaxPool3DBackward0(_MaxPoolBackward):
    zero_double = AdaptiveMaxPool3DBackwardBackward0


class FractionalMaxPool2DBackwardBackward0(ZeroDerivativeBackward):
    """z = g scattered to the argmax positions idx, recorded under create_graph:
    dz/dg = gather at idx;  dz/dx = 0"""


class FractionalMaxPool2DBackward0(_MaxPoolBackward):
    zero_double = FractionalMaxPool2DBackwardBackward0


class FractionalMaxPool3DBackwardBackward0(ZeroDerivativeBackward):
    """z = g scattered to the argmax positions idx, recorded under create_graph:
    dz/dg = gather at idx;  dz/dx = 0"""


class FractionalMaxPool3DBackward0(_MaxPoolBackward):
    zero_double = FractionalMaxPool3DBackwardBackward0


def _max_result(x: Tensor, out: np.ndarray, idx: np.ndarray, node_cls, nd: int, return_indices: bool):
    t = _wrap_result(out, node_cls, (x,), indices=idx, shape=tuple(x.shape), nd=nd)
    return (t, _wrap(idx)) if return_indices else t


def _lowest(dt):
    return -np.inf if dt.kind == "f" else np.iinfo(dt).min


def _flat_index(coords, sizes) -> np.ndarray:
    """Row-major flat position in the spatial block of per-axis coordinates (broadcast)."""
    idx = np.zeros((), np.int64)
    for c, n in zip(coords, sizes):
        idx = idx * n + c
    return idx.astype(np.int64, copy=False)


def _window_max(win: np.ndarray, nk: int):
    """Max and argmax over the trailing ``nk`` axes of a window array (first max wins, as PyTorch)."""
    kshape = win.shape[-nk:]
    flat = win.reshape(win.shape[:-nk] + (-1,))
    am = flat.argmax(-1)
    r = np.take_along_axis(flat, am[..., None], -1)[..., 0]
    if flat.dtype.kind == "f":
        nan = np.isnan(r)
        if nan.any():  # NumPy's argmax answers the first NaN; PyTorch's scan keeps the last
            last = flat.shape[-1] - 1 - np.isnan(flat[..., ::-1]).argmax(-1)
            am = np.where(nan, last, am)
    return r, np.unravel_index(am, kshape)


def _max_pool(input: Tensor, nd: int, kernel_size, stride, padding, dilation, ceil_mode: bool,
              return_indices: bool, node_cls):
    fn = f"max_pool{nd}d"
    binding = fn + "_with_indices" if return_indices else fn
    if not isinstance(input, Tensor):
        _pool_input(binding, input)
    k, s, p, d = _pool_args(fn, nd, kernel_size, stride, padding, dilation, binding)
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for input")
    sp = tuple(input.shape[-nd:])
    outs = tuple(_pool_out(sp[i], k[i], p[i], s[i], d[i], ceil_mode) for i in range(nd))
    _pool_shape_check(tuple(input.shape), nd, k, s, d, p, outs, fn="max_pool3d_with_indices_out_cpu_template()")
    if input._data.dtype == np.bool_:
        raise NotImplementedError(f"\"max_pool{nd}d\" not implemented for 'Bool'")
    xd = input._data
    # pad with the lowest value; with ceil_mode the last window may need extra room after the input
    extra = [max(0, (outs[i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 - (sp[i] + p[i])) for i in range(nd)]
    low = _lowest(xd.dtype)
    xp = _pad_lead(xd, nd, tuple((p[i], extra[i]) for i in range(nd)), low)
    if k == s and not any(p) and not any(extra) and all(v == 1 for v in d) and math.prod(k) <= 127 \
            and not is_meta_array(xd):  # the windows tile the input: one copy into a tile layout
        r, offs = KS.max_pool_tiles(xd, k)
    else:
        r, offs = KS.max_pool_scan(xp, k, s, d, outs)
    if xd.dtype.kind == "f" and np.isnan(r).any():  # the last NaN of a window wins: scan again, NaN-aware
        r, offs = KS.max_pool_scan(xp, k, s, d, outs, nan_aware=True)
    if (any(p) or any(extra)) and (r == low).any():
        # every value of such a window is the lowest: PyTorch answers its first position inside the input
        first = KS.first_valid_offsets(outs, k, s, p, d)
        lowest = r == low
        offs = [np.where(lowest, first[i].reshape((-1,) + (1,) * (nd - 1 - i)), offs[i]) for i in range(nd)]
    geom = (tuple(sp), k, s, p, d, outs)
    t = _wrap_result(r, node_cls, (input,), offsets=offs, geom=geom, shape=tuple(input.shape), nd=nd)
    if not return_indices:
        return t
    return t, _wrap(_pool_flat_index(offs, geom))


def _pad_lead(x: np.ndarray, nd: int, pads, value) -> np.ndarray:
    """Pad the last ``nd`` axes of ``x`` by ``pads = ((before, after), ...)`` with ``value`` (no copy if none)."""
    if not any(a or b for a, b in pads):
        return x
    lead = x.ndim - nd
    shape = tuple(x.shape[:lead]) + tuple(x.shape[lead + i] + a + b for i, (a, b) in enumerate(pads))
    r = np.full(shape, value, dtype=x.dtype)
    r[_spatial_slices(lead, (slice(a, a + n) for (a, _b), n in zip(pads, x.shape[lead:])))] = x
    return r


def _pool_flat_index(offs, geom) -> np.ndarray:
    """Flat positions in the input's spatial block of the windows' winning offsets (PyTorch's indices)."""
    sp, k, s, p, d, outs = geom
    nd = len(k)
    coords = [(np.arange(outs[i]) * s[i] - p[i]).reshape((-1,) + (1,) * (nd - 1 - i)) + offs[i] * d[i]
              for i in range(nd)]
    return _flat_index(coords, sp)


_TYPE_NAMES = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _check_max_pool1d(input: Tensor, kernel_size, stride, padding, dilation, ceil_mode) -> None:
    """The checks of PyTorch's max_pool1d kernel (used when no gradient is recorded)."""
    if input.ndim not in (2, 3) or any(v == 0 for v in input.shape[input.ndim - 2:]):
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                           f"input, but got:{_shape_str(input.shape)}")
    size = {k: (len(v) if isinstance(v, (list, tuple)) else 1) for k, v in
            (("kernel_size", kernel_size), ("stride", () if stride is None else stride), ("padding", padding),
             ("dilation", dilation))}
    if size["kernel_size"] != 1:
        raise RuntimeError(f"max_pool1d() kernel_size must be an int, list of ints or tuple of ints of size 1 but got "
                           f"size {size['kernel_size']}")
    if size["stride"] > 1:
        raise RuntimeError(f"max_pool1d() stride must be None, an int, list of ints, or tuple of ints of size 1 but "
                           f"got size {size['stride']}")
    if size["padding"] != 1:
        raise RuntimeError(f"max_pool1d() padding must be an int, list of ints, or tuple of ints of size 1 but got "
                           f"size {size['padding']}")
    if size["dilation"] != 1:
        raise RuntimeError(f"max_pool1d() dilation must be an int, list of ints or tuple of ints of size 1 but got "
                           f"size {size['dilation']}")
    k = _check1d("max_pool1d", "kernel_size", kernel_size)
    s = k if size["stride"] == 0 else _check1d("max_pool1d", "stride", stride)
    p, d = _check1d("max_pool1d", "padding", padding), _check1d("max_pool1d", "dilation", dilation)
    if k <= 0:
        raise RuntimeError(f"max_pool1d() kernel_size must be greater than zero, but got {k}")
    if s <= 0:
        raise RuntimeError(f"max_pool1d() stride must be greater than zero, but got {s}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got padding={p} and "
                           f"kernel_size={k}")
    if d <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")
    o = _pool_out(input.shape[-1], k, p, s, d, ceil_mode)
    if o <= 0:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {o}")


def _pool1d_types(fn: str, input, kernel_size, stride, padding, dilation) -> None:
    """PyTorch's binding: a Tensor input, ints or sequences of ints (the fast path is one type test each)"""
    if not isinstance(input, Tensor):
        _pool_input(fn, input)
    for pos, (arg, v) in enumerate((("kernel_size", kernel_size), ("stride", stride), ("padding", padding),
                                    ("dilation", dilation)), 2):
        if type(v) is not int and not (v is None and arg == "stride"):
            _int_tuple_arg(fn, arg, pos, v, 1)


def max_pool1d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
                            return_indices: bool = False):
    """(max of each k-window at s·l - p, its position in L)"""
    _pool1d_types("max_pool1d_with_indices", input, kernel_size, stride, padding, dilation)
    _check_dim_range(input, "max_pool1d")
    k = _check1d("max_pool1d", "kernel_size", kernel_size)
    s = k if stride is None or (isinstance(stride, (list, tuple)) and not stride) else \
        _check1d("max_pool1d", "stride", stride)
    p, d = _check1d("max_pool1d", "padding", padding), _check1d("max_pool1d", "dilation", dilation)
    y, i = _max_pool(input.unsqueeze(-2), 2, (1, k), (1, s), (0, p), (1, d), ceil_mode, True,
                     MaxPool2DWithIndicesBackward0)
    return AF.squeeze(y, -2), AF.squeeze(i, -2)


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """y[l] = max of the k-window at s·l - p"""
    if return_indices:
        return max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    _pool1d_types("max_pool1d", input, kernel_size, stride, padding, dilation)
    _check_max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)
    if input._data.dtype.kind in "iub":
        raise NotImplementedError(f"\"max_pool1d_impl\" not implemented for '{_TYPE_NAMES[input._data.dtype.name]}'")
    return max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)[0]


def max_pool2d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
                            return_indices: bool = False):
    """(max of each (kh × kw) window, its flat position in H·W)"""
    return _max_pool(input, 2, kernel_size, stride, padding, dilation, ceil_mode, True, MaxPool2DWithIndicesBackward0)


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """y[i, j] = max of the (kh × kw) window at (s·i - p, s·j - p); indices are flat positions in H·W"""
    return _max_pool(input, 2, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     MaxPool2DWithIndicesBackward0)


def max_pool3d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
                            return_indices: bool = False):
    """(max of each (kt × kh × kw) window, its flat position in D·H·W)"""
    return _max_pool(input, 3, kernel_size, stride, padding, dilation, ceil_mode, True, MaxPool3DWithIndicesBackward0)


def max_pool3d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """y[t, i, j] = max of the (kt × kh × kw) window; indices are flat positions in D·H·W"""
    return _max_pool(input, 3, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     MaxPool3DWithIndicesBackward0)


def _adaptive_max_pool(input: Tensor, output_size, nd: int, return_indices: bool, node_cls):
    fn = f"adaptive_max_pool{nd}d"
    if not isinstance(input, Tensor):  # PyTorch's wrapper reads input.size() first
        raise AttributeError(f"'{type(input).__name__}' object has no attribute 'size'")
    osz = _list_with_default(output_size, input.shape)
    if type(osz) is not int:
        osz = _int_tuple_arg(fn, "output_size", 2, osz, nd)
    osz = (osz,) * nd if isinstance(osz, int) else osz
    if len(osz) != nd:
        raise RuntimeError(f"{fn}(): internal error: output_size.size() must be {nd}")
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"{fn}(): Expected {nd + 1}D or {nd + 2}D tensor, but got: {_shape_str(input.shape)}")
    _check_nonempty(input, fn, nd)
    if any(v < 0 for v in osz):
        bad = next(v for v in osz if v < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: "
                           f"{_shape_str(tuple(input.shape[:-nd]) + osz)}")
    xd = input._data
    sp = xd.shape[-nd:]
    if any(v == 0 for v in osz):
        shape = xd.shape[:-nd] + osz
        return _max_result(input, np.zeros(shape, xd.dtype), np.zeros(shape, np.int64), node_cls, nd, return_indices)
    # windows vary in size: gather each padded to the largest by repeating its last element (max unchanged)
    rix = []
    for n_in, n_out in zip(sp, osz):
        start, end = _adaptive_bounds(n_in, n_out)
        kmax = int((end - start).max())
        rix.append(np.minimum(start[:, None] + np.arange(kmax), end[:, None] - 1))  # (o, kmax)
    idx = []
    for i, ri in enumerate(rix):
        shape = [1] * (2 * nd)
        shape[i], shape[nd + i] = ri.shape
        idx.append(ri.reshape(shape))
    win = xd[(Ellipsis,) + tuple(idx)]  # (..., *o, *kmax)
    r, offs = _window_max(win, nd)
    coords = [rix[i][np.arange(osz[i]).reshape((-1,) + (1,) * (nd - 1 - i)), offs[i]] for i in range(nd)]
    return _max_result(input, r, _flat_index(coords, sp), node_cls, nd, return_indices)


def adaptive_max_pool1d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    """(max of x over ⌊lL/o⌋..⌈(l+1)L/o⌉, its position)"""
    _check_dim_range(input, "adaptive_max_pool1d")
    o = _check1d("adaptive_max_pool1d", "output_size", output_size)
    _check_nonempty(input, "adaptive_max_pool1d", 1)
    y, i = adaptive_max_pool2d(input.unsqueeze(-2), (1, o), True)
    return AF.squeeze(y, -2), AF.squeeze(i, -2)


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    """y[l] = max of x over ⌊lL/o⌋..⌈(l+1)L/o⌉"""
    r = adaptive_max_pool1d_with_indices(input, output_size)
    return r if return_indices else r[0]


def adaptive_max_pool2d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    """(max of x over rows ⌊iH/oh⌋..⌈(i+1)H/oh⌉ and the like columns, its flat position)"""
    return _adaptive_max_pool(input, output_size, 2, True, AdaptiveMaxPool2DBackward0)


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    """y[i, j] = max of x over rows ⌊iH/oh⌋..⌈(i+1)H/oh⌉ and the like columns"""
    return _adaptive_max_pool(input, output_size, 2, return_indices, AdaptiveMaxPool2DBackward0)


def adaptive_max_pool3d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    """(max of x over ⌊tD/od⌋..⌈(t+1)D/od⌉ × rows × columns, its flat position)"""
    return _adaptive_max_pool(input, output_size, 3, True, AdaptiveMaxPool3DBackward0)


def adaptive_max_pool3d(input: Tensor, output_size, return_indices: bool = False):
    """y[t, i, j] = max of x over ⌊tD/od⌋..⌈(t+1)D/od⌉ and the like rows and columns"""
    return _adaptive_max_pool(input, output_size, 3, return_indices, AdaptiveMaxPool3DBackward0)


# -- fractional max pooling ------------------------------------------------------------------------------------

def _fractional_starts(u: np.ndarray, n_in: int, n_out: int, k: int) -> np.ndarray:
    """Window starts per plane (PyTorch's generate_intervals, in the samples' dtype):
    start_i = ⌊(i + u)·α⌋ - ⌊u·α⌋ with α = (n_in - k)/(n_out - 1); the last window ends at the input's end."""
    starts = np.full(u.shape + (n_out,), n_in - k, dtype=np.int64)
    if n_out > 1:
        ty = u.dtype.type
        alpha = ty(n_in - k) / ty(n_out - 1)
        i = np.arange(n_out - 1, dtype=u.dtype)
        starts[..., :-1] = (((i + u[..., None]) * alpha).astype(np.int64)
                            - (u * alpha).astype(np.int64)[..., None])
    return starts


_FRACTIONAL_AXES = {2: ("height", "width"), 3: ("time", "height", "width")}


def _fractional_max_pool(input: Tensor, nd: int, kernel_size, output_size, output_ratio, _random_samples):
    fn = f"fractional_max_pool{nd}d"
    if output_size is None and output_ratio is None:
        raise ValueError(f"{fn} requires specifying either an output_size or an output_ratio")
    if output_size is None:
        if nd == 2 and len(output_ratio) > 2:  # (a float ratio raises PyTorch's TypeError here, as in PyTorch)
            raise ValueError("fractional_max_pool2d requires output_ratio to either be a single Int or tuple of Ints.")
        ratio = output_ratio if isinstance(output_ratio, (list, tuple)) and len(output_ratio) == nd else \
            (output_ratio[0] if isinstance(output_ratio, (list, tuple)) else output_ratio,) * nd
        output_size = [int(input.size(-nd + i) * ratio[i]) for i in range(nd)]
    if _random_samples is None:
        n_batch = 1 if input.ndim == nd + 1 else input.shape[0]
        _random_samples = rand(n_batch, input.size(-nd - 1), nd, dtype=input.dtype)
    word = "Int or tuple of Ints" if nd == 2 else "Int or tuple of three Ints"
    k = _pool_arg(kernel_size, nd, f"{fn}: kernel_size must either be a single {word}")
    o = _pool_arg(output_size, nd, f"{fn}: output_size must either be a single {word}")
    where = "fractional_max_pool2d()" if nd == 2 else "fractional_max_pool3d_out()"
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"{where}: Expected {nd + 1}D or {nd + 2}D tensor, but got: {_shape_str(input.shape)}")
    for i in range(1 if input.ndim == nd + 2 else 0, input.ndim):
        if input.shape[i] == 0:
            raise RuntimeError(f"{where}: Expected input to have non-zero size for non-batch dimensions, but got"
                               f"{_shape_str(input.shape)} with dimension {i} being empty.")
    u = _random_samples
    if u._data.dtype != input._data.dtype:
        raise RuntimeError("Expect _random_samples to have the same dtype as input")
    if u.ndim != 3:
        raise RuntimeError(f"Expect _random_samples to have 3 dimensions, got {u.ndim}")
    n_batch = 1 if input.ndim == nd + 1 else input.shape[0]
    channels = input.shape[-nd - 1]
    if u.shape[0] < n_batch:
        raise RuntimeError("Expect _random_samples.size(0) no less then input batch size.")
    if u.shape[1] != channels:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    if u.shape[2] != nd:
        raise RuntimeError(f"Expect _random_samples.size(2) equals to {nd}; got {u.shape[2]}.")
    sp = tuple(input.shape[-nd:])
    for i, axis in enumerate(_FRACTIONAL_AXES[nd]):
        if o[i] + k[i] - 1 > sp[i] - (nd == 3):  # the 3-d kernel's check is strict
            raise RuntimeError(f"{where}: pool {axis} {k[i]} too large relative to input {axis} {sp[i]}")
    xd = input._data
    x = xd.reshape((n_batch * channels,) + sp)  # one plane per (sample, channel)
    samples = u._data[:n_batch].reshape(n_batch * channels, nd)
    # PyTorch's samples per plane: [W, H] for 2-d, [T, H, W] for 3-d
    order = (1, 0) if nd == 2 else (0, 1, 2)
    starts = [_fractional_starts(samples[:, order[i]], sp[i], o[i], k[i]) for i in range(nd)]  # (P, o_i)
    planes = np.arange(x.shape[0]).reshape((-1,) + (1,) * (2 * nd))
    idx = [planes]
    for i in range(nd):
        ri = starts[i][:, :, None] + np.arange(k[i])  # (P, o_i, k_i)
        shape = [x.shape[0]] + [1] * (2 * nd)
        shape[1 + i], shape[1 + nd + i] = o[i], k[i]
        idx.append(ri.reshape(shape))
    r, offs = _window_max(x[tuple(idx)], nd)  # windows (P, *o, *k)
    coords = [starts[i].reshape((-1,) + tuple(o[i] if j == i else 1 for j in range(nd))) + offs[i]
              for i in range(nd)]
    flat = _flat_index(coords, sp)
    shape = tuple(xd.shape[:-nd]) + tuple(o)
    node = FractionalMaxPool2DBackward0 if nd == 2 else FractionalMaxPool3DBackward0
    return _max_result(input, r.reshape(shape), flat.reshape(shape), node, nd, True)


def fractional_max_pool2d_with_indices(input: Tensor, kernel_size, output_size=None, output_ratio=None,
                                       return_indices: bool = False, _random_samples=None):
    """(max over (kh × kw) windows at pseudo-random fractional strides, flat positions in H·W)"""
    return _fractional_max_pool(input, 2, kernel_size, output_size, output_ratio, _random_samples)


def fractional_max_pool2d(input: Tensor, kernel_size, output_size=None, output_ratio=None,
                          return_indices: bool = False, _random_samples=None):
    """Max over (kh × kw) windows whose starts step by a random fraction to give ``output_size`` outputs"""
    r = _fractional_max_pool(input, 2, kernel_size, output_size, output_ratio, _random_samples)
    return r if return_indices else r[0]


def fractional_max_pool3d_with_indices(input: Tensor, kernel_size, output_size=None, output_ratio=None,
                                       return_indices: bool = False, _random_samples=None):
    """(max over (kt × kh × kw) windows at pseudo-random fractional strides, flat positions in D·H·W)"""
    return _fractional_max_pool(input, 3, kernel_size, output_size, output_ratio, _random_samples)


def fractional_max_pool3d(input: Tensor, kernel_size, output_size=None, output_ratio=None,
                          return_indices: bool = False, _random_samples=None):
    """Max over (kt × kh × kw) windows whose starts step by a random fraction to give ``output_size`` outputs"""
    r = _fractional_max_pool(input, 3, kernel_size, output_size, output_ratio, _random_samples)
    return r if return_indices else r[0]


# -- unpooling ---------------------------------------------------------------------------------------------------

class _MaxUnpoolBackward(Node):
    """y = 0; y[idx] = x (per plane):  dx = g[idx]"""

    def backward(self, g):
        idx, nd = self.indices, self.nd
        lead = tuple(idx.shape[:-nd])
        if _recording():
            flat = g.reshape(lead + (-1,))
            return (flat.gather(-1, _wrap(idx.reshape(lead + (-1,)))).reshape(idx.shape),)
        planes = math.prod(lead)
        gd = g._data.reshape(planes, -1)
        return (_wrap(np.take_along_axis(gd, idx.reshape(planes, -1), 1).reshape(idx.shape)),)


class MaxUnpool2DBackward0(_MaxUnpoolBackward):
    pass


class MaxUnpool3DBackward0(_MaxUnpoolBackward):
    pass


def _unpool_output_size(input: Tensor, k, s, p, output_size) -> list:
    """PyTorch's _unpool_output_size: (in - 1)·s + k - 2p, or a given size within one stride of it."""
    nd = len(k)
    default = [(input.shape[-nd + i] - 1) * s[i] + k[i] - 2 * p[i] for i in range(nd)]
    if output_size is None:
        ret = default
    else:
        out = list(output_size)
        if len(out) == nd + 2:
            out = out[2:]
        if len(out) != nd:
            raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} elements, but it has a "
                             f"length of '{len(out)}'")
        for i in range(nd):
            lo, hi = default[i] - s[i], default[i] + s[i]
            if not lo < out[i] < hi:
                raise ValueError(f'invalid output_size "{output_size}" (dim {i} must be between {lo} and {hi})')
        ret = out
    for i in range(nd):
        if ret[i] < 0:
            raise ValueError(f"max_unpooling: output_size must contain non-negative spatial dimensions, but got "
                             f"output_size[{i}]={ret[i]}")
    return [int(v) for v in ret]


def _max_unpool(input: Tensor, indices: Tensor, osize, nd: int, stride=None) -> Tensor:
    fn = f"max_unpooling{nd}d"
    if indices.dtype.name != "int64":
        raise RuntimeError("elements in indices should be type int64" if nd == 3 else
                           f"elements in indices should be type int64 but got: {_dtype_name(indices._data)}")
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Input to {fn} should be a {nd + 1}d or {nd + 2}d Tensor, but got a tensor with "
                           f"{input.ndim} dimensions.")
    if tuple(input.shape) != tuple(indices.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({_shape_str(input.shape)}) but got indices tensor with shape: "
                           f"{_shape_str(indices.shape)}")
    where = "max_unpooling2d_forward_out_cpu(): " if nd == 2 else "max_unpooling3d_forward_out_cpu(): "
    for i in range(1, input.ndim):
        if input.shape[i] == 0:
            raise RuntimeError(f"{where}Expected input to have non-zero size for non-batch dimensions, but got "
                               f"{_shape_str(input.shape)} with dimension {i} being empty.")
    if stride is not None and any(v <= 0 for v in stride):
        raise RuntimeError(f"strides should be greater than zero, but got stride: {_shape_str(stride)}")
    idx = indices._data
    hw = math.prod(osize)
    lead = tuple(input.shape[:-nd])
    planes = math.prod(lead)
    flat = idx.reshape(planes, -1)
    bad = (flat < 0) | (flat >= hw)
    if bad.any():
        raise RuntimeError(f"Found an invalid max index: {int(flat[bad][0])} (output volumes are of size "
                           f"{'x'.join(map(str, osize))})")
    out = np.zeros((planes, hw), dtype=input._data.dtype)
    out[np.arange(planes)[:, None], flat] = input._data.reshape(planes, -1)
    t = _wrap_result(out.reshape(lead + tuple(osize)), MaxUnpool2DBackward0 if nd == 2 else MaxUnpool3DBackward0, (input,),
             indices=idx, nd=nd)
    return t


def _unpool_args(kernel_size, stride, padding, nd):
    k = _tuple(kernel_size, nd)
    s = _tuple(stride, nd) if stride is not None else k
    return k, s, _tuple(padding, nd)


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None) -> Tensor:
    """The partial inverse of max_pool1d: each value back at its index, zeros elsewhere"""
    k, s, p = _unpool_args(kernel_size, stride, padding, 1)
    osize = _unpool_output_size(input, k, s, p, output_size) + [1]
    return AF.squeeze(_max_unpool(input.unsqueeze(-1), indices.unsqueeze(-1), osize, 2), -1)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None) -> Tensor:
    """The partial inverse of max_pool2d: each value back at its flat index in H·W, zeros elsewhere"""
    k, s, p = _unpool_args(kernel_size, stride, padding, 2)
    return _max_unpool(input, indices, _unpool_output_size(input, k, s, p, output_size), 2)


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None) -> Tensor:
    """The partial inverse of max_pool3d: each value back at its flat index in D·H·W, zeros elsewhere"""
    k, s, p = _unpool_args(kernel_size, stride, padding, 3)
    return _max_unpool(input, indices, _unpool_output_size(input, k, s, p, output_size), 3, s)
