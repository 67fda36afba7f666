# DCGAN-style training loop (generator/discriminator, BCELoss, label tensors, detach) on 2-D ring data.
import math
import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(999)
nz = 4
batch_size = 64


def real_batch(n):
    angle = torch.rand(n) * 2 * math.pi
    radius = 2 + 0.1 * torch.randn(n)
    return torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find('Linear') != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.2)
        if m.bias is not None:
            nn.init.constant_(m.bias.data, 0)
    elif classname.find('BatchNorm') != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        if m.bias is not None:
            nn.init.constant_(m.bias.data, 0)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Linear(nz, 32, bias=False), nn.BatchNorm1d(32), nn.ReLU(True),
            nn.Linear(32, 32, bias=False), nn.BatchNorm1d(32), nn.ReLU(True),
            nn.Linear(32, 2),
        )

    def forward(self, input):
        return self.main(input)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Linear(2, 32), nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(32, 32), nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(32, 1), nn.Sigmoid(),
        )

    def forward(self, input):
        return self.main(input)


netG = Generator()
netG.apply(weights_init)
print(netG)
netD = Discriminator()
netD.apply(weights_init)
print(netD)
criterion = nn.BCELoss()
fixed_noise = torch.randn(8, nz)
real_label, fake_label = 1., 0.
optimizerD = optim.Adam(netD.parameters(), lr=0.002, betas=(0.5, 0.999))
optimizerG = optim.Adam(netG.parameters(), lr=0.002, betas=(0.5, 0.999))
G_losses, D_losses = [], []
num_epochs, iters_per_epoch = 4, 10
for epoch in range(num_epochs):
    for i in range(iters_per_epoch):
        # (1) Update D: maximize log(D(x)) + log(1 - D(G(z)))
        netD.zero_grad()
        real_cpu = real_batch(batch_size)
        b_size = real_cpu.size(0)
        label = torch.full((b_size,), real_label, dtype=torch.float)
        output = netD(real_cpu).view(-1)
        errD_real = criterion(output, label)
        errD_real.backward()
        D_x = output.mean().item()
        noise = torch.randn(b_size, nz)
        fake = netG(noise)
        label.fill_(fake_label)
        output = netD(fake.detach()).view(-1)
        errD_fake = criterion(output, label)
        errD_fake.backward()
        D_G_z1 = output.mean().item()
        errD = errD_real + errD_fake
        optimizerD.step()
        # (2) Update G: maximize log(D(G(z)))
        netG.zero_grad()
        label.fill_(real_label)
        output = netD(fake).view(-1)
        errG = criterion(output, label)
        errG.backward()
        D_G_z2 = output.mean().item()
        optimizerG.step()
        if i % 5 == 0:
            print('[%d/%d][%d/%d]\tLoss_D: %.4f\tLoss_G: %.4f\tD(x): %.4f\tD(G(z)): %.4f / %.4f'
                  % (epoch, num_epochs, i, iters_per_epoch, errD.item(), errG.item(), D_x, D_G_z1, D_G_z2))
        G_losses.append(errG.item())
        D_losses.append(errD.item())
print(len(G_losses), f"{sum(G_losses) / len(G_losses):.4f}", f"{min(D_losses):.4f}")
netG.eval()
with torch.no_grad():
    samples = netG(fixed_noise)
print(samples.shape)
print(samples.norm(dim=1).round(decimals=2))
print(netG.main[1].running_mean[:4].round(decimals=3), netG.main[1].num_batches_tracked)
