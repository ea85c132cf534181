"""Generate ``exercises/`` from ``solutions/``: ``python -m course_lib.grading.make_exercises [--check]``.

``solutions/NN_name_solutions.ipynb`` are the single source. In each code cell, every block
between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers) becomes::

    # YOUR CODE HERE
    raise NotImplementedError()

indented like the ``### BEGIN SOLUTION`` line (in a Markdown cell it becomes ``YOUR ANSWER
HERE``). Outputs and execution counts are cleared; everything else (cell ids, tags, the
notebook's ``course.lesson`` metadata) is kept. The result is written to ``exercises/`` as
``NN_name_exercises.ipynb`` (``exercise_name``), so that in JupyterLab the tabs of a lesson
(``NN_name.ipynb``), its exercises and its solutions never read the same.

``--nbgrader-source DIR`` writes the solutions into nbgrader's ``DIR/source/NN_name/`` (as
``NN_name_exercises.ipynb``, the name the learners get) with the cells that hold answers
marked as nbgrader solution cells, for courses that hand out assignments with ``nbgrader
generate_assignment`` (the markers are nbgrader's own).

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
SOLUTION_SUFFIX = "_solutions.ipynb"
EXERCISE_SUFFIX = "_exercises.ipynb"
_NAME = re.compile(r"^\d{2}_.+_solutions\.ipynb$")   # a solution notebook


def exercise_name(solution_name):
    """``NN_name_solutions.ipynb`` -> ``NN_name_exercises.ipynb``."""
    if not _NAME.match(solution_name):
        raise ValueError(f"{solution_name}: a solution notebook is named NN_name{SOLUTION_SUFFIX}")
    return solution_name[: -len(SOLUTION_SUFFIX)] + EXERCISE_SUFFIX


def assignment_name(solution_name):
    """``NN_name_solutions.ipynb`` -> ``NN_name`` (the lesson's name)."""
    return exercise_name(solution_name)[: -len(EXERCISE_SUFFIX)]


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


def nbgrader_source(nb, stem):
    """A copy of the solution notebook ``nb`` that ``nbgrader generate_assignment`` takes as it
    is: the markers are already nbgrader's (its default comment mark ``#`` and delimiters
    ``## BEGIN SOLUTION`` / ``## END SOLUTION``), and nbgrader also wants every cell that holds
    them marked as a solution cell with a unique ``grade_id`` (else: "Solution region detected
    in a non-solution cell"). Autograding stays with ``course-grade``, so no cell is a grade cell.
    """
    nb = nbformat.from_dict(nb)
    for i, cell in enumerate(nb.cells):
        if BEGIN in cell.source:
            m = re.search(r"^def (\w+)\(", cell.source, re.MULTILINE)
            cell.metadata["nbgrader"] = {
                "grade": False, "grade_id": f"{stem}-{m.group(1) if m else f'cell{i}'}-{i}",
                "locked": False, "schema_version": 3, "solution": True, "task": False}
    return nb


def write_nbgrader_source(solutions, course_dir):
    """``course_dir/source/NN_name/NN_name_exercises.ipynb`` for every solution notebook
    ``NN_name_solutions.ipynb``: nbgrader's layout (``nbgrader generate_assignment NN_name`` in
    ``course_dir`` then writes ``release/``)."""
    written = []
    for p in sorted(Path(solutions).glob("*.ipynb")):
        if _NAME.match(p.name):
            name = assignment_name(p.name)
            target = Path(course_dir) / "source" / name / exercise_name(p.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nbgrader_source(nbformat.read(p, as_version=4), name), target)
            written.append(target)
    return written


def render(solution_path):
    """The exercise notebook's text for one solution notebook."""
    nb = nbformat.read(solution_path, as_version=4)
    try:
        exercise = make_exercise(nb)
    except ValueError as e:
        raise ValueError(f"{solution_path}: {e}") from None
    return nbformat.writes(exercise) + "\n"


def plan(solutions, exercises):
    """``{exercise path: text}`` for every solution notebook (``exercise_name``)."""
    return {Path(exercises) / exercise_name(p.name): render(p)
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
    for path in sorted(Path(solutions).glob("[0-9][0-9]_*.ipynb")):
        if not _NAME.match(path.name):
            problems.append(f"{path}: not named NN_name{SOLUTION_SUFFIX}, so no exercise is made from it")
    for path in sorted(Path(exercises).glob("*.ipynb")):
        if re.match(r"^\d{2}_", path.name) and path not in wanted:
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
    parser.add_argument("--nbgrader-source", metavar="DIR",
                        help="instead: write the solutions, marked for nbgrader, into DIR/source/")
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
    if args.nbgrader_source:
        for p in write_nbgrader_source(args.solutions, args.nbgrader_source):
            print(f"wrote {p}")
        return 0
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
