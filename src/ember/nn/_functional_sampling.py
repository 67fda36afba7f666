"""Resampling in ``ember.nn.functional``: ``interpolate`` (and the ``upsample*`` aliases), ``grid_sample``,
``affine_grid``.

* ``interpolate`` is separable in every mode: along each spatial axis the output is ``A @ x`` for a small
  (out, in) matrix ``A`` whose rows hold PyTorch's taps and weights (nearest: one 1; linear: two; cubic: four,
  with clamped indices; antialiased: a filter stretched over the downscaling factor and normalised). The
  weights are computed as PyTorch's CPU kernel computes them, in the input's precision, then applied by the
  separable-map primitive of ``_functional_spatial`` (its backward applies ``Aᵀ``, itself differentiable).
* ``grid_sample`` reads each output point from the input at a (normalised) grid location: a sum over a few
  *taps* (2^d corners for bilinear, the nearest pixel, 4×4 for bicubic), each a gathered value times a weight
  that depends on the grid. Forward, both gradients and the padding modes are whole-array NumPy over the
  taps; ``GridSampler2DBackward0``/``GridSampler3DBackward0`` scatter into the input and contract into the
  grid.
* ``affine_grid`` is one matmul of a fixed base grid with θᵀ (``AffineGridGeneratorBackward0``).
"""

from __future__ import annotations

import itertools
import math
import warnings

from .._array import np
from .._core.node import Node
from .._core.record import _wrap_result
from .._core.tensor import Tensor, _wrap
from ..autograd import grad, grad_mode
from ..ops import creation as C
from ._functional_loss import _refuse_forward_ad
from ._functional_spatial import (
    _node_class,
    _separable,
    _SeparableBackward,
    _shape_str,
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_avg_pool3d,
)

__all__ = ["affine_grid", "grid_sample", "interpolate", "upsample", "upsample_bilinear", "upsample_nearest"]

_grad_mode = grad_mode.state


# =====================================================================================================
# interpolate: one (out, in) matrix per axis, with PyTorch's index and weight arithmetic
# =====================================================================================================

def _scale(ty, n_in: int, n_out: int, align_corners: bool, scale):
    """PyTorch's area_pixel_compute_scale (in the op's precision ``ty``)."""
    if align_corners:  # one output: scale 0 (with half pixels, one output still takes in/out: the centre)
        return ty(n_in - 1) / ty(n_out - 1) if n_out > 1 else ty(0)
    return ty(1.0 / scale) if scale is not None and scale > 0 else ty(n_in) / ty(n_out)


def _source_index(ty, scale, n_out: int, align_corners: bool, cubic: bool) -> np.ndarray:
    """area_pixel_compute_source_index for every output position: scale·i, or scale·(i + ½) - ½ (≥ 0 unless
    cubic); the half-pixel form is evaluated in double and rounded to ``ty``, as the C++ expression is."""
    i = np.arange(n_out)
    if align_corners:
        return scale * i.astype(ty)
    src = (np.float64(scale) * (i + 0.5) - 0.5).astype(ty)
    return src if cubic else np.maximum(src, ty(0))


def _floor_index(src: np.ndarray, n_in: int):
    """guard_index_and_lambda: index = min(⌊src⌋, n - 1) (floorf, so in float), λ = clamp(src - index, 0, 1)."""
    idx = np.minimum(np.floor(src.astype(np.float32)).astype(np.int64), n_in - 1)
    lam = np.clip(src - idx.astype(src.dtype), 0, 1).astype(src.dtype)
    return idx, lam


def _taps_matrix(n_in: int, idx: np.ndarray, w: np.ndarray) -> np.ndarray:
    """(out, in) matrix with weights ``w[o, j]`` at columns ``idx[o, j]`` (repeated columns add up)."""
    m = np.zeros((idx.shape[0], n_in), dtype=w.dtype)
    np.add.at(m, (np.arange(idx.shape[0])[:, None], idx), w)
    return m


def _nearest_matrix(ty, n_in: int, n_out: int, scale, exact: bool) -> np.ndarray:
    s = _scale(ty, n_in, n_out, False, scale)
    if exact:  # ⌊scale·(i + ½)⌋ (Pillow's and scikit-image's nearest)
        src = _source_index(ty, s, n_out, False, False)
        idx = np.floor((src.astype(np.float64) + 0.5).astype(np.float32)).astype(np.int64)
    else:  # ⌊scale·i⌋ (OpenCV's INTER_NEAREST)
        idx = np.floor(_source_index(ty, s, n_out, True, False).astype(np.float32)).astype(np.int64)
    idx = np.minimum(idx, n_in - 1)
    return _taps_matrix(n_in, idx[:, None], np.ones((n_out, 1), dtype=ty))


