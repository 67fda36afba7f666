# The "Hooks for saved tensors" tutorial: what a graph node saved (grad_fn._saved_*), the raw SavedTensor with
# register_hooks, saved_tensors_hooks / save_on_cpu contexts, and what happens after backward frees them.
import torch

torch.manual_seed(0)
a = torch.randn(5, requires_grad=True)
b = torch.ones(5, requires_grad=True)


def f(x):
    return x.pow(2)


y = f(a)
print(y.grad_fn)
print(y.grad_fn._saved_self)
print(y.grad_fn._saved_self is a)
print(y.grad_fn._saved_exponent)

x = torch.randn(5, requires_grad=True)
y = x.exp()
print(y.grad_fn._saved_result.equal(y))
print(y.grad_fn._saved_result is y)

x = torch.randn(5, requires_grad=True)
y = x.pow(2)
y.sum().backward()
try:
    print(y.grad_fn._saved_self)
except RuntimeError as e:
    print("RuntimeError:", str(e)[:80])
print(y.grad_fn._saved_exponent)

z = a * b
print(sorted(n for n in dir(z.grad_fn) if n.startswith("_saved")))
print(z.grad_fn._saved_self is a, z.grad_fn._saved_other is b)
z = a * 3
print(z.grad_fn._saved_self, z.grad_fn._saved_other)
w = torch.randn(5, 3, requires_grad=True)
m = torch.randn(3, 2)
h = w @ m
fn = h.grad_fn
print(type(fn).__name__, fn._saved_self, fn._saved_mat2 is m, fn._saved_self_sym_sizes, fn._saved_mat2_sym_sizes,
      fn._saved_mat2_sym_strides)
s = w.sum(dim=1, keepdim=True)
print(s.grad_fn._saved_dim, s.grad_fn._saved_keepdim, s.grad_fn._saved_self_sym_sizes)
print(w.mean().grad_fn._saved_self_sym_numel)
print(w.t().reshape(15).grad_fn._saved_self_sym_sizes)
print(w.softmax(dim=1).grad_fn._saved_dim)
print(w.transpose(0, 1).grad_fn._saved_dim0, w.permute(1, 0).grad_fn._saved_dims)
print(w[1].grad_fn._saved_index, w[:, 1:].grad_fn._saved_start, w[:, 1:].grad_fn._saved_end)
print(w.unsqueeze(2).grad_fn._saved_dim, torch.cat([w, w], 1).grad_fn._saved_dim)
lin = torch.nn.Linear(3, 4)
out = lin(w)
print(type(out.grad_fn).__name__, out.grad_fn._saved_alpha, out.grad_fn._saved_beta, out.grad_fn._saved_mat1 is w,
      out.grad_fn._saved_mat2_sym_strides)
loss = torch.nn.functional.mse_loss(out, torch.zeros(5, 4))
print(loss.grad_fn._saved_reduction)
ce = torch.nn.functional.cross_entropy(out, torch.tensor([0, 1, 2, 3, 0]))
print(type(ce.grad_fn).__name__, ce.grad_fn._saved_reduction, ce.grad_fn._saved_ignore_index,
      ce.grad_fn._saved_total_weight)


# pack / unpack hooks on one saved tensor
def pack_hook(t):
    print("Packing", t)
    return t


def unpack_hook(t):
    print("Unpacking", t)
    return t


x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x.pow(2)
y.grad_fn._raw_saved_self.register_hooks(pack_hook, unpack_hook)
y.sum().backward()
print(x.grad)

try:
    y.grad_fn._raw_saved_self.register_hooks(lambda t: t, lambda t: t)
except RuntimeError as e:
    print("RuntimeError:", str(e)[:60])

# the context manager form
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    x = torch.ones(2, requires_grad=True)
    y = x * x
y.sum().backward()
print(x.grad)

# saving to a list, unpacking by index
storage = []


def pack(t):
    storage.append(t.clone())
    return len(storage) - 1


def unpack(i):
    return storage[i]


x = torch.randn(4, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = x.sin().cos().sum()
y.backward()
print(len(storage), torch.allclose(x.grad, -torch.sin(torch.sin(x)) * torch.cos(x)))

with torch.autograd.graph.save_on_cpu():
    y = (x * x).sum()
y.backward()
print(x.grad)
