"""Instant feedback on the graded exercises, and what the grader runs: the grading floor.

It builds on the numerical core (its references are course_lib's own functions); the core
never imports it.

For a learner, in an exercise notebook::

    from course_lib.checks import lesson01
    lesson01.check_sigmoid(sigmoid)        # ✔ sigmoid: all 7 tests passed
    lesson01.check_all(globals())          # every exercise of the lesson and the score

For an instructor: ``course-grade exercises/`` or ``python -m course_lib.grading exercises/``
(see ``course_lib.grading.grader``).

Layout
------
``_call.py``     calls a learner's function on copies of the inputs (time limit, NumPy
                 warnings as errors in stability tests and recorded in the others, in-place
                 changes detected) and turns the answer into plain data. Standard library +
                 NumPy only: the grader runs it in the kernel.
``_core.py``     ``Exercise`` / ``Case`` / ``Result``, the verifiers (``same_array``,
                 ``same_float``, ``sequence_of``, ...), ``evaluate`` (judges answers, writes
                 the feedback), the scoring (``partial_points``: each passed test earns an
                 equal share, rounded down to a tenth of a point) and ``run`` /
                 ``make_check`` / ``make_check_all``.
``lessonNN.py``  one module per lesson: its ``LESSON`` number, its ``EXERCISES`` list and one
                 ``check_<name>`` per exercise.

Adding a lesson (e.g. lesson 10)
--------------------------------
1. Create ``course_lib/checks/lesson10.py`` following ``lesson01.py``::

       LESSON = 10
       def _my_function_cases(rng=None):    # -> list of Case, built from the reference
           x = vary(rng, np.array([...]))   # fixed for rng None, fresh when grading
           return [Case(describe(x=x), (x,), verify=same_array(reference(x)),
                        hint="the usual mistake ...",
                        mistakes=[mistake(same_array(wrong(x)), "what this wrong answer means")])]
       EXERCISES = [Exercise(LESSON, "my_function", 2, _my_function_cases)]
       check_my_function = make_check(EXERCISES[0])
       check_all = make_check_all(EXERCISES)

   Rules: ``rng`` None builds the fixed inputs of the notebook's instant checks; the grader
   passes a generator, and the builder draws fresh inputs of the same shapes and kinds from it
   (the same number of cases): ``vary(rng, x)`` for a written-out example, ``rng =
   inputs_rng(rng, seed)`` for inputs drawn from a fixed seed (see ``_core``). Build cases only
   from inputs and course_lib references (never from the learner);
   inputs must be picklable (arrays, numbers, lists, course_lib objects, module-level
   functions); include edge inputs (large |z| such as 1e4, zeros, a batch of one, several
   batches); give every case a hint for the usual mistake. Set ``warnings_fail=True`` on a
   case whose point is numerical stability (|z| = 1e4, p = 0): only there does a NumPy
   warning fail the test; elsewhere the answer is judged by its value.
2. Write ``solutions/10_<name>_solutions.ipynb`` with the answers between ``### BEGIN SOLUTION`` and
   ``### END SOLUTION``, notebook metadata ``{"course": {"lesson": 10}}``, and check cells
   ``lesson10.check_my_function(my_function)``; run ``python -m course_lib.grading.make_exercises``
   (``make exercises``), which writes ``exercises/10_<name>_exercises.ipynb``.
3. Nothing else to register: ``load_lesson(10)`` imports ``lesson10`` by its name, and the
   grader finds the lesson from the notebook's metadata or its file name's ``10_`` prefix.
"""
import importlib

from ._core import Case, Exercise, Mismatch, Result, evaluate, run  # noqa: F401


def load_lesson(number):
    """The checks module of lesson ``number`` (``course_lib.checks.lesson01`` for 1).

    Raises ``LookupError`` when the lesson has no graded exercises.
    """
    name = f"{__name__}.lesson{int(number):02d}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name != name:
            raise
        raise LookupError(f"lesson {int(number):02d} has no graded exercises "
                          f"(no module {name})") from None


def exercises(number):
    """The ``Exercise`` list of lesson ``number``."""
    return list(load_lesson(number).EXERCISES)
