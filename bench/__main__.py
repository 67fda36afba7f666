"""``python -m bench [--only NAME] [--repeat N] [--json PATH]``: see ``bench/run.py``."""

import sys

from .run import main

sys.exit(main())
