"""Generate ``exercises/`` from ``solutions/``: ``python -m course_lib.grading.make_exercises [--check]``.

``solutions/NN_*.ipynb`` are the single source. In each code cell, every block between
``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers) becomes::

    # YOUR CODE HERE
    raise NotImplementedError()

indented like the ``### BEGIN SOLUTION`` line (in a Markdown cell it becomes ``YOUR ANSWER
HERE``). Outputs and execution counts are cleared; everything else (cell ids, tags, the
notebook's ``course.lesson`` metadata) is kept. The result is written to ``exercises/`` under
the same file name.

``--check`` writes nothing: it exits 1 and lists the files when ``exercises/`` differs from
what this command would generate now (stale, missing or extra notebooks), else exits 0.
"""
import argparse
import re
import sys
from pathlib import Path

import nbformat

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
ROOT = Path(__file__).resolve().parents[2]   # the checkout: course_lib/grading/ -> ../..
_NAME = re.compile(r"^\d{2}_.+\.ipynb$")


def strip_solutions(source, markdown=False):
    """Replace every BEGIN/END SOLUTION block of ``source`` with the placeholder."""
    lines = source.splitlines()
    out, inside = [], False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ValueError(f"line {number}: {BEGIN} inside another solution block")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            if markdown:
                out.append(indent + "YOUR ANSWER HERE")
            else:
                out += [indent + "# YOUR CODE HERE", indent + "raise NotImplementedError()"]
        elif stripped == END:
            if not inside:
                raise ValueError(f"line {number}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{BEGIN} is never closed by {END}")
    return "\n".join(out)


def make_exercise(nb):
    """A copy of the solution notebook ``nb`` with answers cut out and outputs cleared."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source)
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown" and BEGIN in cell.source:
            cell.source = strip_solutions(cell.source, markdown=True)
    return nb


def render(solution_path):
    """The exercise notebook's text for one solution notebook."""
    nb = nbformat.read(solution_path, as_version=4)
    try:
        exercise = make_exercise(nb)
    except ValueError as e:
        raise ValueError(f"{solution_path}: {e}") from None
    return nbformat.writes(exercise) + "\n"


def plan(solutions, exercises):
    """``{exercise path: text}`` for every solution notebook."""
    return {Path(exercises) / p.name: render(p)
            for p in sorted(Path(solutions).glob("*.ipynb")) if _NAME.match(p.name)}


def stale(solutions, exercises):
    """Exercise files that differ from what would be generated, or that have no solution."""
    wanted = plan(solutions, exercises)
    problems = []
    for path, text in wanted.items():
        if not path.exists():
            problems.append(f"{path}: missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{path}: out of date")
    for path in sorted(Path(exercises).glob("*.ipynb")):
        if _NAME.match(path.name) and path not in wanted:
            problems.append(f"{path}: has no solution notebook in {solutions}")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m course_lib.grading.make_exercises",
                                     description="Generate exercises/ from solutions/.")
    parser.add_argument("--solutions", default=str(ROOT / "solutions"), help="source folder")
    parser.add_argument("--exercises", default=str(ROOT / "exercises"), help="target folder")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if exercises/ is not what would be generated")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale(args.solutions, args.exercises)
        for p in problems:
            print(p)
        if problems:
            print("exercises/ is out of date: run  python -m course_lib.grading.make_exercises  (make exercises)")
            return 1
        print("exercises/ is up to date")
        return 0
    Path(args.exercises).mkdir(parents=True, exist_ok=True)
    for path, text in plan(args.solutions, args.exercises).items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    for p in stale(args.solutions, args.exercises):
        print(f"warning: {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
