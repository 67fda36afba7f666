"""The array library every op computes with: NumPy, named in this one place.

The compute modules (tensor, autograd, nn.functional, optim, ...) import ``np`` from here rather than from
NumPy directly. Binding an array library with NumPy's interface instead (CuPy for a GPU) is a change to this
module plus moving data to the host where ember prints, saves or draws it (``_tensor_str``, ``serialization``,
``viz``, ``_rng``), which keep using NumPy on purpose. Importing the name costs nothing per op.
"""

import numpy as np

__all__ = ["np"]
