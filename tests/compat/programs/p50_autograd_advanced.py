import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
l1 = (a * b).sum()
l2 = (a ** 2).sum()
torch.autograd.backward([l1, l2])
print(a.grad, b.grad)
a.grad = None
b.grad = None
loss = (a * b).sum()
loss.backward(inputs=[a])
print(a.grad, b.grad)
c = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = c * 2
torch.autograd.backward(out, grad_tensors=torch.tensor([1.0, 0.5, 0.0]))
print(c.grad)


class Clip(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        return x.clamp(lo, hi)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        print("needs_input_grad:", ctx.needs_input_grad)
        mask = (x >= ctx.lo) & (x <= ctx.hi)
        return g * mask, None, None


x = torch.tensor([-2.0, 0.5, 3.0], requires_grad=True)
y = Clip.apply(x, -1.0, 1.0)
y.sum().backward()
print(y, x.grad)


class TwoOut(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        idx = x.argmax()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(x)
        return x * 2, idx

    @staticmethod
    def backward(ctx, g, g_idx):
        return g * 2


v, i = TwoOut.apply(torch.tensor([1.0, 5.0, 2.0], requires_grad=True))
print(v, i, i.requires_grad)
w = torch.tensor([1.0, 2.0], requires_grad=True)
z = w.clone()
z[0] = z[0] * 10
z.sum().backward()
print(z, w.grad)
m = torch.zeros(3, requires_grad=True)
n = m[torch.tensor([0, 0, 1])]
(n * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print(m.grad)
p = torch.tensor([2.0], requires_grad=True)
q = p.expand(3) * torch.tensor([1.0, 2.0, 3.0])
q.sum().backward()
print(p.grad)
r = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
r.max().backward()
print(r.grad)
s = torch.tensor([1.0, 3.0, 3.0], requires_grad=True)
s.max().backward()
print(s.grad)
t = torch.tensor([0.0, 1.0], requires_grad=True)
t.abs().sum().backward()
print(t.grad)
u = torch.tensor([0.0, 4.0], requires_grad=True)
u.sqrt().sum().backward()
print(u.grad)
k = torch.tensor([1.0, -1.0], requires_grad=True)
torch.relu(k).sum().backward()
print(k.grad)
