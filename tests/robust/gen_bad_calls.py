"""Bad calls generated systematically, for any library with PyTorch's API (``lib`` is torch or ember).

Each op is written once with valid arguments (``OPS``: id, function, argument makers); every argument is then
replaced in turn by each bad value its kind admits (``BAD``: wrong rank, shape, dtype, empty, 0-d, None, a list, a
string, out-of-range dims and indices, ...). A replacement that PyTorch accepts is not a bad call and is dropped
(the recorder keeps only the calls PyTorch raises on). ``STATEFUL`` rows are bad calls on objects with state
(tensors with a version counter and a gradient, modules with buffers, optimizers after a step): ``make(lib)``
builds the context, ``bad(lib, ctx)`` makes the call; the runner checks that nothing in the context changed.
"""

from __future__ import annotations

import numpy as np


def T(*shape, dtype="float32", rg=False):
    """argument maker: a tensor of ``shape`` (values 0.1, 0.2, ... so nothing is singular or zero)"""
    def make(L):
        n = int(np.prod(shape)) if shape else 1
        a = (np.arange(n, dtype=np.float64).reshape(shape) % 7 + 1) / 10
        t = L.tensor(a.astype(dtype)) if dtype != "bool" else L.tensor(a > 0.3)
        return t.requires_grad_() if rg else t
    make.kind, make.shape, make.dtype = "tensor", shape, dtype
    return make


def I(*values, shape=None):  # noqa: E743  (T, I, D, V: the makers read as a table)
    """argument maker: an int64 index tensor"""
    def make(L):
        t = L.tensor(list(values), dtype=L.int64)
        return t.reshape(shape) if shape is not None else t
    make.kind, make.values, make.shape = "index", values, shape or (len(values),)
    return make


def D(d):
    """argument maker: a dim"""
    def make(L):
        return d
    make.kind, make.value = "dim", d
    return make


def V(v, kind="value"):
    """argument maker: a plain value (sizes, flags, numbers)"""
    def make(L):
        return v
    make.kind, make.value = kind, v
    return make


def _const(v, label):
    def make(L):
        return v
    make.label = label
    return make


def _tensor_bad(m):
    shape, dtype = m.shape, m.dtype
    out = []
    if shape:
        out += [("rank+1", T(*shape, 2, dtype=dtype)), ("rank-1", T(*shape[1:], dtype=dtype)),
                ("last+1", T(*shape[:-1], shape[-1] + 1, dtype=dtype)), ("0-d", T(dtype=dtype)),
                ("empty", T(*shape[:-1], 0, dtype=dtype))]
        if len(shape) > 1:
            out.append(("first+1", T(shape[0] + 1, *shape[1:], dtype=dtype)))
    out += [("int64", T(*shape, dtype="int64")), ("float64", T(*shape, dtype="float64")),
            ("bool", T(*shape, dtype="bool")), ("None", _const(None, "None")), ("list", _const([1.0, 2.0], "list")),
            ("str", _const("a", "str"))]
    return out


def _index_bad(m):
    n = max(m.values) if m.values else 0
    return [("oob", I(*[v + 50 for v in m.values], shape=m.shape)),
            ("neg-oob", I(*[-v - 50 for v in m.values], shape=m.shape)),
            ("float", lambda L, m=m: L.tensor(np.array(m.values, dtype=np.float32).reshape(m.shape))),
            ("int32", lambda L, m=m: L.tensor(np.array(m.values, dtype=np.int32).reshape(m.shape))),
            ("rank+1", I(*[n] * (2 * int(np.prod(m.shape))), shape=(*m.shape, 2))),
            ("None", _const(None, "None")), ("list", _const([0, 1], "list"))]


def _dim_bad(m):
    return [("dim+9", _const(9, "9")), ("dim-9", _const(-9, "-9")), ("float", _const(1.0, "1.0")),
            ("str", _const("a", "'a'"))]


BAD = {"tensor": _tensor_bad, "index": _index_bad, "dim": _dim_bad}

F = "nn.functional."


def _get(L, path):
    obj = L
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


