# ---
# jupyter:
#   course:
#     lesson: 8
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
# # Exercises 08 — Overfitting and regularization
#
# Companion to the lesson [`notebooks/08_regularization.ipynb`](../notebooks/08_regularization.ipynb).
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
from course_lib.checks import lesson08


# %% [markdown]
# ## Exercise 1: `l2_penalty` (2 points)
#
# **L2 regularization** (with plain gradient descent the same as weight decay; lesson 08,
# section 5) adds to the loss a penalty on large weights, summed over every weight matrix
# (biases are not penalized):
#
# $$\Omega = \frac{\lambda}{2} \sum_{l} \sum_{ij} \left(W^{(l)}_{ij}\right)^2$$
#
# Complete `l2_penalty(weights, lam)`, where `weights` is a list of matrices; it returns a float.

# %%
def l2_penalty(weights, lam):
    """lam / 2 * sum of squared entries of every matrix, a float."""
    ### BEGIN SOLUTION
    return 0.5 * lam * float(sum(np.sum(W * W) for W in weights))
    ### END SOLUTION


# %%
# try it
print(f"{l2_penalty([np.array([[1.0, -2.0], [3.0, 0.5]])], lam=0.1):.4f}")

# %%
lesson08.check_l2_penalty(l2_penalty)


# %% [markdown]
# ## Exercise 2: `l2_gradient` (1 point)
#
# The penalty's gradient is added to each weight gradient before the optimizer step:
#
# $$\frac{\partial \Omega}{\partial W} = \lambda W$$
#
# Complete `l2_gradient(W, lam)`.

# %%
def l2_gradient(W, lam):
    """d/dW of lam/2 * sum W^2."""
    ### BEGIN SOLUTION
    return lam * W
    ### END SOLUTION


# %%
# try it
print(np.array2string(l2_gradient(np.array([[1.0, -2.0]]), lam=0.1), precision=4, suppress_small=True))

# %%
lesson08.check_l2_gradient(l2_gradient)


# %% [markdown]
# ## Exercise 3: `l1_penalty` (2 points)
#
# **L1 regularization** penalizes the absolute values of the weights instead of their squares,
# again summed over every weight matrix (biases are not penalized):
#
# $$\Omega_1 = \lambda \sum_{l} \sum_{ij} \left|W^{(l)}_{ij}\right|$$
#
# Complete `l1_penalty(weights, lam)`, where `weights` is a list of matrices; it returns a float.

# %%
def l1_penalty(weights, lam):
    """lam * sum of absolute entries of every matrix, a float."""
    ### BEGIN SOLUTION
    return lam * float(sum(np.sum(np.abs(W)) for W in weights))
    ### END SOLUTION


# %%
# try it
print(f"{l1_penalty([np.array([[1.0, -2.0], [3.0, 0.5]])], lam=0.1):.4f}")
print(f"{l1_penalty([np.array([[1.0, -2.0]]), np.array([[0.5], [-0.5]])], lam=1.0):.4f}")

# %%
lesson08.check_l1_penalty(l1_penalty)


# %% [markdown]
# ## Exercise 4: `l1_gradient` (2 points)
#
# The absolute value $|w|$ has slope $+1$ for $w > 0$ and $-1$ for $w < 0$. At $w = 0$ it has a
# kink and no derivative; any slope in $[-1, 1]$ is a valid **subgradient** there, and the
# convention (NumPy's `np.sign`, and `course_lib.regularization`) is **0**: a weight that is
# exactly 0 feels no pull. So, entry by entry,
#
# $$\frac{\partial \Omega_1}{\partial W_{ij}} = \lambda \operatorname{sign}(W_{ij}), \qquad
# \operatorname{sign}(w) = \begin{cases} +1 & w > 0 \\ 0 & w = 0 \\ -1 & w < 0 \end{cases}$$
#
# Unlike L2's $\lambda W$, this pull has the same size for every weight, however small: that
# is why L1 drives many weights to (nearly) 0. Complete `l1_gradient(W, lam)`; it returns an
# array of the shape of `W`.

