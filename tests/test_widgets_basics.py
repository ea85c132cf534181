"""Lessons 01-04 widgets, driven through their plain callback functions (no browser)."""
import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from course_lib.activations import sigmoid  # noqa: E402
from course_lib import datasets  # noqa: E402
from course_lib.widgets import basics  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _line_xy(fig):
    """x and y data of the first 2-D line on the first axes (the decision line)."""
    line = fig.axes[0].get_lines()[0]
    return np.asarray(line.get_xdata()), np.asarray(line.get_ydata())


def test_exports_are_public_and_listed():
    for name in basics.__all__:
        assert hasattr(basics, name), name
    import course_lib.widgets as widgets

    for name in ("neuron_view", "network_view", "loss_view", "neuron_widget"):
        assert hasattr(widgets, name)


def test_neuron_view_returns_figure_with_plane_and_surface():
    fig = basics.neuron_view(1.0, 1.0, -1.5, gate="and")
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2
    assert fig.axes[1].name == "3d"
    assert fig.axes[0].get_title() == "AND: 4/4 correct"
    assert basics.figure_png(fig).startswith(PNG_MAGIC)


def test_neuron_surface_title_in_plain_text_with_true_minus_signs():
    fig = basics.neuron_view(-1.0, 2.0, -0.04)
    titles = [ax.get_title() for ax in fig.axes]
    assert "a = σ(−1.0 x₁ + 2.0 x₂ + 0.0)" in titles          # -0.04 rounds to 0.0, not −0.0
    assert "$" not in "".join(titles)                           # no mathtext to lay out per redraw
    assert basics._number(2.25, sign=True) == "+ 2.2" and basics._number(-3.0) == "−3.0"


@pytest.mark.parametrize("w1, w2, b", [(1.0, 1.0, -1.5), (2.0, -1.0, 0.3), (0.0, 3.0, -1.0)])
def test_neuron_view_line_is_where_output_is_one_half(w1, w2, b):
    xs, ys = _line_xy(basics.neuron_view(w1, w2, b))
    z = w1 * xs + w2 * ys + b
    np.testing.assert_allclose(z, 0.0, atol=1e-9)
    np.testing.assert_allclose(sigmoid(z), 0.5, atol=1e-9)


def test_neuron_view_moves_with_the_bias():
    xs1, ys1 = _line_xy(basics.neuron_view(1.0, 1.0, -0.5))
    xs2, ys2 = _line_xy(basics.neuron_view(1.0, 1.0, -1.5))
    # same direction, shifted: x1 + x2 = 0.5 versus x1 + x2 = 1.5
    np.testing.assert_allclose(xs1 + ys1, 0.5)
    np.testing.assert_allclose(xs2 + ys2, 1.5)


def test_neuron_view_surface_follows_weights():
    fig = basics.neuron_view(0.0, 0.0, 2.0)   # constant output sigmoid(2)
    surface = fig.axes[1].collections[0]
    heights = np.asarray(surface.get_array())  # the height of each face, coloured by cmap
    np.testing.assert_allclose(heights, float(sigmoid(2.0)))
    fig = basics.neuron_view(3.0, 0.0, -1.5)   # output rises with x1
    heights = np.asarray(fig.axes[1].collections[0].get_array())
    assert heights.min() < 0.1 and heights.max() > 0.9


def test_neuron_view_zero_weights_draws_no_line_and_does_not_fail():
    fig = basics.neuron_view(0.0, 0.0, 0.0, gate="xor")
    assert not any(line.get_visible() for line in fig.axes[0].get_lines())
    assert fig.axes[0].get_title() == "XOR: 2/4 correct"
    assert basics.figure_png(fig).startswith(PNG_MAGIC)


@pytest.mark.parametrize("gate, best", [("and", 4), ("or", 4), ("nand", 4), ("nor", 4), ("xor", 3)])
def test_best_line_separates_everything_but_xor(gate, best):
    correct, (w1, w2, b) = basics.best_line(gate)
    assert correct == best
    fig = basics.neuron_view(w1, w2, b, gate=gate)
    assert fig.axes[0].get_title() == f"{gate.upper()}: {best}/4 correct"


def test_best_line_breaks_margin_ties_by_order_not_by_rounding():
    # XOR's best lines come in symmetric pairs with equal margins: the first in (angle,
    # offset) order wins, so lesson 01 prints the same example line on every machine
    _, (w1, w2, b) = basics.best_line("xor")
    assert (w1, w2, b) == pytest.approx((-np.sqrt(0.5), -np.sqrt(0.5), 1.06))
    X, y = datasets.logic_gate("xor")
    assert (((X @ [w1, w2] + b) > 0) == y).sum() == 3


