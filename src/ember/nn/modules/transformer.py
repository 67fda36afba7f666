"""Attention and the Transformer: ``MultiheadAttention``, encoder and decoder layers and stacks, ``Transformer``.

Everything is composed of ember ops in PyTorch's order (``F.multi_head_attention_forward``), with PyTorch's
parameter layout (in_proj_weight, in_proj_bias, out_proj, or q/k/v_proj_weight when kdim/vdim differ), its
random initialisation order, and its mask conventions: a boolean mask is True where attention is *not*
allowed, a float mask is added to the scores. PyTorch's inference fast paths compute the same values with
other kernels; the one visible difference they make is kept: an encoder in eval mode that turns a
left-aligned key-padding mask into a nested tensor returns zeros at the padded positions.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable

from ..._array import np
from ..._core import dtype as D
from ..._core.tensor import Tensor, _wrap
from ...autograd import grad_mode
from ...ops import creation as C
from .. import functional as F
from .. import init
from .._functional_seq import _canonical_mask, _none_or_dtype
from ..parameter import Parameter
from .activation import GELU, ReLU
from .container import ModuleList
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .normalization import LayerNorm

__all__ = ["MultiheadAttention", "NonDynamicallyQuantizableLinear", "Transformer", "TransformerDecoder",
           "TransformerDecoderLayer", "TransformerEncoder", "TransformerEncoderLayer"]


class NonDynamicallyQuantizableLinear(Linear):
    """A Linear layer under the name PyTorch gives MultiheadAttention's output projection (out_proj).

    It computes exactly what Linear computes, y = x Wᵀ + b; the name only keeps printed models identical.

    Args:
        in_features, out_features, bias: as in Linear.
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        input (*, in_features) -> output (*, out_features).

    Example:
        >>> nn.MultiheadAttention(8, 2).out_proj
        NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)
    """


class MultiheadAttention(Module):
    """Multi-head attention (Vaswani et al., 2017): per head h, softmax(Q_h K_hᵀ / √d + mask) V_h, the heads'
    results concatenated and projected by out_proj.

    Q = query W_qᵀ, K = key W_kᵀ, V = value W_vᵀ (plus biases), split into num_heads heads of d = embed_dim/num_heads
    features. Each query position gets a weighted average of the value vectors, the weights telling how well its
    query matches each key. Self-attention passes the same tensor as query, key and value.

    Args:
        embed_dim: the size of the query vectors and of the output.
        num_heads: the number of heads; embed_dim must be divisible by it.
        dropout: dropout on the attention weights, in training (default 0).
        bias: whether the input and output projections have biases (default True).
        add_bias_kv: append a learned key and value vector to every sequence (default False).
        add_zero_attn: append a zero key and value vector to every sequence (default False).
        kdim, vdim: the sizes of the key and value vectors (default: embed_dim).
        batch_first: whether inputs and outputs are (N, L, E) instead of (L, N, E) (default False).
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        forward(query (L, N, E), key (S, N, kdim), value (S, N, vdim), key_padding_mask (N, S) of positions to
        ignore, need_weights, attn_mask (L, S) or (N·num_heads, L, S) added to (float) or blocking (bool) the
        scores, average_attn_weights, is_causal) -> (output (L, N, E), weights (N, L, S) averaged over the heads,
        or (N, num_heads, L, S), or None when need_weights is False). Unbatched inputs (L, E) work too.

    Parameters:
        in_proj_weight (3E, E) (or q_proj_weight, k_proj_weight, v_proj_weight when kdim or vdim differ from E),
        in_proj_bias (3E,), out_proj (Linear(E, E)).

    Example:
        >>> attention = nn.MultiheadAttention(8, 2, batch_first=True)
        >>> q, kv = ember.ones(3, 5, 8), ember.ones(3, 7, 8)
        >>> output, weights = attention(q, kv, kv)
        >>> output.shape, weights.shape
        (torch.Size([3, 5, 8]), torch.Size([3, 5, 7]))
        >>> bool(ember.allclose(weights.sum(-1), ember.ones(3, 5)))  # each query's weights sum to 1
        True
    """

    __constants__ = ("batch_first",)

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False, kdim=None, vdim=None,
                 batch_first: bool = False, device=None, dtype=None) -> None:
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} and "
                             f"num_heads={num_heads} instead")
        super().__init__()
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")
        if not self._qkv_same_embed_dim:
            self.q_proj_weight = Parameter(C.empty((embed_dim, embed_dim), device=device, dtype=dtype))
            self.k_proj_weight = Parameter(C.empty((embed_dim, self.kdim), device=device, dtype=dtype))
            self.v_proj_weight = Parameter(C.empty((embed_dim, self.vdim), device=device, dtype=dtype))
            self.register_parameter("in_proj_weight", None)
        else:
            self.in_proj_weight = Parameter(C.empty((3 * embed_dim, embed_dim), device=device, dtype=dtype))
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(C.empty(3 * embed_dim, device=device, dtype=dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, device=device, dtype=dtype)
        if add_bias_kv:
            self.bias_k = Parameter(C.empty((1, 1, embed_dim), device=device, dtype=dtype))
            self.bias_v = Parameter(C.empty((1, 1, embed_dim), device=device, dtype=dtype))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        """PyTorch's: projection weights ~ xavier_uniform, biases 0, bias_k/bias_v ~ xavier_normal."""
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            init.xavier_uniform_(self.q_proj_weight)
            init.xavier_uniform_(self.k_proj_weight)
            init.xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
        if self.bias_v is not None:
            init.xavier_normal_(self.bias_v)

    def __setstate__(self, state):
        state.setdefault("_qkv_same_embed_dim", True)
        super().__setstate__(state)

    def forward(self, query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None = None,
                need_weights: bool = True, attn_mask: Tensor | None = None, average_attn_weights: bool = True,
                is_causal: bool = False):
        """(attn_output, attn_weights or None); inputs (L, N, E), or (N, L, E) with batch_first, or (L, E)."""
        batched = query.dim() == 3
        key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask", _none_or_dtype(attn_mask),
                                           "attn_mask", query.dtype)
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, check_other=False)
        if self.batch_first and batched:
            if key is value:
                if query is key:
                    query = key = value = query.transpose(1, 0)
                else:
                    query, key = (x.transpose(1, 0) for x in (query, key))
                    value = key
            else:
                query, key, value = (x.transpose(1, 0) for x in (query, key, value))
        extra = {}
        if not self._qkv_same_embed_dim:
            extra = {"use_separate_proj_weight": True, "q_proj_weight": self.q_proj_weight,
                     "k_proj_weight": self.k_proj_weight, "v_proj_weight": self.v_proj_weight}
        out, weights = F.multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight, self.in_proj_bias, self.bias_k,
            self.bias_v, self.add_zero_attn, self.dropout, self.out_proj.weight, self.out_proj.bias,
            training=self.training, key_padding_mask=key_padding_mask, need_weights=need_weights,
            attn_mask=attn_mask, average_attn_weights=average_attn_weights, is_causal=is_causal, **extra)
        if self.batch_first and batched:
            out = out.transpose(1, 0)
        return out, weights

    def merge_masks(self, attn_mask: Tensor | None, key_padding_mask: Tensor | None, query: Tensor):
        """(merged mask of shape (N, heads, L, L), mask type: 1 key padding, 2 attention, None) as PyTorch's."""
        mask_type, merged = None, None
        if key_padding_mask is not None:
            mask_type, merged = 1, key_padding_mask
        if attn_mask is not None:
            batch_size, seq_len, _ = query.shape
            mask_type = 2
            if attn_mask.dim() == 3:
                expanded = attn_mask.view(batch_size, -1, seq_len, seq_len)
            else:
                expanded = attn_mask.view(1, 1, seq_len, seq_len).expand(batch_size, self.num_heads, -1, -1)
            merged = expanded
            if key_padding_mask is not None:
                merged = expanded + key_padding_mask.view(batch_size, 1, 1, seq_len).expand(-1, self.num_heads,
                                                                                            -1, -1)
        return merged, mask_type


