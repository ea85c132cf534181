"""The checks, called directly in this process (fast): solutions pass, wrong answers fail usefully."""
import re
from pathlib import Path
import subprocess
import sys
import time

import nbformat
import numpy as np
import pytest

from course_lib import checks
from course_lib.checks import _call, _core

from helpers import SOLUTION_LESSONS, check_result, exercise, load_module, solution_namespace, solution_path

LESSONS = SOLUTION_LESSONS  # 01-08 and the capstone, 10


get, result = exercise, check_result


# ------------------------------------------------------------------------------------------
# every solution passes every check; each lesson has 3-6 exercises
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lesson", LESSONS)
def test_solutions_pass_every_check(lesson):
    ns = solution_namespace(lesson)
    exercises = checks.exercises(lesson)
    assert 3 <= len(exercises) <= 7
    for ex in exercises:
        r = _core.run(ex, ns[ex.function], quiet=True)
        assert r.passed, r.message
        assert r.points == ex.points > 0
        assert r.message == f"✔ {ex.name}: all {r.n_tests} tests passed" or r.n_tests == 1


def test_passing_check_prints_one_line(capsys):
    from course_lib.checks import lesson01
    lesson01.check_sigmoid(solution_namespace(1)["sigmoid"])
    out = capsys.readouterr().out
    assert out == "✔ sigmoid: all 6 tests passed\n"


def test_required_exercises_exist():
    names = {n: {ex.function for ex in checks.exercises(n)} for n in LESSONS}
    assert {"sigmoid", "neuron_output"} <= names[1]
    assert {"dense_forward", "network_forward"} <= names[2]
    assert {"mse", "binary_cross_entropy", "softmax", "cross_entropy"} <= names[3]
    assert {"sigmoid_backward", "dense_backward", "numerical_gradient"} <= names[4]
    assert {"sgd_update", "momentum_update", "adam_update", "minibatches"} <= names[5]
    assert {"tanh_derivative", "relu_derivative", "leaky_relu_derivative", "elu_derivative"} <= names[6]
    assert {"xavier_init", "he_init", "gradient_norms"} <= names[7]
    assert {"l2_penalty", "l2_gradient", "dropout_forward", "dropout_backward", "should_stop"} <= names[8]


@pytest.mark.parametrize("lesson", LESSONS)
def test_points_in_notebook_match_the_checks(lesson):
    nb = nbformat.read(solution_path(lesson), as_version=4)
    stated = {}
    for c in nb.cells:
        m = re.match(r"## Exercise \d+: `(\w+)` \((\d+) points?\)", c.source) if c.cell_type == "markdown" else None
        if m:
            stated[m.group(1)] = int(m.group(2))
    assert stated == {ex.function: ex.points for ex in checks.exercises(lesson)}
    assert nb.metadata["course"]["lesson"] == lesson


# ------------------------------------------------------------------------------------------
# plausible wrong answers lose the points, with a useful message
# ------------------------------------------------------------------------------------------
def _naive_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def _where_sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


