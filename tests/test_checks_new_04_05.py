"""The exercises of issue 12 for lessons 04 and 05, where the learner does the learning:
dL/dx1 of the 2-2-1 network by hand, ``network_backward`` through a whole network, and
``training_loop`` with the learner's own backward pass and SGD update. The solutions pass, a
blank scores 0, and each plausible wrong answer loses points with its hint."""
import copy
import re
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_lib import checks
from course_lib.activations import sigmoid
from course_lib.checks import _call, _core, lesson04
from course_lib.gradcheck import numerical_gradient, relative_error
from course_lib.layers import Dense
from course_lib.network import Sequential
from course_lib.optimizers import SGD
from course_lib.training import train

from helpers import check_result, exercise, solution_namespace, solution_path

ROOT = Path(__file__).resolve().parent.parent
NEW = [(4, "dL_dx1", 2), (4, "network_backward", 3), (5, "training_loop", 4)]


get = exercise


def result(lesson, name, fn):
    with np.errstate(all="ignore"):
        return check_result(lesson, name, fn)


def loses_points_with(lesson, name, fn, hint):
    r = result(lesson, name, fn)
    assert not r.passed and r.points < get(lesson, name).points, r.message
    assert hint in r.message, r.message
    return r


# ------------------------------------------------------------------------------------------
# registered, stated in the notebook, solved by the solution, blank scores 0, answers hidden
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lesson, name, points", NEW)
def test_registered_stated_and_solved(lesson, name, points):
    ex = get(lesson, name)
    assert ex.points == points and ex.function == name
    assert callable(getattr(checks.load_lesson(lesson), f"check_{name}"))
    nb = nbformat.read(solution_path(lesson), as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert f"`{name}`" in text and f"({points} points)" in text
    assert f"lesson{lesson:02d}.check_{name}({name})" in text
    r = result(lesson, name, solution_namespace(lesson)[name])
    assert r.passed and r.points == points, r.message


@pytest.mark.parametrize("lesson, name, points", NEW)
def test_a_blank_scores_zero(lesson, name, points):
    def blank(*args, **kwargs):
        raise NotImplementedError()
    r = result(lesson, name, blank)
    assert r.status == "not_attempted" and r.points == 0


@pytest.mark.parametrize("lesson, name, points", NEW)
def test_no_answer_in_the_lesson_or_the_exercise_notebook(lesson, name, points):
    lesson_text = next((ROOT / "text" / "notebooks").glob(f"{lesson:02d}_*.py")).read_text()
    assert f"def {name}(" not in lesson_text
    exercise = next((ROOT / "exercises").glob(f"{lesson:02d}_*.ipynb"))
    nb = nbformat.read(exercise, as_version=4)
    cell = next(c.source for c in nb.cells if f"def {name}(" in c.source)
    body = cell.split('"""', 2)[2]
    assert body.split() == ["#", "YOUR", "CODE", "HERE", "raise", "NotImplementedError()"], cell


# ------------------------------------------------------------------------------------------
# dL_dx1: the reference is finite differences; usual wrong derivations lose points with hints
# ------------------------------------------------------------------------------------------
def _dx1(one_path=False, no_f_out=False, no_f_hidden=False, factor=-2.0, swap=False, x2_weights=False):
    def dL_dx1(h1, h2, o1, y_true, w):
        d_o = factor * (y_true - o1) * (1.0 if no_f_out else o1 * (1 - o1))
        f1 = 1.0 if no_f_hidden else h1 * (1 - h1)
        f2 = 1.0 if no_f_hidden else h2 * (1 - h2)
        w5, w6 = (w["w6"], w["w5"]) if swap else (w["w5"], w["w6"])
        a, b = (w["w2"], w["w4"]) if x2_weights else (w["w1"], w["w3"])
        return d_o * (w5 * f1 * a + (0.0 if one_path else w6 * f2 * b))
    return dL_dx1


def _f_prime(v):
    """sigma'(v), applied (wrongly) to a value that is already a sigmoid output."""
    s = float(sigmoid(v))
    return s * (1 - s)


@pytest.mark.parametrize("fn, hint", [
    (_dx1(one_path=True), "along TWO paths"),
    (_dx1(no_f_out=True), "f'(sum_o1) = o1 (1 - o1)"),
    (_dx1(no_f_hidden=True), "f'(sum_h1) = h1 (1 - h1)"),
    (_dx1(factor=-1.0), "keep the factor 2"),
    (_dx1(factor=2.0), "sign error"),
    (_dx1(swap=True), "wrong hidden unit"),
    (_dx1(x2_weights=True), "w2 and w4 multiply x2"),
    (lambda h1, h2, o1, y_true, w: -2.0 * (y_true - o1) * _f_prime(o1)
     * (w["w5"] * _f_prime(h1) * w["w1"] + w["w6"] * _f_prime(h2) * w["w3"]),
     "do not apply the sigmoid again"),
])
def test_dL_dx1_wrong_derivations_lose_points_with_their_hint(fn, hint):
    loses_points_with(4, "dL_dx1", fn, hint)


def test_dL_dx1_expected_values_are_finite_differences_of_the_network_loss():
    for case in _core.build_cases(get(4, "dL_dx1")):
        h1, h2, o1, y, w = case.args
        x1, x2 = (float(v) for v in re.search(r"x1 = (\S+), x2 = (\S+)\)", case.inputs).groups())
        hidden, output = Dense(2, 2), Dense(2, 1)
        hidden.W[:] = [[w["w1"], w["w3"]], [w["w2"], w["w4"]]]
        hidden.b[:] = [w["b1"], w["b2"]]
        output.W[:] = [[w["w5"]], [w["w6"]]]
        output.b[:] = [w["b3"]]
        from course_lib.layers import Sigmoid
        model = Sequential([hidden, Sigmoid(), output, Sigmoid()])
        x = np.array([[x1, x2]])
        grad = numerical_gradient(lambda: float((y - model.forward(x)[0, 0]) ** 2), x)
        assert case.verify(float(grad[0, 0])) is None
        assert np.allclose(model.forward(x)[0], [o1])


# ------------------------------------------------------------------------------------------
# network_backward: against Sequential.backward and finite differences; wrong chains
# ------------------------------------------------------------------------------------------
def _forward_order(layers, grad_out):
    grad = grad_out
    for layer in layers:
        grad = layer.backward(grad)
    return grad


def _not_fed(layers, grad_out):
    grad = grad_out
    for layer in reversed(layers):
        grad = layer.backward(grad_out)
    return grad


def _unchanged(layers, grad_out):
    return grad_out


def _dense_only(layers, grad_out):
    grad = grad_out
    for layer in reversed(layers):
        if isinstance(layer, Dense) or type(layer).__name__ == "GradientReport":
            grad = layer.backward(grad)
    return grad


def _by_hand(layers, grad_out):
    """Right dL/dx, but computed without Dense.backward: dW and db stay empty."""
    grad = grad_out
    for layer in reversed(layers):
        grad = grad @ layer.W.T if isinstance(layer, Dense) else layer.backward(grad)
    return grad


@pytest.mark.parametrize("fn, hint", [
    (_forward_order, "from the LAST to the first"),
    (_not_fed, "feed each layer's result to the next"),
    (_unchanged, "not grad_out unchanged"),
    (_dense_only, "activation layers have a backward pass too"),
])
def test_network_backward_wrong_chains_lose_points_with_their_hint(fn, hint):
    loses_points_with(4, "network_backward", fn, hint)


def test_network_backward_without_the_layers_backward_leaves_gradients_empty():
    r = result(4, "network_backward", _by_hand)
    assert r.n_passed == r.n_tests - 1 and not r.passed, r.message
    assert "dW and db are still zero" in r.message


def test_network_backward_cases_agree_with_finite_differences_and_cover_depths_1_to_5():
    cases = _core.build_cases(get(4, "network_backward"))
    depths = set()
    for case in cases:
        layers, grad_out = case.args
        if isinstance(layers[0], lesson04.GradientReport):
            continue
        depths.add(sum(isinstance(la, Dense) for la in layers))
        x = layers[0].x.copy()
        probe = copy.deepcopy(layers)
        numeric = numerical_gradient(lambda: float(np.sum(Sequential(probe).forward(x) * grad_out)), x)
        answer = _call.call_case(solution_namespace(4)["network_backward"], case.args)
        got = _call.decode(answer["value"])
        assert relative_error(got, numeric) < 1e-7
        assert case.verify(got) is None
    assert depths == {1, 2, 3, 5}


# ------------------------------------------------------------------------------------------
# training_loop: exact against the stated rule; learns XOR and moons; wrong loops
# ------------------------------------------------------------------------------------------
def _loop(shuffle="each", pair=True, divide=False, sign=-1.0, steps="all", stale=False,
          reset=True, record="weighted", full_batch=False):
    def training_loop(layers, X, y, loss, lr, epochs, batch_size, rng):
        n = len(X)
        bs = n if full_batch else batch_size
        history, total = [], 0.0
        fixed = rng.permutation(n) if shuffle == "once" else None
        params = [p for la in layers for p in la.parameters()] if stale else None
        for epoch in range(epochs):
            order = np.arange(n) if shuffle == "never" else fixed if shuffle == "once" else rng.permutation(n)
            if reset:
                total = 0.0
            values = []
            for start in (range(0, n, bs) if steps == "all" else [0]):
                idx = order[start:start + bs]
                out = X[idx]
                for la in layers:
                    out = la.forward(out)
                value = loss.forward(out, y[idx] if pair else y[start:start + bs])
                grad = loss.backward()
                for la in reversed(layers):
                    grad = la.backward(grad)
                for _, theta, g in (params if stale else [p for la in layers for p in la.parameters()]):
                    theta += sign * lr * g / (len(idx) if divide else 1)
                total += value * len(idx)
                values.append(value)
            history.append({"weighted": total / n, "mean": float(np.mean(values)),
                            "last": values[-1]}[record])
        return history
    return training_loop


def _in_place_shuffle(layers, X, y, loss, lr, epochs, batch_size, rng):
    rng.shuffle(X)  # changes the learner's input
    return _loop()(layers, X, y, loss, lr, epochs, batch_size, rng)


def _calls_train(layers, X, y, loss, lr, epochs, batch_size, rng):
    return train(layers, X, y, loss, SGD(lr), epochs, batch_size, seed=rng, progress=False).train_loss


@pytest.mark.parametrize("fn, hint", [
    (_loop(shuffle="never"), "shuffle every epoch"),
    (_loop(shuffle="once"), "draw a NEW permutation"),
    (_loop(pair=False), "shuffle X and y together"),
    (_loop(divide=True), "do not divide the gradient by the batch size"),
    (_loop(sign=+1.0), "step AGAINST the gradient"),
    (_loop(full_batch=True), "use mini-batches of batch_size samples"),
    (_loop(steps="first"), "go through ALL the batches"),
    (_loop(stale=True), "call layer.parameters() after each backward pass"),
    (_loop(reset=False), "start each epoch's total at 0"),
    (_loop(record="last"), "not only the last one"),
    (_loop(record="mean"), "weight each batch's loss by its size"),
    (_in_place_shuffle, "do not modify the arguments"),
])
def test_training_loop_wrong_loops_lose_points_with_their_hint(fn, hint):
    loses_points_with(5, "training_loop", fn, hint)


def test_training_loop_calling_train_does_not_pass():
    r = result(5, "training_loop", _calls_train)
    assert r.points == 0 and "TypeError" in r.message, r.message


def test_training_loop_learns_xor_and_moons_quickly_and_matches_train():
    ns = solution_namespace(5)
    cases = _core.build_cases(get(5, "training_loop"))
    names = [c.inputs.split(":")[0] for c in cases[-2:]]
    assert names == ["XOR", "moons"]
    for case in cases[-2:]:
        start = time.perf_counter()
        outcome = _call.call_case(ns["training_loop"], case.args)
        assert time.perf_counter() - start < 3.0
        assert case.verify(_call.decode(outcome["value"])) is None
    # the stated rule is train()'s loop: the same losses on a Sequential of the same layers
    layers, X, y, loss, lr, epochs, bs, rng = copy.deepcopy(cases[0].args)
    mine = ns["training_loop"](copy.deepcopy(layers), X, y, loss, lr, epochs, bs, copy.deepcopy(rng))
    history = train(Sequential(copy.deepcopy(layers)), X, y, loss, SGD(lr), epochs, bs, seed=rng, progress=False)
    assert np.allclose(mine, history.train_loss, rtol=1e-12, atol=0)
