"""Keep the lesson and solution notebooks as reviewable text: sync, execute, clean, check.

Maintainers edit the text file of a notebook (``text/notebooks/NN_name.py`` or
``text/solutions/NN_name_solutions.py``, jupytext's py:percent format) and never the cells of the
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

A widget cannot show before its cell runs (it lives in the kernel), and its stored text is
raw Python (``VBox(children=(IntSlider(...``). So ``execute`` stores every widget cell as a
*static picture*: it runs the notebook with the widgets' state recorded, then replaces each
widget-view output by the line "Run this cell to play with it." (text/markdown) and a PNG of
the widget's first view (its controls with their starting values, and the pictures of its
``Image`` and ``Output`` children), drawn here from the recorded state at twice the CSS
pixels (crisp on high-DPI screens). The state itself is not stored. Running the cell
replaces the picture with the live widget.
"""
import argparse
import base64
import html
import io
import re
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
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
RUN_LINE = "Run this cell to play with it."
# the stored text of a widget that was never turned into a picture
RAW_WIDGET_TEXT = re.compile(r"^(VBox|HBox|Box|GridBox|Tab|Accordion|\w+Slider|Dropdown|Output)\((children|value|description|layout|options|outputs)=")


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
        if any(RAW_WIDGET_TEXT.match(o.get("data", {}).get("text/plain", "")) for o in cell.get("outputs", [])):
            reasons.append(f"cell {i} stores a widget as raw text, not as its picture (run: tools/notebooks.py execute)")
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
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                            record_timing=False, resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    widgets_to_pictures(nb)
    clean(nb)
    _write(nb, path)


# ---------------------------------------------------------------------------------------
# Static pictures of widgets (what a widget cell shows before it runs)
# ---------------------------------------------------------------------------------------
SCALE = 2               # device pixels per CSS pixel of the stored pictures
FONT_PX = 13            # JupyterLab's widget font size, in CSS pixels
TEXT_WIDTH = 900        # CSS pixels: longer labels and status lines wrap