# %%
def l1_gradient(W, lam):
    """d/dW of lam * sum |W| (the subgradient 0 where W == 0)."""
    ### BEGIN SOLUTION
    return lam * np.sign(W)
    ### END SOLUTION


# %%
# try it
print(np.array2string(l1_gradient(np.array([[1.5, 0.0, -0.2]]), lam=0.1), precision=4, suppress_small=True))

# %%
lesson08.check_l1_gradient(l1_gradient)


# %% [markdown]
# ## Exercise 5: `dropout_forward` (2 points)
#
# **Inverted dropout** (training mode) drops each unit with probability $p$ and scales the kept
# ones by $\frac{1}{1-p}$, so the expected output equals the input:
#
# $$\text{mask} = \frac{\mathbb{1}[u \ge p]}{1-p}, \quad u \sim U(0, 1), \qquad \text{out} = x \odot \text{mask}$$
#
# Complete `dropout_forward(x, p, rng)` with `u = rng.random(x.shape)`; it returns `(out, mask)`.
# Do not change `x` in place.

# %%
def dropout_forward(x, p, rng):
    """Inverted dropout: returns (out, mask)."""
    ### BEGIN SOLUTION
    mask = (rng.random(x.shape) >= p) / (1.0 - p)
    return x * mask, mask
    ### END SOLUTION


# %%
# try it
out, mask = dropout_forward(np.ones((2, 6)), 0.5, np.random.default_rng(0))
print(np.array2string(out, precision=4, suppress_small=True))
print(f"mean of a large output: {dropout_forward(np.ones((100, 100)), 0.5, np.random.default_rng(1))[0].mean():.3f}")

# %%
lesson08.check_dropout_forward(dropout_forward)


# %% [markdown]
# ## Exercise 6: `dropout_backward` (1 point)
#
# In the backward pass the gradient flows only through the kept units, scaled like the forward pass:
#
# $$\frac{\partial L}{\partial x} = \frac{\partial L}{\partial \text{out}} \odot \text{mask}$$
#
# Complete `dropout_backward(grad_out, mask)`.

# %%
def dropout_backward(grad_out, mask):
    """dL/dx = grad_out * mask."""
    ### BEGIN SOLUTION
    return grad_out * mask
    ### END SOLUTION


# %%
# try it
print(np.array2string(dropout_backward(np.ones((1, 4)), np.array([[2.0, 0.0, 2.0, 0.0]])), precision=4, suppress_small=True))

# %%
lesson08.check_dropout_backward(dropout_backward)


# %% [markdown]
# ## Exercise 7: `should_stop` (2 points)
#
# **Early stopping** watches the validation loss and stops when it has not improved for
# `patience` epochs. An epoch *improves* when its loss is below the best so far by more than
# `min_delta`:
#
# $$\text{improves at epoch } t \iff L_t < \min_{s < t} L_s - \delta$$
#
# Complete `should_stop(val_losses, patience, min_delta=0.0)`: `True` when the last improvement
# (the first epoch always improves) was `patience` or more epochs ago, else `False` (also for an
# empty list).

# %%
def should_stop(val_losses, patience, min_delta=0.0):
    """True when the best loss is patience or more epochs old."""
    ### BEGIN SOLUTION
    best, since = np.inf, 0
    for loss in val_losses:
        if loss < best - min_delta:
            best, since = loss, 0
        else:
            since += 1
    return since >= patience
    ### END SOLUTION


# %%
# try it
print(should_stop([1.0, 0.8, 0.85, 0.9], patience=2))
print(should_stop([1.0, 0.8, 0.85], patience=2))

# %%
lesson08.check_should_stop(should_stop)

# %% [markdown]
# ## All exercises
#
# Run this cell to check every exercise and see your score.

# %%
lesson08.check_all(globals())
