"""How the widgets feel in Chromium at 1400 px: pictures before running, redraw during a drag,
update times against the budgets, crisp pictures, operation from the keyboard.

* Before a lesson runs, each widget cell shows its stored picture and the line "Run this cell
  to play with it." (``tools/notebooks.py execute`` stores them), never the widget's raw text.
* Lessons 01's and 03's sliders redraw while they are dragged: the picture changes before the
  mouse button is released (1x pictures during the drag, the 2x one when it stops). The rate of
  new pictures during the drag is measured (budget: 10 a second on an idle machine; this
  2-core machine is shared, so the assertion asks for 4 and the figures are printed and
  written to screenshots/widgets-feel-times.txt).
* Retraining widgets (lessons 05 and 08) show their busy indicator at once and their answer
  later; both times are measured in the page and recorded (budget: 1/3 s on an idle machine).
* Lesson 01's widget is driven from the keyboard alone: Tab between controls, arrow keys.

Screenshots go to tests/browser/screenshots/ (see conftest.py).
"""
import math
import os
import re
import time

import pytest

from conftest import SCREENSHOTS
from test_more_widgets_browser import (NEURON_PICTURE, accessible_name, check_picture, image_of, kernel_run,
                                       readout, widget_area)

# kernel-side: the redraw times of the last redraw-only widget (its Image's retrainer)
KERNEL_TIMES = """
import ipywidgets as _w
_boxes = [o for _, o in sorted(Out.items()) if isinstance(o, _w.VBox) and hasattr(o.children[-1], 'retrainer')]
_r = _boxes[-1].children[-1].retrainer
_t = sorted(_r.seconds)
print(len(_t), 1000 * _t[len(_t) // 2], 1000 * _t[-1], _r.generation)
"""

RUN_LINE = "Run this cell to play with it."
RAW_WIDGET = re.compile(r"(VBox|HBox|IntSlider|FloatSlider|FloatLogSlider|Dropdown)\(")
# lessons that must have a widget cell; every other lesson is checked for raw widget text too
LESSONS_WITH_WIDGETS = {"00_welcome.ipynb", "01_neuron.ipynb", "02_network.ipynb", "03_loss.ipynb",
                        "05_gradient_descent.ipynb", "06_activations.ipynb",
                        "07_vanishing_gradients.ipynb", "08_regularization.ipynb", "09_playground.ipynb"}
TIMES = SCREENSHOTS / "widgets-feel-times.txt"


def record(line):
    """Print a measured figure and keep it in screenshots/widgets-feel-times.txt."""
    print("\n" + line)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with open(TIMES, "a", encoding="utf-8") as f:
        f.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')}  {line}\n")


def open_without_running(lab, notebook):
    """Open ``notebooks/<notebook>`` (a copy) as a learner does, without running any cell."""
    page = lab.page
    workspace = re.sub(r"[^a-z0-9]+", "-", f"{lab.test_name}-{notebook}".lower())[:60]
    page.goto(lab.server.url(f"lab/workspaces/{workspace}/tree/notebooks/{notebook}?reset"),
              wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=60_000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=60_000)
    return page


def test_lessons_opened_before_running_show_pictures_not_text(lab):
    problems = []
    for path in sorted((lab.server.root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        notebook = path.name
        page = open_without_running(lab, notebook)
        page.wait_for_timeout(1000)                     # outputs render after the cells
        line = page.locator(".jp-OutputArea-output", has_text=RUN_LINE).first
        if notebook in LESSONS_WITH_WIDGETS:
            try:
                line.wait_for(timeout=20_000)
            except Exception:
                problems.append(f"{notebook}: no '{RUN_LINE}' line")
        areas = page.locator(".jp-Cell-outputArea").filter(has_text=RUN_LINE)
        for k in range(areas.count()):
            area = areas.nth(k)
            area.scroll_into_view_if_needed()
            picture = area.locator("img").first
            if picture.count() == 0:
                problems.append(f"{notebook}: widget cell {k} has no picture")
                continue
            page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                                   arg=picture.element_handle())
            lab.shot(f"{notebook.split('_')[0]}-widget-{k}-before-running", area)
        # every picture of the lesson (figures and the widgets' still pictures): 2 device pixels per CSS
        # pixel, shown at its own size, not shrunk to fit the output (its text would shrink)
        pictures = page.locator(".jp-RenderedImage img")
        for k in range(pictures.count()):
            picture = pictures.nth(k)
            picture.scroll_into_view_if_needed()
            page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                                   arg=picture.element_handle())
            natural, shown, room = picture.evaluate(
                "(img) => [img.naturalWidth, img.clientWidth, img.closest('.jp-OutputArea-output').clientWidth]")
            if abs(natural - 2 * shown) > 2 or shown > room:
                problems.append(f"{notebook}: picture {k} is {natural} px, shown at {shown} px "
                                f"in an output {room} px wide (not 2x at its own size)")
        print(f"\n{notebook}: {pictures.count()} pictures at 2x, none shrunk")
        raw = page.locator(".jp-OutputArea-output").filter(has_text=RAW_WIDGET)
        if raw.count():
            raw.first.scroll_into_view_if_needed()
            lab.shot(f"{notebook.split('_')[0]}-raw-text-before-running", raw.first)
            problems.append(f"{notebook}: raw widget text {raw.first.inner_text()[:60]!r}")
        lab.shutdown_kernel()
    assert not problems, "\n".join(problems)


