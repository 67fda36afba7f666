import torch

shapes = [((3, 1), (1, 4)), ((2, 3, 4), (4,)), ((5, 1, 3), (2, 1)), ((1,), (3, 3)), ((), (2, 2)),
          ((2, 0), (1,)), ((3,), (4,)), ((2, 3), (3, 2)), ((4, 1, 2), (3, 1)), ((1, 1), (0,))]
for sa, sb in shapes:
    a = torch.ones(sa)
    b = torch.ones(sb) * 2
    try:
        r = a * b
        print(sa, sb, "->", tuple(r.shape), r.sum().item())
    except RuntimeError as e:
        print(sa, sb, "RuntimeError:", e)
print(torch.broadcast_tensors(torch.ones(2, 1), torch.ones(3))[0].shape)
print(torch.ones(2, 1).expand(-1, 3).shape, torch.ones(3).expand(2, -1).shape)
try:
    torch.broadcast_shapes((2, 3), (3, 2))
except RuntimeError as e:
    print("RuntimeError:", e)
x = torch.zeros(3, 1, requires_grad=True)
y = torch.zeros(1, 4, requires_grad=True)
(x + y).pow(2).add(1).sum().backward()
print(x.grad.shape, y.grad, x.grad)
