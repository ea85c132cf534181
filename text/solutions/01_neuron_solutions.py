# ---
# jupyter:
#   course:
#     lesson: 1
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
# # Exercises 01 — The neuron
#
# Companion to the lesson [`notebooks/01_neuron.ipynb`](../notebooks/01_neuron.ipynb).
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
from course_lib.checks import lesson01


# %% [markdown]
# ## Exercise 1: `weighted_sum` (1 point)
#
# A neuron first forms the **weighted sum** of its inputs plus a bias:
#
# $$z = w \cdot x + b = \sum_i w_i x_i + b$$
#
# Complete `weighted_sum(x, w, b)`. For one sample `x` of shape `(D,)` ($D$ inputs) it returns
# one number; for a batch `X` of shape `(N, D)` (one sample per row) it returns an array of
# shape `(N,)`.
# Hint: `x @ w` does both.

# %%
def weighted_sum(x, w, b):
    """z = x . w + b for one sample (D,) or a batch (N, D)."""
    ### BEGIN SOLUTION
    return x @ w + b
    ### END SOLUTION


# %%
# try it
z = weighted_sum(np.array([2.0, 3.0]), np.array([0.0, 1.0]), 4.0)
print(f"z = {z:.4f}")   # 0*2 + 1*3 + 4 = 7

# %%
lesson01.check_weighted_sum(weighted_sum)


# %% [markdown]
# ## Exercise 2: `sigmoid` (2 points)
#
# The **sigmoid** squashes any real number into $(0, 1)$:
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}}$$
#
# Complete `sigmoid(z)` for a number or an array of any shape (element by element, same shape).
# It must stay finite and warning-free for large $|z|$ such as $\pm 10^4$, where `np.exp(-z)`
# overflows. Use $e = e^{-|z|} \le 1$: $\sigma(z) = \frac{1}{1+e}$ for $z \ge 0$ and $\frac{e}{1+e}$ for $z < 0$.

# %%
def sigmoid(z):
    """sigma(z) = 1 / (1 + exp(-z)), element-wise, without overflow for large |z|."""
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))              # never larger than 1: no overflow
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    ### END SOLUTION


# %%
# try it
print(f"sigmoid(0) = {float(sigmoid(0.0)):.4f}")
print(f"sigmoid(7) = {float(sigmoid(7.0)):.16f}")
print("sigmoid([-1e4, 0, 1e4]) =", np.array2string(sigmoid(np.array([-1e4, 0.0, 1e4])), precision=4, suppress_small=True))

# %%
lesson01.check_sigmoid(sigmoid)


# %% [markdown]
# ## Exercise 3: `neuron_output` (2 points)
#
# A neuron's output $a$ (its *activation*) is the activation function of its weighted sum:
#
# $$a = \sigma(w \cdot x + b)$$
#
# Complete `neuron_output(x, w, b)` (one sample `(D,)` -> a number; a batch `(N, D)` -> `(N,)`).
# Reuse your `weighted_sum` and `sigmoid`. The classic example: $w = [0, 1]$, $b = 4$,
# $x = [2, 3]$ gives $\sigma(7) \approx 0.99909$.

# %%
def neuron_output(x, w, b):
    """a = sigmoid(x . w + b)."""
    ### BEGIN SOLUTION
    return sigmoid(weighted_sum(x, w, b))
    ### END SOLUTION


# %%
# try it
a = neuron_output(np.array([2.0, 3.0]), np.array([0.0, 1.0]), 4.0)
print(f"a = {float(a):.16f}")

# %%
lesson01.check_neuron_output(neuron_output)


# %% [markdown]
# ## Exercise 4: `and_not_gate` (1 point)
#
# One neuron is a linear classifier: it fires ($a > 0.5$) on one side of the line
# $w_1 x_1 + w_2 x_2 + b = 0$. The lesson built AND and OR. Now choose weights and a bias so
# that the neuron computes **$x_1$ AND NOT $x_2$**: it fires only when $x_1$ is on and $x_2$
# is off.
#
# | $x_1$ | $x_2$ | $x_1$ AND NOT $x_2$ |
# |---|---|---|
# | 0 | 0 | 0 |
# | 0 | 1 | 0 |
# | 1 | 0 | 1 |
# | 1 | 1 | 0 |
#
# Think first about the sign each weight needs, then place the line with the bias. The widget
# at the end of lesson 01 lets you try an idea before you type it.
#
# `and_not_gate()` returns a tuple `(w, b)`: `w` an array of 2 weights, `b` a number.

# %%
def and_not_gate():
    """Weights and bias of a neuron that computes x1 AND NOT x2: returns (w, b)."""
    ### BEGIN SOLUTION
    w = np.array([10.0, -10.0])
    b = -5.0
    return w, b
    ### END SOLUTION


# %%
# try it
w, b = and_not_gate()
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
for x, a in zip(X, neuron_output(X, w, b)):
    print(f"{x} -> {a:.4f}")

# %%
lesson01.check_and_not_gate(and_not_gate)

# %% [markdown]
# ## All exercises
#
# Run this cell to check every exercise and see your score.

# %%
lesson01.check_all(globals())
