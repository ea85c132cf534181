"""Losses: values by hand, gradients against finite differences, names."""
import warnings

import numpy as np
import pytest

from course_lib.gradcheck import check_loss
from course_lib.losses import LOSSES, MSE, BinaryCrossEntropy, CrossEntropy, get_loss

TOL = 1e-7
rng = np.random.default_rng


# --------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------
def test_mse_value_and_gradient_by_hand():
    loss = MSE()
    y_pred = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = np.array([[0.0, 2.0], [5.0, 4.0]])
    assert loss(y_pred, y) == pytest.approx((1 + 0 + 4 + 0) / 4)
    np.testing.assert_allclose(loss.backward(), 2 * (y_pred - y) / 4)


def test_mse_accepts_flat_targets_for_one_output():
    # (N,) targets with (N, 1) predictions must not broadcast to (N, N)
    y_pred = np.array([[1.0], [2.0], [3.0]])
    loss = MSE()
    assert loss(y_pred, np.array([1.0, 2.0, 5.0])) == pytest.approx(4 / 3)
    assert loss.backward().shape == (3, 1)


def test_bce_value_and_gradient_by_hand():
    p = np.array([[0.9], [0.2], [0.6]])
    y = np.array([1, 0, 1])
    loss = BinaryCrossEntropy()
    expected = -np.mean([np.log(0.9), np.log(0.8), np.log(0.6)])
    assert loss(p, y) == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(loss.backward(), (p - y[:, None]) / (p * (1 - p)) / 3, rtol=1e-14)


