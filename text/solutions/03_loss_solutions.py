# ---
# jupyter:
#   course:
#     lesson: 3
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
# # Exercises 03 — Loss functions
#
# Companion to the lesson [`notebooks/03_loss.ipynb`](../notebooks/03_loss.ipynb).
#
# Each exercise below gives a formula and asks you to complete one function. Replace
# `# YOUR CODE HERE` and `raise NotImplementedError()` with your code, run the cell, try the
# function in the next cell, then run the **check** cell: it prints ✔ when your function is
# right, or the input that failed, what was expected, what you returned, and a hint.
#
# The last cell checks everything at once and shows your score. Your instructor grades the
# notebook with `course-grade`, which runs the same checks on fresh inputs: keep
# the function names as they are.

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
from course_lib.checks import lesson03


# %% [markdown]
# ## Exercise 1: `mse` (2 points)
#
# The **mean squared error** averages the squared differences over every entry
# (all $N$ samples and $K$ outputs):
#
# $$\text{MSE} = \frac{1}{NK} \sum_{n,k} \left(\hat y_{nk} - y_{nk}\right)^2$$
#
# Complete `mse(y_pred, y_true)` (both of shape `(N, K)`); it returns a float.

# %%
def mse(y_pred, y_true):
    """Mean of the squared errors over all entries, a float."""
    ### BEGIN SOLUTION
    d = y_pred - y_true
    return float(np.mean(d * d))
    ### END SOLUTION


# %%
# try it
print(f"{mse(np.array([[0.5], [1.5]]), np.array([[1.0], [1.0]])):.4f}")   # (0.25 + 0.25) / 2

# %%
lesson03.check_mse(mse)


# %% [markdown]
# ## Exercise 2: `binary_cross_entropy` (2 points)
#
# For probabilities $p = \sigma(z) \in (0, 1)$ and labels $y \in \{0, 1\}$ (shape `(N, 1)`):
#
# $$\text{BCE} = -\frac{1}{N} \sum_n \left[\, y_n \log p_n + (1 - y_n) \log(1 - p_n) \,\right]$$
#
# `log(0)` is $-\infty$, so first clip $p$ into $[\varepsilon, 1-\varepsilon]$ with `np.clip`.
# Complete `binary_cross_entropy(p, y, eps=1e-12)`; it returns a float.

# %%
def binary_cross_entropy(p, y, eps=1e-12):
    """Mean binary cross-entropy of probabilities p for labels y, a float."""
    ### BEGIN SOLUTION
    p = np.clip(p, eps, 1.0 - eps)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))
    ### END SOLUTION


# %%
# try it
p = np.array([[0.9], [0.2]])
y = np.array([[1.0], [0.0]])
print(f"{binary_cross_entropy(p, y):.4f}")
print(f"confidently wrong: {binary_cross_entropy(np.array([[0.0]]), np.array([[1.0]])):.4f}")

# %%
lesson03.check_binary_cross_entropy(binary_cross_entropy)


# %% [markdown]
# ## Exercise 3: `softmax` (3 points)
#
# **Softmax** turns a row of scores (logits) into probabilities that sum to 1:
#
# $$\text{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}} = \frac{e^{z_i - m}}{\sum_j e^{z_j - m}}, \quad m = \max_j z_j$$
#
# Subtracting the maximum changes nothing mathematically, but keeps every exponent $\le 0$,
# so nothing overflows even for $z = 10^4$. Complete `softmax(z)` along the **last** axis:
# a 1-D `z` is one sample, a 2-D `z` of shape `(N, K)` is a batch (each row sums to 1).

# %%
def softmax(z):
    """Numerically stable softmax along the last axis."""
    ### BEGIN SOLUTION
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)
    ### END SOLUTION


# %%
# try it
print(np.array2string(softmax(np.array([1.0, 2.0, 3.0])), precision=4, suppress_small=True))
print(np.array2string(softmax(np.array([[1e4, 0.0, -1e4]])), precision=4, suppress_small=True))

# %%
lesson03.check_softmax(softmax)


