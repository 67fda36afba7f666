import torch
import torch.nn as nn

torch.manual_seed(0)
backbone = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU())
head = nn.Linear(8, 2)
model = nn.Sequential(backbone, head)
for p in backbone.parameters():
    p.requires_grad = False
print([(n, p.requires_grad) for n, p in model.named_parameters()])
trainable = [p for p in model.parameters() if p.requires_grad]
print("trainable params:", sum(p.numel() for p in trainable))
print("frozen params:", sum(p.numel() for p in model.parameters() if not p.requires_grad))
opt = torch.optim.SGD(trainable, lr=0.1)
x = torch.randn(6, 4)
y = torch.tensor([0, 1, 1, 0, 1, 0])
w0 = backbone[0].weight.clone()
for _ in range(3):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    print(f"{loss.item():.4f}")
print(backbone[0].weight.grad)
print(torch.equal(w0, backbone[0].weight))
print(head.weight.grad)
head.requires_grad_(False)
print(any(p.requires_grad for p in model.parameters()))
out = model(x)
print(out.requires_grad, out.grad_fn)
