"""Layers. Each has ``forward(x)`` and ``backward(grad_out) -> grad_in`` side by side.

Shapes: a batch ``x`` is ``(N, n)``: N samples (rows), n units (``n = D`` for the inputs).
``grad_out`` is dL/d(output), the same shape as the output; ``backward`` returns
dL/d(input), the same shape as the input, and stores parameter gradients (``dW``, ``db``).
"""
import numpy as np

from ._validation import (as_float_array, as_rng, check_n_features, check_non_negative,
                          check_probability, unknown_name_error)
from .activations import elu, leaky_relu, sigmoid, softmax
from .initializers import get_initializer


def _as_input(x, layer):
    """``x`` as an array: a NumPy array passes as it is (one comparison), a list is converted."""
    if type(x) is np.ndarray:
        return x
    return as_float_array(x, f"the input of {layer!r}", allow_nan=True)


def _check_grad_out(layer, grad_out, shape):
    """Raise a clear error for backward before forward, or a grad_out of the wrong shape."""
    if shape is None:
        raise RuntimeError(f"{layer!r}: call forward before backward (backward uses the "
                           "values that forward keeps)")
    if getattr(grad_out, "shape", None) != shape:
        raise ValueError(
            f"shape mismatch: {layer!r} produced outputs of shape {shape}, but grad_out has "
            f"shape {getattr(grad_out, 'shape', type(grad_out).__name__)}; it must match"
        )


class Layer:
    """Base class: a layer without parameters that passes the signal through."""

    training = True
    out = None      # what forward keeps for backward (activation layers)

    def forward(self, x):
        raise NotImplementedError

    def backward(self, grad_out):
        raise NotImplementedError

    def parameters(self):
        """List of ``(name, value, gradient)`` triples; empty for layers without weights."""
        return []

    def __repr__(self):
        return f"{type(self).__name__}()"


# ---------------------------------------------------------------------------------------
# Dense (fully connected)
# ---------------------------------------------------------------------------------------
class Dense(Layer):
    """Fully connected layer: ``z = a @ W + b`` (layer l: z^(l) = a^(l-1) W^(l) + b^(l)).

    W has shape ``(n_in, n_out)``, b has shape ``(n_out,)``.
    forward:  x (N, n_in)        -> out (N, n_out)
    backward: grad_out (N, n_out) -> grad_in (N, n_in), and
              dW = x.T @ grad_out          (n_in, n_out)
              db = grad_out summed over N  (n_out,)
              grad_in = grad_out @ W.T     (N, n_in)
    """

    def __init__(self, n_in, n_out, init="xavier", rng=None, dtype=np.float64):
        for name, n in (("n_in", n_in), ("n_out", n_out)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"{name} must be a positive integer, got {n!r}")
        try:
            kind = np.dtype(dtype).kind
        except TypeError:
            kind = None
        if kind != "f":
            raise TypeError(f"dtype must be a floating-point type such as np.float64 or "
                            f"np.float32, got {dtype!r} (integer weights cannot learn)")
        self.n_in, self.n_out = int(n_in), int(n_out)
        self.init = init
        self.W = get_initializer(init)(self.n_in, self.n_out, rng=as_rng(rng), dtype=dtype)
        if getattr(self.W, "shape", None) != (self.n_in, self.n_out):
            raise ValueError(f"the initializer {init!r} returned shape "
                             f"{getattr(self.W, 'shape', None)}, not (n_in, n_out) = "
                             f"{(self.n_in, self.n_out)}")
        self.b = np.zeros(self.n_out, dtype=dtype)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self.x = None

    def forward(self, x):
        if type(x) is not np.ndarray:
            x = _as_input(x, self)
        if x.ndim != 2 or x.shape[1] != self.n_in:
            check_n_features(x, self.n_in, "the input", where=f"{self!r}")
        self.x = x
        out = x @ self.W            # (N, n_out)
        out += self.b               # add the bias in place: no second (N, n_out) array
        return out

    def backward(self, grad_out, need_grad_in=True):
        x = self.x
        if x is None or getattr(grad_out, "shape", None) != (len(x), self.n_out):
            _check_grad_out(self, grad_out, None if x is None else (len(x), self.n_out))
        self.dW = x.T @ grad_out
        self.db = np.add.reduce(grad_out, axis=0)    # = grad_out.sum(axis=0)
        # The first layer's input is the data: nobody needs its gradient, so a
        # caller may skip this matmul (PyTorch does the same for inputs without grad).
        return grad_out @ self.W.T if need_grad_in else None

    def parameters(self):
        return [("W", self.W, self.dW), ("b", self.b, self.db)]

    def __repr__(self):
        return f"Dense({self.n_in}, {self.n_out}, init={self.init!r})"


# ---------------------------------------------------------------------------------------
# Activation layers: a = f(z);  grad_in = grad_out * f'(z)  (element-wise)
# ---------------------------------------------------------------------------------------
class Sigmoid(Layer):
    """out = sigma(z);  grad_in = grad_out * out * (1 - out).  Shapes: (N, n) -> (N, n)."""

    def forward(self, z):
        self.out = sigmoid(z if type(z) is np.ndarray else _as_input(z, self))
        return self.out

    def backward(self, grad_out):
        out = self.out
        if out is None or getattr(grad_out, "shape", None) != out.shape:
            _check_grad_out(self, grad_out, None if out is None else out.shape)
        return grad_out * out * (1.0 - out)


