"""The short-time Fourier transform and its inverse (torch.stft, torch.istft), composed of ember's ops, so they
are differentiable wherever those are.

stft: the signal (padded by n_fft/2 on each side when ``center``, reflected by default) cut into frames of n_fft
samples every ``hop_length``; each frame times the window (``win_length`` long, centred in n_fft), then its DFT:

    X[ω, m] = Σ_k w[k] x[m · hop + k] e^{-2πi ωk / n_fft}      (ω < n_fft/2 + 1 when ``onesided``)

istft: each column's inverse DFT times the window, overlap-added, divided by the overlap-added squared window
(the least-squares inverse of stft), then the padding cut off (or the signal cut or zero-padded to ``length``).
"""

from __future__ import annotations

import warnings

from .._array import np
from .._core.exposure import expose
from .._core.tensor import Tensor, _wrap
from .complex import view_as_real
from .creation import ones, zeros
from .fft import fft, ifft, irfft, rfft

__all__ = ["stft", "istft"]

_LEGACY = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16",
           "complex64": "ComplexFloat", "complex128": "ComplexDouble"}


def _type(t: Tensor) -> str:
    return f"torch.{_LEGACY.get(str(t._data.dtype), 'Float')}Tensor"


def _reflect_indices(length: int, pad: int, mode: str):
    """indices that pad a signal of ``length`` samples by ``pad`` on each side ('reflect', 'replicate',
    'circular'), as a gather"""
    i = np.arange(-pad, length + pad)
    if mode == "reflect":
        period = 2 * (length - 1)
        i = np.abs(i) % period if period else np.zeros_like(i)
        return np.where(i >= length, period - i, i)
    if mode == "replicate":
        return np.clip(i, 0, length - 1)
    if mode == "circular":
        return i % length
    raise NotImplementedError(f"Unrecognised padding mode {mode}")


def _pad_window(window: Tensor | None, win_length: int, n_fft: int, dtype) -> Tensor:
    if window is None:
        window = ones(win_length, dtype=dtype)
    if win_length < n_fft:
        left = (n_fft - win_length) // 2
        padded = zeros(n_fft, dtype=window.dtype)
        window = padded.index_add(0, _wrap(np.arange(left, left + win_length)), window)
    return window


def stft(input: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
         window: Tensor | None = None, center: bool = True, pad_mode: str = "reflect", normalized: bool = False,
         onesided: bool | None = None, return_complex: bool | None = None, align_to_window: bool | None = None):
    """X[ω, m] = Σ_k w[k] x[m·hop + k] e^{-2πi ωk/n_fft}: the DFTs of the windowed frames of x, (freq, frames)"""
    complex_input = input._data.dtype.kind == "c" or (window is not None and window._data.dtype.kind == "c")
    if return_complex is None and not complex_input:
        raise RuntimeError("stft requires the return_complex parameter be given for real inputs, and will further "
                           "require that return_complex=True in a future PyTorch release.")
    hop = n_fft // 4 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    if window is None:
        warnings.warn("A window was not provided. A rectangular window will be applied,which is known to cause "
                      "spectral leakage. Other windows such as torch.hann_window or torch.hamming_window are "
                      "recommended to reduce spectral leakage.To suppress this warning and use a rectangular window, "
                      "explicitly set `window=torch.ones(n_fft, device=<device>)`.", UserWarning, stacklevel=2)
    x = input
    if center:
        if x.ndim not in (1, 2, 3):
            raise RuntimeError(f"stft: expected a 1D or 2D tensor, but got {x.ndim}D")
        pad = n_fft // 2
        length = x.shape[-1]
        if pad >= length and pad_mode == "reflect":
            shape = [1] * (3 - x.ndim) + list(x.shape)
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, "
                               f"but got: padding ({pad}, {pad}) at dimension 2 of input {shape}")
        x = x[..., _wrap(_reflect_indices(length, pad, pad_mode))] if pad_mode != "constant" else \
            x.new_zeros(tuple(x.shape[:-1]) + (length + 2 * pad,)).index_add(
                -1, _wrap(np.arange(pad, pad + length)), x)
    shown = (f"stft({_type(x)}{list(x.shape)}, n_fft={n_fft}, hop_length={hop}, win_length={win}, window="
             f"{'None' if window is None else _type(window) + '{' + str(list(window.shape)) + '}'}, normalized="
             f"{int(bool(normalized))}, onesided={'None' if onesided is None else int(onesided)}, return_complex="
             f"{'None' if return_complex is None else int(return_complex)}, align_to_window="
             f"{'None' if align_to_window is None else int(align_to_window)}) : ")
    if x.ndim not in (1, 2):
        raise RuntimeError(shown + "expected a 1D or 2D tensor")
    length = x.shape[-1]
    if not 0 < n_fft <= length:
        raise RuntimeError(shown + f"expected 0 < n_fft < {length}, but got n_fft={n_fft}")
    if hop <= 0:
        raise RuntimeError(shown + f"expected hop_length > 0, but got hop_length={hop}")
    if not 0 < win <= n_fft:
        raise RuntimeError(shown + f"expected 0 < win_length <= n_fft, but got win_length={win}")
    if window is not None and (window.ndim != 1 or window.shape[0] != win):
        raise RuntimeError(shown + f"expected a 1D window tensor of size equal to win_length={win}, but got window "
                           f"with size {list(window.shape)}")
    w = _pad_window(window, win, n_fft, x.dtype)
    frames = x.unfold(-1, n_fft, hop) * w  # (..., n_frames, n_fft)
    side = (not complex_input) if onesided is None else onesided
    if side and complex_input:
        raise RuntimeError(shown + "Cannot have onesided output if window or input is complex")
    spec = rfft(frames, dim=-1) if side else fft(frames, dim=-1)
    if normalized:
        spec = spec * (n_fft ** -0.5)
    spec = spec.transpose(-1, -2)
    if not return_complex:
        if return_complex is False:
            warnings.warn("stft with return_complex=False is deprecated. In a future pytorch release, stft will "
                          "return complex tensors for all inputs, and return_complex=False will raise an error.\n"
                          "Note: you can still call torch.view_as_real on the complex output to recover the old "
                          "return format.", UserWarning, stacklevel=2)
            return view_as_real(spec)
    return spec

