# ---
# jupyter:
#   course:
#     lesson: 10
#   jupytext:
#     cell_metadata_filter: tags,-all
#     notebook_metadata_filter: course,kernelspec,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercises 10 — Capstone: handwritten digits
#
# Companion to the lesson [`notebooks/10_capstone_digits.ipynb`](../notebooks/10_capstone_digits.ipynb).
#
# Exercises 1-4 each give a formula and ask you to complete one function; exercise 5 asks
# you to design and train a network of your own. Replace
# `# YOUR CODE HERE` and `raise NotImplementedError()` with your code, run the cell, try the
# function in the next cell, then run the **check** cell: it prints ✔ when your function is
# right, or the input that failed, what was expected, what you returned, and a hint.
#
# After exercise 4, a cell puts your first four functions together on the real digits; the
# last cell checks everything at once with your score. Your instructor grades the notebook with `course-grade`,
# which runs the same checks on fresh inputs: keep the function names as they are.

# %%
# Setup for Google Colab and VS Code: installs course_lib if this Python lacks it, else does nothing.
import importlib.util, os, subprocess, sys

COURSE_REPOSITORY = ""  # TO FILL IN once the course is public: "git+https://<host>/<owner>/<repo>"
if importlib.util.find_spec("course_lib") is None:
    source = os.environ.get("COURSE_LIB_SOURCE") or COURSE_REPOSITORY
    assert source, "course_lib is missing: set COURSE_REPOSITORY above to the course's git address"
    print(f"Installing course_lib from {source} (a minute or two) ...", end=" ", flush=True)
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", source],
                         capture_output=True, text=True)
    assert pip.returncode == 0, f"pip could not install course_lib:\n{pip.stderr}"
    print("done")
if "google.colab" in sys.modules:  # Colab draws ipywidgets only with its custom widget manager
    from google.colab import output
    output.enable_custom_widget_manager()

# %%
import numpy as np
from course_lib.checks import lesson10


# %% [markdown]
# ## Exercise 1: `standardize` (2 points)
#
# Gradient descent works best when every input feature has a similar scale. Standardize each
# column $j$ of `X` with the mean and standard deviation of the **training** data:
#
# $$ x'_{nj} = \frac{x_{nj} - \mu_j}{\sigma_j}, \qquad
#    \mu_j = \frac{1}{N}\sum_{n=1}^{N} x^{\text{train}}_{nj}, \qquad
#    \sigma_j = \sqrt{\frac{1}{N}\sum_{n=1}^{N} \big(x^{\text{train}}_{nj} - \mu_j\big)^2} $$
#
# Complete `standardize(X_train, X)`: compute $\mu$ and $\sigma$ from `X_train` (shape
# `(N, D)`, one sample per row), and return `X` (shape `(M, D)`) standardized with them. Never
# use statistics of `X` itself: for validation and test data, that would leak them into the
# model. A column that is constant in `X_train` has $\sigma_j = 0$: divide it by 1 instead.
# Do not change `X_train` or `X` in place.

# %%
def standardize(X_train, X):
    """(X - mu) / sigma, with mu and sigma per column of X_train (sigma = 0 -> 1)."""
    ### BEGIN SOLUTION
    mu = X_train.mean(axis=0)
    sigma = X_train.std(axis=0)
    sigma = np.where(sigma == 0, 1.0, sigma)
    return (X - mu) / sigma
    ### END SOLUTION


# %%
# try it
X_train = np.array([[1.0, 2.0, 0.0], [3.0, 6.0, 0.0], [5.0, 10.0, 0.0]])
print(standardize(X_train, X_train))
print(standardize(X_train, np.array([[3.0, 2.0, 1.0]])))

# %%
lesson10.check_standardize(standardize)


