import torch

w = torch.ones(2, requires_grad=True)
with torch.inference_mode():
    x = torch.ones(2) * 3
    print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
    v = w[:1]
# (known difference: PyTorch's errors for inference tensors used in autograd or updated in place outside the mode
# are not reproduced)
print(x, x.requires_grad, x.is_inference(), x[:1].is_inference(), v.is_inference(), w.is_inference())
print(torch.is_inference_mode_enabled())
with torch.no_grad():
    y = w * 2
    print(y.requires_grad, torch.is_grad_enabled())
    with torch.enable_grad():
        z = w * 2
print(z.requires_grad, z.grad_fn is not None)
torch.set_grad_enabled(False)
q = w * 2
torch.set_grad_enabled(True)
print(q.requires_grad)


class Model:
    def __init__(self):
        self.w = torch.tensor([2.0], requires_grad=True)

    @torch.no_grad()
    def predict(self, t):
        return self.w * t

    def forward(self, t):
        return self.w * t


m = Model()
print(m.predict(torch.tensor([3.0])), m.forward(torch.tensor([3.0])))
with torch.no_grad():
    p = torch.nn.Parameter(torch.zeros(1))
print(p.requires_grad)
