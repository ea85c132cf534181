"""The setup cell that opens every lesson, solution and exercise notebook (Colab, VS Code).

    .venv/bin/python tools/setup_cell.py            # put CELL into every text file (or update it)
    .venv/bin/python tools/setup_cell.py --check    # exit 1 if a text file lacks it or differs
    .venv/bin/python tools/notebooks.py sync        # then, as after every edit of a text file

``CELL`` below is the one copy of the cell's text: edit it here, never in a notebook or text
file, then run the three commands above (the cell prints nothing where ``course_lib`` imports,
so its stored output stays empty; re-execute only to renumber the execution counts), and
``python -m course_lib.grading.make_exercises`` for ``exercises/``. tests/test_setup_cell.py
checks that every notebook of notebooks/, solutions/ and exercises/ starts with exactly this
cell, that it is silent where course_lib imports, and that its install branch works in a
fresh environment without course_lib.

Where ``course_lib`` imports (JupyterLab from the course folder, ``make lab``, CI, the
grader) the cell does nothing and prints nothing. Elsewhere (Google Colab, VS Code with a
plain Python kernel) it installs course_lib with pip into the kernel's own Python, from the
environment variable ``COURSE_LIB_SOURCE`` if set (a pip address or a local course folder),
else from ``COURSE_REPOSITORY``. Inside Colab it turns on Colab's custom widget manager each
time it runs, installed or not.

``COURSE_REPOSITORY`` is empty until the course has a public address: then the install
branch stops with a message saying what to set. When the address is known, write it into
``CELL`` (as pip spells a git repository: ``"git+https://<host>/<owner>/<repo>"``) and run the
commands above.

In each text file (jupytext py:percent) the cell sits right after the first cell (the title
and learning objectives), so that it is the first code cell. An existing setup cell is
recognised by ``MARK`` in the first code cell and replaced.
"""
import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT_FOLDERS = (ROOT / "text" / "notebooks", ROOT / "text" / "solutions")
MARK = "COURSE_LIB_SOURCE"   # what identifies an existing setup cell (first code cell only)

CELL = '''\
# Setup for Google Colab and VS Code: installs course_lib if this Python lacks it, else does nothing.
import importlib.util, os, subprocess, sys

COURSE_REPOSITORY = ""  # TO FILL IN once the course is public: "git+https://<host>/<owner>/<repo>"
if importlib.util.find_spec("course_lib") is None:
    source = os.environ.get("COURSE_LIB_SOURCE") or COURSE_REPOSITORY
    assert source, "course_lib is missing: set COURSE_REPOSITORY above to the course's git address"
    print(f"Installing course_lib from {source} (a minute or two) ...", end=" ", flush=True)
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", source],
                         capture_output=True, text=True)
    assert pip.returncode == 0, f"pip could not install course_lib:\\n{pip.stderr}"
    print("done")
if "google.colab" in sys.modules:  # Colab draws ipywidgets only with its custom widget manager
    from google.colab import output
    output.enable_custom_widget_manager()'''

_MARKER = re.compile(r"^# %%( .*)?$")


def _cells(text):
    """Split py:percent ``text`` into (header, [chunk, ...]); each chunk starts with its ``# %%`` line."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _MARKER.match(line.rstrip("\n"))]
    if not starts:
        raise ValueError("no '# %%' cell in this file")
    header = "".join(lines[:starts[0]])
    chunks = ["".join(lines[a:b]) for a, b in zip(starts, starts[1:] + [len(lines)])]
    return header, chunks


def _is_code(chunk):
    marker = chunk.split("\n", 1)[0]
    return "[markdown]" not in marker and "[raw]" not in marker


def with_setup_cell(text):
    """``text`` (a py:percent notebook) with CELL as its first code cell, right after its first cell."""
    header, chunks = _cells(text)
    cell = f"# %%\n{CELL}\n\n"
    first_code = next((i for i, c in enumerate(chunks) if _is_code(c)), None)
    if first_code is not None and MARK in chunks[first_code]:
        if first_code != 1:
            raise ValueError(f"the setup cell is cell {first_code}, not cell 1 (after the title)")
        chunks[1] = cell
    else:
        chunks.insert(1, cell)
    return header + "".join(chunks)


def text_files():
    return sorted(p for folder in TEXT_FOLDERS for p in folder.glob("[0-9][0-9]_*.py"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a text file lacks the setup cell or has another")
    args = parser.parse_args(argv)
    stale = []
    for path in text_files():
        old = path.read_text(encoding="utf-8")
        new = with_setup_cell(old)
        if new != old:
            stale.append(path.relative_to(ROOT))
            if not args.check:
                path.write_text(new, encoding="utf-8")
                print("updated", path.relative_to(ROOT))
    if args.check:
        print("\n".join(f"{p}: setup cell missing or different" for p in stale)
              or "every text file starts with the setup cell")
        return 1 if stale else 0
    if stale:
        print("now run: .venv/bin/python tools/notebooks.py sync")
    return 0


if __name__ == "__main__":
    sys.exit(main())
