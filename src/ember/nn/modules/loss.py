"""Loss modules: hold the options (reduction, weight...) and call ``nn.functional``."""

from __future__ import annotations

import math
import warnings

from ..._core.tensor import Tensor
from .. import functional as F
from .linear import Linear
from .module import Module

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CTCLoss",
    "CosineEmbeddingLoss",
    "CrossEntropyLoss",
    "HuberLoss",
    "KLDivLoss",
    "L1Loss",
    "LinearCrossEntropyLoss",
    "MSELoss",
    "MarginRankingLoss",
    "MultiLabelMarginLoss",
    "NLLLoss",
    "NLLLoss2d",
    "PoissonNLLLoss",
    "SmoothL1Loss",
    "SoftMarginLoss",
]


class _Loss(Module):
    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            reduction = F._reduction(size_average, reduce, reduction)
        self.reduction = reduction


class _WeightedLoss(_Loss):
    def __init__(self, weight: Tensor | None = None, size_average=None, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.weight: Tensor | None


class L1Loss(_Loss):
    """L1 loss: ℓ = |x - t| per element, then averaged (or summed): the mean absolute error.

    Its gradient is sign(x - t) (divided by the number of elements with 'mean'): every error counts
    the same, however large, which makes it robust to outliers.

    Args:
        reduction: 'mean' (default: the average over the elements), 'sum', or 'none' (the loss of every element).
        size_average, reduce: PyTorch's deprecated spellings of reduction (give reduction instead).

    Shape:
        input (*) and target (*) of the same shape -> a scalar, or (*) with reduction='none'.

    Example:
        >>> nn.L1Loss()(ember.tensor([1.0, 2.0, 5.0]), ember.tensor([1.5, 2.0, 2.0]))  # (0.5 + 0 + 3)/3
        tensor(1.1667)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    """Mean squared error: ℓ = (x - t)² per element, then averaged (or summed).

    Its gradient is 2(x - t) (divided by the number of elements with 'mean'): large errors
    dominate. The loss of seed 000's regression.

    Args:
        reduction: 'mean' (default: the average over the elements), 'sum', or 'none' (the loss of every element).
        size_average, reduce: PyTorch's deprecated spellings of reduction (give reduction instead).

    Shape:
        input (*) and target (*) of the same shape -> a scalar, or (*) with reduction='none'.

    Example:
        >>> x, t = ember.tensor([1.0, 2.0, 5.0]), ember.tensor([1.5, 2.0, 2.0])
        >>> nn.MSELoss()(x, t)  # (0.25 + 0 + 9)/3
        tensor(3.0833)
        >>> nn.MSELoss(reduction="none")(x, t)
        tensor([0.2500, 0.0000, 9.0000])
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """Smooth L1 loss: ℓ = 0.5 d²/β where |d| < β, |d| - 0.5β elsewhere, with d = x - t.

    Quadratic near zero, linear far away (Fast R-CNN's box regression loss); equal to
    HuberLoss(delta=β) divided by β. beta = 0 gives the L1 loss.

    Args:
        reduction: 'mean' (default: the average over the elements), 'sum', or 'none' (the loss of every element).
        size_average, reduce: PyTorch's deprecated spellings of reduction (give reduction instead).
        beta: β, where the two pieces meet (default 1).

    Shape:
        input (*) and target (*) of the same shape -> a scalar, or (*) with reduction='none'.

    Example:
        >>> nn.SmoothL1Loss()(ember.tensor([1.0, 2.0, 5.0]), ember.tensor([1.5, 2.0, 2.0]))  # (0.125 + 0 + 2.5)/3
        tensor(0.8750)
    """

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """Huber loss: ℓ = 0.5 d² where |d| ≤ δ, δ(|d| - 0.5δ) elsewhere, with d = x - t.

    Quadratic for small errors and linear for large ones; its gradient is d clipped to [-δ, δ].

    Args:
        reduction: 'mean' (default), 'sum' or 'none'.
        delta: δ, where the two pieces meet (default 1).

    Shape:
        input (*) and target (*) of the same shape -> a scalar, or (*) with reduction='none'.

    Example:
        >>> nn.HuberLoss(delta=2.0)(ember.tensor([1.0, 2.0, 5.0]), ember.tensor([1.5, 2.0, 2.0]))  # (0.125 + 0 + 4)/3
        tensor(1.3750)
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood: ℓ_n = -w_{t_n} x[n, t_n], x being log-probabilities (a LogSoftmax output).

    It picks, for each sample, minus the log-probability given to its target class t_n.

    Args:
        weight: a weight w_c for each class (C,), e.g. to make rare classes count more (default: all 1).
        ignore_index: a target value that contributes nothing, neither loss nor gradient (default -100).
        reduction: 'mean' (default: the weighted mean, Σ w_{t_n} ℓ_n / Σ w_{t_n}), 'sum' or 'none'.
        size_average, reduce: PyTorch's deprecated spellings of reduction.

    Shape:
        input (N, C) or (N, C, d1, ...) of log-probabilities, target (N) or (N, d1, ...) of class
        indices in [0, C) -> a scalar, or the target's shape with reduction='none'.

    Example:
        >>> log_p = ember.tensor([[-0.5, -1.0, -2.0], [-3.0, -0.1, -2.5]])
        >>> nn.NLLLoss()(log_p, ember.tensor([0, 1]))  # (0.5 + 0.1)/2
        tensor(0.3000)
    """

    def __init__(self, weight: Tensor | None = None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy of raw scores (logits): ℓ_n = -w_{t_n} log softmax(x_n)[t_n] = NLLLoss(LogSoftmax(x), t).

    The standard classification loss; give it the logits, not probabilities (it applies log_softmax itself,
    stably). The target is either class indices or class probabilities (then ℓ_n = -Σ_c w_c t[n, c]
    log softmax(x_n)[c]). Its gradient with respect to the logits is softmax(x_n) - onehot(t_n).
    label_smoothing = ε mixes the target with the uniform distribution: (1 - ε)·target + ε/C.

    Args:
        weight: a weight w_c for each class (C,), e.g. to make rare classes count more (default: all 1).
        ignore_index: a target value that contributes nothing, neither loss nor gradient (default -100).
        reduction: 'mean' (default: the weighted mean, Σ w_{t_n} ℓ_n / Σ w_{t_n}), 'sum' or 'none'.
        label_smoothing: ε in [0, 1] (default 0).
        size_average, reduce: PyTorch's deprecated spellings of reduction.

    Shape:
        input (N, C) or (N, C, d1, ...) of logits (or (C,) for one sample), target (N) of class indices or
        (N, C) of probabilities -> a scalar, or (N, ...) with reduction='none'.

    Example:
        >>> logits = ember.tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
        >>> nn.CrossEntropyLoss()(logits, ember.tensor([0, 2]))  # (ln(e² + 2) - 2 + ln 3)/2
        tensor(0.6691)
        >>> nn.CrossEntropyLoss()(logits, ember.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]))  # as probabilities
        tensor(0.6691)
    """

    def __init__(self, weight: Tensor | None = None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities: ℓ = -w (t ln x + (1 - t) ln(1 - x)), x in [0, 1].

    For binary (or multi-label) targets in [0, 1]; x is usually a Sigmoid output. The logarithms
    are clamped at -100, as in PyTorch, so x = 0 or 1 gives a finite loss. BCEWithLogitsLoss is
    the numerically safer choice.

    Args:
        weight: a rescaling weight, broadcast against the input (default None).
        reduction: 'mean' (default: the average over the elements), 'sum', or 'none' (the loss of every element).
        size_average, reduce: PyTorch's deprecated spellings of reduction (give reduction instead).

    Shape:
        input (*) and target (*) of the same shape -> a scalar, or (*) with reduction='none'.

    Example:
        >>> nn.BCELoss()(ember.tensor([0.9, 0.2]), ember.tensor([1.0, 0.0]))  # -(ln 0.9 + ln 0.8)/2
        tensor(0.1643)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of logits: ℓ = -w (p·t ln σ(x) + (1 - t) ln(1 - σ(x))), computed stably from x itself.

    The same as Sigmoid followed by BCELoss, without the overflow or the loss of precision for large |x|. Its
    gradient with respect to x is σ(x) - t (with p = 1, w = 1).

    Args:
        weight: a rescaling weight w, broadcast against the input (default None).
        reduction: 'mean' (default: the average over the elements), 'sum', or 'none' (the loss of every element).
        size_average, reduce: PyTorch's deprecated spellings of reduction (give reduction instead).
        pos_weight: a weight p of the positive term for each class (the last dimension), e.g. negatives/positives
            to balance rare positives (default None).

    Shape:
        input (*) and target (*) of the same shape -> a scalar, or (*) with reduction='none'.

    Example:
        >>> nn.BCEWithLogitsLoss()(ember.tensor([2.0, -1.0]), ember.tensor([1.0, 0.0]))
        tensor(0.2201)
        >>> nn.BCEWithLogitsLoss(pos_weight=ember.tensor([3.0]))(ember.tensor([0.0]), ember.tensor([1.0]))  # 3 ln 2
        tensor(2.0794)
    """

    def __init__(self, weight: Tensor | None = None, size_average=None, reduce=None, reduction: str = "mean",
                 pos_weight: Tensor | None = None) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(input, target, self.weight, pos_weight=self.pos_weight,
                                                  reduction=self.reduction)


