import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = torch.tensor([[4.0], [5.0]], requires_grad=True)
z = x * y + y**2
z.retain_grad()
z_sum = z.sum()
z_sum.backward()
print(z)
print(z_sum)
print(f"Gradient of x: {x.grad}")
print(f"Gradient of y: {y.grad}")
print(f"Gradient of z: {z.grad}")
print(f"Result of the operation: z = {z.detach()}")
print((x, y, x.shape, y.shape, (x * y).shape, x * y))
print(y**2)
print(repr([x, y.detach()]))
fn = z_sum.grad_fn
depth = 0
while fn is not None:
    print("  " * depth + fn.name(), [type(n).__name__ for n, _ in fn.next_functions])
    fn = fn.next_functions[0][0] if fn.next_functions else None
    depth += 1
