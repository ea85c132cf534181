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
    assert fig.axes[0].get_lines() == []
    assert fig.axes[0].get_title() == "XOR: 2/4 correct"


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
    markers = [line for line in fig.axes[1].get_lines() if line.get_marker() == "o"]
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
    sliders[2].value = 2.0                      # move b
    assert image.value != before and bytes(image.value).startswith(PNG_MAGIC)

    box = basics.network_widget(n_hidden=2)
    image = box.children[-1]
    before = image.value
    box.children[0].children[0].value = 3       # hidden units
    assert image.value != before

    box = basics.loss_widget(p=0.1, y=1)
    image = box.children[-1]
    before = image.value
    box.children[0].children[0].value = 0.9     # prediction
    assert image.value != before
