"""Checks for exercises 08 (regularization): L2 and L1 penalties and gradients, dropout, early stopping."""
import numpy as np

from ..layers import Dropout
from ..regularization import add_penalty_gradients, l1_penalty as _l1_penalty, l2_penalty as _l2_penalty
from ..training import EarlyStopping
from ._core import (Case, Exercise, Mismatch, describe, inputs_rng, make_check, make_check_all, mistake,
                    same_array, same_bool, same_float, vary)

LESSON = 8


class _Weights:
    """A stand-in model holding weight matrices, for course_lib.regularization."""

    def __init__(self, weights):
        self.weights = [W.copy() for W in weights]
        self.grads = [np.zeros_like(W) for W in weights]

    def parameters(self):
        return [(f"layers[{i}].W", W, g) for i, (W, g) in enumerate(zip(self.weights, self.grads))]


def _l2_penalty_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 8)
    examples = [
        ([vary(fresh, np.array([[1.0, -2.0], [3.0, 0.5]]))], vary(fresh, 0.1)),
        ([rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal((2, 1))], 0.01),
        ([rng.standard_normal((2, 2))], 0.0),
        ([np.zeros((3, 3)), vary(fresh, np.array([[2.0]]))], 1.0),
    ]
    cases = []
    for weights, lam in examples:
        value = _l2_penalty(_Weights(weights), lam)
        total = sum(float(np.sum(W * W)) for W in weights)
        cases.append(Case(
            describe(weights=weights, lam=lam), (weights, lam), verify=same_float(value, atol=1e-15),
            hint="penalty = lam / 2 * (sum of W**2 over every matrix in the list); return a float",
            mistakes=[mistake(same_float(lam * total), "the L2 penalty has a factor 1/2: lam / 2 * sum W^2"),
                      mistake(same_float(0.5 * lam * float(np.sum(weights[0] ** 2))),
                              "add up the squares of EVERY weight matrix in the list, not only the first"),
                      mistake(same_float(0.5 * lam * sum(np.sqrt(np.sum(W * W)) for W in weights)),
                              "square the weights: sum of W**2, not the norm")]))
    return cases


def _l2_gradient_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 80)
    examples = [
        (vary(fresh, np.array([[1.0, -2.0], [3.0, 0.5]])), vary(fresh, 0.1)),
        (rng.standard_normal((3, 4)), 0.01),
        (np.zeros((2, 2)), 0.5),
        (vary(fresh, np.array([[4.0]])), 1e-3),
    ]
    cases = []
    for W, lam in examples:
        model = _Weights([W])
        add_penalty_gradients(model, l2=lam)
        grad = model.grads[0]
        cases.append(Case(
            describe(W=W, lam=lam), (W, lam), verify=same_array(grad),
            hint="d/dW (lam/2 sum W^2) = lam * W",
            mistakes=[mistake(same_array(2 * lam * W), "the 1/2 in the penalty cancels the 2 from the square: lam * W"),
                      mistake(same_array(-lam * W), "the sign is wrong: the gradient is +lam * W "
                                                    "(the optimizer subtracts it)"),
                      mistake(same_array(lam * W / 2), "the derivative of W^2 is 2W: lam/2 * 2W = lam * W")]))
    return cases


def _l1_penalty_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 83)
    examples = [
        ([vary(fresh, np.array([[1.0, -2.0], [3.0, 0.5]]))], vary(fresh, 0.1)),
        ([rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal((2, 1))], 0.01),
        ([np.zeros((3, 3)), vary(fresh, np.array([[-2.0]]))], 1.0),
        ([rng.standard_normal((4, 3)) * 5.0, rng.standard_normal((3, 1))], 0.05),
        ([rng.standard_normal((2, 2))], 0.0),
    ]
    cases = []
    for weights, lam in examples:
        value = _l1_penalty(_Weights(weights), lam)
        abs_sum = sum(float(np.sum(np.abs(W))) for W in weights)
        squares = sum(float(np.sum(W * W)) for W in weights)
        entries = sum(W.size for W in weights)
        cases.append(Case(
            describe(weights=weights, lam=lam), (weights, lam), verify=same_float(value, atol=1e-15),
            hint="penalty = lam * (sum of |W| over every entry of every matrix in the list); return a float",
            mistakes=[mistake(same_float(lam * squares), "that is the L2 penalty: L1 adds up the absolute "
                              "values |W|, not the squares"),
                      mistake(same_float(0.5 * lam * squares), "that is the L2 penalty: L1 adds up the "
                              "absolute values |W|, not the squares"),
                      mistake(same_float(abs_sum), "multiply the sum by the strength lam"),
                      mistake(same_float(lam * float(np.sum(np.abs(weights[0])))),
                              "add up the absolute values of EVERY weight matrix in the list, not only the first"),
                      mistake(same_float(lam * sum(float(np.sum(W)) for W in weights)),
                              "take the absolute value first: a negative weight adds |W|, it does not cancel "
                              "a positive one"),
                      mistake(same_float(lam * abs_sum / entries), "the penalty is a SUM over the weights, "
                              "not a mean"),
                      mistake(same_float(lam * sum(float(np.mean(np.abs(W))) for W in weights)),
                              "the penalty is a SUM over the weights, not a mean per matrix"),
                      mistake(same_float(0.5 * lam * abs_sum), "L1 has no factor 1/2 (that belongs to L2, "
                              "where it cancels the 2 of the square): lam * sum |W|")]))
    return cases