# %% [markdown]
# ## Exercise 2: `one_hot` (1 point)
#
# The network's output for a sample is a vector of $K$ numbers, one per class ($K = 10$ digits). To compare a
# label with it we write the label as a **one-hot** vector: all zeros except a 1 at the
# label's position. For labels $y_1, \dots, y_N$,
#
# $$ Y_{nk} = \begin{cases} 1 & \text{if } k = y_n \\ 0 & \text{otherwise} \end{cases}
#    \qquad n = 1..N,\; k = 0..C-1 .$$
#
# Complete `one_hot(y, n_classes)`: `y` holds `N` integer labels in `0 .. n_classes - 1`;
# return a float array of shape `(N, n_classes)`. Use `n_classes` for the width, even when
# a class does not occur in `y`. (`CrossEntropy` uses exactly this: its gradient is
# $(p - Y)/N$.)

# %%
def one_hot(y, n_classes):
    """Labels (N,) -> one-hot rows (N, n_classes), float64."""
    ### BEGIN SOLUTION
    Y = np.zeros((len(y), n_classes))
    Y[np.arange(len(y)), y] = 1.0
    return Y
    ### END SOLUTION


# %%
# try it
print(one_hot(np.array([0, 2, 1, 2]), 4))

# %%
lesson10.check_one_hot(one_hot)


# %% [markdown]
# ## Exercise 3: `accuracy` (1 point)
#
# The network's last layer gives one score (logit) per class, one row per sample. Its
# prediction is the class with the largest score, and the **accuracy** is the share of
# predictions that equal the labels:
#
# $$ \hat{y}_n = \arg\max_k z_{nk}, \qquad
#    \text{accuracy} = \frac{1}{N} \sum_{n=1}^{N} \big[\hat{y}_n = y_n\big] .$$
#
# Complete `accuracy(y_true, logits)`: `y_true` has shape `(N,)`, `logits` shape `(N, K)`.
# Return a float between 0 and 1 (not a percentage).

# %%
def accuracy(y_true, logits):
    """Share of rows whose largest logit is at the true label: a float in [0, 1]."""
    ### BEGIN SOLUTION
    predicted = np.argmax(logits, axis=1)
    return float(np.mean(predicted == y_true))
    ### END SOLUTION


# %%
# try it
logits = np.array([[5.0, 1.0, 0.0], [0.0, 1.0, 3.0], [2.0, 1.0, 0.0]])
print(f"accuracy = {accuracy(np.array([0, 2, 1]), logits):.4f}")   # rows 1 and 2 right: 2/3

# %%
lesson10.check_accuracy(accuracy)


# %% [markdown]
# ## Exercise 4: `confusion_matrix` (2 points)
#
# The confusion matrix counts, for every true class $i$ and predicted class $j$, how many
# samples of class $i$ were predicted as $j$:
#
# $$ C_{ij} = \#\{\, n : y_n = i \text{ and } \hat{y}_n = j \,\}, \qquad i, j = 0..K-1 .$$
#
# Rows are the truth, columns the prediction; the diagonal holds the correct predictions.
# Complete `confusion_matrix(y_true, y_pred, n_classes)`: both label arrays have shape
# `(N,)`; return an **integer** array of shape `(n_classes, n_classes)`. Careful with
# `C[y_true, y_pred] += 1`: NumPy applies it once per distinct pair, so repeated pairs are
# lost. A loop over the samples, or `np.add.at`, counts every sample.

# %%
def confusion_matrix(y_true, y_pred, n_classes):
    """C[i, j] = number of samples of true class i predicted as class j (integers)."""
    ### BEGIN SOLUTION
    C = np.zeros((n_classes, n_classes), dtype=np.int64)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C
    ### END SOLUTION


# %%
# try it
print(confusion_matrix(np.array([0, 0, 1, 1, 1, 2]), np.array([0, 1, 1, 1, 2, 2]), 3))

# %%
lesson10.check_confusion_matrix(confusion_matrix)

# %% [markdown]
# ## Putting it together on the digits
#
# Your four functions, on the real digits: standardize with the training statistics, train a
# logistic regression with `course_lib`, then measure it with your `accuracy` and
# `confusion_matrix`. (The `one_hot` rows are what `CrossEntropy` compares the softmax
# probabilities with: the loss is $-\frac{1}{N}\sum_n \sum_k Y_{nk} \log p_{nk}$.)

# %%
from course_lib import Adam, CrossEntropy, Dense, Sequential, datasets, train
from course_lib.activations import softmax