def _stable_sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _softmax_unstable(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_whole(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def _ce_naive(z, y):
    p = _softmax_unstable(z)
    return float(-np.mean(np.log(p[np.arange(len(y)), y])))


def _ce_sum(z, y):
    s = z - z.max(axis=1, keepdims=True)
    lp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return float(-np.sum(lp[np.arange(len(y)), y]))


# exercise 04's numerical_gradient(f, x, h) follows course_lib.gradcheck: f() reads x in place
def _numgrad_forward(f, x, h=1e-5):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        f0 = f()
        x[i] = old + h
        g[i] = (f() - f0) / h
        x[i] = old
    return g


def _numgrad_no_restore(f, x, h=1e-5):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f()
        x[i] = old - h
        fm = f()
        g[i] = (fp - fm) / (2 * h)
    return g


def _numgrad_half(f, x, h=1e-5):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f()
        x[i] = old - h
        fm = f()
        x[i] = old
        g[i] = (fp - fm) / h
    return g


def _numgrad_calls_f_with_x(f, x, h=1e-5):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        g[i] = (f(xp) - f(xm)) / (2 * h)
    return g


def _adam(bias_correction=True, eps_inside=False):
    def adam_update(theta, grad, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        mh, vh = (m / (1 - beta1**t), v / (1 - beta2**t)) if bias_correction else (m, v)
        step = mh / np.sqrt(vh + eps) if eps_inside else mh / (np.sqrt(vh) + eps)
        return theta - lr * step, m, v
    return adam_update


def _batches(drop_last=False, shuffle_ok=True):
    def minibatches(X, y, batch_size, shuffle=True, seed=0):
        n = len(X)
        order = np.random.default_rng(seed).permutation(n) if (shuffle and shuffle_ok) else np.arange(n)
        stop = n - n % batch_size if drop_last else n
        for s in range(0, stop, batch_size):
            idx = order[s:s + batch_size]
            yield X[idx], y[idx]
    return minibatches


def _stop(compare_last=False, strict=False):
    def should_stop(losses, patience, min_delta=0.0):
        best, since, prev = np.inf, 0, np.inf
        for v in losses:
            ref = prev if compare_last else best
            if v < ref - min_delta:
                since = 0
            else:
                since += 1
            best, prev = min(best, v), v
        return since > patience if strict else since >= patience
    return should_stop


def _grad_norms(what="dW", reverse=False):
    from course_lib import MSE
    from course_lib.layers import Dense

    def gradient_norms(model, X, y):
        loss = MSE()
        loss.forward(model.forward(X), y)
        model.backward(loss.backward())
        norms = [np.linalg.norm(getattr(layer, what)) for layer in model.layers if isinstance(layer, Dense)]
        return np.array(norms[::-1] if reverse else norms)
    return gradient_norms


WRONG = [
    # (lesson, exercise, wrong function, fragments the feedback must contain)
    (1, "weighted_sum", lambda x, w, b: x @ w, ["expected: 7.0", "got:      3.0", "left out the bias"]),
    (1, "weighted_sum", lambda x, w, b: x * w + b, ["wrong shape", "use x @ w"]),
    (1, "sigmoid", _naive_sigmoid, ["numerical problem", "overflow encountered in exp", "np.exp(-np.abs(z))"]),
    (1, "sigmoid", _where_sigmoid, ["overflow", "np.where evaluates both branches"]),
    (1, "sigmoid", lambda z: 1 / (1 + np.exp(np.asarray(z, float))), ["sign in the exponent"]),
    (1, "neuron_output", lambda x, w, b: x @ w + b, ["returned the weighted sum"]),
    (1, "neuron_output", lambda x, w, b: _stable_sigmoid(x @ w), ["left out the bias"]),
    (1, "and_not_gate", lambda: (np.array([1.0, 1.0]), -1.5), ["AND gate", "negative weight"]),
    (1, "and_not_gate", lambda: (np.array([-1.0, 1.0]), -0.5), ["x2 AND NOT x1", "swap"]),
    (1, "and_not_gate", lambda: (np.array([1.0, 0.0]), -0.5), ["ignores x2"]),
    (1, "and_not_gate", lambda: (np.array([1.0, -1.0]), 0.5), ["fire for (0, 0)"]),
    (1, "and_not_gate", lambda: (np.array([1.0, 1.0]), -0.5), ["wrong decisions"]),
    (1, "and_not_gate", lambda: np.array([1.0, 1.0]), ["a tuple (w, b)"]),
    (2, "dense_forward", lambda X, W, b: X @ W, ["left out the bias"]),
    (2, "dense_forward", lambda X, W, b: X @ W.T + b, ["ValueError", "X has shape"]),
    (2, "dense_forward", lambda X, W, b: _stable_sigmoid(X @ W + b), ["no activation"]),
    (2, "network_forward", lambda X, Ws, bs: _stable_sigmoid(X @ Ws[0] + bs[0]), ["wrong shape"]),
    (2, "network_forward",
     lambda X, Ws, bs: (lambda a: a @ Ws[-1] + bs[-1])(
         X if len(Ws) == 1 else _stable_sigmoid(X @ Ws[0] + bs[0]) if len(Ws) == 2 else
         _stable_sigmoid(_stable_sigmoid(X @ Ws[0] + bs[0]) @ Ws[1] + bs[1])),
     ["apply the sigmoid after the last layer too"]),
    (2, "n_parameters", lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])), ["not the biases"]),
    (2, "n_parameters", lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])) + sum(s), ["input layer has no biases"]),
    (2, "n_parameters", lambda s: float(sum(a * b + b for a, b in zip(s[:-1], s[1:]))), ["wrong type", "an integer"]),
    (2, "xnor_network", lambda: ([np.array([[1.0], [1.0]])], [np.array([-0.5])]), ["wrong decisions"]),
    (2, "xnor_network", lambda: ([np.ones((3, 2))], [np.zeros(2)]), ["wrong shape"]),
    (2, "xnor_network", lambda: ([np.array([[20.0, -20.0], [20.0, -20.0]]), np.array([[20.0], [20.0]])],
                                 [np.array([-10.0, 30.0]), np.array([-30.0])]), ["computes XOR", "output unit"]),
    (2, "xnor_network", lambda: ([np.array([[1.0], [1.0]])], [np.array([-1.5])]), ["computes AND", "00"]),
    (2, "xnor_network", lambda: ([np.array([[-1.0], [-1.0]])], [np.array([0.5])]), ["computes NOR", "11"]),
    (3, "mse", lambda p, y: float(np.sum((p - y) ** 2)), ["summed the squared errors"]),
    (3, "mse", lambda p, y: float(np.mean(np.abs(p - y))), ["mean absolute error"]),
    (3, "mse", lambda p, y: float(np.sum((p - y) ** 2) / len(p)), ["N*K"]),
    (3, "mse", lambda p, y: np.mean((p - y) ** 2, axis=0), ["wrong type", "one number"]),
    (3, "binary_cross_entropy", lambda p, y, eps=1e-12: float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))),
     ["divide by zero", "clip p"]),
    (3, "binary_cross_entropy",
     lambda p, y, eps=1e-12: float(np.mean(y * np.log(np.clip(p, eps, 1 - eps)) + (1 - y) * np.log(1 - np.clip(p, eps, 1 - eps)))),
     ["minus sign"]),
    (3, "binary_cross_entropy", lambda p, y, eps=1e-12: float(-np.mean(y * np.log(np.clip(p, eps, 1 - eps)))),
     ["(1 - y) log(1 - p)"]),
    (3, "softmax", _softmax_unstable, ["overflow", "subtract each row's maximum"]),
    (3, "softmax", _softmax_whole, ["normalize each row"]),
    (3, "cross_entropy", _ce_naive, ["numerical problem", "log-sum-exp"]),
    (3, "cross_entropy", _ce_sum, ["summed over the samples"]),
    (4, "sigmoid_backward", lambda g, out: out * (1 - out), ["multiply by grad_out"]),
    (4, "sigmoid_backward", lambda g, out: g * _stable_sigmoid(out) * (1 - _stable_sigmoid(out)), ["already sigmoid(z)"]),
    (4, "dense_backward", lambda G, X, W: (G @ W.T, X.T @ G, G.mean(axis=0)), ["db: wrong values", "sums grad_out"]),
    (4, "dense_backward", lambda G, X, W: (G @ W.T, X.T @ G / len(X), G.sum(axis=0) / len(X)), ["do not divide by N"]),
    (4, "dense_backward", lambda G, X, W: (G @ W.T, X.T @ G), ["a tuple of 3 items"]),
    (4, "numerical_gradient", _numgrad_forward, ["central difference"]),
    (4, "numerical_gradient", _numgrad_no_restore, ["changed its input", "argument 2"]),
    (4, "numerical_gradient", _numgrad_half, ["divide by 2h"]),
    (4, "numerical_gradient", _numgrad_calls_f_with_x, ["TypeError", "f takes no arguments", "call f(), not f(x)"]),
    (4, "relative_error", lambda a, n: float(np.max(np.abs(a - n))), ["must be relative"]),
    (4, "relative_error", lambda a, n: float(np.max(np.abs(a - n)) / np.max(np.abs(a) + np.abs(n))),
     ["0/0 must give 0"]),
    (5, "sgd_update", lambda t, g, lr: t + lr * g, ["AGAINST the gradient"]),
    (5, "sgd_update", lambda t, g, lr: t - g, ["learning rate"]),
    (5, "momentum_update", lambda t, g, v, lr, beta=0.9: (t - lr * (beta * v + (1 - beta) * g), beta * v + (1 - beta) * g),
     ["PyTorch's form"]),
    (5, "momentum_update", lambda t, g, v, lr, beta=0.9: (t - lr * v, beta * v + g), ["NEW velocity"]),
    (5, "adam_update", _adam(bias_correction=False), ["correct the bias"]),
    (5, "adam_update", _adam(eps_inside=True), ["outside the square root"]),
    (5, "minibatches", _batches(drop_last=True), ["keep the last, smaller batch"]),
    (5, "minibatches", _batches(shuffle_ok=False), ["permutation(n)"]),
    (6, "tanh_derivative", lambda z: 1 / np.cosh(z) ** 2, ["overflow", "np.tanh"]),
    (6, "tanh_derivative", lambda z: 1 - np.tanh(z), ["square the tanh"]),
    (6, "tanh_derivative", np.tanh, ["the activation itself"]),
    (6, "relu_derivative", lambda z: (z >= 0).astype(float), ["z > 0, not z >= 0"]),
    (6, "relu_derivative", lambda z: z > 0, ["wrong dtype", "astype(float)"]),
    (6, "leaky_relu_derivative", lambda z, alpha=0.01: (z > 0).astype(float), ["slope alpha"]),
    (6, "leaky_relu_derivative", lambda z, alpha=0.01: np.where(z > 0, 1.0, 0.01), ["alpha argument"]),
    (6, "elu_derivative", lambda z, alpha=1.0: np.where(z > 0, 1.0, alpha * np.exp(z)), ["overflow", "np.minimum"]),
    (6, "elu_derivative", lambda z, alpha=1.0: np.where(z > 0, 1.0, np.exp(np.minimum(z, 0)) - 1), ["drop the -1"]),
    (7, "xavier_init", lambda a, b, rng: rng.normal(0, 2 / (a + b), (a, b)), ["wrong spread", "SQUARE ROOT"]),
    (7, "xavier_init", lambda a, b, rng: rng.normal(0, np.sqrt(2 / a), (a, b)), ["He initialization"]),
    (7, "xavier_init", lambda a, b, rng: np.random.default_rng().normal(0, np.sqrt(2 / (a + b)), (a, b)),
     ["rng you are given"]),
    (7, "xavier_init", lambda a, b, rng: rng.normal(0, np.sqrt(2 / (a + b)), (b, a)), ["wrong shape"]),
    (7, "he_init", lambda a, b, rng: rng.normal(0, np.sqrt(1 / a), (a, b)), ["doubles the variance"]),
    (7, "he_init", lambda a, b, rng: rng.uniform(-np.sqrt(6 / a), np.sqrt(6 / a), (a, b)), ["not normal"]),
    (7, "gradient_norms", _grad_norms(what="W"), ["norms of the weights W"]),
    (7, "gradient_norms", _grad_norms(reverse=True), ["from the first"]),
    (8, "l2_penalty", lambda Ws, lam: lam * float(sum(np.sum(W**2) for W in Ws)), ["factor 1/2"]),
    (8, "l2_penalty", lambda Ws, lam: 0.5 * lam * float(np.sum(Ws[0] ** 2)), ["EVERY weight matrix"]),
    (8, "l2_gradient", lambda W, lam: 2 * lam * W, ["cancels the 2"]),
    (8, "l2_gradient", lambda W, lam: -lam * W, ["sign is wrong"]),
    (8, "dropout_forward", lambda x, p, rng: (lambda m: (x * m, m))((rng.random(x.shape) >= p).astype(float)),
     ["1/(1-p)"]),
    (8, "dropout_forward", lambda x, p, rng: (lambda m: (x * m, m))((rng.random(x.shape) < p) / (1 - p)),
     ["probability to DROP"]),
    (8, "dropout_backward", lambda g, m: g, ["multiply by the mask"]),
    (8, "dropout_backward", lambda g, m: m, ["chain rule"]),
    (8, "should_stop", _stop(compare_last=True), ["compare with the BEST"]),
    (8, "should_stop", _stop(strict=True), ["off by one"]),
]


