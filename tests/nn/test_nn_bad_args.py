"""Bad arguments to nn.functional beyond the generated probe (tests/robust/gen_bad_calls.py): each call raises
PyTorch's exception class with PyTorch's message, in PyTorch's order of checks; the valid neighbours of those
calls (NumPy ints, lists, 1-D weights and targets, mixed float16 input with float32 parameters) answer what
PyTorch answers. Compared live with PyTorch, or with tests/fixtures/nn_bad_args.json where PyTorch is absent
(``python tests/nn/test_nn_bad_args.py`` records it)."""

from __future__ import annotations

import json
import pathlib
import warnings

import numpy as np
import pytest

import ember

FIXTURE = pathlib.Path(__file__).parent.parent / "fixtures" / "nn_bad_args.json"


def _o(L, *shape, dt="float32"):
    return L.ones(*shape, dtype=getattr(L, dt))


def _i(L, *values):
    return L.tensor(list(values), dtype=L.int64)


def F(L):
    return L.nn.functional


def _res(t):
    """a comparable summary of a returned tensor: shape, dtype name, values rounded"""
    return [list(t.shape), str(t.dtype).split(".")[-1], np.round(np.asarray(t.detach().tolist(), dtype=float), 4)
            .tolist()]


CALLS = [
    # convolution: the binding's TypeErrors, PyTorch's order of checks, the kernels' dtype refusals
    ("conv2d stride str", lambda L: F(L).conv2d(_o(L, 1, 2, 5, 5), _o(L, 3, 2, 3, 3), _o(L, 3), "a")),
    ("conv2d groups str", lambda L: F(L).conv2d(_o(L, 1, 2, 5, 5), _o(L, 3, 2, 3, 3), None, 2, 0, 1, "a")),
    ("conv2d seven arguments, tuples", lambda L: F(L).conv2d(_o(L, 1, 2, 5, 5), _o(L, 3, 2, 3, 3), _o(L, 3), (1, 1),
                                                             [0, 0], (1, 1), "a")),
    ("conv2d seven arguments, list weight", lambda L: F(L).conv2d(_o(L, 1, 2, 5, 5), [1.0], _o(L, 3), 2, 1, 1, 2)),
    ("conv2d None input bias None stride", lambda L: F(L).conv2d(None, _o(L, 3, 2, 3, 3), None, 2)),
    ("conv2d bias dtype before rank", lambda L: F(L).conv2d(_o(L, 2, 5, 5, 5, 5, dt="float64"), _o(L, 3, 2, 3, 3),
                                                            _o(L, 3))),
    ("conv2d bias dtype before groups", lambda L: F(L).conv2d(_o(L, 1, 2, 5, 5, dt="float64"), _o(L, 3, 2, 3, 3),
                                                              _o(L, 3), groups=0)),
    ("conv2d bias size", lambda L: F(L).conv2d(_o(L, 1, 2, 5, 5), _o(L, 3, 2, 3, 3), _o(L, 4))),
    ("conv2d weight 2-d", lambda L: F(L).conv2d(_o(L, 1, 2, 5, 5), _o(L, 3, 2), groups=0)),
    ("conv2d weight 5-d stride list", lambda L: F(L).conv2d(_o(L, 1, 2, 5, 5), _o(L, 3, 2, 3, 3, 3),
                                                            stride=(1, 1, 1))),
    ("conv2d groups 4", lambda L: F(L).conv2d(_o(L, 1, 2, 5, 5), _o(L, 3, 2, 3, 3), groups=4)),
    ("conv2d zero dilation", lambda L: F(L).conv2d(_o(L, 1, 2, 5, 5), _o(L, 3, 2, 3, 3), dilation=(1, 0))),
    ("conv2d zero dilation bool", lambda L: F(L).conv2d(_o(L, 1, 2, 5, 5, dt="bool"), _o(L, 3, 2, 3, 3),
                                                        dilation=0)),
    ("conv1d zero dilation", lambda L: F(L).conv1d(_o(L, 1, 2, 5), _o(L, 3, 2, 3), dilation=0)),
    ("conv1d negative dilation", lambda L: F(L).conv1d(_o(L, 1, 2, 5), _o(L, 3, 2, 3), dilation=-1)),
    ("conv3d zero dilation", lambda L: F(L).conv3d(_o(L, 1, 2, 5, 5, 5), _o(L, 3, 2, 3, 3, 3), dilation=0)),
    ("conv1d int32 input", lambda L: F(L).conv1d(_o(L, 1, 2, 5, dt="int32"), _o(L, 3, 2, 3))),
    ("conv3d empty kernel bool", lambda L: F(L).conv3d(_o(L, 1, 2, 4, 4, 4, dt="bool"), _o(L, 3, 2, 3, 3, 0))),
    ("conv2d empty width", lambda L: F(L).conv2d(_o(L, 1, 2, 5, 0), _o(L, 3, 2, 3, 3))),
    ("conv2d long", lambda L: _res(F(L).conv2d(_o(L, 1, 2, 5, 5, dt="int64"), _o(L, 3, 2, 3, 3, dt="int64")))),
    ("conv2d numpy stride", lambda L: _res(F(L).conv2d(_o(L, 1, 2, 5, 5), _o(L, 3, 2, 3, 3), stride=np.int64(2)))),
    ("conv2d same, double bias", lambda L: _res(F(L).conv2d(_o(L, 1, 2, 5, 5), _o(L, 3, 2, 3, 3),
                                                            _o(L, 3, dt="float64"), padding="same"))),
    ("convT stride str kw", lambda L: F(L).conv_transpose2d(_o(L, 1, 2, 4, 4), _o(L, 2, 3, 3, 3), stride="a")),
    ("convT stride float tuple", lambda L: F(L).conv_transpose2d(_o(L, 1, 2, 4, 4), _o(L, 2, 3, 3, 3),
                                                                 stride=(1.5, 1))),
    ("convT groups float", lambda L: F(L).conv_transpose2d(_o(L, 1, 2, 4, 4), _o(L, 2, 3, 3, 3), groups=1.5)),
    ("convT zero dilation", lambda L: F(L).conv_transpose2d(_o(L, 1, 2, 4, 4), _o(L, 2, 3, 3, 3), dilation=0)),
    ("convT1d zero dilation", lambda L: F(L).conv_transpose1d(_o(L, 1, 2, 4), _o(L, 2, 3, 3), dilation=0)),
    ("convT negative output_padding", lambda L: F(L).conv_transpose2d(_o(L, 1, 2, 4, 4), _o(L, 2, 3, 3, 3),
                                                                      output_padding=-1)),
    ("convT empty batch", lambda L: _res(F(L).conv_transpose2d(_o(L, 0, 2, 5, 5), _o(L, 2, 3, 3, 3)))),
    ("convT1d bool", lambda L: F(L).conv_transpose1d(_o(L, 1, 2, 4, dt="bool"), _o(L, 2, 3, 3))),
    ("convT3d empty kernel", lambda L: F(L).conv_transpose3d(_o(L, 1, 2, 4, 4, 4), _o(L, 2, 3, 3, 3, 0))),
    # pooling
    ("max_pool2d return_indices kernel float", lambda L: F(L).max_pool2d(_o(L, 1, 2, 6, 6), 2.5,
                                                                         return_indices=True)),
    ("max_pool2d dilation float", lambda L: F(L).max_pool2d(_o(L, 1, 2, 6, 6), 2, 2, 0, 1.5)),
    ("max_pool1d return_indices stride float", lambda L: F(L).max_pool1d(_o(L, 1, 2, 6), 2, return_indices=True,
                                                                         stride=1.5)),
    ("max_pool2d bool 5-d", lambda L: F(L).max_pool2d(_o(L, 1, 2, 6, 6, 2, dt="bool"), 2)),
    ("avg_pool2d bool 5-d", lambda L: F(L).avg_pool2d(_o(L, 1, 2, 6, 6, 2, dt="bool"), 2)),
    ("avg_pool2d uint8", lambda L: F(L).avg_pool2d(_o(L, 1, 2, 6, 6, dt="uint8"), 2)),
    ("avg_pool2d long", lambda L: _res(F(L).avg_pool2d(_o(L, 1, 2, 6, 6, dt="int64"), 2))),
    ("avg_pool2d long, truncated means", lambda L: _res(F(L).avg_pool2d(L.arange(-18, 18).reshape(1, 1, 6, 6), 4,
                                                                        2, 1, count_include_pad=False))),
    ("avg_pool2d long, divisor", lambda L: _res(F(L).avg_pool2d(L.arange(-18, 18).reshape(1, 1, 6, 6), 2,
                                                                divisor_override=3))),
    ("avg_pool3d half", lambda L: F(L).avg_pool3d(_o(L, 1, 2, 4, 4, 4, dt="float16"), 2)),
    ("avg_pool3d None", lambda L: F(L).avg_pool3d(None, 2)),
    ("avg_pool1d None", lambda L: F(L).avg_pool1d(None, 2)),
    ("avg_pool2d stride empty list", lambda L: _res(F(L).avg_pool2d(_o(L, 1, 2, 6, 6), 2, []))),
    ("adaptive_avg_pool2d (None, 2)", lambda L: _res(F(L).adaptive_avg_pool2d(_o(L, 1, 2, 6, 6), (None, 2)))),
    ("adaptive_avg_pool2d int32", lambda L: F(L).adaptive_avg_pool2d(_o(L, 1, 2, 6, 6, dt="int32"), 2)),
    ("adaptive_max_pool2d float size", lambda L: F(L).adaptive_max_pool2d(_o(L, 1, 2, 6, 6), (2.5, 2))),
    ("adaptive_max_pool2d None", lambda L: F(L).adaptive_max_pool2d(None, 2)),
    # unfold (im2col)
    ("unfold zero dilation", lambda L: F(L).unfold(_o(L, 1, 2, 4, 4), 2, dilation=0)),
    ("unfold negative padding", lambda L: F(L).unfold(_o(L, 1, 2, 4, 4), 2, padding=-1)),
    ("unfold zero stride", lambda L: F(L).unfold(_o(L, 1, 2, 4, 4), 2, stride=0)),
    ("unfold kernel of three", lambda L: F(L).unfold(_o(L, 1, 2, 4, 4), (2, 2, 2))),
    ("unfold kernel None", lambda L: F(L).unfold(_o(L, 1, 2, 4, 4), None)),
    ("unfold empty channels", lambda L: F(L).unfold(_o(L, 1, 0, 4, 4), 2)),
    ("unfold empty unbatched", lambda L: F(L).unfold(_o(L, 0, 4, 4), 2)),
    ("unfold 1-d", lambda L: F(L).unfold(_o(L, 3), 2)),
    ("unfold int32", lambda L: F(L).unfold(_o(L, 1, 2, 4, 4, dt="int32"), 2)),
    # pad, shuffles, one_hot, embedding, interpolate
    ("pad int", lambda L: F(L).pad(_o(L, 2, 3), 1)),
    ("pad None", lambda L: F(L).pad(_o(L, 2, 3), None)),
    ("pad mode int", lambda L: F(L).pad(_o(L, 2, 3), (1, 1), 3)),
    ("pad value str", lambda L: F(L).pad(_o(L, 2, 3), (1, 1), value="a")),
    ("pad list", lambda L: _res(F(L).pad(_o(L, 2, 3), [1, 1], value=2))),
    ("pixel_unshuffle float", lambda L: F(L).pixel_unshuffle(_o(L, 1, 4, 2, 2), 2.5)),
    ("channel_shuffle None", lambda L: F(L).channel_shuffle(None, 2)),
    ("one_hot num_classes None", lambda L: F(L).one_hot(_i(L, 0, 3), None)),
    ("embedding 3-d weight with padding_idx", lambda L: F(L).embedding(_i(L, 0, 3), _o(L, 4, 2, 2), padding_idx=1)),
    ("embedding 0-d weight with padding_idx", lambda L: F(L).embedding(_i(L, 0, 3), L.tensor(1.0), padding_idx=1)),
    ("embedding float index 3-d weight", lambda L: F(L).embedding(_o(L, 2), _o(L, 4, 2, 2))),
    ("interpolate size float", lambda L: F(L).interpolate(_o(L, 1, 2, 4, 4), size=2.5)),
    ("interpolate size str bilinear", lambda L: F(L).interpolate(_o(L, 1, 2, 4, 4), size="a", mode="bilinear")),
    ("interpolate scale tuple str", lambda L: F(L).interpolate(_o(L, 1, 2, 4, 4), scale_factor=("a", 2))),
    ("interpolate scale str trilinear", lambda L: F(L).interpolate(_o(L, 1, 2, 4, 4, 4), scale_factor="a",
                                                                   mode="trilinear")),
    ("interpolate scale str antialias", lambda L: F(L).interpolate(_o(L, 1, 2, 4, 4), scale_factor="a",
                                                                   mode="bicubic", antialias=True)),
    ("interpolate long bicubic", lambda L: F(L).interpolate(_o(L, 1, 2, 4, 4, dt="int64"), scale_factor=2,
                                                            mode="bicubic")),
    ("interpolate long linear", lambda L: F(L).interpolate(_o(L, 1, 2, 4, dt="int64"), scale_factor=2,
                                                           mode="linear")),
    ("interpolate half antialias", lambda L: F(L).interpolate(_o(L, 1, 2, 4, 4, dt="float16"), scale_factor=2,
                                                              mode="bilinear", antialias=True)),
    ("interpolate numpy scale", lambda L: _res(F(L).interpolate(_o(L, 1, 2, 4, 4), scale_factor=np.float64(1.5)))),
    # norms
    ("batch_norm empty input", lambda L: _res(F(L).batch_norm(_o(L, 0, 3), _o(L, 3), _o(L, 3)))),
    ("batch_norm 0-d training without stats", lambda L: F(L).batch_norm(L.tensor(1.0), None, None, training=True)),
    ("batch_norm 1-d training without stats", lambda L: F(L).batch_norm(_o(L, 3), None, None, training=True)),
    ("batch_norm both stats None", lambda L: F(L).batch_norm(_o(L, 4, 3), None, None)),
    ("batch_norm weight list", lambda L: F(L).batch_norm(_o(L, 4, 3), _o(L, 3), _o(L, 3), [1.0, 2.0])),
    ("batch_norm None input training", lambda L: F(L).batch_norm(None, _o(L, 3), _o(L, 3), training=True)),
    ("batch_norm bias size", lambda L: F(L).batch_norm(_o(L, 4, 3), _o(L, 3), _o(L, 3), None, _o(L, 4))),
    ("batch_norm double input, double weight", lambda L: F(L).batch_norm(_o(L, 4, 3, dt="float64"), _o(L, 3),
                                                                         _o(L, 3), _o(L, 3, dt="float64"))),
    ("batch_norm half input", lambda L: _res(F(L).batch_norm(_o(L, 4, 3, dt="float16"), _o(L, 3), _o(L, 3)))),
    ("BatchNorm2d one value per channel", lambda L: L.nn.BatchNorm2d(3)(_o(L, 1, 3, 1, 1))),
    ("BatchNorm1d 4-d", lambda L: L.nn.BatchNorm1d(3)(_o(L, 2, 3, 2, 2))),
    ("layer_norm normalized_shape None", lambda L: F(L).layer_norm(_o(L, 2, 3), None)),
    ("layer_norm normalized_shape float", lambda L: F(L).layer_norm(_o(L, 2, 3), 3.5)),
    ("layer_norm weight before input", lambda L: F(L).layer_norm(_o(L, 2, 4), (3,), _o(L, 4), _o(L, 4))),
    ("layer_norm bool input no params", lambda L: F(L).layer_norm(_o(L, 2, 3, dt="bool"), (3,))),
    ("layer_norm half weight", lambda L: F(L).layer_norm(_o(L, 2, 3), (3,), _o(L, 3, dt="float16"))),
    ("layer_norm list shape", lambda L: _res(F(L).layer_norm(_o(L, 2, 3), [3]))),
    ("group_norm one value per channel", lambda L: F(L).group_norm(_o(L, 1, 4), 4)),
    ("group_norm num_groups None", lambda L: F(L).group_norm(_o(L, 2, 4, 3), None)),
    ("group_norm num_groups float", lambda L: F(L).group_norm(_o(L, 2, 4, 3), 2.0)),
    ("group_norm numpy num_groups", lambda L: _res(F(L).group_norm(_o(L, 2, 4, 3), np.int64(2)))),
    ("group_norm bias only double", lambda L: F(L).group_norm(_o(L, 2, 4, 3), 2, None, _o(L, 4, dt="float64"))),
    ("group_norm long input no params", lambda L: F(L).group_norm(_o(L, 2, 4, 3, dt="int64"), 2)),
    ("instance_norm weight list", lambda L: F(L).instance_norm(_o(L, 2, 3, 4), weight=[1.0])),
    ("instance_norm double running stats", lambda L: _res(F(L).instance_norm(_o(L, 2, 3, 4), _o(L, 3, dt="float64"),
                                                                             _o(L, 3)))),
    # linear, bilinear
    ("linear 1-d weight", lambda L: _res(F(L).linear(_o(L, 2, 3), _o(L, 3)))),
    ("linear 1-d weight, 1-d input", lambda L: _res(F(L).linear(_o(L, 3), _o(L, 3)))),
    ("linear 1-d weight with bias", lambda L: F(L).linear(_o(L, 2, 2, 3), _o(L, 3), _o(L, 4))),
    ("linear 0-d weight, 3-d input", lambda L: F(L).linear(_o(L, 2, 2, 3), L.tensor(1.0))),
    ("linear 0-d input", lambda L: F(L).linear(L.tensor(1.0), L.tensor(1.0))),
    ("bilinear bias dtype", lambda L: F(L).bilinear(_o(L, 2, 3), _o(L, 2, 2), _o(L, 4, 3, 2),
                                                    _o(L, 4, dt="float64"))),
    ("bilinear bias size", lambda L: F(L).bilinear(_o(L, 2, 3), _o(L, 2, 2), _o(L, 4, 3, 2), _o(L, 5))),
    ("bilinear bias 0-d", lambda L: F(L).bilinear(_o(L, 2, 3), _o(L, 2, 2), _o(L, 4, 3, 2), L.tensor(1.0))),
    ("bilinear bias list", lambda L: F(L).bilinear(_o(L, 2, 3), _o(L, 2, 2), _o(L, 4, 3, 2), [1.0])),
    ("bilinear 1-d weight", lambda L: F(L).bilinear(_o(L, 2, 3), _o(L, 2, 2), _o(L, 4))),
    ("bilinear 2-d weight", lambda L: F(L).bilinear(_o(L, 2, 3), _o(L, 2, 2), _o(L, 4, 3))),
    ("bilinear 0-d inputs", lambda L: F(L).bilinear(L.tensor(1.0), L.tensor(1.0), _o(L, 4, 3, 2))),
    ("bilinear bool", lambda L: F(L).bilinear(_o(L, 2, 3, dt="bool"), _o(L, 2, 2, dt="bool"),
                                              _o(L, 4, 3, 2, dt="bool"))),
    ("bilinear long", lambda L: _res(F(L).bilinear(_o(L, 2, 3, dt="int64"), _o(L, 2, 2, dt="int64"),
                                                   _o(L, 4, 3, 2, dt="int64")))),
    # losses
    ("mse_loss long", lambda L: F(L).mse_loss(_o(L, 2, 3, dt="int64"), _o(L, 2, 3, dt="int64"))),
    ("mse_loss long input, float target", lambda L: _res(F(L).mse_loss(_o(L, 2, 3, dt="int64"), _o(L, 2, 3)))),
    ("smooth_l1_loss long", lambda L: F(L).smooth_l1_loss(_o(L, 2, 3, dt="int64"), _o(L, 2, 3, dt="int64"))),
    ("huber_loss long", lambda L: F(L).huber_loss(_o(L, 2, 3, dt="int64"), _o(L, 2, 3, dt="int64"))),
    ("binary_cross_entropy long", lambda L: F(L).binary_cross_entropy(_o(L, 2, 3, dt="int64"),
                                                                      _o(L, 2, 3, dt="int64"))),
    ("bce_with_logits long", lambda L: F(L).binary_cross_entropy_with_logits(_o(L, 2, 3, dt="int64"),
                                                                             _o(L, 2, 3, dt="int64"))),
    ("kl_div long", lambda L: F(L).kl_div(_o(L, 2, 3, dt="int64"), _o(L, 2, 3, dt="int64"))),
    ("gaussian_nll_loss long var", lambda L: F(L).gaussian_nll_loss(_o(L, 2, 3), _o(L, 2, 3),
                                                                    _o(L, 2, 3, dt="int64"))),
    ("soft_margin_loss long", lambda L: F(L).soft_margin_loss(_o(L, 2, 3, dt="int64"), _o(L, 2, 3, dt="int64"))),
    ("soft_margin_loss bool target", lambda L: _res(F(L).soft_margin_loss(_o(L, 2, 3), _o(L, 2, 3, dt="bool")))),
    ("nll_loss 1-d target of one", lambda L: _res(F(L).nll_loss(_o(L, 3), _i(L, 1)))),
    ("nll_loss 1-d target of one, sum", lambda L: _res(F(L).nll_loss(_o(L, 3), _i(L, 1), reduction="sum"))),
    ("nll_loss 1-d target ignored", lambda L: _res(F(L).nll_loss(_o(L, 3), _i(L, -100), reduction="none"))),
    ("nll_loss 1-d target of three", lambda L: F(L).nll_loss(_o(L, 3), _i(L, 0, 1, 2))),
    ("nll_loss long out of bounds", lambda L: F(L).nll_loss(_o(L, 2, 3, dt="int64"), _i(L, 0, 9))),
    ("nll_loss 3-d long", lambda L: F(L).nll_loss(_o(L, 2, 3, 4, dt="int64"), L.zeros(2, 4, dtype=L.int64))),
    ("cross_entropy 0-d, 0-d target", lambda L: F(L).cross_entropy(L.tensor(1.0), L.tensor(0))),
    ("cross_entropy 1-d target of one", lambda L: _res(F(L).cross_entropy(_o(L, 3), _i(L, 1)))),
    ("multi_margin_loss half", lambda L: F(L).multi_margin_loss(_o(L, 2, 3, dt="float16"), _i(L, 0, 2))),
    ("multi_margin_loss long, float target", lambda L: F(L).multi_margin_loss(_o(L, 2, 3, dt="int64"), _o(L, 2))),
]


