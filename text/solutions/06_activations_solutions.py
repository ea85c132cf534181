# ---
# jupyter:
#   course:
#     lesson: 6
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
# # Exercises 06 — Activation functions and their derivatives
#
# Companion to the lesson [`notebooks/06_activations.ipynb`](../notebooks/06_activations.ipynb).
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
from course_lib.checks import lesson06


# %% [markdown]
# ## Exercise 1: `tanh_derivative` (1 point)
#
# $$\tanh(z) = \frac{e^z - e^{-z}}{e^z + e^{-z}}, \qquad \tanh'(z) = 1 - \tanh^2(z)$$
#
# Complete `tanh_derivative(z)` (element-wise, any shape). For $|z| = 10^4$, `np.cosh` overflows;
# `np.tanh` does not.

# %%
def tanh_derivative(z):
    """tanh'(z) = 1 - tanh(z)^2."""
    ### BEGIN SOLUTION
    t = np.tanh(z)
    return 1.0 - t * t
    ### END SOLUTION


# %%
# try it
print(np.array2string(tanh_derivative(np.array([-1e4, -1.0, 0.0, 1.0, 1e4])), precision=4, suppress_small=True))

# %%
lesson06.check_tanh_derivative(tanh_derivative)


# %% [markdown]
# ## Exercise 2: `relu_derivative` (1 point)
#
# $$\text{relu}(z) = \max(0, z), \qquad \text{relu}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}$$
#
# (At $z = 0$ the derivative is undefined; like PyTorch we take 0.) Complete `relu_derivative(z)`;
# it returns **floats** (`float64`), not booleans.

# %%
def relu_derivative(z):
    """1.0 where z > 0, else 0.0."""
    ### BEGIN SOLUTION
    return (z > 0).astype(float)
    ### END SOLUTION


# %%
# try it
print(np.array2string(relu_derivative(np.array([-2.0, 0.0, 3.0])), precision=4, suppress_small=True))

# %%
lesson06.check_relu_derivative(relu_derivative)


# %% [markdown]
# ## Exercise 3: `leaky_relu_derivative` (1 point)
#
# Leaky ReLU keeps a small slope $\alpha$ for negative inputs, so units cannot "die":
#
# $$\text{leaky\_relu}(z) = \begin{cases} z & z > 0 \\ \alpha z & z \le 0 \end{cases}, \qquad
# \text{leaky\_relu}'(z) = \begin{cases} 1 & z > 0 \\ \alpha & z \le 0 \end{cases}$$
#
# Complete `leaky_relu_derivative(z, alpha=0.01)`.

# %%
def leaky_relu_derivative(z, alpha=0.01):
    """1.0 where z > 0, else alpha."""
    ### BEGIN SOLUTION
    return np.where(z > 0, 1.0, alpha)
    ### END SOLUTION


# %%
# try it
print(np.array2string(leaky_relu_derivative(np.array([-2.0, 0.0, 3.0]), alpha=0.1), precision=4, suppress_small=True))

# %%
lesson06.check_leaky_relu_derivative(leaky_relu_derivative)


# %% [markdown]
# ## Exercise 4: `elu_derivative` (2 points)
#
# $$\text{elu}(z) = \begin{cases} z & z > 0 \\ \alpha (e^z - 1) & z \le 0 \end{cases}, \qquad
# \text{elu}'(z) = \begin{cases} 1 & z > 0 \\ \alpha e^z & z \le 0 \end{cases}$$
#
# Complete `elu_derivative(z, alpha=1.0)`. Careful: `np.where` evaluates **both** branches, so
# `np.exp(z)` would overflow for $z = 10^4$ even though that branch is not chosen; use
# `np.exp(np.minimum(z, 0))`.

# %%
def elu_derivative(z, alpha=1.0):
    """1.0 where z > 0, else alpha * exp(z); no overflow."""
    ### BEGIN SOLUTION
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))
    ### END SOLUTION


# %%
# try it
print(np.array2string(elu_derivative(np.array([-1e4, -1.0, 0.0, 1.0, 1e4])), precision=4, suppress_small=True))

# %%
lesson06.check_elu_derivative(elu_derivative)

# %% [markdown]
# ## All exercises
#
# Run this cell to check every exercise and see your score.

# %%
lesson06.check_all(globals())
