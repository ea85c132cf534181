# ---
# jupyter:
#   course:
#     lesson: 5
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
# # Exercises 05 — Gradient descent and optimizers
#
# Companion to the lesson [`notebooks/05_gradient_descent.ipynb`](../notebooks/05_gradient_descent.ipynb).
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
from course_lib.checks import lesson05


# %% [markdown]
# ## Exercise 1: `sgd_update` (1 point)
#
# **Gradient descent** takes a step against the gradient $g$, scaled by the learning rate $\eta$:
#
# $$\theta \leftarrow \theta - \eta\, g$$
#
# Complete `sgd_update(theta, grad, lr)`. Return the new parameters as a new array; do not change
# `theta` in place (no `-=`).

# %%
def sgd_update(theta, grad, lr):
    """One SGD step: returns theta - lr * grad."""
    ### BEGIN SOLUTION
    return theta - lr * grad
    ### END SOLUTION


# %%
# try it
print(np.array2string(sgd_update(np.array([1.0, -2.0]), np.array([0.5, 0.1]), lr=0.1), precision=4, suppress_small=True))

# %%
lesson05.check_sgd_update(sgd_update)


# %% [markdown]
# ## Exercise 2: `momentum_update` (2 points)
#
# **Momentum** keeps a velocity $v$ that accumulates past gradients (PyTorch's form):
#
# $$v \leftarrow \beta v + g, \qquad \theta \leftarrow \theta - \eta\, v$$
#
# Complete `momentum_update(theta, grad, v, lr, beta=0.9)`; it returns `(theta_new, v_new)`.
# On the first step `v` is all zeros.

# %%
def momentum_update(theta, grad, v, lr, beta=0.9):
    """One momentum step: returns (theta_new, v_new)."""
    ### BEGIN SOLUTION
    v_new = beta * v + grad
    theta_new = theta - lr * v_new
    return theta_new, v_new
    ### END SOLUTION


# %%
# try it
theta, v = np.array([1.0, -2.0]), np.zeros(2)
for step in range(3):
    theta, v = momentum_update(theta, np.array([0.5, 0.1]), v, lr=0.1)
    print(step, np.array2string(theta, precision=4, suppress_small=True), np.array2string(v, precision=4, suppress_small=True))

# %%
lesson05.check_momentum_update(momentum_update)


# %% [markdown]
# ## Exercise 3: `adam_update` (3 points)
#
# **Adam** keeps running means of the gradient ($m$) and of its square ($v$), corrects their bias
# towards zero at the start, and scales each step by $1/\sqrt{\hat v}$. At step $t = 1, 2, \dots$:
#
# $$m \leftarrow \beta_1 m + (1-\beta_1) g, \qquad v \leftarrow \beta_2 v + (1-\beta_2) g^2$$
# $$\hat m = \frac{m}{1-\beta_1^t}, \qquad \hat v = \frac{v}{1-\beta_2^t}, \qquad
# \theta \leftarrow \theta - \eta \frac{\hat m}{\sqrt{\hat v} + \varepsilon}$$
#
# Complete `adam_update(theta, grad, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8)`;
# it returns `(theta_new, m_new, v_new)`.

