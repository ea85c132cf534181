"""Checks for exercises 03 (loss): MSE, binary cross-entropy, a stable softmax, cross-entropy,
and the gradient of softmax + cross-entropy with respect to the logits."""
import numpy as np

from ..activations import softmax as _softmax
from ..gradcheck import numerical_gradient
from ..losses import MSE, BinaryCrossEntropy, CrossEntropy
from ._core import (Case, Exercise, describe, inputs_rng, make_check, make_check_all, mistake, same_array,
                    same_float, vary)

LESSON = 3


def _zeros(rng, shape):
    """An all-zero input (an edge case): of ``shape`` for the instant checks, with a fresh
    number of rows when grading."""
    return np.zeros(shape if rng is None else (int(rng.integers(2, 7)), *shape[1:]))


def _mse_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 3)
    zeros = _zeros(fresh, (4, 1))
    examples = [
        (vary(fresh, np.array([[0.5], [1.5], [-1.0], [2.0]])), vary(fresh, np.array([[1.0], [1.0], [0.0], [2.0]]))),
        (rng.standard_normal((3, 2)), rng.standard_normal((3, 2))),
        (vary(fresh, np.array([[3.0]])), vary(fresh, np.array([[1.0]]))),
        (zeros, zeros.copy()),
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


def _bce_cases(rng=None):
    # probabilities stay inside (0, 1), varied by at most 10 %; the stability tests (p exactly
    # 0 or 1, right and wrong) get a fresh number and order of samples when grading
    if rng is None:
        right = (np.array([[1.0], [0.0]]), np.array([[1.0], [0.0]]))
        wrong = (np.array([[0.0]]), np.array([[1.0]]))
    else:
        certain = rng.integers(0, 2, (int(rng.integers(2, 6)), 1)) * 1.0
        right, wrong = (certain, certain.copy()), (certain.copy(), 1.0 - certain)
    examples = [
        (vary(rng, np.array([[0.9], [0.2], [0.6], [0.4]]), 0.9, 1.1), np.array([[1.0], [0.0], [1.0], [0.0]])),
        (vary(rng, np.array([[0.7]]), 0.9, 1.1), np.array([[1.0]])),
        right,
        wrong,
        (vary(rng, np.full((3, 1), 0.5), 0.9, 1.1), np.array([[1.0], [0.0], [1.0]])),
    ]
    cases = []
    for p, y in examples:
        value = BinaryCrossEntropy().forward(p, y)
        pc = np.clip(p, 1e-12, 1 - 1e-12)
        terms = y * np.log(pc) + (1 - y) * np.log(1 - pc)
        cases.append(Case(
            describe(p=p, y=y), (p, y), verify=same_float(value, rtol=1e-6),
            warnings_fail=bool(np.any((p == 0) | (p == 1))),  # stability test: log(0) must not happen
            hint=("clip p to [eps, 1 - eps] before taking the log: log(0) is -inf"
                  if np.any((p == 0) | (p == 1)) else
                  "BCE = -mean(y log p + (1 - y) log(1 - p)); return a float"),
            mistakes=[mistake(same_float(-value, rtol=1e-6), "a loss is never negative: put a minus sign in front"),
                      mistake(same_float(-np.sum(terms), rtol=1e-6), "you summed over the samples; take the mean"),
                      mistake(same_float(-np.mean(y * np.log(pc)), rtol=1e-6),
                              "the term (1 - y) log(1 - p) for the negative samples is missing")]))
    return cases


def _softmax_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 30)
    inputs = [
        vary(fresh, np.array([1.0, 2.0, 3.0])),
        rng.standard_normal((3, 4)),
        vary(fresh, np.array([[0.5, -1.0, 2.0]])),
        _zeros(fresh, (2, 3)),
        vary(fresh, np.array([[1e4, 0.0, -1e4], [1000.0, 1000.0, 999.0]])),
    ]
    cases = []
    for z in inputs:
        p = _softmax(z, axis=-1)
        e = np.exp(z - z.max())
        cases.append(Case(
            describe(z=z), (z,), verify=same_array(p, rtol=1e-9, atol=1e-300),
            warnings_fail=bool(np.max(np.abs(z)) > 100),  # stability test: a NumPy warning fails it
            hint=("np.exp(1e4) overflows: subtract each row's maximum first, "
                  "z - z.max(axis=-1, keepdims=True); it changes nothing mathematically"
                  if np.max(np.abs(z)) > 100 else
                  "p = exp(z) / sum(exp(z)) along the last axis (each row sums to 1)"),
            mistakes=[mistake(same_array(e / e.sum()), "normalize each row on its own: "
                              "sum along axis=-1 with keepdims=True, not over the whole array"),
                      mistake(same_array(e / e.sum(axis=0, keepdims=True)),
                              "you normalized the columns (axis=0): each ROW is one sample, use axis=-1")]))
    return cases


