"""The setup cell (tools/setup_cell.py) that opens every lesson, solution and exercise notebook.

Where course_lib imports it is silent, so stored outputs and strict nbval stay as they were;
where it does not (Google Colab, VS Code with a plain Python kernel) it installs course_lib
with pip, here tried in a fresh virtual environment without course_lib, installing from a
copy of this checkout named by COURSE_LIB_SOURCE, offline when the build tools are at hand;
inside Colab it turns on Colab's custom widget manager.
"""
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import types
from pathlib import Path

import jupytext
import nbformat
import pytest

from helpers import load_tool

ROOT = Path(__file__).resolve().parents[1]
tool = load_tool("setup_cell")

NOTEBOOKS = sorted(p for folder in ("notebooks", "solutions", "exercises")
                   for p in (ROOT / folder).glob("[0-9][0-9]_*.ipynb"))
TEXTS = tool.text_files()


def test_every_notebook_is_covered():
    names = {str(p.relative_to(ROOT)) for p in NOTEBOOKS}
    assert {f"notebooks/{n:02d}" for n in range(11)} <= {n[:12] for n in names}
    assert len([n for n in names if n.startswith("exercises/")]) == len(
        [n for n in names if n.startswith("solutions/")]) > 0
    assert len(TEXTS) == len([n for n in names if not n.startswith("exercises/")])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[str(p.relative_to(ROOT)) for p in NOTEBOOKS])