# (id, callable path under the library (or ".method" on the first argument), argument makers, keyword makers)
OPS = [
    # elementwise
    *[(f"{n}", n, [T(2, 3), T(2, 3)], {}) for n in
      ("add", "sub", "mul", "div", "maximum", "minimum", "atan2", "fmod", "remainder", "pow", "hypot", "eq", "lt",
       "logaddexp", "copysign", "xlogy")],
    *[(f"{n}", n, [T(2, 3)], {}) for n in
      ("exp", "log", "sin", "tanh", "sigmoid", "sqrt", "abs", "neg", "floor", "round", "erf", "reciprocal",
       "isnan", "sign", "logical_not", "square", "frac", "trunc")],
    ("bitwise_and", "bitwise_and", [T(2, 3, dtype="int64"), T(2, 3, dtype="int64")], {}),
    ("clamp", "clamp", [T(2, 3), V(0.1), V(0.5)], {}),
    ("lerp", "lerp", [T(2, 3), T(2, 3), V(0.5)], {}),
    ("addcmul", "addcmul", [T(2, 3), T(2, 3), T(2, 3)], {}),
    ("where", "where", [T(2, 3, dtype="bool"), T(2, 3), T(2, 3)], {}),
    # matmul family
    ("mm", "mm", [T(2, 3), T(3, 4)], {}),
    ("bmm", "bmm", [T(2, 2, 3), T(2, 3, 4)], {}),
    ("matmul", "matmul", [T(2, 3), T(3, 4)], {}),
    ("mv", "mv", [T(2, 3), T(3)], {}),
    ("dot", "dot", [T(3), T(3)], {}),
    ("outer", "outer", [T(3), T(2)], {}),
    ("addmm", "addmm", [T(2, 4), T(2, 3), T(3, 4)], {}),
    ("baddbmm", "baddbmm", [T(2, 2, 4), T(2, 2, 3), T(2, 3, 4)], {}),
    ("linear", F + "linear", [T(2, 3), T(4, 3), T(4)], {}),
    ("bilinear", F + "bilinear", [T(2, 3), T(2, 2), T(4, 3, 2)], {}),
    ("tensordot", "tensordot", [T(2, 3), T(3, 4)], {"dims": V(1)}),
    ("kron", "kron", [T(2, 2), T(2, 2)], {}),
    # reductions with a dim
    *[(f"{n}-dim", n, [T(2, 3), D(1)], {}) for n in
      ("sum", "mean", "prod", "amax", "amin", "max", "min", "argmax", "argmin", "std", "var", "logsumexp",
       "cumsum", "cumprod", "softmax", "log_softmax", "all", "any", "median", "nansum", "count_nonzero",
       "nanmean", "cummax", "logcumsumexp", "var_mean")],
    ("norm-dim", "norm", [T(2, 3)], {"dim": D(1)}),
    ("sort-dim", "sort", [T(2, 3), D(1)], {}),
    ("argsort-dim", "argsort", [T(2, 3), D(1)], {}),
    ("topk-dim", "topk", [T(2, 3), V(2), D(1)], {}),
    ("kthvalue-dim", "kthvalue", [T(2, 3), V(1), D(1)], {}),
    ("unique_consecutive", "unique_consecutive", [T(2, 3)], {"dim": D(1)}),
    # joining and shapes
    ("cat", "cat", [V(None, "cat"), D(1)], {}),
    ("stack", "stack", [V(None, "stack"), D(1)], {}),
    ("hstack", "hstack", [V(None, "cat")], {}),
    ("unsqueeze", "unsqueeze", [T(2, 3), D(1)], {}),
    ("squeeze", "squeeze", [T(2, 1), D(1)], {}),
    ("transpose", "transpose", [T(2, 3), D(0), D(1)], {}),
    ("movedim", "movedim", [T(2, 3), D(0), D(1)], {}),
    ("flatten", "flatten", [T(2, 3, 2), D(0), D(1)], {}),
    ("flip", "flip", [T(2, 3), V((1,))], {}),
    ("roll", "roll", [T(2, 3), V(1), D(1)], {}),
    ("narrow", "narrow", [T(2, 3), D(1), V(0), V(2)], {}),
    ("select", "select", [T(2, 3), D(1), V(2)], {}),
    ("split", "split", [T(2, 3), V(2), D(1)], {}),
    ("chunk", "chunk", [T(2, 3), V(2), D(1)], {}),
    ("unbind", "unbind", [T(2, 3), D(1)], {}),
    ("diagonal", "diagonal", [T(2, 3)], {"dim1": D(0), "dim2": D(1)}),
    ("tril", "tril", [T(2, 3)], {}),
    ("diag_embed", "diag_embed", [T(2, 3)], {}),
    ("repeat_interleave", "repeat_interleave", [T(2, 3), V(2), D(1)], {}),
    # indexing
    ("index_select", "index_select", [T(2, 3), D(1), I(0, 2)], {}),
    ("gather", "gather", [T(2, 3), D(1), I(0, 2, 1, 0, shape=(2, 2))], {}),
    ("scatter", "scatter", [T(2, 3), D(1), I(0, 2, 1, 0, shape=(2, 2)), T(2, 2)], {}),
    ("scatter_add", "scatter_add", [T(2, 3), D(1), I(0, 2, 1, 0, shape=(2, 2)), T(2, 2)], {}),
    ("index_add", "index_add", [T(2, 3), D(1), I(0, 2), T(2, 2)], {}),
    ("index_copy", "index_copy", [T(2, 3), D(1), I(0, 2), T(2, 2)], {}),
    ("index_fill", "index_fill", [T(2, 3), D(1), I(0, 2), V(1.0)], {}),
    ("take", "take", [T(2, 3), I(0, 5)], {}),
    ("take_along_dim", "take_along_dim", [T(2, 3), I(0, 2, 1, 0, shape=(2, 2)), D(1)], {}),
    ("masked_fill", "masked_fill", [T(2, 3), T(2, 3, dtype="bool"), V(1.0)], {}),
    ("masked_select", "masked_select", [T(2, 3), T(2, 3, dtype="bool")], {}),
    ("embedding", F + "embedding", [I(0, 3), T(4, 2)], {}),
    ("one_hot", F + "one_hot", [I(0, 3), V(4)], {}),
    # spatial
    ("conv1d", F + "conv1d", [T(1, 2, 5), T(3, 2, 3)], {}),
    ("conv2d", F + "conv2d", [T(1, 2, 5, 5), T(3, 2, 3, 3), T(3)], {}),
    ("conv3d", F + "conv3d", [T(1, 2, 4, 4, 4), T(3, 2, 3, 3, 3)], {}),
    ("conv_transpose2d", F + "conv_transpose2d", [T(1, 2, 4, 4), T(2, 3, 3, 3)], {}),
    ("max_pool1d", F + "max_pool1d", [T(1, 2, 6), V(2)], {}),
    ("max_pool2d", F + "max_pool2d", [T(1, 2, 6, 6), V(2)], {}),
    ("avg_pool2d", F + "avg_pool2d", [T(1, 2, 6, 6), V(2)], {}),
    ("adaptive_avg_pool2d", F + "adaptive_avg_pool2d", [T(1, 2, 6, 6), V(3)], {}),
    ("batch_norm", F + "batch_norm", [T(4, 3), T(3), T(3)], {}),
    ("layer_norm", F + "layer_norm", [T(2, 3), V((3,)), T(3), T(3)], {}),
    ("group_norm", F + "group_norm", [T(2, 4, 3), V(2), T(4), T(4)], {}),
    ("instance_norm", F + "instance_norm", [T(2, 3, 4)], {}),
    ("pad", F + "pad", [T(2, 3), V((1, 1))], {}),
    ("interpolate", F + "interpolate", [T(1, 2, 4, 4)], {"scale_factor": V(2)}),
    ("pixel_shuffle", F + "pixel_shuffle", [T(1, 4, 2, 2), V(2)], {}),
    ("unfold", F + "unfold", [T(1, 2, 4, 4), V(2)], {}),
    # losses
    *[(n, F + n, [T(2, 3), T(2, 3)], {}) for n in
      ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "kl_div", "binary_cross_entropy",
       "binary_cross_entropy_with_logits", "soft_margin_loss", "multilabel_soft_margin_loss", "poisson_nll_loss")],
    ("cross_entropy", F + "cross_entropy", [T(2, 3), I(0, 2)], {}),
    ("nll_loss", F + "nll_loss", [T(2, 3), I(0, 2)], {}),
    ("multi_margin_loss", F + "multi_margin_loss", [T(2, 3), I(0, 2)], {}),
    ("cosine_similarity", F + "cosine_similarity", [T(2, 3), T(2, 3)], {}),
    ("margin_ranking_loss", F + "margin_ranking_loss", [T(3), T(3), T(3)], {}),
    ("triplet_margin_loss", F + "triplet_margin_loss", [T(2, 3), T(2, 3), T(2, 3)], {}),
    ("gaussian_nll_loss", F + "gaussian_nll_loss", [T(2, 3), T(2, 3), T(2, 3)], {}),
    ("ctc_like_cosine_embedding_loss", F + "cosine_embedding_loss", [T(2, 3), T(2, 3), T(2)], {}),
    # tensor methods
    (".view", ".view", [T(2, 3), V(3), V(2)], {}),
    (".reshape", ".reshape", [T(2, 3), V(3), V(2)], {}),
    (".expand", ".expand", [T(2, 1), V(2), V(4)], {}),
    (".permute", ".permute", [T(2, 3), D(1), D(0)], {}),
    (".repeat", ".repeat", [T(2, 3), V(1), V(2)], {}),
    (".masked_fill_", ".masked_fill_", [T(2, 3), T(2, 3, dtype="bool"), V(1.0)], {}),
    (".copy_", ".copy_", [T(2, 3), T(2, 3)], {}),
    (".add_", ".add_", [T(2, 3), T(2, 3)], {}),
    (".mul_", ".mul_", [T(2, 3), T(2, 3)], {}),
    (".clamp_", ".clamp_", [T(2, 3), V(0.1)], {}),
    (".index_put_", ".index_put_", [T(2, 3), V(None, "indices"), T(2)], {}),
    (".scatter_", ".scatter_", [T(2, 3), D(1), I(0, 2, 1, 0, shape=(2, 2)), T(2, 2)], {}),
    (".index_add_", ".index_add_", [T(2, 3), D(1), I(0, 2), T(2, 2)], {}),
    (".index_copy_", ".index_copy_", [T(2, 3), D(1), I(0, 2), T(2, 2)], {}),
    (".type_as", ".type_as", [T(2, 3), T(2, 3)], {}),
    (".expand_as", ".expand_as", [T(2, 1), T(2, 3)], {}),
    (".view_as", ".view_as", [T(2, 3), T(3, 2)], {}),
    (".new_zeros", ".new_zeros", [T(2, 3), V((2, 2))], {}),
    (".unfold", ".unfold", [T(2, 6), D(1), V(2), V(2)], {}),
]


