"""Checks for exercises 04 (chain rule): sigmoid and dense backward passes, numerical gradients,
a partial derivative of the 2-2-1 network by hand, and a backward pass through a whole network."""
import copy

import numpy as np

from ..activations import sigmoid as _sigmoid
from ..gradcheck import numerical_gradient as _numerical_gradient
from ..gradcheck import relative_error as _relative_error
from ..layers import Dense, Layer, ReLU, Sigmoid, Tanh
from ..network import Sequential
from ._core import (Case, Exercise, describe, inputs_rng, make_check, make_check_all, mistake, same_array,
                    same_float, sequence_of, vary)

LESSON = 4


def _sigmoid_backward_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 4)
    examples = [
        (rng.standard_normal((3, 2)), _sigmoid(rng.standard_normal((3, 2)))),
        (vary(fresh, np.array([[2.0, -1.0, 0.5]])), vary(fresh, np.array([[0.5, 0.25, 0.9]]), 0.9, 1.1)),
        (vary(fresh, np.ones((2, 2))), np.array([[0.0, 1.0], [1.0, 0.0]])),
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


def _dense_backward_cases(rng=None):
    rng = inputs_rng(rng, 40)
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


class AtX:
    """The ``f`` handed to the exercise: ``f()`` evaluates ``fn`` at the array ``x`` it holds,
    the very array that is passed next to it, as ``lambda: fn(x)`` would (the convention of
    ``course_lib.gradcheck.numerical_gradient``). Unlike a lambda, it can be sent to the
    grader's kernel; deep copies and pickles keep it pointing at the copy of ``x``.
    """

    def __init__(self, fn, x):
        self.fn, self.x = fn, x

    def __call__(self, *args, **kwargs):
        if args or kwargs:
            raise TypeError("f takes no arguments: call f(), not f(x). It reads x itself, so "
                            "change x[i] in place, call f(), and put x[i] back")
        return self.fn(self.x)

    def __repr__(self):
        return f"lambda: {self.fn.__name__}(x)"


def _numerical_gradient_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 41)
    examples = [
        (sum_of_squares, vary(fresh, np.array([1.0, -2.0, 3.0]))),
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
            f"f = lambda: {f.__name__}(x), {describe(x=x)}", (AtX(f, x), x),
            verify=same_array(expected, rtol=1e-6, atol=1e-8),
            hint="for each entry i: set x[i] = old + h and call f(), set x[i] = old - h and call f(), "
                 "put x[i] back to old; grad[i] = (f_plus - f_minus) / (2h)",
            mistakes=[mistake(same_array(forward, rtol=1e-9, atol=1e-12),
                              "that is the one-sided difference (f(x+h) - f(x)) / h: "
                              "use the central difference (f(x+h) - f(x-h)) / (2h), 1000x more accurate"),
                      mistake(same_array(2 * expected, rtol=1e-6, atol=1e-8),
                              "divide by 2h: the two points x+h and x-h are 2h apart")],
            watch=(1,)))
    return cases


