"""Checks for exercises 05 (gradient descent): SGD, momentum and Adam updates, mini-batches,
and the learner's own training loop."""
import copy

import numpy as np

from .. import datasets
from ..layers import Dense, ReLU, Sigmoid, Tanh
from ..losses import MSE, BinaryCrossEntropy
from ..optimizers import SGD, Adam, Momentum
from ..training import iterate_minibatches
from ._core import (Case, Exercise, Mismatch, _float_text, describe, inputs_rng, list_of, make_check,
                    make_check_all, mistake, same_array, sequence_of, show, type_text, vary)

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


def _sgd_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 5)
    examples = [
        (vary(fresh, np.array([1.0, -2.0, 0.5])), vary(fresh, np.array([0.5, 0.1, -1.0])), 0.1),
        (rng.standard_normal((3, 2)), rng.standard_normal((3, 2)), 0.01),
        (vary(fresh, np.array([[2.0]])), np.zeros((1, 1)), 0.5),
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


def _momentum_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 50)
    examples = [
        (vary(fresh, np.array([1.0, -2.0])), vary(fresh, np.array([0.5, 0.1])), np.zeros(2), 0.1, {}),
        (rng.standard_normal((2, 3)), rng.standard_normal((2, 3)), rng.standard_normal((2, 3)), 0.05, {}),
        (vary(fresh, np.array([[0.5]])), vary(fresh, np.array([[1.0]])), vary(fresh, np.array([[2.0]])), 0.1,
         {"beta": 0.5}),
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


def _adam_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 51)
    examples = [
        (vary(fresh, np.array([1.0, -2.0, 0.5])), vary(fresh, np.array([0.5, 0.1, -1.0])), np.zeros(3), np.zeros(3),
         1, {}),
        (rng.standard_normal((2, 2)), rng.standard_normal((2, 2)), 0.1 * rng.standard_normal((2, 2)),
         0.01 * rng.random((2, 2)), 5, {}),
        (vary(fresh, np.array([[0.3]])), vary(fresh, np.array([[-2.0]])), vary(fresh, np.array([[0.1]])),
         vary(fresh, np.array([[0.5]])), 3,
         {"lr": 0.01, "beta1": 0.8, "beta2": 0.99}),
        (rng.standard_normal(4), np.zeros(4), np.zeros(4), np.zeros(4), 1, {}),
        (vary(fresh, np.array([1.0, -1.0, 0.5])), vary(fresh, np.array([1e-4, -2e-4, 5e-5])), np.zeros(3),
         np.zeros(3), 1, {}),
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


def _minibatches_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 52)
    examples = [
        (10, 4, True, 0),
        (10, 4, False, 0),
        (3, 1, True, 7),
        (6, 6, True, 1),
        (1, 1, False, 0),
        (8, 3, True, 123),
    ]
    if fresh is not None:   # fresh sizes and shuffling seeds; the edge cases (one batch, one sample) stay
        examples = [(n if n in (1, bs) else n + int(fresh.integers(0, 4)), bs, shuffle, int(fresh.integers(0, 1000)))
                    for n, bs, shuffle, _ in examples]
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


# ------------------------------------------------------------------------------------------
# training_loop: the learner's own loop (forward, loss, backward, update; shuffled mini-batches)
# ------------------------------------------------------------------------------------------
def _layers(sizes, hidden, output, seed):
    """A network as a plain list of layers (not a Sequential): the learner chains them."""
    rng = np.random.default_rng(seed)
    acts = {"sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU, None: None}
    layers = []
    for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Dense(a, b, rng=rng))
        act = hidden if k < len(sizes) - 2 else output
        if acts[act] is not None:
            layers.append(acts[act]())
    return layers


def _forward(layers, x):
    for layer in layers:
        x = layer.forward(x)
    return x


def _backward(layers, grad):
    for layer in reversed(layers):
        grad = layer.backward(grad)
    return grad


def _parameters(layers):
    return [p for layer in layers for p in layer.parameters()]


