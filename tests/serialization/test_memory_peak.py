"""Peak extra memory of saving and loading one 64 MB tensor, against PyTorch's figures.

ember's allocations are measured with tracemalloc (NumPy reports its buffers to it); PyTorch's C++ allocations
are invisible to tracemalloc, so PyTorch is measured by peak resident memory (VmHWM, reset through
/proc/self/clear_refs) when torch is installed, and otherwise read from the recorded figures. Streaming saves
and memory-mapped loads need no copy of the tensor; a plain load needs exactly the tensor it returns.
"""

import os
import tempfile

import numpy as np
import pytest
from ser_helpers import MB, expected, rss_peak, traced_peak

import ember
import ember.safetensors as est

SIZE = 64 * MB
SLACK = MB  # headers, the pickle, bookkeeping


@pytest.fixture(scope="module")
def where():
    # tmpfs when there is one: the figures are about memory, not the disk's speed
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(dir=base) as d:
        yield d


@pytest.fixture(scope="module")
def big(where):
    # every code path runs once on a small tensor first, so first-use imports do not count as peak memory
    small = {"w": ember.ones(3)}
    ember.save(small, f"{where}/w.pt")
    ember.load(f"{where}/w.pt")
    ember.load(f"{where}/w.pt", mmap=True)
    ember.serialization.save_pickle_free(small, f"{where}/w.v1")
    ember.load(f"{where}/w.v1", mmap=True)
    est.save_file(small, f"{where}/w.safetensors")
    est.load_file(f"{where}/w.safetensors")
    return ember.from_numpy(np.random.default_rng(0).random(SIZE // 4, dtype=np.float32))


@pytest.fixture(scope="module")
def saved(big, where):
    """The three files, each written once, with ember's peak while writing it."""
    peaks = {"save": traced_peak(lambda: ember.save({"w": big}, f"{where}/e.pt"))[0],
             "save_pickle_free": traced_peak(lambda: ember.serialization.save_pickle_free(
                 {"w": big}, f"{where}/e.v1"))[0],
             "safetensors_save_file": traced_peak(lambda: est.save_file({"w": big}, f"{where}/e.safetensors"))[0]}
    return peaks


@pytest.fixture(scope="module")
def torch_peaks(where):
    """PyTorch's figures, measured here when possible, else the recorded ones."""
    try:
        import safetensors.torch as stt
        import torch
        rss_peak(lambda: None)
    except (ImportError, OSError):
        return expected()["memory"]
    t = torch.from_numpy(np.random.default_rng(1).random(SIZE // 4, dtype=np.float32))
    return {"save": rss_peak(lambda: torch.save({"w": t}, f"{where}/t.pt")),
            "load": rss_peak(lambda: torch.load(f"{where}/t.pt")),
            "load_mmap": rss_peak(lambda: torch.load(f"{where}/t.pt", mmap=True)),
            "safetensors_save_file": rss_peak(lambda: stt.save_file({"w": t}, f"{where}/t.st")),
            "safetensors_load_file": rss_peak(lambda: stt.load_file(f"{where}/t.st"))}


def test_the_measures_see_an_allocation():
    # the measuring sticks must register a 64 MB temporary (else "at or below PyTorch" would prove nothing); it is
    # above the size ember.kernels.memory keeps in the heap (32 MiB), so it is fresh pages however much the heap kept
    assert traced_peak(lambda: np.ones(64 * MB // 8).sum())[0] >= 64 * MB
    try:
        peak = rss_peak(lambda: np.ones(64 * MB // 8).sum())
    except OSError:
        pytest.skip("no /proc/self/clear_refs")
    assert peak >= 60 * MB


def test_saves_stream_from_the_tensor(saved, torch_peaks):
    assert saved["save"] <= min(SLACK, torch_peaks["save"] + SLACK), (saved, torch_peaks)
    assert saved["save_pickle_free"] <= SLACK
    assert saved["safetensors_save_file"] <= min(SLACK, torch_peaks["safetensors_save_file"] + SLACK)


def test_load_reads_into_the_result_only(big, saved, where, torch_peaks):
    peak, out = traced_peak(lambda: ember.load(f"{where}/e.pt"))
    assert np.array_equal(out["w"].numpy(), big.numpy())
    assert SIZE <= peak <= SIZE + SLACK and peak <= torch_peaks["load"] + SLACK, (peak, torch_peaks["load"])
    del out
    peak, out = traced_peak(lambda: ember.load(f"{where}/e.v1"))
    assert peak <= SIZE + SLACK and np.array_equal(out["w"].numpy(), big.numpy())


def test_mmap_loads_map_copy_on_write(big, saved, where, torch_peaks):
    for name in ("e.pt", "e.v1"):
        peak, out = traced_peak(lambda n=name: ember.load(f"{where}/{n}", mmap=True))
        assert peak <= SLACK and peak <= torch_peaks["load_mmap"] + SLACK, (name, peak, torch_peaks["load_mmap"])
        w = out["w"]
        assert np.array_equal(w.numpy(), big.numpy())
        w.add_(1.0)  # private pages: the tensor changes, the file does not
        assert w.numpy()[0] == big.numpy()[0] + 1
        del out, w
        assert ember.load(f"{where}/{name}", mmap=True)["w"].numpy()[0] == big.numpy()[0]


def test_safetensors_load_maps_copy_on_write(big, saved, where, torch_peaks):
    peak, out = traced_peak(lambda: est.load_file(f"{where}/e.safetensors"))
    assert peak <= SLACK and peak <= torch_peaks["safetensors_load_file"] + SLACK
    assert np.array_equal(out["w"].numpy(), big.numpy())
    out["w"].mul_(2.0)
    assert est.load_file(f"{where}/e.safetensors")["w"].numpy()[0] == big.numpy()[0]
