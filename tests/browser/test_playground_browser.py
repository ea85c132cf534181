"""Lesson 09 in Chromium: the playground renders, and step / play / pause / controls react."""
import re
import time
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

EPOCH = re.compile(r"epoch (\d+)")


def epoch_of(label, seconds=10):
    """The epoch the label shows; waits for the counter, since the label may still be empty
    right after the widget appears."""
    deadline = time.monotonic() + seconds
    while True:
        text = label.inner_text()
        m = EPOCH.search(text)
        if m or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert m, f"no epoch counter in {text!r}"
    return int(m.group(1))


def test_playground_step_play_pause_and_controls(lab):
    page = lab.open("09_playground.ipynb")
    out = lab.output_with(".playground-play")
    out.scroll_into_view_if_needed()
    label, image = out.locator(".playground-epoch"), out.locator("img.playground-image")
    label.wait_for()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert epoch_of(label) == 0
    src0, shot0 = image.get_attribute("src"), lab.shot("0-start", image)
    lab.shot("0-widget", out)

    # step: one frame's worth of epochs, a new picture
    out.locator("button.playground-step").click()
    page.wait_for_function("(el) => /^epoch 1:/.test(el.textContent)", arg=label.element_handle())
    page.wait_for_function("([img, src]) => img.src !== src", arg=[image.element_handle(), src0])
    src1, shot1 = image.get_attribute("src"), lab.shot("1-after-step", image)
    assert shot1 != shot0, "the picture did not change after a step"

    # play: count the picture's updates in the browser for a fixed time, then pause
    page.evaluate("""(img) => {
        window.__frames = 0;
        new MutationObserver(() => { window.__frames += 1; })
            .observe(img, {attributes: true, attributeFilter: ['src']});
    }""", image.element_handle())
    out.locator("button.playground-play").click()
    page.wait_for_function("(el) => { const m = /epoch (\\d+)/.exec(el.textContent); return m && +m[1] >= 10; }",
                           arg=label.element_handle())
    t0, f0 = time.monotonic(), page.evaluate("window.__frames")
    page.wait_for_timeout(3000)
    frames, seconds = page.evaluate("window.__frames") - f0, time.monotonic() - t0
    playing_epoch = epoch_of(label)
    shot2 = lab.shot("2-playing", image)
    lab.shot("2-widget-playing", out)
    play = out.locator("button.playground-play")
    assert play.inner_text().strip() == "playing" and play.is_disabled(), "playing looks like paused"
    out.locator("button.playground-pause").click()
    page.wait_for_function("(el) => el.textContent.trim() === 'play' && !el.disabled",
                           arg=play.element_handle(), timeout=10_000)
    rate = frames / seconds
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "playground-browser-rate.txt").write_text(
        f"{frames} picture updates in {seconds:.2f} s while playing: {rate:.1f} per second "
        f"(epoch {playing_epoch})\n")
    print(f"\nplayground in Chromium: {rate:.1f} picture updates per second")
    assert playing_epoch > 10 and frames >= 5, f"play did not keep training/redrawing ({frames} frames)"
    assert shot2 != shot1

    # paused: the counter stops
    page.wait_for_timeout(500)
    paused = epoch_of(label)
    page.wait_for_timeout(1000)
    assert epoch_of(label) == paused, "the epoch counter kept moving after pause"

    # learning rate: takes effect without a restart (epochs continue)
    out.locator(".playground-learning-rate select").select_option(label="0.3")
    out.locator("button.playground-step").click()
    page.wait_for_function("([el, n]) => (/epoch (\\d+)/.exec(el.textContent) || [0, -1])[1] == n + 1",
                           arg=[label.element_handle(), paused])

    # activation: a different network, so it resets to epoch 0
    out.locator(".playground-activation select").select_option("relu")
    page.wait_for_function("(el) => el.textContent.trim() === 'epoch 0'", arg=label.element_handle())
    lab.shot("3-after-activation-change", out)
