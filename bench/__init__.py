"""Side-by-side benchmarks of ember against PyTorch (and NumPy-based peers): ``python -m bench``.

Kept import-free so that ``python -m bench --threads N`` can set the BLAS thread count before NumPy loads;
the harness is in ``bench.run`` and the workloads in ``bench.workloads``.
"""