def _relative_error_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 42)
    g = rng.standard_normal((3, 2))
    close = vary(fresh, np.array([1.0, 2.0]))
    opposite = vary(fresh, np.array([1.0, -1.0]))
    examples = [
        (close, close + np.array([0.0, 1e-4])),
        (g, g + 1e-8 * rng.standard_normal((3, 2))),
        (opposite, -opposite),
        (np.zeros(3), np.zeros(3)),
        (vary(fresh, np.array([[1e-3]])), vary(fresh, np.array([[2e-3]]))),
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


# ------------------------------------------------------------------------------------------
# dL/dx1 of the 2-2-1 network, derived by hand (lesson 04, section 3's notation)
# ------------------------------------------------------------------------------------------
_PARAMS = ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")


def _net_221(x1, x2, w):
    """Forward pass of the 2-2-1 sigmoid network: (h1, h2, o1)."""
    h1 = float(_sigmoid(w["w1"] * x1 + w["w2"] * x2 + w["b1"]))
    h2 = float(_sigmoid(w["w3"] * x1 + w["w4"] * x2 + w["b2"]))
    o1 = float(_sigmoid(w["w5"] * h1 + w["w6"] * h2 + w["b3"]))
    return h1, h2, o1


def _dL_dx1_wrong(h1, h2, o1, y, w):
    """The right answer and the usual wrong ones, from the forward values."""
    dL_do = -2.0 * (y - o1)
    do = o1 * (1 - o1)
    d1, d2 = h1 * (1 - h1), h2 * (1 - h2)
    right = dL_do * do * (w["w5"] * d1 * w["w1"] + w["w6"] * d2 * w["w3"])
    s = lambda v: float(_sigmoid(v))  # noqa: E731  (sigmoid applied to an output again)
    return right, {
        "one path": dL_do * do * w["w5"] * d1 * w["w1"],
        "no f' at o1": dL_do * (w["w5"] * d1 * w["w1"] + w["w6"] * d2 * w["w3"]),
        "no f' at h": dL_do * do * (w["w5"] * w["w1"] + w["w6"] * w["w3"]),
        "no 2": right / 2,
        "sign": -right,
        "swapped": dL_do * do * (w["w6"] * d1 * w["w1"] + w["w5"] * d2 * w["w3"]),
        "x2 weights": dL_do * do * (w["w5"] * d1 * w["w2"] + w["w6"] * d2 * w["w4"]),
        "sigmoid twice": dL_do * s(o1) * (1 - s(o1)) * (w["w5"] * s(h1) * (1 - s(h1)) * w["w1"]
                                                        + w["w6"] * s(h2) * (1 - s(h2)) * w["w3"]),
    }


_DX1_HINTS = {
    "one path": "x1 reaches the loss along TWO paths, x1 -> h1 -> o1 and x1 -> h2 -> o1: "
                "add the products along both paths",
    "no f' at o1": "each sigmoid on a path contributes its derivative: include "
                   "f'(sum_o1) = o1 (1 - o1) for the output neuron",
    "no f' at h": "each sigmoid on a path contributes its derivative: include "
                  "f'(sum_h1) = h1 (1 - h1) and f'(sum_h2) = h2 (1 - h2) for the hidden neurons",
    "no 2": "the derivative of (y_true - o1)^2 with respect to o1 is -2 (y_true - o1): keep the factor 2",
    "sign": "sign error: dL/do1 = -2 (y_true - o1) = 2 (o1 - y_true)",
    "swapped": "wrong hidden unit: the path through h1 uses w5 (h1 -> o1), the path through h2 uses w6",
    "x2 weights": "x1 enters h1 with weight w1 and h2 with weight w3 (w2 and w4 multiply x2)",
    "sigmoid twice": "h1, h2 and o1 are already sigmoid outputs: f'(sum) = o1 (1 - o1), "
                     "do not apply the sigmoid again",
}


def _loss_221(x1, x2, y, w):
    return (y - _net_221(x1, x2, w)[2]) ** 2


def _dL_dx1_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 404)
    alice = {"w1": 1.0, "w2": 1.0, "w3": 1.0, "w4": 1.0, "w5": 1.0, "w6": 1.0, "b1": 0.0, "b2": 0.0, "b3": 0.0}
    examples = []
    for k in range(6):
        if k == 0:  # every weight matters: a wrong path or factor shows clearly
            weights = vary(fresh, np.array([0.8, -0.4, -0.6, 0.9, 1.2, -0.7, 0.1, -0.3, 0.2]))
            examples.append((vary(fresh, 0.5), vary(fresh, -1.0), 1.0, dict(zip(_PARAMS, map(float, weights)))))
            continue
        if k == 1:
            examples.append((vary(fresh, -2.0), vary(fresh, -1.0), 1.0, alice))
            continue
        scale = 2.0 if k == 4 else 1.0
        w = {name: round(float(v), 3) for name, v in zip(_PARAMS, scale * rng.standard_normal(9))}
        x1, x2 = (round(float(v), 3) for v in rng.uniform(-2, 2, 2))
        examples.append((x1, x2, float(k % 2 == 0), w))
    cases = []
    h = 1e-6
    for x1, x2, y, w in examples:
        h1, h2, o1 = _net_221(x1, x2, w)
        # the reference: finite differences of the network's loss in x1 ...
        numeric = (_loss_221(x1 + h, x2, y, w) - _loss_221(x1 - h, x2, y, w)) / (2 * h)
        right, wrong = _dL_dx1_wrong(h1, h2, o1, y, w)
        # ... which the chain rule must match (a guard on this check itself)
        assert abs(numeric - right) <= 1e-7 * max(1.0, abs(right)), (numeric, right)
        mistakes = [mistake(same_float(v, rtol=1e-6, atol=1e-10), _DX1_HINTS[key])
                    for key, v in wrong.items() if not np.isclose(v, right, rtol=1e-3, atol=1e-9)]
        cases.append(Case(
            describe(h1=h1, h2=h2, o1=o1, y_true=y, w=w) + f"   (from x1 = {x1}, x2 = {x2})",
            (h1, h2, o1, y, dict(w)), verify=same_float(numeric, rtol=1e-5, atol=1e-9),
            hint="dL/dx1 = dL/do1 * f'(sum_o1) * (w5 f'(sum_h1) w1 + w6 f'(sum_h2) w3): "
                 "one product per path from x1 to the loss, added",
            mistakes=tuple(mistakes)))
    return cases


# ------------------------------------------------------------------------------------------
# network_backward: chain the layers' backward passes through a whole network
# ------------------------------------------------------------------------------------------
class GradientReport(Layer):
    """A layer the check puts first in a network to see the gradients the layers hold.

    forward: passes x through unchanged. backward(grad): returns one flat array, dL/dx
    followed by every watched Dense layer's dW and db as they are at that moment.
    """

    def __init__(self, watched):
        self.watched = list(watched)

    def forward(self, x):
        return x

    def backward(self, grad_out):
        parts = [np.asarray(grad_out, dtype=float).ravel()]
        for layer in self.watched:
            for g in (layer.dW, layer.db):
                parts.append(np.zeros(0) if g is None else np.asarray(g, dtype=float).ravel())
        return np.concatenate(parts)

    def __repr__(self):
        return "GradientReport()"