@pytest.mark.parametrize("lesson, name, fn, fragments", WRONG,
                         ids=[f"{w[0]:02d}-{w[1]}-{i}" for i, w in enumerate(WRONG)])
def test_wrong_answer_loses_points_with_a_useful_message(lesson, name, fn, fragments):
    with np.errstate(all="ignore"):
        r = result(lesson, name, fn)
    assert not r.passed and r.points < get(lesson, name).points
    assert r.points == _core.partial_points(get(lesson, name).points, r.n_passed, r.n_tests)
    assert re.match(rf"✘ {name}: {r.n_passed} of {r.n_tests} passed; test \d+ failed: ", r.message), r.message
    assert "input:" in r.message
    for fragment in fragments:
        assert fragment in r.message, r.message


def _wrong_answers_in_other_files():
    """(lesson, exercise) -> number of wrong answers tested in tests/test_checks_new_*.py."""
    counts = {}

    def module(name):
        return load_module(Path(__file__).parent / f"{name}.py")

    for lesson, name, *_ in module("test_checks_new_03_08").WRONG:
        counts[(lesson, name)] = counts.get((lesson, name), 0) + 1
    for name, *_ in module("test_checks_new_09_10").WRONG:
        counts[(9, name)] = counts.get((9, name), 0) + 1
    for lesson, name, *_ in module("test_checks_11").WRONG:
        counts[(lesson, name)] = counts.get((lesson, name), 0) + 1
    new_04_05 = module("test_checks_new_04_05")
    for lesson, name, test in [(4, "dL_dx1", "test_dL_dx1_wrong_derivations_lose_points_with_their_hint"),
                               (4, "network_backward", "test_network_backward_wrong_chains_lose_points_with_their_hint"),
                               (5, "training_loop", "test_training_loop_wrong_loops_lose_points_with_their_hint")]:
        [mark] = [m for m in getattr(new_04_05, test).pytestmark if m.name == "parametrize"]
        counts[(lesson, name)] = len(mark.args[1])
    return counts