class Tanh(Layer):
    """out = tanh(z);  grad_in = grad_out * (1 - out^2).  Shapes: (N, n) -> (N, n)."""

    def forward(self, z):
        self.out = np.tanh(z if type(z) is np.ndarray else _as_input(z, self))
        return self.out

    def backward(self, grad_out):
        out = self.out
        if out is None or getattr(grad_out, "shape", None) != out.shape:
            _check_grad_out(self, grad_out, None if out is None else out.shape)
        return grad_out * (1.0 - out * out)


class ReLU(Layer):
    """out = max(0, z);  grad_in = grad_out * (z > 0).  Shapes: (N, n) -> (N, n).

    ``mask = z > 0`` is kept from forward for backward. Both are single element-wise
    operations that keep the dtype (float32 stays float32).
    """

    mask = None

    def forward(self, z):
        if type(z) is not np.ndarray:
            z = _as_input(z, self)
        self.mask = z > 0
        return np.maximum(z, 0)

    def backward(self, grad_out):
        mask = self.mask
        if mask is None or getattr(grad_out, "shape", None) != mask.shape:
            _check_grad_out(self, grad_out, None if mask is None else mask.shape)
        return grad_out * mask


class LeakyReLU(Layer):
    """out = z if z > 0 else alpha z;  grad_in = grad_out * (1 or alpha).  (N, n) -> (N, n).

    ``alpha``: the slope for z <= 0, a finite number >= 0 (0 gives ReLU).
    """

    mask = None

    def __init__(self, alpha=0.01):
        self.alpha = check_non_negative(alpha, "LeakyReLU alpha")

    def forward(self, z):
        if type(z) is not np.ndarray:
            z = _as_input(z, self)
        self.mask = z > 0
        return leaky_relu(z, self.alpha)

    def backward(self, grad_out):
        mask = self.mask
        if mask is None or getattr(grad_out, "shape", None) != mask.shape:
            _check_grad_out(self, grad_out, None if mask is None else mask.shape)
        return np.where(mask, grad_out, self.alpha * grad_out)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"


class ELU(Layer):
    """out = z if z > 0 else alpha (e^z - 1);  grad_in = grad_out * (1 or out + alpha).

    ``alpha``: the value approached for very negative z is -alpha; a finite number >= 0.
    """

    mask = None

    def __init__(self, alpha=1.0):
        self.alpha = check_non_negative(alpha, "ELU alpha")

    def forward(self, z):
        if type(z) is not np.ndarray:
            z = _as_input(z, self)
        self.mask = z > 0
        self.out = elu(z, self.alpha)
        return self.out

    def backward(self, grad_out):
        out = self.out
        if out is None or getattr(grad_out, "shape", None) != out.shape:
            _check_grad_out(self, grad_out, None if out is None else out.shape)
        # for z <= 0: d/dz alpha (e^z - 1) = alpha e^z = out + alpha
        return np.where(self.mask, grad_out, grad_out * (out + self.alpha))

    def __repr__(self):
        return f"ELU(alpha={self.alpha})"


class Softmax(Layer):
    """out_i = e^{z_i} / sum_j e^{z_j} along each row.  (N, K) -> (N, K).

    backward uses the Jacobian dp_i/dz_j = p_i ([i == j] - p_j):
        grad_in = p * (grad_out - sum_j grad_out_j p_j)
    (For classification prefer ``losses.CrossEntropy``, which fuses softmax and the loss.)
    """

    def forward(self, z):
        self.out = softmax(z if type(z) is np.ndarray else _as_input(z, self), axis=1)
        return self.out

    def backward(self, grad_out):
        p = self.out
        if p is None or getattr(grad_out, "shape", None) != p.shape:
            _check_grad_out(self, grad_out, None if p is None else p.shape)
        return p * (grad_out - np.sum(grad_out * p, axis=1, keepdims=True))


class Identity(Layer):
    """out = z; grad_in = grad_out. A placeholder for 'no activation'."""

    def forward(self, z):
        return z if type(z) is np.ndarray else _as_input(z, self)

    def backward(self, grad_out):
        return grad_out


# ---------------------------------------------------------------------------------------
# Dropout
# ---------------------------------------------------------------------------------------
class Dropout(Layer):
    """Inverted dropout: in training, zero each unit with probability p and scale by 1/(1-p).

    forward (training): mask ~ Bernoulli(1 - p) / (1 - p);  out = x * mask
    forward (eval):     out = x
    backward:           grad_in = grad_out * mask
    The expected output is the same in both modes, so nothing changes at test time.
    """

    def __init__(self, p=0.5, rng=None):
        self.p = check_probability(p, "p")
        self.rng = as_rng(rng)
        self.mask = None
        self.shape = None       # the input's shape, kept by forward

    def forward(self, x):
        if type(x) is not np.ndarray:
            x = _as_input(x, self)
        self.shape = x.shape
        if not self.training or self.p == 0.0:
            self.mask = None
            return x
        keep = 1.0 - self.p
        self.mask = (self.rng.random(x.shape) < keep).astype(x.dtype) / keep
        return x * self.mask

    def backward(self, grad_out):
        if self.shape is None or getattr(grad_out, "shape", None) != self.shape:
            _check_grad_out(self, grad_out, self.shape)
        return grad_out if self.mask is None else grad_out * self.mask

    def __repr__(self):
        return f"Dropout(p={self.p})"


#: activation name -> layer class, for building networks from names (widgets use it)
ACTIVATION_LAYERS = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "elu": ELU,
    "softmax": Softmax,
    "linear": Identity,
}


def activation_layer(name):
    """A new activation layer for a name such as ``"relu"``."""
    key = str(name).lower()
    if key not in ACTIVATION_LAYERS:
        raise unknown_name_error("activation", name, ACTIVATION_LAYERS)
    return ACTIVATION_LAYERS[key]()
