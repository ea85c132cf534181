"""Small data sets for the lessons. All are generated from a seed or shipped in the package:
nothing is downloaded.

Classification sets return ``X`` of shape ``(n, 2)`` (float64) and ``y`` of shape ``(n,)``
(int labels). ``regression_1d`` returns ``X`` and ``y`` of shape ``(n, 1)``.
"""
import gzip
import numbers
from importlib import resources

import numpy as np

from ._validation import (as_float_array, as_rng, check_non_negative, check_positive,
                          check_probability, unknown_name_error)


def _check_n(n_samples):
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}")
    return int(n_samples)


def _check_noise(noise):
    return check_non_negative(noise, "noise")


def _check_int(value, name, low):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(value)


LOGIC_GATES = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0],
    "xor": [0, 1, 1, 0],
}


def logic_gate(name):
    """The four inputs (0,0), (0,1), (1,0), (1,1) and the gate's output: ``X (4, 2)``, ``y (4,)``."""
    key = str(name).lower()
    if key not in LOGIC_GATES:
        raise unknown_name_error("logic gate", name, LOGIC_GATES)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return X, np.array(LOGIC_GATES[key])


def xor():
    """XOR: output 1 when exactly one input is 1. Not linearly separable."""
    return logic_gate("xor")


def moons(n_samples=200, noise=0.1, seed=0):
    """Two interleaving half circles (like scikit-learn's ``make_moons``)."""
    n, noise, rng = _check_n(n_samples), _check_noise(noise), as_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.vstack([
        np.column_stack([np.cos(t_out), np.sin(t_out)]),
        np.column_stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)]),
    ])
    y = np.concatenate([np.zeros(n_out, dtype=int), np.ones(n_in, dtype=int)])
    X += noise * rng.standard_normal(X.shape)
    return _shuffled(X, y, rng)


def circles(n_samples=200, noise=0.05, factor=0.5, seed=0):
    """A small circle (label 1) inside a large one (label 0)."""
    n, noise, rng = _check_n(n_samples), _check_noise(noise), as_rng(seed)
    if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or not 0 < factor < 1:
        raise ValueError(f"factor must lie strictly between 0 and 1, got {factor!r}")
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([
        np.column_stack([np.cos(t_out), np.sin(t_out)]),
        factor * np.column_stack([np.cos(t_in), np.sin(t_in)]),
    ])
    y = np.concatenate([np.zeros(n_out, dtype=int), np.ones(n_in, dtype=int)])
    X += noise * rng.standard_normal(X.shape)
    return _shuffled(X, y, rng)


