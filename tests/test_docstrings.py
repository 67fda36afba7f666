"""The public classes of nn, optim and utils.data document themselves: every constructor argument named, the math,
the shapes (layers), a short example; the examples run as doctests and print what the docstrings say."""

import doctest
import importlib
import inspect
import pkgutil
import re
import time

import pytest

import ember
import ember.nn.modules
import ember.optim
import ember.optim.lr_scheduler
import ember.utils.data

PACKAGES = (ember.nn.modules, ember.optim, ember.utils.data)
# the namespaces a user reaches these classes through
PUBLIC = (ember.nn, ember.nn.modules, ember.optim, ember.optim.lr_scheduler, ember.optim.swa_utils, ember.utils.data)
GLOBS = {"ember": ember, "nn": ember.nn, "F": ember.nn.functional, "optim": ember.optim, "data": ember.utils.data}
# nn classes that are not layers with an input and an output shape
NO_SHAPE = {"Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict", "Container",
            "LazyModuleMixin", "LinearCrossEntropyOptions", "RNNBase", "RNNCellBase"}


def _modules():
    mods = []
    for pkg in PACKAGES:
        mods.append(pkg)
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            mods.append(importlib.import_module(info.name))
    return mods


MODULES = _modules()


def public_classes():
    exported = {id(o) for ns in PUBLIC for n, o in vars(ns).items() if inspect.isclass(o) and not n.startswith("_")}
    seen, out = set(), []
    for mod in MODULES:
        for name, obj in vars(mod).items():
            if (inspect.isclass(obj) and obj.__module__ == mod.__name__ and not name.startswith("_")
                    and id(obj) in exported and id(obj) not in seen):
                seen.add(id(obj))
                out.append(obj)
    return out


def _arguments(cls) -> list:
    try:
        sig = inspect.signature(cls)
    except (TypeError, ValueError):
        return []
    return [p.name for p in sig.parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def problems(cls, layer: bool) -> list:
    """What the class's own docstring lacks (empty: documented)."""
    doc = cls.__dict__.get("__doc__") or ""
    found = []
    if len(doc.strip().splitlines()) < 3:
        found.append("no description beyond one line")
    if ">>> " not in doc:
        found.append("no example")
    missing = [a for a in _arguments(cls) if not re.search(rf"(?<![\w.]){re.escape(a)}(?!\w)", doc)]
    if missing:
        found.append(f"arguments not described: {', '.join(missing)}")
    if layer and "Shape:" not in doc:
        found.append("no Shape: section")
    return found


def _is_layer(cls) -> bool:
    return issubclass(cls, ember.nn.Module) and cls.__name__ not in NO_SHAPE


CLASSES = public_classes()


def test_every_public_class_is_documented():
    gaps = {c.__qualname__: p for c in CLASSES if (p := problems(c, _is_layer(c)))}
    assert not gaps, "\n".join(f"{k}: {'; '.join(v)}" for k, v in sorted(gaps.items()))
    names = {c.__name__ for c in CLASSES}
    assert {"Linear", "Conv2d", "LSTM", "MSELoss", "SGD", "Adam", "StepLR", "DataLoader", "Dataset",
            "RandomSampler"} <= names and len(CLASSES) > 190


def test_the_documentation_check_rejects_gaps():
    class Bare(ember.nn.Module):
        """y = 2x."""

        def __init__(self, scale, bias=True):
            super().__init__()

    class Partial(ember.nn.Module):
        """y = scale·x.

        Args:
            scale: the factor.

        >>> 1
        1
        """

        def __init__(self, scale, bias=True):
            super().__init__()

    assert set(problems(Bare, True)) == {"no description beyond one line", "no example",
                                         "arguments not described: scale, bias", "no Shape: section"}
    assert problems(Partial, True) == ["arguments not described: bias", "no Shape: section"]
    assert problems(Partial, False) == ["arguments not described: bias"]


def _doctests():
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = []
    for cls in CLASSES:
        tests += [t for t in finder.find(cls, cls.__qualname__, globs=GLOBS) if t.name == cls.__qualname__]
    return tests


def test_examples_print_what_the_docstrings_say():
    tests = _doctests()
    assert len(tests) == len(CLASSES)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    state = ember.get_rng_state(), ember.get_default_dtype(), ember.is_grad_enabled()
    t0 = time.perf_counter()
    failures = []
    for t in tests:
        out = []
        result = runner.run(t, out=out.append)
        if result.failed:
            failures.append("".join(out))
    elapsed = time.perf_counter() - t0
    ember.set_rng_state(state[0])
    assert (ember.get_default_dtype(), ember.is_grad_enabled()) == state[1:]
    assert not failures, "\n".join(failures)
    assert elapsed < 10, f"the examples took {elapsed:.1f} s"


@pytest.mark.parametrize("example", ["    >>> nn.Linear(2, 1).weight.shape\n    torch.Size([1, 2])\n"])
def test_a_wrong_example_fails(example):
    class Documented:
        __doc__ = "A class.\n\n" + example.replace("[1, 2]", "[2, 1]")
    (t,) = doctest.DocTestFinder().find(Documented, "Documented", globs=GLOBS)
    assert doctest.DocTestRunner().run(t, out=lambda s: None).failed == 1
