"""How an op is reached from outside its file, declared right below it: ``expose(exp, method=True, inplace=True)``.

Each declaration names the op's ``torch.*`` names, its ``Tensor`` methods, its in-place forms (``x.exp_()``) and
the operators it serves. ``ember._bind`` reads them all and attaches them: methods and operators are the op
functions themselves (no wrapper frame, no cost per call); in-place forms are made by ``ember.ops.inplace``;
torch names go into the top-level namespace. Nothing is attached here, so declaring costs nothing at import.
"""

from __future__ import annotations

__all__ = ["expose", "DECLARED", "Exposure"]


class Exposure:
    """One op's names: ``torch`` (torch.*), ``methods`` (Tensor.*), ``inplace`` (Tensor.*_), ``operators``
    (``__add__`` ...: bound as they are) and ``props`` (read-only Tensor properties such as ``x.T``)."""

    __slots__ = ("fn", "torch", "methods", "inplace", "operators", "props", "out")

    def __init__(self, fn, torch, methods, inplace, operators, props, out=False):
        self.fn, self.torch, self.methods, self.inplace = fn, torch, methods, inplace
        self.operators, self.props, self.out = operators, props, out

    def __repr__(self):
        return (f"Exposure({self.fn.__name__}: torch={self.torch}, methods={self.methods}, inplace={self.inplace}, "
                f"operators={self.operators}, props={self.props})")


DECLARED: list[Exposure] = []


def _names(value, default) -> tuple:
    if value is True:
        return (default,)
    if not value:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def expose(fn, *, torch=True, method=False, inplace=False, operators=(), prop=(), out=False):
    """Declare ``fn``'s names. ``True`` means the function's own name (for ``inplace``: each method name with
    ``_`` appended); a string or tuple of strings gives the names; ``False`` none. ``out=True``: the torch.*
    function takes ``out=`` (the result written into that tensor, with PyTorch's rules: ``ops.out``);
    ``out="factory"``: a factory, whose result takes ``out``'s dtype when no dtype is given; ``out="cast"``: the
    result is cast into any ``out`` dtype (bernoulli's draws); ``out="integer"``: an integer result, which no
    input's ``requires_grad`` stops (multinomial).
    Returns ``fn`` unchanged."""
    name = fn.__name__
    methods = _names(method, name)
    if inplace is True:  # the in-place form of each method name: acos_ and arccos_
        inplace = tuple(m + "_" for m in methods) or (name + "_",)
    DECLARED.append(Exposure(fn, _names(torch, name), methods, _names(inplace, None), _names(operators, None),
                             _names(prop, None), out))
    return fn
