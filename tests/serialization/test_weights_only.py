"""weights_only=True (the default): what is refused, with PyTorch's exact error, and the allowlist API.

Refusals are compared with PyTorch's recorded messages always, and live against torch.load of the same file when
torch is installed (files written by torch and by ember, and hand-made pickles for the rarer refusals).
"""

import io
import os
import pickle

import numpy as np
import pytest
from ser_helpers import FIXTURES, expected, pickled_zip
from ser_helpers import global_op as g
from serialization_fixture_classes import FixtureThing, OpenTrap, SystemTrap

import ember
from ember.serialization import (
    UnpicklingError,
    add_safe_globals,
    clear_safe_globals,
    get_safe_globals,
    get_unsafe_globals_in_checkpoint,
    safe_globals,
)

REFUSED = {"custom.pt": lambda: {"thing": FixtureThing(3)}, "numpy.pt": lambda: {"a": np.arange(3)},
           "open_trap.pt": lambda: {"x": OpenTrap("ember_pwned_by_open")}, "system_trap.pt": lambda: {"x": SystemTrap()},
           "print.pt": lambda: {"f": print}}


@pytest.fixture(autouse=True)
def clean_allowlist(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # where a trap would leave its file
    clear_safe_globals()
    yield
    clear_safe_globals()
    assert not os.path.exists("ember_pwned_by_open") and not os.path.exists("ember_pwned_by_system")


def error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_recorded_refusals(name):
    want = expected()[name]["weights_only_error"]
    path = FIXTURES / name
    assert error(lambda: ember.load(path)) == (want["type"], want["message"])
    with pytest.raises(pickle.UnpicklingError):
        ember.load(path)
    with pytest.raises(RuntimeError):  # ember's one error class for a bad file, too
        ember.load(path)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refusals_of_embers_own_files_match(name, tmp_path):
    # ember.save pickles anything; the file it writes is refused with the words PyTorch uses for its own
    ember.save(REFUSED[name](), tmp_path / "e.pt")
    want = expected()[name]["weights_only_error"]
    assert error(lambda: ember.load(tmp_path / "e.pt")) == (want["type"], want["message"])


def test_live_refusals_match_torch(tmp_path):
    torch = pytest.importorskip("torch")
    for name, make in REFUSED.items():
        for save in (torch.save, ember.save):
            save(make(), tmp_path / name)
            assert error(lambda n=name: ember.load(tmp_path / n)) == error(lambda n=name: torch.load(tmp_path / n))


HAND_MADE = {
    "reduce of a dict": b"\x80\x02})R.",
    "build on a dict": b"\x80\x02}}b.",
    "append to a dict": b"\x80\x02}Na.",
    "appends to a dict": b"\x80\x02}(Ne.",
    "setitem on a list": b"\x80\x02]NNs.",
    "setitems on a list": b"\x80\x02](NNu.",
    "newobj of a dict": b"\x80\x02})\x81.",
    "unknown opcode": b"\x80\x02I12\n.",
    "persistent id not a storage": b"\x80\x02(X\x06\x00\x00\x00modulek\x00tQ.",
    "persistent id of a str": b"\x80\x02X\x01\x00\x00\x00aQ.",
    "blocked module": b"\x80\x02" + g("os", "getcwd") + b").",
    "builtins global": b"\x80\x02" + g("__builtin__", "eval") + b".",
}


@pytest.mark.parametrize("case", sorted(HAND_MADE))
def test_hand_made_refusals_match_torch(case):
    torch = pytest.importorskip("torch")
    blob = pickled_zip(HAND_MADE[case])
    theirs = error(lambda: torch.load(io.BytesIO(blob)))
    assert error(lambda: ember.load(io.BytesIO(blob))) == theirs
    assert theirs[0] == "UnpicklingError"


def test_dtensors_name_the_missing_import():
    # (PyTorch's answer depends on whether torch.distributed was imported before, so no live comparison)
    with pytest.raises(UnpicklingError, match="``torch.distributed.tensor`` must be imported to load DTensors"):
        ember.load(io.BytesIO(pickled_zip(b"\x80\x02" + g("torch.distributed.tensor", "DTensor") + b".")))


def test_calls_pytorch_would_let_fail_inside_are_refused():
    # PyTorch calls any allowed global in REDUCE/NEWOBJ (a dtype: TypeError leaks out); ember calls only the
    # constructors it checks, so these are refusals like the others
    for pkl in (b"\x80\x02" + g("torch", "float32") + b")R.", b"\x80\x02" + g("torch", "float32") + b")\x81.",
                b"\x80\x02" + g("builtins", "bytearray") + b"J\x00\x00\x00\x7f\x85R.",  # 2 GB of zeros
                b"\x80\x02" + g("torch", "Tensor") + b"J\x00\x00\x00\x7f\x85R."):  # Tensor(2**31)
        with pytest.raises(UnpicklingError, match="Weights only load failed"):
            ember.load(io.BytesIO(pickled_zip(pkl)))


def test_allowlist_api():
    path = FIXTURES / "custom.pt"
    want = expected()["custom.pt"]
    assert get_unsafe_globals_in_checkpoint(path) == want["unsafe_globals"]
    add_safe_globals([FixtureThing])
    assert get_safe_globals() == [FixtureThing] and get_unsafe_globals_in_checkpoint(path) == []
    thing = ember.load(path)["thing"]
    assert type(thing) is FixtureThing and {"n": thing.n, "label": thing.label} == want["with_safe_globals"]
    clear_safe_globals()
    assert get_safe_globals() == []
    with pytest.raises(UnpicklingError, match="Unsupported global"):
        ember.load(path)
    with safe_globals([(FixtureThing, "serialization_fixture_classes.FixtureThing")]):
        assert ember.load(path)["thing"].n == 3
    assert get_safe_globals() == []  # the block removed what it added
    with pytest.raises(UnpicklingError):
        ember.load(path)
    assert ember.serialization.safe_globals is safe_globals and ember.serialization.add_safe_globals


def test_allowlist_errors_match_torch():
    torch = pytest.importorskip("torch")
    buf = io.BytesIO()
    torch.save({"thing": FixtureThing(1)}, buf)
    for bad in ([(FixtureThing,)], [(FixtureThing, 3)]):
        torch.serialization.add_safe_globals(bad)
        add_safe_globals(bad)
        try:
            assert error(lambda: ember.load(io.BytesIO(buf.getvalue()))) == error(
                lambda: torch.load(io.BytesIO(buf.getvalue())))
        finally:
            torch.serialization.clear_safe_globals()
            clear_safe_globals()


def test_embers_classes_answer_torchs_names_in_the_allowlist():
    # a file torch wrote names torch.nn.modules.linear.Linear; a program running ember allowlists ember's class
    want = expected()["module.pt"]
    with safe_globals([ember.nn.Sequential, ember.nn.Linear, ember.nn.ReLU]):
        net = ember.load(FIXTURES / "module.pt")
    assert repr(net) == want["repr"] and isinstance(net[0], ember.nn.Linear)


def test_weights_only_false_still_runs_no_code_of_the_file(tmp_path):
    """weights_only=False loads whole objects but, unlike PyTorch's, never runs the file's code: the trap that
    calls io.open, and files calling os.system, eval, a class's __init__, importing a module or changing a global
    object, are refused before anything happens"""
    assert not os.path.exists("ember_pwned_by_open")
    with pytest.raises(UnpicklingError, match="refuses to call"):
        ember.load(FIXTURES / "open_trap.pt", weights_only=False)
    assert not os.path.exists("ember_pwned_by_open")
    marker = tmp_path / "pwned"

    class Evil:
        def __init__(self, reduce):
            self.reduce = reduce

        def __reduce__(self):
            return self.reduce

    import subprocess
    cases = {
        "system": ((os.system, (f"touch {marker}",)), "refuses"),
        "eval": ((eval, (f"open({str(marker)!r}, 'w')",)), "refuses"),
        "Popen": ((subprocess.Popen, (["touch", str(marker)],)), "refuses to call"),
    }
    for name, (reduce, match) in cases.items():
        buf = io.BytesIO()
        ember.save({"x": Evil(reduce)}, buf)
        with pytest.raises(UnpicklingError, match=match):
            ember.load(io.BytesIO(buf.getvalue()), weights_only=False)
        assert not marker.exists(), name
    # a module not imported yet is not imported (importing runs its code)
    raw = b"\x80\x02cnot_imported_module_xyz\nthing\nq\x00."
    with pytest.raises(UnpicklingError, match="not imported"):
        _unpickler(raw).load()
    # BUILD on a global (setting attributes of a class of a module) is refused
    raw = b"\x80\x02ccollections\nOrderedDict\n}X\x03\x00\x00\x00fooK\x01sb."
    with pytest.raises(UnpicklingError, match="change a global"):
        _unpickler(raw).load()
    assert not hasattr(__import__("collections").OrderedDict, "foo")


def _unpickler(raw: bytes):
    from ember._serialization_pickle import FullUnpickler
    return FullUnpickler(io.BytesIO(raw), lambda pid: None)


def test_weights_only_false_loads_whole_objects():
    import argparse
    import collections
    import datetime
    model = ember.nn.Sequential(ember.nn.Linear(2, 3), ember.nn.ReLU())
    obj = {"model": model, "args": argparse.Namespace(lr=0.1, layers=[1, 2]), "arr": np.arange(4.0),
           "when": datetime.date(2026, 12, 3), "od": collections.OrderedDict(a=1), "set": {1, 2}, "fn": len,
           "point": _Point(1, 2), "cplx": 1 + 2j}
    buf = io.BytesIO()
    ember.save(obj, buf)
    back = ember.load(io.BytesIO(buf.getvalue()), weights_only=False)
    assert back["args"] == obj["args"] and back["when"] == obj["when"] and back["od"] == obj["od"]
    assert back["set"] == {1, 2} and back["fn"] is len and back["point"] == _Point(1, 2) and back["cplx"] == 1 + 2j
    np.testing.assert_array_equal(back["arr"], obj["arr"])
    x = ember.ones(4, 2)
    assert ember.equal(back["model"](x), model(x)) and type(back["model"][0]) is ember.nn.Linear


_Point = __import__("collections").namedtuple("_Point", "x y")


def test_switches(monkeypatch):
    path = FIXTURES / "custom.pt"
    monkeypatch.setenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "1")
    with pytest.raises(UnpicklingError):
        ember.load(path, weights_only=False)
    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    with pytest.raises(RuntimeError, match="Only one of"):
        ember.load(path)
    monkeypatch.delenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD")
    with pytest.warns(UserWarning, match="forcing weights_only=False"):
        assert ember.load(path)["thing"].n == 3
    monkeypatch.delenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD")
    assert ember.load(path, pickle_module=pickle)["thing"].n == 3  # a pickle module means weights_only=False
    buf = io.BytesIO()
    ember.save({"w": ember.ones(1)}, buf)
    with pytest.warns(UserWarning, match="pickle_load_args only works"):
        ember.load(io.BytesIO(buf.getvalue()), weights_only=True, encoding="latin1")


def test_protocol_4_pickles_load_with_pytorchs_warning():
    blob = pickled_zip(pickle.dumps({"a": [1, 2.5, "x", (True, None)], "b": b"\x00"}, protocol=4))
    with pytest.warns(UserWarning, match="Detected pickle protocol 4"):
        assert ember.load(io.BytesIO(blob)) == {"a": [1, 2.5, "x", (True, None)], "b": b"\x00"}


def test_strings_and_ints_of_protocol_2():
    value = {"big": 2 ** 70, "neg": -(2 ** 40), "small": -3, "u": "ünï\U0001f600", "f": 1.5e-300, "t": (), "s": {1}}
    blob = pickled_zip(pickle.dumps(value, protocol=2))
    assert ember.load(io.BytesIO(blob)) == value
