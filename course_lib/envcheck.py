"""Is this machine ready for the course? Checks that answer in plain words, each with its fix.

Run it from the welcome notebook (``notebooks/00_welcome.ipynb``) or from a terminal::

    python -m course_lib.envcheck

Every check returns a ``CheckResult(name, ok, message, fix)``. The messages never contain
paths or exact version numbers of a working setup, so the report reads the same on every
working machine (the welcome notebook's stored output is compared under nbval); the
details (paths, versions) are in ``CheckResult.detail``.

This module is diagnostics, next to the presentation floor: the numerical core never
imports it.
"""
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CheckResult", "EXPECTED_VERSION", "MINIMUM_VERSIONS", "WIDGET_EXTENSION",
    "parse_version", "check_python", "check_course_lib_import", "check_course_lib_version",
    "check_package", "check_matplotlib", "check_widget_extension", "check_environment", "report",
    "widget_test", "describe_slider",
]

#: the version of course_lib the notebooks of this checkout are written for
EXPECTED_VERSION = "0.1.0"

#: the oldest versions the course supports (the same bounds as pyproject.toml)
MINIMUM_VERSIONS = {
    "python": "3.10",
    "numpy": "1.23",
    "matplotlib": "3.8",
    "ipywidgets": "8.0",
}

#: matplotlib-inline from this version on calls ``RcParams._get``, which Matplotlib has
#: only from ``MATPLOTLIB_WITH_RCPARAMS_GET`` on: with an older Matplotlib every plotting
#: cell fails (see ``check_matplotlib``)
INLINE_NEEDS_RCPARAMS_GET = "0.2"
MATPLOTLIB_WITH_RCPARAMS_GET = "3.7"

#: the JupyterLab extension that draws ipywidgets (shipped by the pip package jupyterlab_widgets)
WIDGET_EXTENSION = "@jupyter-widgets/jupyterlab-manager"

_PRETTY = {"numpy": "NumPy", "matplotlib": "Matplotlib", "ipywidgets": "ipywidgets"}

_REINSTALL = (
    "From the course folder run `make lab` (it creates .venv, installs the course into it "
    "and starts JupyterLab from it); or, in the environment of your kernel, run "
    "`python -m pip install -e .` in the course folder. Then restart the kernel "
    "(Kernel > Restart Kernel)."
)


@dataclass
class CheckResult:
    """One check: ``ok`` or not, what was found (``message``) and, if not ok, what to do (``fix``)."""

    name: str
    ok: bool
    message: str
    fix: str = ""
    detail: str = ""

    def __str__(self):
        head = f"[{'ok' if self.ok else 'PROBLEM'}] {self.name}: {self.message}"
        return head if self.ok or not self.fix else f"{head}\n    Fix: {self.fix}"


def parse_version(text):
    """``"1.26.4"`` -> ``(1, 26, 4)``; pre-release and local parts are dropped: ``"2.0.0rc1"`` -> ``(2, 0, 0)``."""
    match = re.match(r"\s*v?(\d+(?:\.\d+)*)", str(text))
    if not match:
        raise ValueError(f"not a version number: {text!r}")
    return tuple(int(part) for part in match.group(1).split("."))


def _at_least(version, minimum):
    v, m = parse_version(version), parse_version(minimum)
    width = max(len(v), len(m))
    return v + (0,) * (width - len(v)) >= m + (0,) * (width - len(m))


# ---------------------------------------------------------------------------------------
# Python, course_lib, packages
# ---------------------------------------------------------------------------------------
def check_python(version=None):
    """Python 3.10 or newer. ``version`` (a string) replaces the running one, for tests."""
    found = version or ".".join(str(p) for p in sys.version_info[:3])
    minimum = MINIMUM_VERSIONS["python"]
    if _at_least(found, minimum):
        return CheckResult("Python", True, f"Python {minimum} or newer runs this kernel.",
                           detail=f"Python {found} at {sys.executable}")
    return CheckResult(
        "Python", False,
        f"this kernel runs Python {found}, but the course needs Python {minimum} or newer.",
        f"Install Python {minimum} or newer (python.org, or conda), then run `make lab` from the "
        "course folder with it: `make lab PYTHON=python3.12`. In JupyterLab pick the kernel of "
        "that environment (Kernel > Change Kernel).",
        detail=f"Python {found} at {sys.executable}",
    )


