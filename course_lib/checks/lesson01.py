"""Checks for exercises 01 (the neuron): weighted sum, sigmoid, a neuron's output, a neuron for x1 AND NOT x2."""
import numpy as np

from ..activations import sigmoid as _sigmoid
from ..neuron import Neuron
from ._core import (Case, Exercise, Mismatch, describe, fires_exactly, make_check, make_check_all, mistake,
                    same_array, vary)

LESSON = 1


def _weighted_sum_cases(rng=None):
    cases = []
    examples = [
        (np.array([2.0, 3.0]), np.array([0.0, 1.0]), 4.0),
        (np.array([1.5, -2.0, 0.5]), np.array([0.2, 0.4, -1.0]), -0.3),
        (np.zeros(3), np.array([0.5, -1.0, 2.0]), 0.5),
        (np.array([[1.0, 2.0, 3.0]]), np.array([0.1, -0.2, 0.3]), 1.0),
        (np.arange(12.0).reshape(4, 3) - 5.0, np.array([0.5, -1.5, 2.0]), -2.0),
    ]
    for x, w, b in examples:
        x, w, b = vary(rng, x), vary(rng, w), vary(rng, b)
        z = Neuron(w, b).weighted_sum(x)
        cases.append(Case(
            describe(x=x, w=w, b=b), (x, w, b), verify=same_array(z),
            hint="z = x @ w + b: multiply, sum over the inputs, then add the bias once",
            mistakes=[
                mistake(same_array(z - b), "you left out the bias b"),
                mistake(same_array(x * w + b, dtype=None), "x * w multiplies element by element; "
                        "the weighted sum also adds them up: use x @ w (or np.dot)"),
            ]))
    return cases


_STABLE_HINT = ("for z = -1e4, np.exp(-z) overflows (and np.where evaluates both branches). "
                "Use e = np.exp(-np.abs(z)), which never overflows: "
                "sigma = 1/(1+e) where z >= 0 and e/(1+e) where z < 0")


def _sigmoid_cases(rng=None):
    inputs = [
        0.0,
        7.0,
        np.array([-2.0, -1.0, 0.0, 1.0, 2.0]),
        np.zeros((1, 4)) if rng is None else np.zeros((1, int(rng.integers(2, 9)))),
        np.array([-1e4, -500.0, -30.0, 0.0, 30.0, 500.0, 1e4]),
        np.linspace(-6.0, 6.0, 12).reshape(3, 4),
    ]
    cases = []
    for z in inputs:
        z = vary(rng, z)
        expected = _sigmoid(np.asarray(z, dtype=float))
        cases.append(Case(
            describe(z=z), (z,), verify=same_array(expected, rtol=1e-9, atol=1e-300),
            warnings_fail=bool(np.max(np.abs(z)) > 100),  # stability test: a NumPy warning fails it
            hint=(_STABLE_HINT if np.max(np.abs(z)) > 100 else
                  "sigma(z) = 1 / (1 + exp(-z)), element by element, same shape as z"),
            mistakes=[
                mistake(same_array(1.0 / (1.0 + np.exp(np.clip(np.asarray(z, float), -700, 700)))),
                        "the sign in the exponent is wrong: sigma(z) = 1 / (1 + exp(-z))"),
            ]))
    return cases


def _neuron_output_cases(rng=None):
    examples = [
        (np.array([2.0, 3.0]), np.array([0.0, 1.0]), 4.0),
        (np.zeros(2), np.array([0.7, -0.3]), 0.0),
        (np.array([10.0, 10.0]), np.array([1000.0, 1000.0]), 0.0),
        (np.array([10.0, 10.0]), np.array([-1000.0, -1000.0]), 0.0),
        (np.array([[0.5, -1.0, 2.0]]), np.array([1.0, 0.5, -0.25]), 0.1),
        (np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([1.0, 1.0]), -1.5),
    ]
    cases = []
    for x, w, b in examples:
        x, w, b = vary(rng, x), vary(rng, w), vary(rng, b)
        y = np.asarray(Neuron(w, b).feedforward(x))
        z = x @ w + b
        cases.append(Case(
            describe(x=x, w=w, b=b), (x, w, b), verify=same_array(y, rtol=1e-9, atol=1e-300),
            hint="a = sigmoid(x @ w + b), with a sigmoid that does not overflow for large |z|",
            mistakes=[
                mistake(same_array(z), "you returned the weighted sum z; apply the sigmoid to it"),
                mistake(same_array(_sigmoid(z - b)), "you left out the bias b"),
            ]))
    return cases


_GATE_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def _gate_outputs(answer):
    """(w, b) -> the neuron's four outputs, or a Mismatch."""
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return Mismatch("wrong type", "a tuple (w, b)", repr(answer)[:200])
    w, b = answer
    w = np.asarray(w) if isinstance(w, (list, tuple, np.ndarray)) else None
    if w is None or w.dtype.kind not in "iuf" or w.shape != (2,):
        return Mismatch("wrong type", "w: an array of 2 weights", repr(answer[0])[:200])
    if isinstance(b, np.ndarray) and b.size == 1:
        b = b.reshape(())[()]
    if isinstance(b, bool) or not isinstance(b, (int, float, np.integer, np.floating)):
        return Mismatch("wrong type", "b: one number", repr(b)[:200])
    if not (np.all(np.isfinite(w)) and np.isfinite(b)):
        return Mismatch("not finite", "finite weights and bias", repr(answer)[:200])
    return _sigmoid(_GATE_X @ w.astype(float) + float(b))


def _gate_verify(truth):
    return fires_exactly(_gate_outputs, truth,
                         f"outputs > 0.5 exactly for {truth.astype(int).tolist()} (inputs 00, 01, 10, 11)")


def _and_not_gate_cases(rng=None):   # no input: the answer is a design
    truth = np.array([0, 0, 1, 0], bool)     # x1 AND NOT x2: yes only for x = (1, 0)
    return [Case("no input: and_not_gate() returns (w, b)", (), verify=_gate_verify(truth),
                 hint="the neuron must fire (output > 0.5) only for x1 = 1, x2 = 0: x1 must push z up, "
                      "x2 must push it down, and the bias must keep (0, 0) below the line",
                 mistakes=[mistake(_gate_verify(np.array([0, 0, 0, 1], bool)),
                                   "these weights make an AND gate: x2 must count against firing, "
                                   "so give it a negative weight"),
                           mistake(_gate_verify(np.array([0, 1, 0, 0], bool)),
                                   "this neuron fires only for x = (0, 1), that is x2 AND NOT x1: "
                                   "swap the two weights"),
                           mistake(_gate_verify(np.array([0, 0, 1, 1], bool)),
                                   "this neuron ignores x2 (it computes x1 alone): x2 = 1 must pull z "
                                   "below 0 even when x1 = 1"),
                           mistake(_gate_verify(np.array([1, 0, 1, 1], bool)),
                                   "these weights fire for (0, 0) too: lower the bias so that x1 = 1 "
                                   "is needed")])]


EXERCISES = [
    Exercise(LESSON, "weighted_sum", 1, _weighted_sum_cases),
    Exercise(LESSON, "sigmoid", 2, _sigmoid_cases),
    Exercise(LESSON, "neuron_output", 2, _neuron_output_cases),
    Exercise(LESSON, "and_not_gate", 1, _and_not_gate_cases),
]

check_weighted_sum = make_check(EXERCISES[0])
check_sigmoid = make_check(EXERCISES[1])
check_neuron_output = make_check(EXERCISES[2])
check_and_not_gate = make_check(EXERCISES[3])
check_all = make_check_all(EXERCISES)
