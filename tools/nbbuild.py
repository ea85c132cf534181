"""Helpers shared by the notebook builder scripts in tools/: cells and notebooks.

The builders keep each notebook's source in one readable place; the notebooks, executed
and committed with their outputs, are the product.
"""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]


def md(text):
    """A markdown cell."""
    return new_markdown_cell(text.strip("\n"))


def code(text, ignore_output=False, tags=()):
    """A code cell; ``ignore_output`` tags it nbval-ignore-output (widgets, timings only)."""
    cell = new_code_cell(text.strip("\n"))
    tags = list(tags) + (["nbval-ignore-output"] if ignore_output else [])
    if tags:
        cell.metadata["tags"] = tags
    return cell


def notebook(cells):
    """A notebook for the course's ``python3`` kernel."""
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def write_lessons(lessons, names=None):
    """Write ``notebooks/<name>.ipynb`` (without outputs) for each lesson in ``names``."""
    for name, cells in lessons.items():
        if names and name not in names:
            continue
        path = ROOT / "notebooks" / f"{name}.ipynb"
        nb = notebook(cells)
        nbformat.validate(nb)
        nbformat.write(nb, path)
        print("wrote", path.relative_to(ROOT))