def _linear_matrix(ty, n_in: int, n_out: int, scale, align_corners: bool) -> np.ndarray:
    if n_in == n_out:  # PyTorch copies when the size is unchanged, whatever the scale
        return np.eye(n_in, dtype=ty)
    s = _scale(ty, n_in, n_out, align_corners, scale)
    i0, lam1 = _floor_index(_source_index(ty, s, n_out, align_corners, False), n_in)
    i1 = i0 + (i0 < n_in - 1)
    w = np.stack([ty(1) - lam1, lam1], 1)
    return _taps_matrix(n_in, np.stack([i0, i1], 1), w)


def _cubic_coefficients(t: np.ndarray, a: float) -> np.ndarray:
    """Keys' cubic convolution weights of the taps at -1, 0, 1, 2 for a fraction t (in t's precision)."""
    ty = t.dtype.type
    A = ty(a)

    def near(x):  # |x| ≤ 1
        return ((A + ty(2)) * x - (A + ty(3))) * x * x + ty(1)

    def far(x):  # 1 < |x| < 2
        return ((A * x - ty(5) * A) * x + ty(8) * A) * x - ty(4) * A

    u = (ty(1) - t.astype(np.float64)).astype(t.dtype)
    return np.stack([far((t.astype(np.float64) + 1).astype(t.dtype)), near(t), near(u),
                     far((u.astype(np.float64) + 1).astype(t.dtype))], -1)


def _cubic_matrix(ty, n_in: int, n_out: int, scale, align_corners: bool) -> np.ndarray:
    s = _scale(ty, n_in, n_out, align_corners, scale)
    i0, lam = _floor_index(_source_index(ty, s, n_out, align_corners, True), n_in)
    idx = np.clip(i0[:, None] + np.arange(-1, 3), 0, n_in - 1)
    return _taps_matrix(n_in, idx, _cubic_coefficients(lam, -0.75))


def _aa_linear(x):
    x = np.abs(x)
    return np.where(x < 1, 1 - x, 0).astype(x.dtype)


def _aa_cubic(x):  # a = -0.5 with antialiasing (Pillow's bicubic)
    x = np.abs(x)
    ty = x.dtype.type
    a = ty(-0.5)
    near = ((a + ty(2)) * x - (a + ty(3))) * x * x + ty(1)
    far = ((a * x - ty(5) * a) * x + ty(8) * a) * x - ty(4) * a
    return np.where(x < 1, near, np.where(x < 2, far, 0)).astype(x.dtype)


def _sinc(x):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(x == 0, 1.0, np.sin(np.pi * x) / (np.pi * x))


def _aa_lanczos(x):  # Lanczos-3: sinc(x)·sinc(x/3) on [-3, 3)
    x64 = x.astype(np.float64)
    return np.where((x64 >= -3) & (x64 < 3), _sinc(x64) * _sinc(x64 / 3), 0).astype(x.dtype)


_AA_FILTERS = {"bilinear": (_aa_linear, 2), "bicubic": (_aa_cubic, 4), "lanczos": (_aa_lanczos, 6)}


def _aa_matrix(ty, n_in: int, n_out: int, scale, align_corners: bool, mode: str) -> np.ndarray:
    """PyTorch's antialiased weights: the filter stretched by the downscale factor over the taps whose centres
    lie within its support of the output pixel's centre, normalised to sum to one."""
    fn, interp = _AA_FILTERS[mode]
    s = _scale(ty, n_in, n_out, align_corners, scale)
    support = ty(interp * 0.5) * s if s >= 1 else ty(interp * 0.5)
    width = int(math.ceil(support)) * 2 + 1
    invscale = ty(1) / s if s >= 1 else ty(1)
    center = (np.float64(s) * (np.arange(n_out) + 0.5)).astype(ty)
    xmin = np.maximum((center.astype(np.float64) - support + 0.5).astype(np.int64), 0)
    xsize = np.clip(np.minimum((center.astype(np.float64) + support + 0.5).astype(np.int64), n_in) - xmin, 0, width)
    j = np.arange(width)
    arg = (((j + xmin[:, None]) - center[:, None]).astype(np.float64) + 0.5) * invscale
    w = np.where(j < xsize[:, None], fn(arg.astype(ty)), 0).astype(ty)
    total = w.sum(1, keepdims=True, dtype=ty)
    w = np.where(total != 0, w / np.where(total != 0, total, 1), w).astype(ty)
    return _taps_matrix(n_in, np.minimum(j + xmin[:, None], n_in - 1), w)


class UpsampleNearest1DBackward0(_SeparableBackward):
    """y = A x (A: one 1 per row, at ⌊i·scale⌋):  dx = Aᵀ g"""


class UpsampleNearest2DBackward0(_SeparableBackward):
    """y = A_h x A_wᵀ (nearest source pixels):  dx = A_hᵀ g A_w"""


class UpsampleNearest3DBackward0(_SeparableBackward):
    """y = x ×_d A_d ×_h A_h ×_w A_w (nearest source pixels):  dx = g ×_d A_dᵀ ×_h A_hᵀ ×_w A_wᵀ"""


class UpsampleNearestExact1DBackward0(_SeparableBackward):
    """y = A x (A: one 1 per row, at ⌊(i + ½)·scale⌋):  dx = Aᵀ g"""


