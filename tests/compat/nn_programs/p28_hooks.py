import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
activations = {}


def save_output(name):
    def hook(module, inputs, output):
        activations[name] = output.detach()
        print(f"forward hook {name}: {type(module).__name__} in={tuple(inputs[0].shape)} out={tuple(output.shape)}")
    return hook


handles = [model[i].register_forward_hook(save_output(str(i))) for i in range(3)]


def pre_hook(module, inputs):
    print("pre-hook sees", inputs[0].shape)


pre = model.register_forward_pre_hook(pre_hook)
x = torch.randn(5, 3)
out = model(x)
print(sorted(activations))
print(activations["1"])
for h in handles:
    h.remove()
pre.remove()
model(x)
print("hooks removed")

grads = []
x = torch.randn(2, 3, requires_grad=True)
x.register_hook(lambda g: grads.append(g.clone()))
y = model(x).sum()
y.backward()
print(grads[0])
print(torch.equal(grads[0], x.grad))


def double_output(module, inputs, output):
    return output * 2


h = model[2].register_forward_hook(double_output)
print(model(torch.ones(1, 3)))
h.remove()
print(model(torch.ones(1, 3)))
