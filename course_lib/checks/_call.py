"""Calling a learner's function safely, and carrying its answer across as plain data.

This file is used twice:

* in-process, by ``_core`` when a learner runs a check cell in their own notebook;
* inside the grader's kernel, where ``course_lib.grading.grader`` executes this file's *source*
  in a fresh namespace after the learner's notebook has run, and calls ``run_payload``.

So it imports only the standard library and NumPy, and it holds no expected values: it
calls the learner's function on the inputs it is given and writes down what came back.
Whether that answer is right is decided elsewhere (``_core.evaluate``), in the grader's own
process, which the learner's code never touches.
"""
import base64
import contextlib
import copy
import json
import linecache
import signal
import threading
import traceback
import warnings

import numpy as np

#: array kinds that may cross from the kernel: bool, signed/unsigned int, float, complex
_ARRAY_KINDS = "biufc"
#: at most this many bytes of array data per answer (a guard against a flood)
MAX_BYTES = 16 * 1024 * 1024
#: at most this many characters of JSON per exercise's record (all its answers together)
MAX_RECORD_CHARS = 48 * 1024 * 1024


class TimeLimitExceeded(BaseException):
    """Raised inside the learner's function when it runs past its time limit.

    A BaseException, so that a learner's ``except Exception`` does not swallow it.
    """


@contextlib.contextmanager
def time_limit(seconds):
    """Interrupt the body after ``seconds`` (main thread on POSIX; elsewhere no limit)."""
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def _alarm(signum, frame):
        raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ------------------------------------------------------------------------------------------
# plain-data encoding of answers (JSON; arrays as base64 bytes; nothing executable)
# ------------------------------------------------------------------------------------------
def encode(x, _depth=0):
    """A JSON-able description of ``x`` that ``decode`` turns back into an equal value."""
    if _depth > 20:
        return {"__other__": "deeply nested value", "repr": "..."}
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, np.ndarray):
        if x.dtype.kind not in _ARRAY_KINDS or x.nbytes > MAX_BYTES:
            return {"__other__": f"numpy.ndarray of dtype {x.dtype}", "repr": _safe_repr(x)}
        data = x.copy(order="C")  # (np.ascontiguousarray would make a 0-d array 1-d)
        return {"__nd__": data.dtype.str, "shape": list(data.shape),
                "data": base64.b64encode(data.tobytes()).decode("ascii")}
    if isinstance(x, np.generic):
        if x.dtype.kind not in _ARRAY_KINDS:
            return {"__other__": type(x).__name__, "repr": _safe_repr(x)}
        return {"__np__": x.dtype.str, "data": base64.b64encode(np.asarray(x).tobytes()).decode("ascii")}
    if type(x) is int:
        return x if abs(x) < 2**63 else {"__other__": "int", "repr": _safe_repr(x)}
    if type(x) is float:
        return {"__float__": repr(x)}
    if type(x) is complex:
        return {"__other__": "complex", "repr": _safe_repr(x)}
    if type(x) is tuple:
        return {"__tuple__": [encode(v, _depth + 1) for v in x]}
    if type(x) is list:
        return [encode(v, _depth + 1) for v in x]
    if type(x) is dict and all(type(k) is str for k in x):
        return {"__dict__": [[k, encode(v, _depth + 1)] for k, v in x.items()]}
    return {"__other__": _type_name(x), "repr": _safe_repr(x)}


def _size(x, _depth=0):
    """About how many bytes ``x`` takes as data (arrays by their bytes), without encoding it."""
    if _depth > 20:
        return 0
    if isinstance(x, np.ndarray):
        return x.nbytes
    if isinstance(x, (list, tuple)):
        return sum(_size(v, _depth + 1) for v in x[:100_000]) + 8 * len(x)
    if isinstance(x, dict):
        return sum(_size(v, _depth + 1) for v in list(x.values())[:100_000]) + 8 * len(x)
    if isinstance(x, (str, bytes)):
        return len(x)
    return 8


