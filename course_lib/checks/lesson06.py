"""Checks for exercises 06 (activations): the derivatives of tanh, ReLU, leaky ReLU and ELU."""
import numpy as np

from .. import activations as act
from ._core import Case, Exercise, describe, inputs_rng, make_check, make_check_all, mistake, same_array, vary

LESSON = 6



def _inputs(rng):
    return [
        vary(rng, np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])),
        vary(rng, np.array([-1e4, -50.0, 50.0, 1e4])),
        np.zeros((2, 3)),
        inputs_rng(rng, 6).standard_normal((3, 4)) * 2.0,
        vary(rng, np.array([[-2.0, -0.1, 0.1, 2.0, 4.0]])),
    ]


_BIG = "for |z| = 1e4 nothing may overflow"


def _derivative_cases(rng, derivative, function, hint, big_hint, extra_mistakes, alphas=()):
    cases = []
    for z in _inputs(rng):
        expected = derivative(z)
        cases.append(Case(
            describe(z=z), (z,), verify=same_array(expected, dtype=np.float64),
            warnings_fail=bool(np.max(np.abs(z)) > 100),  # stability test: a NumPy warning fails it
            hint=big_hint if np.max(np.abs(z)) > 100 else hint,
            mistakes=[mistake(same_array(function(z), dtype=None),
                              "that is the activation itself; return its DERIVATIVE")] + extra_mistakes(z)))
    for alpha in alphas:
        z, alpha = vary(rng, np.array([-2.0, -0.5, 0.0, 0.5, 2.0])), vary(rng, alpha)
        cases.append(Case(
            describe(z=z, alpha=alpha), (z,), {"alpha": alpha},
            verify=same_array(derivative(z, alpha=alpha), dtype=np.float64),
            hint="use the alpha you are given, not a fixed number",
            mistakes=[mistake(same_array(derivative(z)), "use the alpha argument, not the default value")]))
    return cases


def _tanh_cases(rng=None):
    return _derivative_cases(
        rng, act.tanh_derivative, act.tanh,
        "tanh'(z) = 1 - tanh(z)^2",
        "1 / cosh(z)^2 overflows for |z| = 1e4 (cosh(1e4) = inf): use 1 - np.tanh(z)**2",
        lambda z: [mistake(same_array(1 - np.tanh(z)), "square the tanh: 1 - tanh(z)**2"),
                   mistake(same_array(np.tanh(z) ** 2 - 1), "the sign is wrong: 1 - tanh(z)**2")])


def _relu_cases(rng=None):
    return _derivative_cases(
        rng, act.relu_derivative, act.relu,
        "relu'(z) = 1 where z > 0, else 0 (take 0 at z = 0), as floats: (z > 0).astype(float)",
        "relu'(z) = 1 where z > 0, else 0, as floats",
        lambda z: [mistake(same_array((z >= 0).astype(float)), "at z = 0 take the derivative 0 (z > 0, not z >= 0)"),
                   mistake(same_array(z > 0, dtype=bool),
                           "return floats, not booleans: (z > 0).astype(float)")])


def _leaky_cases(rng=None):
    return _derivative_cases(
        rng, act.leaky_relu_derivative, act.leaky_relu,
        "leaky_relu'(z) = 1 where z > 0, else alpha (alpha also at z = 0)",
        "leaky_relu'(z) = 1 where z > 0, else alpha",
        lambda z: [mistake(same_array(act.relu_derivative(z)), "negative z get the slope alpha, not 0"),
                   mistake(same_array(np.where(z >= 0, 1.0, 0.01)), "at z = 0 take alpha (z > 0, not z >= 0)")],
        alphas=(0.2,))


def _elu_cases(rng=None):
    return _derivative_cases(
        rng, act.elu_derivative, act.elu,
        "elu'(z) = 1 where z > 0, else alpha * exp(z)",
        "np.where evaluates both branches, and np.exp(1e4) overflows: "
        "use np.exp(np.minimum(z, 0)) for the negative branch",
        lambda z: [mistake(same_array(np.where(z > 0, 1.0, np.exp(np.minimum(z, 0)) - 1)),
                           "the derivative of alpha (e^z - 1) is alpha e^z: drop the -1"),
                   mistake(same_array(np.where(z >= 0, 1.0, np.exp(np.minimum(z, 0)))),
                           "at z = 0 use the negative branch: alpha * e^0 = alpha")],
        alphas=(0.5,))


EXERCISES = [
    Exercise(LESSON, "tanh_derivative", 1, _tanh_cases),
    Exercise(LESSON, "relu_derivative", 1, _relu_cases),
    Exercise(LESSON, "leaky_relu_derivative", 1, _leaky_cases),
    Exercise(LESSON, "elu_derivative", 2, _elu_cases),
]

check_tanh_derivative = make_check(EXERCISES[0])
check_relu_derivative = make_check(EXERCISES[1])
check_leaky_relu_derivative = make_check(EXERCISES[2])
check_elu_derivative = make_check(EXERCISES[3])
check_all = make_check_all(EXERCISES)
