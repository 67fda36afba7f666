"""Recurrent layers: ``RNN``, ``LSTM``, ``GRU`` and their single-step cells.

Each layer is a composite of ``linear`` and activations (its ``grad_fn`` names come from those ops). The input
projections of a whole sequence are one matmul; only the recurrent product runs per time step.
"""

from __future__ import annotations

import math
import warnings

from ... import ops as AF
from ..._core.tensor import Tensor
from ...ops import creation as C
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNBase", "RNNCell", "RNNCellBase"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


# -- one time step of each cell type (h: (N, H); xw: the input projection x W_ihᵀ + b_ih) -----------------

def _rnn_step(xw, h, c, w_hh, b_hh, act):
    return act(xw + F.linear(h, w_hh, b_hh)), None


def _lstm_step(xw, h, c, w_hh, b_hh, act=None):
    i, f, g, o = AF.chunk(xw + F.linear(h, w_hh, b_hh), 4, 1)
    c = AF.sigmoid(f) * c + AF.sigmoid(i) * AF.tanh(g)
    return AF.sigmoid(o) * AF.tanh(c), c


def _gru_step(xw, h, c, w_hh, b_hh, act=None):
    xr, xz, xn = AF.chunk(xw, 3, 1)
    hr, hz, hn = AF.chunk(F.linear(h, w_hh, b_hh), 3, 1)
    r = AF.sigmoid(xr + hr)
    z = AF.sigmoid(xz + hz)
    n = AF.tanh(xn + r * hn)  # PyTorch: the reset gate multiplies (W_hn h + b_hn)
    return n + z * (h - n), None  # = (1 - z) n + z h


_STEPS = {"RNN_TANH": _rnn_step, "RNN_RELU": _rnn_step, "LSTM": _lstm_step, "GRU": _gru_step}


class RNNBase(Module):
    """Multi-layer, optionally bidirectional recurrence with PyTorch's parameter names and init."""

    __constants__ = ("mode", "input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
                     "bidirectional", "proj_size")

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None) -> None:
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        if proj_size:
            raise NotImplementedError("ember: LSTM proj_size is not supported")
        if not isinstance(dropout, (int, float)) or not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and "
                          f"num_layers={num_layers}", stacklevel=3)
        gate = _GATES[mode] * hidden_size
        dirs = 2 if bidirectional else 1
        self._flat_weights_names = []
        for layer in range(num_layers):
            for d in range(dirs):
                in_size = input_size if layer == 0 else hidden_size * dirs
                sfx = f"_l{layer}" + ("_reverse" if d == 1 else "")
                params = [("weight_ih" + sfx, (gate, in_size)), ("weight_hh" + sfx, (gate, hidden_size))]
                if bias:
                    params += [("bias_ih" + sfx, (gate,)), ("bias_hh" + sfx, (gate,))]
                for name, shape in params:
                    setattr(self, name, Parameter(C.empty(shape, dtype=dtype)))
                    self._flat_weights_names.append(name)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias ~ U(±1/√hidden_size), in parameter order."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for w in self.parameters():
            init.uniform_(w, -stdv, stdv)

    @property
    def all_weights(self) -> list:
        per = 4 if self.bias else 2
        names = self._flat_weights_names
        return [[getattr(self, n) for n in names[i:i + per]] for i in range(0, len(names), per)]

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    def _check_hidden(self, h, expected, what="Expected hidden size"):
        if tuple(h.shape) != expected:
            raise RuntimeError(f"{what} {expected}, got {list(h.shape)}")

    def _run(self, input: Tensor, hx, cx):
        """(output, h_n, c_n) for a batched (L, N, H_in) input; hx, cx: (layers·dirs, N, H) or None."""
        L, N, _ = input.shape
        dirs = 2 if self.bidirectional else 1
        H = self.hidden_size
        if hx is None:
            hx = C.zeros((self.num_layers * dirs, N, H), dtype=input.dtype)
        if self.mode == "LSTM" and cx is None:
            cx = C.zeros((self.num_layers * dirs, N, H), dtype=input.dtype)
        step = _STEPS[self.mode]
        act = AF.relu if self.mode == "RNN_RELU" else AF.tanh
        layer_in = input
        h_n, c_n = [], []
        for layer in range(self.num_layers):
            outs = []
            for d in range(dirs):
                sfx = f"_l{layer}" + ("_reverse" if d == 1 else "")
                w_ih, w_hh = getattr(self, "weight_ih" + sfx), getattr(self, "weight_hh" + sfx)
                b_ih = getattr(self, "bias_ih" + sfx) if self.bias else None
                b_hh = getattr(self, "bias_hh" + sfx) if self.bias else None
                xw = F.linear(layer_in, w_ih, b_ih)  # all time steps in one matmul
                k = layer * dirs + d
                h = hx[k]
                c = cx[k] if cx is not None else None
                seq = [None] * L
                for t in (range(L) if d == 0 else range(L - 1, -1, -1)):
                    h, c = step(xw[t], h, c, w_hh, b_hh, act)
                    seq[t] = h
                outs.append(AF.stack(seq, 0))
                h_n.append(h)
                c_n.append(c)
            layer_in = outs[0] if dirs == 1 else AF.cat(outs, 2)
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                layer_in = F.dropout(layer_in, self.dropout, True)
        return layer_in, AF.stack(h_n, 0), (AF.stack(c_n, 0) if self.mode == "LSTM" else None)

    def _prepare(self, input: Tensor, hx):
        """Validate shapes; return (L, N, H_in) input, batched hidden state(s), and whether input was batched."""
        batched = input.ndim == 3
        if input.ndim not in (2, 3):
            raise ValueError(f"{type(self).__name__}: Expected input to be 2D or 3D, got {input.ndim}D instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got "
                               f"{input.shape[-1]}")
        if not batched:
            input = input.unsqueeze(1)
        elif self.batch_first:
            input = input.transpose(0, 1)
        dirs = 2 if self.bidirectional else 1
        expected = (self.num_layers * dirs, input.shape[1], self.hidden_size)
        states = None
        if hx is not None:
            states = list(hx) if isinstance(hx, tuple) else [hx]
            for i, h in enumerate(states):
                if batched and h.ndim != 3:
                    raise RuntimeError(f"For batched 3-D input, hx and cx should also be 3-D but got ({h.ndim}-D, "
                                       f"{h.ndim}-D) tensors" if self.mode == "LSTM" else
                                       f"For batched 3-D input, hx should also be 3-D but got {h.ndim}-D tensor")
                if not batched and h.ndim != 2:
                    raise RuntimeError(f"For unbatched 2-D input, hx and cx should also be 2-D but got ({h.ndim}-D, "
                                       f"{h.ndim}-D) tensors" if self.mode == "LSTM" else
                                       f"For unbatched 2-D input, hx should also be 2-D but got {h.ndim}-D tensor")
                if not batched:
                    states[i] = h = h.unsqueeze(1)
                self._check_hidden(h, expected, "Expected hidden size" if i == 0 else "Expected hidden[1] size")
        return input, states, batched

    def _finish(self, out: Tensor, batched: bool) -> Tensor:
        if not batched:
            return out.squeeze(1)
        return out.transpose(0, 1) if self.batch_first else out


