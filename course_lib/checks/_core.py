"""The grading floor's core: what an exercise is, how its answers are judged, how feedback reads.

An ``Exercise`` names a function the learner writes and builds a list of ``Case`` objects
(``cases(rng=None)``: with ``rng`` None the fixed inputs the notebooks' instant checks use, with
the grader's generator fresh ones, drawn at grading time; see ``build_cases``, ``inputs_rng``
and ``vary``):
inputs, and a ``verify`` function that compares the learner's answer with the reference
(course_lib's own implementation where one exists). ``Case`` lists are built here, in a
trusted process; the learner's function only ever sees the inputs (``_call.call_case``),
and its answer comes back as plain data that ``evaluate`` judges.
"""
import difflib
import numbers
import zlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import _call

#: seconds one call of a learner's function may take during a check
CALL_TIME_LIMIT = 10.0


# ------------------------------------------------------------------------------------------
# records
# ------------------------------------------------------------------------------------------
@dataclass
class Mismatch:
    """What is wrong with one answer: ``what`` ("wrong values", ...), expected and got."""

    what: str
    expected: str
    got: str


@dataclass
class Case:
    """One test: call the function on ``args``/``kwargs``, then ``verify(answer)``.

    ``verify(answer)`` returns ``None`` when the answer is right, else a ``Mismatch``.
    ``inputs`` describes the input for the learner ("z = array([0., 1.])").
    ``hint`` is shown when this case fails; ``mistakes`` lists ``(verify, hint)`` pairs for
    known wrong answers: when the answer passes such a ``verify``, its hint is shown instead.
    ``collect``: the function returns an iterator (a generator); the check takes ``list()``.
    ``watch``: indices/names of the inputs that must not change in place (None: all).
    ``warnings_fail``: a stability test. A NumPy warning (overflow, division by zero, invalid
    value) during this case fails it, because avoiding it is the point of the test (a sigmoid at
    z = -1e4). In every other case a warning does not count: the answer is judged by its value,
    and the warning is shown as a note.
    """

    inputs: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    verify: Callable = None
    hint: str = ""
    mistakes: tuple = ()
    collect: bool = False
    watch: tuple = None
    warnings_fail: bool = False


@dataclass(frozen=True)
class Exercise:
    """A graded exercise: the learner defines a function called ``name``; ``cases(rng=None)``
    builds its tests (fixed inputs for ``rng`` None, fresh ones drawn from ``rng`` when grading)."""

    lesson: int
    name: str
    points: int
    cases: Callable

    @property
    def function(self):
        """The name of the function the learner writes: the exercise's name."""
        return self.name

    @property
    def column(self):
        """The gradebook column: ``"01 sigmoid"``."""
        return f"{self.lesson:02d} {self.name}"


def partial_points(points, n_passed, n_tests):
    """The points earned for passing ``n_passed`` of ``n_tests`` tests: each test is worth the
    same share, and the result is rounded DOWN to a tenth of a point, so that a failed test
    never rounds up to full marks (2 points, 5 of 6 tests: 1.6). Whole numbers come back as
    ``int`` (2, not 2.0)."""
    if n_tests <= 0 or n_passed <= 0:
        return 0
    if n_passed >= n_tests:
        return points
    tenths = (10 * points * n_passed) // n_tests
    return tenths // 10 if tenths % 10 == 0 else tenths / 10


def total_points(values):
    """A sum of points (tenths) without floating-point dust: 1.6 + 0.4 == 2."""
    tenths = round(10 * sum(values))
    return tenths // 10 if tenths % 10 == 0 else tenths / 10


def points_text(x):
    """2 -> "2", 1.6 -> "1.6" (the way points are printed and written to the gradebook)."""
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


@dataclass
class Result:
    """The outcome of one exercise.

    ``status``: "passed", "failed", "not_attempted", "missing", "timeout", "crashed" or
    "not_run". ``summary`` is one line for a table; ``message`` the full feedback.
    ``points``: all of the exercise's points when every test passed, else its share for the
    tests that passed (``partial_points``); 0 when nothing could run.
    """

    exercise: Exercise
    status: str
    n_tests: int = 0
    n_passed: int = 0
    summary: str = ""
    message: str = ""

    @property
    def points(self):
        if self.status == "passed":
            return self.exercise.points
        return partial_points(self.exercise.points, self.n_passed, self.n_tests)

    @property
    def passed(self):
        return self.status == "passed"


