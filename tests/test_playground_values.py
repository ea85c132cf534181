"""Values of the playground's training state, checked against hand-worked maths.

The data recipes and the data they make, the view window, the input features, the defaults
of every control, the full text of every refusal and the limits of every setting, the seeds
of one run after another, what ``step()`` counts, the text of ``summary()``, ``repr`` and
``to_code()``, ``incoming()``, and the shapes and values of ``surface()`` and
``neuron_surfaces()``. Small data, few epochs: the whole file runs in seconds.
"""
import re
import warnings

import numpy as np
import pytest

import course_lib.training as training
from course_lib import activations, datasets
from course_lib.playground import BLOB_CENTERS, PlaygroundState, check_own_data, regression_2d


def message(text):
    """A ``pytest.raises`` pattern that matches exactly ``text``."""
    return "^" + re.escape(text) + "$"


@pytest.fixture(scope="module")
def trained():
    """Moons, one hidden layer of 3, three epochs (read only)."""
    s = PlaygroundState("moons", hidden=(3,), n_samples=40, seed=1)
    s.step(3)
    return s


# ----------------------------------------------------------------------- regression_2d
def hill_and_valley(X):
    return np.exp(-((X[:, 0] - 1) ** 2 + (X[:, 1] - 1) ** 2)) \
        - np.exp(-((X[:, 0] + 1) ** 2 + (X[:, 1] + 1) ** 2))


def test_regression_2d_follows_its_formula_with_its_defaults():
    X, y = regression_2d()
    rng = np.random.default_rng(0)
    X_hand = rng.uniform(-3, 3, size=(200, 2))
    y_hand = hill_and_valley(X_hand) + 0.1 * rng.standard_normal(200)
    assert X.shape == (200, 2) and y.shape == (200, 1)
    np.testing.assert_allclose(X, X_hand, rtol=0, atol=0)
    np.testing.assert_allclose(y[:, 0], y_hand, rtol=1e-12, atol=1e-12)


def test_regression_2d_without_noise_is_the_surface_on_the_square():
    X, y = regression_2d(n_samples=300, noise=0.0, seed=4)
    assert X.shape == (300, 2) and y.shape == (300, 1)
    assert X.min() >= -3 and X.max() <= 3 and X.min() < -2.9 and X.max() > 2.9
    np.testing.assert_allclose(y[:, 0], hill_and_valley(X), rtol=1e-12, atol=1e-15)
    # (the formula above, worked by hand at the top of the hill, (1, 1): 1 - e^-8)
    assert abs(hill_and_valley(np.array([[1.0, 1.0]]))[0] - (1 - np.exp(-8))) < 1e-15
    # the noise is one draw per point, not one shift for all
    _, y_noisy = regression_2d(n_samples=300, noise=0.5, seed=4)
    residual = y_noisy[:, 0] - y[:, 0]
    assert residual.std() > 0.3


# ----------------------------------------------------------------------- own data
def test_own_labels_and_targets_may_be_a_column():
    X = np.arange(24.0).reshape(12, 2)
    labels = (np.arange(12) % 2).reshape(-1, 1)
    X2, y2, task = check_own_data(X, labels)
    assert task == "classification" and y2.shape == (12,) and y2.dtype == np.int64
    np.testing.assert_array_equal(y2, np.arange(12) % 2)
    targets = np.linspace(-1, 1, 12).reshape(-1, 1).astype(np.float32)
    X3, y3, task = check_own_data(X.astype(int), targets)
    assert task == "regression" and y3.shape == (12, 1) and y3.dtype == np.float64
    assert X3.dtype == np.float64
    np.testing.assert_array_equal(X3, X)
    np.testing.assert_allclose(y3[:, 0], np.linspace(-1, 1, 12), rtol=1e-6)
    np.testing.assert_array_equal(check_own_data(X, np.arange(12.0))[1], np.arange(12.0).reshape(-1, 1))


def test_own_data_of_exactly_ten_points_is_enough():
    X = np.arange(20.0).reshape(10, 2)
    assert check_own_data(X, np.arange(10) % 2)[2] == "classification"
    with pytest.raises(ValueError, match=message("the playground needs at least 10 points, got 9")):
        check_own_data(X[:9], np.arange(9) % 2)


