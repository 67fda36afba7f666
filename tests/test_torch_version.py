"""torch.__version__ compares as a version, as PyTorch's TorchVersion (a str subclass): the facts below are what
PyTorch 2.13 gives for its own "2.13.0+cpu", recorded so this runs without torch."""

import io
import pickle

import pytest

import ember
from ember.version import TorchVersion


def test_version_compares_as_a_version_not_as_text():
    v = ember.__version__
    assert isinstance(v, str) and str(v).startswith("2.13.0")
    assert v >= "2.9" and v > "2.10" and v >= (2, 0) and v > (2, 9) and v < "3"  # as text "2.13" < "2.9"
    assert not (v == "2.13.0")  # the local label sorts after the bare release, as PyTorch's "2.13.0+cpu"
    assert v.split("+")[0] == "2.13.0"
    assert str(type(v)) == "<class 'torch.torch_version.TorchVersion'>"


def test_pep440_order():
    order = ["2.1.0.dev1", "2.1.0a0", "2.1.0b1", "2.1.0rc1", "2.1.0", "2.1.0.post1", "2.1.1"]
    for lower, higher in zip(order, order[1:]):
        assert TorchVersion(lower) < higher and TorchVersion(higher) > lower and not (TorchVersion(lower) >= higher)
    assert TorchVersion("1.10") > "1.9" and TorchVersion("2.0") == "2.0.0" and TorchVersion("2.0") == (2, 0, 0)
    assert TorchVersion("2.13.0+cpu") >= "2.13" and TorchVersion("2.13.0+cpu") > "2.13.0"
    assert not (TorchVersion("2.13.0+cpu") > "abc")  # not a version: compared as text, as PyTorch falls back
    assert sorted(["1.10", "1.9", "1.9.1"], key=TorchVersion) == ["1.9", "1.9.1", "1.10"]  # not plain str order


def test_version_pickles_as_pytorchs():
    # PyTorch pickles its TorchVersion by class: weights_only refuses it (naming the class), weights_only=False
    # gives the class back
    buf = io.BytesIO()
    ember.save({"v": ember.__version__}, buf)
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="torch.torch_version.TorchVersion was not an allowed global"):
        ember.load(buf)
    buf.seek(0)
    back = ember.load(buf, weights_only=False)["v"]
    assert type(back) is TorchVersion and back == ember.__version__ and back >= "2.9"
