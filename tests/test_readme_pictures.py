"""tools/render_readme_pictures.py: one small PNG per lesson notebook, for the README."""
import base64
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "render_readme_pictures.py"
sys.path.insert(0, str(SCRIPT.parent))
import render_readme_pictures as rrp  # noqa: E402

PIL = pytest.importorskip("PIL.Image", reason="Pillow comes with matplotlib")


def png_bytes(width, height, color=(255, 0, 0)):
    out = io.BytesIO()
    PIL.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def write_notebook(path, cells):
    """cells: list of (tags, [png bytes ...])."""
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# title"}]}
    for tags, pngs in cells:
        nb["cells"].append({
            "cell_type": "code", "metadata": {"tags": tags} if tags else {}, "source": "plt.show()",
            "execution_count": 1,
            "outputs": [{"output_type": "display_data", "metadata": {},
                         "data": {"image/png": base64.b64encode(p).decode(), "text/plain": "<Figure>"}}
                        for p in pngs]})
    path.write_text(json.dumps(nb))


def test_the_command_renders_every_lesson_notebook_into_a_folder(tmp_path):
    out = tmp_path / "pictures"
    done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lessons = rrp.lesson_notebooks(ROOT / "notebooks")
    assert lessons, "no lesson notebooks found"
    with_images = [p for p in lessons if rrp.pick_picture(p) is not None]
    written = sorted(p.name for p in out.glob("*.png"))
    assert written == sorted(f"{p.stem}.png" for p in with_images)
    for name in written:
        with PIL.open(out / name) as image:
            assert image.format == "PNG"
            assert image.width <= 320 and image.height >= 16
    assert f"{len(written)} picture(s) in {out}" in done.stdout
    # the welcome notebook and the capstone have stored pictures
    assert {"00_welcome.png", "10_capstone_digits.png"} <= set(written)


def test_tagged_picture_wins_then_the_first_that_is_not_a_strip(tmp_path):
    strip, square, tagged = png_bytes(500, 100), png_bytes(400, 300, (0, 255, 0)), png_bytes(300, 300, (0, 0, 255))
    nb = tmp_path / "05_demo.ipynb"
    write_notebook(nb, [(None, [strip]), (None, [square]), (["readme-picture"], [tagged])])
    assert rrp.pick_picture(nb) == tagged
    write_notebook(nb, [(None, [strip]), (None, [square])])
    assert rrp.pick_picture(nb) == square
    write_notebook(nb, [(None, [strip])])
    assert rrp.pick_picture(nb) == strip  # only strips: the first one
    write_notebook(nb, [])
    assert rrp.pick_picture(nb) is None


def test_downscale_keeps_the_aspect_and_never_enlarges():
    small = rrp.downscale(png_bytes(640, 480), 320)
    assert rrp.png_size(small) == (320, 240)
    assert rrp.png_size(rrp.downscale(png_bytes(100, 50), 320)) == (100, 50)


def test_render_names_skips_and_ignores_non_lessons(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    write_notebook(nbs / "00_welcome.ipynb", [(None, [png_bytes(800, 600)])])
    write_notebook(nbs / "03_no_pictures.ipynb", [])
    write_notebook(nbs / "12_beyond.ipynb", [(None, [png_bytes(80, 60)])])     # not a lesson 00-11
    write_notebook(nbs / "scratch.ipynb", [(None, [png_bytes(80, 60)])])
    messages = []
    written = rrp.render(nbs, tmp_path / "out", width=200, log=messages.append)
    assert list(written) == ["00_welcome"]
    assert rrp.png_size((tmp_path / "out" / "00_welcome.png").read_bytes()) == (200, 150)
    assert any("skipped 03_no_pictures.ipynb: no stored image output" in m for m in messages)


def test_no_notebooks_is_an_error(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--notebooks", str(tmp_path), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "no lesson notebooks" in done.stderr
