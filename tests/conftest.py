"""Test-session settings.

PyTorch (the oracle) keeps its OpenMP threads spinning after each parallel region; next to OpenBLAS's own
threads on a 2-core machine that oversubscription makes both libraries many times slower. The oracle runs
single-threaded: its results do not depend on the thread count.
"""

import sys


def pytest_collection_finish(session):
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)