def test_every_exercise_has_at_least_two_wrong_answers_tested():
    counts = _wrong_answers_in_other_files()
    for lesson, name, _, _ in WRONG:
        counts[(lesson, name)] = counts.get((lesson, name), 0) + 1
    for lesson in LESSONS:
        if lesson == 10:
            continue  # the capstone's wrong answers are in tests/test_checks_lesson10.py
        for ex in checks.exercises(lesson):
            assert counts.get((lesson, ex.name), 0) >= 2, ex.name


# ------------------------------------------------------------------------------------------
# how failures read
# ------------------------------------------------------------------------------------------
def test_failure_names_input_expected_got_and_hint_but_not_the_reference():
    r = result(3, "mse", lambda p, y: float(np.sum((p - y) ** 2)))
    lines = r.message.splitlines()
    assert lines[0] == "✘ mse: 2 of 5 passed; test 1 failed: wrong value"
    assert lines[1].strip().startswith("input:    y_pred = array(")
    assert lines[2].strip() == "expected: 0.375"
    assert lines[3].strip() == "got:      1.5"
    assert lines[4].strip().startswith("hint:     you summed the squared errors")
    assert "def " not in r.message and "return" not in r.message


def test_not_implemented_is_not_attempted(capsys):
    from course_lib.checks import lesson03

    def softmax(z):
        raise NotImplementedError()
    lesson03.check_softmax(softmax)
    out = capsys.readouterr().out
    assert out.startswith("… softmax: not attempted yet")
    r = result(3, "softmax", softmax)
    assert r.status == "not_attempted" and r.points == 0