def _watch_picture(page, image):
    """Start recording (in the page) each time ``image`` gets a new picture."""
    page.evaluate("""(img) => {
        window.__pictureTimes = [];
        const observer = new MutationObserver(() => window.__pictureTimes.push(performance.now()));
        observer.observe(img, {attributes: true, attributeFilter: ['src']});
        window.__pictureObserver = observer;
    }""", image.element_handle())


def sweep(lab, area, slider, image, lesson, floor=4):
    """Drag ``slider`` over its whole track, right, left and right again, in 4 s, the mouse
    moved as fast as the page takes it (a move waits until the page has handled the one
    before); the mouse button stays down. Records the rate of new pictures in the page
    during the drag, checks it is at least ``floor`` a second (None: not checked) and
    returns ``(new pictures during the drag, kernel: redraws, median ms, changes received)``.

    Some 7 slider values a move: far more values than the budget of 10 pictures a second, so
    the rate measures the widget, not the drag (a drag over fewer values than 10 a second
    could never show 10 pictures a second)."""
    page = lab.page
    handle, track = slider.locator(".noUi-handle").first, slider.locator(".noUi-base").first
    h, t = handle.bounding_box(), track.bounding_box()
    y = h["y"] + h["height"] / 2
    _watch_picture(page, image)
    page.mouse.move(h["x"] + h["width"] / 2, y)
    page.mouse.down()
    start = page.evaluate("performance.now()")
    seconds, moves = 4.0, 0
    left, width = t["x"] + 0.02 * t["width"], 0.96 * t["width"]
    readouts = set()
    t0 = time.monotonic()
    while (elapsed := time.monotonic() - t0) < seconds:
        fraction = 0.5 - 0.5 * math.cos(3 * math.pi * elapsed / seconds)
        page.mouse.move(left + fraction * width, y)
        moves += 1
        if moves % 8 == 0:               # (reading the slider's label costs a round trip)
            readouts.add(readout(slider))
    page.mouse.move(left + width, y)     # the end of the sweep: the right end
    during = page.evaluate("(start) => window.__pictureTimes.filter(t => t >= start)", start)
    # one picture can set the image's src twice in the same millisecond (seen in lesson 02):
    # count it once
    during = sorted({round(t) for t in during})
    drag_ms = page.evaluate("performance.now()") - start
    lab.shot("during-drag", area)
    gaps = [b - a for a, b in zip(during, during[1:])]
    rate = len(during) / (drag_ms / 1000)
    n, median_ms, worst_ms, requests = kernel_run(lab, KERNEL_TIMES).split()
    record(f"lesson {lesson} drag: {len(during)} new pictures during a {drag_ms / 1000:.1f} s drag of {moves} "
           f"mouse moves, {len(readouts)} slider values read: {rate:.1f} pictures/s in the page (budget 10/s on an idle "
           f"machine); median gap {sorted(gaps)[len(gaps) // 2] if gaps else float('nan'):.0f} ms; "
           f"kernel: {requests} changes received, {n} redraws (a newer change supersedes a waiting one), "
           f"median {float(median_ms):.0f} ms, worst {float(worst_ms):.0f} ms "
           f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    assert len(during) >= 1, "the picture did not change while the slider was dragged"
    # measured for lesson 01: 12.5 and 12.9 a second here at load average 2.5 (the browser,
    # JupyterLab, the kernel and Playwright share two cores); the floor leaves room for a
    # busier machine
    if floor is not None:
        assert rate >= floor, f"only {rate:.1f} pictures a second during the drag"
    assert float(median_ms) < 1000, f"a redraw takes {float(median_ms):.0f} ms in the kernel"
    return len(during), int(n), float(median_ms), int(requests)


def test_lesson01_slider_drag_changes_the_picture_during_the_drag_and_keys_work(lab):
    lab.open("01_neuron.ipynb")
    area, w1 = widget_area(lab, "slider", "w1")
    image = image_of(lab, area)
    check_picture(lab, image, ["w1", "w2", "b", "gate"], NEURON_PICTURE)
    natural, shown = image.evaluate("(img) => [img.naturalWidth, img.clientWidth]")
    assert natural == 2 * shown, f"picture {natural} px shown at {shown} px: not crisp at 2x"
    assert accessible_name(image).startswith("Left: the neuron's output over the plane"), \
        "the picture should have its text alternative as its name for screen readers"
    lab.shot("before", area)
    sweep(lab, area, w1, image, "01")
    lab.page.mouse.up()
    values, _ = check_picture(lab, image, ["w1", "w2", "b", "gate"], NEURON_PICTURE,
                              expect=lambda v: f"{v['w1']:.1f}" == readout(w1))
    lab.shot("after-drag", area)
    natural, shown = image.evaluate("(img) => [img.naturalWidth, img.clientWidth]")
    assert natural == 2 * shown, "after the drag the 2x picture should follow the quick 1x ones"
    assert values["w1"] > 3
    keyboard(lab, area, image, values)


def test_lesson03_prediction_slider_drag_redraws_during_the_drag(lab):
    lab.open("03_loss.ipynb")
    area, p = widget_area(lab, "slider", "p")
    names, picture = ["p", "target y"], "basics.loss_png(v['p'], v['target y'])"
    image = image_of(lab, area)
    check_picture(lab, image, names, picture)
    sweep(lab, area, p, image, "03")
    lab.page.mouse.up()
    values, _ = check_picture(lab, image, names, picture,
                              expect=lambda v: f"{v['p']:.3f}" == readout(p))
    lab.shot("after-drag", area)
    natural, shown = image.evaluate("(img) => [img.naturalWidth, img.clientWidth]")
    assert natural == 2 * shown, "after the drag the 2x picture should follow the quick 1x ones"
    assert values["p"] > 0.9


def test_lesson02_hidden_units_slider_follows_the_drag(lab):
    """Lesson 02's slider has eight values (1-8 hidden units), so a drag cannot ask for 10
    pictures a second; what it can show: a new picture for nearly every value the drag
    crosses, each redrawn within the 100 ms that 10 a second allow. The first drag trains
    each network once (recorded); the second reuses them (checked)."""
    lab.open("02_network.ipynb")
    area, slider = widget_area(lab, "slider", "hidden units")
    names, picture = ["hidden units", "data"], "basics.network_png(v['hidden units'], v['data'])"
    image = image_of(lab, area)
    check_picture(lab, image, names, picture)
    for attempt in ("first", "second"):
        before = int(kernel_run(lab, KERNEL_TIMES).split()[3])
        shown, redraws, median_ms, changes = sweep(lab, area, slider, image, f"02 ({attempt} drag)", floor=None)
        lab.page.mouse.up()
        lab.page.wait_for_timeout(1000)                 # the 2x picture of the last value
    crossed = changes - before
    record(f"lesson 02 second drag: {shown} new pictures for {crossed} values crossed")
    assert shown >= 0.7 * crossed, f"{shown} new pictures for {crossed} values crossed during the drag"
    assert median_ms < 100, f"a redraw takes {median_ms:.0f} ms in the kernel (budget 100 ms)"
    values, _ = check_picture(lab, image, names, picture, expect=lambda v: v["hidden units"] == 8)
    lab.shot("after-drag", area)
    natural, shown_px = image.evaluate("(img) => [img.naturalWidth, img.clientWidth]")
    assert natural == 2 * shown_px, "after the drag the 2x picture should follow the quick 1x ones"


def keyboard(lab, area, image, values):
    """Lesson 01's widget from the keyboard alone: arrows on w1, Tab to w2, arrows, Tab on
    to the gate menu, arrow down; the picture follows each."""
    page = lab.page
    names = ["w1", "w2", "b", "gate"]
    w1 = area.locator(".widget-slider").first
    _, src = check_picture(lab, image, names, NEURON_PICTURE)
    w1_start = values["w1"]
    w1.locator(".noUi-handle").first.focus()          # as Tab reaches it
    for key in ["ArrowLeft"] * 3:                      # w1 down by 0.3
        page.keyboard.press(key)
    page.keyboard.press("Tab")                          # to w2's readout or handle
    for _ in range(4):
        if page.evaluate("() => document.activeElement.classList.contains('noUi-handle')"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("ArrowLeft")                    # w2 1.0 -> 0.9
    for _ in range(12):                                 # Tab on to the gate menu
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.tagName") == "SELECT":
            break
    assert page.evaluate("() => document.activeElement.tagName") == "SELECT", "Tab never reached the gate menu"
    page.keyboard.press("o")                            # AND -> OR (the menu's type-ahead)
    values, src = check_picture(lab, image, names, NEURON_PICTURE, src,
                                expect=lambda v: v["gate"] == "OR" and v["w1"] == pytest.approx(w1_start - 0.3)
                                and v["w2"] == pytest.approx(0.9))
    lab.shot("after-keys", area)
    record(f"lesson 01 keyboard: w1, w2 and gate set from the keyboard: {values}")


def retrain_times(page, bar, status, act):
    """``act()`` changes a retraining widget's control: seconds until its busy indicator
    shows and until the new answer arrives (both measured in the page), and the kernel's own
    "updated in" figure (a match, or None)."""
    page.evaluate("""([bar, status]) => {
        window.__busyAt = null; window.__answerAt = null;
        const old = status.innerText;
        new MutationObserver(() => {
            if (window.__busyAt === null && getComputedStyle(bar).visibility === 'visible')
                window.__busyAt = performance.now();
        }).observe(bar, {attributes: true, subtree: true, attributeFilter: ['style', 'class']});
        new MutationObserver(() => {
            if (window.__answerAt === null && status.innerText !== old) window.__answerAt = performance.now();
        }).observe(status, {childList: true, subtree: true, characterData: true});
    }""", [bar.element_handle(), status.element_handle()])
    t0 = page.evaluate("performance.now()")
    act()
    page.wait_for_function("() => window.__answerAt !== null", timeout=60_000)
    busy_at, answer_at = page.evaluate("[window.__busyAt, window.__answerAt]")
    assert busy_at is not None, "the busy indicator never showed"
    return (busy_at - t0) / 1000, (answer_at - t0) / 1000, re.search(r"updated in ([\d.]+) s", status.inner_text())


def live_widget(page, slider_label, status_text):
    """A retraining widget found by its slider's label and its status text, scrolled into
    view: ``(output area, slider, status, busy bar)``."""
    label = page.locator("label.widget-label", has_text=re.compile(rf"^\s*{re.escape(slider_label)}\s*$"))
    area = page.locator(".jp-Cell-outputArea").filter(has=page.locator(".widget-slider", has=label)).first
    area.wait_for()
    area.scroll_into_view_if_needed()
    slider = area.locator(".widget-slider", has=label).first
    status = area.locator(".widget-html", has_text=status_text).first
    bar = area.locator(".widget-hprogress").first
    status.wait_for()
    return area, slider, status, bar


def typed_into_readout(slider, text):
    """Type ``text`` into the slider's readout without pressing Enter (the caller times
    Enter); returns the readout box."""
    box = slider.locator(".widget-readout")
    box.click()
    box.press("Control+A")
    box.type(text)
    return box


def test_lesson08_busy_at_once_answer_within_budget(lab):
    page = lab.open("08_regularization.ipynb")
    area, slider, status, bar = live_widget(page, "strength", "gap")
    box = typed_into_readout(slider, "0.7")
    busy, answer, kernel_side = retrain_times(page, bar, status, lambda: box.press("Enter"))
    lab.shot("after", area)
    record(f"lesson 08 retrain at L2 strength 0.7: busy indicator after {busy * 1000:.0f} ms, new answer "
           f"after {answer * 1000:.0f} ms in the page (kernel: {kernel_side.group(1) if kernel_side else '?'} s); "
           f"budget 333 ms on an idle machine")
    assert busy < 2.0, f"the busy indicator took {busy:.1f} s to show"
    assert answer < 5.0, f"the answer took {answer:.1f} s"


def test_lesson05_busy_at_once_answer_within_budget(lab):
    page = lab.open("05_gradient_descent.ipynb")
    area, slider, status, bar = live_widget(page, "learning rate", "final loss")
    width = slider.locator(".noUi-base").first.bounding_box()["width"]
    record(f"lesson 05 learning-rate slider: {width:.0f} px of track for 4 decades "
           f"({width / 4:.0f} px a decade); the readout takes a typed value")
    assert width >= 300
    lab.shot("before", area)
    box = typed_into_readout(slider, "3")
    busy, answer, kernel_side = retrain_times(page, bar, status, lambda: box.press("Enter"))
    lab.shot("after", area)
    record(f"lesson 05 retrain at lr 3: busy indicator after {busy * 1000:.0f} ms, new answer after "
           f"{answer * 1000:.0f} ms in the page (kernel: {kernel_side.group(1) if kernel_side else '?'} s); "
           f"budget 333 ms on an idle machine")
    assert busy < 2.0, f"the busy indicator took {busy:.1f} s to show"
