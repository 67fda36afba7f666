"""``torch.hub``: download checkpoints into a cache and load them (``load_state_dict_from_url``,
``download_url_to_file``, with PyTorch's SHA256 file-name check), over urllib.

``torch.hub.load`` of a local directory (``source="local"``) imports its ``hubconf.py`` and calls the entry
point, as PyTorch does; fetching a repository from GitHub is not offered (it downloads and runs code).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import importlib.util
import os
import re
import shutil
import sys
import tempfile
import uuid
import warnings
from urllib.parse import urlparse
from urllib.request import Request, urlopen

from . import serialization
from ._devices import not_offered

__all__ = ["download_url_to_file", "load_state_dict_from_url", "get_dir", "set_dir", "load", "list", "help",
           "HASH_REGEX", "MODULE_HUBCONF", "READ_DATA_CHUNK"]

HASH_REGEX = re.compile(r"-([a-f0-9]*)\.")  # resnet18-5c106cde.pth: the first digits of the file's SHA256
MODULE_HUBCONF = "hubconf.py"
READ_DATA_CHUNK = 128 * 1024
_hub_dir: str | None = None
_WHY_GITHUB = "loading a repository from GitHub downloads and runs its code; use source='local' on a checkout"


def get_dir() -> str:
    """The cache directory: set_dir()'s, else $TORCH_HOME/hub, else $XDG_CACHE_HOME/torch/hub (~/.cache)."""
    if os.getenv("TORCH_HUB"):
        warnings.warn("TORCH_HUB is deprecated, please use env TORCH_HOME instead", stacklevel=2)
    if _hub_dir is not None:
        return _hub_dir
    home = os.path.expanduser(os.getenv("TORCH_HOME", os.path.join(os.getenv("XDG_CACHE_HOME", "~/.cache"),
                                                                    "torch")))
    return os.path.join(home, "hub")


def set_dir(d) -> None:
    global _hub_dir
    _hub_dir = os.path.expanduser(os.fspath(d))


def _progress(total, enabled: bool):
    """A tqdm bar on stderr when tqdm is installed and progress is asked for, else a silent counter."""
    if enabled:
        try:
            from tqdm import tqdm  # optional: PyTorch also shows a bar only with it (or its own fallback)
            return tqdm(total=total, disable=False, unit="B", unit_scale=True, unit_divisor=1024)
        except ImportError:
            pass
    return contextlib.nullcontext(_Silent())


class _Silent:
    def update(self, n) -> None:
        pass


def download_url_to_file(url: str, dst: str, hash_prefix: str | None = None, progress: bool = True) -> None:
    """Download ``url`` to the path ``dst`` (through a temporary file, moved into place only when complete);
    with ``hash_prefix``, the file's SHA256 must start with it, else RuntimeError and nothing is left."""
    dst = os.path.expanduser(dst)
    for _ in range(tempfile.TMP_MAX):
        tmp_dst = dst + "." + uuid.uuid4().hex + ".partial"
        try:
            f = open(tmp_dst, "w+b")  # noqa: SIM115  (closed in finally)
        except FileExistsError:
            continue
        break
    else:
        raise FileExistsError(errno.EEXIST, "No usable temporary file name found")
    try:
        with urlopen(Request(url, headers={"User-Agent": "torch.hub"})) as u:
            length = u.info().get_all("Content-Length")
            size = int(length[0]) if length else None
            sha256 = hashlib.sha256() if hash_prefix is not None else None
            with _progress(size, progress) as bar:
                while True:
                    buffer = u.read(READ_DATA_CHUNK)
                    if not buffer:
                        break
                    f.write(buffer)
                    if sha256 is not None:
                        sha256.update(buffer)
                    bar.update(len(buffer))
        f.close()
        if sha256 is not None:
            digest = sha256.hexdigest()
            if digest[:len(hash_prefix)] != hash_prefix:
                raise RuntimeError(f'invalid hash value (expected "{hash_prefix}", got "{digest}")')
        shutil.move(f.name, dst)
    finally:
        f.close()
        if os.path.exists(f.name):
            os.remove(f.name)


def load_state_dict_from_url(url: str, model_dir: str | None = None, map_location=None, progress: bool = True,
                             check_hash: bool = False, file_name: str | None = None, weights_only: bool = False):
    """``torch.load`` of the file at ``url``, downloaded once into ``model_dir`` (default <hub dir>/checkpoints);
    ``check_hash`` checks the SHA256 prefix the file name carries (``name-<sha256 prefix>.ext``)."""
    if os.getenv("TORCH_MODEL_ZOO"):
        warnings.warn("TORCH_MODEL_ZOO is deprecated, please use env TORCH_HOME instead", stacklevel=2)
    if model_dir is None:
        model_dir = os.path.join(get_dir(), "checkpoints")
    os.makedirs(model_dir, exist_ok=True)
    filename = file_name if file_name is not None else os.path.basename(urlparse(url).path)
    cached_file = os.path.join(model_dir, filename)
    if not os.path.exists(cached_file):
        sys.stdout.write(f'Downloading: "{url}" to {cached_file}\n')
        hash_prefix = None
        if check_hash:
            r = HASH_REGEX.search(filename)
            hash_prefix = r.group(1) if r else None
        download_url_to_file(url, cached_file, hash_prefix, progress=progress)
    return serialization.load(cached_file, map_location=map_location, weights_only=weights_only)


@contextlib.contextmanager
def _on_sys_path(path: str):
    sys.path.insert(0, path)
    try:
        yield
    finally:
        sys.path.remove(path)


def _hubconf(repo_dir: str):
    path = os.path.join(repo_dir, MODULE_HUBCONF)
    spec = importlib.util.spec_from_file_location("hubconf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for dep in getattr(module, "dependencies", []):
        if importlib.util.find_spec(dep) is None:
            raise RuntimeError(f"Missing dependencies: {dep}")
    return module


def _entry(module, model):
    if not isinstance(model, str):
        raise ValueError("Invalid input: model should be a string of function name")
    func = getattr(module, model, None)
    if func is None or not callable(func):
        raise RuntimeError(f"Cannot find callable {model} in hubconf")
    return func


def _local_only(source: str) -> None:
    if source not in ("github", "local"):
        raise ValueError(f'Unknown source: "{source}". Allowed values: "github" | "local".')
    if source == "github":
        raise not_offered("torch.hub.load", _WHY_GITHUB)()


def load(repo_or_dir, model, *args, source="github", trust_repo=None, force_reload=False, verbose=True,
         skip_validation=False, **kwargs):
    """``model(*args, **kwargs)`` from the entry points of ``repo_or_dir``/hubconf.py (source="local")."""
    _local_only(source.lower())
    with _on_sys_path(repo_or_dir):
        return _entry(_hubconf(repo_or_dir), model)(*args, **kwargs)


list = not_offered("torch.hub.list", _WHY_GITHUB)  # noqa: A001  (PyTorch's name; GitHub repositories only)
help = not_offered("torch.hub.help", _WHY_GITHUB)  # noqa: A001
