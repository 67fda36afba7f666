# "Extending PyTorch": custom autograd Functions (LinearFunction, MulConstant, clamp with mark_dirty) mixed with modules.
import torch
import torch.nn as nn
from torch.autograd import Function, gradcheck


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


class MulConstant(Function):
    @staticmethod
    def forward(ctx, tensor, constant):
        ctx.constant = constant
        return tensor * constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None


class MyReLU(Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


class Linear(nn.Module):
    def __init__(self, input_features, output_features, bias=True):
        super().__init__()
        self.input_features = input_features
        self.output_features = output_features
        self.weight = nn.Parameter(torch.empty(output_features, input_features))
        if bias:
            self.bias = nn.Parameter(torch.empty(output_features))
        else:
            self.register_parameter('bias', None)
        nn.init.uniform_(self.weight, -0.1, 0.1)
        if self.bias is not None:
            nn.init.uniform_(self.bias, -0.1, 0.1)

    def forward(self, input):
        return LinearFunction.apply(input, self.weight, self.bias)

    def extra_repr(self):
        return 'input_features={}, output_features={}, bias={}'.format(
            self.input_features, self.output_features, self.bias is not None)


torch.manual_seed(0)
inp = (torch.randn(20, 20, dtype=torch.double, requires_grad=True),
       torch.randn(30, 20, dtype=torch.double, requires_grad=True))
print(gradcheck(LinearFunction.apply, inp, eps=1e-6, atol=1e-4))
print(gradcheck(MyReLU.apply, (torch.randn(5, dtype=torch.double, requires_grad=True),)))

x = torch.randn(4, 3, requires_grad=True)
y = MulConstant.apply(x, 2.5)
print(y.grad_fn.__class__.__name__, y.requires_grad)
y.sum().backward()
print(x.grad)

torch.manual_seed(1)
model = nn.Sequential(Linear(3, 8), nn.Tanh(), Linear(8, 2, bias=False))
print(model)
ref = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 2, bias=False))
with torch.no_grad():
    ref[0].weight.copy_(model[0].weight)
    ref[0].bias.copy_(model[0].bias)
    ref[2].weight.copy_(model[2].weight)
data = torch.randn(16, 3)
target = torch.randn(16, 2)
loss = nn.functional.mse_loss(model(data), target)
loss.backward()
ref_loss = nn.functional.mse_loss(ref(data), target)
ref_loss.backward()
print(f"{loss.item():.6f}", f"{ref_loss.item():.6f}")
print(torch.allclose(model[0].weight.grad, ref[0].weight.grad), torch.allclose(model[0].bias.grad, ref[0].bias.grad))

opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(20):
    opt.zero_grad()
    out = MyReLU.apply(model(data)) - MulConstant.apply(model(data), 0.5)
    loss = (out - target).pow(2).mean()
    loss.backward()
    opt.step()
    if step % 5 == 4:
        print(step + 1, f"{loss.item():.4f}")


class Exp(Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        return grad_output * result


z = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
e = Exp.apply(z)
e.backward(torch.ones(3))
print(e, z.grad)
with torch.no_grad():
    print(Exp.apply(z).requires_grad)
print(e.grad_fn)
print(MulConstant.apply(z, 2.0).grad_fn.next_functions)
