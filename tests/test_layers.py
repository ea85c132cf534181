"""Layers: forward values, backward against finite differences, Dense and Dropout details."""
import numpy as np
import pytest

from course_lib.gradcheck import check_layer
from course_lib.layers import (ACTIVATION_LAYERS, ELU, Dense, Dropout, Identity, LeakyReLU, ReLU,
                               Sigmoid, Softmax, Tanh, activation_layer)
from helpers import FixedMaskDropout

TOL = 1e-7


def away_from_zero(shape, seed, low=0.1, high=3.0):
    """|x| in [low, high]: finite differences never cross the kink of ReLU & co. at 0."""
    rng = np.random.default_rng(seed)
    return rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


def _eval_dropout():
    d = Dropout(0.5, rng=0)
    d.training = False
    return d


LAYERS = {
    "Dense": lambda: Dense(5, 3, rng=0),
    "Dense(he)": lambda: Dense(5, 3, init="he", rng=1),
    "Sigmoid": Sigmoid,
    "Tanh": Tanh,
    "ReLU": ReLU,
    "LeakyReLU": LeakyReLU,
    "LeakyReLU(0.2)": lambda: LeakyReLU(0.2),
    "ELU": ELU,
    "ELU(0.5)": lambda: ELU(0.5),
    "Softmax": Softmax,
    "Identity": Identity,
    "Dropout(fixed mask)": lambda: FixedMaskDropout(0.4, seed=3),
    "Dropout(eval)": _eval_dropout,
}


@pytest.mark.parametrize("name", list(LAYERS))
def test_layer_gradients_match_finite_differences(name):
    layer = LAYERS[name]()
    x = away_from_zero((4, 5), seed=7)
    result = check_layer(layer, x, tol=TOL)
    assert result.passed, f"{name}:\n{result}"
    expected = {"input", "W", "b"} if isinstance(layer, Dense) else {"input"}
    assert set(result.errors) == expected


def test_fixed_mask_dropout_really_drops_something():
    # otherwise its gradient check above would only test the identity
    layer = FixedMaskDropout(0.4, seed=3)
    layer.forward(np.ones((4, 5)))
    assert 0 < np.count_nonzero(layer.mask == 0) < layer.mask.size


def test_dense_forward_backward_by_hand():
    layer = Dense(2, 3, rng=0)
    layer.W[...] = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    layer.b[...] = [0.5, -0.5, 1.0]
    x = np.array([[1.0, 0.0], [1.0, -1.0]])
    out = layer.forward(x)
    np.testing.assert_array_equal(out, [[1.5, 1.5, 4.0], [-2.5, -3.5, -2.0]])
    g = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 2.0]])
    grad_in = layer.backward(g)
    np.testing.assert_array_equal(layer.dW, x.T @ g)
    np.testing.assert_array_equal(layer.db, [1.0, 1.0, 2.0])
    np.testing.assert_array_equal(grad_in, g @ layer.W.T)
    assert layer.backward(g, need_grad_in=False) is None
    np.testing.assert_array_equal(layer.dW, x.T @ g)  # parameter gradients still computed


def test_dense_shapes_and_parameters():
    layer = Dense(4, 2, rng=0)
    assert layer.W.shape == (4, 2) and layer.b.shape == (2,)
    np.testing.assert_array_equal(layer.b, 0.0)
    names = [name for name, _, _ in layer.parameters()]
    assert names == ["W", "b"]
    out = layer.forward(np.ones((7, 4)))
    assert out.shape == (7, 2)
    assert layer.backward(np.ones((7, 2))).shape == (7, 4)
    assert layer.dW.shape == (4, 2) and layer.db.shape == (2,)


def test_dense_is_seeded_and_keeps_dtype():
    a, b = Dense(3, 4, rng=42), Dense(3, 4, rng=42)
    np.testing.assert_array_equal(a.W, b.W)
    assert not np.array_equal(a.W, Dense(3, 4, rng=43).W)
    f32 = Dense(3, 4, rng=0, dtype=np.float32)
    assert f32.W.dtype == np.float32 and f32.b.dtype == np.float32
    assert f32.forward(np.ones((2, 3), dtype=np.float32)).dtype == np.float32


def test_dense_backward_before_forward_and_wrong_grad_shape():
    layer = Dense(2, 3)
    with pytest.raises(RuntimeError, match="call forward before backward"):
        layer.backward(np.ones((1, 3)))
    layer.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"grad_out has shape \(4, 2\)"):
        layer.backward(np.ones((4, 2)))


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_dense_sizes_must_be_positive_integers(bad):
    with pytest.raises(ValueError, match="n_in must be a positive integer"):
        Dense(bad, 3)
    with pytest.raises(ValueError, match="n_out must be a positive integer"):
        Dense(3, bad)


def test_activation_layers_match_the_functions():
    z = np.array([[-2.0, -0.5, 0.5, 2.0]])
    np.testing.assert_allclose(Sigmoid().forward(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    np.testing.assert_allclose(Tanh().forward(z), np.tanh(z))
    np.testing.assert_array_equal(ReLU().forward(z), [[0, 0, 0.5, 2]])
    np.testing.assert_allclose(LeakyReLU(0.1).forward(z), [[-0.2, -0.05, 0.5, 2]])
    np.testing.assert_allclose(ELU().forward(z), [[np.expm1(-2), np.expm1(-0.5), 0.5, 2]])
    np.testing.assert_allclose(Softmax().forward(z), np.exp(z) / np.exp(z).sum(), rtol=1e-14)
    assert Identity().forward(z) is z


def test_relu_gradient_is_zero_at_zero_like_pytorch():
    layer = ReLU()
    layer.forward(np.array([[0.0, 1.0]]))
    np.testing.assert_array_equal(layer.backward(np.array([[5.0, 5.0]])), [[0.0, 5.0]])


def test_activation_layer_registry():
    for name, cls in ACTIVATION_LAYERS.items():
        assert isinstance(activation_layer(name), cls)
    assert isinstance(activation_layer("Tanh"), Tanh)


# --------------------------------------------------------------------------------------
# Dropout
# --------------------------------------------------------------------------------------
def test_dropout_training_mask_values_and_rate():
    p = 0.3
    layer = Dropout(p, rng=0)
    x = np.ones((200, 50))
    out = layer.forward(x)
    # each unit is either dropped (0) or scaled by 1/(1-p)
    assert set(np.unique(out)) <= {0.0, 1 / (1 - p)}
    assert abs(np.mean(out == 0) - p) < 0.02          # 10 000 units: sd of the rate ~ 0.005
    assert abs(out.mean() - 1.0) < 0.03               # expectation unchanged
    g = np.random.default_rng(1).standard_normal(x.shape)
    np.testing.assert_array_equal(layer.backward(g), g * layer.mask)


def test_dropout_eval_and_p_zero_are_identity():
    x = np.random.default_rng(0).standard_normal((3, 4))
    layer = Dropout(0.5, rng=0)
    layer.training = False
    assert layer.forward(x) is x
    g = np.ones_like(x)
    assert layer.backward(g) is g
    assert Dropout(0.0).forward(x) is x


def test_dropout_is_seeded():
    x = np.ones((5, 6))
    np.testing.assert_array_equal(Dropout(0.5, rng=9).forward(x), Dropout(0.5, rng=9).forward(x))


@pytest.mark.parametrize("p", [1.0, -0.1, 1.5])
def test_dropout_probability_range(p):
    with pytest.raises(ValueError, match="p must satisfy 0 <= p < 1"):
        Dropout(p)
