"""Lesson 10's look inside the digits network: weight images, perturbed digits, live
probabilities (course_lib.widgets.digits), without a browser."""
import numpy as np
import pytest

from course_lib import Dense, datasets, mlp
from course_lib.widgets import digits


@pytest.fixture(scope="module")
def data():
    X, y = datasets.load_digits()
    return X[:40], y[:40]


def test_perturb_digit_shifts_and_adds_seeded_noise(data):
    X, _ = data
    image = X[3]
    np.testing.assert_array_equal(digits.perturb_digit(image), image)
    shifted = digits.perturb_digit(image, dc=1)
    np.testing.assert_array_equal(shifted.reshape(8, 8)[:, 1:], image.reshape(8, 8)[:, :-1])
    assert np.all(shifted.reshape(8, 8)[:, 0] == 0)
    noisy = digits.perturb_digit(image, noise=0.3, seed=5)
    assert np.all((noisy >= 0) & (noisy <= 1)) and not np.array_equal(noisy, image)
    np.testing.assert_array_equal(noisy, digits.perturb_digit(image, noise=0.3, seed=5))


def test_probabilities_are_the_softmax_of_the_logits(data):
    X, _ = data
    model = mlp([64, 16, 10], activation="relu", seed=0)
    mu, sigma = X.mean(axis=0), X.std(axis=0) + 1.0
    p = digits.digit_probabilities(model, X[0], lambda A: (A - mu) / sigma)
    z = model.predict(((X[0] - mu) / sigma).reshape(1, 64))[0]
    expected = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    np.testing.assert_allclose(p, expected, rtol=1e-12)
    assert p.shape == (10,) and p.sum() == pytest.approx(1.0)


def test_weight_images_and_widget(data):
    X, y = data
    model = mlp([64, 16, 10], activation="relu", seed=0)
    fig = digits.plot_first_layer_weights(model, n_units=12, n_cols=6)
    images = [im for ax in fig.axes for im in ax.get_images()]
    assert len(images) == 12 and images[0].get_array().shape == (8, 8)
    first = next(layer for layer in model.layers if isinstance(layer, Dense))
    np.testing.assert_array_equal(images[5].get_array(), first.W[:, 5].reshape(8, 8))
    with pytest.raises(ValueError, match="not the 64 pixels"):
        digits.plot_first_layer_weights(mlp([10, 4, 2], seed=0))

    box = digits.digit_widget(model, X, y)
    index, noise = box.children[0].children
    dr, dc = box.children[1].children
    image = box.children[2]
    before = image.value
    assert before[:8] == b"\x89PNG\r\n\x1a\n"
    dc.value = 2
    shifted = image.value
    assert shifted != before
    noise.value = 0.3
    assert image.value != shifted
    index.value = 7
    view = digits.digit_view(model, digits.perturb_digit(X[7], 0.3, 0, 2, seed=7), label=int(y[7]))
    assert "the network reads" in view.axes[1].get_title()
