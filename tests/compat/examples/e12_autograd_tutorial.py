# PyTorch's autograd tutorials as users run them: grad_fn names, retain_graph and accumulation, retain_grad with a
# hook that rescales the gradient (retain_grad sees the hook's result), inference_mode tensors, grad errors caught.
import torch
torch.manual_seed(0)
x = torch.ones(5)
y = torch.zeros(3)
w = torch.randn(5, 3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
print(f"Gradient function for z = {z.grad_fn}".split(" object")[0])
print(f"Gradient function for loss = {loss.grad_fn}".split(" object")[0])
loss.backward()
print(w.grad)
print(b.grad)
z = torch.matmul(x, w) + b
print(z.requires_grad)
with torch.no_grad():
    z = torch.matmul(x, w) + b
print(z.requires_grad)
z = torch.matmul(x, w) + b
z_det = z.detach()
print(z_det.requires_grad)
inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\n{inp.grad}")
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nSecond call\n{inp.grad}")
inp.grad.zero_()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nCall after zeroing gradients\n{inp.grad}")
a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3 * a ** 3 - b ** 2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
print(9 * a ** 2 == a.grad)
print(-2 * b == b.grad)
x = torch.rand(5, 5)
y = torch.rand(5, 5)
z = torch.rand((5, 5), requires_grad=True)
a = x + y
print(f"Does `a` require gradients?: {a.requires_grad}")
b = x + z
print(f"Does `b` require gradients?: {b.requires_grad}")
# retain_grad and hooks
x = torch.tensor([1., 2., 3.], requires_grad=True)
h = x * 2
h.retain_grad()
print(h.retains_grad, h.is_leaf, x.is_leaf)
hk = h.register_hook(lambda g: print("hook got", g) or g * 10)
out = (h ** 2).sum()
out.backward()
print(h.grad, x.grad)
hk.remove()
# inference mode
with torch.inference_mode():
    t = torch.ones(2) * 3
print(t.requires_grad, torch.is_inference_mode_enabled(), t.is_inference())
try:
    t.requires_grad_()
    (t * torch.ones(2, requires_grad=True)).sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)
# set_grad_enabled
torch.set_grad_enabled(False)
print((torch.ones(1, requires_grad=True) * 2).requires_grad)
torch.set_grad_enabled(True)
@torch.no_grad()
def f(v):
    return v * 2
print(f(torch.ones(1, requires_grad=True)).requires_grad)
# errors
try:
    torch.ones(2, requires_grad=True).sum().backward(); y = torch.ones(2, requires_grad=True) * 2; y.backward()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    x = torch.ones(2, requires_grad=True); y = (x * x).sum(); y.backward(); y.backward()
except RuntimeError as e:
    print("RuntimeError:", str(e)[:90])
try:
    x = torch.ones(2, requires_grad=True); x.add_(1)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.tensor([1, 2], requires_grad=True)
except RuntimeError as e:
    print("RuntimeError:", e)
x = torch.ones(3, requires_grad=True)
y = x.sigmoid(); y.mul_(2)
try:
    y.sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)
g, = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)
g2, = torch.autograd.grad(g.sum(), x)
print(g, g2)
print(torch.autograd.grad((x * 2).sum(), [x], allow_unused=True))
