"""Grade learners' exercise notebooks: ``course-grade PATH... [--csv FILE] [--jobs N]``.

(``course-grade`` is the console script the course installs; ``python -m course_lib.grading``
runs the same ``main``.)

PATHs are notebooks or folders (searched recursively, ``.ipynb_checkpoints`` skipped).
For each notebook the grader

1. reads it (only read, never written; a FIFO, a device or a file over 32 MB is refused
   without being opened for long),
2. finds its lesson: the notebook metadata ``{"course": {"lesson": 1}}`` (which the
   solutions and exercises carry, and which survives renaming the file) and, when that is
   absent, the two-digit prefix of the file name (``01_neuron_exercises.ipynb``, ``01-alice.ipynb``),
3. copies it into a scratch folder and runs its code cells, one by one, in a **sandbox**
   (``sandbox.py``: bubblewrap, resource limits, no network, its own process tree). A cell
   that raises does not stop the run: the error is noted and the next cell runs. A cell that
   runs past ``--timeout`` is interrupted; one that cannot be interrupted or that kills the
   worker is skipped: the sandbox is killed and the notebook re-run without that cell,
4. then, in that sandbox, calls the learner's functions on the lesson's test inputs, drawn
   now from the batch's seed (``--seed``, printed in the report; ``checks._core``), whether
   or not the notebook still has its check cells, and judges the answers in the grader's own
   process.

Output: a table per notebook (exercise, points, feedback) and its total; ``--csv FILE`` a
gradebook (one row per notebook: student, one column per exercise, ``total``,
``max_points``, feedback), ``--json FILE`` the full report, ``--gradescope FILE`` Gradescope's
``results.json``. The files are rewritten (atomically) after every notebook, so a batch that
is stopped keeps what it graded. Points are per test: an exercise earns its points times the
share of its tests that passed, rounded down to a tenth of a point
(``checks._core.partial_points``).

Exit status: 0 every notebook graded with full marks; 1 every notebook graded or given a
reason why it could not be (points missing, not a notebook, unknown lesson); 2 wrong
arguments (reported before anything is graded); 3 the grader itself failed (a gradebook
could not be written, an internal error).

Trust model
-----------
The learner's notebook is untrusted code. It runs only in the sandbox, in its scratch copy,
where the course, the Python environment and everything else are read-only or invisible. It
can do anything there: redefine ``check_*`` functions, monkey-patch ``course_lib.checks`` or
NumPy, print "✔ all tests passed", write files, start processes. None of that counts:

* The test cases (inputs *and* reference answers) are built in the grader process from
  ``course_lib``'s own code, from a seed chosen at grading time. Only the inputs are sent to
  the sandbox (a pickle written by the grader into a folder the sandbox can only read).
* In the sandbox, ``checks/_call.py`` (read from disk before any learner code ran, executed
  in a fresh namespace) calls each learner function on copies of the inputs, under a time
  limit, and sends the answers back as plain data (JSON; arrays as bytes) on a pipe the
  grader opened, tagged with a token that exists only from grading time on.
* The grader reads that pipe without blocking (``select``, deadlines, a size cap per line;
  a malformed, deeply nested or oversized line is dropped), never unpickles or executes
  anything from it, and judges every answer against the reference it kept to itself.

So the only way to earn a point is for the learner's function to return the right answer
to inputs first drawn at grading time: a table of answers to the notebooks' fixed example
inputs earns nothing. (What the check cannot tell is *how* the answer was computed: a
learner who calls ``course_lib``'s own implementation gets it right. The exercises say so;
an instructor who cares can read the code.)
"""
import argparse
import concurrent.futures
import csv
import io
import json
import math
import os
import pickle
import queue
import re
import secrets
import signal
import stat
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import checks
from ..checks import _core
from . import sandbox

#: a notebook larger than this is not read
MAX_NOTEBOOK_BYTES = 32 * 1024 * 1024
#: seconds a worker may take to start (a loaded 2-core machine grading in parallel is slow)
STARTUP_SECONDS = 180
#: seconds a cell's worker gets to report after the cell's own time limit interrupted it
GRACE_SECONDS = 5
#: folders deeper than this under a PATH are not searched
MAX_DEPTH = 64

_PREFIX = re.compile(r"^(\d{2})(?:[_\-\s.]|$)")


