"""ember.utils.data against torch.utils.data: same batches, same order, same collate structure, same errors."""

import collections
import random

import numpy as np
import pytest

import ember
from ember.utils import data as ed

torch = pytest.importorskip("torch")
td = torch.utils.data

Point = collections.namedtuple("Point", "x y")


def same(e, t):
    """Structural equality of an ember batch and a torch batch (types, dtypes, shapes, values)."""
    if isinstance(t, torch.Tensor):
        assert isinstance(e, ember.Tensor), type(e)
        assert str(e.dtype) == str(t.dtype) and tuple(e.shape) == tuple(t.shape)
        np.testing.assert_array_equal(e.numpy(), t.numpy())
    elif isinstance(t, dict):
        assert type(e) is type(t) and list(e) == list(t)
        for k in t:
            same(e[k], t[k])
    elif isinstance(t, (list, tuple)):
        assert type(e) is type(t) and len(e) == len(t)
        for a, b in zip(e, t):
            same(a, b)
    else:
        assert type(e) is type(t) and e == t


def both(arr):
    return ember.tensor(arr), torch.tensor(arr)


@pytest.fixture
def tensors():
    rng = np.random.default_rng(0)
    return rng.standard_normal((23, 3)).astype(np.float32), rng.integers(0, 5, 23)


@pytest.mark.parametrize("batch_size,drop_last", [(1, False), (4, False), (4, True), (23, False), (50, True)])
def test_tensor_dataset_batches_match_torch(tensors, batch_size, drop_last):
    x, y = tensors
    (ex, tx), (ey, ty) = both(x), both(y)
    el = ed.DataLoader(ed.TensorDataset(ex, ey), batch_size=batch_size, drop_last=drop_last)
    tl = td.DataLoader(td.TensorDataset(tx, ty), batch_size=batch_size, drop_last=drop_last)
    assert len(el) == len(tl)
    eb, tb = list(el), list(tl)
    assert len(eb) == len(tb)
    for e, t in zip(eb, tb):
        same(e, t)


def test_shuffle_same_seed_same_order_as_torch(tensors):
    x, y = tensors
    (ex, tx), (ey, ty) = both(x), both(y)
    el = ed.DataLoader(ed.TensorDataset(ex, ey), batch_size=5, shuffle=True)
    tl = td.DataLoader(td.TensorDataset(tx, ty), batch_size=5, shuffle=True)
    ember.manual_seed(7)
    torch.manual_seed(7)
    for _ in range(2):  # two epochs: the per-epoch seed draws must also line up
        for e, t in zip(el, tl, strict=True):
            same(e, t)
    # the default stream is left in the same state
    np.testing.assert_array_equal(ember.rand(3).numpy(), torch.rand(3).numpy())


def test_explicit_sampler_order(tensors):
    x, _ = tensors
    order = [5, 3, 22, 0, 1, 9, 9]
    ex, tx = both(x)
    for e, t in zip(ed.DataLoader(ed.TensorDataset(ex), batch_size=3, sampler=order),
                    td.DataLoader(td.TensorDataset(tx), batch_size=3, sampler=order), strict=True):
        same(e, t)
    bs = [[1, 2], [7], [0, 4, 6]]
    for e, t in zip(ed.DataLoader(ed.TensorDataset(ex), batch_sampler=bs),
                    td.DataLoader(td.TensorDataset(tx), batch_sampler=bs), strict=True):
        same(e, t)


@pytest.mark.parametrize("kw", [{}, {"replacement": True}, {"replacement": True, "num_samples": 70},
                                {"num_samples": 30}])
def test_random_sampler_streams(kw):
    ember.manual_seed(11)
    torch.manual_seed(11)
    assert list(ed.RandomSampler(range(13), **kw)) == list(td.RandomSampler(range(13), **kw))
    g1, g2 = ember.Generator().manual_seed(5), torch.Generator().manual_seed(5)
    assert list(ed.RandomSampler(range(13), generator=g1, **kw)) == list(td.RandomSampler(range(13), generator=g2, **kw))


def test_other_samplers():
    ember.manual_seed(2)
    torch.manual_seed(2)
    assert list(ed.SubsetRandomSampler([4, 8, 15, 16, 23])) == list(td.SubsetRandomSampler([4, 8, 15, 16, 23]))
    w = [0.1, 2.0, 0.0, 3.5, 1.0]
    assert list(ed.WeightedRandomSampler(w, 12)) == list(td.WeightedRandomSampler(w, 12))
    assert list(ed.WeightedRandomSampler(w, 4, replacement=False)) == \
        list(td.WeightedRandomSampler(w, 4, replacement=False))
    for n, b, d in [(10, 3, False), (10, 3, True), (9, 3, True), (2, 5, True)]:
        es, ts = ed.BatchSampler(range(n), b, d), td.BatchSampler(range(n), b, d)
        assert list(es) == list(ts) and len(es) == len(ts)
    assert list(ed.SequentialSampler(range(4))) == [0, 1, 2, 3]


