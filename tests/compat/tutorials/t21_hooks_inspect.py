# Forward/backward hooks to inspect activations and gradients (feature extraction, dead-ReLU counting).
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(4 * 3 * 3, 10), nn.ReLU(), nn.Linear(10, 3),
)
activation = {}


def get_activation(name):
    def hook(model, input, output):
        activation[name] = output.detach()
    return hook


handles = []
for name, layer in model.named_children():
    handles.append(layer.register_forward_hook(get_activation(name)))
x = torch.randn(2, 1, 8, 8)
out = model(x)
for name, act in activation.items():
    print(name, type(model[int(name)]).__name__, tuple(act.shape))
print(f"dead relu fraction {(activation['5'] == 0).float().mean().item():.4f}")
print(activation['6'].round(decimals=3))

grads = {}


def save_grad(name):
    def hook(module, grad_input, grad_output):
        grads[name] = grad_output[0].detach()
    return hook


bh = model[4].register_full_backward_hook(save_grad('fc1'))
out = model(x)
out.sum().backward()
print(grads['fc1'].shape, grads['fc1'].abs().sum().item() > 0)
bh.remove()
for h in handles:
    h.remove()
activation.clear()
model(x)
print(len(activation))

# Tensor hooks: modify and record gradients
w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
seen = []
h = w.register_hook(lambda g: seen.append(g.clone()))
h2 = w.register_hook(lambda g: g * 2)
(w ** 2).sum().backward()
print(seen, w.grad)
h2.remove()
w.grad = None
(w ** 2).sum().backward()
print(w.grad, len(seen))

mid = torch.randn(3, requires_grad=True)
inter = mid * 3
inter.retain_grad()
inter.register_hook(lambda g: print("intermediate grad", g))
(inter.sin()).sum().backward()
print(inter.grad.equal(torch.cos(inter.detach())))


# Forward pre-hook changing the input, and a hook returning a new output
def scale_input(module, args):
    return (args[0] * 0,)


lin = nn.Linear(3, 2)
ph = lin.register_forward_pre_hook(scale_input)
print(torch.equal(lin(torch.randn(1, 3)), lin.bias.unsqueeze(0)))
ph.remove()
oh = lin.register_forward_hook(lambda m, i, o: o.clamp(min=0))
print((lin(torch.randn(5, 3)) >= 0).all())
oh.remove()
print(len(lin._forward_hooks), len(lin._forward_pre_hooks))

# Gradient norms per layer after backward, as debugging tutorials print them
model.zero_grad()
loss = nn.functional.cross_entropy(model(x), torch.tensor([0, 2]))
loss.backward()
for name, p in model.named_parameters():
    print(f"{name:10s} grad norm {p.grad.norm().item():.4f}")

# Module backward hooks that change gradients: a pre-hook zeroing grad_output, a hook doubling grad_input
mlp = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
xs = torch.randn(5, 3, requires_grad=True)
out = mlp(xs)
print(out.grad_fn.__class__.__name__)
pre = mlp[2].register_full_backward_pre_hook(lambda m, go: (go[0] * 0,))
mlp(xs).sum().backward()
print(mlp[2].weight.grad.abs().sum(), mlp[0].weight.grad.abs().sum(), xs.grad.abs().sum())
pre.remove()
mlp.zero_grad()
xs.grad = None
seen_shapes = []
h1 = mlp[0].register_full_backward_hook(lambda m, gi, go: seen_shapes.append((gi[0].shape, go[0].shape)))
h2 = mlp[1].register_full_backward_hook(lambda m, gi, go: (gi[0] * 2,))
mlp(xs).sum().backward()
print(seen_shapes)
print(mlp[0].weight.grad.round(decimals=4))
print(xs.grad.round(decimals=4))
h1.remove()
h2.remove()
first = []
mlp[0].register_full_backward_hook(lambda m, gi, go: first.append(gi))
mlp(torch.randn(2, 3)).sum().backward()
print(first)
with torch.no_grad():
    print(mlp(xs).grad_fn)
print(mlp(xs).grad_fn, mlp(xs).grad_fn.next_functions[0][0].__class__.__name__)
