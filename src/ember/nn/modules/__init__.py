"""The layer classes of ``ember.nn``."""

from .activation import *
from .adaptive import AdaptiveLogSoftmaxWithLoss  # noqa: F401
from .container import Container, ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential  # noqa: F401
from .conv import *
from .dropout import AlphaDropout, Dropout, Dropout1d, Dropout2d  # noqa: F401
from .extra import *
from .flatten import Flatten, Unflatten  # noqa: F401
from .instancenorm import *
from .lazy import *
from .linear import Bilinear, Identity, LazyLinear, Linear  # noqa: F401
from .linear_cross_entropy_options import LinearCrossEntropyOptions  # noqa: F401
from .loss import *
from .module import Module  # noqa: F401
from .normalization import *
from .pooling import *
from .rnn import *
from .sparse import Embedding, EmbeddingBag  # noqa: F401
from .transformer import (  # noqa: F401
    MultiheadAttention,
    NonDynamicallyQuantizableLinear,
    Transformer,
    TransformerDecoder,
    TransformerDecoderLayer,
    TransformerEncoder,
    TransformerEncoderLayer,
)
from .upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d  # noqa: F401
