"""Sequential and mlp: whole-model gradients against finite differences, modes, building."""

import numpy as np
import pytest

from course_lib import (ELU, BinaryCrossEntropy, CrossEntropy, Dense, Dropout, LeakyReLU, MSE,
                        ReLU, Sequential, Sigmoid, Softmax, Tanh, mlp)
from course_lib.gradcheck import check_model
from course_lib.layers import Identity
from helpers import FixedMaskDropout

TOL = 1e-7


def min_abs_preactivation(model, X):
    """Smallest |z| that any Dense layer feeds into a kinked activation (ReLU family)."""
    smallest = np.inf
    x = X
    for layer, nxt in zip(model.layers, model.layers[1:] + [None]):
        x = layer.forward(x)
        if isinstance(layer, Dense) and isinstance(nxt, (ReLU, LeakyReLU, ELU)):
            smallest = min(smallest, np.min(np.abs(x)))
    return smallest


def _data(n, d, seed):
    return np.random.default_rng(seed).uniform(-2, 2, (n, d))


def _labels(n, k, seed):
    return np.random.default_rng(seed).integers(0, k, n)


ARCHITECTURES = {
    "tanh -> sigmoid, BCE": lambda: (mlp([2, 4, 1], "tanh", output="sigmoid", seed=0),
                                     BinaryCrossEntropy(), _data(6, 2, 1), _labels(6, 2, 2)),
    "relu x2 -> logits, CrossEntropy": lambda: (mlp([3, 5, 4, 3], "relu", seed=1),
                                                CrossEntropy(), _data(7, 3, 27), _labels(7, 3, 4)),
    "elu -> linear, MSE": lambda: (mlp([2, 6, 2], "elu", seed=2), MSE(), _data(5, 2, 5),
                                   np.random.default_rng(6).standard_normal((5, 2))),
    "leaky_relu x2 -> softmax, MSE": lambda: (mlp([4, 5, 5, 3], "leaky_relu", output="softmax", seed=3),
                                              MSE(), _data(6, 4, 7), np.eye(3)[_labels(6, 3, 8)]),
    "deep sigmoid, CrossEntropy": lambda: (mlp([3, 4, 4, 4, 2], "sigmoid", seed=4), CrossEntropy(),
                                           _data(6, 3, 9), _labels(6, 2, 10)),
    "regression 1-D, tanh, MSE on (N,) targets": lambda: (mlp([1, 8, 1], "tanh", seed=5), MSE(),
                                                          _data(8, 1, 11),
                                                          np.random.default_rng(12).standard_normal(8)),
    "hand-built with dropout (fixed mask)": lambda: (
        Sequential([Dense(3, 6, rng=6), Tanh(), FixedMaskDropout(0.3, seed=13), Dense(6, 2, rng=7),
                    Identity()]), CrossEntropy(), _data(5, 3, 14), _labels(5, 2, 15)),
    "dropout in eval mode": lambda: (
        mlp([3, 6, 1], "sigmoid", output="sigmoid", dropout=0.5, seed=8).eval(),
        BinaryCrossEntropy(), _data(5, 3, 16), _labels(5, 2, 17)),
}


@pytest.mark.parametrize("name", list(ARCHITECTURES))
def test_model_gradients_match_finite_differences(name):
    model, loss, X, y = ARCHITECTURES[name]()
    assert min_abs_preactivation(model, X) > 1e-3, "test data too close to a kink"
    result = check_model(model, loss, X, y, tol=TOL)
    assert result.passed, f"{name}:\n{result}"
    assert set(result.errors) == {name for name, _, _ in model.parameters()}


def test_backward_returns_input_gradient():
    model = mlp([3, 4, 2], "tanh", seed=0)
    X = _data(5, 3, 1)
    out = model.forward(X)
    g = np.random.default_rng(2).standard_normal(out.shape)
    grad_in = model.backward(g, need_grad_in=True)
    assert grad_in.shape == X.shape
    # by hand: chain rule through Dense -> Tanh -> Dense
    d1, _, d2 = model.layers
    h = np.tanh(X @ d1.W + d1.b)
    expected = ((g @ d2.W.T) * (1 - h**2)) @ d1.W.T
    np.testing.assert_allclose(grad_in, expected, rtol=1e-12)
    # need_grad_in=False gives the same parameter gradients and no input gradient
    dW = [grad.copy() for _, _, grad in model.parameters()]
    model.forward(X)
    assert model.backward(g, need_grad_in=False) is None
    for before, (_, _, after) in zip(dW, model.parameters()):
        np.testing.assert_array_equal(before, after)


