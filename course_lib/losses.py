"""Losses: ``forward(y_pred, y_true) -> float`` (a mean over the batch) and
``backward() -> dL/dy_pred`` (same shape as ``y_pred``).

    MSE                 L = 1/(N K) sum (y_pred - y)^2
    BinaryCrossEntropy  L = -1/N sum [ y log p + (1 - y) log(1 - p) ]     p = y_pred in (0, 1)
      (from_logits=True)  L = 1/N sum [ softplus(z) - y z ]               z = logits, p = sigmoid(z)
    CrossEntropy        L = -1/N sum log softmax(z)_{y}                   z = logits, y = labels
"""
import math

import numpy as np

from ._validation import ( as_float_array, check_finite, check_probability,
                          unknown_name_error)
from .activations import sigmoid


def _as_targets(y_true, y_pred, name="y_true"):
    """Targets as a float array of the predictions' shape; (N,) is accepted for (N, 1)."""
    y = np.asarray(y_true)
    if y.dtype == object or not (np.issubdtype(y.dtype, np.number) or y.dtype == bool):
        raise TypeError(f"{name} must be numeric, got dtype {y.dtype}")
    if y.ndim == 1 and y_pred.ndim == 2 and y_pred.shape[1] == 1:
        y = y.reshape(-1, 1)  # explicit: (N,) - (N, 1) would broadcast to (N, N)
    if y.shape != y_pred.shape:
        raise ValueError(
            f"shape mismatch: y_pred has shape {y_pred.shape} but {name} has shape {y.shape}; "
            "they must match (one row per sample)"
        )
    y = y.astype(y_pred.dtype, copy=False)
    check_finite(y, name)
    return y


def _as_predictions(y_pred):
    if (type(y_pred) is np.ndarray and y_pred.dtype.kind == "f" and y_pred.ndim == 2
            and y_pred.shape[0] and math.isfinite(np.add.reduce(y_pred, axis=None))):
        # the usual case (a model's output), checked in one pass with no copy: a NaN or
        # an inf anywhere makes the sum NaN or inf (the general path below says which)
        return y_pred
    y_pred = as_float_array(y_pred, "y_pred")
    if y_pred.ndim != 2:
        raise ValueError(
            f"y_pred must be a 2-D array (n_samples, n_outputs), got shape {y_pred.shape}"
        )
    if y_pred.shape[0] == 0:
        raise ValueError(
            f"no samples: y_pred has shape {y_pred.shape}; a loss is a mean over at least one sample"
        )
    return y_pred


def _forward_first(loss, attribute):
    """Raise a clear error when ``backward`` is called before ``forward``."""
    if not hasattr(loss, attribute):
        raise RuntimeError(f"call {type(loss).__name__}.forward before backward: "
                           "backward returns the gradient of the last loss computed")


_UNSIGNED = {}


def _unsigned(dtype):
    """The unsigned integer dtype of the same size and byte order ("<i8" -> "<u8")."""
    if dtype not in _UNSIGNED:
        _UNSIGNED[dtype] = np.dtype(dtype.str.replace("i", "u"))
    return _UNSIGNED[dtype]


class Loss:
    """Base class. ``loss(y_pred, y_true)`` is ``loss.forward(y_pred, y_true)``."""

    def forward(self, y_pred, y_true):
        """The loss, a float: checks the inputs, then computes (``_forward``)."""
        return self._forward(*self.check(y_pred, y_true))

    def __call__(self, y_pred, y_true):
        return self.forward(y_pred, y_true)

    def check(self, y_pred, y_true):
        raise NotImplementedError

    def _forward(self, y_pred, y):
        raise NotImplementedError

    def backward(self):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


