"""What ember does not offer of PyTorch's public surface, and why: ``NOT_OFFERED`` maps a name to a reason.

Reaching such a name raises ``NotOfferedError`` with the reason, instead of an AttributeError that reads like
a typo: a module attribute raises when it is looked up (``torch.stft``), a Tensor method when it is called
(``t.stft()``). NotOfferedError is both an AttributeError, so ``hasattr`` and ``getattr(torch, name, None)``
keep their meaning for feature tests, and a NotImplementedError.
"""

from __future__ import annotations

__all__ = ["NotOfferedError", "NOT_OFFERED"]


class NotOfferedError(AttributeError, NotImplementedError):
    """A PyTorch name that ember does not offer (the message says why)."""


NotOfferedError.__module__ = "ember"

NOT_OFFERED: dict[str, str] = {}


def reason(qualname: str) -> str | None:
    """Why ember does not offer ``qualname`` ("torch.stft", "Tensor.stft", "nn.functional.grid_sample"), or None."""
    return NOT_OFFERED.get(qualname)


def error(qualname: str, why: str | None = None) -> NotOfferedError:
    """The error for reaching ``qualname``, which ember does not offer."""
    why = why or NOT_OFFERED.get(qualname, "not implemented")
    shown = qualname if qualname.startswith("torch") else "torch." + qualname
    _, _, attr = shown.rpartition(".")
    return NotOfferedError(f"ember does not offer {shown}: {why}", name=attr)


def missing(module_name: str, namespace: str, name: str) -> AttributeError:
    """What a module's ``__getattr__`` raises for ``name``: NotOfferedError if it is on the list, else
    Python's plain AttributeError (so ``hasattr`` is False for names PyTorch lacks too)."""
    qualname = f"{namespace}.{name}"
    if qualname in NOT_OFFERED:
        return error(qualname)
    return AttributeError(f"module '{module_name}' has no attribute '{name}'", name=name)