def test_backward_skips_the_data_gradient_by_default():
    """``model.backward(g)`` fills dW, db and returns None (the data needs no gradient, as
    in PyTorch); ``need_grad_in=True`` returns dL/dx; the parameter gradients are equal."""
    model = mlp([3, 4, 2], "tanh", seed=0)
    X = _data(5, 3, 1)
    g = np.random.default_rng(2).standard_normal((5, 2))
    model.forward(X)
    grad_x = model.backward(g, need_grad_in=True)
    assert grad_x.shape == X.shape
    grads = [grad.copy() for _, _, grad in model.parameters()]
    model.forward(X)
    assert model.backward(g) is None
    for before, (_, _, after) in zip(grads, model.parameters()):
        np.testing.assert_array_equal(before, after)
    # a first layer without weights is skipped; one of another kind with weights is not
    act_first = Sequential([Tanh(), Dense(3, 2, rng=0)])
    act_first.forward(X)
    assert act_first.backward(g) is None
    np.testing.assert_allclose(act_first.backward(g, need_grad_in=True),
                               (g @ act_first.layers[1].W.T) * (1 - np.tanh(X) ** 2))


def test_mlp_structure_and_defaults():
    model = mlp([2, 8, 8, 1], activation="tanh", output="sigmoid", seed=0)
    kinds = [type(layer) for layer in model.layers]
    assert kinds == [Dense, Tanh, Dense, Tanh, Dense, Sigmoid]
    assert model.layers[0].init == "xavier"
    assert mlp([2, 3, 1], "relu").layers[0].init == "he"
    assert mlp([2, 3, 1], "elu", init="zeros").layers[0].init == "zeros"
    assert (model.n_in, model.n_out) == (2, 1)
    assert model.n_parameters() == (2 * 8 + 8) + (8 * 8 + 8) + (8 * 1 + 1)
    names = [name for name, _, _ in model.parameters()]
    assert names == ["layers[0].W", "layers[0].b", "layers[2].W", "layers[2].b",
                     "layers[4].W", "layers[4].b"]
    model.layers.append(Dense(1, 2, rng=0))          # names follow a changed list of layers
    assert [name for name, _, _ in model.parameters()][-2:] == ["layers[6].W", "layers[6].b"]
    with_dropout = mlp([2, 4, 4, 3], "relu", dropout=0.2, seed=0)
    assert [type(layer) for layer in with_dropout.layers] == [Dense, ReLU, Dropout, Dense, ReLU,
                                                              Dropout, Dense]
    assert isinstance(mlp([2, 3], output="softmax").layers[-1], Softmax)


def test_mlp_is_seeded():
    a, b = mlp([2, 5, 1], seed=3), mlp([2, 5, 1], seed=3)
    for (_, va, _), (_, vb, _) in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(va, vb)
    assert not np.array_equal(a.layers[0].W, mlp([2, 5, 1], seed=4).layers[0].W)


@pytest.mark.parametrize("sizes", [[3], [2, 0, 1], []])
def test_mlp_rejects_bad_sizes(sizes):
    with pytest.raises(ValueError, match="sizes must list at least an input and an output size"):
        mlp(sizes)


def test_predict_uses_eval_mode_and_restores_training():
    model = mlp([3, 50, 2], "relu", dropout=0.5, seed=0)
    X = _data(10, 3, 1)
    assert model.training
    p1, p2 = model.predict(X), model.predict(X)
    np.testing.assert_array_equal(p1, p2)            # dropout off: deterministic
    assert model.training                            # mode restored
    assert not np.array_equal(model.forward(X), p1)  # training mode: dropout on
    model.eval()
    model.predict(X)
    assert not model.training                        # eval mode kept too
    assert model.train() is model and model.training


def test_predict_accepts_lists_and_ints():
    model = mlp([2, 3, 1], "tanh", seed=0)
    np.testing.assert_allclose(model.predict([[0, 1], [1, 0]]),
                               model.predict(np.array([[0.0, 1.0], [1.0, 0.0]])))


def test_predict_classes():
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    binary = Sequential([Dense(2, 1, init="zeros"), Sigmoid()])
    binary.layers[0].W[...] = [[5.0], [5.0]]
    binary.layers[0].b[...] = -5.0
    np.testing.assert_array_equal(binary.predict_classes(X), [0, 1])
    multi = Sequential([Dense(2, 3, init="zeros")])
    multi.layers[0].b[...] = [0.0, 2.0, 1.0]
    np.testing.assert_array_equal(multi.predict_classes(X), [1, 1])


def test_call_is_forward_and_repr():
    model = mlp([2, 3, 1], "tanh", seed=0)
    X = _data(4, 2, 0)
    np.testing.assert_array_equal(model(X), model.forward(X))
    assert "Dense(2, 3" in repr(model) and "Tanh()" in repr(model)


def test_sequential_rejects_non_layers():
    with pytest.raises(TypeError, match="layer 1 is 'relu', not a course_lib layer"):
        Sequential([Dense(2, 2), "relu"])
