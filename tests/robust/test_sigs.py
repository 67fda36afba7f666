"""ember._core.sigs: PyTorch's argument-parser errors formatted from its printed signatures. Each message here was
printed by torch 2.13 (the oracle test re-checks them when torch is installed); the checker is also fed calls that
fit, which must pass, and a wrong expectation, which the comparison must reject."""

from __future__ import annotations

import pytest

import ember
from ember._core.sigs import Sigs

NARROW = Sigs("narrow", "(Tensor input, int dim, Tensor start, int length)",
              "(Tensor input, int dim, int start, int length)")
SORT = Sigs("sort", "(Tensor input, *, bool stable, int dim = -1, bool descending = False, tuple of Tensors out = None)",
            "(Tensor input, int dim = -1, bool descending = False, *, tuple of Tensors out = None)")
SELECT = Sigs("select", "(Tensor input, int dim, int index)")
ADD = Sigs("add", "(Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)", numbers=True)
VIEW = Sigs("view", "(Tensor input, torch.dtype dtype)", "(Tensor input, tuple of ints size)")


def _x():
    return ember.ones(2, 3)


def _raised(f):
    try:
        f()
    except TypeError as e:
        return str(e)
    return None


# (call on the ember checker, the same call on torch, what torch 2.13 prints)
CASES = [
    (lambda: NARROW.check_function(_x(), 1, 0.5, 2), lambda t: t.narrow(t.ones(2, 3), 1, 0.5, 2),
     "narrow() received an invalid combination of arguments - got (Tensor, int, float, int), but expected one of:\n"
     " * (Tensor input, int dim, Tensor start, int length)\n"
     "      didn't match because some of the arguments have invalid types: (Tensor, int, !float!, int)\n"
     " * (Tensor input, int dim, int start, int length)\n"
     "      didn't match because some of the arguments have invalid types: (Tensor, int, !float!, int)\n"),
    (lambda: NARROW.check_function(_x(), 1, 0, length=2.5), lambda t: t.narrow(t.ones(2, 3), 1, 0, length=2.5),
     "narrow() received an invalid combination of arguments - got (Tensor, int, int, length=float), but expected "
     "one of:\n * (Tensor input, int dim, Tensor start, int length)\n"
     "      didn't match because some of the arguments have invalid types: (Tensor, int, !int!, !length=float!)\n"
     " * (Tensor input, int dim, int start, int length)\n"
     "      didn't match because some of the arguments have invalid types: (Tensor, int, int, !length=float!)\n"),
    (lambda: NARROW.check_function(_x(), 1, 0, foo=2), lambda t: t.narrow(t.ones(2, 3), 1, 0, foo=2),
     "narrow() received an invalid combination of arguments - got (Tensor, int, int, foo=int), but expected one "
     "of:\n * (Tensor input, int dim, Tensor start, int length)\n"
     "      didn't match because some of the keywords were incorrect: foo\n"
     " * (Tensor input, int dim, int start, int length)\n"
     "      didn't match because some of the keywords were incorrect: foo\n"),
    (lambda: NARROW.check_method("narrow", _x(), True, 0, 2), lambda t: t.ones(2, 3).narrow(True, 0, 2),
     "narrow() received an invalid combination of arguments - got (bool, int, int), but expected one of:\n"
     " * (int dim, Tensor start, int length)\n"
     "      didn't match because some of the arguments have invalid types: (!bool!, !int!, int)\n"
     " * (int dim, int start, int length)\n"
     "      didn't match because some of the arguments have invalid types: (!bool!, int, int)\n"),
    (lambda: SORT.check_method("sort", _x(), dim=1.5), lambda t: t.ones(2, 3).sort(dim=1.5),
     "sort() received an invalid combination of arguments - got (dim=float, ), but expected one of:\n"
     " * (*, bool stable, int dim = -1, bool descending = False)\n"
     " * (int dim = -1, bool descending = False)\n"),
    (lambda: SELECT.check_function(_x(), 1, 2.5), lambda t: t.select(t.ones(2, 3), 1, 2.5),
     "select(): argument 'index' (position 3) must be int, not float"),
    (lambda: SELECT.check_function(_x(), 1), lambda t: t.select(t.ones(2, 3), 1),
     "select() missing 1 required positional arguments: \"index\""),  # (sic)
    (lambda: ADD.check_function(_x(), None), lambda t: t.add(t.ones(2, 3), None),
     "add(): argument 'other' (position 2) must be Tensor, not NoneType"),
    (lambda: ADD.check_function(_x(), _x(), 3), lambda t: t.add(t.ones(2, 3), t.ones(2, 3), 3),
     "add() takes 2 positional arguments but 3 were given"),
    (lambda: VIEW.check_method("view", _x(), 2.5, 2), lambda t: t.ones(2, 3).view(2.5, 2),
     "view() received an invalid combination of arguments - got (float, int), but expected one of:\n"
     " * (torch.dtype dtype)\n * (tuple of ints size)\n"),
    (lambda: VIEW.check_method("view", _x(), 3, 2.5), lambda t: t.ones(2, 3).view(3, 2.5),
     "view(): argument 'size' failed to unpack the object at pos 2 with error \"type must be tuple of ints,but "
     "got float\""),
]


@pytest.mark.parametrize("i", range(len(CASES)))
def test_the_checker_prints_pytorchs_message(i):
    ours, _, want = CASES[i]
    assert _raised(ours) == want


@pytest.mark.parametrize("i", range(len(CASES)))
def test_the_recorded_messages_are_pytorchs(i):
    torch = pytest.importorskip("torch")
    _, theirs, want = CASES[i]
    assert _raised(lambda: theirs(torch)) == want


def test_calls_that_fit_pass():
    x = ember.ones(2, 3)
    NARROW.check_function(x, 1, 0, 2)
    NARROW.check_function(x, 1, ember.tensor(0), 2)
    SORT.check_function(x, 1, True)
    SORT.check_function(x, stable=True, dim=0)
    ADD.check_function(x, 2.5)
    VIEW.check_method("view", x, 3, 2)
    VIEW.check_method("view", x, (3, 2))
    VIEW.check_method("view", x, ember.float64)


def test_the_comparison_rejects_a_wrong_message():
    ours, _, want = CASES[0]
    assert _raised(ours) != want.replace("!float!", "float")
    assert _raised(lambda: SELECT.check_function(_x(), 1, 2)) is None  # a call that fits raises nothing


def test_the_method_form_is_read_from_the_call_site():
    x = ember.ones(2, 3)
    assert _raised(lambda: x.narrow(1, 0.5, 2)).startswith(
        "narrow() received an invalid combination of arguments - got (int, float, int)")
    assert _raised(lambda: ember.narrow(x, 1, 0.5, 2)).startswith(
        "narrow() received an invalid combination of arguments - got (Tensor, int, float, int)")
    assert _raised(lambda: x.index_add_(1, None, x)) == \
        "index_add_(): argument 'index' (position 2) must be Tensor, not NoneType"
