"""train(): it learns (XOR, moons), it does what the loop says, and what it records."""
import warnings

import numpy as np
import pytest

from course_lib import (SGD, Adam, BinaryCrossEntropy, CrossEntropy, EarlyStopping, Momentum, MSE,
                        datasets, mlp, train)
from course_lib.gradcheck import numerical_gradient, relative_error
from course_lib.regularization import add_penalty_gradients, l1_penalty, l2_penalty
from course_lib.metrics import accuracy
from course_lib.training import DIVERGED_WEIGHT, History, evaluate, iterate_minibatches


# --------------------------------------------------------------------------------------
# It learns. Stated targets: 100% on XOR; >= 95% validation accuracy on moons.
# Each run takes a few hundredths of a second.
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(5))
def test_xor_reaches_100_percent_with_adam(seed):
    X, y = datasets.xor()
    model = mlp([2, 4, 1], "tanh", output="sigmoid", seed=seed)
    history = train(model, X, y, "bce", Adam(0.05), epochs=300)
    assert np.array_equal(model.predict_classes(X), y)
    assert history.train_loss[-1] < 0.05


def test_xor_reaches_100_percent_with_plain_sgd():
    X, y = datasets.xor()
    model = mlp([2, 4, 1], "tanh", output="sigmoid", seed=0)
    history = train(model, X, y, BinaryCrossEntropy(), SGD(0.5), epochs=1000)
    assert np.array_equal(model.predict_classes(X), y)
    assert history.train_loss[-1] < history.train_loss[0] / 10


def _moons_split():
    X, y = datasets.moons(300, noise=0.15, seed=0)
    return datasets.train_val_split(X, y, val_fraction=0.3, seed=0, stratify=True)


def test_moons_reaches_95_percent_validation_accuracy_softmax():
    X_train, X_val, y_train, y_val = _moons_split()
    model = mlp([2, 16, 16, 2], "relu", seed=0)
    history = train(model, X_train, y_train, CrossEntropy(), Adam(0.02), epochs=100, batch_size=32,
                    validation_data=(X_val, y_val), accuracy_metric=True)
    assert np.mean(model.predict_classes(X_val) == y_val) >= 0.95
    assert history.val_accuracy[-1] >= 0.95
    assert len(history.val_loss) == len(history.train_accuracy) == 100


def test_moons_reaches_95_percent_validation_accuracy_sigmoid_momentum():
    X_train, X_val, y_train, y_val = _moons_split()
    model = mlp([2, 16, 1], "tanh", output="sigmoid", seed=0)
    train(model, X_train, y_train, "bce", Momentum(0.1), epochs=100, batch_size=16)
    assert evaluate(model, X_val, y_val, "bce")["accuracy"] >= 0.95


# --------------------------------------------------------------------------------------
# It does what the loop says
# --------------------------------------------------------------------------------------
def test_full_batch_training_equals_the_loop_written_out():
    X, y = datasets.moons(40, seed=1)
    y = y.reshape(-1, 1)
    a = mlp([2, 5, 1], "tanh", output="sigmoid", seed=3)
    b = mlp([2, 5, 1], "tanh", output="sigmoid", seed=3)
    history = train(a, X, y, "bce", SGD(0.3), epochs=5, shuffle=False, l2=0.01)
    loss, opt, losses = BinaryCrossEntropy(), SGD(0.3), []
    for _ in range(5):
        losses.append(loss(b.forward(X), y))
        b.backward(loss.backward())
        for _, W, dW in b.parameters()[::2]:   # weights only, not biases
            dW += 0.01 * W
        opt.step(b)
    np.testing.assert_allclose(history.train_loss, losses, rtol=1e-13)
    for (_, va, _), (_, vb, _) in zip(a.parameters(), b.parameters()):
        np.testing.assert_allclose(va, vb, rtol=1e-13)


@pytest.mark.parametrize("batch_size,steps_per_epoch", [(None, 1), (1, 10), (3, 4), (5, 2), (10, 1)])
def test_number_of_steps_per_epoch(batch_size, steps_per_epoch):
    X, y = datasets.blobs(10, centers=2, seed=0)
    opt = SGD(0.01)
    history = train(mlp([2, 3, 2], seed=0), X, y, "cross_entropy", opt, epochs=3,
                    batch_size=batch_size)
    assert opt.t == 3 * steps_per_epoch
    assert history.epochs == 3 and history.val_loss == []


def test_minibatches_cover_every_sample_once():
    batches = list(iterate_minibatches(10, 4, rng=0))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate(batches)) == list(range(10))
    assert [list(b) for b in iterate_minibatches(5, 2, shuffle=False)] == [[0, 1], [2, 3], [4]]


def test_training_is_reproducible_with_a_seed():
    X, y = datasets.spirals(60, seed=0)
    runs = [train(mlp([2, 8, 2], "tanh", seed=1), X, y, "cross_entropy", Adam(0.01), epochs=5,
                  batch_size=8, seed=seed).train_loss for seed in (7, 7, 8)]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]   # another shuffling order


def test_mse_regression_loss_goes_down():
    X, y = datasets.regression_1d(50, seed=0)
    history = train(mlp([1, 16, 1], "tanh", seed=0), X, y, MSE(), Adam(0.02), epochs=200,
                    batch_size=10)
    assert history.train_loss[-1] < 0.3 * history.train_loss[0]


