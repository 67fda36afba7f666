"""Catalogue entries of ember.nn.functional's normalisation, dropout, embedding, sampling and attention functions
(ember.nn.functional, ember.nn._functional_sampling, ember.nn._functional_seq; see op_catalogue.py).

Dropouts draw from the generator: their ops seed it (ember's stream is PyTorch's), so the mask is the same in both
libraries and in every finite-difference evaluation. Running statistics are inputs that do not require grad; the
entries return them after the call, so that their in-place update is compared with PyTorch's."""

from __future__ import annotations

import numpy as np
from catalogue_activation import seeded
from op_catalogue import Layout, OpInfo, Sample, uniform


def F(lib):
    return lib.nn.functional


def _fn(name):
    return lambda lib, *a, **kw: getattr(F(lib), name)(*a, **kw)


# -- normalisation -------------------------------------------------------------------------------------------------

def _batch_norm(lib, x, rm, rv, w=None, b=None, **kw):
    return F(lib).batch_norm(x, rm, rv, w, b, **kw)


def _batch_norm_stats(lib, x, rm, rv, w=None, b=None, **kw):
    """The running statistics after the call (their in-place update), beside the output."""
    y = F(lib).batch_norm(x, rm, rv, w, b, **kw)
    return (y, rm, rv) if rm is not None else y


def _batch_norm_samples(rng, dtype):
    def stats(c):
        return uniform(rng, (c,), dtype), uniform(rng, (c,), dtype, 0.5, 2)
    rm, rv = stats(3)
    w, b = uniform(rng, (3,), dtype), uniform(rng, (3,), dtype)
    g = (0, 3, 4)
    yield Sample((uniform(rng, (4, 3), dtype), rm, rv, w, b), {"training": True}, name="train 2-d", grad=g)
    yield Sample((uniform(rng, (2, 3, 5), dtype), rm, rv, w, b), {"training": True, "momentum": 0.3}, name="train 3-d",
                 grad=g)
    yield Sample((uniform(rng, (2, 3, 2, 2), dtype), rm, rv, w, b), {"training": True}, name="train 4-d", grad=g)
    yield Sample((uniform(rng, (4, 3), dtype), rm, rv, w, b), {"training": False}, name="eval", grad=g)
    yield Sample((uniform(rng, (2, 3, 4), dtype), rm, rv), {"training": False, "eps": 0.1}, name="eval no affine",
                 grad=(0,))
    yield Sample((uniform(rng, (4, 3), dtype), None, None, w, b), {"training": True}, name="no running stats",
                 grad=(0, 3, 4))
    yield Sample((Layout(uniform(rng, (3, 4), dtype), "T"), rm, rv, w, b), {"training": True}, name="T", grad=g)
    yield Sample((uniform(rng, (4, 3), dtype, 50, 51), rm, rv), {"training": True}, name="large mean", grad=(0,))


def _batch_norm_errors(rng, dtype):
    yield Sample((uniform(rng, (1, 3), dtype), None, None), {"training": True}, name="one value per channel")
    yield Sample((uniform(rng, (4, 3), dtype), uniform(rng, (2,), dtype), uniform(rng, (2,), dtype, 0.5, 2)),
                 {"training": False}, name="stats size")


def _instance_norm(lib, x, rm=None, rv=None, w=None, b=None, **kw):
    return F(lib).instance_norm(x, rm, rv, w, b, **kw)


def _instance_norm_stats(lib, x, rm=None, rv=None, w=None, b=None, **kw):
    y = F(lib).instance_norm(x, rm, rv, w, b, **kw)
    return (y, rm, rv) if rm is not None else y


def _instance_norm_samples(rng, dtype):
    w, b = uniform(rng, (3,), dtype), uniform(rng, (3,), dtype)
    rm, rv = uniform(rng, (3,), dtype), uniform(rng, (3,), dtype, 0.5, 2)
    yield Sample((uniform(rng, (2, 3, 5), dtype),), name="plain")
    yield Sample((uniform(rng, (2, 3, 2, 3), dtype), None, None, w, b), name="affine", grad=(0, 3, 4))
    yield Sample((uniform(rng, (2, 3, 4), dtype), rm, rv, w, b), name="running stats", grad=(0, 3, 4))
    yield Sample((uniform(rng, (2, 3, 4), dtype), rm, rv), {"use_input_stats": False}, name="use running stats",
                 grad=(0,))


