"""PyTorch's ``out=`` rules, checked generically over every ``torch.*`` function that takes ``out=`` in PyTorch.

For each function the test finds, from a list of candidate argument tuples, the first one PyTorch accepts
with and without ``out=``; then it runs each rule on PyTorch and on ember and compares the outcomes (the
values, dtype and shape written, the warnings, or the error class and message):

    same        the call returns the very tensor passed as out (each of them, for a tuple out)
    values      out holds what the call returns without out, in out's dtype
    resize      a wrongly-sized out that has elements is resized, with PyTorch's UserWarning
    empty       an out with no elements is resized silently
    dtype       an out of a dtype the result cannot be cast to (float into int64) raises PyTorch's error
    autograd    out= with an input that requires grad raises PyTorch's error (no autograd through out=)

``KNOWN_FAILURES`` lists, per function, the rules ember fails today. The test fails on any difference from
it: a new failure, and also a listed one that passes now (remove it, so the list only shrinks).
"""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")
_TRIGGERED = re.compile(r" \(Triggered internally at [^)]*\)")

RULES = ("same", "values", "resize", "empty", "dtype", "autograd")

_R = np.random.default_rng(0)
_X = _R.uniform(0.1, 0.9, (3, 4)).astype(np.float32)
_Y = _R.uniform(0.1, 0.9, (3, 4)).astype(np.float32)
_Z = _R.uniform(0.1, 0.9, (3, 4)).astype(np.float32)
_V = _R.uniform(0.1, 0.9, (4,)).astype(np.float32)
_A = _R.uniform(0.1, 0.9, (4, 4)).astype(np.float32)
_M = (_A @ _A.T + 4 * np.eye(4)).astype(np.float32)  # symmetric positive definite
_B3 = _R.uniform(0.1, 0.9, (2, 3, 3)).astype(np.float32)
_I = np.array([[3, 1, 2, 0], [1, 2, 0, 3], [0, 3, 1, 2]], dtype=np.int64)
_J = np.array([[1, 5, 6, 2], [7, 2, 3, 4], [3, 1, 6, 5]], dtype=np.int64)
_EDGES = np.array([0.2, 0.5, 0.7], dtype=np.float32)


_CANDIDATES = [  # f: a float input (requires grad under the autograd rule), i: an integer input
    lambda f, i: (f(_X),), lambda f, i: (f(_X), f(_Y)), lambda f, i: (f(_X), f(_Y), f(_Z)),
    lambda f, i: (f(_X), 1), lambda f, i: (f(_X), 0.5), lambda f, i: (f(_X), 2), lambda f, i: ([f(_X), f(_Y)],),
    lambda f, i: (f(_M),), lambda f, i: (f(_M), f(_M)), lambda f, i: (f(_V), f(_V)), lambda f, i: (f(_X), f(_V)),
    lambda f, i: (f(_X), f(_X.T.copy())), lambda f, i: (f(_M), f(_M), f(_M)),
    lambda f, i: (f(_X), f(_X.T.copy()), f(_Y)), lambda f, i: (f(_X), f(_V), f(_V[:3].copy())),
    lambda f, i: (f(_B3), f(_B3)), lambda f, i: (f(_B3[0].copy()), f(_B3), f(_B3)), lambda f, i: (i(_I), i(_J)),
    lambda f, i: (i(_I),), lambda f, i: (i(_J), 2), lambda f, i: (f(_X), 1, i(_I[:, :2].copy())),
    lambda f, i: (f(_X), 0, i(np.array([0, 2]))), lambda f, i: (f(_X), i(_I[:, :2].copy()), 1),
    lambda f, i: (f(_X), 2, 0, 1.0), lambda f, i: (f(_X), 2, 1), lambda f, i: (f(_X), 0.5, 1),
    lambda f, i: (f(_X) > 0.5,), lambda f, i: (f(_X) > 0.5, f(_Y) > 0.5), lambda f, i: (f(_EDGES), f(_X)),
    lambda f, i: (f(_X), f(_EDGES)), lambda f, i: ((3, 4),), lambda f, i: (3, 4), lambda f, i: (5,),
    lambda f, i: (0, 5), lambda f, i: (0.0, 1.0, 5), lambda f, i: (4, 3), lambda f, i: (2, (3, 4)),
    lambda f, i: (0, 10, (3, 4)), lambda f, i: (f(_X) > 0.5, f(_X), f(_Y)), lambda f, i: (f(_X), 1, True),
]