# -- helpers shared by the stacks ------------------------------------------------------------------------------

def _generate_square_subsequent_mask(sz: int, device=None, dtype=None) -> Tensor:
    """The causal mask: 0 on and below the diagonal, -inf above it."""
    full = C.full((sz, sz), float("-inf"), dtype=dtype, device=device)
    return _wrap(np.triu(full._data, 1))


def _get_seq_len(src: Tensor, batch_first: bool) -> int | None:
    if src.dim() == 2:
        return src.size(0)
    return src.size(1 if batch_first else 0)


def _detect_is_causal_mask(mask: Tensor | None, is_causal: bool | None = None, size: int | None = None) -> bool:
    """``is_causal`` if given; else whether ``mask`` equals the causal mask of its size."""
    make_causal = is_causal is True
    if is_causal is None and mask is not None:
        sz = size if size is not None else mask.size(-2)
        causal = _generate_square_subsequent_mask(sz, dtype=mask.dtype)
        make_causal = mask.size() == causal.size() and bool((mask == causal).all())
    return make_causal


def _get_clones(module: Module, n: int) -> ModuleList:
    return ModuleList([copy.deepcopy(module) for _ in range(n)])  # each layer starts from the same weights


def _get_activation_fn(activation: str) -> Callable:
    if activation == "relu":
        return F.relu
    if activation == "gelu":
        return F.gelu
    raise RuntimeError(f"activation should be relu/gelu, not {activation}")


