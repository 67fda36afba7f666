# Tensor habits from tutorials and Q&A answers: ties in order statistics, comparisons with None, Python types as
# dtypes, tensors collected in lists, fancy indexing mistakes, empty reductions, scatter reductions.
import torch
torch.manual_seed(0)
def attempt(label, fn):
    try:
        print(label, "->", fn())
    except Exception as e:
        print(label, "->", type(e).__name__ + ":", e)
x = torch.tensor([[3., 1., 2.], [1., 5., 1.]])
print(x.kthvalue(2, 1))
votes = torch.randint(0, 3, (4, 7))
print(votes, votes.kthvalue(4, dim=1).indices, votes.float().kthvalue(2, dim=0))
t = torch.arange(4)
print(t == None, t != None, t == "a", t == [0, 1, 2, 3])  # noqa: E711
attempt("t < None", lambda: t < None)
attempt("t & None", lambda: t & None)
attempt("t @ 2", lambda: t @ 2)
print(torch.ones(2, dtype=float), torch.zeros(2, dtype=int), torch.arange(3, dtype=float), torch.tensor([1, 0], dtype=bool))
attempt("dtype string", lambda: torch.zeros(2, dtype="float32"))
losses = [torch.tensor(0.5), torch.tensor(0.25), torch.tensor([0.125])]
print(torch.tensor(losses), torch.tensor(losses).mean())
attempt("list of vectors", lambda: torch.tensor([torch.ones(2), torch.zeros(2)]))
print(torch.stack([torch.ones(2), torch.zeros(2)]))
m = torch.arange(12).reshape(3, 4)
attempt("fancy mismatch", lambda: m[[0, 1], [0, 1, 2]])
print(m[[0, 1], [1, 2]], m[torch.tensor([[0], [2]]), torch.tensor([1, 3])])
e = torch.ones(0, 3)
print(e.mean(0), e.sum(0), e.std(0))
attempt("quantile empty", lambda: e.quantile(0.5))
print(torch.zeros(3).scatter_(0, torch.tensor([0, 0, 2]), 2.0, reduce="multiply"))
attempt("full list", lambda: torch.full((2,), [1, 2]))
attempt("randperm negative", lambda: torch.randperm(-3))
