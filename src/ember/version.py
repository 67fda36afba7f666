"""``torch.version``: facts about this build of ember (the package version is defined here, once)."""

__all__ = ["__version__", "cuda", "hip", "git_version", "debug"]

# the PyTorch API release ember implements, then ember's own release after the "+": programs that compare
# torch.__version__ with "2.0" keep working, and pip, the package metadata and this string all agree
__version__ = "2.13.0+ember.2"
cuda = None      # no CUDA build: ember computes on the CPU with NumPy
hip = None
git_version = "unknown"  # an installed package does not know its commit
debug = False