def test_network_view_more_hidden_units_fit_xor_better():
    one = basics.network_view(1, "xor")
    four = basics.network_view(4, "xor")
    assert isinstance(one, Figure) and isinstance(four, Figure)
    loss1 = basics.train_hidden_network(1, "xor")[1].train_loss[-1]
    loss4 = basics.train_hidden_network(4, "xor")[1].train_loss[-1]
    assert loss4 < 0.5 * loss1
    assert "4 hidden units" in four.axes[0].get_title()
    acc = int(four.axes[0].get_title().split("accuracy ")[1].rstrip("%"))
    assert acc >= 90


def test_network_view_is_reproducible_and_cached():
    a = basics.train_hidden_network(3, "circle")
    b = basics.train_hidden_network(3, "circle")
    assert a is b
    basics.train_hidden_network.cache_clear()
    c = basics.train_hidden_network(3, "circle")
    assert c[1].train_loss == a[1].train_loss


@pytest.mark.parametrize("z, y", [(-6.0, 1), (0.3, 0), (4.0, 1)])
def test_preactivation_gradients_match_closed_forms(z, y):
    g = basics.preactivation_gradients(z, y)
    p = float(sigmoid(z))
    assert g["mse"]["loss"] == pytest.approx((p - y) ** 2)
    assert g["mse"]["dL_dz"] == pytest.approx(2 * (p - y) * p * (1 - p))
    assert g["bce"]["loss"] == pytest.approx(-(y * np.log(p) + (1 - y) * np.log(1 - p)))
    assert g["bce"]["dL_dz"] == pytest.approx(p - y)


def test_confidently_wrong_mse_gradient_vanishes_cross_entropy_does_not():
    g = basics.preactivation_gradients(-6.0, 1)
    assert abs(g["mse"]["dL_dz"]) < 0.01
    assert abs(g["bce"]["dL_dz"]) > 0.99
    assert abs(g["bce"]["dL_dz"]) / abs(g["mse"]["dL_dz"]) > 100


@pytest.mark.parametrize("p, y", [(0.1, 1), (0.5, 0), (0.999, 1), (0.001, 0)])
def test_loss_view_marks_the_current_prediction(p, y):
    fig = basics.loss_view(p, y)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    g = basics.preactivation_gradients(np.log(p) - np.log1p(-p), y)
    # the marker on the gradient panel sits at (p, dL/dz) for each loss
    markers = [line for line in fig.axes[1].get_lines() if line.get_marker() in ("o", "D")]
    got = sorted(float(m.get_ydata()[0]) for m in markers)
    want = sorted([g["mse"]["dL_dz"], g["bce"]["dL_dz"]])
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-12)
    assert f"{g['bce']['dL_dz']:+.4f}" in fig.axes[1].get_title()


def test_widgets_build_and_react():
    ipywidgets = pytest.importorskip("ipywidgets")
    box = basics.neuron_widget()
    image = box.children[-1]
    assert isinstance(image, ipywidgets.Image)
    before = image.value
    sliders = box.children[0].children[0].children
    sliders[2].value = 2.0                      # move b: redrawn in the background
    assert image.retrainer.wait(60)
    assert image.value != before and bytes(image.value).startswith(PNG_MAGIC)
    assert image.value == basics.neuron_png(1.0, 1.0, 2.0, "and")

    box = basics.network_widget(n_hidden=2)
    image = box.children[-1]
    before = image.value
    box.children[0].children[0].value = 3       # hidden units
    assert image.retrainer.wait(60)
    assert image.value != before

    box = basics.loss_widget(p=0.1, y=1)
    image = box.children[-1]
    before = image.value
    box.children[0].children[0].value = 0.9     # prediction
    assert image.retrainer.wait(60)
    assert image.value != before


# ---------------------------------------------------------------------------------------
# Redraw while dragging: cheap redraws, newest value wins, same picture as a fresh one
# ---------------------------------------------------------------------------------------
def _png_size(png):
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


