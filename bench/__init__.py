"""Side-by-side benchmarks of ember against PyTorch (and NumPy-based peers): ``python -m bench``."""

from .run import main, measure
from .workloads import WORKLOADS, Workload

__all__ = ["WORKLOADS", "Workload", "main", "measure"]