def _group_norm_samples(rng, dtype):
    w, b = uniform(rng, (4,), dtype), uniform(rng, (4,), dtype)
    yield Sample((uniform(rng, (2, 4, 3), dtype), 2, w, b), name="2 groups")
    yield Sample((uniform(rng, (2, 4, 2, 2), dtype), 4, w, b), name="4 groups 4-d")
    yield Sample((uniform(rng, (3, 4), dtype), 1), name="1 group no affine")
    yield Sample((uniform(rng, (2, 4, 3), dtype), 2, w, b, 0.1), name="eps")
    yield Sample((Layout(uniform(rng, (4, 2), dtype), "T"), 2, w, b), name="T")


def _group_norm_errors(rng, dtype):
    yield Sample((uniform(rng, (2, 4, 3), dtype), 3), name="groups do not divide channels")


def _layer_norm_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), (4,), uniform(rng, (4,), dtype), uniform(rng, (4,), dtype)),
                 name="last dim")
    yield Sample((uniform(rng, (2, 3, 4), dtype), (3, 4), uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype)),
                 name="two dims")
    yield Sample((uniform(rng, (3, 4), dtype), (4,)), name="no affine")
    yield Sample((uniform(rng, (3, 4), dtype), [4], uniform(rng, (4,), dtype)), {"eps": 0.1}, name="weight only")
    yield Sample((Layout(uniform(rng, (4, 3), dtype), "T"), (4,), uniform(rng, (4,), dtype)), name="T")
    yield Sample((uniform(rng, (5,), dtype), (5,), uniform(rng, (5,), dtype), uniform(rng, (5,), dtype)), name="1-d")
    yield Sample((np.full((2, 3), 1.5, dtype=dtype), (3,), uniform(rng, (3,), dtype)), name="constant rows")
    yield Sample((np.zeros((0, 3), dtype=dtype), (3,)), name="empty", forward_only=True)


def _layer_norm_errors(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), (3,)), name="shape")


def _rms_norm_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), (4,), uniform(rng, (4,), dtype)), name="last dim")
    yield Sample((uniform(rng, (2, 3, 4), dtype), (3, 4), uniform(rng, (3, 4), dtype)), {"eps": 0.1}, name="two dims")
    yield Sample((uniform(rng, (3, 4), dtype), (4,)), name="no weight")
    yield Sample((Layout(uniform(rng, (4, 3), dtype), "T"), (4,)), name="T")
    yield Sample((np.zeros((2, 3), dtype=dtype), (3,)), {"eps": 1e-3}, name="zeros")


def _rms_norm_errors(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), (3,)), name="shape")


def _lrn_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 5, 3), dtype), 3), name="3-d")
    yield Sample((uniform(rng, (2, 4, 3, 3), dtype), 2), {"alpha": 0.1, "beta": 0.5, "k": 2.0}, name="4-d")
    yield Sample((uniform(rng, (1, 3, 2, 2, 2), dtype), 3), {"alpha": 0.05}, name="5-d")


def _normalize_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype),), name="default")
    yield Sample((uniform(rng, (3, 4), dtype),), {"dim": 0}, name="dim 0")
    yield Sample((uniform(rng, (3, 4), dtype),), {"p": 1.0, "dim": -1}, name="p 1")
    yield Sample((uniform(rng, (2, 3, 4), dtype),), {"p": 3.0}, name="p 3")
    yield Sample((uniform(rng, (5,), dtype),), {"dim": 0}, name="1-d")
    yield Sample((Layout(uniform(rng, (4, 3), dtype), "T"),), name="T")
    yield Sample((np.array([[0.0, 0.0], [1.0, 2.0]], dtype=dtype),), {"eps": 1e-3}, name="zero row")


