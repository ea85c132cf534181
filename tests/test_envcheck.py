"""The environment check of the welcome notebook: a working setup passes in plain words,
and each broken setup (extension missing or disabled, wrong version, course_lib not
importable, old NumPy, old Matplotlib with a new matplotlib-inline) is reported with its fix.
"""
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import course_lib
from course_lib import envcheck
from course_lib.envcheck import WIDGET_EXTENSION

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "00_welcome.ipynb"


def fake_labextensions(root, version="5.0.16", with_extension=True):
    """A fake ``share/jupyter/labextensions`` folder, with or without the widget extension."""
    labext = Path(root) / "share" / "jupyter" / "labextensions"
    labext.mkdir(parents=True)
    (labext / "jupyterlab_pygments").mkdir()  # another extension, to be ignored
    if with_extension:
        ext = labext / WIDGET_EXTENSION
        ext.mkdir(parents=True)
        (ext / "package.json").write_text(json.dumps({"name": WIDGET_EXTENSION, "version": version}))
    return labext


# ---------------------------------------------------------------------------------------
# a working setup
# ---------------------------------------------------------------------------------------
def test_this_environment_passes_every_check():
    results = envcheck.check_environment(expected_version=course_lib.__version__)
    assert [r.name for r in results] == [
        "Python", "course_lib imports", "course_lib version", "NumPy", "Matplotlib",
        "ipywidgets", "widget extension",
    ]
    assert all(r.ok for r in results), "\n".join(str(r) for r in results if not r.ok)
    assert all(r.fix == "" for r in results)


def test_report_of_a_working_setup_is_plain_and_machine_independent():
    out = io.StringIO()
    envcheck.report(expected_version="0.1.0", file=out)
    text = out.getvalue()
    assert text.splitlines()[-1] == "All 7 checks passed: this environment is ready for the course."
    assert "[ok] widget extension: the JupyterLab widget extension is installed, so sliders can render." in text
    assert "[ok] course_lib version: course_lib 0.1.0 is the version these notebooks expect." in text
    assert "[ok] Matplotlib: Matplotlib 3.8 or newer is installed.\n" in text
    # no paths or exact versions of this machine: the welcome notebook's output must not vary
    assert sys.prefix not in text and sys.executable not in text
    import numpy
    assert numpy.__version__ not in text


def test_expected_version_constant_matches_the_library_and_the_notebook():
    assert envcheck.EXPECTED_VERSION == course_lib.__version__ == "0.1.0"
    source = "".join("".join(c["source"]) for c in json.loads(NOTEBOOK.read_text())["cells"])
    assert 'EXPECTED_VERSION = "0.1.0"' in source


def test_verbose_report_shows_the_details():
    out = io.StringIO()
    envcheck.report(expected_version="0.1.0", file=out, verbose=True)
    assert str(Path(course_lib.__file__)) in out.getvalue()


# ---------------------------------------------------------------------------------------
# the widget extension
# ---------------------------------------------------------------------------------------
def test_widget_extension_found_in_a_prefix(tmp_path):
    labext = fake_labextensions(tmp_path)
    result = envcheck.check_widget_extension(data_dirs=[labext], config_dirs=[])
    assert result.ok
    assert "5.0.16" in result.detail and str(labext) in result.detail


def test_widget_extension_missing_is_reported_with_the_fix(tmp_path):
    labext = fake_labextensions(tmp_path, with_extension=False)
    result = envcheck.check_widget_extension(data_dirs=[labext], config_dirs=[])
    assert not result.ok
    assert result.name == "widget extension"
    assert "missing" in result.message
    assert "plain text such as IntSlider(value=3, ...)" in result.message
    assert "jupyterlab_widgets" in result.fix
    assert "make lab" in result.fix
    assert "restart JupyterLab" in result.fix
    assert "jupyter labextension list" in result.fix
    assert str(labext) in result.detail  # where we looked


def test_widget_extension_missing_from_the_server_prefix(tmp_path, monkeypatch):
    """The server's environment decides, not the kernel's: a server prefix without the
    extension fails even though this kernel's own environment has it."""
    server = tmp_path / "server-env"
    fake_labextensions(server, with_extension=False)
    monkeypatch.setenv("JUPYTER_PATH", "")
    monkeypatch.setattr(envcheck, "_data_dirs",
                        lambda prefix: [Path(prefix) / "share" / "jupyter" / "labextensions"])
    result = envcheck.check_widget_extension(prefix=server, config_dirs=[])
    assert not result.ok and "missing" in result.message
    assert str(server) in result.detail