def test_an_exception_is_reported_by_type_and_message_not_a_traceback():
    def mse(y_pred, y_true):
        return y_pred.mean() / undefined_name  # noqa: F821
    r = result(3, "mse", mse)
    assert "NameError: name 'undefined_name' is not defined" in r.message
    assert "line" in r.message and "Traceback" not in r.message
    assert len(r.message.splitlines()) <= 6


def test_a_function_that_changes_its_input_fails():
    def sgd_update(theta, grad, lr):
        theta -= lr * grad
        return theta
    r = result(5, "sgd_update", sgd_update)
    assert not r.passed
    assert "changed its input (argument 1) in place" in r.message


def test_an_endless_loop_is_stopped():
    def relu_derivative(z):
        while True:
            pass
    start = time.monotonic()
    r = result(6, "relu_derivative", relu_derivative, seconds=0.3)
    assert time.monotonic() - start < 3
    assert r.status == "timeout" and "no answer after 0.3 s" in r.message


@pytest.mark.skipif(
    sys.version_info < (3, 11),
    reason="Python 3.10 does not run signal handlers just before a SETUP_FINALLY opcode, so a "
           "`while True: try: ... except Exception: ...` loop cannot be interrupted in-process; "
           "the grader's per-cell and per-notebook kernel timeouts still stop it")
