"""kernels.memory: freed arrays stay in the heap (no fresh pages from the OS at every step), on glibc."""

import os
import subprocess
import sys

import pytest

from ember.kernels import memory

glibc = pytest.mark.skipif(not memory._glibc(), reason="glibc's mallopt only")

_FAULTS = r"""
import resource, sys
import numpy as np
import ember  # noqa: F401  (sets the thresholds unless EMBER_KEEP_FREED_MEMORY=0)
import ctypes, os
if os.environ["EMBER_KEEP_FREED_MEMORY"] == "0":
    # glibc's own default (128 KiB), pinned: its dynamic rule raises the threshold to the size of any mapped
    # block freed earlier (compiling a large module at import can free one of over 1 MiB), which would make
    # this can-fail reference depend on the imports' history
    ctypes.CDLL("libc.so.6").mallopt(-3, 128 * 1024)
def step():
    a = np.ones(1 << 18, dtype=np.float32)  # 1 MiB, made and freed as a step's temporaries are
    b = a * 2
    del a, b
step()
r0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(50):
    step()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - r0)
"""


def _faults(env_value):
    env = dict(os.environ, EMBER_KEEP_FREED_MEMORY=env_value)
    out = subprocess.run([sys.executable, "-c", _FAULTS], env=env, capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


@glibc
def test_freed_arrays_are_reused_not_faulted_in_again():
    # 50 steps of two fresh 1 MiB arrays: 256 pages each if they came from the OS every time
    assert _faults("1") < 50
    # the check can fail: without the setting glibc maps and unmaps the arrays at every step
    assert _faults("0") > 50 * 256


def test_the_switch_turns_it_off(monkeypatch):
    monkeypatch.setenv("EMBER_KEEP_FREED_MEMORY", "0")
    assert memory.keep_freed_memory() is False