def _special(L, m):
    """values of the V(None, label) makers that need the library"""
    if m.kind == "cat":
        return [L.ones(2, 3), L.ones(2, 2)]
    if m.kind == "stack":
        return [L.ones(2, 3), L.ones(2, 3)]
    if m.kind == "indices":
        return (L.tensor([0, 1]),)
    return m.value


def _arg(L, m):
    return _special(L, m) if m.kind in ("cat", "stack", "indices") else m(L)


def _call(path, makers, kw):
    def call(L):
        args = [_arg(L, m) for m in makers]
        kwargs = {k: _arg(L, m) for k, m in kw.items()}
        if path.startswith("."):
            return getattr(args[0], path[1:])(*args[1:], **kwargs)
        return _get(L, path)(*args, **kwargs)
    return call


def _bad_list(kind):
    """bad replacements for the tensor lists of cat/stack"""
    return [("one-bad-rank", lambda L: [L.ones(2, 3), L.ones(2)]), ("tensor-not-list", lambda L: L.ones(2, 3)),
            ("list-with-int", lambda L: [L.ones(2, 3), 1]), ("list-with-None", lambda L: [L.ones(2, 3), None]),
            ("empty-list", lambda L: []), ("str", lambda L: "ab")]


def _value_bad(m):
    v = m.value
    if isinstance(v, bool) or v is None:
        return []
    if isinstance(v, int):
        return [("neg", _const(-v - 1, str(-v - 1))), ("zero", _const(0, "0")), ("float", _const(v + 0.5, "f")),
                ("str", _const("a", "'a'")), ("big", _const(v + 100, "big"))]
    if isinstance(v, float):
        return [("str", _const("a", "'a'")), ("None", _const(None, "None"))]
    if isinstance(v, tuple):
        return [("empty-tuple", _const((), "()")), ("float-in-tuple", _const(tuple(x + 0.5 for x in v), "ft")),
                ("longer", _const(v + v, "vv")), ("negative", _const(tuple(-x - 1 for x in v), "neg"))]
    return []


