"""Recurrent layers: ``RNN``, ``LSTM``, ``GRU`` and their single-step cells.

Each layer runs layer by layer and direction by direction, as PyTorch does on a CPU: an LSTM in float32 on a
padded batch is one ``MkldnnRnnLayerBackward0`` node per layer and direction (PyTorch's oneDNN kernel; the
node lives in ``nn/_functional_seq.py``); every other case (RNN, GRU, float64, projections, packed input)
is a composite of ``linear`` and activations, one step at a time, whose ``grad_fn`` names are those ops'.
The input projections of a whole sequence are one matmul; only the recurrent product runs per step.
A ``PackedSequence`` runs on shrinking batches: sequences that have ended leave the batch.
"""

from __future__ import annotations

import math
import numbers
import warnings

from ... import ops as AF
from ..._core import dtype as D
from ..._core.tensor import Tensor
from ...ops import creation as C
from .. import functional as F
from .. import init
from .._functional_seq import lstm_layer
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from .module import Module

__all__ = ["GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNBase", "RNNCell", "RNNCellBase"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


# -- one time step of each cell type (h: (N, H); xw: the input projection x W_ihᵀ + b_ih) -----------------

def _rnn_step(xw, h, c, w_hh, b_hh, act, w_hr=None):
    return act(xw + F.linear(h, w_hh, b_hh)), None


def _lstm_step(xw, h, c, w_hh, b_hh, act=None, w_hr=None):
    i, f, g, o = AF.chunk(xw + F.linear(h, w_hh, b_hh), 4, 1)
    c = AF.sigmoid(f) * c + AF.sigmoid(i) * AF.tanh(g)
    h = AF.sigmoid(o) * AF.tanh(c)
    return (h if w_hr is None else F.linear(h, w_hr)), c


def _gru_step(xw, h, c, w_hh, b_hh, act=None, w_hr=None):
    xr, xz, xn = AF.chunk(xw, 3, 1)
    hr, hz, hn = AF.chunk(F.linear(h, w_hh, b_hh), 3, 1)
    r = AF.sigmoid(xr + hr)
    z = AF.sigmoid(xz + hz)
    n = AF.tanh(xn + r * hn)  # PyTorch: the reset gate multiplies (W_hn h + b_hn)
    return n + z * (h - n), None  # = (1 - z) n + z h


_STEPS = {"RNN_TANH": _rnn_step, "RNN_RELU": _rnn_step, "LSTM": _lstm_step, "GRU": _gru_step}
_PROJ_WARNED = []


def _permute(h: Tensor, permutation: Tensor | None) -> Tensor:
    return h if permutation is None else h.index_select(1, permutation)


class RNNBase(Module):
    """The machinery shared by RNN, LSTM and GRU: stacked, optionally bidirectional layers over a sequence, with
    PyTorch's parameter names, argument checks and initialisation. Use one of the three subclasses.

    Args:
        mode: 'RNN_TANH', 'RNN_RELU', 'LSTM' or 'GRU'.
        input_size: H_in, the size of each input vector x_t.
        hidden_size: H, the size of the hidden state h_t.
        num_layers: the number of stacked layers, each reading the previous layer's outputs (default 1).
        bias: whether the layers have the biases b_ih and b_hh (default True).
        batch_first: whether inputs and outputs are (N, L, features) instead of (L, N, features); the states
            keep (layers, N, H) either way (default False).
        dropout: the probability of dropout on the outputs of every layer but the last, in training (default 0).
        bidirectional: whether each layer also runs backwards over the sequence, its outputs concatenated with the
            forward direction's (D = 2; default False, D = 1).
        proj_size: LSTM only: project h_t to this size (default 0: no projection).
        device, dtype: where and in which dtype the parameters are created.

    Example:
        >>> isinstance(nn.GRU(4, 8), nn.RNNBase), nn.GRU(4, 8).mode
        (True, 'GRU')
    """

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
        if not isinstance(dropout, numbers.Number) or isinstance(dropout, bool) or not 0 <= dropout <= 1:
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and "
                          f"num_layers={num_layers}", stacklevel=3)
        for name, value, kind in (("bias", bias, bool), ("batch_first", batch_first, bool),
                                  ("input_size", input_size, int)):
            if not isinstance(value, kind):
                raise TypeError(f"{name} should be of type {kind.__name__}, got: {type(value).__name__}")
        if input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate = _GATES[mode] * hidden_size
        dirs = 2 if bidirectional else 1
        real_hidden = proj_size if proj_size > 0 else hidden_size
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            for d in range(dirs):
                in_size = input_size if layer == 0 else real_hidden * dirs
                sfx = f"_l{layer}" + ("_reverse" if d == 1 else "")
                params = [("weight_ih" + sfx, (gate, in_size)), ("weight_hh" + sfx, (gate, real_hidden))]
                if bias:
                    params += [("bias_ih" + sfx, (gate,)), ("bias_hh" + sfx, (gate,))]
                if proj_size > 0:
                    params.append(("weight_hr" + sfx, (proj_size, hidden_size)))
                for name, shape in params:
                    setattr(self, name, Parameter(C.empty(shape, device=device, dtype=dtype)))
                self._flat_weights_names.extend(n for n, _ in params)
                self._all_weights.append([n for n, _ in params])
        self._init_flat_weights()
        self.reset_parameters()

    def _init_flat_weights(self) -> None:
        self._flat_weights = [getattr(self, n) if hasattr(self, n) else None for n in self._flat_weights_names]

    def __setattr__(self, attr, value) -> None:
        names = self.__dict__.get("_flat_weights_names")
        if names is not None and attr in names and "_flat_weights" in self.__dict__:
            self._flat_weights[names.index(attr)] = value  # keep the list current after `lstm.weight_hh_l0 = p`
        super().__setattr__(attr, value)

    def flatten_parameters(self) -> None:
        """Lay the weights out in one buffer for cuDNN; on a CPU (ember's only device) a no-op, as in PyTorch."""

    def _apply(self, fn, recurse: bool = True):
        ret = super()._apply(fn, recurse)
        self._init_flat_weights()
        return ret

    def reset_parameters(self) -> None:
        """Every weight and bias ~ U(±1/√hidden_size), in parameter order."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for w in self.parameters():
            init.uniform_(w, -stdv, stdv)

    @property
    def all_weights(self) -> list:
        return [[getattr(self, n) for n in names] for names in self._all_weights]

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
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

    # -- PyTorch's argument checks ------------------------------------------------------------------------
    def check_input(self, input: Tensor, batch_sizes: Tensor | None) -> None:
        w_dtype = getattr(self, self._flat_weights_names[0]).dtype
        if input.dtype != w_dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype ({w_dtype}). Convert "
                             f"input: input.to({w_dtype}), or convert model: model.to({input.dtype})")
        expected = 2 if batch_sizes is not None else 3
        if input.dim() != expected:
            raise RuntimeError(f"input must have {expected} dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got "
                               f"{input.size(-1)}")

    def get_expected_hidden_size(self, input: Tensor, batch_sizes: Tensor | None) -> tuple:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        dirs = 2 if self.bidirectional else 1
        return (self.num_layers * dirs, mini_batch, self.proj_size if self.proj_size > 0 else self.hidden_size)

    def check_hidden_size(self, hx: Tensor, expected_hidden_size: tuple,
                          msg: str = "Expected hidden size {}, got {}") -> None:
        if tuple(hx.size()) != tuple(expected_hidden_size):
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.size())))

    def check_forward_args(self, input: Tensor, hidden: Tensor, batch_sizes: Tensor | None) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx: Tensor, permutation: Tensor | None):
        return _permute(hx, permutation)

    # -- the recurrence -------------------------------------------------------------------------------------
    def _unpack(self, input, hx, n_states: int):
        """(input, hidden states, batch_sizes, sorted/unsorted indices, batched?) as PyTorch's forward sets them
        up; hidden states are None or a list of (layers·dirs, N, H) tensors, already checked and permuted."""
        name = {"RNN_TANH": "RNN", "RNN_RELU": "RNN"}.get(self.mode, self.mode)
        states = None if hx is None else (list(hx) if n_states == 2 else [hx])
        if isinstance(input, PackedSequence):
            data, batch_sizes, sorted_indices, unsorted_indices = input
            if states is not None:
                states = [_permute(h, sorted_indices) for h in states]
            return data, states, batch_sizes, sorted_indices, unsorted_indices, True
        if input.dim() not in (2, 3):
            tensor = " tensor" if name == "RNN" else ""
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.dim()}D{tensor} instead")
        batched = input.dim() == 3
        if not batched:
            input = input.unsqueeze(0 if self.batch_first else 1)
        if states is not None:
            dims = [h.dim() for h in states]
            want = 3 if batched else 2
            if any(d != want for d in dims):
                what = "batched 3-D" if batched else "unbatched 2-D"
                if n_states == 2:
                    raise RuntimeError(f"For {what} input, hx and cx should also be {want}-D but got ({dims[0]}-D, "
                                       f"{dims[1]}-D) tensors")
                raise RuntimeError(f"For {what} input, hx should also be {want}-D but got {dims[0]}-D tensor")
            if not batched:
                states = [h.unsqueeze(1) for h in states]
        return input, states, None, None, None, batched

    def _zeros(self, input: Tensor, batch_sizes, size: int) -> Tensor:
        n = int(batch_sizes[0]) if batch_sizes is not None else input.size(0 if self.batch_first else 1)
        dirs = 2 if self.bidirectional else 1
        return C.zeros((self.num_layers * dirs, n, size), dtype=input.dtype)

    def _layer_weights(self, layer: int, d: int):
        sfx = f"_l{layer}" + ("_reverse" if d == 1 else "")
        get = lambda n: getattr(self, n + sfx) if self.bias or n.startswith("weight") else None  # noqa: E731
        w_hr = getattr(self, "weight_hr" + sfx) if self.proj_size > 0 else None
        return get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh"), w_hr

    def _run(self, x: Tensor, hx: Tensor, cx: Tensor | None, batch_sizes: Tensor | None):
        """(output, h_n, c_n) for a time-major (L, N, H_in) input or packed data (with batch_sizes)."""
        dirs = 2 if self.bidirectional else 1
        lstm = self.mode == "LSTM"
        fused = lstm and batch_sizes is None and self.proj_size == 0 and x.dtype == D.float32 and x.numel() > 0 \
            and not x.is_meta  # (oneDNN runs on real data only: PyTorch takes the per-step ops on the meta device)
        if lstm and self.proj_size > 0 and x.dtype == D.float32 and batch_sizes is None and not _PROJ_WARNED:
            _PROJ_WARNED.append(True)  # PyTorch warns once per process
            warnings.warn("LSTM with projections is not supported with oneDNN. Using default implementation.",
                          UserWarning, stacklevel=3)
        sizes = None if batch_sizes is None else [int(b) for b in batch_sizes._data]
        layer_in = x
        h_n, c_n = [], []
        for layer in range(self.num_layers):
            outs = []
            for d in range(dirs):
                k = layer * dirs + d
                w_ih, w_hh, b_ih, b_hh, w_hr = self._layer_weights(layer, d)
                h0, c0 = hx[k], (cx[k] if lstm else None)
                if fused:
                    out, h, c = lstm_layer(layer_in, h0, c0, w_ih, w_hh, b_ih, b_hh, reverse=d == 1)
                else:
                    out, h, c = self._composite_layer(layer_in, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr, sizes, d == 1)
                outs.append(out)
                h_n.append(h)
                c_n.append(c)
            layer_in = outs[0] if dirs == 1 else AF.cat(outs, -1)
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                layer_in = F.dropout(layer_in, self.dropout, True)
        return layer_in, AF.stack(h_n, 0), (AF.stack(c_n, 0) if lstm else None)

    def _composite_layer(self, x, h, c, w_ih, w_hh, b_ih, b_hh, w_hr, sizes, reverse):
        """One layer and direction as per-step ops (PyTorch's default CPU implementation)."""
        step = _STEPS[self.mode]
        act = AF.relu if self.mode == "RNN_RELU" else AF.tanh
        xw = F.linear(x, w_ih, b_ih)  # every step's input projection in one matmul
        if sizes is None:
            xs = AF.unbind(xw, 0)
            seq = [None] * len(xs)
            for t in (range(len(xs) - 1, -1, -1) if reverse else range(len(xs))):
                h, c = step(xs[t], h, c, w_hh, b_hh, act, w_hr)
                seq[t] = h
            return AF.stack(seq, 0), h, c
        xs = AF.split(xw, sizes, 0)
        outs = []
        if not reverse:  # sequences that end leave the batch; their final states are kept aside
            done_h, done_c, last = [], [], sizes[0]
            for t, bs in enumerate(sizes):
                if bs < last:
                    done_h.append(h[bs:last])
                    h = h[:bs]
                    if c is not None:
                        done_c.append(c[bs:last])
                        c = c[:bs]
                last = bs
                h, c = step(xs[t], h, c, w_hh, b_hh, act, w_hr)
                outs.append(h)
            h = AF.cat([h] + done_h[::-1], 0) if done_h else h
            if c is not None and done_c:
                c = AF.cat([c] + done_c[::-1], 0)
            return AF.cat(outs, 0), h, c
        h_init, c_init, last = h, c, sizes[-1]  # backwards in time: sequences join the batch as they start
        h = h_init[:last]
        c = c_init[:last] if c_init is not None else None
        for t in range(len(sizes) - 1, -1, -1):
            bs = sizes[t]
            if bs > last:
                h = AF.cat([h, h_init[last:bs]], 0)
                if c is not None:
                    c = AF.cat([c, c_init[last:bs]], 0)
            last = bs
            h, c = step(xs[t], h, c, w_hh, b_hh, act, w_hr)
            outs.append(h)
        return AF.cat(outs[::-1], 0), h, c

    def _forward(self, input, hx, n_states: int):
        orig = input
        x, states, batch_sizes, sorted_idx, unsorted_idx, batched = self._unpack(input, hx, n_states)
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        if states is None:
            states = [self._zeros(x, batch_sizes, real_hidden)]
            if n_states == 2:
                states.append(self._zeros(x, batch_sizes, self.hidden_size))
        self.check_forward_args(x, tuple(states) if n_states == 2 else states[0], batch_sizes)
        time_major = x
        if batch_sizes is None and self.batch_first:
            time_major = x.transpose(0, 1)
        out, h_n, c_n = self._run(time_major, states[0], states[1] if n_states == 2 else None, batch_sizes)
        hidden = [h_n] if n_states == 1 else [h_n, c_n]
        if isinstance(orig, PackedSequence):
            out = PackedSequence(out, batch_sizes, sorted_idx, unsorted_idx)
        else:
            if self.batch_first:
                # PyTorch's LSTM returns a transposed view; its RNN and GRU transpose their output in place
                if self.mode == "LSTM":
                    out = out.transpose(0, 1)
                else:
                    out.transpose_(0, 1)
            if not batched:
                out = out.squeeze(0 if self.batch_first else 1)
                hidden = [h.squeeze(1) for h in hidden]
        hidden = [_permute(h, unsorted_idx) for h in hidden]
        return out, (hidden[0] if n_states == 1 else tuple(hidden))


def _no_proj_size(cls_name: str, kwargs: dict) -> None:
    if "proj_size" in kwargs:
        raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
    if kwargs:
        raise TypeError(f"{cls_name}.__init__() got an unexpected keyword argument '{next(iter(kwargs))}'")


class RNN(RNNBase):
    """A multi-layer Elman recurrent network: h_t = tanh(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh), for each t in order.

    The same weights are applied at every time step; backward() runs through all of them (backpropagation
    through time). With nonlinearity='relu', ReLU replaces tanh.

    Args:
        input_size: H_in, the size of each input vector x_t.
        hidden_size: H, the size of the hidden state h_t.
        num_layers: the number of stacked layers, each reading the previous layer's outputs (default 1).
        nonlinearity: 'tanh' (default) or 'relu'.
        bias: whether the layers have the biases b_ih and b_hh (default True).
        batch_first: whether inputs and outputs are (N, L, features) instead of (L, N, features); the states
            keep (layers, N, H) either way (default False).
        dropout: the probability of dropout on the outputs of every layer but the last, in training (default 0).
        bidirectional: whether each layer also runs backwards over the sequence, its outputs concatenated with the
            forward direction's (D = 2; default False, D = 1).
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        input (L, N, H_in), or (N, L, H_in) with batch_first, or (L, H_in) unbatched, or a PackedSequence;
        h_0 (D·num_layers, N, H) (default zeros) -> output (L, N, D·H) with the last layer's h_t for every t, and
        h_n (D·num_layers, N, H), the final state of every layer and direction.

    Parameters:
        weight_ih_l[k] (H, H_in) for layer 0, (H, D·H) above; weight_hh_l[k] (H, H); bias_ih_l[k] and
        bias_hh_l[k] (H,); the backward direction's have the suffix _reverse. All drawn from U(-1/√H, 1/√H).

    Example:
        >>> rnn = nn.RNN(4, 8, num_layers=2, batch_first=True)
        >>> output, h_n = rnn(ember.ones(3, 5, 4))  # 3 sequences of 5 steps
        >>> output.shape, h_n.shape
        (torch.Size([3, 5, 8]), torch.Size([2, 3, 8]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device=None, dtype=None, **kwargs) -> None:
        _no_proj_size("RNN", kwargs)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size,
                         num_layers, bias, batch_first, dropout, bidirectional, 0, device, dtype)

    def forward(self, input, hx: Tensor | None = None):
        """(output, h_n); input (L, N, H_in), (N, L, H_in) with batch_first, (L, H_in), or a PackedSequence."""
        return self._forward(input, hx, 1)


class LSTM(RNNBase):
    """A multi-layer long short-term memory network (Hochreiter and Schmidhuber, 1997). At each step t:

        i, f, g, o = σ, σ, tanh, σ of the four quarters of x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh
        c_t = f ⊙ c_{t-1} + i ⊙ g        (the cell state: forget some, add some)
        h_t = o ⊙ tanh(c_t)              (then h_t W_hrᵀ with proj_size > 0)

    The additive cell update lets gradients flow across many steps.

    Args:
        input_size: H_in, the size of each input vector x_t.
        hidden_size: H, the size of the hidden state h_t.
        num_layers: the number of stacked layers, each reading the previous layer's outputs (default 1).
        bias: whether the layers have the biases b_ih and b_hh (default True).
        batch_first: whether inputs and outputs are (N, L, features) instead of (L, N, features); the states
            keep (layers, N, H) either way (default False).
        dropout: the probability of dropout on the outputs of every layer but the last, in training (default 0).
        bidirectional: whether each layer also runs backwards over the sequence, its outputs concatenated with the
            forward direction's (D = 2; default False, D = 1).
        proj_size: if > 0, project each h_t to this size with weight_hr_l[k] (default 0).
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        forward(input, (h_0, c_0)) -> output, (h_n, c_n). As RNN's, with the cell states c_0 and c_n
        (D·num_layers, N, H) beside h_0 and h_n (whose last size is proj_size when projecting).

    Parameters:
        weight_ih_l[k] (4H, H_in) for layer 0, (4H, D·H) above; weight_hh_l[k] (4H, H); bias_ih_l[k] and
        bias_hh_l[k] (4H,); the backward direction's have the suffix _reverse. All drawn from U(-1/√H, 1/√H).
        The four blocks of rows are the gates i, f, g, o in that order.

    Example:
        >>> lstm = nn.LSTM(4, 8, batch_first=True)
        >>> output, (h_n, c_n) = lstm(ember.ones(3, 5, 4))
        >>> output.shape, h_n.shape, c_n.shape
        (torch.Size([3, 5, 8]), torch.Size([1, 3, 8]), torch.Size([1, 3, 8]))
        >>> lstm.weight_ih_l0.shape
        torch.Size([32, 4])
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device, dtype)

    def get_expected_cell_size(self, input: Tensor, batch_sizes: Tensor | None) -> tuple:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        return (self.num_layers * (2 if self.bidirectional else 1), mini_batch, self.hidden_size)

    def check_forward_args(self, input: Tensor, hidden, batch_sizes: Tensor | None) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden[0], self.get_expected_hidden_size(input, batch_sizes),
                               "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hidden[1], self.get_expected_cell_size(input, batch_sizes),
                               "Expected hidden[1] size {}, got {}")

    def permute_hidden(self, hx, permutation: Tensor | None):
        if permutation is None:
            return hx
        return _permute(hx[0], permutation), _permute(hx[1], permutation)

    def forward(self, input, hx=None):
        """(output, (h_n, c_n)); input (L, N, H_in), (N, L, H_in) with batch_first, (L, H_in), or packed."""
        return self._forward(input, hx, 2)


