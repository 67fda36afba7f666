"""What the catalogue does not check, and why (EXCLUDED); and what it does not check *yet* (PENDING).

EXCLUDED: name -> reason (not differentiable and tested elsewhere, not a tensor op, ...). PENDING: name ->
the module that defines it; each family's entries take its names off this list, which must end empty.
"""

EXCLUDED: dict = {
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
    "Tensor.bfloat16": "ops.convert",
    "Tensor.bool": "ops.convert",
    "Tensor.byte": "ops.convert",
    "Tensor.cdouble": "ops.convert",
    "Tensor.cfloat": "ops.convert",
    "Tensor.chalf": "ops.convert",
    "Tensor.char": "ops.convert",
    "Tensor.clone": "ops.convert",
    "Tensor.contiguous": "ops.convert",
    "Tensor.cpu": "ops.convert",
    "Tensor.cuda": "ops.convert",
    "Tensor.double": "ops.convert",
    "Tensor.float": "ops.convert",
    "Tensor.half": "ops.convert",
    "Tensor.int": "ops.convert",
    "Tensor.long": "ops.convert",
    "Tensor.short": "ops.convert",
    "Tensor.to": "ops.convert",
    "Tensor.to_dense": "ops.convert",
    "Tensor.type": "ops.convert",
    "Tensor.type_as": "ops.convert",
    "clone": "ops.convert",
    # ops.creation
    "Tensor.new_empty": "ops.creation",
    "Tensor.new_empty_strided": "ops.creation",
    "Tensor.new_full": "ops.creation",
    "Tensor.new_ones": "ops.creation",
    "Tensor.new_tensor": "ops.creation",
    "Tensor.new_zeros": "ops.creation",
    "arange": "ops.creation",
    "as_tensor": "ops.creation",
    "asarray": "ops.creation",
    "bartlett_window": "ops.creation",
    "blackman_window": "ops.creation",
    "empty": "ops.creation",
    "empty_like": "ops.creation",
    "empty_permuted": "ops.creation",
    "empty_strided": "ops.creation",
    "eye": "ops.creation",
    "fill": "ops.creation",
    "from_numpy": "ops.creation",
    "full": "ops.creation",
    "full_like": "ops.creation",
    "hamming_window": "ops.creation",
    "hann_window": "ops.creation",
    "kaiser_window": "ops.creation",
    "linspace": "ops.creation",
    "logspace": "ops.creation",
    "meshgrid": "ops.creation",
    "ones": "ops.creation",
    "ones_like": "ops.creation",
    "range": "ops.creation",
    "scalar_tensor": "ops.creation",
    "tensor": "ops.creation",
    "tril_indices": "ops.creation",
    "triu_indices": "ops.creation",
    "zeros": "ops.creation",
    "zeros_like": "ops.creation",
    # ops.einsum
    # ops.index
    # ops.inplace
    "Tensor.copy_": "ops.inplace",
    "Tensor.fill_": "ops.inplace",
    "Tensor.zero_": "ops.inplace",
    "fill_": "ops.inplace",
    "zero_": "ops.inplace",
    # ops.legacy
    "Tensor.new": "ops.legacy",
    # ops.linalg
    # ops.pointwise
    # ops.query
    # ops.pointwise
    # ops.random
    "Tensor.bernoulli": "ops.random",
    "Tensor.bernoulli_": "ops.random",
    "Tensor.cauchy_": "ops.random",
    "Tensor.exponential_": "ops.random",
    "Tensor.geometric_": "ops.random",
    "Tensor.log_normal_": "ops.random",
    "Tensor.multinomial": "ops.random",
    "Tensor.normal_": "ops.random",
    "Tensor.random_": "ops.random",
    "Tensor.uniform_": "ops.random",
    "bernoulli": "ops.random",
    "multinomial": "ops.random",
    "normal": "ops.random",
    "poisson": "ops.random",
    "rand": "ops.random",
    "rand_like": "ops.random",
    "randint": "ops.random",
    "randint_like": "ops.random",
    "randn": "ops.random",
    "randn_like": "ops.random",
    "randperm": "ops.random",
    # ops.shape
    # ops.reduce
    # ops.scan
    # ops.softmax
    # ops.sort
    # ops.special
    # ops.unary
}