def widgets_to_pictures(nb):
    """Replace every widget-view output of ``nb`` by the run line and a static picture.

    The pictures are drawn from the widget state that ``execute`` recorded in
    ``nb.metadata.widgets``; other outputs of the cell (printed text, figures) stay.
    Returns the number of widgets replaced.
    """
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    replaced = 0
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        if not any(WIDGET_VIEW in o.get("data", {}) for o in outputs):
            continue
        line = nbformat.v4.new_output("display_data", data={
            "text/markdown": f"*{RUN_LINE}*", "text/plain": RUN_LINE})
        new = []
        for output in outputs:
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                new.append(output)
                continue
            if line not in new:
                new.append(line)
            picture = WidgetPicture(state).draw(view["model_id"])
            if picture is None:                 # nothing recorded: keep the line only
                continue
            png, alt = picture
            width, height = _png_size(png)
            new.append(nbformat.v4.new_output(
                "display_data",
                data={"image/png": base64.b64encode(png).decode("ascii"), "text/plain": alt},
                # "alt": the picture's text for screen readers where a renderer takes it
                # (nbconvert's classic HTML template does; its lab template and JupyterLab 4
                # do not)
                metadata={"image/png": {"width": width // SCALE, "height": height // SCALE, "alt": alt}}))
            replaced += 1
        cell.outputs = new
    return replaced


def _png_size(png):
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


class WidgetPicture:
    """Draw a widget's first view from its recorded state (ipywidgets 8 state, version 2).

    Boxes lay out their children (HBox in a row, other boxes in a column); sliders, menus,
    buttons, text and labels are drawn as simple shapes with their starting values; an
    ``Image`` shows its picture at its CSS size; an ``Output`` shows its PNG outputs.
    Everything is drawn at ``SCALE`` device pixels per CSS pixel.
    """

    def __init__(self, state):
        from PIL import ImageFont
        import matplotlib

        self.state = state
        fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        self.font = ImageFont.truetype(str(fonts / "DejaVuSans.ttf"), FONT_PX * SCALE)
        self.alt = []

    def draw(self, model_id):
        """``(png bytes, alt text)`` of the widget ``model_id``, or None if it was not recorded."""
        if model_id not in self.state:
            return None
        from PIL import Image

        image = self._draw(model_id)
        if image is None:
            return None
        pad = 4 * SCALE
        page = Image.new("RGBA", (image.width + 2 * pad, image.height + 2 * pad), "#ffffff")
        page.alpha_composite(image, (pad, pad))
        buf = io.BytesIO()
        page.convert("RGB").save(buf, format="png", optimize=True)
        alt = "; ".join(dict.fromkeys(a for a in self.alt if a))   # a caption is also its picture's alt
        return buf.getvalue(), f"[a picture of the widget before its cell runs: {alt}] {RUN_LINE}"

    # -- helpers ---------------------------------------------------------------------------
    def _model(self, ref):
        return self.state.get(ref[len("IPY_MODEL_"):] if isinstance(ref, str) and ref.startswith("IPY_MODEL_") else ref)

    def _layout(self, s):
        return (self._model(s.get("layout")) or {}).get("state", {})

    def _css_px(self, value):
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)(px)?\s*", str(value or ""))
        return float(m.group(1)) if m else None

    def _text(self, text, color="#000000", bold=False):
        from PIL import Image, ImageDraw

        text = text.replace("\n", " ")
        box = self.font.getbbox(text or " ")
        image = Image.new("RGBA", (max(1, box[2]) + 2, int(FONT_PX * SCALE * 1.5)), (0, 0, 0, 0))
        ImageDraw.Draw(image).text((0, FONT_PX * SCALE * 0.2), text, font=self.font, fill=color)
        return image

    def _wrapped(self, text):
        """``text`` as lines of at most ``TEXT_WIDTH`` CSS pixels (one image per line)."""
        lines, line = [], ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if line and self.font.getlength(trial) > TEXT_WIDTH * SCALE:
                lines.append(line)
                trial = word
            line = trial
        return [self._text(t) for t in lines + [line]]

    def _row(self, images, gap=8, align="center"):
        from PIL import Image

        images = [i for i in images if i is not None]
        if not images:
            return None
        gap *= SCALE
        w = sum(i.width for i in images) + gap * (len(images) - 1)
        h = max(i.height for i in images)
        out = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        x = 0
        for i in images:
            out.alpha_composite(i, (x, (h - i.height) // 2 if align == "center" else 0))
            x += i.width + gap
        return out

    def _column(self, images, gap=6):
        from PIL import Image

        images = [i for i in images if i is not None]
        if not images:
            return None
        gap *= SCALE
        w = max(i.width for i in images)
        h = sum(i.height for i in images) + gap * (len(images) - 1)
        out = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        y = 0
        for i in images:
            out.alpha_composite(i, (0, y))
            y += i.height + gap
        return out

    def _box(self, text, width=None, pressed=False, arrow=False):
        """A rounded box with text (a menu, a button, a text field)."""
        from PIL import Image, ImageDraw

        label = self._text(text, color="#ffffff" if pressed else "#000000")
        w = int(max(width or 0, label.width / SCALE + (28 if arrow else 16)) * SCALE)
        h = 28 * SCALE
        image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        d = ImageDraw.Draw(image)
        d.rounded_rectangle((0, 0, w - 1, h - 1), radius=3 * SCALE,
                            fill="#2196f3" if pressed else "#ffffff", outline="#9e9e9e", width=SCALE)
        image.alpha_composite(label, (8 * SCALE, (h - label.height) // 2))
        if arrow:
            x, y = w - 14 * SCALE, h // 2
            d.polygon([(x - 4 * SCALE, y - 2 * SCALE), (x + 4 * SCALE, y - 2 * SCALE), (x, y + 3 * SCALE)],
                      fill="#444444")
        return image

    def _slider(self, s, log=False, width=None):
        from PIL import Image, ImageDraw

        lo, hi, value = float(s.get("min", 0)), float(s.get("max", 100)), s.get("value", 0)
        position = (float(value) if not log else _log(float(value), float(s.get("base", 10))))
        frac = 0.0 if hi == lo else min(max((position - lo) / (hi - lo), 0.0), 1.0)
        track_w = int((width or 300) - 150) if width else 160
        w, h = track_w * SCALE, 28 * SCALE
        image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        d = ImageDraw.Draw(image)
        y = h // 2
        d.rounded_rectangle((0, y - 2 * SCALE, w - 1, y + 2 * SCALE), radius=2 * SCALE, fill="#bdbdbd")
        x = int(6 * SCALE + frac * (w - 12 * SCALE))
        d.ellipse((x - 7 * SCALE, y - 7 * SCALE, x + 7 * SCALE, y + 7 * SCALE), fill="#ffffff",
                  outline="#616161", width=SCALE)
        readout = _format(value, s.get("readout_format", "d" if s.get("_model_name", "").startswith("Int") else ".2f"))
        return image, readout

    def _label(self, description):
        """A control's description, right-aligned in ipywidgets' 80 px label column."""
        from PIL import Image

        if not description:
            return None
        text = self._text(description)
        width = max(text.width, 80 * SCALE)
        image = Image.new("RGBA", (width, text.height), (0, 0, 0, 0))
        image.alpha_composite(text, (width - text.width, 0))
        return image

    def _described(self, s, control):
        return self._row([self._label(s.get("description", "")), control])

    # -- the walk --------------------------------------------------------------------------
    def _draw(self, model_id):
        model = self._model(model_id)
        if model is None:
            return None
        name, s = model["model_name"], model["state"]
        layout = self._layout(s)
        if layout.get("display") == "none" or layout.get("visibility") == "hidden":
            return None
        description = s.get("description", "")
        if name in ("HBoxModel", "VBoxModel", "BoxModel", "GridBoxModel"):
            children = [self._draw(c) for c in s.get("children", [])]
            return self._row(children) if name == "HBoxModel" else self._column(children)
        if name.endswith("SliderModel") and "Range" not in name:
            track, readout = self._slider(s, log=name == "FloatLogSliderModel",
                                          width=self._css_px(layout.get("width")))
            self.alt.append(f"slider {description} = {readout}")
            return self._row([self._label(description), track, self._text(readout)])
        if name in ("DropdownModel", "SelectModel", "RadioButtonsModel"):
            labels, index = s.get("_options_labels", []), s.get("index")
            value = labels[index] if index is not None and index < len(labels) else ""
            self.alt.append(f"menu {description} = {value}")
            return self._described(s, self._box(value, width=148, arrow=True))
        if name == "ToggleButtonsModel":
            labels, index = s.get("_options_labels", []), s.get("index")
            self.alt.append(f"buttons {description} = {labels[index] if index is not None else ''}")
            return self._described(s, self._row([self._box(l, pressed=k == index) for k, l in enumerate(labels)], gap=2))
        if name in ("ButtonModel", "ToggleButtonModel"):
            self.alt.append(f"button {description}")
            return self._box(description or s.get("tooltip") or "", pressed=bool(s.get("value")))
        if name == "CheckboxModel":
            self.alt.append(f"check box {description} = {'on' if s.get('value') else 'off'}")
            return self._row([self._box("\u2713" if s.get("value") else " "), self._text(description)])
        if name.endswith("TextModel") or name.endswith("TextareaModel"):
            value = s.get("value", "")
            value = _format(value, ".4g") if isinstance(value, float) else str(value)
            self.alt.append(f"field {description} = {value}")
            return self._described(s, self._box(value, width=self._css_px(layout.get("width")) or 90))
        if name in ("LabelModel", "HTMLModel", "HTMLMathModel"):
            text = html.unescape(re.sub(r"<[^>]+>", "", str(s.get("value", "")))).strip()
            text = " ".join(text.split())
            self.alt.append(text)
            return self._column(self._wrapped(text), gap=0) if text else None
        if name == "ImageModel":
            return self._image(model, s, layout)
        if name == "OutputModel":
            pictures = [self._png(o["data"]["image/png"]) for o in s.get("outputs", [])
                        if "image/png" in o.get("data", {})]
            return self._column(pictures)
        return None

    def _png(self, b64, css_width=None):
        from PIL import Image

        image = Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGBA")
        if css_width is None:                   # a picture without a CSS size: shown 1:1
            css_width = image.width
        width = int(round(css_width * SCALE))
        if width != image.width:
            image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
        return image

    def _image(self, model, s, layout):
        data = next((b["data"] for b in model.get("buffers", []) if b.get("path") == ["value"]), None)
        if not data:
            return None
        css_width = self._css_px(s.get("width")) or self._css_px(layout.get("width"))
        self.alt.append(s.get("tooltip") or "a picture")
        return self._png(data, css_width)


def _log(value, base):
    import math

    return math.log(value, base) if value > 0 else float("-inf")


def _format(value, fmt):
    """A slider readout as ipywidgets shows it (a subset of d3-format)."""
    m = re.fullmatch(r"\.(\d+)([fge%])", str(fmt or ""))
    try:
        if m:
            return format(float(value), f".{m.group(1)}{m.group(2)}")
        return str(int(value)) if fmt == "d" else str(value)
    except (TypeError, ValueError):
        return str(value)


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
