"""torchvision.transforms.functional on ember: each function takes a PIL image or a tensor image [..., C, H, W].

PIL images are transformed by Pillow (as torchvision does: the same calls, so the same pixels). Tensor images are
transformed with ember's tensor ops where torchvision uses torch's, and with NumPy for the resampling kernels
(interpolation, grid sampling), written from the formulas torch's kernels implement.
"""

from __future__ import annotations

import math
import numbers
import sys
import warnings
from enum import Enum

import numpy as np

import ember

from .._pil import from_array, is_pil_image, pil_image

__all__ = ["InterpolationMode", "get_dimensions", "get_image_size", "get_image_num_channels", "to_tensor",
           "pil_to_tensor", "convert_image_dtype", "to_pil_image", "normalize", "resize", "pad", "crop",
           "center_crop", "resized_crop", "hflip", "vflip", "rotate", "adjust_brightness", "adjust_contrast",
           "adjust_saturation", "adjust_hue", "rgb_to_grayscale", "to_grayscale", "invert"]

Tensor = ember.Tensor


class InterpolationMode(Enum):
    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


_FROM_PIL_INT = {0: InterpolationMode.NEAREST, 2: InterpolationMode.BILINEAR, 3: InterpolationMode.BICUBIC,
                 4: InterpolationMode.BOX, 5: InterpolationMode.HAMMING, 1: InterpolationMode.LANCZOS}
pil_modes_mapping = {InterpolationMode.NEAREST: 0, InterpolationMode.BILINEAR: 2, InterpolationMode.BICUBIC: 3,
                     InterpolationMode.NEAREST_EXACT: 0, InterpolationMode.BOX: 4, InterpolationMode.HAMMING: 5,
                     InterpolationMode.LANCZOS: 1}


def _interpolation_modes_from_int(i: int) -> InterpolationMode:
    return _FROM_PIL_INT[i]


def _interpolation(interpolation) -> InterpolationMode:
    if isinstance(interpolation, int):
        return _interpolation_modes_from_int(interpolation)
    if not isinstance(interpolation, InterpolationMode):
        raise TypeError("Argument interpolation should be a InterpolationMode or a corresponding Pillow integer "
                        "constant")
    return interpolation


def _is_tensor(img) -> bool:
    return isinstance(img, Tensor)


def _check_tensor_image(img: Tensor) -> None:
    if img.ndim < 2:
        raise TypeError("Tensor is not a torch image.")


def _check_pil(img) -> None:
    if not is_pil_image(img):
        raise TypeError(f"img should be PIL Image. Got {type(img)}")


# ---------------------------------------------------------------- sizes
def get_dimensions(img) -> list[int]:
    """[channels, height, width]."""
    if _is_tensor(img):
        _check_tensor_image(img)
        return [1 if img.ndim == 2 else img.shape[-3], img.shape[-2], img.shape[-1]]
    if is_pil_image(img):
        return [len(img.getbands()), img.size[1], img.size[0]]
    raise TypeError(f"Unexpected type {type(img)}")


def get_image_size(img) -> list[int]:
    """[width, height]."""
    _, h, w = get_dimensions(img)
    return [w, h]


def get_image_num_channels(img) -> int:
    return get_dimensions(img)[0]


def _max_value(dtype) -> int:
    return {ember.uint8: 255, ember.int8: 127, ember.int16: 32767, ember.int32: 2147483647,
            ember.int64: 9223372036854775807}.get(dtype, 1)


# ---------------------------------------------------------------- conversions
def to_tensor(pic) -> Tensor:
    """PIL image or ndarray [H, W(, C)] -> tensor [C, H, W]; uint8 becomes the default float dtype in [0, 1]."""
    if not (is_pil_image(pic) or isinstance(pic, np.ndarray)):
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    if isinstance(pic, np.ndarray) and pic.ndim not in (2, 3):
        raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
    float_dtype = ember.get_default_dtype()
    if isinstance(pic, np.ndarray):
        array = pic[:, :, None] if pic.ndim == 2 else pic
        img = ember.from_numpy(np.ascontiguousarray(array.transpose((2, 0, 1))))
        return img.to(dtype=float_dtype).div(255) if img.dtype == ember.uint8 else img
    kinds = {"I": np.int32, "I;16" if sys.byteorder == "little" else "I;16B": np.int16, "F": np.float32}
    array = np.array(pic, kinds.get(pic.mode, np.uint8), copy=True)
    if pic.mode == "1":
        array = 255 * array
    array = array.reshape(pic.size[1], pic.size[0], len(pic.getbands()))
    img = ember.from_numpy(np.ascontiguousarray(array.transpose((2, 0, 1))))
    return img.to(dtype=float_dtype).div(255) if img.dtype == ember.uint8 else img


