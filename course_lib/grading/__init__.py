"""The grading floor's instructor side: grade a folder of notebooks, generate the exercises.

It builds on the numerical core and on ``course_lib.checks`` (the exercises' checks, which
learners import in every exercise notebook and which keep their short name). It imports no
presentation (``plots``, ``widgets``, Matplotlib, ipywidgets), and the core never imports it.

``grader``          grade learners' exercise notebooks, each in a sandbox, and write a
                    gradebook (CSV, JSON, Gradescope's or PrairieLearn's results.json): the
                    console script ``course-grade PATH... [--csv FILE]``, or ``python -m
                    course_lib.grading PATH...``; the trust model is in its docstring.
``sandbox``         runs one submission's code in a sandbox (bubblewrap, resource limits, no
                    network, its own processes) and talks to it over pipes it cannot block;
                    ``_worker`` is the process inside the sandbox.
``bundle``          builds Gradescope's autograder bundle and a Dockerfile for the same grader:
                    ``python -m course_lib.grading.bundle OUT [--zip FILE]``.
``make_exercises``  generate ``exercises/`` from ``solutions/`` (answers cut out):
                    ``python -m course_lib.grading.make_exercises [--check]`` (``make exercises``).

Importing this package imports none of them; import the one you need
(``from course_lib.grading import grader``).
"""
