"""Checks for exercises 05 (gradient descent): SGD, momentum and Adam updates, mini-batches."""
import numpy as np

from ..optimizers import SGD, Adam, Momentum
from ..training import iterate_minibatches
from ._core import (Case, Exercise, describe, list_of, make_check, make_check_all, mistake, same_array,
                    sequence_of)

LESSON = 5


class _One:
    """A stand-in model with one parameter, so that course_lib's optimizers can step it."""

    def __init__(self, theta, grad):
        self.theta, self.grad = theta.copy(), grad.copy()

    def parameters(self):
        return [("theta", self.theta, self.grad)]


def _step(opt, theta, grad, state=None, t=0):
    model = _One(theta, grad)
    if state is not None:
        opt.state = [{k: v.copy() for k, v in state.items()}]
        opt.t = t
    opt.step(model)
    return model.theta, opt.state[0]


_NO_MUTATION = "return a new array: theta - lr * grad, without changing theta in place (no -=)"


def _sgd_cases():
    rng = np.random.default_rng(5)
    examples = [
        (np.array([1.0, -2.0, 0.5]), np.array([0.5, 0.1, -1.0]), 0.1),
        (rng.standard_normal((3, 2)), rng.standard_normal((3, 2)), 0.01),
        (np.array([[2.0]]), np.zeros((1, 1)), 0.5),
        (rng.standard_normal(4), rng.standard_normal(4), 1.5),
    ]
    cases = []
    for theta, grad, lr in examples:
        new, _ = _step(SGD(lr), theta, grad)
        cases.append(Case(
            describe(theta=theta, grad=grad, lr=lr), (theta, grad, lr), verify=same_array(new),
            hint="theta_new = theta - lr * grad; " + _NO_MUTATION,
            mistakes=[mistake(same_array(theta + lr * grad), "step AGAINST the gradient: theta - lr * grad"),
                      mistake(same_array(theta - grad), "scale the step by the learning rate lr")]))
    return cases


def _momentum_cases():
    rng = np.random.default_rng(50)
    examples = [
        (np.array([1.0, -2.0]), np.array([0.5, 0.1]), np.zeros(2), 0.1, {}),
        (rng.standard_normal((2, 3)), rng.standard_normal((2, 3)), rng.standard_normal((2, 3)), 0.05, {}),
        (np.array([[0.5]]), np.array([[1.0]]), np.array([[2.0]]), 0.1, {"beta": 0.5}),
        (rng.standard_normal(3), np.zeros(3), rng.standard_normal(3), 0.2, {}),
    ]
    cases = []
    for theta, grad, v, lr, kw in examples:
        beta = kw.get("beta", 0.9)
        opt = Momentum(lr, **kw)
        new, state = _step(opt, theta, grad, {"v": v}, t=1)
        names = ["theta_new", "v_new"]
        ema = beta * v + (1 - beta) * grad
        cases.append(Case(
            describe(theta=theta, grad=grad, v=v, lr=lr, **kw), (theta, grad, v, lr), kw,
            verify=sequence_of(same_array(new), same_array(state["v"]), names=names),
            hint="v_new = beta * v + grad, then theta_new = theta - lr * v_new; return (theta_new, v_new)",
            mistakes=[mistake(sequence_of(same_array(theta - lr * ema), same_array(ema), names=names),
                              "this course uses PyTorch's form v = beta v + grad (no (1 - beta) factor)"),
                      mistake(sequence_of(same_array(theta - lr * v), same_array(state["v"]), names=names),
                              "update theta with the NEW velocity v_new, not the old one")]))
    return cases


