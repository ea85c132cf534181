"""course_lib.experiments: the experiments of lessons 05-08, run without any widget.

This file imports only the numerical core: no matplotlib, no ipywidgets.
"""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course_lib import analysis, experiments

ROOT = Path(__file__).resolve().parents[1]

TRAINING_EXPERIMENTS = [experiments.retrain_for_lr, experiments.retrain_for_activation,
                        experiments.retrain_with_regularization, experiments.train_deep_net]


def test_importing_the_experiments_loads_no_presentation():
    code = ("import json, sys\nimport course_lib.experiments\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    for name in ("matplotlib", "ipywidgets", "course_lib.plots", "course_lib.widgets"):
        assert not any(m == name or m.startswith(name + ".") for m in loaded), f"{name} was imported"


# ---------------------------------------------------------------------------------------
# lesson 05
# ---------------------------------------------------------------------------------------
def test_lesson05_xor_failure_and_a_fix():
    r = experiments.retrain_for_lr(lr=0.1, optimizer="sgd")
    assert abs(r["final_loss"] - 0.25) < 0.01
    assert np.all(np.abs(r["outputs"] - 0.5) < 0.1)        # 0.5 for every input
    assert r["history"].epochs == 1000 and len(r["path"]) == 41
    r = experiments.retrain_for_lr(lr=3.0, optimizer="sgd")
    assert r["final_loss"] < 0.05


def test_lesson05_surface_path_starts_at_the_start_and_diverges_above_2():
    r = experiments.retrain_for_lr(lr=0.5, optimizer="sgd", epochs=5)
    np.testing.assert_array_equal(r["path"][0], experiments.GD_START)
    assert r["path_loss"][-1] < r["path_loss"][0]
    r = experiments.retrain_for_lr(lr=2.1, optimizer="sgd", epochs=5)
    assert r["path_loss"][-1] > r["path_loss"][0]


def test_lesson05_divergence_is_reported():
    r = experiments.retrain_for_lr(lr=10.0, optimizer="sgd")
    if r["history"].diverged:
        assert np.all(np.isnan(r["outputs"]))
    else:
        assert np.all(np.isfinite(r["outputs"]))


def _xor_plateau_net(epochs=1000):
    from course_lib import datasets, mlp, train, SGD
    X, y = datasets.xor()
    y = y.reshape(-1, 1).astype(float)
    model = mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=0)
    train(model, X, y, "mse", SGD(0.1), epochs, progress=False)
    return model, X, y


def test_gradient_cancellation_mean_is_the_batch_gradient():
    model, X, y = _xor_plateau_net(epochs=10)
    g = experiments.gradient_cancellation(model, X, y, "mse")
    assert g["sample_norms"].shape == (4,)
    assert g["mean_norm"] == pytest.approx(g["batch_norm"], rel=1e-10)
    one = experiments.gradient_cancellation(model, X[:1], y[:1], "mse")
    assert one["mean_norm"] == pytest.approx(one["sample_norms"][0], rel=1e-12)


def test_gradient_cancellation_on_the_xor_plateau():
    """Lesson 05's claim: each sample's gradient is about 0.3, their mean about 4e-4."""
    model, X, y = _xor_plateau_net()
    W = [layer.W.copy() for layer in analysis.dense_layers(model)]
    g = experiments.gradient_cancellation(model, X, y)
    assert np.all((g["sample_norms"] > 0.2) & (g["sample_norms"] < 0.5))
    assert g["mean_norm"] < 1e-3
    for layer, w in zip(analysis.dense_layers(model), W):      # measuring changes no weight
        np.testing.assert_array_equal(layer.W, w)


# ---------------------------------------------------------------------------------------
# lesson 06
# ---------------------------------------------------------------------------------------
def test_activation_ranking_shapes_and_values():
    r = experiments.activation_ranking(lrs=(0.4,), seeds=(0, 1), names=("sigmoid", "relu"), epochs=40)
    assert r["loss"].shape == r["accuracy"].shape == (2, 1, 2)
    assert (r["names"], r["lrs"], r["seeds"]) == (("sigmoid", "relu"), (0.4,), (0, 1))
    single = experiments.retrain_for_activation("relu", lr=0.4, epochs=40, seed=1)
    assert r["loss"][1, 0, 1] == single["final_loss"]
    assert np.all(r["loss"][1] < r["loss"][0])                 # ReLU ahead of sigmoid

def test_lesson06_task_and_defaults():
    X, y = experiments.activation_task()
    assert X.shape == (200, 2) and y.shape == (200,)
    r = experiments.retrain_for_activation()
    assert (r["activation"], r["lr"], r["epochs"]) == ("relu", 0.4, 300)
    assert r["history"].epochs == 300 and 0.0 <= r["accuracy"] <= 1.0
    assert [layer.W.shape for layer in analysis.dense_layers(r["model"])] == [(2, 16), (16, 16), (16, 2)]


def test_lesson06_relu_learns_faster_than_sigmoid():
    relu = experiments.retrain_for_activation("relu")
    sigmoid = experiments.retrain_for_activation("sigmoid")
    assert relu["final_loss"] < sigmoid["final_loss"]
    assert sigmoid["final_loss"] > 0.6                      # near ln 2: still guessing


def test_lesson06_a_huge_learning_rate_trains_worse():
    r = experiments.retrain_for_activation("relu", lr=10.0)
    assert r["final_loss"] > experiments.retrain_for_activation("relu")["final_loss"]


