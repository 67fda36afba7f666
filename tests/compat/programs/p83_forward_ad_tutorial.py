"""PyTorch's forward-mode AD tutorial: dual tensors, unpack_dual, modules, functional_call, custom Functions."""
import torch
import torch.autograd.forward_ad as fwAD
import torch.nn as nn
from torch.func import functional_call

torch.manual_seed(0)
primal = torch.randn(10, 10)
tangent = torch.randn(10, 10)


def fn(x, y):
    return x ** 2 + y ** 2


with fwAD.dual_level():
    dual_input = fwAD.make_dual(primal, tangent)
    assert fwAD.unpack_dual(dual_input).tangent is tangent
    dual_input_alt = fwAD.make_dual(primal, tangent.T)
    assert fwAD.unpack_dual(dual_input_alt).tangent is not tangent
    plain_tensor = torch.randn(10, 10)
    dual_output = fn(dual_input, plain_tensor)
    jvp = fwAD.unpack_dual(dual_output).tangent
    print(jvp[:2, :4])
    print(fwAD.unpack_dual(dual_output).primal[0, :3])
    print(torch.allclose(jvp, 2 * primal * tangent))
print(fwAD.unpack_dual(dual_output).tangent)

model = nn.Linear(5, 5)
input = torch.randn(16, 5)
params = {name: p for name, p in model.named_parameters()}
tangents = {name: torch.rand_like(p) for name, p in params.items()}
with fwAD.dual_level():
    for name, p in params.items():
        delattr(model, name)
        setattr(model, name, fwAD.make_dual(p, tangents[name]))
    out = model(input)
    jvp = fwAD.unpack_dual(out).tangent
    print(jvp[:2].detach())
    print(out.shape, jvp.shape)

model = nn.Linear(5, 5)
dual_params = {}
with fwAD.dual_level():
    for name, p in params.items():
        dual_params[name] = fwAD.make_dual(p, tangents[name])
    out = functional_call(model, dual_params, input)
    jvp2 = fwAD.unpack_dual(out).tangent
    print(torch.allclose(jvp.detach(), jvp2.detach()))


class Fn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, foo):
        result = torch.exp(foo)
        ctx.result = result
        return result

    @staticmethod
    def jvp(ctx, gI):
        gO = gI * ctx.result
        del ctx.result
        return gO


fn = Fn.apply
primal = torch.randn(10, 10, dtype=torch.double, requires_grad=True)
tangent = torch.randn(10, 10)
with fwAD.dual_level():
    dual_input = fwAD.make_dual(primal, tangent)
    dual_output = fn(dual_input)
    jvp = fwAD.unpack_dual(dual_output).tangent
    print(jvp[0, :3].detach())  # PyTorch's tangent here carries a grad_fn; ember's does not (a known difference)
print(torch.autograd.gradcheck(Fn.apply, (primal,), check_forward_ad=True, check_backward_ad=False,
                               check_undefined_grad=False, check_batched_grad=False))

x = torch.linspace(-1, 1, 5, dtype=torch.double)
with fwAD.dual_level():
    d = fwAD.make_dual(x, torch.ones_like(x))
    for f in (torch.sin, torch.tanh, torch.sigmoid, torch.exp, lambda t: t.softmax(0), lambda t: t.mean(),
              lambda t: t.std(), lambda t: t.norm(), lambda t: t.cumsum(0), lambda t: t.logsumexp(0),
              lambda t: (t * t).sum(), lambda t: t.max(), lambda t: torch.nn.functional.gelu(t),
              lambda t: torch.nn.functional.softplus(t), lambda t: t.abs().sqrt()):
        print(fwAD.unpack_dual(f(d)).tangent)
