"""Exercises 10 (capstone): the solution passes every check, plausible wrong answers fail
with a useful message, the notebook states the right points, and the grader gives the
solution full marks and the untouched exercise zero."""
import csv
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_lib import checks
from course_lib.checks import _core, lesson10

import helpers

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "solutions" / "10_capstone_digits.ipynb"
EXERCISE = ROOT / "exercises" / "10_capstone_digits.ipynb"


def solution_namespace():
    return helpers.solution_namespace(10)


def run(name, fn):
    exercise = next(ex for ex in lesson10.EXERCISES if ex.name == name)
    return _core.run(exercise, fn, quiet=True)


# ------------------------------------------------------------------------------------------
# the solution
# ------------------------------------------------------------------------------------------
def test_solution_passes_every_check():
    ns = solution_namespace()
    exercises = checks.exercises(10)
    assert [ex.function for ex in exercises] == ["standardize", "one_hot", "accuracy", "confusion_matrix"]
    for ex in exercises:
        r = _core.run(ex, ns[ex.function], quiet=True)
        assert r.passed, r.message
        assert r.message == f"✔ {ex.name}: all {r.n_tests} tests passed"
        assert r.n_tests >= 5


def test_check_functions_print_one_line(capsys):
    ns = solution_namespace()
    lesson10.check_confusion_matrix(ns["confusion_matrix"])
    assert capsys.readouterr().out == "✔ confusion_matrix: all 5 tests passed\n"
    lesson10.check_all(ns)
    assert capsys.readouterr().out.splitlines()[-1] == "score: 6 / 6 points"


def test_check_all_reports_missing_functions(capsys):
    lesson10.check_all({"one_hot_encode": None})
    out = capsys.readouterr().out
    assert "✘ one_hot: function one_hot() not found; did you rename it to 'one_hot_encode'?" in out
    assert out.splitlines()[-1] == "score: 0 / 6 points"


