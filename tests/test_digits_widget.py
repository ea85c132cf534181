"""Lesson 10's look inside the digits network: weight images, perturbed digits, live
probabilities (course_lib.widgets.digits), without a browser."""
import numpy as np
import pytest

from course_lib import Dense, datasets, mlp
from course_lib.widgets import digits


@pytest.fixture(scope="module")
def data():
    X, y = datasets.load_digits()
    return X[:40], y[:40]


def test_perturb_digit_shifts_and_adds_seeded_noise(data):
    X, _ = data
    image = X[3]
    np.testing.assert_array_equal(digits.perturb_digit(image), image)
    shifted = digits.perturb_digit(image, dc=1)
    np.testing.assert_array_equal(shifted.reshape(8, 8)[:, 1:], image.reshape(8, 8)[:, :-1])
    assert np.all(shifted.reshape(8, 8)[:, 0] == 0)
    noisy = digits.perturb_digit(image, noise=0.3, seed=5)
    assert np.all((noisy >= 0) & (noisy <= 1)) and not np.array_equal(noisy, image)
    np.testing.assert_array_equal(noisy, digits.perturb_digit(image, noise=0.3, seed=5))


def test_probabilities_are_the_softmax_of_the_logits(data):
    X, _ = data
    model = mlp([64, 16, 10], activation="relu", seed=0)
    mu, sigma = X.mean(axis=0), X.std(axis=0) + 1.0
    p = digits.digit_probabilities(model, X[0], lambda A: (A - mu) / sigma)
    z = model.predict(((X[0] - mu) / sigma).reshape(1, 64))[0]
    expected = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    np.testing.assert_allclose(p, expected, rtol=1e-12)
    assert p.shape == (10,) and p.sum() == pytest.approx(1.0)


def test_weight_images_and_widget(data):
    X, y = data
    model = mlp([64, 16, 10], activation="relu", seed=0)
    fig = digits.plot_first_layer_weights(model, n_units=12, n_cols=6)
    images = [im for ax in fig.axes for im in ax.get_images()]
    assert len(images) == 12 and images[0].get_array().shape == (8, 8)
    first = next(layer for layer in model.layers if isinstance(layer, Dense))
    np.testing.assert_array_equal(images[5].get_array(), first.W[:, 5].reshape(8, 8))
    with pytest.raises(ValueError, match="not the 64 pixels"):
        digits.plot_first_layer_weights(mlp([10, 4, 2], seed=0))

    widget = digits.digit_widget(model, X, y)
    image = widget.image
    before = image.value
    assert before[:8] == b"\x89PNG\r\n\x1a\n"
    widget.dc.value = 2
    shifted = image.value
    assert shifted != before
    widget.noise.value = 0.3
    assert image.value != shifted
    widget.index.value = 7
    np.testing.assert_array_equal(widget.digit, digits.perturb_digit(X[7], 0.3, 0, 2, seed=7))
    assert "test digit 7: a %d" % y[7] in widget.caption.value
    view = digits.digit_view(model, digits.perturb_digit(X[7], 0.3, 0, 2, seed=7), label=int(y[7]))
    assert "the network reads" in view.axes[1].get_title()
    bars = digits.digit_view(model, X[7], show_input=False)
    assert len(bars.axes) == 1 and "the network reads" in bars.axes[0].get_title()


def test_paint_inks_a_soft_stroke_and_the_eraser_clears_one_pixel():
    blank = np.zeros(64)
    once = digits.paint(blank, 3, 4).reshape(8, 8)
    expected = np.zeros((8, 8))
    expected[3, 4] = 1.0
    expected[2, 4] = expected[4, 4] = expected[3, 3] = expected[3, 5] = 0.5
    np.testing.assert_array_equal(once, expected)
    assert not blank.any(), "paint must not change its input"
    corner = digits.paint(blank, 0, 0).reshape(8, 8)      # neighbours off the pad are skipped
    assert corner[0, 0] == 1.0 and corner[0, 1] == corner[1, 0] == 0.5 and corner.sum() == 2.0
    # no pixel gets lighter: a half-inked neighbour of a dark pixel stays dark
    twice = digits.paint(once.ravel(), 3, 5).reshape(8, 8)
    assert twice[3, 4] == 1.0 and twice[3, 5] == 1.0 and twice[3, 6] == 0.5
    erased = digits.paint(twice.ravel(), 3, 4, ink=0.0).reshape(8, 8)
    assert erased[3, 4] == 0.0 and erased[3, 5] == 1.0 and erased[2, 4] == 0.5
    with pytest.raises(ValueError, match=r"pixel \(8, 0\) is outside the 8x8 digit"):
        digits.paint(blank, 8, 0)


