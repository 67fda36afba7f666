"""``torch.autograd.anomaly_mode``: ``detect_anomaly`` and ``set_detect_anomaly`` (ember's are in ``anomaly``)."""

from .anomaly import detect_anomaly, set_detect_anomaly

__all__ = ["detect_anomaly", "set_detect_anomaly"]
