import random

import numpy as np
import torch


def set_seed(seed=None, seed_torch=True):
    if seed is None:
        seed = np.random.choice(2 ** 32)
    random.seed(seed)
    np.random.seed(seed)
    if seed_torch:
        torch.manual_seed(seed)
        torch.cuda.manual_seed_all(seed)
        torch.cuda.manual_seed(seed)
        torch.backends.cudnn.benchmark = False
        torch.backends.cudnn.deterministic = True
    print(f"Random seed {seed} has been set.")


set_seed(seed=2021)
device = "cuda" if torch.cuda.is_available() else "cpu"
print(device)


class SimpleGraph:
    def __init__(self, w, b):
        assert isinstance(w, float)
        assert isinstance(b, float)
        self.w = torch.tensor([w], requires_grad=True)
        self.b = torch.tensor([b], requires_grad=True)

    def forward(self, x):
        assert isinstance(x, torch.Tensor)
        prediction = torch.tanh(x * self.w + self.b)
        return prediction


def sq_loss(y_true, y_prediction):
    assert isinstance(y_true, torch.Tensor)
    assert isinstance(y_prediction, torch.Tensor)
    loss = (y_true - y_prediction) ** 2
    return loss


feature = torch.tensor([1])
target = torch.tensor([7])
simple_graph = SimpleGraph(-0.5, 0.5)
print(f"initial weight = {simple_graph.w.item()}, "
      f"\ninitial bias = {simple_graph.b.item()}")
prediction = simple_graph.forward(feature)
square_loss = sq_loss(target, prediction)
print(f"for x={feature.item()} and y={target.item()}, "
      f"prediction={prediction.item()}, and L2 Loss = {square_loss.item()}")
a = torch.tensor([1.0], requires_grad=True)
b = torch.tensor([-1.0], requires_grad=True)
for c in (a + b, a * b, torch.sin(a), a / b, a - b, a ** 2, torch.exp(a)):
    print(f"Gradient function = {c.grad_fn}")
print(f"Gradient function for prediction = {prediction.grad_fn}")
print(f"Gradient function for loss = {square_loss.grad_fn}")
ana_dloss_dw = - 2 * feature * (target - prediction.detach()) * (1 - prediction.detach() ** 2)
ana_dloss_db = - 2 * (target - prediction.detach()) * (1 - prediction.detach() ** 2)
square_loss.backward()
autograd_dloss_dw = simple_graph.w.grad
autograd_dloss_db = simple_graph.b.grad
print(ana_dloss_dw == autograd_dloss_dw)
print(ana_dloss_db == autograd_dloss_db)
print(ana_dloss_dw, autograd_dloss_dw)
print(np.random.rand(2), random.random(), torch.rand(2))
