import torch

x = torch.arange(60).reshape(3, 4, 5)
keys = [
    (0,), (-1,), (slice(None), 1), (Ellipsis, 2), (None, 0), (slice(1, None), slice(None, None, 2)),
    (torch.tensor([0, 2]),), (torch.tensor([[0], [1]]), torch.tensor([1, 3])), ([0, 1], [1, 2], [2, 3]),
    (slice(None), [0, 3]), (0, [1, 2], slice(1, 3)), (torch.tensor(1),), (x[0, 0, 0] < 1,),
    (torch.tensor([True, False, True]),), (slice(None), torch.tensor([True, False, True, False])),
    (Ellipsis, None), (1, Ellipsis, torch.tensor([4, 0])), ([[0, 1], [2, 0]],), (slice(5, 10),),
    (slice(-100, 100),), (torch.tensor([], dtype=torch.long),), (slice(None), None, slice(None), 0),
]
for k in keys:
    try:
        r = x[k]
        print(k if not isinstance(k[0], torch.Tensor) else "tensor key", tuple(r.shape), r.flatten()[:6].tolist())
    except Exception as e:
        print("error", type(e).__name__, str(e).split("\n")[0])
y = torch.zeros(3, 4)
y[torch.tensor([0, 2])] = torch.tensor([1.0, 2.0, 3.0, 4.0])
y[:, [1, 3]] += 5
y[y > 4] -= 1
y[1] = torch.arange(4.0)
y[..., -1] = 9
y[[0, 0], [0, 0]] = torch.tensor([7.0, 8.0])
print(y)
z = torch.zeros(5)
z.index_put_((torch.tensor([0, 0, 3]),), torch.tensor([1.0, 1.0, 2.0]), accumulate=True)
print(z)
w = torch.zeros(2, 3, requires_grad=True)
v = w * 1
v[0, 1] = 5.0
v[1] = v[0] * 2
v.sum().backward()
print(v, w.grad)
