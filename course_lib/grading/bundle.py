"""Build what grading services run: ``python -m course_lib.grading.bundle OUT [--zip FILE]``.

``OUT`` receives

* ``setup.sh`` and ``run_autograder``: Gradescope's autograder bundle (zip these two and
  ``course/`` with ``--zip``; Gradescope unpacks it into ``/autograder/source``, runs
  ``setup.sh`` once to build its image and ``run_autograder`` for each submission, which
  grades ``/autograder/submission`` and writes ``/autograder/results/results.json``);
* ``Dockerfile``: a container image with the same grader (``course-grade`` as entry point)
  for PrairieLearn's external grading or Kubernetes Jobs;
* ``course/``: the library's source (``course_lib``, ``pyproject.toml``, ``README.md``,
  ``LICENSE``), which both install with pip.

``run_autograder`` reads two variables so that it can be tried outside Gradescope:
``AUTOGRADER_ROOT`` (default ``/autograder``) and ``COURSE_GRADE_PYTHON`` (default the
virtual environment ``setup.sh`` made). See docs/grading.md for the three routes.
"""
import argparse
import shutil
import stat
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq python3 python3-venv python3-pip bubblewrap >/dev/null
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet /autograder/source/course
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission. It grades every notebook in the submission,
# each in a sandbox, and writes results/results.json (one test case per exercise).
set -uo pipefail
root="${{AUTOGRADER_ROOT:-/autograder}}"
python="${{COURSE_GRADE_PYTHON:-$root/venv/bin/python}}"
mkdir -p "$root/results"
"$python" -m course_lib.grading "$root/submission" \\
    --gradescope "$root/results/results.json" --timeout {timeout} --memory {memory}
status=$?
# 0 and 1 mean graded (with or without full marks); anything else is worth a look
if [ ! -s "$root/results/results.json" ]; then
    printf '{{"score": 0, "output": "the grader failed (exit status %s); please tell your instructor", "tests": []}}\\n' \\
        "$status" > "$root/results/results.json"
fi
exit 0
"""

DOCKERFILE = """\
# The course's grader in a container: PrairieLearn external grading, Kubernetes Jobs, or a
# plain `docker run`. bubblewrap sandboxes each submission when the container may create
# namespaces (docker run --security-opt seccomp=unconfined --cap-add SYS_ADMIN, or a pod
# with the matching securityContext); elsewhere the grader says isolation is reduced and
# relies on the container plus its resource limits.
FROM python:3.11-slim
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends bubblewrap \\
    && rm -rf /var/lib/apt/lists/*
COPY course /opt/course
RUN pip install --no-cache-dir /opt/course
WORKDIR /grade
ENTRYPOINT ["course-grade"]
CMD ["--help"]
"""


def _copy_course(dest):
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(ROOT / "course_lib", dest / "course_lib", ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, dest / name)


def build(out, timeout=30, memory=2048):
    """Write the bundle into the folder ``out`` (created; must be empty or absent)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    _copy_course(out / "course")
    for name, text in (("setup.sh", SETUP_SH),
                       ("run_autograder", RUN_AUTOGRADER.format(timeout=timeout, memory=memory)),
                       ("Dockerfile", DOCKERFILE)):
        p = out / name
        p.write_text(text, encoding="utf-8")
        if name != "Dockerfile":
            p.chmod(p.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return out


def write_zip(folder, zip_path):
    """Zip the bundle's *contents* (Gradescope wants setup.sh at the archive's root)."""
    folder = Path(folder)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                info = zipfile.ZipInfo.from_file(p, p.relative_to(folder).as_posix())
                with open(p, "rb") as f:
                    z.writestr(info, f.read(), zipfile.ZIP_DEFLATED)
    return zip_path


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m course_lib.grading.bundle",
                                     description="Build the Gradescope autograder bundle and a Dockerfile "
                                                 "for the course's grader.")
    parser.add_argument("out", help="folder to create (empty or absent)")
    parser.add_argument("--zip", metavar="FILE", help="also write Gradescope's autograder.zip")
    parser.add_argument("--timeout", type=int, default=30, help="--timeout of the grader (default 30)")
    parser.add_argument("--memory", type=int, default=2048, help="--memory of the grader in MB (default 2048)")
    args = parser.parse_args(argv)
    try:
        out = build(args.out, args.timeout, args.memory)
    except FileExistsError as e:
        parser.error(str(e))
    print(f"bundle written to {out}: setup.sh, run_autograder, Dockerfile, course/")
    if args.zip:
        write_zip(out, args.zip)
        print(f"Gradescope autograder zip: {args.zip}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
