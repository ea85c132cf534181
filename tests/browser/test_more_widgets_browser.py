"""Lessons 00-03, 07 and 08 in Chromium: each widget renders, and reacts to its controls.

Every test opens a lesson copy with the harness (``lab.open``: run all cells, wait for an
idle kernel), finds the widget's controls by their descriptions, moves them as a learner
does (drags a slider handle, presses keys on it, types into its readout, picks from a
dropdown, clicks a toggle button) and checks what the browser then shows:

* the text the widget shows (lesson 00's label, the status lines of lessons 07 and 08);
* the picture: an ``ipywidgets.Image`` whose ``src`` is a blob URL. The test fetches the
  shown PNG's bytes in the page and compares their SHA-256 with the picture the lesson's
  own picture function draws, in the same kernel, for the values the kernel's controls now
  have (lessons 01-03: ``basics.neuron_png`` ...). So the picture is not just *different*,
  it is the one for the new setting. The kernel is asked through ``kernel.requestExecute``
  (no history, no cell), so the notebook itself is not touched.

Before / after screenshots go to tests/browser/screenshots/.
"""
import json
import re
import time

import pytest

WIDGET_TIMEOUT = 60.0   # seconds for one widget to show the answer to a change
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# ---------------------------------------------------------------------------------------
# Finding and moving controls
# ---------------------------------------------------------------------------------------
def _label(page, description):
    return page.locator("label.widget-label", has_text=re.compile(rf"^\s*{re.escape(description)}\s*$"))


def widget_area(lab, kind, description, has_text=None):
    """The output area holding a ``.widget-<kind>`` control labelled ``description`` (and,
    if given, some text), scrolled into view, and that control."""
    page = lab.page
    control = page.locator(f".widget-{kind}", has=_label(page, description))
    area = page.locator(".jp-Cell-outputArea").filter(has=control)
    if has_text is not None:
        area = area.filter(has_text=has_text)
    area = area.first
    area.wait_for()
    area.scroll_into_view_if_needed()
    return area, control_in(area, kind, description)


def control_in(area, kind, description):
    return area.locator(f".widget-{kind}", has=_label(area.page, description)).first


def readout(slider):
    """The slider's readout text (d3-format writes a minus sign as U+2212; here: '-')."""
    return slider.locator(".widget-readout").inner_text().strip().replace("\u2212", "-")


def wait_readout(lab, slider, text):
    lab.page.wait_for_function("([el, text]) => el.textContent.trim().replace('\u2212', '-') === text",
                               arg=[slider.locator(".widget-readout").element_handle(), text])


def drag_slider(lab, slider, fraction):
    """Drag the slider's handle with the mouse to ``fraction`` of its track (0 = left end,
    1 = right end; beyond the ends the value stops at min / max)."""
    handle = slider.locator(".noUi-handle").first
    track = slider.locator(".noUi-base").first
    h, t = handle.bounding_box(), track.bounding_box()
    mouse = lab.page.mouse
    mouse.move(h["x"] + h["width"] / 2, h["y"] + h["height"] / 2)
    mouse.down()
    x = t["x"] + fraction * t["width"]
    mouse.move(x, h["y"] + h["height"] / 2, steps=8)
    mouse.up()


def press_on_slider(slider, *keys):
    """Focus the slider's handle (as Tab does) and press ``keys``, e.g. ArrowRight, End."""
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    for key in keys:
        handle.press(key)


def type_into_slider(slider, text):
    """Type ``text`` into the slider's readout, as a learner can, and press Enter
    (as ``set_slider`` in test_lessons_browser.py)."""
    box = slider.locator(".widget-readout")
    box.click()
    box.press("Control+A")
    box.type(text)
    box.press("Enter")


# ---------------------------------------------------------------------------------------
# The picture and the kernel
# ---------------------------------------------------------------------------------------
def image_of(lab, area):
    """The area's ``ipywidgets.Image``, once it shows a decoded picture."""
    image = area.locator("img.widget-image").first
    lab.page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                               arg=image.element_handle())
    return image


def accessible_name(element):
    """The name of ``element`` (a locator of an image) for screen readers, as Playwright's
    role selectors compute it (the ARIA name computation: an image's ``alt``, else its
    ``title``): the text it has, if the image is found under that name; "" when not. (Works
    with the oldest supported Playwright, 1.40, which has no ARIA snapshots.)"""
    text = element.get_attribute("alt") or element.get_attribute("title") or ""
    if not text:
        return ""
    named = element.page.get_by_role("img", name=text, exact=True).element_handles()
    return text if element.evaluate("(e, named) => named.includes(e)", named) else ""