# %% [markdown]
# ## Exercise 4: `cross_entropy` (3 points)
#
# For logits $z$ of shape $(N, K)$ and integer labels $y_n \in \{0, \dots, K-1\}$, cross-entropy is
# the mean negative log-probability of the true class:
#
# $$\text{CE} = -\frac{1}{N} \sum_n \log \text{softmax}(z_n)_{y_n}, \qquad
# \log \text{softmax}(z)_i = z_i - m - \log \sum_j e^{z_j - m}$$
#
# Compute the log-probabilities with the right-hand form (*log-sum-exp*): `np.log(softmax(z))`
# gives `log(0) = -inf` for very unlikely classes. Complete `cross_entropy(logits, labels)`; it returns a float.

# %%
def cross_entropy(logits, labels):
    """Mean categorical cross-entropy of logits (N, K) for integer labels (N,)."""
    ### BEGIN SOLUTION
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    n = logits.shape[0]
    return float(-np.mean(log_p[np.arange(n), labels]))
    ### END SOLUTION


# %%
# try it
logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
print(f"{cross_entropy(logits, np.array([0, 1])):.4f}")
print(f"{cross_entropy(np.array([[1e4, 0.0]]), np.array([1])):.1f}")

# %%
lesson03.check_cross_entropy(cross_entropy)

# %% [markdown]
# ## Exercise 5: `softmax_cross_entropy_backward` (3 points)
#
# To train a classifier, backpropagation starts from the gradient of the loss with respect to
# the **logits**, $\delta = \partial L / \partial z$. Derive it yourself before you code it.
# Take one sample with logits $z \in \mathbb{R}^K$, true class $y$ and $p = \text{softmax}(z)$, so
# that
#
# $$L = -\log p_y = -z_y + \log \sum_j e^{z_j}.$$
#
# Differentiate both terms with respect to one logit $z_k$: the first gives $-[k = y]$ (1 when
# $k$ is the true class, else 0); for the second use the chain rule on the log and on the sum,
# and recognize $p_k$ in what you get. Then remember that for a batch of $N$ samples the loss is
# the **mean** $\frac{1}{N}\sum_n L_n$, and each $L_n$ depends only on its own row $z_n$. You should
# arrive at
#
# $$\frac{\partial L}{\partial z_{nk}} = \frac{1}{N}\left(p_{nk} - [k = y_n]\right),
# \qquad\text{in matrix form}\qquad \delta = \frac{1}{N}\left(p - y_{\text{one-hot}}\right).$$
#
# Complete `softmax_cross_entropy_backward(logits, labels)` for logits of shape $(N, K)$ and
# integer labels of shape $(N,)$; it returns an array of shape $(N, K)$. Use NumPy only (not
# `course_lib.CrossEntropy`, which the check uses as the reference), compute the softmax along
# each row without overflow (logits of size 1000 occur), and do not change the inputs in place.

# %%
def softmax_cross_entropy_backward(logits, labels):
    """dL/dz of the mean cross-entropy of softmax(logits) for integer labels, shape (N, K)."""
    ### BEGIN SOLUTION
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    e = np.exp(shifted)
    grad = e / np.sum(e, axis=1, keepdims=True)
    n = logits.shape[0]
    grad[np.arange(n), labels] -= 1.0
    return grad / n
    ### END SOLUTION


# %%
# try it
from course_lib.gradcheck import numerical_gradient
from course_lib.losses import CrossEntropy

logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
labels = np.array([0, 1])
grad = softmax_cross_entropy_backward(logits, labels)
print(np.array2string(grad, precision=4, suppress_small=True))
print("each row sums to 0:", bool(np.allclose(grad.sum(axis=1), 0.0)))
z = logits.copy()
numeric = numerical_gradient(lambda: CrossEntropy().forward(z, labels), z)
print("agrees with finite differences:", bool(np.allclose(grad, numeric, rtol=1e-6, atol=1e-9)))
print(np.array2string(softmax_cross_entropy_backward(np.array([[1000.0, 0.0, -1000.0]]), np.array([1])),
                      precision=4, suppress_small=True))

# %%
lesson03.check_softmax_cross_entropy_backward(softmax_cross_entropy_backward)

# %% [markdown]
# ## All exercises
#
# Run this cell to check every exercise and see your score.

# %%
lesson03.check_all(globals())
