"""ember.kernels.rng against PyTorch 2.13's CPU random streams: recorded fixtures, plus live torch when installed.

The recorded cases live in tests/fixtures/rng/record.py (which also regenerates streams.npz from torch);
each case seeds the default generator and makes a sequence of draws. We compare every output bit for bit
(same dtype, same bytes) and the generator state bytes at the end of the case.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

from ember.kernels import rng as _rng
from ember.kernels.rng import DEFAULT_SEED, Generator

_spec = importlib.util.spec_from_file_location(
    "rng_record", Path(__file__).parent / "fixtures" / "rng" / "record.py"
)
record = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(record)
FIX = np.load(record.FIXTURE)


def run_ember(g: Generator, seed: int, ops: list[tuple], case: str | None = None) -> tuple[list, np.ndarray]:
    """The ember side of record.run_torch: same ops, same inputs (the recorded ones for a case), on g."""
    g.manual_seed(seed)
    outs = []
    for j, op in enumerate(ops):
        name, a = op[0], op[1:]
        x = record.inputs(op)
        if case is not None:
            x = {key: FIX[f"{case}/input{j}/{key}"] for key in x}
        if name == "rand":
            outs.append(g.uniform(a[0], a[1]))
        elif name == "randn":
            outs.append(g.normal(a[0], a[1]))
        elif name == "uniform":
            outs.append(g.uniform(a[0], a[1], a[2], a[3]))
        elif name == "normal":
            outs.append(g.normal(a[0], a[1], a[2], a[3]))
        elif name == "normal_tt":
            outs.append(g.normal(a[0], a[1], x["mean"], x["std"]))
        elif name == "normal_ts":
            outs.append(g.normal(a[0], a[1], x["mean"], a[3]))
        elif name == "normal_st":
            outs.append(g.normal(a[0], a[1], a[2], x["std"]))
        elif name == "linear":
            w_bound, b_bound = record.linear_bounds(a[0])
            outs.append(g.uniform((a[1], a[0]), np.float32, -w_bound, w_bound))
            outs.append(g.uniform((a[1],), np.float32, -b_bound, b_bound))
        elif name == "randint":
            outs.append(g.randint(a[0], a[1], a[2], a[3]))
        elif name == "random_":
            outs.append(g.random_(a[0], a[1]))
        elif name == "randperm":
            outs.append(g.randperm(a[0], a[1]))
        elif name == "bernoulli_t":
            outs.append(g.bernoulli(x["p"]))
        elif name == "bernoulli_s":
            outs.append(g.bernoulli(a[2], a[1], a[0]))
        elif name == "multinomial":
            outs.append(g.multinomial(x["probs"], a[2], a[3]))
        elif name == "exponential":
            outs.append(g.exponential(a[0], a[1], a[2]))
        elif name == "geometric":
            outs.append(g.geometric(a[0], a[1], a[2]))
        elif name == "cauchy":
            outs.append(g.cauchy(a[0], a[1], a[2], a[3]))
        elif name == "log_normal":
            outs.append(g.log_normal(a[0], a[1], a[2], a[3]))
        elif name == "state":
            outs.append(g.get_state())
        elif name == "set_left_next":
            g.set_state(record.set_left_next(g.get_state(), *a))
        else:
            raise ValueError(name)
    return outs, g.get_state()


def assert_same(ours: np.ndarray, theirs: np.ndarray, what: str = "") -> None:
    """Bitwise equality, same dtype and shape."""
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.dtype == theirs.dtype, (what, ours.dtype, theirs.dtype)
    assert ours.shape == theirs.shape, (what, ours.shape, theirs.shape)
    diff = ours.view(np.uint8) != theirs.view(np.uint8)
    assert not diff.any(), f"{what}: {np.count_nonzero(ours != theirs)} of {ours.size} differ"


# ---------------------------------------------------------------------------------------------- fixtures


@pytest.mark.parametrize("case", list(record.CASES))
def test_recorded_stream(case):
    seed, ops = record.CASES[case]
    outs, state = run_ember(Generator(), seed, ops, case)
    n_out = sum(1 for k in FIX.files if k.startswith(case + "/") and k.split("/")[1].isdigit())
    assert len(outs) == n_out
    for i, o in enumerate(outs):
        assert_same(o, FIX[f"{case}/{i}"], f"{case} output {i}")
    assert_same(state, FIX[f"{case}/state"], f"{case} state")


def test_randn_32x1_over_4_matches_recorded_values():
    # torch.manual_seed(2021); torch.randn(32, 1) / 4: the first values as PyTorch prints them
    g = Generator().manual_seed(2021)
    ours = g.normal((32, 1), np.float32) / np.float32(4)
    assert_same(ours, FIX["randn_32x1_seed2021/0"] / np.float32(4))
    assert ours.shape == (32, 1) and ours.dtype == np.float32


def test_new_generator_matches_torch_generator():
    g = Generator()
    assert g.initial_seed() == DEFAULT_SEED == 67280421310721
    assert_same(g.get_state(), FIX["new_generator_state"], "fresh torch.Generator() state")


def test_resume_from_recorded_states():
    # load PyTorch's bytes (the first one carries a cached float64 normal) and continue the stream
    g = Generator()
    g.set_state(FIX["resume/1"])
    assert_same(g.get_state(), FIX["resume/1"])
    assert_same(g.normal((5,), np.float64), FIX["resume/2"])
    assert_same(g.uniform((4,), np.float32), FIX["resume/3"])
    g2 = Generator()
    g2.set_state(FIX["resume/4"])
    assert_same(g2.normal((20,), np.float32), FIX["resume/5"])
    assert_same(g2.get_state(), FIX["resume/state"])


def test_state_is_a_copy():
    g = Generator().manual_seed(3)
    s = g.get_state()
    a = g.uniform((5,), np.float32)
    assert s.dtype == np.uint8 and s.shape == (5056,)
    g.set_state(s)
    assert_same(g.uniform((5,), np.float32), a)


# ---------------------------------------------------------------------------------------------- seeds


def test_seed_forms_like_torch():
    g = Generator()
    assert g.manual_seed(-1) is g
    assert g.initial_seed() == 2**64 - 1
    assert g.manual_seed(-(2**63)).initial_seed() == 2**63
    assert g.manual_seed(np.int64(5)).initial_seed() == 5
    with pytest.raises(ValueError, match="Overflow"):
        g.manual_seed(2**64)
    with pytest.raises(ValueError, match="Overflow"):
        g.manual_seed(-(2**63) - 1)
    with pytest.raises(RuntimeError, match="expected a long"):
        g.manual_seed(1.5)
    with pytest.raises(RuntimeError, match="expected a long"):
        g.manual_seed(True)


def test_seed_is_nondeterministic_and_reported():
    g = Generator()
    s1, s2 = g.seed(), g.seed()
    assert s1 != s2 and g.initial_seed() == s2 and 0 <= s2 < 2**64
    assert _rng.default_generator.initial_seed() != DEFAULT_SEED  # torch seeds its default from entropy


def test_manual_seed_clears_cached_normal():
    g = Generator().manual_seed(0)
    first = g.normal((1,), np.float64)
    g.normal((1,), np.float64)  # consumes the cached sin sample
    g.manual_seed(0).normal((1,), np.float64)  # caches again ...
    assert_same(g.manual_seed(0).normal((1,), np.float64), first)  # ... and reseeding drops it


# ------------------------------------------------------------------------------------------ set_state checks


def test_set_state_rejects_like_torch():
    g = Generator()
    good = g.get_state()
    with pytest.raises(TypeError):
        g.set_state(list(good))
    with pytest.raises(TypeError, match="ByteTensor"):
        g.set_state(good.astype(np.int8))
    with pytest.raises(RuntimeError, match="size 5056"):
        g.set_state(good[:10])
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        g.set_state(record.set_left_next(good, 0, 0))
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        g.set_state(record.set_left_next(good, 1, 625))
    not_seeded = good.copy()
    not_seeded[12:16] = 0
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        g.set_state(not_seeded)
    g.set_state(good.reshape(2, 2528))  # torch only counts the bytes
    g.uniform((3,), np.float32)
    before = g.get_state()
    with pytest.raises(RuntimeError):
        g.set_state(record.set_left_next(before, 625, 0))
    assert_same(g.get_state(), before, "a rejected state leaves the generator alone")


# ------------------------------------------------------------------------------------------- argument checks


@pytest.mark.parametrize(
    "call, exc, msg",
    [
        (lambda g: g.randint(0, 0, (3,)), RuntimeError, "expects 'from' to be less than 'to'"),
        (lambda g: g.randint(-1, 3, (3,), np.uint8), RuntimeError, "from is out of bounds for unsigned char"),
        (
            lambda g: g.randint(0, 300, (3,), np.uint8),
            RuntimeError,
            "to - 1 is out of bounds for unsigned char",
        ),
        (lambda g: g.randint(-129, 0, (3,), np.int8), RuntimeError, "from is out of bounds for signed char"),
        (
            lambda g: g.uniform((3,), np.float32, 2, 1),
            RuntimeError,
            r"expects to return a \[from, to\) range",
        ),
        (lambda g: g.uniform((3,), np.float16, 0, 70000), RuntimeError, "to is out of bounds for c10::Half"),
        (lambda g: g.normal((3,), np.float32, 0, -1), RuntimeError, "normal expects std >= 0.0"),
        (lambda g: g.normal((3,), np.float32, 0, np.array([1.0, -1.0, 1.0])), RuntimeError, "std >= 0.0"),
        (lambda g: g.exponential((3,), np.float32, 0), RuntimeError, "lambda > 0.0"),
        (lambda g: g.exponential((3,), np.int64, 1), RuntimeError, "must be a floating point"),
        (lambda g: g.geometric((3,), np.float32, 1.0), RuntimeError, r"p to be in \(0, 1\)"),
        (lambda g: g.cauchy((3,), np.float32, 0, 0), RuntimeError, "sigma > 0.0"),
        (lambda g: g.log_normal((3,), np.float32, 0, 0), RuntimeError, "std > 0.0"),
        (lambda g: g.bernoulli(1.5, np.float32, (3,)), RuntimeError, r"p to be in \[0, 1\]"),
        (lambda g: g.bernoulli(np.array([0.5, 2.0])), RuntimeError, "p_in >= 0 && p_in <= 1"),
        (lambda g: g.randperm(-1), RuntimeError, "n must be non-negative"),
        (lambda g: g.randperm(3000, np.float16), RuntimeError, "2049 for Half"),
        (lambda g: g.multinomial(np.ones((2, 2, 2)), 1), RuntimeError, "1 or 2 dim"),
        (lambda g: g.multinomial(np.ones(3, np.int64), 1), RuntimeError, "floating-point dtypes"),
        (lambda g: g.multinomial(np.ones(3), 0), RuntimeError, "n_sample <= 0"),
        (lambda g: g.multinomial(np.ones(3), 4), RuntimeError, "without replacement"),
        (lambda g: g.multinomial(np.array([1.0, np.nan]), 1), RuntimeError, "`inf`, `nan` or element < 0"),
        (lambda g: g.multinomial(np.zeros((2, 3)), 2), RuntimeError, "sum of probabilities <= 0"),
        (lambda g: g.multinomial(np.array([1.0, -1.0]), 2, True), RuntimeError, "entry < 0"),
        (lambda g: g.multinomial(np.array([np.inf, -1.0]), 2, True), RuntimeError, "entry = infinity or NaN"),
        (lambda g: g.multinomial(np.array([np.nan, 1.0]), 2, True), RuntimeError, "entry < 0"),
    ],
)
def test_bad_arguments_raise_like_torch(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call(Generator())


def test_float_randint_out_of_precision_warns():
    with pytest.warns(UserWarning, match="out of bounds"):
        Generator().randint(0, 2**24 + 2, (3,), np.float32)


def test_empty_draws_consume_nothing():
    g = Generator().manual_seed(1)
    s = g.get_state()
    for out in (
        g.uniform((0,), np.float32),
        g.normal((0, 3), np.float32),
        g.randint(0, 5, (0,)),
        g.randperm(1),
        g.randperm(0),
        g.multinomial(np.ones((0, 3)), 2),
    ):
        assert out.size <= 1
    assert_same(g.get_state(), s)


# ------------------------------------------------------------------------------------------ randperm, huge n


def test_randperm_inside_out_path(monkeypatch):
    # From n = (2**32 - 1) // 20 on PyTorch switches to an inside-out shuffle with random64(); that size is
    # too big for a unit test, so lower the threshold and compare with PyTorch's loop written out literally:
    #   for i in range(n): z = random64() % (i + 1); r[i] = r[z]; r[z] = i
    monkeypatch.setattr(_rng, "RANDPERM_SMALL_N_LIMIT", 5)
    for n in (5, 6, 17, 300):
        g = Generator().manual_seed(n)
        words = Generator().manual_seed(n)._words64(n)
        r = [0] * n
        for i in range(n):
            z = int(words[i]) % (i + 1)
            r[i] = r[z]
            r[z] = i
        assert_same(g.randperm(n), np.array(r, np.int64), f"inside-out n={n}")


# ---------------------------------------------------------------------------------------------- live torch


def _torch():
    return pytest.importorskip("torch")


TDT = ("float32", "float64", "float16")


def _random_op(r: np.random.Generator) -> tuple:
    """A random draw for the live fuzz: sizes around the 16-element boundary, all float dtypes."""
    kind = r.choice(
        [
            "rand",
            "randn",
            "uniform",
            "normal",
            "randint",
            "randperm",
            "bernoulli_s",
            "exponential",
            "log_normal",
            "random_",
        ]
    )
    n = int(r.choice([0, 1, 2, 3, 5, 15, 16, 17, 18, 31, 32, 33, 48, 63, 100]))
    dt = str(r.choice(TDT))
    if kind in ("rand", "randn"):
        return (kind, (n,), dt)
    if kind == "uniform":
        lo = float(r.normal() * 3)
        return (kind, (n,), dt, lo, lo + float(r.random() * 4))
    if kind == "normal":
        return (kind, (n,), dt, float(r.normal()), float(r.random() * 3))
    if kind == "randint":
        lo = int(r.integers(-100, 100))
        return (kind, lo, lo + int(r.choice([1, 2, 7, 1000, 2**30, 2**40])), (n,), "int64")
    if kind == "randperm":
        return (kind, n, "int64")
    if kind == "bernoulli_s":
        return (kind, (n,), dt, float(r.random()))
    if kind == "exponential":
        return (kind, (n,), dt, float(r.random() * 3 + 0.1))
    if kind == "log_normal":
        return (kind, (n,), dt, float(r.normal()), float(r.random() + 0.1))
    return (kind, (n,), str(r.choice(["int64", "int32", "uint8", "bool", "float32", "float64"])))


@pytest.mark.parametrize("fuzz_seed", range(6))
def test_live_fuzz_interleaved_calls(fuzz_seed):
    _torch()
    r = np.random.default_rng(fuzz_seed)
    ops = [_random_op(r) for _ in range(40)]
    seed = int(r.integers(-(2**63), 2**63))
    theirs, t_state = record.run_torch(seed, ops)
    ours, e_state = run_ember(Generator(), seed, ops)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert_same(a, b, f"op {i} {ops[i]}")
    assert_same(e_state, t_state, "state")


def test_live_recorded_cases_still_match_torch():
    # the fixture is PyTorch's current output (guards against a stale recording)
    _torch()
    for case in ("interleave", "multinomial", "odd_left_next", "linear_init"):
        outs, state = record.run_torch(*record.CASES[case])
        for i, o in enumerate(outs):
            assert_same(o, FIX[f"{case}/{i}"], f"{case} {i}")
        assert_same(state, FIX[f"{case}/state"], case)


@pytest.mark.parametrize(
    "draw",
    [
        ("randn", (300_003,), "float32"),
        ("normal", (200_000,), "float16", 1.0, 3.0),
        ("normal", (100_001,), "float32", -2.0, 0.1),
        ("randn", (50_003,), "float64"),
        ("uniform", (300_000,), "float32", -0.05, 0.05),
        ("uniform", (100_000,), "float64", -3.0, 4.0),
        ("randperm", 200_000, "int64"),
        ("exponential", (100_000,), "float32", 1.5),
        ("multinomial", 0, 1000, 500, False, "float32", 9),
        ("multinomial", 20, 100, 300, True, "float32", 9),
    ],
)
def test_live_large_draws(draw):
    _torch()
    seed = 12345
    theirs, t_state = record.run_torch(seed, [draw])
    ours, e_state = run_ember(Generator(), seed, [draw])
    assert_same(ours[0], theirs[0], str(draw))
    assert_same(e_state, t_state, "state")


def test_live_state_round_trips_both_ways():
    torch = _torch()
    g = Generator().manual_seed(77)
    g.normal((3,), np.float64)  # leaves a cached normal in the state
    g.uniform((700,), np.float32)  # crosses an mt19937 block
    torch.set_rng_state(torch.from_numpy(g.get_state()))
    assert_same(torch.randn(5, dtype=torch.float64).numpy(), g.normal((5,), np.float64))
    assert_same(torch.randn(40).numpy(), g.normal((40,), np.float32))
    torch.manual_seed(5)
    torch.rand(1000)
    torch.randn(1, dtype=torch.float64)
    g.set_state(torch.get_rng_state().numpy())
    assert_same(g.normal((3,), np.float64), torch.randn(3, dtype=torch.float64).numpy())
    assert_same(g.get_state(), torch.get_rng_state().numpy())


def test_live_unseeded_torch_generator():
    torch = _torch()
    tg = torch.Generator()
    g = Generator()
    assert g.initial_seed() == tg.initial_seed()
    assert_same(g.normal((20,), np.float32), torch.randn(20, generator=tg).numpy())
    assert_same(g.get_state(), tg.get_state().numpy())


def test_live_seed_semantics():
    torch = _torch()
    for s in (-1, -(2**63), 2**63, 2**64 - 1, 2**32 + 3, 0):
        tg = torch.Generator().manual_seed(s)
        g = Generator().manual_seed(s)
        assert g.initial_seed() == tg.initial_seed()
        assert_same(g.get_state(), tg.get_state().numpy(), f"seed {s}")
    assert math.isfinite(float(Generator().normal((1,), np.float32)[0]))


def test_live_cached_normal_stays_exact_after_float32_draws():
    # float32 log_normal_ may use NumPy's log1p, but the float64 sample it leaves cached is glibc's
    torch = _torch()
    g = Generator().manual_seed(31)
    torch.manual_seed(31)
    for _ in range(60):
        assert_same(g.log_normal((3,), np.float32, 0.0, 1.0), torch.empty(3).log_normal_(0.0, 1.0).numpy())
        assert_same(g.normal((1,), np.float64), torch.randn(1, dtype=torch.float64).numpy())


def test_complex_randn_is_pytorchs_stream():
    """randn of a complex dtype draws the real view (..., 2) as normals of standard deviation 1/√2, as PyTorch
    does: values recorded from torch 2.13 (manual_seed(0)), and the generator left where PyTorch leaves it"""
    import ember
    ember.manual_seed(0)
    a = ember.randn(3, dtype=ember.complex64)
    want64 = [(1.0896488428115845, -0.20748557150363922), (-1.5406367778778076, 0.40194159746170044),
              (-0.7668731212615967, -0.9889562726020813)]
    assert a.dtype == ember.complex64 and [(float(z.real), float(z.imag)) for z in a.numpy()] == want64
    ember.manual_seed(0)
    b = ember.randn(2, dtype=ember.complex128)
    assert [(float(z.real), float(z.imag)) for z in b.numpy()] == [(1.089648797921442, -0.20748556905971358),
                                                                    (-1.5406367468421671, 0.40194161080369084)]
    assert ember.rand(1).item() == 0.455627977848053