class KLDivLoss(_Loss):
    """Kullback-Leibler divergence: ℓ = t (ln t - x), x the log-probabilities of the model and t the target's.

    Summed over a distribution it is KL(t ‖ exp x) = Σ t ln(t / exp x) ≥ 0, 0 when the two agree. Use
    reduction='batchmean' for the true divergence per sample ('mean' divides by every element, as PyTorch
    does, and warns).

    Args:
        reduction: 'mean' (default), 'batchmean' (the sum divided by the batch size), 'sum' or 'none'.
        size_average, reduce: PyTorch's deprecated spellings of reduction.
        log_target: whether the target is given as log-probabilities too (default False).

    Shape:
        input (*) and target (*) of the same shape -> a scalar, or (*) with reduction='none'.

    Example:
        >>> model = ember.tensor([[0.5, 0.5]]).log()
        >>> nn.KLDivLoss(reduction="batchmean")(model, ember.tensor([[0.9, 0.1]]))  # 0.9 ln 1.8 + 0.1 ln 0.2
        tensor(0.3681)
    """

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean", log_target: bool = False) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class PoissonNLLLoss(_Loss):
    """Negative log-likelihood of a Poisson target: ℓ = e^x - t x (log_input) or x - t ln(x + eps).

    For count data: the model predicts the rate λ (or ln λ) and the target is a count. full=True adds
    Stirling's approximation of ln(t!), t ln t - t + ½ ln(2πt), for t > 1.

    Args:
        log_input: whether the input is ln λ (default True) or λ itself.
        full: whether to add the Stirling term (default False).
        eps: added to λ before the logarithm when
            log_input is False (default 1e-8).
        reduction: 'mean' (default: the average over the elements), 'sum', or 'none' (the loss of every element).
        size_average, reduce: PyTorch's deprecated spellings of reduction (give reduction instead).

    Shape:
        input (*) and target (*) of the same shape -> a scalar, or (*) with reduction='none'.

    Example:
        >>> nn.PoissonNLLLoss()(ember.tensor([0.0, 1.0]), ember.tensor([1.0, 2.0]))  # (1 + (e - 2))/2
        tensor(0.8591)
    """

    def __init__(self, log_input: bool = True, full: bool = False, size_average=None, eps: float = 1e-8,
                 reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input: Tensor, target: Tensor) -> Tensor:
        return F.poisson_nll_loss(log_input, target, log_input=self.log_input, full=self.full, eps=self.eps,
                                  reduction=self.reduction)


