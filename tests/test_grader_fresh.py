"""Fresh inputs: the graded checks draw their inputs from the grader's seed, so an answer must
be computed; the notebooks' instant checks keep their fixed inputs."""
import base64
import csv
import hashlib
import pickle
import subprocess
import sys

import nbformat
import numpy as np
import pytest

from course_lib import checks
from course_lib.checks import _core
from helpers import ROOT, SOLUTION_LESSONS, solution_namespace


def inputs(cases):
    return [pickle.dumps((c.args, c.kwargs)) for c in cases]


@pytest.mark.parametrize("lesson", SOLUTION_LESSONS)
def test_a_seed_draws_new_inputs_and_the_reference_still_passes(lesson):
    ns = solution_namespace(lesson)
    for ex in checks.exercises(lesson):
        fixed = _core.build_cases(ex, None)
        fresh = _core.build_cases(ex, 11)
        assert len(fresh) == len(fixed), ex.name                        # same tests, same count
        assert inputs(_core.build_cases(ex, None)) == inputs(fixed)      # instant checks: fixed
        assert inputs(_core.build_cases(ex, 11)) == inputs(fresh)        # a seed reproduces
        if any(c.args or c.kwargs for c in fixed):                       # (some take no input)
            assert inputs(fresh) != inputs(fixed), f"{ex.name}: the seed changed no input"
            assert inputs(_core.build_cases(ex, 12)) != inputs(fresh), ex.name
        for seed in (11, 12):
            r = _core.run(ex, ns[ex.function], quiet=True, seed=seed)
            assert r.passed, f"lesson {lesson:02d} {ex.name}, seed {seed}: {r.message}"


def _key(args, kwargs):
    def one(x):
        if isinstance(x, np.ndarray):
            return ("array", x.shape, hashlib.sha256(np.ascontiguousarray(x).tobytes()).hexdigest())
        if isinstance(x, (list, tuple)):
            return tuple(one(v) for v in x)
        if isinstance(x, dict):
            return tuple(sorted((k, one(v)) for k, v in x.items()))
        return repr(x)
    return repr((one(args), one(kwargs)))


LOOKUP = '''import base64, hashlib, pickle
import numpy as np
_TABLE = pickle.loads(base64.b64decode({table!r}))
{key}
def _answer(name, args, kwargs):
    found = _TABLE[name].get(_key(args, kwargs))
    return found if found is not None else next(iter(_TABLE[name].values()))
'''


def lookup_notebook(lesson, path):
    """A notebook with no formula: each function returns the reference's answer to the fixed
    check input it recognises (and some stored answer otherwise)."""
    import inspect
    ns = solution_namespace(lesson)
    table, cells = {}, []
    for ex in checks.exercises(lesson):
        answers = {}
        for c in _core.build_cases(ex, None):
            with np.errstate(all="ignore"):
                answers[_key(c.args, c.kwargs)] = ns[ex.function](*pickle.loads(pickle.dumps(c.args)), **c.kwargs)
        table[ex.function] = answers
        cells.append(f"def {ex.function}(*args, **kwargs):\n    return _answer({ex.function!r}, args, kwargs)")
    blob = base64.b64encode(pickle.dumps(table)).decode()
    head = LOOKUP.format(table=blob, key=inspect.getsource(_key))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(head), *map(nbformat.v4.new_code_cell, cells)]
    nb.metadata["course"] = {"lesson": lesson}
    nbformat.write(nb, path)


def test_a_lookup_table_of_answers_to_the_fixed_inputs_scores_near_zero(tmp_path):
    lessons = (1, 3)
    for lesson in lessons:
        lookup_notebook(lesson, tmp_path / f"{lesson:02d}_lookup.ipynb")
    # with the fixed inputs the table passes every check: it is a real lookup table
    for lesson in lessons:
        ns = {}
        nb = nbformat.read(tmp_path / f"{lesson:02d}_lookup.ipynb", as_version=4)
        for cell in nb.cells:
            exec(compile(cell.source, "lookup", "exec"), ns)
        for ex in checks.exercises(lesson):
            assert _core.run(ex, ns[ex.function], quiet=True).passed, ex.name
    gradebook = tmp_path / "g.csv"
    done = subprocess.run([sys.executable, "-m", "course_lib.grading", str(tmp_path), "--csv", str(gradebook),
                           "--seed", "5"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    rows = {int(r["lesson"]): r for r in csv.DictReader(gradebook.open(encoding="utf-8"))}
    for lesson in lessons:   # graded with fresh inputs: near zero (a question without input, such
        # as lesson 01's and_not_gate(), has one right answer, which a table holds too)
        with_inputs = [ex for ex in checks.exercises(lesson) if any(c.args or c.kwargs for c in _core.build_cases(ex))]
        earned = sum(float(rows[lesson][ex.column]) for ex in with_inputs)
        assert earned <= 0.15 * sum(ex.points for ex in with_inputs), (lesson, rows[lesson])
