"""Data sets: shapes, seeding, the shipped digits (checksum, source, licence), splitting."""
import hashlib
from importlib import resources

import numpy as np
import pytest

from course_lib import datasets

DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"

GENERATORS = {
    "moons": datasets.moons,
    "circles": datasets.circles,
    "spirals": datasets.spirals,
    "blobs": datasets.blobs,
    "gaussian": datasets.gaussian,
    "xor_blobs": datasets.xor_blobs,
}


@pytest.mark.parametrize("name", list(GENERATORS))
@pytest.mark.parametrize("n", [1, 7, 200])
def test_classification_shapes_and_labels(name, n):
    X, y = GENERATORS[name](n_samples=n, seed=0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and np.issubdtype(y.dtype, np.integer)
    assert np.all(np.isfinite(X))
    assert y.min() >= 0


@pytest.mark.parametrize("name", list(GENERATORS))
def test_two_class_sets_are_balanced(name):
    if name == "blobs":
        X, y = datasets.blobs(300, centers=3, seed=0)
        assert np.bincount(y).tolist() == [100, 100, 100]
        return
    X, y = GENERATORS[name](n_samples=200, seed=0)
    counts = np.bincount(y)
    assert len(counts) == 2
    if name != "xor_blobs":                     # xor_blobs labels by quadrant: about even
        assert counts.tolist() == [100, 100]
    else:
        assert abs(counts[0] - 100) < 30


@pytest.mark.parametrize("name", list(GENERATORS) + ["regression_1d"])
def test_seeding_is_reproducible(name):
    make = GENERATORS.get(name) or datasets.regression_1d
    X1, y1 = make(n_samples=50, seed=3)
    X2, y2 = make(n_samples=50, seed=3)
    X3, _ = make(n_samples=50, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_spirals_classes_and_regression_shapes():
    X, y = datasets.spirals(100, n_classes=3, seed=0)
    assert X.shape == (100, 2) and sorted(np.unique(y)) == [0, 1, 2]
    assert np.bincount(y).tolist() == [34, 33, 33]
    X, y = datasets.regression_1d(40, noise=0.0, seed=0)
    assert X.shape == (40, 1) and y.shape == (40, 1)
    np.testing.assert_allclose(y, np.sin(2 * np.pi * X))
    assert np.all(np.diff(X[:, 0]) >= 0) and 0 <= X.min() and X.max() <= 1


def test_moons_without_noise_lie_on_the_half_circles():
    X, y = datasets.moons(100, noise=0.0, seed=0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)


def test_circles_factor():
    X, y = datasets.circles(100, noise=0.0, factor=0.3, seed=0)
    np.testing.assert_allclose(np.hypot(*X[y == 0].T), 1.0)
    np.testing.assert_allclose(np.hypot(*X[y == 1].T), 0.3)
    with pytest.raises(ValueError, match="factor must lie strictly between 0 and 1"):
        datasets.circles(factor=1.0)


def test_logic_gates():
    X, y = datasets.xor()
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])
    truth = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nand": [1, 1, 1, 0], "nor": [1, 0, 0, 0]}
    for name, expected in truth.items():
        np.testing.assert_array_equal(datasets.logic_gate(name.upper())[1], expected)
    with pytest.raises(ValueError, match="unknown logic gate 'xnor'; choose one of: and, nand, nor, or, xor"):
        datasets.logic_gate("xnor")


@pytest.mark.parametrize("bad", [0, -5, 2.5, True])
def test_n_samples_must_be_a_positive_integer(bad):
    with pytest.raises(ValueError, match="n_samples must be a positive integer"):
        datasets.moons(bad)


def test_noise_must_be_non_negative():
    with pytest.raises(ValueError, match="noise must be a non-negative number"):
        datasets.spirals(noise=-0.1)


# --------------------------------------------------------------------------------------
# The 8x8 digits, shipped inside the package
# --------------------------------------------------------------------------------------
def _data_file(name):
    return resources.files("course_lib").joinpath("data", name)


def test_digits_file_is_unchanged():
    digest = hashlib.sha256(_data_file("digits.csv.gz").read_bytes()).hexdigest()
    assert digest == DIGITS_SHA256


def test_digits_source_and_licence_are_documented():
    source = _data_file("DIGITS_SOURCE.md")
    assert source.is_file()
    text = source.read_text(encoding="utf-8")
    assert "UCI" in text
    assert "CC BY 4.0" in text
    assert "archive.ics.uci.edu" in text


@pytest.fixture(scope="module")
def digits():
    return datasets.load_digits(), datasets.load_digits(normalize=False)


def test_digits_shapes_labels_and_scaling(digits):
    (X, y), (X_raw, y_raw) = digits
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert sorted(np.unique(y)) == list(range(10))
    assert np.issubdtype(y.dtype, np.integer)
    np.testing.assert_array_equal(y, y_raw)
    assert X_raw.min() == 0 and X_raw.max() == 16
    np.testing.assert_array_equal(X_raw, np.round(X_raw))   # integer pixel counts 0..16
    np.testing.assert_allclose(X, X_raw / 16)
    assert 0.0 <= X.min() and X.max() <= 1.0
    # about 180 of each digit (sklearn's copy: 178 zeros, 182 ones, ...)
    assert np.bincount(y).min() >= 170 and np.bincount(y).max() <= 185
    assert np.bincount(y)[:2].tolist() == [178, 182]


