"""The exercises of issue 12 for lessons 03 and 08: the softmax + cross-entropy gradient, the L1
penalty and its (sub)gradient. The solutions pass, a blank scores 0, and each plausible wrong
answer loses points with its hint."""
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_lib import checks
from course_lib.checks import _core
from course_lib.gradcheck import numerical_gradient
from course_lib.losses import CrossEntropy

from helpers import check_result, exercise, exercise_path, solution_namespace, solution_path

ROOT = Path(__file__).resolve().parent.parent
NEW = [(3, "softmax_cross_entropy_backward", 3), (8, "l1_penalty", 2), (8, "l1_gradient", 2)]


get = exercise


def result(lesson, name, fn):
    with np.errstate(all="ignore"):
        return check_result(lesson, name, fn)


# ------------------------------------------------------------------------------------------
# registered, stated in the notebook, solved by the solution, blank scores 0
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lesson, name, points", NEW)
def test_registered_with_points_and_stated_in_the_solution_notebook(lesson, name, points):
    ex = get(lesson, name)
    assert ex.points == points and ex.function == name
    module = checks.load_lesson(lesson)
    assert callable(getattr(module, f"check_{name}"))
    nb = nbformat.read(solution_path(lesson), as_version=4)
    headers = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown"]
    assert any(re.fullmatch(rf"## Exercise \d+: `{name}` \({points} points\)", h) for h in headers)
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    assert any(f"lesson{lesson:02d}.check_{name}({name})" in s for s in sources)
    assert sources[-1] == f"lesson{lesson:02d}.check_all(globals())"


@pytest.mark.parametrize("lesson, name, points", NEW)
def test_the_solution_scores_full_marks(lesson, name, points):
    r = _core.run(get(lesson, name), solution_namespace(lesson)[name], quiet=True)
    assert r.passed and r.points == points, r.message
    assert r.message == f"✔ {name}: all {r.n_tests} tests passed" and r.n_tests >= 5


@pytest.mark.parametrize("lesson, name, points", NEW)
def test_a_blank_scores_zero(lesson, name, points):
    def blank(*args, **kwargs):
        # YOUR CODE HERE
        raise NotImplementedError()
    r = result(lesson, name, blank)
    assert r.status == "not_attempted" and r.points == 0
    assert "not attempted yet" in r.message


@pytest.mark.parametrize("lesson, name, points", NEW)
def test_the_generated_exercise_is_blank_and_scores_zero(lesson, name, points):
    path = exercise_path(lesson)
    nb = nbformat.read(path, as_version=4)
    [cell] = [c.source for c in nb.cells if c.cell_type == "code" and f"def {name}(" in c.source]
    assert "raise NotImplementedError()" in cell and "### BEGIN SOLUTION" not in cell
    ns = {"np": np}
    exec(cell, ns)
    assert result(lesson, name, ns[name]).points == 0