def _args(L, k: int, grad: bool = False) -> tuple:
    """Candidate ``k``'s arguments, built in library L (float inputs require grad when ``grad``)."""
    return _CANDIDATES[k](lambda a: L.tensor(a, requires_grad=grad), L.tensor)


def _tensors(r):
    return list(r) if isinstance(r, (tuple, list)) else [r]


def _is_result(L, r) -> bool:
    return all(isinstance(t, L.Tensor) for t in _tensors(r)) and len(_tensors(r)) > 0


_RANDOM = {"rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial", "poisson", "rand_like",
           "randn_like", "randint_like"}


def _call(L, name, args, **kw):
    if name in _RANDOM:  # the same draws with and without out= (ember reproduces PyTorch's stream)
        L.manual_seed(0)
    return getattr(L, name)(*args, **kw)


def _outs_like(L, r, shape=None, dtype=None):
    outs = [L.empty(t.shape if shape is None else shape, dtype=t.dtype if dtype is None else dtype)
            for t in _tensors(r)]
    return outs[0] if not isinstance(r, (tuple, list)) else tuple(outs)


def _describe(L, r) -> list:
    return [(str(t.dtype), list(t.shape), np.asarray(t.detach().numpy() if hasattr(t, "numpy") else t,
                                                      dtype=np.float64).round(4).tolist())
            for t in _tensors(r)]


_PLAIN: dict = {}  # (library, function) -> its result without out= (computed once)


def _outcome(L, name, k, rule):
    """What rule ``rule`` sees for ``name`` called with candidate ``k`` in library L (comparable across
    libraries): the error's class and message, or the data written, the warnings and the identity."""
    args = _args(L, k, grad=rule == "autograd")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            key = (L.__name__, name)
            if key not in _PLAIN:
                _PLAIN[key] = _call(L, name, _args(L, k))
            plain = _PLAIN[key]
            if rule == "resize":
                out = _outs_like(L, plain, shape=(7,))
            elif rule == "empty":
                out = _outs_like(L, plain, shape=(0,))
            elif rule == "dtype":
                if not all(t.dtype.is_floating_point for t in _tensors(plain)):
                    return ("skip",)
                out = _outs_like(L, plain, dtype=L.int64)
            else:
                out = _outs_like(L, plain)
            got = _call(L, name, args, out=out)
        except Exception as e:  # noqa: BLE001  (the outcome is the error itself)
            return ("error", type(e).__name__, str(e).split("\n")[0])
    # PyTorch's warnings end with the C++ file that raised them, which ember does not claim to have
    msgs = sorted({f"{w.category.__name__}: {_TRIGGERED.sub('', str(w.message))}" for w in caught
                   if "out" in str(w.message) or "resized" in str(w.message)})
    if rule == "same":
        return ("ok", all(a is b for a, b in zip(_tensors(got), _tensors(out))))
    if rule == "values":
        if name.startswith("empty"):  # uninitialised memory: only the dtype and shape are defined
            return ("ok", [(d, sh) for d, sh, _ in _describe(L, out)])
        return ("ok", _describe(L, out) == _describe(L, plain), _describe(L, out))
    return ("ok", [list(t.shape) for t in _tensors(out)], msgs)


def _pick(name):
    """The first candidate PyTorch accepts for ``name`` with and without out= (None: no out= form found)."""
    for k in range(len(_CANDIDATES)):
        args = _args(torch, k)
        try:
            r = _call(torch, name, args)
            if not _is_result(torch, r):
                continue
            _call(torch, name, args, out=_outs_like(torch, r))
            return k
        except Exception:  # noqa: BLE001  (not this form)
            continue
    return None


def _schema_has_out(name: str) -> bool:
    """Whether one of the ATen schemas behind torch.<name> has an ``out`` argument."""
    try:
        schemas = torch._C._jit_get_schemas_for_operator("aten::" + name)
    except Exception:  # noqa: BLE001  (not an ATen operator)
        return False
    return any(a.name == "out" for s in schemas for a in s.arguments)


def _functions_with_out() -> list:
    """torch.* functions with an out= parameter: in an ATen schema, the docstring or the Python signature."""
    import inspect
    surface = json.load(open(__file__.rsplit("/", 1)[0] + "/fixtures/torch_surface.json"))
    names = []
    for name, kind in surface["namespaces"]["torch"].items():
        if kind != "function":
            continue
        f = getattr(torch, name)
        doc = (getattr(f, "__doc__", None) or "").split("\n")
        has = any(line.strip().startswith(name + "(") and "out=" in line for line in doc)
        try:
            has = has or "out" in inspect.signature(f).parameters
        except (TypeError, ValueError):
            pass
        if has or _schema_has_out(name):
            names.append(name)
    return names


