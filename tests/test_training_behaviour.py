"""The training loop's edges: accuracy of logits at the threshold, when a run counts as
diverged, early stopping without a model, and the progress bar's life cycle."""
import numpy as np
import pytest

import course_lib.training as training
from course_lib import SGD, BinaryCrossEntropy, Dense, Sequential, train
from course_lib.training import DIVERGED_WEIGHT, EarlyStopping, evaluate


def identity_model(n_out=1, W=1.0):
    model = Sequential([Dense(1, n_out, init="zeros")])
    model.layers[0].W[...] = W
    return model


def test_a_logit_is_class_1_exactly_where_its_probability_is_above_one_half():
    # z = 0 is p = 0.5: class 0 (as for probabilities, p > 0.5); z = 0.25 is p = 0.56: class 1
    # (a logit read as a probability would call 0.25 class 0)
    X = np.array([[-1.0], [0.0], [0.25], [3.0]])
    y = np.array([0, 0, 1, 1])
    bce = BinaryCrossEntropy(from_logits=True)
    assert evaluate(identity_model(), X, y, bce)["accuracy"] == 1.0
    h = train(identity_model(), X, y, bce, SGD(1e-12), epochs=1, accuracy_metric=True,
              shuffle=False, validation_data=(X, y))
    assert h.train_accuracy == [1.0]
    assert h.val_accuracy == [1.0]          # b moved by about -1e-13: z = b < 0 is still class 0
    # read as probabilities (no from_logits), the same outputs give 0.25 -> class 0
    probs = identity_model()
    assert evaluate(probs, np.clip(X, 0, 1), y, "bce")["accuracy"] == 0.75


def test_accuracy_of_class_scores_is_the_largest_score_also_when_all_are_positive():
    X = np.array([[1.0], [2.0]])
    scores = identity_model(n_out=2, W=[[1.0, 2.0]])     # scores (1, 2) and (2, 4): class 1
    h = train(scores, X, [1, 1], "cross_entropy", SGD(1e-12), epochs=1, accuracy_metric=True)
    assert h.train_accuracy == [1.0]


def test_a_nan_or_infinite_loss_is_divergence_even_with_finite_weights():
    model = identity_model()
    assert training._diverged(np.inf, model)
    assert training._diverged(np.nan, model)
    assert not training._diverged(0.5, model)


def test_a_weight_of_exactly_the_limit_is_not_divergence_one_beyond_is():
    model = identity_model(W=DIVERGED_WEIGHT)
    assert not training._diverged(0.5, model)
    model.layers[0].W[...] = -np.nextafter(DIVERGED_WEIGHT, np.inf)
    assert training._diverged(0.5, model)


def test_early_stopping_works_without_a_model_and_keeps_weights_only_to_restore_them():
    stop = EarlyStopping(patience=2)                 # restore_best, but no model given
    assert stop.update(0, 1.0) is False
    assert stop.best_params is None
    model = identity_model(W=3.0)
    stop.restore(model)                              # nothing saved: nothing restored
    assert model.layers[0].W[0, 0] == 3.0
    fresh = EarlyStopping()
    fresh.restore(model)                             # before any update: the model unchanged
    assert model.layers[0].W[0, 0] == 3.0
    no_copies = EarlyStopping(restore_best=False)
    no_copies.update(0, 1.0, model)
    assert no_copies.best_params is None             # no copy of the weights it never restores


class RecordingBar:
    made = []

    def __init__(self, total=None, **kwargs):
        self.total, self.kwargs, self.n, self.closed = total, kwargs, 0, False
        RecordingBar.made.append(self)

    def update(self, k):
        self.n += k

    def set_postfix(self, **kwargs):
        self.postfix = kwargs

    def close(self):
        self.closed = True


@pytest.mark.parametrize("stop_after", [None, 1])
def test_the_progress_bar_counts_epochs_and_is_closed_however_training_ends(
        monkeypatch, stop_after):
    import tqdm.auto

    monkeypatch.setattr(tqdm.auto, "tqdm", RecordingBar)
    RecordingBar.made.clear()
    X = np.array([[0.0], [1.0]])
    callback = None if stop_after is None else (lambda epoch, h: epoch + 1 >= stop_after)
    h = train(identity_model(), X, X, "mse", SGD(0.1), epochs=3, progress=True, callback=callback)
    (bar,) = RecordingBar.made
    assert bar.postfix == {"loss": f"{h.train_loss[-1]:.4f}"}
    assert bar.total == 3
    assert bar.kwargs == {"desc": "training", "unit": "epoch", "leave": False}
    assert bar.n == (3 if stop_after is None else stop_after)
    assert bar.closed