def _reference_loop(layers, X, y, loss, lr, epochs, batch_size, rng, wrong=None):
    """The loop the exercise specifies, and (``wrong``) its usual wrong variants."""
    n = len(X)
    history = []
    total = 0.0
    once = rng.permutation(n) if wrong == "permutation once" else None
    params = _parameters(layers) if wrong == "stale parameters" else None
    for _ in range(epochs):
        order = (np.arange(n) if wrong == "no shuffle" else once if wrong == "permutation once"
                 else rng.permutation(n))
        if wrong != "no reset":
            total = 0.0
        batch_losses = []
        step = n if wrong == "full batch" else batch_size
        starts = [0] if wrong in ("one step", "one step over N") else range(0, n, step)
        for start in starts:
            idx = order[start:start + step]
            yb = y[start:start + step] if wrong == "X only" else y[idx]
            value = loss.forward(_forward(layers, X[idx]), yb)
            _backward(layers, loss.backward())
            for _, theta, grad in (params if params is not None else _parameters(layers)):
                if wrong == "plus":
                    theta += lr * grad
                elif wrong == "divide":
                    theta -= lr * grad / len(idx)
                else:
                    theta -= lr * grad
            total += value * len(idx)
            batch_losses.append(value)
        if wrong == "last batch":
            history.append(batch_losses[-1])
        elif wrong == "unweighted":
            history.append(float(np.mean(batch_losses)))
        elif wrong == "one step":
            history.append(batch_losses[0])
        else:
            history.append(total / n)
    return history


_LOOP_HINTS = {
    "no shuffle": "shuffle every epoch: order = rng.permutation(N), then take the batches "
                  "order[start:start + batch_size]",
    "permutation once": "draw a NEW permutation at the start of every epoch (rng.permutation(N) inside the epoch loop)",
    "X only": "shuffle X and y together: index both with the same idx, X[idx] and y[idx]",
    "divide": "do not divide the gradient by the batch size: the loss is already a mean over the "
              "batch, so loss.backward() already carries the 1/batch_size",
    "plus": "step AGAINST the gradient: theta -= lr * grad",
    "full batch": "use mini-batches of batch_size samples: one update per batch, several per epoch",
    "one step": "go through ALL the batches of the epoch (for start in range(0, N, batch_size)), "
                "one update for each",
    "one step over N": "go through ALL the batches of the epoch (for start in range(0, N, batch_size)), "
                       "one update for each",
    "stale parameters": "call layer.parameters() after each backward pass: backward puts NEW arrays in "
                        "dW and db, so a list taken before the loop holds the old (zero) gradients",
    "no reset": "start each epoch's total at 0: an epoch's loss covers that epoch's batches only",
    "last batch": "the epoch's loss averages ALL its batches (weighted by batch size), not only the last one",
    "unweighted": "weight each batch's loss by its size: sum(L_batch * len(batch)) / N "
                  "(the last batch may be smaller)",
}


def _same_losses(expected, rtol=1e-8):
    """The answer is a list (or 1-D array) of len(expected) numbers close to ``expected``."""
    expected = [float(v) for v in expected]

    def verify(got):
        if isinstance(got, np.ndarray) and got.ndim == 1 and got.dtype.kind in "iuf":
            got = got.tolist()
        if not isinstance(got, (list, tuple)):
            return Mismatch("wrong type", f"a list of {len(expected)} losses, one per epoch",
                            f"{type_text(got)}: {show(got)}")
        if len(got) != len(expected):
            return Mismatch("wrong number of epoch losses", str(len(expected)), f"{len(got)}: {show(list(got))}")
        values = []
        for v in got:
            if isinstance(v, np.ndarray) and v.ndim == 0:
                v = v[()]
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
                return Mismatch("wrong type", "one float per epoch", f"{type_text(v)}: {show(v)}")
            values.append(float(v))
        if not np.allclose(values, expected, rtol=rtol, atol=1e-12):
            return Mismatch("wrong values", show(expected), show(values))
        return None

    return verify


def _reaches(epochs, threshold, name):
    """The answer is a list of ``epochs`` finite losses whose last one is below ``threshold``."""
    def verify(got):
        if isinstance(got, np.ndarray) and got.ndim == 1:
            got = got.tolist()
        if not isinstance(got, (list, tuple)) or len(got) != epochs:
            return Mismatch("wrong type", f"a list of {epochs} losses, one per epoch", f"{type_text(got)}: {show(got)}")
        try:
            last = float(got[-1])
        except (TypeError, ValueError):
            return Mismatch("wrong type", "one float per epoch", show(got[-1]))
        if not np.isfinite(last) or not last < threshold:
            return Mismatch(f"did not learn {name}", f"a final loss below {threshold}",
                            f"final loss {_float_text(last)}")
        return None
    return verify