@dataclass
class NotebookGrade:
    path: Path
    lesson: int | None = None
    results: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    error: str | None = None      # set when the notebook could not be graded
    seconds: float = 0.0
    student: str = ""

    @property
    def points(self):
        return _core.total_points(r.points for r in self.results)

    @property
    def max_points(self):
        return sum(r.exercise.points for r in self.results)

    @property
    def full_marks(self):
        return self.error is None and all(r.passed for r in self.results)


def shown(path):
    """A path as text that can always be printed and written (file names need not be UTF-8)."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


# ------------------------------------------------------------------------------------------
# finding notebooks, their learner and their lesson
# ------------------------------------------------------------------------------------------
def find_notebooks(paths):
    """``(notebook, student)`` pairs named by ``paths`` (files, or folders searched without
    Python's recursion limit and without following links to folders inside them), in order.

    The student id is the first folder under a PATH folder (``submissions/alice/...`` ->
    ``alice``) or, for a notebook directly in it or named on the command line, the file name
    without ``.ipynb``.
    """
    found = []
    for p in map(Path, paths):
        if p.is_dir():
            for q in _walk(p):
                rel = q.relative_to(p).parts
                found.append((q, shown(rel[0] if len(rel) > 1 else q.stem)))
        else:
            found.append((p, shown(p.stem)))
    return found


def _walk(top):
    out, stack = [], [(top, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for e in entries:
            try:
                if e.is_dir(follow_symlinks=False):
                    if e.name != ".ipynb_checkpoints" and depth < MAX_DEPTH:
                        stack.append((Path(e.path), depth + 1))
                elif e.name.endswith(".ipynb"):
                    out.append(Path(e.path))
            except OSError:
                continue
    return sorted(out, key=lambda q: os.fsencode(str(q)))


def read_notebook(path):
    """The notebook's bytes; ``ValueError`` for anything that is not a readable regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens at once instead of waiting
    except OSError as e:
        raise ValueError(f"cannot open it ({e.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file (a FIFO, a device or a folder)")
        if info.st_size > MAX_NOTEBOOK_BYTES:
            raise ValueError(f"larger than {MAX_NOTEBOOK_BYTES // 2**20} MB")
        chunks, size = [], 0
        while size <= MAX_NOTEBOOK_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_NOTEBOOK_BYTES:
            raise ValueError(f"larger than {MAX_NOTEBOOK_BYTES // 2**20} MB")
        return b"".join(chunks)
    finally:
        os.close(fd)


def parse_notebook(raw):
    """The notebook as a dict (nbformat 4; older notebooks are converted by ``nbformat``).

    Plain JSON: the grader needs only the cells and the metadata, and reading them this way
    is fast and cannot run out of stack on a deeply nested file (``RecursionError`` is an
    error like any other here)."""
    nb = json.loads(raw.decode("utf-8"))
    if not isinstance(nb, dict):
        raise ValueError("the file is JSON but not a notebook")
    if nb.get("nbformat") != 4 or not isinstance(nb.get("cells"), list):
        import nbformat
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    return nb


def find_lesson(path, nb):
    """The lesson number: notebook metadata ``course.lesson`` first, then the file name prefix."""
    meta = nb.get("metadata") if isinstance(nb, dict) else None
    meta = meta.get("course") if isinstance(meta, dict) else None
    lesson = meta.get("lesson") if isinstance(meta, dict) else None
    if isinstance(lesson, int) and not isinstance(lesson, bool) and 0 <= lesson < 100:
        return lesson
    if isinstance(lesson, str) and re.fullmatch(r"[0-9]{1,2}", lesson.strip()):
        return int(lesson.strip())
    m = _PREFIX.match(Path(path).name)
    if m:
        return int(m.group(1))
    raise LookupError("cannot tell which lesson this is: the notebook metadata has no "
                      "course.lesson number and the file name does not start with its number (01_...)")


def code_cells(nb):
    """``{index: source}`` of the notebook's code cells (index: position among all cells)."""
    cells = nb.get("cells") if isinstance(nb, dict) else None
    out = {}
    for i, cell in enumerate(cells if isinstance(cells, list) else []):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            if isinstance(source, list):
                source = "".join(s for s in source if isinstance(s, str))
            if isinstance(source, str) and source.strip():
                out[i] = source
    return out


# ------------------------------------------------------------------------------------------
# running one notebook
# ------------------------------------------------------------------------------------------
def _first_line(source):
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:60]
    return ""


