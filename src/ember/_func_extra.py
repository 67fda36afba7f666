"""torch.func's ``functionalize``, ``rearrange`` (einops' pattern language), ``replace_all_batch_norm_modules_`` and
``debug_unwrap``, for ember's eager transforms (re-exported by ``ember.func``)."""

from __future__ import annotations

import functools
import keyword

from ._core.tensor import Tensor
from ._pytree import _flatten, _unflatten
from .nn.modules.instancenorm import _InstanceNorm
from .nn.modules.normalization import _BatchNorm
from .ops.join import stack

__all__ = ["functionalize", "rearrange", "replace_all_batch_norm_modules_", "debug_unwrap"]

_REMOVE_HELP = ("\n     remove='mutations': all inplace and out= operators will be removed from the program, and replaced "
                "with their out-of-place equivalents.\n     remove='mutations_and_views': In addition to the above, all "
                "aliasing operators {view} will be replaced with their non-aliasing counterparts, {view}_copy.\n")


def _shares(t: Tensor, inputs) -> bool:
    base = t._data.base if t._data.base is not None else t._data
    for x in inputs:
        xb = x._data.base if x._data.base is not None else x._data
        if base is xb or t._data is x._data:
            return True
    return False


def functionalize(func, *, remove: str = "mutations"):
    """``func`` computed without in-place ops as PyTorch's functionalization sees it, eagerly: the same values,
    the inputs' mutations applied to them at the end (ember runs ``func`` itself, so they land as it runs); an
    output that is an input comes back as a new tensor, and with ``remove="mutations_and_views"`` every output
    that aliases an input is a copy."""
    if remove not in ("mutations", "mutations_and_views"):
        raise RuntimeError(f"functionalize(f, remove='mutations'): received invalid argument for remove={remove}. "
                           "Valid options are:" + _REMOVE_HELP)

    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        in_leaves, _ = _flatten((args, kwargs))
        inputs = [x for x in in_leaves if isinstance(x, Tensor)]
        out = func(*args, **kwargs)
        leaves, spec = _flatten(out)
        fixed = []
        for v in leaves:
            if isinstance(v, Tensor) and (any(v is x for x in inputs) or
                                          remove == "mutations_and_views" and _shares(v, inputs)):
                v = v.clone()
            fixed.append(v)
        return _unflatten(spec, fixed)

    return wrapped


def replace_all_batch_norm_modules_(root):
    """In place: every BatchNorm module in ``root`` (root included) stops tracking running statistics (its
    running_mean, running_var and num_batches_tracked become None); returns root."""
    for m in [root, *root.modules()]:
        if isinstance(m, _BatchNorm) and not isinstance(m, _InstanceNorm) and m.track_running_stats:
            m.running_mean = None
            m.running_var = None
            m.num_batches_tracked = None
            m.track_running_stats = False
    return root


def debug_unwrap(tensor: Tensor, *, recurse: bool = True) -> Tensor:
    """The tensor under a transform's wrapper; ember's transforms do not wrap tensors (vmap runs per slice, grad
    records on the tensors themselves), so this is ``tensor`` itself."""
    return tensor


# -- rearrange -----------------------------------------------------------------------------------------------

class DimensionBindError(Exception):
    """A split of an axis whose sizes cannot be inferred (PyTorch's functorch.dim error)."""

_ELLIPSIS = "…"


class _Expr:
    """One side of a pattern: its composition (a list of axis names, groups of them, and the ellipsis)."""

    def __init__(self, text: str) -> None:
        self.has_ellipsis = False
        self.ellipsis_in_group = False
        self.identifiers: set = set()
        self.composition: list = []
        if "." in text:
            if "..." not in text:
                raise ValueError("Expression may contain dots only inside ellipsis (...)")
            if text.count("...") != 1 or text.count(".") != 3:
                raise ValueError("Expression may contain dots only inside ellipsis (...); only one ellipsis for "
                                 "tensor ")
            text = text.replace("...", _ELLIPSIS)
            self.has_ellipsis = True
        group = None
        name = None

        def add(x):
            if x in self.identifiers and x != "1":
                raise ValueError(f"Indexing expression contains duplicate dimension '{x}'")
            if x == _ELLIPSIS:
                self.identifiers.add(_ELLIPSIS)
                if group is None:
                    self.composition.append(_ELLIPSIS)
                else:
                    group.append(_ELLIPSIS)
                    self.ellipsis_in_group = True
                return
            if x.isdecimal():
                if int(x) != 1:
                    raise ValueError("rearrange only supports unnamed axes of size 1")
                if group is None:
                    self.composition.append([])
                return
            if not (x.isidentifier() and not keyword.iskeyword(x) and not x.startswith("_") and not x.endswith("_")):
                raise ValueError(f"Invalid axis identifier: {x}\nnot a valid python identifier" if not
                                 x.isidentifier() else f"Invalid axis identifier: {x}\naxis name should not start "
                                 "or end with underscore")
            self.identifiers.add(x)
            if group is None:
                self.composition.append([x])
            else:
                group.append(x)

        for ch in text:
            if ch in "() ":
                if name is not None:
                    add(name)
                    name = None
                if ch == "(":
                    if group is not None:
                        raise ValueError("Axis composition is one-level (brackets inside brackets not allowed)")
                    group = []
                elif ch == ")":
                    if group is None:
                        raise ValueError("Brackets are not balanced")
                    self.composition.append(group)
                    group = None
            elif ch.isalnum() or ch in ("_", _ELLIPSIS):
                name = ch if name is None else name + ch
            else:
                raise ValueError(f"Unknown character '{ch}'")
        if group is not None:
            raise ValueError(f"Imbalanced parentheses in expression: '{text}'")
        if name is not None:
            add(name)