# %%
def adam_update(theta, grad, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step (t starts at 1): returns (theta_new, m_new, v_new)."""
    ### BEGIN SOLUTION
    m_new = beta1 * m + (1.0 - beta1) * grad
    v_new = beta2 * v + (1.0 - beta2) * grad * grad
    m_hat = m_new / (1.0 - beta1**t)
    v_hat = v_new / (1.0 - beta2**t)
    theta_new = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta_new, m_new, v_new
    ### END SOLUTION


# %%
# try it
theta, m, v = np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)
for t in range(1, 4):
    theta, m, v = adam_update(theta, np.array([0.5, -0.1]), m, v, t, lr=0.1)
    print(t, np.array2string(theta, precision=4, suppress_small=True))

# %%
lesson05.check_adam_update(adam_update)


# %% [markdown]
# ## Exercise 4: `minibatches` (2 points)
#
# **Mini-batch** gradient descent visits the data in small batches, in a new random order each
# epoch. With `order = np.random.default_rng(seed).permutation(N)` (or `np.arange(N)` when
# `shuffle=False`), the batches are
#
# $$\big(X[\text{idx}],\ y[\text{idx}]\big) \quad\text{for}\quad \text{idx} = \text{order}[s : s + B],\; s = 0, B, 2B, \dots$$
#
# The last batch is smaller when $B$ does not divide $N$: keep it. Complete
# `minibatches(X, y, batch_size, shuffle=True, seed=0)` as a generator that `yield`s `(X_batch, y_batch)`.

# %%
def minibatches(X, y, batch_size, shuffle=True, seed=0):
    """Yield (X_batch, y_batch) covering every sample once."""
    ### BEGIN SOLUTION
    n = X.shape[0]
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]
    ### END SOLUTION


# %%
# try it
X = np.arange(10.0).reshape(5, 2)
y = np.arange(5.0).reshape(5, 1)
for xb, yb in minibatches(X, y, batch_size=2, seed=0):
    print(xb.shape, yb[:, 0])

# %%
lesson05.check_minibatches(minibatches)

# %% [markdown]
# ## Exercise 5: `training_loop` (4 points)
#
# Now train a network with your own loop **and your own backward pass**. The lesson's
# `train_loop` calls `model.backward` and `optimizer.step`; here the network is a bare list of
# layers, `[Dense(2, 4), Tanh(), Dense(4, 1), Sigmoid()]`, with no `Sequential` around it and no
# optimizer: you chain the layers' `forward` and `backward` yourself (as in exercise 6 of
# lesson 04) and you update every parameter yourself. One **epoch** is one pass over the $N$ samples
# in shuffled mini-batches; for each batch $B$:
#
# $$\hat y_B = \text{every layer's forward, first to last, on } X_B, \qquad L_B = \text{loss}(\hat y_B, y_B), \qquad
# \text{every layer's backward, last to first, from } \frac{\partial L_B}{\partial \hat y_B}, \qquad
# \theta \leftarrow \theta - \eta\, \frac{\partial L_B}{\partial \theta} \ \text{ for every parameter } \theta .$$
#
# Complete `training_loop(layers, X, y, loss, lr, epochs, batch_size, rng)` with exactly these
# rules (the check repeats them and compares every number):
#
# * at the start of **each** epoch, draw `order = rng.permutation(N)`; the batches are
#   `order[0:batch_size]`, `order[batch_size:2 * batch_size]`, ... in this order (the last one
#   may be smaller); a batch takes the same rows of `X` and `y`;
# * per batch: the forward pass through the layers, the loss's `forward`, the backward pass
#   from the loss's `backward()` through the layers, then a plain SGD step with learning rate
#   `lr` on every `(name, theta, grad)` of every layer's `parameters()`, changing `theta`
#   **in place** (those are the layers' own arrays);
# * the epoch's loss is the mean over the epoch's samples, $\frac{1}{N}\sum_B |B|\, L_B$;
#   return the list of the epochs' losses.
#
# `loss` is a course_lib loss (`MSE()`, `BinaryCrossEntropy()`), which returns the **mean**
# over the batch. Do not change `X` or `y`. The check also trains XOR (to an MSE below 0.05) and
# the moons (to a binary cross-entropy below 0.1) on networks it builds, with your loop, each
# within 10 seconds.

# %%
def training_loop(layers, X, y, loss, lr, epochs, batch_size, rng):
    """Train a list of layers with mini-batch SGD; return the list of per-epoch losses."""
    ### BEGIN SOLUTION
    n = len(X)
    history = []
    for epoch in range(epochs):
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            out = X[idx]
            for layer in layers:
                out = layer.forward(out)
            total += loss.forward(out, y[idx]) * len(idx)
            grad = loss.backward()
            for layer in reversed(layers):
                grad = layer.backward(grad)
            for layer in layers:
                for name, theta, g in layer.parameters():
                    theta -= lr * g
        history.append(total / n)
    return history
    ### END SOLUTION


# %%
# try it: a 2-4-1 network learns XOR with your loop
from course_lib import datasets
from course_lib.losses import MSE
from course_lib.network import mlp

X_xor, y_xor = datasets.xor()
model = mlp([2, 4, 1], activation="tanh", output="sigmoid", seed=1)
losses = training_loop(model.layers, X_xor, y_xor.reshape(-1, 1).astype(float), MSE(), lr=0.5,
                       epochs=500, batch_size=2, rng=np.random.default_rng(0))
print(f"{len(losses)} epochs: loss {losses[0]:.3f} -> {losses[-1]:.3f}")
print("predictions:", (model.predict(X_xor)[:, 0] > 0.5).astype(int), " targets:", y_xor)

# %%
lesson05.check_training_loop(training_loop)

# %% [markdown]
# ## All exercises
#
# Run this cell to check every exercise and see your score.

# %%
lesson05.check_all(globals())
