"""The comparison cases: each runs the same calls on (ember.vision, ember) or (torchvision, torch).

A case is `fn(tv, torch, root) -> {name: value}` with values converted to NumPy arrays or strings, so the two
libraries' results (or a recorded fixture of torchvision's) compare directly. `root` holds the generated files
(`build_root`); paths in reprs are replaced by '<root>'. TOLERANT lists the outputs compared with a tolerance
(resampling computed in another summation order).
"""

from __future__ import annotations

import io
import os
import random
import re

import _formats
import numpy as np

ROOT_TOKEN = "<root>"


def build_root(root: str) -> str:
    """Every generated file the cases read, under `root`."""
    _formats.make_mnist(os.path.join(root, "raw"), "MNIST", n_train=12, n_test=6, seed=0)
    _formats.make_mnist(os.path.join(root, "gz"), "MNIST", n_train=12, n_test=6, seed=0, gz=True)
    _formats.make_mnist(os.path.join(root, "raw"), "FashionMNIST", n_train=5, n_test=3, seed=5)
    _formats.make_mnist(os.path.join(root, "raw"), "KMNIST", n_train=5, n_test=3, seed=7)
    _formats.make_cifar10(os.path.join(root, "cifar"), per_batch=3, seed=1)
    _formats.make_cifar100(os.path.join(root, "cifar"), n_train=5, n_test=3, seed=2)
    _formats.make_image_folder(os.path.join(root, "folder"))
    return root


def _np(x):
    if hasattr(x, "detach"):
        return x.detach().numpy().copy()
    if hasattr(x, "getbands"):  # a PIL image: its pixels and mode
        return np.asarray(x).copy()
    return np.asarray(x)


def _text(x, root) -> str:
    return re.sub(r" at 0x[0-9a-f]+", " at 0x?", str(x).replace(root, ROOT_TOKEN))


def _cifar(tv, name, root):
    base = getattr(tv.datasets, name)
    md5s = {}
    folder = os.path.join(root, "cifar", base.base_folder)
    for f in os.listdir(folder):
        md5s[f] = _formats.md5(os.path.join(folder, f))
    patched = type(name, (base,), {})
    _formats.patch_cifar_md5s(patched, md5s)
    return patched


def case_mnist(tv, torch, root):
    T = tv.transforms
    tf = T.Compose([T.ToTensor(), T.Normalize((0.1307,), (0.3081,))])
    out = {}
    for sub in ("raw", "gz"):  # torchvision reads only the raw files: ember's reading of .gz is compared with them
        path = os.path.join(root, "raw" if sub == "gz" and tv.__name__ == "torchvision" else sub)
        train = tv.datasets.MNIST(path, train=True, transform=tf)
        test = tv.datasets.MNIST(path, train=False) if sub == "raw" else None
        if sub == "raw":
            out["repr_train"] = _text(train, path)
            out["repr_test"] = _text(test, path)
            out["classes"] = "|".join(train.classes)
            out["class_to_idx"] = str(train.class_to_idx)
            out["data"] = _np(train.data)
            out["targets"] = _np(train.targets)
            out["dtypes"] = f"{train.data.dtype} {train.targets.dtype}"
            img, label = test[2]
            out["pil_test2"] = _np(img)
            out["pil_mode"] = f"{img.mode} {img.size} {type(label).__name__} {label}"
        x, y = train[3]
        out[f"{sub}_item3"] = _np(x)
        out[f"{sub}_label3"] = np.array(y)
        out[f"{sub}_len"] = np.array([len(train)])
    for name in ("FashionMNIST", "KMNIST"):
        d = tv.datasets.__dict__[name](os.path.join(root, "raw"), train=False)
        out[f"{name}_repr"] = _text(d, os.path.join(root, "raw"))
        out[f"{name}_classes"] = "|".join(d.classes)
        out[f"{name}_item"] = _np(d[1][0])
    return out


