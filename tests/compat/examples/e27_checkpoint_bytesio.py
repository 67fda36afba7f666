# Saving and loading as the recipes do: state_dict round trips through io.BytesIO, a checkpoint dict with the
# optimizer and epoch, torch.save of a whole model with weights_only=False, strict=False key reports, map_location.
import io
import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(0)


class TheModelClass(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(6 * 2 * 2, 10)
        self.bn = nn.BatchNorm1d(10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        return self.bn(self.fc1(torch.flatten(x, 1)))


model = TheModelClass()
optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
print("Model's state_dict:")
for param_tensor in model.state_dict():
    print(param_tensor, "\t", model.state_dict()[param_tensor].size())
x = torch.randn(4, 3, 8, 8)
torch.nn.functional.cross_entropy(model(x), torch.tensor([1, 2, 3, 4])).backward()
optimizer.step()
print("Optimizer's state_dict:")
for var_name in optimizer.state_dict():
    value = optimizer.state_dict()[var_name]
    if var_name == "state":
        value = {k: {n: tuple(t.shape) for n, t in v.items()} for k, v in value.items()}
    print(var_name, "\t", value)
buf = io.BytesIO()
torch.save(model.state_dict(), buf)
buf.seek(0)
sd = torch.load(buf)
model2 = TheModelClass()
print(model2.load_state_dict(sd))
model.eval(); model2.eval()
print(torch.equal(model(x), model2(x)))
buf = io.BytesIO()
torch.save({"epoch": 3, "model_state_dict": model.state_dict(), "optimizer_state_dict": optimizer.state_dict(),
            "loss": 0.25, "names": ["a", "b"]}, buf)
buf.seek(0)
checkpoint = torch.load(buf, map_location="cpu", weights_only=True)
model3 = TheModelClass()
opt3 = optim.SGD(model3.parameters(), lr=0.1)
model3.load_state_dict(checkpoint["model_state_dict"])
opt3.load_state_dict(checkpoint["optimizer_state_dict"])
print(checkpoint["epoch"], checkpoint["loss"], checkpoint["names"], opt3.param_groups[0]["lr"], opt3.param_groups[0]["momentum"])
print(sorted(opt3.state_dict()["state"].keys()))
torch.save(model, "model.pt")
whole = torch.load("model.pt", weights_only=False)
print(type(whole).__name__, whole.training)
try:
    torch.load("model.pt")
except Exception as e:
    print(type(e).__name__)
partial = {k: v for k, v in sd.items() if not k.startswith("fc1")}
res = model2.load_state_dict(partial, strict=False)
print(res.missing_keys, res.unexpected_keys)
try:
    model2.load_state_dict(partial)
except RuntimeError as e:
    print(str(e).splitlines()[0])
bad = dict(sd)
bad["fc1.weight"] = torch.zeros(3, 3)
try:
    model2.load_state_dict(bad)
except RuntimeError as e:
    print("\n".join(str(e).splitlines()[:2]))
t = torch.arange(10)
buf = io.BytesIO()
torch.save([t[:5], t[5:], t], buf)
buf.seek(0)
a, b, c = torch.load(buf)
a[0] = 100
print(c[:3], a.dtype)
torch.save({"x": torch.ones(2, dtype=torch.float64), "n": 3}, "plain.pth")
print(torch.load("plain.pth"))
print(list(model.state_dict().keys())[-3:], model.state_dict()["bn.num_batches_tracked"])
