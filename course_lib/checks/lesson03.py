"""Checks for exercises 03 (loss): MSE, binary cross-entropy, a stable softmax, cross-entropy."""
import numpy as np

from ..activations import softmax as _softmax
from ..losses import MSE, BinaryCrossEntropy, CrossEntropy
from ._core import Case, Exercise, describe, make_check, make_check_all, mistake, same_array, same_float

LESSON = 3


def _mse_cases():
    rng = np.random.default_rng(3)
    examples = [
        (np.array([[0.5], [1.5], [-1.0], [2.0]]), np.array([[1.0], [1.0], [0.0], [2.0]])),
        (rng.standard_normal((3, 2)), rng.standard_normal((3, 2))),
        (np.array([[3.0]]), np.array([[1.0]])),
        (np.zeros((4, 1)), np.zeros((4, 1))),
        (rng.standard_normal((5, 3)) * 1e4, rng.standard_normal((5, 3)) * 1e4),
    ]
    cases = []
    for y_pred, y_true in examples:
        value = MSE().forward(y_pred, y_true)
        d = y_pred - y_true
        cases.append(Case(
            describe(y_pred=y_pred, y_true=y_true), (y_pred, y_true), verify=same_float(value),
            hint="MSE = mean((y_pred - y_true)^2) over every entry (samples and outputs); return a float",
            mistakes=[mistake(same_float(np.sum(d * d)), "you summed the squared errors; take their mean"),
                      mistake(same_float(np.mean(d)), "square the errors before averaging"),
                      mistake(same_float(np.mean(np.abs(d))), "that is the mean absolute error: square the errors"),
                      mistake(same_float(np.sum(d * d) / d.shape[0]),
                              "divide by the number of entries N*K, not only by the number of samples N")]))
    return cases


def _bce_cases():
    examples = [
        (np.array([[0.9], [0.2], [0.6], [0.4]]), np.array([[1.0], [0.0], [1.0], [0.0]])),
        (np.array([[0.7]]), np.array([[1.0]])),
        (np.array([[1.0], [0.0]]), np.array([[1.0], [0.0]])),
        (np.array([[0.0]]), np.array([[1.0]])),
        (np.full((3, 1), 0.5), np.array([[1.0], [0.0], [1.0]])),
    ]
    cases = []
    for p, y in examples:
        value = BinaryCrossEntropy().forward(p, y)
        pc = np.clip(p, 1e-12, 1 - 1e-12)
        terms = y * np.log(pc) + (1 - y) * np.log(1 - pc)
        cases.append(Case(
            describe(p=p, y=y), (p, y), verify=same_float(value, rtol=1e-6),
            hint=("clip p to [eps, 1 - eps] before taking the log: log(0) is -inf"
                  if np.any((p == 0) | (p == 1)) else
                  "BCE = -mean(y log p + (1 - y) log(1 - p)); return a float"),
            mistakes=[mistake(same_float(-value, rtol=1e-6), "a loss is never negative: put a minus sign in front"),
                      mistake(same_float(-np.sum(terms), rtol=1e-6), "you summed over the samples; take the mean"),
                      mistake(same_float(-np.mean(y * np.log(pc)), rtol=1e-6),
                              "the term (1 - y) log(1 - p) for the negative samples is missing")]))
    return cases


def _softmax_cases():
    rng = np.random.default_rng(30)
    inputs = [
        np.array([1.0, 2.0, 3.0]),
        rng.standard_normal((3, 4)),
        np.array([[0.5, -1.0, 2.0]]),
        np.zeros((2, 3)),
        np.array([[1e4, 0.0, -1e4], [1000.0, 1000.0, 999.0]]),
    ]
    cases = []
    for z in inputs:
        p = _softmax(z, axis=-1)
        e = np.exp(z - z.max())
        cases.append(Case(
            describe(z=z), (z,), verify=same_array(p, rtol=1e-9, atol=1e-300),
            hint=("np.exp(1e4) overflows: subtract each row's maximum first, "
                  "z - z.max(axis=-1, keepdims=True); it changes nothing mathematically"
                  if np.max(np.abs(z)) > 100 else
                  "p = exp(z) / sum(exp(z)) along the last axis (each row sums to 1)"),
            mistakes=[mistake(same_array(e / e.sum()), "normalize each row on its own: "
                              "sum along axis=-1 with keepdims=True, not over the whole array"),
                      mistake(same_array(e / e.sum(axis=0, keepdims=True)),
                              "you normalized the columns (axis=0): each ROW is one sample, use axis=-1")]))
    return cases


def _cross_entropy_cases():
    rng = np.random.default_rng(31)
    examples = [
        (rng.standard_normal((3, 4)), np.array([0, 3, 1])),
        (np.array([[2.0, 1.0, 0.1]]), np.array([0])),
        (np.zeros((2, 4)), np.array([1, 2])),
        (np.array([[1e4, 0.0], [0.0, 1e4]]), np.array([1, 1])),
        (rng.standard_normal((6, 3)) * 3.0, np.array([0, 1, 2, 2, 1, 0])),
    ]
    cases = []
    for z, y in examples:
        value = CrossEntropy().forward(z, y)
        n = z.shape[0]
        shifted = z - z.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        cases.append(Case(
            describe(logits=z, labels=y), (z, y), verify=same_float(value, rtol=1e-9),
            hint=("log(softmax(z)) gives log(0) = -inf here: compute log p directly, "
                  "log p = z - max - log(sum(exp(z - max))) (log-sum-exp)"
                  if np.max(np.abs(z)) > 100 else
                  "CE = -mean over samples of log softmax(z)[n, label_n]; return a float"),
            mistakes=[mistake(same_float(-logp[np.arange(n), y].sum()), "you summed over the samples; take the mean"),
                      mistake(same_float(logp[np.arange(n), y].mean()), "a loss is never negative: -log p, not log p"),
                      mistake(same_float(-logp.mean()), "pick each sample's TRUE class: log_p[np.arange(N), labels]")]))
    return cases


EXERCISES = [
    Exercise(LESSON, "mse", 2, _mse_cases),
    Exercise(LESSON, "binary_cross_entropy", 2, _bce_cases),
    Exercise(LESSON, "softmax", 3, _softmax_cases),
    Exercise(LESSON, "cross_entropy", 3, _cross_entropy_cases),
]

check_mse = make_check(EXERCISES[0])
check_binary_cross_entropy = make_check(EXERCISES[1])
check_softmax = make_check(EXERCISES[2])
check_cross_entropy = make_check(EXERCISES[3])
check_all = make_check_all(EXERCISES)