def answer(lib, call):
    """["ok", summary] when ``call(lib)`` returns, else [exception class name, message]"""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ["ok", call(lib)]
        except Exception as e:  # noqa: BLE001  (every error class is the point)
            return [type(e).__name__, str(e)]


def _reference():
    try:
        import torch
    except ImportError:
        return json.loads(FIXTURE.read_text())
    return {name: answer(torch, call) for name, call in CALLS}


REFERENCE = _reference()


@pytest.mark.parametrize("name", [n for n, _ in CALLS])
def test_answers_what_pytorch_answers(name):
    got = answer(ember, dict(CALLS)[name])
    assert got == REFERENCE[name], f"{name}:\n  ember:   {got}\n  PyTorch: {REFERENCE[name]}"


def test_the_calls_are_bad_or_checked_neighbours():
    """the corpus mostly holds errors (an "ok" row is a valid neighbour, its answer compared in full)"""
    errors = sum(v[0] != "ok" for v in REFERENCE.values())
    assert errors > 0.8 * len(CALLS)


def test_the_recording_is_current():
    torch = pytest.importorskip("torch")
    recorded = json.loads(FIXTURE.read_text())
    stale = [n for n, call in CALLS if answer(torch, call) != recorded.get(n)]
    assert not stale, f"re-run python tests/nn/test_nn_bad_args.py: {stale}"


def test_the_comparison_sees_a_wrong_answer():
    name = "conv2d zero dilation"
    right = REFERENCE[name]
    assert answer(ember, dict(CALLS)[name]) == right
    # another message, another class, no error, a wrong value: each differs from the reference
    assert [right[0], "dilation should be greater than zero"] != right
    assert ["ValueError", right[1]] != right
    assert answer(ember, lambda L: F(L).conv2d(_o(L, 1, 2, 5, 5), _o(L, 3, 2, 3, 3), dilation=1).shape) != right
    ok = REFERENCE["linear 1-d weight"]
    assert answer(ember, lambda L: _res(F(L).linear(_o(L, 2, 3), _o(L, 3)) * 2)) != ok


if __name__ == "__main__":
    import torch
    FIXTURE.write_text(json.dumps({n: answer(torch, c) for n, c in CALLS}, indent=0, sort_keys=True) + "\n")
    print(f"{len(CALLS)} answers -> {FIXTURE}")
