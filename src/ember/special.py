"""torch.special."""

from __future__ import annotations

import types

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


def _build_special():
    return types.SimpleNamespace(
        expit=sigmoid, erf=erf, erfc=erfc, erfinv=erfinv, erfcx=erfcx, logit=logit, xlogy=xlogy,
        xlog1py=xlog1py, logsumexp=logsumexp, softmax=_softmax_special, log_softmax=log_softmax, expm1=expm1,
        log1p=log1p, exp2=exp2, gammaln=lgamma, digamma=digamma, psi=digamma, polygamma=polygamma,
        multigammaln=multigammaln, i0=i0, i0e=i0e, i1=special_i1, i1e=i1e, ndtr=ndtr, ndtri=ndtri,
        log_ndtr=log_ndtr, entr=entr, sinc=sinc, round=special_round, gammainc=igamma, gammaincc=igammac,
        zeta=zeta)


