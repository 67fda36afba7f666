"""What the catalogue does not check, and why (EXCLUDED); and what it does not check *yet* (PENDING).

EXCLUDED: name -> reason (not differentiable and tested elsewhere, not a tensor op, ...). PENDING: name ->
the module that defines it; each family's entries take its names off this list, which must end empty.
"""

_LU = ("LU factorisation and solves: values, pivots, info, printing, errors and gradients against PyTorch, "
       "gradcheck and gradgradcheck, in tests/ops/test_lu.py")

_STFT = ("the short-time Fourier transform and its inverse: values, dtypes, warnings, errors and gradients "
         "against PyTorch in tests/ops/test_stft.py")

_LDL = ("solve_ex, householder_product (orgqr) and the LDL factorization: values, info, pivots, errors and "
        "gradients against PyTorch, gradcheck and gradgradcheck, in tests/test_linalg_ldl_householder.py")

_POLY = ("the orthogonal polynomials and airy_ai (values only, as PyTorch): grids of x and n against PyTorch, "
         "dtypes, argument forms, out= and the refused backward, in tests/test_special_polynomials.py")

_FMISC = ("grouped/scaled matrix products and nn.functional's dispatch helpers: values, gradients and errors "
          "against PyTorch in tests/nn/test_functional_misc.py")

EXCLUDED: dict = {
    **{n: _LDL for n in ("linalg.solve_ex", "linalg.householder_product", "orgqr", "Tensor.orgqr",
                          "linalg.ldl_factor", "linalg.ldl_factor_ex", "linalg.ldl_solve")},
    **{f"special.{n}": _POLY for n in ("airy_ai", "chebyshev_polynomial_t", "chebyshev_polynomial_u",
                                       "chebyshev_polynomial_v", "chebyshev_polynomial_w", "hermite_polynomial_h",
                                       "hermite_polynomial_he", "laguerre_polynomial_l", "legendre_polynomial_p",
                                       "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u",
                                       "shifted_chebyshev_polynomial_v", "shifted_chebyshev_polynomial_w")},
    **{f"nn.functional.{n}": _FMISC for n in ("assert_int_or_pair", "boolean_dispatch", "grouped_mm",
                                              "handle_torch_function", "has_torch_function",
                                              "has_torch_function_unary", "has_torch_function_variadic",
                                              "scaled_grouped_mm", "scaled_mm")},
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

_ADDED = ("names taken off the not-offered list: values, grad_fn names, float64 gradients (finite differences "
          "where PyTorch's own are wrong) and errors against PyTorch in tests/test_surface_added.py")
_REMOVED = "removed from PyTorch (1.9): it only raises, as PyTorch does (tests/test_surface_added.py)"
EXCLUDED.update(dict.fromkeys(("eig", "symeig", "solve", "matrix_rank", "Tensor.eig", "Tensor.symeig",
                               "Tensor.solve"), _REMOVED))
EXCLUDED.update(dict.fromkeys((
    "addmv_", "as_strided_", "as_strided_scatter", "conj_physical_", "slice_copy", "slice_inverse",
    "unsafe_split_with_sizes", "Tensor.as_strided_", "Tensor.as_strided_scatter", "Tensor.conj_physical_",
    "Tensor.slice_inverse", "Tensor.unsafe_split_with_sizes", "convolution", "native_norm", "norm_except_dim",
    "native_channel_shuffle", "embedding_renorm_", "grid_sampler", "grid_sampler_2d", "grid_sampler_3d",
    "affine_grid_generator", "lstm", "gru", "rnn_tanh", "rnn_relu", "feature_alpha_dropout_", "batch_norm_stats", "batch_norm_elemt",
    "batch_norm_gather_stats", "batch_norm_gather_stats_with_counts", "batch_norm_backward_reduce",
    "batch_norm_backward_elemt", "batch_norm_update_stats", "conv_tbc", "nonzero_static",
    "Tensor.nonzero_static", "histogramdd", "segment_reduce", "embedding_bag", "svd_lowrank", "pca_lowrank",
    "cudnn_is_acceptable", "geqrf", "orgqr", "ormqr", "Tensor.geqrf", "Tensor.orgqr", "Tensor.ormqr",
    "linalg.householder_product", "fake_quantize_per_tensor_affine", "fake_quantize_per_channel_affine",
    "from_file"), _ADDED))
EXCLUDED.update(dict.fromkeys((
    "cudnn_affine_grid_generator", "cudnn_batch_norm", "cudnn_convolution", "cudnn_convolution_add_relu",
    "cudnn_convolution_relu", "cudnn_convolution_transpose", "cudnn_grid_sampler", "miopen_batch_norm",
    "miopen_convolution", "miopen_convolution_add_relu", "miopen_convolution_relu", "miopen_convolution_transpose",
    "miopen_ctc_loss", "miopen_depthwise_convolution", "miopen_rnn", "mkldnn_adaptive_avg_pool2d",
    "mkldnn_linear_backward_weights", "mkldnn_max_pool2d", "mkldnn_max_pool3d", "native_norm", "batch_norm_stats",
    "batch_norm_elemt", "batch_norm_gather_stats", "batch_norm_gather_stats_with_counts",
    "batch_norm_backward_reduce", "batch_norm_backward_elemt"),
    "a kernel with no CPU implementation in PyTorch: it raises PyTorch's dispatcher error (tests/test_surface_added.py)"))

EXCLUDED.update(dict.fromkeys((
    "Tensor.dequantize", "Tensor.int_repr", "Tensor.q_per_channel_axis", "Tensor.q_per_channel_scales",
    "Tensor.q_per_channel_zero_points", "Tensor.q_scale", "Tensor.q_zero_point", "Tensor.qscheme", "dequantize",
    "empty_quantized", "int_repr", "q_per_channel_axis", "q_per_channel_scales", "q_per_channel_zero_points",
    "q_scale", "q_zero_point", "quantize_per_channel", "quantize_per_tensor", "quantize_per_tensor_dynamic",
    "quantized_batch_norm", "quantized_max_pool1d", "quantized_max_pool2d", "quantized_max_pool3d"),
    "quantized tensors: integer storage with no gradient in PyTorch either; values, printing and errors against "
    "PyTorch's recorded transcript in tests/test_quantize.py"))
EXCLUDED["fused_moving_avg_obs_fake_quant"] = (
    "an observer step with a straight-through gradient; values and gradient against PyTorch's recorded transcript "
    "in tests/test_quantize.py")

PENDING: dict = {
    # nn._functional_activation
    # nn._functional_loss
    # nn._functional_sampling
    # nn._functional_seq
    # nn._functional_spatial
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
