"""Small helpers shared by several test files."""
import importlib.util
from pathlib import Path

import nbformat
import numpy as np

from course_lib import checks
from course_lib.checks import _core
from course_lib.layers import Dropout

ROOT = Path(__file__).resolve().parent.parent
#: every lesson that has graded exercises (a solution notebook)
SOLUTION_LESSONS = sorted(int(p.name[:2]) for p in (ROOT / "solutions").glob("[0-9][0-9]_*_solutions.ipynb"))


def load_module(path, name=None):
    """Import the Python file ``path`` (a tool in tools/, another test file) as a module."""
    path = Path(path)
    spec = importlib.util.spec_from_file_location(name or f"course_test_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_tool(name):
    """``tools/<name>.py`` as a module (the tools are scripts, not a package)."""
    return load_module(ROOT / "tools" / f"{name}.py", f"course_tool_{name}")


def exercise(lesson, name):
    """The registered ``Exercise`` called ``name`` of ``lesson``."""
    return next(ex for ex in checks.exercises(lesson) if ex.name == name)


def check_result(lesson, name, fn, **kw):
    """Run exercise ``name``'s check on ``fn`` in this process, quietly; the ``Result``."""
    return _core.run(exercise(lesson, name), fn, quiet=True, **kw)


def solution_path(lesson):
    """``solutions/NN_name_solutions.ipynb`` of ``lesson``."""
    return next((ROOT / "solutions").glob(f"{lesson:02d}_*_solutions.ipynb"))


def exercise_path(lesson):
    """``exercises/NN_name_exercises.ipynb`` of ``lesson`` (generated from its solution)."""
    return next((ROOT / "exercises").glob(f"{lesson:02d}_*_exercises.ipynb"))


def solution_namespace(lesson):
    """The learner-facing functions of a solution notebook: its setup cells and answer cells."""
    nb = nbformat.read(solution_path(lesson), as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    first = next(i for i, src in enumerate(code) if "### BEGIN SOLUTION" in src)
    ns = {}
    for src in code[:first]:  # setup: the Colab/VS Code setup cell, then the imports
        exec(src, ns)
    for src in code[first:]:
        if "### BEGIN SOLUTION" in src:
            exec(src, ns)
    return ns


class FixedMaskDropout(Dropout):
    """Dropout whose generator is re-seeded before each forward: the same mask every call,
    so that finite differences see one fixed function."""

    def __init__(self, p, seed):
        super().__init__(p, rng=seed)
        self.seed = seed

    def forward(self, x):
        self.rng = np.random.default_rng(self.seed)
        return super().forward(x)


#: a lesson-01 submission that answers every exercise right (the grader tests' baseline)
GOOD_LESSON01 = '''import numpy as np
def _sig(z):
    z = np.asarray(z, float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
def sigmoid(z):
    return _sig(z)
def weighted_sum(x, w, b):
    return x @ w + b
def neuron_output(x, w, b):
    return _sig(x @ w + b)
def and_not_gate():
    return np.array([1.0, -1.0]), -0.5
'''
