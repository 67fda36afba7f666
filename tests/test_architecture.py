"""The layout's promises, checked on the source (issue "one home per op"):

* no module-level import cycle anywhere in the package (the core layer imports no op);
* every grad_fn name a user can print is a ``class`` statement in the module that defines it (``grep "class
  ExpBackward0"`` finds it): no node classes made with ``type()``, no ``node.__class__ = ...`` swaps;
* every module of the core, the kernels and the ops declares ``__all__``;
* nothing of NumPy or of the helpers leaks into the top-level namespace (``ember.np``, ``ember.math``, ...).

Each check is a function of the source it is given, and a test below feeds it a wrong source and sees it fail.
"""

from __future__ import annotations

import ast
import json
import pathlib
import re
import types

import ember
from ember._core.node import Node

ROOT = pathlib.Path(ember.__file__).parent


def module_name(path: pathlib.Path, root: pathlib.Path = ROOT) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def sources(root: pathlib.Path = ROOT) -> dict:
    """module name -> source text, for every module of the package under ``root``"""
    return {module_name(p, root): p.read_text() for p in sorted(root.rglob("*.py"))}


def module_level_imports(name: str, source: str, modules, is_package: bool) -> set:
    """The package's modules that ``name`` imports when it is imported (not those imported inside functions or
    under ``if TYPE_CHECKING``)."""
    top = next(iter(modules)).split(".")[0]
    package = name if is_package else name.rpartition(".")[0]
    found = set()

    def visit(statements):
        for s in statements:
            if isinstance(s, ast.If):
                if "TYPE_CHECKING" in ast.unparse(s.test):
                    continue
                visit(s.body)
                visit(s.orelse)
            elif isinstance(s, ast.Try):
                visit(s.body)
                for h in s.handlers:
                    visit(h.body)
                visit(s.orelse)
                visit(s.finalbody)
            elif isinstance(s, ast.Import):
                found.update(a.name for a in s.names if a.name.split(".")[0] == top)
            elif isinstance(s, ast.ImportFrom):
                if s.level:
                    base = package.split(".")[:len(package.split(".")) - (s.level - 1)]
                    mod = ".".join(base + ([s.module] if s.module else []))
                else:
                    mod = s.module or ""
                if mod.split(".")[0] != top:
                    continue
                for a in s.names:
                    sub = f"{mod}.{a.name}"
                    found.add(sub if sub in modules else mod)

    visit(ast.parse(source).body)
    return {m for m in found if m in modules and m != name}


