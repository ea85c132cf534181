"""Where classes are graded: the gradebook formats (CSV with a student column, JSON report,
Gradescope's and PrairieLearn's results.json) and the Gradescope autograder bundle, whose
``run_autograder`` runs here against a temporary ``/autograder``-style folder."""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_lib.grading import bundle

import helpers

ROOT = Path(__file__).resolve().parent.parent

GOOD = helpers.GOOD_LESSON01
TEXTBOOK = GOOD.replace("def sigmoid(z):\n    return _sig(z)", "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))")

# Gradescope's results.json, as its autograder specification describes it
# (https://gradescope-autograders.readthedocs.io/en/latest/specs/#output-format)
VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
GRADESCOPE_SCHEMA = {
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "test_output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "test_name_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "visibility": VISIBILITY,
        "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": {
            "type": "object",
            "properties": {
                "score": {"type": "number"}, "max_score": {"type": "number"},
                "status": {"enum": ["passed", "failed"]}, "name": {"type": "string"},
                "name_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
                "number": {"type": "string"}, "output": {"type": "string"},
                "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
                "tags": {"type": "array", "items": {"type": "string"}},
                "visibility": VISIBILITY, "extra_data": {"type": "object"},
            },
            "additionalProperties": False,
        }},
        "leaderboard": {"type": "array"},
    },
    "anyOf": [{"required": ["score"]}, {"required": ["tests"]}],
    "additionalProperties": False,
}


