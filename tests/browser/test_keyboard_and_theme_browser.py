"""Every lesson's widget from the keyboard, and the course's pictures in the dark theme.

* Keyboard: one notebook holds the widget of each lesson 02-10 (lesson 01's has its own,
  longer keyboard test in test_widgets_feel.py). For each: every control can take the focus
  (as Tab gives it), and one key on its first control (an arrow on a slider, a letter in a
  menu, Enter on a button) changes the picture. Its picture has a name for screen readers
  (its text alternative, as Chromium's accessibility tree gives it).
* Dark theme: the course draws its figures as opaque light pictures (dark text on white), a
  deliberate style that reads the same in JupyterLab's light and dark themes. The test opens
  a lesson in "JupyterLab Dark", without running it, and checks every stored picture: an
  opaque light background and dark ink inside, on a dark page. It switches back to the light
  theme at the end (the theme is a user setting of the test server).

Screenshots go to tests/browser/screenshots/ (see conftest.py).
"""
import io

import nbformat
import pytest

from test_more_widgets_browser import accessible_name, image_of

# (lesson, code that shows its widget as in the lesson, the control to press: None = the
# first), in one notebook: one kernel, one page
WIDGETS = [
    ("02", "basics.network_widget(n_hidden=2, dataset='xor')", None),
    ("03", "basics.loss_widget(p=0.1, y=1)", None),
    ("04", "backprop_stepper(mlp([2, 2, 1], activation='sigmoid', output='sigmoid', seed=0), "
           "[0.5, -1.0], 1.0, MSE(), lr=0.1)", None),
    ("05", "live.gradient_descent_widget(lr=0.1, optimizer='sgd')", None),
    ("06", "live.activation_widget(activation='relu', lr=0.4)", None),
    ("07", "live.gradient_norm_widget(depth=10, activation='sigmoid', init='xavier')", None),
    ("08", "live.regularization_widget(kind='L2', strength=0.5)", None),
    ("09", "playground(dataset='circle', hidden=(4, 2), activation='tanh', learning_rate=0.1, seed=0)",
     "button.playground-step"),                 # (play would go on training while the test moves on)
    ("10", "digit_widget(digit_model, X_digits[:50], y_digits[:50])", None),
]
SETUP = """\
from course_lib import MSE, SGD, datasets, mlp, train
from course_lib.widgets import backprop_stepper, basics, live
from course_lib.widgets.digits import digit_widget
from course_lib.widgets.playground import playground

X_digits, y_digits = datasets.load_digits()
digit_model = mlp([64, 32, 10], seed=0)
train(digit_model, X_digits[:300], y_digits[:300], "cross_entropy", SGD(0.1), 3, progress=False)
"""
CONTROLS = ".noUi-handle, select, button, input"
LIGHT, DARK = "JupyterLab Light", "JupyterLab Dark"