def spirals(n_samples=200, noise=0.1, n_classes=2, turns=1.0, seed=0):
    """``n_classes`` interleaved spiral arms (CS231n's spiral data)."""
    n, noise, rng = _check_n(n_samples), _check_noise(noise), as_rng(seed)
    n_classes = _check_int(n_classes, "n_classes", 1)
    turns = check_positive(turns, "turns")
    per = [n // n_classes + (1 if k < n % n_classes else 0) for k in range(n_classes)]
    Xs, ys = [], []
    for k, m in enumerate(per):
        r = np.linspace(0.05, 1.0, m)
        t = 2 * np.pi * turns * r + 2 * np.pi * k / n_classes
        Xs.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        ys.append(np.full(m, k, dtype=int))
    X = np.vstack(Xs) + noise * rng.standard_normal((n, 2))
    return _shuffled(X, np.concatenate(ys), rng)


def blobs(n_samples=200, centers=3, std=0.5, seed=0):
    """Gaussian blobs around ``centers`` (a number of random centres, or an array (k, 2))."""
    n, rng = _check_n(n_samples), as_rng(seed)
    std = check_non_negative(std, "std")
    if np.isscalar(centers):
        centers = rng.uniform(-3, 3, size=(_check_int(centers, "centers", 1), 2))
    centers = as_float_array(centers, "centers", ndim=2)
    if centers.shape[0] == 0:
        raise ValueError("centers must hold at least one centre, got an empty array")
    k = centers.shape[0]
    y = np.arange(n) % k
    X = centers[y] + std * rng.standard_normal((n, centers.shape[1]))
    return _shuffled(X, y, rng)


def gaussian(n_samples=200, noise=0.1, seed=0):
    """Two Gaussian clouds at (2, 2) and (-2, -2): the TensorFlow Playground's 'Gaussian'."""
    _check_noise(noise)
    return blobs(n_samples, centers=[[-2.0, -2.0], [2.0, 2.0]], std=1.0 + 2 * noise, seed=seed)


def xor_blobs(n_samples=200, noise=0.1, seed=0):
    """Points in the plane labelled by the sign of x1 * x2: XOR on continuous data."""
    n, noise, rng = _check_n(n_samples), _check_noise(noise), as_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    X += np.sign(X) * 0.05  # a small margin around the axes
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    X += noise * rng.standard_normal(X.shape)
    return X, y


def regression_1d(n_samples=100, noise=0.1, seed=0):
    """y = sin(2 pi x) + noise on x in [0, 1]: ``X (n, 1)``, ``y (n, 1)``."""
    n, noise, rng = _check_n(n_samples), _check_noise(noise), as_rng(seed)
    x = np.sort(rng.uniform(0, 1, n))
    y = np.sin(2 * np.pi * x) + noise * rng.standard_normal(n)
    return x.reshape(-1, 1), y.reshape(-1, 1)


def load_digits(normalize=True):
    """The 8x8 handwritten digits: ``X (1797, 64)``, ``y (1797,)`` labels 0-9.

    ``normalize=True`` divides the pixels (0..16) by 16, so inputs lie in [0, 1].
    Source and licence: ``course_lib/data/DIGITS_SOURCE.md`` (UCI, CC BY 4.0).
    """
    with resources.files("course_lib").joinpath("data/digits.csv.gz").open("rb") as raw:
        with gzip.open(raw, "rt") as f:
            data = np.loadtxt(f, delimiter=",", dtype=np.int64)
    X, y = data[:, :-1].astype(float), data[:, -1]
    return (X / 16.0 if normalize else X), y


def shift_images(X, dr, dc, side=8):
    """Move every ``side`` x ``side`` image (a row of ``X``) by ``dr`` rows and ``dc`` columns.

        x_shifted[r, c] = x[r - dr, c - dc]     (0 where that falls outside the image)

    ``X (N, side*side)`` -> ``(N, side*side)``. Used for data augmentation: a digit moved by a
    pixel is still the same digit.
    """
    images = np.asarray(X)
    for name, value in (("dr", dr), ("dc", dc)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{name} must be a whole number of pixels, got {value!r}")
    if images.ndim != 2 or images.shape[1] != side * side:
        raise ValueError(f"X must have shape (n_images, {side * side}), got {images.shape}")
    if abs(dr) >= side or abs(dc) >= side:
        raise ValueError(f"a shift of ({dr}, {dc}) moves a {side}x{side} image out of view")
    images = images.reshape(-1, side, side)
    shifted = np.zeros_like(images)
    rows_to, rows_from = slice(max(dr, 0), side + min(dr, 0)), slice(max(-dr, 0), side + min(-dr, 0))
    cols_to, cols_from = slice(max(dc, 0), side + min(dc, 0)), slice(max(-dc, 0), side + min(-dc, 0))
    shifted[:, rows_to, cols_to] = images[:, rows_from, cols_from]
    return shifted.reshape(-1, side * side)


def train_val_split(X, y, val_fraction=0.2, seed=0, stratify=False):
    """Shuffle with ``seed`` and split: returns ``X_train, X_val, y_train, y_val``.

    ``stratify=True`` keeps each class's share the same in both parts.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError(f"X and y must be arrays with one row per sample, got shapes {X.shape} "
                         f"and {y.shape}")
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"shape mismatch: X has {X.shape[0]} samples but y has {y.shape[0]}")
    check_probability(val_fraction, "val_fraction", inclusive_low=False)
    rng = as_rng(seed)
    if stratify:
        val_idx = []
        for label in np.unique(y):
            members = rng.permutation(np.flatnonzero(y == label))
            val_idx.extend(members[: int(round(val_fraction * len(members)))])
        val_mask = np.zeros(len(y), dtype=bool)
        val_mask[val_idx] = True
        if not val_mask.any() or val_mask.all():
            raise ValueError(f"val_fraction={val_fraction} leaves one part empty for {len(y)} samples")
        train_idx = rng.permutation(np.flatnonzero(~val_mask))
        val_idx = rng.permutation(np.flatnonzero(val_mask))
    else:
        order = rng.permutation(len(y))
        n_val = int(round(val_fraction * len(y)))
        if n_val == 0 or n_val == len(y):
            raise ValueError(f"val_fraction={val_fraction} leaves one part empty for {len(y)} samples")
        val_idx, train_idx = order[:n_val], order[n_val:]
    return X[train_idx], X[val_idx], y[train_idx], y[val_idx]


def _shuffled(X, y, rng):
    order = rng.permutation(len(y))
    return X[order], y[order]


#: name -> generator, for the playground's data-set dropdown
DATASETS = {
    "circle": circles,
    "xor": xor_blobs,
    "gaussian": gaussian,
    "spiral": spirals,
    "moons": moons,
    "regression": regression_1d,
}
