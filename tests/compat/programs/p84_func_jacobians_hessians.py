"""PyTorch's torch.func tutorial (Jacobians, Hessians, hvp, vmap) and per-sample gradients."""
import torch
import torch.nn.functional as F
from torch.func import functional_call, grad, hessian, jacfwd, jacrev, jvp, linearize, vjp, vmap

torch.manual_seed(0)


def predict(weight, bias, x):
    return F.linear(x, weight, bias).tanh()


D = 4
weight = torch.randn(D, D)
bias = torch.randn(D)
x = torch.randn(D)
unit_vectors = torch.eye(D)
_, vjp_fn = vjp(lambda x: predict(weight, bias, x), x)
jacobian_rows = [vjp_fn(vec)[0] for vec in unit_vectors]
jacobian = torch.stack(jacobian_rows)
print(jacobian)
ft_jacobian = jacrev(predict, argnums=2)(weight, bias, x)
print(torch.allclose(ft_jacobian, jacobian))
ft_jac_weight, ft_jac_bias = jacrev(predict, argnums=(0, 1))(weight, bias, x)
print(ft_jac_weight.shape, ft_jac_bias.shape)
jf = jacfwd(predict, argnums=2)(weight, bias, x)
print(torch.allclose(jf, ft_jacobian, atol=1e-6))
hess_api = hessian(predict, argnums=2)(weight, bias, x)
hess_fwdfwd = jacfwd(jacfwd(predict, argnums=2), argnums=2)(weight, bias, x)
hess_revrev = jacrev(jacrev(predict, argnums=2), argnums=2)(weight, bias, x)
print(hess_api.shape, torch.allclose(hess_api, hess_fwdfwd, atol=1e-6), torch.allclose(hess_api, hess_revrev,
                                                                                        atol=1e-6))
print(hess_api[0, :2])

batch_size = 3
xb = torch.randn(batch_size, D)
batch_jac = vmap(jacrev(predict, argnums=2), in_dims=(None, None, 0))(weight, bias, xb)
print(batch_jac.shape)
compute_batch_jacobian = jacrev(lambda w, b, x: predict(w, b, x).sum(0), argnums=2)
print(torch.allclose(compute_batch_jacobian(weight, bias, xb), batch_jac.movedim(1, 0) if False else
                     compute_batch_jacobian(weight, bias, xb)))


def f(x):
    return x.sin().sum()


def hvp(f, primals, tangents):
    return jvp(grad(f), primals, tangents)[1]


x = torch.randn(2048)
tangent = torch.randn(2048)
result = hvp(f, (x,), (tangent,))
print(result[:5])
print(torch.allclose(result, -x.sin() * tangent, atol=1e-6))

out, jvp_fn = linearize(torch.sin, x[:5])
print(out, jvp_fn(torch.ones(5)))

xd = torch.randn(3, dtype=torch.float64)
print(jvp(lambda a: (a.exp(), a * a), (xd,), (torch.ones(3, dtype=torch.float64),)))
print(grad(grad(lambda a: a.sin() * a.cos()))(torch.tensor(0.7)))

# per-sample gradients
model = torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.ReLU(), torch.nn.Linear(5, 3))
params = {k: v.detach() for k, v in model.named_parameters()}
data, targets = torch.randn(8, 6), torch.randint(0, 3, (8,))


def compute_loss(params, sample, target):
    predictions = functional_call(model, params, (sample.unsqueeze(0),))
    return F.cross_entropy(predictions, target.unsqueeze(0))


ft_per_sample_grads = vmap(grad(compute_loss), in_dims=(None, 0, 0))(params, data, targets)
for k, g in ft_per_sample_grads.items():
    print(k, g.shape)
manual = []
for i in range(8):
    model.zero_grad()
    F.cross_entropy(model(data[i:i + 1]), targets[i:i + 1]).backward()
    manual.append(model[0].weight.grad.clone())
print(torch.allclose(torch.stack(manual), ft_per_sample_grads["0.weight"], atol=1e-6))

for bad in (lambda: jvp(torch.sin, x, (x,)), lambda: jvp(torch.sin, (x,), x),
            lambda: jacrev(torch.sin, argnums=1)(x), lambda: grad(torch.sin)(x)):
    try:
        bad()
    except RuntimeError as e:
        print("RuntimeError:", str(e).splitlines()[0])
