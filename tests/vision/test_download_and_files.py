"""Downloads (a loopback HTTP server and file:// URLs serving generated files with their MD5s), the IDX reader,
the CIFAR unpickler that runs no code, and the message when Pillow is missing."""

import functools
import http.server
import io
import os
import pickle
import shutil
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _formats
import _tv

import ember
from ember.vision import datasets
from ember.vision.datasets import utils as dutils


class _Quiet(http.server.SimpleHTTPRequestHandler):
    requests: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        _Quiet.requests.append(self.path)
        super().do_GET()


@pytest.fixture()
def server(tmp_path):
    """http://127.0.0.1:PORT/ serving tmp_path/served; yields (base URL, served folder, request log)."""
    served = tmp_path / "served"
    served.mkdir()
    _Quiet.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(served)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", served, _Quiet.requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def _mnist_on(server_dir, md5_override=None):
    """Generated gz files in served/mnist/, and an MNIST class whose mirrors/resources point at them."""
    staging = server_dir.parent / "staging"
    md5s = _formats.make_mnist(str(staging), "MNIST", n_train=7, n_test=4, gz=True, seed=9)
    (server_dir / "mnist").mkdir()
    for name in md5s:
        shutil.copy(staging / "MNIST" / "raw" / name, server_dir / "mnist" / name)
    resources = [(name, (md5_override or md5s)[name]) for name, _ in datasets.MNIST.resources]
    return resources


def _subclass(base, **attrs):
    return type(base.__name__, (base,), attrs)


def test_mnist_download_tries_the_mirrors_checks_md5_and_extracts(server, tmp_path):
    base, served, requests = server
    resources = _mnist_on(served)
    cls = _subclass(datasets.MNIST, mirrors=[f"{base}/gone/", f"{base}/mnist/"], resources=resources)
    d = cls(str(tmp_path / "root"), train=False, download=True)
    images, labels = _formats.mnist_arrays(4, 10)
    assert np.array_equal(d.data.numpy(), images) and d.targets.tolist() == labels.tolist()
    assert sorted(os.listdir(tmp_path / "root" / "MNIST" / "raw")) == sorted(
        [n for n, _ in resources] + [n[:-3] for n, _ in resources])
    assert requests == [p for n, _ in resources for p in (f"/gone/{n}", f"/mnist/{n}")]
    cls(str(tmp_path / "root"), train=True, download=True)  # everything is there: nothing is fetched again
    assert len(requests) == 8


def test_mnist_download_with_a_wrong_md5_fails_as_torchvision(server, tmp_path):
    base, served, requests = server
    resources = _mnist_on(served, md5_override=dict.fromkeys(
        [n for n, _ in datasets.MNIST.resources], "0" * 32))
    mirrors = [f"{base}/gone/", f"{base}/mnist/"]
    with pytest.raises(RuntimeError) as ours:
        _subclass(datasets.MNIST, mirrors=mirrors, resources=resources)(str(tmp_path / "a"), download=True)
    assert str(ours.value) == (
        f"Error downloading train-images-idx3-ubyte.gz:\nTried {base}/gone/, got:\nHTTP Error 404: File not found\n"
        f"Tried {base}/mnist/, got:\nFile not found or corrupted.\n")
    try:
        tv = _tv.torchvision_or_skip()
    except pytest.skip.Exception:
        return
    with pytest.raises(RuntimeError) as theirs:
        _subclass(tv.datasets.MNIST, mirrors=mirrors, resources=resources)(str(tmp_path / "b"), download=True)
    assert str(theirs.value) == str(ours.value)


def test_cifar_download_fetches_the_archive_and_unpacks_it(server, tmp_path):
    base, served, requests = server
    staging = tmp_path / "staging"
    md5s = _formats.make_cifar10(str(staging), per_batch=2, seed=3)
    with tarfile.open(served / "cifar-10-python.tar.gz", "w:gz") as tar:
        tar.add(staging / "cifar-10-batches-py", arcname="cifar-10-batches-py")
    cls = _subclass(datasets.CIFAR10, url=f"{base}/cifar-10-python.tar.gz",
                    tgz_md5=_formats.md5(str(served / "cifar-10-python.tar.gz")))
    _formats.patch_cifar_md5s(cls, md5s)
    d = cls(str(tmp_path / "root"), train=True, download=True)
    assert len(d) == 10 and d.data.shape == (10, 32, 32, 3) and d.classes == _formats.CIFAR10_NAMES
    assert d.targets[:2] == _formats.cifar_batch(2, 4)["labels"]
    assert requests == ["/cifar-10-python.tar.gz"]
    cls(str(tmp_path / "root"), train=False, download=True)
    assert requests == ["/cifar-10-python.tar.gz"]


