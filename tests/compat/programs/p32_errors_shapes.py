import torch

a = torch.ones(2, 3)
b = torch.ones(3, 2)
for fn, label in [
    (lambda: a + b, "add"),
    (lambda: a * torch.ones(4), "mul"),
    (lambda: a @ a, "matmul"),
    (lambda: torch.matmul(torch.ones(3), torch.ones(4)), "matmul1d"),
    (lambda: a.view(4, 2), "view"),
    (lambda: a.reshape(5), "reshape"),
    (lambda: a.sum(dim=2), "sum dim"),
    (lambda: a.transpose(0, 3), "transpose"),
    (lambda: a.permute(0), "permute"),
    (lambda: a.unsqueeze(4), "unsqueeze"),
    (lambda: a.squeeze(5), "squeeze"),
    (lambda: torch.cat([a, b]), "cat"),
    (lambda: torch.cat([a, b], dim=2), "cat dim"),
    (lambda: a.expand(3, 3), "expand"),
    (lambda: a.softmax(dim=2), "softmax"),
    (lambda: a.max(dim=-3), "max dim"),
    (lambda: a.flatten(3), "flatten"),
]:
    try:
        fn()
        print(label, "no error")
    except (RuntimeError, IndexError, ValueError, TypeError) as e:
        print(label, type(e).__name__, e)
