"""Saving to a path: the bytes go to a temporary file beside the target, which then replaces it whole (os.replace),
so a killed save leaves the old file intact; the temporaries a killed save left behind are removed by the next save to
that path. ``ember.save`` and ``ember.safetensors.save_file`` write through ``atomic_write``."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from typing import IO

__all__ = ["atomic_write"]

_TMP_SUFFIX = ".ember-tmp"


def _remove_stale_temporaries(directory: str, base: str) -> None:
    """Remove temporary files a killed save to ``base`` left behind (their process no longer exists)."""
    prefix = f".{base}."
    try:
        names = os.listdir(directory or ".")
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(_TMP_SUFFIX)):
            continue
        parts = name[len(prefix):-len(_TMP_SUFFIX)].split(".")
        if len(parts) != 2 or not parts[0].isdigit():
            continue
        pid = int(parts[0])
        if pid == os.getpid():
            continue  # a save in another thread of this process
        try:
            os.kill(pid, 0)
            continue  # alive (or not ours to judge)
        except ProcessLookupError:
            pass
        except (PermissionError, OSError, OverflowError):
            continue
        try:
            os.unlink(os.path.join(directory, name))
        except OSError:
            pass


def atomic_write(path: str | os.PathLike, write: Callable[[IO[bytes]], None]) -> None:
    """Write a file through ``write(f)`` so that the target is replaced whole or not at all."""
    path = os.fspath(path)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    parent = os.path.dirname(path)
    if parent and not os.path.isdir(parent):
        raise RuntimeError(f"Parent directory {parent} does not exist.")
    target = os.path.realpath(path)  # through symlinks: the link stays and its target gets the new contents
    directory, base = os.path.split(target)
    if not os.path.isdir(directory):
        raise RuntimeError(f"Parent directory {directory} does not exist.")
    _remove_stale_temporaries(directory, base)
    try:
        mode = os.stat(target).st_mode & 0o7777  # an existing file keeps its mode, as with an in-place write
    except OSError:
        mode = None
    while True:
        tmp = os.path.join(directory, f".{base}.{os.getpid()}.{secrets.token_hex(4)}{_TMP_SUFFIX}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as out:
            if mode is not None:
                os.chmod(tmp, mode)
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
