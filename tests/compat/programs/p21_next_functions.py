import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
c = a * b
d = c + a
e = d.sum()
print(e.grad_fn.name())
print([type(f).__name__ if f is not None else None for f, _ in e.grad_fn.next_functions])
print([(type(f).__name__, i) for f, i in d.grad_fn.next_functions])
print([(type(f).__name__, i) for f, i in c.grad_fn.next_functions])
acc = c.grad_fn.next_functions[0][0]
print(type(acc).__name__, acc.variable is a)
f = a * 2
print([(type(n).__name__ if n is not None else None, i) for n, i in f.grad_fn.next_functions])
g = a + torch.tensor([1.0, 1.0])
print([(type(n).__name__ if n is not None else None, i) for n, i in g.grad_fn.next_functions])


def walk(fn, depth=0):
    print("  " * depth + type(fn).__name__)
    for nxt, _ in fn.next_functions:
        if nxt is not None:
            walk(nxt, depth + 1)


walk((a.exp() * b.sin() - a / b).mean().grad_fn)
print(e.grad_fn.next_functions[0][0].next_functions[0][0].name())
x = torch.ones(2, 2, requires_grad=True)
y = x[0].view(1, 2).expand(3, 2).sum()
walk(y.grad_fn)
