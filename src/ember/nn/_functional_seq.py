"""Sequence kernels of ``ember.nn.functional``: packing, a whole LSTM layer as one node, bags of embeddings.

* ``_pack_padded_sequence`` gathers the valid rows of a padded batch, time-major, as PyTorch's packed layout
  (one ``PackPaddedSequenceBackward0``); its backward scatters them back into zeros.
* ``lstm_layer`` runs one LSTM layer in one direction over a whole sequence, the op PyTorch runs on a CPU
  through oneDNN (``MkldnnRnnLayerBackward0``, outputs ``(output, h_n, c_n)``). The forward is NumPy; the
  backward is backpropagation through time written once over "an array namespace", run on NumPy arrays for
  an ordinary backward and on ember tensors (after recomputing the forward with ember ops) under
  ``create_graph``, so double backward works.
* ``embedding_bag`` sums, averages or takes the maximum of the embeddings in each bag
  (``EmbeddingBagBackward0``).
* ``multi_head_attention_forward`` is composed of ember ops exactly as PyTorch composes it (so its graph has
  PyTorch's nodes), with PyTorch's mask conventions: boolean masks mark what may *not* be attended to.
"""

from __future__ import annotations

import math
import warnings

from .. import ops as AF
from .._array import np
from .._core import dtype as D
from .._core.meta import is_meta_array
from .._core.node import Node
from .._core.node import _type_name as tn
from .._core.record import _edge, _wrap_result
from .._core.tensor import Tensor, _wrap
from ..autograd import grad_mode
from ..ops import creation as C
from ._functional_activation import dropout as _dropout
from ._functional_activation import linear as _linear_map
from ._functional_activation import softmax as _softmax
from ._functional_attention import scaled_dot_product_attention as _sdpa
from ._functional_loss import _refuse_forward_ad

__all__ = ["embedding_bag", "lstm_layer", "multi_head_attention_forward"]

_grad_mode = grad_mode.state


def _sigmoid_np(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x) in x's dtype (PyTorch's oneDNN kernel rounds its own way; this is not bit-exact to it)."""
    with np.errstate(over="ignore"):
        return np.reciprocal(np.exp(-x) + x.dtype.type(1))


def _multi(arrays, node):
    """Tensors for the outputs of a multi-output ``node`` (or plain tensors when ``node`` is None)."""
    outs = []
    for k, arr in enumerate(arrays):
        t = _wrap(arr if is_meta_array(arr) else np.ascontiguousarray(arr))  # (a meta array stays one)
        if node is not None:
            t.grad_fn, t._output_nr, t._requires_grad = node, k, True
        outs.append(t)
    if node is not None:
        node.n_outputs = len(arrays)
        node.out_shapes = tuple(t._data.shape for t in outs)
    return tuple(outs)


def _recording(*xs) -> bool:
    return _grad_mode.enabled and any(x is not None and x._requires_grad for x in xs)


# =====================================================================================================
# Packing
# =====================================================================================================

class PackPaddedSequenceBackward0(Node):
    """data = x[rows] (the valid (t, b) positions, time-major):  dx = zeros with dx[rows] = g (pads get 0)"""

    def backward(self, g):
        flat = C.zeros((self.n_rows,) + tuple(g.shape[1:]), dtype=g.dtype)
        return (AF.index_add(flat, 0, _wrap(self.rows), g).reshape(self.in_shape),)


def _pack_padded_sequence(input: Tensor, lengths: np.ndarray, batch_first: bool):
    """(data, batch_sizes) of PyTorch's packed layout for sorted (descending) ``lengths``."""
    t_dim, b_dim = (1, 0) if batch_first else (0, 1)
    n_batch = input.shape[b_dim]
    if lengths.size != n_batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {lengths.size} "
                           f"(batch_size={n_batch})")
    if lengths.size and (np.diff(lengths) > 0).any():
        raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You "
                           "can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to "
                           "sidestep this requirement if you do not need ONNX exportability.")
    if lengths.size and lengths[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                           "that is <= 0")
    n_steps = int(lengths[0]) if lengths.size else 0
    if n_steps > input.shape[t_dim]:
        raise RuntimeError(f"Expected the longest length to be at most {input.shape[t_dim]}, got {n_steps}")
    batch_sizes = (lengths[None, :] > np.arange(n_steps)[:, None]).sum(1).astype(np.int64)
    t_idx = np.repeat(np.arange(n_steps), batch_sizes)
    b_idx = np.concatenate([np.arange(b) for b in batch_sizes]) if n_steps else np.zeros(0, np.int64)
    steps = input.shape[t_dim]
    rows = b_idx * steps + t_idx if batch_first else t_idx * n_batch + b_idx
    x = input._data
    flat = x.reshape((x.shape[0] * x.shape[1],) + x.shape[2:])
    data = _wrap_result(flat[rows], PackPaddedSequenceBackward0, (input,))
    if data.grad_fn is not None:
        data.grad_fn.rows, data.grad_fn.n_rows, data.grad_fn.in_shape = rows, flat.shape[0], input.shape
    return data, _wrap(batch_sizes)


