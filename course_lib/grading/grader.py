"""Grade learners' exercise notebooks: ``course-grade PATH... [--csv FILE]``.

(``course-grade`` is the console script the course installs; ``python -m course_lib.grading``
runs the same ``main``.)

PATHs are notebooks or folders (searched recursively, ``.ipynb_checkpoints`` skipped).
For each notebook the grader

1. reads it (the file is only read: never written, its bytes and mtime stay as they were),
2. finds its lesson: the notebook metadata ``{"course": {"lesson": 1}}`` (which the
   solutions and exercises carry, and which survives renaming the file) and, when that is
   absent, the two-digit prefix of the file name (``01_neuron.ipynb``, ``01-alice.ipynb``),
3. writes a copy into a fresh temporary folder and executes it there, cell by cell, in a
   fresh kernel (nbclient). A cell that raises does not stop the run: the error is noted and
   the next cell runs, so a function defined in a later cell is still graded. A cell that
   runs past ``--timeout`` or kills the kernel is noted and skipped: the kernel is restarted
   and the notebook re-run without that cell.
4. then, in that kernel, calls the learner's functions on the lesson's test inputs
   (``course_lib.checks.lessonNN``), whether or not the notebook still has its check cells,
   and judges the answers in the grader's own process.

Output: a table per notebook (exercise, points, feedback) and its total; ``--csv FILE`` writes
a gradebook, one row per notebook, one column per exercise, the total and the feedback.
Points are per test: an exercise earns its points times the share of its tests that passed,
rounded down to a tenth of a point (``checks._core.partial_points``: 2 points, 5 of 6 tests
passed -> 1.6); whole numbers are written without a decimal point.
Exit status: 0 when every notebook earns full marks (every test of every exercise passed),
1 when points are missing (partial points included), 2 when a
notebook could not be graded (unreadable, unknown lesson, kernel failed to start).

Trust model
-----------
The learner's notebook is untrusted code. It runs only in the kernel, a separate process in
a throw-away folder. It can do anything there: redefine ``check_*`` functions, monkey-patch
``course_lib.checks`` or NumPy, print "✔ all tests passed", forge files. None of that counts,
because nothing the kernel *says* is believed:

* The test cases (inputs *and* the reference answers) are built in the grader process from
  ``course_lib``'s own code, which the learner's code never touches. Only the inputs are
  sent to the kernel (a pickle written by the grader, read by the kernel).
* In the kernel, ``checks/_call.py`` (read from disk and executed in a fresh namespace, so
  a patched ``course_lib.checks`` module is never used) calls each learner function on
  copies of the inputs, under a time limit, with NumPy warnings raised as errors in the
  stability tests (``Case.warnings_fail``) and only recorded in the others, and
  writes the answers as plain data (JSON; arrays as bytes) to a result file whose name
  carries a random per-run token.
* The grader reads that file without unpickling or executing anything, and judges every
  answer against the reference it kept to itself.

So the only way to earn a point is for the learner's function to return the right answer
to inputs it first sees at grading time. (What the check cannot tell is *how* the answer was
computed: a learner who calls ``course_lib``'s own implementation gets it right. The
exercises say so; an instructor who cares can read the code.) Timeouts hold per cell, per
call of a learner's function (SIGALRM in the kernel, then an interrupt-proof kill of the
kernel) and per notebook (``--notebook-timeout``). One bad submission never stops a batch.
"""
import argparse
import csv
import json
import math
import os
import pickle
import re
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import checks
from ..checks import _core

#: restart the kernel at most this many times per notebook (after a crash or a timeout)
MAX_SESSIONS = 5

_PREFIX = re.compile(r"^(\d{2})(?:[_\-\s.]|$)")


@dataclass
class NotebookGrade:
    path: Path
    lesson: int | None = None
    results: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    error: str | None = None      # set when the notebook could not be graded
    seconds: float = 0.0

    @property
    def points(self):
        return _core.total_points(r.points for r in self.results)

    @property
    def max_points(self):
        return sum(r.exercise.points for r in self.results)

    @property
    def full_marks(self):
        return self.error is None and all(r.passed for r in self.results)