def test_data_dirs_put_the_server_prefix_first_and_drop_the_kernel_env(tmp_path):
    dirs = envcheck._data_dirs(tmp_path)
    assert dirs[0] == tmp_path / "share" / "jupyter" / "labextensions"
    assert Path(sys.prefix) / "share" / "jupyter" / "labextensions" not in dirs[1:]
    assert all(d.name == "labextensions" for d in dirs)


def test_server_prefix_from_the_parent_process_command_line(monkeypatch):
    if not Path(f"/proc/{os.getpid()}/cmdline").exists():
        pytest.skip("needs /proc (Linux)")
    # this test process stands in for the JupyterLab server
    monkeypatch.setenv("JPY_PARENT_PID", str(os.getpid()))
    argv0 = Path(f"/proc/{os.getpid()}/cmdline").read_bytes().split(b"\0")[0].decode()
    prefix = envcheck._server_prefix()
    if "/bin/" in argv0:
        assert prefix is not None and (prefix / "bin").is_dir()
    monkeypatch.delenv("JPY_PARENT_PID")
    assert envcheck._server_prefix(pid=None) is None


def test_widget_extension_disabled(tmp_path):
    labext = fake_labextensions(tmp_path / "env")
    config = tmp_path / "etc" / "jupyter"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {WIDGET_EXTENSION: True}}))
    result = envcheck.check_widget_extension(data_dirs=[labext], config_dirs=[config])
    assert not result.ok
    assert "installed but disabled" in result.message
    assert f"jupyter labextension enable {WIDGET_EXTENSION}" in result.fix


def test_widget_extension_too_old(tmp_path):
    labext = fake_labextensions(tmp_path, version="3.1.0")
    result = envcheck.check_widget_extension(data_dirs=[labext], config_dirs=[])
    assert not result.ok
    assert "too old (version 3.1.0) for ipywidgets 8" in result.message
    assert "jupyterlab_widgets" in result.fix


# ---------------------------------------------------------------------------------------
# course_lib: import and version
# ---------------------------------------------------------------------------------------
def test_course_lib_imports_in_a_fresh_process():
    result = envcheck.check_course_lib_import()
    assert result.ok
    assert result.detail.splitlines()[0] == course_lib.__version__


def test_course_lib_not_importable_with_a_bad_sys_path(tmp_path):
    """A Python that cannot see course_lib: isolated mode (-I ignores PYTHONPATH and the
    current folder) and no site-packages (-S), run from an empty folder."""
    script = tmp_path / "python-without-course"
    script.write_text(f"#!/bin/sh\nexec {sys.executable} -I -S \"$@\"\n")
    script.chmod(0o755)
    result = envcheck.check_course_lib_import(python=str(script), cwd=tmp_path)
    assert not result.ok
    assert result.name == "course_lib imports"
    assert "Python cannot find course_lib" in result.message
    assert "Kernel > Change Kernel" in result.fix
    assert "python -m pip install -e ." in result.fix
    assert "restart the kernel" in result.fix