_NESTED_WARNED: list = []


# -- the encoder ---------------------------------------------------------------------------------------------

class TransformerEncoderLayer(Module):
    """One encoder block of a Transformer: x = x + SelfAttention(x), then x = x + FeedForward(x), each sum followed by a
    LayerNorm (or, with norm_first, each block preceded by one).

    FeedForward(x) = Linear(activation(Linear(x))) with hidden size dim_feedforward, and dropout after each part.

    Args:
        d_model: the size of each token's vector (the embedding size).
        nhead: the number of attention heads; d_model must be divisible by it.
        dim_feedforward: the hidden size of the feed-forward block (default 2048).
        dropout: the dropout probability after attention, inside and after the feed-forward block (default 0.1).
        activation: the feed-forward block's nonlinearity: 'relu' (default), 'gelu', or a callable.
        layer_norm_eps: the eps of the LayerNorms (default 1e-5).
        batch_first: whether inputs and outputs are (N, S, d_model) instead of (S, N, d_model) (default False).
        norm_first: apply each LayerNorm before its block (pre-norm) instead of after the residual sum (default False).
        bias: whether the Linear layers and LayerNorms have biases (default True).
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        forward(src (S, N, d_model), src_mask (S, S), src_key_padding_mask (N, S), is_causal)
        -> output of src's shape ((N, S, d_model) with batch_first).

    Example:
        >>> layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True)
        >>> layer(ember.ones(3, 5, 8)).shape
        torch.Size([3, 5, 8])
    """

    __constants__ = ("norm_first",)

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048, dropout: float = 0.1,
                 activation: str | Callable = F.relu, layer_norm_eps: float = 1e-5, batch_first: bool = False,
                 norm_first: bool = False, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        # construction order fixes the order of random draws; it is PyTorch's
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first,
                                            device=device, dtype=dtype)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, device=device, dtype=dtype)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, device=device, dtype=dtype)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, device=device, dtype=dtype)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, device=device, dtype=dtype)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        if isinstance(activation, str):
            activation = _get_activation_fn(activation)
        if activation is F.relu or isinstance(activation, ReLU):
            self.activation_relu_or_gelu = 1
        elif activation is F.gelu or isinstance(activation, GELU):
            self.activation_relu_or_gelu = 2
        else:
            self.activation_relu_or_gelu = 0
        self.activation = activation

    def __setstate__(self, state):
        super().__setstate__(state)
        if not hasattr(self, "activation"):
            self.activation = F.relu

    def forward(self, src: Tensor, src_mask: Tensor | None = None, src_key_padding_mask: Tensor | None = None,
                is_causal: bool = False) -> Tensor:
        src_key_padding_mask = _canonical_mask(src_key_padding_mask, "src_key_padding_mask",
                                               _none_or_dtype(src_mask), "src_mask", src.dtype)
        src_mask = _canonical_mask(src_mask, "src_mask", None, "", src.dtype, check_other=False)
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal=is_causal)
            return x + self._ff_block(self.norm2(x))
        x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal=is_causal))
        return self.norm2(x + self._ff_block(x))

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal=False):
        x = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask, need_weights=False,
                           is_causal=is_causal)[0]
        return self.dropout1(x)

    def _ff_block(self, x):
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))