def test_own_data_refusals_say_exactly_what_is_wrong():
    X = np.zeros((12, 2))
    X[3, 1] = np.nan
    X[5, 0] = np.inf
    with pytest.raises(ValueError, match=message(
            "X contains NaN or infinity (2 values): remove or fill them first")):
        check_own_data(X, np.arange(12) % 2)
    y = np.linspace(0, 1, 12)
    y[[1, 2, 7]] = [np.nan, -np.inf, np.nan]
    with pytest.raises(ValueError, match=message(
            "y contains NaN or infinity (3 values): remove or fill them first")):
        check_own_data(np.zeros((12, 2)), y)
    # at most twelve of the labels found are shown
    labels = np.r_[np.arange(13), 14, 14]
    with pytest.raises(ValueError, match=message(
            "integer y are class labels: they must be 0, 1, ..., K-1 with K >= 2 classes, "
            "got [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]")):
        check_own_data(np.zeros((15, 2)), labels)


# ----------------------------------------------------------------------- defaults
def test_defaults_of_every_control():
    s = PlaygroundState()
    assert s.dataset == "circle" and s.noise == 0.1 and s.train_fraction == 0.5
    assert s.batch_size == 10 and s.n_samples == 200 and s.features == ("x1", "x2")
    assert s.hidden == (4, 2) and s.activation == "tanh" and s.learning_rate == 0.03
    assert s.optimizer_name == "sgd" and s.loss_name == "bce" and s.regularization == "none"
    assert s.regularization_rate == 0.0 and s.l1 == 0.0 and s.l2 == 0.0
    assert s.dropout == 0.0 and s.epochs_per_step == 1 and s.seed == 0 and s.run_seed == 0
    make, kwargs = s.data_recipe()
    assert make is datasets.DATASETS["circle"] and kwargs == dict(n_samples=200, noise=0.1, seed=0)
    assert s.version == 1 and s.diverged is False and s.epoch == 0


def test_constructor_refusals_name_the_control():
    for kwargs, text in [
        (dict(activation="swish"), "unknown activation 'swish'; choose one of "
                                   "tanh, relu, sigmoid, linear, leaky_relu, elu"),
        (dict(optimizer="lbfgs"), "unknown optimizer 'lbfgs'; choose one of "
                                  "sgd, momentum, adam, rmsprop, adamw"),
        (dict(regularization="L3"), "unknown regularization 'L3'; choose one of none, L1, L2"),
        (dict(dataset="iris"), "unknown data set 'iris'; choose one of circle, xor, gaussian, "
                               "spiral, moons, blobs, spiral3, regression, regression2d"),
        (dict(features=("x1", "x3")), "unknown feature 'x3'; choose one of "
                                      "x1, x2, x1^2, x2^2, x1*x2, sin x1, sin x2"),
        (dict(dataset="moons", loss="mse"),
         "loss 'mse' does not suit classification; choose one of bce, cross_entropy"),
        (dict(dataset="regression", loss="bce"), "loss 'bce' does not suit regression; choose one of mse"),
        # three classes: binary cross-entropy is not offered (it would be refused in turn)
        (dict(dataset="blobs", loss="mse"), "loss 'mse' does not suit 3 classes; choose one of cross_entropy"),
        (dict(X=np.c_[np.arange(20.0), np.arange(20.0) % 3], y=np.arange(20) % 3, loss="bce"),
         "loss 'bce' does not suit 3 classes; choose one of cross_entropy"),
    ]:
        with pytest.raises(ValueError, match=message(text)):
            PlaygroundState(n_samples=20, **kwargs)
    with pytest.raises(ValueError, match=message("own data needs both X and y: playground(X=X, y=y)")):
        PlaygroundState(y=np.arange(20) % 2)


