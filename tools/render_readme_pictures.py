"""Extract one small picture per lesson notebook for the README's course map.

    .venv/bin/python tools/render_readme_pictures.py                 # -> docs/pictures/NN_<name>.png
    .venv/bin/python tools/render_readme_pictures.py --out /tmp/pics --width 240

For every ``notebooks/NN_<name>.ipynb`` (NN = 00..11, whichever exist) the script takes one
PNG from the notebook's *stored* outputs (nothing is executed): the first image of a cell
tagged ``readme-picture`` if there is one, else the notebook's first image that is not a
thin strip (at most 2.5 times as wide as high), else its first image. It scales the
picture down to ``--width`` pixels (320 by default, never up) and writes
``<out>/NN_<name>.png``. Notebooks without a stored image are listed and skipped.

Downscaling uses Pillow (installed with Matplotlib) and falls back to Matplotlib's own
``image.thumbnail`` if Pillow is missing.
"""
import argparse
import base64
import io
import json
import re
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TAG = "readme-picture"
MAX_ASPECT = 2.5
_LESSON = re.compile(r"^(\d{2})_[A-Za-z0-9_]+\.ipynb$")


def lesson_notebooks(folder, first=0, last=11):
    """The lesson notebooks ``NN_<name>.ipynb`` of ``folder`` with ``first <= NN <= last``, sorted."""
    found = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        match = _LESSON.match(path.name)
        if match and first <= int(match.group(1)) <= last:
            found.append(path)
    return found


def _pngs(cell):
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data:
            png = data["image/png"]
            yield base64.b64decode("".join(png) if isinstance(png, list) else png)


def png_size(png):
    """(width, height) from a PNG's header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", png[16:24])


def pick_picture(notebook_path):
    """PNG bytes of the notebook's representative picture, or None when it has none.

    The first image of a cell tagged ``readme-picture``; else the first image that is not
    a thin strip (at most ``MAX_ASPECT`` times as wide as high: a row of five small panels
    becomes unreadable at 320 pixels); else the first image.
    """
    nb = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    for cell in cells:
        if TAG in cell.get("metadata", {}).get("tags", []):
            for png in _pngs(cell):
                return png
    pngs = [png for cell in cells for png in _pngs(cell)]
    for png in pngs:
        width, height = png_size(png)
        if width <= MAX_ASPECT * height:
            return png
    return pngs[0] if pngs else None


def downscale(png, width):
    """PNG bytes scaled to ``width`` pixels wide (aspect kept; never enlarged)."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with Matplotlib
        return _downscale_matplotlib(png, width)
    with Image.open(io.BytesIO(png)) as image:
        image = image.convert("RGBA")
        if image.getchannel("A").getextrema()[0] == 255:
            image = image.convert("RGB")  # opaque (matplotlib's default): a smaller file
        if image.width > width:
            height = max(1, round(image.height * width / image.width))
            image = image.resize((width, height), Image.LANCZOS)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()


def _downscale_matplotlib(png, width):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import image as mimage

    source = mimage.imread(io.BytesIO(png), format="png")
    scale = min(1.0, width / source.shape[1])
    out = io.BytesIO()
    mimage.thumbnail(io.BytesIO(png), out, scale=scale)
    return out.getvalue()


def render(notebooks_dir, out_dir, width=320, log=print):
    """Write one picture per lesson notebook; returns ``{notebook name: written path}``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for path in lesson_notebooks(notebooks_dir):
        png = pick_picture(path)
        if png is None:
            log(f"skipped {path.name}: no stored image output (run the notebook first)")
            continue
        target = out_dir / f"{path.stem}.png"
        target.write_bytes(downscale(png, width))
        written[path.stem] = target
        log(f"wrote {target}")
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tools/render_readme_pictures.py",
                                     description="One small PNG per lesson notebook, for the README.")
    parser.add_argument("--notebooks", default=str(ROOT / "notebooks"), help="folder of lesson notebooks")
    parser.add_argument("--out", default=str(ROOT / "docs" / "pictures"), help="output folder")
    parser.add_argument("--width", type=int, default=320, help="width in pixels (default 320)")
    args = parser.parse_args(argv)
    if args.width < 16:
        parser.error("--width must be at least 16 pixels")
    if not lesson_notebooks(args.notebooks):
        print(f"no lesson notebooks NN_<name>.ipynb in {args.notebooks}", file=sys.stderr)
        return 1
    written = render(args.notebooks, args.out, args.width)
    print(f"{len(written)} picture(s) in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
