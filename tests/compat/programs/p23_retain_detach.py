import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
y.retain_grad()
z = y ** 2
z.retain_grad()
out = z.mean()
out.backward()
print(x.grad, y.grad, z.grad)
print(y.retains_grad, x.retains_grad, y.is_leaf)
d = y.detach()
print(d, d.requires_grad, d.grad_fn)
d2 = x.detach().clone()
d2 += 1
print(x, d2)
with torch.no_grad():
    w = x * 2
print(w, w.requires_grad, w.grad_fn)
print(torch.is_grad_enabled())
with torch.no_grad():
    print(torch.is_grad_enabled())
    with torch.enable_grad():
        k = x * 3
    print(k.requires_grad)
with torch.set_grad_enabled(False):
    print((x + 1).requires_grad)
with torch.inference_mode():
    print((x * 1).requires_grad)


@torch.no_grad()
def evaluate(t):
    return t * 10


print(evaluate(x).requires_grad)
a = torch.ones(2, requires_grad=True)
b = a.detach()
b.zero_()
print(a)
print(x.data, x.data.requires_grad)
print(y.grad_fn is not None, y.detach().grad_fn)
import warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    _ = y.grad
print(len(caught) > 0)
