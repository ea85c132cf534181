"""Each optimizer against its textbook update, written out by hand, on a small quadratic."""
import numpy as np
import pytest

from course_lib import Dense, Sequential
from course_lib.optimizers import OPTIMIZERS, SGD, Adam, AdamW, Momentum, RMSProp, get_optimizer

# f(theta) = 1/2 theta^T A theta - c^T theta,  grad f = A theta - c,  minimum at A^-1 c
A = np.array([[3.0, 0.5], [0.5, 1.0]])
C = np.array([1.0, -2.0])
THETA0 = np.array([2.0, 1.5])
STEPS = 8


def grad(theta):
    return A @ theta - C


class Quadratic:
    """A stand-in for a model: one parameter, with ``parameters()`` like ``Sequential``."""

    def __init__(self):
        self.theta = THETA0.copy()
        self.g = np.zeros_like(self.theta)

    def backward(self):
        self.g[...] = grad(self.theta)   # in place, as layers leave their gradients

    def parameters(self):
        return [("theta", self.theta, self.g)]

    def f(self):
        return 0.5 * self.theta @ A @ self.theta - C @ self.theta


def run(optimizer, steps=STEPS):
    """Theta after each step of ``optimizer`` on the quadratic."""
    model = Quadratic()
    path = []
    for _ in range(steps):
        model.backward()
        optimizer.step(model)
        path.append(model.theta.copy())
    return path


def assert_paths_equal(actual, expected):
    assert len(actual) == len(expected)
    for t, (a, e) in enumerate(zip(actual, expected), start=1):
        np.testing.assert_allclose(a, e, rtol=1e-14, atol=1e-15, err_msg=f"after step {t}")


def test_sgd_textbook():
    lr = 0.1
    theta, expected = THETA0.copy(), []
    for _ in range(STEPS):
        theta = theta - lr * grad(theta)
        expected.append(theta)
    assert_paths_equal(run(SGD(lr)), expected)
    # one step by hand with numbers: g(theta0) = [3*2 + 0.5*1.5 - 1, 0.5*2 + 1.5 + 2] = [5.75, 4.5]
    np.testing.assert_allclose(run(SGD(lr), 1)[0], [2.0 - 0.575, 1.5 - 0.45])


def test_momentum_textbook():
    lr, beta = 0.05, 0.8
    theta, v, expected = THETA0.copy(), np.zeros(2), []
    for _ in range(STEPS):
        v = beta * v + grad(theta)      # v_0 = 0, so the first v is g (PyTorch's convention)
        theta = theta - lr * v
        expected.append(theta)
    assert_paths_equal(run(Momentum(lr, beta=beta)), expected)


def test_rmsprop_textbook():
    lr, beta, eps = 0.01, 0.9, 1e-8
    theta, s, expected = THETA0.copy(), np.zeros(2), []
    for _ in range(STEPS):
        g = grad(theta)
        s = beta * s + (1 - beta) * g**2
        theta = theta - lr * g / (np.sqrt(s) + eps)
        expected.append(theta)
    assert_paths_equal(run(RMSProp(lr, beta=beta, eps=eps)), expected)
    # the first step moves each coordinate by lr / sqrt(1 - beta), whatever the gradient's size
    first = run(RMSProp(lr, beta=beta), 1)[0]
    np.testing.assert_allclose(np.abs(first - THETA0), lr / np.sqrt(1 - beta), rtol=1e-7)


def test_adam_textbook():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    theta, m, v, expected = THETA0.copy(), np.zeros(2), np.zeros(2), []
    for t in range(1, STEPS + 1):
        g = grad(theta)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        expected.append(theta)
    assert_paths_equal(run(Adam(lr, beta1=b1, beta2=b2, eps=eps)), expected)
    # bias correction: the first step has length lr in every coordinate
    first = run(Adam(lr), 1)[0]
    np.testing.assert_allclose(np.abs(first - THETA0), lr, rtol=1e-7)


@pytest.mark.parametrize("make, lr", [(SGD, 0.1), (Momentum, 0.05), (RMSProp, 0.05), (Adam, 0.05)],
                         ids=["SGD", "Momentum", "RMSProp", "Adam"])
def test_every_optimizer_decreases_the_quadratic(make, lr):
    optimizer = make(lr)          # a fresh optimizer each run: an optimizer belongs to one model
    model = Quadratic()
    f0 = model.f()
    for _ in range(200):
        model.backward()
        optimizer.step(model)
    f_min = -0.5 * C @ np.linalg.solve(A, C)
    assert model.f() - f_min < 0.05 * (f0 - f_min)


def test_optimizers_update_model_parameters_in_place():
    model = Sequential([Dense(2, 3, rng=0)])
    W, b = model.layers[0].W, model.layers[0].b
    W_before = W.copy()
    model.forward(np.ones((4, 2)))
    model.backward(np.ones((4, 3)))
    dW = model.layers[0].dW.copy()
    SGD(0.5).step(model)
    assert model.layers[0].W is W and model.layers[0].b is b       # same arrays, updated
    np.testing.assert_allclose(W, W_before - 0.5 * dW)
    np.testing.assert_allclose(b, -0.5 * 4.0)


def test_state_step_count_and_reset():
    opt = Adam(0.1)
    path = run(opt, 3)
    assert opt.t == 3
    opt.reset()
    assert opt.t == 0 and opt.state is None
    assert_paths_equal(run(opt, 3), path)     # a fresh start gives the same path