@pytest.mark.parametrize("make, first, then", [
    (lambda: basics.NeuronPicture("or"), (1.0, 1.0, -1.5), (-2.0, 0.5, 0.7)),
    (lambda: basics.NetworkPicture("xor"), (2,), (5,)),
    (lambda: basics.LossPicture(1), (0.1,), (0.002,)),
])
def test_a_reused_picture_draws_exactly_what_a_fresh_one_does(make, first, then):
    reused = make()
    reused.draw(*first).png()
    reused.draw(*then).png()
    again = reused.draw(*first).png()
    assert again == make().draw(*first).png()           # byte for byte: nothing left behind
    assert reused.draw(*then).png() != again


def test_redraw_only_sliders_follow_the_drag():
    pytest.importorskip("ipywidgets")
    sliders = [*basics.neuron_widget().children[0].children[0].children,
               basics.network_widget().children[0].children[0],
               basics.loss_widget().children[0].children[0]]
    assert all(s.continuous_update for s in sliders)


def test_a_drag_redraws_the_newest_value_not_every_value():
    pytest.importorskip("ipywidgets")
    box = basics.loss_widget(p=0.1, y=1)
    slider, image = box.children[0].children[0], box.children[-1]
    for p in np.linspace(0.1, 0.9, 40):                # a drag: many changes at once
        slider.value = float(p)
    assert image.retrainer.wait(60)
    shown = [g for g, event in image.retrainer.log if event == "shown"]
    assert len(shown) < 40                             # stale values were skipped
    assert image.value == basics.loss_png(0.9, 1)      # the last one is shown


@pytest.mark.parametrize("build", [basics.neuron_widget, basics.network_widget, basics.loss_widget])
def test_pictures_are_crisp_at_the_size_shown(build):
    """The PNG has twice the CSS pixels of the Image (high-DPI screens), which shrinks to
    fit a narrow window but never stretches."""
    pytest.importorskip("ipywidgets")
    from course_lib.plots import SCALE

    image = build().children[-1]
    width, height = _png_size(bytes(image.value))
    assert width == SCALE * int(image.width)
    assert image.layout.max_width == "100%" and image.layout.height == "auto"


@pytest.mark.parametrize("fig", [lambda: basics.neuron_view(1.0, -2.0, 0.5, "xor"),
                                 lambda: basics.network_view(3, "moons"),
                                 lambda: basics.loss_view(0.001, 1), lambda: basics.loss_view(0.5, 0)])
def test_every_text_is_at_least_10_css_pixels(fig):
    from matplotlib.text import Text
    from course_lib.plots import CSS_DPI

    fig = fig()
    basics.figure_png(fig)
    sizes = [t.get_fontsize() * CSS_DPI / 72 for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert sizes and min(sizes) >= 10, f"smallest text {min(sizes):.1f} px"


def test_off_chart_cross_entropy_is_clipped_to_the_edge_with_its_value():
    picture = basics.LossPicture(1).draw(0.001)        # CE = 6.9, the chart ends at 5
    mark = picture.marks["loss", "bce"]
    assert mark.get_ydata()[0] == picture.LOSS_TOP and mark.get_marker() == "^"
    assert picture.clip_note.get_visible() and picture.clip_note.get_text().startswith("6.9")
    picture.draw(0.5)                                  # back on the chart: a diamond, no note
    assert mark.get_marker() == "D" and not picture.clip_note.get_visible()


# ---------------------------------------------------------------------------------------
# The stored picture of a widget cell (tools/notebooks.py execute)
# ---------------------------------------------------------------------------------------
def _executed_widget_cell(widget):
    """A notebook with one cell that displayed ``widget``, and its recorded widget state,
    as ``execute`` sees them (ipywidgets' own state export: same format as the kernel's)."""
    import nbformat
    from ipywidgets.embed import dependency_state

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("widget", metadata={"tags": ["nbval-ignore-output"]})
    cell.outputs = [nbformat.v4.new_output("execute_result", execution_count=1, data={
        "text/plain": repr(widget),
        "application/vnd.jupyter.widget-view+json": {"version_major": 2, "version_minor": 0,
                                                      "model_id": widget.model_id}})]
    nb.cells.append(cell)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "version_major": 2, "version_minor": 0, "state": dependency_state(widget, drop_defaults=False)}}
    return nb