X, y = datasets.load_digits()
X_train, X_test, y_train, y_test = datasets.train_val_split(X, y, val_fraction=0.2, seed=0, stratify=True)
Z_train, Z_test = standardize(X_train, X_train), standardize(X_train, X_test)

model = Sequential([Dense(64, 10, rng=0)])
train(model, Z_train, y_train, CrossEntropy(), Adam(lr=0.01), epochs=30, batch_size=64, seed=0, progress=False)
logits = model.predict(Z_test)

p = softmax(logits, axis=1)
loss = -np.mean(np.sum(one_hot(y_test, 10) * np.log(np.clip(p, 1e-12, 1.0)), axis=1))
print(f"test cross-entropy (with one_hot): {loss:.4f}")
print(f"test accuracy: {accuracy(y_test, logits):.4f}")
print(confusion_matrix(y_test, logits.argmax(axis=1), 10))

# %% [markdown]
# ## Exercise 5: `train_and_predict` (3 points) — design and train your own network
#
# Now the capstone's real task, done by you: **design a network, train it, and reach at least
# 97% accuracy on digits it has never seen.** Write
#
# `train_and_predict(X_train, y_train, X_eval)`
#
# which gets training images `X_train` (shape `(N, 64)`, pixel values) with their labels
# `y_train` (shape `(N,)`, integers 0-9), trains a network of your design on them, and returns
# its predicted labels for the rows of `X_eval`: an integer array of shape `(len(X_eval),)`.
#
# The check calls your function on three different splits of the digits (about 1,440 training
# and 360 evaluation images each) and compares your predictions with the true labels, which
# your function never sees. Each split that reaches **0.97** earns one point. Rules of the game:
#
# * **Time:** one call may take at most 10 s here (30 s when your instructor grades). Small
#   networks train on the digits in about a second.
# * **Only `X_train` and `y_train` to learn from.** The check shuffles the 64 pixel columns
#   (the same way for `X_train` and `X_eval`) and rescales each one, so the rows cannot be
#   looked up in `datasets.load_digits()`, and tricks that need the image layout (shifted
#   copies, as in the lesson) do not apply. A dense network does not care about the order of
#   its inputs, and standardizing undoes the scales.
# * **Choose by validation, never by `X_eval`:** split `X_train` yourself
#   (`datasets.train_val_split`) to compare designs; the lesson shows how.
# * Use `course_lib` (`Sequential`, `Dense`, activations, `CrossEntropy`, an optimizer,
#   `train`, or the training loop you wrote in lesson 05) and your own functions from above.
#   Fix every seed, so that your result is the same each time.
#
# Write down, in the Markdown cell after the code, what you tried and what you chose.

# %%
def train_and_predict(X_train, y_train, X_eval):
    """Train a network of your design on (X_train, y_train); return its labels for X_eval."""
    ### BEGIN SOLUTION
    from course_lib import Adam, CrossEntropy, Dense, ReLU, Sequential, train
    Z_train, Z_eval = standardize(X_train, X_train), standardize(X_train, X_eval)
    model = Sequential([Dense(64, 128, rng=0), ReLU(), Dense(128, 10, rng=1)])
    train(model, Z_train, y_train, CrossEntropy(), Adam(lr=1e-3), epochs=40, batch_size=32, seed=0,
          progress=False)
    return model.predict(Z_eval).argmax(axis=1)
    ### END SOLUTION


# %% [markdown]
# *My design (what I tried, what I chose, and the validation accuracy of each):*
#
# ...

# %%
# try it: your own validation split of the training part, never the lesson's test set
X_dev, X_val, y_dev, y_val = datasets.train_val_split(X_train, y_train, val_fraction=0.25, seed=1, stratify=True)
val_pred = train_and_predict(X_dev, y_dev, X_val)
print(f"validation accuracy: {np.mean(val_pred == y_val):.4f} ({np.sum(val_pred == y_val)} of {len(y_val)})")

# %%
lesson10.check_train_and_predict(train_and_predict)

# %% [markdown]
# ## All exercises
#
# Run this cell to check every exercise and see your score.

# %%
lesson10.check_all(globals())