@dataclass
class Settings:
    """How a batch is graded (the command line's options)."""

    cell_timeout: float = 30
    notebook_timeout: float | None = None
    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    seed: int | None = None
    bwrap: str | None = None          # the bwrap path, or None: limits only

    @property
    def notebook_seconds(self):
        return self.notebook_timeout or max(60, 20 * self.cell_timeout)


_CASES = {}
_CASES_LOCK = threading.Lock()


def lesson_cases(lesson, seed):
    """``[(exercise, cases)]`` of a lesson, inputs drawn from ``seed`` (built once per batch)."""
    with _CASES_LOCK:
        if (lesson, seed) not in _CASES:
            _CASES[(lesson, seed)] = [(ex, _core.build_cases(ex, seed)) for ex in checks.exercises(lesson)]
        return _CASES[(lesson, seed)]


class _Session:
    """One sandboxed worker running the notebook (one 'kernel')."""

    def __init__(self, folder, settings, token, cells_file, uid):
        self.worker = sandbox.start(folder, settings.limits, token, settings.bwrap, cells_file, uid)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.worker.kill()


def _why_exited(worker):
    rc = worker.proc.returncode
    if rc in (-signal.SIGXCPU, 128 + signal.SIGXCPU):   # (bwrap reports a signal as 128 + its number)
        return "used up its CPU time limit"
    return "crashed the kernel"


def _run_session(folder, cells, skip, pending, settings, deadline, notes, token, cells_file, payload, uid):
    """Run the cells (except ``skip``) in a fresh sandbox, then check ``pending``.

    Returns ``(status, info, records)``: status "done"; "cell" with ``(i, why)`` when cell i
    had to be skipped; "grading" with ``(exercise name, why)`` when the checking stopped.
    """
    records = {}
    with _Session(folder, settings, token, cells_file, uid) as s:
        w = s.worker
        reply = _wait(w, lambda m: m.get("ready") is True, STARTUP_SECONDS)
        if reply.kind != "message":
            raise RuntimeError("the sandboxed worker did not start"
                               + (f" (exit status {w.proc.returncode})" if w.proc.returncode is not None else ""))
        for i, source in cells.items():
            if i in skip:
                continue
            left = deadline - time.monotonic()
            if left < 1:
                notes.append(f"cells from cell {i + 1} on were not run: the notebook used up its "
                             f"{settings.notebook_seconds:g} s time limit")
                break
            limit = min(settings.cell_timeout, left)
            if not w.send(f"cell {i} {limit:.3f}"):
                return "cell", (i, _why_exited(w)), records
            reply = _wait(w, lambda m, i=i: m.get("cell") == i, limit + GRACE_SECONDS)
            if reply.kind == "timeout":
                return "cell", (i, f"timed out after {limit:g} s and could not be interrupted"), records
            if reply.kind != "message":
                w.proc.poll()
                return "cell", (i, _why_exited(w)), records
            m = reply.message
            if m.get("timeout"):
                notes.append(f"cell {i + 1} ({_first_line(source)!r}) timed out after {limit:g} s "
                             "(an endless loop?) and was interrupted")
            elif isinstance(m.get("error"), str):
                err = m["error"][:300]
                if err.startswith("NotImplementedError"):
                    notes.append(("unattempted", i + 1))
                else:
                    notes.append(f"cell {i + 1} ({_first_line(source)!r}) raised {err}")
        # now the checks
        if not pending:
            return "done", None, records
        with open(payload, "wb") as f:
            pickle.dump([{"exercise": ex.name, "function": ex.function,
                          "cases": [(c.args, c.kwargs, c.collect, c.watch, c.warnings_fail) for c in cases]}
                         for ex, cases in pending], f)
        os.chmod(payload, 0o644)
        seconds = float(settings.cell_timeout)
        names = [ex.name for ex, _ in pending]
        if not w.send(f"grade {token} {payload} {seconds}"):
            return "grading", (names[0], "crashed the kernel while being checked"), records
        # each exercise has its own budget: its cases' time limits, plus some slack
        per_exercise = {ex.name: seconds * max(1, len(cases)) + 15 for ex, cases in pending}
        while True:
            current = next((n for n in names if n not in records), None)
            reply = _wait(w, lambda m: m.get("token") == token and (m.get("graded") == token or (
                m.get("exercise") in per_exercise and m.get("exercise") not in records)),
                per_exercise.get(current, 15))
            if reply.kind == "message" and reply.message.get("graded") == token:
                return "done", None, records
            if reply.kind == "message":
                records[reply.message["exercise"]] = reply.message
                continue
            if current is None:
                return "done", None, records
            if reply.kind == "timeout":
                return "grading", (current, f"{current}() did not stop within {per_exercise[current]:g} s"), records
            w.proc.poll()
            why = _why_exited(w)
            return "grading", (current, f"{current}() {why} while being checked"), records


