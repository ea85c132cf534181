"""Lesson 09's playground, inside the network (issue 14), driven without a browser.

What every neuron computes (``neuron_surfaces``), three or more classes, regression on the
plane, a learner's own data, accuracy beside loss, the round trip ``to_code()``, and the
diagram, the gradient toggle and the neuron inspector of the renderer and the widget.
"""
import numpy as np
import pytest

from course_lib import activations, metrics
from course_lib.playground import PlaygroundState, check_own_data


def forward_by_hand(state, resolution):
    """Every layer's activation over the picture's grid, from the weights, in plain NumPy."""
    xs, ys, _ = state.surface(resolution)
    gx, gy = np.meshgrid(xs, ys)
    a = state.transform(np.column_stack([gx.ravel(), gy.ravel()]))
    f = {"tanh": np.tanh, "relu": activations.relu, "sigmoid": activations.sigmoid,
         "linear": lambda z: z}[state.activation]
    layers = []
    params = state.parameters()
    for k, (W, b) in enumerate(params):
        z = a @ W + b
        if k < len(params) - 1:
            a = f(z)
        elif state.loss_name == "bce":
            a = activations.sigmoid(z)
        elif state.loss_name == "cross_entropy":
            a = activations.softmax(z, axis=1)
        else:
            a = z
        layers.append(a.T.reshape(-1, len(ys), len(xs)))
    return layers


@pytest.mark.parametrize("dataset, activation, loss", [
    ("moons", "tanh", None), ("circle", "relu", "cross_entropy"), ("spiral3", "sigmoid", None),
    ("regression2d", "tanh", None), ("xor", "linear", None)])
def test_neuron_surfaces_match_a_forward_pass(dataset, activation, loss):
    s = PlaygroundState(dataset, hidden=(5, 3), activation=activation, loss=loss, seed=2)
    s.step(3)
    surfaces = s.neuron_surfaces(12)
    expected = forward_by_hand(s, 12)
    assert [a.shape for a in surfaces] == [(5, 12, 12), (3, 12, 12), (s.sizes[-1], 12, 12)]
    for got, want in zip(surfaces, expected):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    # the output layer is what the output surface shows
    _, _, values = s.surface(12)
    if s.n_classes > 2:
        np.testing.assert_allclose(np.moveaxis(surfaces[-1], 0, -1), values, rtol=1e-12)
    elif s.loss_name == "cross_entropy":
        np.testing.assert_allclose(surfaces[-1][1], values, rtol=1e-12)
    else:
        np.testing.assert_allclose(surfaces[-1][0], values, rtol=1e-12)


def test_neuron_surfaces_without_hidden_layers_and_on_a_line():
    s = PlaygroundState("circle", hidden=(), seed=0)
    (out,) = s.neuron_surfaces(7)
    assert out.shape == (1, 7, 7)
    r = PlaygroundState("regression", hidden=(4,), seed=0)
    hidden, out = r.neuron_surfaces(9)
    assert hidden.shape == (4, 9) and out.shape == (1, 9)
    np.testing.assert_allclose(out[0], r.surface(9)[2])
    assert not r.model.training is False  # the model is back in training mode


@pytest.mark.parametrize("dataset", ["blobs", "spiral3"])
def test_three_classes_softmax_cross_entropy(dataset):
    s = PlaygroundState(dataset, hidden=(8, 8), optimizer="adam", learning_rate=0.03, seed=0)
    assert s.n_classes == 3 and s.loss_name == "cross_entropy" and s.sizes[-1] == 3
    assert s.loss_choices() == ("cross_entropy",)
    assert set(np.unique(s.y)) == {0, 1, 2}
    s.step(60)
    _, _, values = s.surface(10)
    assert values.shape == (10, 10, 3)
    np.testing.assert_allclose(values.sum(axis=-1), 1.0)
    p = s.predict(s.X_test)
    assert p.shape == (len(s.y_test), 3)
    assert s.train_loss[-1] < s.train_loss[0]
    if dataset == "blobs":
        assert s.test_accuracy[-1] > 0.9
    with pytest.raises(ValueError, match="loss 'bce' does not suit 3 classes; choose one of cross_entropy"):
        s.set_loss("bce")
    with pytest.raises(ValueError, match="does not suit 3 classes"):
        PlaygroundState(dataset, loss="bce")


