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