def test_random_split_matches_torch():
    for lengths in ([3, 7], [0.3, 0.3, 0.4], [0.5, 0.5]):
        es = ed.random_split(range(10), lengths, generator=ember.Generator().manual_seed(42))
        ts = td.random_split(range(10), lengths, generator=torch.Generator().manual_seed(42))
        assert [list(s) for s in es] == [list(s) for s in ts]
    ember.manual_seed(1)
    torch.manual_seed(1)
    assert [s.indices for s in ed.random_split(range(31), [0.2, 0.8])] == \
        [s.indices for s in td.random_split(range(31), [0.2, 0.8])]
    with pytest.raises(ValueError, match="Sum of input lengths does not equal"):
        ed.random_split(range(10), [3, 3])
    with pytest.raises(ValueError, match="Fraction at index 0 is not between 0 and 1"):
        ed.random_split(range(10), [-0.5, 1.5])


def test_dataset_combinators():
    a, b = list(range(5)), list(range(10, 13))
    ec, tc = ed.ConcatDataset([a, b]), td.ConcatDataset([a, b])
    assert len(ec) == len(tc) and [ec[i] for i in range(-8, 8)] == [tc[i] for i in range(-8, 8)]
    assert ec.cumulative_sizes == tc.cumulative_sizes
    with pytest.raises(ValueError, match="absolute value of index"):
        ec[-9]
    es, ts = ed.Subset(a, [4, 0, 2]), td.Subset(a, [4, 0, 2])
    assert [es[i] for i in range(3)] == [ts[i] for i in range(3)] and len(es) == 3
    st = ed.StackDataset(a, a)
    assert st[2] == (2, 2) and ed.StackDataset(p=a, q=a)[1] == {"p": 1, "q": 1}
    with pytest.raises(ValueError, match="Size mismatch between datasets"):
        ed.StackDataset(a, b)
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        ed.TensorDataset(ember.zeros(3), ember.zeros(4))
    with pytest.raises(NotImplementedError):
        ed.Dataset()[0]


def collate_inputs():
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal((2, 3)) for _ in range(3)]
    return [
        [1, 2, 3],
        [1.5, 2.0, -3.25],
        [True, False, True],
        ["a", "bb", "c"],
        arrays,
        [np.float32(1.5), np.float32(2.5)],
        [np.int64(3), np.int64(4)],
        [(1, 2.0, "x"), (3, 4.0, "y")],
        [[1, 2], [3, 4]],
        [{"a": 1, "b": [1.0, 2.0]}, {"a": 2, "b": [3.0, 4.0]}],
        [collections.OrderedDict(z=1, a=2), collections.OrderedDict(z=3, a=4)],
        [Point(1, 2.0), Point(3, 4.0)],
        [{"img": arrays[0], "lbl": 1}, {"img": arrays[1], "lbl": 0}],
    ]


@pytest.mark.parametrize("batch", collate_inputs(), ids=lambda b: type(b[0]).__name__)
def test_default_collate_structure_matches_torch(batch):
    same(ed.default_collate(batch), td.default_collate(batch))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_collate_tensors(dtype):
    arr = np.random.default_rng(2).standard_normal((4, 2, 3)).astype(dtype)
    same(ed.default_collate([ember.tensor(a) for a in arr]), td.default_collate([torch.tensor(a) for a in arr]))


def test_collate_errors():
    with pytest.raises(RuntimeError, match=r"stack expects each tensor to be equal size, but got \[3\] at entry 0 "
                                           r"and \[4\] at entry 1"):
        ed.default_collate([ember.zeros(3), ember.zeros(4)])
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal size"):
        ed.default_collate([[1, 2], [3]])
    with pytest.raises(TypeError, match="default_collate: batch must contain tensors"):
        ed.default_collate([object(), object()])
    with pytest.raises(TypeError, match="default_collate: batch must contain tensors"):
        ed.default_collate([np.array(["a"]), np.array(["b"])])


def test_default_convert_matches_torch():
    sample = {"a": np.arange(3), "b": (np.float64(2.0), "s"), "c": [np.ones(2)]}
    same(ed.default_convert(sample), td.default_convert(sample))
    # batch_size=None: no batching, samples converted one by one
    x = np.arange(6.0).reshape(3, 2)
    for e, t in zip(ed.DataLoader(x, batch_size=None), td.DataLoader(x, batch_size=None), strict=True):
        same(e, t)