def generated():
    """(id, call) for every op of OPS with one argument replaced by one bad value"""
    out = []
    for name, path, makers, kw in OPS:
        slots = [(i, m) for i, m in enumerate(makers)] + [(k, m) for k, m in kw.items()]
        for slot, m in slots:
            if m.kind in BAD:
                bads = BAD[m.kind](m)
            elif m.kind in ("cat", "stack"):
                bads = _bad_list(m.kind)
            elif m.kind == "value":
                bads = _value_bad(m)
            else:
                bads = []
            for label, bad in bads:
                bad.kind = getattr(bad, "kind", "bad")
                new = list(makers)
                newkw = dict(kw)
                wrapped = _wrap(bad)
                if isinstance(slot, int):
                    new[slot] = wrapped
                else:
                    newkw[slot] = wrapped
                out.append((f"gen {name} arg{slot} {label}", _call(path, new, newkw)))
    return out


def _wrap(f):
    def make(L):
        return f(L)
    make.kind = "bad"
    return make


# ---------------------------------------------------------------------------------------------------------------
# stateful objects: (id, make, bad)
# ---------------------------------------------------------------------------------------------------------------
def _leaf(L):
    x = T(2, 3, rg=True)(L)
    (x * 2).sum().backward()
    return {"objs": [x], "x": x}


def _plain(L):
    x = T(2, 3)(L)
    return {"objs": [x], "x": x}


def _long(L):
    x = L.tensor([[1, 2, 3], [4, 5, 6]])
    return {"objs": [x], "x": x}


def _mod(build):
    def make(L):
        L.manual_seed(0)
        m = build(L)
        return {"objs": [m], "m": m}
    return make


def _opt(name, **kw):
    def make(L):
        L.manual_seed(0)
        m = L.nn.Linear(3, 2)
        o = getattr(L.optim, name)(m.parameters(), **kw)
        for _ in range(2):
            o.zero_grad()
            m(T(4, 3)(L)).pow(2).sum().backward()
            o.step()
        return {"objs": [o, m], "o": o, "m": m}
    return make


def _fwd(x):
    return lambda L, c: c["m"](x(L))


