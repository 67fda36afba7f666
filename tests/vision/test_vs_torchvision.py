"""ember.vision against torchvision on the same generated files: datasets, transforms (seeded), utils, errors.

Each case in _cases.py runs once on (ember.vision, ember) and once on (torchvision, torch) where torchvision is
installed; without it, ember's outputs are compared with the recorded fixture of torchvision's.
"""

import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("PIL")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _cases
import _compare
import _tv

import ember
import ember.vision


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return _cases.build_root(str(tmp_path_factory.mktemp("vision_files")))


@pytest.fixture(scope="module")
def ember_outputs(root):
    return {name: fn(ember.vision, ember, root) for name, fn in _cases.CASES.items()}


@pytest.mark.parametrize("case", list(_cases.CASES))
def test_matches_torchvision(case, root, ember_outputs):
    tv = _tv.torchvision_or_skip()
    import torch
    reference = _cases.CASES[case](tv, torch, root)
    problems = _compare.differences(case, reference, ember_outputs[case])
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("case", list(_cases.CASES))
def test_matches_recorded_torchvision_outputs(case, ember_outputs):
    recorded = _compare.load_fixture()[case]
    problems = _compare.differences(case, recorded, ember_outputs[case])
    assert not problems, "\n".join(problems[:20])


def test_comparison_rejects_what_differs(ember_outputs):
    """The checker itself: a changed pixel, a changed repr, a dtype, a missing key, a tolerant array off by 1e-3."""
    case = "transforms_tensor"
    good = ember_outputs[case]
    recorded = _compare.load_fixture()[case]
    assert _compare.differences(case, recorded, good) == []
    key = "crop_flip_0"
    changed = dict(good, **{key: good[key].copy()})
    changed[key].flat[5] += 1e-7
    assert any(key in p for p in _compare.differences(case, recorded, changed))
    assert _compare.differences(case, recorded, dict(good, **{key: good[key].astype(np.float64)}))
    tolerant = "resize_0"
    assert _compare.differences(case, recorded, dict(good, **{tolerant: good[tolerant] + 1e-3}))
    assert not _compare.differences(case, recorded, dict(good, **{tolerant: good[tolerant] + 1e-6}))
    missing = dict(good)
    del missing[key]
    assert _compare.differences(case, recorded, missing) == [f"{case}:{key} missing"]
    reprs = ember_outputs["reprs"]
    assert _compare.differences("reprs", reprs, dict(reprs, r0="ToTensor( )"))