def test_bce_after_sigmoid_gives_p_minus_y():
    # the classic simplification: d BCE(sigmoid(z)) / dz = (p - y) / N
    z = np.array([[-1.5], [0.3], [2.0], [-0.2]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    p = 1 / (1 + np.exp(-z))
    loss = BinaryCrossEntropy()
    loss(p, y)
    np.testing.assert_allclose(loss.backward() * p * (1 - p), (p - y) / 4, rtol=1e-12)


def test_bce_clips_certain_mistakes_instead_of_inf():
    loss = BinaryCrossEntropy()
    value = loss(np.array([[0.0], [1.0]]), np.array([1, 0]))
    assert np.isfinite(value) and value == pytest.approx(-np.log(1e-12), rel=1e-6)
    assert np.all(np.isfinite(loss.backward()))


def test_cross_entropy_value_and_gradient_by_hand():
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    y = np.array([2, 0])
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    loss = CrossEntropy()
    assert loss(z, y) == pytest.approx(-(np.log(p[0, 2]) + np.log(p[1, 0])) / 2, rel=1e-14)
    onehot = np.eye(3)[y]
    np.testing.assert_allclose(loss.backward(), (p - onehot) / 2, rtol=1e-14)
    # uniform logits: loss = log(C)
    assert CrossEntropy()(np.zeros((4, 5)), [0, 1, 2, 3]) == pytest.approx(np.log(5))


def test_cross_entropy_label_forms():
    z = rng(0).standard_normal((4, 3))
    ref = CrossEntropy()(z, np.array([0, 2, 1, 1]))
    assert CrossEntropy()(z, np.array([[0], [2], [1], [1]])) == ref      # column of labels
    assert CrossEntropy()(z, np.array([0.0, 2.0, 1.0, 1.0])) == ref      # whole floats
    with pytest.raises(TypeError, match="integer class labels"):
        CrossEntropy()(z, np.array([0.5, 2.0, 1.0, 1.0]))
    # every integer dtype and byte order: the same value; labels need no copy
    for dtype in (np.int8, np.int32, np.uint8, np.uint64, ">i8", ">u4"):
        labels = np.array([0, 2, 1, 1], dtype=dtype)
        assert CrossEntropy()(z, labels) == ref, dtype
        assert CrossEntropy().check(z, labels)[1] is labels


@pytest.mark.parametrize("dtype", [np.int64, np.int8, np.int16, ">i8", "<i4", np.float64])
@pytest.mark.parametrize("bad,seen", [(-1, "-1 to 2"), (3, "0 to 3"), (-128, "-128 to 2"),
                                      (100, "0 to 100")])
def test_cross_entropy_label_range_any_dtype(dtype, bad, seen):
    """The range check (one pass, negative labels seen as huge unsigned ones) catches both
    ends in every signed dtype and byte order."""
    labels = np.array([0, 2, bad, 1], dtype=dtype)
    with pytest.raises(ValueError, match=f"labels must lie in 0..2; got labels from {seen}"):
        CrossEntropy()(np.zeros((4, 3)), labels)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_cross_entropy_checks_logits_without_copying(bad):
    z = rng(0).standard_normal((4, 3))
    assert CrossEntropy().check(z, np.array([0, 2, 1, 1]))[0] is z
    z[1, 2] = bad
    with pytest.raises(ValueError, match="y_pred contains NaN or infinity"):
        CrossEntropy()(z, np.array([0, 2, 1, 1]))
    with pytest.raises(ValueError, match="y_pred contains NaN or infinity"):
        CrossEntropy()(z.tolist(), np.array([0, 2, 1, 1]))     # the general path says the same


# --------------------------------------------------------------------------------------
# Gradients against finite differences
# --------------------------------------------------------------------------------------
def _probabilities(shape, seed):
    return rng(seed).uniform(0.05, 0.95, shape)


CASES = {
    "MSE (N, K)": (MSE(), lambda: rng(1).standard_normal((6, 3)), lambda: rng(2).standard_normal((6, 3))),
    "MSE (N, 1) with (N,) targets": (MSE(), lambda: rng(3).standard_normal((5, 1)),
                                     lambda: rng(4).standard_normal(5)),
    "BCE hard labels": (BinaryCrossEntropy(), lambda: _probabilities((8, 1), 5),
                        lambda: rng(6).integers(0, 2, 8)),
    "BCE soft labels": (BinaryCrossEntropy(), lambda: _probabilities((6, 2), 7),
                        lambda: rng(8).uniform(0, 1, (6, 2))),
    "BCE from logits, hard labels": (BinaryCrossEntropy(from_logits=True),
                                     lambda: 3 * rng(21).standard_normal((8, 1)),
                                     lambda: rng(22).integers(0, 2, 8)),
    "BCE from logits, soft labels (N, 2)": (BinaryCrossEntropy(from_logits=True),
                                            lambda: 2 * rng(23).standard_normal((6, 2)),
                                            lambda: rng(24).uniform(0, 1, (6, 2))),
    "BCE from logits, large logits": (BinaryCrossEntropy(from_logits=True),
                                      lambda: 25 * rng(25).standard_normal((6, 1)),
                                      lambda: rng(26).integers(0, 2, 6)),
    "CrossEntropy": (CrossEntropy(), lambda: 2 * rng(9).standard_normal((7, 4)),
                     lambda: rng(10).integers(0, 4, 7)),
    "CrossEntropy large logits": (CrossEntropy(), lambda: 30 + 3 * rng(11).standard_normal((5, 3)),
                                  lambda: rng(12).integers(0, 3, 5)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_loss_gradient_matches_finite_differences(name):
    loss, y_pred, y_true = CASES[name]
    result = check_loss(loss, y_pred(), y_true(), tol=TOL)
    assert result.passed, f"{name}:\n{result}"


BY_NAME = {
    "mse": (lambda: rng(13).standard_normal((6, 3)), lambda: rng(14).standard_normal((6, 3))),
    "bce": (lambda: _probabilities((6, 1), 15), lambda: rng(16).integers(0, 2, 6)),
    "binary_cross_entropy": (lambda: _probabilities((6, 1), 17), lambda: rng(18).integers(0, 2, 6)),
    "cross_entropy": (lambda: rng(19).standard_normal((6, 3)), lambda: rng(20).integers(0, 3, 6)),
}


@pytest.mark.parametrize("name", list(BY_NAME))
def test_gradcheck_by_loss_name(name):
    y_pred, y_true = BY_NAME[name]
    assert check_loss(name, y_pred(), y_true(), tol=TOL).passed


def test_get_loss():
    assert isinstance(get_loss("MSE"), MSE)
    assert isinstance(get_loss("bce"), BinaryCrossEntropy)
    assert isinstance(get_loss("cross_entropy"), CrossEntropy)
    loss = CrossEntropy()
    assert get_loss(loss) is loss
    assert set(LOSSES) == {"mse", "bce", "binary_cross_entropy", "cross_entropy"}


def test_losses_are_means_over_the_batch():
    # duplicating the batch leaves every loss unchanged
    z = rng(15).standard_normal((3, 2))
    p = _probabilities((3, 1), 16)
    labels, bits = np.array([0, 1, 1]), np.array([1, 0, 1])
    t = rng(17).standard_normal((3, 2))
    for loss, a, b in [(MSE(), z, t), (BinaryCrossEntropy(), p, bits), (CrossEntropy(), z, labels)]:
        once = loss(a, b)
        twice = loss(np.vstack([a, a]), np.concatenate([b, b]))
        assert twice == pytest.approx(once, rel=1e-14), type(loss).__name__


# --------------------------------------------------------------------------------------
# BinaryCrossEntropy(from_logits=True): sigmoid and BCE fused
# --------------------------------------------------------------------------------------
def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_bce_from_logits_equals_sigmoid_then_bce():
    z = rng(30).uniform(-5, 5, (7, 1))
    y = rng(31).integers(0, 2, 7)
    fused, plain = BinaryCrossEntropy(from_logits=True), BinaryCrossEntropy()
    assert fused(z, y) == pytest.approx(plain(_sigmoid(z), y), rel=1e-12)
    p = _sigmoid(z)
    np.testing.assert_allclose(fused.backward(), plain.backward() * p * (1 - p), rtol=1e-10)
    # the gradient is exactly (sigmoid(z) - y) / N
    np.testing.assert_allclose(fused.backward(), (p - y[:, None]) / 7, rtol=1e-14)


def test_bce_from_logits_gradient_does_not_vanish_on_a_confident_mistake():
    """Lesson 03's argument: at z = -40 with target 1, dL/dz is about -1/N, not -4e-6."""
    n = 4
    z = np.array([[-40.0], [0.5], [-0.3], [2.0]])
    y = np.array([1, 1, 0, 1])
    fused = BinaryCrossEntropy(from_logits=True)
    value = fused(z, y)
    grad = fused.backward()
    assert grad[0, 0] == pytest.approx(-1 / n, rel=1e-15)          # sigmoid(-40) = 4e-18
    assert value == pytest.approx((40 + np.log1p(np.exp(-40)) + np.log1p(np.exp(-0.5))
                                   + np.log1p(np.exp(-0.3)) + np.log1p(np.exp(-2.0))) / n,
                                  rel=1e-14)
    # the clipped, unfused version: the same z through a sigmoid gives a vanishing gradient
    plain = BinaryCrossEntropy()
    p = _sigmoid(z)
    plain(p, y)
    assert abs((plain.backward() * p * (1 - p))[0, 0]) < 1e-5


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_bce_from_logits_is_stable_for_huge_logits(dtype):
    z = np.array([[1e4], [-1e4], [1e4], [-1e4], [1e300 if dtype == np.float64 else 3e38]],
                 dtype=dtype)
    y = np.array([1, 0, 0, 1, 0])
    fused = BinaryCrossEntropy(from_logits=True)
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")              # no overflow, no invalid, no warning
        value = fused(z, y)
        grad = fused.backward()
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    expected = (0 + 0 + 1e4 + 1e4 + float(z[4, 0])) / 5
    assert value == pytest.approx(expected, rel=1e-6)
    np.testing.assert_allclose(grad[:, 0], np.array([0, 0, 1, -1, 1]) / 5, atol=1e-7)
    assert grad.dtype == dtype


def test_bce_from_logits_accepts_any_real_logits_and_checks_targets():
    fused = BinaryCrossEntropy(from_logits=True)
    assert np.isfinite(fused(np.array([[-3.0], [7.0]]), np.array([0, 1])))   # not in [0, 1]: fine
    with pytest.raises(ValueError, match=r"labels out of range: binary targets must lie in \[0, 1\]"):
        fused(np.zeros((2, 1)), np.array([0, 2]))
    with pytest.raises(ValueError, match="y_pred contains NaN or infinity"):
        fused(np.array([[np.inf], [0.0]]), np.array([0, 1]))
    assert repr(fused) == "BinaryCrossEntropy(from_logits=True)"
    assert repr(BinaryCrossEntropy()) == "BinaryCrossEntropy()"


def test_bce_from_logits_trains_a_logit_network_and_reports_accuracy():
    from course_lib import SGD, datasets, mlp, train
    X, y = datasets.moons(60, noise=0.1, seed=0)
    model = mlp([2, 8, 1], "tanh", seed=0)                       # no Sigmoid: logits out
    history = train(model, X, y, BinaryCrossEntropy(from_logits=True), SGD(0.5), epochs=200,
                    accuracy_metric=True, progress=False)
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    labels = (model.predict(X)[:, 0] > 0).astype(int)           # class 1 where z > 0
    assert history.train_accuracy[-1] == pytest.approx(np.mean(labels == y), abs=0.05)
    assert history.train_accuracy[-1] > 0.8