def case_cifar(tv, torch, root):
    T = tv.transforms
    tf = T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    out = {}
    path = os.path.join(root, "cifar")
    for name in ("CIFAR10", "CIFAR100"):
        cls = _cifar(tv, name, root)
        train = cls(path, train=True, transform=tf, target_transform=lambda t: t * 2)
        test = cls(path, train=False)
        out[f"{name}_repr"] = _text(train, path)
        out[f"{name}_repr_test"] = _text(test, path)
        out[f"{name}_data"] = _np(train.data)
        out[f"{name}_targets"] = np.array(train.targets)
        out[f"{name}_classes"] = "|".join(train.classes)
        out[f"{name}_class_to_idx"] = str(sorted(train.class_to_idx.items())[:5])
        x, y = train[len(train) - 1]
        out[f"{name}_item"] = _np(x)
        out[f"{name}_label"] = np.array(y)
        img, _ = test[0]
        out[f"{name}_pil"] = _np(img)
    return out


def case_folder(tv, torch, root):
    T = tv.transforms
    path = os.path.join(root, "folder")
    out = {}
    d = tv.datasets.ImageFolder(path, transform=T.Compose([T.Resize(8), T.ToTensor()]))
    out["repr"] = _text(d, path)
    out["classes"] = "|".join(d.classes)
    out["class_to_idx"] = str(d.class_to_idx)
    out["samples"] = "|".join(f"{_text(p, path)}:{t}" for p, t in d.samples)
    out["imgs_is_samples"] = str(d.imgs == d.samples)
    out["targets"] = np.array(d.targets)
    for i in (0, 4, 8):
        x, y = d[i]
        out[f"item{i}"] = _np(x)
        out[f"label{i}"] = np.array(y)
    df = tv.datasets.DatasetFolder(path, loader=lambda p: os.path.getsize(p), extensions=(".txt",))
    out["df_samples"] = "|".join(f"{_text(p, path)}:{t}" for p, t in df.samples)
    out["df_item"] = np.array(df[1])
    out["df_repr"] = _text(df, path)
    valid = tv.datasets.ImageFolder(path, is_valid_file=lambda p: p.endswith("0.png"))
    out["valid_samples"] = "|".join(f"{_text(p, path)}:{t}" for p, t in valid.samples)
    return out


def case_fakedata(tv, torch, root):
    T = tv.transforms
    torch.manual_seed(123)
    d = tv.datasets.FakeData(size=4, image_size=(3, 6, 5), num_classes=7, transform=T.ToTensor(),
                             random_offset=3)
    out = {"repr": _text(d, root), "after": _np(torch.rand(3))}
    for i in range(4):
        x, y = d[i]
        out[f"item{i}"] = _np(x)
        out[f"label{i}"] = np.array(y)
    g = tv.datasets.FakeData(size=2, image_size=(1, 4, 4))
    img, _ = g[1]
    out["gray"] = _np(img)
    out["gray_mode"] = img.mode
    return out


def _images(torch, n=6, seed=0):
    """Deterministic RGB uint8 arrays of different sizes."""
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, size=(20 + 3 * i, 26 - 2 * i, 3), dtype=np.uint8) for i in range(n)]