INPLACE_BAD = [
    ("add_ broadcast grows self", lambda L, c: c["x"].add_(T(4, 2, 3)(L))),
    ("add_ wrong shape", lambda L, c: c["x"].add_(T(3)(L))),
    ("mul_ string", lambda L, c: c["x"].mul_("a")),
    ("copy_ wrong shape", lambda L, c: c["x"].copy_(T(4)(L))),
    ("index_fill_ oob", lambda L, c: c["x"].index_fill_(1, I(5)(L), 0.0)),
    ("index_fill_ float index", lambda L, c: c["x"].index_fill_(1, T(1)(L), 0.0)),
    ("masked_fill_ mask shape", lambda L, c: c["x"].masked_fill_(T(3, 3, dtype="bool")(L), 0.0)),
    ("masked_fill_ float mask", lambda L, c: c["x"].masked_fill_(T(2, 3)(L), 0.0)),
    ("masked_fill_ tensor value 1-d", lambda L, c: c["x"].masked_fill_(T(2, 3, dtype="bool")(L), T(2)(L))),
    ("scatter_ oob", lambda L, c: c["x"].scatter_(1, I(9, shape=(1, 1))(L), 1.0)),
    ("scatter_ neg", lambda L, c: c["x"].scatter_(1, I(-1, shape=(1, 1))(L), 1.0)),
    ("scatter_ index rank", lambda L, c: c["x"].scatter_(1, I(0)(L), 1.0)),
    ("scatter_ src dtype", lambda L, c: c["x"].scatter_(1, I(0, shape=(1, 1))(L), T(1, 1, dtype="float64")(L))),
    ("scatter_add_ oob", lambda L, c: c["x"].scatter_add_(1, I(9, shape=(1, 1))(L), T(1, 1)(L))),
    ("index_add_ oob", lambda L, c: c["x"].index_add_(1, I(0, 7)(L), T(2, 2)(L))),
    ("index_add_ source shape", lambda L, c: c["x"].index_add_(1, I(0, 1)(L), T(2, 3)(L))),
    ("index_copy_ oob", lambda L, c: c["x"].index_copy_(0, I(4)(L), T(1, 3)(L))),
    ("index_put_ oob", lambda L, c: c["x"].index_put_((I(5)(L),), T(3)(L))),
    ("index_put_ values shape", lambda L, c: c["x"].index_put_((I(0)(L),), T(4)(L))),
    ("setitem oob", lambda L, c: c["x"].__setitem__(5, 1.0)),
    ("setitem shape", lambda L, c: c["x"].__setitem__(0, T(4)(L))),
    ("setitem mask shape", lambda L, c: c["x"].__setitem__(T(3, dtype="bool")(L), 1.0)),
    ("setitem string", lambda L, c: c["x"].__setitem__(0, "a")),
    ("put_ oob", lambda L, c: c["x"].put_(I(6)(L), T(1)(L))),
    ("clamp_ no bounds", lambda L, c: c["x"].clamp_()),
    ("resize_ negative", lambda L, c: c["x"].resize_(-1)),
    ("resize_ float", lambda L, c: c["x"].resize_(2.5)),
    ("transpose_ dim", lambda L, c: c["x"].transpose_(0, 5)),
    ("squeeze_ dim", lambda L, c: c["x"].squeeze_(4)),
    ("unsqueeze_ dim", lambda L, c: c["x"].unsqueeze_(4)),
    ("fill_ 1-d value", lambda L, c: c["x"].fill_(T(2)(L))),
    ("zero_ arg", lambda L, c: c["x"].zero_(1)),
    ("uniform_ from>to", lambda L, c: c["x"].uniform_(2.0, 1.0)),
    ("normal_ negative std", lambda L, c: c["x"].normal_(0.0, -1.0)),
    ("random_ from>to", lambda L, c: c["x"].random_(5, 2)),
    ("bernoulli_ p>1", lambda L, c: c["x"].bernoulli_(1.5)),
    ("exponential_ negative", lambda L, c: c["x"].exponential_(-1.0)),
    ("sqrt_ on long", lambda L, c: c["x"].sqrt_()),
    ("div_ floor long by float", lambda L, c: c["x"].div_(1.5)),
    ("addmm_ shapes", lambda L, c: c["x"].addmm_(T(2, 2)(L), T(3, 3)(L))),
    ("baddbmm_ rank", lambda L, c: c["x"].baddbmm_(T(2, 2)(L), T(2, 3)(L))),
    ("lerp_ shape", lambda L, c: c["x"].lerp_(T(4)(L), 0.5)),
    ("requires_grad_ string", lambda L, c: c["x"].requires_grad_("yes")),
    ("grad assign wrong shape", lambda L, c: setattr(c["x"], "grad", T(3)(L))),
    ("grad assign list", lambda L, c: setattr(c["x"], "grad", [1.0])),
    ("grad assign int dtype", lambda L, c: setattr(c["x"], "grad", T(2, 3, dtype="int64")(L))),
    ("data assign list", lambda L, c: setattr(c["x"], "data", [1.0])),
    ("view on leaf then in-place", lambda L, c: c["x"][0].mul_(2)),
    ("in-place on leaf", lambda L, c: c["x"].exp_()),
    ("backward of a leaf non-scalar", lambda L, c: c["x"].backward()),
    ("backward with wrong gradient", lambda L, c: (c["x"] * 2).backward(T(3)(L))),
    ("backward gradient dtype", lambda L, c: (c["x"] * 2).backward(T(2, 3, dtype="int64")(L))),
    ("backward gradient list", lambda L, c: (c["x"] * 2).sum().backward([1.0])),
    ("autograd.grad not requiring", lambda L, c: L.autograd.grad(c["x"].detach().sum(), [c["x"]])),
    ("autograd.grad outputs none", lambda L, c: L.autograd.grad(None, [c["x"]])),
    ("retain_grad on no-grad", lambda L, c: c["x"].detach().retain_grad()),
    ("register_hook no-grad", lambda L, c: c["x"].detach().register_hook(lambda g: g)),
]

