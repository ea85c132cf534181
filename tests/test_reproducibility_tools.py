"""The tools behind `make test-oldest` and `make test-reproducible` do what they say."""
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import load_tool

ROOT = Path(__file__).resolve().parents[1]


oldest = load_tool("oldest_constraints")
sweep = load_tool("core_type_sweep")


def test_oldest_constraints_pin_every_dependency_to_its_lower_bound():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pins = dict(oldest.lower_bounds(text))
    assert pins["numpy"] == "1.23" and pins["matplotlib"] == "3.8"
    assert {"pytest", "nbval", "jupytext", "nbclient", "ipywidgets"} <= set(pins)
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "oldest_constraints.py")],
                         capture_output=True, text=True, check=True).stdout
    assert "numpy==1.23\n" in out and all("==" in line for line in out.splitlines())


def test_oldest_constraints_refuse_a_dependency_without_lower_bound():
    text = 'dependencies = [\n  "numpy>=1.23",\n  "tqdm",\n]\ndev = [\n  "pytest>=7.4",\n]\n'
    with pytest.raises(SystemExit, match="'tqdm' has no '>=' lower bound"):
        oldest.lower_bounds(text)
    text = 'dependencies = [\n  "numpy>=1.23,<3",\n]\ndev = [\n  "pytest[extra]>=7.4",\n]\n'
    assert oldest.lower_bounds(text) == [("numpy", "1.23"), ("pytest", "7.4")]


def test_sweep_emulates_each_core_type_and_reads_back_the_kernels():
    native = sweep.environment("native")
    assert "OPENBLAS_CORETYPE" not in native and "NPY_DISABLE_CPU_FEATURES" not in native
    prescott = sweep.environment("Prescott")
    assert prescott["OPENBLAS_CORETYPE"] == "Prescott"
    seen = sweep.probe(prescott)
    disabled = prescott.get("NPY_DISABLE_CPU_FEATURES", "").split()
    assert set(disabled) == set(seen["dispatch"])            # NumPy kept to its baseline
    haswell = sweep.environment("Haswell")
    assert all("512" in f or f == "X86_V4" for f in haswell.get("NPY_DISABLE_CPU_FEATURES", "").split())
    if seen["openblas"] is not None:                          # NumPy built on OpenBLAS
        assert sweep.probe(haswell)["openblas"] == "Haswell"