# ------------------------------------------------------------------------------------------
# showing values
# ------------------------------------------------------------------------------------------
def show(x):
    """A short, readable text for a value in feedback (arrays summarised when large)."""
    if isinstance(x, _call.Other):
        return f"a {x.type_name}: {x.text}" if x.text else f"a {x.type_name}"
    if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind == "f":
        return _float_text(float(x))
    if isinstance(x, np.ndarray):
        if x.size > 30:
            return (f"array of shape {x.shape}, dtype {x.dtype}: "
                    + np.array2string(x.ravel(), precision=6, threshold=8, edgeitems=3, separator=", "))
        body = np.array2string(x, precision=8, threshold=30, separator=", ", suppress_small=False)
        suffix = "" if x.dtype == np.float64 else f", dtype={x.dtype}"
        return f"array({body}{suffix})".replace("\n", " ")
    if isinstance(x, (bool, np.bool_)):
        return repr(bool(x)) + ("" if isinstance(x, bool) else " (numpy.bool_)")
    if isinstance(x, np.floating):
        return f"{_float_text(float(x))} (numpy.{type(x).__name__})"
    if isinstance(x, float):
        return _float_text(x)
    if isinstance(x, tuple):
        return "(" + ", ".join(show(v) for v in x) + ("," if len(x) == 1 else "") + ")"
    if isinstance(x, list):
        if len(x) > 6:
            return "[" + ", ".join(show(v) for v in x[:3]) + f", ... ({len(x)} items)]"
        return "[" + ", ".join(show(v) for v in x) + "]"
    text = repr(x)
    return text if len(text) < 300 else text[:300] + "..."


def _float_text(x):
    text = f"{x:.10g}"
    return text if any(c in text for c in ".eni") else text + ".0"


def describe(**inputs):
    """``describe(z=z, alpha=0.1)`` -> "z = array([...]), alpha = 0.1"."""
    return ", ".join(f"{k} = {show(v)}" for k, v in inputs.items())


def type_text(x):
    if isinstance(x, _call.Other):
        return x.type_name
    t = type(x)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__name__}"


# ------------------------------------------------------------------------------------------
# verifiers: each returns verify(answer) -> None | Mismatch
# ------------------------------------------------------------------------------------------
def fires_exactly(outputs, truth, expected):
    """verify(answer) for a logic-gate answer: ``outputs(answer)`` gives the four outputs for
    the inputs 00, 01, 10, 11 (or a Mismatch about the answer's form); they must be above 0.5
    exactly where ``truth`` is True. ``expected`` says so in words for the feedback."""
    def verify(answer):
        out = outputs(answer)
        if isinstance(out, Mismatch):
            return out
        if np.array_equal(out > 0.5, truth):
            return None
        return Mismatch("wrong decisions", expected, f"outputs {np.round(out, 4).tolist()} for 00, 01, 10, 11")
    return verify


def same_array(expected, rtol=1e-7, atol=1e-12, dtype="same"):
    """The answer is an ndarray of ``expected``'s shape and dtype with close values.

    A 0-d ``expected`` also accepts a Python float or a NumPy scalar.
    """
    expected = np.asarray(expected)
    want_dtype = expected.dtype if dtype == "same" else (np.dtype(dtype) if dtype else None)

    def verify(got):
        if expected.ndim == 0 and isinstance(got, (float, np.floating)) and not isinstance(got, bool):
            got = np.asarray(got)
        if not isinstance(got, np.ndarray):
            return Mismatch("wrong type", f"a NumPy array of shape {expected.shape}",
                            f"{type_text(got)}: {show(got)}")
        if got.shape != expected.shape:
            return Mismatch("wrong shape", f"shape {expected.shape}", f"shape {got.shape}: {show(got)}")
        if want_dtype is not None and got.dtype != want_dtype:
            return Mismatch("wrong dtype", f"dtype {want_dtype}", f"dtype {got.dtype}: {show(got)}")
        if got.dtype.kind not in "biuf":
            return Mismatch("wrong dtype", "real numbers", f"dtype {got.dtype}")
        g = got.astype(float)
        e = expected.astype(float)
        if not np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=True):
            what = "not finite (nan or inf)" if not np.all(np.isfinite(g)) and np.all(np.isfinite(e)) else "wrong values"
            return Mismatch(what, show(expected), show(got))
        return None

    return verify


