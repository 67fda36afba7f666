"""Every program in programs/ prints the same under ember as under PyTorch (addresses aside)."""

import pytest

pytest.importorskip("torch")

from run_corpus import all_programs, diff, run_backends

PROGRAMS = all_programs()


@pytest.fixture(scope="module")
def outputs():
    # two worker processes (torch, ember) run the whole corpus once; each test checks one program
    return run_backends(PROGRAMS)


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_output_matches_torch(path, outputs):
    torch_out, ember_out = outputs
    expected, actual = torch_out[str(path)], ember_out[str(path)]
    assert expected.strip(), f"{path.name} printed nothing under torch"
    d = diff(expected, actual, path.name)
    assert not d, "\n" + "\n".join(d)


def test_rewrite_covers_import_forms():
    from run_corpus import rewrite
    src = ("import torch\nimport torch.nn as nn\nfrom torch import nn, optim\nimport torch.nn.functional as F\n"
           "from torch.utils.data import DataLoader\n    import torch.nn\nx = torch.ones(1)  # import torch\n")
    assert rewrite(src) == ("import ember as torch\nimport ember.nn as nn\nfrom ember import nn, optim\n"
                            "import ember.nn.functional as F\nfrom ember.utils.data import DataLoader\n"
                            "    import ember as torch; import ember.nn\nx = torch.ones(1)  # import torch\n")


def test_only_torchs_cpp_location_is_dropped():
    from run_corpus import diff, torch_side
    torch_line = ("p.py:4: UserWarning: var(): degrees of freedom is <= 0. (Triggered internally at "
                  "/__w/pytorch/pytorch/aten/src/ATen/native/ReduceOps.cpp:1861.)\n")
    ember_line = "p.py:4: UserWarning: var(): degrees of freedom is <= 0.\n"
    assert torch_side(torch_line) == ember_line
    assert diff(torch_line, ember_line, "p") == []
    assert diff(torch_line, torch_line, "p")  # ember printing PyTorch's location would be a difference
    assert diff(torch_line, "p.py:4: UserWarning: var(): degrees of freedom is < 0.\n", "p")  # the message stays
    assert diff(torch_line, ember_line.replace(":4:", ":5:"), "p")  # and so does the user's line
    kept = "print('(Triggered internally at here)')\n"  # not a C++ location: left alone
    assert torch_side(kept) == kept


def test_ember_never_claims_a_pytorch_source_location():
    from pathlib import Path
    src = Path(__file__).resolve().parents[2] / "src"
    claims = [p for p in src.rglob("*.py") if "Triggered internally" in p.read_text()]
    assert claims == []


def test_only_warnings_from_inside_torch_are_dropped():
    from run_corpus import torch_side
    internal = ("/usr/lib/python3/site-packages/torch/fx/experimental/const_fold.py:366: UserWarning: Attempted to "
                "insert a get_attr Node\n  new_node = root_const_gm.graph.get_attr(in_node.target)\n")
    assert torch_side("a\n" + internal + "b\n") == "a\nb\n"
    user = "p.py:4: UserWarning: something the program did\n  x = f()\n"
    assert torch_side(user) == user  # a warning about the program's own line stays
