"""``torch.utils.data.datapipes``: composable iterable (``iter``) and map-style (``map``) data pipes."""

from . import _decorator, datapipe, iter, map  # noqa: F401  (iter and map as PyTorch names them)