class Other:
    """A returned value of a type that does not cross (a generator, an object, ...)."""

    def __init__(self, type_name, text):
        self.type_name, self.text = type_name, text

    def __repr__(self):
        return self.text


def decode(d):
    """Inverse of ``encode``. Raises ``ValueError`` on anything malformed."""
    if d is None or isinstance(d, (bool, str, int)):
        return d
    if isinstance(d, list):
        return [decode(v) for v in d]
    if not isinstance(d, dict) or len(d) == 0:
        raise ValueError("malformed answer")
    if "__nd__" in d:
        dtype = np.dtype(d["__nd__"])
        if dtype.kind not in _ARRAY_KINDS:
            raise ValueError("malformed answer")
        shape = tuple(int(s) for s in d["shape"])
        raw = base64.b64decode(d["data"])
        if len(raw) != dtype.itemsize * int(np.prod(shape, dtype=np.int64)):
            raise ValueError("malformed answer")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if "__np__" in d:
        dtype = np.dtype(d["__np__"])
        raw = base64.b64decode(d["data"])
        if dtype.kind not in _ARRAY_KINDS or len(raw) != dtype.itemsize:
            raise ValueError("malformed answer")
        return np.frombuffer(raw, dtype=dtype)[0]
    if "__float__" in d:
        return float(d["__float__"])
    if "__tuple__" in d:
        return tuple(decode(v) for v in d["__tuple__"])
    if "__dict__" in d:
        return {str(k): decode(v) for k, v in d["__dict__"]}
    if "__other__" in d:
        return Other(str(d["__other__"]), str(d.get("repr", ""))[:300])
    raise ValueError("malformed answer")


def _type_name(x):
    t = type(x)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def _safe_repr(x, limit=300):
    try:
        text = repr(x)
    except BaseException:  # a learner's __repr__ may itself fail
        text = f"<{_type_name(x)} object>"
    return text if len(text) <= limit else text[:limit] + "..."


