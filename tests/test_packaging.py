"""Packaging: the two dependency lists agree, and the numerical core stays NumPy-only."""
import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "course_lib"

CORE = ["activations", "layers", "losses", "network", "optimizers", "initializers",
        "regularization", "training", "gradcheck", "datasets", "neuron", "metrics", "analysis",
        "surfaces", "playground", "experiments", "autograd", "backprop_steps"]
CORE_HELPERS = ["_validation"]                         # private, imported by the core
ALLOWED_THIRD_PARTY = {"numpy", "tqdm"}
FORBIDDEN_MODULES = ["matplotlib", "ipywidgets", "IPython"]
FORBIDDEN_COURSE_PARTS = ["plots", "widgets", "checks", "grading"]


# --------------------------------------------------------------------------------------
# Reading pyproject.toml (tomllib on 3.11+, tomli, or a small parser for what we need)
# --------------------------------------------------------------------------------------
def _toml_array(text, key, table):
    """The strings of ``key = [ ... ]`` inside ``[table]`` of a TOML text (simple cases)."""
    section = re.search(rf"^\[{re.escape(table)}\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if section is None:
        return None
    match = re.search(rf"^{re.escape(key)}\s*=\s*\[(.*?)\]", section.group(1), re.M | re.S)
    if match is None:
        return None
    body = re.sub(r"#[^\n]*", "", match.group(1))
    return [a or b for a, b in re.findall(r'"([^"]*)"|\'([^\']*)\'', body)]


def _toml_string(text, key, table):
    section = re.search(rf"^\[{re.escape(table)}\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    match = section and re.search(rf'^{re.escape(key)}\s*=\s*"([^"]*)"', section.group(1), re.M)
    return match.group(1) if match else None


def mini_toml_project(text):
    """The ``[project]`` fields these tests need, without a TOML library (Python 3.10)."""
    return {"project": {"dependencies": _toml_array(text, "dependencies", "project"),
                        "requires-python": _toml_string(text, "requires-python", "project")}}


def load_pyproject():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            return mini_toml_project(text)
    return tomllib.loads(text)


def load_environment(path="environment.yml"):
    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))


REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*?)\s*$")


def parse_requirement(spec):
    """'numpy>=1.23' -> ('numpy', '1.23'); the lower bound is None when there is none."""
    name, rest = REQUIREMENT.match(spec).groups()
    lower = re.search(r">=\s*([0-9][0-9A-Za-z.]*)", rest)
    return re.sub(r"[-_.]+", "-", name).lower(), (lower.group(1) if lower else None)


def pyproject_runtime():
    return dict(parse_requirement(s) for s in load_pyproject()["project"]["dependencies"])


def environment_runtime(path="environment.yml"):
    deps = {}
    for entry in load_environment(path)["dependencies"]:
        if isinstance(entry, dict) or entry.split("=")[0].split(">")[0].strip() in ("python", "pip"):
            continue
        name, lower = parse_requirement(entry)
        deps[name] = lower
    return deps


def test_requirement_parser():
    assert parse_requirement("numpy>=1.23") == ("numpy", "1.23")
    assert parse_requirement("Jupyter_Lab >= 4.0, <5") == ("jupyter-lab", "4.0")
    assert parse_requirement("tqdm") == ("tqdm", None)


def test_environment_and_pyproject_name_the_same_runtime_packages():
    env, proj = environment_runtime(), pyproject_runtime()
    assert proj, "no runtime dependencies found in pyproject.toml"
    assert set(env) == set(proj), (
        f"only in environment.yml: {sorted(set(env) - set(proj))}; "
        f"only in pyproject.toml: {sorted(set(proj) - set(env))}")


def test_environment_and_pyproject_have_the_same_lower_bounds():
    env, proj = environment_runtime(), pyproject_runtime()
    for name in proj:
        assert proj[name] is not None, f"{name} has no lower bound in pyproject.toml"
        assert env.get(name) == proj[name], f"{name}: environment.yml {env.get(name)} vs pyproject {proj[name]}"


def test_binder_environment_lists_the_same_packages_and_installs_the_course():
    # repo2docker installs binder/environment.yml before copying the repository, so the
    # course itself is installed by binder/postBuild, not by a "-e ." line
    assert environment_runtime("binder/environment.yml") == pyproject_runtime()
    assert not [e for e in load_environment("binder/environment.yml")["dependencies"]
                if isinstance(e, dict)]
    post_build = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    assert "pip install --no-deps -e ." in post_build


def test_numpy_and_tqdm_are_runtime_dependencies():
    assert {"numpy", "tqdm"} <= set(pyproject_runtime())


def test_same_python_lower_bound():
    requires = load_pyproject()["project"]["requires-python"]
    python = [e for e in load_environment()["dependencies"]
              if isinstance(e, str) and e.startswith("python")]
    assert requires.replace(" ", "") == ">=3.10"
    assert [p.replace(" ", "") for p in python] == ["python>=3.10"]


def test_environment_installs_the_course_itself():
    pip = [e["pip"] for e in load_environment()["dependencies"] if isinstance(e, dict)]
    assert pip and "-e ." in pip[0]


def test_mini_toml_parser_agrees_with_a_real_toml_parser():
    """The Python 3.10 fallback above must read what tomllib reads."""
    tomllib = pytest.importorskip("tomllib")
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    real = tomllib.loads(text)["project"]
    mini = mini_toml_project(text)["project"]
    assert mini["dependencies"] == real["dependencies"]
    assert mini["requires-python"] == real["requires-python"]


def test_the_digits_ship_with_the_package():
    tomllib = pytest.importorskip("tomllib")
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "data/*" in data["tool"]["setuptools"]["package-data"]["course_lib"]


# --------------------------------------------------------------------------------------
# The core imports only NumPy, tqdm, the standard library and itself
# --------------------------------------------------------------------------------------
def test_core_modules_exist():
    for name in CORE + CORE_HELPERS:
        assert (PACKAGE / f"{name}.py").is_file(), name


def test_importing_the_core_loads_no_presentation_or_grading():
    code = (
        "import json, sys\n"
        + "".join(f"import course_lib.{m}\n" for m in CORE)
        + "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    assert "course_lib.layers" in loaded and "numpy" in loaded     # the probe did import
    for mod in FORBIDDEN_MODULES:
        assert not any(m == mod or m.startswith(mod + ".") for m in loaded), f"{mod} was imported"
    for part in FORBIDDEN_COURSE_PARTS:
        name = f"course_lib.{part}"
        assert not any(m == name or m.startswith(name + ".") for m in loaded), f"{name} was imported"


def _imports(path):
    """(absolute module names, relative (level, module, names)) imported anywhere in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    absolute, relative = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            absolute += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                absolute.append(node.module)
            else:
                relative.append((node.level, node.module, [a.name for a in node.names]))
    return absolute, relative


@pytest.mark.parametrize("module", CORE + CORE_HELPERS)
def test_core_module_imports_only_numpy_tqdm_stdlib_and_core(module):
    """Also catches imports inside functions, which the subprocess test cannot see."""
    allowed_local = set(CORE + CORE_HELPERS)
    absolute, relative = _imports(PACKAGE / f"{module}.py")
    for name in absolute:
        root = name.split(".")[0]
        if root == "course_lib":
            assert name.split(".")[1] in allowed_local, f"{module} imports {name}"
            continue
        assert root in ALLOWED_THIRD_PARTY or root in sys.stdlib_module_names, (
            f"core module {module} imports {name}: the core may use only NumPy, tqdm and the "
            "standard library")
    for level, name, names in relative:
        assert level == 1, f"{module}: relative import beyond the package"
        targets = [name.split(".")[0]] if name else names
        for target in targets:
            assert target in allowed_local, f"core module {module} imports course_lib.{target}"


def test_the_static_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import numpy\nfrom . import plots\n\ndef f():\n    import matplotlib.pyplot\n")
    absolute, relative = _imports(bad)
    assert "matplotlib.pyplot" in absolute
    assert relative == [(1, None, ["plots"])]


# --------------------------------------------------------------------------------------
# The grading floor (checks, and the grading package) imports no presentation
# --------------------------------------------------------------------------------------
GRADING_FILES = sorted((PACKAGE / "grading").glob("*.py")) + sorted((PACKAGE / "checks").glob("*.py"))
PRESENTATION = ["plots", "widgets"]                    # course_lib's presentation floor
PRESENTATION_THIRD_PARTY = ["matplotlib", "ipywidgets"]


def _absolute_imports(path, package=None):
    """Every module a file imports, relative imports resolved against its package."""
    if package is None:                                  # e.g. ("course_lib", "grading")
        package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    absolute, relative = _imports(path)
    names = list(absolute)
    for level, module, imported in relative:
        assert level <= len(package), f"{path.name}: relative import beyond course_lib"
        base = ".".join(package[:len(package) - level + 1])
        names += [f"{base}.{module}"] if module else [f"{base}.{n}" for n in imported]
    return names


def _presentation_imports(path, package=None):
    found = []
    for name in _absolute_imports(path, package):
        parts = name.split(".")
        if parts[0] in PRESENTATION_THIRD_PARTY or (
                parts[0] == "course_lib" and len(parts) > 1 and parts[1] in PRESENTATION):
            found.append(name)
    return found


def test_the_grading_package_exists():
    assert {p.name for p in GRADING_FILES} >= {"__init__.py", "__main__.py", "grader.py", "make_exercises.py"}


@pytest.mark.parametrize("path", GRADING_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_grading_imports_no_presentation(path):
    """Grading builds on the core: no plots, widgets, Matplotlib or ipywidgets, even inside functions."""
    assert _presentation_imports(path) == [], f"{path.name} imports the presentation floor"


def test_the_grading_floor_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from .. import widgets, checks\nfrom ..plots import show\nfrom . import grader\n"
                   "def f():\n    import matplotlib.pyplot as plt\n    import ipywidgets\n")
    assert _presentation_imports(bad, ("course_lib", "grading")) == [
        "matplotlib.pyplot", "ipywidgets", "course_lib.widgets", "course_lib.plots"]
    assert "course_lib.grading.grader" in _absolute_imports(bad, ("course_lib", "grading"))


# --------------------------------------------------------------------------------------
# What a published package carries
# --------------------------------------------------------------------------------------
def test_licence_files_exist_and_are_declared():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    files = _toml_array(text, "license-files", "project")
    assert files and all((ROOT / f).is_file() for f in files)
    assert "License ::" not in text          # an SPDX expression replaces licence classifiers


def test_sdist_leaves_out_what_needs_the_whole_checkout():
    # the tests need notebooks, solutions and conftest.py: an sdist ships none of them
    lines = (ROOT / "MANIFEST.in").read_text(encoding="utf-8").splitlines()
    pruned = {line.split()[1] for line in lines if line.startswith("prune ")}
    assert {"tests", "notebooks", "solutions", "exercises", "text"} <= pruned