# ---------------------------------------------------------------------------------------
# lesson 07
# ---------------------------------------------------------------------------------------
def test_lesson07_gradient_bars_are_the_lessons_measurement():
    r = experiments.gradient_bars_for(10, "sigmoid", "xavier")
    X, y = analysis.probe_data(256, 10, seed=0)
    model = analysis.deep_mlp(10, 64, "sigmoid", "xavier", seed=0)
    np.testing.assert_array_equal(r["norms"], analysis.gradient_norms(model, X, y, "mse"))
    assert r["norms"][0] / r["norms"][-1] < 1e-4            # vanishing
    he = experiments.gradient_bars_for(10, "relu", "he")["norms"]
    assert he[0] / he[-1] > 1e-2                            # healthy


def test_train_deep_net_records_per_layer_speed():
    r = experiments.train_deep_net("relu", "he", depth=4, width=16, lr=0.05, epochs=5)
    assert r["grad_norms"].shape == r["update_ratios"].shape == (5, 4)
    assert r["moved"].shape == (4,) and r["history"].epochs == 5
    # plain gradient descent: the first update is lr * dL/dW, so ratio = lr * ||dW|| / ||W_0||
    model = analysis.deep_mlp(4, 16, "relu", "he", seed=0)
    W0 = [np.linalg.norm(layer.W) for layer in analysis.dense_layers(model)]
    np.testing.assert_allclose(r["update_ratios"][0], 0.05 * r["grad_norms"][0] / W0, rtol=1e-10)


def test_lesson07_sigmoid_net_stays_at_the_mean_relu_learns():
    """Lesson 07's claim: trained 300 epochs, sigmoid + Xavier stays at Var(y) with its
    first layer nearly frozen; ReLU + He learns."""
    sigmoid = experiments.train_deep_net("sigmoid", "xavier")
    relu = experiments.train_deep_net("relu", "he")
    assert sigmoid["final_loss"] == pytest.approx(sigmoid["target_var"], abs=1e-3)
    assert sigmoid["moved"][0] < 1e-4
    assert relu["final_loss"] < 0.5 * relu["target_var"]
    assert relu["moved"].min() > 1e-2


def test_lesson07_exploding_settings_do_not_raise():
    norms = experiments.gradient_bars_for(20, "relu", "large")["norms"]
    assert norms.shape == (20,)


# ---------------------------------------------------------------------------------------
# lesson 08
# ---------------------------------------------------------------------------------------
def test_regularization_settings():
    assert experiments.regularization_setting("none", 1.0)[0] == {}
    assert experiments.regularization_setting("L2", 0.5)[0] == {"l2": pytest.approx(0.01)}
    assert experiments.regularization_setting("L1", 1.0)[0] == {"l1": pytest.approx(0.005)}
    assert experiments.regularization_setting("dropout", 1.0)[1] == pytest.approx(0.7)
    assert experiments.regularization_setting("early stopping", 1.0)[0]["early_stopping"].patience == 1
    assert experiments.regularization_setting("L2", 7.0)[0] == {"l2": pytest.approx(0.02)}  # clipped
    with pytest.raises(ValueError, match="unknown regularization"):
        experiments.regularization_setting("L3", 0.5)


def test_lesson08_task_is_60_training_and_240_validation_points():
    X_tr, X_val, y_tr, y_val = experiments.overfit_task()
    assert X_tr.shape == (60, 2) and X_val.shape == (240, 2)
    assert y_tr.shape == (60,) and y_val.shape == (240,)


def test_lesson08_l2_narrows_the_gap_of_the_memorising_network():
    none = experiments.retrain_with_regularization("none")
    l2 = experiments.retrain_with_regularization("L2", 0.5)
    assert none["gap"]["train_acc"] == 1.0                  # memorised
    assert l2["gap"]["gap"] < none["gap"]["gap"]
    assert none["history"].val_loss and none["final_loss"] == none["gap"]["train_loss"]


def test_lesson08_weight_decay_trains_with_adamw():
    """AdamW at the same lambda as the L2 penalty regularises far less (lesson 08)."""
    plain = experiments.retrain_with_regularization("none", epochs=60)
    decayed = experiments.retrain_with_regularization("none", epochs=60, weight_decay=3.0)
    l2 = experiments.retrain_with_regularization("L2", 0.5, epochs=60)
    weak = experiments.retrain_with_regularization("none", epochs=60, weight_decay=0.01)

    def norm(r):
        return np.linalg.norm(np.concatenate([layer.W.ravel() for layer in analysis.dense_layers(r["model"])]))

    assert norm(decayed) < norm(plain)
    assert norm(l2) < norm(weak) < norm(plain)
    with pytest.raises(ValueError, match="weight_decay"):
        experiments.retrain_with_regularization("none", epochs=2, weight_decay=-1.0)


# ---------------------------------------------------------------------------------------
# the callback: called once per epoch, stops training, changes nothing else
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("experiment", TRAINING_EXPERIMENTS, ids=lambda f: f.__name__)
def test_callback_true_stops_training(experiment):
    seen = []

    def stop_after_three(epoch, history):
        seen.append(epoch)
        return epoch >= 2

    r = experiment(callback=stop_after_three)
    assert seen == [0, 1, 2]
    assert r["history"].epochs == 3


@pytest.mark.parametrize("experiment", TRAINING_EXPERIMENTS, ids=lambda f: f.__name__)
def test_a_callback_that_never_stops_changes_nothing(experiment):
    kwargs = {"epochs": 30}
    plain = experiment(**kwargs)
    calls = []
    watched = experiment(callback=lambda epoch, history: calls.append(epoch) and False, **kwargs)
    assert calls == list(range(30))
    assert watched["history"].train_loss == plain["history"].train_loss
    assert watched["final_loss"] == plain["final_loss"]
