import torch

inputs = {
    "int64": torch.tensor([-2, 0, 3]),
    "int32": torch.tensor([-2, 0, 3], dtype=torch.int32),
    "uint8": torch.tensor([0, 1, 200], dtype=torch.uint8),
    "bool": torch.tensor([True, False, True]),
    "float32": torch.tensor([-1.5, 0.0, 2.25]),
    "float64": torch.tensor([-1.5, 0.0, 2.25], dtype=torch.float64),
}
ops = ["abs", "neg", "sign", "exp", "log", "sqrt", "sin", "tanh", "sigmoid", "floor", "ceil", "round",
       "trunc", "frac", "reciprocal", "square", "relu", "logical_not", "bitwise_not", "isnan", "cumsum",
       "sum", "prod", "mean", "max", "argmax", "std", "all", "any", "exp2", "log1p", "erf", "rsqrt"]
for op in ops:
    for name, x in inputs.items():
        try:
            fn = getattr(torch, op)
            r = fn(x, 0) if op == "cumsum" else fn(x)
            print(op, name, r)
        except Exception as e:
            print(op, name, type(e).__name__, str(e).split("\n")[0])