def _pipelines(T):
    I = T.InterpolationMode
    return {
        "crop_flip": T.Compose([T.RandomCrop(16, padding=4), T.RandomHorizontalFlip(), T.RandomVerticalFlip(0.3)]),
        "crop_pad_modes": T.Compose([T.RandomCrop((18, 30), pad_if_needed=True, padding_mode="reflect"),
                                     T.Pad((1, 2, 3, 4), padding_mode="symmetric"), T.Pad(2, padding_mode="edge"),
                                     T.Pad([3, 1], fill=7)]),
        "resized_crop": T.RandomResizedCrop(12),
        "resized_crop_nearest": T.RandomResizedCrop((9, 14), scale=(0.3, 0.9), ratio=(0.5, 2.0),
                                                    interpolation=I.NEAREST),
        "rotation": T.RandomRotation(35),
        "rotation_bilinear": T.RandomRotation((-80, 10), interpolation=I.BILINEAR, expand=True, fill=(9, 99, 199)),
        "jitter": T.ColorJitter(brightness=0.5, contrast=0.4, saturation=0.3, hue=0.2),
        "jitter_some": T.ColorJitter(contrast=(0.2, 1.8), hue=(-0.5, 0.1)),
        "gray": T.Compose([T.Grayscale(3), T.RandomGrayscale(0.5)]),
        "resize_center": T.Compose([T.Resize(17), T.CenterCrop(15), T.CenterCrop((30, 10))]),
        "resize_bicubic": T.Resize((11, 31), interpolation=I.BICUBIC),
        "apply_order": T.Compose([T.RandomApply([T.RandomHorizontalFlip(1.0), T.Grayscale()], p=0.5),
                                  T.RandomOrder([T.CenterCrop(10), T.Pad(1)])]),
        "lambda": T.Lambda(lambda img: img.rotate(90)),
        "choice": T.RandomChoice([T.Pad(1), T.Grayscale(), T.RandomHorizontalFlip()], p=[0.2, 0.5, 0.3]),
    }


def case_transforms_pil(tv, torch, root):
    from PIL import Image
    T = tv.transforms
    out = {}
    images = [Image.fromarray(a) for a in _images(torch)]
    for name, pipeline in _pipelines(T).items():
        torch.manual_seed(7)
        random.seed(7)
        for k, img in enumerate(images):
            res = pipeline(img)
            out[f"{name}_{k}"] = _np(res)
            if k == 0:
                out[f"{name}_mode"] = f"{res.mode} {res.size}"
        out[f"{name}_stream"] = _np(torch.rand(2))  # the generator advanced exactly as torchvision's
        out[f"{name}_repr"] = repr(pipeline)
    img = images[1]
    t = T.ToTensor()(img)
    out["to_tensor"] = _np(t)
    out["to_tensor_dtype"] = str(t.dtype)
    out["pil_to_tensor"] = _np(T.PILToTensor()(img))
    out["pil_to_tensor_dtype"] = str(T.PILToTensor()(img).dtype)
    out["gray_to_tensor"] = _np(T.ToTensor()(img.convert("L")))
    out["bw_to_tensor"] = _np(T.ToTensor()(img.convert("1")))
    out["i_to_tensor"] = _np(T.PILToTensor()(img.convert("I")))
    out["ndarray_to_tensor"] = _np(T.ToTensor()(_images(torch)[2]))
    out["f_ndarray_to_tensor"] = _np(T.ToTensor()(_images(torch)[2].astype(np.float32)))
    back = T.ToPILImage()(t)
    out["round_trip"] = _np(back)
    out["round_trip_mode"] = back.mode
    out["to_pil_gray"] = _np(T.ToPILImage()(t[:1]))
    out["to_pil_uint8"] = _np(T.ToPILImage()(T.PILToTensor()(img)))
    out["to_pil_F"] = _np(T.ToPILImage(mode="F")(t[0]))
    out["to_pil_la_mode"] = T.ToPILImage()(T.PILToTensor()(img.convert("LA"))).mode
    out["to_pil_rgba_mode"] = T.ToPILImage()(T.PILToTensor()(img.convert("RGBA"))).mode
    return out