MODULE_BAD = [
    ("conv2d forward rank", _mod(lambda L: L.nn.Conv2d(2, 3, 3)), _fwd(T(2, 5, 5, 5, 5))),
    ("conv2d forward channels", _mod(lambda L: L.nn.Conv2d(2, 3, 3)), _fwd(T(1, 3, 5, 5))),
    ("conv2d forward small", _mod(lambda L: L.nn.Conv2d(2, 3, 3)), _fwd(T(1, 2, 2, 2))),
    ("conv2d forward double", _mod(lambda L: L.nn.Conv2d(2, 3, 3)), _fwd(T(1, 2, 5, 5, dtype="float64"))),
    ("conv2d forward long", _mod(lambda L: L.nn.Conv2d(2, 3, 3)), _fwd(T(1, 2, 5, 5, dtype="int64"))),
    ("conv1d forward 4-d", _mod(lambda L: L.nn.Conv1d(2, 3, 3)), _fwd(T(1, 2, 5, 5))),
    ("conv3d forward 4-d", _mod(lambda L: L.nn.Conv3d(2, 3, 3)), _fwd(T(1, 2, 5, 5))),
    ("convT2d forward channels", _mod(lambda L: L.nn.ConvTranspose2d(2, 3, 3)), _fwd(T(1, 3, 5, 5))),
    ("conv2d groups", _mod(lambda L: L.nn.Conv2d(4, 4, 3, groups=2)), _fwd(T(1, 3, 5, 5))),
    ("maxpool2d forward 5-d", _mod(lambda L: L.nn.MaxPool2d(2)), _fwd(T(1, 1, 2, 4, 4))),
    ("maxpool2d forward small", _mod(lambda L: L.nn.MaxPool2d(3)), _fwd(T(1, 1, 2, 2))),
    ("avgpool1d forward 4-d", _mod(lambda L: L.nn.AvgPool1d(2)), _fwd(T(1, 1, 4, 4))),
    ("bn2d forward 3-d", _mod(lambda L: L.nn.BatchNorm2d(3)), _fwd(T(2, 3, 4))),
    ("bn1d forward features", _mod(lambda L: L.nn.BatchNorm1d(3)), _fwd(T(2, 4))),
    ("bn1d forward double", _mod(lambda L: L.nn.BatchNorm1d(3)), _fwd(T(2, 3, dtype="float64"))),
    ("ln forward shape", _mod(lambda L: L.nn.LayerNorm(3)), _fwd(T(2, 4))),
    ("gn forward channels", _mod(lambda L: L.nn.GroupNorm(2, 4)), _fwd(T(2, 6, 3))),
    ("in1d forward channels", _mod(lambda L: L.nn.InstanceNorm1d(3, affine=True)), _fwd(T(2, 4, 5))),
    ("embedding forward float", _mod(lambda L: L.nn.Embedding(4, 2)), _fwd(T(3))),
    ("embedding forward oob", _mod(lambda L: L.nn.Embedding(4, 2)), _fwd(I(4))),
    ("embedding forward neg", _mod(lambda L: L.nn.Embedding(4, 2)), _fwd(I(-1))),
    ("embeddingbag offsets", _mod(lambda L: L.nn.EmbeddingBag(4, 2)), _fwd(I(0, 1, 2))),
    ("linear forward features", _mod(lambda L: L.nn.Linear(3, 2)), _fwd(T(2, 4))),
    ("linear forward 0-d", _mod(lambda L: L.nn.Linear(3, 2)), _fwd(T())),
    ("linear forward long", _mod(lambda L: L.nn.Linear(3, 2)), _fwd(T(2, 3, dtype="int64"))),
    ("linear forward list", _mod(lambda L: L.nn.Linear(3, 2)), lambda L, c: c["m"]([1.0, 2.0, 3.0])),
    ("lstm forward rank", _mod(lambda L: L.nn.LSTM(3, 4)), _fwd(T(2, 3, 3, 3))),
    ("lstm forward features", _mod(lambda L: L.nn.LSTM(3, 4)), _fwd(T(2, 3, 5))),
    ("gru forward hidden shape", _mod(lambda L: L.nn.GRU(3, 4)), lambda L, c: c["m"](T(2, 3, 3)(L), T(1, 2, 4)(L))),
    ("rnncell forward features", _mod(lambda L: L.nn.RNNCell(3, 4)), _fwd(T(2, 5))),
    ("mha forward embed", _mod(lambda L: L.nn.MultiheadAttention(4, 2)),
     lambda L, c: c["m"](T(2, 1, 5)(L), T(2, 1, 5)(L), T(2, 1, 5)(L))),
    ("transformer layer shape", _mod(lambda L: L.nn.TransformerEncoderLayer(4, 2, 8)), _fwd(T(2, 1, 5))),
    ("crossentropy module target", _mod(lambda L: L.nn.CrossEntropyLoss()),
     lambda L, c: c["m"](T(2, 3)(L), I(0, 1, 2)(L))),
    ("load_state_dict not a mapping", _mod(lambda L: L.nn.Linear(3, 2)), lambda L, c: c["m"].load_state_dict([1])),
    ("load_state_dict None", _mod(lambda L: L.nn.Linear(3, 2)), lambda L, c: c["m"].load_state_dict(None)),
    ("load_state_dict dtype int into float", _mod(lambda L: L.nn.Linear(3, 2)),
     lambda L, c: c["m"].load_state_dict({"weight": L.zeros(2, 3), "bias": L.zeros(3)})),
    ("load_state_dict scalar for vector", _mod(lambda L: L.nn.Linear(3, 2)),
     lambda L, c: c["m"].load_state_dict({"weight": L.zeros(2, 3), "bias": L.tensor(1.0)})),
    ("load_state_dict seq one wrong", _mod(lambda L: L.nn.Sequential(L.nn.Linear(3, 2), L.nn.BatchNorm1d(2))),
     lambda L, c: c["m"].load_state_dict({**{k: v + 1 for k, v in c["m"].state_dict().items()},
                                          "1.running_var": L.zeros(3)})),
    ("load_state_dict nbt shape", _mod(lambda L: L.nn.BatchNorm1d(2)),
     lambda L, c: c["m"].load_state_dict({**c["m"].state_dict(), "num_batches_tracked": L.tensor([1, 2])})),
    ("register_buffer not tensor", _mod(lambda L: L.nn.Linear(3, 2)), lambda L, c: c["m"].register_buffer("b", 3)),
    ("register_buffer empty name", _mod(lambda L: L.nn.Linear(3, 2)),
     lambda L, c: c["m"].register_buffer("", L.ones(1))),
    ("register_buffer existing attr", _mod(lambda L: L.nn.Linear(3, 2)),
     lambda L, c: c["m"].register_buffer("weight", L.ones(1))),
    ("register_buffer name not str", _mod(lambda L: L.nn.Linear(3, 2)),
     lambda L, c: c["m"].register_buffer(3, L.ones(1))),
    ("register_buffer dotted", _mod(lambda L: L.nn.Linear(3, 2)),
     lambda L, c: c["m"].register_buffer("a.b", L.ones(1))),
    ("register_parameter tensor", _mod(lambda L: L.nn.Linear(3, 2)),
     lambda L, c: c["m"].register_parameter("p", L.ones(1))),
    ("register_parameter existing", _mod(lambda L: L.nn.Linear(3, 2)),
     lambda L, c: c["m"].register_parameter("in_features", L.nn.Parameter(L.ones(1)))),
    ("add_module dotted", _mod(lambda L: L.nn.Linear(3, 2)), lambda L, c: c["m"].add_module("a.b", L.nn.ReLU())),
    ("add_module empty", _mod(lambda L: L.nn.Linear(3, 2)), lambda L, c: c["m"].add_module("", L.nn.ReLU())),
    ("add_module existing attr", _mod(lambda L: L.nn.Linear(3, 2)),
     lambda L, c: c["m"].add_module("weight", L.nn.ReLU())),
    ("add_module name int", _mod(lambda L: L.nn.Linear(3, 2)), lambda L, c: c["m"].add_module(1, L.nn.ReLU())),
    ("setattr tensor over parameter", _mod(lambda L: L.nn.Linear(3, 2)),
     lambda L, c: setattr(c["m"], "weight", L.ones(2, 3))),
    ("setattr int over buffer", _mod(lambda L: L.nn.BatchNorm1d(2)),
     lambda L, c: setattr(c["m"], "running_mean", 3)),
    ("setattr int over module", _mod(lambda L: L.nn.Sequential(L.nn.ReLU())),
     lambda L, c: setattr(c["m"], "0", 3)),
    ("get_parameter missing", _mod(lambda L: L.nn.Linear(3, 2)), lambda L, c: c["m"].get_parameter("nope")),
    ("get_buffer not buffer", _mod(lambda L: L.nn.Linear(3, 2)), lambda L, c: c["m"].get_buffer("weight")),
    ("to bad dtype", _mod(lambda L: L.nn.Linear(3, 2)), lambda L, c: c["m"].to(L.int64)),
    ("to string", _mod(lambda L: L.nn.Linear(3, 2)), lambda L, c: c["m"].to("float")),
    ("apply non-callable", _mod(lambda L: L.nn.Linear(3, 2)), lambda L, c: c["m"].apply(3)),
    ("train string", _mod(lambda L: L.nn.Linear(3, 2)), lambda L, c: c["m"].train("yes")),
    ("requires_grad_ int module", _mod(lambda L: L.nn.Linear(3, 2)), lambda L, c: c["m"].requires_grad_(3)),
    ("sequential slice bad", _mod(lambda L: L.nn.Sequential(L.nn.ReLU())), lambda L, c: c["m"]["a"]),
    ("modulelist insert int", _mod(lambda L: L.nn.ModuleList([L.nn.ReLU()])), lambda L, c: c["m"].insert(0, 3)),
    ("moduledict update list", _mod(lambda L: L.nn.ModuleDict()), lambda L, c: c["m"].update([1, 2])),
    ("parameterlist getitem oob", _mod(lambda L: L.nn.ParameterList([L.nn.Parameter(L.ones(1))])),
     lambda L, c: c["m"][3]),
]