def test_switching_between_two_and_three_classes_and_regression():
    s = PlaygroundState("moons", seed=0)
    assert s.loss_name == "bce"
    s.set_dataset("blobs")
    assert s.loss_name == "cross_entropy" and s.sizes[-1] == 3
    s.set_dataset("circle")                     # cross-entropy also suits two classes: kept
    assert s.loss_name == "cross_entropy" and s.sizes[-1] == 2
    s.set_dataset("regression2d")
    assert s.loss_name == "mse" and s.task == "regression" and s.input_dim == 2
    s.set_dataset("moons")
    assert s.loss_name == "bce"


def test_regression_on_the_plane():
    s = PlaygroundState("regression2d", hidden=(8,), optimizer="adam", features=("x1", "x2", "x1*x2"),
                        seed=0)
    assert s.task == "regression" and s.loss_name == "mse" and s.sizes == [3, 8, 1]
    s.step(40)
    xs, ys, values = s.surface(11)
    assert values.shape == (11, 11) and len(ys) == 11
    assert s.train_loss[-1] < 0.5 * s.train_loss[0]
    assert s.train_accuracy == [] and "accuracy" not in s.summary()


def test_own_data_classification_and_regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2))
    labels = (X[:, 0] * X[:, 1] > 0).astype(int) + (X[:, 0] > 1)   # three classes
    s = PlaygroundState(X=X, y=labels, hidden=(6,), seed=1)
    assert s.dataset == "custom" and s.n_classes == 3 and s.loss_name == "cross_entropy"
    assert len(s.y_train) + len(s.y_test) == 80
    s.step(2)
    assert s.epoch == 2
    s.set_dataset("moons")
    s.set_dataset("custom")                     # back to the learner's data
    assert np.array_equal(s.X, X)
    r = PlaygroundState(X=X, y=X[:, 0] - X[:, 1] ** 2)
    assert r.task == "regression" and r.loss_name == "mse" and r.y.shape == (80, 1)
    r.step(2)
    assert np.isfinite(r.train_loss[-1])
    with pytest.raises(ValueError, match="the data set 'custom' needs your data"):
        PlaygroundState("moons").set_dataset("custom")


@pytest.mark.parametrize("X, y, error, message", [
    (np.zeros((20, 3)), np.zeros(20, int), ValueError, r"X must have shape \(n_samples, 2\).*got shape \(20, 3\)"),
    (np.zeros(20), np.zeros(20, int), ValueError, r"X must have shape \(n_samples, 2\)"),
    (np.full((20, 2), np.nan), np.zeros(20, int), ValueError, "X contains NaN or infinity"),
    (np.zeros((20, 2)), np.full(20, np.nan), ValueError, "y contains NaN or infinity"),
    (np.zeros((20, 2)), np.zeros(19, int), ValueError, r"y must hold one target per row of X: shape \(20,\)"),
    (np.zeros((20, 2)), np.arange(20) % 2 * 2, ValueError, r"must be 0, 1, \.\.\., K-1 .* got \[0, 2\]"),
    (np.zeros((20, 2)), np.zeros(20, int), ValueError, "K >= 2 classes"),
    (np.zeros((5, 2)), np.arange(5) % 2, ValueError, "at least 10 points"),
    (np.array([["a", "b"]] * 20), np.zeros(20, int), TypeError, "X must hold numbers"),
    (np.zeros((20, 2)), np.array(["a"] * 20), TypeError, "integer class labels or float targets"),
])
def test_own_data_errors(X, y, error, message):
    with pytest.raises(error, match=message):
        check_own_data(X, y)


def test_own_data_needs_both():
    with pytest.raises(ValueError, match="needs both X and y"):
        PlaygroundState(X=np.zeros((20, 2)))


def test_accuracy_beside_loss():
    s = PlaygroundState("moons", hidden=(8, 8), seed=0)
    s.step(4)
    assert len(s.train_accuracy) == len(s.test_accuracy) == 4
    assert all(0 <= a <= 1 for a in s.train_accuracy + s.test_accuracy)
    expected = metrics.accuracy(s.y_test, (s.predict(s.X_test) > 0.5).astype(int))   # P(class 1)
    assert s.test_accuracy[-1] == pytest.approx(expected)
    assert s.summary().endswith(f"accuracy {s.train_accuracy[-1]:.3f} / {s.test_accuracy[-1]:.3f}")
    s.reset()
    assert s.train_accuracy == [] and s.summary() == "epoch 0"


