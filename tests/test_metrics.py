"""course_lib.metrics (accuracy, confusion matrix) and the capstone's two pictures."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib import metrics, plots  # noqa: E402


def test_accuracy_from_labels():
    assert metrics.accuracy([0, 1, 2, 2], [0, 1, 1, 2]) == 0.75
    assert isinstance(metrics.accuracy(np.array([1]), np.array([1])), float)


def test_accuracy_from_logits_and_probabilities():
    y = np.array([0, 2, 1])
    logits = np.array([[5.0, 1.0, 0.0], [0.0, 1.0, 3.0], [2.0, 1.0, 0.0]])
    assert metrics.accuracy(y, logits) == pytest.approx(2 / 3)
    sigmoid_out = np.array([[0.9], [0.2], [0.6]])
    assert metrics.accuracy([1, 0, 0], sigmoid_out) == pytest.approx(2 / 3)
    assert metrics.accuracy([1, 0], np.array([[1.0], [0.0]])) == 1.0  # 0/1 column = labels


def test_confusion_matrix_by_hand():
    y_true = [0, 0, 1, 1, 1, 2]
    y_pred = [0, 1, 1, 1, 2, 2]
    cm = metrics.confusion_matrix(y_true, y_pred)
    expected = np.array([[1, 1, 0],
                         [0, 2, 1],
                         [0, 0, 1]])
    np.testing.assert_array_equal(cm, expected)
    assert cm.dtype == np.int64
    assert cm.sum() == 6 and np.trace(cm) / cm.sum() == metrics.accuracy(y_true, y_pred)


def test_confusion_matrix_n_classes_and_logits():
    cm = metrics.confusion_matrix([0, 1], np.array([[2.0, 1.0, 0, 0], [0, 3.0, 0, 0]]), n_classes=4)
    assert cm.shape == (4, 4) and cm[0, 0] == 1 and cm[1, 1] == 1 and cm.sum() == 2


def test_confusion_matrix_matches_a_loop_on_random_labels():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    loop = np.zeros((10, 10), dtype=int)
    for t, p in zip(y_true, y_pred):
        loop[t, p] += 1
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred, 10), loop)
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred, 10).sum(axis=1),
                                  np.bincount(y_true, minlength=10))


def test_per_class_accuracy_and_misclassified():
    cm = np.array([[3, 1], [0, 0]])
    recall = metrics.per_class_accuracy(cm)
    assert recall[0] == 0.75 and np.isnan(recall[1])
    np.testing.assert_array_equal(metrics.misclassified([0, 1, 2, 3], [0, 2, 2, 0]), [1, 3])


@pytest.mark.parametrize("call, error, match", [
    (lambda: metrics.accuracy([0, 1], [0]), ValueError, "shape mismatch"),
    (lambda: metrics.accuracy([], []), ValueError, "no samples"),
    (lambda: metrics.confusion_matrix([0, 3], [0, 1], n_classes=3), ValueError, "labels out of range"),
    (lambda: metrics.confusion_matrix([0, -1], [0, 1]), ValueError, "non-negative"),
    (lambda: metrics.accuracy([0.5, 1.0], [0, 1]), TypeError, "integer class labels"),
    (lambda: metrics.accuracy(np.zeros((2, 2, 2)), [0, 1]), ValueError, "1-D array"),
])
def test_bad_inputs(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_plot_confusion_matrix_draws_counts():
    cm = np.array([[5, 1], [0, 4]])
    ax = plots.plot_confusion_matrix(cm, class_names=["cat", "dog"])
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["1", "4", "5"]  # zeros are left blank
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    plt.close("all")


def test_plot_digit_grid_titles_mistakes_in_red():
    images = np.zeros((3, 64))
    fig = plots.plot_digit_grid(images, labels=[1, 2, 3], predictions=[1, 7, 3], n_cols=2)
    axes = fig.axes
    assert len(axes) == 4  # 2 x 2 grid, the last one empty
    assert axes[0].get_title() == "1\u21921" and axes[1].get_title() == "2\u21927"
    assert matplotlib.colors.to_hex(axes[1].title.get_color()) == "#d62728"
    assert axes[3].get_title() == ""
    plt.close("all")


def test_a_column_of_logits_is_refused_not_read_as_probabilities():
    logits = np.array([[2.3], [-0.4], [0.2]])        # z > 0 would be [1, 0, 1]; z > 0.5 is not
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\].*from -0\.4 to 2\.3.*"
                                         r"from_logits=True.*predict_classes"):
        metrics.accuracy([1, 0, 1], logits)
    with pytest.raises(ValueError, match="and NaN"):
        metrics.accuracy([1, 0], np.array([[0.3], [np.nan]]))
    assert metrics.accuracy([1, 0, 1], (logits > 0).astype(int)) == 1.0
