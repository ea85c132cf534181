"""Checks for exercises 10 (capstone, handwritten digits): standardization with training
statistics, one-hot encoding, accuracy, the confusion matrix, and a network the learner
designs and trains (``train_and_predict``)."""
import numpy as np

from .. import datasets, metrics
from ._core import (Case, Exercise, Mismatch, describe, inputs_rng, make_check, make_check_all, mistake,
                    same_array, same_float, show, vary)

LESSON = 10


# ------------------------------------------------------------------------------------------
# one_hot(y, n_classes) -> (N, K) float64
# ------------------------------------------------------------------------------------------
def _one_hot_reference(y, n_classes):
    return np.eye(n_classes)[np.asarray(y)]


def _one_hot_cases(rng=None):
    examples = [
        (np.array([0, 2, 1]), 3),
        (np.array([1, 1, 0, 3]), 5),          # a class that never occurs: still a column
        (np.array([7]), 10),                   # a batch of one
        (np.array([9, 0, 4, 4, 2, 8]), 10),
        (np.array([0, 0, 0]), 2),              # one label only
    ]
    if rng is not None:   # the classes renamed at random: the same structure, new labels
        examples = [(rng.permutation(n_classes)[y], n_classes) for y, n_classes in examples]
    cases = []
    for y, n_classes in examples:
        expected = _one_hot_reference(y, n_classes)
        width = int(y.max()) + 1
        mistakes = [
            mistake(same_array(expected.T), "rows are samples: the result has shape (N, n_classes), "
                                            "one row per label"),
            mistake(same_array(expected, dtype=None), "return floats (float64): start from "
                                                      "np.zeros((len(y), n_classes))"),
            mistake(same_array(1.0 - expected), "the 1 goes at the label's column and 0 everywhere else"),
        ]
        if width != n_classes:
            mistakes.insert(0, mistake(same_array(np.eye(width)[y]),
                                       "use n_classes for the number of columns, not max(y) + 1: "
                                       "a class missing from this batch still needs its column"))
        cases.append(Case(
            describe(y=y, n_classes=n_classes), (y, n_classes), verify=same_array(expected),
            hint="Y = np.zeros((len(y), n_classes)); then Y[np.arange(len(y)), y] = 1.0",
            mistakes=mistakes))
    return cases


# ------------------------------------------------------------------------------------------
# accuracy(y_true, logits) -> float
# ------------------------------------------------------------------------------------------
def _accuracy_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 10)
    examples = [
        (np.array([0, 2, 1]), vary(fresh, np.array([[5.0, 1.0, 0.0], [0.0, 1.0, 3.0], [2.0, 1.0, 0.0]]))),
        (np.array([1, 1]), vary(fresh, np.array([[-1.0, 2.0], [3.0, -2.0]]))),
        (np.array([3]), vary(fresh, np.array([[0.1, 0.2, 0.3, 0.9]]))),
        (np.array([0, 1, 2, 0]), np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])),
        (rng.integers(0, 10, 40), rng.standard_normal((40, 10))),
        (np.array([0, 1, 2, 3, 4, 5]), np.array([[9.0, 0, 0, 0, 0, 0], [0, 9.0, 0, 0, 0, 0], [9.0, 0, 0, 0, 0, 0],
                                                  [0, 0, 0, 0, 9.0, 0], [0, 0, 0, 0, 9.0, 0], [0, 0, 0, 0, 0, 9.0]])),
    ]
    cases = []
    for y, logits in examples:
        value = metrics.accuracy(y, logits)
        pred = logits.argmax(axis=1)
        n_correct = int((pred == y).sum())
        mistakes = []
        by_rows = logits.argmax(axis=0)            # the usual axis mix-up, where it broadcasts
        if len(by_rows) == len(y) or len(y) == 1:
            by_column = float(np.mean(by_rows == y))
            if by_column != value:
                mistakes.append(mistake(same_float(by_column),
                                        "take the argmax of each ROW (axis=1): one row per sample"))
        if n_correct not in (0, 1):
            mistakes.append(mistake(same_float(float(n_correct)),
                                    "divide the number of correct predictions by the number of samples"))
        mistakes += [
            mistake(same_float(100.0 * value), "return a share between 0 and 1, not a percentage"),
            mistake(same_float(1.0 - value), "that is the error rate: accuracy counts the predictions "
                                             "that EQUAL the labels"),
        ]
        cases.append(Case(
            describe(y_true=y, logits=logits), (y, logits), verify=same_float(value),
            hint="predicted = logits.argmax(axis=1); accuracy = mean(predicted == y_true), a float",
            mistakes=mistakes))
    return cases