class MSE(Loss):
    """Mean squared error, averaged over samples and outputs.

    forward:  L = mean((y_pred - y)^2)                     y_pred, y: (N, K)
    backward: dL/dy_pred = 2 (y_pred - y) / (N K)           (N, K)
    """

    def check(self, y_pred, y_true):
        """Validate and convert: returns ``(y_pred, y)`` ready for ``_forward``."""
        y_pred = _as_predictions(y_pred)
        return y_pred, _as_targets(y_true, y_pred)

    def _forward(self, y_pred, y):
        self.diff = y_pred - y
        return float(np.mean(self.diff * self.diff))

    def backward(self):
        _forward_first(self, "diff")
        return 2.0 * self.diff / self.diff.size


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy, on probabilities ``p`` or (``from_logits=True``) on logits ``z``.

    On probabilities (the output of a Sigmoid layer), ``from_logits=False``:
    forward:  L = -mean(y log p + (1 - y) log(1 - p))      p, y: (N, K); y in [0, 1]
    backward: dL/dp = (p - y) / (p (1 - p)) / (N K)        (N, K)
    ``p`` is clipped to [eps, 1 - eps] so that log never sees 0. The price: for a very
    wrong prediction (p below eps) the clipped gradient is tiny, and chained through the
    sigmoid's p (1 - p) it vanishes.

    On logits (no Sigmoid layer; the sigmoid is fused into the loss), ``from_logits=True``,
    the way ``CrossEntropy`` fuses softmax (PyTorch's ``BCEWithLogitsLoss``):
    forward:  L = mean(softplus(z) - y z)                  z, y: (N, K); y in [0, 1]
              = mean(max(z, 0) - y z + log(1 + e^-|z|)),   never overflows (|z| up to 1e300)
    backward: dL/dz = (sigmoid(z) - y) / (N K)             (N, K)
    The gradient never vanishes on a wrong prediction: at z = -40 and y = 1 it is -1/(N K).
    """

    def __init__(self, eps=1e-12, from_logits=False):
        if isinstance(from_logits, (bool, np.bool_)):
            self.from_logits = bool(from_logits)
        else:
            raise TypeError(f"from_logits must be True or False, got {from_logits!r}")
        self.eps = check_probability(eps, "eps", inclusive_low=False)

    def check(self, y_pred, y_true):
        """Validate and convert: returns ``(y_pred, y)`` ready for ``_forward``."""
        y_pred = _as_predictions(y_pred)
        if not self.from_logits and np.any((y_pred < 0) | (y_pred > 1)):
            raise ValueError(
                "BinaryCrossEntropy takes probabilities in [0, 1] (put a Sigmoid layer last, "
                "or use BinaryCrossEntropy(from_logits=True) on the last Dense layer's "
                f"outputs); got values from {y_pred.min():.4g} to {y_pred.max():.4g}"
            )
        y = _as_targets(y_true, y_pred)
        if np.any((y < 0) | (y > 1)):
            raise ValueError(f"labels out of range: binary targets must lie in [0, 1], got {np.unique(y)[:10]}")
        return y_pred, y

    def _forward(self, y_pred, y):
        self.y = y
        if self.from_logits:
            z = y_pred
            self.z = z
            # softplus(z) = log(1 + e^z) = max(z, 0) + log(1 + e^-|z|): e^-|z| <= 1
            losses = np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))
            return float(np.mean(losses))
        # in float32, 1 - 1e-12 rounds to 1: clip at least one float step away from 0 and 1
        eps = max(self.eps, float(np.finfo(y_pred.dtype).eps))
        self.p = np.clip(y_pred, eps, 1.0 - eps)
        losses = -(y * np.log(self.p) + (1.0 - y) * np.log1p(-self.p))
        return float(np.mean(losses))

    def backward(self):
        _forward_first(self, "y")
        if self.from_logits:
            return (sigmoid(self.z) - self.y) / self.z.size
        p, y = self.p, self.y
        return (p - y) / (p * (1.0 - p)) / p.size

    def __repr__(self):
        return "BinaryCrossEntropy(from_logits=True)" if self.from_logits else "BinaryCrossEntropy()"


class CrossEntropy(Loss):
    """Softmax and categorical cross-entropy fused: takes logits and integer labels.

    forward:  p = softmax(z);  L = -mean_n log p[n, y_n]        z: (N, K), y: (N,) ints in [0, K)
              computed as log p = z - logsumexp(z), which never overflows
    backward: dL/dz = (p - onehot(y)) / N                      (N, K)
    """

    def check(self, y_pred, y_true):
        """Validate and convert: returns ``(logits, labels)`` ready for ``_forward``."""
        # Every check below is one comparison or one pass over the data, with no copy of
        # an array that is already right: this runs at every step of a learner's loop.
        z = y_pred
        if not (type(z) is np.ndarray and z.dtype.kind == "f" and z.ndim == 2 and z.shape[0]
                and math.isfinite(np.add.reduce(z, axis=None))):     # (see _as_predictions)
            z = _as_predictions(y_pred)
        y = y_true if type(y_true) is np.ndarray else np.asarray(y_true)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.ndim != 1 or len(y) != len(z):
            raise ValueError(
                f"shape mismatch: logits have shape {z.shape}, so y_true must hold "
                f"{z.shape[0]} integer labels (shape ({z.shape[0]},)); got shape {y.shape}"
            )
        if y.dtype.kind not in "iu":                # integer labels: nothing to convert
            if y.dtype.kind == "f" and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
                y = y.astype(np.int64)
            else:
                raise TypeError(
                    "CrossEntropy takes integer class labels (0 .. C-1), "
                    f"got dtype {y.dtype}; for one-hot targets use labels = y.argmax(axis=1)"
                )
        n_classes = z.shape[1]
        # one pass finds both kinds of bad label: seen as unsigned, a negative label is huge
        unsigned = y.view(_unsigned(y.dtype)) if y.dtype.kind == "i" else y
        if np.maximum.reduce(unsigned) >= n_classes:            # (y has len(z) >= 1 labels)
            raise ValueError(
                f"labels out of range: logits have {n_classes} classes, so labels must lie in "
                f"0..{n_classes - 1}; got labels from {y.min()} to {y.max()}"
            )
        return z, y

    rows = np.arange(0)         # 0 .. N-1, kept from one batch to the next of the same size

    def _forward(self, z, y):
        n = z.shape[0]
        if len(self.rows) != n:
            self.rows = np.arange(n)
        shifted = z - np.maximum.reduce(z, axis=1, keepdims=True)     # = z.max(axis=1, ...)
        picked = shifted[self.rows, y]                                # shifted[n, y_n]
        exp = np.exp(shifted, out=shifted)          # in place: shifted is not needed any more
        sum_exp = np.add.reduce(exp, axis=1, keepdims=True)           # = exp.sum(axis=1, ...)
        exp /= sum_exp                                                # in place: exp becomes p
        self.p = exp
        self.y = y
        # -log p[n, y_n] = log sum_j e^{shifted_nj} - shifted[n, y_n], summed over n
        total = np.add.reduce(np.log(sum_exp, out=sum_exp), axis=None) - np.add.reduce(picked)
        return float(total / n)                     # L = -1/N sum_n log p[n, y_n]

    def backward(self):
        _forward_first(self, "p")
        n = self.p.shape[0]
        grad = self.p / n                           # (p - onehot(y)) / N, in two operations
        grad[self.rows, self.y] -= 1.0 / n
        return grad


LOSSES = {
    "mse": MSE,
    "bce": BinaryCrossEntropy,
    "binary_cross_entropy": BinaryCrossEntropy,
    "cross_entropy": CrossEntropy,
}


def get_loss(name):
    """A loss instance for a name such as ``"mse"``; a ``Loss`` instance passes through."""
    if isinstance(name, Loss):
        return name
    key = str(name).lower()
    if key not in LOSSES:
        raise unknown_name_error("loss", name, LOSSES)
    return LOSSES[key]()