OPT_BAD = [
    ("sgd step closure not callable", _opt("SGD", lr=0.1, momentum=0.9), lambda L, c: c["o"].step(3)),
    ("adam load_state_dict list", _opt("Adam"), lambda L, c: c["o"].load_state_dict([1])),
    ("adam load_state_dict none", _opt("Adam"), lambda L, c: c["o"].load_state_dict(None)),
    ("adam load_state_dict groups wrong type", _opt("Adam"),
     lambda L, c: c["o"].load_state_dict({"state": {}, "param_groups": 3})),
    ("adam load_state_dict extra param id", _opt("Adam"),
     lambda L, c: c["o"].load_state_dict({"state": {}, "param_groups": [{**c["o"].state_dict()["param_groups"][0],
                                                                        "params": [0, 1, 2]}]})),
    ("adam add_param_group no params", _opt("Adam"), lambda L, c: c["o"].add_param_group({"lr": 0.1})),
    ("adam add_param_group non-leaf", _opt("Adam"),
     lambda L, c: c["o"].add_param_group({"params": [L.ones(2, requires_grad=True) * 2]})),
    ("adam add_param_group tensor params", _opt("Adam"),
     lambda L, c: c["o"].add_param_group({"params": L.ones(2, requires_grad=True)})),
    ("adam add_param_group bad lr", _opt("Adam"),
     lambda L, c: c["o"].add_param_group({"params": [L.ones(2, requires_grad=True)], "lr": -1.0})),
    ("adam add_param_group int param", _opt("Adam"),
     lambda L, c: c["o"].add_param_group({"params": [3]})),
    ("sgd step closure string", _opt("SGD", lr=0.1), lambda L, c: c["o"].step("x")),
    ("scheduler on not optimizer", _opt("SGD", lr=0.1), lambda L, c: L.optim.lr_scheduler.StepLR(c["m"], 1)),
    ("clip_grad_norm bad norm", _opt("SGD", lr=0.1),
     lambda L, c: L.nn.utils.clip_grad_norm_(c["m"].parameters(), 1.0, norm_type="fro2")),
]

