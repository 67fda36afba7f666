"""Bad calls across the API, written once for any library with PyTorch's API (``lib`` is torch or ember).

Each entry is (id, call): ``call(lib)`` must raise. The test compares ember's exception class and message with
PyTorch's (live, or as recorded in tests/fixtures/bad_calls.json). Grouped by what is wrong.
"""

import numpy as np


def _t(lib, *shape, dtype=None):
    n = int(np.prod(shape)) if shape else 1
    return lib.arange(n, dtype=dtype or lib.float32).reshape(shape) if shape else lib.tensor(1.0)


def _model(lib):
    lib.manual_seed(0)
    return lib.nn.Linear(3, 2)


CALLS = [
    # -- shapes ------------------------------------------------------------------------------------------------
    ("matmul 2x3 @ 4x5", lambda L: _t(L, 2, 3) @ _t(L, 4, 5)),
    ("mm 2x3 4x5", lambda L: L.mm(_t(L, 2, 3), _t(L, 4, 5))),
    ("mm of a 1-d", lambda L: L.mm(_t(L, 3), _t(L, 3, 2))),
    ("bmm batch mismatch", lambda L: L.bmm(_t(L, 2, 3, 4), _t(L, 3, 4, 5))),
    ("mv wrong size", lambda L: L.mv(_t(L, 2, 3), _t(L, 4))),
    ("dot sizes", lambda L: L.dot(_t(L, 3), _t(L, 4))),
    ("matmul 0-d", lambda L: L.matmul(L.tensor(2.0), _t(L, 2, 2))),
    ("add broadcast", lambda L: _t(L, 2, 3) + _t(L, 4)),
    ("mul broadcast", lambda L: _t(L, 2, 3) * _t(L, 2, 2)),
    ("cat sizes", lambda L: L.cat([_t(L, 2, 3), _t(L, 2, 4)])),
    ("cat ndim", lambda L: L.cat([_t(L, 2, 3), _t(L, 3)])),
    ("cat empty list", lambda L: L.cat([])),
    ("stack sizes", lambda L: L.stack([_t(L, 2), _t(L, 3)])),
    ("view incompatible numel", lambda L: _t(L, 2, 3).view(4, 2)),
    ("view non-contiguous", lambda L: _t(L, 2, 3).t().view(6)),
    ("reshape two -1", lambda L: _t(L, 2, 3).reshape(-1, -1)),
    ("reshape numel", lambda L: _t(L, 2, 3).reshape(5)),
    ("expand smaller", lambda L: _t(L, 2, 3).expand(2, 2)),
    ("expand fewer dims", lambda L: _t(L, 2, 3).expand(3)),
    ("permute wrong length", lambda L: _t(L, 2, 3).permute(0)),
    ("permute repeated", lambda L: _t(L, 2, 3).permute(0, 0)),
    ("squeeze dim out of range", lambda L: _t(L, 2, 1).squeeze(3)),
    ("transpose dim", lambda L: _t(L, 2, 3).transpose(0, 2)),
    ("split_with_sizes sum", lambda L: _t(L, 5).split([2, 2])),
    ("chunk zero", lambda L: _t(L, 5).chunk(0)),
    ("unflatten product", lambda L: _t(L, 6).unflatten(0, (4, 2))),
    ("where shapes", lambda L: L.where(_t(L, 2) > 0, _t(L, 3), _t(L, 2))),
    ("masked_fill mask shape", lambda L: _t(L, 2, 3).masked_fill(L.ones(3, 2, dtype=L.bool), 0.0)),
    ("linear in features", lambda L: _model(L)(_t(L, 4, 5))),
    ("conv2d channels", lambda L: L.nn.functional.conv2d(_t(L, 1, 3, 5, 5), _t(L, 2, 2, 3, 3))),
    ("conv2d input too small", lambda L: L.nn.functional.conv2d(_t(L, 1, 1, 2, 2), _t(L, 1, 1, 3, 3))),
    ("conv2d 2-d input", lambda L: L.nn.functional.conv2d(_t(L, 5, 5), _t(L, 1, 1, 3, 3))),
    ("max_pool2d kernel too big", lambda L: L.nn.functional.max_pool2d(_t(L, 1, 1, 2, 2), 3)),
    ("batch_norm features", lambda L: L.nn.BatchNorm1d(3)(_t(L, 4, 5))),
    ("layer_norm shape", lambda L: L.nn.functional.layer_norm(_t(L, 2, 3), (4,))),
    ("embedding float index", lambda L: L.nn.Embedding(4, 2)(_t(L, 3))),
    ("cross_entropy batch", lambda L: L.nn.functional.cross_entropy(_t(L, 3, 4), L.tensor([0, 1]))),
    ("nll_loss 3-d target", lambda L: L.nn.functional.nll_loss(_t(L, 3, 4), L.zeros(3, 2, dtype=L.long))),
    ("mse_loss shapes warn then broadcast fail", lambda L: L.nn.functional.mse_loss(_t(L, 2, 3), _t(L, 4, 3))),
    ("bce target shape", lambda L: L.nn.functional.binary_cross_entropy(L.full((3,), 0.5), L.zeros(4))),
    ("einsum operands", lambda L: L.einsum("ij,jk->ik", _t(L, 2, 3))),
    ("einsum sizes", lambda L: L.einsum("ij,jk->ik", _t(L, 2, 3), _t(L, 4, 5))),
    # -- dims and indices --------------------------------------------------------------------------------------
    ("sum dim out of range", lambda L: _t(L, 2, 3).sum(2)),
    ("sum dim -3", lambda L: _t(L, 2, 3).sum(-3)),
    ("mean dim float", lambda L: _t(L, 2, 3).mean(1.0)),
    ("softmax dim out of range", lambda L: _t(L, 2, 3).softmax(5)),
    ("argmax dim", lambda L: _t(L, 2, 3).argmax(4)),
    ("cumsum dim", lambda L: _t(L, 3).cumsum(1)),
    ("index out of range", lambda L: _t(L, 3)[5]),
    ("index -4 of 3", lambda L: _t(L, 3)[-4]),
    ("too many indices", lambda L: _t(L, 3)[0, 0]),
    ("index with float", lambda L: _t(L, 3)[L.tensor([0.0])]),
    ("bool mask shape", lambda L: _t(L, 3)[L.tensor([True, False])]),
    ("negative step", lambda L: _t(L, 5)[::-1]),
    ("index_select out of range", lambda L: _t(L, 3).index_select(0, L.tensor([3]))),
    ("gather index dims", lambda L: _t(L, 2, 3).gather(1, L.tensor([0, 1]))),
    ("gather out of range", lambda L: _t(L, 2, 3).gather(1, L.tensor([[0], [7]]))),
    ("scatter_ out of range", lambda L: L.zeros(3).scatter_(0, L.tensor([5]), 1.0)),
    ("index_add_ out of range", lambda L: L.zeros(3).index_add_(0, L.tensor([4]), L.ones(1))),
    ("narrow beyond", lambda L: _t(L, 5).narrow(0, 3, 4)),
    ("select out of range", lambda L: _t(L, 2, 3).select(1, 3)),
    ("roll 0-d dim", lambda L: L.tensor(1.0).roll(1, 0)),
    ("topk k too big", lambda L: _t(L, 3).topk(4)),
    ("kthvalue k", lambda L: _t(L, 3).kthvalue(4)),
    ("one_hot negative", lambda L: L.nn.functional.one_hot(L.tensor([-1, 0]))),
    ("one_hot classes", lambda L: L.nn.functional.one_hot(L.tensor([3]), 2)),
    ("embedding index out of range", lambda L: L.nn.Embedding(4, 2)(L.tensor([4]))),
    ("cross_entropy class out of range", lambda L: L.nn.functional.cross_entropy(_t(L, 2, 3), L.tensor([0, 3]))),
    # -- empty and 0-d -----------------------------------------------------------------------------------------
    ("max of empty", lambda L: L.tensor([]).max()),
    ("amax of empty", lambda L: L.tensor([]).amax()),
    ("argmax of empty", lambda L: L.tensor([]).argmax()),
    ("min dim of empty", lambda L: L.zeros(0, 3).min(0)),
    ("aminmax of empty", lambda L: L.aminmax(L.tensor([]))),
    ("mode of empty", lambda L: L.tensor([]).mode()),
    ("item of two", lambda L: _t(L, 2).item()),
    ("item of empty", lambda L: L.tensor([]).item()),
    ("bool of two", lambda L: bool(_t(L, 2))),
    ("len of 0-d", lambda L: len(L.tensor(1.0))),
    ("iterate 0-d", lambda L: list(L.tensor(1.0))),
    ("cat 0-d", lambda L: L.cat([L.tensor(1.0), L.tensor(2.0)])),
    ("multinomial zero weights", lambda L: L.multinomial(L.zeros(3), 1)),
    ("multinomial too many", lambda L: L.multinomial(L.ones(3), 4)),
    # -- dtypes ------------------------------------------------------------------------------------------------
    ("mm float double", lambda L: L.mm(_t(L, 2, 2), _t(L, 2, 2, dtype=L.float64))),
    ("int requires grad", lambda L: L.tensor([1, 2], requires_grad=True)),
    ("requires_grad_ on long", lambda L: L.tensor([1, 2]).requires_grad_()),
    ("mean of long", lambda L: L.tensor([1, 2]).mean()),
    ("sqrt of bool? erfinv of long", lambda L: L.tensor([1, 2]).erfinv_()),
    ("bitwise_and float", lambda L: L.bitwise_and(_t(L, 2), _t(L, 2))),
    ("in-place float into long", lambda L: L.tensor([1, 2]).add_(0.5)),
    ("in-place bool result into float? div_ long", lambda L: L.tensor([1, 2]).div_(2)),
    ("cross_entropy float target wrong shape", lambda L: L.nn.functional.cross_entropy(_t(L, 2, 3), _t(L, 2))),
    ("nll_loss float target", lambda L: L.nn.functional.nll_loss(_t(L, 2, 3), L.tensor([0.0, 1.0]))),
    ("embedding of float weight index", lambda L: L.nn.functional.embedding(_t(L, 2), _t(L, 4, 3))),
    ("tensor from string", lambda L: L.tensor("abc")),
    ("tensor ragged", lambda L: L.tensor([[1, 2], [3]])),
    # -- values and arguments ----------------------------------------------------------------------------------
    ("randn negative", lambda L: L.randn(-1)),
    ("zeros negative", lambda L: L.zeros(2, -3)),
    ("ones float size", lambda L: L.ones(2.5)),
    ("arange zero step", lambda L: L.arange(0, 5, 0)),
    ("arange wrong sign", lambda L: L.arange(0, 5, -1)),
    ("linspace negative steps", lambda L: L.linspace(0, 1, -2)),
    ("full no fill", lambda L: L.full((2,))),
    ("normal negative std", lambda L: L.normal(0.0, -1.0, (2,))),
    ("bernoulli p>1", lambda L: L.bernoulli(L.full((2,), 1.5))),
    ("dropout p", lambda L: L.nn.functional.dropout(_t(L, 3), p=1.5)),
    ("Dropout p", lambda L: L.nn.Dropout(-0.1)),
    ("Linear negative", lambda L: L.nn.Linear(-1, 2)),
    ("SGD negative lr", lambda L: L.optim.SGD(_model(L).parameters(), lr=-1)),
    ("Adam bad beta", lambda L: L.optim.Adam(_model(L).parameters(), betas=(1.5, 0.9))),
    ("optimizer empty", lambda L: L.optim.SGD([], lr=0.1)),
    ("optimizer tensor not iterable", lambda L: L.optim.SGD(L.ones(2, requires_grad=True), lr=0.1)),
    ("clamp without bounds", lambda L: _t(L, 3).clamp()),
    ("pow negative int exponent", lambda L: L.tensor([2, 3]).pow(-1)),
    ("interpolate bicubic 3-d", lambda L: L.nn.functional.interpolate(_t(L, 1, 1, 4), scale_factor=2, mode="bicubic")),
    ("interpolate unknown mode", lambda L: L.nn.functional.interpolate(_t(L, 1, 1, 4), scale_factor=2, mode="cubic")),
    ("pad odd length", lambda L: L.nn.functional.pad(_t(L, 2, 3), (1,))),
    ("mse reduction", lambda L: L.nn.functional.mse_loss(_t(L, 2), _t(L, 2), reduction="avg")),
    ("unknown kwarg", lambda L: L.zeros(2, sizes=3)),
    ("sum wrong type", lambda L: L.sum([1, 2])),
    ("add string", lambda L: _t(L, 2) + "a"),
    ("view dtype size", lambda L: _t(L, 3).view(L.float64)),
    ("to unknown device", lambda L: _t(L, 2).to("tpu")),
    ("device string", lambda L: L.device("gpu")),
    # -- autograd ----------------------------------------------------------------------------------------------
    ("backward non-scalar", lambda L: (L.ones(2, requires_grad=True) * 2).backward()),
    ("backward no grad_fn", lambda L: L.ones(2).sum().backward()),
    ("backward twice", lambda L: (lambda y: (y.backward(), y.backward()))((L.ones(2, requires_grad=True).exp()).sum())),
    ("grad unused input", lambda L: L.autograd.grad((L.ones(1, requires_grad=True) * 2).sum(),
                                                    [L.ones(1, requires_grad=True)])),
    ("grad of input without grad", lambda L: L.autograd.grad(L.ones(1, requires_grad=True).sum(), [L.ones(1)])),
    ("grad_outputs shape", lambda L: (L.ones(2, requires_grad=True) * 2).backward(L.ones(3))),
    ("in-place on leaf", lambda L: L.ones(2, requires_grad=True).add_(1)),
    ("modified saved tensor", lambda L: (lambda x: (lambda y: (x.mul_(2), y.sum().backward()))(x.sin()))(
        L.ones(2, requires_grad=True) * 1)),
    ("numpy of requires grad", lambda L: L.ones(2, requires_grad=True).numpy()),
    ("grad assign shape", lambda L: setattr(L.ones(2, requires_grad=True), "grad", L.ones(3))),
    ("grad assign dtype", lambda L: setattr(L.ones(2, requires_grad=True), "grad", L.ones(2, dtype=L.float64))),
    ("requires_grad on non-leaf false", lambda L: (L.ones(2, requires_grad=True) * 2).requires_grad_(False)),
    # -- modules and state -------------------------------------------------------------------------------------
    ("load_state_dict missing", lambda L: _model(L).load_state_dict({"weight": L.zeros(2, 3)})),
    ("load_state_dict shape", lambda L: _model(L).load_state_dict({"weight": L.zeros(3, 3), "bias": L.zeros(2)})),
    ("register_buffer bad name", lambda L: L.nn.Module().register_buffer("a.b", L.zeros(1))),
    ("add_module not module", lambda L: L.nn.Module().add_module("x", 3)),
    ("get_submodule missing", lambda L: _model(L).get_submodule("nope")),
    ("Sequential index", lambda L: L.nn.Sequential(L.nn.ReLU())[3]),
    ("ModuleList append int", lambda L: L.nn.ModuleList().append(3)),
    ("parameter int", lambda L: L.nn.Parameter(L.tensor([1, 2]))),
    ("MultiheadAttention heads", lambda L: L.nn.MultiheadAttention(10, 3)),
    ("save to missing dir", lambda L: L.save({"a": 1}, "/nonexistent-dir-for-test/x.pt")),
    ("load missing file", lambda L: L.load("/nonexistent-dir-for-test/x.pt")),
    # -- factory sizes -----------------------------------------------------------------------------------------
    ("ones float size tuple", lambda L: L.ones((2.0,))),
    ("ones float in sizes", lambda L: L.ones(2, 2.5)),
    ("ones str in list", lambda L: L.ones([2, "a"])),
    ("ones None", lambda L: L.ones(None)),
    ("ones 1-d tensor size", lambda L: L.ones(L.tensor([2, 3]))),
    ("rand float", lambda L: L.rand(2.0)),
    ("randn float in sizes", lambda L: L.randn(2, 3.0)),
    ("empty negative", lambda L: L.empty(2, -1)),
    ("zeros negative", lambda L: L.zeros(-1)),
    ("full int size", lambda L: L.full(3, 1.0)),
    ("full float in list", lambda L: L.full([2.0], 1.0)),
    ("full nothing", lambda L: L.full()),
    ("randint float size", lambda L: L.randint(5, (2.0,))),
    ("normal fractional std", lambda L: L.normal(L.zeros(2), -1.5)),
    # -- found by the example programs (tests/compat/examples) ------------------------------------------------
    ("sum dim= float", lambda L: _t(L, 2, 3).sum(dim=1.0)),
    ("mean dim= str", lambda L: _t(L, 2, 3).mean(dim="a")),
    ("torch.sum dim= float", lambda L: L.sum(_t(L, 2), dim=1.5)),
    ("torch.mean dim float", lambda L: L.mean(_t(L, 2), 1.5)),
    ("float of many", lambda L: float(_t(L, 3))),
    ("int of many", lambda L: int(_t(L, 2, 2))),
    ("complex of many", lambda L: complex(_t(L, 2))),
    ("index_add 2-d out of range", lambda L: L.zeros(3, 4).index_add_(0, L.tensor([3]), L.ones(1, 4))),
    ("index_add 1-d negative", lambda L: L.zeros(3).index_add(0, L.tensor([-1]), L.ones(1))),
    ("argmax along empty dim", lambda L: L.zeros(0, 3).argmax(0)),
    ("argmin of empty", lambda L: L.tensor([]).argmin()),
    ("amin of empty", lambda L: L.zeros(0, 2).amin()),
    ("view dtype 0-d", lambda L: L.tensor(1.0).view(L.float64)),
    ("view dtype strided", lambda L: _t(L, 2, 3).t().view(L.float16)),
    ("inference tensor requires_grad", lambda L: _inference_ones(L).requires_grad_()),
    ("custom Function too few grads", lambda L: _custom(L, 1)),
    ("custom Function grad for a number", lambda L: _custom(L, 2)),
]


def _inference_ones(lib):
    with lib.inference_mode():
        return lib.ones(2)


def _custom(lib, n):
    class Scale(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, g):
            return (g,) if n == 1 else (g, g)
    Scale.apply(lib.ones(2, requires_grad=True), 3.0).sum().backward()
