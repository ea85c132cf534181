"""course_lib.experiments, value by value: each experiment is checked against the same
experiment built by hand from course_lib's public pieces with the same seeds (results must
agree exactly), its default settings, the keys of its result dict, and the maths of
``regularization_setting`` worked out by hand.

Small epochs throughout: the lessons' full runs are in test_experiments.py.
"""
import re
import warnings
from types import SimpleNamespace

import numpy as np
import pytest

from course_lib import Adam, AdamW, Dropout, datasets, experiments, mlp, train
from course_lib.analysis import deep_mlp, dense_layers, gradient_norms, measure_gap, probe_data
from course_lib.optimizers import get_optimizer
from course_lib.training import PROGRESS_MIN_STEPS


def _stop_at_once(epoch, history):
    return True


def _weights(model):
    return [(layer.W.copy(), layer.b.copy()) for layer in dense_layers(model)]


def _assert_same_weights(model_a, model_b):
    wa, wb = _weights(model_a), _weights(model_b)
    assert len(wa) == len(wb)
    for (Wa, ba), (Wb, bb) in zip(wa, wb):
        np.testing.assert_array_equal(Wa, Wb)
        np.testing.assert_array_equal(ba, bb)


# ---------------------------------------------------------------------------------------
# lesson 05: retrain_for_lr
# ---------------------------------------------------------------------------------------
def _xor_by_hand(lr, optimizer, epochs, seed):
    X, y = datasets.xor()
    model = mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=seed)
    history = train(model, X, y.reshape(-1, 1).astype(float), "mse", get_optimizer(optimizer, lr),
                    epochs, progress=False, seed=seed)
    return model, history, X


LR_RESULT_KEYS = {"lr", "optimizer", "epochs", "history", "final_loss", "outputs", "path",
                  "path_loss"}


def test_retrain_for_lr_defaults_are_sgd_at_0_1_from_seed_0():
    r = experiments.retrain_for_lr(epochs=40)
    model, history, X = _xor_by_hand(0.1, "sgd", 40, 0)
    assert set(r) == LR_RESULT_KEYS
    assert (r["lr"], r["optimizer"], r["epochs"]) == (0.1, "sgd", 40)
    assert r["history"].train_loss == history.train_loss
    assert history.train_loss[-1] != history.train_loss[-2]
    assert r["final_loss"] == history.train_loss[-1]
    np.testing.assert_array_equal(r["outputs"], model.predict(X)[:, 0])
    assert r["outputs"].shape == (4,)


def test_retrain_for_lr_seeds_the_network_and_the_shuffling():
    r = experiments.retrain_for_lr(lr=0.5, optimizer="adam", epochs=100, seed=3, path_steps=5)
    model, history, X = _xor_by_hand(0.5, "adam", 100, 3)
    assert (r["lr"], r["optimizer"], r["epochs"]) == (0.5, "adam", 100)
    assert r["history"].train_loss == history.train_loss
    assert r["final_loss"] == history.train_loss[-1]
    np.testing.assert_array_equal(r["outputs"], model.predict(X)[:, 0])
    assert len(r["path"]) == 6


def test_retrain_for_lr_a_diverged_run_gives_four_nan_outputs():
    """lr = 1e200: the first step throws the weights beyond 1e100 (training stops, diverged);
    the outputs of such a net would still be finite, but they mean nothing: NaN."""
    r = experiments.retrain_for_lr(lr=1e200, epochs=5)
    assert r["history"].diverged and r["history"].epochs == 1
    assert r["outputs"].shape == (4,) and r["outputs"].dtype == np.float64
    assert np.all(np.isnan(r["outputs"]))


# ---------------------------------------------------------------------------------------
# every training experiment: silent, and callback(epoch, history) gets the live History
# ---------------------------------------------------------------------------------------
TRAINING_EXPERIMENTS = [experiments.retrain_for_lr, experiments.retrain_for_activation,
                        experiments.retrain_with_regularization, experiments.train_deep_net]


@pytest.mark.parametrize("experiment", TRAINING_EXPERIMENTS, ids=lambda f: f.__name__)
def test_experiments_never_draw_a_progress_bar(experiment, capsys):
    """The widgets draw their own progress: even a run long enough for train's default bar
    (PROGRESS_MIN_STEPS steps) writes nothing (the callback stops it after one epoch)."""
    r = experiment(epochs=PROGRESS_MIN_STEPS, callback=_stop_at_once)
    assert r["history"].epochs == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", "")