class UpsampleNearestExact2DBackward0(_SeparableBackward):
    """y = A_h x A_wᵀ (nearest-exact source pixels):  dx = A_hᵀ g A_w"""


class UpsampleNearestExact3DBackward0(_SeparableBackward):
    """y = x ×_d A_d ×_h A_h ×_w A_w (nearest-exact source pixels):  dx = g ×_d A_dᵀ ×_h A_hᵀ ×_w A_wᵀ"""


class UpsampleLinear1DBackward0(_SeparableBackward):
    """y = A x (A: the two linear weights per row):  dx = Aᵀ g"""


class UpsampleBilinear2DBackward0(_SeparableBackward):
    """y = A_h x A_wᵀ (linear weights along each axis):  dx = A_hᵀ g A_w"""


class UpsampleTrilinear3DBackward0(_SeparableBackward):
    """y = x ×_d A_d ×_h A_h ×_w A_w (linear weights):  dx = g ×_d A_dᵀ ×_h A_hᵀ ×_w A_wᵀ"""


class UpsampleBicubic2DBackward0(_SeparableBackward):
    """y = A_h x A_wᵀ (A: four cubic-convolution weights per row, clamped taps):  dx = A_hᵀ g A_w"""


class UpsampleBilinear2DAaBackward0(_SeparableBackward):
    """y = A_h x A_wᵀ (A: a triangle filter widened by the downscale, normalised):  dx = A_hᵀ g A_w"""


class UpsampleBicubic2DAaBackward0(_SeparableBackward):
    """y = A_h x A_wᵀ (A: Keys' cubic filter widened by the downscale, normalised):  dx = A_hᵀ g A_w"""


class UpsampleLanczos2DAaBackward0(_SeparableBackward):
    """y = A_h x A_wᵀ (A: Lanczos-3 filter widened by the downscale, normalised):  dx = A_hᵀ g A_w"""


_UPSAMPLE_NODES = {"nearest": "UpsampleNearest{}DBackward0", "nearest-exact": "UpsampleNearestExact{}DBackward0",
                   "linear": "UpsampleLinear1DBackward0", "bilinear": "UpsampleBilinear2DBackward0",
                   "trilinear": "UpsampleTrilinear3DBackward0", "bicubic": "UpsampleBicubic2DBackward0"}
_AA_NODES = {"bilinear": "UpsampleBilinear2DAaBackward0", "bicubic": "UpsampleBicubic2DAaBackward0",
             "lanczos": "UpsampleLanczos2DAaBackward0"}
_AXIS_LETTERS = {1: "W", 2: "HW", 3: "DHW"}


def _upsample(input: Tensor, mode: str, output_size, scales, align_corners: bool, antialias: bool) -> Tensor:
    """The C++ upsample op: output size from the scales if not given, PyTorch's checks, one matrix per axis."""
    nd = input.ndim - 2
    ins = tuple(input.shape[2:])
    if output_size is None:
        output_size = [int(ins[i] * float(scales[i])) for i in range(nd)]
    outs = tuple(int(v) for v in output_size)
    if scales is None:
        scales = (None,) * nd
    if any(v <= 0 for v in ins + outs):
        letters = _AXIS_LETTERS[nd]
        a = ", ".join(f"{c}: {v}" for c, v in zip(letters, ins))
        b = ", ".join(f"{c}: {v}" for c, v in zip(letters, outs))
        sep = " and output" if nd == 1 else " output"
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input ({a}){sep} ({b})")
    if input.shape[1] == 0:
        raise RuntimeError(f"Non-empty {nd + 2}D data tensor expected but got a tensor with sizes "
                           f"{_shape_str(input.shape)}")
    ty = input._data.dtype.type
    if input._data.dtype.kind != "f" or (antialias and ty is np.float16):
        if input._data.dtype == np.uint8 and mode in ("nearest", "nearest-exact") and not input.requires_grad:
            ty = np.float32  # PyTorch computes byte images' indices in float; the 0/1 matrices copy exactly
        else:
            names = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
                     "float16": "Half"}
            if antialias:
                kernel = "compute_index_ranges_weights"
            elif mode == "bicubic":
                kernel = "compute_indices_weights_cubic"
            elif nd == 2:  # PyTorch's 2-d kernels dispatch through their channels-last variant
                kernel = f"upsample_{'bilinear' if mode == 'bilinear' else 'nearest'}2d_channels_last"
            else:
                kernel = f"compute_indices_weights_{'nearest' if mode.startswith('nearest') else 'linear'}"
            raise NotImplementedError(f"\"{kernel}\" not implemented for "
                                      f"'{names.get(input._data.dtype.name, input._data.dtype.name)}'")
    mats = []
    for i, j in enumerate(reversed(range(nd))):  # the last axis first, as PyTorch's kernels accumulate
        sc = None if scales[j] is None else float(scales[j])
        if antialias:
            m = _aa_matrix(ty, ins[j], outs[j], sc, align_corners, mode)
        elif mode in ("nearest", "nearest-exact"):
            m = _nearest_matrix(ty, ins[j], outs[j], sc, mode == "nearest-exact")
        elif mode == "bicubic":
            m = _cubic_matrix(ty, ins[j], outs[j], sc, align_corners)
        else:
            m = _linear_matrix(ty, ins[j], outs[j], sc, align_corners)
        mats.append((-1 - i, m))
    name = _AA_NODES[mode] if antialias else _UPSAMPLE_NODES[mode].format(nd)
    return _separable(input, mats, _node_class(name))


