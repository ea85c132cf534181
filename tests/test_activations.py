"""Activation functions, their derivatives, and the classic single-neuron example."""
import numpy as np
import pytest

from course_lib import Neuron, activations
from course_lib.activations import (ACTIVATIONS, elu, elu_derivative, get_activation, leaky_relu,
                                    leaky_relu_derivative, linear, linear_derivative, relu,
                                    relu_derivative, sigmoid, sigmoid_derivative, softmax, tanh,
                                    tanh_derivative)
from course_lib.gradcheck import numerical_gradient, relative_error

TOL = 1e-7


def away_from_zero(shape, seed, low=0.1, high=4.0):
    """Random values with |z| in [low, high]: no kink of ReLU / LeakyReLU / ELU nearby."""
    rng = np.random.default_rng(seed)
    return rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


# --------------------------------------------------------------------------------------
# The classic example
# --------------------------------------------------------------------------------------
def test_classic_neuron_example():
    # sigmoid(0*2 + 1*3 + 4) = sigmoid(7)
    assert Neuron([0, 1], 4).feedforward([2, 3]) == 0.9990889488055994


def test_neuron_batch_and_other_activation():
    n = Neuron([0.5, -1.0], 0.25, activation="relu")
    out = n.feedforward([[2.0, 0.0], [0.0, 2.0]])
    np.testing.assert_array_equal(out, [1.25, 0.0])
    assert n.weighted_sum([1.0, 1.0]) == pytest.approx(-0.25)
    assert "relu" in repr(n)


# --------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------
def test_known_values():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    assert sigmoid(0.0) == 0.5
    np.testing.assert_allclose(tanh(z), np.tanh(z))
    np.testing.assert_array_equal(relu(z), [0, 0, 0, 0.5, 2])
    np.testing.assert_allclose(leaky_relu(z), [-0.02, -0.005, 0, 0.5, 2])
    np.testing.assert_allclose(leaky_relu(z, alpha=0.2), [-0.4, -0.1, 0, 0.5, 2])
    np.testing.assert_allclose(elu(z), [np.exp(-2) - 1, np.exp(-0.5) - 1, 0, 0.5, 2], rtol=1e-15)
    np.testing.assert_allclose(elu(z, alpha=2.0)[:2], 2 * (np.exp([-2, -0.5]) - 1), rtol=1e-15)
    np.testing.assert_array_equal(linear(z), z)


def test_derivative_known_values():
    assert sigmoid_derivative(0.0) == 0.25
    assert tanh_derivative(0.0) == 1.0
    np.testing.assert_array_equal(relu_derivative([-1.0, 0.0, 1.0]), [0, 0, 1])  # 0 at 0, as PyTorch
    np.testing.assert_array_equal(leaky_relu_derivative([-1.0, 0.0, 1.0], alpha=0.1), [0.1, 0.1, 1])
    np.testing.assert_allclose(elu_derivative([-1.0, 1.0]), [np.exp(-1), 1.0])
    np.testing.assert_array_equal(linear_derivative([[1, -2]]), [[1.0, 1.0]])


def test_shapes_are_preserved():
    z = away_from_zero((3, 4, 2), seed=1)
    for name, (f, f_prime) in ACTIVATIONS.items():
        assert np.shape(f(z)) == z.shape, name
        assert np.shape(f_prime(z)) == z.shape, name


def test_softmax_rows_and_shift_invariance():
    z = np.random.default_rng(0).normal(size=(5, 4)) * 3
    p = softmax(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-15)
    assert np.all(p > 0)
    np.testing.assert_allclose(softmax(z + 123.0), p, rtol=1e-12)
    # along another axis
    np.testing.assert_allclose(softmax(z, axis=0).sum(axis=0), 1.0, rtol=1e-15)
    # by hand for one row
    row = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(softmax(row), np.exp(row) / np.exp(row).sum(), rtol=1e-15)


# --------------------------------------------------------------------------------------
# Every derivative function against central finite differences
# --------------------------------------------------------------------------------------
DERIVATIVES = [
    ("sigmoid", sigmoid, sigmoid_derivative),
    ("tanh", tanh, tanh_derivative),
    ("relu", relu, relu_derivative),
    ("leaky_relu", leaky_relu, leaky_relu_derivative),
    ("leaky_relu(alpha=0.3)", lambda z: leaky_relu(z, 0.3), lambda z: leaky_relu_derivative(z, 0.3)),
    ("elu", elu, elu_derivative),
    ("elu(alpha=0.7)", lambda z: elu(z, 0.7), lambda z: elu_derivative(z, 0.7)),
    ("linear", linear, linear_derivative),
]


@pytest.mark.parametrize("name,f,f_prime", DERIVATIVES, ids=[d[0] for d in DERIVATIVES])
def test_derivative_matches_finite_differences(name, f, f_prime):
    z = away_from_zero((6, 5), seed=2)
    R = np.random.default_rng(3).standard_normal(z.shape)
    # scalar L = sum(f(z) * R): dL/dz = R * f'(z)
    numeric = numerical_gradient(lambda: float(np.sum(f(z) * R)), z)
    analytic = R * f_prime(z)
    assert relative_error(analytic, numeric) < TOL


def test_every_registered_activation_has_its_derivative_checked():
    checked = {name for name, _, _ in DERIVATIVES}
    assert set(ACTIVATIONS) <= checked


def test_registry():
    assert set(ACTIVATIONS) == {"sigmoid", "tanh", "relu", "leaky_relu", "elu", "linear"}
    assert get_activation("ReLU") == (relu, relu_derivative)
    assert get_activation("sigmoid")[0] is activations.sigmoid
    with pytest.raises(TypeError, match="takes a name"):
        get_activation(relu)
