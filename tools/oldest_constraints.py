"""Print pip constraints that pin every dependency of pyproject.toml to its lower bound.

    python tools/oldest_constraints.py > constraints.txt
    python -m pip install -c constraints.txt -e ".[dev]"

`make test-oldest` uses it to install the oldest supported versions (runtime and test tools)
and run the whole suite with them. Every dependency must have a ``>=`` lower bound: one
without is an error, because "the oldest supported version" would then be undefined.
Runs on Python 3.10 (no tomllib): the two dependency lists are read with a small parser.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _array(text, key):
    """The strings of the TOML array ``key = [`` ... ``]`` (the first; its ``]`` on a line of its own)."""
    match = re.search(rf"^{re.escape(key)}\s*=\s*\[(.*?)^\s*\]", text, re.M | re.S)
    if match is None:
        raise SystemExit(f"pyproject.toml: no '{key} = [...]' found")
    body = re.sub(r"#[^\n]*", "", match.group(1))
    return re.findall(r'"([^"]+)"', body)


def lower_bounds(pyproject_text):
    """``[(name, version), ...]`` for the runtime dependencies and the ``dev`` extra."""
    pins = []
    for requirement in _array(pyproject_text, "dependencies") + _array(pyproject_text, "dev"):
        match = re.fullmatch(r"\s*([A-Za-z0-9_.\-\[\]]+?)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*(,.*)?", requirement)
        if match is None:
            raise SystemExit(f"pyproject.toml: '{requirement}' has no '>=' lower bound")
        name = re.sub(r"\[.*\]", "", match.group(1))
        pins.append((name, match.group(2)))
    return pins


def main():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for name, version in lower_bounds(text):
        print(f"{name}=={version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