def _is_integer(x) -> bool:
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return True
    return isinstance(x, Tensor) and not x.is_floating_point()


def _binding_int(v):
    """a NumPy integer reads as an int (PyTorch's binding takes it); anything else stays, to be refused"""
    return int(v) if isinstance(v, np.integer) else v


def _parser_type(v) -> str:
    """how PyTorch's argument parser names a value in its "didn't match" line"""
    if isinstance(v, list):
        return f"list of [{', '.join(type(a).__name__ for a in v)}]"
    if isinstance(v, tuple):
        return f"tuple of ({', '.join(type(a).__name__ for a in v)})"
    return type(v).__name__


def _upsample_types(mode: str, nd: int, antialias: bool, output_size, scale_factors) -> None:
    """PyTorch's TypeError when the upsample binding gets a size or scale that is not numbers (NumPy numbers
    pass, as they do in PyTorch)"""
    def ok_int(v):
        return isinstance(v, (int, np.integer)) and not isinstance(v, bool)

    def ok_float(v):
        return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
    bad_size = output_size is not None and not all(ok_int(v) for v in output_size)
    bad_scale = scale_factors is not None and not all(ok_float(v) for v in scale_factors)
    if not (bad_size or bad_scale) or mode == "area" or nd not in (1, 2, 3):
        return
    base = {"nearest": "upsample_nearest", "nearest-exact": "_upsample_nearest_exact", "linear": "upsample_linear",
            "bilinear": "upsample_bilinear", "trilinear": "upsample_trilinear", "bicubic": "upsample_bicubic",
            }.get(mode)
    if base is None:
        return
    name = f"{base}{nd}d" + ("_aa" if antialias else "")
    if antialias:
        name = "_" + name
    corners = mode not in ("nearest", "nearest-exact")
    scales = {1: "float scales = None", 2: "float scales_h = None, float scales_w = None",
              3: "float scales_d = None, float scales_h = None, float scales_w = None"}[nd]
    head = "Tensor input, tuple of ints output_size" + (", bool align_corners" if corners else "")
    vals = [output_size, scale_factors]
    got = ["Tensor", type(output_size).__name__] + (["bool"] if corners else []) + [type(scale_factors).__name__]
    marks = ["Tensor", f"!{_parser_type(vals[0])}!" if vals[0] is None or bad_size else _parser_type(vals[0])]
    marks += (["bool"] if corners else []) + [f"!{_parser_type(vals[1])}!" if vals[1] is None or bad_scale else
                                              _parser_type(vals[1])]
    raise TypeError(f"{name}() received an invalid combination of arguments - got ({', '.join(got)}), but expected "
                    f"one of:\n * ({head}, tuple of floats scale_factors)\n      didn't match because some of the "
                    f"arguments have invalid types: ({', '.join(marks)})\n * ({head}, {scales}, *, Tensor out = "
                    f"None)\n")


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest", align_corners=None,
                recompute_scale_factor=None, antialias: bool = False) -> Tensor:
    """Resample the spatial dims to ``size`` or by ``scale_factor``: nearest, nearest-exact, (bi/tri)linear,
    bicubic, area (adaptive average), lanczos (antialiased only); each output is a fixed weighted sum of inputs."""
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    if not isinstance(input, Tensor):  # PyTorch's wrapper reads input.dim() first
        raise AttributeError(f"'{type(input).__name__}' object has no attribute 'dim'")
    dim = input.ndim - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        scale_factors = None
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(f"Input and output must have the same number of spatial dimensions, but got input "
                                 f"with spatial dimensions of {list(input.shape[2:])} and output size of {size}. "
                                 f"Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in "
                                 f"(o1, o2, ...,oK) format.")
            if not all(_is_integer(x) for x in size):
                raise TypeError(f"expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                                f"Tuple[int, int, int], but got size with types {[type(x) for x in size]}")
            output_size = [int(v) for v in size]
        else:
            output_size = [size if type(size) is int else _binding_int(size)] * dim
    elif scale_factor is not None:
        output_size = None
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(f"Input and scale_factor must have the same number of spatial dimensions, but got "
                                 f"input with spatial dimensions of {list(input.shape[2:])} and scale_factor of "
                                 f"shape {scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) "
                                 f"format and scale_factor in (s1, s2, ...,sK) format.")
            scale_factors = scale_factor  # (kept a tuple: PyTorch's binding names its type)
        else:
            scale_factors = [scale_factor] * dim
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor:
        output_size = [int(input.shape[i + 2] * scale_factors[i]) for i in range(dim)]
        scale_factors = None
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.ndim == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a "
                         "4-D tensor as input")
    nd = input.ndim
    if (output_size is not None and any(type(v) is not int for v in output_size)) or (
            scale_factors is not None and any(type(v) is not float and type(v) is not int for v in scale_factors)):
        _upsample_types(mode, nd - 2, antialias, output_size, scale_factors)
    if mode in ("nearest", "nearest-exact") and nd in (3, 4, 5):
        return _upsample(input, mode, output_size, scale_factors, False, False)
    if mode == "area" and nd in (3, 4, 5):
        pool = {3: adaptive_avg_pool1d, 4: adaptive_avg_pool2d, 5: adaptive_avg_pool3d}[nd]
        return pool(input, output_size)
    if (mode, nd) in (("linear", 3), ("bilinear", 4), ("trilinear", 5), ("bicubic", 4)):
        return _upsample(input, mode, output_size, scale_factors, align_corners, antialias)
    if mode == "lanczos" and nd == 4:
        if align_corners:
            raise ValueError("Lanczos mode does not support align_corners=True")
        if not antialias:
            raise ValueError("Lanczos mode requires antialias=True")
        return _upsample(input, mode, output_size, scale_factors, False, True)
    need = {"linear": 3, "bilinear": 4, "trilinear": 5}
    if mode in need and nd in (3, 4, 5):
        raise NotImplementedError(f"Got {nd}D input, but {mode} mode needs {need[mode]}D input")
    raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {nd}D) for the modes: "
                              f"nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact "
                              f"(got {mode})")


