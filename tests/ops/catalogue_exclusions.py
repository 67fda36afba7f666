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
