# REINFORCE policy gradient (reinforce.py in pytorch/examples) on a toy contextual bandit with Categorical.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.distributions import Categorical

torch.manual_seed(543)
n_arms, n_ctx = 4, 3
payout = torch.tensor([[0.1, 0.9, 0.2, 0.3], [0.8, 0.1, 0.1, 0.2], [0.2, 0.2, 0.1, 0.95]])
gamma = 0.99
eps = 1e-6


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.affine1 = nn.Linear(n_ctx, 32)
        self.dropout = nn.Dropout(p=0.2)
        self.affine2 = nn.Linear(32, n_arms)
        self.saved_log_probs = []
        self.rewards = []

    def forward(self, x):
        x = self.affine1(x)
        x = self.dropout(x)
        x = F.relu(x)
        action_scores = self.affine2(x)
        return F.softmax(action_scores, dim=1)


policy = Policy()
optimizer = optim.Adam(policy.parameters(), lr=1e-2)
print(policy)


def select_action(state):
    probs = policy(state.unsqueeze(0))
    m = Categorical(probs)
    action = m.sample()
    policy.saved_log_probs.append(m.log_prob(action))
    return action.item()


def finish_episode():
    R = 0
    policy_loss = []
    returns = []
    for r in policy.rewards[::-1]:
        R = r + gamma * R
        returns.insert(0, R)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + eps)
    for log_prob, R in zip(policy.saved_log_probs, returns):
        policy_loss.append(-log_prob * R)
    optimizer.zero_grad()
    policy_loss = torch.cat(policy_loss).sum()
    policy_loss.backward()
    optimizer.step()
    del policy.rewards[:]
    del policy.saved_log_probs[:]
    return policy_loss.item()


running_reward = 0.0
for i_episode in range(1, 61):
    ep_reward = 0
    for t in range(10):
        ctx = torch.randint(0, n_ctx, ()).item()
        state = F.one_hot(torch.tensor(ctx), n_ctx).float()
        action = select_action(state)
        reward = float(torch.bernoulli(payout[ctx, action]).item())
        policy.rewards.append(reward)
        ep_reward += reward
    running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward
    loss = finish_episode()
    if i_episode % 15 == 0:
        print('Episode {}\tLast reward: {:.2f}\tAverage reward: {:.2f}\tloss {:.4f}'.format(
            i_episode, ep_reward, running_reward, loss))

policy.eval()
with torch.no_grad():
    probs = policy(torch.eye(n_ctx))
print(probs.round(decimals=3))
print(probs.argmax(1), payout.argmax(1))
m = Categorical(probs=probs)
print(m.entropy().round(decimals=4))
print(m)
print(Categorical(logits=torch.tensor([0.0, 1.0, 2.0])).probs)
