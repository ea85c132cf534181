"""Keep the lesson and solution notebooks as reviewable text: sync, execute, clean, check.

Maintainers edit the text file of a notebook (``text/notebooks/NN_name.py`` or
``text/solutions/NN_name.py``, jupytext's py:percent format) and never the cells of the
``.ipynb`` by hand; the ``.ipynb`` carries the executed outputs. CONTRIBUTING.md has the loop:

    .venv/bin/python tools/notebooks.py sync                      # text -> .ipynb, outputs kept
    .venv/bin/python tools/notebooks.py execute notebooks/05_gradient_descent.ipynb
    .venv/bin/python tools/notebooks.py pictures notebooks/05_gradient_descent.ipynb
    .venv/bin/python tools/notebooks.py check                     # what tests/test_notebook_text.py checks

``sync`` takes the cells (sources and tags) from the text file and keeps the outputs of every
cell whose source did not change. ``execute`` runs a notebook in a fresh kernel in its own
folder and stores the outputs. ``clean`` (run by both) removes what differs from machine to
machine or run to run: execution timestamps, the Python version in ``language_info``, saved
widget state and widget-view outputs (their model ids change on every run). ``pair`` writes
the text files from the notebooks (the opposite direction; for a new notebook).
"""
import argparse
import base64
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("notebooks", "solutions")
TEXT = ROOT / "text"
FORMAT = "py:percent"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
NOTEBOOK_METADATA = ("kernelspec", "language_info", "course")   # what a stored notebook keeps
CELL_METADATA = ("tags",)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def notebooks(paths=()):
    """The ``.ipynb`` files named by ``paths`` (default: every lesson and solution)."""
    if not paths:
        return sorted(p for folder in FOLDERS for p in (ROOT / folder).glob("[0-9][0-9]_*.ipynb"))
    found = []
    for path in map(Path, paths):
        path = path if path.is_absolute() else Path.cwd() / path
        if path.suffix == ".py" and TEXT in path.resolve().parents:
            path = notebook_of(path)
        if path.suffix != ".ipynb" or path.resolve().parent.name not in FOLDERS:
            raise SystemExit(f"{path}: not a notebook in {' or '.join(FOLDERS)}/")
        found.append(path.resolve())
    return found


def text_of(notebook_path):
    """``notebooks/05_x.ipynb`` -> ``text/notebooks/05_x.py``."""
    notebook_path = Path(notebook_path).resolve()
    return TEXT / notebook_path.parent.name / (notebook_path.stem + ".py")


def notebook_of(text_path):
    """``text/notebooks/05_x.py`` -> ``notebooks/05_x.ipynb``."""
    text_path = Path(text_path).resolve()
    return ROOT / text_path.parent.name / (text_path.stem + ".ipynb")


def clean(nb):
    """Remove per-run and per-machine data from ``nb`` in place; return whether it changed."""
    before = nbformat.writes(nb)
    nb.metadata = nbformat.from_dict({k: nb.metadata[k] for k in NOTEBOOK_METADATA if k in nb.metadata})
    nb.metadata.kernelspec = dict(KERNELSPEC)
    nb.metadata.language_info = {"name": "python"}
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict({k: cell.metadata[k] for k in CELL_METADATA
                                            if cell.metadata.get(k)})
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
            output.get("metadata", {}).pop(WIDGET_VIEW, None)
    return nbformat.writes(nb) != before


def differences(nb, text_nb):
    """What differs between a notebook and its text file (cell types, sources, tags)."""
    problems = []
    if len(nb.cells) != len(text_nb.cells):
        problems.append(f"{len(nb.cells)} cells in the notebook, {len(text_nb.cells)} in the text")
    for i, (a, b) in enumerate(zip(nb.cells, text_nb.cells)):
        if a.cell_type != b.cell_type:
            problems.append(f"cell {i}: {a.cell_type} in the notebook, {b.cell_type} in the text")
        elif a.source.rstrip("\n") != b.source.rstrip("\n"):
            problems.append(f"cell {i}: the source differs")
        elif a.metadata.get("tags", []) != b.metadata.get("tags", []):
            problems.append(f"cell {i}: tags {a.metadata.get('tags', [])} in the notebook, "
                            f"{b.metadata.get('tags', [])} in the text")
    if nb.metadata.get("course") != text_nb.metadata.get("course"):
        problems.append("the notebook's 'course' metadata differs from the text's")
    return problems


def unclean(nb):
    """What ``clean`` would remove from ``nb`` (a list of short reasons)."""
    reasons = []
    extra = set(nb.metadata) - set(NOTEBOOK_METADATA)
    if extra:
        reasons.append(f"notebook metadata {sorted(extra)}")
    if set(nb.metadata.get("language_info", {})) - {"name"}:
        reasons.append("per-machine language_info (Python version)")
    for i, cell in enumerate(nb.cells):
        if set(cell.metadata) - set(CELL_METADATA):
            reasons.append(f"cell {i} metadata {sorted(set(cell.metadata) - set(CELL_METADATA))}")
        if any(WIDGET_VIEW in o.get("data", {}) for o in cell.get("outputs", [])):
            reasons.append(f"cell {i} has a widget-view output")
    return reasons


def read_text(text_path):
    return jupytext.read(text_path, fmt=FORMAT)


def pair(path):
    """Write the text file of notebook ``path`` (notebook -> text)."""
    nb = nbformat.read(path, as_version=4)
    text = text_of(path)
    text.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(_for_text(nb), text, fmt=FORMAT)
    return text


