"""The example notebooks run top to bottom in a real Jupyter kernel; key printed outputs match PyTorch's."""

import pathlib

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


def _run(name):
    nb = nbformat.read(EXAMPLES / name, as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                texts.append(out["text"])
            elif "data" in out:
                texts.append(out["data"].get("text/plain", ""))
                if "image/svg+xml" in out["data"]:
                    texts.append("<svg-output>")
    return "\n".join(texts)


def test_002_prints_what_torch_prints():
    torch = pytest.importorskip("torch")
    out = _run("002_torch_autograd.ipynb")
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
    out = _run("001_autograd_in_pytorch.ipynb")
    assert "tensor([3.])\ntensor([2.])\ntensor([1.])" in out
    out = _run("000_gradient_descent_autograd.ipynb")
    assert "True True" in out and "TanhBackward0" in out and "<svg-output>" in out
    assert "tensor([True])\ntensor([True])" in out
    assert "Loss: " in out and "final loss" in out
