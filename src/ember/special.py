"""``torch.special``: the special functions, under their SciPy-style names.

Only PyTorch's names are bound here (the op families are reached as modules, so nothing else leaks into the
namespace: no ``special.lgamma``, ``special.sigmoid``)."""

from __future__ import annotations

from .ops import binary as _binary
from .ops import reduce as _reduce
from .ops import special as _special
from .ops import unary as _unary
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
