"""course_lib.analysis (gradient norms, activation statistics, dead units) and
course_lib.surfaces (2-D loss surfaces, optimizer paths)."""
import numpy as np
import pytest

import course_lib as cl
from course_lib import analysis as an
from course_lib import surfaces as sf


# ---------------------------------------------------------------------------------------
# analysis
# ---------------------------------------------------------------------------------------
def test_gradient_norms_match_the_backward_pass():
    X, y = an.probe_data(32, 10, seed=1)
    model = an.deep_mlp(4, 8, "tanh", "xavier", seed=1)
    norms = an.gradient_norms(model, X, y, "mse")
    loss = cl.MSE()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    expected = [np.sqrt(np.sum(layer.dW ** 2)) for layer in an.dense_layers(model)]
    assert norms.shape == (4,)
    np.testing.assert_allclose(norms, expected)


def test_gradient_norm_of_first_layer_matches_finite_differences():
    X, y = an.probe_data(16, 10, seed=2)
    model = an.deep_mlp(3, 6, "sigmoid", "xavier", seed=2)
    norm = an.gradient_norms(model, X, y, "mse")[0]
    W = an.dense_layers(model)[0].W
    numeric = np.zeros_like(W)
    h = 1e-6
    for idx in np.ndindex(W.shape):
        old = W[idx]
        W[idx] = old + h
        up = cl.MSE().forward(model.predict(X), y)
        W[idx] = old - h
        down = cl.MSE().forward(model.predict(X), y)
        W[idx] = old
        numeric[idx] = (up - down) / (2 * h)
    assert norm == pytest.approx(np.linalg.norm(numeric), rel=1e-5)


def test_sigmoid_gradients_vanish_and_he_relu_gradients_do_not():
    X, y = an.probe_data(256, 10, seed=0)
    sig = an.gradient_norms(an.deep_mlp(10, 64, "sigmoid", "xavier", seed=0), X, y)
    relu = an.gradient_norms(an.deep_mlp(10, 64, "relu", "he", seed=0), X, y)
    assert sig[0] / sig[-1] < 1e-4          # orders of magnitude smaller near the input
    assert 0.05 < relu[0] / relu[-1] < 20   # about the same size everywhere


def test_large_init_explodes():
    X, y = an.probe_data(256, 10, seed=0)
    norms = an.gradient_norms(an.deep_mlp(10, 64, "relu", "large", seed=0), X, y)
    assert norms.min() > 1e6


def test_layer_activations_and_stats():
    X, _ = an.probe_data(100, 10, seed=0)
    model = an.deep_mlp(5, 16, "tanh", "large", seed=0)
    acts = an.layer_activations(model, X)
    assert len(acts) == 4 and all(a.shape == (100, 16) for a in acts)
    stats = an.activation_stats(model, X)
    assert stats[-1]["saturated"] > 0.3       # large weights saturate tanh
    small = an.activation_stats(an.deep_mlp(5, 16, "tanh", "small", seed=0), X)
    assert small[-1]["std"] < 1e-4             # small weights make the signal vanish


def test_dead_unit_fraction():
    X, _ = an.probe_data(50, 10, seed=0)
    model = an.deep_mlp(3, 8, "relu", "he", seed=0)
    assert an.dead_unit_fraction(model, X).shape == (2,)
    first = an.dense_layers(model)[0]
    first.b[:4] = -1e3                         # 4 of 8 units can never switch on
    assert an.dead_unit_fraction(model, X)[0] == pytest.approx(0.5)
    tanh = an.deep_mlp(3, 8, "tanh", seed=0)
    assert an.dead_unit_fraction(tanh, X).size == 0


def test_measure_gap_and_generalization_gap():
    X, y = cl.datasets.moons(60, noise=0.2, seed=0)
    Xt, Xv, yt, yv = cl.datasets.train_val_split(X, y, 0.5, seed=0)
    model = cl.mlp([2, 8, 2], seed=0)
    h = cl.train(model, Xt, yt, "cross_entropy", cl.Adam(0.01), 20, validation_data=(Xv, yv),
                 progress=False)
    g = an.measure_gap(model, Xt, yt, Xv, yv, "cross_entropy")
    assert g["gap"] == pytest.approx(g["val_loss"] - g["train_loss"])
    assert g["val_loss"] == pytest.approx(h.val_loss[-1])
    assert 0 <= g["val_acc"] <= 1
    assert an.generalization_gap(h) == pytest.approx(h.val_loss[-1] - h.train_loss[-1])
    with pytest.raises(ValueError):
        an.generalization_gap(cl.History(train_loss=[1.0]))


def test_deep_mlp_depth():
    model = an.deep_mlp(7, 5, "relu", "he", seed=0)
    assert len(an.dense_layers(model)) == 7
    with pytest.raises(ValueError):
        an.deep_mlp(1)


# ---------------------------------------------------------------------------------------
# surfaces
# ---------------------------------------------------------------------------------------
def test_quadratic_sgd_path_has_the_closed_form():
    s = sf.Quadratic(0.1, 1.0)
    lr, k = 0.5, 30
    path = sf.optimizer_path(s, "sgd", (-4.0, 2.0), k, lr=lr)
    assert path.shape == (k + 1, 2)
    steps = np.arange(k + 1)
    np.testing.assert_allclose(path[:, 0], -4.0 * (1 - lr * 0.1) ** steps)
    np.testing.assert_allclose(path[:, 1], 2.0 * (1 - lr * 1.0) ** steps, atol=1e-12)


def test_divergence_beyond_two_over_curvature():
    s = sf.Quadratic(0.1, 1.0)
    stable = sf.path_losses(s, sf.optimizer_path(s, "sgd", (1.0, 1.0), 100, lr=1.9))
    unstable = sf.optimizer_path(s, "sgd", (1.0, 1.0), 400, lr=2.5)
    assert stable[-1] < stable[0]
    assert sf.diverged(unstable, 400)


@pytest.mark.parametrize("surface", [sf.Quadratic(2.0, 0.5), sf.Rosenbrock()])
def test_gradients_match_finite_differences(surface):
    rng = np.random.default_rng(0)
    for _ in range(5):
        p = rng.uniform(-1.5, 1.5, 2)
        h = 1e-6
        num = [(surface(p + h * e) - surface(p - h * e)) / (2 * h) for e in np.eye(2)]
        np.testing.assert_allclose(surface.grad(p), num, rtol=1e-5, atol=1e-6)


def test_paths_use_the_library_optimizers():
    s = sf.Quadratic(0.02, 2.0)
    for name in ("momentum", "rmsprop", "adam"):
        path = sf.optimizer_path(s, name, (-4.5, 2.0), 200, lr=0.1)
        assert sf.path_losses(s, path)[-1] < 0.01 * s((-4.5, 2.0))
    # an optimizer instance works too, and equals the name form
    a = sf.optimizer_path(s, cl.Adam(0.1), (-4.5, 2.0), 10)
    b = sf.optimizer_path(s, "adam", (-4.5, 2.0), 10, lr=0.1)
    np.testing.assert_allclose(a, b)
    with pytest.raises(ValueError):
        sf.optimizer_path(s, "adam", (0, 0), 10)
