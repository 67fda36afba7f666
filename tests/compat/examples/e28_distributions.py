# torch.distributions as used in RL and VAE code: Normal/Categorical/Bernoulli/MultivariateNormal, sample and
# rsample shapes, log_prob, entropy, kl_divergence, Independent, a REINFORCE-style update, reparameterized grads.
import torch
from torch import distributions as D
from torch.distributions import Normal, Categorical, kl_divergence

torch.manual_seed(0)
n = Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))
print(n)
s = n.sample((3,))
print(s.shape, s)
print(n.log_prob(torch.tensor([0.0, 0.0])))
print(n.entropy(), n.mean, n.stddev, n.variance)
print(n.cdf(torch.tensor([0.0, 1.0])), n.icdf(torch.tensor([0.5, 0.975])))
print(n.batch_shape, n.event_shape)
ind = D.Independent(n, 1)
print(ind.batch_shape, ind.event_shape, ind.log_prob(torch.zeros(2)))
c = Categorical(logits=torch.tensor([1.0, 2.0, 3.0]))
print(c.probs, c.entropy())
print(c.sample((5,)), c.log_prob(torch.tensor([0, 2])))
c2 = Categorical(probs=torch.tensor([[0.5, 0.5], [0.9, 0.1]]))
print(c2.sample(), c2.batch_shape)
b = D.Bernoulli(probs=torch.tensor([0.3, 0.7]))
print(b.sample((2,)), b.log_prob(torch.tensor([1.0, 0.0])), b.entropy())
mvn = D.MultivariateNormal(torch.zeros(2), covariance_matrix=torch.tensor([[2.0, 0.5], [0.5, 1.0]]))
print(mvn.sample((2,)), mvn.log_prob(torch.zeros(2)), mvn.entropy())
print(mvn.scale_tril)
print(kl_divergence(Normal(0.0, 1.0), Normal(1.0, 2.0)))
print(kl_divergence(c, Categorical(logits=torch.zeros(3))))
mu = torch.tensor([0.5], requires_grad=True)
sigma = torch.tensor([1.5], requires_grad=True)
q = Normal(mu, sigma)
z = q.rsample((4,))
loss = (z ** 2).mean()
loss.backward()
print(mu.grad, sigma.grad)
try:
    Normal(mu, sigma).sample().backward()
except RuntimeError as e:
    print("RuntimeError:", str(e)[:50])
policy = torch.nn.Linear(4, 2)
opt = torch.optim.Adam(policy.parameters(), lr=0.01)
for episode in range(3):
    state = torch.randn(4)
    m = Categorical(logits=policy(state))
    action = m.sample()
    reward = 1.0 if action.item() == 1 else -1.0
    loss = -m.log_prob(action) * reward
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(episode, action.item(), round(loss.item(), 4))
print(D.Uniform(0.0, 2.0).sample((3,)), D.Exponential(2.0).log_prob(torch.tensor(1.0)))
print(D.Beta(2.0, 3.0).mean, D.Gamma(2.0, 1.0).variance, D.Poisson(3.0).log_prob(torch.tensor(2.0)))
print(D.Dirichlet(torch.ones(3)).sample().sum())
print(D.LogNormal(0.0, 1.0).mean, D.Laplace(0.0, 1.0).entropy())
try:
    Normal(0.0, -1.0)
except ValueError as e:
    print("ValueError:", str(e)[:80])
print(D.OneHotCategorical(probs=torch.tensor([0.2, 0.8])).sample((3,)))
td = D.TransformedDistribution(Normal(0.0, 1.0), [D.transforms.ExpTransform()])
print(td.log_prob(torch.tensor(1.0)))
