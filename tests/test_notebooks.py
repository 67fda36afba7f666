"""The example notebooks run top to bottom in a real Jupyter kernel, key printed outputs match PyTorch's, and the
outputs stored in examples/ are current (tools/regenerate_notebooks.py writes them; each notebook runs once here)."""

import copy
import pathlib
import sys

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import regenerate_notebooks as regen  # noqa: E402

NOTEBOOKS = regen.notebooks()
_EXECUTED = {}


def _fresh(name):
    """The notebook executed now, in a fresh kernel (once per test session)."""
    if name not in _EXECUTED:
        _EXECUTED[name] = regen.execute(regen.EXAMPLES / name)
    return _EXECUTED[name]


def _stored(name):
    return nbformat.read(regen.EXAMPLES / name, as_version=4)


def _texts(nb):
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                texts.append(out["text"])
            elif "data" in out:
                texts.append(out["data"].get("text/plain", ""))
                for mime in ("image/svg+xml", "image/png"):
                    if mime in out["data"]:
                        texts.append(f"<{mime.split('/')[1].split('+')[0]}-output>")
    return "\n".join(texts)


def test_002_prints_what_torch_prints():
    torch = pytest.importorskip("torch")
    out = _texts(_fresh("002_torch_autograd.ipynb"))
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = torch.tensor([[4.0], [5.0]], requires_grad=True)
    z = x * y + y ** 2
    z.retain_grad()
    z_sum = z.sum()
    z_sum.backward()
    for want in (str(z), str(z_sum), f"Gradient of x: {x.grad}", f"Gradient of y: {y.grad}",
                 f"Gradient of z: {z.grad}", repr(y ** 2)):
        assert want in out
    assert "<svg-output>" in out


def test_001_and_000_run():
    out = _texts(_fresh("001_autograd_in_pytorch.ipynb"))
    assert "tensor([3.])\ntensor([2.])\ntensor([1.])" in out
    out = _texts(_fresh("000_gradient_descent_autograd.ipynb"))
    assert "True True" in out and "TanhBackward0" in out and "<svg-output>" in out
    assert "tensor([True])\ntensor([True])" in out
    assert "Loss: 0.88894" in out and "final loss" in out
    # section 1.2's gradient descent ends in the valley x^2 + y^2 = 3 pi / 2 of sin(x^2 + y^2)
    assert "f = -1.000000\nw1^2 + w2^2 = 4.712389, 3 pi / 2 = 4.712389" in out
    # the pictures: gradient field, descent path, data, fit and loss
    assert out.count("<png-output>") == 4


def test_stored_notebooks_record_the_hash_of_their_code():
    for path in NOTEBOOKS:
        nb = _stored(path.name)
        assert nb.metadata[regen.KEY]["code_sha256"] == regen.code_sha256(nb), (
            f"{path.name}: code cells changed; run python tools/regenerate_notebooks.py")
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), f"{path.name} is stored without its outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stored_outputs_are_current(path):
    problems = regen.differences(_stored(path.name), _fresh(path.name))
    assert not problems, "run python tools/regenerate_notebooks.py:\n" + "\n".join(problems)


def test_the_currency_check_rejects_stale_notebooks():
    stored = _stored("000_gradient_descent_autograd.ipynb")
    assert regen.differences(stored, copy.deepcopy(stored)) == []

    def changed(edit):
        nb = copy.deepcopy(stored)
        cells = [c for c in nb.cells if c.cell_type == "code"]
        edit(cells)
        return nb

    def stream(cells, text):
        return next(o for c in cells for o in c.outputs if o.output_type == "stream" and text in o.text)

    def set_text(cells, old, new):
        o = stream(cells, old)
        o.text = o.text.replace(old, new)

    # tolerated: object addresses, one unit of the last printed digit, a few float32 ulps of a number printed in full
    assert regen.differences(stored, changed(lambda c: set_text(c, "object at 0x", "object at 0xdead"))) == []
    assert regen.differences(stored, changed(lambda c: set_text(c, "final loss 0.0673", "final loss 0.0674"))) == []
    assert regen.differences(stored, changed(
        lambda c: set_text(c, "Loss: 0.8889423608779907", "Loss: 0.8889424800872803"))) == []
    # rejected: a different number, a different word, a missing output, an output of another kind
    for edit in (lambda c: set_text(c, "final loss 0.0673", "final loss 0.0675"),
                 lambda c: set_text(c, "Loss: 0.8889423608779907", "Loss: 0.8889523608779907"),
                 lambda c: set_text(c, "TanhBackward0", "TanBackward0"),
                 lambda c: set_text(c, "True True", "True False"),
                 lambda c: c[-1].outputs.clear(),
                 lambda c: c[2].outputs.__setitem__(0, nbformat.v4.new_output("stream", text="x\n"))):
        assert regen.differences(stored, changed(edit)), edit
    # an edited code cell without regenerating: the recorded hash no longer matches
    nb = copy.deepcopy(stored)
    nb.cells[1].source += "\n"
    assert "the code cells changed since the outputs were generated" in regen.differences(nb, nb)
