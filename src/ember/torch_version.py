"""``torch.torch_version``: ``TorchVersion``, the class of ``torch.__version__`` (a str that compares as a version)."""

from .version import TorchVersion, __version__

__all__ = ["TorchVersion", "__version__"]
