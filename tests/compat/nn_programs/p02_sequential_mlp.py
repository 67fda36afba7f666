import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(4, 8),
    nn.ReLU(),
    nn.Linear(8, 8),
    nn.Tanh(),
    nn.Linear(8, 3),
)
print(model)
print(model[0])
print(model[-1].weight.shape)
print(len(model))

x = torch.randn(5, 4)
out = model(x)
# a near-zero logit: its float32 digits depend on the BLAS summation order, so rows print at 4 decimals
for row in out.tolist():
    print(" ".join(f"{v:8.4f}" for v in row))
print(out.argmax(dim=1))
print(torch.softmax(out, dim=1))

for name, p in model.named_parameters():
    print(f"{name:12s} {tuple(p.shape)}")
print("params:", sum(p.numel() for p in model.parameters()))
print("trainable:", sum(p.numel() for p in model.parameters() if p.requires_grad))
print(model[1:3])