# ------------------------------------------------------------------------------------------
# confusion_matrix(y_true, y_pred, n_classes) -> (K, K) counts
# ------------------------------------------------------------------------------------------
def _integer_counts(cm):
    """Right counts in an integer array (any integer dtype)."""
    values = same_array(cm, dtype=None)

    def verify(got):
        if isinstance(got, np.ndarray) and got.shape == cm.shape and got.dtype.kind not in "iu":
            return Mismatch("wrong dtype", "integer counts (e.g. dtype int64)", f"dtype {got.dtype}: {show(got)}")
        return values(got)
    return verify


def _confusion_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 100)
    examples = [
        (np.array([0, 0, 1, 1, 1, 2]), np.array([0, 1, 1, 1, 2, 2]), 3),
        (np.array([0, 1]), np.array([1, 0]), 2),
        (np.array([1, 1, 1]), np.array([1, 1, 1]), 4),                 # classes that never occur
        (np.array([2, 0, 2, 2]), np.array([2, 2, 0, 2]), 3),
        (rng.integers(0, 10, 60), rng.integers(0, 10, 60), 10),
    ]
    if fresh is not None:   # the classes renamed at random: the same structure, new labels
        renamed = [fresh.permutation(n) for _, _, n in examples]
        examples = [(new[t], new[p], n) for (t, p, n), new in zip(examples, renamed)]
    cases = []
    for y_true, y_pred, n_classes in examples:
        cm = metrics.confusion_matrix(y_true, y_pred, n_classes)
        largest = int(max(y_true.max(), y_pred.max())) + 1
        mistakes = [
            mistake(same_array(cm.T, dtype=None), "rows are the TRUE class and columns the PREDICTED "
                                                  "class: C[y_true[n], y_pred[n]] += 1"),
            mistake(same_array(cm / cm.sum(axis=1, keepdims=True).clip(min=1), dtype=None),
                    "return the counts, not shares of each row"),
            mistake(same_array(cm, dtype=None), "return integer counts: start from "
                                                "np.zeros((n_classes, n_classes), dtype=int)"),
        ]
        if largest != n_classes:
            mistakes.insert(0, mistake(
                same_array(metrics.confusion_matrix(y_true, y_pred, largest), dtype=None),
                "the matrix is n_classes x n_classes, even when some classes do not occur"))
        # pairs counted once: C[i, j] = 1 for every pair that occurs (a fancy-index assignment)
        once = np.zeros_like(cm)
        once[y_true, y_pred] = 1
        if not np.array_equal(once, cm):
            mistakes.append(mistake(same_array(once, dtype=None),
                                    "C[y_true, y_pred] += 1 counts a repeated pair only once; "
                                    "loop over the samples or use np.add.at(C, (y_true, y_pred), 1)"))
        cases.append(Case(
            describe(y_true=y_true, y_pred=y_pred, n_classes=n_classes), (y_true, y_pred, n_classes),
            verify=_integer_counts(cm),
            hint="C = np.zeros((n_classes, n_classes), dtype=int); for t, p in zip(y_true, y_pred): C[t, p] += 1",
            mistakes=mistakes))
    return cases


