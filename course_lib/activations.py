"""Activation functions and their derivatives.

Each function takes the pre-activation ``z`` (any shape) and returns an array of the
same shape. ``<name>_derivative(z)`` is d activation / dz, element-wise.
All are numerically stable for |z| up to 1e4 and beyond: no overflow, no warning.
"""
import numpy as np

from ._validation import check_non_negative, unknown_name_error


def _floats(z):
    """``z`` as an array of floats. A float array (float32 too) is kept as it is; lists,
    numbers, integer and bool arrays become float64, so tanh([True]) is not float16."""
    if isinstance(z, np.ndarray) and z.dtype.kind == "f":
        return z
    return np.asarray(z, dtype=float)


def sigmoid(z):
    """sigma(z) = 1 / (1 + exp(-z)), computed without overflow for large |z|."""
    z = _floats(z)
    # exp(-|z|) is never larger than 1, so nothing overflows:
    # z >= 0: 1 / (1 + e^-z);   z < 0: e^z / (1 + e^z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z):
    """sigma'(z) = sigma(z) * (1 - sigma(z)); at most 0.25, at z = 0."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """tanh(z) = (e^z - e^-z) / (e^z + e^-z), in (-1, 1)."""
    return np.tanh(_floats(z))


def tanh_derivative(z):
    """tanh'(z) = 1 - tanh(z)^2; at most 1, at z = 0."""
    t = np.tanh(_floats(z))
    return 1.0 - t * t


def relu(z):
    """relu(z) = max(0, z)."""
    return np.maximum(_floats(z), 0.0)


def relu_derivative(z):
    """relu'(z) = 1 if z > 0 else 0 (we take 0 at z = 0, as PyTorch does)."""
    return (np.asarray(z) > 0).astype(float)


def leaky_relu(z, alpha=0.01):
    """leaky_relu(z) = z if z > 0 else alpha * z;  alpha a finite number >= 0."""
    check_non_negative(alpha, "alpha")
    z = _floats(z)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_derivative(z, alpha=0.01):
    """leaky_relu'(z) = 1 if z > 0 else alpha."""
    check_non_negative(alpha, "alpha")
    return np.where(np.asarray(z) > 0, 1.0, alpha)


def elu(z, alpha=1.0):
    """elu(z) = z if z > 0 else alpha * (e^z - 1);  alpha a finite number >= 0."""
    check_non_negative(alpha, "alpha")
    z = _floats(z)
    # expm1 of min(z, 0) never overflows, and is exact near 0
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def elu_derivative(z, alpha=1.0):
    """elu'(z) = 1 if z > 0 else alpha * e^z."""
    check_non_negative(alpha, "alpha")
    z = _floats(z)
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


def softmax(z, axis=-1):
    """softmax(z)_i = e^{z_i} / sum_j e^{z_j} along ``axis``.

    Subtracting the maximum first changes nothing mathematically
    (the factor e^{-max} cancels) but keeps every exponent <= 0, so nothing overflows.
    """
    z = _floats(z)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def linear(z):
    """The identity: used for an output layer with no activation."""
    return _floats(z)


def linear_derivative(z):
    """The derivative of the identity is 1."""
    return np.ones_like(np.asarray(z, dtype=float))


#: name -> (function, derivative): what the widgets' dropdowns offer.
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "elu": (elu, elu_derivative),
    "linear": (linear, linear_derivative),
}


def get_activation(name):
    """Return ``(function, derivative)`` for an activation name such as ``"relu"``."""
    if callable(name):
        raise TypeError("get_activation takes a name such as 'relu', not a function")
    key = str(name).lower()
    if key not in ACTIVATIONS:
        raise unknown_name_error("activation", name, ACTIVATIONS)
    return ACTIVATIONS[key]