@pytest.mark.parametrize("experiment", TRAINING_EXPERIMENTS, ids=lambda f: f.__name__)
def test_the_callback_gets_the_history_being_filled(experiment):
    seen = []

    def watch(epoch, history):
        seen.append((epoch, history, len(history.train_loss)))
        return epoch >= 1

    kwargs = {"depth": 3, "width": 8} if experiment is experiments.train_deep_net else {}
    r = experiment(epochs=5, callback=watch, **kwargs)
    assert [(epoch, n) for epoch, _, n in seen] == [(0, 1), (1, 2)]
    assert all(history is r["history"] for _, history, _ in seen)


# ---------------------------------------------------------------------------------------
# lesson 06
# ---------------------------------------------------------------------------------------
def test_activation_task_is_200_spiral_points_with_noise_0_05_from_seed_0():
    X, y = experiments.activation_task()
    X_ref, y_ref = datasets.spirals(200, noise=0.05, seed=0)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


def _spirals_by_hand(activation, lr, epochs, seed):
    X, y = datasets.spirals(200, noise=0.05, seed=0)
    model = mlp([2, 16, 16, 2], activation=activation, seed=seed)
    history = train(model, X, y, "cross_entropy", get_optimizer("sgd", lr), epochs,
                    progress=False, seed=seed, accuracy_metric=True)
    return model, history


def test_retrain_for_activation_defaults_are_relu_at_0_4_from_seed_0():
    r = experiments.retrain_for_activation(epochs=20)
    model, history = _spirals_by_hand("relu", 0.4, 20, 0)
    assert set(r) == {"activation", "lr", "epochs", "model", "history", "final_loss",
                      "accuracy", "X", "y"}
    assert (r["activation"], r["lr"], r["epochs"]) == ("relu", 0.4, 20)
    assert r["history"].train_loss == history.train_loss
    assert r["history"].train_accuracy == history.train_accuracy
    _assert_same_weights(r["model"], model)
    # the last epoch's values, not an earlier one's
    assert history.train_loss[-1] != history.train_loss[-2]
    assert history.train_accuracy[-1] not in (history.train_accuracy[-2], history.train_accuracy[1])
    assert r["final_loss"] == history.train_loss[-1]
    assert r["accuracy"] == history.train_accuracy[-1]
    X, y = datasets.spirals(200, noise=0.05, seed=0)
    np.testing.assert_array_equal(r["X"], X)
    np.testing.assert_array_equal(r["y"], y)


def test_retrain_for_activation_seeds_the_network_and_the_shuffling():
    r = experiments.retrain_for_activation("tanh", lr=0.3, epochs=10, seed=2)
    model, history = _spirals_by_hand("tanh", 0.3, 10, 2)
    assert r["history"].train_loss == history.train_loss
    _assert_same_weights(r["model"], model)


def test_activation_ranking_runs_every_setting_and_files_its_result(monkeypatch):
    calls = []

    def fake_run(name, lr, epochs, seed):
        calls.append((name, lr, epochs, seed))
        n = len(calls)
        # run 2 diverged: its last loss is still a number, but the ranking must not rank it
        return {"final_loss": 1e174 if n == 2 else float(n), "accuracy": n / 100,
                "history": SimpleNamespace(diverged=n == 2)}

    monkeypatch.setattr(experiments, "retrain_for_activation", fake_run)
    r = experiments.activation_ranking()
    names, lrs, seeds = experiments.ACTIVATION_CHOICES, (0.1, 0.4, 1.0), (0, 1, 2)
    assert calls == [(name, lr, 300, seed) for name in names for lr in lrs for seed in seeds]
    assert (r["names"], r["lrs"], r["seeds"]) == (names, lrs, seeds)
    order = np.arange(1, 46, dtype=float).reshape(5, 3, 3)
    assert r["loss"].dtype == r["accuracy"].dtype == np.float64
    nan = np.isnan(r["loss"])
    assert nan.sum() == 1 and nan[0, 0, 1]                     # the diverged run
    np.testing.assert_array_equal(r["loss"][~nan], order[~nan])
    np.testing.assert_array_equal(r["accuracy"], order / 100)