# ------------------------------------------------------------------------------------------
# finding notebooks and their lesson
# ------------------------------------------------------------------------------------------
def find_notebooks(paths):
    """Notebooks named by ``paths`` (files or folders, searched recursively), in order."""
    found = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(q for q in p.rglob("*.ipynb") if ".ipynb_checkpoints" not in q.parts))
        else:
            found.append(p)
    return found


def find_lesson(path, nb):
    """The lesson number: notebook metadata ``course.lesson`` first, then the file name prefix."""
    meta = nb.get("metadata", {}).get("course", {})
    lesson = meta.get("lesson") if isinstance(meta, dict) else None
    if isinstance(lesson, int) and not isinstance(lesson, bool):
        return lesson
    if isinstance(lesson, str) and lesson.isdigit():
        return int(lesson)
    m = _PREFIX.match(Path(path).name)
    if m:
        return int(m.group(1))
    raise LookupError("cannot tell which lesson this is: the notebook metadata has no "
                      "course.lesson and the file name does not start with its number (01_...)")


# ------------------------------------------------------------------------------------------
# running one notebook
# ------------------------------------------------------------------------------------------
_GRADING_CELL = """\
import builtins as _course_grader_builtins
_course_grader_ns = {{"__name__": "_course_grader_{token}"}}
with _course_grader_builtins.open({runner!r}, encoding="utf-8") as _course_grader_f:
    _course_grader_builtins.exec(_course_grader_builtins.compile(_course_grader_f.read(), {runner!r}, "exec"), _course_grader_ns)
_course_grader_ns["run_payload"]({payload!r}, {result!r}, globals(), {seconds!r})
"""


def _first_line(source):
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:60]
    return ""


