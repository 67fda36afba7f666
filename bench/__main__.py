"""``python -m bench [--only NAME] [--repeat N] [--threads N] [--json PATH]``: see ``bench/run.py``."""

import os
import sys

# --threads N must reach OpenBLAS (NumPy, hence ember) and OpenMP/MKL (PyTorch) before either library loads
for i, arg in enumerate(sys.argv[:-1]):
    if arg == "--threads":
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = sys.argv[i + 1]

from .run import main

sys.exit(main())
