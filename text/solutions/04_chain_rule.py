# ---
# jupyter:
#   course:
#     lesson: 4
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
# # Exercises 04 — The chain rule and backpropagation
#
# Companion to the lesson [`notebooks/04_chain_rule.ipynb`](../notebooks/04_chain_rule.ipynb).
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
from course_lib.activations import sigmoid
from course_lib.checks import lesson04


# %% [markdown]
# ## Exercise 1: `sigmoid_backward` (2 points)
#
# In the backward pass, a sigmoid layer receives $\frac{\partial L}{\partial \text{out}}$ (`grad_out`)
# and returns $\frac{\partial L}{\partial z}$. With $\text{out} = \sigma(z)$ and $\sigma'(z) = \sigma(z)(1 - \sigma(z))$:
#
# $$\frac{\partial L}{\partial z} = \frac{\partial L}{\partial \text{out}} \cdot \text{out} \cdot (1 - \text{out})$$
#
# Complete `sigmoid_backward(grad_out, out)`, where `out` is the output of the forward pass.

# %%
def sigmoid_backward(grad_out, out):
    """dL/dz for out = sigmoid(z), given dL/dout."""
    ### BEGIN SOLUTION
    return grad_out * out * (1.0 - out)
    ### END SOLUTION


# %%
# try it
out = sigmoid(np.array([[0.0, 2.0]]))
print(np.array2string(sigmoid_backward(np.array([[1.0, 1.0]]), out), precision=4, suppress_small=True))

# %%
lesson04.check_sigmoid_backward(sigmoid_backward)


# %% [markdown]
# ## Exercise 2: `dense_backward` (3 points)
#
# For a dense layer $\text{out} = XW + b$ with $X$ of shape $(N, n_\text{in})$, given
# $G = \frac{\partial L}{\partial \text{out}}$ of shape $(N, n_\text{out})$:
#
# $$\frac{\partial L}{\partial X} = G W^\top, \qquad \frac{\partial L}{\partial W} = X^\top G, \qquad
# \frac{\partial L}{\partial b} = \sum_{n} G_{n,:}$$
#
# Each gradient has the shape of what it differentiates. Complete `dense_backward(grad_out, X, W)`;
# it returns the tuple `(grad_X, dW, db)`.

# %%
def dense_backward(grad_out, X, W):
    """Gradients of a dense layer: returns (grad_X, dW, db)."""
    ### BEGIN SOLUTION
    grad_X = grad_out @ W.T
    dW = X.T @ grad_out
    db = grad_out.sum(axis=0)
    return grad_X, dW, db
    ### END SOLUTION


# %%
# try it
rng = np.random.default_rng(0)
X, W, G = rng.standard_normal((4, 3)), rng.standard_normal((3, 2)), rng.standard_normal((4, 2))
for name, g in zip(["grad_X", "dW", "db"], dense_backward(G, X, W)):
    print(name, g.shape)

# %%
lesson04.check_dense_backward(dense_backward)


# %% [markdown]
# ## Exercise 3: `numerical_gradient` (3 points)
#
# Gradient checking compares a backward pass with **central differences**:
#
# $$\frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}$$
#
# Complete `numerical_gradient(f, x, h=1e-5)`: `f` takes an array like `x` and returns a float;
# the result has the shape of `x`. Loop over every entry (`np.ndindex(x.shape)`); you may change
# `x[i]` temporarily, but put it back: `x` must be unchanged when you return.

# %%
def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of the scalar function f at x."""
    ### BEGIN SOLUTION
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2.0 * h)
    return grad
    ### END SOLUTION


# %%
# try it
x = np.array([1.0, -2.0, 3.0])
g = numerical_gradient(lambda v: float(np.sum(v ** 2)), x)
print(np.array2string(g, precision=4, suppress_small=True), "(exact: 2x =", np.array2string(2 * x, precision=4, suppress_small=True) + ")")

# %%
lesson04.check_numerical_gradient(numerical_gradient)


# %% [markdown]
# ## Exercise 4: `relative_error` (1 point)
#
# How close are an analytic gradient $a$ and a numerical one $n$? Use the relative error
#
# $$\text{err} = \frac{\max_i |a_i - n_i|}{\max\left(\max_i (|a_i| + |n_i|),\ 10^{-300}\right)}$$
#
# (the tiny floor makes 0/0 come out as 0). Around $10^{-8}$ means correct; near 1 means wrong.
# Complete `relative_error(analytic, numeric)`; it returns a float.

# %%
def relative_error(analytic, numeric):
    """max |a - n| / max(|a| + |n|), a float."""
    ### BEGIN SOLUTION
    diff = np.max(np.abs(analytic - numeric))
    scale = np.max(np.abs(analytic) + np.abs(numeric))
    return float(diff / max(scale, 1e-300))
    ### END SOLUTION


# %%
# try it
print(f"{relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0001])):.2e}")

# %%
lesson04.check_relative_error(relative_error)

# %% [markdown]
# ## All exercises
#
# Run this cell to check every exercise and see your score.

# %%
lesson04.check_all(globals())