# =====================================================================================================
# A whole LSTM layer (PyTorch's oneDNN path on a CPU)
# =====================================================================================================

class _NumpyXP:
    """The array functions backpropagation through time needs, on NumPy arrays."""

    sigmoid = staticmethod(_sigmoid_np)
    tanh = staticmethod(np.tanh)

    @staticmethod
    def cat(xs, dim):
        return np.concatenate(xs, dim)

    @staticmethod
    def stack(xs):
        return np.stack(xs)


class _TensorXP:
    """The same functions on ember tensors (recorded: used under create_graph)."""

    sigmoid = staticmethod(AF.sigmoid)
    tanh = staticmethod(AF.tanh)

    @staticmethod
    def cat(xs, dim):
        return AF.cat(list(xs), dim)

    @staticmethod
    def stack(xs):
        return AF.stack(list(xs), 0)


def _lstm_forward(xp, x, h, c, w_ih, w_hh, b_ih, b_hh, reverse):
    """Gate activations (L, N, 4H), cell states and hidden states (L, N, H) of one layer and direction."""
    L, N, n_in = x.shape
    H = w_hh.shape[1]
    xw = (x.reshape(L * N, n_in) @ w_ih.T).reshape(L, N, 4 * H)
    if b_ih is not None:
        xw = xw + (b_ih + b_hh)
    acts, cs, hs = [None] * L, [None] * L, [None] * L
    for t in (range(L - 1, -1, -1) if reverse else range(L)):
        a = xw[t] + h @ w_hh.T
        ifo = xp.sigmoid(xp.cat([a[:, :2 * H], a[:, 3 * H:]], 1))
        g = xp.tanh(a[:, 2 * H:3 * H])
        i, f, o = ifo[:, :H], ifo[:, H:2 * H], ifo[:, 2 * H:]
        c = f * c + i * g
        h = o * xp.tanh(c)
        acts[t], cs[t], hs[t] = xp.cat([i, f, g, o], 1), c, h
    return xp.stack(acts), xp.stack(cs), xp.stack(hs)