def case_transforms_tensor(tv, torch, root):
    T = tv.transforms
    F = T.functional
    out = {}
    images = [T.ToTensor()(a) for a in _images(torch, n=3)]
    seeded = {
        "crop_flip": _pipelines(T)["crop_flip"],
        "resized_crop": T.RandomResizedCrop(12, antialias=True),
        "resized_crop_noaa": T.RandomResizedCrop(12, antialias=False),
        "rotation": T.RandomRotation(35),
        "rotation_bilinear": T.RandomRotation((-80, 10), interpolation=T.InterpolationMode.BILINEAR, expand=True,
                                              fill=0.5),
        "jitter": T.ColorJitter(brightness=0.5, contrast=0.4, saturation=0.3, hue=0.2),
        "gray": T.RandomGrayscale(0.5),
        "normalize": T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
        "resize": T.Resize(13),
        "resize_up": T.Resize((25, 29)),
        "resize_nearest": T.Resize((7, 30), interpolation=T.InterpolationMode.NEAREST),
        "resize_bicubic": T.Resize((14, 9), interpolation=T.InterpolationMode.BICUBIC),
        "resize_bicubic_up": T.Resize((27, 23), interpolation=T.InterpolationMode.BICUBIC),
        "center": T.CenterCrop((25, 30)),
        "pads": T.Compose([T.Pad((1, 2, 3, 4), padding_mode="reflect"), T.Pad(2, padding_mode="symmetric"),
                           T.Pad([3, 1], fill=0.25), T.Pad(1, padding_mode="edge")]),
    }
    for name, pipeline in seeded.items():
        torch.manual_seed(11)
        for k, img in enumerate(images):
            out[f"{name}_{k}"] = _np(pipeline(img))
        out[f"{name}_stream"] = _np(torch.rand(2))
    u8 = T.PILToTensor()(__import__("PIL.Image", fromlist=["Image"]).fromarray(_images(torch)[3]))
    out["u8_resize"] = _np(F.resize(u8, [9, 11]))
    out["u8_rotate"] = _np(F.rotate(u8, 30.0))
    out["u8_jitter"] = _np(F.adjust_hue(F.adjust_saturation(F.adjust_contrast(F.adjust_brightness(u8, 1.3), 0.7),
                                                            1.4), -0.15))
    out["u8_gray"] = _np(F.rgb_to_grayscale(u8))
    out["u8_to_float"] = _np(T.ConvertImageDtype(torch.float32)(u8))
    out["float_to_u8"] = _np(F.convert_image_dtype(images[0], torch.uint8))
    out["u8_to_i16"] = _np(F.convert_image_dtype(u8, torch.int16))
    out["i16_to_u8"] = _np(F.convert_image_dtype(F.convert_image_dtype(u8, torch.int16), torch.uint8))
    out["crop_outside"] = _np(F.crop(images[0], -2, 3, 10, 30))
    out["batch_hflip"] = _np(F.hflip(torch.stack([images[0][:, :20, :20], images[1][:, :20, :20]])))
    out["invert"] = _np(F.invert(u8))
    return out


def case_reprs(tv, torch, root):
    T = tv.transforms
    I = T.InterpolationMode
    items = [T.ToTensor(), T.PILToTensor(), T.ConvertImageDtype(torch.float64), T.ToPILImage(), T.ToPILImage("RGB"),
             T.Normalize([0.5, 0.25], [0.1, 0.2], inplace=True), T.Resize(32), T.Resize((3, 4), I.NEAREST, None, False),
             T.CenterCrop(10), T.CenterCrop([5, 7]), T.RandomCrop(32, padding=4), T.RandomCrop([3]),
             T.RandomHorizontalFlip(), T.RandomVerticalFlip(0.25), T.RandomResizedCrop(224),
             T.RandomResizedCrop((5, 6), scale=(0.123456, 0.9), ratio=(0.5, 1.0), interpolation=I.BICUBIC),
             T.RandomRotation(10), T.RandomRotation((1, 2), expand=True, center=(1, 1), fill=3),
             T.ColorJitter(), T.ColorJitter(0.1, 0.2, 0.3, 0.4), T.ColorJitter(brightness=(0.5, 1.5)),
             T.Grayscale(), T.Grayscale(3), T.RandomGrayscale(), T.Pad(4), T.Pad((1, 2), fill=(1, 2, 3)),
             T.Lambda(lambda x: x), T.RandomApply([T.Grayscale()], p=0.3), T.RandomOrder([T.Pad(1)]),
             T.RandomChoice([T.Pad(1), T.Grayscale()], p=[0.2, 0.8]),
             T.Compose([T.Compose([T.ToTensor()]), T.Normalize((0.5,), (0.5,))])]
    return {f"r{i}": repr(t) for i, t in enumerate(items)}