# what ember fails today, function -> rules (shrink it as ember's out= handling is fixed)
_KNOWN = {  # rules failed -> the functions failing exactly those
    "same values resize empty dtype autograd": """acos acosh alias_copy amax amin aminmax arccos arccosh arcsin arcsinh arctan arctanh asin asinh atan atanh
        column_stack cosh cumprod deg2rad detach_copy diag diagonal_copy diff dstack erf exp2 expm1 eye fix
        frac gather hardshrink histc histogram hstack index_select log10 log1p log2 log_softmax logcumsumexp
        logit logspace max min msort nanmean nanquantile nansum norm quantile rad2deg range reciprocal renorm
        row_stack rsqrt sgn sign sinh slice_scatter softmax split_copy squeeze_copy std svd t_copy tan
        threshold triangular_solve tril triu trunc unbind_copy unsqueeze_copy var vstack geqrf""",
    "same values resize empty autograd": """all any argmax argmin bitwise_and bitwise_not bitwise_or bitwise_xor bucketize cummax cummin eq frexp ge
        greater greater_equal gt isin isneginf isposinf kthvalue le less less_equal logical_and logical_not
        logical_or logical_xor lt masked_select median mode nanmedian ne nonzero not_equal searchsorted
        signbit sort take take_along_dim topk""",
    "dtype": """abs addmm baddbmm bmm ceil cholesky cholesky_inverse cholesky_solve cumsum dot floor ldexp lerp logsumexp
        matmul mean mm mv mvlgamma nan_to_num neg prod round sum vdot where""",
    "dtype autograd": """absolute cat chain_matmul concat concatenate conj_physical cross float_power frobenius_norm heaviside inner
        inverse negative nuclear_norm stack tensordot slice_copy""",
    "autograd": """arctan2 clip divide floor_divide kron multiply outer square subtract true_divide""",
    "resize dtype": """addbmm""",
    "resize empty autograd": """ger""",
    "resize empty dtype": """normal""",
}
KNOWN_FAILURES: dict[str, set] = {n: set(rules.split()) for rules, names in _KNOWN.items()
                                  for n in names.split()}


@pytest.fixture(scope="module")
def results():
    found, failures, not_in_ember = {}, {}, []
    for name in _functions_with_out():
        k = _pick(name)
        if k is None:
            continue  # PyTorch takes no out= with any of the candidate arguments
        if not isinstance(getattr(ember, name, None), type(ember.add)) and not callable(getattr(ember, name, None)):
            not_in_ember.append(name)
            continue
        found[name] = k
        bad = {rule for rule in RULES if _outcome(torch, name, k, rule) != _outcome(ember, name, k, rule)}
        if bad:
            failures[name] = bad
    return found, failures, not_in_ember


def test_out_rules_match_pytorch(results, capsys):
    found, failures, not_in_ember = results
    with capsys.disabled():
        print(f"\nout=: {len(found)} torch.* functions checked, {len(found) - len(failures)} follow all of "
              f"PyTorch's out= rules; {len(failures)} fail some: {sorted(failures)}")
    new = {n: sorted(r - KNOWN_FAILURES.get(n, set())) for n, r in failures.items()
           if r - KNOWN_FAILURES.get(n, set())}
    fixed = {n: sorted(r - failures.get(n, set())) for n, r in KNOWN_FAILURES.items()
             if r - failures.get(n, set())}
    assert not new, f"ember breaks PyTorch's out= rules here (not in KNOWN_FAILURES): {new}"
    assert not fixed, f"these pass now: remove them from KNOWN_FAILURES: {fixed}"


def test_enough_functions_are_checked(results):
    found, _, _ = results
    assert len(found) >= 150 and {"add", "matmul", "cat", "zeros", "sum"} <= set(found)


def test_the_comparison_sees_a_broken_out():
    """A function that ignores out= (returns a new tensor, leaves out alone) fails same and values."""
    def broken(*args, out=None):
        return ember.exp(*args)
    ember.broken_exp_for_test = broken
    torch.broken_exp_for_test = torch.exp
    try:
        k = _pick("exp")
        assert _outcome(torch, "broken_exp_for_test", k, "same") != _outcome(ember, "broken_exp_for_test", k, "same")
        assert _outcome(torch, "broken_exp_for_test", k, "values") != \
            _outcome(ember, "broken_exp_for_test", k, "values")
    finally:
        del ember.broken_exp_for_test, torch.broken_exp_for_test
