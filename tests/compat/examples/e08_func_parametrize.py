# Recipes: torch.func (functional_call, grad, vmap, jacrev, per-sample gradients, model ensembling with
# stack_module_state), parametrizations (orthogonal-ish custom parametrization, weight_norm, spectral_norm),
# the meta device and to_empty, register_buffer(persistent=False), model.apply init loops.
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.parametrize as parametrize
from torch.func import functional_call, grad, vmap, jacrev, jacfwd, hessian, stack_module_state
from torch.nn.utils.parametrizations import weight_norm, spectral_norm, orthogonal

torch.manual_seed(0)


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 5)
        self.fc2 = nn.Linear(5, 3)
        self.register_buffer("scale", torch.tensor(2.0), persistent=False)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x))) * self.scale


model = SimpleCNN()
print(list(model.state_dict().keys()), [n for n, _ in model.named_buffers()])
data = torch.randn(8, 6)
targets = torch.randint(0, 3, (8,))

# per-sample gradients, as in the torch.func tutorial
params = {k: v.detach() for k, v in model.named_parameters()}
buffers = {k: v.detach() for k, v in model.named_buffers()}


def compute_loss(params, buffers, sample, target):
    batch = sample.unsqueeze(0)
    targets = target.unsqueeze(0)
    predictions = functional_call(model, (params, buffers), (batch,))
    return F.cross_entropy(predictions, targets)


ft_compute_grad = grad(compute_loss)
ft_compute_sample_grad = vmap(ft_compute_grad, in_dims=(None, None, 0, 0))
ft_per_sample_grads = ft_compute_sample_grad(params, buffers, data, targets)
for k, g in ft_per_sample_grads.items():
    print(k, tuple(g.shape))
print(ft_per_sample_grads["fc2.bias"][:3])
manual = []
for i in range(8):
    model.zero_grad()
    F.cross_entropy(model(data[i:i + 1]), targets[i:i + 1]).backward()
    manual.append(model.fc2.bias.grad.clone())
print(torch.allclose(torch.stack(manual), ft_per_sample_grads["fc2.bias"], atol=1e-6))

# ensembling
models = [SimpleCNN() for _ in range(3)]
ens_params, ens_buffers = stack_module_state(models)
print({k: tuple(v.shape) for k, v in ens_params.items()})
base = copy.deepcopy(models[0]).to("meta")
print(base.fc1.weight.device, base.fc1.weight.shape)


def fmodel(params, buffers, x):
    return functional_call(base, (params, buffers), (x,))


out = vmap(fmodel, in_dims=(0, 0, None))(ens_params, ens_buffers, data[:2])
print(out.shape)
print(torch.allclose(out[1], models[1](data[:2]), atol=1e-6))

f = lambda x: (x.sin() * x).sum()
x = torch.tensor([0.5, 1.0, 2.0])
print(grad(f)(x))
print(jacrev(lambda x: x.sin() * x)(x))
print(jacfwd(lambda x: x ** 2)(x))
print(hessian(f)(x))
print(vmap(torch.dot)(torch.ones(2, 3), torch.arange(6.).view(2, 3)))
print(vmap(lambda r: r.sum(), in_dims=1)(torch.arange(6.).view(2, 3)))

# parametrizations


class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)


layer = nn.Linear(3, 3)
parametrize.register_parametrization(layer, "weight", Symmetric())
print(layer)
print(layer.weight)
print(torch.allclose(layer.weight, layer.weight.T))
print(parametrize.is_parametrized(layer), parametrize.is_parametrized(layer, "bias"))
print(layer.parametrizations.weight.original)
print(sorted(layer.state_dict().keys()))
with parametrize.cached():
    w1 = layer.weight
    print(w1 is layer.weight)
parametrize.remove_parametrizations(layer, "weight", leave_parametrized=True)
print(layer, type(layer.weight).__name__)

wn = weight_norm(nn.Linear(4, 2))
print(wn)
print(sorted(n for n, _ in wn.named_parameters()))
print(wn.parametrizations.weight.original0, wn.parametrizations.weight.original1, sep="\n")
y = wn(torch.ones(1, 4))
y.sum().backward()
print(y, wn.parametrizations.weight.original0.grad)

sn = spectral_norm(nn.Linear(5, 4))
print(torch.linalg.matrix_norm(sn.weight, 2) <= 1.0 + 1e-4)
sn.eval()
print(torch.linalg.svdvals(sn.weight.detach())[0])

orth = orthogonal(nn.Linear(3, 3))
Q = orth.weight
print(torch.allclose(Q @ Q.T, torch.eye(3), atol=1e-5))

# meta device and materialisation
with torch.device("meta"):
    big = nn.Sequential(nn.Linear(1000, 1000), nn.ReLU(), nn.Linear(1000, 10))
print(big[0].weight)
print(sum(p.numel() for p in big.parameters()))
print(big(torch.empty(2, 1000, device="meta")).shape)
big = big.to_empty(device="cpu")
print(big[0].weight.device, big[0].weight.shape)


def init_weights(m):
    if isinstance(m, nn.Linear):
        torch.nn.init.xavier_uniform_(m.weight)
        m.bias.data.fill_(0.01)


big.apply(init_weights)
print(big[2].bias[:3], big[2].weight.std())
t = torch.empty(3, 4, device="meta")
print(t, t.size(), t.dtype, t.is_meta)
try:
    t.tolist()
except Exception as e:
    print(type(e).__name__, e)
