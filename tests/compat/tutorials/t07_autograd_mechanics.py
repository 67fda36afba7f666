# "Autograd mechanics" notes and "A gentle introduction to torch.autograd".
import torch

torch.manual_seed(0)
a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3 * a ** 3 - b ** 2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
print(9 * a ** 2 == a.grad)
print(-2 * b == b.grad)
print(Q.grad_fn, Q.grad_fn.next_functions)

x = torch.rand(5, 5)
y = torch.rand(5, 5)
z = torch.rand((5, 5), requires_grad=True)
a = x + y
print(f"Does `a` require gradients?: {a.requires_grad}")
b = x + z
print(f"Does `b` require gradients?: {b.requires_grad}")

# Frozen parameters: excluded from the DAG
model = torch.nn.Sequential(torch.nn.Linear(10, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
for param in model.parameters():
    param.requires_grad = False
model[2] = torch.nn.Linear(8, 3)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
out = model(torch.randn(4, 10)).sum()
out.backward()
print([p.grad is None for p in model.parameters()])

# Saved tensors and in-place correctness checks
x = torch.randn(3, requires_grad=True)
y = x.exp()
print(y.grad_fn.name(), y.grad_fn.next_functions[0][0].__class__.__name__)
w = torch.randn(3, requires_grad=True)
h = w.sigmoid()
h.mul_(2)
try:
    h.sum().backward()
except RuntimeError as e:
    print(type(e).__name__, str(e)[:120])

# Retain graph, grad accumulation, torch.autograd.grad, higher order
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x ** 3).sum()
y.backward(retain_graph=True)
print(x.grad)
y.backward()
print(x.grad)
try:
    y.backward()
except RuntimeError as e:
    print(str(e).split(".")[0])
x.grad = None
g, = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)
print(g)
g2, = torch.autograd.grad(g.sum(), x)
print(g2)

# no_grad, inference mode, detach, set_grad_enabled
with torch.no_grad():
    print((x * 2).requires_grad)
with torch.inference_mode():
    print((x * 2).requires_grad)
with torch.set_grad_enabled(False):
    print((x * 2).requires_grad)
print(x.detach().requires_grad, torch.is_grad_enabled())


@torch.no_grad()
def doubler(t):
    return t * 2


print(doubler(x).requires_grad)

# Jacobian-vector products by hand
x = torch.randn(3, requires_grad=True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad / v.clamp(min=1e-9) * v.sign().clamp(min=0) > 0)
print(torch.autograd.functional.jacobian(lambda t: t ** 2, torch.tensor([1.0, 2.0])))

# requires_grad_ and leaf tensors
t = torch.zeros(2)
print(t.is_leaf, t.requires_grad_().is_leaf, (t * 1).is_leaf, t.grad)
try:
    (t * 1).requires_grad_(False)
except RuntimeError as e:
    print(str(e)[:90])
