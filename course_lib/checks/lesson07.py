"""Checks for exercises 07 (vanishing gradients): Xavier and He initialization, gradient norms."""
import copy

import numpy as np

from .. import initializers
from ..layers import Dense
from ..losses import MSE
from ..network import mlp
from ._core import Case, Exercise, Mismatch, describe, inputs_rng, make_check, make_check_all, mistake, same_array

LESSON = 7


def _std_verify(shape, std, label):
    """Right shape and dtype, mean near 0, standard deviation near ``std``, normal-looking."""
    def verify(W):
        if not isinstance(W, np.ndarray):
            return Mismatch("wrong type", f"a NumPy array of shape {shape}", type(W).__name__)
        if W.shape != shape:
            return Mismatch("wrong shape", f"shape {shape} (n_in, n_out)", f"shape {W.shape}")
        if W.dtype != np.float64:
            return Mismatch("wrong dtype", "dtype float64", f"dtype {W.dtype}")
        if not np.all(np.isfinite(W)):
            return Mismatch("not finite", "finite weights", "nan or inf")
        s, m = float(W.std()), float(W.mean())
        if abs(s / std - 1) > 0.03:
            return Mismatch("wrong spread", f"standard deviation {std:.5f} ({label})", f"standard deviation {s:.5f}")
        if abs(m) > 5 * std / np.sqrt(W.size):
            return Mismatch("not centred", "mean 0", f"mean {m:.5f}")
        inside = float(np.mean(np.abs(W - m) < s))
        if not 0.66 < inside < 0.71:
            return Mismatch("not normal", "a normal distribution (68% within one standard deviation)",
                            f"{100 * inside:.1f}% within one standard deviation")
        return None
    return verify


def _init_cases(rng, reference, std_of, label, others):
    cases = []
    sizes = ((300, 500, 0), (600, 200, 1), (400, 400, 2))
    if rng is not None:   # fresh sizes and seeds when grading (still large enough to measure a spread)
        sizes = [(int(rng.integers(200, 700)), int(rng.integers(200, 700)), int(rng.integers(0, 10**6)))
                 for _ in sizes]
    for n_in, n_out, seed in sizes:
        std = std_of(n_in, n_out)
        cases.append(Case(
            describe(n_in=n_in, n_out=n_out, rng=f"np.random.default_rng({seed})"),
            (n_in, n_out, np.random.default_rng(seed)), verify=_std_verify((n_in, n_out), std, label),
            hint=f"W = rng.normal(0.0, std, size=(n_in, n_out)) with std = {label}",
            mistakes=[mistake(_std_verify((n_in, n_out), f(n_in, n_out), "x"), h) for f, h in others]))
    seed = 7 if rng is None else int(rng.integers(0, 10**6))
    W = reference(3, 2, rng=np.random.default_rng(seed))
    cases.append(Case(
        describe(n_in=3, n_out=2, rng=f"np.random.default_rng({seed})"), (3, 2, np.random.default_rng(seed)),
        verify=same_array(W),
        hint="draw from the rng you are given, once: rng.normal(0.0, std, size=(n_in, n_out)) "
             "(np.random.randn ignores it, so results are not reproducible)"))
    return cases


def _xavier_cases(rng=None):
    return _init_cases(
        rng, initializers.xavier, lambda a, b: np.sqrt(2.0 / (a + b)), "sqrt(2 / (n_in + n_out))",
        [(lambda a, b: 2.0 / (a + b), "std is the SQUARE ROOT of 2 / (n_in + n_out)"),
         (lambda a, b: np.sqrt(1.0 / a), "Xavier averages fan-in and fan-out: sqrt(2 / (n_in + n_out)), "
                                         "not sqrt(1 / n_in)"),
         (lambda a, b: np.sqrt(2.0 / a), "that is He initialization; Xavier uses sqrt(2 / (n_in + n_out))"),
         (lambda a, b: np.sqrt(1.0 / (a + b)), "the variance is 2 / (n_in + n_out): the 2 is missing")])


def _he_cases(rng=None):
    return _init_cases(
        rng, initializers.he, lambda a, b: np.sqrt(2.0 / a), "sqrt(2 / n_in)",
        [(lambda a, b: 2.0 / a, "std is the SQUARE ROOT of 2 / n_in"),
         (lambda a, b: np.sqrt(1.0 / a), "He doubles the variance for ReLU: sqrt(2 / n_in)"),
         (lambda a, b: np.sqrt(2.0 / (a + b)), "that is Xavier initialization; He uses sqrt(2 / n_in)"),
         (lambda a, b: np.sqrt(2.0 / b), "He divides by the fan-IN n_in (rows of W), not n_out")])


def _norms(model, X, y, what="dW"):
    model = copy.deepcopy(model)
    loss = MSE()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    dense = [layer for layer in model.layers if isinstance(layer, Dense)]
    return np.array([np.linalg.norm(getattr(layer, what)) for layer in dense])


def _gradient_norms_cases(rng=None):
    rng = inputs_rng(rng, 70)
    examples = [
        (mlp([4] + [16] * 9 + [1], activation="sigmoid", output="sigmoid", init="xavier", seed=1), 8),
        (mlp([3, 32, 32, 32, 1], activation="relu", init="he", seed=2), 5),
        (mlp([2, 8, 1], activation="tanh", seed=3), 1),
    ]
    cases = []
    for model, n in examples:
        X = rng.standard_normal((n, model.n_in))
        y = rng.standard_normal((n, 1))
        norms = _norms(model, X, y)
        cases.append(Case(
            describe(model=f"{len(norms)} Dense layers", X=X, y=y), (model, X, y),
            verify=same_array(norms, rtol=1e-6, atol=1e-300),
            hint="loss = MSE(); loss.forward(model.forward(X), y); model.backward(loss.backward()); "
                 "then np.array([np.linalg.norm(layer.dW) for each Dense layer]), first layer first",
            mistakes=[mistake(same_array(_norms(model, X, y, "W"), rtol=1e-6), "those are the norms of the weights W; "
                              "measure the gradients dW (after backward)"),
                      mistake(same_array(norms[::-1], rtol=1e-6, atol=1e-300),
                              "list the layers from the first (input side) to the last")],
            watch=(1, 2)))
    return cases


EXERCISES = [
    Exercise(LESSON, "xavier_init", 2, _xavier_cases),
    Exercise(LESSON, "he_init", 2, _he_cases),
    Exercise(LESSON, "gradient_norms", 3, _gradient_norms_cases),
]

check_xavier_init = make_check(EXERCISES[0])
check_he_init = make_check(EXERCISES[1])
check_gradient_norms = make_check(EXERCISES[2])
check_all = make_check_all(EXERCISES)
