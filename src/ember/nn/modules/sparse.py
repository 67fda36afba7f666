"""``Embedding`` (a lookup table of learnable vectors) and ``EmbeddingBag`` (sums, means or maxima of bags of them)."""

from __future__ import annotations

from ..._core.tensor import Tensor
from ...autograd import grad_mode
from ...ops import creation as C
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Embedding", "EmbeddingBag"]


class Embedding(Module):
    """A lookup table: y = W[idx], row idx of a learned matrix W for each integer in the input.

    Turns token or category ids into vectors. The gradient of W is the incoming gradient added into the rows that
    were looked up (a row looked up twice gets both contributions).

    Args:
        num_embeddings: the number of rows (the vocabulary size).
        embedding_dim: the size of each vector.
        padding_idx: a row that stays zero and gets no gradient (for padding tokens); negative counts from the end.
        max_norm: if given, each looked-up row whose norm exceeds it is rescaled, in place in W, to this norm.
        norm_type: the p of the p-norm used with max_norm (default 2).
        scale_grad_by_freq: divide each row's gradient by how often it occurs in the batch (default False).
        sparse: PyTorch's sparse gradient for W; ember has no sparse tensors, so the gradient is dense (same values).
        _weight: an initial W to use instead of a random one (``from_pretrained`` passes it).
        _freeze: with _weight: make W not require grad.
        device, dtype: where and in which dtype W is created.

    Shape:
        input (*) of integer indices -> output (*, embedding_dim).

    Parameters:
        weight W (num_embeddings, embedding_dim), drawn from N(0, 1), row padding_idx zeroed.
        ``Embedding.from_pretrained(W, freeze=True)`` makes one from a given matrix.

    Example:
        >>> m = nn.Embedding.from_pretrained(ember.tensor([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]]))
        >>> m(ember.tensor([2, 0]))
        tensor([[2., 2.],
                [1., 0.]])
        >>> nn.Embedding(10, 3, padding_idx=0)(ember.tensor([[0, 2], [2, 9]])).shape
        torch.Size([2, 2, 3])
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                 sparse: bool = False, _weight: Tensor | None = None, _freeze: bool = False, device=None,
                 dtype=None) -> None:
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        if padding_idx is not None:
            if padding_idx > 0:
                if padding_idx >= num_embeddings:
                    raise AssertionError("Padding_idx must be within num_embeddings")
            elif padding_idx < 0:
                if padding_idx < -num_embeddings:
                    raise AssertionError("Padding_idx must be within num_embeddings")
                padding_idx = num_embeddings + padding_idx
        self.padding_idx = padding_idx
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        if _weight is None:
            self.weight = Parameter(C.empty((num_embeddings, embedding_dim), device=device, dtype=dtype),
                                    requires_grad=not _freeze)
            self.reset_parameters()
        else:
            if list(_weight.shape) != [num_embeddings, embedding_dim]:
                raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
            self.weight = Parameter(_weight, requires_grad=not _freeze)
        self.sparse = sparse

    def reset_parameters(self) -> None:
        """W ~ N(0, 1); the padding row is zeroed."""
        init.normal_(self.weight)
        self._fill_padding_idx_with_zero()

    def _fill_padding_idx_with_zero(self) -> None:
        if self.padding_idx is not None:
            with grad_mode.no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input: Tensor) -> Tensor:
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += ", scale_grad_by_freq=True"
        if self.sparse is not False:
            s += ", sparse=True"
        return s

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True, padding_idx: int | None = None,
                        max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> Embedding:
        """An Embedding whose weight is ``embeddings`` (frozen unless ``freeze=False``)."""
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        return cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, _freeze=freeze,
                   padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                   scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


class EmbeddingBag(Module):
    """Sums, means or maxima of bags of embeddings: y_b = reduce over i in bag b of w_i·W[i], without building the
    intermediate (bag size, embedding_dim) tensors.

    The input is either 2-d, (B, n): B bags of n indices each, or 1-d with ``offsets``: the indices of all bags one
    after another, offsets[b] the start of bag b. forward(input, offsets=None, per_sample_weights=None) accepts
    per-sample weights w_i with mode='sum'.

    Args:
        num_embeddings: the number of rows of W.
        embedding_dim: the size of each vector.
        max_norm, norm_type, scale_grad_by_freq: as in Embedding.
        mode: 'mean' (default), 'sum' or 'max'.
        sparse: accepted; ember computes a dense gradient (same values).
        _weight: an initial W instead of a random one.
        include_last_offset: whether offsets has B + 1 entries, the last being the total length (default False).
        padding_idx: indices equal to it are left out of their bag (and W's row gets no gradient).
        device, dtype: where and in which dtype W is created.

    Shape:
        input (B, n), or (total,) with offsets (B,) -> output (B, embedding_dim).

    Example:
        >>> W = ember.tensor([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
        >>> m = nn.EmbeddingBag.from_pretrained(W, mode="mean")
        >>> m(ember.tensor([[0, 1], [2, 2]]))  # mean of rows 0, 1 and of rows 2, 2
        tensor([[0.5000, 0.5000],
                [2.0000, 2.0000]])
        >>> nn.EmbeddingBag(10, 3, mode="sum")(ember.tensor([1, 2, 4, 5, 4, 3]), ember.tensor([0, 4])).shape
        torch.Size([2, 3])
    """

    __constants__ = ("num_embeddings", "embedding_dim", "max_norm", "norm_type", "scale_grad_by_freq", "mode",
                     "sparse", "include_last_offset", "padding_idx")

    def __init__(self, num_embeddings: int, embedding_dim: int, max_norm: float | None = None,
                 norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                 _weight: Tensor | None = None, include_last_offset: bool = False, padding_idx: int | None = None,
                 device=None, dtype=None) -> None:
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        if padding_idx is not None:
            if padding_idx > 0:
                if padding_idx >= num_embeddings:
                    raise AssertionError("padding_idx must be within num_embeddings")
            elif padding_idx < 0:
                if padding_idx < -num_embeddings:
                    raise AssertionError("padding_idx must be within num_embeddings")
                padding_idx = num_embeddings + padding_idx
        self.padding_idx = padding_idx
        if _weight is None:
            self.weight = Parameter(C.empty((num_embeddings, embedding_dim), device=device, dtype=dtype))
            self.reset_parameters()
        else:
            if list(_weight.shape) != [num_embeddings, embedding_dim]:
                raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
            self.weight = Parameter(_weight)
        self.mode = mode
        self.sparse = sparse
        self.include_last_offset = include_last_offset

    def reset_parameters(self) -> None:
        """W ~ N(0, 1); the padding row is zeroed."""
        init.normal_(self.weight)
        self._fill_padding_idx_with_zero()

    def _fill_padding_idx_with_zero(self) -> None:
        if self.padding_idx is not None:
            with grad_mode.no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input: Tensor, offsets: Tensor | None = None,
                per_sample_weights: Tensor | None = None) -> Tensor:
        return F.embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type, self.scale_grad_by_freq,
                               self.mode, self.sparse, per_sample_weights, self.include_last_offset,
                               self.padding_idx)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings!r}, {self.embedding_dim!r}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm!r}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type!r}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq!r}"
        s += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx!r}"
        return s

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True, max_norm: float | None = None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean",
                        sparse: bool = False, include_last_offset: bool = False,
                        padding_idx: int | None = None) -> EmbeddingBag:
        """An EmbeddingBag whose weight is ``embeddings`` (frozen unless ``freeze=False``)."""
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        bag = cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, max_norm=max_norm,
                  norm_type=norm_type, scale_grad_by_freq=scale_grad_by_freq, mode=mode, sparse=sparse,
                  include_last_offset=include_last_offset, padding_idx=padding_idx)
        bag.weight.requires_grad = not freeze
        return bag
