import os
import tempfile
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))

    def forward(self, x):
        return self.layers(x)


torch.manual_seed(0)
model = MLP()
x = torch.randn(2, 3)
before = model(x)
path = os.path.join(tempfile.mkdtemp(), "model.pt")
torch.save(model.state_dict(), path)

torch.manual_seed(1)
fresh = MLP()
print(torch.equal(fresh(x), before))
result = fresh.load_state_dict(torch.load(path))
print(result)
print(torch.equal(fresh(x), before))
fresh.eval()
print(fresh(x))

sd = torch.load(path, weights_only=True)
for k, v in sd.items():
    print(k, v.shape, v.dtype, v.requires_grad)

checkpoint = {"epoch": 5, "model": model.state_dict(), "loss": 0.25}
torch.save(checkpoint, path)
ck = torch.load(path)
print(ck["epoch"], ck["loss"], list(ck["model"].keys()))
t = torch.arange(6).reshape(2, 3)
torch.save(t, path)
print(torch.load(path))
