"""Lesson 09's playground, driven without a browser: the state, the renderer, the widget's callbacks."""
import importlib
import itertools
import time

import numpy as np
import pytest

from course_lib.datasets import DATASETS
from course_lib.losses import MSE
from course_lib.playground import FEATURES, LOSSES, PlaygroundState

# the state's tests import only the core; the renderer's and the widget's import them where used


def weights(state):
    return [v.copy() for _, v, _ in state.model.parameters()]


def same(a, b):
    return len(a) == len(b) and all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a, b))


@pytest.fixture
def moons():
    return PlaygroundState("moons", hidden=(8, 8), seed=0)


def test_step_advances_epoch_and_changes_loss(moons):
    assert moons.epoch == 0
    moons.step()
    assert moons.epoch == 1
    first = moons.train_loss[-1]
    moons.step(5)
    assert moons.epoch == 6 and len(moons.test_loss) == 6
    assert moons.train_loss[-1] != first
    assert moons.train_loss[-1] < moons.train_loss[0]
    moons.epochs_per_step = 3
    moons.step()
    assert moons.epoch == 9


def test_stepping_is_deterministic():
    a, b = PlaygroundState("spiral", seed=3), PlaygroundState("spiral", seed=3)
    a.step(7)
    b.step(7)
    assert a.train_loss == b.train_loss and same(weights(a), weights(b))


def test_learning_rate_change_keeps_weights(moons):
    moons.step(3)
    before = weights(moons)
    moons.set_learning_rate(0.3)
    assert same(before, weights(moons)) and moons.epoch == 3
    assert moons.optimizer.lr == 0.3
    moons.step()
    assert moons.epoch == 4


@pytest.mark.parametrize("change", [
    lambda s: s.set_regularization("L2", 0.01),
    lambda s: s.set_regularization("L1", 0.003),
    lambda s: s.set_dropout(0.2),
    lambda s: s.set_optimizer("adam"),
    lambda s: s.set_batch_size(25),
])
def test_training_settings_keep_weights(moons, change):
    moons.step(2)
    before = weights(moons)
    change(moons)
    assert same(before, weights(moons)) and moons.epoch == 2
    moons.step()
    assert moons.epoch == 3


def test_regularization_takes_effect(moons):
    moons.set_regularization("L2", 0.3)
    assert moons.l2 == 0.3 and moons.l1 == 0.0
    moons.step(30)
    norm = sum(float(np.sum(W * W)) for n, W, _ in moons.model.parameters() if n.endswith(".W"))
    free = PlaygroundState("moons", hidden=(8, 8), seed=0)
    free.step(30)
    norm_free = sum(float(np.sum(W * W)) for n, W, _ in free.model.parameters() if n.endswith(".W"))
    assert norm < norm_free


def test_dropout_changes_in_place(moons):
    moons.set_dropout(0.3)
    rates = [layer.p for layer in moons.model.layers if type(layer).__name__ == "Dropout"]
    assert rates == [0.3, 0.3]


@pytest.mark.parametrize("change", [
    lambda s: s.set_hidden((4,)),
    lambda s: s.set_hidden(()),
    lambda s: s.set_activation("relu"),
    lambda s: s.set_features(("x1", "x2", "x1*x2")),
    lambda s: s.set_loss("cross_entropy"),
    lambda s: s.set_dataset("circle"),
    lambda s: s.set_noise(0.3),
    lambda s: s.set_train_fraction(0.7),
    lambda s: s.regenerate(),
    lambda s: s.reset(),
])
def test_structural_changes_reset(moons, change):
    moons.step(3)
    version = moons.version
    change(moons)
    assert moons.epoch == 0 and moons.train_loss == [] and moons.version > version
    moons.step()
    assert moons.epoch == 1


def test_architecture_sizes(moons):
    assert moons.sizes == [2, 8, 8, 1]
    moons.set_features(("x1", "x2", "x1^2", "x2^2"))
    moons.set_hidden((3, 5, 2))
    assert moons.sizes == [4, 3, 5, 2, 1]
    dense = [layer for layer in moons.model.layers if type(layer).__name__ == "Dense"]
    assert [(d.n_in, d.n_out) for d in dense] == [(4, 3), (3, 5), (5, 2), (2, 1)]


def test_regenerate_changes_data_and_split():
    s = PlaygroundState("circle", seed=0)
    X = s.X.copy()
    s.regenerate()
    assert not np.array_equal(X, s.X)
    s.set_train_fraction(0.8)
    assert len(s.y_train) == 160 and len(s.y_test) == 40
    s.set_train_fraction(30)  # percentages are accepted
    assert len(s.y_train) == 60


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_every_data_set_and_feature_combination_builds_and_steps(dataset):
    s = PlaygroundState(dataset, hidden=(3,), n_samples=40, batch_size=8, seed=1)
    names = list(FEATURES)
    combos = [c for k in (1, 2, 7) for c in itertools.combinations(names, k)]
    for combo in combos:
        s.set_features(combo)
        s.step()
        assert s.epoch == 1 and np.isfinite(s.train_loss[-1]) and np.isfinite(s.test_loss[-1])
        xs, ys, values = s.surface(8)
        assert np.all(np.isfinite(values))
        if s.task == "classification":
            assert values.shape == (8, 8) and np.all((values >= 0) & (values <= 1))
            assert s.sizes[0] == len(combo)
        else:
            assert ys is None and values.shape == (8,)
            assert set(s.active_features) <= {"x1", "x1^2", "sin x1"}