def test_the_default_progress_bar_appears_from_progress_min_steps_optimizer_steps(monkeypatch):
    import tqdm.auto

    monkeypatch.setattr(tqdm.auto, "tqdm", RecordingBar)
    monkeypatch.setattr(training, "PROGRESS_MIN_STEPS", 4)
    X = np.array([[0.0], [1.0], [2.0]])              # batches of 2: 2 steps per epoch
    for epochs, shown in [(1, False), (2, True)]:     # 2 steps: no bar; 4 steps: a bar
        RecordingBar.made.clear()
        train(identity_model(), X, X, "mse", SGD(0.01), epochs=epochs, batch_size=2)
        assert len(RecordingBar.made) == int(shown)


def test_data_errors_name_the_array_and_ask_for_two_dimensions():
    model = identity_model()
    with pytest.raises(ValueError, match=r"X must be a 2-D array, got shape \(3,\)"):
        train(model, np.zeros(3), np.zeros((3, 1)), "mse", SGD(0.1), epochs=1)
    bad_val = np.array([[np.nan], [1.0]])
    with pytest.raises(ValueError, match=r"X_val contains NaN"):
        train(model, np.zeros((3, 1)), np.zeros((3, 1)), "mse", SGD(0.1), epochs=1,
              validation_data=(bad_val, np.zeros((2, 1))))


def test_the_default_seed_is_0():
    X = np.arange(6.0).reshape(-1, 1)
    a, b = identity_model(W=0.3), identity_model(W=0.3)
    train(a, X, X, "mse", SGD(0.01), epochs=2, batch_size=2)
    train(b, X, X, "mse", SGD(0.01), epochs=2, batch_size=2, seed=0)
    np.testing.assert_array_equal(a.layers[0].W, b.layers[0].W)
    c = identity_model(W=0.3)
    train(c, X, X, "mse", SGD(0.01), epochs=2, batch_size=2, seed=1)
    assert not np.array_equal(a.layers[0].W, c.layers[0].W)


def test_a_shuffled_full_batch_is_the_data_in_shuffled_order():
    # dropout masks go by position, so the order of the rows shows in the result
    from course_lib import Dropout

    X = np.arange(8.0).reshape(-1, 2) / 4
    y = np.array([[1.0], [0.0], [2.0], [1.0]])

    def model():
        m = Sequential([Dense(2, 3, init="zeros"), Dropout(0.5, rng=3), Dense(3, 1, init="zeros")])
        m.layers[0].W[...] = [[0.5, -0.2, 0.1], [0.3, 0.4, -0.6]]
        m.layers[2].W[...] = [[1.0], [-1.0], [0.5]]
        return m

    shuffled, by_hand = model(), model()
    train(shuffled, X, y, "mse", SGD(0.1), epochs=1, shuffle=True, seed=5)
    order = np.random.default_rng(5).permutation(4)
    train(by_hand, X[order], y[order], "mse", SGD(0.1), epochs=1, shuffle=False)
    for (_, a, _), (_, b, _) in zip(shuffled.parameters(), by_hand.parameters()):
        np.testing.assert_array_equal(a, b)


def test_a_diverging_run_reports_divergence_without_numpy_warnings():
    import warnings

    X = np.linspace(1.0, 4.0, 200).reshape(-1, 1)   # 200 steps an epoch: the weights overflow
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = train(identity_model(), X, 3 * X, "mse", SGD(1e3), epochs=5, batch_size=1,
                  validation_data=(X, 3 * X))
    assert h.diverged



def test_early_stopping_restores_the_best_weights_only_when_asked():
    """restore_best=True ends with the best epoch's weights; restore_best=False keeps the last
    epoch's (the callback records each epoch's weights; it is not called on the stopping epoch)."""
    from course_lib import EarlyStopping, datasets, mlp

    X, y = datasets.moons(60, noise=0.3, seed=1)
    X_val, y_val = datasets.moons(60, noise=0.3, seed=2)
    for restore in (True, False):
        model = mlp([2, 16, 2], seed=0)
        seen = []
        history = train(model, X, y, "cross_entropy", SGD(3.0), 200, batch_size=5, seed=0,
                        validation_data=(X_val, y_val), progress=False,
                        early_stopping=EarlyStopping(patience=2, restore_best=restore),
                        callback=lambda epoch, h: seen.append([v.copy() for _, v, _ in model.parameters()]))
        best = int(np.argmin(history.val_loss))
        assert history.stopped_early and best < history.epochs - 1
        at_best = all(np.array_equal(v, b) for (_, v, _), b in zip(model.parameters(), seen[best]))
        assert at_best == restore, restore

def test_accuracy_of_softmax_logits_is_the_argmax_not_a_threshold():
    """Several positive logits per row: the class is the largest, not 'logit > 0'."""
    from course_lib import CrossEntropy, metrics

    model = Sequential([Dense(2, 3, init="zeros")])
    model.layers[0].b[...] = [1.0, 3.0, 2.0]          # every logit positive; class 1 wins
    X, y = np.zeros((4, 2)), np.array([1, 1, 1, 0])
    assert evaluate(model, X, y, CrossEntropy())["accuracy"] == 0.75
    assert metrics.accuracy(y, model.predict(X)) == 0.75