def upsample(input: Tensor, size=None, scale_factor=None, mode: str = "nearest", align_corners=None) -> Tensor:
    """Deprecated alias of ``interpolate``."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """Deprecated: ``interpolate(mode='nearest')``."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """Deprecated: ``interpolate(mode='bilinear', align_corners=True)``."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# =====================================================================================================
# grid_sample
# =====================================================================================================

def _unnormalize(coord: np.ndarray, size: int, align_corners: bool):
    """[-1, 1] to pixel coordinates: corners at pixel centres (align_corners) or at pixel edges; and d/dcoord."""
    ty = coord.dtype.type
    if align_corners:
        return (coord + ty(1)) / ty(2) * ty(size - 1), ty((size - 1) / 2)
    return ((coord + ty(1)) * ty(size) - ty(1)) / ty(2), ty(size / 2)


def _reflect(x: np.ndarray, twice_low: int, twice_high: int):
    """Reflect x into [low, high] (mirror at the ends, repeatedly); and dreflected/dx (±1)."""
    ty = x.dtype.type
    if twice_low == twice_high:
        return np.zeros_like(x), np.zeros_like(x)
    lo = ty(twice_low / 2)
    span = ty((twice_high - twice_low) / 2)
    x = x - lo
    sign = np.where(x < 0, ty(-1), ty(1))
    x = np.abs(x)
    extra = np.fmod(x, span)
    even = np.floor(x / span) % 2 == 0
    return np.where(even, extra + lo, span - extra + lo).astype(x.dtype), np.where(even, sign, -sign)


def _padded(x: np.ndarray, size: int, padding_mode: str, align_corners: bool):
    """PyTorch's compute_coordinates (border: clip; reflection: reflect then clip); and its derivative."""
    ty = x.dtype.type
    grad = np.ones_like(x)
    if padding_mode == "zeros":
        return x, grad
    if padding_mode == "reflection":
        x, grad = _reflect(x, 0, 2 * (size - 1)) if align_corners else _reflect(x, -1, 2 * size - 1)
    inside = (x > 0) & (x < size - 1)
    return np.clip(x, ty(0), ty(size - 1)), np.where(inside, grad, ty(0))


