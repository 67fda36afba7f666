import torch

for dt in [torch.float32, torch.float64, torch.float16, torch.int8, torch.uint8,
           torch.int16, torch.int32, torch.int64, torch.bool]:
    t = torch.tensor([0, 1, 2], dtype=dt)
    print(dt, t, t.dtype, t.element_size(), t.is_floating_point())

print(torch.get_default_dtype())
a = torch.tensor([1, 2]) + torch.tensor([0.5, 0.5])
print(a, a.dtype)
b = torch.tensor([1, 2], dtype=torch.int32) * 2.5
print(b, b.dtype)
c = torch.tensor([1, 2], dtype=torch.int32) + torch.tensor([1, 2])
print(c.dtype)
d = torch.tensor([1.0], dtype=torch.float64) + torch.tensor([1.0])
print(d.dtype)
e = torch.tensor([True, False]) + torch.tensor([True, True])
print(e, e.dtype)
print((torch.tensor([1, 2]) / 2).dtype, torch.tensor([3, 4]) / 2)
print(torch.tensor([3, 4]) // 2, torch.tensor([-3, 4]) % 3)
print(torch.tensor([1, 2], dtype=torch.uint8) - 3)
print(torch.tensor([5], dtype=torch.int8).to(torch.float32))
print(torch.promote_types(torch.int32, torch.float16))
print(torch.result_type(torch.tensor([1]), 1.0))
print(torch.finfo(torch.float32).eps, torch.finfo(torch.float64).max)
print(torch.iinfo(torch.int32).max, torch.iinfo(torch.int8).min)
print(torch.tensor([1, 2, 3]).to(torch.float16))
print(torch.tensor([1.123456789], dtype=torch.float64))
print(torch.tensor([65504.0, 1e-3], dtype=torch.float16))
