"""Every widget picture of lessons 04-10 has no text smaller than 10 CSS pixels at the size
the widget shows it (lessons 01-03: tests/test_widgets_basics.py). A text of ``s`` points in a
figure shown at ``p`` CSS pixels per inch is ``s * p / 72`` pixels tall."""
import numpy as np
import pytest

from course_lib import MSE, datasets, experiments, mlp
from course_lib.plots import CSS_DPI, OUTPUT_WIDTH, css_width, figure_png, smallest_text

pytest.importorskip("ipywidgets")


def smallest_text_px(fig, css_px_per_inch):
    figure_png(fig)                                    # lay the text out as it is drawn
    px, text = smallest_text(fig, css_px_per_inch)
    assert text, "no text found"
    return px, text


def shown_per_inch(image, fig):
    """CSS pixels per figure inch: the Image's width over the figure's width. The width fits
    a notebook's output (a wider picture would be shrunk, its text with it)."""
    width = int(str(image.width or image.layout.width).removesuffix("px"))
    assert width <= OUTPUT_WIDTH, f"a {width} px picture is shrunk to {OUTPUT_WIDTH} px"
    return width / fig.get_figwidth()


def test_stepper_lesson04():
    from course_lib.widgets.stepper import backprop_stepper, stepper_figure

    stepper = backprop_stepper(mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=0),
                               [0.5, -1.0], 1.0, MSE(), lr=0.1)
    for _ in range(30):                                 # gradients and new weights in the labels
        stepper.on_next()
    fig = stepper_figure(stepper.model, stepper.steps, stepper.position, x=stepper.x, lesson=stepper.lesson)
    assert shown_per_inch(stepper.image, fig) == CSS_DPI
    px, text = smallest_text_px(fig, CSS_DPI)
    assert px >= 10, f"{px:.1f} px: {text!r}"


@pytest.mark.parametrize("lesson, compute, render", [
    ("05", lambda: experiments.retrain_for_lr(0.1, "sgd"), "render_gradient_descent"),
    ("06", lambda: experiments.retrain_for_activation("relu", 0.4), "render_activation"),
    ("07", lambda: experiments.gradient_bars_for(10, "sigmoid", "xavier"), "render_gradient_bars"),
    ("08", lambda: experiments.retrain_with_regularization("L2", 0.5), "render_regularization"),
])
def test_live_widgets_lessons_05_to_08(lesson, compute, render):
    from course_lib.widgets import live

    fig = getattr(live, render)(compute())          # shown at plots.css_width(fig): CSS_DPI per inch
    assert css_width(fig) <= OUTPUT_WIDTH, f"lesson {lesson}: {css_width(fig)} px is shrunk"
    px, text = smallest_text_px(fig, CSS_DPI)
    assert px >= 10, f"lesson {lesson}: {px:.1f} px: {text!r}"


def test_playground_lesson09():
    from course_lib.widgets.playground import Playground

    pg = Playground(dataset="circle", hidden=(4, 2), seed=0)
    fig = pg.renderer.figure
    assert shown_per_inch(pg.image, fig) == pg.renderer.dpi    # the renderer's 1x: CSS pixels
    assert fig.dpi == 2 * pg.renderer.dpi                      # standing still: drawn at 2x
    px, text = smallest_text_px(fig, pg.renderer.dpi)
    assert px >= 10, f"{px:.1f} px: {text!r}"


def test_digits_lesson10():
    from course_lib.widgets import digits

    X, y = datasets.load_digits()
    widget = digits.digit_widget(mlp([64, 8, 10], seed=0), X[:5], y[:5])
    fig = digits.digit_view(widget.model, widget.digit, label=widget.label, show_input=False)
    per_inch = shown_per_inch(widget.image, fig)
    assert per_inch == 80
    px, text = smallest_text_px(fig, per_inch)
    assert px >= 10, f"{px:.1f} px: {text!r}"
    assert np.array_equal(widget.digit, X[0])
