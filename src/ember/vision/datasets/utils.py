"""Files of datasets: MD5 checks, downloads (urllib), archive extraction, safe unpickling of CIFAR's batches.

Downloads fetch torchvision's URLs; a file already present with the right MD5 is not fetched again, a fetched file
with the wrong MD5 is an error ("File not found or corrupted."), as in torchvision.
"""

from __future__ import annotations

import _codecs
import bz2
import gzip
import hashlib
import lzma
import os
import pathlib
import pickle
import tarfile
import urllib.error
import urllib.request
import zipfile

import numpy as np

__all__ = ["calculate_md5", "check_md5", "check_integrity", "download_url", "extract_archive",
           "download_and_extract_archive", "verify_str_arg", "safe_unpickle"]

USER_AGENT = "pytorch/vision"
_CHUNK = 1024 * 1024


def calculate_md5(fpath, chunk_size: int = _CHUNK) -> str:
    """Hex MD5 digest of the file's bytes."""
    md5 = hashlib.md5(usedforsecurity=False)
    with open(fpath, "rb") as f:
        while chunk := f.read(chunk_size):
            md5.update(chunk)
    return md5.hexdigest()


def check_md5(fpath, md5: str, **kwargs) -> bool:
    return md5 == calculate_md5(fpath, **kwargs)


def check_integrity(fpath, md5: str | None = None) -> bool:
    """The file exists and (if `md5` is given) has that MD5."""
    if not os.path.isfile(fpath):
        return False
    return md5 is None or check_md5(fpath, md5)


def _urlretrieve(url: str, filename) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request) as response, open(filename, "wb") as out:  # noqa: S310 -- dataset URLs
        while chunk := response.read(_CHUNK):
            out.write(chunk)


def download_url(url: str, root, filename=None, md5: str | None = None, max_redirect_hops: int = 3) -> None:
    """Fetch `url` into root/filename unless a file with that MD5 is there; check the MD5 of what came."""
    root = os.path.expanduser(root)
    fpath = os.fspath(os.path.join(root, filename or os.path.basename(url)))
    os.makedirs(root, exist_ok=True)
    if check_integrity(fpath, md5):
        return
    try:
        _urlretrieve(url, fpath)
    except (urllib.error.URLError, OSError):
        if not url.startswith("https:"):
            raise
        _urlretrieve("http:" + url[len("https:"):], fpath)  # torchvision retries a failed https over http
    if not check_integrity(fpath, md5):
        raise RuntimeError("File not found or corrupted.")


_COMPRESSIONS = {".bz2": bz2.open, ".gz": gzip.open, ".xz": lzma.open}
_ALIASES = {".tgz": (".tar", ".gz"), ".tbz": (".tar", ".bz2"), ".tbz2": (".tar", ".bz2")}


def _file_type(path) -> tuple[str, str | None, str | None]:
    """(suffix, archive type, compression) from the file name: 'a.tar.gz' -> ('.tar.gz', '.tar', '.gz')."""
    suffixes = pathlib.Path(path).suffixes
    if not suffixes:
        raise RuntimeError(f"File '{path}' has no suffixes that could be used to detect the archive type and "
                           f"compression.")
    last = suffixes[-1]
    if last in _ALIASES:
        return (last, *_ALIASES[last])
    if last in (".tar", ".zip"):
        return last, last, None
    if last in _COMPRESSIONS:
        if len(suffixes) > 1 and suffixes[-2] in (".tar", ".zip"):
            return suffixes[-2] + last, suffixes[-2], last
        return last, None, last
    known = sorted(set(_ALIASES) | {".tar", ".zip"} | set(_COMPRESSIONS))
    raise RuntimeError(f"Unknown compression or archive type: '{last}'.\nKnown suffixes are: '{known}'.")


