# The "Reasoning about Shapes in PyTorch" recipe: meta tensors through layers, forward hooks printing shapes,
# a whole network on the meta device, then materialised with to_empty and initialised; the time of a forward
# does not matter: only the shapes and dtypes are known.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
t = torch.rand(2, 3, 10, 10, device="meta")
conv = torch.nn.Conv2d(3, 5, 2, device="meta")
print(f"{conv(t)=}")
print(f"{conv.weight=}")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


def fw_hook(module, input, output):
    print(f"Shape of output to {module} is {output.shape}.")


with torch.device("meta"):
    net = Net()
    inp = torch.randn((1024, 3, 32, 32))
for name, layer in net.named_modules():
    layer.register_forward_hook(fw_hook)
out = net(inp)
print(out)
print(torch.rand(2))  # nothing was drawn on the meta device

net2 = Net().to(device="meta")
print(net2.fc1.weight.device, net2.conv1.bias.is_meta)

# the same questions for other layer kinds
x = torch.empty(8, 16, 28, 28, device="meta")
for layer in [nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1),
              nn.MaxPool2d(3, stride=2, padding=1), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d((1, 1)),
              nn.BatchNorm2d(16), nn.Dropout(0.5), nn.Upsample(scale_factor=2), nn.Flatten(),
              nn.GroupNorm(4, 16), nn.PixelShuffle(2), nn.Conv2d(16, 4, 3, dilation=2, groups=4, bias=False)]:
    layer = layer.to("meta")
    print(f"{layer.__class__.__name__:18s} {tuple(layer(x).shape)}")
seq = torch.empty(4, 10, 32, device="meta")
lstm = nn.LSTM(32, 20, batch_first=True, bidirectional=True).to("meta")
o, (h, c) = lstm(seq)
print(o.shape, h.shape, c.shape, o.device)
enc = nn.TransformerEncoderLayer(32, 4, 64, batch_first=True).to("meta")
print(enc(seq).shape)
emb = nn.Embedding(100, 32, device="meta")
print(emb(torch.zeros(4, 7, dtype=torch.long, device="meta")).shape)
print(F.cross_entropy(torch.empty(4, 10, device="meta"), torch.empty(4, dtype=torch.long, device="meta")))
print((torch.empty(3, 4, device="meta") @ torch.empty(4, 5, device="meta")).shape)
print(torch.cat([torch.empty(2, 3, device="meta")] * 3).shape)

# materialise: to_empty leaves values uninitialised; initialise them ourselves
net = net.to_empty(device="cpu")
for m in net.modules():
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.zeros_(m.bias)
print(net.fc3.weight.device, net.conv1.weight.std() > 0, net.fc3.bias)
net._forward_hooks.clear()
for m in net.modules():
    m._forward_hooks.clear()
y = net(torch.randn(2, 3, 32, 32))
print(y.shape, y.device)
print(y)