def _lstm_bptt(xp, x, h0, c0, w_ih, w_hh, acts, cs, hs, g_out, g_hy, g_cy, reverse):
    """(dx, dW_ih, dW_hh, db, dh0, dc0): backpropagation through time, newest step first."""
    L, N, n_in = x.shape
    H = w_hh.shape[1]
    dh, dc = g_hy, g_cy
    das = [None] * L
    for t in (range(L) if reverse else range(L - 1, -1, -1)):
        prev = t + 1 if reverse else t - 1
        c_prev = cs[prev] if 0 <= prev < L else c0
        a = acts[t]
        i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        tc = xp.tanh(cs[t])
        dht = dh + g_out[t]
        dct = dc + dht * o * (1 - tc * tc)
        da = xp.cat([dct * g * i * (1 - i), dct * c_prev * f * (1 - f), dct * i * (1 - g * g),
                     dht * tc * o * (1 - o)], 1)
        dh = da @ w_hh
        dc = dct * f
        das[t] = da
    d_a = xp.stack(das)
    h_prev = xp.cat([hs[1:], h0.reshape(1, N, -1)], 0) if reverse else xp.cat([h0.reshape(1, N, -1), hs[:-1]], 0)
    d_a2 = d_a.reshape(L * N, 4 * H)
    dx = (d_a2 @ w_ih).reshape(L, N, n_in)
    dw_ih = d_a2.T @ x.reshape(L * N, n_in)
    dw_hh = d_a2.T @ h_prev.reshape(L * N, H)
    return dx, dw_ih, dw_hh, d_a2.sum(0), dh, dc


class MkldnnRnnLayerBackward0(Node):
    """One LSTM layer over a sequence, t = 1..L (reversed for the backward direction):
    a_t = x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh, (i, f, g, o) = (σ, σ, tanh, σ)(a_t),
    c_t = f c_{t-1} + i g, h_t = o tanh c_t.  Backpropagation through time, newest step first, with
    δh = ∂L/∂h_t (from the output and from step t+1) and δc = ∂L/∂c_t:
      δc += δh o (1 - tanh² c_t);  ∂a_t = [δc g i(1-i), δc c_{t-1} f(1-f), δc i (1-g²), δh tanh(c_t) o(1-o)]
      δh_{t-1} = ∂a_t W_hh,  δc_{t-1} = δc f;   ∂x_t = ∂a_t W_ih,  ∂W_ih = Σ_t ∂a_tᵀ x_t,
      ∂W_hh = Σ_t ∂a_tᵀ h_{t-1},  ∂b_ih = ∂b_hh = Σ_t ∂a_t,  ∂h_0 = δh_0,  ∂c_0 = δc_0"""

    def backward(self, grads):
        x, w_ih, w_hh, b_ih, b_hh, h0, c0 = self.saved_values()
        g_out, g_hy, g_cy = grads[0], grads[1], grads[2]
        L, N = x.shape[0], x.shape[1]
        H = w_hh.shape[1]
        if _grad_mode.enabled:  # create_graph: recompute the forward with ember ops so the result is differentiable
            xp = _TensorXP
            acts, cs, hs = _lstm_forward(xp, x, h0, c0, w_ih, w_hh, b_ih, b_hh, self.reverse)
            zeros = lambda shape: C.zeros(shape, dtype=x.dtype)  # noqa: E731
            args = (x, h0, c0, w_ih, w_hh)
        else:
            xp = _NumpyXP
            acts, cs, hs = self.acts, self.cs, self.hs
            zeros = lambda shape: np.zeros(shape, dtype=x._data.dtype)  # noqa: E731
            args = (x._data, h0._data, c0._data, w_ih._data, w_hh._data)
            g_out, g_hy, g_cy = (None if t is None else t._data for t in (g_out, g_hy, g_cy))
        g_out = zeros((L, N, H)) if g_out is None else g_out
        g_hy = zeros((N, H)) if g_hy is None else g_hy
        g_cy = zeros((N, H)) if g_cy is None else g_cy
        dx, dw_ih, dw_hh, db, dh0, dc0 = _lstm_bptt(xp, *args[:3], *args[3:], acts, cs, hs, g_out, g_hy, g_cy,
                                                    self.reverse)
        res = (dx, dw_ih, dw_hh, db, db, dh0, dc0)
        if xp is _NumpyXP:
            res = tuple(_wrap(np.ascontiguousarray(r)) for r in res)
        return tuple(r if e is not None else None for r, e in zip(res, self.next))