def pil_to_tensor(pic) -> Tensor:
    """PIL image -> tensor [C, H, W] of its own dtype (uint8 for 'L'/'RGB'), values unchanged."""
    if not is_pil_image(pic):
        raise TypeError(f"pic should be PIL Image. Got {type(pic)}")
    array = np.array(pic, copy=True).reshape(pic.size[1], pic.size[0], len(pic.getbands()))
    return ember.from_numpy(array).permute((2, 0, 1))


def convert_image_dtype(image: Tensor, dtype=ember.float32) -> Tensor:
    """Change the dtype and rescale: ints span [0, max of the dtype], floats [0, 1]."""
    if not _is_tensor(image):
        raise TypeError("Input img should be Tensor Image")
    if image.dtype == dtype:
        return image
    to_float = ember.tensor(0, dtype=dtype).is_floating_point()
    if image.is_floating_point():
        if to_float:
            return image.to(dtype)
        if (image.dtype == ember.float32 and dtype in (ember.int32, ember.int64)) or (
                image.dtype == ember.float64 and dtype == ember.int64):
            raise RuntimeError(f"The cast from {image.dtype} to {dtype} cannot be performed safely.")
        # max + 1 - eps spreads [0, 1] evenly over the integers (only 1.0 itself maps to max)
        return image.mul(float(_max_value(dtype)) + 1.0 - 1e-3).to(dtype)
    input_max = float(_max_value(image.dtype))
    if to_float:
        return image.to(dtype) / input_max
    output_max = float(_max_value(dtype))
    if input_max > output_max:
        factor = int((input_max + 1) // (output_max + 1))
        return ember.div(image, factor, rounding_mode="floor").to(dtype)
    factor = int((output_max + 1) // (input_max + 1))
    return image.to(dtype) * factor


def to_pil_image(pic, mode=None):
    """Tensor [C, H, W] or ndarray [H, W, C] -> PIL image; floats are scaled by 255 (mode from channels/dtype)."""
    if _is_tensor(pic):
        if pic.ndim == 3:
            pic = pic.permute((1, 2, 0))
        pic = pic.detach().numpy()
    elif not isinstance(pic, np.ndarray):
        raise TypeError(f"pic should be Tensor or ndarray. Got {type(pic)}.")
    if pic.ndim == 2:
        pic = np.expand_dims(pic, 2)
    if pic.ndim != 3:
        raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
    if pic.shape[-1] > 4:
        raise ValueError(f"pic should not have > 4 channels. Got {pic.shape[-1]} channels.")
    npimg = pic
    if np.issubdtype(npimg.dtype, np.floating) and mode != "F":
        npimg = (npimg * 255).astype(np.uint8)
    channels = npimg.shape[2]
    if channels == 1:
        npimg = npimg[:, :, 0]
        expected = {np.dtype(np.uint8): "L", np.dtype(np.int16): "I;16" if sys.byteorder == "little" else "I;16B",
                    np.dtype(np.int32): "I", np.dtype(np.float32): "F"}.get(npimg.dtype)
        if mode is not None and mode != expected:
            raise ValueError(f"Incorrect mode ({mode}) supplied for input type {np.dtype}. Should be {expected}")
        mode = expected
    else:
        permitted = {2: ["LA"], 3: ["RGB", "YCbCr", "HSV"], 4: ["RGBA", "CMYK", "RGBX"]}[channels]
        if mode is not None and mode not in permitted:
            what = "2D" if channels == 2 else f"{channels}D"
            raise ValueError(f"Only modes {permitted} are supported for {what} inputs")
        if mode is None and npimg.dtype == np.uint8:
            mode = permitted[0]
    if mode is None:
        raise TypeError(f"Input type {npimg.dtype} is not supported")
    return from_array(npimg, mode)


def normalize(tensor: Tensor, mean, std, inplace: bool = False) -> Tensor:
    """(tensor - mean[c]) / std[c] for each channel c of a float tensor image [..., C, H, W]."""
    if not _is_tensor(tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
    _check_tensor_image(tensor)
    if not tensor.is_floating_point():
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError("Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = "
                         f"{tensor.size()}")
    if not inplace:
        tensor = tensor.clone()
    mean = ember.as_tensor(mean, dtype=tensor.dtype)
    std = ember.as_tensor(std, dtype=tensor.dtype)
    if (std == 0).any():
        raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, leading to division by zero.")
    if mean.ndim == 1:
        mean = mean.view(-1, 1, 1)
    if std.ndim == 1:
        std = std.view(-1, 1, 1)
    return tensor.sub_(mean).div_(std)


# ---------------------------------------------------------------- geometry
def _resized_size(h: int, w: int, size, max_size=None) -> list[int]:
    """[new_h, new_w]: `size` = [h, w], or [s]: the shorter edge becomes s, the longer keeps the aspect ratio."""
    if len(size) == 2:
        return [size[0], size[1]]
    short, long = (w, h) if w <= h else (h, w)
    new_short = size[0]
    new_long = int(new_short * long / short)
    if max_size is not None:
        if max_size <= new_short:
            raise ValueError(f"max_size = {max_size} must be strictly greater than the requested size for the "
                             f"smaller edge size = {size}")
        if new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    return [new_h, new_w]


def resize(img, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
    """Resize to `size` ([h, w], or an int / [s] for the shorter edge)."""
    interpolation = _interpolation(interpolation)
    if isinstance(size, (list, tuple)):
        if len(size) not in (1, 2):
            raise ValueError(f"Size must be an int or a 1 or 2 element tuple/list, not a {len(size)} element "
                             f"tuple/list")
        if max_size is not None and len(size) != 1:
            raise ValueError("max_size should only be passed if size specifies the length of the smaller edge, "
                             "i.e. size should be an int or a sequence of length 1 in torchscript mode.")
    _, h, w = get_dimensions(img)
    output_size = _resized_size(h, w, [size] if isinstance(size, int) else list(size), max_size)
    if [h, w] == output_size:
        return img
    if not _is_tensor(img):
        if antialias is False:
            warnings.warn("Anti-alias option is always applied for PIL Image input. Argument antialias is ignored.",
                          stacklevel=2)
        return img.resize(tuple(output_size[::-1]), pil_modes_mapping[interpolation])
    return _resize_tensor(img, output_size, interpolation.value, bool(antialias))


def _axis_weights(in_size: int, out_size: int, mode: str, antialias: bool) -> np.ndarray:
    """[out, in] interpolation matrix along one axis (torch's upsample kernels, align_corners=False)."""
    scale = in_size / out_size
    weights = np.zeros((out_size, in_size), dtype=np.float64)
    rows = np.arange(out_size)
    if mode in ("nearest", "nearest-exact"):
        offset = 0.5 if mode == "nearest-exact" else 0.0
        src = np.floor((rows + offset).astype(np.float32) * np.float32(scale)).astype(np.int64)
        src = np.minimum(src, in_size - 1)
        weights[rows, src] = 1.0
        return weights
    if antialias:
        # PIL's separable resampling: when shrinking, the filter is stretched by `scale` so every input pixel
        # contributes; the taps falling outside the image are dropped and the rest renormalised
        stretch = max(scale, 1.0)
        support = (1.0 if mode == "bilinear" else 2.0) * stretch
        for i in range(out_size):
            center = scale * (i + 0.5)
            lo = max(int(center - support + 0.5), 0)
            hi = min(int(center + support + 0.5), in_size)
            taps = (np.arange(lo, hi) - center + 0.5) / stretch
            wts = _filter(taps, mode)
            total = wts.sum()
            weights[i, lo:hi] = wts / total if total != 0 else wts
        return weights
    src = np.maximum((rows + 0.5) * scale - 0.5, 0.0 if mode == "bilinear" else -np.inf)
    if mode == "bilinear":
        i0 = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
        i1 = np.minimum(i0 + 1, in_size - 1)
        lam = src - i0
        np.add.at(weights, (rows, i0), 1.0 - lam)
        np.add.at(weights, (rows, i1), lam)
        return weights
    # bicubic (a = -0.75, torch's upsample_bicubic2d), borders clamped
    i0 = np.floor(src).astype(np.int64)
    t = src - i0
    for k in range(-1, 3):
        idx = np.clip(i0 + k, 0, in_size - 1)
        np.add.at(weights, (rows, idx), _cubic(np.abs(t - k), -0.75))
    return weights


def _filter(x: np.ndarray, mode: str) -> np.ndarray:
    if mode == "bilinear":
        return np.maximum(1.0 - np.abs(x), 0.0)
    return _cubic(np.abs(x), -0.5)


def _cubic(x: np.ndarray, a: float) -> np.ndarray:
    """Keys' cubic convolution kernel with parameter `a`, at |x|."""
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return np.where(x < 1, near, np.where(x < 2, far, 0.0))


def _resize_tensor(img: Tensor, size, mode: str, antialias: bool) -> Tensor:
    if mode not in ("nearest", "nearest-exact", "bilinear", "bicubic"):
        raise ValueError(f"Interpolation mode '{mode}' is unsupported with Tensor input")
    array = img.detach().numpy()
    work = array if array.dtype in (np.float32, np.float64) else array.astype(np.float32)
    antialias = antialias and mode in ("bilinear", "bicubic")
    rows = _axis_weights(work.shape[-2], size[0], mode, antialias).astype(work.dtype)
    cols = _axis_weights(work.shape[-1], size[1], mode, antialias).astype(work.dtype)
    out = np.matmul(np.matmul(rows, work), cols.T)
    if array.dtype != work.dtype:
        if mode == "bicubic" and array.dtype == np.uint8:
            out = np.clip(out, 0, 255)
        out = np.round(out) if np.issubdtype(array.dtype, np.integer) else out
        out = out.astype(array.dtype)
    return ember.from_numpy(np.ascontiguousarray(out))


def _parse_padding(padding) -> list[int]:
    """int / [p] / [lr, tb] / [l, t, r, b] -> [left, top, right, bottom]."""
    if isinstance(padding, numbers.Number):
        return [int(padding)] * 4
    padding = list(padding)
    if len(padding) == 1:
        return padding * 4
    if len(padding) == 2:
        return [padding[0], padding[1], padding[0], padding[1]]
    return padding


def pad(img, padding, fill=0, padding_mode: str = "constant"):
    """Pad the borders: `padding` int / [lr, tb] / [l, t, r, b]; modes constant, edge, reflect, symmetric."""
    if not isinstance(padding, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if fill is not None and not isinstance(fill, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate fill arg")
    if not isinstance(padding_mode, str):
        raise TypeError("Got inappropriate padding_mode arg")
    if isinstance(padding, (tuple, list)) and len(padding) not in (1, 2, 4):
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(padding)} element "
                         f"tuple")
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    left, top, right, bottom = _parse_padding(padding)
    if _is_tensor(img):
        _check_tensor_image(img)
        if fill is not None and not isinstance(fill, (int, float)):
            raise TypeError("Got inappropriate fill arg")
        return _pad_array(img, left, top, right, bottom, 0 if fill is None else fill, padding_mode)
    _check_pil(img)
    if padding_mode == "constant":
        from PIL import ImageOps
        border = padding if isinstance(padding, numbers.Number) else (left, top, right, bottom)
        opts = _parse_fill(fill, img, name="fill")
        palette = img.getpalette() if img.mode == "P" else None
        out = ImageOps.expand(img, border=border, **opts)
        if palette is not None:
            out.putpalette(palette)
        return out
    # negative padding crops first, as torchvision does
    crop_l, crop_t, crop_r, crop_b = (max(-p, 0) for p in (left, top, right, bottom))
    if crop_l or crop_t or crop_r or crop_b:
        img = img.crop((crop_l, crop_t, img.width - crop_r, img.height - crop_b))
    left, top, right, bottom = (max(p, 0) for p in (left, top, right, bottom))
    palette = img.getpalette() if img.mode == "P" else None
    array = np.asarray(img)
    widths = ((top, bottom), (left, right)) + (((0, 0),) if array.ndim == 3 else ())
    out = pil_image().fromarray(np.pad(array, widths, mode=padding_mode))
    if palette is not None:
        out.putpalette(palette)
    return out


def _pad_array(img: Tensor, left, top, right, bottom, fill, mode) -> Tensor:
    array = img.detach().numpy()
    if min(left, top, right, bottom) < 0:
        h, w = array.shape[-2:]
        array = array[..., max(-top, 0): h - max(-bottom, 0), max(-left, 0): w - max(-right, 0)]
        left, top, right, bottom = (max(p, 0) for p in (left, top, right, bottom))
    widths = [(0, 0)] * (array.ndim - 2) + [(top, bottom), (left, right)]
    if mode == "constant":
        out = np.pad(array, widths, mode="constant", constant_values=np.array(fill).astype(array.dtype))
    else:
        out = np.pad(array, widths, mode=mode)
    return ember.from_numpy(np.ascontiguousarray(out))


def _parse_fill(fill, img, name: str = "fillcolor") -> dict:
    """Pillow's fill argument for `img`: one value per band (ints unless the image is 'F')."""
    channels = len(img.getbands())
    fill = 0 if fill is None else fill
    if isinstance(fill, (int, float)) and channels > 1:
        fill = tuple([fill] * channels)
    if isinstance(fill, (list, tuple)):
        if len(fill) == 1:
            fill = tuple(fill) * channels
        elif len(fill) != channels:
            raise ValueError("The number of elements in 'fill' does not match the number of channels of the image "
                             f"({len(fill)} != {channels})")
        fill = tuple(fill)
    if img.mode != "F":
        fill = tuple(int(x) for x in fill) if isinstance(fill, tuple) else int(fill)
    return {name: fill}


def crop(img, top: int, left: int, height: int, width: int):
    """The box [top, top + height) x [left, left + width); outside the image is zero."""
    if not _is_tensor(img):
        _check_pil(img)
        return img.crop((left, top, left + width, top + height))
    _check_tensor_image(img)
    _, h, w = get_dimensions(img)
    right, bottom = left + width, top + height
    if left < 0 or top < 0 or right > w or bottom > h:
        padding = [max(-left + min(0, right), 0), max(-top + min(0, bottom), 0),
                   max(right - max(w, left), 0), max(bottom - max(h, top), 0)]
        return pad(img[..., max(top, 0): bottom, max(left, 0): right], padding, fill=0)
    return img[..., top:bottom, left:right]


def center_crop(img, output_size):
    """The central (h, w) box, padding with zeros where the image is smaller."""
    if isinstance(output_size, numbers.Number):
        output_size = (int(output_size), int(output_size))
    elif isinstance(output_size, (tuple, list)) and len(output_size) == 1:
        output_size = (output_size[0], output_size[0])
    _, h, w = get_dimensions(img)
    ch, cw = output_size
    if cw > w or ch > h:
        padding = [(cw - w) // 2 if cw > w else 0, (ch - h) // 2 if ch > h else 0,
                   (cw - w + 1) // 2 if cw > w else 0, (ch - h + 1) // 2 if ch > h else 0]
        img = pad(img, padding, fill=0)
        _, h, w = get_dimensions(img)
        if cw == w and ch == h:
            return img
    return crop(img, int(round((h - ch) / 2.0)), int(round((w - cw) / 2.0)), ch, cw)


def resized_crop(img, top, left, height, width, size, interpolation=InterpolationMode.BILINEAR, antialias=True):
    return resize(crop(img, top, left, height, width), size, interpolation, antialias=antialias)


def hflip(img):
    """Mirror left-right."""
    if _is_tensor(img):
        _check_tensor_image(img)
        return img.flip(-1)
    _check_pil(img)
    return img.transpose(pil_image().FLIP_LEFT_RIGHT)


def vflip(img):
    """Mirror top-bottom."""
    if _is_tensor(img):
        _check_tensor_image(img)
        return img.flip(-2)
    _check_pil(img)
    return img.transpose(pil_image().FLIP_TOP_BOTTOM)


def _inverse_affine_matrix(center, angle, translate, scale, shear) -> list[float]:
    """The 2x3 matrix mapping output pixels to input pixels of rotate(angle)/scale/shear about `center`."""
    rot, sx, sy = math.radians(angle), math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    m = [x / scale for x in (d, -b, 0.0, -c, a, 0.0)]
    m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty) + cx
    m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty) + cy
    return m


def rotate(img, angle: float, interpolation=InterpolationMode.NEAREST, expand: bool = False, center=None,
           fill=None):
    """Rotate counter-clockwise by `angle` degrees about `center` (default: the image centre)."""
    interpolation = _interpolation(interpolation)
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if center is not None and not isinstance(center, (list, tuple)):
        raise TypeError("Argument center should be a sequence")
    if not _is_tensor(img):
        _check_pil(img)
        return img.rotate(angle, pil_modes_mapping[interpolation], expand, center, **_parse_fill(fill, img))
    mode = interpolation.value
    if mode not in ("nearest", "bilinear"):
        raise ValueError(f"Interpolation mode '{mode}' is unsupported with Tensor input")
    _, h, w = get_dimensions(img)
    center_f = [0.0, 0.0] if center is None else [c - s * 0.5 for c, s in zip(center, (w, h))]
    matrix = _inverse_affine_matrix(center_f, -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
    ow, oh = _affine_output_size(matrix, w, h) if expand else (w, h)
    return _grid_transform(img, matrix, ow, oh, mode, fill)


def _affine_output_size(matrix, w: int, h: int) -> tuple[int, int]:
    corners = np.array([[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0], [0.5 * w, 0.5 * h, 1.0],
                        [0.5 * w, -0.5 * h, 1.0]], dtype=np.float32)
    moved = corners @ np.array(matrix, dtype=np.float32).reshape(2, 3).T
    lo = moved.min(axis=0) + np.array([w * 0.5, h * 0.5], dtype=np.float32)
    hi = moved.max(axis=0) + np.array([w * 0.5, h * 0.5], dtype=np.float32)
    tol = np.float32(1e-4)  # truncate to 1e-4 so that 1e-15 above an integer does not round up
    size = np.ceil(np.trunc(hi / tol) * tol) - np.floor(np.trunc(lo / tol) * tol)
    return int(size[0]), int(size[1])


def _grid_transform(img: Tensor, matrix, ow: int, oh: int, mode: str, fill) -> Tensor:
    """Sample `img` at matrix @ (x, y, 1) for each output pixel (torch's grid_sample, zeros outside, then fill)."""
    array = img.detach().numpy()
    dtype = array.dtype if array.dtype in (np.float32, np.float64) else np.float32
    work = array.astype(dtype, copy=False).reshape((-1,) + array.shape[-3:] if array.ndim >= 3 else
                                                   (1, 1) + array.shape)
    n, c, h, w = work.shape
    theta = np.array(matrix, dtype=dtype).reshape(2, 3)
    xs = np.linspace(-ow * 0.5 + 0.5, ow * 0.5 - 0.5, ow, dtype=dtype)
    ys = np.linspace(-oh * 0.5 + 0.5, oh * 0.5 - 0.5, oh, dtype=dtype)
    base = np.stack(np.broadcast_arrays(xs[None, :], ys[:, None], np.ones((1, 1), dtype)), axis=-1)
    grid = base.reshape(-1, 3) @ (theta.T / np.array([0.5 * w, 0.5 * h], dtype=dtype))
    # grid in [-1, 1] (align_corners=False) -> input pixel coordinates
    px = ((grid[:, 0] + 1) * w - 1) / 2
    py = ((grid[:, 1] + 1) * h - 1) / 2
    mask = np.ones((n, 1, h, w), dtype=dtype)
    stacked = np.concatenate([work, mask], axis=1) if fill is not None else work
    out = _sample(stacked, px, py, mode).reshape(n, -1, oh, ow)
    if fill is not None:
        out, mask = out[:, :-1], out[:, -1:]
        fills = np.array(fill if isinstance(fill, (list, tuple)) else [float(fill)], dtype=dtype).reshape(1, -1, 1, 1)
        fills = np.broadcast_to(fills, out.shape)
        if mode == "nearest":
            out = np.where(np.broadcast_to(mask < 0.5, out.shape), fills, out)
        else:
            out = out * mask + (1.0 - mask) * fills
    out = out.reshape(array.shape[:-2] + (oh, ow))
    if out.dtype != array.dtype:
        out = np.round(out).astype(array.dtype) if np.issubdtype(array.dtype, np.integer) else out.astype(array.dtype)
    return ember.from_numpy(np.ascontiguousarray(out))


def _sample(images: np.ndarray, px: np.ndarray, py: np.ndarray, mode: str) -> np.ndarray:
    """images [N, C, H, W] at the points (px, py): nearest (ties to even) or bilinear, zeros outside."""
    n, c, h, w = images.shape
    if mode == "nearest":
        ix, iy = np.rint(px).astype(np.int64), np.rint(py).astype(np.int64)
        inside = (ix >= 0) & (ix < w) & (iy >= 0) & (iy < h)
        out = images[:, :, np.clip(iy, 0, h - 1), np.clip(ix, 0, w - 1)]
        return np.where(inside, out, 0).astype(images.dtype)
    x0, y0 = np.floor(px), np.floor(py)
    out = np.zeros((n, c, px.size), dtype=images.dtype)
    for dx in (0, 1):
        for dy in (0, 1):
            xi, yi = x0 + dx, y0 + dy
            wt = (1 - np.abs(px - xi)) * (1 - np.abs(py - yi))
            inside = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
            xi = np.clip(xi, 0, w - 1).astype(np.int64)
            yi = np.clip(yi, 0, h - 1).astype(np.int64)
            out += np.where(inside, images[:, :, yi, xi] * wt.astype(images.dtype), 0)
    return out


# ---------------------------------------------------------------- colour
def rgb_to_grayscale(img, num_output_channels: int = 1):
    """L = 0.2989 R + 0.587 G + 0.114 B, repeated to 3 channels if asked."""
    if not _is_tensor(img):
        return to_grayscale(img, num_output_channels)
    if img.ndim < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found {img.ndim}")
    _check_channels(img, [1, 3])
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    if img.shape[-3] == 3:
        r, g, b = img.unbind(dim=-3)
        gray = (0.2989 * r + 0.587 * g + 0.114 * b).to(img.dtype).unsqueeze(dim=-3)
    else:
        gray = img.clone()
    return gray.expand(img.shape) if num_output_channels == 3 else gray


def to_grayscale(img, num_output_channels: int = 1):
    """A PIL image converted to 'L' (or 'RGB' with three equal bands)."""
    _check_pil(img)
    if num_output_channels == 1:
        return img.convert("L")
    if num_output_channels == 3:
        gray = np.array(img.convert("L"), dtype=np.uint8)
        return from_array(np.dstack([gray, gray, gray]), "RGB")
    raise ValueError("num_output_channels should be either 1 or 3")


def _check_channels(img: Tensor, permitted) -> None:
    c = get_dimensions(img)[0]
    if c not in permitted:
        raise TypeError(f"Input image tensor permitted channel values are {permitted}, but found {c}")


def _blend(img1: Tensor, img2: Tensor, ratio: float) -> Tensor:
    ratio = float(ratio)
    return (ratio * img1 + (1.0 - ratio) * img2).clamp(0, _max_value(img1.dtype)).to(img1.dtype)


def _enhance(img, name: str, factor: float):
    from PIL import ImageEnhance
    return getattr(ImageEnhance, name)(img).enhance(factor)


def adjust_brightness(img, brightness_factor: float):
    """Blend with black: factor 0 gives black, 1 the image."""
    if not _is_tensor(img):
        _check_pil(img)
        return _enhance(img, "Brightness", brightness_factor)
    if brightness_factor < 0:
        raise ValueError(f"brightness_factor ({brightness_factor}) is not non-negative.")
    _check_tensor_image(img)
    _check_channels(img, [1, 3])
    return _blend(img, ember.zeros_like(img), brightness_factor)


def adjust_contrast(img, contrast_factor: float):
    """Blend with the mean grey level: factor 0 gives flat grey, 1 the image."""
    if not _is_tensor(img):
        _check_pil(img)
        return _enhance(img, "Contrast", contrast_factor)
    if contrast_factor < 0:
        raise ValueError(f"contrast_factor ({contrast_factor}) is not non-negative.")
    _check_tensor_image(img)
    _check_channels(img, [3, 1])
    dtype = img.dtype if img.is_floating_point() else ember.float32
    gray = rgb_to_grayscale(img) if get_dimensions(img)[0] == 3 else img
    mean = ember.mean(gray.to(dtype), dim=(-3, -2, -1), keepdim=True)
    return _blend(img, mean, contrast_factor)


def adjust_saturation(img, saturation_factor: float):
    """Blend with the grey image: factor 0 gives grey, 1 the image."""
    if not _is_tensor(img):
        _check_pil(img)
        return _enhance(img, "Color", saturation_factor)
    if saturation_factor < 0:
        raise ValueError(f"saturation_factor ({saturation_factor}) is not non-negative.")
    _check_tensor_image(img)
    _check_channels(img, [1, 3])
    if get_dimensions(img)[0] == 1:
        return img
    return _blend(img, rgb_to_grayscale(img), saturation_factor)


def adjust_hue(img, hue_factor: float):
    """Shift the hue (in HSV) by `hue_factor` of a full turn, in [-0.5, 0.5]."""
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    if not _is_tensor(img):
        _check_pil(img)
        if img.mode in {"L", "1", "I", "F"}:
            return img
        h, s, v = img.convert("HSV").split()
        hue = np.array(h, dtype=np.uint8)
        hue += np.int32(hue_factor * 255).astype(np.uint8)  # wraps around, as a hue should
        return pil_image().merge("HSV", (from_array(hue, "L"), s, v)).convert(img.mode)
    _check_tensor_image(img)
    _check_channels(img, [1, 3])
    if get_dimensions(img)[0] == 1:
        return img
    original = img.dtype
    hsv = _rgb_to_hsv(convert_image_dtype(img, ember.float32).detach().numpy())
    hsv[..., 0, :, :] = np.mod(hsv[..., 0, :, :] + np.float32(hue_factor), np.float32(1.0))
    return convert_image_dtype(ember.from_numpy(_hsv_to_rgb(hsv)), original)


def _rgb_to_hsv(rgb: np.ndarray) -> np.ndarray:
    r, g, b = rgb[..., 0, :, :], rgb[..., 1, :, :], rgb[..., 2, :, :]
    maxc, minc = rgb.max(axis=-3), rgb.min(axis=-3)
    equal = maxc == minc
    span = maxc - minc
    s = span / np.where(equal, 1, maxc)
    span_safe = np.where(equal, 1, span)
    rc, gc, bc = (maxc - r) / span_safe, (maxc - g) / span_safe, (maxc - b) / span_safe
    h = np.where(maxc == r, bc - gc, 0) + np.where((maxc == g) & (maxc != r), 2.0 + rc - bc, 0) \
        + np.where((maxc != g) & (maxc != r), 4.0 + gc - rc, 0)
    h = np.fmod(h / 6.0 + 1.0, 1.0)
    return np.stack((h, s, maxc), axis=-3).astype(rgb.dtype)


def _hsv_to_rgb(hsv: np.ndarray) -> np.ndarray:
    h, s, v = hsv[..., 0, :, :], hsv[..., 1, :, :], hsv[..., 2, :, :]
    i = np.floor(h * 6.0)
    f = h * 6.0 - i
    i = i.astype(np.int32) % 6
    p = np.clip(v * (1.0 - s), 0.0, 1.0)
    q = np.clip(v * (1.0 - s * f), 0.0, 1.0)
    t = np.clip(v * (1.0 - s * (1.0 - f)), 0.0, 1.0)
    table = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)]
    out = np.zeros_like(hsv)
    for k, (rr, gg, bb) in enumerate(table):
        sel = i == k
        out[..., 0, :, :] += np.where(sel, rr, 0)
        out[..., 1, :, :] += np.where(sel, gg, 0)
        out[..., 2, :, :] += np.where(sel, bb, 0)
    return out


def invert(img):
    """max - img (255 - x for uint8, 1 - x for floats)."""
    if not _is_tensor(img):
        _check_pil(img)
        from PIL import ImageOps
        return ImageOps.invert(img)
    _check_tensor_image(img)
    _check_channels(img, [1, 3])
    return _max_value(img.dtype) - img if not img.is_floating_point() else 1.0 - img