# ------------------------------------------------------------------------------------------
# one call of the learner's function
# ------------------------------------------------------------------------------------------
def _same(a, b):
    """Deep equality for the inputs we hand out (arrays, numbers, lists, tuples, dicts)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (int, float, complex, str, bool, type(None), np.generic)):
        return type(a) is type(b) and (a == b or (a != a and b != b))
    return True  # other objects (a model, a generator) may change on purpose


def _learner_frame(tb):
    """'line N' of the innermost frame that is not this file, to point at the mistake."""
    frames = traceback.extract_tb(tb)
    for fr in reversed(frames):
        if not fr.filename.endswith("_call.py"):
            return f"{fr.name}, line {fr.lineno}" + (f": {fr.line.strip()}" if fr.line else "")
    return ""


def _warning_where(w):
    """'line N: source' of the line that made NumPy warn (as ``_learner_frame`` does for errors)."""
    try:
        line = linecache.getline(w.filename, w.lineno).strip()
    except BaseException:
        line = ""
    return f"line {w.lineno}" + (f": {line}" if line else "")


def call_case(fn, args=(), kwargs=None, collect=False, watch=None, seconds=10.0, warnings_fail=True):
    """Call ``fn(*args, **kwargs)`` on copies of the inputs and describe what happened.

    Returns a dict: ``status`` is "ok" (with the encoded ``value``, the list of inputs it
    changed in place, ``mutated``, and ``warnings``), "not_implemented", "timeout", "numeric"
    (overflow, division by zero or an invalid operation in NumPy) or "error" (``type``,
    ``message``).

    ``warnings_fail`` (a stability test): NumPy overflow / divide / invalid warnings are
    raised as errors, so the call ends with status "numeric". Otherwise they are only
    recorded: the answer is judged as usual and ``warnings`` lists the first RuntimeWarning
    (``message``, ``where``). Underflow is fine either way.
    """
    kwargs = dict(kwargs or {})
    given_args, given_kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    level = "raise" if warnings_fail else "warn"
    caught = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("error" if warnings_fail else "always", RuntimeWarning)
            with np.errstate(over=level, divide=level, invalid=level, under="ignore"):
                with time_limit(seconds):
                    out = fn(*given_args, **given_kwargs)
                    if collect and not isinstance(out, (list, tuple)):
                        out = list(out)
                    if _size(out) > MAX_RECORD_CHARS // 2:
                        return {"status": "error", "type": "AnswerTooLarge", "where": "",
                                "message": f"the answer holds about {_size(out) >> 20} MB: too large to be checked"}
                    value = encode(out)
    except TimeLimitExceeded:
        return {"status": "timeout", "seconds": seconds}
    except NotImplementedError:
        return {"status": "not_implemented"}
    except (FloatingPointError, RuntimeWarning) as e:
        return {"status": "numeric", "message": str(e)[:300], "where": _learner_frame(e.__traceback__)}
    except KeyboardInterrupt:
        raise
    except BaseException as e:  # SystemExit too: a learner's exit() must not end grading
        return {"status": "error", "type": type(e).__name__, "message": _safe_repr_msg(e),
                "where": _learner_frame(e.__traceback__)}
    finally:
        for w in caught or []:  # other warnings (deprecations, ...) are shown as usual
            if not issubclass(w.category, RuntimeWarning):
                with contextlib.suppress(BaseException):
                    warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    mutated = []
    for i, (a, b) in enumerate(zip(args, given_args)):
        if (watch is None or i in watch) and not _same(a, b):
            mutated.append(i)
    for k in kwargs:
        if (watch is None or k in watch) and not _same(kwargs[k], given_kwargs.get(k)):
            mutated.append(k)
    noted = [{"message": _safe_repr_msg(w.message), "where": _warning_where(w)}
             for w in caught if issubclass(w.category, RuntimeWarning)][:1]
    return {"status": "ok", "value": value, "mutated": mutated, "warnings": noted}


def _safe_repr_msg(e):
    try:
        return str(e)[:300]
    except BaseException:
        return ""


# ------------------------------------------------------------------------------------------
# the grader's entry point inside the kernel
# ------------------------------------------------------------------------------------------
def run_payload(items, emit, namespace, seconds):
    """Run every case of every exercise in ``items`` against ``namespace``.

    ``items``: ``[{"exercise", "function", "cases": [(args, kwargs, collect, watch,
    warnings_fail), ...]}, ...]`` (built by the grader). ``emit(record)`` is called with one
    plain-data record per exercise as soon as it is done, so that what was checked survives a
    learner's function that kills the kernel. An answer larger than ``MAX_RECORD_CHARS`` (as
    JSON) is not sent: that test fails as "answer too large".
    """
    for item in items:
        record = {"exercise": item["exercise"]}
        fn = namespace.get(item["function"])
        if item["function"] not in namespace:
            record["missing"] = True
            record["names"] = sorted(k for k, v in list(namespace.items())
                                     if isinstance(k, str) and not k.startswith("_") and callable(v))[:200]
        elif not callable(fn):
            record["not_callable"] = _type_name(fn)
        else:
            results, size = [], 0
            for args, kwargs, collect, watch, *rest in item["cases"]:
                warnings_fail = bool(rest[0]) if rest else True
                outcome = call_case(fn, args, kwargs, collect, watch, seconds, warnings_fail)
                try:
                    n = len(json.dumps(outcome))
                except BaseException:  # noqa: BLE001 - too large to even write down
                    n = MAX_RECORD_CHARS + 1
                if size + n > MAX_RECORD_CHARS:
                    outcome = {"status": "error", "type": "AnswerTooLarge",
                               "message": "the answer is too large to be checked", "where": ""}
                    n = 200
                size += n
                results.append(outcome)
                if outcome["status"] in ("timeout", "not_implemented"):
                    break
            record["results"] = results
        emit(record)
