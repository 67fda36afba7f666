import torch

loss = torch.tensor(0.123456789)
print(loss.item(), type(loss.item()).__name__)
print(f"{loss:.4f}", f"{loss.item():.2e}")
print(f"{loss}")
print(f"loss={loss!r}")
print(torch.tensor(3).item(), type(torch.tensor(3).item()).__name__)
print(torch.tensor(True).item())
print(torch.tensor([[1, 2], [3, 4]]).tolist())
print(torch.tensor([1.5, 2.25]).tolist())
print(torch.tensor(2.5).tolist())
print(torch.tensor([1.1, 2.2], dtype=torch.float64).tolist())
print(float(torch.tensor(1.5)), int(torch.tensor(7.9)), bool(torch.tensor(0.0)))
print(torch.tensor([0.1]).item())
x = torch.tensor([1.0, 2.0])
print("x =", x)
print("values: %s" % x)
print(str(torch.tensor(5)), repr(torch.tensor([5])))
print("{:.3f}".format(torch.tensor(2.0 / 3)))
print(round(torch.tensor(2.567).item(), 2))
try:
    x.item()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    f"{x:.2f}"
except TypeError as e:
    print("TypeError:", e)
try:
    bool(x)
except RuntimeError as e:
    print("RuntimeError:", e)
print(len(x), len(torch.zeros(4, 2)))
try:
    len(torch.tensor(1.0))
except TypeError as e:
    print("TypeError:", e)
for v in torch.tensor([[1, 2], [3, 4]]):
    print(v)
print(list(torch.arange(3)))
print(3 in torch.tensor([1, 2, 3]), 5 in torch.tensor([1, 2]))
print(hash(x) == hash(x), x is x)
print(max(torch.tensor([3.0, 1.0])), sum(torch.tensor([1, 2, 3])))
print(torch.tensor(2.0) * 3 == 6, int(torch.tensor(5)) + 1)
print(torch.tensor([1.0, 2.0]).sum().item() / 2)