class MarginRankingLoss(_Loss):
    """Margin ranking loss: ℓ = max(0, -y (x1 - x2) + margin), y = 1 if x1 should rank higher, -1 if x2 should.

    Zero once the right input is ahead by at least the margin.

    Args:
        margin: the required lead (default 0).
        reduction: 'mean' (default: the average over the elements), 'sum', or 'none' (the loss of every element).
        size_average, reduce: PyTorch's deprecated spellings of reduction (give reduction instead).

    Shape:
        input1 (N) or (), input2 and target y of the same shape -> a scalar, or (N) with reduction='none'.

    Example:
        >>> m = nn.MarginRankingLoss(margin=0.5)
        >>> m(ember.tensor([1.0, 0.2]), ember.tensor([0.8, 0.9]), ember.tensor([1.0, -1.0]))  # (0.3 + 0)/2
        tensor(0.1500)
    """

    def __init__(self, margin: float = 0.0, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return F.margin_ranking_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class SoftMarginLoss(_Loss):
    """Soft margin loss: ℓ = ln(1 + e^(-y x)) for labels y = ±1 (a logistic loss).

    Averaged over all elements with 'mean'.

    Args:
        reduction: 'mean' (default: the average over the elements), 'sum', or 'none' (the loss of every element).
        size_average, reduce: PyTorch's deprecated spellings of reduction (give reduction instead).

    Shape:
        input (*) and target (*) of the same shape -> a scalar, or (*) with reduction='none'.

    Example:
        >>> nn.SoftMarginLoss()(ember.tensor([2.0, -1.0]), ember.tensor([1.0, 1.0]))  # (ln(1 + e⁻²) + ln(1 + e))/2
        tensor(0.7201)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.soft_margin_loss(input, target, reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    """Cosine embedding loss: ℓ = 1 - cos(x1, x2) for y = 1, max(0, cos(x1, x2) - margin) for y = -1.

    Pulls pairs labelled similar towards the same direction and pushes dissimilar pairs apart.

    Args:
        margin: for dissimilar pairs, the cosine below which there is no loss (in [-1, 1], default 0).
        reduction: 'mean' (default: the average over the elements), 'sum', or 'none' (the loss of every element).
        size_average, reduce: PyTorch's deprecated spellings of reduction (give reduction instead).

    Shape:
        input1 (N, D) or (D), input2 the same, target (N) or () of ±1 -> a scalar, or (N) with reduction='none'.

    Example:
        >>> x1 = ember.tensor([[1.0, 0.0], [1.0, 1.0]])
        >>> x2 = ember.tensor([[0.0, 1.0], [1.0, 1.0]])
        >>> nn.CosineEmbeddingLoss()(x1, x2, ember.tensor([1.0, -1.0]))  # (1 - 0 + 1 - 0)/2
        tensor(1.)
    """

    def __init__(self, margin: float = 0.0, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return F.cosine_embedding_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class NLLLoss2d(NLLLoss):
    """NLLLoss under its old name for (N, C, H, W) inputs: deprecated, as in PyTorch (it warns).

    It computes exactly what NLLLoss computes.

    Args:
        weight: a weight w_c for each class (C,), e.g. to make rare classes count more (default: all 1).
        ignore_index: a target value that contributes nothing, neither loss nor gradient (default -100).
        reduction: 'mean' (default: the weighted mean, Σ w_{t_n} ℓ_n / Σ w_{t_n}), 'sum' or 'none'.
        size_average, reduce: PyTorch's deprecated spellings of reduction.

    Shape:
        input (N, C, H, W), target (N, H, W) -> a scalar, or (N, H, W) with reduction='none'.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     m = nn.NLLLoss2d()
        >>> m(ember.full((1, 3, 2, 2), -1.0), ember.zeros(1, 2, 2, dtype=ember.long))
        tensor(1.)
    """

    def __init__(self, weight: Tensor | None = None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean") -> None:
        warnings.warn("`NLLLoss2d` has been deprecated. Please use `NLLLoss` instead as a drop-in replacement and see "
                      "https://pytorch.org/docs/main/nn.html#torch.nn.NLLLoss for more details.", FutureWarning,
                      stacklevel=2)
        super().__init__(weight, size_average, ignore_index, reduce, reduction)


class CTCLoss(_Loss):
    """Connectionist temporal classification: ℓ = -ln p(target | input), summed over every alignment of the target.

    For sequence labelling without an alignment (speech, handwriting): an alignment of a target of length S to
    T input steps spells the target after merging repeats and removing blanks. p is computed by the
    forward-backward recursion over the target with blanks interleaved (Graves et al., 2006). With 'mean', each
    sample's loss is divided by its target length, then averaged over the batch.

    Args:
        blank: the index of the blank label (default 0).
        reduction: 'mean' (default), 'sum' or 'none'.
        zero_infinity: replace infinite losses (a target too long for its input) and their gradients by 0
            (default False).

    Shape:
        log_probs (T, N, C) (log_softmax outputs), targets (N, S) or all targets concatenated,
        input_lengths (N), target_lengths (N) -> a scalar, or (N) with reduction='none'.

    Example:
        >>> _ = ember.manual_seed(0)
        >>> log_probs = ember.randn(6, 2, 4).log_softmax(2)  # T = 6 steps, N = 2, C = 4 with blank 0
        >>> nn.CTCLoss()(log_probs, ember.tensor([[1, 2], [3, 3]]), ember.tensor([6, 6]), ember.tensor([2, 2]))
        tensor(3.2347)
    """

    __constants__ = ("blank", "reduction")

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> None:
        super().__init__(reduction=reduction)
        self.blank = blank
        self.zero_infinity = zero_infinity

    def forward(self, log_probs: Tensor, targets: Tensor, input_lengths, target_lengths) -> Tensor:
        return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank, self.reduction,
                          self.zero_infinity)


class MultiLabelMarginLoss(_Loss):
    """Multi-label margin loss: ℓ = Σ_{j ∈ targets} Σ_{i ∉ targets} max(0, 1 - (x[j] - x[i])) / C.

    Every target class should score at least 1 above every non-target class. The target row lists the target
    classes first and ends at the first -1.

    Args:
        reduction: 'mean' (default: the average over the elements), 'sum', or 'none' (the loss of every element).
        size_average, reduce: PyTorch's deprecated spellings of reduction (give reduction instead).

    Shape:
        input (C) or (N, C), target of the same shape (class indices, padded with -1) -> a scalar, or (N).

    Example:
        >>> x = ember.tensor([[0.1, 0.2, 0.4, 0.8]])
        >>> nn.MultiLabelMarginLoss()(x, ember.tensor([[3, 0, -1, 1]]))  # targets 3, 0: (0.4 + 0.6 + 1.1 + 1.3)/4
        tensor(0.8500)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.multilabel_margin_loss(input, target, reduction=self.reduction)


class LinearCrossEntropyLoss(_WeightedLoss):
    """cross_entropy(linear(input), target), with the linear layer (in_features -> num_classes) held by the loss.

    The fused form of a classifier's last Linear layer and CrossEntropyLoss, which PyTorch can compute in chunks
    (see LinearCrossEntropyOptions); ember computes the same values in one piece.

    Args:
        in_features: the size of each input vector.
        num_classes: the number of classes C.
        out_features: extra output dimensions (the layer maps to num_classes·Π out_features) (default ()).
        bias: whether the linear layer has a bias (default False).
        device, dtype: where and in which dtype the layer's parameters are created.
        reduction: 'mean' (default), 'sum' or 'none'.
        weight: a weight for each class (default None).
        ignore_index: a target value that contributes nothing (default None: none).
        label_smoothing: as in CrossEntropyLoss (default 0).
        options: a LinearCrossEntropyOptions (default None: the defaults).

    Shape:
        input (N, in_features), target (N) of class indices -> a scalar, or (N) with reduction='none'.

    Example:
        >>> m = nn.LinearCrossEntropyLoss(8, 5)
        >>> m.linear
        Linear(in_features=8, out_features=5, bias=False)
        >>> m(ember.randn(4, 8), ember.tensor([0, 1, 2, 3])).shape
        torch.Size([])
    """

    __constants__ = ("num_classes", "out_features", "reduction", "ignore_index", "label_smoothing")

    def __init__(self, in_features: int, num_classes: int, *, out_features: tuple = (), bias: bool = False,
                 device=None, dtype=None, reduction: str = "mean", weight: Tensor | None = None,
                 ignore_index: int | None = None, label_smoothing: float = 0.0, options=None) -> None:
        if weight is not None and tuple(weight.shape) != (num_classes,):
            raise RuntimeError(f"expected weight shape to be {(num_classes,)}, got {tuple(weight.shape)}")
        if label_smoothing < 0 or label_smoothing > 1.0:
            raise RuntimeError(f"expected label_smoothing to be in range [0, 1], got {label_smoothing}")
        super().__init__(weight=weight, reduction=reduction)
        self.num_classes = num_classes
        self.out_features = out_features
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing
        self.linear = Linear(in_features, math.prod(out_features, start=num_classes), bias=bias, device=device, dtype=dtype)
        self.options = options

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        w = self.linear.weight.reshape((self.num_classes, *self.out_features, self.linear.in_features))
        b = self.linear.bias
        b = b.reshape((self.num_classes, *self.out_features)) if b is not None else None
        return F.linear_cross_entropy(input, w, target, linear_bias=b, weight=self.weight, reduction=self.reduction,
                                      ignore_index=self.ignore_index, label_smoothing=self.label_smoothing,
                                      options=self.options)

    def extra_repr(self) -> str:
        return (f"in_features={self.linear.in_features}, num_classes={self.num_classes}, "
                f"out_features={self.out_features}, bias={self.linear.bias is not None}, reduction={self.reduction}, "
                f"ignore_index={self.ignore_index}, label_smoothing={self.label_smoothing}, options={self.options}")
