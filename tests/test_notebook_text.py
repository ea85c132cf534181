"""Every lesson and solution notebook has its jupytext text file, in step, and is stored clean.

Maintainers edit ``text/<folder>/NN_name.py`` and run ``tools/notebooks.py sync``; these tests
fail when a notebook was edited without its text file (or the other way round), and when a
stored notebook carries what differs from machine to machine or run to run.
"""
import json
from pathlib import Path

import nbformat
import pytest

from helpers import load_tool

ROOT = Path(__file__).resolve().parents[1]
tool = load_tool("notebooks")

NOTEBOOKS = tool.notebooks()
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]


def test_every_lesson_and_solution_is_paired():
    names = {str(p.relative_to(ROOT)) for p in NOTEBOOKS}
    assert {f"notebooks/{n:02d}" for n in range(11)} <= {n[:12] for n in names}
    texts = sorted((ROOT / "text").glob("*/*.py"))
    assert len(texts) == len(NOTEBOOKS)
    assert all(tool.notebook_of(t).exists() for t in texts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_pair_in_step(path):
    text = tool.text_of(path)
    assert text.exists(), f"{text} is missing: run tools/notebooks.py pair {path}"
    problems = tool.differences(nbformat.read(path, as_version=4), tool.read_text(text))
    assert not problems, f"{path.name} and {text.name} differ: {problems}; edit the text, then sync"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_clean(path):
    nb = nbformat.read(path, as_version=4)
    assert tool.unclean(nb) == []
    raw = path.read_text(encoding="utf-8")
    assert "iopub.execute_input" not in raw and "application/vnd.jupyter.widget-state" not in raw


def test_differences_sees_a_changed_source_and_tag():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"),
                                         nbformat.v4.new_markdown_cell("# Title")])
    same = nbformat.from_dict(json.loads(json.dumps(nb)))
    assert tool.differences(nb, same) == []
    same.cells[0].source = "x = 2"
    assert tool.differences(nb, same) == ["cell 0: the source differs"]
    same.cells[0].source = "x = 1"
    same.cells[0].metadata["tags"] = ["nbval-ignore-output"]
    assert "tags" in tool.differences(nb, same)[0]
    same.cells.pop()
    assert "2 cells in the notebook, 1 in the text" in tool.differences(nb, same)


def test_sync_keeps_outputs_of_unchanged_cells(tmp_path, monkeypatch):
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    monkeypatch.setattr(tool, "TEXT", tmp_path / "text")
    (tmp_path / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)"),
                                         nbformat.v4.new_code_cell("print(2)")])
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="2\n")]
    nb.cells[1].metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}
    path = tmp_path / "notebooks" / "01_x.ipynb"
    nbformat.write(nb, path)
    text = tool.pair(path)
    text.write_text(text.read_text().replace("print(2)", "print(3)"))
    tool.sync(path)
    synced = nbformat.read(path, as_version=4)
    assert [c.source for c in synced.cells] == ["print(1)", "print(3)"]
    assert synced.cells[0].outputs[0]["text"] == "1\n"       # unchanged cell: output kept
    assert synced.cells[1].outputs == []                     # changed cell: must be re-executed
    assert [c.id for c in synced.cells] == [c.id for c in nb.cells]   # ids kept by position
    assert tool.unclean(synced) == []
