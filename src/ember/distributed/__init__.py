"""``ember.distributed``: ``torch.distributed`` on MPI (through mpi4py, the ``distributed`` extra).

Process groups, collectives on tensors in place (``all_reduce``, ``broadcast``, ``all_gather``, ...), point to
point messages, and ``python -m ember.distributed.run``, the launcher (torchrun's flags, over ``mpiexec``).
Importing this package does not import mpi4py: ``init_process_group`` does.
"""

from .distributed_c10d import *  # noqa: F403
from .distributed_c10d import __all__  # noqa: F401