# ----------------------------------------------------------------------- data
def test_data_recipe_of_every_data_set():
    s = PlaygroundState("regression", n_samples=60, noise=0.3, hidden=(), seed=2)
    assert s.data_recipe() == (datasets.regression_1d, dict(n_samples=30, noise=0.3, seed=2))
    assert s.input_dim == 1 and s.n_classes == 0 and s.task == "regression"
    X, y = datasets.regression_1d(n_samples=30, noise=0.3, seed=2)
    np.testing.assert_array_equal(s.X, X)
    np.testing.assert_array_equal(s.y, y)
    # never fewer than ten points on the line
    small = PlaygroundState("regression", n_samples=12, hidden=(), seed=2)
    assert small.data_recipe()[1] == dict(n_samples=10, noise=0.1, seed=2) and len(small.X) == 10
    plane = PlaygroundState("regression2d", n_samples=30, noise=0.2, hidden=(), seed=3)
    assert plane.data_recipe() == (regression_2d, dict(n_samples=30, noise=0.2, seed=3))
    X, y = regression_2d(n_samples=30, noise=0.2, seed=3)
    np.testing.assert_array_equal(plane.X, X)
    np.testing.assert_array_equal(plane.y, y)
    # the blobs' spread grows with the noise: 0.5 + 2 * noise, rounded to 6 decimals
    blobs = PlaygroundState("blobs", n_samples=30, noise=0.1234567, hidden=(), seed=4)
    assert blobs.data_recipe() == (datasets.blobs, dict(n_samples=30, centers=BLOB_CENTERS,
                                                        std=0.746913, seed=4))
    X, y = datasets.blobs(n_samples=30, centers=BLOB_CENTERS, std=0.746913, seed=4)
    np.testing.assert_array_equal(blobs.X, X)
    np.testing.assert_array_equal(blobs.y, y)
    assert PlaygroundState("blobs", n_samples=30, noise=0.3, hidden=()).data_recipe()[1]["std"] == 1.1
    spiral3 = PlaygroundState("spiral3", n_samples=30, noise=0.2, hidden=(), seed=5)
    assert spiral3.data_recipe() == (datasets.spirals, dict(n_samples=30, noise=0.2, n_classes=3, seed=5))
    for name in ("circle", "xor", "gaussian", "spiral", "moons"):
        s = PlaygroundState(name, n_samples=30, noise=0.2, hidden=(), seed=6)
        assert s.data_recipe() == (datasets.DATASETS[name], dict(n_samples=30, noise=0.2, seed=6))
    own = PlaygroundState(X=np.zeros((12, 2)), y=np.arange(12) % 2, hidden=())
    assert own.data_recipe() is None


def test_noise_zero_and_the_split():
    s = PlaygroundState("moons", n_samples=40, noise=0.0, train_fraction=0.7, hidden=(), seed=3)
    X, y = datasets.moons(n_samples=40, noise=0.0, seed=3)
    np.testing.assert_array_equal(s.X, X)
    parts = datasets.train_val_split(X, y, val_fraction=1.0 - 0.7, seed=3)
    for got, want in zip((s.X_train, s.X_test, s.y_train, s.y_test), parts):
        np.testing.assert_array_equal(got, want)


def test_view_window_pads_the_data_by_15_percent_plus_a_tenth():
    def padded(v):
        pad = 0.15 * (v.max() - v.min()) + 0.1
        return v.min() - pad, v.max() + pad

    s = PlaygroundState("moons", n_samples=40, hidden=(), seed=3)
    np.testing.assert_allclose(s.extent, padded(s.X[:, 0]) + padded(s.X[:, 1]), rtol=1e-12)
    line = PlaygroundState("regression", n_samples=40, hidden=(), seed=3)
    np.testing.assert_allclose(line.extent, padded(line.X[:, 0]) + padded(line.y[:, 0]), rtol=1e-12)


def test_regenerate_with_and_without_a_seed():
    s = PlaygroundState("moons", n_samples=30, hidden=(2,), seed=0)
    s.regenerate(5)
    assert s.data_recipe()[1]["seed"] == 5
    np.testing.assert_array_equal(s.X, datasets.moons(n_samples=30, noise=0.1, seed=5)[0])
    # without one, the new data seed is the run's generator's next draw below 2**31; the
    # run's generator (seeded by the run seed) has drawn the weights' seed before it
    fresh = PlaygroundState("moons", n_samples=30, hidden=(2,), seed=0)
    rng = np.random.default_rng(0)
    rng.integers(2**32)
    expected = int(rng.integers(2**31))
    fresh.regenerate()
    assert fresh.data_recipe()[1]["seed"] == expected
    np.testing.assert_array_equal(fresh.X, datasets.moons(n_samples=30, noise=0.1, seed=expected)[0])