def test_download_url_from_a_file_url_and_integrity(tmp_path):
    src = tmp_path / "blob.bin"
    src.write_bytes(b"ember" * 100)
    digest = _formats.md5(str(src))
    dutils.download_url(src.as_uri(), str(tmp_path / "out"), md5=digest)
    assert (tmp_path / "out" / "blob.bin").read_bytes() == src.read_bytes()
    assert dutils.check_integrity(str(tmp_path / "out" / "blob.bin"), digest)
    assert not dutils.check_integrity(str(tmp_path / "out" / "blob.bin"), "0" * 32)
    assert not dutils.check_integrity(str(tmp_path / "out" / "absent"))
    with pytest.raises(RuntimeError, match="File not found or corrupted."):
        dutils.download_url(src.as_uri(), str(tmp_path / "bad"), md5="0" * 32)


def test_idx_reader_reads_every_type_and_rejects_garbage(tmp_path):
    rng = np.random.default_rng(0)
    for dtype in _formats.IDX_CODES:
        array = (rng.standard_normal((3, 4, 2)) * 50).astype(dtype)
        for gz in (False, True):
            path = _formats.write_idx(str(tmp_path / f"a_{np.dtype(dtype).name}"), array, gz=gz)
            t = datasets.mnist.read_sn3_pascalvincent_tensor(path)
            assert t.dtype == getattr(ember, np.dtype(dtype).name) and np.array_equal(t.numpy(), array)
    (tmp_path / "junk").write_bytes(b"\x01\x02\x08\x01" + b"\x00" * 8)
    with pytest.raises(ValueError, match="not an IDX file"):
        datasets.mnist.read_sn3_pascalvincent_tensor(str(tmp_path / "junk"))
    labels = _formats.write_idx(str(tmp_path / "l"), np.zeros((2, 2), np.uint8))
    with pytest.raises(ValueError, match="x should have 1 dimension instead of 2"):
        datasets.mnist.read_label_file(labels)
    floats = _formats.write_idx(str(tmp_path / "f"), np.zeros((2, 2, 2), np.float32))
    with pytest.raises(TypeError, match="x should be of dtype torch.uint8 instead of torch.float32"):
        datasets.mnist.read_image_file(floats)


class _Payload:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.mkdir, (self.path,))


def test_cifar_unpickler_runs_no_code(tmp_path):
    target = str(tmp_path / "created_by_the_pickle")
    payload = pickle.dumps({"data": _Payload(target), "labels": [1]}, protocol=2)
    with pytest.raises(pickle.UnpicklingError, match="refusing to load 'posix.mkdir'"):
        dutils.safe_unpickle(io.BytesIO(payload))
    assert not os.path.exists(target)
    pickle.loads(payload)  # the same bytes do run code under the plain unpickler: the check above means something
    assert os.path.exists(target)
    # a batch written by NumPy 1.x / Python 2 names numpy.core.multiarray: still read
    batch = pickle.dumps(_formats.cifar_batch(2, 0), protocol=2)
    old = batch.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")
    for blob in (batch, old):
        entry = dutils.safe_unpickle(io.BytesIO(blob))
        assert np.array_equal(entry["data"], _formats.cifar_batch(2, 0)["data"])


def test_without_pillow_the_error_names_the_extra(tmp_path):
    _formats.make_mnist(str(tmp_path), "MNIST", n_train=2, n_test=2)
    code = (
        "import sys\nsys.modules['PIL'] = None\n"
        "import ember, ember.vision\nfrom ember.vision import datasets, transforms\n"
        f"d = datasets.MNIST({str(tmp_path)!r})\nprint(len(d), transforms.Normalize((0.5,), (0.5,)))\n"
        "for call in (lambda: d[0], lambda: transforms.ToPILImage()(ember.rand(3, 4, 4))):\n"
        "    try:\n        call()\n    except ModuleNotFoundError as exc:\n        print(exc)\n")
    env = dict(os.environ, PYTHONPATH=str(Path(ember.__file__).resolve().parents[1]))
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    hint = "ember.vision needs Pillow for images: pip install 'ember[vision]' (or pip install pillow)"
    assert proc.stdout.splitlines() == ["2 Normalize(mean=(0.5,), std=(0.5,))", hint, hint]
