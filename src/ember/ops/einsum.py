"""einsum, decomposed into differentiable permutes, broadcast products and sums."""

from __future__ import annotations

import math

from .._core.exposure import expose
from .._core.messages import _long_name
from .linalg import _reshape

__all__ = ["einsum"]





def _check_subscripts(eq: str):
    """PyTorch's errors for a malformed equation: a subscript outside [a-zA-Z], a bad or repeated output subscript"""
    lhs, arrow, rhs = eq.partition("->")
    for i, c in enumerate(lhs):
        if c not in ",." and not (c.isascii() and c.isalpha()):
            raise RuntimeError(f"einsum(): invalid subscript given at index {i} in the equation string, subscripts "
                               "must be in [a-zA-Z]")
    if arrow:
        for i, c in enumerate(rhs):
            if c == ".":
                continue
            if not (c.isascii() and c.isalpha()):
                raise RuntimeError(f"einsum(): invalid subscript given at index {len(lhs) + 2 + i} in the equation "
                                   "string, subscripts must be in [a-zA-Z]")
            if c not in lhs:
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation for any input "
                                   "operand")
            if rhs.count(c) > 1:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in the output")


def _parse(equation: str, operands):
    eq = equation.replace(" ", "")
    _check_subscripts(eq)
    if "->" in eq:
        lhs, rhs = eq.split("->")
    else:
        lhs, rhs = eq, None
    terms = lhs.split(",")
    if len(terms) != len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation"
                           if len(operands) > len(terms) else
                           "einsum(): fewer operands were provided than specified in the equation")
    # expand ellipses into fresh capital letters not used by the user
    free = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in eq]
    ell_n = 0
    for term, op in zip(terms, operands):
        if "..." in term:
            ell_n = max(ell_n, op.ndim - (len(term) - 3))
    ell = "".join(free[:ell_n])
    new_terms = []
    for term, op in zip(terms, operands):
        if "..." in term:
            k = op.ndim - (len(term) - 3)
            term = term.replace("...", ell[ell_n - k:])
        if len(term) != op.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(term)}) does not match "
                               f"the number of dimensions ({op.ndim}) for operand {len(new_terms)}"
                               + (" and no ellipsis was given" if "..." not in term else ""))
        new_terms.append(term)
    _check_sizes(new_terms, operands)
    if rhs is None:
        counts = {}
        for term in new_terms:
            for c in term:
                counts[c] = counts.get(c, 0) + 1
        rhs = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    else:
        rhs = rhs.replace("...", ell)
    return new_terms, rhs


def _check_sizes(terms, operands):
    """PyTorch's errors for a subscript whose sizes disagree (within one operand, or across operands)."""
    seen = {}
    for k, (term, op) in enumerate(zip(terms, operands)):
        mine = {}
        for c, s in zip(term, op.shape):
            if c in mine and mine[c] != s:
                raise RuntimeError(f"einsum(): subscript {c} is repeated for operand {k} but the sizes don't match, "
                                   f"{s} != {mine[c]}")
            mine[c] = s
        for c, s in mine.items():
            prev = seen.get(c)
            if prev is not None and prev != s and prev != 1 and s != 1:
                raise RuntimeError(f"einsum(): subscript {c} has size {s} for operand {k} which does not broadcast "
                                   f"with previously seen size {prev}")
            if prev is None or prev == 1:
                seen[c] = s


def _diag_reduce(op, term):
    """Handle repeated letters within one operand (``ii->i``) by taking diagonals."""
    while True:
        seen = {}
        rep = None
        for i, c in enumerate(term):
            if c in seen:
                rep = (seen[c], i)
                break
            seen[c] = i
        if rep is None:
            return op, term
        i, j = rep
        op = op.diagonal(0, i, j)  # moves the diagonal to the last dim
        term = "".join(c for k, c in enumerate(term) if k not in (i, j)) + term[i]


def einsum(equation, *operands):
    """Einstein summation, decomposed into differentiable permutes, broadcast products and sums"""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    for op in operands[1:]:
        if op._data.dtype != operands[0]._data.dtype:  # the pairwise products are batched matmuls in PyTorch
            raise RuntimeError(f"expected scalar type {_long_name(operands[0].dtype)} but found "
                               f"{_long_name(op.dtype)}")
    return _einsum(equation, operands)