# ----------------------------------------------------------------------- features
def test_transform_computes_every_feature_in_floats():
    s = PlaygroundState("moons", n_samples=20, hidden=(), seed=0,
                        features=("sin x2", "x1", "x2", "x1^2", "x2^2", "x1*x2", "sin x1", "x1"))
    assert s.features == ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin x1", "sin x2")
    got = s.transform(np.array([[2, -3]]))          # integer input
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, [[2, -3, 4, 9, -6, np.sin(2), np.sin(-3)]], rtol=1e-15)
    # one column of points: x2 is taken as 0
    np.testing.assert_allclose(s.transform(np.array([[0.5]])),
                               [[0.5, 0, 0.25, 0, 0, np.sin(0.5), 0]], rtol=1e-15)


def test_transform_of_large_integer_coordinates_does_not_overflow():
    s = PlaygroundState("moons", n_samples=20, hidden=(), seed=0, features=("x1^2", "x1*x2"))
    got = s.transform(np.array([[4_000_000_000, -3_000_000_000]]))   # squares beyond int64
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, [[1.6e19, -1.2e19]], rtol=1e-15)


def test_a_single_feature_may_be_a_string():
    s = PlaygroundState("moons", n_samples=20, hidden=(), seed=0)
    s.set_features("x1^2")
    assert s.features == ("x1^2",) and s.sizes == [1, 1]
    with pytest.raises(ValueError, match=message("choose at least one input feature")):
        s.set_features(())
    with pytest.raises(ValueError, match=message(
            "unknown feature 'x9'; choose one of x1, x2, x1^2, x2^2, x1*x2, sin x1, sin x2")):
        s.set_features(["x9"])


# ----------------------------------------------------------------------- setters and limits
@pytest.fixture(scope="module")
def small():
    return PlaygroundState("moons", n_samples=20, hidden=(2,), seed=0)


@pytest.mark.parametrize("setter, value, text", [
    ("set_noise", -0.1, "noise must lie in [0, 2], got -0.1"),
    ("set_noise", 2.5, "noise must lie in [0, 2], got 2.5"),
    ("set_train_fraction", 0.96, "train fraction must lie in [0.05, 0.95] (or 5-95 %), got 0.96"),
    ("set_train_fraction", 1.0, "train fraction must lie in [0.05, 0.95] (or 5-95 %), got 1.0"),
    ("set_train_fraction", 1.5, "train fraction must lie in [0.05, 0.95] (or 5-95 %), got 0.015"),
    ("set_train_fraction", 0.04, "train fraction must lie in [0.05, 0.95] (or 5-95 %), got 0.04"),
    ("set_batch_size", 0, "batch size must be a positive integer, got 0"),
    ("set_hidden", (2, 9), "hidden layers: at most 6 layers of 1 to 8 units, got (2, 9)"),
    ("set_hidden", (1,) * 7, "hidden layers: at most 6 layers of 1 to 8 units, got (1, 1, 1, 1, 1, 1, 1)"),
    ("set_hidden", (0,), "hidden layers: at most 6 layers of 1 to 8 units, got (0,)"),
    ("set_learning_rate", 0, "learning rate must be positive, got 0.0"),
    ("set_learning_rate", np.inf, "learning rate must be positive, got inf"),
    ("set_dropout", 1.0, "dropout must lie in [0, 1), got 1.0"),
    ("set_dropout", -0.5, "dropout must lie in [0, 1), got -0.5"),
    ("set_activation", "gelu", "unknown activation 'gelu'; choose one of "
                               "tanh, relu, sigmoid, linear, leaky_relu, elu"),
    ("set_optimizer", "adagrad", "unknown optimizer 'adagrad'; choose one of "
                                 "sgd, momentum, adam, rmsprop, adamw"),
    ("set_dataset", "custom", "the data set 'custom' needs your data: playground(X=X, y=y)"),
    ("set_dataset", "Mnist", "unknown data set 'Mnist'; choose one of circle, xor, gaussian, "
                             "spiral, moons, blobs, spiral3, regression, regression2d"),
    ("set_loss", "mse", "loss 'mse' does not suit classification; choose one of bce, cross_entropy"),
])
def test_refusals_give_the_limits(small, setter, value, text):
    with pytest.raises(ValueError, match=message(text)):
        getattr(small, setter)(value)