def _l1_gradient_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 84)
    examples = [
        (vary(fresh, np.array([[1.0, -2.0], [3.0, 0.5]])), vary(fresh, 0.1)),
        (rng.standard_normal((3, 4)), 0.01),
        (vary(fresh, np.array([[0.0, 2.0, -3.0], [0.0, -0.5, 0.0]])), 0.5),
        (np.zeros((2, 2)), 0.5),
        (vary(fresh, np.array([[4.0]])), 1e-3),
    ]
    cases = []
    for W, lam in examples:
        model = _Weights([W])
        add_penalty_gradients(model, l1=lam)
        grad = model.grads[0]
        zeros = bool(np.any(W == 0))
        cases.append(Case(
            describe(W=W, lam=lam), (W, lam), verify=same_array(grad),
            hint=("|W| has no derivative at W = 0; the convention (course_lib's, and np.sign's) is the "
                  "subgradient 0 there, so a weight that is exactly 0 gets gradient 0"
                  if zeros else
                  "d/dW (lam * sum |W|) = lam * sign(W): +lam where W > 0, -lam where W < 0"),
            mistakes=[mistake(same_array(lam * W), "that is the L2 gradient: the derivative of |W| is "
                              "sign(W), which does not grow with W"),
                      mistake(same_array(np.sign(W)), "multiply by the strength lam"),
                      mistake(same_array(-lam * np.sign(W)), "the sign is wrong: the gradient is +lam * sign(W) "
                              "(the optimizer subtracts it)"),
                      mistake(same_array(lam * np.abs(W)), "differentiate |W|: its derivative is sign(W), "
                              "not |W|"),
                      mistake(same_array(np.where(W >= 0, lam, -lam)),
                              "at W == 0 the subgradient is 0 by convention (course_lib uses np.sign, and "
                              "np.sign(0) is 0), not +lam"),
                      mistake(same_array(np.where(W > 0, lam, -lam)),
                              "at W == 0 the subgradient is 0 by convention (course_lib uses np.sign, and "
                              "np.sign(0) is 0), not -lam")]))
    return cases


def _dropout_verify(x, p):
    keep = 1.0 - p

    def verify(answer):
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            return Mismatch("wrong type", "a tuple (out, mask)", type(answer).__name__)
        out, mask = answer
        for name, a in (("out", out), ("mask", mask)):
            if not isinstance(a, np.ndarray) or a.shape != x.shape:
                got = f"shape {a.shape}" if isinstance(a, np.ndarray) else type(a).__name__
                return Mismatch(f"{name}: wrong shape", f"an array of shape {x.shape}", got)
            if a.dtype != np.float64:
                return Mismatch(f"{name}: wrong dtype", "float64", str(a.dtype))
        bad = ~(np.isclose(mask, 0.0) | np.isclose(mask, 1.0 / keep))
        if np.any(bad):
            return Mismatch("mask: wrong values", f"only 0 and 1/(1-p) = {1 / keep:g}",
                            f"values such as {np.unique(mask[bad])[:4].tolist()}")
        if not np.allclose(out, x * mask, rtol=1e-12, atol=0):
            return Mismatch("out: wrong values", "out = x * mask", "something else")
        if mask.size >= 1000:
            dropped = float(np.mean(np.isclose(mask, 0.0)))
            if abs(dropped - p) > 0.03:
                return Mismatch("wrong drop rate", f"about {100 * p:g}% of the units dropped",
                                f"{100 * dropped:.1f}% dropped")
        return None
    return verify


def _unscaled(x, p):
    def verify(answer):
        if isinstance(answer, (tuple, list)) and len(answer) == 2 and isinstance(answer[1], np.ndarray) and p > 0:
            m = answer[1]
            if np.all(np.isclose(m, 0) | np.isclose(m, 1)) and np.any(np.isclose(m, 0)):
                return None
        return Mismatch("", "", "")
    return verify


def _swapped(x, p):
    def verify(answer):
        if isinstance(answer, (tuple, list)) and len(answer) == 2 and isinstance(answer[1], np.ndarray):
            m = answer[1]
            if m.size >= 1000 and abs(float(np.mean(np.isclose(m, 0.0))) - (1 - p)) < 0.03 and abs(p - 0.5) > 0.05:
                return None
        return Mismatch("", "", "")
    return verify


