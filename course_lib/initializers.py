"""Weight initializers: each returns a ``(n_in, n_out)`` array.

    zeros   W = 0                               (every unit learns the same thing: symmetry)
    small   W ~ N(0, 0.01^2)                    (signals shrink layer by layer)
    large   W ~ N(0, 1)                         (signals grow, units saturate)
    normal  W ~ N(0, scale^2)
    xavier  W ~ N(0, 2 / (n_in + n_out))        (Glorot & Bengio 2010; for tanh/sigmoid)
    xavier_uniform  W ~ U(-a, a), a = sqrt(6 / (n_in + n_out))
    he      W ~ N(0, 2 / n_in)                  (He et al. 2015; for ReLU)
    he_uniform      W ~ U(-a, a), a = sqrt(6 / n_in)
"""
import numpy as np

from ._validation import as_rng, check_non_negative, unknown_name_error


def zeros(n_in, n_out, rng=None, dtype=np.float64):
    return np.zeros((n_in, n_out), dtype=dtype)


def normal(n_in, n_out, rng=None, scale=0.01, dtype=np.float64):
    check_non_negative(scale, "scale")
    return (scale * as_rng(rng).standard_normal((n_in, n_out))).astype(dtype, copy=False)


def small(n_in, n_out, rng=None, dtype=np.float64):
    return normal(n_in, n_out, rng, scale=0.01, dtype=dtype)


def large(n_in, n_out, rng=None, dtype=np.float64):
    return normal(n_in, n_out, rng, scale=1.0, dtype=dtype)


def xavier(n_in, n_out, rng=None, dtype=np.float64):
    std = np.sqrt(2.0 / (n_in + n_out))
    return normal(n_in, n_out, rng, scale=std, dtype=dtype)


def xavier_uniform(n_in, n_out, rng=None, dtype=np.float64):
    a = np.sqrt(6.0 / (n_in + n_out))
    return as_rng(rng).uniform(-a, a, (n_in, n_out)).astype(dtype, copy=False)


def he(n_in, n_out, rng=None, dtype=np.float64):
    std = np.sqrt(2.0 / n_in)
    return normal(n_in, n_out, rng, scale=std, dtype=dtype)


def he_uniform(n_in, n_out, rng=None, dtype=np.float64):
    a = np.sqrt(6.0 / n_in)
    return as_rng(rng).uniform(-a, a, (n_in, n_out)).astype(dtype, copy=False)


INITIALIZERS = {
    "zeros": zeros,
    "small": small,
    "large": large,
    "normal": normal,
    "xavier": xavier,
    "glorot": xavier,
    "xavier_uniform": xavier_uniform,
    "he": he,
    "kaiming": he,
    "he_uniform": he_uniform,
}


def get_initializer(name):
    """Return the initializer function for a name such as ``"he"``."""
    if callable(name):
        return name
    key = str(name).lower()
    if key not in INITIALIZERS:
        raise unknown_name_error("initializer", name, INITIALIZERS)
    return INITIALIZERS[key]