expose(einsum, out=True)


def _einsum(equation, operands):
    terms, rhs = _parse(equation, operands)
    ops = []
    for op, term in zip(operands, terms):
        op, term = _diag_reduce(op, term)
        ops.append((op, term))
    # sum out letters that appear in only one operand and not in the output, early
    letters_all = "".join(t for _, t in ops)
    reduced = []
    summed = False
    for op, term in ops:
        drop = [i for i, c in enumerate(term) if c not in rhs and letters_all.count(c) == 1]
        if drop:
            op = op.sum(tuple(drop))
            term = "".join(c for i, c in enumerate(term) if i not in drop)
            summed = True
        reduced.append((op, term))
    # fold operands left to right
    acc, aterm = reduced[0]
    for i in range(1, len(reduced)):
        op, term = reduced[i]
        acc, aterm = _contract(acc, aterm, op, term, rhs, reduced[i + 1:])
    # final: sum letters not in rhs, permute to rhs order
    drop = tuple(i for i, c in enumerate(aterm) if c not in rhs)
    if drop:
        acc = acc.sum(drop)
        aterm = "".join(c for i, c in enumerate(aterm) if i not in drop)
        summed = True
    if aterm != rhs or (len(reduced) == 1 and not summed):  # one operand, nothing summed: PyTorch permutes
        acc = acc.permute(tuple(aterm.index(c) for c in rhs))
    return acc


def _contract(a, at, b, bt, rhs, later_ops):
    """Multiply two operands by broadcasting over the union of their letters, summing what is contracted
    (letters in both, absent from the output and from every later operand)."""
    letters = at + "".join(c for c in bt if c not in at)
    # by position, not identity: einsum("ij,ij->i", x, x) passes the same tensor twice
    later = "".join(term for _, term in later_ops)
    contract = [c for c in at if c in bt and c not in rhs and c not in later]
    sizes = {}
    for c, s in zip(at, a.shape):
        sizes[c] = s
    for c, s in zip(bt, b.shape):
        if c in sizes and sizes[c] != s and sizes[c] != 1 and s != 1:
            raise RuntimeError("einsum(): operands do not broadcast with remapped shapes (original->remapped)")
        sizes[c] = max(sizes.get(c, 1), s)
    if contract and all(sizes[c] > 0 for c in letters):
        # batch = shared letters kept; a-only, b-only; use matmul: (batch, a_only, k) @ (batch, k, b_only)
        batch = [c for c in at if c in bt and c not in contract]
        a_only = [c for c in at if c not in bt]
        b_only = [c for c in bt if c not in at]
        pa = a.permute(tuple(at.index(c) for c in batch + a_only + contract))
        pb = b.permute(tuple(bt.index(c) for c in batch + contract + b_only))
        bs = [sizes[c] for c in batch]
        ma = math.prod(a.shape[at.index(c)] for c in a_only)
        mb = math.prod(b.shape[bt.index(c)] for c in b_only)
        k = math.prod(sizes[c] for c in contract)
        pa = _reshape(pa.expand(*bs, *[a.shape[at.index(c)] for c in a_only], *[sizes[c] for c in contract]),
                      (*bs, ma, k))
        pb = _reshape(pb.expand(*bs, *[sizes[c] for c in contract], *[b.shape[bt.index(c)] for c in b_only]),
                      (*bs, k, mb))
        r = pa @ pb
        out_shape = bs + [a.shape[at.index(c)] for c in a_only] + [b.shape[bt.index(c)] for c in b_only]
        r = _reshape(r, tuple(out_shape))
        return r, "".join(batch + a_only + b_only)
    # plain broadcast product
    pa = _reshape(a.permute(tuple(at.index(c) for c in letters if c in at)),
                  tuple(a.shape[at.index(c)] if c in at else 1 for c in letters))
    pb = _reshape(b.permute(tuple(bt.index(c) for c in letters if c in bt)),
                  tuple(b.shape[bt.index(c)] if c in bt else 1 for c in letters))
    r = pa * pb
    if contract:
        r = r.sum(tuple(letters.index(c) for c in contract))
        letters = "".join(c for c in letters if c not in contract)
    return r, letters