def _cell_error(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename')}: {str(out.get('evalue'))[:200]}"
    return None


class _Deadline(Exception):
    pass


def _run_session(nb, skip, pending, workdir, payload, result, cell_timeout, deadline, notes, token):
    """One kernel: run the cells (except ``skip``), then check ``pending``.

    Returns ``("done", None)``, ``("cell", (i, why))`` when cell i timed out or killed the
    kernel, ``("grading", why)`` when the checking itself stopped, or ``("deadline", None)``.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    work = nbformat.v4.new_notebook()
    work.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    code = [(i, c) for i, c in enumerate(nb.cells) if c.get("cell_type") == "code"]
    work.cells = [nbformat.v4.new_code_cell(c.get("source", "")) for _, c in code]
    # a kernel (re)start can take over a minute on a loaded 2-core machine grading in parallel:
    # waiting longer for it costs nothing when it is healthy, and a dead kernel is still reported
    client = NotebookClient(work, timeout=cell_timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(workdir)}}, startup_timeout=180,
                            record_timing=False, shutdown_kernel="immediate",
                            interrupt_on_timeout=False)

    def remaining():
        left = deadline - time.monotonic()
        if left <= 0.5:
            raise _Deadline()
        return left

    unattempted = []
    try:
        # the kernel's own stderr (startup warnings, a crashing learner's noise) is not ours to show
        with client.setup_kernel(cwd=str(workdir), stderr=subprocess.DEVNULL):
            for k, (i, cell) in enumerate(code):
                if i in skip or not cell.get("source", "").strip():
                    continue
                client.timeout = max(1, math.ceil(min(cell_timeout, remaining())))
                try:
                    done = client.execute_cell(work.cells[k], k)
                except CellTimeoutError:
                    if deadline - time.monotonic() <= 1:
                        raise _Deadline() from None
                    return "cell", (i, f"timed out after {client.timeout} s (an endless loop?)")
                except DeadKernelError:
                    return "cell", (i, "crashed the kernel")
                err = _cell_error(done)
                if err and err.startswith("NotImplementedError"):
                    unattempted.append(i + 1)  # an exercise left as handed out: not worth a note each
                elif err:
                    notes.append(f"cell {i + 1} ({_first_line(cell.source)!r}) raised {err}")
            # now the checks, from a pristine copy of the runner
            with open(payload, "wb") as f:
                pickle.dump([{"exercise": ex.name, "function": ex.function,
                              "cases": [(c.args, c.kwargs, c.collect, c.watch, c.warnings_fail)
                                        for c in cases]}
                             for ex, cases in pending], f)
            source = _GRADING_CELL.format(token=token, runner=str(Path(_core._call.__file__).resolve()),
                                          payload=str(payload), result=str(result),
                                          seconds=float(cell_timeout))
            budget = cell_timeout * max(1, len(pending)) + 15
            client.timeout = max(1, math.ceil(min(budget, remaining())))
            grading = nbformat.v4.new_code_cell(source)
            work.cells.append(grading)
            try:
                done = client.execute_cell(grading, len(work.cells) - 1, store_history=False)
            except CellTimeoutError:
                if deadline - time.monotonic() <= 1:
                    raise _Deadline() from None
                return "grading", f"did not stop within {client.timeout} s"
            except DeadKernelError:
                return "grading", "crashed the kernel while being checked"
            err = _cell_error(done)
            if err:
                return "grading", f"checking failed: {err}"
            if unattempted:
                cells = ", ".join(map(str, unattempted))
                notes.append(f"cell{'s' if len(unattempted) > 1 else ''} {cells} raised NotImplementedError "
                             "(exercises not attempted yet)")
            return "done", None
    except _Deadline:
        return "deadline", None


def _read_records(result):
    records = {}
    if not os.path.exists(result):
        return records
    with open(result, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict) and isinstance(rec.get("exercise"), str):
                records[rec["exercise"]] = rec
    return records


_CASES = {}


def _lesson_cases(lesson):
    if lesson not in _CASES:
        _CASES[lesson] = [(ex, _core.build_cases(ex)) for ex in checks.exercises(lesson)]
    return _CASES[lesson]


def grade_notebook(path, cell_timeout=30, notebook_timeout=None):
    """Grade one notebook; never raises for a bad submission (see ``NotebookGrade.error``)."""
    path = Path(path)
    start = time.monotonic()
    notebook_timeout = notebook_timeout or max(60, 20 * cell_timeout)
    deadline = start + notebook_timeout
    grade = NotebookGrade(path)
    try:
        import nbformat
        raw = path.read_bytes()
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    except Exception as e:  # noqa: BLE001 - any unreadable file is reported, not raised
        grade.error = f"not a readable notebook ({type(e).__name__}: {str(e)[:200]})"
        return grade
    try:
        grade.lesson = find_lesson(path, nb)
        lesson_cases = _lesson_cases(grade.lesson)
    except LookupError as e:
        grade.error = str(e)
        return grade
    token = secrets.token_hex(8)
    records, pending, skip = {}, list(lesson_cases), set()
    with tempfile.TemporaryDirectory(prefix="course-grade-") as tmp:
        workdir = Path(tmp) / "submission"
        workdir.mkdir()
        (workdir / path.name).write_bytes(raw)  # the copy that is executed
        payload = Path(tmp) / f"payload-{token}.pkl"
        result = Path(tmp) / f"result-{token}.jsonl"
        for session in range(MAX_SESSIONS):
            try:
                status, info = _run_session(nb, skip, pending, workdir, payload, result,
                                            cell_timeout, deadline, grade.notes, token)
            except Exception as e:  # noqa: BLE001 - the kernel did not start, nbclient failed
                if session == 0 and not records:
                    grade.error = f"could not run the notebook ({type(e).__name__}: {str(e)[:200]})"
                    return grade
                grade.notes.append(f"the run stopped: {type(e).__name__}: {str(e)[:200]}")
                break
            records.update(_read_records(result))
            pending = [(ex, cases) for ex, cases in pending if ex.name not in records]
            if status == "done":
                break
            if status == "deadline":
                grade.notes.append(f"stopped: the notebook used up its {notebook_timeout:g} s time limit")
                for ex, _ in pending:
                    records[ex.name] = {"exercise": ex.name, "stopped": "not checked: time limit of the notebook reached"}
                break
            if status == "cell":
                i, why = info
                skip.add(i)
                grade.notes.append(f"cell {i + 1} ({_first_line(nb.cells[i].source)!r}) {why}; "
                                   "it was skipped and the notebook re-run without it")
                continue
            # the checking itself stopped: blame the exercise being checked, go on with the rest
            if pending:
                ex, _ = pending.pop(0)
                records[ex.name] = {"exercise": ex.name, "stopped": f"{ex.function}() {info}"}
            if not pending:
                break
        else:
            grade.notes.append("gave up after restarting the kernel too often")
    for ex, cases in lesson_cases:
        rec = records.get(ex.name)
        if rec is not None and "stopped" in rec:
            r = _core.Result(ex, "crashed", len(cases), 0, str(rec["stopped"]),
                             f"✘ {ex.name}: {rec['stopped']}")
        else:
            r = _core.evaluate(ex, cases, rec)
        grade.results.append(r)
    grade.seconds = time.monotonic() - start
    return grade


# ------------------------------------------------------------------------------------------
# reporting
# ------------------------------------------------------------------------------------------
def format_table(grade, details=False):
    lines = [f"== {grade.path}" + (f"  (lesson {grade.lesson:02d})" if grade.lesson is not None else "")]
    if grade.error:
        lines.append(f"   could not be graded: {grade.error}")
        return "\n".join(lines)
    width = max([len("exercise")] + [len(r.exercise.name) for r in grade.results])
    lines.append(f"   {'exercise':<{width}}  {'points':<9}feedback")
    for r in grade.results:
        mark = "✔" if r.passed else "✘"
        points = _core.points_text(r.points)
        lines.append(f"   {r.exercise.name:<{width}}  {points:>3} / {r.exercise.points:<2} {mark} {r.summary}")
        if details and not r.passed and r.message:
            lines.extend("   " + " " * width + "         " + line for line in r.message.splitlines()[1:])
    lines.append(f"   {'total':<{width}}  {_core.points_text(grade.points):>3} / {grade.max_points:<2}")
    for note in grade.notes:
        lines.append(f"   note: {note}")
    return "\n".join(line.rstrip() for line in lines)


def write_csv(grades, path):
    columns = []
    for g in grades:
        for r in g.results:
            if r.exercise.column not in columns:
                columns.append(r.exercise.column)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["notebook", "lesson", "status", *columns, "total", "max_points", "feedback"])
        for g in grades:
            by_col = {r.exercise.column: r for r in g.results}
            if g.error:
                w.writerow([str(g.path), "" if g.lesson is None else f"{g.lesson:02d}",
                            "could not be graded", *["" for _ in columns], "", "", g.error])
                continue
            feedback = [f"{r.exercise.name}: {r.summary}" for r in g.results if not r.passed]
            feedback += [f"note: {n}" for n in g.notes]
            w.writerow([str(g.path), f"{g.lesson:02d}", "graded",
                        *[_core.points_text(by_col[c].points) if c in by_col else "" for c in columns],
                        _core.points_text(g.points), g.max_points, "; ".join(feedback)])


def main(argv=None, prog="course-grade"):
    """The command line: ``course-grade`` (console script) or ``python -m course_lib.grading``."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Grade exercise notebooks (or folders of them) against the course's checks.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="notebooks or folders of notebooks")
    parser.add_argument("--csv", metavar="FILE", help="write a gradebook CSV, one row per notebook")
    parser.add_argument("--timeout", type=float, default=30, metavar="SECONDS",
                        help="time limit per cell and per call of a learner's function (default 30)")
    parser.add_argument("--notebook-timeout", type=float, default=None, metavar="SECONDS",
                        help="time limit per notebook (default max(60, 20 x --timeout))")
    parser.add_argument("--details", action="store_true", help="show the full feedback of failed exercises")
    args = parser.parse_args(argv)
    cell_timeout = max(1, math.ceil(args.timeout))
    notebooks = find_notebooks(args.paths)
    if not notebooks:
        print("no notebooks found in " + ", ".join(args.paths), file=sys.stderr)
        return 2
    grades = []
    for nb_path in notebooks:
        if not nb_path.exists():
            g = NotebookGrade(nb_path, error="no such file")
        else:
            g = grade_notebook(nb_path, cell_timeout, args.notebook_timeout)
        grades.append(g)
        print(format_table(g, details=args.details), flush=True)
        print(flush=True)
    if args.csv:
        write_csv(grades, args.csv)
        print(f"gradebook written to {args.csv}")
    n_bad = sum(1 for g in grades if g.error)
    n_full = sum(1 for g in grades if g.full_marks)
    print(f"{len(grades)} notebook(s): {n_full} with full marks, "
          f"{len(grades) - n_full - n_bad} missing points, {n_bad} could not be graded")
    if n_bad:
        return 2
    return 0 if n_full == len(grades) else 1


if __name__ == "__main__":
    sys.exit(main())