def shown_png(lab, image):
    """``(src, sha256 hex, width, height)`` of the PNG the image shows, read in the page."""
    return lab.page.evaluate("""async (img) => {
        const src = img.src;
        const bytes = await (await fetch(src)).arrayBuffer();
        const digest = await crypto.subtle.digest('SHA-256', bytes);
        const hex = [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('');
        return [src, hex, img.naturalWidth, img.naturalHeight];
    }""", image.element_handle())


def kernel_run(lab, code, timeout=WIDGET_TIMEOUT):
    """Run ``code`` in the notebook's kernel outside any cell; return what it printed.

    Shell messages are handled in order, so by the time this runs the kernel has handled
    every widget message the browser sent before.
    """
    result = lab.page.evaluate("""async ([code, timeout]) => {
        const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
        const future = kernel.requestExecute({code, silent: false, store_history: false});
        let out = '', err = null;
        future.onIOPub = (msg) => {
            const t = msg.header.msg_type;
            if (t === 'stream') out += msg.content.text;
            if (t === 'error') err = msg.content.traceback.join('\\n');
        };
        const t = new Promise(r => setTimeout(() => r('timeout'), timeout));
        const done = await Promise.race([future.done.then(() => 'done'), t]);
        return {done, out, err};
    }""", [code, timeout * 1000])
    assert result["done"] == "done", f"the kernel did not answer within {timeout} s"
    if result["err"] is not None:
        pytest.fail("the kernel raised:\n" + ANSI.sub("", result["err"]))
    return result["out"]


# Kernel-side: the widget is the last cell result that is a VBox holding controls with
# these descriptions. Read its controls' values into ``v``, run ``setup`` (may define
# names), then evaluate each expression of ``exprs``: bytes (a PNG) are reported by their
# SHA-256, anything else as text. ``basics`` and ``live`` are the lesson widget modules.
_KERNEL_PROBE = """
def __course_probe(descriptions, setup, exprs):
    import hashlib, json, ipywidgets
    from course_lib.widgets import basics, live
    def controls(box):
        found, stack = {}, [box]
        while stack:
            w = stack.pop()
            if isinstance(w, ipywidgets.Box):
                stack.extend(w.children)
            elif getattr(w, 'description', '') and hasattr(w, 'value'):
                found[w.description] = w.value
        return found
    boxes = [o for _, o in sorted(Out.items()) if isinstance(o, ipywidgets.VBox)
             and set(descriptions) <= set(controls(o))]
    assert boxes, f'no widget with controls {descriptions} among the cell results'
    ns = {'v': controls(boxes[-1]), 'basics': basics, 'live': live}
    exec(setup, ns)
    answer = {'values': {d: ns['v'][d] for d in descriptions}}
    for name, expr in exprs.items():
        value = eval(expr, ns)
        answer[name] = hashlib.sha256(value).hexdigest() if isinstance(value, bytes) else str(value)
    print(json.dumps(answer))
__course_probe(%r, %r, %r)
del __course_probe
"""


def kernel_widget(lab, descriptions, setup="", **exprs):
    """Ask the kernel about the widget with controls ``descriptions``: returns a dict with
    ``values`` (the values of those controls, by description) and each of ``exprs`` evaluated
    there (Python source over ``v``, those values; a PNG comes back as its SHA-256)."""
    out = kernel_run(lab, _KERNEL_PROBE % (list(descriptions), setup, exprs))
    return json.loads(out.strip().splitlines()[-1])


def wait_picture(lab, image, sha256, timeout=WIDGET_TIMEOUT):
    """Wait until ``image`` shows the PNG with this SHA-256 (the widget may show older
    pictures on the way); return its ``src``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    deadline = time.monotonic() + timeout
    while True:
        src, shown, width, height = shown_png(lab, image)
        if shown == sha256:
            return src
        assert time.monotonic() < deadline, \
            f"after {timeout} s the picture is still not the expected one ({width}x{height} px shown)"
        # wait for the next picture (bounded); then compare again
        try:
            lab.page.wait_for_function("([img, src]) => img.src !== src && img.complete",
                                       arg=[image.element_handle(), src], timeout=5_000)
        except PlaywrightTimeoutError:  # no newer picture within 5 s: check the deadline, wait on
            pass


def wait_text(lab, locator, pattern, timeout=WIDGET_TIMEOUT):
    """Wait until ``locator``'s text matches ``pattern`` (a regex); return the text."""
    lab.page.wait_for_function("([el, p]) => new RegExp(p).test(el.innerText)",
                               arg=[locator.element_handle(), pattern], timeout=timeout * 1000)
    return locator.inner_text()