def test_a_loop_that_swallows_exceptions_is_still_stopped():
    def relu_derivative(z):
        while True:
            try:
                pass
            except Exception:
                pass
    r = result(6, "relu_derivative", relu_derivative, seconds=0.3)
    assert r.status == "timeout"


def test_system_exit_and_wrong_return_types_are_reported():
    assert "SystemExit" in result(6, "tanh_derivative", lambda z: sys.exit(3)).message
    r = result(6, "tanh_derivative", lambda z: (x for x in z))
    assert "wrong type" in r.message and "generator" in r.message
    r = result(3, "mse", lambda p, y: "0.5")
    assert "wrong type" in r.message and "str" in r.message
    r = result(6, "tanh_derivative", lambda z: list(1 - np.tanh(z) ** 2))
    assert "a NumPy array" in r.message


def test_not_callable_and_missing_functions():
    r = _core.run(get(1, "sigmoid"), 3.0, quiet=True)
    assert r.status == "missing" and "not a function" in r.summary
    rec = {"exercise": "sigmoid", "missing": True, "names": ["sigmoid2", "np"]}
    r = _core.evaluate(get(1, "sigmoid"), _core.build_cases(get(1, "sigmoid")), rec)
    assert r.status == "missing" and "did you rename it to 'sigmoid2'" in r.summary


def test_checks_are_not_fooled_by_a_learner_patching_numpy(monkeypatch):
    # the judging side decodes answers and compares them itself
    r = result(3, "mse", lambda p, y: 0.0)
    assert not r.passed


def test_check_all_prints_every_exercise_and_the_score(capsys):
    from course_lib.checks import lesson06
    ns = solution_namespace(6)
    del ns["elu_derivative"]
    lesson06.check_all(ns)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("✔ tanh_derivative")
    assert out[3].startswith("✘ elu_derivative: function elu_derivative() not found")
    assert out[-1] == "score: 3 / 5 points"


# ------------------------------------------------------------------------------------------
# partial credit per test, and NumPy warnings that count only in stability tests
# ------------------------------------------------------------------------------------------
def test_the_partial_points_rule():
    pp = _core.partial_points
    assert pp(2, 5, 6) == 1.6          # 1.666... rounded down to a tenth
    assert pp(3, 4, 5) == 2.4
    assert pp(1, 29, 30) == 0.9        # a failed test never rounds up to full marks
    assert pp(3, 2, 3) == 2 and type(pp(3, 2, 3)) is int
    assert pp(2, 6, 6) == 2 and pp(2, 0, 6) == 0 and pp(2, 0, 0) == 0
    assert _core.total_points([1.6, 0.4, 0.1, 0.2]) == 2.3
    assert _core.total_points([1.6, 0.4]) == 2 and type(_core.total_points([1.6, 0.4])) is int
    assert [_core.points_text(x) for x in (2, 2.0, 1.6, 0, 0.1)] == ["2", "2", "1.6", "0", "0.1"]