def same_float(expected, rtol=1e-7, atol=1e-12):
    """The answer is one real number (a Python float or NumPy float scalar) close to ``expected``."""
    expected = float(expected)

    def verify(got):
        if isinstance(got, np.ndarray) and got.ndim == 0 and got.dtype.kind == "f":
            got = got[()]
        if isinstance(got, bool) or not isinstance(got, (float, np.floating)):
            if isinstance(got, np.ndarray):
                return Mismatch("wrong type", "one number (a float)",
                                f"an array of shape {got.shape}: {show(got)}")
            return Mismatch("wrong type", "one number (a float)", f"{type_text(got)}: {show(got)}")
        if not np.isclose(float(got), expected, rtol=rtol, atol=atol):
            what = "not finite (nan or inf)" if not np.isfinite(got) and np.isfinite(expected) else "wrong value"
            return Mismatch(what, _float_text(expected), _float_text(float(got)))
        return None

    return verify


def same_bool(expected):
    """The answer is ``True`` or ``False`` (a Python or NumPy bool) equal to ``expected``."""
    def verify(got):
        if not isinstance(got, (bool, np.bool_)):
            return Mismatch("wrong type", "True or False", f"{type_text(got)}: {show(got)}")
        if bool(got) != bool(expected):
            return Mismatch("wrong value", repr(bool(expected)), repr(bool(got)))
        return None
    return verify


def same_int(expected):
    """The answer is an integer (Python or NumPy, not a bool or a float) equal to ``expected``."""
    def verify(got):
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (numbers.Integral, np.integer)):
            return Mismatch("wrong type", f"an integer ({expected})", f"{type_text(got)}: {show(got)}")
        if int(got) != int(expected):
            return Mismatch("wrong value", str(expected), str(int(got)))
        return None
    return verify


def sequence_of(*verifiers, names=None, kind="a tuple"):
    """The answer is a tuple (or list) of ``len(verifiers)`` items, each passing its verifier."""
    names = names or [f"item {i}" for i in range(len(verifiers))]

    def verify(got):
        if not isinstance(got, (tuple, list)) or len(got) != len(verifiers):
            n = len(got) if isinstance(got, (tuple, list)) else None
            what = f"{type_text(got)} of length {n}" if n is not None else f"{type_text(got)}: {show(got)}"
            return Mismatch("wrong type", f"{kind} of {len(verifiers)} items ({', '.join(names)})", what)
        for name, v, item in zip(names, verifiers, got):
            m = v(item)
            if m is not None:
                return Mismatch(f"{name}: {m.what}", m.expected, m.got)
        return None

    return verify


def list_of(verifiers, what="batches"):
    """The answer is a list (or tuple) whose i-th item passes ``verifiers[i]``."""
    def verify(got):
        if not isinstance(got, (list, tuple)):
            return Mismatch("wrong type", f"a sequence of {len(verifiers)} {what}", f"{type_text(got)}: {show(got)}")
        if len(got) != len(verifiers):
            return Mismatch(f"wrong number of {what}", str(len(verifiers)), str(len(got)))
        for i, (v, item) in enumerate(zip(verifiers, got)):
            m = v(item)
            if m is not None:
                return Mismatch(f"{what} {i}: {m.what}", m.expected, m.got)
        return None
    return verify


def mistake(verify, hint):
    """A known wrong answer: when the answer passes ``verify``, show ``hint``."""
    return (verify, hint)


# ------------------------------------------------------------------------------------------
# judging outcomes (trusted side)
# ------------------------------------------------------------------------------------------
def _indent(text, prefix="    "):
    return "\n".join(prefix + line for line in str(text).splitlines())


def _fail(exercise, status, summary, detail, n_tests=0, n_passed=0):
    message = f"✘ {exercise.name}: {summary}"
    if detail:
        message += "\n" + _indent(detail)
    return Result(exercise, status, n_tests, n_passed, summary, message)


def _mutated_text(case, mutated):
    names = ", ".join(f"argument {m + 1}" if isinstance(m, int) else repr(m) for m in mutated)
    return names


def _warning_text(outcome):
    """The first NumPy warning of a case that does not count warnings, or ""."""
    noted = outcome.get("warnings") or []
    if not noted or not isinstance(noted[0], dict):
        return ""
    where = str(noted[0].get("where") or "")[:300]
    return str(noted[0].get("message") or "a RuntimeWarning")[:300] + (f", at {where}" if where else "")


