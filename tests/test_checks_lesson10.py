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

from course_lib import Adam, CrossEntropy, checks, mlp, train
from course_lib.checks import _core, lesson10

import helpers

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "solutions" / "10_capstone_digits_solutions.ipynb"
EXERCISE = ROOT / "exercises" / "10_capstone_digits_exercises.ipynb"


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
    assert [ex.function for ex in exercises] == ["standardize", "one_hot", "accuracy", "confusion_matrix",
                                                 "train_and_predict"]
    for ex in exercises:
        r = _core.run(ex, ns[ex.function], quiet=True)
        assert r.passed, r.message
        assert r.message == f"✔ {ex.name}: all {r.n_tests} tests passed"
        assert r.n_tests >= (3 if ex.name == "train_and_predict" else 5)


def test_check_functions_print_one_line(capsys):
    ns = solution_namespace()
    lesson10.check_confusion_matrix(ns["confusion_matrix"])
    assert capsys.readouterr().out == "✔ confusion_matrix: all 5 tests passed\n"
    lesson10.check_all(ns)
    assert capsys.readouterr().out.splitlines()[-1] == "score: 9 / 9 points"


def test_check_all_reports_missing_functions(capsys):
    lesson10.check_all({"one_hot_encode": None})
    out = capsys.readouterr().out
    assert "✘ one_hot: function one_hot() not found; did you rename it to 'one_hot_encode'?" in out
    assert out.splitlines()[-1] == "score: 0 / 9 points"


def test_exercise_notebook_is_generated_without_answers():
    from course_lib.grading import make_exercises

    assert EXERCISE.read_text(encoding="utf-8") == make_exercises.render(SOLUTION)
    nb = nbformat.read(EXERCISE, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "### BEGIN SOLUTION" not in text and "C[t, p] += 1" not in text
    assert text.count("raise NotImplementedError()") == 5
    assert "Dense(64, 128" not in text
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


def _standardized(X_train, X_eval):
    mu, sigma = X_train.mean(axis=0), X_train.std(axis=0)
    sigma = np.where(sigma == 0, 1.0, sigma)
    return (X_train - mu) / sigma, (X_eval - mu) / sigma


def _design(hidden=(128,), epochs=40, lr=1e-3, standardize=True, output="labels"):
    """A train_and_predict with the given design (the solution's: hidden=(128,), epochs=40)."""
    def train_and_predict(X_train, y_train, X_eval):
        Z_train, Z_eval = _standardized(X_train, X_eval) if standardize else (X_train, X_eval)
        model = mlp([64, *hidden, 10], activation="relu", seed=0)
        train(model, Z_train, y_train, CrossEntropy(), Adam(lr=lr), epochs=epochs, batch_size=32, seed=0,
              progress=False)
        logits = model.predict(Z_eval)
        if output == "logits":
            return logits
        if output == "float":
            return logits.argmax(axis=1).astype(float)
        if output == "train":
            return model.predict(Z_train).argmax(axis=1)
        return logits.argmax(axis=1)
    return train_and_predict


def _random_labels(X_train, y_train, X_eval):
    return np.random.default_rng(0).integers(0, 10, len(X_eval))


WRONG = [
    # (exercise, wrong function, fragments the feedback must contain)
    ("train_and_predict", _design(hidden=(), epochs=100), ["accuracy too low", "at least 0.97 of the 359",
                                                          "logistic regression"]),
    ("train_and_predict", _design(epochs=1, standardize=False), ["accuracy too low", "not learned enough"]),
    ("train_and_predict", _random_labels, ["accuracy too low", "better than guessing", "in its order"]),
    ("train_and_predict", _design(output="logits"), ["wrong shape", "one label per row of X_eval, shape (359,)"]),
    ("train_and_predict", _design(output="float"), ["wrong type", "integer labels"]),
    ("train_and_predict", _design(output="train"), ["wrong shape", "(359,)"]),
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


def test_design_splits_are_fair():
    """The target is reachable and not given away: the solution's design clears 0.97 on every
    split, a logistic regression not on every split, and the disguise hides the rows
    (no evaluation row of a split appears in the plain digits) without hurting a dense network."""
    from course_lib import datasets, metrics

    X, y = datasets.load_digits()
    cases = lesson10._design_cases()
    assert len(cases) == len(lesson10.DESIGN_SPLITS) == 3
    good, logistic = _design(), _design(hidden=(), epochs=100)
    logistic_misses = 0
    plain = set(map(bytes, X.astype(np.float64)))
    for case in cases:
        X_train, y_train, X_eval = case.args
        assert X_train.shape[1] == X_eval.shape[1] == 64 and len(X_eval) == 359
        assert not plain & set(map(bytes, X_eval.astype(np.float64)))
        assert case.verify(good(*case.args)) is None
        logistic_misses += case.verify(logistic(*case.args)) is not None
    assert logistic_misses >= 1
    # the disguise changes nothing for a standardized dense network: same accuracy as the plain split
    X_tr, X_ev, y_tr, y_ev = datasets.train_val_split(X, y, val_fraction=0.2, seed=1, stratify=True)
    assert abs(metrics.accuracy(y_ev, good(X_tr, y_tr, X_ev)) - np.mean(good(*cases[0].args) == y_ev)) <= 0.01


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
    assert rows["solutions"]["total"] == rows["solutions"]["max_points"] == "9"
    assert rows["exercises"]["total"] == "0" and rows["exercises"]["status"] == "graded"
    for column in ("10 standardize", "10 one_hot", "10 accuracy", "10 confusion_matrix", "10 train_and_predict"):
        assert column in rows["solutions"]
    assert {p: p.read_bytes() for p in before} == before  # the grader never changes a notebook
