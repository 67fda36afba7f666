"""Writers of the standard dataset files, from the formats' specifications (not from any reader):

- IDX (MNIST's): magic 0x00 0x00 <type> <ndim>, ndim big-endian uint32 sizes, the values big-endian;
- CIFAR's python batches: pickled dicts {'data': uint8 [N, 3072] (R plane, G plane, B plane), 'labels' | 'fine_labels'}
  and a meta dict with the class names;
- image folders: root/<class>/<name>.png.
The images are seeded random arrays, so the tests are deterministic.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import pickle
import struct

import numpy as np

IDX_CODES = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09, np.dtype(np.int16): 0x0B,
             np.dtype(np.int32): 0x0C, np.dtype(np.float32): 0x0D, np.dtype(np.float64): 0x0E}


def idx_bytes(array: np.ndarray) -> bytes:
    header = struct.pack(">BBBB", 0, 0, IDX_CODES[array.dtype], array.ndim)
    header += struct.pack(">" + "I" * array.ndim, *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write_idx(path: str, array: np.ndarray, gz: bool = False) -> str:
    data = idx_bytes(array)
    if gz:
        path += ".gz"
        data = gzip.compress(data, mtime=0)
    with open(path, "wb") as f:
        f.write(data)
    return path


def mnist_arrays(n: int, seed: int):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n, dtype=np.uint8)
    return images, labels


def make_mnist(root: str, name: str = "MNIST", n_train: int = 20, n_test: int = 10, gz: bool = False,
               seed: int = 0) -> dict:
    """root/<name>/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]; returns {file name: md5}."""
    raw = os.path.join(root, name, "raw")
    os.makedirs(raw, exist_ok=True)
    md5s = {}
    for split, n, s in (("train", n_train, seed), ("t10k", n_test, seed + 1)):
        images, labels = mnist_arrays(n, s)
        for kind, array in (("images-idx3", images), ("labels-idx1", labels)):
            path = write_idx(os.path.join(raw, f"{split}-{kind}-ubyte"), array, gz=gz)
            md5s[os.path.basename(path)] = md5(path)
    return md5s


def md5(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


CIFAR10_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def cifar_batch(n: int, seed: int, fine: bool = False) -> dict:
    rng = np.random.default_rng(seed)
    data = rng.integers(0, 256, size=(n, 3072), dtype=np.uint8)
    labels = [int(x) for x in rng.integers(0, 100 if fine else 10, size=n)]
    batch = {"batch_label": f"batch {seed}", "data": data, "filenames": [f"img_{i}.png" for i in range(n)]}
    if fine:
        batch["fine_labels"] = labels
        batch["coarse_labels"] = [x // 5 for x in labels]
    else:
        batch["labels"] = labels
    return batch


def make_cifar10(root: str, per_batch: int = 4, seed: int = 0) -> dict:
    """root/cifar-10-batches-py/{data_batch_1..5, test_batch, batches.meta}; returns {file name: md5}."""
    folder = os.path.join(root, "cifar-10-batches-py")
    os.makedirs(folder, exist_ok=True)
    files = {f"data_batch_{i}": cifar_batch(per_batch, seed + i) for i in range(1, 6)}
    files["test_batch"] = cifar_batch(per_batch, seed + 10)
    files["batches.meta"] = {"label_names": CIFAR10_NAMES, "num_cases_per_batch": per_batch, "num_vis": 3072}
    return _dump_all(folder, files)


def make_cifar100(root: str, n_train: int = 6, n_test: int = 4, seed: int = 0) -> dict:
    folder = os.path.join(root, "cifar-100-python")
    os.makedirs(folder, exist_ok=True)
    files = {"train": cifar_batch(n_train, seed, fine=True), "test": cifar_batch(n_test, seed + 1, fine=True),
             "meta": {"fine_label_names": [f"fine_{i}" for i in range(100)],
                      "coarse_label_names": [f"coarse_{i}" for i in range(20)]}}
    return _dump_all(folder, files)


def _dump_all(folder: str, files: dict) -> dict:
    md5s = {}
    for name, obj in files.items():
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            pickle.dump(obj, f, protocol=2)  # the protocol of the original (Python 2) batches
        md5s[name] = md5(path)
    return md5s


def patch_cifar_md5s(cls, md5s: dict) -> None:
    """Point a CIFAR class (torchvision's or ember's) at generated files: their MD5s replace the real ones."""
    cls.train_list = [[name, md5s[name]] for name, _ in cls.train_list]
    cls.test_list = [[name, md5s[name]] for name, _ in cls.test_list]
    cls.meta = {**cls.meta, "md5": md5s[cls.meta["filename"]]}


def make_image_folder(root: str, classes=("cat", "dog", "eel"), per_class: int = 3, seed: int = 0,
                      size=(12, 10)) -> str:
    """root/<class>/<i>.png (RGB), one nested sub-folder, one file with a non-image extension."""
    from PIL import Image
    rng = np.random.default_rng(seed)
    for c in classes:
        os.makedirs(os.path.join(root, c, "nested"), exist_ok=True)
        for i in range(per_class):
            sub = "nested" if i == per_class - 1 else ""
            array = rng.integers(0, 256, size=(size[0], size[1], 3), dtype=np.uint8)
            Image.fromarray(array).save(os.path.join(root, c, sub, f"{i}.png"))
        with open(os.path.join(root, c, "notes.txt"), "w") as f:
            f.write("not an image")
    return root
