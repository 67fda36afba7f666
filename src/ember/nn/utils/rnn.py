"""``nn.utils.rnn``: batches of variable-length sequences, padded or packed.

A ``PackedSequence`` stores the valid steps of a batch time-major: ``data`` holds, for t = 0, 1, ..., the step-t
rows of every sequence longer than t (sequences sorted longest first), and ``batch_sizes[t]`` says how many
there are. Recurrent layers run such input step by step on shrinking batches, so padding is never computed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from ..._array import np
from ..._core import dtype as D
from ..._core.tensor import Tensor, _wrap
from ...ops import creation as C
from .._functional_seq import _pack_padded_sequence

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
           "unpad_sequence", "pack_sequence", "unpack_sequence"]


class PackedSequence_(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


class PackedSequence(PackedSequence_):
    """(data, batch_sizes, sorted_indices, unsorted_indices) of a packed batch; made by pack_* functions."""

    def __new__(cls, data: Tensor, batch_sizes: Tensor | None = None, sorted_indices: Tensor | None = None,
                unsorted_indices: Tensor | None = None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise AssertionError("Expected data to be a list or tuple of length 2")
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs) -> PackedSequence:
        """The same sequence with ``data`` converted (the index tensors stay as they are on a CPU)."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        return type(self)(data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def cuda(self, *args, **kwargs) -> PackedSequence:
        kwargs["device"] = "cuda"
        return self.to(*args, **kwargs)

    def cpu(self, *args, **kwargs) -> PackedSequence:
        return self.to(*args, **kwargs)

    def pin_memory(self) -> PackedSequence:
        return self

    def double(self) -> PackedSequence:
        return self.to(dtype=D.float64)

    def float(self) -> PackedSequence:
        return self.to(dtype=D.float32)

    def half(self) -> PackedSequence:
        return self.to(dtype=D.float16)

    def long(self) -> PackedSequence:
        return self.to(dtype=D.int64)

    def int(self) -> PackedSequence:
        return self.to(dtype=D.int32)

    def short(self) -> PackedSequence:
        return self.to(dtype=D.int16)

    def char(self) -> PackedSequence:
        return self.to(dtype=D.int8)

    def byte(self) -> PackedSequence:
        return self.to(dtype=D.uint8)

    @property
    def is_cuda(self) -> bool:
        return self.data.is_cuda

    def is_pinned(self) -> bool:
        return False


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The permutation q with q[p[i]] = i (None for None)."""
    if permutation is None:
        return None
    out = np.empty_like(permutation._data)
    out[permutation._data] = np.arange(permutation.numel(), dtype=out.dtype)
    return _wrap(out)


def pack_padded_sequence(input: Tensor, lengths, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded (T, B, *) batch (B, T, * with ``batch_first``) whose sequence b has lengths[b] steps."""
    if isinstance(lengths, Tensor):
        lengths = lengths.to(dtype=D.int64)
    else:
        lengths = C.as_tensor(lengths, dtype=D.int64)
    sorted_indices = None
    if not enforce_sorted:
        lengths, sorted_indices = lengths.sort(descending=True)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    data, batch_sizes = _pack_padded_sequence(input, lengths._data.reshape(-1), batch_first)
    return PackedSequence(data, batch_sizes, sorted_indices, None)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """(padded (T, B, *) batch, lengths): the inverse of ``pack_padded_sequence``, in the original order."""
    batch_sizes = sequence.batch_sizes._data
    max_len = batch_sizes.size
    if total_length is not None:
        if total_length < max_len:
            raise ValueError("Expected total_length to be at least the length of the longest sequence in input, but "
                             f"got total_length={total_length} and max sequence length being {max_len}")
        max_len = total_length
    data = sequence.data
    n_batch = int(batch_sizes[0]) if batch_sizes.size else 0
    out = C.full((max_len, n_batch) + tuple(data.shape[1:]), padding_value, dtype=data.dtype)
    offset = 0
    for t, bs in enumerate(batch_sizes.tolist()):  # one slice copy per step, as PyTorch (CopySlices)
        out[t, :bs] = data[offset:offset + bs]
        offset += bs
    lengths = (batch_sizes[None, :] > np.arange(n_batch)[:, None]).sum(1).astype(np.int64)
    if batch_first:
        out = out.transpose(0, 1)
    if sequence.unsorted_indices is not None:
        unsorted = sequence.unsorted_indices
        return out.index_select(0 if batch_first else 1, unsorted), _wrap(lengths[unsorted._data])
    return out, _wrap(lengths)


def pad_sequence(sequences, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack tensors of shapes (L_i, *) into one (max L, B, *) tensor (B first with ``batch_first``), padded."""
    if not isinstance(sequences, Iterable):
        raise RuntimeError(f"pad_sequence: Expected iterable for input sequences, but got arg of type: "
                           f"{type(sequences)}")
    sequences = tuple(sequences)
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    first = sequences[0]
    trailing = tuple(first.shape[1:])
    for s in sequences[1:]:
        if tuple(s.shape[1:]) != trailing:
            bad = next(i for i, (a, b) in enumerate(zip(s.shape[1:], trailing)) if a != b) if (
                s.ndim == first.ndim) else 0
            raise RuntimeError(f"The size of tensor a ({trailing[bad]}) must match the size of tensor b "
                               f"({s.shape[1 + bad]}) at non-singleton dimension {1 + bad}")
    max_len = max(s.shape[0] for s in sequences)
    shape = (len(sequences), max_len) if batch_first else (max_len, len(sequences))
    out = C.full(shape + trailing, padding_value, dtype=first.dtype)
    for i, s in enumerate(sequences):
        n = s.shape[0]
        steps = slice(0, n) if padding_side == "right" else slice(max_len - n, max_len)
        if batch_first:
            out[i, steps] = s
        else:
            out[steps, i] = s
    return out


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor, batch_first: bool = False) -> list[Tensor]:
    """The list of unpadded sequences of a padded batch (transposes ``padded_sequences`` in place unless
    ``batch_first``, as PyTorch does)."""
    if not batch_first:
        padded_sequences.transpose_(0, 1)
    idx = C.arange(padded_sequences.shape[1])
    return [seq[idx < length] for seq, length in zip(padded_sequences, lengths)]


def pack_sequence(sequences: list[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """``pack_padded_sequence(pad_sequence(sequences), lengths)``."""
    lengths = C.as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The list of sequences of a ``PackedSequence``, in their original order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)