def test_divergence_is_reported_not_warned():
    X, y = datasets.regression_1d(20, seed=0)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = mlp([1, 16, 16, 1], "relu", seed=0)
        history = train(model, X * 1e3, y, "mse", SGD(1e3), epochs=50)
    assert history.diverged
    assert history.epochs < 50
    largest = max(np.abs(v).max() for _, v, _ in model.parameters())
    assert not np.isfinite(history.train_loss[-1]) or not largest <= DIVERGED_WEIGHT
    assert "diverged" in repr(history)


@pytest.mark.parametrize("loss,y", [("bce", [0, 1, 1, 0, 1, 0]), ("mse", [0.0, 1, 1, 0, 1, 0]),
                                    ("cross_entropy", [0, 1, 1, 0, 1, 0])])
def test_diverged_when_the_weights_explode_even_if_the_loss_stays_finite(loss, y):
    """SGD(lr=1e300): with a sigmoid output and BCE the (clipped) loss stays finite at 18.4
    while the weights reach 1e299; diverged must say so, and training stops there."""
    X = np.random.default_rng(0).uniform(-1, 1, (6, 2))
    n_out = 2 if loss == "cross_entropy" else 1
    model = mlp([2, 3, n_out], "tanh", output="sigmoid" if loss == "bce" else None, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = train(model, X, np.array(y), loss, SGD(1e300), epochs=20)
    assert history.diverged and history.epochs <= 2, history
    largest = max(np.abs(v).max() for _, v, _ in model.parameters())
    assert not np.isfinite(history.train_loss[-1]) or not largest <= DIVERGED_WEIGHT


def test_not_diverged_when_training_is_merely_slow_or_large():
    X, y = datasets.moons(40, seed=0)
    model = mlp([2, 8, 2], "relu", seed=0)
    for _, value, _ in model.parameters():
        value *= 1e6                      # large weights, but nowhere near the limit
    history = train(model, X, y, "cross_entropy", SGD(1e-9), epochs=3)
    assert not history.diverged and history.epochs == 3


def test_early_stopping_stops_and_restores_the_best_weights():
    X_train, X_val, y_train, y_val = _moons_split()
    model = mlp([2, 64, 64, 2], "relu", seed=0)
    stopper = EarlyStopping(patience=3, restore_best=True)
    history = train(model, X_train[:30], y_train[:30], "cross_entropy", Adam(0.05), epochs=300,
                    validation_data=(X_val, y_val), early_stopping=stopper)
    assert history.stopped_early and history.epochs < 300
    assert history.best_epoch == int(np.argmin(history.val_loss))
    assert history.epochs == history.best_epoch + 1 + 3
    best = min(history.val_loss)
    assert evaluate(model, X_val, y_val, "cross_entropy")["loss"] == pytest.approx(best, rel=1e-12)


def test_early_stopping_as_an_int_and_callback_stop():
    X, y = datasets.xor()
    seen = []
    history = train(mlp([2, 4, 1], "tanh", output="sigmoid", seed=0), X, y, "bce", SGD(0.1),
                    epochs=50, callback=lambda epoch, h: seen.append(epoch) or epoch == 4)
    assert history.epochs == 5 and seen == [0, 1, 2, 3, 4]
    # a model already at its minimum (loss 0, gradient 0) never improves: stop after 1 + 2 epochs
    flat = mlp([2, 1], init="zeros")
    history = train(flat, X, np.zeros(4), "mse", SGD(0.1), epochs=100, early_stopping=2)
    assert history.stopped_early and history.epochs == 3 and history.best_epoch == 0


def test_progress_bar_can_be_forced_on(capsys):
    X, y = datasets.xor()
    train(mlp([2, 2, 1], seed=0), X, y, "mse", SGD(0.1), epochs=3, progress=True)
    assert "training" in capsys.readouterr().err


def test_history_repr_and_accuracy_helper():
    assert repr(History()) == "History(epochs=0)"
    assert accuracy(np.array([1, 1]), np.array([[0.9], [0.2]])) == 0.5
    assert accuracy(np.array([1, 0]), np.array([[0.1, 0.9], [0.8, 0.2]])) == 1.0


# --------------------------------------------------------------------------------------
# Weight penalties
# --------------------------------------------------------------------------------------
def test_penalty_gradients_match_finite_differences():
    model = mlp([3, 4, 2], "tanh", seed=0)
    for _, _, grad in model.parameters():
        grad[...] = 0.0
    add_penalty_gradients(model, l1=0.03, l2=0.1)
    for name, value, grad in model.parameters():
        if name.endswith(".b"):
            np.testing.assert_array_equal(grad, 0.0)   # biases are never penalized
            continue
        numeric = numerical_gradient(lambda: l1_penalty(model, 0.03) + l2_penalty(model, 0.1), value)
        assert relative_error(grad, numeric) < 1e-7, name


def test_penalty_values():
    model = mlp([2, 2], seed=0)
    model.layers[0].W[...] = [[1.0, -2.0], [0.0, 3.0]]
    model.layers[0].b[...] = 100.0
    assert l2_penalty(model, 0.5) == pytest.approx(0.25 * 14)
    assert l1_penalty(model, 0.5) == pytest.approx(3.0)