def run_code(state, **namespace):
    code = state.to_code()
    compile(code, "<to_code>", "exec")
    exec(code, namespace)
    return namespace


@pytest.mark.parametrize("kwargs", [
    dict(dataset="moons", hidden=(8, 8)),
    dict(dataset="spiral3", hidden=(6, 4), activation="relu", optimizer="adam",
         features=("x1", "x2", "sin x1", "sin x2")),
    dict(dataset="circle", hidden=(3,), loss="cross_entropy", features=("x1^2", "x2^2", "x1*x2")),
    dict(dataset="regression", hidden=(6,), activation="elu", train_fraction=0.7, n_samples=60),
    dict(dataset="regression2d", hidden=(4, 4), activation="leaky_relu", batch_size=7),
    dict(dataset="blobs", hidden=(), activation="linear", optimizer="rmsprop", noise=0.3),
    dict(dataset="xor", hidden=(4,), optimizer="adamw", learning_rate=0.03),
])
def test_to_code_reproduces_the_run(kwargs):
    s = PlaygroundState(seed=3, **kwargs)
    s.step(3)
    s.epochs_per_step = 2
    s.step()
    s.step()
    ns = run_code(s)
    assert ns["train_loss"] == s.train_loss and ns["test_loss"] == s.test_loss
    assert len(s.to_code().splitlines()) < 40


def test_to_code_follows_changes_made_while_training(capsys):
    s = PlaygroundState("moons", hidden=(8, 8), seed=0)
    s.step(3)
    s.set_learning_rate(0.3)
    s.step(2)
    s.set_optimizer("adam")
    s.set_dropout(0.2)
    s.set_regularization("L2", 0.01)
    s.set_batch_size(25)
    s.step(2)
    s.set_regularization("L1", 0.003)
    s.step(1)
    ns = run_code(s)
    assert ns["train_loss"] == s.train_loss and ns["test_loss"] == s.test_loss
    assert capsys.readouterr().out.strip() == (
        f"epoch 8: train loss {s.train_loss[-1]:.4f}, test loss {s.test_loss[-1]:.4f}")
    code = s.to_code()
    assert "optimizer.lr = 0.3" in code and "optimizer = Adam(lr=0.3)" in code
    assert "layer.p = 0.2" in code and "l2=0.01" in code and "l1=0.003" in code


def test_to_code_after_reset_and_for_own_data():
    s = PlaygroundState("xor", seed=5)
    s.step(2)
    s.set_hidden((3, 3))                        # a reset: a new run with its own seed
    s.step(2)
    assert s.run_seed != 5
    ns = run_code(s)
    assert ns["train_loss"] == s.train_loss
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 2))
    y = (X[:, 0] > 0).astype(int)
    own = PlaygroundState(X=X, y=y, seed=2)
    own.step(3)
    assert "your own data" in own.to_code()
    ns = run_code(own, X=X, y=y)
    assert ns["train_loss"] == own.train_loss and ns["test_loss"] == own.test_loss
    assert PlaygroundState("moons").to_code().rstrip().endswith('print("epoch 0")')


def test_incoming_weights_and_gradients():
    s = PlaygroundState("moons", hidden=(8, 8), seed=0)
    assert all(np.all(dW == 0) for dW, _ in s.gradients())
    s.step()
    grads = s.gradients()
    assert [dW.shape for dW, _ in grads] == [(2, 8), (8, 8), (8, 1)]
    assert any(np.any(dW != 0) for dW, _ in grads)
    info = s.incoming(1, 3)
    W, b = s.parameters()[1]
    assert info["sources"][0] == "hidden 1, unit 1" and len(info["sources"]) == 8
    np.testing.assert_array_equal(info["weights"], W[:, 3])
    assert info["bias"] == b[3] and info["bias_gradient"] == grads[1][1][3]
    assert s.incoming(0, 0)["sources"] == ["x1", "x2"]
    assert s.incoming(2, 0)["weights"].shape == (8,)         # the output neuron
    with pytest.raises(ValueError, match=r"no neuron 9 in layer 0: the layers have \[8, 8, 1\]"):
        s.incoming(0, 9)