class GRU(RNNBase):
    """A multi-layer gated recurrent unit network (Cho et al., 2014). At each step t:

        r = σ(x_t W_irᵀ + b_ir + h_{t-1} W_hrᵀ + b_hr)             (reset gate)
        z = σ(x_t W_izᵀ + b_iz + h_{t-1} W_hzᵀ + b_hz)             (update gate)
        n = tanh(x_t W_inᵀ + b_in + r ⊙ (h_{t-1} W_hnᵀ + b_hn))    (candidate state)
        h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}

    Args:
        input_size: H_in, the size of each input vector x_t.
        hidden_size: H, the size of the hidden state h_t.
        num_layers: the number of stacked layers, each reading the previous layer's outputs (default 1).
        bias: whether the layers have the biases b_ih and b_hh (default True).
        batch_first: whether inputs and outputs are (N, L, features) instead of (L, N, features); the states
            keep (layers, N, H) either way (default False).
        dropout: the probability of dropout on the outputs of every layer but the last, in training (default 0).
        bidirectional: whether each layer also runs backwards over the sequence, its outputs concatenated with the
            forward direction's (D = 2; default False, D = 1).
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        input (L, N, H_in), or (N, L, H_in) with batch_first, or (L, H_in) unbatched, or a PackedSequence;
        h_0 (D·num_layers, N, H) (default zeros) -> output (L, N, D·H) with the last layer's h_t for every t, and
        h_n (D·num_layers, N, H), the final state of every layer and direction.

    Parameters:
        weight_ih_l[k] (3H, H_in) for layer 0, (3H, D·H) above; weight_hh_l[k] (3H, H); bias_ih_l[k] and
        bias_hh_l[k] (3H,); the backward direction's have the suffix _reverse. All drawn from U(-1/√H, 1/√H).
        The three blocks of rows are r, z, n in that order.

    Example:
        >>> gru = nn.GRU(4, 8, bidirectional=True)
        >>> output, h_n = gru(ember.ones(5, 3, 4))  # (L, N, H_in)
        >>> output.shape, h_n.shape
        (torch.Size([5, 3, 16]), torch.Size([2, 3, 8]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, device=None,
                 dtype=None, **kwargs) -> None:
        _no_proj_size("GRU", kwargs)
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         0, device, dtype)

    def forward(self, input, hx: Tensor | None = None):
        """(output, h_n); input (L, N, H_in), (N, L, H_in) with batch_first, (L, H_in), or a PackedSequence."""
        return self._forward(input, hx, 1)


# -- cells ---------------------------------------------------------------------------------------------------

class RNNCellBase(Module):
    """The machinery shared by RNNCell, LSTMCell and GRUCell: one time step, with parameters weight_ih, weight_hh,
    bias_ih and bias_hh drawn from U(-1/√H, 1/√H). Use one of the three subclasses, in a loop over time.

    Args:
        input_size: H_in, the size of the input x.
        hidden_size: H, the size of the state h.
        bias: whether to learn the biases b_ih and b_hh (default True).
        device, dtype: where and in which dtype the parameters are created.

    Example:
        >>> isinstance(nn.GRUCell(4, 8), nn.RNNCellBase)
        True
    """

    __constants__ = ("input_size", "hidden_size", "bias")
    _gates = 1

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        g = self._gates * hidden_size
        self.weight_ih = Parameter(C.empty((g, input_size), device=device, dtype=dtype))
        self.weight_hh = Parameter(C.empty((g, hidden_size), device=device, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(C.empty(g, device=device, dtype=dtype))
            self.bias_hh = Parameter(C.empty(g, device=device, dtype=dtype))
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
    """One step of an Elman RNN: h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) (or ReLU).

    Args:
        input_size: H_in, the size of the input x.
        hidden_size: H, the size of the state h.
        bias: whether to learn the biases b_ih and b_hh (default True).
        nonlinearity: 'tanh' (default) or 'relu'.
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        input (N, H_in) or (H_in) and h (N, H) or (H) (default zeros) -> h' (N, H) or (H).

    Example:
        >>> cell = nn.RNNCell(4, 8)
        >>> h = None
        >>> for x_t in ember.ones(5, 3, 4):  # 5 steps of a batch of 3
        ...     h = cell(x_t, h)
        >>> h.shape
        torch.Size([3, 8])
    """

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
    """One step of an LSTM: with i, f, g, o = σ, σ, tanh, σ of the quarters of x W_ihᵀ + b_ih + h W_hhᵀ + b_hh,
    c' = f ⊙ c + i ⊙ g and h' = o ⊙ tanh(c').

    Args:
        input_size: H_in, the size of the input x.
        hidden_size: H, the size of the state h.
        bias: whether to learn the biases b_ih and b_hh (default True).
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        forward(input, (h, c)) with input (N, H_in) or (H_in), h and c (N, H) or (H) (default zeros)
        -> (h', c'), each (N, H) or (H).

    Example:
        >>> h, c = nn.LSTMCell(4, 8)(ember.ones(3, 4))
        >>> h.shape, c.shape
        (torch.Size([3, 8]), torch.Size([3, 8]))
    """

    _gates = 4

    def forward(self, input: Tensor, hx=None):
        x, (h, c), batched = self._check(input, hx, 2)
        h, c = self._step(x, h, c, _lstm_step)
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """One step of a GRU: h' = (1 - z) ⊙ n + z ⊙ h, with the gates r, z and the candidate n as in GRU.

    Args:
        input_size: H_in, the size of the input x.
        hidden_size: H, the size of the state h.
        bias: whether to learn the biases b_ih and b_hh (default True).
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        input (N, H_in) or (H_in) and h (N, H) or (H) (default zeros) -> h' (N, H) or (H).

    Example:
        >>> nn.GRUCell(4, 8)(ember.ones(3, 4)).shape
        torch.Size([3, 8])
    """

    _gates = 3

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, (h,), batched = self._check(input, hx, 1)
        h, _ = self._step(x, h, None, _gru_step)
        return h if batched else h.squeeze(0)