def _cross_entropy_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 31)
    zeros = _zeros(fresh, (2, 4))
    examples = [
        (rng.standard_normal((3, 4)), np.array([0, 3, 1])),
        (vary(fresh, np.array([[2.0, 1.0, 0.1]])), np.array([0])),
        (zeros, np.array([1, 2]) if fresh is None else fresh.integers(0, 4, zeros.shape[0])),
        (vary(fresh, np.array([[1e4, 0.0], [0.0, 1e4]])), np.array([1, 1])),
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
            warnings_fail=bool(np.max(np.abs(z)) > 100),  # stability test: a NumPy warning fails it
            hint=("log(softmax(z)) gives log(0) = -inf here: compute log p directly, "
                  "log p = z - max - log(sum(exp(z - max))) (log-sum-exp)"
                  if np.max(np.abs(z)) > 100 else
                  "CE = -mean over samples of log softmax(z)[n, label_n]; return a float"),
            mistakes=[mistake(same_float(-logp[np.arange(n), y].sum()), "you summed over the samples; take the mean"),
                      mistake(same_float(logp[np.arange(n), y].mean()), "a loss is never negative: -log p, not log p"),
                      mistake(same_float(-logp.mean()), "pick each sample's TRUE class: log_p[np.arange(N), labels]")]))
    return cases


def _all_of(*verifiers):
    """The answer passes every verifier; the first failure is reported."""
    def verify(got):
        for v in verifiers:
            m = v(got)
            if m is not None:
                return m
        return None
    return verify


def _finite_difference_gradient(z, y, h=1e-6):
    """dL/dz of CrossEntropy by central differences (independent of its backward)."""
    z = z.copy()
    return numerical_gradient(lambda: CrossEntropy().forward(z, y), z, h=h)


def _ce_backward_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 32)
    zeros = _zeros(fresh, (2, 4))
    examples = [
        (rng.standard_normal((3, 4)), np.array([0, 3, 1])),
        (vary(fresh, np.array([[2.0, 1.0, 0.1]])), np.array([0])),
        (zeros, np.array([1, 2]) if fresh is None else fresh.integers(0, 4, zeros.shape[0])),
    ]
    for _ in range(2):  # fresh shapes, also checked against finite differences
        n, c = int(rng.integers(2, 8)), int(rng.integers(2, 6))
        examples.append((rng.standard_normal((n, c)) * 2.0, rng.integers(0, c, size=n)))
    examples.append((vary(fresh, np.array([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 999.0]])), np.array([1, 2])))
    cases = []
    for i, (z, y) in enumerate(examples):
        loss = CrossEntropy()
        loss.forward(z, y)
        grad = loss.backward()
        n, c = z.shape
        onehot = np.eye(c)[y]
        p = _softmax(z, axis=1)
        verify = same_array(grad, rtol=1e-9, atol=1e-15)
        if 3 <= i < 5:
            verify = _all_of(verify, same_array(_finite_difference_gradient(z, y), rtol=1e-5, atol=1e-8))
        large = np.max(np.abs(z)) > 100
        mistakes = [
            mistake(same_array((p - onehot)), "the loss is the MEAN over the N samples, so divide the "
                    "gradient by N: dL/dz = (p - onehot) / N"),
            mistake(same_array((onehot - p) / n), "the sign is flipped: dL/dz = (p - onehot) / N "
                    "(raising the true class's logit must LOWER the loss)"),
            mistake(same_array(onehot - p), "the sign is flipped (p - onehot, not onehot - p), "
                    "and divide by N: the loss is a mean"),
            mistake(same_array(p / n), "subtract the one-hot target: 1 at each sample's true class, "
                    "p[np.arange(N), labels] - 1"),
            mistake(same_array(p), "subtract the one-hot target (1 at each sample's true class) "
                    "and divide by N"),
            mistake(same_array((p - onehot) / (n * c)), "divide by the number of samples N, "
                    "not by N*C: the loss averages over samples, not over every entry"),
        ]
        if n > 1:
            mistakes.append(mistake(same_array((_softmax(z, axis=0) - onehot) / n),
                                    "softmax runs over each ROW (a sample's K classes): axis=1 "
                                    "with keepdims=True, not axis=0"))
            e = np.exp(z - z.max())
            mistakes.append(mistake(same_array((e / e.sum() - onehot) / n),
                                    "normalize each row on its own: sum along axis=1 "
                                    "with keepdims=True, not over the whole batch"))
        cases.append(Case(
            describe(logits=z, labels=y), (z, y), verify=verify,
            hint=("np.exp(1000) overflows to inf and inf/inf is nan: subtract each row's maximum "
                  "before exponentiating, z - z.max(axis=1, keepdims=True)"
                  if large else
                  "dL/dz = (softmax(z) - onehot(labels)) / N, shape (N, K): derive it for one "
                  "sample, then average over the batch"),
            mistakes=tuple(mistakes),
            warnings_fail=bool(large)))  # stability test: a NumPy warning fails it
    return cases


EXERCISES = [
    Exercise(LESSON, "mse", 2, _mse_cases),
    Exercise(LESSON, "binary_cross_entropy", 2, _bce_cases),
    Exercise(LESSON, "softmax", 3, _softmax_cases),
    Exercise(LESSON, "cross_entropy", 3, _cross_entropy_cases),
    Exercise(LESSON, "softmax_cross_entropy_backward", 3, _ce_backward_cases),
]

check_mse = make_check(EXERCISES[0])
check_binary_cross_entropy = make_check(EXERCISES[1])
check_softmax = make_check(EXERCISES[2])
check_cross_entropy = make_check(EXERCISES[3])
check_softmax_cross_entropy_backward = make_check(EXERCISES[4])
check_all = make_check_all(EXERCISES)
