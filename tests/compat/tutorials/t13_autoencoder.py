# Autoencoder tutorial: fully connected then convolutional autoencoder on synthetic images.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
base = torch.randn(4, 1, 16, 16)
images = (base[torch.randint(0, 4, (128,))] + 0.1 * torch.randn(128, 1, 16, 16)).sigmoid()
loader = DataLoader(TensorDataset(images), batch_size=32, shuffle=True)
print(images.shape, f"{images.min().item():.4f}", f"{images.max().item():.4f}")


class AE(nn.Module):
    def __init__(self, input_shape=256, code=8):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(input_shape, 64), nn.ReLU(), nn.Linear(64, code), nn.ReLU())
        self.decoder = nn.Sequential(nn.Linear(code, 64), nn.ReLU(), nn.Linear(64, input_shape), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


model = AE()
print(model)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-8)
criterion = nn.MSELoss()
for epoch in range(4):
    loss = 0
    for (batch_features,) in loader:
        batch_features = batch_features.view(-1, 256)
        optimizer.zero_grad()
        outputs = model(batch_features)
        train_loss = criterion(outputs, batch_features)
        train_loss.backward()
        optimizer.step()
        loss += train_loss.item()
    loss = loss / len(loader)
    print("epoch : {}/{}, loss = {:.6f}".format(epoch + 1, 4, loss))


class ConvAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU(),
        )
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(8, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid(),
        )

    def forward(self, x):
        return self.decoder(self.encoder(x))


torch.manual_seed(1)
conv_ae = ConvAE()
print(conv_ae)
code = conv_ae.encoder(images[:2])
print(code.shape, conv_ae(images[:2]).shape)
opt = torch.optim.Adam(conv_ae.parameters(), lr=5e-3)
for epoch in range(3):
    total = 0.0
    for (xb,) in loader:
        recon = conv_ae(xb)
        loss = nn.functional.binary_cross_entropy(recon, xb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * xb.size(0)
    print(f"conv epoch {epoch + 1} bce {total / len(loader.dataset):.4f}")
conv_ae.eval()
with torch.no_grad():
    err = ((conv_ae(images) - images) ** 2).mean(dim=(1, 2, 3))
print(err.shape, f"{err.mean().item():.4f}", err.argmax().item() >= 0)
print(sum(p.numel() for p in conv_ae.parameters()))
