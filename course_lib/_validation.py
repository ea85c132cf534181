"""Input checks shared by the library: each raises an error that names the problem.

Modelled on scikit-learn's ``check_array``: convert once, check shape and values,
and say exactly what is wrong and how to fix it.
"""
import math
import numbers

import numpy as np


def as_float_array(x, name="X", ndim=None, allow_nan=False):
    """Return ``x`` as a floating-point NumPy array, checking its rank and values.

    Integer and boolean input becomes float64; float32 stays float32.
    """
    arr = np.asarray(x)
    kind = arr.dtype.kind       # "f" float, "i"/"u" integer, "b" bool, "O" object, ...
    if kind != "f":             # (a float array, the usual case, passes with one comparison)
        if kind == "O":
            raise TypeError(f"{name} must be numeric, got an array of Python objects")
        if kind not in "iub":
            raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
        arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        hint = ""
        if ndim == 2 and arr.ndim == 1:
            hint = (" Rows are samples: reshape a single sample with x.reshape(1, -1)"
                    " or a single feature with x.reshape(-1, 1).")
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {arr.shape}.{hint}")
    if not allow_nan:
        check_finite(arr, name)
    return arr


#: check_finite looks at this many values at a time (see all_finite)
FINITE_CHECK_BLOCK = 1 << 20


def all_finite(arr):
    """True when ``arr`` holds no NaN and no infinity.

    A large array is checked a block of rows at a time, so the check never builds a
    boolean array as large as the data (on big data sets that allocation cost more than
    the check itself).
    """
    if arr.ndim == 0 or arr.size <= FINITE_CHECK_BLOCK:
        if arr.dtype.kind == "f" and arr.size:
            # no boolean array: np.maximum and np.minimum propagate NaN, so a finite largest
            # and smallest value prove every value finite (a sum would be one pass, but it can
            # overflow on large finite values, and NumPy would warn about it)
            return (math.isfinite(np.maximum.reduce(arr, axis=None))
                    and math.isfinite(np.minimum.reduce(arr, axis=None)))
        return bool(np.logical_and.reduce(np.isfinite(arr), axis=None))   # = isfinite(arr).all()
    rows = max(1, FINITE_CHECK_BLOCK // (arr.size // len(arr)))   # rows per block
    return all(np.isfinite(arr[i:i + rows]).all() for i in range(0, len(arr), rows))


def check_finite(arr, name="X"):
    """Raise ``ValueError`` if ``arr`` holds NaN or infinity."""
    if not all_finite(arr):
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        raise ValueError(
            f"{name} contains NaN or infinity ({n_nan} NaN, {n_inf} inf values); "
            "clean or impute the data first"
        )


def check_n_features(x, n_expected, name="X", where="this layer"):
    """Raise ``ValueError`` unless ``x`` is 2-D with ``n_expected`` columns."""
    if x.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (n_samples, n_features), got shape {x.shape}")
    if x.shape[1] != n_expected:
        raise ValueError(
            f"shape mismatch: {where} expects {n_expected} features per sample, "
            f"but {name} has shape {x.shape} ({x.shape[1]} features)"
        )


def check_positive(value, name):
    """Raise ``ValueError`` unless ``value`` is a finite number greater than zero."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return float(value)


def check_non_negative(value, name):
    """Raise unless ``value`` is a finite number >= 0 (a noise level, a penalty, a slope)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    return float(value)


def check_probability(value, name, inclusive_low=True):
    """Raise ``ValueError`` unless 0 <= value < 1 (or 0 < value < 1)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    low_ok = value >= 0 if inclusive_low else value > 0
    if not (low_ok and value < 1):
        bound = "0 <= {} < 1" if inclusive_low else "0 < {} < 1"
        raise ValueError(f"{name} must satisfy {bound.format(name)}, got {value!r}")
    return float(value)


def unknown_name_error(kind, name, known):
    """The error for an unknown activation / initializer / optimizer / loss name."""
    return ValueError(f"unknown {kind} {name!r}; choose one of: {', '.join(sorted(known))}")


def as_rng(rng):
    """Turn ``None``, a seed or a ``Generator`` into a ``numpy.random.Generator``."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        return np.random.default_rng(rng)
    raise TypeError(f"rng must be None, an int seed or a numpy.random.Generator, got {rng!r}")
