# torch.func and the numerical namespaces as notebooks use them: vmap, grad, jacrev, functional_call, linalg
# (solve, inv, det, eigh, svd, qr, norm, lstsq, cholesky), fft (rfft, fftfreq, ifft), special functions.
import torch
import torch.nn as nn
from torch.func import vmap, grad, jacrev, jacfwd, functional_call, hessian

torch.manual_seed(0)
x = torch.randn(4, 3)
w = torch.randn(3)
print(vmap(torch.dot, in_dims=(0, None))(x, w))
print(grad(lambda t: (t.sin() ** 2).sum())(torch.tensor([0.5, 1.0])))
f = lambda t: t ** 2 + t.sum()
print(jacrev(f)(torch.tensor([1.0, 2.0])), jacfwd(f)(torch.tensor([1.0, 2.0])))
print(hessian(lambda t: (t ** 3).sum())(torch.tensor([1.0, -1.0])))
model = nn.Linear(3, 2)
params = {k: v.detach() for k, v in model.named_parameters()}
print(torch.allclose(functional_call(model, params, (x,)), model(x)))

def loss_fn(p, xb, yb):
    return ((functional_call(model, p, (xb,)) - yb) ** 2).mean()

per_sample = vmap(grad(loss_fn), in_dims=(None, 0, 0))(params, x.unsqueeze(1), torch.zeros(4, 1, 2))
print({k: v.shape for k, v in per_sample.items()})
A = torch.tensor([[4.0, 1.0], [1.0, 3.0]], dtype=torch.float64)
b = torch.tensor([1.0, 2.0], dtype=torch.float64)
print(torch.linalg.solve(A, b), torch.linalg.inv(A), torch.linalg.det(A))
L, Q = torch.linalg.eigh(A)
print(L, Q.abs())
U, S, Vh = torch.linalg.svd(A)
print(S, torch.dist(U @ torch.diag(S) @ Vh, A) < 1e-12)
q, r = torch.linalg.qr(A)
print(r.abs())
print(torch.linalg.norm(A), torch.linalg.norm(A, ord=2), torch.linalg.vector_norm(b, ord=1), torch.linalg.matrix_norm(A, "nuc"))
print(torch.linalg.cholesky(A))
print(torch.linalg.lstsq(torch.tensor([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]]), torch.tensor([[1.0], [2.0], [2.0]])).solution)
print(torch.linalg.matrix_rank(torch.ones(3, 3)), torch.linalg.pinv(torch.tensor([[1.0, 2.0], [2.0, 4.0]])))
print(torch.linalg.eigvals(A), torch.linalg.slogdet(A))
print(torch.linalg.matrix_power(A, 3), torch.linalg.cross(torch.tensor([1.0, 0, 0]), torch.tensor([0.0, 1, 0])))
try:
    torch.linalg.cholesky(torch.tensor([[1.0, 2.0], [2.0, 1.0]]))
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.linalg.inv(torch.zeros(2, 2))
except Exception as e:
    print(type(e).__name__, e)
t = torch.arange(8, dtype=torch.float32)
sig = torch.sin(2 * torch.pi * t / 8)
print(torch.fft.rfft(sig).abs().round(decimals=4))
print(torch.fft.fftfreq(8), torch.fft.rfftfreq(8, d=0.5))
F = torch.fft.fft(sig)
print(F.dtype, torch.fft.ifft(F).real.round(decimals=5))
print(torch.fft.fftshift(torch.arange(6)), torch.fft.fft2(torch.eye(2)))
print(torch.special.erf(torch.tensor([0.5])), torch.special.expit(torch.tensor([0.0])), torch.special.logit(torch.tensor([0.25])))
print(torch.special.gammaln(torch.tensor([5.0])), torch.special.digamma(torch.tensor([1.0])), torch.special.i0(torch.tensor([1.0])))
print(torch.special.xlogy(torch.tensor([0.0, 2.0]), torch.tensor([0.0, 3.0])), torch.special.log_softmax(torch.tensor([1.0, 2.0]), 0))
print(torch.special.entr(torch.tensor([0.5])), torch.special.sinc(torch.tensor([0.5])), torch.special.ndtri(torch.tensor([0.975])))
c = torch.complex(torch.tensor([1.0]), torch.tensor([2.0]))
print(c, c.abs(), c.angle(), torch.view_as_real(c), c.conj(), c * c)
print(torch.polar(torch.tensor([2.0]), torch.tensor([torch.pi / 2])).real.abs() < 1e-6)
