"""``torch.special``: the special functions, under their SciPy-style names."""

from __future__ import annotations

from .ops.binary import xlogy
from .ops.reduce import logsumexp
from .ops.softmax import log_softmax
from .ops.special import (
    _softmax_special,
    digamma,
    entr,
    erfc,
    erfcx,
    erfinv,
    i0,
    i0e,
    i1e,
    igamma,
    igammac,
    lgamma,
    log_ndtr,
    multigammaln,
    ndtr,
    ndtri,
    polygamma,
    sinc,
    special_i1,
    special_round,
    xlog1py,
    zeta,
)
from .ops.unary import erf, exp2, expm1, log1p, logit, sigmoid

__all__ = ["expit", "erf", "erfc", "erfinv", "erfcx", "logit", "xlogy", "xlog1py", "logsumexp", "softmax",
           "log_softmax", "expm1", "log1p", "exp2", "gammaln", "digamma", "psi", "polygamma", "multigammaln",
           "i0", "i0e", "i1", "i1e", "ndtr", "ndtri", "log_ndtr", "entr", "sinc", "round", "gammainc",
           "gammaincc", "zeta"]


expit = sigmoid
softmax = _softmax_special
gammaln = lgamma
psi = digamma
i1 = special_i1
round = special_round
gammainc = igamma
gammaincc = igammac


