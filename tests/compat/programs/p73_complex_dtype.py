import torch

z = torch.tensor([1 + 2j, 3 - 1j])
print(z, z.dtype, z.real, z.imag, z.abs(), z.conj())
print(torch.complex(torch.tensor([1.0]), torch.tensor([2.0])), torch.view_as_real(z))
print((z * z).sum(), z.angle())
print(torch.tensor([1.0, 2.0]) + 1j)
