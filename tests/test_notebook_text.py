"""Every lesson and solution notebook has its jupytext text file, in step, and is stored clean.

Maintainers edit ``text/<folder>/NN_name.py`` and run ``tools/notebooks.py sync``; these tests
fail when a notebook was edited without its text file (or the other way round), and when a
stored notebook carries what differs from machine to machine or run to run.
"""
import base64
import json
import re
import struct
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
    assert {f"notebooks/{n:02d}" for n in range(12)} <= {n[:12] for n in names}
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


_LIST_MARKER = re.compile(r"^( *)([-+*]|\d{1,9}[.)])( |$)")   # "- x", "+ x", "* x", "1. x", "18) x"
_BLOCK_MARKER = re.compile(r"^ {0,3}(#{1,6}( |$)|>)")          # "# heading", "> quote"


def _markdown_that_renders_wrong(markdown):
    """Lines of a Markdown cell that a renderer (JupyterLab's among them) reads differently
    from what the author meant.

    * A line that continues a paragraph or a list item, yet begins with a list marker or a
      heading / quote marker: a wrapped line such as "+ large (explodes)" or "18) and
      restores" becomes a new bullet or numbered item. A marker line is fine after a blank
      line, or as the next item of a list above it (same indentation, same kind of marker).
    * Control characters (a tab, a form feed, a bell): the trace of an unescaped ``\\t``,
      ``\\f`` or ``\\a`` of a LaTeX ``\\text``, ``\\frac`` or ``\\approx`` written by a script.

    Fenced code and $$ display maths are skipped.
    """
    found, prev, items, fence, math = [], "", [], False, False
    for line in markdown.splitlines():
        if re.search(r"[\x00-\x09\x0b-\x1f]", line):
            found.append(f"control character in {line!r}")
        stripped = line.strip()
        if stripped.startswith("```"):
            fence, prev = not fence, ""
            continue
        if fence:
            continue
        if math or stripped.startswith("$$"):
            if stripped.count("$$") % 2 == 1:
                math = not math
            prev = ""
            continue
        if not stripped:
            prev, items = "", []
            continue
        marker = _LIST_MARKER.match(line)
        kind = marker and (len(marker.group(1)), marker.group(2)[-1] if marker.group(2)[0].isdigit()
                           else marker.group(2))
        continues = prev.strip() and not prev.lstrip().startswith("|")
        if continues and ((marker and kind not in items) or (not marker and _BLOCK_MARKER.match(line))):
            found.append(f"a wrapped line starts a list item, heading or quote: {line!r}")
        if marker:
            items.append(kind)
        prev = line
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_markdown_has_no_accidental_list_starts(path):
    # the detector itself: the two cases the review found, and what must stay allowed
    assert _markdown_that_renders_wrong("* relu + xavier; relu\n  + large (explodes)")
    assert _markdown_that_renders_wrong("* a patience of\n  18) and restores the weights")
    assert _markdown_that_renders_wrong("the loss of\n- 1 per sample\n")
    assert _markdown_that_renders_wrong("see lesson\n# 04 for more")
    assert _markdown_that_renders_wrong("$L_B = \text{loss}$")
    assert not _markdown_that_renders_wrong(
        "Things to try:\n\n* one\n* two, wrapped\n  onto a second line\n* three\n\n1. first\n2. second\n"
        "\n| a | b |\n|---|---|\n| - | + |\n\n$$\n- x\n$$\n\n```\n# code\n```")
    nb = nbformat.read(path, as_version=4)
    problems = [f"cell {i}: {problem}" for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
                for problem in _markdown_that_renders_wrong(cell.source)]
    assert not problems, ("Markdown that renders wrong (re-wrap the paragraph so that no line "
                          "starts with a marker; escape LaTeX backslashes):\n" + "\n".join(problems))


def _text_stranded_in_code(source):
    """Lines of a code cell that look like Markdown (a heading, or a paragraph of several
    comment lines with **bold**): prose left in a code cell by a missing "# %% [markdown]"."""
    lines = source.splitlines()
    headings = [line for line in lines if re.match(r"#\s*#{1,6} \S", line)]
    bold = [line for line in lines if re.match(r"# .*\*\*\S.*\S\*\*", line)]
    return headings + bold


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_markdown_stranded_in_a_code_cell(path):
    assert _text_stranded_in_code("x = 1\n#\n# ## 6. Try it: live\n# The **learning rate** slider")
    assert not _text_stranded_in_code("# the cell above's model\nx = 1  # **not** markdown\n")
    nb = nbformat.read(path, as_version=4)
    problems = [f"cell {i}: {line!r}" for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
                for line in _text_stranded_in_code(cell.source)]
    assert not problems, ("Markdown in a code cell (a '# %% [markdown]' line missing in the text "
                          "twin?):\n" + "\n".join(problems))


LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_lessons_link_on_to_the_next_lesson_and_their_exercises(path):
    """"Next" and the exercise pointer are Markdown links to files that exist (not code spans)."""
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    targets = re.findall(r"\]\((\.\./exercises/[^)]+|[0-9][0-9]_[^)/]+\.ipynb)\)", text)
    for target in targets:
        assert (path.parent / target).exists(), f"{path.name} links to a missing {target}"
    number = path.name[:2]
    exercise = ROOT / "exercises" / f"{path.stem}_exercises.ipynb"
    if exercise.exists():
        assert f"../exercises/{exercise.name}" in targets, f"{path.name}: no link to {exercise.name}"
    following = sorted(p.name for p in LESSONS if p.name[:2] == f"{int(number) + 1:02d}")
    if following:
        assert following[0] in targets, f"{path.name}: no 'Next' link to {following[0]}"


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_every_figure_says_what_it_shows(path):
    """Each stored picture of a lesson has a text alternative (``plots.show``, or the widget's
    stored picture): the output's text/plain is a sentence, not ``<Figure size ...>``, and the
    picture's ``alt`` metadata is the same sentence."""
    nb = nbformat.read(path, as_version=4)
    problems = []
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if "image/png" not in output.get("data", {}):
                continue
            text = output.data.get("text/plain", "")
            alt = output.get("metadata", {}).get("image/png", {}).get("alt")
            if text.startswith("<Figure") or len(text) < 40 or alt != text:
                problems.append(f"cell {i}: text {text[:60]!r}, alt {alt!r}")
    assert not problems, (f"{path.name}: pictures without a text alternative (show figures with "
                          "plots.show(\"what it shows\")):\n" + "\n".join(problems))


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_every_figure_is_crisp_and_legible_where_it_is_shown(path):
    """Each stored picture of a lesson is drawn at 2 device pixels per CSS pixel (crisp on
    high-DPI screens), its metadata giving the CSS size JupyterLab shows it at; and no figure
    was shown with ``plots.show``'s warning: wider than JupyterLab's output (which shrinks
    it, its text with it) or with text under 10 px."""
    from course_lib.plots import SCALE

    nb = nbformat.read(path, as_version=4)
    problems = []
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and "plots.show: " in output.text:
                problems.append(f"cell {i}: {output.text.strip()[-200:]}")
            if "image/png" not in output.get("data", {}):
                continue
            png = base64.b64decode(output.data["image/png"])
            width, height = struct.unpack(">II", png[16:24])
            css = output.get("metadata", {}).get("image/png", {})
            if not (css.get("width") and abs(width - SCALE * css["width"]) <= 1
                    and abs(height - SCALE * css.get("height", height / SCALE)) <= 1):
                problems.append(f"cell {i}: a {width} x {height} PNG shown at {css}")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)
