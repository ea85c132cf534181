"""``python -m course_lib.grading PATH... [--csv FILE]``: the same as ``course-grade``."""
import sys

from .grader import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m course_lib.grading"))
