import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
logits = torch.randn(5, 4, requires_grad=True)
labels = torch.tensor([0, 3, 1, 1, 2])

ce = nn.CrossEntropyLoss()
print(ce)
loss = ce(logits, labels)
print(loss)
loss.backward()
print(logits.grad)

probs = torch.softmax(torch.randn(5, 4), dim=1)
print(F.cross_entropy(logits, probs))
print(nn.CrossEntropyLoss(label_smoothing=0.1)(logits, labels))
print(nn.CrossEntropyLoss(reduction="none")(logits, labels))
print(nn.CrossEntropyLoss(reduction="sum")(logits, labels))
weights = torch.tensor([1.0, 2.0, 0.5, 1.0])
print(nn.CrossEntropyLoss(weight=weights)(logits, labels))
print(nn.CrossEntropyLoss(ignore_index=1)(logits, labels))

log_probs = F.log_softmax(logits, dim=1)
print(log_probs)
print(nn.NLLLoss()(log_probs, labels))
print(F.nll_loss(log_probs, labels, reduction="none"))

seq_logits = torch.randn(2, 4, 3)
seq_labels = torch.tensor([[0, 1, 3], [2, 2, 0]])
print(F.cross_entropy(seq_logits, seq_labels))