def lstm_layer(x: Tensor, h0: Tensor, c0: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None,
               b_hh: Tensor | None, reverse: bool = False):
    """(output (L, N, H), h_n (N, H), c_n (N, H)) of one LSTM layer and direction over x (L, N, H_in)."""
    bi = None if b_ih is None else b_ih._data
    bh = None if b_hh is None else b_hh._data
    acts, cs, hs = _lstm_forward(_NumpyXP, x._data, h0._data, c0._data, w_ih._data, w_hh._data, bi, bh, reverse)
    last = 0 if reverse else -1
    inputs = (x, w_ih, w_hh, b_ih, b_hh, h0, c0)
    node = None
    if _recording(*inputs):
        node = MkldnnRnnLayerBackward0(tuple(None if t is None else _edge(t) for t in inputs))
        node.saved = inputs
        node.versions = tuple(None if t is None else t._version for t in inputs)
        node.acts, node.cs, node.hs, node.reverse = acts, cs, hs, reverse
    return _multi((hs, hs[last], cs[last]), node)


# =====================================================================================================
# Bags of embeddings
# =====================================================================================================

_MODES = {"sum": 0, "mean": 1, "max": 2}


class EmbeddingBagBackward0(Node):
    """y_b = Σ_{j ∈ bag b} s_j W[i_j] (s_j the per-sample weight, or 1), or that sum / |b| (mean), or the
    elementwise max over the bag (padding_idx entries left out):
      sum:  dW[i_j] += s_j g_b,  ds_j = g_b · W[i_j];   mean: dW[i_j] += g_b / |b|;
      max:  dW[i_j*, d] += g_b,d at each bag's arg-max position j*(d)   (÷ count of i_j with scale_grad_by_freq)"""

    def backward(self, g):
        weight, psw = self.saved_values()
        idx = _wrap(self.idx)  # the kept (non-padding) entries: indices into W, and their bags
        bag = _wrap(self.bag_of)
        gw = gs = None
        if self.mode == 2:
            rows, dims = self.arg_rows, self.arg_dims  # W row and column of each bag's maximum
            flat = _wrap(rows * weight.shape[1] + dims)
            vals = g[_wrap(self.arg_bags), _wrap(dims)]
            gw = AF.index_add(C.zeros(weight.numel(), dtype=g.dtype), 0, flat, vals).reshape(weight.shape)
            return (gw, None)
        per = g[bag]  # (n, D): each entry's bag gradient
        if self.mode == 1:
            per = per * _wrap(self.inv_count.astype(g._data.dtype)[:, None])
        if self.next[0] is not None:
            contrib = per * psw[_wrap(self.pos)].reshape(-1, 1) if psw is not None else per
            if self.freq is not None:
                contrib = contrib * _wrap((1.0 / self.freq).astype(g._data.dtype)[:, None])
            gw = AF.index_add(C.zeros(tuple(weight.shape), dtype=g.dtype), 0, idx, contrib)
        if psw is not None and self.next[1] is not None:
            dots = (per * weight[idx]).sum(1)
            gs = AF.index_add(C.zeros(psw.shape[0], dtype=g.dtype), 0, _wrap(self.pos), dots)
        return (gw, gs)


def _index_error(t: Tensor, what: str) -> RuntimeError:
    return RuntimeError(f"Expected tensor for argument #1 '{what}' to have one of the following scalar types: "
                        + ("Long, Int" if what == "indices" else "Half, BFloat16, Float, Double")
                        + f"; but got {_type_name(t)} instead (while checking arguments for embedding_bag)")


def _type_name(t: Tensor) -> str:
    return tn(t)


