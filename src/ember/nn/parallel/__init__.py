"""``ember.nn.parallel``: ``DistributedDataParallel`` (over ``ember.distributed``) and ``DataParallel``.

Importing it does not import mpi4py: only ``ember.distributed.init_process_group`` does.
"""

from .data_parallel import DataParallel, data_parallel
from .distributed import DistributedDataParallel

__all__ = ["DataParallel", "DistributedDataParallel", "data_parallel"]
