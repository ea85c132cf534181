"""Classification metrics: how often a classifier is right, and where it goes wrong.

    accuracy          share of samples whose predicted label equals the true label
    confusion_matrix  C[i, j] = number of samples of true class i predicted as class j

Both take the true labels first, as scikit-learn does: ``metric(y_true, y_pred)``.
``y_pred`` may be labels ``(N,)`` or a model's outputs ``(N, K)`` (logits or
probabilities: the label is the argmax of each row) or ``(N, 1)`` (one sigmoid unit:
the label is ``output > 0.5``; a logit outside [0, 1] is refused, not misread). NumPy only: this module belongs to the numerical core.
"""
import numbers

import numpy as np

__all__ = ["as_labels", "accuracy", "confusion_matrix", "per_class_accuracy", "misclassified"]


def _as_int_labels(y, name):
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of labels, got shape {y.shape}")
    if y.dtype == bool:
        return y.astype(np.int64)
    if not np.issubdtype(y.dtype, np.integer):
        if np.issubdtype(y.dtype, np.floating) and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
            return y.astype(np.int64)
        raise TypeError(f"{name} must hold integer class labels, got dtype {y.dtype}")
    return y.astype(np.int64, copy=False)


def as_labels(y_pred):
    """Predicted labels from labels ``(N,)`` or model outputs ``(N, K)`` / ``(N, 1)``."""
    y_pred = np.asarray(y_pred)
    if y_pred.ndim == 2 and y_pred.shape[1] > 1:
        return np.argmax(y_pred, axis=1)
    if y_pred.ndim == 2 and y_pred.shape[1] == 1 and np.issubdtype(y_pred.dtype, np.floating):
        column = y_pred[:, 0]
        if np.any((column != 0) & (column != 1)):  # probabilities, not 0/1 labels
            if not np.all((column >= 0) & (column <= 1)):     # NaN fails too
                raise ValueError(
                    "y_pred of shape (N, 1) must hold probabilities in [0, 1] (or 0/1 labels); "
                    f"it has values from {np.nanmin(column):.4g} to {np.nanmax(column):.4g}"
                    f"{' and NaN' if np.isnan(column).any() else ''}. Logits z of a network "
                    "trained with BinaryCrossEntropy(from_logits=True)? Pass model.predict_classes(X), "
                    "(z > 0), or activations.sigmoid(z).")
            return (column > 0.5).astype(np.int64)
    return _as_int_labels(y_pred, "y_pred")


def _pair(y_true, y_pred):
    y_true = _as_int_labels(y_true, "y_true")
    y_pred = as_labels(y_pred)
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(
            f"shape mismatch: y_true has {y_true.shape[0]} samples but y_pred has {y_pred.shape[0]}"
        )
    if y_true.size == 0:
        raise ValueError("no samples: y_true and y_pred are empty")
    return y_true, y_pred


def accuracy(y_true, y_pred):
    """Share of correct predictions, a float in [0, 1]:  (1/N) sum_n [y_pred_n == y_n]."""
    y_true, y_pred = _pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, n_classes=None):
    """``C`` of shape ``(n_classes, n_classes)``: ``C[i, j]`` counts samples of class ``i``
    predicted as class ``j``. Rows are the truth, columns the prediction; the diagonal
    holds the correct predictions, so ``C.trace() / C.sum()`` is the accuracy.

    ``n_classes=None`` uses ``max(label) + 1`` over both arrays.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    if min(y_true.min(), y_pred.min()) < 0:
        raise ValueError("labels must be non-negative integers 0 .. n_classes-1")
    largest = int(max(y_true.max(), y_pred.max()))
    if n_classes is None:
        n_classes = largest + 1
    elif isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral) or n_classes < 1:
        raise ValueError(f"n_classes must be a positive integer or None, got {n_classes!r}")
    elif largest >= n_classes:
        raise ValueError(
            f"labels out of range: n_classes={n_classes} allows labels 0..{n_classes - 1}, "
            f"got a label {largest}"
        )
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def per_class_accuracy(cm):
    """Share of each true class predicted correctly (the recall): diagonal / row sums.

    A class with no samples gets NaN.
    """
    cm = np.asarray(cm, dtype=float)
    totals = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(cm) / totals, np.nan)


def misclassified(y_true, y_pred):
    """Indices of the samples whose predicted label differs from the true label."""
    y_true, y_pred = _pair(y_true, y_pred)
    return np.flatnonzero(y_true != y_pred)