@pytest.mark.parametrize("kwargs, text", [
    (dict(kind="L0"), "unknown regularization 'L0'; choose one of none, L1, L2"),
    (dict(rate=-1e-3), "regularization rate must be >= 0, got -0.001"),
    (dict(rate=np.inf), "regularization rate must be >= 0, got inf"),
    (dict(rate=np.nan), "regularization rate must be >= 0, got nan"),
])
def test_regularization_refusals(small, kwargs, text):
    with pytest.raises(ValueError, match=message(text)):
        small.set_regularization(**kwargs)


def test_settings_at_their_limits_are_accepted():
    s = PlaygroundState("moons", n_samples=20, hidden=(1,), batch_size=1, noise=0.0,
                        train_fraction=0.05, seed=0)
    assert (s.hidden, s.batch_size, s.noise, s.train_fraction) == ((1,), 1, 0.0, 0.05)
    s.set_noise(2.0)
    s.set_train_fraction(0.95)
    s.set_hidden((8,) * 6)
    s.set_regularization("L1", 0)
    s.set_dropout(0.0)
    assert (s.noise, s.train_fraction, s.hidden, s.l1) == (2.0, 0.95, (8,) * 6, 0.0)
    # a percentage, and four decimals
    s.set_train_fraction(80)
    assert s.train_fraction == 0.8
    s.set_train_fraction(0.123456)
    assert s.train_fraction == 0.1235
    s.set_batch_size(1)
    assert s.batch_size == 1


def test_regularization_rate_goes_to_the_chosen_penalty():
    s = PlaygroundState("moons", n_samples=20, hidden=(), regularization="l2",
                        regularization_rate=0.01, seed=0)
    assert s.regularization == "L2" and (s.l1, s.l2) == (0.0, 0.01)
    s.set_regularization("L1")
    assert (s.l1, s.l2) == (0.01, 0.0)
    s.set_regularization(rate=0.5)
    assert (s.regularization, s.l1) == ("L1", 0.5)


def test_the_initializer_suits_the_activation():
    for activation, init in [("relu", "he"), ("leaky_relu", "he"), ("elu", "he"),
                             ("tanh", "xavier"), ("sigmoid", "xavier"), ("linear", "xavier")]:
        s = PlaygroundState("moons", n_samples=20, hidden=(2,), activation=activation)
        assert [s.model.layers[0].init, s.model.layers[3].init] == [init, init]
        assert f"init={init!r}" in s.to_code()


# ----------------------------------------------------------------------- runs and seeds
def test_the_first_run_uses_the_seed_and_later_runs_a_seed_sequence():
    s = PlaygroundState("moons", n_samples=20, hidden=(2,), seed=7)
    assert s.run_seed == 7 and s.version == 1 and s.diverged is False
    seeds = np.random.default_rng([7, 1])
    for version in (2, 3, 4):
        s.reset()
        assert s.run_seed == int(seeds.integers(2**31)) and s.version == version
        assert s.diverged is False
    assert "np.random.default_rng(%d)" % s.run_seed in s.to_code()


def test_step_counts_epochs_and_does_nothing_for_zero():
    s = PlaygroundState("moons", n_samples=20, hidden=(2,), seed=0)
    code = s.to_code()
    assert s.step(0) == 0 and s.step(-3) == 0 and s.train_loss == [] and s.to_code() == code
    assert s.step() == 1
    s.epochs_per_step = 3
    assert s.step() == 4 and s.step(2) == 6
    assert len(s.train_loss) == len(s.test_loss) == len(s.train_accuracy) == len(s.test_accuracy) == 6
    assert PlaygroundState(epochs_per_step=0, n_samples=20).epochs_per_step == 1


