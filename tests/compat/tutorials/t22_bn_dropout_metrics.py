# BatchNorm/Dropout train vs eval, accuracy and confusion matrix with argmax/bincount, model summary.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self, n_in=6, n_hidden=16, n_out=4):
        super().__init__()
        self.fc1 = nn.Linear(n_in, n_hidden, bias=False)  # BN removes the mean: a bias here only gets rounding noise
        self.bn1 = nn.BatchNorm1d(n_hidden)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.bn1(self.fc1(x)))))


model = Net()
x = torch.randn(8, 6)
model.train()
o1, o2 = model(x), model(x)
print("train outputs differ:", not torch.equal(o1, o2))
print(model.bn1.running_mean[:4].round(decimals=4), model.bn1.num_batches_tracked)
model.eval()
e1, e2 = model(x), model(x)
print("eval outputs equal:", torch.equal(e1, e2))
print(model.training, model.bn1.training, model.drop.training)
print(model.bn1)

drop = nn.Dropout(p=0.5)
t = torch.ones(2, 8)
print(drop(t))
drop.eval()
print(drop(t))
print(F.dropout(t, p=0.25, training=True))

bn = nn.BatchNorm1d(3, momentum=0.5)
data = torch.randn(10, 3) * 2 + 1
bn(data)
print(bn.running_mean.round(decimals=4), bn.running_var.round(decimals=4))
bn.eval()
print(bn(data[:2]).round(decimals=4))
bn2 = nn.BatchNorm2d(2, affine=False, track_running_stats=False)
print(bn2, bn2(torch.randn(2, 2, 3, 3)).mean(dim=(0, 2, 3)).abs().lt(1e-5))

# Train a little, then evaluate: accuracy and confusion matrix
torch.manual_seed(3)
X = torch.randn(200, 6)
labels = (X[:, :2].sum(1) > 0).long() + 2 * (X[:, 2] > 0).long()
model = Net()
opt = torch.optim.Adam(model.parameters(), lr=0.02)
for epoch in range(30):
    model.train()
    opt.zero_grad()
    loss = F.cross_entropy(model(X), labels)
    loss.backward()
    opt.step()
    if epoch % 10 == 9:
        print(f"epoch {epoch + 1} loss {loss.item():.4f}")
model.eval()
with torch.no_grad():
    logits = model(X)
preds = logits.argmax(dim=1)
acc = (preds == labels).float().mean()
print(f"accuracy {acc.item():.4f} ({(preds == labels).sum().item()}/{len(labels)})")
num_classes = 4
cm = torch.bincount(labels * num_classes + preds, minlength=num_classes ** 2).reshape(num_classes, num_classes)
print(cm)
per_class = cm.diag().float() / cm.sum(1).float()
print(per_class.round(decimals=4))
precision = cm.diag().float() / cm.sum(0).clamp(min=1).float()
print(precision.round(decimals=4))
cm2 = torch.zeros(num_classes, num_classes, dtype=torch.int64)
for t_, p_ in zip(labels.view(-1), preds.view(-1)):
    cm2[t_.long(), p_.long()] += 1
print(torch.equal(cm, cm2))
probs = F.softmax(logits, dim=1)
top2 = probs.topk(2, dim=1)
print(top2.indices[:3], top2.values[:3].round(decimals=3))

# Model summary: parameter counts per layer
print(model)
total = 0
print(f"{'Layer':<12}{'Shape':<20}{'Params':>8}")
for name, p in model.named_parameters():
    print(f"{name:<12}{str(list(p.shape)):<20}{p.numel():>8}")
    total += p.numel()
print(f"Total params: {total:,}")
print(f"Trainable params: {sum(p.numel() for p in model.parameters() if p.requires_grad):,}")
buffers = {n: b.shape for n, b in model.named_buffers()}
print(buffers)