def _widget_notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP)]
    nb.cells += [nbformat.v4.new_code_cell(f"# lesson {lesson}\n{code}") for lesson, code, _ in WIDGETS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def test_every_lesson_widget_works_from_the_keyboard(lab, tmp_path):
    source = tmp_path / "keyboard_widgets.ipynb"
    _widget_notebook(source)
    page = lab.open("zz_keyboard_widgets.ipynb", source=source)
    areas = page.locator(".jp-CodeCell .jp-Cell-outputArea")
    problems = []
    for k, (lesson, _, target) in enumerate(WIDGETS, start=1):      # cell 0 is the setup
        area = page.locator(".jp-CodeCell").nth(k).locator(".jp-Cell-outputArea")
        area.scroll_into_view_if_needed()
        image = image_of(lab, area)
        before = image.get_attribute("src")
        name = accessible_name(image)
        if len(name) < 40:
            problems.append(f"lesson {lesson}: its picture's name for screen readers is {name!r}")
        controls = area.locator(CONTROLS)
        n = controls.count()
        unreachable = [controls.nth(i).evaluate("(e) => e.outerHTML.slice(0, 80)")
                       for i in range(n)
                       if controls.nth(i).evaluate("(e) => !e.disabled && e.tabIndex < 0")]
        if unreachable:
            problems.append(f"lesson {lesson}: controls Tab cannot reach: {unreachable}")
        first = area.locator(target).first if target else controls.first
        first.focus()                                       # as Tab reaches it
        kind = first.evaluate("(e) => e.classList.contains('noUi-handle') ? 'slider' : e.tagName")
        key = {"slider": "ArrowRight", "BUTTON": "Enter"}.get(kind, "ArrowUp")
        if kind == "SELECT":          # a closed menu answers type-ahead (arrows may open it)
            key = first.evaluate("""(sel) => {
                const texts = [...sel.options].map(o => o.text.toLowerCase());
                const j = texts.findIndex((t, i) => i !== sel.selectedIndex && texts.indexOf(t[0]) < 0
                                         && texts.findIndex(u => u[0] === t[0]) === i);
                return texts[j][0]; }""")
        first.press(key)
        try:
            page.wait_for_function("([img, src]) => img.src !== src && img.complete",
                                   arg=[image.element_handle(), before], timeout=60_000)
        except Exception:
            problems.append(f"lesson {lesson}: {key} on its first control ({kind}) did not "
                            "change the picture within 60 s")
        lab.shot(f"{lesson}-after-{key}", area)
    assert areas.count() >= len(WIDGETS)
    assert not problems, "\n".join(problems)


def _ink(png):
    """``(background luminance at the corners, share of dark pixels)`` of a screenshot."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float) / 255
    lum = rgb @ [0.2126, 0.7152, 0.0722]
    corners = [lum[1, 1], lum[1, -2], lum[-2, 1], lum[-2, -2]]
    return float(np.median(corners)), float(np.mean(lum < 0.35))


def _set_theme(page, theme):
    page.evaluate("async (t) => { await window.jupyterapp.commands.execute("
                  "'apputils:change-theme', {theme: t}); }", theme)
    light = "true" if theme == LIGHT else "false"
    page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{light}'", timeout=30_000)
    page.wait_for_timeout(500)                          # the theme's CSS applies


def test_figures_read_in_the_dark_theme(lab):
    from test_widgets_feel import open_without_running

    page = open_without_running(lab, "06_activations.ipynb")
    try:
        _set_theme(page, DARK)
        page_colour = page.evaluate("() => getComputedStyle(document.querySelector("
                                    "'.jp-NotebookPanel .jp-Notebook')).backgroundColor")
        page.locator(".jp-OutputArea-output img").first.wait_for(timeout=30_000)
        problems, seen, n = [], set(), 0
        for _ in range(200):            # page down: JupyterLab renders only the cells in view
            pictures = page.locator(".jp-OutputArea-output img")
            for i in range(pictures.count()):
                picture = pictures.nth(i)
                key = picture.evaluate("(img) => img.src.length + ':' + img.src.slice(-64)")
                if key in seen or not picture.is_visible():
                    continue
                seen.add(key)
                picture.scroll_into_view_if_needed()
                page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                                       arg=picture.element_handle())
                background, ink = _ink(lab.shot(f"dark-picture-{n}", picture))
                if n == 1:
                    lab.shot("dark-page")               # the page around a picture
                if background < 0.9 or not 0.002 < ink < 0.6:
                    problems.append(f"picture {n}: background luminance {background:.2f}, "
                                    f"dark ink {ink:.1%}")
                n += 1
            moved = page.evaluate("""() => {
                const cell = document.querySelector('.jp-Notebook .jp-Cell');
                let el = cell;
                while (el && !(el.scrollHeight > el.clientHeight + 10 &&
                               getComputedStyle(el).overflowY !== 'visible')) { el = el.parentElement; }
                if (!el) return false;
                const before = el.scrollTop;
                el.scrollTop = before + 0.8 * el.clientHeight;
                return el.scrollTop > before; }""")
            if not moved:
                break
            page.wait_for_timeout(300)
        assert n >= 6, f"only {n} pictures seen in lesson 06"
        rgb = [int(v) for v in page_colour[page_colour.index("(") + 1:page_colour.index(")")].split(",")[:3]]
        assert sum(rgb) / 3 < 80, f"the dark theme did not apply: notebook background {page_colour}"
        assert not problems, ("pictures that do not read on the dark page:\n" + "\n".join(problems))
    finally:
        _set_theme(page, LIGHT)