def _squeezing_sigmoid(z):
    """Right everywhere except that np.squeeze loses the batch-of-one axis: one test fails."""
    return _stable_sigmoid(np.squeeze(z))


def test_a_function_wrong_on_exactly_one_test_earns_most_of_its_points(capsys):
    r = result(1, "sigmoid", _squeezing_sigmoid)
    assert (r.status, r.n_passed, r.n_tests) == ("failed", 5, 6)
    assert 0 < r.points < 2 and r.points == 1.6
    lines = r.message.splitlines()
    assert lines[0] == "✘ sigmoid: 5 of 6 passed; test 4 failed: wrong shape"
    assert lines[1].strip() == "input:    z = array([[0., 0., 0., 0.]])"
    assert lines[2].strip() == "expected: shape (1, 4)"
    assert lines[3].strip().startswith("got:      shape (4,)")
    assert lines[4].strip().startswith("hint:     ")
    from course_lib.checks import lesson01
    ns = solution_namespace(1)
    ns["sigmoid"] = _squeezing_sigmoid
    lesson01.check_all(ns)
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "✘ sigmoid: 5 of 6 passed; test 4 failed: wrong shape"
    # neuron_output calls the squeezing sigmoid too: its batch of one fails there as well
    assert out[-1] == "score: " + _core.points_text(
        _core.total_points([1, 1.6, result(1, "neuron_output", ns["neuron_output"]).points, 1])) + " / 6 points"
    assert out[-1] == "score: 5.2 / 6 points"  # 1 + 1.6 + 1.6 + 1


def test_several_failures_are_counted_and_the_first_is_shown():
    r = result(3, "mse", lambda p, y: float(np.sum((p - y) ** 2)))
    assert r.summary == "2 of 5 passed; test 1 failed: wrong value"
    assert r.points == 0.8


def test_a_textbook_sigmoid_loses_only_the_stability_test():
    for fn in (_naive_sigmoid, _where_sigmoid):
        r = result(1, "sigmoid", fn)
        assert (r.n_passed, r.n_tests, r.points) == (5, 6, 1.6), r.message
        assert r.summary == "5 of 6 passed; test 5 failed: numerical problem"
        assert "overflow encountered in exp" in r.message and "np.exp(-np.abs(z))" in r.message


def test_only_the_stability_tests_count_warnings():
    marked = {(lesson, ex.name): [i + 1 for i, c in enumerate(_core.build_cases(ex)) if c.warnings_fail]
              for lesson in LESSONS for ex in checks.exercises(lesson)}
    # a test is a stability test when avoiding the warning is its point
    assert marked[(1, "sigmoid")] == [5]                # z = +-1e4
    assert marked[(3, "binary_cross_entropy")] == [3, 4]  # p = 0 or 1: log(0)
    assert marked[(3, "softmax")] == [5]                # z = 1e4
    assert marked[(3, "cross_entropy")] == [4]          # logits = 1e4
    for name in ("tanh_derivative", "relu_derivative", "leaky_relu_derivative", "elu_derivative"):
        assert marked[(6, name)] == [2]                 # z = +-1e4
    assert marked[(10, "standardize")] and len(marked[(10, "standardize")]) < 5  # constant columns
    # reusing the learner's (or course_lib's) sigmoid is not about stability: it was graded once
    assert marked[(1, "neuron_output")] == [] and marked[(2, "network_forward")] == []
    for lesson in (1, 2, 4, 5, 7, 8):
        for ex in checks.exercises(lesson):
            if (lesson, ex.name) != (1, "sigmoid"):
                assert marked[(lesson, ex.name)] == [], ex.name


def _textbook_network_forward(X, weights, biases):
    a = X
    for W, b in zip(weights, biases):
        a = 1 / (1 + np.exp(-(a @ W + b)))
    return a