def _wait(worker, wanted, seconds):
    """The next reply that ``wanted(message)`` accepts; other lines are ignored."""
    end = time.monotonic() + seconds
    while True:
        reply = worker.read(end - time.monotonic())
        if reply.kind in ("timeout", "exited"):
            return reply
        if reply.kind == "message":
            try:
                if wanted(reply.message):
                    return reply
            except Exception:  # noqa: BLE001 - a forged message of odd shape
                pass


def grade_notebook(path, settings=None, student="", slot=0):
    """Grade one notebook; never raises for a bad submission (see ``NotebookGrade.error``)."""
    settings = settings or Settings()
    path = Path(path)
    grade = NotebookGrade(path, student=student or shown(path.stem))
    start = time.monotonic()
    try:
        _grade_into(grade, path, settings, sandbox.UID_BASE + slot)
    except Exception as e:  # noqa: BLE001 - whatever happens, this submission gets a reason
        grade.error = f"the grader failed on this notebook ({type(e).__name__}: {str(e)[:200]})"
        grade.results = []
    grade.seconds = time.monotonic() - start
    return grade


def _grade_into(grade, path, settings, uid):
    try:
        raw = read_notebook(path)
        nb = parse_notebook(raw)
    except Exception as e:  # noqa: BLE001 - any unreadable file is reported, not raised
        grade.error = f"not a readable notebook ({type(e).__name__}: {str(e)[:200]})"
        return
    try:
        grade.lesson = find_lesson(path, nb)
        cases_by_exercise = lesson_cases(grade.lesson, settings.seed)
    except LookupError as e:
        grade.error = str(e)
        return
    cells = code_cells(nb)
    token = secrets.token_hex(16)
    records, skip = {}, set()
    pending = list(cases_by_exercise)
    deadline = time.monotonic() + settings.notebook_seconds
    folder = Path(tempfile.mkdtemp(prefix="course-grade-"))
    try:
        for sub in ("work", "home", "job"):
            (folder / sub).mkdir()
        name = path.name if _safe_name(path.name) else "submission.ipynb"
        (folder / "work" / name).write_bytes(raw)   # the copy the learner's code may change
        cells_file = folder / "job" / "cells.json"
        cells_file.write_text(json.dumps({str(i): src for i, src in cells.items()}), encoding="utf-8")
        payload = folder / "job" / "payload.pkl"
        for p in (cells_file, folder / "job"):
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
        sandbox.prepare(folder, uid)
        notes = []
        # every restart either skips one more cell or gives up on one more exercise
        for session in range(len(cells) + len(pending) + 1):
            notes = []  # a re-run notes its cells' errors again
            try:
                status, info, got = _run_session(folder, cells, skip, pending, settings, deadline,
                                                 notes, token, cells_file, payload, uid)
            except RuntimeError as e:
                if session == 0:
                    grade.error = f"could not run the notebook ({e})"
                    return
                grade.notes.append(f"the run stopped: {e}")
                break
            records.update(got)
            pending = [(ex, cases) for ex, cases in pending if ex.name not in records]
            if status == "done":
                break
            if status == "cell":
                i, why = info
                skip.add(i)
                grade.notes.append(f"cell {i + 1} ({_first_line(cells[i])!r}) {why}; "
                                   "it was skipped and the notebook re-run without it")
                continue
            name, why = info
            records[name] = {"exercise": name, "stopped": why}
            pending = [(ex, cases) for ex, cases in pending if ex.name not in records]
            if not pending:
                break
        else:
            grade.notes.append("gave up after restarting the kernel too often")
        unattempted = [n[1] for n in notes if isinstance(n, tuple)]
        grade.notes[:0] = [n for n in notes if not isinstance(n, tuple)]
        if unattempted:
            grade.notes.append(f"cell{'s' if len(unattempted) > 1 else ''} {', '.join(map(str, unattempted))} "
                               "raised NotImplementedError (exercises not attempted yet)")
    finally:
        sandbox.remove_tree(folder)
    for ex, cases in cases_by_exercise:
        rec = records.get(ex.name)
        if rec is not None and "stopped" in rec:
            r = _core.Result(ex, "crashed", len(cases), 0, str(rec["stopped"]), f"✘ {ex.name}: {rec['stopped']}")
        else:
            try:
                r = _core.evaluate(ex, cases, rec)
            except Exception:  # noqa: BLE001 - an answer of a shape no verifier expected
                r = _core.Result(ex, "failed", len(cases), 0, "the answers could not be read",
                                 f"✘ {ex.name}: the answers could not be read")
        grade.results.append(r)