def _extract_tar(from_path, to_path, compression) -> None:
    with tarfile.open(from_path, f"r:{compression[1:]}" if compression else "r") as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(to_path, filter="data")  # no absolute paths, no escaping links, no device files
        else:  # pragma: no cover -- Pythons before the tarfile filters
            tar.extractall(to_path)  # noqa: S202


def extract_archive(from_path, to_path=None, remove_finished: bool = False):
    """Unpack a .tar[.gz|.bz2|.xz] / .zip archive, or decompress a single .gz/.bz2/.xz file, into `to_path`."""
    to_path = os.path.dirname(from_path) if to_path is None else to_path
    suffix, archive, compression = _file_type(from_path)
    if archive is None:
        out = os.path.join(to_path, os.path.basename(from_path).replace(suffix, ""))
        with _COMPRESSIONS[compression](from_path, "rb") as src, open(out, "wb") as dst:
            dst.write(src.read())
        result = out
    elif archive == ".tar":
        _extract_tar(from_path, to_path, compression)
        result = to_path
    else:
        with zipfile.ZipFile(from_path) as archive_file:
            archive_file.extractall(to_path)
        result = to_path
    if remove_finished:
        os.remove(from_path)
    return os.fspath(result) if isinstance(from_path, str) else pathlib.Path(result)


def download_and_extract_archive(url: str, download_root, extract_root=None, filename=None, md5=None,
                                 remove_finished: bool = False) -> None:
    download_root = os.path.expanduser(download_root)
    extract_root = download_root if extract_root is None else extract_root
    filename = filename or os.path.basename(url)
    download_url(url, download_root, filename, md5)
    extract_archive(os.path.join(download_root, filename), extract_root, remove_finished)


def verify_str_arg(value, arg: str | None = None, valid_values=None, custom_msg: str | None = None):
    """`value` if it is a str among `valid_values`, else torchvision's ValueError."""
    if not isinstance(value, str):
        msg = "Expected type str" + (f" for argument {arg}" if arg is not None else "")
        raise ValueError(f"{msg}, but got type {type(value)}.")
    if valid_values is None or value in valid_values:
        return value
    if custom_msg is None:
        listed = "'" + "', '".join(str(v) for v in valid_values) + "'"
        custom_msg = f"Unknown value '{value}' for argument {arg}. Valid values are {{{listed}}}."
    raise ValueError(custom_msg)


# ---------------------------------------------------------------- CIFAR's pickles, read without running code
# A pickle names the callables that rebuild its objects; a batch of CIFAR names only NumPy's array
# reconstruction (and, when written by Python 3 at protocol 2, _codecs.encode for bytes). The unpickler below
# resolves exactly those names and refuses every other one, so a crafted file cannot call anything else.
def _reconstructors() -> dict:
    array_reduce = np.zeros(1).__reduce__()
    scalar_reduce = np.float64(0).__reduce__()
    allowed = {
        "_reconstruct": array_reduce[0],
        "ndarray": np.ndarray,
        "dtype": np.dtype,
        "scalar": scalar_reduce[0],
    }
    table = {}
    for module in ("numpy.core.multiarray", "numpy._core.multiarray", "numpy", "numpy.core.numeric",
                   "numpy._core.numeric"):
        for name, obj in allowed.items():
            table[(module, name)] = obj
    table[("_codecs", "encode")] = _codecs.encode
    return table


class _SafeUnpickler(pickle.Unpickler):
    _allowed = None

    def find_class(self, module, name):
        if _SafeUnpickler._allowed is None:
            _SafeUnpickler._allowed = _reconstructors()
        try:
            return _SafeUnpickler._allowed[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(
                f"ember.vision: refusing to load '{module}.{name}' from a dataset pickle (only NumPy arrays, "
                f"lists, strings and numbers are allowed)") from None


def safe_unpickle(file, encoding: str = "latin1"):
    """pickle.load restricted to NumPy arrays and plain containers: CIFAR's batches, never code."""
    return _SafeUnpickler(file, encoding=encoding).load()
