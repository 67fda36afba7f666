"""``torch.special``: the special functions, under their SciPy-style names.

Only PyTorch's names are bound here (the op families are reached as modules, so nothing else leaks into the
namespace: no ``special.lgamma``, ``special.sigmoid``)."""

from __future__ import annotations

from ._array import np
from ._core.tensor import Tensor as _Tensor
from ._core.tensor import _wrap
from .kernels import polynomials as _P
from .ops import binary as _binary
from .ops import reduce as _reduce
from .ops import special as _special
from .ops import unary as _unary
from .ops.binary import _float_pair
from .ops.out import with_out as _with_out
from .ops.softmax import log_softmax

__all__ = ["expit", "erf", "erfc", "erfinv", "erfcx", "logit", "xlogy", "xlog1py", "logsumexp", "softmax",
           "log_softmax", "expm1", "log1p", "exp2", "gammaln", "digamma", "psi", "polygamma", "multigammaln",
           "i0", "i0e", "i1", "i1e", "ndtr", "ndtri", "log_ndtr", "entr", "sinc", "round", "gammainc",
           "gammaincc", "zeta", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "modified_bessel_i0",
           "modified_bessel_i1", "modified_bessel_k0", "modified_bessel_k1", "scaled_modified_bessel_k0",
           "scaled_modified_bessel_k1", "spherical_bessel_j0"]

erf = _unary.erf
erfc = _special.erfc
erfinv = _special.erfinv
erfcx = _special.special_erfcx
ndtr = _special.special_ndtr
ndtri = _special.special_ndtri
log_ndtr = _special.special_log_ndtr
expit = _unary.sigmoid
logit = _unary.logit
exp2 = _unary.exp2
expm1 = _unary.expm1
log1p = _unary.log1p
xlogy = _binary.xlogy
xlog1py = _special.special_xlog1py
entr = _special.special_entr
sinc = _special.sinc
round = _special.special_round  # noqa: A001  (PyTorch's name)
gammaln = _special.lgamma
digamma = psi = _special.digamma
polygamma = _special.polygamma
multigammaln = _special.special_multigammaln
gammainc = _special.special_gammainc
gammaincc = _special.special_gammaincc
zeta = _special.special_zeta
i0 = _special.i0
i0e = _special.special_i0e
i1 = _special.special_i1
i1e = _special.special_i1e
logsumexp = _reduce.logsumexp
softmax = _special.special_softmax
bessel_j0 = _special.special_bessel_j0
bessel_j1 = _special.special_bessel_j1
bessel_y0 = _special.special_bessel_y0
bessel_y1 = _special.special_bessel_y1
modified_bessel_i0 = _special.special_modified_bessel_i0
modified_bessel_i1 = _special.special_modified_bessel_i1
modified_bessel_k0 = _special.special_modified_bessel_k0
modified_bessel_k1 = _special.special_modified_bessel_k1
scaled_modified_bessel_k0 = _special.special_scaled_modified_bessel_k0
scaled_modified_bessel_k1 = _special.special_scaled_modified_bessel_k1
spherical_bessel_j0 = _special.special_spherical_bessel_j0


# -- the orthogonal polynomials and Ai: values only (PyTorch gives them no derivative) -------------------------

def _polynomial(name: str, kernel, doc: str):

    def fn(input, n):
        x_t, n_t = isinstance(input, _Tensor), isinstance(n, _Tensor)
        if not x_t and not n_t or (not x_t and not isinstance(input, (int, float, bool))) or \
                (not n_t and not isinstance(n, (int, float, bool))):
            raise TypeError(
                f"special_{name}() received an invalid combination of arguments - got ({type(input).__name__}, "
                f"{type(n).__name__}), but expected one of:\n * (Tensor x, Tensor n, *, Tensor out = None)\n"
                " * (Number x, Tensor n, *, Tensor out = None)\n * (Tensor x, Number n, *, Tensor out = None)\n")
        if x_t:
            xd, nd = _float_pair(input, n)
        else:
            nd, xd = _float_pair(n, input)
        xd = np.asarray(xd, dtype=np.result_type(xd, nd))
        nd = np.asarray(nd, dtype=xd.dtype)
        return _wrap(np.asarray(kernel(xd, nd)))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return _with_out(fn, name)


def _install_polynomials():
    table = {
        "chebyshev_polynomial_t": (_P.chebyshev_t, "T_n(x), the Chebyshev polynomial of the first kind"),
        "chebyshev_polynomial_u": (_P.chebyshev_u, "U_n(x), the Chebyshev polynomial of the second kind"),
        "chebyshev_polynomial_v": (_P.chebyshev_v, "V_n(x), the Chebyshev polynomial of the third kind"),
        "chebyshev_polynomial_w": (_P.chebyshev_w, "W_n(x), the Chebyshev polynomial of the fourth kind"),
        "shifted_chebyshev_polynomial_t": (_P.shifted_chebyshev_t, "T*_n(x) = T_n(2x - 1)"),
        "shifted_chebyshev_polynomial_u": (_P.shifted_chebyshev_u, "U*_n(x) = U_n(2x - 1)"),
        "shifted_chebyshev_polynomial_v": (_P.shifted_chebyshev_v, "V*_n(x) = V_n(2x - 1)"),
        "shifted_chebyshev_polynomial_w": (_P.shifted_chebyshev_w, "W*_n(x) = W_n(2x - 1)"),
        "hermite_polynomial_h": (_P.hermite_h, "H_n(x), the physicists' Hermite polynomial"),
        "hermite_polynomial_he": (_P.hermite_he, "He_n(x), the probabilists' Hermite polynomial"),
        "laguerre_polynomial_l": (_P.laguerre_l, "L_n(x), the Laguerre polynomial"),
        "legendre_polynomial_p": (_P.legendre_p, "P_n(x), the Legendre polynomial"),
    }
    for name, (kernel, doc) in table.items():
        globals()[name] = _polynomial(name, kernel, doc + " of integer degree n (a float n is truncated; "
                                      "n < 0 gives 0); not differentiable, as in PyTorch.")
        __all__.append(name)


def airy_ai(input):
    """Ai(x), the Airy function of the first kind (not differentiable, as in PyTorch)."""
    from .kernels.airy import airy_ai as _airy
    return _special._values_only(input, _airy)


def _install_airy():
    globals()["airy_ai"] = _with_out(airy_ai, "airy_ai")
    __all__.append("airy_ai")


_install_polynomials()
_install_airy()
