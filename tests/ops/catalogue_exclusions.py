"""What the catalogue does not check, and why (EXCLUDED); and what it does not check *yet* (PENDING).

EXCLUDED: name -> reason (not differentiable and tested elsewhere, not a tensor op, ...). PENDING: name ->
the module that defines it; each family's entries take its names off this list, which must end empty.
"""

_LU = ("LU factorisation and solves: values, pivots, info, printing, errors and gradients against PyTorch, "
       "gradcheck and gradgradcheck, in tests/ops/test_lu.py")

_STFT = ("the short-time Fourier transform and its inverse: values, dtypes, warnings, errors and gradients "
         "against PyTorch in tests/ops/test_stft.py")

EXCLUDED: dict = {
    "stft": _STFT,
    "istft": _STFT,
    "Tensor.stft": _STFT,
    "Tensor.istft": _STFT,
    "Tensor.lu": _LU,
    "Tensor.lu_solve": _LU,
    "linalg.lu": _LU,
    "linalg.lu_factor": _LU,
    "linalg.lu_factor_ex": _LU,
    "linalg.lu_solve": _LU,
    "lu": _LU,
    "lu_solve": _LU,
    "lu_unpack": _LU,
    "binomial": "a random draw (no derivative): its stream is checked against PyTorch's in tests/test_gamma_binomial.py",
    "_sample_dirichlet": "a random draw: checked against PyTorch's stream in tests/test_gamma_binomial.py",
    "_standard_gamma": "a random draw whose reparametrised gradient is checked in tests/test_gamma_binomial.py",
    "_standard_gamma_grad": "the gradient of _standard_gamma, checked with it in tests/test_gamma_binomial.py",
    "fft.fftfreq": "a factory of sample frequencies (no tensor input, nothing to differentiate); its values are "
                   "checked bit for bit against PyTorch in tests/test_fft.py",
    "fft.rfftfreq": "a factory of sample frequencies (no tensor input, nothing to differentiate); its values are "
                    "checked bit for bit against PyTorch in tests/test_fft.py",
}

PENDING: dict = {
    # nn._functional_activation
    # nn._functional_loss
    # nn._functional_sampling
    # nn._functional_seq
    # nn._functional_spatial
    "nn.functional.adaptive_avg_pool1d": "nn._functional_spatial",
    "nn.functional.adaptive_avg_pool2d": "nn._functional_spatial",
    "nn.functional.adaptive_avg_pool3d": "nn._functional_spatial",
    "nn.functional.adaptive_max_pool1d": "nn._functional_spatial",
    "nn.functional.adaptive_max_pool1d_with_indices": "nn._functional_spatial",
    "nn.functional.adaptive_max_pool2d": "nn._functional_spatial",
    "nn.functional.adaptive_max_pool2d_with_indices": "nn._functional_spatial",
    "nn.functional.adaptive_max_pool3d": "nn._functional_spatial",
    "nn.functional.adaptive_max_pool3d_with_indices": "nn._functional_spatial",
    "nn.functional.avg_pool1d": "nn._functional_spatial",
    "nn.functional.avg_pool2d": "nn._functional_spatial",
    "nn.functional.avg_pool3d": "nn._functional_spatial",
    "nn.functional.channel_shuffle": "nn._functional_spatial",
    "nn.functional.conv1d": "nn._functional_spatial",
    "nn.functional.conv2d": "nn._functional_spatial",
    "nn.functional.conv3d": "nn._functional_spatial",
    "nn.functional.conv_tbc": "nn._functional_spatial",
    "nn.functional.conv_transpose1d": "nn._functional_spatial",
    "nn.functional.conv_transpose2d": "nn._functional_spatial",
    "nn.functional.conv_transpose3d": "nn._functional_spatial",
    "nn.functional.fold": "nn._functional_spatial",
    "nn.functional.fractional_max_pool2d": "nn._functional_spatial",
    "nn.functional.fractional_max_pool2d_with_indices": "nn._functional_spatial",
    "nn.functional.fractional_max_pool3d": "nn._functional_spatial",
    "nn.functional.fractional_max_pool3d_with_indices": "nn._functional_spatial",
    "nn.functional.lp_pool1d": "nn._functional_spatial",
    "nn.functional.lp_pool2d": "nn._functional_spatial",
    "nn.functional.lp_pool3d": "nn._functional_spatial",
    "nn.functional.max_pool1d": "nn._functional_spatial",
    "nn.functional.max_pool1d_with_indices": "nn._functional_spatial",
    "nn.functional.max_pool2d": "nn._functional_spatial",
    "nn.functional.max_pool2d_with_indices": "nn._functional_spatial",
    "nn.functional.max_pool3d": "nn._functional_spatial",
    "nn.functional.max_pool3d_with_indices": "nn._functional_spatial",
    "nn.functional.max_unpool1d": "nn._functional_spatial",
    "nn.functional.max_unpool2d": "nn._functional_spatial",
    "nn.functional.max_unpool3d": "nn._functional_spatial",
    "nn.functional.native_channel_shuffle": "nn._functional_spatial",
    "nn.functional.pad": "nn._functional_spatial",
    "nn.functional.pixel_shuffle": "nn._functional_spatial",
    "nn.functional.pixel_unshuffle": "nn._functional_spatial",
    "nn.functional.scaled_dot_product_attention": "nn._functional_spatial",
    "nn.functional.unfold": "nn._functional_spatial",
    # nn.functional
    # ops.compare
    # ops.complex
    # ops.convert
    # ops.creation
    # ops.einsum
    # ops.index
    # ops.inplace
    # ops.legacy
    # ops.linalg
    # ops.pointwise
    # ops.query
    # ops.pointwise
    # ops.random
    # ops.shape
    # ops.reduce
    # ops.scan
    # ops.softmax
    # ops.sort
    # ops.special
    # ops.unary
}