def _embedding_renorm_(weight: Tensor, idx: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Rescale (in place, unrecorded) the referenced rows whose norm exceeds max_norm, as PyTorch does."""
    w = weight._data
    rows = np.unique(idx)
    # the norm in the weight's dtype, then the scale in double, as PyTorch's embedding_renorm_
    norms = np.linalg.norm(w[rows], ord=norm_type, axis=1).astype(np.float64)
    over = norms > max_norm
    if over.any():
        scale = (max_norm / (norms[over] + 1e-7)).astype(w.dtype)
        w[rows[over]] *= scale[:, None]
        weight._bump()


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None, max_norm: float | None = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean",
                  sparse: bool = False, per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """Per bag, the sum / mean / max of the rows W[i] of its indices (each scaled by its per-sample weight):
    bags are the rows of a 2-D ``input``, or the runs of a 1-D ``input`` starting at ``offsets``."""
    _refuse_forward_ad("_embedding_bag", weight, per_sample_weights)
    if weight.dtype == D.int64 and input.is_floating_point():
        warnings.warn("Argument order of nn.functional.embedding_bag was changed. Usage `embedding_bag(weight, "
                      "input, ...)` is deprecated, and should now be `embedding_bag(input, weight, ...)`.",
                      stacklevel=2)
        weight, input = input, weight
    if per_sample_weights is not None and input.shape != per_sample_weights.shape:
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it "
                         f"must have the same shape as the input ({input.shape})")
    if weight.ndim != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.ndim}")
    if input.ndim == 2:
        if offsets is not None:
            kind = "<class 'torch.Tensor'>" if isinstance(offsets, Tensor) else str(type(offsets))
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             f"fixed length sequences. However, found offsets of type {kind}")
        offsets = _wrap(np.arange(0, input.numel(), input.shape[1], dtype=np.int64))
        include_last_offset = False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.ndim == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.ndim != 1:
            raise ValueError("offsets has to be a 1D Tensor")
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.ndim}")
    if mode not in _MODES:
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    if input.dtype not in (D.int64, D.int32):
        raise _index_error(input, "indices")
    if offsets.dtype not in (D.int64, D.int32):
        raise _index_error(offsets, "indices")
    if not weight.is_floating_point():
        raise _index_error(weight, "weight")
    if max_norm is not None:
        _embedding_renorm_(weight, input._data, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(f"embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                                  "GitHub.")
    n_emb = weight.shape[0]
    if padding_idx is not None and not -n_emb <= padding_idx < n_emb:
        raise RuntimeError(f"padding_idx must be within the number of embeddings, -{n_emb} through {n_emb - 1}, "
                           f"but got {padding_idx}")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += n_emb
    idx = input._data.astype(np.int64)
    off = offsets._data.astype(np.int64)
    n = idx.size
    if off.size and off[0] != 0:
        word = "LongTensor" if input.dtype == D.int64 else "IntTensor"
        raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                           f"position 0. However, got {int(off[0])}\n[ torch.{word}{{}} ]")
    if off.size and off[-1] > n:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {n} but got offsets[-1] of "
                           f"{int(off[-1])}")
    bad = np.nonzero((idx < 0) | (idx >= n_emb))[0]
    if bad.size:
        raise RuntimeError(f"Index {int(bad[0])} of input takes value {int(idx[bad[0]])} which is not in the valid "
                           f"range [0, {n_emb})")
    starts = off[:-1] if include_last_offset else off
    ends = off[1:] if include_last_offset else np.append(off[1:], n)
    n_bags = starts.size
    pos = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends)]) if n_bags else np.zeros(0, np.int64)
    bag_of = np.repeat(np.arange(n_bags), np.maximum(ends - starts, 0))
    pos = pos.astype(np.int64)
    keep = idx[pos] != padding_idx if padding_idx is not None else np.ones(pos.size, bool)
    pos, bag_of = pos[keep], bag_of[keep]
    rows_idx = idx[pos]
    W = weight._data
    rows = W[rows_idx]
    if per_sample_weights is not None:
        rows = rows * per_sample_weights._data[pos].astype(W.dtype)[:, None]
    counts = np.bincount(bag_of, minlength=n_bags)
    D_ = W.shape[1]
    node_attrs = {}
    if mode == "max":
        out = np.zeros((n_bags, D_), dtype=W.dtype)
        full = np.nonzero(counts)[0]
        if full.size:
            first = np.searchsorted(bag_of, full)  # entries are grouped by bag, in order
            mx = np.maximum.reduceat(rows, first, axis=0)
            out[full] = mx
            # the first position reaching the maximum, as PyTorch's CPU kernel keeps the first on ties
            at = np.where(rows == out[bag_of], np.arange(pos.size)[:, None], pos.size)
            arg = np.minimum.reduceat(at, first, axis=0)  # (bags with entries, D)
            bags_, dims_ = np.nonzero(np.ones_like(arg, dtype=bool))
            node_attrs = {"arg_rows": rows_idx[arg[bags_, dims_]], "arg_dims": dims_, "arg_bags": full[bags_]}
    else:
        out = np.zeros((n_bags, D_), dtype=W.dtype)
        np.add.at(out, bag_of, rows)
        if mode == "mean":
            out /= np.maximum(counts, 1).astype(W.dtype)[:, None]
    psw = per_sample_weights
    res = _wrap_result(out, EmbeddingBagBackward0, (weight, psw), saved=(weight, psw))
    node = res.grad_fn
    if node is not None:
        node.idx, node.bag_of, node.pos, node.mode = rows_idx, bag_of, pos, _MODES[mode]
        node.inv_count = 1.0 / np.maximum(counts, 1)[bag_of]
        node.freq = np.bincount(rows_idx, minlength=n_emb)[rows_idx] if scale_grad_by_freq else None
        for k, v in node_attrs.items():
            setattr(node, k, v)
    return res


# =====================================================================================================
# Multi-head attention (composed of ember ops, as PyTorch composes it)
# =====================================================================================================

def _none_or_dtype(input: Tensor | None):
    if input is None:
        return None
    if isinstance(input, Tensor):
        return input.dtype
    raise RuntimeError("input to _none_or_dtype() must be None or torch.Tensor")


def _canonical_mask(mask: Tensor | None, mask_name: str, other_type, other_name: str, target_type,
                    check_other: bool = True) -> Tensor | None:
    """A boolean mask (True = not allowed) as an additive float mask (0 / -inf); float masks pass through."""
    if mask is None:
        return None
    is_float = mask.is_floating_point()
    if mask.dtype != D.bool_ and not is_float:
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and mask.dtype != other_type:
        warnings.warn(f"Support for mismatched {mask_name} and {other_name} is deprecated. Use same type for both "
                      "instead.", stacklevel=3)
    if not is_float:
        mask = C.zeros(tuple(mask.shape), dtype=target_type).masked_fill_(mask, float("-inf"))
    return mask


def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads) -> bool:
    """Whether the call is batched, after PyTorch's checks of the operands' dimensions."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError("For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                                 f"{key.dim()}-D and {value.dim()}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError("For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but "
                                 f"found {key_padding_mask.dim()}-D tensor instead")
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError("For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but "
                                 f"found {attn_mask.dim()}-D tensor instead")
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError("For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                                 f"{key.dim()}-D and {value.dim()}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError("For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D but "
                                 f"found {key_padding_mask.dim()}-D tensor instead")
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError("For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D "
                                     f"but found {attn_mask.dim()}-D tensor instead")
            expected = (num_heads, query.shape[0], key.shape[0])
            if attn_mask.dim() == 3 and tuple(attn_mask.shape) != expected:
                raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}")
        return False
    raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {query.dim()}-D query "
                         "tensor")