def _safe_name(name):
    return re.fullmatch(r"[\w.\- ]{1,120}", name) is not None and name not in (".", "..")


# ------------------------------------------------------------------------------------------
# reporting
# ------------------------------------------------------------------------------------------
def format_table(grade, details=False):
    head = f"== {shown(grade.path)}" + (f"  (lesson {grade.lesson:02d})" if grade.lesson is not None else "")
    lines = [head]
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


def _feedback(g):
    if g.error:
        return g.error
    feedback = [f"{r.exercise.name}: {r.summary}" for r in g.results if not r.passed]
    return "; ".join(feedback + [f"note: {n}" for n in g.notes])


def csv_text(grades):
    """The gradebook: student, notebook, lesson, status, one column per exercise, ``total``,
    ``max_points``, feedback. A notebook that could not be graded scores 0."""
    columns = []
    for g in grades:
        for r in g.results:
            if r.exercise.column not in columns:
                columns.append(r.exercise.column)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["student", "notebook", "lesson", "status", *columns, "total", "max_points", "feedback"])
    for g in grades:
        by_col = {r.exercise.column: r for r in g.results}
        lesson = "" if g.lesson is None else f"{g.lesson:02d}"
        if g.error:
            max_points = sum(ex.points for ex in checks.exercises(g.lesson)) if _has_lesson(g.lesson) else ""
            w.writerow([g.student, shown(g.path), lesson, "could not be graded", *["" for _ in columns],
                        "0", max_points, g.error])
            continue
        w.writerow([g.student, shown(g.path), lesson, "graded",
                    *[_core.points_text(by_col[c].points) if c in by_col else "" for c in columns],
                    _core.points_text(g.points), g.max_points, _feedback(g)])
    return out.getvalue()


def _has_lesson(lesson):
    if lesson is None:
        return False
    try:
        checks.exercises(lesson)
        return True
    except LookupError:
        return False


def write_csv(grades, path):
    write_atomically(path, csv_text(grades))


def report(grades, settings):
    """The full report as plain data (``--json``)."""
    return {
        "seed": settings.seed,
        "sandbox": "bubblewrap" if settings.bwrap else "resource limits only (isolation reduced)",
        "submissions": [{
            "student": g.student, "notebook": shown(g.path), "lesson": g.lesson,
            "status": "could not be graded" if g.error else "graded", "error": g.error,
            "total": g.points if not g.error else 0, "max_points": g.max_points,
            "seconds": round(g.seconds, 1), "notes": list(g.notes),
            "exercises": [{"name": r.exercise.name, "column": r.exercise.column, "points": r.points,
                           "max_points": r.exercise.points, "status": r.status,
                           "tests_passed": r.n_passed, "tests": r.n_tests,
                           "summary": r.summary, "feedback": r.message} for r in g.results],
        } for g in grades],
    }