# -- dropout -------------------------------------------------------------------------------------------------------

def _dropout(name):
    return lambda lib, x, *a, **kw: seeded(lib, lambda: getattr(F(lib), name)(x, *a, **kw))


def _dropout_inplace(name):
    return lambda lib, x, *a, **kw: seeded(lib, lambda: getattr(F(lib), name)(x.clone(), *a, inplace=True, **kw))


def _dropout_samples(shapes):
    def gen(rng, dtype):
        for shape in shapes:
            yield Sample((uniform(rng, shape, dtype),), {"p": 0.4, "training": True}, name=f"{shape}")
        yield Sample((uniform(rng, shapes[0], dtype),), {"p": 0.5, "training": False}, name="eval")
        yield Sample((uniform(rng, shapes[0], dtype),), {"p": 0.0, "training": True}, name="p 0")
        yield Sample((uniform(rng, shapes[0], dtype),), {"p": 1.0, "training": True}, name="p 1")
    return gen


def _dropout_errors(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype),), {"p": 1.5}, name="p > 1")


def _dropout_entries(name, shapes, known=None):
    gen = _dropout_samples(shapes)
    known = known or {}
    return [OpInfo(f"nn.functional.{name}", _dropout(name), gen, covers=(f"nn.functional.{name}",),
                   errors=_dropout_errors, known=known),
            OpInfo(f"nn.functional.{name}(inplace=True)", _dropout_inplace(name), gen, covers=(), known=known)]


# -- embeddings ----------------------------------------------------------------------------------------------------

def _embedding_samples(rng, dtype):
    w = uniform(rng, (6, 3), dtype)
    yield Sample((np.array([0, 2, 5, 2]), w), name="1-d")
    yield Sample((np.array([[0, 1], [5, 5]]), w), name="2-d")
    yield Sample((np.array(3), w), name="0-d")


def _embedding_padding_samples(rng, dtype):
    w = uniform(rng, (6, 3), dtype)
    yield Sample((np.array([0, 2, 5, 2]), w), {"padding_idx": 2}, name="padding_idx")
    yield Sample((np.array([0, 2, 5, 2]), w), {"padding_idx": -1}, name="padding_idx -1")
    yield Sample((np.array([0, 2, 5, 2]), w), {"scale_grad_by_freq": True}, name="scale_grad_by_freq")
    yield Sample((np.array([0, 2, 5]), w * 3), {"max_norm": 1.0}, name="max_norm", forward_only=True)


def _embedding_errors(rng, dtype):
    yield Sample((np.array([0, 6]), uniform(rng, (6, 3), dtype)), name="index out of range")
    yield Sample((np.array([0.0, 1.0]), uniform(rng, (6, 3), dtype)), name="float indices")


def _embedding_bag(lib, idx, w, offsets=None, psw=None, **kw):
    return F(lib).embedding_bag(idx, w, offsets, per_sample_weights=psw, **kw)


def _embedding_bag_samples(rng, dtype):
    w = uniform(rng, (6, 3), dtype)
    idx = np.array([0, 2, 5, 2, 1, 4])
    off = np.array([0, 2, 2, 5])
    for mode in ("sum", "mean", "max"):
        yield Sample((idx, w, off), {"mode": mode}, name=f"offsets {mode}")
        yield Sample((idx.reshape(2, 3), w), {"mode": mode}, name=f"2-d {mode}")
    yield Sample((idx, w, off, uniform(rng, (6,), dtype)), {"mode": "sum"}, name="per_sample_weights")
    yield Sample((idx, w, np.array([0, 2, 6])), {"include_last_offset": True}, name="include_last_offset")
    yield Sample((idx, w, off), {"padding_idx": 2, "mode": "mean"}, name="padding_idx")


def _embedding_bag_errors(rng, dtype):
    yield Sample((np.array([0, 2, 5]), uniform(rng, (6, 3), dtype), np.array([1, 2])), name="offsets[0] != 0")