def case_utils(tv, torch, root):
    torch.manual_seed(3)
    batch = torch.rand(5, 3, 6, 4)
    gray = torch.rand(3, 1, 5, 5) * 4 - 2
    out = {"grid": _np(tv.utils.make_grid(batch)),
           "grid_nrow": _np(tv.utils.make_grid(batch, nrow=2, padding=1, pad_value=0.5)),
           "grid_norm": _np(tv.utils.make_grid(gray, normalize=True)),
           "grid_range": _np(tv.utils.make_grid(gray, normalize=True, value_range=(-1, 1), scale_each=True)),
           "grid_each": _np(tv.utils.make_grid(gray, normalize=True, scale_each=True, nrow=1)),
           "grid_list": _np(tv.utils.make_grid([batch[0], batch[1]], padding=0)),
           "grid_single": _np(tv.utils.make_grid(batch[0, :1])),
           "grid_2d": _np(tv.utils.make_grid(batch[0, 0]))}
    buffer = io.BytesIO()
    tv.utils.save_image(batch, buffer, format="png", nrow=3)
    from PIL import Image
    buffer.seek(0)
    out["saved"] = np.asarray(Image.open(buffer).convert("RGB")).copy()
    return out


def case_errors(tv, torch, root):
    T = tv.transforms
    out = {}
    img = torch.rand(3, 8, 8)
    attempts = {
        "normalize_std0": lambda: T.Normalize((0.5,), (0.0,))(img),
        "normalize_int": lambda: T.Normalize((0.5,), (1.0,))(torch.zeros(1, 2, 2, dtype=torch.uint8)),
        "normalize_2d": lambda: T.Normalize((0.5,), (1.0,))(torch.zeros(2, 2)),
        "crop_too_big": lambda: T.RandomCrop(10)(img),
        "to_tensor_type": lambda: T.ToTensor()([1, 2]),
        "to_pil_channels": lambda: T.ToPILImage()(torch.rand(5, 4, 4)),
        "resize_type": lambda: T.Resize("big"),
        "jitter_neg": lambda: T.ColorJitter(brightness=-1),
        "jitter_hue": lambda: T.ColorJitter(hue=0.7),
        "pad_mode": lambda: T.Pad(1, padding_mode="wrap"),
        "float_to_int32": lambda: T.ConvertImageDtype(torch.int32)(img),
        "mnist_missing": lambda: tv.datasets.MNIST(os.path.join(root, "nothing")),
        "cifar_missing": lambda: tv.datasets.CIFAR10(os.path.join(root, "nothing")),
        "cifar_corrupt": lambda: tv.datasets.CIFAR10(os.path.join(root, "cifar")),
        "folder_empty": lambda: tv.datasets.ImageFolder(os.path.join(root, "raw", "MNIST", "raw")),
        "fake_index": lambda: tv.datasets.FakeData(size=2)[2],
        "grid_type": lambda: tv.utils.make_grid([img, 3]),
    }
    for name, call in attempts.items():
        try:
            call()
            out[name] = "no error"
        except Exception as exc:  # noqa: BLE001 -- the class and message are what is compared
            out[name] = f"{type(exc).__name__}: {_text(exc, root)}"
    return out


CASES = {name[5:]: fn for name, fn in dict(globals()).items() if name.startswith("case_")}

# outputs compared with a tolerance: resampling of float tensors (other summation order than torch's kernels)
TOLERANT = ("transforms_tensor:resized_crop", "transforms_tensor:resize", "transforms_tensor:rotation_bilinear",
            "transforms_tensor:jitter", "transforms_tensor:u8_")


def is_tolerant(case: str, key: str) -> bool:
    return any(f"{case}:{key}".startswith(prefix) for prefix in TOLERANT)