def test_execute_stores_a_picture_and_the_run_line_instead_of_the_widget(tmp_path):
    pytest.importorskip("ipywidgets")
    import base64

    from helpers import load_tool

    tool = load_tool("notebooks")
    box = basics.loss_widget(p=0.1, y=1)
    nb = _executed_widget_cell(box)
    assert any("raw text" in r for r in tool.unclean(nb))          # the old stored form: rejected
    assert any("widgets" in r for r in tool.unclean(nb))           # so is saved widget state
    assert tool.widgets_to_pictures(nb) == 1
    tool.clean(nb)
    assert tool.unclean(nb) == []                                  # the new stored form: accepted
    line, picture = nb.cells[0].outputs
    assert line.data["text/plain"] == "Run this cell to play with it."
    assert "Run this cell to play with it." in line.data["text/markdown"]
    png = base64.b64decode(picture.data["image/png"])
    width, height = _png_size(png)
    css = int(box.children[-1].width)
    assert picture.metadata["image/png"]["width"] == width // 2
    assert width >= 2 * css                                        # the widget's picture at 2x, not shrunk
    assert "slider p = 0.100" in picture.data["text/plain"] and "VBox(" not in picture.data["text/plain"]
    assert picture.data["text/plain"].count("Left: MSE (solid, circle)") == 1   # caption = picture's alt: once
    assert picture.metadata["image/png"]["alt"] == picture.data["text/plain"]   # nbconvert classic's alt
    nbconvert = pytest.importorskip("nbconvert")
    page, _ = nbconvert.HTMLExporter(template_name="classic").from_notebook_node(nb)
    assert 'alt="[a picture of the widget before its cell runs: slider p = 0.100' in page
    from PIL import Image
    import io
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    shown = np.asarray(Image.open(io.BytesIO(bytes(box.children[-1].value))).convert("RGB"))
    # the widget's own picture sits in the stored one, pixel for pixel
    h, w = shown.shape[:2]
    x = 8                                                          # the picture's margin: 4 CSS px
    rows = [y for y in range(image.shape[0] - h + 1) if np.array_equal(image[y, x:x + w], shown[0])]
    assert any(np.array_equal(image[y:y + h, x:x + w], shown) for y in rows)



def test_lesson02_widget_networks_stay_clear_of_the_cross_entropy_clip():
    """Lesson 03 says the lesson-02 networks may keep their Sigmoid layer because their
    pre-activations stay far from BinaryCrossEntropy's clip at p = 1e-12 (|z| ~ 27.6)."""
    from course_lib.widgets.basics import NETWORK_DATASETS, train_hidden_network

    largest = 0.0
    for dataset in NETWORK_DATASETS:
        for n_hidden in range(1, 9):
            model, _, X, _ = train_hidden_network(n_hidden, dataset)
            z = X
            for layer in model.layers[:-1]:                 # all but the final Sigmoid
                z = layer.forward(z)
            largest = max(largest, float(np.abs(z).max()))
    assert largest < 27, largest


def _images(widget):
    import ipywidgets as W

    if isinstance(widget, W.Image):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from _images(child)


def test_every_widget_picture_says_what_it_shows():
    """Every picture of a lesson widget (01-10) has a text alternative: a ``DescribedImage``,
    whose ``tooltip`` the browser writes as the picture's ``title`` (screen readers read it
    as its name). The view writes it only for a model with a ``description``; a plain Image
    with a tooltip fails to render ("Click to show javascript error"), so every picture's
    synced state carries one."""
    from course_lib import MSE, datasets, mlp
    from course_lib.widgets import basics, live
    from course_lib.widgets.digits import digit_widget
    from course_lib.widgets.image import DescribedImage
    from course_lib.widgets.playground import playground
    from course_lib.widgets.stepper import backprop_stepper

    X, y = datasets.load_digits()
    stepper = backprop_stepper(mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=0),
                               [0.5, -1.0], 1.0, MSE())
    digits = digit_widget(mlp([64, 8, 10], seed=0), X[:5], y[:5])
    widgets = {"01": basics.neuron_widget(), "02": basics.network_widget(), "03": basics.loss_widget(),
               "04": stepper.widget, "05": live.gradient_descent_widget(), "06": live.activation_widget(),
               "07": live.gradient_norm_widget(), "08": live.regularization_widget(),
               "09": playground(dataset="moons", hidden=(2,), seed=0).widget, "10": digits.widget}
    for lesson, widget in widgets.items():
        images = list(_images(widget))
        assert images, lesson
        for image in images:
            assert isinstance(image, DescribedImage), lesson
            state = image.get_state()
            assert len(state["tooltip"]) > 40 and state["description"] == "", (lesson, state["tooltip"])
    # the pictures that change what they show say so
    assert "start the forward pass" in stepper.image.alt
    stepper.on_next()
    assert "Title: step 1 of" in stepper.image.alt and "forward" in stepper.image.alt
    assert "the network reads" in digits.image.alt