# ---------------------------------------------------------------------------------------
# Lesson 00: the environment check's live test slider
# ---------------------------------------------------------------------------------------
def test_lesson00_test_slider_drag_and_keys_change_the_text(lab):
    lab.open("00_welcome.ipynb")
    area, slider = widget_area(lab, "slider", "drag me")
    label = area.locator(".widget-label", has_text="The slider is at").first
    assert readout(slider) == "3"
    assert label.inner_text().strip() == "The slider is at 3; its square is 9."
    lab.shot("before", area)

    drag_slider(lab, slider, 1.2)          # past the right end: the maximum, 10
    wait_readout(lab, slider, "10")
    wait_text(lab, label, r"^The slider is at 10; its square is 100\.$")
    lab.shot("after-drag", area)

    press_on_slider(slider, "ArrowLeft", "ArrowLeft", "ArrowLeft")
    wait_readout(lab, slider, "7")
    wait_text(lab, label, r"^The slider is at 7; its square is 49\.$")
    lab.shot("after-keys", area)
    kernel = kernel_widget(lab, ["drag me"], text="envcheck.describe_slider(v['drag me'])",
                           setup="from course_lib import envcheck")
    assert kernel["values"]["drag me"] == 7, f"the kernel's slider is at {kernel['values']}, the page shows 7"
    assert kernel["text"] == label.inner_text().strip()


# ---------------------------------------------------------------------------------------
# Lessons 01-03: sliders redraw a picture (course_lib/widgets/basics.py)
# ---------------------------------------------------------------------------------------
NEURON_PICTURE = "basics.neuron_png(v['w1'], v['w2'], v['b'], v['gate'].lower())"


def check_picture(lab, image, descriptions, picture, old_src=None, expect=None):
    """Wait until the kernel's controls have the values the page shows (``expect(values)``
    is true: the page sends a control's changes one at a time, so the last one can reach
    the kernel a little later), then until ``image`` shows exactly the picture the
    lesson's view function draws for them there; returns ``(kernel values, src)``."""
    deadline = time.monotonic() + WIDGET_TIMEOUT
    while True:
        kernel = kernel_widget(lab, descriptions, picture=picture)
        if expect is None or expect(kernel["values"]):
            break
        assert time.monotonic() < deadline, f"the kernel's controls never reached the page's: {kernel['values']}"
        lab.page.wait_for_timeout(200)
    src = wait_picture(lab, image, kernel["picture"])
    if old_src is not None:
        assert src != old_src, "the picture was not replaced"
    return kernel["values"], src


def test_lesson01_neuron_sliders_redraw_the_line(lab):
    lab.open("01_neuron.ipynb")
    area, w1 = widget_area(lab, "slider", "w1")
    w2, b = control_in(area, "slider", "w2"), control_in(area, "slider", "b")
    names = ["w1", "w2", "b", "gate"]
    image = image_of(lab, area)
    values, src = check_picture(lab, image, names, NEURON_PICTURE)
    assert values == {"w1": 1.0, "w2": 1.0, "b": -1.5, "gate": "AND"}
    assert (readout(w1), readout(w2), readout(b)) == ("1.0", "1.0", "-1.5")
    shot = lab.shot("before", area)

    drag_slider(lab, w1, 0.8)                 # w1: mouse drag to the right
    lab.page.wait_for_function("(el) => el.textContent.trim() !== '1.0'",
                               arg=w1.locator(".widget-readout").element_handle())
    shown = readout(w1)
    values, src = check_picture(lab, image, names, NEURON_PICTURE, src,
                                expect=lambda v: f"{v['w1']:.1f}" == shown)
    assert values["w1"] > 2, f"dragging w1 to the right gave w1 = {values['w1']}"
    lab.shot("after-w1", area)

    press_on_slider(w2, "ArrowLeft", "ArrowLeft")   # w2: two key presses, 0.1 each
    wait_readout(lab, w2, "0.8")
    values, src = check_picture(lab, image, names, NEURON_PICTURE, src,
                                expect=lambda v: v["w2"] == pytest.approx(0.8))

    type_into_slider(b, "-3.5")                 # b: typed into the readout
    wait_readout(lab, b, "-3.5")
    values, src = check_picture(lab, image, names, NEURON_PICTURE, src,
                                expect=lambda v: v["b"] == pytest.approx(-3.5))
    assert lab.shot("after-all", area) != shot
    print(f"\nlesson 01: neuron widget now at {values}")


