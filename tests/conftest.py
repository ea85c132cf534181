"""Shared test helpers.

Heavy reference tools (PyTorch, Chromium, Playwright) are optional for learners: tests that
need them skip with the reason. CI sets COURSE_REQUIRE_REFERENCE_TOOLS=1, which turns such
a skip into a failure, so CI always runs them.
"""
import importlib
import os
import shutil

import pytest

# Notebook kernels started by nbval inherit this process's environment. A backend forced
# through MPLBACKEND (e.g. Agg) would make every plt.show() print nothing and break the
# comparison with the stored outputs, so kernels always get matplotlib's inline default.
os.environ.pop("MPLBACKEND", None)

REQUIRE_TOOLS = os.environ.get("COURSE_REQUIRE_REFERENCE_TOOLS", "") not in ("", "0")
# Tools that may be missing even when the others are required: `make test-oldest` excuses
# torch, which has no build for Python 3.10 on an offline machine.
EXCUSED_TOOLS = {name.strip() for name in os.environ.get("COURSE_EXCUSED_REFERENCE_TOOLS", "").split(",")
                 if name.strip()}


def missing_tool(reason, tool=None):
    """Skip (learner machines) or fail (CI) because a reference tool is missing."""
    if tool in EXCUSED_TOOLS:
        pytest.skip(f"{reason} (excused by COURSE_EXCUSED_REFERENCE_TOOLS)")
    if REQUIRE_TOOLS:
        pytest.fail(f"{reason} (COURSE_REQUIRE_REFERENCE_TOOLS is set, so this is a failure)")
    pytest.skip(reason)


def require_module(name, install_hint):
    """Import and return module ``name``, or skip/fail with a clear reason."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing_tool(f"{name} is not installed ({install_hint})", tool=name.split(".")[0])


def require_executable(path_or_name, install_hint):
    found = shutil.which(path_or_name) or (os.path.exists(path_or_name) and path_or_name)
    if not found:
        missing_tool(f"{path_or_name} not found ({install_hint})")
    return found


#: PyTorch's CPU-only build (on Linux a plain `pip install torch` pulls the CUDA build, GBs)
TORCH_HINT = "PyTorch's CPU build: pip install torch --index-url https://download.pytorch.org/whl/cpu"


@pytest.fixture
def torch():
    return require_module("torch", TORCH_HINT)
