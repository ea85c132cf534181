"""exercises/ is generated from solutions/ by `python -m course_lib.grading.make_exercises`, and is fresh."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_lib import checks
from course_lib.grading import make_exercises

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["01_neuron", "02_network", "03_loss", "04_chain_rule", "05_gradient_descent",
         "06_activations", "07_vanishing_gradients", "08_regularization", "11_autograd"]


def test_exercises_are_what_the_command_generates_now():
    problems = make_exercises.stale(ROOT / "solutions", ROOT / "exercises")
    assert not problems, ("exercises/ is out of date; run `python -m course_lib.grading.make_exercises`:\n"
                          + "\n".join(problems))


@pytest.mark.parametrize("name", NAMES)
def test_exercise_notebook_has_no_answers_and_no_outputs(name):
    sol = nbformat.read(ROOT / "solutions" / f"{name}_solutions.ipynb", as_version=4)
    ex = nbformat.read(ROOT / "exercises" / f"{name}_exercises.ipynb", as_version=4)
    lesson = int(name[:2])
    assert ex.metadata["course"]["lesson"] == lesson
    assert len(ex.cells) == len(sol.cells)
    sources = "\n".join(c.source for c in ex.cells)
    assert "### BEGIN SOLUTION" not in sources and "### END SOLUTION" not in sources
    for c in ex.cells:
        if c.cell_type == "code":
            assert c.outputs == [] and c.execution_count is None
    placeholders = sum(c.source.count("raise NotImplementedError()") for c in ex.cells if c.cell_type == "code")
    exercises = checks.exercises(lesson)
    assert placeholders == len(exercises)
    for e in exercises:  # each graded function is defined, tried and checked in the notebook
        assert f"def {e.function}(" in sources
        assert f"lesson{lesson:02d}.check_{e.name}({e.function})" in sources


def test_strip_solutions_keeps_indentation_and_the_rest():
    src = "def f(x):\n    \"\"\"doc\"\"\"\n    ### BEGIN SOLUTION\n    y = x + 1\n    return y\n    ### END SOLUTION\n\nprint(1)"
    assert make_exercises.strip_solutions(src) == (
        "def f(x):\n    \"\"\"doc\"\"\"\n    # YOUR CODE HERE\n    raise NotImplementedError()\n\nprint(1)")
    with pytest.raises(ValueError, match="never closed"):
        make_exercises.strip_solutions("### BEGIN SOLUTION\nx = 1")
    with pytest.raises(ValueError, match="without"):
        make_exercises.strip_solutions("x = 1\n### END SOLUTION")


def test_check_mode_detects_stale_missing_and_extra_files(tmp_path):
    sol, ex = tmp_path / "solutions", tmp_path / "exercises"
    sol.mkdir()
    shutil.copy(ROOT / "solutions" / "06_activations_solutions.ipynb", sol)
    cmd = [sys.executable, "-m", "course_lib.grading.make_exercises", "--solutions", str(sol), "--exercises", str(ex)]
    assert subprocess.run(cmd + ["--check"], capture_output=True).returncode == 1      # missing
    subprocess.run(cmd, check=True, capture_output=True)
    done = subprocess.run(cmd + ["--check"], capture_output=True, text=True)
    assert done.returncode == 0 and "up to date" in done.stdout
    nb_path = ex / "06_activations_exercises.ipynb"
    nb_path.write_text(nb_path.read_text().replace("raise NotImplementedError()", "return z", 1))
    stale = subprocess.run(cmd + ["--check"], capture_output=True, text=True)
    assert stale.returncode == 1 and "out of date" in stale.stdout                     # edited by hand
    subprocess.run(cmd, check=True, capture_output=True)
    shutil.copy(nb_path, ex / "09_orphan_exercises.ipynb")
    extra = subprocess.run(cmd + ["--check"], capture_output=True, text=True)
    assert extra.returncode == 1 and "09_orphan_exercises.ipynb: has no solution" in extra.stdout
    (ex / "09_orphan_exercises.ipynb").unlink()
    shutil.copy(sol / "06_activations_solutions.ipynb", sol / "07_misnamed.ipynb")
    misnamed = subprocess.run(cmd + ["--check"], capture_output=True, text=True)
    assert misnamed.returncode == 1 and "07_misnamed.ipynb: not named NN_name_solutions.ipynb" in misnamed.stdout


def test_a_solution_maps_to_its_exercise_by_name():
    assert make_exercises.exercise_name("06_activations_solutions.ipynb") == "06_activations_exercises.ipynb"
    assert make_exercises.assignment_name("06_activations_solutions.ipynb") == "06_activations"
    with pytest.raises(ValueError, match="NN_name_solutions.ipynb"):
        make_exercises.exercise_name("06_activations.ipynb")


def test_no_jupyterlab_tab_reads_like_another():
    """A lesson, its exercises and its solutions are open side by side in JupyterLab, whose tabs
    show the file name: the three names differ (``NN_name``, ``NN_name_exercises``, ``NN_name_solutions``)."""
    lessons = {p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    solutions = sorted(p.name for p in (ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))
    exercises = sorted(p.name for p in (ROOT / "exercises").glob("[0-9][0-9]_*.ipynb"))
    assert len(solutions) == 11 and exercises == sorted(map(make_exercises.exercise_name, solutions))
    for name in solutions:
        assert make_exercises.assignment_name(name) in lessons
    assert not {p.rsplit(".", 1)[0] for p in solutions + exercises} & lessons


# ---------------------------------------------------------------------------------------
# outside a checkout (an installed, non-editable course_lib) the command refuses
# ---------------------------------------------------------------------------------------
def test_this_checkout_is_recognised():
    assert make_exercises.is_checkout()
    assert make_exercises.ROOT == ROOT


@pytest.mark.parametrize("extra", [[], ["--check"], ["--solutions", "somewhere"], ["--exercises", "x"]])
def test_refuses_outside_a_checkout(tmp_path, monkeypatch, capsys, extra):
    """ROOT as in a normal install: site-packages, with no solutions/ next to course_lib/."""
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.setattr(make_exercises, "ROOT", site)
    monkeypatch.chdir(tmp_path)
    assert not make_exercises.is_checkout()
    assert make_exercises.main(extra) == 2
    out, err = capsys.readouterr()
    assert "up to date" not in out and out == ""
    assert "Run it from a clone of the course: in the course folder run `python -m pip install -e .`" in err
    assert str(site / "solutions") in err
    assert "--solutions DIR --exercises DIR" in err
    assert list(tmp_path.rglob("*")) == [site]   # nothing written: no site-packages/exercises


def test_refuses_a_solutions_folder_that_does_not_exist(tmp_path):
    missing, ex = tmp_path / "no-such-folder", tmp_path / "exercises"
    for check in ([], ["--check"]):
        done = subprocess.run([sys.executable, "-m", "course_lib.grading.make_exercises",
                               "--solutions", str(missing), "--exercises", str(ex)] + check,
                              capture_output=True, text=True)
        assert done.returncode == 2, done.stdout + done.stderr
        assert f"the solutions folder {missing} does not exist" in done.stderr
        assert "up to date" not in done.stdout
    assert not ex.exists()


def test_refuses_in_an_installed_copy(tmp_path):
    """A real non-editable layout: course_lib copied into a bare site-packages folder."""
    site = tmp_path / "site-packages"
    shutil.copytree(ROOT / "course_lib", site / "course_lib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    env = dict(os.environ, PYTHONPATH=str(site))
    done = subprocess.run([sys.executable, "-m", "course_lib.grading.make_exercises", "--check"],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"there is no {site / 'solutions'}" in done.stderr
    assert "Run it from a clone of the course" in done.stderr
    assert "up to date" not in done.stdout
    assert not (site / "exercises").exists()
