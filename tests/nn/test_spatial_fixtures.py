"""Recorded PyTorch outputs of the spatial ops (tests/fixtures/spatial_torch.npz), so that ember is checked
against PyTorch without it installed; with PyTorch installed the recording is checked against PyTorch itself.
Regenerate with ``PYTHONPATH=src python tests/nn/test_spatial_fixtures.py``."""

from pathlib import Path

import numpy as np
import pytest

import ember

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "spatial_torch.npz"


def _inputs():
    r = np.random.default_rng(20260513)
    return {
        "x3": r.standard_normal((2, 3, 5, 6, 4)), "w3": r.standard_normal((4, 3, 2, 3, 2)),
        "x2": r.standard_normal((2, 3, 7, 6)), "grid": r.uniform(-1.2, 1.2, (2, 4, 5, 2)),
        "theta": r.standard_normal((2, 2, 3)),
    }


def _cases(F, lib):
    """name -> function of the inputs (as ``lib`` tensors) returning one tensor; random ones seed ``lib``."""
    def seeded(fn):
        def run(t):
            lib.manual_seed(3)
            return fn(t)
        return run

    return {
        "conv3d": lambda t: F.conv3d(t["x3"], t["w3"], None, (2, 1, 1), (1, 0, 1), (1, 2, 1)),
        "conv_transpose3d": lambda t: F.conv_transpose3d(t["x3"], t["w3"].transpose(0, 1), None, 2, 1, 1),
        "max_pool3d": lambda t: F.max_pool3d(t["x3"], 2, 1, 1, ceil_mode=True),
        "max_pool3d_indices": lambda t: F.max_pool3d(t["x3"], (2, 3, 2), return_indices=True)[1],
        "avg_pool3d": lambda t: F.avg_pool3d(t["x3"], 3, 2, 1, True, False),
        "adaptive_max_pool3d": lambda t: F.adaptive_max_pool3d(t["x3"], (3, 4, 3)),
        "lp_pool2d": lambda t: F.lp_pool2d(t["x2"].abs(), 1.5, 2, 1),
        "fractional_max_pool2d": seeded(lambda t: F.fractional_max_pool2d(t["x2"], 2, output_size=(4, 3))),
        "fractional_max_pool3d": seeded(lambda t: F.fractional_max_pool3d(t["x3"], 2, output_ratio=0.6)),
        "rrelu": seeded(lambda t: F.rrelu(t["x2"], 0.1, 0.4, True)),
        "bicubic": lambda t: F.interpolate(t["x2"], scale_factor=1.7, mode="bicubic", align_corners=False),
        "antialias": lambda t: F.interpolate(t["x2"], (3, 4), mode="bilinear", antialias=True),
        "lanczos": lambda t: F.interpolate(t["x2"], (4, 9), mode="lanczos", antialias=True),
        "trilinear": lambda t: F.interpolate(t["x3"], scale_factor=(1.5, 0.5, 2), mode="trilinear"),
        "nearest_exact": lambda t: F.interpolate(t["x3"], (3, 7, 5), mode="nearest-exact"),
        "grid_sample": lambda t: F.grid_sample(t["x2"], t["grid"], "bicubic", "reflection", False),
        "affine_grid": lambda t: F.affine_grid(t["theta"], (2, 3, 4, 5), False),
        "cross_map_lrn": lambda t: lib.nn.CrossMapLRN2d(3, 0.1, 0.7, 2)(t["x2"]),
    }


def test_ember_matches_the_recorded_torch_outputs():
    rec = np.load(FIXTURE)
    inputs = {k: ember.tensor(v) for k, v in _inputs().items()}
    cases = _cases(ember.nn.functional, ember)
    assert sorted(cases) == sorted(rec.files)
    for name, fn in cases.items():
        got = fn(inputs).numpy()
        assert got.shape == rec[name].shape, name
        np.testing.assert_allclose(got, rec[name], rtol=1e-10, atol=1e-10, err_msg=name)


def _record():
    torch = pytest.importorskip("torch")
    inputs = {k: torch.tensor(v) for k, v in _inputs().items()}
    return {name: fn(inputs).numpy() for name, fn in _cases(torch.nn.functional, torch).items()}


def test_the_recording_is_torchs():
    rec = np.load(FIXTURE)
    for name, value in _record().items():
        np.testing.assert_array_equal(rec[name], value, err_msg=name)


if __name__ == "__main__":
    np.savez_compressed(FIXTURE, **_record())
