"""Lessons 05 and 06 in Chromium: moving a control retrains, and the shown loss changes.

Both lessons' widgets (course_lib/widgets/live.py) show a status line such as
``final loss 0.2500`` (or ``final loss diverged``) next to controls that carry a description.
"""
import re
import time

FINAL_LOSS = r"final loss\s+(diverged|nan|inf|[-+]?\d[\d.]*(?:e[-+]?\d+)?)"


def final_loss(area):
    m = re.search(FINAL_LOSS, area.inner_text(), re.I)
    return m.group(1) if m else None


def widget_area(lab, kind, description):
    """The output area holding a ``kind`` control (slider, dropdown) labelled ``description``
    and a 'final loss' line, and that control."""
    page = lab.page
    label = page.locator("label.widget-label", has_text=re.compile(rf"^\s*{description}\s*$", re.I))
    control = page.locator(f".widget-{kind}", has=label)
    area = (page.locator(".jp-Cell-outputArea").filter(has=control)
            .filter(has_text=re.compile("final loss", re.I)).first)
    area.wait_for()
    area.scroll_into_view_if_needed()
    return area, area.locator(f".widget-{kind}", has=label).first


def status_line(area):
    """The whole line with the final loss (it also says when it was last updated)."""
    m = re.search(r"[^\n]*final loss[^\n]*", area.inner_text(), re.I)
    return m.group(0) if m else None


def wait_loss(lab, area, not_equal=None, quiet=2.0, timeout=90.0):
    """Wait until the area shows a final loss (different from ``not_equal``) and its status
    line has not changed for ``quiet`` seconds (the widget retrains in the background and
    a newer request supersedes an older one, so only a settled value is the answer to the
    last change); return the loss."""
    lab.page.wait_for_function(
        """([el, old, pattern]) => {
            const m = new RegExp(pattern, 'i').exec(el.innerText);
            return m && m[1] !== old;
        }""", arg=[area.element_handle(), not_equal, FINAL_LOSS], timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    line, since = status_line(area), time.monotonic()
    while time.monotonic() - since < quiet:
        assert time.monotonic() < deadline, f"the widget never settled; last status: {line!r}"
        lab.page.wait_for_timeout(200)
        now = status_line(area)
        if now != line:
            line, since = now, time.monotonic()
    return final_loss(area)


def set_slider(slider, text):
    """Type ``text`` into the slider's readout, as a learner can, and press Enter."""
    readout = slider.locator(".widget-readout")
    readout.click()
    readout.press("Control+A")
    readout.type(text)
    readout.press("Enter")


def test_lesson05_learning_rate_slider_changes_the_loss(lab):
    lab.open("05_gradient_descent.ipynb")
    area, slider = widget_area(lab, "slider", "learning rate")
    before = wait_loss(lab, area)
    lab.shot("before", area)
    current = slider.locator(".widget-readout").inner_text().strip()
    target = "3" if current not in ("3", "3.00", "3.0") else "0.1"   # XOR learns at 3, not at 0.1
    set_slider(slider, target)
    after = wait_loss(lab, area, not_equal=before)
    lab.shot("after", area)
    assert after != before
    print(f"\nlesson 05: learning rate {current} -> {target}: final loss {before} -> {after}")


def test_lesson06_activation_dropdown_changes_the_loss(lab):
    lab.open("06_activations.ipynb")
    area, dropdown = widget_area(lab, "dropdown", "activation")
    before = wait_loss(lab, area)
    lab.shot("before", area)
    select = dropdown.locator("select")
    current = select.input_value()
    target = "sigmoid" if current != "sigmoid" else "relu"
    select.select_option(target)
    after = wait_loss(lab, area, not_equal=before)
    lab.shot("after", area)
    assert after != before
    if {current, target} == {"relu", "sigmoid"} and "diverged" not in (before, after):
        # the lesson's point: on the spirals, sigmoid learns far less than ReLU in 300 epochs
        relu, sigmoid = (float(before), float(after)) if target == "sigmoid" else (float(after), float(before))
        assert sigmoid > 2 * relu, f"sigmoid {sigmoid} vs relu {relu}: not the new activation's result?"
    print(f"\nlesson 06: activation {current} -> {target}: final loss {before} -> {after}")
