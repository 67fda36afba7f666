"""torchvision.utils on ember: make_grid (a batch of images tiled into one) and save_image."""

from __future__ import annotations

import math

import numpy as np

import ember

from ._pil import pil_image

__all__ = ["make_grid", "save_image"]


def make_grid(tensor, nrow: int = 8, padding: int = 2, normalize: bool = False, value_range=None,
              scale_each: bool = False, pad_value: float = 0.0) -> ember.Tensor:
    """Tile a batch [B, C, H, W] (or a list of [C, H, W]) into one image [C, rows, cols] with `nrow` per row.

    Single-channel images become three channels; `normalize` maps [min, max] (or `value_range`) to [0, 1].
    """
    if not ember.is_tensor(tensor):
        if isinstance(tensor, list):
            for t in tensor:
                if not ember.is_tensor(t):
                    raise TypeError(f"tensor or list of tensors expected, got a list containing {type(t)}")
        else:
            raise TypeError(f"tensor or list of tensors expected, got {type(tensor)}")
    if isinstance(tensor, list):
        tensor = ember.stack(tensor, dim=0)
    if tensor.dim() == 2:
        tensor = tensor.unsqueeze(0)
    if tensor.dim() == 3:
        if tensor.size(0) == 1:
            tensor = ember.cat((tensor, tensor, tensor), 0)
        tensor = tensor.unsqueeze(0)
    if tensor.dim() == 4 and tensor.size(1) == 1:
        tensor = ember.cat((tensor, tensor, tensor), 1)
    if normalize is True:
        tensor = tensor.clone()
        if value_range is not None and not isinstance(value_range, tuple):
            raise TypeError("value_range has to be a tuple (min, max) if specified. min and max are numbers")

        def norm_range(t):
            low, high = value_range if value_range is not None else (float(t.min()), float(t.max()))
            t.clamp_(min=low, max=high)
            t.sub_(low).div_(max(high - low, 1e-5))

        for t in (tensor if scale_each is True else [tensor]):
            norm_range(t)
    if tensor.size(0) == 1:
        return tensor.squeeze(0)
    images = tensor.detach().numpy()
    nmaps = images.shape[0]
    xmaps = min(nrow, nmaps)
    ymaps = int(math.ceil(float(nmaps) / xmaps))
    height, width = int(images.shape[2] + padding), int(images.shape[3] + padding)
    grid = np.full((images.shape[1], height * ymaps + padding, width * xmaps + padding), pad_value,
                   dtype=images.dtype)
    for k in range(nmaps):
        y, x = divmod(k, xmaps)
        grid[:, y * height + padding:(y + 1) * height, x * width + padding:(x + 1) * width] = images[k]
    return ember.from_numpy(grid)


def save_image(tensor, fp, format=None, **kwargs) -> None:
    """make_grid(tensor, **kwargs), scaled to [0, 255] with rounding, written by Pillow to `fp`."""
    with ember.no_grad():
        grid = make_grid(tensor, **kwargs)
        ndarr = grid.mul(255).add_(0.5).clamp_(0, 255).permute(1, 2, 0).to("cpu", ember.uint8).numpy()
    pil_image().fromarray(ndarr).save(fp, format=format)
