# Early stopping with a best-state deepcopy, restored at the end (the usual "train_model" loop).
import copy
import time
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import TensorDataset, DataLoader

torch.manual_seed(7)
X = torch.randn(200, 10)
y = (X[:, 0] * X[:, 1] > 0).long()
dataloaders = {
    'train': DataLoader(TensorDataset(X[:150], y[:150]), batch_size=25, shuffle=True),
    'val': DataLoader(TensorDataset(X[150:], y[150:]), batch_size=50),
}
dataset_sizes = {'train': 150, 'val': 50}
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 2))
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5)


def train_model(model, criterion, optimizer, scheduler, num_epochs=12, patience=3):
    since = time.time()
    best_model_wts = copy.deepcopy(model.state_dict())
    best_acc = 0.0
    best_loss = float('inf')
    bad_epochs = 0
    for epoch in range(num_epochs):
        print(f'Epoch {epoch}/{num_epochs - 1}')
        print('-' * 10)
        for phase in ['train', 'val']:
            if phase == 'train':
                model.train()
            else:
                model.eval()
            running_loss = 0.0
            running_corrects = 0
            for inputs, labels in dataloaders[phase]:
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == 'train'):
                    outputs = model(inputs)
                    _, preds = torch.max(outputs, 1)
                    loss = criterion(outputs, labels)
                    if phase == 'train':
                        loss.backward()
                        optimizer.step()
                running_loss += loss.item() * inputs.size(0)
                running_corrects += torch.sum(preds == labels.data)
            if phase == 'train':
                scheduler.step()
            epoch_loss = running_loss / dataset_sizes[phase]
            epoch_acc = running_corrects.double() / dataset_sizes[phase]
            print(f'{phase} Loss: {epoch_loss:.4f} Acc: {epoch_acc:.4f}')
            if phase == 'val':
                if epoch_acc > best_acc:
                    best_acc = epoch_acc
                    best_model_wts = copy.deepcopy(model.state_dict())
                if epoch_loss < best_loss - 1e-4:
                    best_loss = epoch_loss
                    bad_epochs = 0
                else:
                    bad_epochs += 1
        if bad_epochs >= patience:
            print(f'Early stopping at epoch {epoch}')
            break
    time_elapsed = time.time() - since
    print(f'Training complete in {time_elapsed // 60:.0f}m')
    print(f'Best val Acc: {best_acc:4f}')
    model.load_state_dict(best_model_wts)
    return model, best_model_wts


model, best = train_model(model, criterion, optimizer, scheduler)
print(type(best).__name__, list(best.keys()))
print(best['0.weight'] is model[0].weight, torch.equal(best['0.weight'], model[0].weight))
snapshot = copy.deepcopy(model)
print(snapshot)
with torch.no_grad():
    snapshot[0].weight.add_(1.0)
print(torch.equal(snapshot[0].weight, model[0].weight), snapshot[0].weight.requires_grad)
print(optimizer.param_groups[0]['lr'], scheduler.last_epoch)