DATA_BAD = [
    ("dataloader batch_size 0", lambda L: L.utils.data.DataLoader(list(range(4)), batch_size=0)),
    ("dataloader batch_size negative", lambda L: L.utils.data.DataLoader(list(range(4)), batch_size=-1)),
    ("dataloader batch_size float", lambda L: L.utils.data.DataLoader(list(range(4)), batch_size=1.5)),
    ("dataloader batch_size str", lambda L: L.utils.data.DataLoader(list(range(4)), batch_size="2")),
    ("dataloader num_workers negative", lambda L: L.utils.data.DataLoader(list(range(4)), num_workers=-1)),
    ("dataloader timeout negative", lambda L: L.utils.data.DataLoader(list(range(4)), timeout=-1)),
    ("dataloader sampler and shuffle", lambda L: L.utils.data.DataLoader(
        list(range(4)), sampler=L.utils.data.SequentialSampler(range(4)), shuffle=True)),
    ("dataloader batch_sampler and batch_size", lambda L: L.utils.data.DataLoader(
        list(range(4)), batch_sampler=L.utils.data.BatchSampler(range(4), 2, False), batch_size=2)),
    ("dataloader batch_sampler and drop_last", lambda L: L.utils.data.DataLoader(
        list(range(4)), batch_sampler=L.utils.data.BatchSampler(range(4), 2, False), drop_last=True)),
    ("dataloader prefetch without workers", lambda L: L.utils.data.DataLoader(list(range(4)), prefetch_factor=2)),
    ("dataloader persistent without workers", lambda L: L.utils.data.DataLoader(list(range(4)),
                                                                                persistent_workers=True)),
    ("dataloader unknown kwarg", lambda L: L.utils.data.DataLoader(list(range(4)), batchsize=2)),
    ("dataloader collate not callable", lambda L: next(iter(L.utils.data.DataLoader(list(range(4)), collate_fn=3)))),
    ("dataloader shuffle string", lambda L: L.utils.data.DataLoader(list(range(4)), shuffle="yes")),
    ("dataloader iterate int dataset", lambda L: next(iter(L.utils.data.DataLoader(5)))),
    ("dataloader ragged collate", lambda L: next(iter(L.utils.data.DataLoader([L.ones(2), L.ones(3)], batch_size=2)))),
    ("batchsampler batch_size 0", lambda L: L.utils.data.BatchSampler(range(4), 0, False)),
    ("batchsampler drop_last int", lambda L: L.utils.data.BatchSampler(range(4), 2, 1)),
    ("randomsampler num_samples 0", lambda L: L.utils.data.RandomSampler(range(4), num_samples=0)),
    ("randomsampler replacement str", lambda L: L.utils.data.RandomSampler(range(4), replacement="no")),
    ("weightedsampler negative", lambda L: L.utils.data.WeightedRandomSampler([-1.0, 1.0], 2)),
    ("weightedsampler 2-d", lambda L: L.utils.data.WeightedRandomSampler([[1.0, 1.0]], 2)),
    ("weightedsampler num_samples 0", lambda L: L.utils.data.WeightedRandomSampler([1.0, 1.0], 0)),
    ("random_split lengths", lambda L: L.utils.data.random_split(range(4), [2, 3])),
    ("random_split fractions", lambda L: L.utils.data.random_split(range(4), [0.5, 0.6])),
    ("tensordataset sizes", lambda L: L.utils.data.TensorDataset(L.ones(3), L.ones(4))),
    ("subset oob", lambda L: L.utils.data.Subset(list(range(3)), [5])[0]),
    ("concatdataset empty", lambda L: L.utils.data.ConcatDataset([])),
    ("save bad file arg", lambda L: L.save({"a": 1}, 3)),
    ("save into a directory", lambda L: L.save({"a": 1}, "/tmp")),
    ("load a directory", lambda L: L.load("/tmp")),
    ("load int", lambda L: L.load(3.5)),
    ("load bad map_location", lambda L: _saved_then_load(L, map_location="tpu")),
    ("load map_location int type", lambda L: _saved_then_load(L, map_location=3.5)),
    ("load not a checkpoint", lambda L: _garbage_then_load(L)),
    ("load empty file", lambda L: _garbage_then_load(L, b"")),
]


def _saved_then_load(L, **kw):
    import io
    buf = io.BytesIO()
    L.save({"a": L.ones(2)}, buf)
    buf.seek(0)
    return L.load(buf, **kw)


def _garbage_then_load(L, data=b"not a checkpoint at all"):
    import io
    return L.load(io.BytesIO(data))


STATEFUL = ([(f"state {n} ({k})", mk, bad) for n, bad in INPLACE_BAD
             for k, mk in (("leaf", _leaf), ("plain", _plain), ("long", _long))]
            + [(f"state {n}", mk, bad) for n, mk, bad in MODULE_BAD]
            + [(f"state {n}", mk, bad) for n, mk, bad in OPT_BAD])


def stateful_calls():
    """the STATEFUL rows as plain calls (for the error comparison)"""
    return [(n, _bound(mk, bad)) for n, mk, bad in STATEFUL]


def _bound(make, bad):
    def call(L):
        return bad(L, make(L))
    return call


def all_calls():
    return generated() + stateful_calls() + [(f"data {n}", c) for n, c in DATA_BAD]
