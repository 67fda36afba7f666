# Custom autograd Functions as the extending-PyTorch docs write them: ctx.save_for_backward, needs_input_grad,
# mark_non_differentiable, a static setup_context form, once_differentiable, gradcheck and gradgradcheck in float64.
import torch
from torch.autograd import Function, gradcheck, gradgradcheck
from torch.autograd.function import once_differentiable

torch.manual_seed(0)


class LinearFunction(Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)
        return grad_input, grad_weight, grad_bias


linear = LinearFunction.apply
inp = (torch.randn(4, 3, dtype=torch.double, requires_grad=True),
       torch.randn(2, 3, dtype=torch.double, requires_grad=True),
       torch.randn(2, dtype=torch.double, requires_grad=True))
print(gradcheck(linear, inp, eps=1e-6, atol=1e-4))
out = linear(*inp)
print(out.grad_fn.__class__.__name__, out.shape)


class MulConstant(Function):
    @staticmethod
    def forward(tensor, constant):
        return tensor * constant

    @staticmethod
    def setup_context(ctx, inputs, output):
        tensor, constant = inputs
        ctx.constant = constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None


x = torch.randn(3, requires_grad=True)
y = MulConstant.apply(x, 5.0)
y.sum().backward()
print(x.grad)


class MyCube(Function):
    @staticmethod
    def forward(ctx, x):
        result = x ** 3
        dx = 3 * x ** 2
        ctx.save_for_backward(x, dx)
        return result, dx

    @staticmethod
    def backward(ctx, grad_output, grad_dx):
        x, dx = ctx.saved_tensors
        return grad_output * dx + grad_dx * 6 * x


x = torch.tensor([1.0, 2.0], dtype=torch.double, requires_grad=True)
print(gradcheck(lambda t: MyCube.apply(t)[0], (x,)))
print(gradgradcheck(lambda t: MyCube.apply(t)[0], (x,)))


class Sort(Function):
    @staticmethod
    def forward(ctx, x):
        out, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return out, idx

    @staticmethod
    @once_differentiable
    def backward(ctx, g, _):
        (idx,) = ctx.saved_tensors
        gx = torch.zeros_like(g)
        gx.scatter_(0, idx, g)
        return gx


x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
v, i = Sort.apply(x)
print(v, i, i.requires_grad)
(v * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print(x.grad)


class Bad(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 3


xd = torch.randn(3, dtype=torch.double, requires_grad=True)
print(gradcheck(Bad.apply, (xd,), raise_exception=False))
try:
    gradcheck(Bad.apply, (xd,))
except Exception as e:
    print(type(e).__name__, str(e).splitlines()[0])


class Exp(Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result


x = torch.tensor([0.0, 1.0], requires_grad=True)
y = Exp.apply(x)
print(y)
y.backward(torch.ones(2))
print(x.grad)
with torch.no_grad():
    print(Exp.apply(x).requires_grad)
