"""Small helpers shared by several test files."""
from pathlib import Path

import nbformat
import numpy as np

from course_lib.layers import Dropout

ROOT = Path(__file__).resolve().parent.parent
#: every lesson that has graded exercises (a solution notebook)
SOLUTION_LESSONS = sorted(int(p.name[:2]) for p in (ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))


def solution_path(lesson):
    return next((ROOT / "solutions").glob(f"{lesson:02d}_*.ipynb"))


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