def _training_loop_cases(rng=None):
    data = inputs_rng(rng, 53)
    exact = [
        # sizes, hidden, output, loss, N, batch_size, epochs, lr, seed
        ([2, 3, 1], "tanh", "sigmoid", MSE(), 7, 3, 3, 0.5, 11),
        ([3, 4, 2], "sigmoid", None, MSE(), 8, 4, 3, 0.1, 12),
        ([2, 4, 1], "relu", "sigmoid", BinaryCrossEntropy(), 6, 1, 2, 0.2, 13),
        ([2, 3, 3, 1], "tanh", "sigmoid", BinaryCrossEntropy(), 5, 5, 4, 0.5, 14),
    ]
    cases = []
    for sizes, hidden, output, loss, n, bs, epochs, lr, seed in exact:
        X = data.standard_normal((n, sizes[0]))
        if output == "sigmoid":
            y = (data.random((n, 1)) < 0.5).astype(float)
        else:
            y = data.standard_normal((n, sizes[-1]))
        layers = _layers(sizes, hidden, output, seed)
        with np.errstate(all="ignore"):
            expected = _reference_loop(copy.deepcopy(layers), X, y, copy.deepcopy(loss), lr, epochs, bs,
                                       np.random.default_rng(seed + 100))
            mistakes = []
            for key, hint in _LOOP_HINTS.items():
                try:
                    got = _reference_loop(copy.deepcopy(layers), X, y, copy.deepcopy(loss), lr, epochs, bs,
                                          np.random.default_rng(seed + 100), wrong=key)
                except Exception:
                    continue
                if np.all(np.isfinite(got)) and not np.allclose(got, expected, rtol=1e-6):
                    mistakes.append(mistake(_same_losses(got), hint))
        inputs = (f"layers = {layers!r}, X = {show(X)}, y = {show(y)}, loss = {loss!r}, lr = {lr}, "
                  f"epochs = {epochs}, batch_size = {bs}, rng = np.random.default_rng({seed + 100})")
        cases.append(Case(
            inputs, (layers, X, y, loss, lr, epochs, bs, np.random.default_rng(seed + 100)),
            verify=_same_losses(expected),
            hint="each epoch: order = rng.permutation(N); for each batch idx = order[start:start + batch_size]: "
                 "forward through the layers in order, loss.forward, backward from loss.backward() through the "
                 "layers in reverse, then theta -= lr * grad for every (name, theta, grad) of every layer's "
                 "parameters(); the epoch's loss is sum(L_batch * len(idx)) / N",
            mistakes=tuple(mistakes), watch=(1, 2)))
    # it learns: XOR (MSE) and moons (binary cross-entropy), on networks built here
    X_xor, y_xor = datasets.xor()
    y_xor = y_xor.reshape(-1, 1).astype(float)
    X_moons, y_moons = datasets.moons(200, noise=0.1, seed=5)
    y_moons = y_moons.reshape(-1, 1).astype(float)
    for name, layers, X, y, loss, lr, epochs, bs, seed, threshold in [
        ("XOR", _layers([2, 4, 1], "tanh", "sigmoid", 21), X_xor, y_xor, MSE(), 0.5, 1000, 2, 121, 0.05),
        ("moons", _layers([2, 16, 16, 1], "tanh", "sigmoid", 22), X_moons, y_moons, BinaryCrossEntropy(),
         0.2, 100, 16, 122, 0.1),
    ]:
        inputs = (f"{name}: layers = {layers!r}, X of shape {X.shape}, y of shape {y.shape}, loss = {loss!r}, "
                  f"lr = {lr}, epochs = {epochs}, batch_size = {bs}, rng = np.random.default_rng({seed})")
        cases.append(Case(
            inputs, (layers, X, y, loss, lr, epochs, bs, np.random.default_rng(seed)),
            verify=_reaches(epochs, threshold, name),
            hint=f"a correct loop brings {name} below {loss!r} = {threshold} in these {epochs} epochs: "
                 "check the sign of the update (theta -= lr * grad) and that every batch makes a step",
            watch=(1, 2)))
    return cases


EXERCISES = [
    Exercise(LESSON, "sgd_update", 1, _sgd_cases),
    Exercise(LESSON, "momentum_update", 2, _momentum_cases),
    Exercise(LESSON, "adam_update", 3, _adam_cases),
    Exercise(LESSON, "minibatches", 2, _minibatches_cases),
    Exercise(LESSON, "training_loop", 4, _training_loop_cases),
]

check_sgd_update = make_check(EXERCISES[0])
check_momentum_update = make_check(EXERCISES[1])
check_adam_update = make_check(EXERCISES[2])
check_minibatches = make_check(EXERCISES[3])
check_training_loop = make_check(EXERCISES[4])
check_all = make_check_all(EXERCISES)
