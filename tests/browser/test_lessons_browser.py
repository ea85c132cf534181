"""Lessons 05 and 06 in Chromium: moving a control retrains, and the shown loss changes.

Both lessons' widgets (course_lib/widgets/live.py) show a status line such as
``final loss 0.2500`` (or ``final loss diverged``) next to controls that carry a description.
"""
import re

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


def wait_loss(lab, area, not_equal=None):
    """Wait until the area shows a final loss (different from ``not_equal``); return it."""
    lab.page.wait_for_function(
        """([el, old, pattern]) => {
            const m = new RegExp(pattern, 'i').exec(el.innerText);
            return m && m[1] !== old;
        }""", arg=[area.element_handle(), not_equal, FINAL_LOSS], timeout=60_000)
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
    print(f"\nlesson 06: activation {current} -> {target}: final loss {before} -> {after}")
