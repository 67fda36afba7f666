# Weight init via model.apply, transfer-learning style freezing, and param groups with different lrs.
import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(0)


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(inplace=True),
            nn.AdaptiveAvgPool2d((1, 1)),
        )
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))


def init_weights(m):
    if isinstance(m, nn.Conv2d):
        nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.ones_(m.weight)
        nn.init.zeros_(m.bias)
    elif isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)
        m.bias.data.fill_(0.01)


model = Backbone()
model.apply(init_weights)
print(model)
print(f"{model.features[0].weight.std().item():.4f}", model.fc.bias[:3])
print(f"{model.fc.weight.abs().max().item():.4f}")
for name, m in model.named_modules():
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        print(name, type(m).__name__, tuple(m.weight.shape))

# Freeze the backbone, replace the head (fine-tuning as the transfer learning tutorial does)
for param in model.parameters():
    param.requires_grad = False
num_ftrs = model.fc.in_features
model.fc = nn.Linear(num_ftrs, 3)
trainable = [n for n, p in model.named_parameters() if p.requires_grad]
print(trainable)
optimizer_conv = optim.SGD(model.fc.parameters(), lr=0.01, momentum=0.9)
x = torch.randn(6, 3, 8, 8)
target = torch.randint(0, 3, (6,))
before = model.features[0].weight.clone()
model.train()
for step in range(3):
    optimizer_conv.zero_grad()
    loss = nn.functional.cross_entropy(model(x), target)
    loss.backward()
    optimizer_conv.step()
    print(step, f"{loss.item():.4f}")
print(torch.equal(before, model.features[0].weight), model.features[0].weight.grad)
print(model.features[1].running_mean[:3].round(decimals=4))

# Unfreeze and use param groups: small lr for the backbone, larger for the head
for param in model.features.parameters():
    param.requires_grad = True
optimizer = optim.Adam([
    {'params': model.features.parameters(), 'lr': 1e-4},
    {'params': model.fc.parameters()},
], lr=1e-2, weight_decay=1e-4)
print(optimizer)
print([len(g['params']) for g in optimizer.param_groups], [g['lr'] for g in optimizer.param_groups])
for step in range(3):
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(x), target)
    loss.backward()
    optimizer.step()
    print(step, f"{loss.item():.4f}")
print(torch.equal(before, model.features[0].weight))
optimizer.add_param_group({'params': [nn.Parameter(torch.zeros(2))], 'lr': 0.5})
print(len(optimizer.param_groups), optimizer.param_groups[2]['weight_decay'], optimizer.param_groups[2]['betas'])
for g in optimizer.param_groups:
    g['lr'] *= 0.1
print([round(g['lr'], 6) for g in optimizer.param_groups])
model.eval()
with torch.no_grad():
    print(model(x).argmax(1), target)
print(sum(p.numel() for p in model.parameters() if p.requires_grad))