def test_pad_picture_and_the_pixel_under_the_mouse():
    cell = digits.PAD_CELL * digits.SCALE
    assert digits.pad_cell(0, 0) == (0, 0)
    assert digits.pad_cell(cell - 1, 2 * cell) == (2, 0)           # (px, py): x is the column
    assert digits.pad_cell(8 * cell - 1, 8 * cell - 1) == (7, 7)
    assert digits.pad_cell(8 * cell, 0) is None and digits.pad_cell(-1, 5) is None
    from PIL import Image
    import io
    image = np.zeros(64)
    image[2 * 8 + 5] = 1.0                                          # row 2, column 5: ink
    picture = np.asarray(Image.open(io.BytesIO(digits.pad_png(image))).convert("L"))
    assert picture.shape == (8 * cell, 8 * cell)
    centre = lambda row, col: picture[row * cell + cell // 2, col * cell + cell // 2]
    assert centre(2, 5) == 0 and centre(0, 0) == 255 and centre(5, 2) == 255


def test_drawing_with_the_mouse_changes_the_digit_and_the_probabilities(data):
    X, y = data
    model = mlp([64, 16, 10], activation="relu", seed=0)
    widget = digits.digit_widget(model, X, y)
    widget.on_clear()
    assert not widget.digit.any() and "empty" in widget.caption.value
    bars, pad = widget.image.value, widget.pad.value

    shown = 8 * digits.PAD_CELL                      # the pad's CSS size: half its pixels

    def at(kind, row, col, buttons=1):
        widget.on_stroke({"type": kind, "relativeX": (col + 0.5) * digits.PAD_CELL,
                          "relativeY": (row + 0.5) * digits.PAD_CELL, "buttons": buttons,
                          "boundingRectWidth": shown, "boundingRectHeight": shown})

    at("mousedown", 1, 3)
    assert widget.digit.reshape(8, 8)[1, 3] == 1.0 and widget.pad.value != pad
    assert widget.caption.value == "<b>your drawing</b>" and widget.label is None
    assert widget.image.value != bars, "the first touch redraws the probabilities"
    at("mousemove", 2, 3)
    at("mousemove", 6, 6, buttons=0)                 # moving without the button: no ink
    at("mouseup", 2, 3)
    drawn = widget.digit.reshape(8, 8)
    assert drawn[2, 3] == 1.0 and drawn[6, 6] == 0.0
    expected = digits.digit_view(model, widget.digit, show_input=False)
    from course_lib.plots import figure_png
    assert widget.image.value == figure_png(expected, dpi=80 * digits.SCALE)
    widget.tool.value = "eraser"
    at("mousedown", 1, 3)
    assert widget.digit.reshape(8, 8)[1, 3] == 0.0
    before = widget.digit.copy()
    widget.on_stroke({"type": "mousedown", "relativeX": 9 * digits.PAD_CELL, "relativeY": 0,
                      "buttons": 1, "boundingRectWidth": shown, "boundingRectHeight": shown})  # off the pad
    # while the pad's new picture loads, the browser's own picture coordinates read (0, 0):
    # an event without the element's position and size paints nothing
    widget.on_stroke({"type": "mousemove", "dataX": 0, "dataY": 0, "buttons": 1})
    widget.on_stroke({"type": "mousemove", "relativeX": 5, "relativeY": 5, "buttons": 1,
                      "boundingRectWidth": 0, "boundingRectHeight": 0})
    np.testing.assert_array_equal(widget.digit, before)
    widget.index.value = 4                          # picking a test digit replaces the drawing
    np.testing.assert_array_equal(widget.digit, X[4])
    assert widget.label == int(y[4])


def test_picture_xy_scales_the_point_from_the_element_to_the_picture():
    from course_lib.widgets.mouse import picture_xy

    event = {"relativeX": 50, "relativeY": 20, "boundingRectWidth": 200, "boundingRectHeight": 100}
    assert picture_xy(event, 400, 300) == (100.0, 60.0)        # shown at half and a third
    assert picture_xy({"dataX": 3, "dataY": 4}, 400, 300) is None
    assert picture_xy(dict(event, boundingRectWidth=0), 400, 300) is None
    assert picture_xy(dict(event, relativeX=None), 400, 300) is None