class RNN(RNNBase):
    """h_t = tanh(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh) (or relu), per layer and direction."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device=None, dtype=None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size,
                         num_layers, bias, batch_first, dropout, bidirectional, 0, device, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None):
        x, states, batched = self._prepare(input, hx)
        out, h_n, _ = self._run(x, states[0] if states else None, None)
        return self._finish(out, batched), (h_n if batched else h_n.squeeze(1))


class LSTM(RNNBase):
    """i, f, g, o = σ, σ, tanh, σ of (x W_ihᵀ + b_ih + h W_hhᵀ + b_hh); c' = f c + i g; h' = o tanh(c')."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device, dtype)

    def forward(self, input: Tensor, hx=None):
        x, states, batched = self._prepare(input, hx)
        out, h_n, c_n = self._run(x, states[0] if states else None, states[1] if states else None)
        if not batched:
            h_n, c_n = h_n.squeeze(1), c_n.squeeze(1)
        return self._finish(out, batched), (h_n, c_n)


class GRU(RNNBase):
    """r, z = σ(...); n = tanh(x W_inᵀ + b_in + r (h W_hnᵀ + b_hn)); h' = (1 - z) n + z h."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, device=None,
                 dtype=None) -> None:
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         0, device, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None):
        x, states, batched = self._prepare(input, hx)
        out, h_n, _ = self._run(x, states[0] if states else None, None)
        return self._finish(out, batched), (h_n if batched else h_n.squeeze(1))


# -- cells ---------------------------------------------------------------------------------------------------

class RNNCellBase(Module):
    """One time step; parameters weight_ih, weight_hh, bias_ih, bias_hh ~ U(±1/√hidden_size)."""

    __constants__ = ("input_size", "hidden_size", "bias")
    _gates = 1

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        g = self._gates * hidden_size
        self.weight_ih = Parameter(C.empty((g, input_size), dtype=dtype))
        self.weight_hh = Parameter(C.empty((g, hidden_size), dtype=dtype))
        if bias:
            self.bias_ih = Parameter(C.empty(g, dtype=dtype))
            self.bias_hh = Parameter(C.empty(g, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias ~ U(±1/√hidden_size)."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for w in self.parameters():
            init.uniform_(w, -stdv, stdv)

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def _check(self, input: Tensor, hx, n_states: int):
        if input.ndim not in (1, 2):
            raise ValueError(f"{type(self).__name__}: Expected input to be 1D or 2D, got {input.ndim}D instead")
        if hx is not None:
            for h in (hx if isinstance(hx, tuple) else (hx,)):
                if h.ndim not in (1, 2):
                    raise ValueError(f"{type(self).__name__}: Expected hidden to be 1D or 2D, got {h.ndim}D "
                                     f"instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[-1]} expected "
                               f"{self.input_size}")
        batched = input.ndim == 2
        x = input if batched else input.unsqueeze(0)
        if hx is None:
            z = C.zeros((x.shape[0], self.hidden_size), dtype=input.dtype)
            states = [z] * n_states
        else:
            states = [h if batched else h.unsqueeze(0) for h in (hx if isinstance(hx, tuple) else (hx,))]
        return x, states, batched

    def _step(self, x, h, c, step, act=None):
        return step(F.linear(x, self.weight_ih, self.bias_ih), h, c, self.weight_hh, self.bias_hh, act)


class RNNCell(RNNCellBase):
    """h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) (or relu)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, (h,), batched = self._check(input, hx, 1)
        act = AF.tanh if self.nonlinearity == "tanh" else AF.relu
        h, _ = self._step(x, h, None, _rnn_step, act)
        return h if batched else h.squeeze(0)


class LSTMCell(RNNCellBase):
    """(h', c') from one LSTM step: c' = f c + i g, h' = o tanh(c')."""

    _gates = 4

    def forward(self, input: Tensor, hx=None):
        x, (h, c), batched = self._check(input, hx, 2)
        h, c = self._step(x, h, c, _lstm_step)
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """h' = (1 - z) n + z h with r, z, n as in GRU."""

    _gates = 3

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, (h,), batched = self._check(input, hx, 1)
        h, _ = self._step(x, h, None, _gru_step)
        return h if batched else h.squeeze(0)