def rearrange(tensor, pattern: str, **axes_lengths) -> Tensor:
    """einops' ``rearrange``: reorder, split and merge axes as a pattern says ("b h w c -> b (h w) c"); a list
    of tensors is stacked first; ``axes_lengths`` give the sizes a split cannot infer."""
    if not isinstance(tensor, Tensor):
        tensor = stack(list(tensor))
    try:
        left_s, right_s = pattern.split("->")
    except ValueError:
        raise ValueError("Pattern must contain a single '->' separator") from None
    if _ELLIPSIS in axes_lengths:
        raise ValueError(f"'{_ELLIPSIS}' is not an allowed axis identifier")
    left, right = _Expr(left_s), _Expr(right_s)
    if not left.has_ellipsis and right.has_ellipsis:
        raise ValueError(f"Ellipsis found in right side, but not left side of a pattern {pattern}")
    if left.has_ellipsis and left.ellipsis_in_group:
        raise ValueError(f"Ellipsis is parenthesis in the left side is not allowed: {pattern}")
    for v in axes_lengths.values():
        if not isinstance(v, int):
            raise TypeError(f"rearrange axis lengths must be integers, got: {type(v)}")
    diff = set.symmetric_difference(left.identifiers, right.identifiers)
    if diff:
        raise ValueError(f"Identifiers only on one side of rearrange expression (should be on both): {diff}")
    unmatched = set(axes_lengths) - left.identifiers
    if unmatched:
        raise ValueError(f"Identifiers not found in rearrange expression: {unmatched}")
    ndim = tensor.ndim
    n_pat = len(left.composition)
    if left.has_ellipsis:
        if n_pat - 1 > ndim:
            raise ValueError(f"Number of dimensions in pattern ({n_pat - 1}) must be less than or equal to the number "
                             f"of dimensions in the tensor ({ndim})")
    elif n_pat != ndim:
        raise ValueError(f"Number of dimensions in pattern ({n_pat}) must be equal to the number of dimensions in "
                         f"the tensor ({ndim})")
    shape = tuple(tensor.shape)
    sizes: dict = {}
    elementary: list = []  # names of the split input axes, in order
    dim = 0
    for item in left.composition:
        if item == _ELLIPSIS:
            k = ndim - (n_pat - 1)
            for i in range(k):
                name = f"{_ELLIPSIS}{i}"
                sizes[name] = shape[dim + i]
                elementary.append(name)
            dim += k
            continue
        size = shape[dim]
        if not item:  # a unit axis "1" or "()"
            if size != 1:
                raise ValueError(f"Unexpected dimension: an axis of size {size} where the pattern has 1")
            dim += 1
            continue
        known, unknown = 1, None
        for name in item:
            if name in axes_lengths:
                sizes[name] = axes_lengths[name]
                known *= axes_lengths[name]
            elif len(item) == 1:
                sizes[name] = size
                known = size
            elif unknown is None:
                unknown = name
            else:
                first = len(elementary) + item.index(unknown)
                raise DimensionBindError(f"cannot infer the sizes of two dimensions at once d{first} and "
                                         f"d{len(elementary) + item.index(name)}")
        if unknown is not None:
            if known == 0 or size % known:
                parts = tuple("?" if n == unknown else axes_lengths[n] for n in item)
                raise DimensionBindError(f"inferred dimension does not evenly fit into larger dimension: {size} vs "
                                         f"{parts}")
            sizes[unknown] = size // known
        elif known != size:
            raise ValueError(f"Shape mismatch, {size} != {known}")
        elementary.extend(item)
        dim += 1
    x = tensor.reshape(tuple(sizes[n] for n in elementary)) if elementary else tensor.reshape(())
    order, out_shape = [], []
    ell = [n for n in elementary if n.startswith(_ELLIPSIS)]
    for item in right.composition:
        names = ell if item == _ELLIPSIS else [n for e in item for n in (ell if e == _ELLIPSIS else [e])]
        if item == _ELLIPSIS:
            order.extend(elementary.index(n) for n in names)
            out_shape.extend(sizes[n] for n in names)
            continue
        size = 1
        for n in names:
            order.append(elementary.index(n))
            size *= sizes[n]
        out_shape.append(size)
    if order != list(range(len(order))):
        x = x.permute(*order)
    return x.reshape(tuple(out_shape))