def test_activation_ranking_gives_nan_for_a_run_that_diverged():
    r = experiments.activation_ranking(lrs=(1e12,), seeds=(0,), names=("relu",), epochs=30)
    assert r["loss"].shape == (1, 1, 1) and np.isnan(r["loss"][0, 0, 0])
    assert experiments.retrain_for_activation("relu", lr=1e12, epochs=30)["history"].diverged


def test_activation_ranking_hands_its_settings_on(monkeypatch):
    calls = []

    def fake_run(name, lr, epochs, seed):
        calls.append((name, lr, epochs, seed))
        return {"final_loss": 0.5, "accuracy": 0.75, "history": SimpleNamespace(diverged=False)}

    monkeypatch.setattr(experiments, "retrain_for_activation", fake_run)
    r = experiments.activation_ranking(lrs=[0.2], seeds=[7, 8], names=["elu"], epochs=12)
    assert calls == [("elu", 0.2, 12, 7), ("elu", 0.2, 12, 8)]
    assert (r["names"], r["lrs"], r["seeds"]) == (("elu",), (0.2,), (7, 8))
    np.testing.assert_array_equal(r["loss"], np.full((1, 1, 2), 0.5))
    np.testing.assert_array_equal(r["accuracy"], np.full((1, 1, 2), 0.75))


# ---------------------------------------------------------------------------------------
# lesson 07
# ---------------------------------------------------------------------------------------
def test_gradient_bars_for_defaults_are_10_sigmoid_xavier_layers_of_64():
    r = experiments.gradient_bars_for()
    assert set(r) == {"depth", "activation", "init", "norms"}
    assert (r["depth"], r["activation"], r["init"]) == (10, "sigmoid", "xavier")
    X, y = probe_data(256, 10, 0)
    model = deep_mlp(10, 64, "sigmoid", "xavier", n_in=10, n_out=1, seed=0)
    np.testing.assert_array_equal(r["norms"], gradient_norms(model, X, y, "mse"))


def test_gradient_bars_for_hands_on_init_width_and_seed():
    r = experiments.gradient_bars_for(4, "tanh", "he", width=8, seed=3)
    assert (r["depth"], r["activation"], r["init"]) == (4, "tanh", "he")
    X, y = probe_data(256, 10, 3)
    model = deep_mlp(4, 8, "tanh", "he", n_in=10, n_out=1, seed=3)
    np.testing.assert_array_equal(r["norms"], gradient_norms(model, X, y, "mse"))


