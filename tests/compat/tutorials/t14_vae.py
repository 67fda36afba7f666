# Variational autoencoder (the classic PyTorch examples VAE) with the reparameterisation trick.
import torch
from torch import nn, optim
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(1)
D = 64
protos = torch.rand(3, D)
data = (protos[torch.randint(0, 3, (120,))] + 0.05 * torch.randn(120, D)).clamp(0, 1)
train_loader = DataLoader(TensorDataset(data), batch_size=24, shuffle=True)


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(D, 32)
        self.fc21 = nn.Linear(32, 4)
        self.fc22 = nn.Linear(32, 4)
        self.fc3 = nn.Linear(4, 32)
        self.fc4 = nn.Linear(32, D)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, D))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


model = VAE()
print(model)
optimizer = optim.Adam(model.parameters(), lr=1e-2)


def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, D), reduction='sum')
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD


def train(epoch):
    model.train()
    train_loss = 0
    for batch_idx, (data_b,) in enumerate(train_loader):
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(data_b)
        loss = loss_function(recon_batch, data_b, mu, logvar)
        loss.backward()
        train_loss += loss.item()
        optimizer.step()
        if batch_idx % 2 == 0:
            print('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.4f}'.format(
                epoch, batch_idx * len(data_b), len(train_loader.dataset),
                100. * batch_idx / len(train_loader), loss.item() / len(data_b)))
    print('====> Epoch: {} Average loss: {:.4f}'.format(epoch, train_loss / len(train_loader.dataset)))


for epoch in range(1, 4):
    train(epoch)

model.eval()
with torch.no_grad():
    sample = torch.randn(5, 4)
    sample = model.decode(sample)
    print(sample.shape, sample.mean().item() > 0)
    recon, mu, logvar = model(data[:3])
    print(mu.round(decimals=2))
    print(logvar.exp().mean(dim=1).round(decimals=3))

# The same reparameterised sample through torch.distributions
torch.manual_seed(5)
mu, logvar = model.encode(data[:4])
q = torch.distributions.Normal(mu, torch.exp(0.5 * logvar))
z = q.rsample()
p = torch.distributions.Normal(torch.zeros_like(mu), torch.ones_like(mu))
kl = torch.distributions.kl_divergence(q, p).sum(1)
manual = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)
print(z.shape, z.requires_grad, torch.allclose(kl, manual, atol=1e-5))
print(q)
print(q.log_prob(z).sum(1).detach().round(decimals=2))