def import_cycles(srcs: dict, packages: set) -> list:
    """The strongly connected groups (more than one module) of the module-level import graph."""
    graph = {m: module_level_imports(m, s, srcs, m in packages) for m, s in srcs.items()}
    index, low, stack, on, groups, counter = {}, {}, [], set(), [], [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in graph:
        if v not in index:
            strong(v)
    return groups


def made_classes(source: str) -> list:
    """Lines that make a class at run time: ``type(name, bases, dict)`` calls and ``x.__class__ = ...``
    assignments (a module object's class, ``sys.modules[...].__class__``, is allowed: it is not a node; so is the
    node class of each user ``autograd.Function``, made per Function as PyTorch makes it)."""
    out = []
    for n in ast.walk(ast.parse(source)):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "type" and len(n.args) == 3 \
                and "FunctionCtx" not in ast.unparse(n.args[1]):
            out.append(n.lineno)
        if isinstance(n, ast.Assign):
            for t in n.targets:
                if isinstance(t, ast.Attribute) and t.attr == "__class__" and "sys.modules" not in ast.unparse(t):
                    out.append(n.lineno)
    return out


def node_classes() -> set:
    seen, todo = set(), [Node]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return seen


def not_class_statements(classes, srcs: dict) -> list:
    """Node classes whose name is not a ``class`` statement in their module's source (user ``autograd.Function``
    nodes, made per Function as PyTorch does, are not ember's own names)."""
    from ember.autograd.function import FunctionCtx
    bad = []
    for cls in classes:
        if issubclass(cls, FunctionCtx) or not cls.__module__.startswith("ember"):
            continue
        if not re.search(rf"^\s*class {re.escape(cls.__name__)}\b", srcs.get(cls.__module__, ""), re.M):
            bad.append(f"{cls.__module__}.{cls.__name__}")
    return sorted(bad)


LAYERS = ("ember._core", "ember.kernels", "ember.ops")
# leftovers of the move, to be emptied (the list may only shrink: test_the_known_list_only_shrinks)
KNOWN_MADE: set = set()
KNOWN_NOT_CLASS: set = set()


def _packages():
    return {module_name(p) for p in ROOT.rglob("__init__.py")}


def test_no_import_cycle():
    cycles = import_cycles(sources(), _packages())
    assert not cycles, f"module-level import cycles: {cycles}"


def test_node_names_are_class_statements():
    import ember.nn.functional  # noqa: F401  (every module with nodes is imported)
    bad = [b for b in not_class_statements(node_classes(), sources()) if b.rpartition(".")[0] not in KNOWN_NOT_CLASS]
    assert not bad, f"node classes not written as class statements: {bad}"


def test_no_class_made_at_run_time():
    srcs = sources()
    bad = {m: made_classes(s) for m, s in srcs.items() if m.startswith(LAYERS + ("ember.autograd",))
           and m not in KNOWN_MADE}
    bad = {m: lines for m, lines in bad.items() if lines}
    assert not bad, f"classes made with type() or __class__ swaps in the layers (module: lines): {bad}"


def test_the_known_list_only_shrinks():
    srcs = sources()
    import ember.nn.functional  # noqa: F401
    stale = sorted(m for m in KNOWN_MADE if not made_classes(srcs[m]))
    flagged = {b.rpartition(".")[0] for b in not_class_statements(node_classes(), srcs)}
    stale += sorted(m for m in KNOWN_NOT_CLASS if m not in flagged)
    assert not stale, f"fixed: remove from the known lists: {stale}"


def test_layer_modules_declare_all():
    missing = [m for m, s in sources().items() if m.startswith(LAYERS) and not re.search(r"^__all__\b", s, re.M)]
    assert not missing, f"modules without __all__: {missing}"


def leaked_names(namespace, torch_top: dict) -> list:
    """Names of ``namespace`` that are a foreign module (NumPy, math, ...) PyTorch's own namespace does not show
    too, or one of the helper names an ``import *`` once leaked."""
    leaked = []
    for name in dir(namespace):
        if name.startswith("_"):
            continue
        value = getattr(namespace, name)
        if isinstance(value, types.ModuleType) and not value.__name__.startswith("ember") \
                and torch_top.get(name) not in ("module", "foreign"):
            leaked.append(name)
    leaked += [n for n in ("D", "builtins_min", "check_inplace") if hasattr(namespace, n) and n not in torch_top]
    return sorted(set(leaked))


def _torch_top() -> dict:
    surface = json.loads((pathlib.Path(__file__).parent / "fixtures" / "torch_surface.json").read_text())
    return surface["namespaces"]["torch"]


def test_no_helpers_in_the_top_level_namespace():
    assert leaked_names(ember, _torch_top()) == []


# ---- the checks fail on wrong sources --------------------------------------------------------------------------

def test_the_cycle_check_finds_a_cycle(tmp_path):
    pkg = tmp_path / "fake"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from . import b\n")
    (pkg / "b.py").write_text("from .sub import c\n")
    (pkg / "sub" / "c.py").write_text("import fake.a\n")
    (pkg / "d.py").write_text("def f():\n    from . import a\n")     # a function-level import is no cycle
    srcs = sources(pkg)
    packages = {module_name(p, pkg) for p in pkg.rglob("__init__.py")}
    assert import_cycles(srcs, packages) == [["fake.a", "fake.b", "fake.sub.c"]]
    (pkg / "sub" / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import fake.a\n")
    assert import_cycles(sources(pkg), packages) == []


def test_the_class_checks_find_made_classes():
    src = ("import sys\nclass A: pass\nB = type('B', (A,), {})\ndef f(t):\n    t.grad_fn.__class__ = B\n"
           "sys.modules[__name__].__class__ = A\n")
    assert made_classes(src) == [3, 5]

    made = type("ExpBackward0", (Node,), {"__module__": "ember.ops.unary"})
    assert not_class_statements({made}, {"ember.ops.unary": "class LogBackward0(Node):\n    pass\n"}) == \
        ["ember.ops.unary.ExpBackward0"]
    assert not_class_statements({made}, {"ember.ops.unary": "class ExpBackward0(Node):\n    pass\n"}) == []


def test_the_namespace_check_finds_leaks():
    import numpy
    fake = types.SimpleNamespace(np=numpy, math=__import__("math"), D=1, tensor=ember.tensor)
    assert leaked_names(fake, _torch_top()) == ["D", "np"]   # math: torch's namespace shows it too


# ember's own additions to PyTorch's top-level names (documented in the README), and onnx, which PyTorch's dir()
# lists only once it is imported
ADDITIONS = {"NotOfferedError", "kernels", "safetensors", "use_as_torch", "vision", "viz", "onnx"}


def extra_names(namespace, torch_top: dict) -> list:
    return sorted(n for n in dir(namespace) if not n.startswith("_") and n not in torch_top and n not in ADDITIONS)


def test_dir_lists_only_pytorchs_names_and_embers_additions():
    assert extra_names(ember, _torch_top()) == []


def test_the_dir_check_finds_extra_names():
    fake = types.SimpleNamespace(tensor=1, viz=2, annotations=3, manual_seed_all=4)
    assert extra_names(fake, _torch_top()) == ["annotations", "manual_seed_all"]


def test_import_ember_leaves_the_heavy_submodules_for_later():
    """``import ember`` loads the core and the ops; nn, optim, func, distributions, viz load on first use (a name
    the top level re-exports from one of them, like ``vmap``, is looked up lazily)"""
    import subprocess
    import sys
    code = ("import sys, ember; heavy = ('ember.nn', 'ember.optim', 'ember.func', 'ember.distributions', "
            "'ember.viz', 'ember.utils.data', 'ember.vision', 'ember.distributed', 'matplotlib', 'scipy'); "
            "print(sorted(m for m in sys.modules if m.startswith(heavy)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out


# ---- function-level imports ------------------------------------------------------------------------------------

# an import inside a function is for a dependency that is optional or loaded late on purpose
OPTIONAL = {"matplotlib", "PIL", "scipy", "tqdm", "mpi4py", "numpy"}  # numpy: its private module moved in 2.0
# (importing module, imported module): why the import waits for the call. May only shrink.
LATE = {
    ("ember._bind", "ember.nn"): "Tensor.hardshrink and Tensor.prelu are nn.functional's; import ember leaves nn",
    ("ember._devices", "ember._compile"): "the compiler loads on the first torch.compile",
    ("ember._jit_types", "ember.jit"): "a ScriptList's type errors are torch.jit.Error; import ember leaves jit",
    ("ember.ops.quantize", "ember.nn"): "quantized max pooling runs nn.functional's float kernel; import ember leaves nn",
    ("ember.nn.modules.module", "ember._compile"): "the compiler loads on the first Module.compile",
    ("ember.kernels.special", "ember.kernels._special_tables"): "large coefficient tables load on first use",
    ("ember.serialization", "ember._serialization_pickle"): "the pickle reader loads with the first such file",
    ("ember.special", "ember.kernels.airy"): "the Airy tables load on the first airy_ai",
    ("ember.random", "ember.utils.data"): "import ember leaves utils.data for later",
    # the standard library's heavier modules that import ember leaves for later (issue 10: under 0.1 s)
    ("ember._core.modes", "traceback"): "only anomaly mode captures the forward's stack",
    ("ember.autograd.anomaly", "traceback"): "only a failing backward in anomaly mode formats the stack",
}


def function_level_imports(name: str, source: str, is_package: bool) -> list:
    """(imported module, line) of each import inside a function of module ``name``"""
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for f in ast.walk(ast.parse(source)):
        if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for s in ast.walk(f):
                if isinstance(s, ast.Import):
                    found += [(a.name, s.lineno) for a in s.names]
                elif isinstance(s, ast.ImportFrom):
                    if s.level:
                        base = ".".join(package.split(".")[:len(package.split(".")) - (s.level - 1)])
                        if s.module:
                            found.append((f"{base}.{s.module}", s.lineno))
                        else:  # from . import x: the module (or name) x of the package
                            found += [(f"{base}.{a.name}", s.lineno) for a in s.names]
                    else:
                        found.append((s.module or "", s.lineno))
    return found


def unexplained_imports(srcs: dict, packages: set, late: dict) -> list:
    bad = []
    for m, s in srcs.items():
        for mod, line in function_level_imports(m, s, m in packages):
            if mod.split(".")[0] in OPTIONAL:
                continue
            if (m, mod) not in late:
                bad.append(f"{m}:{line} imports {mod}")
    return bad


def test_function_level_imports_are_optional_or_explained():
    bad = unexplained_imports(sources(), _packages(), LATE)
    assert not bad, f"imports inside functions (move them to the top, or explain them in LATE): {bad}"


def test_the_late_list_only_shrinks():
    srcs, packages = sources(), _packages()
    used = {(m, mod) for m, s in srcs.items() for mod, _ in function_level_imports(m, s, m in packages)}
    stale = [k for k in LATE if k not in used]
    assert not stale, f"no longer imported inside a function: remove from LATE: {stale}"


def test_the_import_check_finds_function_level_imports():
    srcs = {"fake.a": "import numpy\ndef f():\n    import json\n    from . import b\n    import scipy.special\n",
            "fake.b": "def g():\n    from .a import f\n"}
    assert unexplained_imports(srcs, set(), {}) == ["fake.a:3 imports json", "fake.a:4 imports fake.b",
                                                    "fake.b:2 imports fake.a"]
    assert unexplained_imports(srcs, set(), {("fake.a", "json"), ("fake.a", "fake.b"), ("fake.b", "fake.a")}) == []


# ---- one class per grad_fn name --------------------------------------------------------------------------------

# names PyTorch gives to more than one computation, each written where its op lives (may only shrink):
SHARED_NAMES = {
    # x[key] records one node for the whole key, named after its last step as PyTorch names its last node
    # (ops/index.py); select, narrow, unsqueeze and alias record the one-dimension rule (ops/shape.py)
    "SelectBackward0", "SliceBackward0", "UnsqueezeBackward0", "AliasBackward0",
    # an in-place op on a view: the generic rewrite (ops/inplace.py), x[key] = v (ops/index.py), circular pad
    # (nn/_functional_spatial.py, which PyTorch builds from slice copies)
    "CopySlices",
}


def repeated_names(classes) -> dict:
    """grad_fn name -> the modules that define a node class of that name, where more than one does"""
    where = {}
    for cls in classes:
        if cls.__module__.startswith("ember") and not cls.__name__.startswith("_"):
            where.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    return {k: sorted(v) for k, v in where.items() if len(v) > 1}


def test_each_grad_fn_name_is_one_class():
    import ember.nn.functional  # noqa: F401
    bad = {k: v for k, v in repeated_names(node_classes()).items() if k not in SHARED_NAMES}
    assert not bad, f"grad_fn names defined by more than one class (grep finds two): {bad}"
    stale = sorted(SHARED_NAMES - set(repeated_names(node_classes())))
    assert not stale, f"now one class: remove from SHARED_NAMES: {stale}"


def test_the_name_check_finds_a_repeated_name():
    a = type("MulBackward1", (), {"__module__": "ember.ops.binary"})  # not a Node: no lasting subclass
    b = type("MulBackward1", (), {"__module__": "ember.ops.scan"})
    assert repeated_names({a, b}) == {"MulBackward1": ["ember.ops.binary.MulBackward1", "ember.ops.scan.MulBackward1"]}
    assert repeated_names({a}) == {}