def test_notebook_starts_with_the_setup_cell(path):
    nb = nbformat.read(path, as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.source == tool.CELL, (
        f"{path.name}: its first code cell is not tools/setup_cell.py's CELL; run "
        "tools/setup_cell.py, tools/notebooks.py sync and python -m course_lib.grading.make_exercises")
    assert nb.cells.index(first_code) == 1, "the setup cell comes right after the title cell"
    assert first_code.outputs == [], "the setup cell printed something where course_lib imports"
    assert not first_code.metadata.get("tags"), "the setup cell carries no tags (no nbval excuse)"


@pytest.mark.parametrize("path", TEXTS, ids=[str(p.relative_to(ROOT)) for p in TEXTS])
def test_text_file_is_what_the_tool_writes(path):
    text = path.read_text(encoding="utf-8")
    assert tool.with_setup_cell(text) == text, f"run: python tools/setup_cell.py ({path.name})"


def test_the_tool_inserts_once_and_updates_an_old_cell():
    header = TEXTS[0].read_text(encoding="utf-8").split("# %%")[0]     # a real file's jupytext header
    body = "# %% [markdown]\n# # Title\n\n# %%\nimport numpy as np\n\n# %% [markdown]\n# end\n"
    inserted = tool.with_setup_cell(header + body)
    assert tool.with_setup_cell(inserted) == inserted
    cells = jupytext.reads(inserted, fmt="py:percent").cells
    assert [c.cell_type for c in cells] == ["markdown", "code", "code", "markdown"]
    assert cells[1].source == tool.CELL and cells[2].source == "import numpy as np"
    old = inserted.replace(tool.CELL, "# an older setup cell\nimport os\nos.environ.get('COURSE_LIB_SOURCE')")
    assert tool.with_setup_cell(old) == inserted


def test_the_cell_is_short_and_says_what_it_is_for():
    lines = tool.CELL.splitlines()
    assert lines[0].startswith("# Setup for Google Colab and VS Code")
    assert len(lines) <= 16 and max(map(len, lines)) <= 110
    assert len(re.findall(r"^COURSE_REPOSITORY = ", tool.CELL, re.M)) == 1


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("COURSE_LIB_SOURCE", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env.update(PYTHONNOUSERSITE="1", PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


def test_silent_where_course_lib_imports(tmp_path):
    # even with an install source that does not exist: nothing is attempted
    done = subprocess.run([sys.executable, "-c", tool.CELL], cwd=tmp_path, capture_output=True, text=True,
                          env=_clean_env(COURSE_LIB_SOURCE=str(tmp_path / "nowhere")), timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def _fake_colab(monkeypatch, calls):
    output = types.ModuleType("google.colab.output")
    output.enable_custom_widget_manager = lambda: calls.append("enabled")
    colab = types.ModuleType("google.colab")
    colab.output = output
    if "google" not in sys.modules:
        monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.output", output)


def test_colab_branch_turns_on_the_custom_widget_manager_every_time(monkeypatch, capsys):
    calls = []
    exec(tool.CELL, {})                       # not in Colab: nothing
    assert calls == []
    _fake_colab(monkeypatch, calls)
    exec(tool.CELL, {})                       # course_lib imports here: no install, still the manager
    exec(tool.CELL, {})
    assert calls == ["enabled", "enabled"]
    assert capsys.readouterr() == ("", "")


# --- the install branch, in a fresh environment without course_lib -------------------------

FAKE_COLAB = """\
import sys, types
output = types.ModuleType("google.colab.output")
output.enable_custom_widget_manager = lambda: print("custom widget manager on")
sys.modules["google.colab"] = types.SimpleNamespace(output=output)
sys.modules["google.colab.output"] = output
"""


def _is_course_lib(name):
    name = name.lower()
    return name.startswith(("course_lib", "course-lib", "__editable__")) or name.endswith((".pth", ".egg-link"))


def _fresh_venv(tmp_path):
    """A venv that sees this environment's packages (so nothing is downloaded) but not course_lib."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # every entry of this environment's site-packages except course_lib (its files, dist-info and
    # editable hook); .pth lines only add a folder, so the .pth files in it are not run either
    deps = tmp_path / "deps"
    deps.mkdir()
    for folder in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
        for entry in Path(folder).iterdir():
            if not _is_course_lib(entry.name) and not (deps / entry.name).exists():
                (deps / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "course_dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")
    return python


def _copy_of_checkout(target):
    """What the next commit would hold (tracked and new, not ignored files), as a clone has it."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout of the course (to copy what a clone holds)")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def _build_tools_here():
    """Whether this environment has pyproject.toml's build requirements (then pip builds offline)."""
    try:
        from packaging.requirements import Requirement
    except ImportError:
        return False
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r"^\[build-system\][^\[]*?^requires\s*=\s*\[(.*?)\]", text, re.M | re.S)
    if match is None:
        return False
    for requirement in map(Requirement, re.findall(r'"([^"]+)"', match.group(1))):
        try:
            version = importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            return False
        if not requirement.specifier.contains(version, prereleases=True):
            return False
    return True


def test_install_branch_in_a_fresh_environment(tmp_path):
    python = _fresh_venv(tmp_path)
    work = tmp_path / "work"          # the kernel's folder: no ./course_lib to import by accident
    work.mkdir()
    source = _copy_of_checkout(tmp_path / "course")

    def run(code, **env):
        return subprocess.run([str(python), "-c", code], cwd=work, capture_output=True, text=True,
                              env=_clean_env(**env), timeout=300)

    probe = "import importlib.util; print(importlib.util.find_spec('course_lib'))"
    assert run(probe).stdout.strip() == "None", "the fresh environment must not have course_lib"

    repository = re.search(r'^COURSE_REPOSITORY = "(.*?)"', tool.CELL, re.M).group(1)
    if not repository:   # not published yet: the cell says what to set, and installs nothing
        done = run(tool.CELL)
        assert done.returncode != 0 and done.stdout == ""
        assert "AssertionError: course_lib is missing: set COURSE_REPOSITORY above" in done.stderr

    done = run(tool.CELL, COURSE_LIB_SOURCE=str(tmp_path / "nowhere"), PIP_NO_INDEX="1")
    assert done.returncode != 0
    assert "AssertionError: pip could not install course_lib:" in done.stderr

    # offline when this environment has the build tools: PIP_NO_BUILD_ISOLATION=0 means "build
    # without isolation" (pip reads this variable inverted), and PIP_NO_INDEX=1 forbids downloads
    offline = dict(PIP_NO_BUILD_ISOLATION="0", PIP_NO_INDEX="1") if _build_tools_here() else {}
    # as in Colab: then the lesson's own imports run in the same (kernel) process
    lesson = FAKE_COLAB + tool.CELL + "\nimport course_lib\nprint(course_lib.__file__)\n"
    done = run(lesson, COURSE_LIB_SOURCE=str(source), **offline)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"Installing course_lib from {source} (a minute or two) ... done"
    assert lines[1] == "custom widget manager on"
    installed = Path(lines[2]).resolve()
    assert installed.is_relative_to(python.parent.parent.resolve()), f"{installed} is not in the fresh venv"

    again = run(tool.CELL, COURSE_LIB_SOURCE=str(tmp_path / "nowhere"))
    assert (again.returncode, again.stdout, again.stderr) == (0, "", ""), "installed now: silent"
    done = run("from course_lib import Neuron, datasets; "
               "print(f'{Neuron([0, 1], 4).feedforward([2, 3]):.6f}', datasets.load_digits()[0].shape)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "0.999089" and "(1797, 64)" in done.stdout
