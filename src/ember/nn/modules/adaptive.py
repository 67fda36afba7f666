"""``AdaptiveLogSoftmaxWithLoss``: a softmax over many classes, cheap for the frequent ones.

The classes are split at ``cutoffs`` into a shortlist and clusters. The head scores the shortlist and one entry
per cluster; each cluster has its own small two-layer projection (narrower by ``div_value`` per cluster). The
log-probability of a class in cluster k is log p(cluster k | head) + log p(class | cluster k).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence

from ... import ops as AF
from ..._core.tensor import Tensor
from ...ops import creation as C
from .. import functional as F
from .container import ModuleList, Sequential
from .linear import Linear
from .module import Module

__all__ = ["AdaptiveLogSoftmaxWithLoss"]

_ASMoutput = namedtuple("_ASMoutput", ["output", "loss"])


class AdaptiveLogSoftmaxWithLoss(Module):
    """The adaptive softmax (Grave et al., 2016): a cheaper log-softmax for very many classes, most of them rare.

    The classes, sorted by frequency, are split by ``cutoffs`` into a head (the frequent ones) and tail clusters.
    The head is a Linear layer over the frequent classes plus one entry per cluster; each cluster is a small
    two-layer projection (its hidden size divided by div_value for each later cluster) over its own classes. The
    log-probability of a rare class is log p(cluster) + log p(class | cluster).

    Args:
        in_features: the size of each input vector.
        n_classes: the number of classes.
        cutoffs: increasing class indices where the clusters start, e.g. [4] puts classes 0-3 in the head.
        div_value: the factor by which each cluster's hidden size shrinks (default 4).
        head_bias: whether the head's Linear has a bias (default False).
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        forward(input (N, in_features), target (N,)) -> (output (N,), loss ()): output[i] is the log-probability of
        target[i] and loss their negative mean. ``log_prob(input)`` gives all (N, n_classes) log-probabilities and
        ``predict(input)`` the most likely classes.

    Example:
        >>> _ = ember.manual_seed(0)
        >>> m = nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs=[4])
        >>> out = m(ember.randn(5, 8), ember.tensor([0, 3, 5, 9, 4]))
        >>> out.output.shape, out.loss.shape
        (torch.Size([5]), torch.Size([]))
        >>> m.log_prob(ember.randn(2, 8)).exp().sum(1)  # doctest: +ELLIPSIS
        tensor([1.0000, 1.0000]...)
    """

    def __init__(self, in_features: int, n_classes: int, cutoffs: Sequence[int], div_value: float = 4.0,
                 head_bias: bool = False, device=None, dtype=None) -> None:
        super().__init__()
        cutoffs = list(cutoffs)
        if len(cutoffs) == 0:
            raise ValueError("cutoffs should be a sequence of length larger than 0")
        if (cutoffs != sorted(cutoffs) or min(cutoffs) <= 0 or max(cutoffs) > n_classes - 1
                or len(set(cutoffs)) != len(cutoffs) or any(int(c) != c for c in cutoffs)):
            raise ValueError("cutoffs should be a sequence of unique, positive integers sorted in an increasing "
                             "order, where each value is between 1 and n_classes-1")
        self.in_features = in_features
        self.n_classes = n_classes
        self.cutoffs = cutoffs + [n_classes]
        self.div_value = div_value
        self.head_bias = head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = Linear(in_features, self.head_size, bias=head_bias, device=device, dtype=dtype)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hsz = int(in_features // (div_value ** (i + 1)))
            osz = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(Sequential(Linear(in_features, hsz, bias=False, device=device, dtype=dtype),
                                        Linear(hsz, osz, bias=False, device=device, dtype=dtype)))

    def reset_parameters(self) -> None:
        self.head.reset_parameters()
        for i2h, h2o in self.tail:
            i2h.reset_parameters()
            h2o.reset_parameters()

    def forward(self, input_: Tensor, target_: Tensor) -> _ASMoutput:
        targ_dim = target_.dim()
        if targ_dim == 1:
            if input_.size(0) != target_.size(0):
                raise RuntimeError("Input and target should have the same size in the batch dimension.")
            if input_.dim() != 2:
                raise RuntimeError(f"1D target tensor expects 2D input tensors, but found inputs with size "
                                   f"{input_.size()}")
        elif targ_dim == 0:
            if input_.dim() != 1:
                raise RuntimeError(f"0D target tensor expects 1D input tensors, but found inputs with size "
                                   f"{input_.size()}")
        else:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        batched = targ_dim > 0
        input = input_ if batched else input_.unsqueeze(0)
        target = target_ if batched else target_.unsqueeze(0)
        used = 0
        n = target.size(0)
        output = input.new_zeros(n)
        gather = target.new_empty(n)
        bounds = [0] + self.cutoffs
        for i in range(len(bounds) - 1):
            lo, hi = bounds[i], bounds[i + 1]
            mask = (target >= lo) & (target < hi)
            rows = mask.nonzero().reshape(-1)  # (PyTorch squeezes; a 1-D index is the same rows)
            if rows.numel() == 0:
                continue
            if i == 0:
                gather.index_copy_(0, rows, target[mask])
            else:
                relative = target[mask] - lo
                cluster_out = self.tail[i - 1](input.index_select(0, rows))
                gather.index_fill_(0, rows, self.shortlist_size + i - 1)
                local = F.log_softmax(cluster_out, dim=1).gather(1, relative.unsqueeze(1))
                output.index_copy_(0, rows, local.squeeze(1))
            used += rows.numel()
        if used != n:
            raise RuntimeError(f"Target values should be in [0, {self.n_classes - 1}], but values in range "
                               f"[{target.min().item()}, {target.max().item()}] were found. ")
        head_logprob = F.log_softmax(self.head(input), dim=1)
        output = output + head_logprob.gather(1, gather.unsqueeze(1)).squeeze()
        loss = (-output).mean()
        if not batched:
            output = output.squeeze(0)
        return _ASMoutput(output, loss)

    def _get_full_log_prob(self, input: Tensor, head_output: Tensor) -> Tensor:
        out = C.empty((head_output.size(0), self.n_classes), dtype=input.dtype)
        head_logprob = F.log_softmax(head_output, dim=1)
        out[:, :self.shortlist_size] = head_logprob[:, :self.shortlist_size]
        for i, (start, stop) in enumerate(zip(self.cutoffs, self.cutoffs[1:])):
            cluster_logprob = F.log_softmax(self.tail[i](input), dim=1)
            out[:, start:stop] = cluster_logprob + head_logprob[:, self.shortlist_size + i].unsqueeze(1)
        return out

    def log_prob(self, input: Tensor) -> Tensor:
        """log p(class | input) for every class: (N, n_classes)."""
        return self._get_full_log_prob(input, self.head(input))

    def predict(self, input: Tensor) -> Tensor:
        """The most likely class of each row (the full distribution is computed only where the head points into a
        cluster)."""
        head_output = self.head(input)
        output = AF.argmax(head_output, 1)
        outside = output >= self.shortlist_size
        if not bool(outside.any()):
            return output
        if bool(outside.all()):
            return AF.argmax(self._get_full_log_prob(input, head_output), 1)
        log_prob = self._get_full_log_prob(input[outside], head_output[outside])
        output[outside] = AF.argmax(log_prob, 1)
        return output
