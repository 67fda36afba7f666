# A small PyTorch training script of the common kind: a Dataset subclass, random_split, DataLoader with
# shuffling, an nn.Sequential MLP with explicit init, Adam with weight decay, a cosine schedule, gradient
# clipping, evaluation under no_grad, a checkpoint round trip through io.BytesIO, and printed losses/tensors.
import io
import math
import sys

import torch
import torch.nn.init as init
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, Dataset, random_split


class Spirals(Dataset):
    def __init__(self, n, noise=0.1):
        g = torch.Generator().manual_seed(42)
        t = torch.rand(n, generator=g) * 3 * math.pi
        label = torch.randint(0, 2, (n,), generator=g)
        sign = label.float() * 2 - 1
        x = torch.stack([t * torch.cos(t) * sign, t * torch.sin(t) * sign], 1) / 10
        self.x = x + noise * torch.randn(n, 2, generator=g)
        self.y = label

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


def make_model():
    model = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))
    for m in model.modules():
        if isinstance(m, nn.Linear):
            init.xavier_uniform_(m.weight)
            init.zeros_(m.bias)
    return model


def evaluate(model, loader):
    model.eval()
    total, correct, loss = 0, 0, 0.0
    with torch.no_grad():
        for x, y in loader:
            out = model(x)
            loss += F.cross_entropy(out, y, reduction='sum').item()
            correct += (out.argmax(1) == y).sum().item()
            total += len(y)
    return loss / total, correct / total


def main(epochs):
    torch.manual_seed(0)
    data = Spirals(240)
    train_set, val_set = random_split(data, [200, 40], generator=torch.Generator().manual_seed(1))
    train_loader = DataLoader(train_set, batch_size=16, shuffle=True, drop_last=True)
    val_loader = DataLoader(val_set, batch_size=32)
    model = make_model()
    print(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    for epoch in range(epochs):
        model.train()
        running = 0.0
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            norm = nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            running += loss.item()
        scheduler.step()
        val_loss, acc = evaluate(model, val_loader)
        print(f"epoch {epoch}: train {running / len(train_loader):.4f} val {val_loss:.4f} acc {acc:.3f} "
              f"lr {scheduler.get_last_lr()[0]:.5f} norm {norm:.4f}")
    buffer = io.BytesIO()
    torch.save({'model': model.state_dict(), 'optimizer': optimizer.state_dict()}, buffer)
    buffer.seek(0)
    state = torch.load(buffer)
    clone = make_model()
    clone.load_state_dict(state['model'])
    x, _ = val_set[0]
    print(clone(x.unsqueeze(0)), model(x.unsqueeze(0)).argmax())
    print(list(state['optimizer']['state'][0].keys()), state['optimizer']['param_groups'][0]['lr'])


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
