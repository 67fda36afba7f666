"""ember drops its own frames (anomaly tracebacks, warning locations) by its install directory, not by a folder name:
a user's script under a folder called ``ember`` (the default name of a clone) keeps its lines."""

import os
import runpy
import warnings

import pytest

import ember
from ember._core import modes

SCRIPT = """\
import ember


def forward():
    x = ember.tensor([0.0, 4.0], requires_grad=True)
    return ember.sqrt(x) * 0  # the user's forward line


def spread():
    return ember.ones(1).var()  # the user's warning line
"""


@pytest.fixture(params=["ember", os.path.join("projects", "ember"), os.path.join("ember", "src", "ember")])
def script(request, tmp_path):
    folder = tmp_path / request.param
    folder.mkdir(parents=True)
    path = folder / "train.py"
    path.write_text(SCRIPT)
    return str(path), runpy.run_path(str(path))


def test_anomaly_traceback_ends_at_the_users_line(script):
    path, ns = script
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with ember.autograd.detect_anomaly():
            y = ns["forward"]()
            with pytest.raises(RuntimeError) as info:
                y.sum().backward()
    assert str(info.value) == "Function 'SqrtBackward0' returned nan values in its 0th output."
    (note,) = info.value.__notes__  # the forward's traceback (PyTorch's warning says the same)
    frames = note.split("Traceback of forward call that caused the error:\n")[1] + "\n"
    assert f'File "{path}", line 6, in forward' in frames
    last = frames.strip().splitlines()[-2:]  # the last frame is the user's line, not a line inside ember
    assert last[0].strip() == f'File "{path}", line 6, in forward'
    assert last[1].strip() == "return ember.sqrt(x) * 0  # the user's forward line"


def test_warning_points_at_the_users_line(script):
    path, ns = script
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ns["spread"]()
    (w,) = caught
    assert "degrees of freedom is <= 0" in str(w.message)
    assert (w.filename, w.lineno) == (path, 10)


def test_ember_files_are_recognised_by_install_directory():
    assert modes.is_ember_file(ember.__file__) and modes.is_ember_file(modes.__file__)
    root = os.path.dirname(os.path.dirname(ember.__file__))
    # a sibling folder whose name starts with "ember" is not ember
    assert not modes.is_ember_file(os.path.join(root, "ember_extra", "x.py"))
    assert not modes.is_ember_file(os.path.join(os.sep, "home", "me", "ember", "train.py"))


def test_scatter_reduce_argument_with_tensor_src_warns_once(monkeypatch):
    # PyTorch 2.13: TORCH_WARN_ONCE in scatter's reduce overload with a Tensor src; a number src does not warn
    from ember.ops import index as I
    monkeypatch.setattr(I, "_scatter_reduce_warned", False)
    idx = ember.tensor([0, 1])
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        ember.zeros(3).scatter(0, idx, 2.0, reduce="add")
        assert not got
        r = ember.zeros(3).scatter(0, idx, ember.tensor([1., 2.]), reduce="add")
        ember.zeros(3).scatter_(0, idx, ember.tensor([1., 2.]), reduce="multiply")
    assert r.tolist() == [1.0, 2.0, 0.0]
    assert [str(w.message) for w in got] == [I._SCATTER_REDUCE_DEPRECATED]
    assert I._SCATTER_REDUCE_DEPRECATED.startswith("The reduce argument of torch.scatter with Tensor src is deprecated")