def _why_no_nested(layer) -> str:
    """PyTorch's reason for not using nested tensors with this encoder layer ('' if it would)."""
    name = "encoder_layer"
    if not isinstance(layer, TransformerEncoderLayer):
        return f"{name} was not TransformerEncoderLayer"
    if layer.norm_first:
        return f"{name}.norm_first was True"
    if not layer.self_attn.batch_first:
        return f"{name}.self_attn.batch_first was not True(use batch_first for better inference performance)"
    if not layer.self_attn._qkv_same_embed_dim:
        return f"{name}.self_attn._qkv_same_embed_dim was not True"
    if layer.self_attn.in_proj_bias is None:
        return f"{name}.self_attn was passed bias=False"
    if not layer.activation_relu_or_gelu:
        return f"{name}.activation_relu_or_gelu was not True"
    if layer.norm1.eps != layer.norm2.eps:
        return f"{name}.norm1.eps was not equal to {name}.norm2.eps"
    if layer.self_attn.num_heads % 2 == 1:
        return f"{name}.self_attn.num_heads is odd"
    return ""


class TransformerEncoder(Module):
    """A stack of num_layers copies of an encoder layer (each with its own parameters), then an optional final norm.

    Args:
        encoder_layer: the TransformerEncoderLayer to copy (deep copies; the given layer itself is not used).
        num_layers: the number of layers.
        norm: a module applied to the last layer's output, e.g. LayerNorm(d_model) (default None).
        enable_nested_tensor: PyTorch's fast path for padded batches; ember computes the padded form and accepts
            the flag (default True).
        mask_check: whether to check the masks as PyTorch does (default True).

    Shape:
        forward(src, mask (S, S), src_key_padding_mask (N, S), is_causal) -> output of src's shape.

    Example:
        >>> layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True)
        >>> encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        >>> encoder(ember.ones(3, 5, 8)).shape
        torch.Size([3, 5, 8])
    """

    __constants__ = ("norm",)

    def __init__(self, encoder_layer: TransformerEncoderLayer, num_layers: int, norm: Module | None = None,
                 enable_nested_tensor: bool = True, mask_check: bool = True) -> None:
        super().__init__()
        self.layers = _get_clones(encoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.use_nested_tensor = enable_nested_tensor
        self.mask_check = mask_check
        why = _why_no_nested(encoder_layer)
        if enable_nested_tensor and why:
            warnings.warn(f"enable_nested_tensor is True, but self.use_nested_tensor is False because {why}",
                          stacklevel=2)
            self.use_nested_tensor = False

    def _nested_lengths(self, src: Tensor, key_padding_mask: Tensor | None, mask: Tensor | None):
        """The valid lengths when PyTorch would pack ``src`` into a nested tensor (eval, no grad, left-aligned
        padding), else None. Then the padded positions of the output are zeros."""
        first = self.layers[0]
        if not (getattr(self, "use_nested_tensor", False) and not first.training and src.dim() == 3
                and key_padding_mask is not None and mask is None):
            return None
        valid = ~key_padding_mask._data if key_padding_mask.dtype == D.bool_ else key_padding_mask._data == 0
        lengths = valid.sum(1)
        if getattr(self, "mask_check", True):
            left = valid == (np.arange(valid.shape[1])[None, :] < lengths[:, None])
            if not left.all():
                return None
        params = [p for p in first.parameters()]
        if grad_mode.is_grad_enabled() and (src.requires_grad or any(p.requires_grad for p in params)):
            return None
        return lengths

    def forward(self, src: Tensor, mask: Tensor | None = None, src_key_padding_mask: Tensor | None = None,
                is_causal: bool | None = None) -> Tensor:
        raw_padding = src_key_padding_mask
        src_key_padding_mask = _canonical_mask(src_key_padding_mask, "src_key_padding_mask", _none_or_dtype(mask),
                                               "mask", src.dtype)
        mask = _canonical_mask(mask, "mask", None, "", src.dtype, check_other=False)
        lengths = self._nested_lengths(src, raw_padding, mask)
        if lengths is not None and not _NESTED_WARNED:
            _NESTED_WARNED.append(True)
            warnings.warn("The PyTorch API of nested tensors is in prototype stage and will change in the near "
                          "future. We recommend specifying layout=torch.jagged when constructing a nested tensor, as "
                          "this layout receives active development, has better operator coverage, and works with "
                          "torch.compile.", UserWarning, stacklevel=2)
        batch_first = self.layers[0].self_attn.batch_first
        is_causal = _detect_is_causal_mask(mask, is_causal, _get_seq_len(src, batch_first))
        output = src
        for mod in self.layers:
            output = mod(output, src_mask=mask, is_causal=is_causal, src_key_padding_mask=src_key_padding_mask)
        if lengths is not None:  # the nested tensor is padded back with zeros
            keep = np.arange(src.shape[1])[None, :] < lengths[:, None]
            output = output * _wrap(keep[:, :, None].astype(output._data.dtype))
        if self.norm is not None:
            output = self.norm(output)
        return output


# -- the decoder ---------------------------------------------------------------------------------------------

class TransformerDecoderLayer(Module):
    """One decoder block of a Transformer: x = x + SelfAttention(x), x = x + Attention(x, memory), x = x + FeedForward(x),
    each sum followed by a LayerNorm (or, with norm_first, each block preceded by one).

    The cross-attention takes its queries from the target sequence and its keys and values from ``memory``, the
    encoder's output.

    Args:
        d_model: the size of each token's vector (the embedding size).
        nhead: the number of attention heads; d_model must be divisible by it.
        dim_feedforward: the hidden size of the feed-forward block (default 2048).
        dropout: the dropout probability after attention, inside and after the feed-forward block (default 0.1).
        activation: the feed-forward block's nonlinearity: 'relu' (default), 'gelu', or a callable.
        layer_norm_eps: the eps of the LayerNorms (default 1e-5).
        batch_first: whether inputs and outputs are (N, S, d_model) instead of (S, N, d_model) (default False).
        norm_first: apply each LayerNorm before its block (pre-norm) instead of after the residual sum (default False).
        bias: whether the Linear layers and LayerNorms have biases (default True).
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        forward(tgt (T, N, d_model), memory (S, N, d_model), tgt_mask (T, T), memory_mask (T, S),
        tgt_key_padding_mask (N, T), memory_key_padding_mask (N, S), tgt_is_causal, memory_is_causal)
        -> output of tgt's shape.

    Example:
        >>> layer = nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, batch_first=True)
        >>> layer(ember.ones(3, 4, 8), ember.ones(3, 5, 8)).shape
        torch.Size([3, 4, 8])
    """

    __constants__ = ("norm_first",)

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048, dropout: float = 0.1,
                 activation: str | Callable = F.relu, layer_norm_eps: float = 1e-5, batch_first: bool = False,
                 norm_first: bool = False, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=batch_first, bias=bias,
                                            device=device, dtype=dtype)
        self.multihead_attn = MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=batch_first,
                                                 bias=bias, device=device, dtype=dtype)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, device=device, dtype=dtype)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, device=device, dtype=dtype)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, device=device, dtype=dtype)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, device=device, dtype=dtype)
        self.norm3 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, device=device, dtype=dtype)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.dropout3 = Dropout(dropout)
        self.activation = _get_activation_fn(activation) if isinstance(activation, str) else activation

    def __setstate__(self, state):
        state.setdefault("activation", F.relu)
        super().__setstate__(state)

    def forward(self, tgt: Tensor, memory: Tensor, tgt_mask: Tensor | None = None,
                memory_mask: Tensor | None = None, tgt_key_padding_mask: Tensor | None = None,
                memory_key_padding_mask: Tensor | None = None, tgt_is_causal: bool = False,
                memory_is_causal: bool = False) -> Tensor:
        x = tgt
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), tgt_mask, tgt_key_padding_mask, tgt_is_causal)
            x = x + self._mha_block(self.norm2(x), memory, memory_mask, memory_key_padding_mask, memory_is_causal)
            return x + self._ff_block(self.norm3(x))
        x = self.norm1(x + self._sa_block(x, tgt_mask, tgt_key_padding_mask, tgt_is_causal))
        x = self.norm2(x + self._mha_block(x, memory, memory_mask, memory_key_padding_mask, memory_is_causal))
        return self.norm3(x + self._ff_block(x))

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal=False):
        x = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask, is_causal=is_causal,
                           need_weights=False)[0]
        return self.dropout1(x)

    def _mha_block(self, x, mem, attn_mask, key_padding_mask, is_causal=False):
        x = self.multihead_attn(x, mem, mem, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                                is_causal=is_causal, need_weights=False)[0]
        return self.dropout2(x)

    def _ff_block(self, x):
        return self.dropout3(self.linear2(self.dropout(self.activation(self.linear1(x)))))


