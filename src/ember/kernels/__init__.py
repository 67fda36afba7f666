"""ndarray -> ndarray kernels"""
