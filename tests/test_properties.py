"""Property tests (hypothesis): shapes, softmax rows, stability at extreme inputs, signs.

Example counts are kept small (``FAST``) so the whole file runs in a few seconds.
"""
import warnings
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_lib import datasets
from course_lib.activations import (elu, elu_derivative, leaky_relu, relu, sigmoid,
                                    sigmoid_derivative, softmax, tanh_derivative)
from course_lib.layers import (ELU, Dense, Dropout, Identity, LeakyReLU, ReLU, Sigmoid, Softmax,
                               Tanh)
from course_lib.losses import MSE, BinaryCrossEntropy, CrossEntropy

FAST = settings(max_examples=30, deadline=None)
EXTREME = 1e4


def matrices(low=-10.0, high=10.0, max_rows=6, max_cols=6, min_cols=1):
    """float64 arrays of shape (N, D), N in 1..max_rows, D in min_cols..max_cols."""
    shapes = st.tuples(st.integers(1, max_rows), st.integers(min_cols, max_cols))
    elements = st.floats(low, high, allow_nan=False, allow_infinity=False)
    return shapes.flatmap(lambda s: arrays(np.float64, s, elements=elements))


extreme_matrices = matrices(-EXTREME, EXTREME)


@contextmanager
def no_numpy_warnings():
    """Any NumPy warning (overflow, divide by zero, invalid value) becomes an error.

    Two nets: warnings.simplefilter("error") under NumPy's default settings proves that a
    learner sees no warning; np.errstate(...="raise") turns the same events into exceptions
    even where some code path silences warnings. Underflow stays ignored (NumPy's default):
    e^-10000 rounding to exactly 0.0 is the correct double, not a problem.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            yield


# --------------------------------------------------------------------------------------
# Shapes of every layer's forward and backward
# --------------------------------------------------------------------------------------
ELEMENTWISE = [Sigmoid, Tanh, ReLU, LeakyReLU, ELU, Softmax, Identity,
               lambda: Dropout(0.5, rng=0)]


@FAST
@given(x=matrices(), which=st.integers(0, len(ELEMENTWISE) - 1), training=st.booleans())
def test_activation_and_dropout_layer_shapes(x, which, training):
    layer = ELEMENTWISE[which]()
    layer.training = training
    out = layer.forward(x)
    assert out.shape == x.shape
    grad_in = layer.backward(np.ones_like(out))
    assert grad_in.shape == x.shape
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(grad_in))


@FAST
@given(x=matrices(), n_out=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_dense_shapes(x, n_out, seed):
    n, d = x.shape
    layer = Dense(d, n_out, rng=seed)
    out = layer.forward(x)
    assert out.shape == (n, n_out)
    grad_in = layer.backward(np.ones((n, n_out)))
    assert grad_in.shape == (n, d)
    assert layer.dW.shape == layer.W.shape == (d, n_out)
    assert layer.db.shape == layer.b.shape == (n_out,)


# --------------------------------------------------------------------------------------
# Softmax
# --------------------------------------------------------------------------------------
@FAST
@given(z=extreme_matrices)
def test_softmax_rows_sum_to_one(z):
    with no_numpy_warnings():
        p = softmax(z)
        layer_p = Softmax().forward(z)
    assert np.all(p >= 0) and np.all(p <= 1)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(p, layer_p)
    # the largest logit gets the largest probability
    rows = np.arange(len(z))
    assert np.all(p[rows, z.argmax(axis=1)] == p.max(axis=1))


@FAST
@given(z=matrices(-50, 50), shift=st.floats(-1e3, 1e3))
def test_softmax_is_shift_invariant(z, shift):
    np.testing.assert_allclose(softmax(z + shift), softmax(z), rtol=1e-9, atol=1e-300)


# --------------------------------------------------------------------------------------
# Stability at extreme inputs: finite, and no NumPy warning
# --------------------------------------------------------------------------------------
def _with_extremes(z):
    """Make sure the very ends of the range appear, not only what hypothesis happens to draw."""
    z = z.copy()
    z.flat[0] = EXTREME
    z.flat[-1] = -EXTREME
    return z


@FAST
@given(z=extreme_matrices)
def test_sigmoid_is_stable(z):
    z = _with_extremes(z)
    with no_numpy_warnings():
        s = sigmoid(z)
        ds = sigmoid_derivative(z)
        layer = Sigmoid()
        out = layer.forward(z)
        grad = layer.backward(np.ones_like(z))
    for a in (s, ds, out, grad):
        assert np.all(np.isfinite(a))
    assert np.all((s >= 0) & (s <= 1))
    assert np.all((ds >= 0) & (ds <= 0.25))
    if z.size > 1:
        assert s.flat[0] == 1.0 and s.flat[-1] == 0.0


@FAST
@given(z=extreme_matrices)
def test_other_activations_are_stable(z):
    z = _with_extremes(z)
    with no_numpy_warnings():
        results = [elu(z), elu_derivative(z), leaky_relu(z), relu(z), tanh_derivative(z),
                   ELU().forward(z), Tanh().forward(z)]
    for a in results:
        assert np.all(np.isfinite(a))


@FAST
@given(z=extreme_matrices)
def test_softmax_is_stable(z):
    z = _with_extremes(z)
    with no_numpy_warnings():
        layer = Softmax()
        p = layer.forward(z)
        grad = layer.backward(np.ones_like(z))
    assert np.all(np.isfinite(p)) and np.all(np.isfinite(grad))


@FAST
@given(z=matrices(-EXTREME, EXTREME, max_cols=1), data=st.data())
def test_bce_after_sigmoid_is_stable(z, data):
    z = _with_extremes(z)
    y = data.draw(arrays(np.int64, z.shape, elements=st.integers(0, 1)))
    with no_numpy_warnings():
        p = sigmoid(z)
        loss = BinaryCrossEntropy()
        value = loss(p, y)
        grad = loss.backward()
    assert np.isfinite(value) and value >= 0
    assert np.all(np.isfinite(grad))


@FAST
@given(z=matrices(-EXTREME, EXTREME, min_cols=2), data=st.data())
def test_cross_entropy_is_stable(z, data):
    z = _with_extremes(z)
    n, c = z.shape
    y = data.draw(arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    with no_numpy_warnings():
        loss = CrossEntropy()
        value = loss(z, y)
        grad = loss.backward()
    assert np.isfinite(value) and value >= 0
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-12)   # softmax - one-hot


def test_the_stability_checks_can_fail():
    # the guard itself works: a naive sigmoid overflows and is caught
    with pytest.raises((FloatingPointError, RuntimeWarning)):
        with no_numpy_warnings():
            1.0 / (1.0 + np.exp(-np.array([-EXTREME])))


# --------------------------------------------------------------------------------------
# Losses are non-negative (and zero only where they should be)
# --------------------------------------------------------------------------------------
@FAST
@given(y_pred=matrices(-100, 100), data=st.data())
def test_mse_is_non_negative(y_pred, data):
    y = data.draw(arrays(np.float64, y_pred.shape, elements=st.floats(-100, 100)))
    loss = MSE()
    assert loss(y_pred, y) >= 0
    assert loss(y_pred, y_pred) == 0


@FAST
@given(p=matrices(0.0, 1.0, max_cols=2), data=st.data())
def test_bce_is_non_negative(p, data):
    # soft targets in [0, 1] too: the cross-entropy of two distributions is >= 0
    y = data.draw(arrays(np.float64, p.shape, elements=st.floats(0.0, 1.0)))
    with no_numpy_warnings():
        value = BinaryCrossEntropy()(p, y)
    assert value >= 0


@FAST
@given(z=matrices(-100, 100, min_cols=2), data=st.data())
def test_cross_entropy_is_non_negative_and_matches_minus_log_softmax(z, data):
    n, c = z.shape
    y = data.draw(arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    value = CrossEntropy()(z, y)
    assert value >= 0
    with np.errstate(divide="ignore"):   # log(0) = -inf is allowed in this reference
        reference = -np.mean(np.log(softmax(z)[np.arange(n), y]))
    if np.isfinite(reference):
        assert value == pytest.approx(reference, rel=1e-9, abs=1e-12)


# --------------------------------------------------------------------------------------
# Splitting
# --------------------------------------------------------------------------------------
@FAST
@given(n=st.integers(2, 60), fraction=st.floats(0.05, 0.95), seed=st.integers(0, 100))
def test_train_val_split_is_a_partition(n, fraction, seed):
    X, y = np.arange(n).reshape(-1, 1), np.arange(n)
    n_val = int(round(fraction * n))
    if n_val in (0, n):
        with pytest.raises(ValueError, match="leaves one part empty"):
            datasets.train_val_split(X, y, fraction, seed=seed)
        return
    X_tr, X_val, y_tr, y_val = datasets.train_val_split(X, y, fraction, seed=seed)
    assert len(y_val) == n_val and len(y_tr) == n - n_val
    assert sorted(np.concatenate([y_tr, y_val])) == list(range(n))
    np.testing.assert_array_equal(X_tr[:, 0], y_tr)