def gradescope_results(grades, settings):
    """Gradescope's ``results.json``: a total score and one test case per exercise
    (name, score, max_score, output), for the notebooks of one submission."""
    tests, output = [], []
    several = len(grades) > 1
    for g in grades:
        prefix = f"{shown(g.path.name)}: " if several else ""
        if g.error:
            output.append(f"{shown(g.path.name)} could not be graded: {g.error}")
            continue
        for r in g.results:
            tests.append({"name": prefix + r.exercise.column, "score": r.points, "max_score": r.exercise.points,
                          "status": "passed" if r.passed else "failed", "output": r.message,
                          "visibility": "visible"})
        output += [f"{shown(g.path.name)}: note: {n}" for n in g.notes]
    if not grades:
        output.append("no notebook (.ipynb) was found in the submission")
    output.append(f"test inputs drawn with seed {settings.seed}")
    return {"score": _core.total_points(t["score"] for t in tests), "output": "\n".join(output),
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}


def prairielearn_results(grades, settings):
    """PrairieLearn's external-grading ``results.json``: a score between 0 and 1 and one test
    per exercise (name, points, max_points, output)."""
    tests, messages = [], []
    for g in grades:
        if g.error:
            messages.append(f"{shown(g.path.name)} could not be graded: {g.error}")
            continue
        tests += [{"name": r.exercise.column, "points": r.points, "max_points": r.exercise.points,
                   "output": r.message} for r in g.results]
        messages += [f"note: {n}" for n in g.notes]
    earned = _core.total_points(t["points"] for t in tests)
    possible = sum(t["max_points"] for t in tests)
    if not grades:
        messages.append("no notebook (.ipynb) was found in the submission")
    return {"gradable": bool(tests), "score": earned / possible if possible else 0.0,
            "message": "\n".join(messages + [f"test inputs drawn with seed {settings.seed}"]), "tests": tests}


def write_atomically(path, text):
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename:
    a reader (or a stopped batch) sees the old file or the new one, never half of one."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# ------------------------------------------------------------------------------------------
# the command line
# ------------------------------------------------------------------------------------------
def _seconds(text):
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(x) or x <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a positive, finite number of seconds")
    return x


def _count(low, what):
    def parse(text):
        try:
            x = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if x < low:
            raise argparse.ArgumentTypeError(f"{what}: at least {low}, got {x}")
        return x
    return parse


def _output_file(text):
    """An output file must be creatable: its folder exists and is writable, it is no folder."""
    p = Path(text)
    if p.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a folder; give a file name")
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r}: the folder {shown(folder)!r} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", dir=folder)
        os.close(fd)
        os.unlink(tmp)
    except OSError as e:
        raise argparse.ArgumentTypeError(f"{text!r}: cannot write there ({e.strerror})") from None
    return p


def build_parser(prog="course-grade"):
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Grade exercise notebooks (or folders of them) against the course's checks, "
                    "each in a sandbox.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="notebooks or folders of notebooks")
    parser.add_argument("--csv", metavar="FILE", type=_output_file,
                        help="write a gradebook CSV, one row per notebook")
    parser.add_argument("--json", metavar="FILE", type=_output_file, help="write the full report as JSON")
    parser.add_argument("--gradescope", metavar="FILE", type=_output_file,
                        help="write Gradescope's results.json (the notebooks of one submission)")
    parser.add_argument("--prairielearn", metavar="FILE", type=_output_file,
                        help="write PrairieLearn's external-grading results.json (one submission)")
    parser.add_argument("--timeout", type=_seconds, default=30, metavar="SECONDS",
                        help="time limit per cell and per call of a learner's function (default 30)")
    parser.add_argument("--notebook-timeout", type=_seconds, default=None, metavar="SECONDS",
                        help="time limit for a notebook's cells (default max(60, 20 x --timeout))")
    parser.add_argument("--memory", type=_count(256, "--memory"), default=2048, metavar="MB",
                        help="address space per process of a submission, in MB (default 2048)")
    parser.add_argument("--jobs", type=_count(1, "--jobs"), default=1, metavar="N",
                        help="grade N notebooks at a time (default 1)")
    parser.add_argument("--seed", type=_count(0, "--seed"), default=None, metavar="N",
                        help="draw the test inputs from this seed (default: a new one, printed)")
    parser.add_argument("--sandbox", choices=("auto", "bwrap", "limits"), default="auto",
                        help="bwrap: require bubblewrap; limits: resource limits only; "
                             "auto (default): bubblewrap when it works")
    parser.add_argument("--details", action="store_true", help="show the full feedback of failed exercises")
    return parser


