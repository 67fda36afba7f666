# K-fold cross-validation with Subset, random_split, SubsetRandomSampler and a fresh model per fold.
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader, Subset, random_split, SubsetRandomSampler, ConcatDataset

torch.manual_seed(42)
X = torch.randn(120, 5)
w = torch.tensor([1.5, -2.0, 0.5, 0.0, 1.0])
y = (X @ w + 0.3 * torch.randn(120) > 0).long()
dataset = TensorDataset(X, y)
print(len(dataset), y.bincount())

train_set, val_set, test_set = random_split(dataset, [80, 20, 20], generator=torch.Generator().manual_seed(0))
print(len(train_set), len(val_set), len(test_set), type(train_set).__name__)
print(train_set.indices[:8])
frac = random_split(range(10), [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(1))
print([list(s) for s in frac])


def reset_weights(m):
    for layer in m.children():
        if hasattr(layer, 'reset_parameters'):
            layer.reset_parameters()


class SimpleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 2))

    def forward(self, x):
        return self.layers(x)


k_folds = 4
num_epochs = 3
loss_function = nn.CrossEntropyLoss()
results = {}
perm = torch.randperm(len(dataset)).tolist()
fold_size = len(dataset) // k_folds
for fold in range(k_folds):
    test_ids = perm[fold * fold_size:(fold + 1) * fold_size]
    train_ids = perm[:fold * fold_size] + perm[(fold + 1) * fold_size:]
    print(f'FOLD {fold}')
    print('--------------------------------')
    train_subsampler = SubsetRandomSampler(train_ids)
    trainloader = DataLoader(dataset, batch_size=16, sampler=train_subsampler)
    testloader = DataLoader(Subset(dataset, test_ids), batch_size=16)
    network = SimpleNet()
    network.apply(reset_weights)
    optimizer = torch.optim.Adam(network.parameters(), lr=1e-2)
    for epoch in range(num_epochs):
        current_loss = 0.0
        for i, (inputs, targets) in enumerate(trainloader):
            optimizer.zero_grad()
            outputs = network(inputs)
            loss = loss_function(outputs, targets)
            loss.backward()
            optimizer.step()
            current_loss += loss.item()
        print(f'Epoch {epoch + 1}: loss {current_loss / len(trainloader):.4f}')
    correct, total = 0, 0
    with torch.no_grad():
        for inputs, targets in testloader:
            _, predicted = torch.max(network(inputs).data, 1)
            total += targets.size(0)
            correct += (predicted == targets).sum().item()
    print('Accuracy for fold %d: %d %%' % (fold, 100.0 * correct / total))
    results[fold] = 100.0 * (correct / total)

print(f'K-FOLD CROSS VALIDATION RESULTS FOR {k_folds} FOLDS')
total = 0.0
for key, value in results.items():
    print(f'Fold {key}: {value:.2f} %')
    total += value
print(f'Average: {total / len(results):.2f} %')

both = ConcatDataset([val_set, test_set])
print(len(both), both[25][1].item() == test_set[5][1].item())
sub = Subset(train_set, [0, 1, 2])
print(len(sub), sub[0][0].shape, torch.equal(sub[1][0], dataset[train_set.indices[1]][0]))
loader = DataLoader(test_set, batch_size=8, drop_last=True)
print(len(loader), [xb.shape[0] for xb, _ in loader])
