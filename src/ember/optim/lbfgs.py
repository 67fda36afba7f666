from .optimizer import Optimizer


class LBFGS(Optimizer):
    pass