def _for_text(nb):
    """A copy of ``nb`` with only what the text file carries: sources, tags, course metadata."""
    nb = nbformat.from_dict(nb)
    nb.metadata = nbformat.from_dict(
        {"kernelspec": dict(KERNELSPEC),
         "jupytext": {"notebook_metadata_filter": "course,kernelspec,-jupytext.text_representation.jupytext_version",
                      "cell_metadata_filter": "tags,-all"},
         **({"course": nb.metadata["course"]} if "course" in nb.metadata else {})})
    return nb


def sync(path):
    """Take cells from the text file into notebook ``path``; keep outputs of unchanged cells."""
    text_nb = read_text(text_of(path))
    old = nbformat.read(path, as_version=4) if path.exists() else nbformat.v4.new_notebook()
    outputs = {}
    for cell in old.cells:
        if cell.cell_type == "code":
            outputs.setdefault(cell.source.rstrip("\n"), []).append(cell)
    # cell ids: an unchanged cell keeps its own; an edited one keeps the id of the old cell
    # at its position (so exercises generated from solutions keep stable ids)
    ids = {cell.source.rstrip("\n"): cell.get("id") for cell in old.cells}
    taken = {ids[c.source.rstrip("\n")] for c in text_nb.cells if ids.get(c.source.rstrip("\n"))}
    nb = nbformat.v4.new_notebook(metadata=old.metadata)
    for cell in text_nb.cells:
        source = cell.source.rstrip("\n")
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(source)
            match = outputs.get(source)
            if match:
                kept = match.pop(0)
                new.outputs, new.execution_count = kept.outputs, kept.execution_count
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(source)
        else:
            new = nbformat.v4.new_raw_cell(source)
        if ids.get(source):
            new.id = ids[source]
        elif len(nb.cells) < len(old.cells) and old.cells[len(nb.cells)].get("id") not in taken:
            new.id = old.cells[len(nb.cells)].id
            taken.add(new.id)
        if tags:
            new.metadata.tags = list(tags)
        nb.cells.append(new)
    if "course" in text_nb.metadata:
        nb.metadata.course = text_nb.metadata.course
    clean(nb)
    _write(nb, path)


def execute(path, timeout=600):
    """Run notebook ``path`` in a fresh kernel in its own folder and store its outputs."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=False,
                            record_timing=False, resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    clean(nb)
    _write(nb, path)


def pictures(path, out):
    """Write every PNG output of notebook ``path`` to ``out`` as cell<N>_<k>.png."""
    nb = nbformat.read(path, as_version=4)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for i, cell in enumerate(nb.cells):
        for k, output in enumerate(cell.get("outputs", [])):
            png = output.get("data", {}).get("image/png")
            if png:
                target = out / f"cell{i:02d}_{k}.png"
                target.write_bytes(base64.b64decode(png))
                written.append(target)
    return written


def _write(nb, path):
    nbformat.validate(nb)
    text = nbformat.writes(nb) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def check(paths=()):
    """Every notebook has its text file, in step, and is clean. Returns the problems."""
    problems = []
    for path in notebooks(paths):
        name = path.relative_to(ROOT)
        text = text_of(path)
        if not text.exists():
            problems.append(f"{name}: no text file {text.relative_to(ROOT)} (run: tools/notebooks.py pair {name})")
            continue
        nb = nbformat.read(path, as_version=4)
        for p in differences(nb, read_text(text)):
            problems.append(f"{name}: {p} (edit {text.relative_to(ROOT)}, then run: tools/notebooks.py sync)")
        for p in unclean(nb):
            problems.append(f"{name}: {p} (run: tools/notebooks.py clean {name})")
    for folder in FOLDERS:
        for text in sorted((TEXT / folder).glob("*.py")):
            if not notebook_of(text).exists():
                problems.append(f"{text.relative_to(ROOT)}: no notebook {notebook_of(text).relative_to(ROOT)}"
                                " (run: tools/notebooks.py sync)")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in [("sync", "text -> notebook (outputs of unchanged cells kept)"),
                       ("pair", "notebook -> text (for a new notebook)"),
                       ("clean", "strip per-run and per-machine metadata"),
                       ("check", "pairs in step and notebooks clean (exit 1 if not)"),
                       ("execute", "run in a fresh kernel, store outputs, clean")]:
        p = sub.add_parser(name, help=text)
        p.add_argument("paths", nargs="*", help="notebooks or text files (default: all)")
    p = sub.add_parser("pictures", help="write a notebook's PNG outputs to a folder")
    p.add_argument("paths", nargs="+")
    p.add_argument("--out", type=Path, default=ROOT / "build" / "pictures")
    args = parser.parse_args(argv)

    if args.command == "check":
        problems = check(args.paths)
        print("\n".join(problems) or "every notebook has its text file, in step, and is clean")
        return 1 if problems else 0
    if args.command == "sync" and not args.paths:
        targets = sorted({notebook_of(t) for f in FOLDERS for t in (TEXT / f).glob("*.py")})
    else:
        targets = notebooks(args.paths)
    for path in targets:
        name = path.relative_to(ROOT)
        if args.command == "pair":
            print("wrote", pair(path).relative_to(ROOT))
        elif args.command == "sync":
            sync(path)
            print("synced", name)
        elif args.command == "clean":
            nb = nbformat.read(path, as_version=4)
            if clean(nb):
                _write(nb, path)
                print("cleaned", name)
        elif args.command == "execute":
            print("executing", name, flush=True)
            execute(path)
        elif args.command == "pictures":
            for picture in pictures(path, args.out / path.stem):
                print(picture.relative_to(ROOT) if ROOT in picture.parents else picture)
    return 0


if __name__ == "__main__":
    sys.exit(main())
