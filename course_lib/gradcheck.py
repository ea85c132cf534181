"""Gradient checking: compare analytic gradients with central finite differences.

    df/dx_i  ~=  ( f(x + h e_i) - f(x - h e_i) ) / (2 h)        error O(h^2)

    relative error = max_i |g_i - g~_i| / max(max_i |g_i| + |g~_i|, tiny)   (g analytic, g~ numerical)

In float64 with h = 1e-5, a correct gradient gives a relative error around 1e-8 or less;
a wrong one gives something near 1.
"""
import numbers
from dataclasses import dataclass

import numpy as np

from .losses import get_loss


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of the scalar function ``f()`` w.r.t. the array ``x``.

    ``x`` is changed in place, one entry at a time, and restored; ``f`` takes no arguments
    and reads ``x`` (so it works for weights inside a layer). Returns an array like ``x``.
    ``x`` must be a floating-point array (an integer array cannot hold ``x + h``) and
    ``h`` a positive step.
    """
    _check_h(h)
    if not isinstance(x, np.ndarray):
        raise TypeError(f"x must be the NumPy array that f reads (it is changed in place), "
                        f"got {type(x).__name__}")
    if x.dtype.kind != "f":
        raise TypeError(
            f"x must be a floating-point array, got dtype {x.dtype}: x + h would be rounded "
            "to a whole number. Convert it first, x = x.astype(float), and let f read that array"
        )
    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        f_plus = f()
        x[i] = old - h
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def _check_h(h):
    if isinstance(h, bool) or not isinstance(h, numbers.Real):
        raise TypeError(f"h must be a number, got {h!r}")
    if not np.isfinite(h) or h <= 0:
        raise ValueError(f"the finite-difference step h must be positive, got {h!r} "
                         "(1e-5 is a good choice in float64)")


def _check_tol(tol):
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real) or not tol > 0:
        raise ValueError(f"tol must be a positive number, got {tol!r}")


def relative_error(analytic, numeric):
    """max |g - g~| / max(|g| + |g~|), g analytic and g~ numerical: near 0 when they agree,
    near 1 when they do not."""
    a, n = np.asarray(analytic, dtype=float), np.asarray(numeric, dtype=float)
    if a.shape != n.shape:
        raise ValueError(f"shape mismatch: analytic gradient {a.shape} vs numerical {n.shape}")
    scale = np.max(np.abs(a) + np.abs(n)) if a.size else 0.0
    return float(np.max(np.abs(a - n)) / max(scale, 1e-300)) if a.size else 0.0


@dataclass
class GradCheckResult:
    """Relative error per checked quantity; ``passed`` when every one is below ``tol``."""

    errors: dict
    tol: float

    @property
    def passed(self):
        return all(e < self.tol for e in self.errors.values())

    @property
    def max_error(self):
        return max(self.errors.values()) if self.errors else 0.0

    def __bool__(self):
        return self.passed

    def __str__(self):
        lines = [f"{name:>14}: relative error {err:.2e}  {'ok' if err < self.tol else 'WRONG'}"
                 for name, err in self.errors.items()]
        verdict = "passed" if self.passed else "FAILED"
        return "\n".join(lines + [f"gradient check {verdict} (tolerance {self.tol:.0e})"])

    __repr__ = __str__


def check_layer(layer, x, h=1e-5, tol=1e-7, seed=0):
    """Check ``layer.backward`` (input gradient and parameter gradients) numerically.

    Uses the scalar L = sum(forward(x) * R) for a fixed random R, so dL/d(output) = R.
    """
    _check_h(h)
    _check_tol(tol)
    x = np.array(x, dtype=float)
    out = layer.forward(x)
    R = np.random.default_rng(seed).standard_normal(out.shape)
    grad_in = layer.backward(R)
    analytic = {"input": grad_in}
    analytic.update({name: grad.copy() for name, _, grad in layer.parameters()})

    def f():
        return float(np.sum(layer.forward(x) * R))

    errors = {"input": relative_error(analytic["input"], numerical_gradient(f, x, h))}
    for name, value, _ in layer.parameters():
        errors[name] = relative_error(analytic[name], numerical_gradient(f, value, h))
    return GradCheckResult(errors, tol)


def check_loss(loss, y_pred, y_true, h=1e-5, tol=1e-7):
    """Check ``loss.backward()`` against finite differences of ``loss.forward``."""
    _check_h(h)
    _check_tol(tol)
    loss = get_loss(loss)
    y_pred = np.array(y_pred, dtype=float)
    loss.forward(y_pred, y_true)
    analytic = loss.backward()
    numeric = numerical_gradient(lambda: loss.forward(y_pred, y_true), y_pred, h)
    return GradCheckResult({"y_pred": relative_error(analytic, numeric)}, tol)


def check_model(model, loss, X, y, h=1e-5, tol=1e-7):
    """Check every parameter gradient of a whole model (dropout should be off or seeded)."""
    _check_h(h)
    _check_tol(tol)
    loss = get_loss(loss)
    X = np.asarray(X, dtype=float)
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    analytic = {name: grad.copy() for name, _, grad in model.parameters()}

    def f():
        return loss.forward(model.forward(X), y)

    errors = {name: relative_error(analytic[name], numerical_gradient(f, value, h))
              for name, value, _ in model.parameters()}
    return GradCheckResult(errors, tol)
