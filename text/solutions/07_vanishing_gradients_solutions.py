# ---
# jupyter:
#   course:
#     lesson: 7
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
# # Exercises 07 — Vanishing gradients and initialization
#
# Companion to the lesson [`notebooks/07_vanishing_gradients.ipynb`](../notebooks/07_vanishing_gradients.ipynb).
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
from course_lib import MSE, mlp
from course_lib.layers import Dense
from course_lib.checks import lesson07


# %% [markdown]
# ## Exercise 1: `xavier_init` (2 points)
#
# **Xavier (Glorot) initialization** keeps the signal's variance roughly constant through
# tanh/sigmoid layers:
#
# $$W \sim \mathcal{N}\!\left(0,\ \sigma^2\right), \qquad \sigma = \sqrt{\frac{2}{n_\text{in} + n_\text{out}}}$$
#
# Complete `xavier_init(n_in, n_out, rng)`: an array of shape `(n_in, n_out)` drawn from the
# generator you are given, `rng.normal(0.0, sigma, size=(n_in, n_out))`.

# %%
def xavier_init(n_in, n_out, rng):
    """W ~ N(0, 2 / (n_in + n_out)), shape (n_in, n_out)."""
    ### BEGIN SOLUTION
    std = np.sqrt(2.0 / (n_in + n_out))
    return rng.normal(0.0, std, size=(n_in, n_out))
    ### END SOLUTION


# %%
# try it
W = xavier_init(300, 500, np.random.default_rng(0))
print(W.shape, f"std {W.std():.4f} (target {np.sqrt(2 / 800):.4f})")

# %%
lesson07.check_xavier_init(xavier_init)


# %% [markdown]
# ## Exercise 2: `he_init` (2 points)
#
# **He (Kaiming) initialization** doubles the variance to make up for ReLU zeroing half its inputs:
#
# $$W \sim \mathcal{N}\!\left(0,\ \sigma^2\right), \qquad \sigma = \sqrt{\frac{2}{n_\text{in}}}$$
#
# Complete `he_init(n_in, n_out, rng)`, like `xavier_init`.

# %%
def he_init(n_in, n_out, rng):
    """W ~ N(0, 2 / n_in), shape (n_in, n_out)."""
    ### BEGIN SOLUTION
    std = np.sqrt(2.0 / n_in)
    return rng.normal(0.0, std, size=(n_in, n_out))
    ### END SOLUTION


# %%
# try it
W = he_init(300, 500, np.random.default_rng(0))
print(W.shape, f"std {W.std():.4f} (target {np.sqrt(2 / 300):.4f})")

# %%
lesson07.check_he_init(he_init)


# %% [markdown]
# ## Exercise 3: `gradient_norms` (3 points)
#
# To see gradients vanish, measure them layer by layer. After one forward and backward pass with
# the MSE loss, each `Dense` layer holds its gradient `dW`; its size is the Frobenius norm
#
# $$\lVert \partial L / \partial W^{(l)} \rVert = \sqrt{\textstyle\sum_{ij} \left(\partial L / \partial W^{(l)}_{ij}\right)^2}$$
#
# Complete `gradient_norms(model, X, y)`: run `loss = MSE()`, `loss.forward(model.forward(X), y)`,
# `model.backward(loss.backward())`, and return a NumPy array with `np.linalg.norm(layer.dW)` for
# each `Dense` layer in `model.layers`, first layer first.

# %%
def gradient_norms(model, X, y):
    """Norm of dW for each Dense layer after one backward pass (MSE)."""
    ### BEGIN SOLUTION
    loss = MSE()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    return np.array([np.linalg.norm(layer.dW) for layer in model.layers if isinstance(layer, Dense)])
    ### END SOLUTION


# %%
# try it
rng = np.random.default_rng(0)
X, y = rng.standard_normal((32, 4)), rng.standard_normal((32, 1))
deep = mlp([4] + [16] * 9 + [1], activation="sigmoid", init="xavier", seed=0)
for layer, norm in enumerate(gradient_norms(deep, X, y), 1):
    print(f"layer {layer:2d}: {norm:.2e}")

# %%
lesson07.check_gradient_norms(gradient_norms)

# %% [markdown]
# ## All exercises
#
# Run this cell to check every exercise and see your score.

# %%
lesson07.check_all(globals())
