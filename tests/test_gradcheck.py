"""The gradient checker itself: it must pass correct gradients and catch wrong ones."""
import numpy as np
import pytest

from course_lib import Dense, MSE, Sequential, Sigmoid, Tanh, mlp
from course_lib.gradcheck import (GradCheckResult, check_layer, check_loss, check_model,
                                  numerical_gradient, relative_error)


def test_numerical_gradient_of_known_functions_and_restores_x():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    x_before = x.copy()
    g = numerical_gradient(lambda: float(np.sum(x**3)), x)
    np.testing.assert_allclose(g, 3 * x_before**2, rtol=1e-9)
    np.testing.assert_array_equal(x, x_before)                   # restored exactly
    v = np.array([0.3, -0.7, 1.1])
    np.testing.assert_allclose(numerical_gradient(lambda: float(np.sin(v).sum()), v), np.cos(v),
                               rtol=1e-9)


def test_central_differences_are_second_order():
    # error of (f(x+h) - f(x-h)) / 2h for f = exp is ~ h^2/6 f'''(x)
    x = np.array([0.0])
    for h in (1e-2, 1e-3):
        err = abs(numerical_gradient(lambda: float(np.exp(x[0])), x, h=h)[0] - 1.0)
        assert err == pytest.approx(h**2 / 6, rel=0.01)


def test_relative_error():
    a = np.array([1.0, 2.0, 3.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(a, -a) == 1.0
    assert relative_error(a, a * (1 + 1e-9)) < 1e-9
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.zeros(0), np.zeros(0)) == 0.0
    with pytest.raises(ValueError, match=r"shape mismatch: analytic gradient \(3,\) vs numerical \(2,\)"):
        relative_error(a, a[:2])


class WrongSigmoid(Sigmoid):
    """A typical learner's bug: forgets the factor (1 - out) in backward."""

    def backward(self, grad_out):
        return grad_out * self.out


class WrongDense(Dense):
    """Another typical bug: db averaged over the batch instead of summed."""

    def backward(self, grad_out, need_grad_in=True):
        grad_in = super().backward(grad_out, need_grad_in)
        self.db = grad_out.mean(axis=0)
        return grad_in


class WrongMSE(MSE):
    """Forgets the factor 2 of the derivative of a square."""

    def backward(self):
        return self.diff / self.diff.size


X = np.random.default_rng(0).uniform(-1, 1, (4, 3))


def test_check_layer_catches_a_wrong_activation_backward():
    assert check_layer(Sigmoid(), X).passed
    result = check_layer(WrongSigmoid(), X)
    assert not result.passed and result.errors["input"] > 0.1
    assert "WRONG" in str(result) and "FAILED" in str(result)


def test_check_layer_names_the_wrong_parameter():
    result = check_layer(WrongDense(3, 2, rng=0), X)
    assert result.errors["input"] < 1e-7 and result.errors["W"] < 1e-7
    assert result.errors["b"] > 0.1
    assert not result


def test_check_loss_catches_a_wrong_loss_backward():
    y = np.random.default_rng(1).standard_normal((4, 3))
    assert check_loss(MSE(), X, y)
    assert check_loss(WrongMSE(), X, y).errors["y_pred"] == pytest.approx(1 / 3, rel=1e-6)
    assert not check_loss(WrongMSE(), X, y)


def test_check_model_catches_a_bug_deep_inside():
    y = np.random.default_rng(2).standard_normal((4, 1))
    good = Sequential([Dense(3, 4, rng=0), Sigmoid(), Dense(4, 1, rng=1)])
    bad = Sequential([Dense(3, 4, rng=0), WrongSigmoid(), Dense(4, 1, rng=1)])
    assert check_model(good, "mse", X, y).passed
    result = check_model(bad, "mse", X, y)
    assert not result.passed
    # the last layer's gradients do not go through the bug; the first layer's do
    assert result.errors["layers[2].W"] < 1e-7
    assert result.errors["layers[0].W"] > 0.1


def test_check_model_restores_the_weights():
    model = mlp([3, 4, 1], "tanh", seed=0)
    before = [v.copy() for _, v, _ in model.parameters()]
    check_model(model, "mse", X, np.zeros((4, 1)))
    for b, (_, v, _) in zip(before, model.parameters()):
        np.testing.assert_array_equal(b, v)


def test_correct_gradients_are_far_below_the_tolerance():
    result = check_model(mlp([3, 5, 2], "tanh", seed=1), "cross_entropy", X, [0, 1, 1, 0])
    assert result.max_error < 1e-8
    assert "passed" in str(result)


def test_result_object():
    r = GradCheckResult({"a": 1e-9, "b": 2e-9}, tol=1e-7)
    assert r.passed and bool(r) and r.max_error == 2e-9
    assert not GradCheckResult({"a": 1e-3}, tol=1e-7)
    assert GradCheckResult({}, tol=1e-7).max_error == 0.0