def _one_hot_samples(rng, dtype):
    yield Sample((np.array([0, 2, 1, 2]),), name="inferred")
    yield Sample((np.array([[0, 2], [1, 3]]), 5), name="2-d")
    yield Sample((np.array(1), 3), name="0-d")
    yield Sample((np.zeros((0,), dtype=np.int64), 3), name="empty")


def _one_hot_errors(rng, dtype):
    yield Sample((np.array([0, 3]), 3), name="class out of range")
    yield Sample((np.array([-1, 1]),), name="negative")


# -- sampling ------------------------------------------------------------------------------------------------------

def _interp_samples(rng, dtype):
    x3, x4, x5 = uniform(rng, (1, 2, 5), dtype), uniform(rng, (1, 2, 3, 4), dtype), uniform(rng, (1, 1, 2, 3, 2), dtype)
    yield Sample((x3,), {"scale_factor": 2, "mode": "nearest"}, name="nearest 1-d")
    yield Sample((x4,), {"size": (5, 3), "mode": "nearest"}, name="nearest 2-d size")
    yield Sample((x4,), {"size": (5, 7), "mode": "nearest-exact"}, name="nearest-exact")
    yield Sample((x3,), {"size": 8, "mode": "linear", "align_corners": False}, name="linear")
    yield Sample((x3,), {"size": 3, "mode": "linear", "align_corners": True}, name="linear align")
    yield Sample((x4,), {"scale_factor": 1.5, "mode": "bilinear", "align_corners": False}, name="bilinear 1.5")
    yield Sample((x4,), {"size": (2, 6), "mode": "bilinear", "align_corners": True}, name="bilinear align")
    yield Sample((x4,), {"size": (2, 3), "mode": "bilinear", "antialias": True}, name="bilinear antialias")
    yield Sample((x4,), {"size": (5, 6), "mode": "bicubic", "align_corners": False}, name="bicubic")
    yield Sample((x4,), {"size": (2, 2), "mode": "bicubic", "antialias": True}, name="bicubic antialias")
    yield Sample((x5,), {"scale_factor": 2, "mode": "trilinear"}, name="trilinear")
    yield Sample((x4,), {"size": (2, 3), "mode": "area"}, name="area")
    yield Sample((x4,), {"scale_factor": 0.5, "mode": "bilinear", "recompute_scale_factor": True},
                 name="recompute_scale_factor")


def _interp_errors(rng, dtype):
    yield Sample((uniform(rng, (1, 2, 5), dtype),), {"size": 3, "scale_factor": 2}, name="size and scale")
    yield Sample((uniform(rng, (1, 2, 5), dtype),), {"size": 3, "mode": "bilinear"}, name="mode for 3-d")
    yield Sample((uniform(rng, (1, 2, 5), dtype),), {"size": 3, "mode": "cubic"}, name="unknown mode")


def _upsample_samples(rng, dtype):
    yield Sample((uniform(rng, (1, 2, 3, 4), dtype),), {"scale_factor": 2}, name="scale")
    yield Sample((uniform(rng, (1, 2, 3, 4), dtype),), {"size": (4, 5)}, name="size")


def _grid_sample(lib, x, grid, **kw):
    return F(lib).grid_sample(x, grid, **kw)


def _grid_samples(rng, dtype):
    x4 = uniform(rng, (1, 2, 3, 4), dtype)
    g4 = uniform(rng, (1, 2, 3, 2), dtype, -1.2, 1.2)
    for mode in ("bilinear", "nearest", "bicubic"):
        for pad in ("zeros", "border", "reflection"):
            yield Sample((x4, g4), {"mode": mode, "padding_mode": pad, "align_corners": False},
                         name=f"{mode} {pad}", grad=None if mode != "nearest" else (0,))
    yield Sample((x4, g4), {"align_corners": True}, name="align_corners")
    yield Sample((uniform(rng, (1, 1, 2, 3, 2), dtype), uniform(rng, (1, 2, 2, 1, 3), dtype, -1, 1)),
                 {"align_corners": False}, name="5-d")