# ------------------------------------------------------------------------------------------
# standardize(X_train, X) -> (X - mu) / sigma with the training set's mu, sigma
# ------------------------------------------------------------------------------------------
def _standardize_reference(X_train, X):
    mu = X_train.mean(axis=0)
    sigma = X_train.std(axis=0)
    sigma = np.where(sigma == 0, 1.0, sigma)
    return (X - mu) / sigma


def _standardize_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 1000)
    a = vary(fresh, np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]]))
    b = rng.normal(3.0, 2.0, (20, 4))
    c = np.array([[0.0, 1.0, 2.0], [0.0, 3.0, 2.0], [0.0, 5.0, 2.0]])        # constant columns
    if fresh is not None:   # one factor per column: constant columns stay constant
        c = c * fresh.uniform(0.5, 1.5, c.shape[1])
    d = rng.uniform(0, 16, (30, 5))
    examples = [
        (a, a),                                     # the training set itself
        (a, vary(fresh, np.array([[2.0, 4.0], [7.0, 0.0]]))),    # new samples: the TRAINING statistics
        (b, rng.normal(0.0, 5.0, (6, 4))),
        (c, vary(fresh, np.array([[1.0, 2.0, 3.0]]))),
        (d, d[:1]),                                 # a batch of one
    ]
    cases = []
    for X_train, X in examples:
        expected = _standardize_reference(X_train, X)
        mistakes = []
        if len(X) > 1:
            with np.errstate(all="ignore"):
                own = _standardize_reference(X, X)
            mistakes.append(mistake(same_array(own), "use the mean and std of X_train, not of X: "
                                                     "statistics of the data you transform leak into the model"))
        with np.errstate(all="ignore"):
            mu, sigma = X_train.mean(axis=0), X_train.std(axis=0)
            mistakes += [
                mistake(same_array((X - X_train.mean()) / X_train.std()),
                        "standardize each column (feature) on its own: mean and std with axis=0"),
                mistake(same_array(X - mu), "divide by the standard deviation too"),
                mistake(same_array((X - mu) / X_train.std(axis=0, ddof=1)),
                        "use the population std (np.std's default, ddof=0)"),
            ]
        if X is X_train:
            row_wise = (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)
            mistakes.append(mistake(same_array(row_wise), "axis=0 runs over the samples (rows): "
                                                          "one mean and one std per column"))
        has_constant = bool(np.any(sigma == 0))
        cases.append(Case(
            describe(X_train=X_train, X=X), (X_train, X), verify=same_array(expected),
            warnings_fail=has_constant,  # stability test: dividing by a zero std fails it
            hint=("a constant column has std 0: divide it by 1 instead (sigma[sigma == 0] = 1.0)"
                  if has_constant else
                  "mu = X_train.mean(axis=0); sigma = X_train.std(axis=0); return (X - mu) / sigma"),
            mistakes=mistakes))
    return cases


# ------------------------------------------------------------------------------------------
# train_and_predict(X_train, y_train, X_eval) -> predicted labels: the learner's own network
# ------------------------------------------------------------------------------------------
#: the accuracy on held-out digits that the learner's network must reach on each split
TARGET_ACCURACY = 0.97
#: train/evaluation splits of the digits (seeds of datasets.train_val_split): typical ones, on
#: which a ReLU network with one hidden layer reaches 0.978-0.989 and a logistic regression
#: 0.96-0.97
DESIGN_SPLITS = (1, 2, 3)


def disguise(X_train, X_eval, rng):
    """The same random column order and per-column scale for both sets.

    A network that learns from ``X_train`` does as well as on the plain pixels (a dense layer
    does not care about the order of its inputs, and standardizing undoes the scale), but
    the rows can no longer be looked up in ``datasets.load_digits()``.
    """
    order = rng.permutation(X_train.shape[1])
    scale = rng.uniform(0.5, 2.0, X_train.shape[1])
    return X_train[:, order] * scale, X_eval[:, order] * scale


