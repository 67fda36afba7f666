"""``torch.version``: facts about this build of ember (the package version is defined here, once)."""

__all__ = ["__version__", "cuda", "hip", "git_version", "debug", "TorchVersion"]

# the PyTorch API release ember implements, then ember's own release after the "+": programs that compare
# torch.__version__ with "2.0" keep working, and pip, the package metadata and this string all agree
import re as _re
from collections.abc import Iterable as _Iterable

# PEP 440's version, kept as text: re compiles it on the first comparison (and caches it), not at import
_VERSION = (
    r"^\s*v?(\d+(?:\.\d+)*)"                                         # release
    r"(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?"          # pre-release
    r"(?:-(\d+)|[-_.]?(?:post|rev|r)[-_.]?(\d*))?"                     # post-release
    r"(?:[-_.]?dev[-_.]?(\d*))?"                                        # development release
    r"(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$")                    # local label
_PRE = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}


def _version_key(text: str):
    """PEP 440's order as a tuple (as packaging's Version sorts): dev < pre-release < release < post-release, a
    local label after the same public version; None for text that is not a version"""
    m = _re.match(_VERSION, text, _re.IGNORECASE)
    if m is None:
        return None
    release, pre_l, pre_n, post_a, post_b, dev, local = m.groups()
    nums = [int(x) for x in release.split(".")]
    while len(nums) > 1 and nums[-1] == 0:
        nums.pop()
    post = post_a if post_a is not None else post_b
    dev_n = dev is not None
    if pre_l is not None:
        pre = (1, _PRE[pre_l.lower()], int(pre_n or 0))
    elif post is None and dev_n:
        pre = (0, 0, 0)  # a bare .devN sorts before every pre-release of its release
    else:
        pre = (2, 0, 0)
    post_key = (0, 0) if post is None else (1, int(post or 0))
    dev_key = (1, 0) if not dev_n else (0, int(dev or 0))
    local_key = () if local is None else tuple((1, int(x), "") if x.isdigit() else (0, 0, x.lower())
                                               for x in _re.split(r"[-_.]", local))
    return (tuple(nums), pre, post_key, dev_key, (local is not None, local_key))


class TorchVersion(str):
    """``torch.__version__``: a str that compares as a version with strings and tuples (``"2.13.0" >= "2.9"``,
    ``>= (2, 0)``), as PyTorch's TorchVersion; what is not a version compares as a plain string."""

    def _cmp(self, other, method: str):
        if isinstance(other, str):
            theirs = _version_key(other)
        elif isinstance(other, _Iterable):
            theirs = _version_key(".".join(str(item) for item in other))
        else:
            theirs = None
        mine = _version_key(self)
        if mine is None or theirs is None:
            return getattr(str, method)(self, other)
        return getattr(mine, method)(theirs)

    def __gt__(self, other):
        return self._cmp(other, "__gt__")

    def __ge__(self, other):
        return self._cmp(other, "__ge__")

    def __lt__(self, other):
        return self._cmp(other, "__lt__")

    def __le__(self, other):
        return self._cmp(other, "__le__")

    def __eq__(self, other):
        return self._cmp(other, "__eq__")

    def __ne__(self, other):
        return self._cmp(other, "__ne__")

    __hash__ = str.__hash__


TorchVersion.__module__ = "torch.torch_version"  # type(torch.__version__) prints as PyTorch's

__version__ = TorchVersion("2.13.0+ember.2")
cuda = None      # no CUDA build: ember computes on the CPU with NumPy
hip = None
git_version = "unknown"  # an installed package does not know its commit
debug = False