def _grid_taps(grid: np.ndarray, sizes, mode: str, padding_mode: str, align_corners: bool):
    """The taps of every output point: a list of (flat index, weight, [d weight / d grid[..., a]] or None),
    each (N, P); out-of-range taps carry weight 0. ``grid[..., a]`` addresses spatial axis nd - 1 - a."""
    nd = len(sizes)
    n = grid.shape[0]
    g = grid.reshape(n, -1, nd)
    ty = grid.dtype.type
    src, mult = [], []
    for i in range(nd):
        c, m = _unnormalize(g[..., nd - 1 - i], sizes[i], align_corners)
        if mode != "bicubic":  # bicubic pads its integer taps instead
            c, dm = _padded(c, sizes[i], padding_mode, align_corners)
            m = m * dm
        src.append(c)
        mult.append(m)
    taps = []
    if mode == "nearest":
        coords = [np.rint(c) for c in src]
        valid = np.logical_and.reduce([(c >= 0) & (c < s) for c, s in zip(coords, sizes)])
        taps.append((_tap_index(coords, sizes), valid.astype(grid.dtype), None))
        return taps
    base = [np.floor(c) for c in src]
    frac = [c - b for c, b in zip(src, base)]
    if mode == "bilinear":
        per_axis = [[(ty(1) - t, -np.ones_like(t)), (t, np.ones_like(t))] for t in frac]
        offsets = (0, 1)
    else:
        per_axis = [_cubic_taps(t) for t in frac]
        offsets = (-1, 0, 1, 2)
    for combo in itertools.product(range(len(offsets)), repeat=nd):
        coords = [base[i] + offsets[combo[i]] for i in range(nd)]
        if mode == "bicubic":
            coords = [np.trunc(_padded(c, s, padding_mode, align_corners)[0]) for c, s in zip(coords, sizes)]
        valid = np.logical_and.reduce([(c >= 0) & (c < s) for c, s in zip(coords, sizes)]).astype(grid.dtype)
        ws = [per_axis[i][combo[i]][0] for i in range(nd)]
        w = np.prod(ws, axis=0) * valid
        dws = []
        for i in range(nd):
            others = [ws[j] for j in range(nd) if j != i]
            dw = per_axis[i][combo[i]][1] * (np.prod(others, axis=0) if others else ty(1)) * mult[i] * valid
            dws.append(dw)
        taps.append((_tap_index(coords, sizes), w, dws))
    return taps


def _cubic_taps(t: np.ndarray):
    """(weight, dweight/dt) of the taps at -1, 0, 1, 2 (A = -0.75)."""
    ty = t.dtype.type
    A = ty(-0.75)
    w = _cubic_coefficients(t, -0.75)

    def dnear(x):
        return (ty(3) * (A + ty(2)) * x - ty(2) * (A + ty(3))) * x

    def dfar(x):
        return (ty(3) * A * x - ty(10) * A) * x + ty(8) * A

    u = ty(1) - t
    d = [dfar(t + ty(1)), dnear(t), -dnear(u), -dfar(u + ty(1))]
    return [(w[..., k], d[k]) for k in range(4)]


def _tap_index(coords, sizes) -> np.ndarray:
    idx = np.zeros(coords[0].shape, np.int64)
    for c, s in zip(coords, sizes):
        idx = idx * s + np.clip(c, 0, s - 1).astype(np.int64)
    return idx