def test_lesson_notebooks_do_not_give_the_answers_away():
    for lesson, names in ((3, ["softmax_cross_entropy_backward"]), (8, ["l1_penalty", "l1_gradient"])):
        text = next((ROOT / "text" / "notebooks").glob(f"{lesson:02d}_*.py")).read_text(encoding="utf-8")
        for name in names:
            assert f"def {name}" not in text
    lesson08 = next((ROOT / "text" / "notebooks").glob("08_*.py")).read_text(encoding="utf-8")
    assert "np.sign(" not in lesson08
    # the exercise notebooks print nothing: exercises/ carry no outputs, and their "try it"
    # cells call the learner's own function
    for lesson in (3, 8):
        nb = nbformat.read(exercise_path(lesson), as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
        sources = "\n".join(c.source for c in nb.cells)
        assert "np.sign(W)" not in sources and "grad[np.arange" not in sources


# ------------------------------------------------------------------------------------------
# the references: course_lib, and finite differences
# ------------------------------------------------------------------------------------------
def test_cross_entropy_cases_agree_with_finite_differences_and_include_fresh_shapes_and_large_logits():
    cases = _core.build_cases(get(3, "softmax_cross_entropy_backward"))
    shapes = {c.args[0].shape for c in cases}
    assert len(shapes) >= 4 and any(s[0] == 1 for s in shapes)
    assert any(np.max(np.abs(c.args[0])) >= 1000 for c in cases)
    for case in cases:
        z, y = case.args
        z = z.copy()
        numeric = numerical_gradient(lambda: CrossEntropy().forward(z, y), z, h=1e-6)
        loss = CrossEntropy()
        loss.forward(z, y)
        assert case.verify(loss.backward()) is None                     # course_lib's backward passes
        assert np.allclose(loss.backward(), numeric, rtol=1e-5, atol=1e-6)  # and is the true gradient


def test_l1_references_follow_course_lib_regularization():
    W = np.array([[0.0, 2.0, -3.0], [0.0, -0.5, 0.0]])
    cases = _core.build_cases(get(8, "l1_gradient"))
    zero_case = next(c for c in cases if np.any(c.args[0] == 0) and np.any(c.args[0] != 0))
    W, lam = zero_case.args
    assert zero_case.verify(lam * np.sign(W)) is None
    assert zero_case.verify(np.where(W >= 0, lam, -lam)) is not None   # subgradient 0 at W == 0
    cases = _core.build_cases(get(8, "l1_penalty"))
    for c in cases:
        weights, lam = c.args
        assert c.verify(lam * float(sum(np.abs(W).sum() for W in weights))) is None
    assert any(len(c.args[0]) >= 2 for c in cases)


# ------------------------------------------------------------------------------------------
# plausible wrong answers lose points and show their hint
# ------------------------------------------------------------------------------------------
def _softmax(z, axis=1):
    s = z - z.max(axis=axis, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=axis, keepdims=True)


def _onehot(z, y):
    return np.eye(z.shape[1])[y]


def _ce_unstable(z, y):
    e = np.exp(z)
    return (e / e.sum(axis=1, keepdims=True) - _onehot(z, y)) / len(z)


def _ce_whole_batch(z, y):
    e = np.exp(z - z.max())
    return (e / e.sum() - _onehot(z, y)) / len(z)


def _l1_grad_divide(W, lam):
    return lam * W / np.abs(W)


WRONG = [
    # (lesson, exercise, wrong function, fragments the feedback must contain)
    (3, "softmax_cross_entropy_backward", lambda z, y: _softmax(z) - _onehot(z, y),
     ["MEAN over the N samples", "divide"]),
    (3, "softmax_cross_entropy_backward", lambda z, y: (_onehot(z, y) - _softmax(z)) / len(z),
     ["sign is flipped"]),
    (3, "softmax_cross_entropy_backward", lambda z, y: _onehot(z, y) - _softmax(z),
     ["sign is flipped", "divide by N"]),
    (3, "softmax_cross_entropy_backward", lambda z, y: _softmax(z) / len(z),
     ["subtract the one-hot target"]),
    (3, "softmax_cross_entropy_backward", lambda z, y: _softmax(z),
     ["subtract the one-hot target", "divide by N"]),
    (3, "softmax_cross_entropy_backward", lambda z, y: (_softmax(z, axis=0) - _onehot(z, y)) / len(z),
     ["each ROW", "axis=1"]),
    (3, "softmax_cross_entropy_backward", _ce_whole_batch, ["normalize each row on its own"]),
    (3, "softmax_cross_entropy_backward", lambda z, y: (_softmax(z) - _onehot(z, y)) / z.size,
     ["not by N*C"]),
    (3, "softmax_cross_entropy_backward", _ce_unstable,
     ["np.exp(1000) overflows", "subtract each row's maximum"]),
    (8, "l1_penalty", lambda Ws, lam: lam * float(sum(np.sum(W ** 2) for W in Ws)), ["that is the L2 penalty"]),
    (8, "l1_penalty", lambda Ws, lam: 0.5 * lam * float(sum(np.sum(W ** 2) for W in Ws)),
     ["that is the L2 penalty"]),
    (8, "l1_penalty", lambda Ws, lam: float(sum(np.sum(np.abs(W)) for W in Ws)), ["multiply the sum by", "lam"]),
    (8, "l1_penalty", lambda Ws, lam: lam * float(np.sum(np.abs(Ws[0]))), ["EVERY weight matrix"]),
    (8, "l1_penalty", lambda Ws, lam: lam * float(np.mean(np.concatenate([np.abs(W).ravel() for W in Ws]))),
     ["SUM over the weights, not a mean"]),
    (8, "l1_penalty", lambda Ws, lam: lam * float(sum(np.mean(np.abs(W)) for W in Ws)),
     ["SUM over the weights, not a mean"]),
    (8, "l1_penalty", lambda Ws, lam: lam * float(sum(np.sum(W) for W in Ws)), ["absolute value"]),
    (8, "l1_penalty", lambda Ws, lam: 0.5 * lam * float(sum(np.sum(np.abs(W)) for W in Ws)), ["no factor 1/2"]),
    (8, "l1_gradient", lambda W, lam: lam * W, ["that is the L2 gradient", "sign(W)"]),
    (8, "l1_gradient", lambda W, lam: np.sign(W), ["multiply by the strength lam"]),
    (8, "l1_gradient", lambda W, lam: -lam * np.sign(W), ["the sign is wrong"]),
    (8, "l1_gradient", lambda W, lam: lam * np.abs(W), ["its derivative is sign(W)"]),
    (8, "l1_gradient", lambda W, lam: np.where(W >= 0, lam, -lam), ["at W == 0", "subgradient is 0", "not +lam"]),
    (8, "l1_gradient", lambda W, lam: np.where(W > 0, lam, -lam), ["at W == 0", "not -lam"]),
    (8, "l1_gradient", _l1_grad_divide, ["no derivative at W = 0", "subgradient 0"]),
]


@pytest.mark.parametrize("lesson, name, fn, fragments", WRONG,
                         ids=[f"{w[0]:02d}-{w[1]}-{i}" for i, w in enumerate(WRONG)])
def test_wrong_answer_loses_points_with_its_hint(lesson, name, fn, fragments):
    ex = get(lesson, name)
    r = result(lesson, name, fn)
    assert not r.passed and r.points < ex.points, r.message
    assert r.message.startswith(f"✘ {name}: ")
    assert "input:" in r.message and "hint:" in r.message
    for fragment in fragments:
        assert fragment in r.message, r.message


def test_every_new_exercise_has_its_wrong_answers_tested():
    counts = {}
    for lesson, name, _, _ in WRONG:
        counts[name] = counts.get(name, 0) + 1
    assert {name: counts.get(name, 0) >= 4 for _, name, _ in NEW} == {name: True for _, name, _ in NEW}


def test_the_feedback_does_not_show_the_reference_code():
    r = result(3, "softmax_cross_entropy_backward", lambda z, y: _softmax(z) / len(z))
    assert "def " not in r.message and "return" not in r.message