def test_lesson02_hidden_units_redraw_the_decision_regions(lab):
    lab.open("02_network.ipynb")
    area, slider = widget_area(lab, "slider", "hidden units")
    names = ["hidden units", "data"]
    picture = "basics.network_png(v['hidden units'], v['data'])"
    image = image_of(lab, area)
    values, src = check_picture(lab, image, names, picture)
    assert values == {"hidden units": 2, "data": "xor"}
    shot = lab.shot("before", area)

    press_on_slider(slider, "End")              # keyboard: the largest network, 8 units
    wait_readout(lab, slider, "8")
    values, src = check_picture(lab, image, names, picture, src,
                                expect=lambda v: v["hidden units"] == 8)
    assert lab.shot("after", area) != shot


def test_lesson03_prediction_slider_moves_loss_and_gradient(lab):
    lab.open("03_loss.ipynb")
    area, slider = widget_area(lab, "slider", "p")
    names = ["p", "target y"]
    picture = "basics.loss_png(v['p'], v['target y'])"
    image = image_of(lab, area)
    values, src = check_picture(lab, image, names, picture)
    assert values == {"p": 0.1, "target y": 1}
    shot = lab.shot("before", area)

    type_into_slider(slider, "0.9")             # a confident, right prediction
    wait_readout(lab, slider, "0.900")
    values, src = check_picture(lab, image, names, picture, src,
                                expect=lambda v: v["p"] == pytest.approx(0.9))
    lab.shot("after-p", area)

    toggle = control_in(area, "toggle-buttons", "target y")
    toggle.get_by_role("button", name="0", exact=True).click()   # now confident and wrong
    values, src = check_picture(lab, image, names, picture, src,
                                expect=lambda v: v["target y"] == 0)
    assert lab.shot("after-target", area) != shot


# ---------------------------------------------------------------------------------------
# Lessons 07 and 08: live widgets retrain in the background (course_lib/widgets/live.py)
# ---------------------------------------------------------------------------------------
def plain(html_text):
    """HTML status text as the page shows it: no tags, entities decoded, plain spaces."""
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", html_text)).split())


def check_live(lab, image, status, descriptions, setup, expect=None, old_src=None):
    """Like ``check_picture`` for a live widget: once the kernel has the page's values,
    compute there (``setup`` defines ``r``, the widget's result for ``v``) the status text
    and picture the widget must end up showing, and wait until the page shows both (the
    widget may show older results on the way: a newer request supersedes them).
    Returns ``(kernel values, shown status text, src)``."""
    deadline = time.monotonic() + WIDGET_TIMEOUT
    while True:
        kernel = kernel_widget(lab, descriptions, setup=setup, status="describe(r)",
                               picture="live.figure_png(render(r))")
        if expect is None or expect(kernel["values"]):
            break
        assert time.monotonic() < deadline, f"the kernel's controls never reached the page's: {kernel['values']}"
        lab.page.wait_for_timeout(200)
    want = plain(kernel["status"])
    lab.page.wait_for_function(
        "([el, want]) => el.innerText.replace(/\\s+/g, ' ').trim().startsWith(want + ' (updated in')",
        arg=[status.element_handle(), want], timeout=WIDGET_TIMEOUT * 1000)
    src = wait_picture(lab, image, kernel["picture"])
    if old_src is not None:
        assert src != old_src, "the picture was not replaced"
    return kernel["values"], " ".join(status.inner_text().split()), src


def number_after(text, words):
    m = re.search(rf"{words}\s+([-+]?\d[\d.]*(?:e[-+]?\d+)?)", text)
    assert m, f"no number after {words!r} in {text!r}"
    return float(m.group(1))