def _gather(xf: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """xf (N, C, L) at idx (N, P) for every channel: (N, C, P)."""
    n, c, length = xf.shape
    return np.take(xf.reshape(-1), (np.arange(n * c) * length).reshape(n, c, 1) + idx[:, None, :])


def _scatter_taps(taps, gf: np.ndarray, length: int) -> np.ndarray:
    """Σ_t of w_t·g added at the taps' positions, (N, C, P) -> (N, C, L): one bincount per tap."""
    n, c, _ = gf.shape
    planes = (np.arange(n * c) * length).reshape(n, c, 1)
    acc = np.zeros(n * c * length)
    for idx, w, _ in taps:
        acc += np.bincount((planes + idx[:, None, :]).ravel(), weights=(gf * w[:, None, :]).ravel(),
                           minlength=n * c * length)
    return acc.astype(gf.dtype).reshape(n, c, length)


def _padded_recorded(x: Tensor, size: int, padding_mode: str, align_corners: bool) -> Tensor:
    """``_padded`` with differentiable ops (the reflection count is a constant)."""
    if padding_mode == "zeros":
        return x
    if padding_mode == "reflection":
        low, high = (0, 2 * (size - 1)) if align_corners else (-1, 2 * size - 1)
        if low == high:
            return x * 0
        lo, span = low / 2, (high - low) / 2
        a = (x - lo).abs()
        flips = np.floor(a._data / span)
        extra = a - _wrap((flips * span).astype(a._data.dtype))
        x = extra.where(_wrap(flips % 2 == 0), span - extra) + lo
    return x.clamp(0, size - 1)


def _cubic_recorded(t: Tensor) -> list:
    A = -0.75

    def near(x):
        return ((A + 2) * x - (A + 3)) * x * x + 1

    def far(x):
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A

    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def _grid_sample_recorded(x: Tensor, grid: Tensor, mode: str, padding_mode: str, align_corners: bool) -> Tensor:
    """grid_sample composed of differentiable ops (gathers times weights that are polynomials of the grid), for
    derivatives of the gradient: the taps are the same as ``_grid_taps``'s."""
    nd = grid.shape[-1]
    n, c = x.shape[0], x.shape[1]
    sizes = tuple(x.shape[2:])
    g = grid.reshape(n, -1, nd)
    src = []
    for i in range(nd):
        size, coord = sizes[i], g[..., nd - 1 - i]
        v = (coord + 1) / 2 * (size - 1) if align_corners else ((coord + 1) * size - 1) / 2
        src.append(v if mode == "bicubic" else _padded_recorded(v, size, padding_mode, align_corners))
    xf = x.reshape(n, c, -1)
    npts = g.shape[1]
    if mode == "nearest":
        combos, offsets = [None], None
        base = [np.rint(v._data) for v in src]
    else:
        base = [np.floor(v._data) for v in src]
        frac = [v - _wrap(b.astype(v._data.dtype)) for v, b in zip(src, base)]
        per_axis = [[1 - t, t] for t in frac] if mode == "bilinear" else [_cubic_recorded(t) for t in frac]
        offsets = (0, 1) if mode == "bilinear" else (-1, 0, 1, 2)
        combos = itertools.product(range(len(offsets)), repeat=nd)
    out = None
    for combo in combos:
        coords = base if combo is None else [base[i] + offsets[combo[i]] for i in range(nd)]
        if mode == "bicubic":
            coords = [np.trunc(_padded(cc, s, padding_mode, align_corners)[0]) for cc, s in zip(coords, sizes)]
        valid = np.logical_and.reduce([(cc >= 0) & (cc < s) for cc, s in zip(coords, sizes)])
        idx = np.broadcast_to(_tap_index(coords, sizes)[:, None, :], (n, c, npts)).copy()
        w = _wrap(valid.astype(x._data.dtype))
        if combo is not None:
            for i in range(nd):
                w = w * per_axis[i][combo[i]]
        term = xf.gather(2, _wrap(idx)) * w.unsqueeze(1)
        out = term if out is None else out + term
    return out.reshape((n, c) + tuple(grid.shape[1:-1]))


class _GridSamplerBackward(Node):
    """y[n,c,p] = Σ_taps w_t(grid[n,p]) · x[n,c,i_t]:  dx[n,c,i_t] += w_t g[n,c,p],
    dgrid[n,p] = Σ_t (Σ_c g[n,c,p] x[n,c,i_t]) · ∂w_t/∂grid"""

    def backward(self, g):
        x, grid = self.saved_values()
        need_x, need_grid = (e is not None for e in self.next)
        if _grad_mode.enabled:  # create_graph: differentiate the composed form, so the gradients are differentiable
            wrt = [t for t, need in ((x, need_x), (grid, need_grid)) if need]
            y = _grid_sample_recorded(x, grid, self.mode, self.padding_mode, self.align_corners)
            grads = [r if r is not None else t.detach() * 0  # nearest: the grid gets zeros, as in PyTorch
                     for r, t in zip(grad(y, wrt, g, create_graph=True, allow_unused=True), wrt)]
            grads = iter(grads)
            return (next(grads) if need_x else None), (next(grads) if need_grid else None)
        xd, gd = x._data, g._data
        n, c = xd.shape[:2]
        sizes = xd.shape[2:]
        L = math.prod(sizes)
        gf = gd.reshape(n, c, -1)
        taps = _grid_taps(grid._data, sizes, self.mode, self.padding_mode, self.align_corners)
        gx = ggrid = None
        if need_x:
            gx = _wrap(np.ascontiguousarray(_scatter_taps(taps, gf, L)).reshape(xd.shape))
        if need_grid:
            nd = len(sizes)
            acc = np.zeros(grid.shape[:1] + (gf.shape[2], nd), dtype=xd.dtype)
            xf = xd.reshape(n, c, L)
            for idx, _, dws in taps:
                if dws is None:
                    continue
                s = np.einsum("ncp,ncp->np", gf, _gather(xf, idx))
                for i in range(nd):
                    acc[..., nd - 1 - i] += s * dws[i]
            ggrid = _wrap(acc.reshape(grid.shape))
        return gx, ggrid


class GridSampler2DBackward0(_GridSamplerBackward):
    pass


class GridSampler3DBackward0(_GridSamplerBackward):
    pass


_GRID_MODES = ("bilinear", "nearest", "bicubic")
_GRID_PADDINGS = ("zeros", "border", "reflection")

_ALIGN_WARNING = ("Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
                  "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                  "grid_sample for details.")


def _grid_checks(input: Tensor, grid: Tensor, mode: str) -> None:
    if input._data.dtype != grid._data.dtype:
        names = {"float32": "Float", "float64": "Double", "float16": "Half"}
        raise RuntimeError(f"expected scalar type {names.get(input._data.dtype.name, input._data.dtype.name)} but "
                           f"found {names.get(grid._data.dtype.name, grid._data.dtype.name)}")
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError(f"grid_sampler(): expected grid and input to have same batch size, but got input with "
                           f"sizes {_shape_str(input.shape)} and grid with sizes {_shape_str(grid.shape)}")
    if grid.shape[-1] != input.ndim - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {input.ndim - 2} in last dimension, but got "
                           f"grid with sizes {_shape_str(grid.shape)}")
    for i in range(2, input.ndim):
        if input.shape[i] <= 0:
            raise RuntimeError(f"grid_sampler(): expected input to have non-empty spatial dimensions, but input has "
                               f"sizes {_shape_str(input.shape)} with dimension {i} being empty")
    nd = 4 if input.ndim == 4 else 5
    if input.ndim != nd or grid.ndim != nd:
        raise RuntimeError(f"grid_sampler(): expected {nd}D input and grid with same number of dimensions, but got "
                           f"input with sizes {_shape_str(input.shape)} and grid with sizes {_shape_str(grid.shape)}")
    if input.ndim == 5 and mode == "bicubic":
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear", padding_mode: str = "zeros",
                align_corners: bool | None = None) -> Tensor:
    """y[n, :, p] = input[n] read at grid[n, p] ∈ [-1, 1]^d (x first): bilinear, nearest or bicubic taps,
    with zeros / border / reflection values outside"""
    _refuse_forward_ad("grid_sampler_2d" if input.ndim == 4 else "grid_sampler_3d", input, grid)
    if mode not in _GRID_MODES:
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', "
                         f"but got: '{mode}'")
    if padding_mode not in _GRID_PADDINGS:
        raise ValueError(f"nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
                         f"'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING, stacklevel=2)
        align_corners = False
    _grid_checks(input, grid, mode)
    xd = input._data
    n, c = xd.shape[:2]
    sizes = xd.shape[2:]
    xf = xd.reshape(n, c, -1)
    out = np.zeros((n, c) + (math.prod(grid.shape[1:-1]),), dtype=xd.dtype)
    for idx, w, _ in _grid_taps(grid._data, sizes, mode, padding_mode, bool(align_corners)):
        out += _gather(xf, idx) * w[:, None, :]
    node_cls = GridSampler2DBackward0 if input.ndim == 4 else GridSampler3DBackward0
    return _wrap_result(out.reshape((n, c) + tuple(grid.shape[1:-1])), node_cls, (input, grid), saved=(input, grid),
                mode=mode, padding_mode=padding_mode, align_corners=bool(align_corners))


# =====================================================================================================
# affine_grid
# =====================================================================================================

def _neg_one_to_one(n: int, align_corners: bool, dtype) -> np.ndarray:
    """PyTorch's linspace_from_neg_one: the pixel centres in [-1, 1] coordinates."""
    if n <= 1:
        return np.zeros(max(n, 1), dtype=dtype.np)
    r = C.linspace(-1, 1, n, dtype=dtype)._data
    if not align_corners:
        r = (r * r.dtype.type(n - 1)) / r.dtype.type(n)
    return r


class AffineGridGeneratorBackward0(Node):
    """grid = base θᵀ (base: the (x, y[, z], 1) pixel coordinates):  dθ = (baseᵀ g)ᵀ"""

    def backward(self, g):
        base = _wrap(self.base)
        n = g.shape[0]
        k = self.base.shape[-1]
        gflat = g.reshape(n, -1, k - 1)
        return ((base.reshape(1, -1, k).transpose(1, 2) @ gflat).transpose(1, 2),)


def affine_grid(theta: Tensor, size, align_corners: bool | None = None) -> Tensor:
    """The sampling grid of the affine maps θ (N×2×3 or N×3×4) over an output of ``size``: for each output
    pixel, θ · (x, y[, z], 1) in normalised coordinates"""
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING, stacklevel=2)
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    if len(size) == 4:
        if theta.ndim != 3 or theta.shape[-2] != 2 or theta.shape[-1] != 3:
            raise ValueError(f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {size}. Got "
                             f"{theta.shape}.")
        spatial = list(size[-2:])
    elif len(size) == 5:
        if theta.ndim != 3 or theta.shape[-2] != 3 or theta.shape[-1] != 4:
            raise ValueError(f"Expected a batch of 3D affine matrices of shape Nx3x4 for size {size}. Got "
                             f"{theta.shape}.")
        spatial = list(size[-3:])
    else:
        raise NotImplementedError(f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
                                  f"respectively. Got size {size}.")
    if theta.shape[0] != size[0]:  # PyTorch's bmm of the base grid with θᵀ
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{size[0]}, "
                           f"{theta.shape[2]}] but got: [{theta.shape[0]}, {theta.shape[2]}].")
    if align_corners and min(spatial) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
                      "align_corners=True. This is not an intended use case of affine_grid. See the documentation "
                      "of affine_grid for details.", stacklevel=2)
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    nd = len(spatial)
    dt = theta.dtype
    base = np.ones(tuple(spatial) + (nd + 1,), dtype=dt.np)
    for a in range(nd):  # coordinate a runs along spatial axis nd - 1 - a (x along W first)
        axis = nd - 1 - a
        shape = [1] * nd
        shape[axis] = spatial[axis]
        base[..., a] = _neg_one_to_one(spatial[axis], bool(align_corners), dt).reshape(shape)
    n = size[0]
    th = theta._data
    grid = np.matmul(base.reshape(1, -1, nd + 1), th.transpose(0, 2, 1))  # (N, ∏spatial, nd)
    return _wrap_result(grid.reshape((n,) + tuple(spatial) + (nd,)), AffineGridGeneratorBackward0, (theta,), base=base)