_PROBE = "import course_lib, sys; sys.stdout.write(course_lib.__version__ + '\\n' + course_lib.__file__)"


def check_course_lib_import(python=None, env=None, cwd=None, timeout=60):
    """Can a fresh Python process import ``course_lib``?

    Runs ``python -c "import course_lib"`` in a subprocess (``python`` defaults to this
    kernel's interpreter), so the answer is the one a restarted kernel would get, not one
    left over from an import earlier in this session. ``env`` and ``cwd`` are passed to the
    subprocess (tests use them to simulate a broken ``sys.path``). ``detail`` holds the
    installed version on its first line.
    """
    python = python or sys.executable
    try:
        done = subprocess.run([python, "-c", _PROBE], capture_output=True, text=True,
                              env=env, cwd=cwd, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as err:
        return CheckResult(
            "course_lib imports", False,
            f"could not start Python to try the import ({type(err).__name__}).",
            "Check that the kernel's Python still exists; recreate the environment with "
            "`make clean` and then `make lab` in the course folder.",
            detail=f"{python}: {err}",
        )
    if done.returncode == 0:
        version, _, location = done.stdout.partition("\n")
        return CheckResult("course_lib imports", True,
                           "the course's library imports in this kernel's Python.",
                           detail=f"{version}\n{location}")
    last = (done.stderr.strip().splitlines() or ["(no error message)"])[-1]
    if "No module named 'course_lib'" in done.stderr or "No module named course_lib" in done.stderr:
        message = ("Python cannot find course_lib: it is not installed in the environment of "
                   "this kernel, or the kernel belongs to another environment.")
        fix = ("In JupyterLab choose the course's kernel (Kernel > Change Kernel), or install the "
               "course into this kernel's environment. " + _REINSTALL)
    else:
        message = f"importing course_lib fails with an error: {last}"
        fix = ("A package course_lib needs may be missing or broken. " + _REINSTALL
               + " If the error names a file you edited in course_lib/, undo that edit "
               "(`git checkout course_lib/`).")
    return CheckResult("course_lib imports", False, message, fix, detail=f"{python}\n{done.stderr}")


def check_course_lib_version(expected_version=EXPECTED_VERSION, installed=None):
    """Does the installed ``course_lib`` have the version the notebooks expect?

    ``installed`` defaults to ``course_lib.__version__`` of this process.
    """
    if installed is None:
        from . import __version__ as installed
    expected, installed = str(expected_version), str(installed)
    if installed == expected:
        return CheckResult("course_lib version", True,
                           f"course_lib {installed} is the version these notebooks expect.",
                           detail=installed)
    try:
        older = parse_version(installed) < parse_version(expected)
    except ValueError:
        older = None
    which = {True: "older than", False: "newer than", None: "different from"}[older]
    fix = ("Notebooks and library come from the same checkout: update both together "
           "(`git pull` in the course folder), reinstall with `python -m pip install -e .` "
           "(or `make lab`), then restart the kernel.")
    if older is False:
        fix = ("Your notebook is older than the library: get the notebooks of the same release "
               "(`git pull` in the course folder), then restart the kernel.")
    return CheckResult(
        "course_lib version", False,
        f"the notebooks expect course_lib {expected}, but this kernel has course_lib "
        f"{installed}, which is {which} it.",
        fix, detail=installed,
    )


def check_package(name, minimum=None, version=None):
    """Is ``name`` importable with at least ``minimum`` (default from ``MINIMUM_VERSIONS``)?

    ``version`` (a string) replaces the installed version, for tests.
    """
    minimum = minimum or MINIMUM_VERSIONS[name]
    pretty = _PRETTY.get(name, name)
    upgrade = (f"In the kernel's environment run `python -m pip install --upgrade \"{name}>={minimum}\"` "
               f"(conda: `conda install -c conda-forge \"{name}>={minimum}\"`), or recreate the "
               "course environment with `make clean` then `make lab`. Then restart the kernel.")
    if version is None:
        try:
            module = __import__(name)
        except ImportError as err:
            return CheckResult(pretty, False, f"{pretty} is not installed in this kernel's environment.",
                               upgrade, detail=str(err))
        version = getattr(module, "__version__", "0")
    try:
        good = _at_least(version, minimum)
    except ValueError:
        good = False
    if good:
        return CheckResult(pretty, True, f"{pretty} {minimum} or newer is installed.", detail=str(version))
    return CheckResult(pretty, False,
                       f"{pretty} {version} is too old: the course needs {pretty} {minimum} or newer.",
                       upgrade, detail=str(version))


def _distribution_version(name):
    """The installed version of distribution ``name`` (e.g. ``"matplotlib-inline"``), or "" if absent."""
    from importlib import metadata

    try:
        return metadata.version(name) or ""
    except metadata.PackageNotFoundError:
        return ""


def check_matplotlib(minimum=None, version=None, inline_version=None):
    """Matplotlib new enough, and not in a combination known to break plotting.

    The known-bad combination: Matplotlib older than 3.7 (e.g. Debian 12's 3.6.3) together
    with matplotlib-inline 0.2 or newer, which pip picks for it (measured: 3.6.3 with 0.2.2
    fails; 3.6.3 with 0.1.7 and 3.7.0 with 0.2.2 plot). Every plotting cell then
    fails with ``AttributeError: 'RcParams' object has no attribute '_get'``. The result
    is one check named "Matplotlib", whose message when all is well is the one of
    ``check_package("matplotlib")``.

    ``version`` and ``inline_version`` (strings) replace the installed versions of
    matplotlib and matplotlib-inline, for tests; ``inline_version=""`` means
    matplotlib-inline is not installed.
    """
    minimum = minimum or MINIMUM_VERSIONS["matplotlib"]
    result = check_package("matplotlib", minimum=minimum, version=version)
    if result.message.endswith("is not installed in this kernel's environment."):
        return result
    mpl = result.detail  # the Matplotlib version found
    if inline_version is None:
        inline_version = _distribution_version("matplotlib-inline")
    result.detail = f"matplotlib {mpl}; matplotlib-inline {inline_version or 'not installed'}"
    if result.ok:
        return result
    try:
        clash = (bool(inline_version) and _at_least(inline_version, INLINE_NEEDS_RCPARAMS_GET)
                 and not _at_least(mpl, MATPLOTLIB_WITH_RCPARAMS_GET))
    except ValueError:
        clash = False
    if clash:
        result.message = (
            f"Matplotlib {mpl} cannot work with matplotlib-inline {inline_version}: every "
            "plotting cell fails with AttributeError: 'RcParams' object has no attribute "
            f"'_get' (matplotlib-inline {INLINE_NEEDS_RCPARAMS_GET} and newer need Matplotlib "
            f"{MATPLOTLIB_WITH_RCPARAMS_GET} or newer). The course needs Matplotlib {minimum} or newer."
        )
        result.fix = (
            f"In the kernel's environment run `python -m pip install --upgrade \"matplotlib>={minimum}\"` "
            f"(conda: `conda install -c conda-forge \"matplotlib>={minimum}\"`), or recreate the "
            "course environment with `make clean` then `make lab`. Then restart the kernel. "
            f"Only if Matplotlib must stay at {mpl} (e.g. your system's package): "
            f"`python -m pip install \"matplotlib-inline<{INLINE_NEEDS_RCPARAMS_GET}\"` stops the "
            f"error, but Matplotlib {mpl} stays older than the {minimum} the course needs."
        )
    return result


# ---------------------------------------------------------------------------------------
# The widget extension of the running JupyterLab
# ---------------------------------------------------------------------------------------
def _server_prefix(pid=None):
    """Best guess of the environment (``sys.prefix``) of the process that started this kernel.

    JupyterLab starts kernels with ``JPY_PARENT_PID`` set to the server's process id; on
    Linux its command line (``/proc/<pid>/cmdline``) shows the server's
    ``<prefix>/bin/python`` or ``<prefix>/bin/jupyter-lab``. Returns None when unknown.
    """
    pid = pid or os.environ.get("JPY_PARENT_PID")
    if not pid:
        return None
    try:
        argv = Path(f"/proc/{int(pid)}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return None
    for arg in argv[:2]:
        path = Path(os.fsdecode(arg))
        if not path.is_absolute() and "/" in str(path):  # e.g. .venv/bin/python
            try:
                path = Path(os.readlink(f"/proc/{int(pid)}/cwd")) / path
            except OSError:
                continue
        if path.is_absolute() and path.parent.name == "bin":
            return path.parent.parent
    return None


def _data_dirs(prefix=None):
    """Where a JupyterLab running from ``prefix`` looks for extensions (``labextensions``).

    The same order as ``jupyter_core.paths.jupyter_path``: JUPYTER_PATH, the user's data
    directory, the environment's ``share/jupyter``, the system's.
    """
    try:
        from jupyter_core import paths
    except ImportError:
        paths = None
    dirs = []
    if paths is not None:
        env_dirs = [Path(d) for d in paths.ENV_JUPYTER_PATH]
        for d in paths.jupyter_path():
            d = Path(d)
            if prefix is not None and d in env_dirs:
                continue  # the kernel's environment; the server's replaces it below
            dirs.append(d)
    else:
        dirs.append(Path(sys.prefix) / "share" / "jupyter")
    if prefix is not None:
        dirs.insert(0, Path(prefix) / "share" / "jupyter")
    return [d / "labextensions" for d in dirs]


def _config_dirs(prefix=None):
    try:
        from jupyter_core import paths
        dirs = [Path(d) for d in paths.jupyter_config_path()]
    except ImportError:
        dirs = [Path(sys.prefix) / "etc" / "jupyter"]
    if prefix is not None:
        dirs.insert(0, Path(prefix) / "etc" / "jupyter")
    return dirs


def _disabled_in(config_dirs, name):
    """The ``page_config.json`` that disables extension ``name``, or None."""
    for d in config_dirs:
        page_config = Path(d) / "labconfig" / "page_config.json"
        try:
            disabled = json.loads(page_config.read_text()).get("disabledExtensions", {})
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(disabled, dict) and disabled.get(name):
            return page_config
        if isinstance(disabled, list) and name in disabled:
            return page_config
    return None


_WIDGET_FIX = (
    "Install the widget extension into the environment that runs JupyterLab (the server, "
    "which may differ from the kernel's): there run `python -m pip install "
    "\"jupyterlab_widgets>=3\"` (conda: `conda install -c conda-forge jupyterlab_widgets`); "
    "the simplest is to start JupyterLab with `make lab` from the course folder, whose .venv "
    "has it. Then stop and restart JupyterLab and reload the browser page. "
    "`jupyter labextension list`, run in the server's environment, must show "
    f"{WIDGET_EXTENSION} as enabled and OK."
)


def check_widget_extension(data_dirs=None, config_dirs=None, prefix=None):
    """Is the JupyterLab widget extension installed (and not disabled) for the running server?

    Without it JupyterLab shows sliders as text such as ``IntSlider(value=3, ...)``.
    ``prefix`` is the server's environment (default: guessed from the process that started
    this kernel, else this kernel's). ``data_dirs`` (the ``labextensions`` folders) and
    ``config_dirs`` replace the searched folders, for tests.
    """
    if prefix is None and data_dirs is None:
        prefix = _server_prefix()
    data_dirs = [Path(d) for d in data_dirs] if data_dirs is not None else _data_dirs(prefix)
    config_dirs = [Path(d) for d in config_dirs] if config_dirs is not None else _config_dirs(prefix)
    searched = "\n".join(str(d) for d in data_dirs)
    for d in data_dirs:
        package = d / WIDGET_EXTENSION / "package.json"
        if not package.is_file():
            continue
        try:
            version = json.loads(package.read_text()).get("version", "0")
        except (OSError, ValueError):
            version = "0"
        where = f"{package.parent} (version {version})"
        disabled_by = _disabled_in(config_dirs, WIDGET_EXTENSION)
        if disabled_by is not None:
            return CheckResult(
                "widget extension", False,
                "the JupyterLab widget extension is installed but disabled, so sliders show as text.",
                f"Enable it in the environment that runs JupyterLab: `jupyter labextension enable "
                f"{WIDGET_EXTENSION}` (or remove it from disabledExtensions in {disabled_by}), "
                "then restart JupyterLab and reload the page.",
                detail=f"{where}; disabled by {disabled_by}",
            )
        try:
            new_enough = parse_version(version)[0] >= 5
        except ValueError:
            new_enough = False
        if not new_enough:
            return CheckResult(
                "widget extension", False,
                f"the JupyterLab widget extension is too old (version {version}) for ipywidgets 8.",
                _WIDGET_FIX, detail=where,
            )
        return CheckResult("widget extension", True,
                           "the JupyterLab widget extension is installed, so sliders can render.",
                           detail=where)
    return CheckResult(
        "widget extension", False,
        "the JupyterLab widget extension is missing, so sliders and buttons will show as plain "
        "text such as IntSlider(value=3, ...) instead of controls.",
        _WIDGET_FIX, detail=f"not found in:\n{searched}",
    )


# ---------------------------------------------------------------------------------------
# All checks, and the report
# ---------------------------------------------------------------------------------------
def check_environment(expected_version=EXPECTED_VERSION, python=None, data_dirs=None,
                      config_dirs=None, prefix=None, versions=None):
    """Run every check; returns a list of ``CheckResult``.

    ``python``: the interpreter whose ``import course_lib`` is tried (default: this one).
    ``data_dirs`` / ``config_dirs`` / ``prefix``: see ``check_widget_extension``.
    ``versions``: a dict such as ``{"numpy": "1.21.0", "course_lib": "0.0.9"}`` replacing
    found versions (for tests and demonstrations); keys: python, course_lib, numpy,
    matplotlib, matplotlib-inline, ipywidgets.
    """
    versions = dict(versions or {})
    results = [check_python(versions.get("python"))]
    imported = check_course_lib_import(python)
    results.append(imported)
    if "course_lib" in versions:
        installed = versions["course_lib"]
    elif imported.ok:
        installed = imported.detail.splitlines()[0]
    else:
        installed = None
    if installed is None:
        results.append(CheckResult(
            "course_lib version", False,
            "cannot tell: course_lib does not import (see above).",
            "Fix the import first; this check then runs by itself.",
        ))
    else:
        results.append(check_course_lib_version(expected_version, installed))
    results.append(check_package("numpy", version=versions.get("numpy")))
    results.append(check_matplotlib(version=versions.get("matplotlib"),
                                    inline_version=versions.get("matplotlib-inline")))
    results.append(check_package("ipywidgets", version=versions.get("ipywidgets")))
    results.append(check_widget_extension(data_dirs, config_dirs, prefix))
    return results


def report(results=None, expected_version=EXPECTED_VERSION, file=None, verbose=False, **kwargs):
    """Print the checks in plain words, a fix under each problem; returns the results.

    ``results`` defaults to ``check_environment(expected_version, **kwargs)``.
    ``verbose=True`` also prints the details (paths, versions found).
    """
    if results is None:
        results = check_environment(expected_version, **kwargs)
    out = file or sys.stdout
    problems = [r for r in results if not r.ok]
    for r in results:
        print(r, file=out)
        if verbose and r.detail:
            for line in r.detail.splitlines():
                print(f"    {line}", file=out)
    if problems:
        names = ", ".join(r.name for r in problems)
        print(f"{len(problems)} of {len(results)} checks found a problem ({names}). "
              "Apply each fix above, restart the kernel and run this check again.", file=out)
    else:
        print(f"All {len(results)} checks passed: this environment is ready for the course.", file=out)
    return results


# ---------------------------------------------------------------------------------------
# A live test widget
# ---------------------------------------------------------------------------------------
def describe_slider(value):
    """The text the test widget shows for a slider value (a plain function, testable)."""
    return f"The slider is at {int(value)}; its square is {int(value) ** 2}."


def widget_test(value=3):
    """A slider and a line of text that follows it: if you can drag it and the text changes,
    widgets work in this front end. Returns the widget (display it as a cell's last line).
    """
    import ipywidgets as widgets

    slider = widgets.IntSlider(value=value, min=0, max=10, description="drag me")
    label = widgets.Label(describe_slider(value))

    def on_change(change):
        label.value = describe_slider(change["new"])

    slider.observe(on_change, names="value")
    return widgets.VBox([slider, label])


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m course_lib.envcheck",
                                     description="Check that this environment is ready for the course.")
    parser.add_argument("--expected-version", default=EXPECTED_VERSION)
    parser.add_argument("--verbose", "-v", action="store_true", help="also print paths and versions found")
    args = parser.parse_args(argv)
    results = report(expected_version=args.expected_version, verbose=args.verbose)
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