class Squares(ed.Dataset):
    def __len__(self):
        return 17

    def __getitem__(self, i):
        info = ed.get_worker_info()
        return {"x": ember.tensor([i, i * i], dtype=ember.float32), "i": i,
                "w": -1 if info is None else info.id}


@pytest.mark.parametrize("persistent", [False, True])
def test_workers_return_the_same_batches(persistent):
    single = list(ed.DataLoader(Squares(), batch_size=3))
    multi = ed.DataLoader(Squares(), batch_size=3, num_workers=2, persistent_workers=persistent)
    assert len(multi) == len(single) == 6
    for _ in range(2):
        batches = list(multi)
        assert len(batches) == len(single)
        for k, (m, s) in enumerate(zip(batches, single)):
            np.testing.assert_array_equal(m["x"].numpy(), s["x"].numpy())
            assert m["i"].tolist() == s["i"].tolist()
            assert m["w"].tolist() == [k % 2] * len(m["w"])  # batch k went to worker k % 2
            assert (s["w"] == -1).all().item()


def _record_seed(worker_id):
    info = ed.get_worker_info()
    assert info.id == worker_id and info.num_workers == 2
    # the worker's streams are seeded from base_seed + id, like PyTorch's
    assert ember.initial_seed() == info.seed
    assert random.random() == random.Random(info.seed).random()


class Seeds(ed.Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return ember.initial_seed()


def test_worker_seeds_and_init_fn_follow_torch():
    g1, g2 = ember.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    es = [b.item() for b in ed.DataLoader(Seeds(), num_workers=2, worker_init_fn=_record_seed, generator=g1)]

    class TSeeds(td.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return torch.initial_seed()
    ts = [b.item() for b in td.DataLoader(TSeeds(), num_workers=2, generator=g2)]
    assert es == ts


class Stream(ed.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = ed.get_worker_info()
        lo, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(lo, self.n, step))

    def __len__(self):
        return self.n


class TStream(td.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = td.get_worker_info()
        lo, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(lo, self.n, step))


@pytest.mark.parametrize("workers", [0, 2])
@pytest.mark.parametrize("drop_last", [False, True])
def test_iterable_dataset_matches_torch(workers, drop_last):
    e = list(ed.DataLoader(Stream(11), batch_size=2, num_workers=workers, drop_last=drop_last))
    t = list(td.DataLoader(TStream(11), batch_size=2, num_workers=workers, drop_last=drop_last))
    assert [b.tolist() for b in e] == [b.tolist() for b in t]
    assert len(ed.DataLoader(Stream(11), batch_size=2, drop_last=drop_last)) == (5 if drop_last else 6)


class Boom(ed.Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        if i == 4:
            raise KeyError("no sample 4")
        return i


def test_worker_exception_is_reraised():
    with pytest.raises(KeyError, match="Caught KeyError in DataLoader worker process 0"):
        list(ed.DataLoader(Boom(), batch_size=2, num_workers=2))


def test_loader_argument_errors_match_torch():
    ds = ed.TensorDataset(ember.zeros(4))
    tds = td.TensorDataset(torch.zeros(4))
    cases = [{"num_workers": -1}, {"sampler": [0], "shuffle": True}, {"batch_sampler": [[0]], "batch_size": 2},
             {"batch_size": None, "drop_last": True}, {"persistent_workers": True}, {"prefetch_factor": 2}]
    for kw in cases:
        with pytest.raises(ValueError) as te:
            td.DataLoader(tds, **kw)
        with pytest.raises(ValueError) as ee:
            ed.DataLoader(ds, **kw)
        assert str(ee.value) == str(te.value), kw
    with pytest.raises(ValueError, match="batch_size attribute should not be set"):
        ed.DataLoader(ds).batch_size = 3
    with pytest.raises(ValueError, match="num_samples should be a positive integer value"):
        ed.RandomSampler(range(3), num_samples=0)


def test_collate_is_one_stack_per_batch(monkeypatch):
    # batching costs one whole-array np.stack per field, whatever the batch size (no per-sample copies)
    from ember.utils.data import _collate
    calls = []
    real = _collate.np.stack
    monkeypatch.setattr(_collate.np, "stack", lambda arrays, *a, **k: calls.append(len(arrays)) or real(arrays, *a, **k))
    x = ember.arange(4096 * 4, dtype=ember.float32).reshape(4096, 4)
    loader = ed.DataLoader(ed.TensorDataset(x), batch_size=256)
    batches = [b[0] for b in loader]
    assert calls == [256] * 16
    assert ember.equal(ember.cat(batches), x)
