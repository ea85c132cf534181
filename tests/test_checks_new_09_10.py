"""Exercises 09 (playground, predict-then-run): the solution scores full marks, a blank
scores 0, wrong predictions lose the point with a hint that explains the outcome, and the
expected answers are what PlaygroundState really does."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course_lib import checks
from course_lib.checks import _core, lesson09
from course_lib.playground import PlaygroundState

import helpers

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "solutions" / "09_playground_solutions.ipynb"
EXERCISE = ROOT / "exercises" / "09_playground_exercises.ipynb"
NAMES = ["circle_units", "linear_hidden_layers_solve_circle", "batch_size_lower_loss", "best_learning_rate"]


def run(name, fn):
    exercise = next(ex for ex in lesson09.EXERCISES if ex.name == name)
    return _core.run(exercise, fn, quiet=True)


def answer(value):
    return lambda: value


def test_registered_and_solution_scores_full_marks(capsys):
    assert [ex.function for ex in checks.exercises(9)] == NAMES
    ns = helpers.solution_namespace(9)
    for ex in lesson09.EXERCISES:
        assert _core.run(ex, ns[ex.function], quiet=True).passed
    lesson09.check_all(ns)
    assert capsys.readouterr().out.splitlines()[-1] == "score: 4 / 4 points"


def test_blank_scores_zero(capsys):
    def blank():
        raise NotImplementedError()

    for name in NAMES:
        r = run(name, blank)
        assert r.status == "not_attempted" and r.points == 0
    lesson09.check_all({name: blank for name in NAMES})
    assert capsys.readouterr().out.splitlines()[-1] == "score: 0 / 4 points"


WRONG = [
    ("circle_units", 1, ["wrong value", "one straight line"]),
    ("circle_units", 2, ["band or a wedge", "three lines"]),
    ("circle_units", 4, ["fewer do"]),
    ("circle_units", 3.0, ["wrong type", "an integer"]),
    ("linear_hidden_layers_solve_circle", True, ["collapses into one linear map"]),
    ("linear_hidden_layers_solve_circle", "no", ["wrong type", "True or False"]),
    ("batch_size_lower_loss", 100, ["ONE gradient step"]),
    ("batch_size_lower_loss", 32, ["count the gradient steps per epoch"]),
    ("best_learning_rate", 0.3, ["a larger step is better"]),
    ("best_learning_rate", 10, ["too large", "explodes"]),
    ("best_learning_rate", 0.003, ["far too small"]),
    ("best_learning_rate", 1.0, ["not one of the choices"]),
    ("best_learning_rate", "3", ["wrong type"]),
]


@pytest.mark.parametrize("name, value, fragments", WRONG, ids=[f"{w[0]}-{i}" for i, w in enumerate(WRONG)])
def test_wrong_predictions_lose_the_point_with_a_hint(name, value, fragments):
    r = run(name, answer(value))
    assert not r.passed and r.points == 0
    for fragment in fragments:
        assert fragment in r.message, f"{fragment!r} not in:\n{r.message}"


def test_right_answer_types_accepted():
    assert run("circle_units", answer(np.int64(3))).passed
    assert run("linear_hidden_layers_solve_circle", answer(np.False_)).passed
    assert run("best_learning_rate", answer(3)).passed


def _accuracy(s):
    p = s.predict(s.X_test).ravel()
    return float(np.mean((p > 0.5) == (s.y_test.ravel() == 1)))


def test_the_answers_are_what_the_playground_does():
    """The expected answers hold by a wide margin (the notebook's runs, re-done here)."""
    best = {}
    for units in (2, 3):
        accs = []
        for seed in range(5):
            s = PlaygroundState("circle", hidden=(units,), activation="tanh", optimizer="adam",
                                learning_rate=0.03, seed=seed)
            s.step(300)
            accs.append(_accuracy(s))
        best[units] = max(accs)
    assert best[2] < 0.85 and best[3] > 0.95
    s = PlaygroundState("circle", hidden=(8, 8), activation="linear", optimizer="adam", learning_rate=0.03, seed=0)
    s.step(300)
    assert s.test_loss[-1] > 0.6
    loss = {}
    for bs in (1, 100):
        s = PlaygroundState("moons", hidden=(8, 8), optimizer="sgd", learning_rate=0.03, batch_size=bs, seed=0)
        s.step(50)
        loss[bs] = s.train_loss[-1]
    assert loss[1] < 0.5 * loss[100]
    final = {}
    for lr in lesson09.LEARNING_RATES:
        s = PlaygroundState("moons", hidden=(8, 8), optimizer="sgd", learning_rate=lr, seed=0)
        s.step(100)
        final[lr] = np.inf if s.diverged else s.train_loss[-1]
    assert min(final, key=final.get) == 3.0 and final[3.0] < 0.5 * final[0.3] and final[10.0] > 1


def test_exercise_notebook_hides_the_answers():
    from course_lib.grading import make_exercises
    import nbformat

    assert EXERCISE.read_text(encoding="utf-8") == make_exercises.render(SOLUTION)
    nb = nbformat.read(EXERCISE, as_version=4)
    assert nb.metadata["course"]["lesson"] == 9
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "return 3" not in text and "return False" not in text
    assert text.count("raise NotImplementedError()") == 4


def test_grader_solution_full_exercise_zero(tmp_path):
    gradebook = tmp_path / "g.csv"
    done = subprocess.run([sys.executable, "-m", "course_lib.grading", str(SOLUTION), str(EXERCISE),
                           "--csv", str(gradebook)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    import csv
    rows = {Path(r["notebook"]).parent.name: r for r in csv.DictReader(gradebook.open())}
    assert rows["solutions"]["total"] == rows["solutions"]["max_points"] == "4"
    assert rows["exercises"]["total"] == "0"