def test_a_diverged_run_stops_training():
    s = PlaygroundState("regression", hidden=(4,), activation="relu", learning_rate=1e6,
                        n_samples=40, seed=0)
    epoch = s.step(20)
    assert s.diverged is True and epoch < 20
    losses = list(s.train_loss)
    assert s.step(2) == epoch and s.train_loss == losses
    assert s.summary() == (f"epoch {epoch}: train loss {losses[-1]:.4f}, "
                           f"test loss {s.test_loss[-1]:.4f} (diverged)")


def test_steps_never_show_a_progress_bar(monkeypatch):
    shown = []
    real = training._progress_bar
    monkeypatch.setattr(training, "_progress_bar",
                        lambda total, enabled: shown.append(enabled) or real(total, False))
    monkeypatch.setattr(training, "PROGRESS_MIN_STEPS", 1)
    s = PlaygroundState("moons", n_samples=20, hidden=(2,), seed=0)
    s.step(2)
    assert shown == [False]


# ----------------------------------------------------------------------- text
def test_summary_text(trained):
    s = PlaygroundState("moons", n_samples=20, hidden=(2,), seed=0)
    assert s.summary() == "epoch 0"
    tl, vl, ta, va = trained.train_loss, trained.test_loss, trained.train_accuracy, trained.test_accuracy
    assert len(set(tl)) == 3 and len(set(vl)) == 3
    assert trained.summary() == (f"epoch 3: train loss {tl[-1]:.4f}, test loss {vl[-1]:.4f}, "
                                 f"accuracy {ta[-1]:.3f} / {va[-1]:.3f}")
    r = PlaygroundState("regression", n_samples=20, hidden=(2,), seed=0)
    r.step(3)
    assert r.summary() == f"epoch 3: train loss {r.train_loss[-1]:.4f}, test loss {r.test_loss[-1]:.4f}"


def test_repr(trained):
    assert repr(trained) == ("PlaygroundState('moons', features=['x1', 'x2'], sizes=[2, 3, 1], "
                             "activation='tanh', loss='bce', optimizer='sgd', lr=0.03, epoch=3)")
    r = PlaygroundState("regression", features=("x1", "x2", "sin x1"), n_samples=20, hidden=(),
                        learning_rate=1e-4)
    assert repr(r) == ("PlaygroundState('regression', features=['x1', 'sin x1'], sizes=[2, 1], "
                       "activation='tanh', loss='mse', optimizer='sgd', lr=0.0001, epoch=0)")


MOONS_CODE = '''\
import numpy as np
from course_lib import BinaryCrossEntropy, datasets, Dense, Dropout, Sequential, SGD, Tanh, train

X, y = datasets.moons(n_samples=40, noise=0.1, seed=1)
X_train, X_test, y_train, y_test = datasets.train_val_split(X, y, val_fraction=0.5, seed=1)

def features(X):  # x1, x2
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([x1, x2])

Y_train, Y_test = y_train.astype(float).reshape(-1, 1), y_test.astype(float).reshape(-1, 1)
F_train, F_test = features(X_train), features(X_test)
rng = np.random.default_rng(1)   # this run's seed
init = np.random.default_rng(rng.integers(2**32))   # for the weights
model = Sequential([
    Dense(2, 3, init='xavier', rng=init), Tanh(), Dropout(0.0, rng=init),
    Dense(3, 1, init='xavier', rng=init),
])
loss = BinaryCrossEntropy(from_logits=True)   # the output is a logit
train_loss, test_loss = [], []
optimizer = SGD(lr=0.03)
for step in range(1):
    history = train(model, F_train, Y_train, loss, optimizer, epochs=3, batch_size=10,
                    validation_data=(F_test, Y_test), seed=int(rng.integers(2**32)), progress=False)
    train_loss += history.train_loss
    test_loss += history.val_loss[:len(history.train_loss)]
print(f"epoch {len(train_loss)}: train loss {train_loss[-1]:.4f}, test loss {test_loss[-1]:.4f}")
'''