def make(path, *cells, lesson=1):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["course"] = {"lesson": lesson}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def grade(*args):
    return subprocess.Popen([sys.executable, "-m", "course_lib.grading", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The slow runs, started together: a two-learner batch writing every format, and the
    Gradescope bundle's run_autograder on one submission and on an empty one."""
    d = tmp_path_factory.mktemp("services")
    make(d / "batch" / "alice" / "01_neuron.ipynb", GOOD)
    make(d / "batch" / "bob" / "01_neuron.ipynb", TEXTBOOK)
    batch = grade(d / "batch", "--seed", "5", "--csv", d / "g.csv", "--json", d / "r.json",
                  "--gradescope", d / "gs.json", "--prairielearn", d / "pl.json", "--jobs", "2")
    source = bundle.build(d / "bundle")
    bundle.write_zip(source, d / "autograder.zip")
    envs, procs = {}, {}
    for name, cells in (("one", [GOOD]), ("empty", None)):
        root = d / name
        (root / "submission").mkdir(parents=True)
        if cells:
            make(root / "submission" / "my notebook.ipynb", *cells)
        env = dict(os.environ, AUTOGRADER_ROOT=str(root), COURSE_GRADE_PYTHON=sys.executable)
        procs[name] = subprocess.Popen(["bash", str(source / "run_autograder")], cwd=root, env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        envs[name] = root
    out = {"dir": d, "batch": batch.communicate(timeout=600) + (batch.returncode,)}
    for name, p in procs.items():
        out[name] = p.communicate(timeout=600) + (p.returncode,)
        out[name + "_results"] = json.loads((envs[name] / "results" / "results.json").read_text())
    return out


def test_csv_has_a_student_column_total_and_max_points(runs):
    stdout, stderr, rc = runs["batch"]
    assert rc == 1, stdout + stderr
    rows = list(csv.DictReader((runs["dir"] / "g.csv").open(encoding="utf-8")))
    assert [(r["student"], r["total"], r["max_points"]) for r in rows] == [("alice", "6", "6"), ("bob", "5.6", "6")]
    assert list(rows[0])[:4] == ["student", "notebook", "lesson", "status"]


def test_json_report(runs):
    report = json.loads((runs["dir"] / "r.json").read_text())
    assert report["seed"] == 5 and report["sandbox"]
    alice, bob = report["submissions"]
    assert (alice["student"], alice["total"], alice["max_points"]) == ("alice", 6, 6)
    sig = [e for e in bob["exercises"] if e["name"] == "sigmoid"][0]
    assert (sig["points"], sig["max_points"], sig["tests_passed"], sig["tests"]) == (1.6, 2, 5, 6)
    assert "numerical problem" in sig["feedback"]


def test_gradescope_and_prairielearn_results(runs):
    jsonschema = pytest.importorskip("jsonschema")
    gs = json.loads((runs["dir"] / "gs.json").read_text())
    jsonschema.validate(gs, GRADESCOPE_SCHEMA)
    assert gs["score"] == 11.6 and len(gs["tests"]) == 8
    assert {t["name"] for t in gs["tests"]} >= {"01_neuron.ipynb: 01 sigmoid"}
    pl = json.loads((runs["dir"] / "pl.json").read_text())
    assert pl["gradable"] is True and pl["score"] == pytest.approx(11.6 / 12)
    assert {"name", "points", "max_points", "output"} <= set(pl["tests"][0])


def test_the_gradescope_bundle_runs_and_its_results_validate(runs):
    jsonschema = pytest.importorskip("jsonschema")
    stdout, stderr, rc = runs["one"]
    assert rc == 0, stdout + stderr
    results = runs["one_results"]
    jsonschema.validate(results, GRADESCOPE_SCHEMA)
    assert results["score"] == 6
    assert [(t["name"], t["score"], t["max_score"], t["status"]) for t in results["tests"]] == [
        ("01 weighted_sum", 1, 1, "passed"), ("01 sigmoid", 2, 2, "passed"),
        ("01 neuron_output", 2, 2, "passed"), ("01 and_not_gate", 1, 1, "passed")]
    assert "seed" in results["output"]


def test_an_empty_submission_still_gets_results(runs):
    jsonschema = pytest.importorskip("jsonschema")
    results = runs["empty_results"]
    jsonschema.validate(results, GRADESCOPE_SCHEMA)
    assert results["score"] == 0 and "no notebook" in results["output"]


def test_the_bundle_holds_setup_run_autograder_dockerfile_and_the_course(runs):
    import zipfile
    names = set(zipfile.ZipFile(runs["dir"] / "autograder.zip").namelist())
    assert {"setup.sh", "run_autograder", "Dockerfile", "course/pyproject.toml",
            "course/course_lib/grading/grader.py", "course/course_lib/checks/lesson01.py"} <= names
    assert not any("__pycache__" in n for n in names)
    setup = (runs["dir"] / "bundle" / "setup.sh").read_text()
    assert "bubblewrap" in setup and "pip install" in setup
    docker = (runs["dir"] / "bundle" / "Dockerfile").read_text()
    assert "bubblewrap" in docker and 'ENTRYPOINT ["course-grade"]' in docker
    assert os.access(runs["dir"] / "bundle" / "run_autograder", os.X_OK)


def test_solutions_marked_for_nbgrader_generate_assignment(tmp_path):
    """nbgrader's ClearSolutions (nbgrader/preprocessors/clearsolutions.py) cuts the lines between
    comment_mark + "## BEGIN SOLUTION" and comment_mark + "## END SOLUTION" (default mark "#"),
    and refuses a cell that holds them unless its metadata marks it as a solution cell; nbgrader
    also wants a unique grade_id per marked cell."""
    from course_lib.grading import make_exercises
    assert make_exercises.BEGIN == "#" + "## BEGIN SOLUTION" and make_exercises.END == "#" + "## END SOLUTION"
    written = make_exercises.write_nbgrader_source(ROOT / "solutions", tmp_path)
    assert len(written) == len(list((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb")))
    ids = []
    for path in written:
        # source/NN_name/NN_name_exercises.ipynb: the assignment is the lesson, the file the learners' name
        assert path.parent.parent == tmp_path / "source" and path.name == f"{path.parent.name}_exercises.ipynb"
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader")
            if make_exercises.BEGIN in cell.source:
                assert meta == {"grade": False, "grade_id": meta["grade_id"], "locked": False,
                                "schema_version": 3, "solution": True, "task": False}
                ids.append(meta["grade_id"])
            else:
                assert meta is None
    assert len(ids) == len(set(ids)) and len(ids) >= 30