def _linear(x, w, b):
    return _linear_map(x, w, b)


PACKED_PROJECTION = False


def _in_projection_packed(q, k, v, w, b=None):
    """q Wqᵀ + bq, k Wkᵀ + bk, v Wvᵀ + bv with W = [Wq; Wk; Wv] (one matmul when q, k, v are one tensor)."""
    E = q.size(-1)
    # PyTorch projects q, k, v in one matmul when they are one tensor; ember does that only once its float32
    # softmax rounds as PyTorch's does (t24 of the tutorial corpus prints softmax rows whose sums show it)
    if k is v and PACKED_PROJECTION:
        if q is k:
            proj = _linear(q, w, b).unflatten(-1, (3, E)).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous()
            return proj[0], proj[1], proj[2]
        w_q, w_kv = w.split([E, E * 2])
        b_q, b_kv = (None, None) if b is None else b.split([E, E * 2])
        kv = _linear(k, w_kv, b_kv).unflatten(-1, (2, E)).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous()
        return _linear(q, w_q, b_q), kv[0], kv[1]
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    return _linear(q, w_q, b_q), _linear(k, w_k, b_k), _linear(v, w_v, b_v)


def _in_projection(q, k, v, w_q, w_k, w_v, b_q=None, b_k=None, b_v=None):
    Eq, Ek, Ev = q.size(-1), k.size(-1), v.size(-1)
    for what, w, shape in (("query", w_q, (Eq, Eq)), ("key", w_k, (Eq, Ek)), ("value", w_v, (Eq, Ev))):
        if tuple(w.shape) != shape:
            raise AssertionError(f"expecting {what} weights shape of {shape}, but got {w.shape}")
    for what, b in (("query", b_q), ("key", b_k), ("value", b_v)):
        if b is not None and tuple(b.shape) != (Eq,):
            raise AssertionError(f"expecting {what} bias shape of {(Eq,)}, but got {b.shape}")
    return _linear(q, w_q, b_q), _linear(k, w_k, b_k), _linear(v, w_v, b_v)