# ----------------------------------------------------------------------- renderer and widget
@pytest.mark.parametrize("dataset", ["moons", "spiral3", "regression", "regression2d"])
def test_renderer_draws_the_diagram(dataset):
    from course_lib.widgets.playground_render import PlaygroundRenderer, plot_playground

    s = PlaygroundState(dataset, hidden=(4, 3), seed=0)
    r = PlaygroundRenderer(diagram=True)
    first = r.jpeg(s)
    assert first[:2] == b"\xff\xd8"
    s.step(3)
    assert r.jpeg(s) != first
    r.show_gradients = True
    r.selected = (0, 1)
    with_gradients = r.png(s)
    assert with_gradients[:8] == b"\x89PNG\r\n\x1a\n"
    assert r.outline.get_visible()
    r.show_gradients = False
    assert r.png(s) != with_gradients
    fig = plot_playground(s, diagram=True, show_gradients=True)
    assert len(fig.axes) == 3


def test_gradient_colours_fade_where_the_gradient_is_small():
    from course_lib.widgets.playground_render import GRADIENT_COLORS, QUIET, PlaygroundRenderer, _rgb

    rgb, strength = PlaygroundRenderer._link_style(np.array([1.0, -1.0, 0.0]), GRADIENT_COLORS, 1.0,
                                                   quiet=True)
    np.testing.assert_allclose(rgb[0], _rgb(GRADIENT_COLORS[1]))
    np.testing.assert_allclose(rgb[1], _rgb(GRADIENT_COLORS[0]))
    np.testing.assert_allclose(rgb[2], QUIET)
    assert list(strength) == [1.0, 1.0, 0.0]


def test_widget_gradients_inspector_code_and_own_data():
    from course_lib.widgets.playground import playground

    pg = playground(dataset="moons", hidden=(8, 8), seed=0)
    pg.on_step()
    before = pg.image.value
    pg.gradients.value = True
    assert pg.renderer.show_gradients and pg.image.value != before
    labels = [label for label, _ in pg.inspect.options]
    assert labels[0] == "-" and labels[1] == "hidden 1, unit 1" and labels[-1] == "output, unit 1"
    pg.inspect.value = (1, 2)
    w = pg.state.incoming(1, 2)["weights"]
    assert "hidden 2, unit 3" in pg.neuron_info.value and f"{w[0]:+.4f}" in pg.neuron_info.value
    pg.n_layers.value = 1                        # the inspected neuron is gone: cleared
    assert pg.inspect.value is None and pg.neuron_info.value == ""
    pg.on_step()
    pg.on_code()
    assert "datasets.moons(" in pg.code.value and "train(model" in pg.code.value
    pg.dataset.value = "blobs"
    assert [v for _, v in pg.loss.options] == ["cross_entropy"]
    assert [label for label, _ in pg.inspect.options][-3:] == [
        "output, unit 1", "output, unit 2", "output, unit 3"]

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    own = playground(X=X, y=(X[:, 1] > 0).astype(int))
    assert own.dataset.value == "custom" and own.dataset.options[0] == ("your data", "custom")
    own.on_step()
    assert own.state.epoch == 1


def test_a_click_on_a_neuron_of_the_diagram_inspects_it():
    from course_lib.widgets.playground import Playground

    pg = Playground(dataset="circle", hidden=(4, 2), seed=0)
    r = pg.renderer
    width, height = r.figure.get_size_inches() * r.figure.dpi
    shown = 0.5                                          # the browser shows the picture at half size

    def click_at(layer, unit):
        x, y = r.ax_net.transData.transform((r.centers[layer + 1][0], r.centers[layer + 1][1][unit]))
        pg.on_mouse({"type": "click", "relativeX": x * shown, "relativeY": (height - y) * shown,
                     "boundingRectWidth": width * shown, "boundingRectHeight": height * shown})

    for layer, n in enumerate(pg.state.sizes[1:]):      # every hidden and output neuron
        for unit in range(n):
            click_at(layer, unit)
            assert pg.inspect.value == (layer, unit)
    click_at(1, 1)
    assert pg.inspect.value == (1, 1) and r.selected == (1, 1)
    assert "hidden 2, unit 2" in pg.neuron_info.value and "hidden 1, unit 4" in pg.neuron_info.value
    click_at(2, 0)                                        # the output neuron
    assert pg.inspect.value == (2, 0)
    pg.on_mouse({"type": "click", "relativeX": 1, "relativeY": 1,
                 "boundingRectWidth": width * shown, "boundingRectHeight": height * shown})
    assert pg.inspect.value is None and pg.neuron_info.value == ""    # beside the neurons: cleared
    pg.on_mouse({"type": "click", "dataX": 0, "dataY": 0})            # no position: nothing happens
    assert pg.inspect.value is None
    assert r.neuron_at(0, 0) is None


