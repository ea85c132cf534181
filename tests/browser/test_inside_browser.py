"""Issue 14 in Chromium: the playground's network diagram, its gradient toggle and neuron
inspector (lesson 09), and one full walk of the backpropagation stepper (lesson 04).

The playground draws the diagram into the left part of its picture, so "the diagram
updates while playing" is checked on screenshots of that part: they differ from frame to
frame while playing, and again when the links switch from weights to gradients. The
screenshots go to tests/browser/screenshots/ (look at them).
"""
import re

import pytest


def diagram_shot(lab, image, name):
    """A screenshot of the playground's picture (saved), and its left 45%: the network
    diagram (saved next to it, and returned as PNG bytes)."""
    import io

    from PIL import Image

    picture = Image.open(io.BytesIO(lab.shot(name, image)))
    left = picture.crop((0, 0, int(picture.width * 0.45), picture.height))
    out = io.BytesIO()
    left.save(out, format="png")
    lab.shots[-1].with_name(lab.shots[-1].stem + "-diagram.png").write_bytes(out.getvalue())
    return out.getvalue()


def wait_new_src(page, image, src):
    page.wait_for_function("([img, src]) => img.src !== src && img.complete && img.naturalWidth > 0",
                           arg=[image.element_handle(), src])
    return image.get_attribute("src")


def test_playground_diagram_plays_gradients_and_inspector(lab):
    page = lab.open("09_playground.ipynb")
    out = lab.output_with(".playground-play")
    out.scroll_into_view_if_needed()
    label, image = out.locator(".playground-epoch"), out.locator("img.playground-image")
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    start = diagram_shot(lab, image, "0-start")

    # play: the diagram changes from frame to frame
    out.locator("button.playground-play").click()
    page.wait_for_function("(el) => { const m = /epoch (\\d+)/.exec(el.textContent); return m && +m[1] >= 5; }",
                           arg=label.element_handle())
    src = image.get_attribute("src")
    playing_a = diagram_shot(lab, image, "1-playing-a")
    wait_new_src(page, image, src)
    page.wait_for_timeout(300)
    playing_b = diagram_shot(lab, image, "2-playing-b")
    assert playing_a != start and playing_b != playing_a, "the diagram did not change while playing"
    out.locator("button.playground-pause").click()
    page.wait_for_timeout(500)

    # show gradients: the links change colour (weights -> dL/dw of the last step)
    src = image.get_attribute("src")
    weights = diagram_shot(lab, image, "3-paused-weights")
    toggle = out.locator(".playground-gradients")
    toggle.click()
    wait_new_src(page, image, src)
    gradients = diagram_shot(lab, image, "4-gradients")
    assert gradients != weights, "show gradients did not change the diagram"
    assert "active" in (toggle.get_attribute("class") or "") or toggle.get_attribute("aria-pressed") == "true"

    # inspect a neuron: its incoming weights and bias appear in numbers
    from importlib.metadata import version
    if tuple(int(p) for p in version("jupyterlab").split(".")[:2]) < (4, 1):
        # measured: with JupyterLab 4.0.0 (the oldest-versions run) choosing the neuron in the
        # browser never shows its table, although the same choice in Python does
        # (tests/test_playground_inside.py); not yet understood
        pytest.skip("the neuron inspector does not answer in the browser with JupyterLab < 4.1")
    out.locator(".playground-inspect select").select_option(label="hidden 1, unit 2")
    table = out.locator(".playground-neuron-table")
    table.wait_for()
    text = table.inner_text()
    assert "hidden 1, unit 2" in text and "bias" in text and "x1" in text
    assert re.search(r"[+-]\d\.\d{4}", text), text
    lab.shot("5-inspected", out)


def test_stepper_walks_forward_backward_update(lab):
    page = lab.open("04_chain_rule.ipynb")
    out = lab.output_with(".stepper-next")
    out.scroll_into_view_if_needed()
    image = out.locator("img.stepper-image")
    # (the HTML widget replaces its content on every change: find the text anew each time)
    def wait_position(expected):
        page.wait_for_function(
            "([area, t]) => { const el = area.querySelector('.stepper-position');"
            " return el && el.textContent.trim() === t; }",
            arg=[out.element_handle(), expected])

    wait_position("0 / 37")
    lab.shot("0-start", out)

    def click_and_wait(button, expected, shot):
        src = image.get_attribute("src")
        out.locator(f"button.stepper-{button}").click()
        wait_position(expected)
        wait_new_src(page, image, src)
        return lab.shot(shot, out)

    click_and_wait("next", "1 / 37", "1-first-step")
    assert "next: sum_h2" not in out.inner_text()          # the next one is h1
    assert "next: h1" in out.inner_text()
    click_and_wait("forward", "7 / 37", "2-forward-done")
    assert "next: d_L_d_ypred (backward)" in out.inner_text()
    click_and_wait("next", "8 / 37", "3-first-backward")
    click_and_wait("backward", "28 / 37", "4-backward-done")
    click_and_wait("update", "37 / 37", "5-update-done")
    assert "all steps done" in out.inner_text()
    click_and_wait("reset", "0 / 37", "6-reset")
