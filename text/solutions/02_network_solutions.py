# ---
# jupyter:
#   course:
#     lesson: 2
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
# # Exercises 02 — The network
#
# Companion to the lesson [`notebooks/02_network.ipynb`](../notebooks/02_network.ipynb).
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
from course_lib.activations import sigmoid   # a stable sigmoid, from lesson 01
from course_lib.checks import lesson02


# %% [markdown]
# ## Exercise 1: `dense_forward` (2 points)
#
# A **dense layer** maps a batch `X` of shape $(N, n_\text{in})$ to $(N, n_\text{out})$:
#
# $$\text{out} = X W + b, \qquad W \in \mathbb{R}^{n_\text{in} \times n_\text{out}},\; b \in \mathbb{R}^{n_\text{out}}$$
#
# Rows are samples; `b` is added to every row (broadcasting). Complete `dense_forward(X, W, b)`.

# %%
def dense_forward(X, W, b):
    """out = X @ W + b: (N, n_in) -> (N, n_out)."""
    ### BEGIN SOLUTION
    return X @ W + b
    ### END SOLUTION


# %%
# try it
X = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]])
W = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 1.0]])
b = np.array([0.0, 1.0, -1.0])
out = dense_forward(X, W, b)
print("shape", out.shape)
print(np.array2string(out, precision=4, suppress_small=True))

# %%
lesson02.check_dense_forward(dense_forward)


# %% [markdown]
# ## Exercise 2: `network_forward` (3 points)
#
# A network applies layers one after the other. Here every layer is dense followed by a sigmoid:
#
# $$a^{(0)} = X, \qquad a^{(l)} = \sigma\left(a^{(l-1)} W^{(l)} + b^{(l)}\right) \quad (l = 1, 2, \dots), \qquad
# \hat y = \text{the last layer's } a^{(l)}$$
#
# Complete `network_forward(X, weights, biases)`, where `weights` and `biases` are lists of the
# layers' `W` and `b`, first layer first. Use the `sigmoid` imported above (it never overflows).

# %%
def network_forward(X, weights, biases):
    """Forward pass of a sigmoid network; returns the last layer's output."""
    ### BEGIN SOLUTION
    a = X
    for W, b in zip(weights, biases):
        a = sigmoid(a @ W + b)
    return a
    ### END SOLUTION


# %%
# try it
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
weights = [np.array([[20.0, -20.0], [20.0, -20.0]]), np.array([[20.0], [20.0]])]
biases = [np.array([-10.0, 30.0]), np.array([-30.0])]
print(np.array2string(network_forward(X, weights, biases), precision=4, suppress_small=True))

# %%
lesson02.check_network_forward(network_forward)


# %% [markdown]
# ## Exercise 3: `n_parameters` (1 point)
#
# How many numbers does a network learn? Layer $l$, a dense layer from $n_{l-1}$ units to $n_l$
# units, has $n_{l-1} n_l$ weights (its $W^{(l)}$) and $n_l$ biases (its $\mathbf b^{(l)}$). For
# layer sizes $[n_0, n_1, n_2, \dots]$ ($n_0 = D$ inputs):
#
# $$\#\text{parameters} = \sum_{l \ge 1} \left(n_{l-1} n_l + n_l\right)$$
#
# Complete `n_parameters(sizes)`; it returns an integer. (The 2-2-1 network has 9.)

# %%
def n_parameters(sizes):
    """Number of weights and biases of a dense network with these layer sizes."""
    ### BEGIN SOLUTION
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    ### END SOLUTION


# %%
# try it
for sizes in ([2, 2, 1], [784, 128, 10]):
    print(sizes, "->", n_parameters(sizes))

# %%
lesson02.check_n_parameters(n_parameters)


# %% [markdown]
# ## Exercise 4: `xnor_network` (2 points)
#
# Lesson 02 built a network for XOR: its output fires when the two inputs *differ*. Now build
# one for **XNOR**, which fires when the two inputs are *equal*:
#
# | $x_1$ | $x_2$ | XNOR |
# |---|---|---|
# | 0 | 0 | 1 |
# | 0 | 1 | 0 |
# | 1 | 0 | 0 |
# | 1 | 1 | 1 |
#
# Choose the weights and biases of a sigmoid network (any hidden size) whose output is above
# 0.5 exactly for the inputs 00 and 11. Like XOR, XNOR is not linearly separable, so you need
# a hidden layer. Write down what each hidden unit should compute before you pick numbers.
#
# `xnor_network()` returns `(weights, biases)`, two lists as in `network_forward`.

# %%
def xnor_network():
    """Weights and biases of a 2-h-1 sigmoid network that computes XNOR."""
    ### BEGIN SOLUTION
    W1 = np.array([[20.0, -20.0], [20.0, -20.0]])   # hidden unit 1: AND, hidden unit 2: NOR
    b1 = np.array([-30.0, 10.0])
    W2 = np.array([[20.0], [20.0]])                 # output: OR of the two
    b2 = np.array([-10.0])
    return [W1, W2], [b1, b2]
    ### END SOLUTION


# %%
# try it
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
out = network_forward(X, *xnor_network())
for x, y_pred in zip(X, out[:, 0]):
    print(f"{x} -> {y_pred:.4f}")

# %%
lesson02.check_xnor_network(xnor_network)

# %% [markdown]
# ## All exercises
#
# Run this cell to check every exercise and see your score.

# %%
lesson02.check_all(globals())