def _dropout_forward_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 81)
    examples = [
        (rng.standard_normal((200, 100)), 0.5, 1),
        (rng.standard_normal((1, 5000)), 0.2, 2),
        (rng.standard_normal((3, 4)), 0.0, 3),
        (np.zeros((40, 50)), 0.3, 4),
    ]
    if fresh is not None:   # fresh seeds for the masks too
        examples = [(x, p, int(fresh.integers(0, 10**6))) for x, p, _ in examples]
    cases = []
    for x, p, seed in examples:
        cases.append(Case(
            describe(x=x, p=p, rng=f"np.random.default_rng({seed})"), (x, p, np.random.default_rng(seed)),
            verify=_dropout_verify(x, p),
            hint="mask = (rng.random(x.shape) >= p) / (1 - p); out = x * mask; return (out, mask)",
            mistakes=[mistake(_unscaled(x, p), "inverted dropout scales the kept units by 1/(1-p), "
                                               "so the expected output stays x"),
                      mistake(_swapped(x, p), "p is the probability to DROP a unit; keep with probability 1 - p")],
            watch=(0,)))
    return cases


def _dropout_backward_cases(rng=None):
    rng = inputs_rng(rng, 82)
    cases = []
    for shape, p in (((4, 3), 0.5), ((1, 6), 0.25), ((5, 2), 0.0)):
        layer = Dropout(p, rng=int(rng.integers(1000)))
        layer.forward(np.ones(shape))
        mask = layer.mask if layer.mask is not None else np.ones(shape)
        grad_out = rng.standard_normal(shape)
        expected = layer.backward(grad_out)
        cases.append(Case(
            describe(grad_out=grad_out, mask=mask), (grad_out, mask), verify=same_array(expected),
            hint="the gradient flows only through the kept units, scaled as in forward: grad_out * mask",
            mistakes=[mistake(same_array(grad_out), "dropped units pass no gradient: multiply by the mask"),
                      mistake(same_array(mask), "multiply the mask by grad_out (the chain rule)")]))
    return cases


def _should_stop_reference(losses, patience, min_delta):
    es = EarlyStopping(patience=patience, min_delta=min_delta, restore_best=False)
    for epoch, value in enumerate(losses):
        es.update(epoch, value)
    return es.wait >= patience


def _should_stop_cases(rng=None):
    scale = vary(rng, 1.0)   # every loss and min_delta times one factor: the same decisions, new numbers
    examples = [
        ([], 3, 0.0),
        ([1.0, 0.9, 0.8, 0.7], 2, 0.0),
        ([1.0, 0.8, 0.85, 0.9], 2, 0.0),
        ([1.0, 0.8, 0.85], 2, 0.0),
        ([1.0, 0.5, 0.6, 0.55, 0.58, 0.57], 3, 0.0),
        ([1.0, 0.8, 0.85, 0.9, 0.79], 2, 0.0),
        ([1.0, 0.99, 0.985, 0.98], 2, 0.05),
        ([0.5, 0.5, 0.5], 2, 0.0),
    ]
    examples = [([scale * v for v in losses], patience, scale * min_delta) for losses, patience, min_delta in examples]
    cases = []
    for losses, patience, min_delta in examples:
        expected = _should_stop_reference(losses, patience, min_delta)
        mistakes = []
        if expected and not _should_stop_reference(losses, patience + 1, min_delta):
            mistakes.append(mistake(same_bool(False), "off by one: stop as soon as the best loss is "
                                    "`patience` epochs old (>=), not only when it is older"))
        if not expected and patience > 1 and _should_stop_reference(losses, patience - 1, min_delta):
            mistakes.append(mistake(same_bool(True), "off by one: the epoch of the best loss itself "
                                    "does not count; stop when `patience` epochs came AFTER it"))
        cases.append(Case(
            describe(val_losses=losses, patience=patience, min_delta=min_delta), (losses, patience),
            {"min_delta": min_delta}, verify=same_bool(expected),
            hint="track the best loss so far; an epoch improves only if loss < best - min_delta; "
                 "stop when the last improvement is `patience` or more epochs ago (compare with the BEST, "
                 "not with the previous epoch)",
            mistakes=tuple(mistakes)))
    return cases


EXERCISES = [
    Exercise(LESSON, "l2_penalty", 2, _l2_penalty_cases),
    Exercise(LESSON, "l2_gradient", 1, _l2_gradient_cases),
    Exercise(LESSON, "l1_penalty", 2, _l1_penalty_cases),
    Exercise(LESSON, "l1_gradient", 2, _l1_gradient_cases),
    Exercise(LESSON, "dropout_forward", 2, _dropout_forward_cases),
    Exercise(LESSON, "dropout_backward", 1, _dropout_backward_cases),
    Exercise(LESSON, "should_stop", 2, _should_stop_cases),
]

check_l2_penalty = make_check(EXERCISES[0])
check_l2_gradient = make_check(EXERCISES[1])
check_l1_penalty = make_check(EXERCISES[2])
check_l1_gradient = make_check(EXERCISES[3])
check_dropout_forward = make_check(EXERCISES[4])
check_dropout_backward = make_check(EXERCISES[5])
check_should_stop = make_check(EXERCISES[6])
check_all = make_check_all(EXERCISES)