def test_regression_uses_mse():
    s = PlaygroundState("regression", seed=0)
    assert s.task == "regression" and s.loss_name == "mse"
    assert s.sizes[-1] == 1 and type(s.model.layers[-1]).__name__ == "Dense"  # linear output
    s.step(3)
    expected = MSE().forward(s.model.predict(s._Xf_test), s.y_test)
    assert s.test_loss[-1] == pytest.approx(expected)
    with pytest.raises(ValueError, match="does not suit regression"):
        s.set_loss("bce")
    s.set_dataset("xor")
    assert s.loss_name == "bce"
    s.set_dataset("regression")
    assert s.loss_name == "mse"
    assert LOSSES["classification"] == ("bce", "cross_entropy")


def test_classification_losses():
    s = PlaygroundState("xor", seed=0, loss="cross_entropy")
    assert s.sizes[-1] == 2
    s.step(2)
    p = s.predict(s.X_test)
    assert p.shape == (len(s.y_test),) and np.all((p >= 0) & (p <= 1))


def test_bad_settings_are_refused(moons):
    for bad in (lambda: moons.set_hidden((9,)), lambda: moons.set_hidden((1,) * 7),
                lambda: moons.set_features(()), lambda: moons.set_learning_rate(0),
                lambda: moons.set_dataset("nope"), lambda: moons.set_dropout(1.0)):
        with pytest.raises(ValueError):
            bad()


def test_divergence_is_reported_not_raised():
    s = PlaygroundState("regression", hidden=(8, 8), activation="relu", learning_rate=10.0, seed=0)
    for _ in range(20):
        s.step(5)
    assert s.diverged and "diverged" in s.summary()
    from course_lib.widgets.playground_render import PlaygroundRenderer

    PlaygroundRenderer().png(s)  # still draws


def test_renderer_png_changes_with_training(moons):
    from course_lib.widgets.playground_render import PlaygroundRenderer, plot_playground

    r = PlaygroundRenderer()
    a = r.png(moons)
    assert a[:8] == b"\x89PNG\r\n\x1a\n"
    moons.step(5)
    assert r.png(moons) != a
    fig = plot_playground(moons)
    assert type(fig).__module__ == "matplotlib.figure" and len(fig.axes) == 2


def test_widget_callbacks_without_browser():
    from course_lib.widgets.playground import Playground, playground

    pg = playground(dataset="moons", hidden=(8, 8), seed=0)
    assert isinstance(pg, Playground)
    png0 = pg.image.value
    pg.on_step()
    assert pg.state.epoch == 1 and pg.epoch_label.value.startswith("epoch 1:")
    assert pg.image.value != png0
    w = weights(pg.state)
    pg.learning_rate.value = 0.3                # keeps the weights
    assert pg.state.learning_rate == 0.3 and same(w, weights(pg.state))
    pg.n_layers.value = 3                       # architecture: resets
    assert pg.state.hidden == (8, 8, 4) and pg.state.epoch == 0
    assert [u.layout.display for u in pg.units[:4]] == [None, None, None, "none"]
    pg.dataset.value = "regression"             # loss follows the task
    assert pg.state.loss_name == "mse" and [v for _, v in pg.loss.options] == ["mse"]
    assert pg.feature_boxes["x2"].disabled
    pg.feature_boxes["x1"].value = False
    pg.feature_boxes["x2"].value = False        # nothing left: refused, shown in the status
    assert "at least one" in pg.status.value
    pg.dataset.value = "moons"
    pg.feature_boxes["x1"].value = True
    assert (pg.play_button.description, pg.play_button.button_style) == ("play", "success")
    pg.on_play()
    # playing looks different from paused: a greyed "playing" button, an orange pause
    assert (pg.play_button.description, pg.play_button.disabled) == ("playing", True)
    assert pg.pause_button.button_style == "warning"
    deadline = time.time() + 10
    while pg.state.epoch < 3 and time.time() < deadline:
        time.sleep(0.05)
    pg.learning_rate.value = 0.1                # a change while playing
    pg.on_pause()
    assert not pg.playing and pg.state.epoch >= 3 and pg.state.learning_rate == 0.1
    assert (pg.play_button.description, pg.play_button.disabled) == ("play", False)
    assert pg.pause_button.button_style == ""
    epoch = pg.state.epoch
    time.sleep(0.2)
    assert pg.state.epoch == epoch              # paused means paused
    pg.on_reset()
    assert pg.state.epoch == 0 and pg.epoch_label.value == "epoch 0"


def test_old_import_path_still_gives_the_core_state():
    widget_module = importlib.import_module("course_lib.widgets.playground")
    assert widget_module.PlaygroundState is PlaygroundState
    assert widget_module.FEATURES is FEATURES