def test_renderer_draws_2x_pictures_on_request_and_clicks_keep_mapping_to_css_pixels():
    import io

    from PIL import Image

    from course_lib.widgets.playground_render import PlaygroundRenderer

    s = PlaygroundState("moons", hidden=(4, 3), seed=0)
    r = PlaygroundRenderer(diagram=True)
    one = r.png(s)
    width, height = r.size_px
    assert Image.open(io.BytesIO(one)).size == (width, height)
    css = {}                                              # each neuron's centre in CSS pixels, at 1x
    for layer, n in enumerate(s.sizes[1:]):
        for unit in range(n):
            x, y = r.ax_net.transData.transform((r.centers[layer + 1][0], r.centers[layer + 1][1][unit]))
            css[layer, unit] = (x, height - y)
    two = r.png(s, scale=2)
    assert Image.open(io.BytesIO(two)).size == (2 * width, 2 * height)
    assert r.size_px == (width, height)                  # the widget's size does not change
    assert {r.neuron_at(*xy) for xy in css.values()} == set(css)
    assert all(r.neuron_at(*xy) == neuron for neuron, xy in css.items())
    # the 2x picture is the 1x one with four times the pixels: shrunk, nearly the same
    small = np.asarray(Image.open(io.BytesIO(two)).convert("RGB").resize((width, height), Image.BOX), float)
    assert np.mean(np.abs(small - np.asarray(Image.open(io.BytesIO(one)).convert("RGB"), float))) < 6
    assert r.png(s) == one                                # back at 1x: exactly the first picture


def test_the_widget_sends_1x_pictures_while_playing_and_a_2x_still_when_paused():
    import io
    import time

    from PIL import Image

    from course_lib.widgets.playground import Playground

    pg = Playground(dataset="circle", hidden=(4, 2), seed=0)
    width, height = pg.renderer.size_px
    assert Image.open(io.BytesIO(pg.image.value)).size == (2 * width, 2 * height)   # first picture
    sizes = []
    pg.image.observe(lambda change: sizes.append(Image.open(io.BytesIO(change.new)).size), "value")
    pg.on_play()
    deadline = time.monotonic() + 20
    while len(sizes) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    pg.on_pause()
    assert len(sizes) >= 4, sizes
    assert set(sizes[:-1]) == {(width, height)}           # while it played: 1x, fast
    assert sizes[-1] == (2 * width, 2 * height)           # paused: the last frame again, crisp
    pg.on_step()
    assert sizes[-1] == (2 * width, 2 * height)           # a step stands still: 2x


def test_show_playground_takes_the_room_of_a_notebook_output(monkeypatch):
    """The static picture is shown at 100 CSS pixels per inch where that fits JupyterLab's
    output (968 px), else (with the diagram) as wide as the output; an explicit ``dpi`` wins."""
    from course_lib import plots
    from course_lib.widgets.playground_render import show_playground

    shown = []
    monkeypatch.setattr(plots, "show", lambda alt, fig, css_dpi: shown.append(
        (round(fig.get_figwidth() * css_dpi), css_dpi, alt)))
    state = PlaygroundState("moons", hidden=(2,), seed=0)
    show_playground(state)
    show_playground(state, diagram=True)
    show_playground(state, dpi=60)
    assert [(width, round(dpi, 2)) for width, dpi, _ in shown] == [(760, 100), (968, 80.67), (456, 60)]
    assert all(alt.endswith(state.summary()) for _, _, alt in shown)