def _affine_grid_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 2, 3), dtype), (2, 1, 3, 4)), {"align_corners": False}, name="2-d")
    yield Sample((uniform(rng, (2, 2, 3), dtype), (2, 1, 3, 4)), {"align_corners": True}, name="2-d align")
    yield Sample((uniform(rng, (1, 3, 4), dtype), (1, 1, 2, 3, 2)), {"align_corners": False}, name="3-d")


def _affine_grid_errors(rng, dtype):
    yield Sample((uniform(rng, (2, 2, 3), dtype), (3, 1, 3, 4)), {"align_corners": False}, name="batch")


# -- attention -----------------------------------------------------------------------------------------------------

def _mha(lib, q, k, v, w_in, b_in, w_out, b_out, *extra, **kw):
    bias_k = bias_v = None
    if extra:
        bias_k, bias_v = extra
    out, weights = F(lib).multi_head_attention_forward(q, k, v, 4, 2, w_in, b_in, bias_k, bias_v,
                                                       kw.pop("add_zero_attn", False), 0.0, w_out, b_out,
                                                       training=False, **kw)
    return (out, weights) if weights is not None else out


def _mha_samples(rng, dtype):
    def params():
        return (uniform(rng, (12, 4), dtype, -1, 1), uniform(rng, (12,), dtype, -1, 1),
                uniform(rng, (4, 4), dtype, -1, 1), uniform(rng, (4,), dtype, -1, 1))
    q, k = uniform(rng, (3, 2, 4), dtype), uniform(rng, (5, 2, 4), dtype)
    yield Sample((q, k, k, *params()), name="cross")
    yield Sample((q, q, q, *params()), {"need_weights": False}, name="self no weights")
    yield Sample((q, k, k, *params()), {"average_attn_weights": False}, name="per-head weights")
    yield Sample((q, k, k, *params()), {"key_padding_mask": np.array([[False, False, True, False, True],
                                                                     [False, False, False, False, False]])},
                 name="key_padding_mask")
    yield Sample((q, q, q, *params()), {"attn_mask": np.triu(np.ones((3, 3), dtype=bool), 1)}, name="attn_mask")
    yield Sample((q, k, k, *params(), uniform(rng, (1, 1, 4), dtype), uniform(rng, (1, 1, 4), dtype)),
                 {"add_zero_attn": True}, name="bias_k bias_v zero_attn")
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (5, 4), dtype), uniform(rng, (5, 4), dtype), *params()),
                 name="unbatched")


def _mha_mask(lib, q, k, v, w_in, b_in, w_out, b_out, **kw):
    for key in ("key_padding_mask", "attn_mask"):
        if key in kw:
            kw[key] = lib.tensor(kw[key])
    return _mha(lib, q, k, v, w_in, b_in, w_out, b_out, **kw)


def _mha_op(lib, *args, **kw):
    return _mha_mask(lib, *args, **kw) if ("key_padding_mask" in kw or "attn_mask" in kw) else _mha(lib, *args, **kw)


PADDING = ("the padding row gets no gradient by definition (in PyTorch too), though the value depends on it: "
           "finite differences disagree; gradients are compared with PyTorch's")
NO_FWAD = "PyTorch has no forward mode for it (the forward_ad check compares its error)"
_NO_FWAD = {c: NO_FWAD for c in ("jvp_vjp", "forward_over_reverse")}
MHA_FWAD = ("need_weights=False goes through scaled_dot_product_attention, where PyTorch refuses forward mode "
            "(flash attention for CPU) and ember differentiates (scaled_dot_product_attention is being rewritten by "
            "another helper)")
RMS_T = ("rms_norm of a transposed input: PyTorch's graph ends in CloneBackward0 (a contiguous copy), ember's in "
         "MulBackward0 (values and gradients agree)")
DROPOUT1D = ("dropout1d of an unbatched (C, L) input: PyTorch unsqueezes and squeezes (grad_fn SqueezeBackward1, "
             "SqueezeBackward4 in place), ember records MulBackward0 (values and gradients agree)")