def _adam_cases():
    rng = np.random.default_rng(51)
    examples = [
        (np.array([1.0, -2.0, 0.5]), np.array([0.5, 0.1, -1.0]), np.zeros(3), np.zeros(3), 1, {}),
        (rng.standard_normal((2, 2)), rng.standard_normal((2, 2)), 0.1 * rng.standard_normal((2, 2)),
         0.01 * rng.random((2, 2)), 5, {}),
        (np.array([[0.3]]), np.array([[-2.0]]), np.array([[0.1]]), np.array([[0.5]]), 3,
         {"lr": 0.01, "beta1": 0.8, "beta2": 0.99}),
        (rng.standard_normal(4), np.zeros(4), np.zeros(4), np.zeros(4), 1, {}),
        (np.array([1.0, -1.0, 0.5]), np.array([1e-4, -2e-4, 5e-5]), np.zeros(3), np.zeros(3), 1, {}),
        (rng.standard_normal(3), rng.standard_normal(3), 0.2 * rng.standard_normal(3), 0.1 * rng.random(3),
         100, {"lr": 0.1}),
    ]
    cases = []
    for theta, grad, m, v, t, kw in examples:
        lr, b1, b2 = kw.get("lr", 0.001), kw.get("beta1", 0.9), kw.get("beta2", 0.999)
        new, state = _step(Adam(lr=lr, beta1=b1, beta2=b2), theta, grad, {"m": m, "v": v}, t=t - 1)
        m2, v2 = state["m"], state["v"]
        names = ["theta_new", "m_new", "v_new"]
        no_bc = theta - lr * m2 / (np.sqrt(v2) + 1e-8)
        eps_in = theta - lr * (m2 / (1 - b1**t)) / np.sqrt(v2 / (1 - b2**t) + 1e-8)
        cases.append(Case(
            describe(theta=theta, grad=grad, m=m, v=v, t=t, **kw), (theta, grad, m, v, t), kw,
            verify=sequence_of(same_array(new), same_array(m2), same_array(v2), names=names),
            hint="m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; m_hat = m/(1-b1^t); v_hat = v/(1-b2^t); "
                 "theta - lr m_hat / (sqrt(v_hat) + eps); return (theta_new, m_new, v_new)",
            mistakes=[mistake(sequence_of(same_array(no_bc), same_array(m2), same_array(v2), names=names),
                              "correct the bias of m and v: m_hat = m / (1 - beta1**t), v_hat = v / (1 - beta2**t)"),
                      mistake(sequence_of(same_array(eps_in), same_array(m2), same_array(v2), names=names),
                              "eps goes outside the square root: sqrt(v_hat) + eps")]))
    return cases


def _minibatches_cases():
    rng = np.random.default_rng(52)
    examples = [
        (10, 4, True, 0),
        (10, 4, False, 0),
        (3, 1, True, 7),
        (6, 6, True, 1),
        (1, 1, False, 0),
        (8, 3, True, 123),
    ]
    cases = []
    for n, bs, shuffle, seed in examples:
        X = np.arange(n * 2, dtype=float).reshape(n, 2) + rng.random((n, 2)).round(2)
        y = np.arange(n, dtype=float).reshape(n, 1) * 10.0
        order = list(iterate_minibatches(n, bs, np.random.default_rng(seed), shuffle))
        expect = list_of([sequence_of(same_array(X[i]), same_array(y[i]), names=["X_batch", "y_batch"])
                          for i in order])
        dropped = list_of([sequence_of(same_array(X[i]), same_array(y[i]), names=["X_batch", "y_batch"])
                           for i in order if len(i) == bs])
        plain = list(iterate_minibatches(n, bs, None, False))
        unshuffled = list_of([sequence_of(same_array(X[i]), same_array(y[i]), names=["X_batch", "y_batch"])
                              for i in plain])
        mistakes = []
        if any(len(i) < bs for i in order):
            mistakes.append(mistake(dropped, "keep the last, smaller batch: every sample must be used once per epoch"))
        if shuffle and n > 2:
            mistakes.append(mistake(unshuffled, "with shuffle=True, visit the samples in the order "
                                                "np.random.default_rng(seed).permutation(n)"))
        cases.append(Case(
            describe(X=X, y=y, batch_size=bs, shuffle=shuffle, seed=seed), (X, y, bs), {"shuffle": shuffle, "seed": seed},
            verify=expect, collect=True,
            hint="order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n); "
                 "yield (X[idx], y[idx]) for idx = order[start:start + batch_size]",
            mistakes=tuple(mistakes)))
    return cases


EXERCISES = [
    Exercise(LESSON, "sgd_update", 1, _sgd_cases),
    Exercise(LESSON, "momentum_update", 2, _momentum_cases),
    Exercise(LESSON, "adam_update", 3, _adam_cases),
    Exercise(LESSON, "minibatches", 2, _minibatches_cases),
]

check_sgd_update = make_check(EXERCISES[0])
check_momentum_update = make_check(EXERCISES[1])
check_adam_update = make_check(EXERCISES[2])
check_minibatches = make_check(EXERCISES[3])
check_all = make_check_all(EXERCISES)