def _pad_last(mask: Tensor) -> Tensor:
    """One more (allowed, 0) column at the end of a float mask."""
    return AF.cat([mask, C.zeros(tuple(mask.shape[:-1]) + (1,), dtype=mask.dtype)], -1)


def multi_head_attention_forward(query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int, num_heads: int,
                                 in_proj_weight: Tensor | None, in_proj_bias: Tensor | None, bias_k: Tensor | None,
                                 bias_v: Tensor | None, add_zero_attn: bool, dropout_p: float,
                                 out_proj_weight: Tensor, out_proj_bias: Tensor | None, training: bool = True,
                                 key_padding_mask: Tensor | None = None, need_weights: bool = True,
                                 attn_mask: Tensor | None = None, use_separate_proj_weight: bool = False,
                                 q_proj_weight: Tensor | None = None, k_proj_weight: Tensor | None = None,
                                 v_proj_weight: Tensor | None = None, static_k: Tensor | None = None,
                                 static_v: Tensor | None = None, average_attn_weights: bool = True,
                                 is_causal: bool = False):
    """(attn_output (L, N, E), weights or None): per head h, softmax(Q_h K_hᵀ/√d + mask) V_h, heads concatenated,
    then · W_oᵀ + b_o; Q, K, V are the in-projections of query (L, N, E), key and value (S, N, E)."""
    batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask", _none_or_dtype(attn_mask), "attn_mask",
                                       query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
                           "method `generate_square_subsequent_mask` to create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # scaled_dot_product_attention applies the causal mask itself
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, check_other=False)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if tuple(key.shape[:2]) != tuple(value.shape[:2]):
            raise AssertionError(f"key's sequence and batch dims {key.shape[:2]} do not match value's "
                                 f"{value.shape[:2]}")
    elif key.shape != value.shape:
        raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
    if not use_separate_proj_weight:
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    else:
        for name, w in (("q", q_proj_weight), ("k", k_proj_weight), ("v", v_proj_weight)):
            if w is None:
                raise AssertionError(f"use_separate_proj_weight is True but {name}_proj_weight is None")
        b_q, b_k, b_v = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
        q, k, v = _in_projection(query, key, value, q_proj_weight, k_proj_weight, v_proj_weight, b_q, b_k, b_v)
    if attn_mask is not None:
        if attn_mask.dim() == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be "
                                   f"{(tgt_len, src_len)}.")
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.dim() == 3:
            if tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
                raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                                   f"{(bsz * num_heads, tgt_len, src_len)}.")
        else:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")
    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise AssertionError("bias cannot be added to static value.")
        k = AF.cat([k, bias_k.repeat(1, bsz, 1)])
        v = AF.cat([v, bias_v.repeat(1, bsz, 1)])
        if attn_mask is not None:
            attn_mask = _pad_last(attn_mask)
        if key_padding_mask is not None:
            key_padding_mask = _pad_last(key_padding_mask)
    elif bias_k is not None:
        raise AssertionError("bias_k is set but bias_v is None")
    elif bias_v is not None:
        raise AssertionError("bias_v is set but bias_k is None")
    # heads become batch entries: (L, N, E) -> (N·H, L, hd)
    q = q.view(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    for name, static in (("k", static_k), ("v", static_v)):
        if static is not None:
            if static.size(0) != bsz * num_heads:
                raise AssertionError(f"expecting static_{name}.size(0) of {bsz * num_heads}, but got "
                                     f"{static.size(0)}")
            if static.size(2) != head_dim:
                raise AssertionError(f"expecting static_{name}.size(2) of {head_dim}, but got {static.size(2)}")
    k = k.view(k.shape[0], bsz * num_heads, head_dim).transpose(0, 1) if static_k is None else static_k
    v = v.view(v.shape[0], bsz * num_heads, head_dim).transpose(0, 1) if static_v is None else static_v
    if add_zero_attn:
        zeros = C.zeros((bsz * num_heads, 1, head_dim), dtype=k.dtype)
        k = AF.cat([k, zeros], 1)
        v = AF.cat([v, zeros], 1)
        if attn_mask is not None:
            attn_mask = _pad_last(attn_mask)
        if key_padding_mask is not None:
            key_padding_mask = _pad_last(key_padding_mask)
    src_len = k.size(1)
    if key_padding_mask is not None:
        if key_padding_mask.shape[0] != bsz:
            raise AssertionError(f"Expected key_padded_mask.shape[0] to be {bsz}, but got "
                                 f"{key_padding_mask.shape[0]}")
        if key_padding_mask.shape[1] != src_len:
            raise AssertionError(f"Expected key_padded_mask.shape[1] to be {src_len}, but got "
                                 f"{key_padding_mask.shape[1]}")
        kpm = key_padding_mask.view(bsz, 1, 1, src_len).expand(-1, num_heads, -1, -1).reshape(
            bsz * num_heads, 1, src_len)
        attn_mask = kpm if attn_mask is None else attn_mask + kpm
    if not training:
        dropout_p = 0.0
    if need_weights:
        E = q.shape[-1]
        q_scaled = q * math.sqrt(1.0 / float(E))
        if is_causal and attn_mask is None:
            raise AssertionError("FIXME: is_causal not implemented for need_weights")
        if attn_mask is not None:
            weights = attn_mask.baddbmm(q_scaled, k.transpose(-2, -1))
        else:
            weights = AF.bmm(q_scaled, k.transpose(-2, -1))
        weights = _softmax(weights, dim=-1)
        if dropout_p > 0.0:
            weights = _dropout(weights, p=dropout_p)
        out = AF.bmm(weights, v)
        out = out.transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        out = _linear(out, out_proj_weight, out_proj_bias).view(tgt_len, bsz, -1)
        weights = weights.view(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(dim=1)
        if not batched:
            out, weights = out.squeeze(1), weights.squeeze(0)
        return out, weights
    if attn_mask is not None:
        if attn_mask.size(0) == 1 and attn_mask.dim() == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.view(bsz, num_heads, -1, src_len)
    q = q.view(bsz, num_heads, tgt_len, head_dim)
    k = k.view(bsz, num_heads, src_len, head_dim)
    v = v.view(bsz, num_heads, src_len, head_dim)
    out = _sdpa(q, k, v, attn_mask, dropout_p, is_causal)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = _linear(out, out_proj_weight, out_proj_bias).view(tgt_len, bsz, -1)
    if not batched:
        out = out.squeeze(1)
    return out, None
