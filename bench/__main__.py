"""``python -m bench [--only NAME] [--repeat N] [--threads 1] [--compile] [--fresh] [--json PATH]``: see ``bench/run.py``."""

import sys

from .run import main

sys.exit(main())