BARS = ("from course_lib import experiments\n"
        "r = experiments.gradient_bars_for(v['depth'], v['activation'], v['init'])\n"
        "describe, render = live._describe_bars, live.render_gradient_bars")


def test_lesson07_depth_activation_init_redraw_the_gradient_bars(lab):
    lab.open("07_vanishing_gradients.ipynb")
    area, depth = widget_area(lab, "slider", "depth", has_text="ratio first / last")
    activation = control_in(area, "dropdown", "activation").locator("select")
    init = control_in(area, "dropdown", "init").locator("select")
    status = area.locator(".widget-html", has_text="ratio first / last").first
    names = ["depth", "activation", "init"]
    image = image_of(lab, area)
    values, text, src = check_live(lab, image, status, names, BARS)
    assert values == {"depth": 10, "activation": "sigmoid", "init": "xavier"}
    sigmoid_ratio = number_after(text, "ratio first / last")
    assert sigmoid_ratio < 1e-4, f"10 sigmoid layers should vanish: first / last = {sigmoid_ratio}"
    lab.shot("before", area)

    activation.select_option("relu")            # two changes in a row: the newest wins
    init.select_option("he")
    values, text, src = check_live(lab, image, status, names, BARS, old_src=src,
                                   expect=lambda v: (v["activation"], v["init"]) == ("relu", "he"))
    relu_ratio = number_after(text, "ratio first / last")
    assert relu_ratio > 1e-2, f"ReLU with He init should keep the gradient: first / last = {relu_ratio}"
    lab.shot("after-relu-he", area)

    press_on_slider(depth, "End")               # keyboard: the deepest network, 20 layers
    wait_readout(lab, depth, "20")
    values, text, src = check_live(lab, image, status, names, BARS, old_src=src,
                                   expect=lambda v: v["depth"] == 20)
    deep_ratio = number_after(text, "ratio first / last")
    assert deep_ratio > 1e-2, f"20 ReLU layers with He init: first / last = {deep_ratio}"
    lab.shot("after-depth", area)
    print(f"\nlesson 07: first / last gradient, 10 layers sigmoid/xavier {sigmoid_ratio:.2e}, "
          f"relu/he {relu_ratio:.2e}; 20 layers relu/he {deep_ratio:.2e}")


REG = ("from course_lib import experiments\n"
       "r = experiments.retrain_with_regularization(v['regularizer'], v['strength'])\n"
       "describe, render = live._describe_reg, live.render_regularization")


def test_lesson08_regularizer_and_strength_retrain(lab):
    lab.open("08_regularization.ipynb")
    area, strength = widget_area(lab, "slider", "strength", has_text="gap")
    kind = control_in(area, "dropdown", "regularizer").locator("select")
    status = area.locator(".widget-html", has_text="gap").first
    names = ["regularizer", "strength"]
    image = image_of(lab, area)
    values, text, src = check_live(lab, image, status, names, REG)
    assert values == {"regularizer": "L2", "strength": 0.5}
    assert text.startswith("L2, λ = 0.0100:")
    gap_half = number_after(text, "gap")
    assert strength.locator(".noUi-target[disabled]").count() == 0
    lab.shot("before", area)

    press_on_slider(strength, "End")            # keyboard: the strongest L2
    wait_readout(lab, strength, "1.00")
    values, text, src = check_live(lab, image, status, names, REG, old_src=src,
                                   expect=lambda v: v["strength"] == 1.0)
    assert text.startswith("L2, λ = 0.0200:")
    gap_full = number_after(text, "gap")
    lab.shot("after-strength", area)

    kind.select_option("none")                  # no regularizer: the gap opens
    values, text, src = check_live(lab, image, status, names, REG, old_src=src,
                                   expect=lambda v: v["regularizer"] == "none")
    assert text.startswith("no regularization:")
    gap_none = number_after(text, "gap")
    lab.shot("after-none", area)
    # "none" has no strength: the slider is greyed out
    lab.page.wait_for_function(
        "(el) => el.querySelector('.noUi-target').hasAttribute('disabled')"
        " && el.querySelector('.widget-readout').contentEditable === 'false'",
        arg=strength.element_handle())
    assert gap_none > gap_half > gap_full, \
        f"validation - train gap: none {gap_none}, L2 0.5 {gap_half}, L2 1.0 {gap_full}"
    print(f"\nlesson 08: gap none {gap_none}, L2 0.5 {gap_half}, L2 1.0 {gap_full}")
