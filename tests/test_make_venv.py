"""tools/venv.sh, behind `make lab` and `make test`: it repairs a broken .venv and says how
to fix what it cannot repair. Each case runs the real script on a tiny stand-in project (one
package, no dependencies), so the install step takes seconds."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BASE_PYTHON = Path(getattr(sys, "_base_executable", sys.executable))

pytestmark = pytest.mark.skipif(os.name == "nt" or shutil.which("sh") is None, reason="needs a POSIX sh")


@pytest.fixture
def project(tmp_path):
    (tmp_path / "tools").mkdir()
    for tool in ("venv.sh", "lab_settings.py"):
        shutil.copy(ROOT / "tools" / tool, tmp_path / "tools" / tool)
    (tmp_path / "course_lib").mkdir()
    (tmp_path / "course_lib" / "__init__.py").write_text("")
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "course_lib"\nversion = "0.1.0"\n[project.optional-dependencies]\ndev = []\n'
        '[tool.setuptools]\npackages = ["course_lib"]\n')
    return tmp_path


def venv_sh(project, python, level="lab", asked=""):
    done = subprocess.run(["sh", "tools/venv.sh", str(python), level, asked], cwd=project,
                          capture_output=True, text=True, timeout=600)
    return done.returncode, done.stderr


def fake_python(tmp_path, body):
    path = tmp_path / "fakepython"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def test_creates_installs_and_then_reuses(project):
    code, said = venv_sh(project, BASE_PYTHON)
    assert code == 0, said
    assert "creating .venv" in said and "installing the course into .venv" in said
    assert (project / ".venv" / ".installed-lab").exists()
    overrides = project / ".venv" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert '"saveState": true' in overrides.read_text()         # the course's JupyterLab defaults
    code, said = venv_sh(project, BASE_PYTHON)
    assert (code, said) == (0, "")                              # nothing to do: silent
    code, said = venv_sh(project, BASE_PYTHON, "dev")
    assert code == 0 and "test tools" in said and (project / ".venv" / ".installed-dev").exists()
    overrides.write_text("[1, 2]")                              # a file it must not rewrite
    code, said = venv_sh(project, BASE_PYTHON)
    assert code == 0 and "going on without the course's JupyterLab defaults" in said, said
    assert "is not a JSON object" in said and overrides.read_text() == "[1, 2]"


def test_rebuilds_a_venv_without_pip(project):
    subprocess.run([str(BASE_PYTHON), "-m", "venv", "--without-pip", ".venv"], cwd=project, check=True)
    code, said = venv_sh(project, BASE_PYTHON)
    assert code == 0, said
    assert "rebuilding .venv: it has no pip" in said
    subprocess.run([str(project / ".venv" / "bin" / "python"), "-m", "pip", "--version"], check=True)


NO_VENV_MODULE = ('if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then mkdir -p "$3/bin"; '
                  'echo "ensurepip is not available"; exit 1; fi\n')


def test_rebuilds_a_venv_whose_python_no_longer_runs(project, tmp_path):
    (project / ".venv" / "bin").mkdir(parents=True)
    fake = project / ".venv" / "bin" / "python"
    fake.write_text("#!/bin/sh\nexit 127\n")
    fake.chmod(0o755)
    # (a Python without the venv module, so the test stops after the decision: no install)
    python = fake_python(tmp_path, NO_VENV_MODULE + f'exec "{BASE_PYTHON}" "$@"')
    code, said = venv_sh(project, python)
    assert code == 2 and "rebuilding .venv: its Python does not run" in said
    assert not (project / ".venv").exists()


def test_rebuilds_when_another_python_is_asked_for(project, tmp_path):
    subprocess.run([str(BASE_PYTHON), "-m", "venv", ".venv"], cwd=project, check=True)
    other = fake_python(tmp_path, 'if [ "$1" = "-c" ]; then echo 3.99.0; exit 0; fi\n'
                        + NO_VENV_MODULE + f'exec "{BASE_PYTHON}" "$@"')
    assert venv_sh(project, other)[0] in (0, 2)          # not asked: the working .venv is kept
    assert (project / ".venv" / "bin" / "python").exists()
    code, said = venv_sh(project, other, asked="asked")
    assert f"rebuilding .venv: it has Python {sys.version_info.major}.{sys.version_info.minor}" in said
    assert f"but {other} is 3.99.0" in said


def test_too_old_or_missing_python_gets_one_line_with_the_fix(project, tmp_path):
    old = fake_python(tmp_path, 'case "$2" in *sys.exit*) exit 1 ;; esac; echo 3.9.18')
    code, said = venv_sh(project, old)
    assert code == 2 and "is Python 3.9.18; the course needs 3.10 or newer" in said
    assert "make lab PYTHON=python3.12" in said and said.count("\n") == 1
    code, said = venv_sh(project, tmp_path / "no-such-python", "dev")
    assert code == 2 and "does not run" in said and "make test PYTHON=python3.12" in said


def test_missing_venv_module_says_apt_install_and_leaves_nothing_behind(project, tmp_path):
    no_venv = fake_python(tmp_path, NO_VENV_MODULE + f'exec "{BASE_PYTHON}" "$@"')
    code, said = venv_sh(project, no_venv)
    assert code == 2
    assert "sudo apt install python3-venv" in said and "conda" in said
    assert not (project / ".venv").exists()              # the next try starts clean
