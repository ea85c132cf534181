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

It works in a clone of the course (an editable install, ``pip install -e .``), where
``solutions/`` and ``exercises/`` sit next to ``course_lib/``. From an installed copy of
``course_lib`` (e.g. in ``site-packages``) there are no solutions next to the package: it
then refuses with exit status 2 instead of writing ``site-packages/exercises`` (or
reporting an empty folder "up to date"), unless both folders are named with ``--solutions``
and ``--exercises``.
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


def is_checkout(root=None):
    """Is ``root`` (default: the folder above ``course_lib/``) a clone of the course?"""
    root = Path(ROOT if root is None else root)
    return (root / "solutions").is_dir() and (root / "pyproject.toml").is_file()


def _refuse(message):
    print(f"make_exercises: {message}", file=sys.stderr)
    return 2


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m course_lib.grading.make_exercises",
        description="Generate exercises/ from solutions/ (in a clone of the course).")
    parser.add_argument("--solutions", help="source folder (default: solutions/ of the checkout)")
    parser.add_argument("--exercises", help="target folder (default: exercises/ of the checkout)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if exercises/ is not what would be generated")
    args = parser.parse_args(argv)
    if (args.solutions is None or args.exercises is None) and not is_checkout():
        return _refuse(
            f"no course checkout around this course_lib (there is no {ROOT / 'solutions'}): "
            "it is an installed copy, and the exercises are made from the solution notebooks "
            "of the course's repository. Run it from a clone of the course: in the course "
            "folder run `python -m pip install -e .`, then `python -m course_lib.grading.make_exercises` "
            "(or `make exercises`). Or name both folders: --solutions DIR --exercises DIR.")
    args.solutions = args.solutions or str(ROOT / "solutions")
    args.exercises = args.exercises or str(ROOT / "exercises")
    if not Path(args.solutions).is_dir():
        return _refuse(f"the solutions folder {args.solutions} does not exist: name the folder of "
                       "the solution notebooks with --solutions DIR, or run it from a clone of the "
                       "course without --solutions.")
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