def test_to_code_text(trained):
    assert trained.to_code() == MOONS_CODE
    ns = {}
    exec(compile(MOONS_CODE, "<to_code>", "exec"), ns)
    assert ns["train_loss"] == trained.train_loss and ns["test_loss"] == trained.test_loss


def test_to_code_text_of_regression_on_the_plane_with_equal_steps():
    s = PlaygroundState("regression2d", n_samples=30, hidden=(2,), activation="relu",
                        regularization="L2", regularization_rate=0.01,
                        features=("x1", "x1*x2", "sin x2"), seed=0)
    s.step(2)
    s.step(2)
    code = s.to_code()
    lines = code.splitlines()
    assert lines[:6] == [
        "import numpy as np",
        "from course_lib import datasets, Dense, Dropout, ReLU, Sequential, SGD, train",
        "",
        "from course_lib.playground import regression_2d",
        "X, y = regression_2d(n_samples=30, noise=0.1, seed=0)",
        "X_train, X_test, y_train, y_test = datasets.train_val_split(X, y, val_fraction=0.5, seed=0)",
    ]
    assert "def features(X):  # x1, x1*x2, sin x2\n    x1, x2 = X[:, 0], X[:, 1]\n" \
           "    return np.column_stack([x1, x1 * x2, np.sin(x2)])\n" in code
    assert "Y_train, Y_test = y_train, y_test\n" in code and "loss = 'mse'\n" in code
    # two equal steps are one loop of two
    assert "for step in range(2):\n    history = train(model, F_train, Y_train, loss, optimizer, " \
           "epochs=2, batch_size=10,\n                    validation_data=(F_test, Y_test), " \
           "seed=int(rng.integers(2**32)), l2=0.01, progress=False)\n" in code
    assert code.count("for step in") == 1
    ns = {}
    exec(compile(code, "<to_code>", "exec"), ns)
    assert ns["train_loss"] == s.train_loss and ns["test_loss"] == s.test_loss


def test_to_code_on_a_line_and_for_own_data():
    line = PlaygroundState("regression", n_samples=24, hidden=(), features=("x1", "x2^2"), seed=0)
    code = line.to_code()
    assert "    x1 = X[:, 0]\n    return np.column_stack([x1])\n" in code
    assert "X, y = datasets.regression_1d(n_samples=12, noise=0.1, seed=0)\n" in code
    X = np.random.default_rng(0).normal(size=(20, 2))
    own = PlaygroundState(X=X, y=(X[:, 0] > 0).astype(int), hidden=(), loss="cross_entropy", seed=0)
    lines = own.to_code().splitlines()
    assert lines[3:5] == ["# X (N, 2) and y: your own data, as given to the playground",
                          "X_train, X_test, y_train, y_test = datasets.train_val_split("
                          "X, y, val_fraction=0.5, seed=0)"]
    assert "Y_train, Y_test = y_train, y_test" in lines and "loss = 'cross_entropy'" in lines


def test_to_code_makes_a_fresh_optimizer_when_switched_back():
    s = PlaygroundState("moons", n_samples=30, hidden=(3,), optimizer="momentum", seed=0)
    s.step(2)
    s.set_optimizer("adam")
    s.set_optimizer("momentum")                 # a new Momentum: its velocity starts at 0
    s.step(2)
    code = s.to_code()
    assert code.count("optimizer = Momentum(lr=0.03)\n") == 2 and "Adam" not in code
    assert code.count("for step in range(1):") == 2
    ns = {}
    exec(compile(code, "<to_code>", "exec"), ns)
    assert ns["train_loss"] == s.train_loss and ns["test_loss"] == s.test_loss


