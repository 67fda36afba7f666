"""Draw the pictures the README shows: ``python tools/readme_pictures.py`` (needs matplotlib, the demo extra).

docs/neuron_graph.png: seed 000's single neuron, loss = (7 - tanh(w*1 + b))^2 at w = -0.5, b = 0.5, with its
values and the gradient flowing into every box (the graph the README's narrated backward pass walks).
docs/gradient_field.png comes from the demo (``python -m ember demo``).
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "src"))

import ember as torch  # noqa: E402
from ember.viz import draw_graph  # noqa: E402


def neuron_graph(path: str) -> str:
    w = torch.tensor([-0.5], requires_grad=True)
    b = torch.tensor([0.5], requires_grad=True)
    x, target = torch.tensor([1.0]), torch.tensor([7.0])
    loss = (target - torch.tanh(w * x + b)) ** 2
    g = draw_graph(loss, params={"w": w, "b": b, "loss": loss}, show_values=True, show_grads=True,
                   engine="ember")
    return g.save(path)


if __name__ == "__main__":
    print("wrote", neuron_graph(os.path.join(ROOT, "docs", "neuron_graph.png")))