def test_exercise_notebook_is_generated_without_answers():
    from course_lib.grading import make_exercises

    assert EXERCISE.read_text(encoding="utf-8") == make_exercises.render(SOLUTION)
    nb = nbformat.read(EXERCISE, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "### BEGIN SOLUTION" not in text and "C[t, p] += 1" not in text
    assert text.count("raise NotImplementedError()") == 4
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


# ------------------------------------------------------------------------------------------
# plausible wrong answers lose the points, with a useful message
# ------------------------------------------------------------------------------------------
def _standardize_own_stats(X_train, X):
    return (X - X.mean(axis=0)) / np.where(X.std(axis=0) == 0, 1.0, X.std(axis=0))


def _standardize_no_zero_guard(X_train, X):
    return (X - X_train.mean(axis=0)) / X_train.std(axis=0)


def _standardize_global(X_train, X):
    return (X - X_train.mean()) / X_train.std()


def _standardize_ddof1(X_train, X):
    sigma = X_train.std(axis=0, ddof=1)
    return (X - X_train.mean(axis=0)) / np.where(sigma == 0, 1.0, sigma)


def _standardize_in_place(X_train, X):
    sigma = X_train.std(axis=0)
    X -= X_train.mean(axis=0)
    X /= np.where(sigma == 0, 1.0, sigma)
    return X


def _one_hot_int(y, n_classes):
    return np.eye(n_classes, dtype=int)[y]


def _accuracy(pred_axis=1, scale=1.0, wrong=False, count=False):
    def accuracy(y_true, logits):
        hits = np.argmax(logits, axis=pred_axis) != y_true if wrong else np.argmax(logits, axis=pred_axis) == y_true
        return float(np.sum(hits)) if count else float(scale * np.mean(hits))
    return accuracy


def _confusion(transposed=False, fancy=False, dtype=np.int64, size_from_labels=False):
    def confusion_matrix(y_true, y_pred, n_classes):
        n = int(max(np.max(y_true), np.max(y_pred))) + 1 if size_from_labels else n_classes
        C = np.zeros((n, n), dtype=dtype)
        rows, cols = (y_pred, y_true) if transposed else (y_true, y_pred)
        if fancy:
            C[rows, cols] += 1
        else:
            for r, c in zip(rows, cols):
                C[r, c] += 1
        return C
    return confusion_matrix


WRONG = [
    # (exercise, wrong function, fragments the feedback must contain)
    ("standardize", _standardize_own_stats, ["wrong values", "use the mean and std of X_train, not of X"]),
    ("standardize", _standardize_no_zero_guard, ["numerical problem", "constant column has std 0"]),
    ("standardize", _standardize_global, ["each column (feature) on its own", "axis=0"]),
    ("standardize", _standardize_ddof1, ["population std", "ddof=0"]),
    ("standardize", _standardize_in_place, ["changed its input", "argument 2", "work on a copy"]),
    ("standardize", lambda X_train, X: X - X_train.mean(axis=0), ["divide by the standard deviation"]),
    ("one_hot", lambda y, n: np.eye(int(np.max(y)) + 1)[y], ["wrong shape", "not max(y) + 1"]),
    ("one_hot", lambda y, n: np.eye(n)[y].T, ["wrong shape", "rows are samples"]),
    ("one_hot", _one_hot_int, ["wrong dtype", "return floats (float64)"]),
    ("one_hot", lambda y, n: 1.0 - np.eye(n)[y], ["wrong values", "the 1 goes at the label's column"]),
    ("accuracy", _accuracy(scale=100.0), ["expected: 0.6666666667", "got:      66.66666667", "not a percentage"]),
    ("accuracy", _accuracy(count=True), ["divide the number of correct predictions by the number of samples"]),
    ("accuracy", _accuracy(pred_axis=0), ["argmax of each ROW (axis=1)"]),
    ("accuracy", _accuracy(wrong=True), ["error rate"]),
    ("accuracy", lambda y, z: np.mean(np.argmax(z, axis=1) == y, keepdims=True), ["wrong type", "one number"]),
    ("confusion_matrix", _confusion(transposed=True), ["rows are the TRUE class and columns the PREDICTED class"]),
    ("confusion_matrix", _confusion(fancy=True), ["counts a repeated pair only once", "np.add.at"]),
    ("confusion_matrix", _confusion(dtype=float), ["wrong dtype", "integer counts", "dtype=int"]),
    ("confusion_matrix", _confusion(size_from_labels=True), ["wrong shape", "n_classes x n_classes"]),
]


@pytest.mark.parametrize("name, fn, fragments", WRONG, ids=[f"{w[0]}-{i}" for i, w in enumerate(WRONG)])
def test_wrong_answers_fail_with_a_useful_message(name, fn, fragments):
    r = run(name, fn)
    full = next(ex.points for ex in lesson10.EXERCISES if ex.name == name)
    assert not r.passed and r.points < full
    assert r.points == _core.partial_points(full, r.n_passed, r.n_tests)
    assert r.message.startswith(f"✘ {name}: {r.n_passed} of {r.n_tests} passed; test "), r.message
    assert "input:" in r.message
    for fragment in fragments:
        assert fragment in r.message, f"{fragment!r} not in:\n{r.message}"


def test_every_exercise_has_at_least_two_wrong_answers_tested():
    counts = {ex.name: sum(1 for w in WRONG if w[0] == ex.name) for ex in lesson10.EXERCISES}
    assert min(counts.values()) >= 2, counts


def test_not_attempted():
    def one_hot(y, n_classes):
        raise NotImplementedError()

    r = run("one_hot", one_hot)
    assert r.status == "not_attempted" and "not attempted yet" in r.message


def test_cases_do_not_depend_on_the_learner_and_inputs_are_restored():
    """The same cases every time (seeded), and a function that mutates its input cannot
    change the next case's input."""
    a = [c.inputs for c in lesson10._standardize_cases()]
    b = [c.inputs for c in lesson10._standardize_cases()]
    assert a == b
    run("standardize", _standardize_in_place)
    assert [c.inputs for c in lesson10._standardize_cases()] == a


# ------------------------------------------------------------------------------------------
# the grader, with a real kernel (one run, both notebooks)
# ------------------------------------------------------------------------------------------
def test_grader_gives_the_solution_full_marks_and_the_exercise_zero(tmp_path):
    before = {p: p.read_bytes() for p in (SOLUTION, EXERCISE)}
    gradebook = tmp_path / "gradebook.csv"
    done = subprocess.run([sys.executable, "-m", "course_lib.grading", str(SOLUTION), str(EXERCISE),
                           "--csv", str(gradebook)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    rows = {Path(r["notebook"]).parent.name: r for r in csv.DictReader(gradebook.open())}
    assert rows["solutions"]["total"] == rows["solutions"]["max_points"] == "6"
    assert rows["exercises"]["total"] == "0" and rows["exercises"]["status"] == "graded"
    for column in ("10 standardize", "10 one_hot", "10 accuracy", "10 confusion_matrix"):
        assert column in rows["solutions"]
    assert {p: p.read_bytes() for p in before} == before  # the grader never changes a notebook