def main(argv=None, prog="course-grade"):
    """The command line: ``course-grade`` (console script) or ``python -m course_lib.grading``."""
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    bwrap = None
    if args.sandbox != "limits":
        bwrap = sandbox.bwrap_available()
        if bwrap is None and args.sandbox == "bwrap":
            parser.error("--sandbox bwrap: bubblewrap (bwrap) is missing or does not work here")
    notebook_timeout = args.notebook_timeout
    settings = Settings(cell_timeout=args.timeout, notebook_timeout=notebook_timeout, bwrap=bwrap,
                        seed=args.seed if args.seed is not None else secrets.randbelow(2**31))
    settings.limits = sandbox.Limits(memory_mb=args.memory,
                                     cpu_seconds=int(2 * settings.notebook_seconds + 60))
    notebooks = find_notebooks(args.paths)
    if not notebooks:
        print("no notebooks found in " + ", ".join(map(shown, args.paths)), file=sys.stderr)
        for option, data in ((args.gradescope, gradescope_results([], settings)),
                             (args.prairielearn, prairielearn_results([], settings))):
            if option:   # the service shows the learner why: nothing to grade
                write_atomically(option, json.dumps(data, indent=1) + "\n")
        return 2
    print(f"course-grade: {len(notebooks)} notebook(s); test inputs drawn with --seed {settings.seed}", flush=True)
    if bwrap:
        print("sandbox: bubblewrap (read-only course, no network, own processes), "
              f"{args.memory} MB per process", flush=True)
    else:
        who = ("a user of their own, so they can read what any user may read"
               if os.geteuid() == 0 and sandbox.others_can_run_python() else
               "the grader's own user, so they can read and change what it may")
        print("WARNING: isolation is reduced: bubblewrap (bwrap) is not available, so submissions run "
              f"with resource limits only, as {who}, and the network is open "
              "(install the 'bubblewrap' package)", flush=True)
    print(flush=True)
    grades = [None] * len(notebooks)
    failed = []
    lock = threading.Lock()

    def save():
        done = [g for g in grades if g is not None]
        for option, text in ((args.csv, lambda: csv_text(done)),
                             (args.prairielearn, lambda: json.dumps(prairielearn_results(done, settings), indent=1) + "\n"),
                             (args.json, lambda: json.dumps(report(done, settings), indent=1) + "\n"),
                             (args.gradescope, lambda: json.dumps(gradescope_results(done, settings), indent=1) + "\n")):
            if option:
                try:
                    write_atomically(option, text())
                except Exception as e:  # noqa: BLE001 - report, go on grading, exit 3
                    if str(option) not in failed:
                        failed.append(str(option))
                        print(f"cannot write {shown(option)}: {e}", file=sys.stderr, flush=True)

    slots = queue.Queue()
    for slot in range(args.jobs):
        slots.put(slot)

    def one(k):
        nb_path, student = notebooks[k]
        if not os.path.lexists(nb_path):
            g = NotebookGrade(nb_path, error="no such file", student=student)
        else:
            slot = slots.get()
            try:
                g = grade_notebook(nb_path, settings, student, slot)
            finally:
                slots.put(slot)
        with lock:
            grades[k] = g
            save()   # first the gradebook, then the table: what is shown is already saved
            print(format_table(g, details=args.details), flush=True)
            print(flush=True)
        return g

    if args.jobs == 1:
        for k in range(len(notebooks)):
            one(k)
    else:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            list(pool.map(one, range(len(notebooks))))
    with lock:
        save()
    for option in (args.csv, args.json, args.gradescope, args.prairielearn):
        if option and str(option) not in failed:
            print(f"written: {shown(option)}")
    n_bad = sum(1 for g in grades if g.error)
    n_full = sum(1 for g in grades if g.full_marks)
    print(f"{len(grades)} notebook(s): {n_full} with full marks, "
          f"{len(grades) - n_full - n_bad} missing points, {n_bad} could not be graded "
          f"(inputs: --seed {settings.seed})")
    internal = [g for g in grades if g.error and g.error.startswith("the grader failed")]
    if failed or internal:
        return 3
    return 0 if n_full == len(grades) else 1


if __name__ == "__main__":
    sys.exit(main())