expose(stft, method=True)


def _overlap_add(frames: Tensor, hop: int, length: int) -> Tensor:
    """(..., n_frames, n) -> (..., length): frame m added at m·hop"""
    n_frames, n = frames.shape[-2:]
    idx = (np.arange(n_frames)[:, None] * hop + np.arange(n)[None, :]).reshape(-1)
    lead = tuple(frames.shape[:-2])
    out = frames.new_zeros(lead + (length,))
    return out.index_add(-1, _wrap(idx), frames.reshape(lead + (n_frames * n,)))


def istft(input: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
          window: Tensor | None = None, center: bool = True, normalized: bool = False, onesided: bool | None = None,
          length: int | None = None, return_complex: bool = False) -> Tensor:
    """x from its stft: the frames' inverse DFTs, windowed, overlap-added and divided by Σ_m w²[n - m·hop]"""
    if input._data.dtype.kind != "c":
        raise RuntimeError("istft requires a complex-valued input tensor matching the output from stft with "
                           "return_complex=True.")
    hop = n_fft // 4 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    if window is None:
        warnings.warn("A window was not provided. A rectangular window will be applied.Please provide the same "
                      "window used by stft to make the inversion lossless.To suppress this warning and use a "
                      "rectangular window, explicitly set `window=torch.ones(n_fft, device=<device>)`.",
                      UserWarning, stacklevel=2)
    if input.ndim not in (2, 3):
        raise RuntimeError(f"istft: Expected a tensor of 2D or 3D, but got {input.ndim}D")
    n_freq, n_frames = input.shape[-2:]
    side = (n_freq != n_fft) if onesided is None else onesided
    if side and n_fft // 2 + 1 != n_freq:
        raise RuntimeError(f"istft: expected the frequency dimension (3rd to the last) of the input tensor to match "
                           f"n_fft / 2 + 1 when onesided=True, but got {n_freq}")
    real_dtype = np.empty(0, input._data.dtype).real.dtype
    w = _pad_window(window, win, n_fft, _wrap(np.zeros(0, real_dtype)).dtype)
    spec = input.transpose(-1, -2)
    if normalized:
        spec = spec * (n_fft ** 0.5)
    frames = irfft(spec, n=n_fft, dim=-1) if side else ifft(spec, dim=-1)
    if not return_complex and frames._data.dtype.kind == "c":
        frames = frames.real
    frames = frames * w
    expected = n_fft + hop * (n_frames - 1)
    y = _overlap_add(frames, hop, expected)
    envelope = _overlap_add((w * w).expand(n_frames, n_fft), hop, expected)
    start = n_fft // 2 if center else 0
    end = expected if length is None else start + length
    if length is None and center:
        end = expected - n_fft // 2
    end = min(end, expected)
    y = y[..., start:end]
    envelope = envelope[start:end]
    if np.abs(envelope._data).min(initial=np.inf) < 1e-11:
        shown_w = "None" if window is None else f"{_type(window)}{{{list(window.shape)}}}"
        kind = _LEGACY.get(str(input._data.dtype), "ComplexFloat")
        raise RuntimeError(f"istft(CPU{kind}Type{list(input.shape)}, n_fft={n_fft}, hop_length={hop}, win_length={win}, "
                           f"window={shown_w}, center={int(center)}, normalized={int(normalized)}, onesided="
                           f"{'None' if onesided is None else int(onesided)}, length={length}, return_complex="
                           f"{int(return_complex)}) window overlap add min: 1\n[ CPUBoolType{{}} ]")
    y = y / envelope
    if length is not None and y.shape[-1] < length:
        y = y.new_zeros(tuple(y.shape[:-1]) + (length,)).index_add(-1, _wrap(np.arange(y.shape[-1])), y)
    return y

expose(istft, method=True)