def _build(spec, rng):
    """spec: "3-T-3-S" style list of sizes and activations -> list of layers."""
    acts = {"S": Sigmoid, "T": Tanh, "R": ReLU}
    layers, n = [], spec[0]
    for item in spec[1:]:
        if item in acts:
            layers.append(acts[item]())
        else:
            layers.append(Dense(n, item, rng=rng))
            layers[-1].b = rng.standard_normal(item) * 0.5
            n = item
    return layers


def _chain(layers, grad, order="reverse", feed=True, skip_activations=False):
    """The right backward pass and its usual wrong variants, on a copy of ``layers``."""
    layers = copy.deepcopy(layers)
    seq = list(reversed(layers)) if order == "reverse" else list(layers)
    g = grad
    for layer in seq:
        if skip_activations and not isinstance(layer, (Dense, GradientReport)):
            continue
        g = layer.backward(g if feed else grad)
    return g


def _network_backward_cases(rng=None):
    rng = inputs_rng(rng, 4040)
    specs = [
        (4, [3, 3, "S", 3, "T"]),                      # square: every wrong order still runs
        (5, [4, 1]),                                   # one layer
        (1, [2, 5, "R", 1, "S"]),                      # a batch of one
        (6, [3, 4, "T", 4, "R", 2]),
        (3, [2, 3, "S", 3, "T", 4, "R", 3, "S", 2]),   # five Dense layers
        (4, [3, 4, "S", 2, "T"]),                      # with a GradientReport first
    ]
    cases = []
    for k, (n, spec) in enumerate(specs):
        layers = _build(spec, rng)
        X = rng.standard_normal((n, spec[0]))
        report = k == len(specs) - 1
        if report:
            layers = [GradientReport([la for la in layers if isinstance(la, Dense)])] + layers
        out = Sequential(layers).forward(X)
        grad_out = rng.standard_normal(out.shape)
        # the reference: Sequential.backward on a copy ...
        ref_layers = copy.deepcopy(layers)
        expected = Sequential(ref_layers).backward(grad_out, need_grad_in=True)
        # ... checked against finite differences of sum(out * grad_out) in x
        if not report:
            probe = copy.deepcopy(layers)
            Xc = X.copy()
            numeric = _numerical_gradient(lambda: float(np.sum(Sequential(probe).forward(Xc) * grad_out)), Xc)
            assert _relative_error(expected, numeric) < 1e-6
        wrong = []
        for kwargs, hint in [
            ({"order": "forward"}, "go through the layers from the LAST to the first: for layer in reversed(layers)"),
            ({"feed": False}, "feed each layer's result to the next: grad = layer.backward(grad), "
                              "not layer.backward(grad_out)"),
            ({"skip_activations": True}, "activation layers have a backward pass too: call backward on "
                                         "every layer, not only the Dense ones"),
        ]:
            try:
                with np.errstate(all="ignore"):
                    value = _chain(layers, grad_out, **kwargs)
            except Exception:
                continue
            if isinstance(value, np.ndarray) and not (value.shape == expected.shape and np.allclose(value, expected)):
                wrong.append(mistake(same_array(value), hint))
        wrong.append(mistake(same_array(grad_out), "return the gradient after the FIRST layer's backward, "
                                                   "dL/dx, not grad_out unchanged"))
        if report:
            frozen = expected.copy()
            frozen[X.size:] = 0.0  # dL/dx right, every dW and db still at its initial zeros
            wrong.append(mistake(same_array(frozen), "the Dense layers' dW and db are still zero: call each "
                                                     "layer's backward (it fills dW and db) instead of "
                                                     "computing grad @ W.T yourself"))
        inputs = describe(layers=layers, grad_out=grad_out)
        if report:
            inputs += ("\n          (the first layer, GradientReport, passes x through; its backward returns "
                       "dL/dx followed by every Dense layer's dW and db)")
        cases.append(Case(
            inputs, (layers, grad_out), verify=same_array(expected),
            hint="grad = grad_out; for layer in reversed(layers): grad = layer.backward(grad); return grad",
            mistakes=tuple(wrong), watch=(1,)))
    return cases


EXERCISES = [
    Exercise(LESSON, "sigmoid_backward", 2, _sigmoid_backward_cases),
    Exercise(LESSON, "dense_backward", 3, _dense_backward_cases),
    Exercise(LESSON, "numerical_gradient", 3, _numerical_gradient_cases),
    Exercise(LESSON, "relative_error", 1, _relative_error_cases),
    Exercise(LESSON, "dL_dx1", 2, _dL_dx1_cases),
    Exercise(LESSON, "network_backward", 3, _network_backward_cases),
]

check_sigmoid_backward = make_check(EXERCISES[0])
check_dense_backward = make_check(EXERCISES[1])
check_numerical_gradient = make_check(EXERCISES[2])
check_relative_error = make_check(EXERCISES[3])
check_dL_dx1 = make_check(EXERCISES[4])
check_network_backward = make_check(EXERCISES[5])
check_all = make_check_all(EXERCISES)
