"""Named tuples returned by ``max(dim)``, ``sort``, ``topk`` ... (``values``, ``indices``), printed as PyTorch's."""

from __future__ import annotations

from collections import namedtuple


def _make(name: str):
    def _repr(self):
        return f"torch.return_types.{name}(\nvalues={self.values!r},\nindices={self.indices!r})"
    cls = namedtuple(name, ["values", "indices"])  # the name is only known at run time
    cls.__repr__ = _repr
    cls.__str__ = _repr
    cls.__module__ = "torch.return_types"
    return cls


max = _make("max")
min = _make("min")
sort = _make("sort")
topk = _make("topk")
kthvalue = _make("kthvalue")
median = _make("median")
mode = _make("mode")
cummax = _make("cummax")
cummin = _make("cummin")
_BY_NAME = {"max": max, "min": min, "kthvalue": kthvalue, "median": median, "mode": mode, "cummax": cummax,
            "cummin": cummin}


def minmax_result(values, indices, name: str):
    return _BY_NAME[name](values, indices)


def sort_result(values, indices):
    return sort(values, indices)


def topk_result(values, indices):
    return topk(values, indices)
