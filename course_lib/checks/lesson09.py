"""Checks for exercises 09 (playground): predict, then run. Each function returns the
learner's prediction for an experiment that the notebook then runs with ``PlaygroundState``;
the expected answers are the outcomes of those runs (robust by a wide margin, see
``tests/test_checks_new_09_10.py``, which re-runs them)."""
import numbers

import numpy as np

from ._core import Case, Exercise, Mismatch, make_check, make_check_all, mistake, same_bool, same_int, show, type_text

LESSON = 9

#: the learning rates offered in the learning-rate question
LEARNING_RATES = (0.003, 0.03, 0.3, 3.0, 10.0)


# ------------------------------------------------------------------------------------------
# circle_units() -> the fewest tanh units in one hidden layer that can enclose the circle
# ------------------------------------------------------------------------------------------
def _circle_units_cases(rng=None):   # a prediction: no inputs, nothing to draw
    return [Case(
        "circle, features x1 and x2, one hidden layer of tanh units: the fewest units for which "
        "at least one of 5 seeds reaches test accuracy >= 0.9",
        verify=same_int(3),
        hint="each tanh unit contributes one straight line (where its weighted sum is 0); the "
             "output can only combine these lines. How many lines does it take to enclose a region?",
        mistakes=[
            mistake(same_int(1), "one unit gives one straight line, like no hidden layer at all: "
                                 "stuck near a coin flip"),
            mistake(same_int(2), "two lines make a band or a wedge, never a closed region around "
                                 "the inner class; three lines can form a triangle"),
            mistake(same_int(4), "four units work, but fewer do: three lines already enclose a "
                                 "triangle around the inner class"),
        ])]


# ------------------------------------------------------------------------------------------
# linear_hidden_layers_solve_circle() -> bool
# ------------------------------------------------------------------------------------------
def _linear_cases(rng=None):   # a prediction: no inputs, nothing to draw
    return [Case(
        "circle, features x1 and x2, two hidden layers of 8 units with activation 'linear', "
        "300 epochs of Adam: does the test loss end below 0.5?",
        verify=same_bool(False),
        hint="a linear layer after a linear layer is one linear map: W2 (W1 x + b1) + b2 = W x + b",
        mistakes=[
            mistake(same_bool(True), "without a nonlinear activation, any number of layers "
                                     "collapses into one linear map, W2 (W1 x + b1) + b2 = W x + b: "
                                     "the boundary stays a straight line, and the loss stays near "
                                     "ln 2 = 0.69"),
        ])]


# ------------------------------------------------------------------------------------------
# batch_size_lower_loss() -> 1 or 100
# ------------------------------------------------------------------------------------------
def _batch_cases(rng=None):   # a prediction: no inputs, nothing to draw
    return [Case(
        "moons, 2 x 8 tanh, SGD with learning rate 0.03, 50 epochs: batch size 1 or 100 "
        "(the whole training set) -- which ends with the lower training loss?",
        verify=same_int(1),
        hint="an epoch is one pass over the 100 training points; count the gradient steps per epoch",
        mistakes=[
            mistake(same_int(100), "with batch size 100 an epoch is ONE gradient step; with batch "
                                   "size 1 it is 100 (noisier) steps, so in 50 epochs it gets much "
                                   "further"),
        ])]


# ------------------------------------------------------------------------------------------
# best_learning_rate() -> one of LEARNING_RATES
# ------------------------------------------------------------------------------------------
def _one_of(expected, choices):
    def verify(got):
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (numbers.Real, np.floating, np.integer)):
            return Mismatch("wrong type", f"one of the numbers {', '.join(f'{c:g}' for c in choices)}",
                            f"{type_text(got)}: {show(got)}")
        if not any(np.isclose(float(got), c) for c in choices):
            return Mismatch("not one of the choices", ", ".join(f"{c:g}" for c in choices), f"{float(got):g}")
        if not np.isclose(float(got), expected):
            return Mismatch("wrong value", f"{expected:g}", f"{float(got):g}")
        return None
    return verify


def _is(value):
    def verify(got):
        try:
            return None if np.isclose(float(got), value) else Mismatch("", "", "")
        except (TypeError, ValueError):
            return Mismatch("", "", "")
    return verify


def _learning_rate_cases(rng=None):   # a prediction: no inputs, nothing to draw
    return [Case(
        "moons, 2 x 8 tanh, plain SGD, batch size 10, 100 epochs: which learning rate of "
        + ", ".join(f"{c:g}" for c in LEARNING_RATES) + " ends with the lowest training loss?",
        verify=_one_of(3.0, LEARNING_RATES),
        hint="the best learning rate is often close to the largest one that does not diverge",
        mistakes=[
            mistake(_is(0.003), "0.003 is far too small: 100 epochs of tiny steps barely move the loss"),
            mistake(_is(0.03), "0.03 is too small here: the loss is still falling slowly after 100 epochs"),
            mistake(_is(0.3), "0.3 is good, but a larger step is better still on this small network"),
            mistake(_is(10.0), "10 is too large: the steps overshoot, the loss explodes and the run "
                               "diverges"),
        ])]


EXERCISES = [
    Exercise(LESSON, "circle_units", 1, _circle_units_cases),
    Exercise(LESSON, "linear_hidden_layers_solve_circle", 1, _linear_cases),
    Exercise(LESSON, "batch_size_lower_loss", 1, _batch_cases),
    Exercise(LESSON, "best_learning_rate", 1, _learning_rate_cases),
]

check_circle_units = make_check(EXERCISES[0])
check_linear_hidden_layers_solve_circle = make_check(EXERCISES[1])
check_batch_size_lower_loss = make_check(EXERCISES[2])
check_best_learning_rate = make_check(EXERCISES[3])
check_all = make_check_all(EXERCISES)
