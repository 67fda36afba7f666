"""Compare one case's outputs with the reference's (torchvision's, or the recorded fixture of them)."""

from __future__ import annotations

import hashlib

import _cases
import numpy as np

FIXTURE = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "vision" / "torchvision.npz"


def differences(case: str, reference: dict, actual: dict) -> list[str]:
    """What differs: missing or extra keys, strings, shapes, dtypes, values (exact unless TOLERANT)."""
    problems = [f"{case}:{k} missing" for k in reference if k not in actual]
    problems += [f"{case}:{k} not in the reference" for k in actual if k not in reference]
    for key in reference.keys() & actual.keys():
        ref, got = reference[key], actual[key]
        if isinstance(ref, str) and ref.startswith(DIGEST) and not isinstance(got, str):
            if digest(got) != ref:
                problems.append(f"{case}:{key} differs from the recorded output ({digest(got)[:60]}..., expected "
                                f"{ref[:60]}...)")
            continue
        if isinstance(ref, str) or isinstance(got, str):
            if ref != got:
                problems.append(f"{case}:{key}\n  expected {ref!r}\n  got      {got!r}")
            continue
        ref, got = np.asarray(ref), np.asarray(got)
        if ref.shape != got.shape or ref.dtype != got.dtype:
            problems.append(f"{case}:{key} {got.dtype}{list(got.shape)}, expected {ref.dtype}{list(ref.shape)}")
        elif _cases.is_tolerant(case, key):
            atol = 1 if ref.dtype.kind in "ui" else 1e-5  # a uint8 pixel rounded the other way; float rounding
            if not np.allclose(got.astype(np.float64), ref.astype(np.float64), rtol=0, atol=atol):
                problems.append(f"{case}:{key} max |diff| {np.abs(got.astype(float) - ref.astype(float)).max()}")
        elif not np.array_equal(ref, got):
            problems.append(f"{case}:{key} differs in {(ref != got).sum()} of {ref.size} values")
    return problems


DIGEST = "sha256:"


def digest(array) -> str:
    """The dtype, shape and SHA-256 of the bytes of an array: an exact output recorded in 100 bytes."""
    array = np.ascontiguousarray(array)
    return f"{DIGEST}{array.dtype.str}:{list(array.shape)}:{hashlib.sha256(array.tobytes()).hexdigest()}"


def to_arrays(case: str, outputs: dict) -> dict:
    """{'case/key': ndarray} for np.savez: strings as 0-d unicode arrays, exact arrays as their digest."""
    stored = {}
    for key, value in outputs.items():
        if isinstance(value, str):
            stored[f"{case}/{key}"] = np.array(value)
        elif _cases.is_tolerant(case, key):
            stored[f"{case}/{key}"] = np.asarray(value)
        else:
            stored[f"{case}/{key}"] = np.array(digest(value))
    return stored


def load_fixture() -> dict:
    """{case: {key: value}} from the recorded fixture (strings back to str)."""
    cases: dict = {}
    with np.load(FIXTURE, allow_pickle=False) as data:
        for name in data.files:
            case, key = name.split("/", 1)
            value = data[name]
            cases.setdefault(case, {})[key] = str(value) if value.dtype.kind == "U" else value
    return cases
