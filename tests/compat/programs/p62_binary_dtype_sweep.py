import torch

vals = {
    "i64": torch.tensor([4, -3]),
    "i32": torch.tensor([4, -3], dtype=torch.int32),
    "u8": torch.tensor([4, 3], dtype=torch.uint8),
    "b": torch.tensor([True, False]),
    "f32": torch.tensor([4.0, -3.0]),
    "f64": torch.tensor([4.0, -3.0], dtype=torch.float64),
    "f16": torch.tensor([4.0, -3.0], dtype=torch.float16),
    "s_int": 2,
    "s_float": 0.5,
    "s_bool": True,
    "0d_f64": torch.tensor(2.0, dtype=torch.float64),
    "0d_i64": torch.tensor(2),
}
ops = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b, "floordiv": lambda a, b: a // b, "mod": lambda a, b: a % b,
    "pow": lambda a, b: a ** b, "max": torch.maximum, "eq": lambda a, b: a == b, "and": lambda a, b: a & b,
}
tensors = [k for k, v in vals.items() if isinstance(v, torch.Tensor) and v.ndim == 1]
for opname, op in ops.items():
    for ka in tensors:
        for kb in vals:
            try:
                r = op(vals[ka], vals[kb])
                print(opname, ka, kb, r.dtype, r.tolist())
            except Exception as e:
                print(opname, ka, kb, type(e).__name__, str(e).split("\n")[0])