def test_course_lib_import_error_inside_the_library(tmp_path):
    """course_lib is found but raises on import (e.g. a broken edit): say so, differently."""
    fake = tmp_path / "course_lib"
    fake.mkdir()
    (fake / "__init__.py").write_text("import numpy_that_does_not_exist\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    result = envcheck.check_course_lib_import(env=env, cwd=tmp_path)
    assert not result.ok
    assert "importing course_lib fails with an error" in result.message
    assert "numpy_that_does_not_exist" in result.message
    assert "git checkout course_lib/" in result.fix


def test_check_environment_when_course_lib_does_not_import(tmp_path):
    script = tmp_path / "py"
    script.write_text(f"#!/bin/sh\nexec {sys.executable} -I -S \"$@\"\n")
    script.chmod(0o755)
    results = {r.name: r for r in envcheck.check_environment(python=str(script))}
    assert not results["course_lib imports"].ok
    assert not results["course_lib version"].ok
    assert "cannot tell" in results["course_lib version"].message


def test_wrong_version_older():
    result = envcheck.check_course_lib_version("0.1.0", installed="0.0.9")
    assert not result.ok
    assert result.message == ("the notebooks expect course_lib 0.1.0, but this kernel has "
                              "course_lib 0.0.9, which is older than it.")
    assert "git pull" in result.fix and "pip install -e ." in result.fix and "restart the kernel" in result.fix


def test_wrong_version_newer():
    result = envcheck.check_course_lib_version("0.1.0", installed="0.2.0")
    assert not result.ok and "newer than it" in result.message
    assert "notebooks of the same release" in result.fix


def test_right_version():
    result = envcheck.check_course_lib_version("0.1.0", installed="0.1.0")
    assert result.ok and result.fix == ""
    assert envcheck.check_course_lib_version("0.1.0").ok  # the installed one


def test_wrong_version_in_the_whole_report():
    out = io.StringIO()
    results = envcheck.report(expected_version="0.2.0", file=out)
    text = out.getvalue()
    assert [r.name for r in results if not r.ok] == ["course_lib version"]
    assert "[PROBLEM] course_lib version: the notebooks expect course_lib 0.2.0" in text
    assert "    Fix: " in text
    assert text.splitlines()[-1].startswith("1 of 7 checks found a problem (course_lib version).")


# ---------------------------------------------------------------------------------------
# packages and Python
# ---------------------------------------------------------------------------------------
def test_old_numpy():
    result = envcheck.check_package("numpy", version="1.21.6")
    assert not result.ok
    assert result.message == "NumPy 1.21.6 is too old: the course needs NumPy 1.23 or newer."
    assert 'python -m pip install --upgrade "numpy>=1.23"' in result.fix
    assert "restart the kernel" in result.fix


@pytest.mark.parametrize("version", ["1.23.0", "1.26.4", "2.0.0rc1", "2.4.6", "10.0"])
def test_new_enough_numpy(version):
    result = envcheck.check_package("numpy", version=version)
    assert result.ok and result.message == "NumPy 1.23 or newer is installed."


def test_missing_package():
    result = envcheck.check_package("a_package_that_is_not_there", minimum="1.0")
    assert not result.ok and "is not installed" in result.message


def test_old_python():
    result = envcheck.check_python("3.8.10")
    assert not result.ok
    assert "needs Python 3.10 or newer" in result.message and "make lab PYTHON=" in result.fix
    assert envcheck.check_python().ok


def test_old_numpy_in_the_whole_report():
    out = io.StringIO()
    envcheck.report(versions={"numpy": "1.21.0"}, file=out)
    assert "[PROBLEM] NumPy: NumPy 1.21.0 is too old" in out.getvalue()


# ---------------------------------------------------------------------------------------
# Matplotlib, and the known-bad Matplotlib / matplotlib-inline combination
# ---------------------------------------------------------------------------------------
_RCPARAMS_ERROR = "AttributeError: 'RcParams' object has no attribute '_get'"


def test_old_matplotlib_with_new_matplotlib_inline_names_both_versions_and_the_fix():
    """Debian 12's Matplotlib 3.6.3 with the matplotlib-inline 0.2.x that pip picks for it:
    every plotting cell fails. The check says which versions it found and what to run."""
    result = envcheck.check_matplotlib(version="3.6.3", inline_version="0.2.2")
    assert not result.ok and result.name == "Matplotlib"
    assert result.message == (
        "Matplotlib 3.6.3 cannot work with matplotlib-inline 0.2.2: every plotting cell fails "
        f"with {_RCPARAMS_ERROR} (matplotlib-inline 0.2 and newer need Matplotlib 3.7 or "
        "newer). The course needs Matplotlib 3.8 or newer.")
    assert 'python -m pip install --upgrade "matplotlib>=3.8"' in result.fix
    assert 'python -m pip install "matplotlib-inline<0.2"' in result.fix
    assert "restart the kernel" in result.fix
    assert result.detail == "matplotlib 3.6.3; matplotlib-inline 0.2.2"
    assert str(result).startswith("[PROBLEM] Matplotlib: Matplotlib 3.6.3 cannot work with")
    assert "\n    Fix: In the kernel's environment run" in str(result)


@pytest.mark.parametrize("mpl, inline", [("3.6.3", "0.1.7"), ("3.5.1", ""), ("3.6.0", "not-a-version")])
def test_old_matplotlib_without_the_clash_is_only_too_old(mpl, inline):
    result = envcheck.check_matplotlib(version=mpl, inline_version=inline)
    assert not result.ok
    assert result.message == f"Matplotlib {mpl} is too old: the course needs Matplotlib 3.8 or newer."
    assert "_get" not in result.message and "matplotlib-inline<" not in result.fix
    assert 'python -m pip install --upgrade "matplotlib>=3.8"' in result.fix


@pytest.mark.parametrize("mpl, inline", [
    ("3.8.0", "0.2.2"), ("3.8.0", "0.2.1"), ("3.11.2", "0.2.2"), ("3.10.0", "0.1.7"), ("3.8.4", ""),
])
def test_matplotlib_37_or_newer_passes_with_any_matplotlib_inline(mpl, inline):
    result = envcheck.check_matplotlib(version=mpl, inline_version=inline)
    assert result.ok and result.fix == ""
    # the welcome notebook's stored line: the same text whatever the versions
    assert str(result) == "[ok] Matplotlib: Matplotlib 3.8 or newer is installed."
    assert result.detail == f"matplotlib {mpl}; matplotlib-inline {inline or 'not installed'}"


def test_a_higher_floor_does_not_blame_matplotlib_inline():
    """Only Matplotlib < 3.7 clashes with matplotlib-inline 0.2; a 3.7.x below a raised floor
    is merely too old."""
    result = envcheck.check_matplotlib(minimum="3.8", version="3.7.5", inline_version="0.2.2")
    assert not result.ok
    assert result.message == "Matplotlib 3.7.5 is too old: the course needs Matplotlib 3.8 or newer."


def test_matplotlib_check_reads_the_installed_versions():
    from importlib import metadata

    import matplotlib

    result = envcheck.check_matplotlib()
    assert result.ok
    try:
        inline = metadata.version("matplotlib-inline")
    except metadata.PackageNotFoundError:
        inline = "not installed"
    assert result.detail == f"matplotlib {matplotlib.__version__}; matplotlib-inline {inline}"


def test_matplotlib_clash_in_the_whole_report():
    out = io.StringIO()
    results = envcheck.report(versions={"matplotlib": "3.6.3", "matplotlib-inline": "0.2.2"}, file=out)
    text = out.getvalue()
    assert [r.name for r in results] == [
        "Python", "course_lib imports", "course_lib version", "NumPy", "Matplotlib",
        "ipywidgets", "widget extension",
    ]
    assert "[PROBLEM] Matplotlib: Matplotlib 3.6.3 cannot work with matplotlib-inline 0.2.2" in text
    assert _RCPARAMS_ERROR in text
    assert 'Fix: In the kernel\'s environment run `python -m pip install --upgrade "matplotlib>=3.8"`' in text
    assert text.splitlines()[-1].startswith("1 of 7 checks found a problem (Matplotlib).")


@pytest.mark.parametrize("text, expected", [
    ("1.26.4", (1, 26, 4)), ("2.0.0rc1", (2, 0, 0)), ("v3.10", (3, 10)), ("8.1.9+local", (8, 1, 9)),
])
def test_parse_version(text, expected):
    assert envcheck.parse_version(text) == expected


def test_parse_version_rejects_garbage():
    with pytest.raises(ValueError, match="not a version number"):
        envcheck.parse_version("unknown")


# ---------------------------------------------------------------------------------------
# the live test widget and the command line
# ---------------------------------------------------------------------------------------
def test_widget_test_follows_the_slider():
    box = envcheck.widget_test(value=3)
    slider, label = box.children
    assert label.value == "The slider is at 3; its square is 9."
    slider.value = 7
    assert label.value == "The slider is at 7; its square is 49."
    assert envcheck.describe_slider(10) == "The slider is at 10; its square is 100."


def test_command_line():
    done = subprocess.run([sys.executable, "-m", "course_lib.envcheck"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All 7 checks passed" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "course_lib.envcheck", "--expected-version", "9.9.9"],
                         capture_output=True, text=True)
    assert bad.returncode == 1
    assert "the notebooks expect course_lib 9.9.9" in bad.stdout


def test_the_core_does_not_import_envcheck():
    code = "import sys, course_lib; print('course_lib.envcheck' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False"]
