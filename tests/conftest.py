"""Test-session settings.

PyTorch (the oracle) keeps its OpenMP threads spinning after each parallel region; next to OpenBLAS's own
threads on a 2-core machine that oversubscription makes both libraries many times slower (a 20 s training
took 2 minutes). Tests therefore run both libraries on one thread each. Results that depend on the thread
count (PyTorch splits float32 sums over 32768 elements per thread) are pinned by the tests that need them.
"""

import sys


def pytest_configure(config):
    import numpy  # noqa: F401  (threadpoolctl limits only libraries already loaded)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(1)


def pytest_collection_finish(session):
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)