def _judge(case, outcome):
    """-> (ok, kind, detail) for one case; ``kind`` is a short reason."""
    status = outcome.get("status")
    where = outcome.get("where") or ""
    at = f"\n  at {where}" if where else ""
    if status == "ok":
        try:
            got = _call.decode(outcome.get("value"))
        except (ValueError, TypeError, KeyError):
            return False, "unreadable answer", "the answer could not be read back"
        mutated = outcome.get("mutated") or []
        if mutated:
            return False, "changed its input", (
                f"input:    {case.inputs}\n"
                f"problem:  the function changed its input ({_mutated_text(case, mutated)}) in place\n"
                "hint:     do not modify the arguments (x *= ..., x[i] = ...); work on a copy "
                "(x = x.copy()) or build a new array")
        m = case.verify(got)
        if m is None:
            return True, "", ""
        hint = case.hint
        for verify_wrong, wrong_hint in case.mistakes:
            try:
                if verify_wrong(got) is None:
                    hint = wrong_hint
                    break
            except Exception:
                pass
        detail = (f"input:    {case.inputs}\n"
                  f"expected: {m.expected}\n"
                  f"got:      {m.got}")
        warned = _warning_text(outcome)
        if warned:
            detail += f"\nwarning:  NumPy warned: {warned}"
        if hint:
            detail += f"\nhint:     {hint}"
        return False, m.what, detail
    if status == "numeric":
        detail = (f"input:    {case.inputs}\n"
                  f"problem:  NumPy reported a numerical problem: {outcome.get('message')}{at}\n"
                  f"hint:     {case.hint or 'rewrite the formula so that no intermediate value overflows'}")
        return False, "numerical problem", detail
    if status == "error":
        detail = (f"input:    {case.inputs}\n"
                  f"error:    {outcome.get('type')}: {outcome.get('message')}{at}")
        return False, f"raised {outcome.get('type')}", detail
    if status == "timeout":
        return False, "timed out", (f"input:    {case.inputs}\n"
                                     f"problem:  no answer after {outcome.get('seconds'):g} s (an endless loop?)")
    return False, "no answer", f"input:    {case.inputs}"


def evaluate(exercise, cases, record):
    """Judge one exercise from the record that ``_call`` wrote (see ``_call.run_payload``).

    Every test that passes earns its share of the points (``Result.points``). The summary says
    how many passed and which test failed first ("5 of 6 passed; test 5 failed: numerical
    problem"); the message adds that test's input, expected and got, and hint.
    """
    if record is None:
        return _fail(exercise, "not_run", "not checked", "")
    if record.get("missing"):
        names = record.get("names") or []
        close = difflib.get_close_matches(exercise.function, names, n=2, cutoff=0.6)
        extra = f"; did you rename it to {' or '.join(repr(c) for c in close)}?" if close else ""
        return _fail(exercise, "missing", f"function {exercise.function}() not found{extra}",
                     f"define a function named exactly {exercise.function} (and run its cell)")
    if record.get("not_callable"):
        return _fail(exercise, "missing",
                     f"{exercise.function} is a {record['not_callable']}, not a function",
                     f"keep the name {exercise.function} for the function of this exercise")
    results = record.get("results") or []
    if results and results[0].get("status") == "not_implemented":
        return Result(exercise, "not_attempted", len(cases), 0, "not attempted yet",
                      f"… {exercise.name}: not attempted yet (replace `raise NotImplementedError()` with your code)")
    n = len(cases)
    n_passed, first, note = 0, None, ""
    timed_out = False
    for i, case in enumerate(cases):
        if i >= len(results):
            break
        outcome = results[i]
        if outcome.get("status") == "not_implemented":
            outcome = {"status": "error", "type": "NotImplementedError", "message": "for this input"}
        ok, kind, detail = _judge(case, outcome)
        if ok:
            n_passed += 1
            warned = _warning_text(outcome)
            if warned and not note:
                note = (f"note:     test {i + 1} passed, but NumPy warned: {warned} "
                        "(harmless here; only stability tests count warnings)")
        elif first is None:
            first = (i, kind, detail)
        if outcome.get("status") == "timeout":
            timed_out = True
    if n_passed == n:
        text = f"all {n} tests passed" if n != 1 else "the test passed"
        message = f"✔ {exercise.name}: {text}" + (f"\n{_indent(note)}" if note else "")
        return Result(exercise, "passed", n, n, text, message)
    not_run = n - min(len(results), n)
    if first is None:  # results missing: the run stopped before these cases
        return _fail(exercise, "crashed", f"{n_passed} of {n} passed; checking stopped before all tests ran",
                     note, n, n_passed)
    i, kind, detail = first
    summary = f"{n_passed} of {n} passed; test {i + 1} failed: {kind}"
    if not_run:
        detail += f"\n(the last {not_run} test{'s were' if not_run > 1 else ' was'} not run)"
    if note:
        detail += "\n" + note
    return _fail(exercise, "timeout" if timed_out else "failed", summary, detail, n, n_passed)


