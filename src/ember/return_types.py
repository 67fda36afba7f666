"""Named tuples returned by ``max(dim)``, ``sort``, ``topk`` ... (``values``, ``indices``), printed as PyTorch's."""

from __future__ import annotations

from collections import namedtuple

__all__ = ["cummax", "cummin", "kthvalue", "max", "median", "min", "minmax_result", "mode", "nanmedian", "sort",
           "sort_result", "topk", "topk_result"]



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
nanmedian = _make("nanmedian")
mode = _make("mode")
cummax = _make("cummax")
cummin = _make("cummin")
_BY_NAME = {"max": max, "min": min, "kthvalue": kthvalue, "median": median, "nanmedian": nanmedian, "mode": mode,
            "cummax": cummax, "cummin": cummin}


def minmax_result(values, indices, name: str):
    return _BY_NAME[name](values, indices)


def sort_result(values, indices):
    return sort(values, indices)


def topk_result(values, indices):
    return topk(values, indices)


def _named(name, fields):
    cls = namedtuple(name, fields)

    def _repr(self):
        body = ",\n".join(f"{f}={getattr(self, f)!r}" for f in fields)
        return f"torch.return_types.{name}(\n{body})"
    cls.__repr__ = cls.__str__ = _repr
    cls.__module__ = "torch.return_types"
    return cls


_svd_result = _named("linalg_svd", ["U", "S", "Vh"])


_torch_svd_result = _named("svd", ["U", "S", "V"])


_qr_result = _named("linalg_qr", ["Q", "R"])


_torch_qr_result = _named("qr", ["Q", "R"])


_eigh_result = _named("linalg_eigh", ["eigenvalues", "eigenvectors"])


_eig_result = _named("linalg_eig", ["eigenvalues", "eigenvectors"])


_slogdet_result = _named("linalg_slogdet", ["sign", "logabsdet"])


_lstsq_result = _named("linalg_lstsq", ["solution", "residuals", "rank", "singular_values"])


_frexp_result = _named("frexp", ["mantissa", "exponent"])


_aminmax_result = _named("aminmax", ["min", "max"])


_histogram_result = _named("histogram", ["hist", "bin_edges"])


_histogramdd_result = _named("histogramdd", ["hist", "bin_edges"])


_geqrf_result = _named("geqrf", ["a", "tau"])


_inv_ex_result = _named("linalg_inv_ex", ["inverse", "info"])
_solve_ex_result = _named("linalg_solve_ex", ["result", "info"])
_ldl_factor_ex_result = _named("linalg_ldl_factor_ex", ["LD", "pivots", "info"])
_ldl_factor_result = _named("linalg_ldl_factor", ["LD", "pivots"])


_cholesky_ex_result = _named("linalg_cholesky_ex", ["L", "info"])