def test_gradient_bars_for_an_overflowing_net_is_silent():
    """400 layers of ReLU with large weights: the signal overflows to inf and then NaN
    (inf - inf); the result says so, and NumPy prints no warning even when set to warn."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="warn"):
            r = experiments.gradient_bars_for(400, "relu", "large", width=16)
    norms = r["norms"]
    assert norms.shape == (400,)
    assert np.isnan(norms).any() and np.isposinf(norms).any()


def _deep_by_hand(activation, init, depth, width, lr, epochs, seed):
    """train_deep_net rebuilt: the weights before and after every epoch are recorded."""
    X, y = probe_data(256, 10, seed)
    model = deep_mlp(depth, width, activation, init, n_in=10, n_out=1, seed=seed)
    dense = dense_layers(model)
    snapshots = [[layer.W.copy() for layer in dense]]
    grads = []

    def record(epoch, history):
        grads.append([np.linalg.norm(layer.dW) for layer in dense])
        snapshots.append([layer.W.copy() for layer in dense])
        return False

    history = train(model, X, y, "mse", get_optimizer("sgd", lr), epochs, progress=False,
                    seed=seed, callback=record)
    return model, history, snapshots, np.array(grads), y


DEEP_RESULT_KEYS = {"activation", "init", "depth", "lr", "epochs", "history", "model",
                    "final_loss", "grad_norms", "update_ratios", "moved", "target_var"}


def _small_deep_run():
    """A few epochs of a small net, and the same by hand (a few ms: each test runs its own,
    so that every test that checks train_deep_net also calls it)."""
    r = experiments.train_deep_net("tanh", "he", depth=3, width=8, lr=0.05, epochs=6, seed=2)
    return r, _deep_by_hand("tanh", "he", 3, 8, 0.05, 6, 2)


def test_train_deep_net_is_the_hand_built_run():
    r, (model, history, snapshots, grads, y) = _small_deep_run()
    assert set(r) == DEEP_RESULT_KEYS
    assert (r["activation"], r["init"], r["depth"], r["lr"], r["epochs"]) == ("tanh", "he", 3, 0.05, 6)
    assert r["history"].train_loss == history.train_loss
    assert history.train_loss[-1] != history.train_loss[-2]
    assert r["final_loss"] == history.train_loss[-1]
    _assert_same_weights(r["model"], model)
    assert r["target_var"] == float(np.var(y))
    assert r["target_var"] == pytest.approx(float(np.mean((y - y.mean()) ** 2)), rel=1e-12)


def test_train_deep_net_per_layer_speed_by_hand():
    r, (model, history, snapshots, grads, y) = _small_deep_run()
    np.testing.assert_array_equal(r["grad_norms"], grads)
    ratios = [[np.linalg.norm(new - old) / np.linalg.norm(old) for new, old in zip(after, before)]
              for before, after in zip(snapshots[:-1], snapshots[1:])]
    np.testing.assert_allclose(r["update_ratios"], ratios, rtol=1e-12)
    start, end = snapshots[0], snapshots[-1]
    moved = [np.linalg.norm(e - s) / np.linalg.norm(s) for s, e in zip(start, end)]
    np.testing.assert_allclose(r["moved"], moved, rtol=1e-12)
    assert r["moved"].shape == (3,) and np.all(r["moved"] > 0)


def test_train_deep_net_defaults():
    """Stopped after one epoch, the default run still says what it was set up to do."""
    r = experiments.train_deep_net(callback=_stop_at_once)
    assert set(r) == DEEP_RESULT_KEYS
    assert (r["activation"], r["init"], r["depth"], r["lr"], r["epochs"]) == ("sigmoid", "xavier", 10, 0.01, 300)
    assert r["history"].epochs == 1 and r["grad_norms"].shape == r["update_ratios"].shape == (1, 10)
    assert [layer.W.shape for layer in dense_layers(r["model"])] == [(10, 64)] + [(64, 64)] * 8 + [(64, 1)]
    model, history, snapshots, grads, y = _deep_by_hand("sigmoid", "xavier", 10, 64, 0.01, 1, 0)
    assert r["history"].train_loss == history.train_loss
    _assert_same_weights(r["model"], model)
    assert r["target_var"] == float(np.var(y))


# ---------------------------------------------------------------------------------------
# lesson 08: regularization_setting, worked out by hand
# ---------------------------------------------------------------------------------------
def test_regularization_setting_none():
    assert experiments.regularization_setting("none", 0.3) == ({}, 0.0, "no regularization")


def test_regularization_setting_l2_at_half_strength():
    kwargs, p, label = experiments.regularization_setting("L2", 0.5)
    assert kwargs == {"l2": pytest.approx(0.01, rel=1e-12)} and p == 0.0
    assert label == "L2, &lambda; = 0.0100"


def test_regularization_setting_l1_at_half_strength():
    kwargs, p, label = experiments.regularization_setting("L1", 0.5)
    assert kwargs == {"l1": pytest.approx(0.0025, rel=1e-12)} and p == 0.0
    assert label == "L1, &lambda; = 0.0025"


def test_regularization_setting_dropout_at_half_strength():
    kwargs, p, label = experiments.regularization_setting("dropout", 0.5)
    assert kwargs == {} and p == pytest.approx(0.35, rel=1e-12)
    assert label == "dropout, p = 0.35"


@pytest.mark.parametrize("strength, patience", [(0.0, 316), (0.5, 18), (0.8, 3), (1.0, 1)])
def test_regularization_setting_early_stopping_patience(strength, patience):
    """patience = round(10 ** (2.5 (1 - s))): 10^2.5 = 316.2, 10^1.25 = 17.8, 10^0.5 = 3.16."""
    kwargs, p, label = experiments.regularization_setting("early stopping", strength)
    assert set(kwargs) == {"early_stopping"} and kwargs["early_stopping"].patience == patience
    assert p == 0.0
    assert label == f"early stopping, patience {patience}"


def test_regularization_setting_clips_a_negative_strength_to_zero():
    assert experiments.regularization_setting("L2", -1.0) == ({"l2": 0.0}, 0.0, "L2, &lambda; = 0.0000")
    assert experiments.regularization_setting("L1", -0.5) == ({"l1": 0.0}, 0.0, "L1, &lambda; = 0.0000")
    assert experiments.regularization_setting("dropout", -2.0) == ({}, 0.0, "dropout, p = 0.00")


def test_regularization_setting_unknown_kind_lists_the_kinds():
    with pytest.raises(ValueError) as info:
        experiments.regularization_setting("L3", 0.5)
    assert str(info.value) == ("unknown regularization 'L3'; choose one of: "
                               "none, L2, L1, dropout, early stopping")


# ---------------------------------------------------------------------------------------
# lesson 08: the data and the run
# ---------------------------------------------------------------------------------------
def _overfit_data():
    X, y = datasets.moons(300, noise=0.35, seed=1)
    return datasets.train_val_split(X, y, val_fraction=0.8, seed=0)


def test_overfit_task_is_noisy_moons_split_by_seed_0():
    for got, want in zip(experiments.overfit_task(), _overfit_data()):
        np.testing.assert_array_equal(got, want)


def _moons_by_hand(optimizer, epochs, seed, p=0.0, hidden=64, **kwargs):
    X_tr, X_val, y_tr, y_val = _overfit_data()
    model = mlp([2, hidden, hidden, 2], activation="relu", dropout=p, seed=seed)
    history = train(model, X_tr, y_tr, "cross_entropy", optimizer, epochs,
                    validation_data=(X_val, y_val), progress=False, seed=seed, **kwargs)
    return model, history


REG_RESULT_KEYS = {"kind", "strength", "label", "epochs", "model", "history", "gap",
                   "final_loss", "data"}


def test_retrain_with_regularization_defaults_are_adam_0_01_seed_0_64_units():
    r = experiments.retrain_with_regularization(epochs=4)
    model, history = _moons_by_hand(Adam(0.01), 4, 0)
    assert set(r) == REG_RESULT_KEYS
    assert (r["kind"], r["strength"], r["label"], r["epochs"]) == ("none", 0.5, "no regularization", 4)
    assert r["history"].train_loss == history.train_loss
    assert r["history"].val_loss == history.val_loss
    _assert_same_weights(r["model"], model)
    data = _overfit_data()
    X_tr, X_val, y_tr, y_val = data
    gap = measure_gap(model, X_tr, y_tr, X_val, y_val, "cross_entropy")
    assert r["gap"] == gap and r["final_loss"] == gap["train_loss"]
    for got, want in zip(r["data"], data):
        np.testing.assert_array_equal(got, want)


def test_retrain_with_regularization_default_strength_and_epochs():
    r = experiments.retrain_with_regularization("L2", callback=_stop_at_once)
    assert (r["strength"], r["epochs"], r["label"]) == (0.5, 400, "L2, &lambda; = 0.0100")
    model, history = _moons_by_hand(Adam(0.01), 1, 0, l2=0.02 * 0.5)
    assert r["history"].train_loss == history.train_loss


def test_retrain_with_regularization_dropout_layers_and_seed():
    r = experiments.retrain_with_regularization("dropout", 0.5, epochs=3, hidden=8, lr=0.05, seed=1)
    drops = [layer for layer in r["model"].layers if isinstance(layer, Dropout)]
    assert len(drops) == 2 and all(d.p == pytest.approx(0.35) for d in drops)
    assert [layer.W.shape for layer in dense_layers(r["model"])] == [(2, 8), (8, 8), (8, 2)]
    model, history = _moons_by_hand(Adam(0.05), 3, 1, p=0.35, hidden=8)
    assert r["history"].train_loss == history.train_loss
    assert r["history"].val_loss == history.val_loss
    _assert_same_weights(r["model"], model)


@pytest.mark.parametrize("weight_decay", [1.0, 3.0])
def test_retrain_with_regularization_weight_decay_is_adamw_at_lr(weight_decay):
    r = experiments.retrain_with_regularization(epochs=3, weight_decay=weight_decay)
    model, history = _moons_by_hand(AdamW(0.01, weight_decay=weight_decay), 3, 0)
    assert r["history"].train_loss == history.train_loss
    _assert_same_weights(r["model"], model)
