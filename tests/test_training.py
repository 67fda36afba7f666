"""Real trainings, bounded in time: the seed tutorial's regression against PyTorch step for step, and models
trained on scikit-learn's bundled handwritten digits (8x8, no download) reaching real accuracy."""

import numpy as np
import pytest

import ember

WIDENET_CODE = """
torch.manual_seed(2021)
n_samples = 32
inputs = torch.linspace(-1.0, 1.0, n_samples).reshape(n_samples, 1)
noise = torch.randn(n_samples, 1) / 4
targets = torch.sin(pi * inputs) + noise

class WideNet(nn.Module):
    def __init__(self):
        n_cells = 512
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(1, n_cells),
            nn.Tanh(),
            nn.Linear(n_cells, 1),
        )

    def forward(self, x):
        return self.layers(x)

torch.manual_seed(2021)
wide_net = WideNet()
out.append(str(wide_net))
loss_function = nn.MSELoss()
sgd_optimizer = torch.optim.SGD(wide_net.parameters(), lr=0.003, momentum=0.9)
sgd_optimizer.zero_grad()
prediction = wide_net(inputs)
loss = loss_function(prediction, targets)
out.append(f'Loss: {loss.item()}')
loss.backward()
sgd_optimizer.step()
losses = []
for i in range(EPOCHS):
    sgd_optimizer.zero_grad()
    loss = loss_function(wide_net(inputs), targets)
    loss.backward()
    sgd_optimizer.step()
    losses.append(loss.item())
"""


def _run_widenet(mod, epochs):
    from math import pi
    env = {"torch": mod, "nn": mod.nn, "pi": pi, "out": [], "EPOCHS": epochs}
    exec(WIDENET_CODE, env)
    return env["out"], env["losses"]


def test_seed_000_widenet_first_step_and_full_training_match_pytorch():
    torch = pytest.importorskip("torch")
    e_out, e_losses = _run_widenet(ember, 1846)
    t_out, t_losses = _run_widenet(torch, 1846)
    assert e_out[0] == t_out[0]  # print(model)
    assert e_out[1].startswith("Loss: 0.88894")
    assert abs(float(e_out[1][6:]) - float(t_out[1][6:])) < 1e-6
    assert abs(e_losses[-1] - t_losses[-1]) < 1e-4


def test_seed_000_first_step_loss_without_torch():
    # the figure PyTorch 2.13 prints on a CPU for the tutorial's first step
    out, _ = _run_widenet(ember, 0)
    assert abs(float(out[1][6:]) - 0.888942301273346) < 1e-6


def _digits():
    datasets = pytest.importorskip("sklearn.datasets")
    d = datasets.load_digits()
    x = (d.data / 16.0).astype(np.float32)
    y = d.target.astype(np.int64)
    order = np.random.default_rng(0).permutation(len(y))
    x, y = x[order], y[order]
    n_test = 360
    return (x[n_test:], y[n_test:]), (x[:n_test], y[:n_test])


def _train(model, train, test, epochs, lr, image=False):
    from ember.utils.data import DataLoader, TensorDataset
    (xtr, ytr), (xte, yte) = train, test
    shape = (-1, 1, 8, 8) if image else (-1, 64)
    ds = TensorDataset(ember.tensor(xtr).reshape(shape), ember.tensor(ytr))
    loader = DataLoader(ds, batch_size=64, shuffle=True, generator=ember.Generator().manual_seed(0))
    opt = ember.optim.Adam(model.parameters(), lr=lr)
    sched = ember.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    loss_fn = ember.nn.CrossEntropyLoss()
    for _ in range(epochs):
        model.train()
        for xb, yb in loader:
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
        sched.step()
    model.eval()
    with ember.no_grad():
        pred = model(ember.tensor(xte).reshape(shape)).argmax(1)
    return (pred == ember.tensor(yte)).float().mean().item()


def test_mlp_on_digits_reaches_97_percent():
    nn = ember.nn
    train, test = _digits()
    ember.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10))
    acc = _train(model, train, test, epochs=40, lr=2e-3)
    assert acc >= 0.97, acc


def test_cnn_on_digits_reaches_98_percent():
    nn = ember.nn
    train, test = _digits()
    ember.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.25), nn.Linear(32 * 4 * 4, 128), nn.ReLU(), nn.Linear(128, 10))
    acc = _train(model, train, test, epochs=25, lr=2e-3, image=True)
    assert acc >= 0.98, acc
