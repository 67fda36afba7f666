"""What the device namespaces share: the errors PyTorch's CPU build raises for a device it was built without,
and ``torch.compile`` (whose recorder lives in ``ember._compile``)."""

from __future__ import annotations

import os

from ._not_offered import NotOfferedError

__all__ = ["compile", "no_cuda", "no_accelerator", "missing_c_function", "not_offered", "NO_CUDA", "NO_ACCELERATOR",
           "OutOfMemoryError", "get_file_path",
           "AcceleratorError"]

NO_CUDA = "Torch not compiled with CUDA enabled"
NO_ACCELERATOR = "Cannot access accelerator device when none is available."


class OutOfMemoryError(RuntimeError):
    """torch.OutOfMemoryError (also torch.cuda.OutOfMemoryError): a device ran out of memory."""


OutOfMemoryError.__module__ = "torch"


def no_cuda(*args, **kwargs):
    """What a CUDA-only call does in PyTorch's CPU build: AssertionError."""
    raise AssertionError(NO_CUDA)


def no_accelerator(*args, **kwargs):
    """What torch.accelerator's device calls do when there is no accelerator."""
    raise RuntimeError(NO_ACCELERATOR)


def missing_c_function(name: str):
    """A function PyTorch's CPU build defines but whose C half is absent: it raises AttributeError naming it."""
    def call(*args, **kwargs):
        raise AttributeError(f"module 'torch._C' has no attribute '{name}'")
    return call


def not_offered(what: str, why: str):
    """A callable that raises the error ember gives for what it does not offer."""
    def call(*args, **kwargs):
        raise NotOfferedError(f"ember does not offer {what}: {why}")
    call.__name__ = what.rsplit(".", 1)[-1]
    call.__qualname__ = call.__name__
    call.__doc__ = f"not offered by ember: {why}"
    return call


def compile(model=None, *, fullgraph: bool = False, dynamic=None, backend="inductor", mode=None, options=None,
            disable: bool = False):
    """``torch.compile``: record a whole step once and replay it as a flat NumPy program (``ember._compile``)."""
    from ._compile import compile as _compile
    return _compile(model, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode, options=options,
                    disable=disable)


def get_file_path(*path_components: str) -> str:
    """A path under the directory that holds the package (PyTorch's ``torch_parent``)."""
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), *path_components)


class AcceleratorError(RuntimeError):
    """Exception raised while executing on device (ember runs on the CPU only, where PyTorch never raises it)."""


AcceleratorError.__module__ = "torch"
