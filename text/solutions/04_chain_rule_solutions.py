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
from course_lib.layers import Dense, Sigmoid, Tanh
from course_lib.network import Sequential


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
# $G = \frac{\partial L}{\partial \text{out}}$ of shape $(N, n_\text{out})$ (when the layer is layer $l$ of a
# network, $\text{out} = z^{(l)}$ and $G$ is the lesson's $\delta^{(l)}$):
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
# Complete `numerical_gradient(f, x, h=1e-5)`, a function you can use in place of the library's
# `course_lib.gradcheck.numerical_gradient` that the lesson called: same name, same arguments,
# same convention. `f` takes **no arguments**: it computes a float from the array `x`, which it
# reads itself, as `lambda: loss_of(theta)` did in the lesson with `x = theta`. This is how a
# whole network is checked: `x` is a layer's weight array `W`, and `f()` runs the network and
# its loss with whatever `W` holds now. So to get $f(x + h e_i)$, change the entry `x[i]` in
# place and call `f()`; then put `x[i]` back, so that `x` holds its original values when you
# return. The result has the shape of `x`; loop over every entry with `np.ndindex(x.shape)`.

# %%
def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of f() with respect to the array x, which f reads."""
    ### BEGIN SOLUTION
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f()
        x[i] = old - h
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2.0 * h)
    return grad
    ### END SOLUTION


# %%
# try it: f() reads x, so x must come back unchanged
x = np.array([1.0, -2.0, 3.0])
g = numerical_gradient(lambda: float(np.sum(x ** 2)), x)
print(np.array2string(g, precision=4, suppress_small=True), "(exact: 2x =", np.array2string(2 * x, precision=4, suppress_small=True) + ")")
print("x afterwards:", x.tolist())

# %%
lesson04.check_numerical_gradient(numerical_gradient)


# %% [markdown]
# ## Exercise 4: `relative_error` (1 point)
#
# How close are an analytic gradient $g$ and a numerical one $\tilde g$? Use the relative error
#
# $$\text{err} = \frac{\max_i |g_i - \tilde g_i|}{\max\left(\max_i (|g_i| + |\tilde g_i|),\ 10^{-300}\right)}$$
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
# ## Exercise 5: `dL_dx1` (2 points)
#
# A partial derivative by hand. Take the 2-2-1 network of the lesson (section 3) with its notation: sigmoid $f$ everywhere,
#
# $$h_1 = f(w_1 x_1 + w_2 x_2 + b_1), \qquad h_2 = f(w_3 x_1 + w_4 x_2 + b_2), \qquad
# o_1 = f(w_5 h_1 + w_6 h_2 + b_3), \qquad L = (y - o_1)^2 .$$
#
# The lesson derived the loss's derivative with respect to every weight. Now derive, on paper,
# its derivative with respect to an **input**, $\dfrac{\partial L}{\partial x_1}$. It is what a
# layer hands back to the layer before it (`grad_in`), and it says how the loss would change if
# the first feature of the sample changed. Draw the graph first: follow every way in which
# $x_1$ reaches $L$, multiply the local derivatives along each way, and remember that the
# derivative of the sigmoid can be written with its output, $f'(\text{sum}) = f(\text{sum})\,(1 - f(\text{sum}))$.
#
# Complete `dL_dx1(h1, h2, o1, y_true, w)`. It gets the forward values $h_1, h_2, o_1$ (floats),
# the target $y$ (`y_true`) and the dictionary `w` of the nine parameters (`w["w1"]` ... `w["w6"]`,
# `w["b1"]` ... `w["b3"]`), and returns $\partial L/\partial x_1$ as a float. The check compares
# it with finite differences of the network's loss, on random weights and inputs.

# %%
def dL_dx1(h1, h2, o1, y_true, w):
    """dL/dx1 of the 2-2-1 sigmoid network with L = (y_true - o1)^2, from the forward values."""
    ### BEGIN SOLUTION
    dL_do1 = -2.0 * (y_true - o1)
    dL_dsum_o1 = dL_do1 * o1 * (1.0 - o1)
    through_h1 = w["w5"] * h1 * (1.0 - h1) * w["w1"]
    through_h2 = w["w6"] * h2 * (1.0 - h2) * w["w3"]
    return dL_dsum_o1 * (through_h1 + through_h2)
    ### END SOLUTION


# %%
# try it: one sample and some weights; compare with a central difference of the loss in x1
params = {"w1": 0.2, "w2": -0.5, "w3": -0.1, "w4": 0.4, "w5": 1.5, "w6": -2.0, "b1": 0.0, "b2": 0.5, "b3": 0.1}

def forward_221(x1, x2, w):
    h1 = float(sigmoid(w["w1"] * x1 + w["w2"] * x2 + w["b1"]))
    h2 = float(sigmoid(w["w3"] * x1 + w["w4"] * x2 + w["b2"]))
    return h1, h2, float(sigmoid(w["w5"] * h1 + w["w6"] * h2 + w["b3"]))

x1, x2, y_true = 2.5, 0.6, 0.0
h1, h2, o1 = forward_221(x1, x2, params)
step = 1e-6
numeric = ((y_true - forward_221(x1 + step, x2, params)[2]) ** 2
           - (y_true - forward_221(x1 - step, x2, params)[2]) ** 2) / (2 * step)
mine = dL_dx1(h1, h2, o1, y_true, params)
print(f"yours: {mine:+.6f}   finite differences: {numeric:+.6f}   agree: {abs(mine - numeric) < 1e-7}")

# %%
lesson04.check_dL_dx1(dL_dx1)


# %% [markdown]
# ## Exercise 6: `network_backward` (3 points)
#
# `Sequential.backward` is the chain rule for a whole network. Write it yourself. A network is a
# list `layers` of $n$ layer objects (`Dense`, `Sigmoid`, `Tanh`, `ReLU`, ...) whose forward
# pass has already run, so each layer remembers what its backward pass needs. Call
# $\text{out}^{(k)}$ the output of the $k$-th object, with $\text{out}^{(0)} = X$, the input
# (a `Dense` layer outputs a pre-activation $z$, an activation layer an activation $a$). Given
# `grad_out` $= \frac{\partial L}{\partial \text{out}^{(n)}}$, the gradient of the loss with
# respect to the network's output, each layer's `backward(grad_out)` turns the gradient with
# respect to its output into the gradient with respect to its input (and a `Dense` layer also
# fills its `dW` and `db`):
#
# $$\frac{\partial L}{\partial \text{out}^{(k-1)}} = \texttt{layers[k-1].backward}\!\left(\frac{\partial L}{\partial \text{out}^{(k)}}\right),
# \qquad k = n, n-1, \dots, 1 .$$
#
# Complete `network_backward(layers, grad_out)`: it calls the layers' `backward` methods to
# return $\frac{\partial L}{\partial X}$ (shape of the network's input), leaving every layer's
# gradients filled. Networks of any depth must work. The check compares your result with finite
# differences and with `Sequential.backward` on networks of 1 to 5 `Dense` layers.

# %%
def network_backward(layers, grad_out):
    """Backpropagate grad_out = dL/d(output) through layers; return dL/dx."""
    ### BEGIN SOLUTION
    grad = grad_out
    for layer in reversed(layers):
        grad = layer.backward(grad)
    return grad
    ### END SOLUTION


# %%
# try it: a 2-3-1 network on four samples; compare with Sequential.backward
rng = np.random.default_rng(1)
model = Sequential([Dense(2, 3, rng=rng), Tanh(), Dense(3, 1, rng=rng), Sigmoid()])
X = rng.standard_normal((4, 2))
grad_out = model.forward(X) - 1.0
dx_mine = network_backward(model.layers, grad_out)
dW_mine = model.layers[0].dW.copy()
dx_library = model.backward(grad_out, need_grad_in=True)
print("dL/dx shape:", dx_mine.shape)
print("same dL/dx as Sequential.backward:", np.allclose(dx_mine, dx_library, rtol=1e-12, atol=1e-15))
print("same dW of the first layer:       ", np.allclose(dW_mine, model.layers[0].dW, rtol=1e-12, atol=1e-15))

# %%
lesson04.check_network_backward(network_backward)

# %% [markdown]
# ## All exercises
#
# Run this cell to check every exercise and see your score.

# %%
lesson04.check_all(globals())
