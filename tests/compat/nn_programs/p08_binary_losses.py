import torch
import torch.nn as nn

torch.manual_seed(3)
logits = torch.randn(6, requires_grad=True)
targets = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])

bce_logits = nn.BCEWithLogitsLoss()
loss = bce_logits(logits, targets)
print(loss)
loss.backward()
print(logits.grad)

probs = torch.sigmoid(logits.detach())
print(nn.BCELoss()(probs, targets))
print(nn.BCELoss(reduction="none")(probs, targets))
print(nn.BCEWithLogitsLoss(pos_weight=torch.tensor(2.0))(logits, targets))

p = torch.sigmoid(torch.randn(3, 2, requires_grad=True))
t = torch.tensor([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
out = nn.BCELoss()(p, t)
print(out, out.grad_fn)

kl = nn.KLDivLoss(reduction="batchmean")
inp = torch.log_softmax(torch.randn(3, 5), dim=1)
tgt = torch.softmax(torch.randn(3, 5), dim=1)
print(kl(inp, tgt))
print(nn.KLDivLoss(reduction="sum", log_target=True)(inp, tgt.log()))