ENTRIES = [
    OpInfo("nn.functional.batch_norm", _batch_norm, _batch_norm_samples, covers=("nn.functional.batch_norm",),
           errors=_batch_norm_errors),
    OpInfo("nn.functional.batch_norm(running stats)", _batch_norm_stats, _batch_norm_samples, covers=(), grad=False),
    OpInfo("nn.functional.instance_norm", _instance_norm, _instance_norm_samples,
           covers=("nn.functional.instance_norm",)),
    OpInfo("nn.functional.instance_norm(running stats)", _instance_norm_stats, _instance_norm_samples, covers=(),
           grad=False),
    OpInfo("nn.functional.group_norm", _fn("group_norm"), _group_norm_samples, covers=("nn.functional.group_norm",),
           errors=_group_norm_errors),
    OpInfo("nn.functional.layer_norm", _fn("layer_norm"), _layer_norm_samples, covers=("nn.functional.layer_norm",),
           errors=_layer_norm_errors),
    OpInfo("nn.functional.rms_norm", _fn("rms_norm"), _rms_norm_samples, covers=("nn.functional.rms_norm",),
           errors=_rms_norm_errors, known={"backward/float32": RMS_T, "backward/float64": RMS_T}),
    OpInfo("nn.functional.local_response_norm", _fn("local_response_norm"), _lrn_samples,
           covers=("nn.functional.local_response_norm",)),
    OpInfo("nn.functional.normalize", _fn("normalize"), _normalize_samples, covers=("nn.functional.normalize",)),
    *_dropout_entries("dropout", ((3, 4), (5,), ())),
    *_dropout_entries("alpha_dropout", ((3, 4), (5,))),
    *_dropout_entries("feature_alpha_dropout", ((2, 3, 4), (2, 3, 2, 2))),
    *_dropout_entries("dropout1d", ((2, 3, 4), (3, 4)),
                      known={"backward/float32": DROPOUT1D, "backward/float64": DROPOUT1D}),
    *_dropout_entries("dropout2d", ((2, 3, 2, 2), (3, 2, 2))),
    *_dropout_entries("dropout3d", ((2, 3, 2, 2, 1), (3, 2, 1, 2))),
    OpInfo("nn.functional.embedding", _fn("embedding"), _embedding_samples, covers=("nn.functional.embedding",),
           errors=_embedding_errors),
    OpInfo("nn.functional.embedding(padding_idx)", _fn("embedding"), _embedding_padding_samples, covers=(),
           skip={c: PADDING for c in ("gradcheck", "gradgradcheck", "forward_over_reverse", "jvp_vjp")}),
    OpInfo("nn.functional.embedding_bag", _embedding_bag, _embedding_bag_samples,
           covers=("nn.functional.embedding_bag",), errors=_embedding_bag_errors, skip=_NO_FWAD),
    OpInfo("nn.functional.one_hot", _fn("one_hot"), _one_hot_samples, covers=("nn.functional.one_hot",),
           dtypes=(np.int64,), grad=False, errors=_one_hot_errors),
    OpInfo("nn.functional.interpolate", _fn("interpolate"), _interp_samples, covers=("nn.functional.interpolate",),
           errors=_interp_errors),
    OpInfo("nn.functional.upsample", _fn("upsample"), _upsample_samples, covers=("nn.functional.upsample",)),
    OpInfo("nn.functional.upsample_nearest", _fn("upsample_nearest"), _upsample_samples,
           covers=("nn.functional.upsample_nearest",)),
    OpInfo("nn.functional.upsample_bilinear", _fn("upsample_bilinear"), _upsample_samples,
           covers=("nn.functional.upsample_bilinear",)),
    OpInfo("nn.functional.grid_sample", _grid_sample, _grid_samples, covers=("nn.functional.grid_sample",),
           skip=_NO_FWAD),
    OpInfo("nn.functional.affine_grid", _fn("affine_grid"), _affine_grid_samples,
           covers=("nn.functional.affine_grid",), errors=_affine_grid_errors),
    OpInfo("nn.functional.multi_head_attention_forward", _mha_op, _mha_samples,
           covers=("nn.functional.multi_head_attention_forward",), known={"forward_ad": MHA_FWAD}),
]