class TransformerDecoder(Module):
    """A stack of num_layers copies of a decoder layer over (tgt, memory), then an optional final norm.

    Args:
        decoder_layer: the TransformerDecoderLayer to copy (deep copies).
        num_layers: the number of layers.
        norm: a module applied to the last layer's output (default None).

    Shape:
        forward(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask,
        tgt_is_causal, memory_is_causal) -> output of tgt's shape.

    Example:
        >>> layer = nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, batch_first=True)
        >>> nn.TransformerDecoder(layer, 2)(ember.ones(3, 4, 8), ember.ones(3, 5, 8)).shape
        torch.Size([3, 4, 8])
    """

    __constants__ = ("norm",)

    def __init__(self, decoder_layer: TransformerDecoderLayer, num_layers: int, norm: Module | None = None) -> None:
        super().__init__()
        self.layers = _get_clones(decoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(self, tgt: Tensor, memory: Tensor, tgt_mask: Tensor | None = None,
                memory_mask: Tensor | None = None, tgt_key_padding_mask: Tensor | None = None,
                memory_key_padding_mask: Tensor | None = None, tgt_is_causal: bool | None = None,
                memory_is_causal: bool = False) -> Tensor:
        seq_len = _get_seq_len(tgt, self.layers[0].self_attn.batch_first)
        tgt_is_causal = _detect_is_causal_mask(tgt_mask, tgt_is_causal, seq_len)
        output = tgt
        for mod in self.layers:
            output = mod(output, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                         tgt_key_padding_mask=tgt_key_padding_mask, memory_key_padding_mask=memory_key_padding_mask,
                         tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal)
        return self.norm(output) if self.norm is not None else output


class Transformer(Module):
    """The encoder-decoder Transformer (Vaswani et al., 2017): memory = Encoder(src), output = Decoder(tgt, memory).

    Both stacks end with a LayerNorm. After construction every parameter with more than one dimension is
    re-initialised with xavier_uniform_, as PyTorch does. ``Transformer.generate_square_subsequent_mask(T)``
    makes the causal mask that stops position t attending to later positions.

    Args:
        d_model: the size of each token's vector (default 512).
        nhead: the number of attention heads (default 8).
        num_encoder_layers: the encoder's depth (default 6).
        num_decoder_layers: the decoder's depth (default 6).
        dim_feedforward: the feed-forward blocks' hidden size (default 2048).
        dropout: the dropout probability (default 0.1).
        activation: 'relu' (default), 'gelu', or a callable.
        custom_encoder: a module to use as the encoder instead (default None).
        custom_decoder: a module to use as the decoder instead (default None).
        layer_norm_eps: the LayerNorms' eps (default 1e-5).
        batch_first: whether inputs and outputs are (N, S, d_model) instead of (S, N, d_model) (default False).
        norm_first: pre-norm layers (default False).
        bias: whether the Linear layers and LayerNorms have biases (default True).
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        forward(src (S, N, E), tgt (T, N, E), src_mask (S, S), tgt_mask (T, T), memory_mask (T, S), the three
        key padding masks (N, S) / (N, T) / (N, S), and the is_causal hints) -> output (T, N, E).

    Example:
        >>> model = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
        ...                        dim_feedforward=16, batch_first=True)
        >>> model(ember.ones(3, 5, 8), ember.ones(3, 4, 8)).shape
        torch.Size([3, 4, 8])
        >>> nn.Transformer.generate_square_subsequent_mask(3)
        tensor([[0., -inf, -inf],
                [0., 0., -inf],
                [0., 0., 0.]])
    """

    def __init__(self, d_model: int = 512, nhead: int = 8, num_encoder_layers: int = 6,
                 num_decoder_layers: int = 6, dim_feedforward: int = 2048, dropout: float = 0.1,
                 activation: str | Callable = F.relu, custom_encoder: Module | None = None,
                 custom_decoder: Module | None = None, layer_norm_eps: float = 1e-5, batch_first: bool = False,
                 norm_first: bool = False, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            layer = TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                                            batch_first, norm_first, bias, device=device, dtype=dtype)
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, device=device, dtype=dtype)
            self.encoder = TransformerEncoder(layer, num_encoder_layers, norm)
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            layer = TransformerDecoderLayer(d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                                            batch_first, norm_first, bias, device=device, dtype=dtype)
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, device=device, dtype=dtype)
            self.decoder = TransformerDecoder(layer, num_decoder_layers, norm)
        self._reset_parameters()
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def forward(self, src: Tensor, tgt: Tensor, src_mask: Tensor | None = None, tgt_mask: Tensor | None = None,
                memory_mask: Tensor | None = None, src_key_padding_mask: Tensor | None = None,
                tgt_key_padding_mask: Tensor | None = None, memory_key_padding_mask: Tensor | None = None,
                src_is_causal: bool | None = None, tgt_is_causal: bool | None = None,
                memory_is_causal: bool = False) -> Tensor:
        batched = src.dim() == 3
        if batched and src.size(0 if self.batch_first else 1) != tgt.size(0 if self.batch_first else 1):
            raise RuntimeError("the batch number of src and tgt must be equal")
        if src.size(-1) != self.d_model or tgt.size(-1) != self.d_model:
            raise RuntimeError("the feature number of src and tgt must be equal to d_model")
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask,
                              is_causal=src_is_causal)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask, tgt_is_causal=tgt_is_causal,
                            memory_is_causal=memory_is_causal)

    @staticmethod
    def generate_square_subsequent_mask(sz: int, device=None, dtype=None) -> Tensor:
        """The (sz, sz) causal mask: 0 on and below the diagonal, -inf above it."""
        return _generate_square_subsequent_mask(sz, dtype=dtype, device=device)

    def _reset_parameters(self) -> None:
        for p in self.parameters():
            if p.dim() > 1:
                init.xavier_uniform_(p)
