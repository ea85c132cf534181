"""Checks for exercises 04 (chain rule): sigmoid and dense backward passes, numerical gradients."""
import numpy as np

from ..activations import sigmoid as _sigmoid
from ..gradcheck import numerical_gradient as _numerical_gradient
from ..gradcheck import relative_error as _relative_error
from ..layers import Dense, Sigmoid
from ._core import (Case, Exercise, describe, make_check, make_check_all, mistake, same_array,
                    same_float, sequence_of)

LESSON = 4


def _sigmoid_backward_cases():
    rng = np.random.default_rng(4)
    examples = [
        (rng.standard_normal((3, 2)), _sigmoid(rng.standard_normal((3, 2)))),
        (np.array([[2.0, -1.0, 0.5]]), np.array([[0.5, 0.25, 0.9]])),
        (np.ones((2, 2)), np.array([[0.0, 1.0], [1.0, 0.0]])),
        (np.zeros((4, 3)), _sigmoid(rng.standard_normal((4, 3)))),
        (rng.standard_normal((5, 1)), _sigmoid(rng.standard_normal((5, 1)) * 5)),
    ]
    cases = []
    for grad_out, out in examples:
        layer = Sigmoid()
        layer.out = out
        expected = layer.backward(grad_out)
        s = _sigmoid(out)
        cases.append(Case(
            describe(grad_out=grad_out, out=out), (grad_out, out), verify=same_array(expected),
            hint="dL/dz = grad_out * out * (1 - out): the local derivative times the gradient from above",
            mistakes=[mistake(same_array(out * (1 - out)),
                              "multiply by grad_out: the chain rule multiplies the local derivative "
                              "by the gradient arriving from the layer above"),
                      mistake(same_array(grad_out * s * (1 - s)),
                              "out is already sigmoid(z): use out * (1 - out), do not apply the sigmoid again")]))
    return cases


def _dense_backward_cases():
    rng = np.random.default_rng(40)
    shapes = [(4, 3, 2), (1, 3, 2), (5, 2, 3), (3, 4, 1)]
    cases = []
    for k, (n, n_in, n_out) in enumerate(shapes):
        X, W = rng.standard_normal((n, n_in)), rng.standard_normal((n_in, n_out))
        grad_out = np.zeros((n, n_out)) if k == 3 else rng.standard_normal((n, n_out))
        layer = Dense(n_in, n_out)
        layer.W = W.copy()
        layer.forward(X)
        grad_X = layer.backward(grad_out)
        names = ["grad_X", "dW", "db"]
        cases.append(Case(
            describe(grad_out=grad_out, X=X, W=W), (grad_out, X, W),
            verify=sequence_of(same_array(grad_X), same_array(layer.dW), same_array(layer.db), names=names),
            hint=f"grad_X = grad_out @ W.T {grad_X.shape}, dW = X.T @ grad_out {layer.dW.shape}, "
                 f"db = grad_out summed over the samples {layer.db.shape}; return (grad_X, dW, db)",
            mistakes=[mistake(sequence_of(same_array(grad_X), same_array(layer.dW),
                                          same_array(grad_out.mean(axis=0)), names=names),
                              "db sums grad_out over the samples (axis=0); it does not average them"),
                      mistake(sequence_of(same_array(grad_X), same_array(layer.dW / n),
                                          same_array(layer.db / n), names=names),
                              "do not divide by N here: the loss's gradient already carries the 1/N")]))
    return cases


# module-level functions (so they can be sent to the grader's kernel) to differentiate
def sum_of_squares(x):
    """f(x) = sum x^2; its gradient is 2x."""
    return float(np.sum(x * x))


def wavy(x):
    """f(x) = sum sin(x) x + x_first * x_last."""
    flat = x.ravel()
    return float(np.sum(np.sin(x) * x) + flat[0] * flat[-1])


_A = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]])
_T = np.array([[1.0], [-1.0]])


def linear_mse(W):
    """f(W) = mean((A @ W - T)^2) for a fixed A (2, 3) and T (2, 1): a tiny regression loss."""
    d = _A @ W - _T
    return float(np.mean(d * d))


def _numerical_gradient_cases():
    rng = np.random.default_rng(41)
    examples = [
        (sum_of_squares, np.array([1.0, -2.0, 3.0])),
        (wavy, rng.standard_normal((2, 3))),
        (linear_mse, rng.standard_normal((3, 1))),
        (sum_of_squares, np.zeros((1, 1))),
        (wavy, rng.standard_normal(5)),
    ]
    cases = []
    for f, x in examples:
        x_ref = x.copy()
        expected = _numerical_gradient(lambda: f(x_ref), x_ref, 1e-5)
        forward = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            xp = x.copy()
            xp[i] += 1e-5
            forward[i] = (f(xp) - f(x)) / 1e-5
        cases.append(Case(
            describe(f=f.__name__, x=x), (f, x), verify=same_array(expected, rtol=1e-6, atol=1e-8),
            hint="for each entry i: (f(x + h e_i) - f(x - h e_i)) / (2h), then put x[i] back",
            mistakes=[mistake(same_array(forward, rtol=1e-9, atol=1e-12),
                              "that is the one-sided difference (f(x+h) - f(x)) / h: "
                              "use the central difference (f(x+h) - f(x-h)) / (2h), 1000x more accurate"),
                      mistake(same_array(2 * expected, rtol=1e-6, atol=1e-8),
                              "divide by 2h: the two points x+h and x-h are 2h apart")],
            watch=(1,)))
    return cases


def _relative_error_cases():
    rng = np.random.default_rng(42)
    g = rng.standard_normal((3, 2))
    examples = [
        (np.array([1.0, 2.0]), np.array([1.0, 2.0001])),
        (g, g + 1e-8 * rng.standard_normal((3, 2))),
        (np.array([1.0, -1.0]), np.array([-1.0, 1.0])),
        (np.zeros(3), np.zeros(3)),
        (np.array([[1e-3]]), np.array([[2e-3]])),
    ]
    cases = []
    for a, n in examples:
        expected = _relative_error(a, n)
        cases.append(Case(
            describe(analytic=a, numeric=n), (a, n), verify=same_float(expected, rtol=1e-6, atol=1e-15),
            hint=("both are zero: 0/0 must give 0; divide by max(scale, 1e-300)"
                  if not np.any(a) and not np.any(n) else
                  "max |a - n| divided by max(|a| + |n|); return a float"),
            mistakes=[mistake(same_float(np.max(np.abs(a - n)), rtol=1e-6, atol=1e-15),
                              "divide by the scale max(|a| + |n|): the error must be relative")]))
    return cases


EXERCISES = [
    Exercise(LESSON, "sigmoid_backward", 2, _sigmoid_backward_cases),
    Exercise(LESSON, "dense_backward", 3, _dense_backward_cases),
    Exercise(LESSON, "numerical_gradient", 3, _numerical_gradient_cases),
    Exercise(LESSON, "relative_error", 1, _relative_error_cases),
]

check_sigmoid_backward = make_check(EXERCISES[0])
check_dense_backward = make_check(EXERCISES[1])
check_numerical_gradient = make_check(EXERCISES[2])
check_relative_error = make_check(EXERCISES[3])
check_all = make_check_all(EXERCISES)