# ----------------------------------------------------------------------- inside the network
def test_incoming_gives_every_field_and_refuses_neurons_just_outside(trained):
    info = trained.incoming(1, 0)
    assert sorted(info) == ["bias", "bias_gradient", "sources", "weight_gradients", "weights"]
    W, b = trained.parameters()[1]
    dW, db = trained.gradients()[1]
    assert info["sources"] == ["hidden 1, unit 1", "hidden 1, unit 2", "hidden 1, unit 3"]
    np.testing.assert_array_equal(info["weights"], W[:, 0])
    np.testing.assert_array_equal(info["weight_gradients"], dW[:, 0])
    assert info["bias"] == b[0] and info["bias_gradient"] == db[0] and np.any(dW != 0)
    for layer, unit in [(2, 0), (0, 3), (1, 1), (-1, 0), (0, -1)]:
        with pytest.raises(ValueError, match=message(
                f"no neuron {unit} in layer {layer}: the layers have [3, 1] units (counted from 0)")):
            trained.incoming(layer, unit)


def forward_by_hand(state, points):
    a = state.transform(points)
    outs = []
    params = state.parameters()
    for k, (W, b) in enumerate(params):
        z = a @ W + b
        a = np.tanh(z) if k < len(params) - 1 else activations.sigmoid(z)
        outs.append(a)
    return outs


def test_neuron_surfaces_of_three_hidden_layers_and_the_default_grid():
    s = PlaygroundState("moons", n_samples=20, hidden=(3, 2, 2), dropout=0.3, seed=0)
    s.step(1)
    surfaces = s.neuron_surfaces()
    assert [a.shape for a in surfaces] == [(3, 48, 48), (2, 48, 48), (2, 48, 48), (1, 48, 48)]
    xs, ys, values = s.surface()
    assert xs.shape == (48,) and ys.shape == (48,) and values.shape == (48, 48)
    gx, gy = np.meshgrid(xs, ys)
    expected = forward_by_hand(s, np.column_stack([gx.ravel(), gy.ravel()]))
    for got, want in zip(surfaces, expected):
        np.testing.assert_allclose(got, want.T.reshape(-1, 48, 48), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(values, surfaces[-1][0], rtol=1e-12)


def test_surface_follows_the_resolution_and_the_data():
    s = PlaygroundState("moons", n_samples=20, hidden=(2,), seed=0)
    assert s.surface(5)[2].shape == (5, 5)
    xs, ys, values = s.surface(7)
    assert xs.shape == (7,) and values.shape == (7, 7)
    np.testing.assert_allclose(xs, np.linspace(s.extent[0], s.extent[1], 7))
    np.testing.assert_allclose(ys, np.linspace(s.extent[2], s.extent[3], 7))
    assert [a.shape for a in s.neuron_surfaces(6)] == [(2, 6, 6), (1, 6, 6)]
    s.regenerate(3)                          # new data, a new window
    xs, _, _ = s.surface(7)
    np.testing.assert_allclose(xs, np.linspace(s.extent[0], s.extent[1], 7))
    line = PlaygroundState("regression", n_samples=20, hidden=(2,), seed=0)
    xs, ys, values = line.surface(9)
    assert ys is None and xs.shape == values.shape == (9,)
    np.testing.assert_allclose(values, line.predict(xs.reshape(-1, 1)), rtol=1e-12)


def test_class_probabilities_stay_finite_for_huge_logits():
    s = PlaygroundState("blobs", n_samples=30, hidden=(), seed=0)
    (dense,) = s.model.layers                  # no hidden layer: one Dense
    dense.W[:] = [[1000.0, 1000.0, 1000.0], [0.0, 1.0, 2.0]]
    dense.b[:] = 0.0
    p = s.predict(np.array([[3.0, 1.0], [-3.0, 1.0], [0.0, 0.0]]))
    soft = np.exp([0.0, 1.0, 2.0]) / np.exp([0.0, 1.0, 2.0]).sum()
    np.testing.assert_allclose(p, [soft, soft, [1 / 3] * 3], rtol=1e-12)


def test_pictures_of_infinite_weights_raise_no_warning():
    s = PlaygroundState("blobs", n_samples=30, hidden=(), seed=0)
    s.model.layers[0].W[0, 0] = np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, _, values = s.surface(4)
        (out,) = s.neuron_surfaces(4)
    assert values.shape == (4, 4, 3) and out.shape == (3, 4, 4)