# --------------------------------------------------------------------------------------
# train_val_split
# --------------------------------------------------------------------------------------
def test_split_sizes_partition_and_seed():
    X = np.arange(100).reshape(50, 2)
    y = np.arange(50)
    X_tr, X_val, y_tr, y_val = datasets.train_val_split(X, y, val_fraction=0.2, seed=0)
    assert X_tr.shape == (40, 2) and X_val.shape == (10, 2)
    assert y_tr.shape == (40,) and y_val.shape == (10,)
    # rows stay paired with their labels, and the parts partition the data
    np.testing.assert_array_equal(X_tr[:, 0] // 2, y_tr)
    np.testing.assert_array_equal(X_val[:, 0] // 2, y_val)
    assert sorted(np.concatenate([y_tr, y_val])) == list(range(50))
    again = datasets.train_val_split(X, y, val_fraction=0.2, seed=0)
    np.testing.assert_array_equal(again[3], y_val)
    other = datasets.train_val_split(X, y, val_fraction=0.2, seed=1)
    assert not np.array_equal(other[3], y_val)


def test_split_stratified_keeps_class_shares():
    y = np.array([0] * 60 + [1] * 30 + [2] * 10)
    X = np.arange(100.0).reshape(-1, 1)
    X_tr, X_val, y_tr, y_val = datasets.train_val_split(X, y, val_fraction=0.3, seed=0, stratify=True)
    assert np.bincount(y_val).tolist() == [18, 9, 3]
    assert np.bincount(y_tr).tolist() == [42, 21, 7]
    np.testing.assert_array_equal(y[X_tr[:, 0].astype(int)], y_tr)
    assert sorted(np.concatenate([X_tr[:, 0], X_val[:, 0]])) == list(range(100))
    # not sorted by class: the parts are shuffled
    assert not np.all(np.diff(y_val) >= 0)


def test_split_stratified_on_digits(digits):
    (X, y), _ = digits
    _, _, y_tr, y_val = datasets.train_val_split(X, y, val_fraction=0.25, seed=0, stratify=True)
    share_all = np.bincount(y) / len(y)
    np.testing.assert_allclose(np.bincount(y_val) / len(y_val), share_all, atol=0.01)
    np.testing.assert_allclose(np.bincount(y_tr) / len(y_tr), share_all, atol=0.01)


def test_split_errors():
    X, y = np.zeros((10, 2)), np.zeros(10)
    with pytest.raises(ValueError, match="X has 10 samples but y has 9"):
        datasets.train_val_split(X, y[:9])
    with pytest.raises(ValueError, match="val_fraction must satisfy 0 < val_fraction < 1"):
        datasets.train_val_split(X, y, val_fraction=0.0)
    with pytest.raises(ValueError, match="leaves one part empty"):
        datasets.train_val_split(X, y, val_fraction=0.01)
    two_classes = np.arange(10) % 2
    for fraction in (0.05, 0.95):   # every class rounds to 0 (or all) validation samples
        with pytest.raises(ValueError, match=f"val_fraction={fraction} leaves one part empty"):
            datasets.train_val_split(X, two_classes, val_fraction=fraction, stratify=True)


def test_playground_registry():
    for name, make in datasets.DATASETS.items():
        X, y = make(n_samples=20, seed=0)
        assert X.shape[0] == 20 and y.shape[0] == 20, name


def test_shift_images_moves_pixels_and_fills_with_zero():
    X = np.arange(1, 65, dtype=float).reshape(1, 64)          # pixel (r, c) holds 8r + c + 1
    image = X.reshape(8, 8)
    down = datasets.shift_images(X, 1, 0).reshape(8, 8)
    assert np.array_equal(down[1:], image[:-1]) and not down[0].any()
    left = datasets.shift_images(X, 0, -1).reshape(8, 8)
    assert np.array_equal(left[:, :-1], image[:, 1:]) and not left[:, -1].any()
    assert np.array_equal(datasets.shift_images(X, 0, 0), X)
    # the same as padding by one pixel and cutting the window back out
    padded = np.pad(image, 1)
    for dr, dc in [(1, 0), (-1, 0), (0, 1), (0, -1), (1, -1)]:
        expected = padded[1 - dr:9 - dr, 1 - dc:9 - dc]
        assert np.array_equal(datasets.shift_images(X, dr, dc).reshape(8, 8), expected)


def test_shift_images_rejects_bad_input():
    with pytest.raises(ValueError, match=r"shape \(n_images, 64\)"):
        datasets.shift_images(np.zeros((2, 63)), 1, 0)
    with pytest.raises(ValueError, match="out of view"):
        datasets.shift_images(np.zeros((2, 64)), 8, 0)
