# "Saving and loading models": state_dict, optimizer state, checkpoints, whole-model round trip, eval mode.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


class TheModelClass(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 32)
        self.bn = nn.BatchNorm1d(32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.bn(self.fc1(x)))
        return self.fc2(x)


torch.manual_seed(0)
model = TheModelClass()
optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
data = torch.randn(8, 3, 32, 32)
target = torch.randint(0, 10, (8,))
for step in range(3):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(data), target)
    loss.backward()
    optimizer.step()
print(f"loss {loss.item():.4f}")

print("Model's state_dict:")
for param_tensor in model.state_dict():
    print(param_tensor, "\t", model.state_dict()[param_tensor].size())

print("Optimizer's state_dict:")
for var_name in optimizer.state_dict():
    print(var_name, "\t", type(optimizer.state_dict()[var_name]).__name__)
print(optimizer.state_dict()['param_groups'])
print(sorted(optimizer.state_dict()['state'].keys()))
print(optimizer.state_dict()['state'][0]['momentum_buffer'].shape)

torch.save(model.state_dict(), "model.pt")
model2 = TheModelClass()
print(model2.load_state_dict(torch.load("model.pt", weights_only=True)))
model2.eval()
model.eval()
with torch.no_grad():
    print(torch.equal(model(data), model2(data)))
    print(model2(data)[0].round(decimals=3))
print(model2.bn.running_mean[:5], model2.bn.num_batches_tracked)

EPOCH = 5
torch.save({
    'epoch': EPOCH,
    'model_state_dict': model.state_dict(),
    'optimizer_state_dict': optimizer.state_dict(),
    'loss': loss,
}, "checkpoint.tar")

model3 = TheModelClass()
optimizer3 = optim.SGD(model3.parameters(), lr=0.5)
checkpoint = torch.load("checkpoint.tar", weights_only=True)
model3.load_state_dict(checkpoint['model_state_dict'])
optimizer3.load_state_dict(checkpoint['optimizer_state_dict'])
epoch = checkpoint['epoch']
loss3 = checkpoint['loss']
print(epoch, f"{loss3.item():.4f}", loss3.requires_grad, optimizer3.param_groups[0]['lr'])
model3.train()
optimizer3.zero_grad()
F.cross_entropy(model3(data), target).backward()
optimizer3.step()
optimizer.zero_grad()
model.train()
F.cross_entropy(model(data), target).backward()
optimizer.step()
print(torch.allclose(model3.fc2.weight, model.fc2.weight))

# Load on a fresh model and switch to eval mode before inference.
fresh = TheModelClass()
fresh.load_state_dict(torch.load("model.pt", map_location="cpu", weights_only=True))
print(fresh.eval().training, fresh.bn)

# Saving multiple models in one file, and warm-starting with strict=False.
torch.save({'modelA': model.state_dict(), 'modelB': model2.state_dict()}, "ab.pt")
ab = torch.load("ab.pt", weights_only=True)
print(list(ab.keys()), len(ab['modelA']))


class Smaller(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc2 = nn.Linear(32, 10)
        self.extra = nn.Linear(10, 2)


res = Smaller().load_state_dict(ab['modelA'], strict=False)
print(res.missing_keys)
print(res.unexpected_keys)
try:
    Smaller().load_state_dict(ab['modelA'])
except RuntimeError as e:
    print(type(e).__name__, str(e).splitlines()[0])
