"""``scaled_dot_product_attention``: softmax(Q Kᵀ · scale + mask) V.

PyTorch 2.13's CPU build runs its flash-attention kernel for 4-D float inputs of one batch shape and one head size,
without dropout and with a mask that needs no gradient, and records one node for it,
``ScaledDotProductFlashAttentionForCpuBackward0``; in the other cases it composes the math (matmul, softmax,
dropout, matmul), and so does this module. The fused node saves the attention probabilities P; its backward is
kernels.fused's NumPy rule when not recorded, and the same rule in ember's ops under ``create_graph`` or forward
mode (so double backward and jvp work, where PyTorch's kernel has neither).
"""

from __future__ import annotations

import math

from .. import ops as AF
from .._array import np
from .._core import modes
from .._core.meta import is_meta_array
from .._core.node import Node
from .._core.record import _wrap_result
from .._core.tensor import Tensor, _wrap
from ..kernels import fused as KF
from ._functional_activation import dropout as _dropout

__all__ = ["scaled_dot_product_attention"]

_grad_mode, _fw = modes.grad, modes.forward


def _scores(q, k, scale, removed, additive):
    """Q Kᵀ · scale with the removed positions at -inf and the additive mask added, in ember's ops"""
    s = AF.matmul(q, k.transpose(-2, -1)) * scale
    if removed is not None:
        s = AF.masked_fill(s, _wrap(removed), -math.inf)
    if additive is not None:
        s = s + _wrap(additive)
    return s


class ScaledDotProductFlashAttentionForCpuBackward0(Node):
    """O = P V, P = softmax(Q Kᵀ c + M):  dV = Pᵀ G, dP = G Vᵀ, dS = P (dP - Σ_row dP P) c, dQ = dS K, dK = dSᵀ Q"""

    def backward(self, g):
        q, k, v = self.saved_values()
        need = tuple(e is not None for e in self.next)
        rep = self.rep
        if not _grad_mode.enabled and _fw.level is None and g._data.dtype == q._data.dtype:
            kd, vd = k._data, v._data
            if rep != 1:
                kd, vd = np.repeat(kd, rep, axis=-3), np.repeat(vd, rep, axis=-3)
            gq, gk, gv = KF.attention_backward(g._data, q._data, kd, vd, self.probs, self.scale, need)
            if rep != 1:
                gk = None if gk is None else _group_sum(gk, rep)
                gv = None if gv is None else _group_sum(gv, rep)
            return tuple(None if a is None else _wrap(a) for a in (gq, gk, gv))
        # recorded (create_graph) or under forward mode: the same rule in ember's ops, P recomputed from Q and K
        if rep != 1:
            k, v = AF.repeat_interleave(k, rep, dim=-3), AF.repeat_interleave(v, rep, dim=-3)
        p = AF.softmax(_scores(q, k, self.scale, self.removed, self.additive), -1)
        gv = AF.matmul(p.transpose(-2, -1), g)
        dp = AF.matmul(g, v.transpose(-2, -1))
        ds = p * (dp - AF.sum(dp * p, (-1,), keepdim=True)) * self.scale
        gq = AF.matmul(ds, k) if need[0] else None
        gk = AF.matmul(ds.transpose(-2, -1), q) if need[1] else None
        if rep != 1 and gk is not None:
            gk = AF.sum(AF.reshape(gk, gk.shape[:-3] + (gk.shape[-3] // rep, rep) + gk.shape[-2:]), (-3,))
        if rep != 1:
            gv = AF.sum(AF.reshape(gv, gv.shape[:-3] + (gv.shape[-3] // rep, rep) + gv.shape[-2:]), (-3,))
        return (gq, gk, gv if need[2] else None)

    def release(self):
        super().release()
        self.probs = None


def _group_sum(a, rep):
    """(.., H·rep, S, E) summed over each group of rep heads to (.., H, S, E)"""
    return a.reshape(a.shape[:-3] + (a.shape[-3] // rep, rep) + a.shape[-2:]).sum(axis=-3)


def _fusable(query, key, value, attn_mask, dropout_p, enable_gqa) -> bool:
    """Whether PyTorch's CPU build takes its flash-attention kernel for these arguments (see the module doc)."""
    if query.ndim != 4 or key.ndim != 4 or value.ndim != 4 or dropout_p > 0.0:
        return False
    qd, kd, vd = query._data, key._data, value._data
    if not (qd.dtype == kd.dtype == vd.dtype) or qd.dtype.kind != "f" or is_meta_array(qd):
        return False
    if qd.shape[0] != kd.shape[0] or kd.shape[:2] != vd.shape[:2] or kd.shape[-2] != vd.shape[-2]:
        return False
    if qd.shape[1] != kd.shape[1] and not (enable_gqa and kd.shape[1] and qd.shape[1] % kd.shape[1] == 0):
        return False
    if not (qd.shape[-1] == kd.shape[-1] == vd.shape[-1]) or qd.shape[-2] == 0 or kd.shape[-2] == 0:
        return False
    if any(a.strides[-1] != a.itemsize for a in (qd, kd, vd)):
        return False
    if attn_mask is not None:
        md = attn_mask._data
        if attn_mask._requires_grad or is_meta_array(md) or (md.dtype != np.bool_ and md.dtype != qd.dtype):
            return False
    return True


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(Q Kᵀ · scale + mask) V, scale = 1/√E by default; a boolean mask keeps the True positions"""
    L, S, E = query.shape[-2], key.shape[-2], query.shape[-1]
    sc = 1.0 / math.sqrt(E) if scale is None else scale
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when "
                           "is_causal=True")
    if _fusable(query, key, value, attn_mask, dropout_p, enable_gqa):
        removed = additive = None
        if is_causal:
            removed = KF.causal_mask(L, S)
        elif attn_mask is not None:
            if attn_mask._data.dtype == np.bool_:
                removed = ~attn_mask._data
            else:
                additive = attn_mask._data
        rep = query.shape[1] // key.shape[1]
        kd, vd = key._data, value._data
        if rep != 1:
            kd, vd = np.repeat(kd, rep, axis=-3), np.repeat(vd, rep, axis=-3)
        out, probs = KF.attention(query._data, kd, vd, sc, removed, additive)
        return _wrap_result(out, ScaledDotProductFlashAttentionForCpuBackward0, (query, key, value),
                    saved=(query, key, value), probs=probs, scale=sc, removed=removed, additive=additive, rep=rep)
    if enable_gqa and query.shape[-3] != key.shape[-3]:
        rep = query.shape[-3] // key.shape[-3]
        key = AF.repeat_interleave(key, rep, dim=-3)
        value = AF.repeat_interleave(value, rep, dim=-3)
    scores = AF.matmul(query, key.transpose(-2, -1)) * sc
    if is_causal:
        scores = AF.masked_fill(scores, _wrap(KF.causal_mask(L, S)), -math.inf)
    elif attn_mask is not None:
        if attn_mask._data.dtype == np.bool_:
            scores = AF.masked_fill(scores, _wrap(~attn_mask._data), -math.inf)
        else:
            scores = scores + attn_mask
    attn = AF.softmax(scores, -1)
    if dropout_p > 0.0:
        attn = _dropout(attn, dropout_p, True)  # B1's dropout (PyTorch's RNG stream)
    return AF.matmul(attn, value)