# ------------------------------------------------------------------------------------------
# inputs: fixed for the instant checks, fresh at grading time
# ------------------------------------------------------------------------------------------
def exercise_rng(exercise, seed):
    """The generator the grader hands to ``exercise``'s case builder for batch seed ``seed``
    (one stream per exercise, so each exercise's inputs depend on the seed alone), or None
    for ``seed=None``: the notebooks' instant checks, with their fixed inputs."""
    if seed is None:
        return None
    return np.random.default_rng([int(seed), exercise.lesson, zlib.crc32(exercise.name.encode())])


def inputs_rng(rng, fixed_seed):
    """Inside a case builder: draw the inputs from the grader's ``rng``, or, for the instant
    checks (``rng`` None), from a generator seeded with the builder's ``fixed_seed``."""
    return np.random.default_rng(fixed_seed) if rng is None else rng


def vary(rng, x, low=0.5, high=1.5):
    """A written-out example input ``x`` (an array or a number): itself for the instant checks
    (``rng`` None), else at grading time each entry times a random factor in [low, high), so
    that signs, zeros and orders of magnitude (the edge cases: z = 1e4, a zero input) stay
    and the values are new."""
    if rng is None:
        return x
    if isinstance(x, np.ndarray):
        return x * rng.uniform(low, high, size=x.shape)
    return float(x) * float(rng.uniform(low, high))


def build_cases(exercise, seed=None):
    """The exercise's cases: the fixed inputs for ``seed=None``, else inputs drawn from ``seed``
    (``exercise_rng``). References and known wrong answers may over/underflow quietly."""
    with np.errstate(all="ignore"):
        return list(exercise.cases(exercise_rng(exercise, seed)))


def run(exercise, fn, quiet=False, seconds=CALL_TIME_LIMIT, seed=None):
    """Check ``fn`` in this process: build the cases (the fixed inputs, or those of ``seed``),
    call, judge, print one verdict."""
    cases = build_cases(exercise, seed)
    if not callable(fn):
        record = {"exercise": exercise.name, "not_callable": type_text(fn)}
    else:
        results = []
        for case in cases:
            outcome = _call.call_case(fn, case.args, case.kwargs, case.collect, case.watch, seconds,
                                      case.warnings_fail)
            results.append(outcome)
            if outcome["status"] in ("timeout", "not_implemented"):
                break
        record = {"exercise": exercise.name, "results": results}
    result = evaluate(exercise, cases, record)
    if not quiet:
        print(result.message)
    return result


def make_check(exercise):
    """The learner-facing ``check_<name>(fn)``: prints the verdict, returns nothing."""
    def check(fn):
        run(exercise, fn)
    check.__name__ = f"check_{exercise.name}"
    check.__doc__ = (f"Check your {exercise.function}() for exercise '{exercise.name}' "
                     f"({exercise.points} point{'s' if exercise.points != 1 else ''}); prints the verdict.")
    return check


def make_check_all(exercises):
    """The learner-facing ``check_all(namespace)``: every exercise of the lesson and the score."""
    def check_all(namespace):
        earned = []
        for ex in exercises:
            fn = namespace.get(ex.function)
            if fn is None:
                r = evaluate(ex, [], {"exercise": ex.name, "missing": True, "names": list(namespace)})
                print(r.message)
            else:
                r = run(ex, fn)
            earned.append(r.points)
        full = sum(ex.points for ex in exercises)
        print(f"score: {points_text(total_points(earned))} / {full} points")
    check_all.__doc__ = "Check every exercise of this lesson: check_all(globals())."
    return check_all