def test_optimizer_refuses_a_different_model():
    opt = Momentum(0.1)
    run(opt, 1)
    model = Sequential([Dense(2, 2), Dense(2, 1)])
    model.forward(np.ones((1, 2)))
    model.backward(np.ones((1, 1)))
    with pytest.raises(ValueError, match=r"this Momentum optimizer was used with another model .*"
                                         r"create a new optimizer for each model, or call "
                                         r"optimizer.reset\(\)"):
        opt.step(model)
    opt.reset()
    opt.step(model)                         # after reset() it belongs to the new model


def test_optimizer_refuses_a_second_model_of_the_same_shapes():
    """State carried over silently would be wrong even when every shape agrees."""
    first, second = Sequential([Dense(2, 3, rng=0)]), Sequential([Dense(2, 3, rng=1)])
    opt = Adam(0.1)
    for model in (first, second):
        model.forward(np.ones((1, 2)))
        model.backward(np.ones((1, 3)))
    opt.step(first)
    opt.step(first)                         # the same model again: fine
    with pytest.raises(ValueError, match="this Adam optimizer was used with another model"):
        opt.step(second)
    first.layers[0].W = first.layers[0].W.copy()      # a replaced parameter array
    with pytest.raises(ValueError, match="parameter arrays were replaced"):
        opt.step(first)


def test_get_optimizer():
    assert set(OPTIMIZERS) == {"sgd", "momentum", "rmsprop", "adam", "adamw"}
    for name, cls in OPTIMIZERS.items():
        opt = get_optimizer(name.upper(), 0.01)
        assert type(opt) is cls and opt.lr == 0.01
    adam = get_optimizer("adam", 0.002, beta1=0.8, beta2=0.99)
    assert (adam.beta1, adam.beta2) == (0.8, 0.99)
    assert repr(adam) == "Adam(lr=0.002, beta1=0.8, beta2=0.99)"


def test_defaults_are_pytorch_defaults():
    assert Momentum(0.1).beta == 0.9
    assert (Adam().lr, Adam().beta1, Adam().beta2, Adam().eps) == (0.001, 0.9, 0.999, 1e-8)
    assert RMSProp(0.1).eps == 1e-8


@pytest.mark.parametrize("cls,kwargs,name", [
    (Momentum, {"beta": 1.0}, "beta"), (RMSProp, {"beta": -0.1}, "beta"),
    (Adam, {"beta1": 1.0}, "beta1"), (Adam, {"beta2": 1.5}, "beta2"),
])
def test_betas_must_lie_in_0_1(cls, kwargs, name):
    with pytest.raises(ValueError, match=f"{name} must satisfy 0 <= {name} < 1"):
        cls(0.1, **kwargs)


# --------------------------------------------------------------------------------------
# AdamW: decoupled weight decay, on weights only
# --------------------------------------------------------------------------------------
class QuadraticWithBias(Quadratic):
    """The quadratic in a weight ``W`` plus a bias ``b`` with f = 1/2 (b - 1)^2."""

    def __init__(self):
        super().__init__()
        self.b, self.gb = np.array([3.0]), np.zeros(1)

    def backward(self):
        super().backward()
        self.gb[...] = self.b - 1.0

    def parameters(self):
        return [("layers[0].W", self.theta, self.g), ("layers[0].b", self.b, self.gb)]


def test_adamw_textbook():
    lr, b1, b2, eps, wd = 0.1, 0.9, 0.999, 1e-8, 0.5
    theta, m, v, expected = THETA0.copy(), np.zeros(2), np.zeros(2), []
    b, mb, vb, expected_b = np.array([3.0]), np.zeros(1), np.zeros(1), []
    for t in range(1, STEPS + 1):
        g, gb = grad(theta), b - 1.0
        theta = theta * (1 - lr * wd)                  # decoupled decay first: weights only
        m, mb = b1 * m + (1 - b1) * g, b1 * mb + (1 - b1) * gb
        v, vb = b2 * v + (1 - b2) * g**2, b2 * vb + (1 - b2) * gb**2
        theta = theta - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        b = b - lr * (mb / (1 - b1**t)) / (np.sqrt(vb / (1 - b2**t)) + eps)
        expected.append(theta)
        expected_b.append(b)
    model, opt = QuadraticWithBias(), AdamW(lr, beta1=b1, beta2=b2, eps=eps, weight_decay=wd)
    for t in range(STEPS):
        model.backward()
        opt.step(model)
        np.testing.assert_allclose(model.theta, expected[t], rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(model.b, expected_b[t], rtol=1e-14, atol=1e-15)


def test_adamw_without_decay_is_adam_and_decay_is_not_an_l2_gradient():
    assert_paths_equal(run(AdamW(0.1, weight_decay=0.0)), run(Adam(0.1)))
    # parameters not named W (here "theta") are never decayed
    assert_paths_equal(run(AdamW(0.1, weight_decay=0.5)), run(Adam(0.1)))
    model, opt = QuadraticWithBias(), AdamW(0.1, weight_decay=0.5)
    model.backward()
    model.g[...] = 0.0                                 # zero gradient: only the decay moves W
    opt.step(model)
    np.testing.assert_allclose(model.theta, THETA0 * (1 - 0.1 * 0.5), rtol=1e-15)


def test_adamw_defaults_registry_and_repr():
    opt = AdamW()
    assert (opt.lr, opt.beta1, opt.beta2, opt.eps, opt.weight_decay) == (0.001, 0.9, 0.999, 1e-8, 0.01)
    assert repr(AdamW(0.01, weight_decay=0.1)) == "AdamW(lr=0.01, beta1=0.9, beta2=0.999, weight_decay=0.1)"
    assert type(get_optimizer("AdamW", 0.01, weight_decay=0.1)) is AdamW
    import course_lib
    assert course_lib.AdamW is AdamW and "AdamW" in course_lib.__all__