def test_network_forward_with_the_textbook_sigmoid_scores_full_marks():
    """Its overflow (|z| = 1e4 in test 4) gives exactly the right limit, 0.0, and that test is
    not a stability test: the exercise is the forward pass, and the sigmoid's stability is
    graded in lesson 01. So the warning is shown as a note, not counted."""
    r = result(2, "network_forward", _textbook_network_forward)
    assert r.passed and r.points == 3
    lines = r.message.splitlines()
    assert lines[0] == "✔ network_forward: all 5 tests passed"
    assert lines[1].strip().startswith("note:     test 4 passed, but NumPy warned: overflow encountered in exp")
    assert "only stability tests count warnings" in lines[1] and len(lines) == 2


def test_a_warning_that_spoils_an_answer_is_shown_next_to_it():
    r = result(4, "relative_error", lambda a, n: float(np.max(np.abs(a - n)) / np.max(np.abs(a) + np.abs(n))))
    assert r.summary == "4 of 5 passed; test 4 failed: not finite (nan or inf)"
    assert "warning:  NumPy warned: invalid value encountered in" in r.message
    assert "0/0 must give 0" in r.message


def test_a_warning_in_a_stability_test_fails_only_that_test():
    def elu_derivative(z, alpha=1.0):
        return np.where(z > 0, 1.0, alpha * np.exp(z))   # right values, overflow in the unused branch
    r = result(6, "elu_derivative", elu_derivative)
    assert r.n_passed == r.n_tests - 1 and r.summary.endswith("test 2 failed: numerical problem")
    assert r.points == _core.partial_points(2, r.n_tests - 1, r.n_tests)


def test_a_timeout_keeps_the_points_of_the_tests_before_it():
    def relu_derivative(z):
        if z.size > 6:
            while True:
                pass
        return (z > 0).astype(float)
    r = result(6, "relu_derivative", relu_derivative, seconds=0.3)
    assert r.status == "timeout" and r.n_passed == 0 and r.points == 0  # test 1 (7 values) loops
    r = result(6, "relu_derivative", lambda z: (z > 0).astype(float) if z.size != 4 else z, seconds=0.3)
    assert r.summary.startswith("4 of 5 passed; test 2 failed")


def test_nothing_runs_nothing_scores():
    ex = get(1, "sigmoid")
    cases = _core.build_cases(ex)
    missing = _core.evaluate(ex, cases, {"exercise": "sigmoid", "missing": True, "names": []})
    assert missing.points == 0 and "not found" in missing.summary
    assert _core.evaluate(ex, cases, None).points == 0
    def sigmoid(z):
        raise NotImplementedError()
    assert result(1, "sigmoid", sigmoid).points == 0
    r = result(1, "sigmoid", lambda z: 1 / 0)
    assert r.points == 0 and r.summary == "0 of 6 passed; test 1 failed: raised ZeroDivisionError"


# ------------------------------------------------------------------------------------------
# plumbing
# ------------------------------------------------------------------------------------------
def test_answers_cross_as_plain_data():
    values = [np.arange(6.0).reshape(2, 3), np.float64(1.5), 2.5, 3, True, None, "s",
              (np.zeros(0), [1, 2]), {"a": np.int32(4)}, np.array(0.5), np.bool_(False)]
    for v in values:
        back = _call.decode(_call.encode(v))
        assert type(back) is type(v)
        assert _call._same(back, v) if not isinstance(v, dict) else back.keys() == v.keys()
    other = _call.decode(_call.encode(object()))
    assert isinstance(other, _call.Other) and other.type_name == "object"
    for bad in [{"__nd__": "<f8", "shape": [3], "data": "AAAA"}, {"__nd__": "|O", "shape": [1], "data": ""},
                {"x": 1}, {}]:
        with pytest.raises(ValueError):
            _call.decode(bad)


def test_the_core_never_imports_the_grading_floor():
    code = ("import sys, course_lib, course_lib.training, course_lib.gradcheck; "
            "bad = [m for m in sys.modules if m.startswith(('course_lib.checks', 'course_lib.grading'))]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_lesson_is_a_lookup_error():
    with pytest.raises(LookupError, match="lesson 42 has no graded exercises"):
        checks.load_lesson(42)
