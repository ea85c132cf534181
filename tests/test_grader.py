"""The grader, with real kernels (slow: a few seconds per notebook, so only a handful of runs)."""
import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_lib.grading import grader

ROOT = Path(__file__).resolve().parent.parent


def run_grader(*args):
    return subprocess.run([sys.executable, "-m", "course_lib.grading", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


class Background:
    """A grader run started at once, so that the slow runs (mostly waiting) overlap."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([sys.executable, "-m", "course_lib.grading", *map(str, args)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        self._done = None

    def result(self):
        if self._done is None:
            out, err = self.proc.communicate(timeout=600)
            self._done = subprocess.CompletedProcess(self.proc.args, self.proc.returncode, out, err)
        return self._done


SOLUTIONS = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))
SEED = 1  # the test inputs of the robustness batch


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Start the three slow grader runs together; tests then wait for the one they need."""
    d = tmp_path_factory.mktemp("runs")
    before = {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in SOLUTIONS}
    subs = d / "submissions"
    subs.mkdir()
    make_submissions(subs)
    subs_before = {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in subs.iterdir()}
    (d / "partial").mkdir()
    make(d / "partial", "01_textbook_sigmoid.ipynb", TEXTBOOK)
    started = {
        # four runs share the machine's cores here: a solution cell that takes 9 s alone (lesson
        # 09's 20 playground runs) must not meet the default 30 s limit per cell
        "solutions": Background(*SOLUTIONS, "--timeout", "120", "--csv", d / "solutions.csv"),
        "exercises": Background(ROOT / "exercises", "--csv", d / "exercises.csv"),
        "robustness": Background(subs, "--timeout", "2", "--csv", d / "robustness.csv", "--details", "--seed", SEED),
        "partial": Background(d / "partial", "--csv", d / "partial.csv"),
    }
    yield {"dir": d, "started": started, "before": before, "subs": subs, "subs_before": subs_before}
    for run in started.values():
        if run.proc.poll() is None:
            run.proc.kill()


def test_every_solution_scores_full_marks_and_files_stay_untouched(runs):
    done = runs["started"]["solutions"].result()
    gradebook = runs["dir"] / "solutions.csv"
    assert done.returncode == 0, done.stdout + done.stderr
    n = len(SOLUTIONS)
    assert n >= 8
    assert f"{n} notebook(s): {n} with full marks" in done.stdout
    for p in SOLUTIONS:
        assert (p.read_bytes(), os.stat(p).st_mtime_ns) == runs["before"][p]
    rows = list(csv.DictReader(gradebook.open(encoding="utf-8")))
    assert len(rows) == n
    for row in rows:
        assert row["status"] == "graded" and row["total"] == row["max_points"] and row["feedback"] == ""
    assert "01 sigmoid" in rows[0] and any("08 should_stop" in row for row in rows)


def test_a_folder_of_unmodified_exercises_scores_zero_without_a_crash(runs):
    gradebook = runs["dir"] / "exercises.csv"
    done = runs["started"]["exercises"].result()
    assert done.returncode == 1, done.stdout + done.stderr
    n = len(sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb")))
    assert n >= 8
    assert f"{n} notebook(s): 0 with full marks, {n} missing points, 0 could not be graded" in done.stdout
    assert "not attempted yet" in done.stdout and "Traceback" not in done.stdout + done.stderr
    rows = list(csv.DictReader(gradebook.open(encoding="utf-8")))
    assert [r["total"] for r in rows] == ["0"] * n
    assert all(r["status"] == "graded" for r in rows)


GOOD = '''import numpy as np
def sigmoid(z):
    z = np.asarray(z, float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
def weighted_sum(x, w, b):
    return x @ w + b
def neuron_output(x, w, b):
    return sigmoid(weighted_sum(x, w, b))
def and_not_gate():
    return np.array([1.0, -1.0]), -0.5
'''


# right everywhere, but the textbook sigmoid overflows for z = -1e4 (NumPy warns)
TEXTBOOK = GOOD.replace("    z = np.asarray(z, float)\n    e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))",
                        "    return 1 / (1 + np.exp(-z))")
assert TEXTBOOK != GOOD


def make(folder, name, *cells, lesson=1):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    if lesson:
        nb.metadata["course"] = {"lesson": lesson}
    nbformat.write(nb, folder / name)


def make_submissions(d):
    """A folder of broken lesson-01 submissions."""
    make(d, "01_syntax.ipynb", "def weighted_sum(x, w, b)\n    return x @ w + b", GOOD.replace("def weighted_sum", "def _ws"))
    make(d, "01_raises_then_defines_later.ipynb", "1 / 0", GOOD)
    make(d, "01_endless.ipynb", GOOD, "while True:\n    pass",
         "def and_not_gate():\n    while True:\n        try:\n            pass\n        except BaseException:\n            pass")
    make(d, "01_crash.ipynb", GOOD, "import os\nos._exit(1)",
         "def weighted_sum(x, w, b):\n    import os, signal\n    os.kill(os.getpid(), signal.SIGKILL)")
    make(d, "01_renamed.ipynb", GOOD.replace("def sigmoid", "def sigmoid2").replace("return sigmoid(", "return sigmoid2(")
         .replace("def and_not_gate():\n    return np.array([1.0, -1.0]), -0.5", "def and_not_gate():\n    return [1.0, 1.0]"))
    make(d, "01_cheat.ipynb", GOOD.replace("1 / (1 + e), e / (1 + e)", "0.5 + 0 * e, 0.5 + 0 * e"),
         "import course_lib.checks as C, course_lib.checks.lesson01 as L, course_lib.checks._core as K\n"
         "import numpy as np\n"
         "L.check_sigmoid = lambda f: print('✔ sigmoid: all 6 tests passed')\n"
         "def check_sigmoid(f):\n    print('✔ sigmoid: all 6 tests passed')\n"
         "K.evaluate = lambda *a, **k: None\nK.same_array = lambda *a, **k: (lambda got: None)\n"
         "np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n"
         "print('✔ sigmoid: all 6 tests passed')")
    (d / "01_not_json.ipynb").write_text("{ this is not a notebook")
    make(d, "unknown_lesson.ipynb", GOOD, lesson=None)
    make(d, "renamed_by_lms.ipynb", GOOD)  # lesson from metadata, not from the name


@pytest.fixture(scope="module")
def robustness(runs):
    done = runs["started"]["robustness"].result()
    d = runs["subs"]
    after = {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in d.iterdir()}
    gradebook = runs["dir"] / "robustness.csv"
    rows = {Path(r["notebook"]).name: r for r in csv.DictReader(gradebook.open(encoding="utf-8"))}
    return done, rows, runs["subs_before"], after


def section(out, name):
    start = out.index(name)
    end = out.find("\n== ", start)
    return out[start:end if end > 0 else None]


def test_bad_submissions_never_stop_the_batch(robustness):
    done, rows, before, after = robustness
    assert done.returncode == 1, done.stdout + done.stderr      # all handled; two could not be graded
    assert len(rows) == 9
    assert before == after                                        # nothing was modified
    assert "9 notebook(s): 2 with full marks, 5 missing points, 2 could not be graded" in done.stdout


def test_syntax_error_and_exceptions_in_cells(robustness):
    done, rows, _, _ = robustness
    syn = section(done.stdout, "01_syntax.ipynb")
    assert "SyntaxError" in syn and "weighted_sum() not found" in syn
    assert rows["01_syntax.ipynb"]["total"] == "3"  # neuron_output calls the missing weighted_sum
    later = section(done.stdout, "01_raises_then_defines_later.ipynb")
    assert "ZeroDivisionError" in later
    assert rows["01_raises_then_defines_later.ipynb"]["total"] == "6"


def test_endless_loops_in_cells_and_in_checked_functions(robustness):
    done, rows, _, _ = robustness
    out = section(done.stdout, "01_endless.ipynb")
    assert "timed out after 2 s (an endless loop?) and was interrupted" in out
    assert "and_not_gate() did not stop" in out or "timed out" in out.split("and_not_gate")[1]
    assert rows["01_endless.ipynb"]["total"] == "5"


def test_a_crashing_kernel(robustness):
    done, rows, _, _ = robustness
    out = section(done.stdout, "01_crash.ipynb")
    assert "crashed the kernel" in out
    assert rows["01_crash.ipynb"]["01 sigmoid"] == "2"
    assert rows["01_crash.ipynb"]["01 weighted_sum"] == "0"


def test_renamed_function_and_wrong_return_type(robustness):
    done, rows, _, _ = robustness
    out = section(done.stdout, "01_renamed.ipynb")
    assert "sigmoid() not found; did you rename it to 'sigmoid2'?" in out
    assert "wrong type" in out.split("and_not_gate")[1]
    assert rows["01_renamed.ipynb"]["total"] == "3"


def test_redefining_the_checks_earns_nothing(robustness):
    """The cheat's sigmoid returns 0.5 everywhere: it earns exactly what that constant earns
    honestly (right for z = 0 in 2 of sigmoid's 6 tests, in 1 of neuron_output's 6), nothing
    for the patched checks."""
    from course_lib.checks import _core, lesson01
    done, rows, _, _ = robustness
    out = section(done.stdout, "01_cheat.ipynb")
    honest = {ex.name: _core.run(ex, fn, quiet=True, seed=SEED).points for ex, fn in
              [(lesson01.EXERCISES[1], lambda z: np.full(np.shape(z), 0.5)),
               (lesson01.EXERCISES[2], lambda x, w, b: np.full(np.shape(x @ w + b), 0.5))]}
    assert honest == {"sigmoid": 0.6, "neuron_output": 0.3}
    assert rows["01_cheat.ipynb"]["01 sigmoid"] == "0.6"
    assert rows["01_cheat.ipynb"]["01 neuron_output"] == "0.3"
    assert "2 of 6 passed; test 2 failed: wrong values" in out
    z = _core.build_cases(lesson01.EXERCISES[1], SEED)[1].args[0]     # test 2: z = 7 times a factor
    assert f"expected: {_core.show(np.asarray(1 / (1 + np.exp(-z))))}" in out


def test_ungradable_notebooks_say_why(robustness):
    done, rows, _, _ = robustness
    assert rows["01_not_json.ipynb"]["status"] == "could not be graded"
    assert "not a readable notebook" in rows["01_not_json.ipynb"]["feedback"]
    assert "cannot tell which lesson" in rows["unknown_lesson.ipynb"]["feedback"]
    assert rows["renamed_by_lms.ipynb"]["total"] == "6"


def test_lesson_from_metadata_or_file_name():
    nb = nbformat.v4.new_notebook()
    assert grader.find_lesson("03_loss - alice.ipynb", nb) == 3
    nb.metadata["course"] = {"lesson": 5}
    assert grader.find_lesson("03_loss.ipynb", nb) == 5
    with pytest.raises(LookupError):
        grader.find_lesson("loss.ipynb", nbformat.v4.new_notebook())


def test_no_notebooks_is_an_error(tmp_path):
    assert run_grader(tmp_path).returncode == 2


def test_the_course_grade_console_script_grades(tmp_path):
    """Installing the course (pyproject's [project.scripts]) puts ``course-grade`` next to Python."""
    script = Path(sys.executable).parent / ("course-grade.exe" if os.name == "nt" else "course-grade")
    assert script.is_file(), f"{script} is missing: reinstall the course (pip install -e \".[dev]\")"
    helped = subprocess.run([str(script), "--help"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert helped.returncode == 0, helped.stdout + helped.stderr
    assert helped.stdout.startswith("usage: course-grade ")
    for option in ("PATH", "--csv FILE", "--timeout SECONDS", "--notebook-timeout SECONDS", "--details"):
        assert option in helped.stdout
    gradebook = tmp_path / "gradebook.csv"
    done = subprocess.run([str(script), str(ROOT / "solutions" / "01_neuron_solutions.ipynb"), "--csv", str(gradebook)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 notebook(s): 1 with full marks, 0 missing points, 0 could not be graded" in done.stdout
    [row] = csv.DictReader(gradebook.open(encoding="utf-8"))
    assert row["status"] == "graded" and row["total"] == row["max_points"] == "6"


def test_partial_points_in_the_table_the_gradebook_and_the_exit_status(runs):
    """A textbook sigmoid loses only its stability test (1.6 of 2 points); neuron_output, which
    calls it, overflows on its large-|z| tests but gets the right values there: full marks."""
    done = runs["started"]["partial"].result()
    assert done.returncode == 1, done.stdout + done.stderr   # points missing, nothing ungradable
    assert "1 notebook(s): 0 with full marks, 1 missing points, 0 could not be graded" in done.stdout
    assert "   exercise       points   feedback\n" in done.stdout
    assert "   sigmoid        1.6 / 2  ✘ 5 of 6 passed; test 5 failed: numerical problem\n" in done.stdout
    assert "   neuron_output    2 / 2  ✔ all 6 tests passed\n" in done.stdout
    assert "   total          5.6 / 6\n" in done.stdout
    [row] = csv.DictReader((runs["dir"] / "partial.csv").open(encoding="utf-8"))
    assert row["status"] == "graded"
    assert (row["01 weighted_sum"], row["01 sigmoid"], row["01 neuron_output"], row["01 and_not_gate"]) == \
        ("1", "1.6", "2", "1")
    assert (row["total"], row["max_points"]) == ("5.6", "6")
    assert row["feedback"] == "sigmoid: 5 of 6 passed; test 5 failed: numerical problem"