def _labels_verify(y_eval):
    n = len(y_eval)

    def verify(answer):
        if not isinstance(answer, np.ndarray):
            return Mismatch("wrong type", f"a NumPy array of {n} integer labels", show(answer)[:200])
        if answer.shape == (n, 10):
            return Mismatch("wrong shape", f"one label per row of X_eval, shape ({n},)",
                            f"shape {answer.shape}: scores per class?")
        if answer.shape != (n,):
            return Mismatch("wrong shape", f"one label per row of X_eval, shape ({n},)", f"shape {answer.shape}")
        if answer.dtype.kind not in "iu":
            return Mismatch("wrong type", "integer labels 0-9 (dtype int)", f"dtype {answer.dtype}")
        right = int(np.sum(answer == y_eval))
        if right / n >= TARGET_ACCURACY:
            return None
        return Mismatch("accuracy too low", f"at least {TARGET_ACCURACY:.2f} of the {n} held-out digits right",
                        f"{right / n:.3f} ({right} of {n})")
    return verify


def _accuracy_below(y_eval, low, high):
    """A mistake's test: the answer is a label vector whose accuracy lies in [low, high)."""
    def verify(answer):
        if not (isinstance(answer, np.ndarray) and answer.shape == y_eval.shape):
            return Mismatch("", "", "")
        return None if low <= np.mean(answer == y_eval) < high else Mismatch("", "", "")
    return verify


def _design_cases(rng=None):
    X, y = datasets.load_digits()
    rng = np.random.default_rng(0) if rng is None else rng
    cases = []
    for split in DESIGN_SPLITS:
        X_train, X_eval, y_train, y_eval = datasets.train_val_split(X, y, val_fraction=0.2, seed=split,
                                                                    stratify=True)
        X_train, X_eval = disguise(X_train, X_eval, rng)
        cases.append(Case(
            f"digits split {split}: X_train {X_train.shape}, y_train {y_train.shape}, X_eval {X_eval.shape} "
            "(pixel columns shuffled and rescaled)",
            (X_train, y_train, X_eval), verify=_labels_verify(y_eval),
            hint="check your design on a validation split of X_train (never on X_eval): more hidden "
                 "units, more epochs, another learning rate or some regularization",
            mistakes=[
                mistake(_accuracy_below(y_eval, 0.0, 0.3),
                        "hardly better than guessing (one in ten): return one prediction per row of "
                        "X_eval, in its order (not for X_train); then check that the network learns "
                        "at all (standardized inputs, learning rate, number of epochs)"),
                mistake(_accuracy_below(y_eval, 0.3, 0.9),
                        "the network has not learned enough yet: standardize with the statistics of "
                        "X_train (the columns come in different scales here), then train longer or "
                        "with a larger learning rate"),
                mistake(_accuracy_below(y_eval, 0.9, TARGET_ACCURACY),
                        "close: a logistic regression (no hidden layer) reaches 0.96-0.97 here, not "
                        "reliably 0.97; a hidden layer of ReLU units does better. Compare designs on "
                        "a validation split of X_train"),
            ]))
    return cases


EXERCISES = [
    Exercise(LESSON, "standardize", 2, _standardize_cases),
    Exercise(LESSON, "one_hot", 1, _one_hot_cases),
    Exercise(LESSON, "accuracy", 1, _accuracy_cases),
    Exercise(LESSON, "confusion_matrix", 2, _confusion_cases),
    Exercise(LESSON, "train_and_predict", 3, _design_cases),
]

check_standardize = make_check(EXERCISES[0])
check_one_hot = make_check(EXERCISES[1])
check_accuracy = make_check(EXERCISES[2])
check_confusion_matrix = make_check(EXERCISES[3])
check_train_and_predict = make_check(EXERCISES[4])
check_all = make_check_all(EXERCISES)
