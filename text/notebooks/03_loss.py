# ---
# jupyter:
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
# # Lesson 03 — Loss: measuring how wrong a network is
#
# To improve a network we first need to say, with one number, how bad its predictions are.
# That number is the **loss**. Training (lessons 04-05) means changing the weights so that the
# loss goes down, and *how* the loss reacts to a change of the prediction, its gradient,
# decides how fast the network learns.
#
# **Learning objectives.** After this lesson you can
#
# 1. compute the mean squared error (MSE) and the binary cross-entropy of a batch of predictions;
# 2. turn a vector of scores into probabilities with **softmax**, and compute the categorical cross-entropy;
# 3. compute the gradient of a loss with respect to the prediction and to the pre-activation $z$;
# 4. explain, with numbers, why classifiers use cross-entropy rather than MSE: on a confidently wrong prediction the MSE gradient almost vanishes;
# 5. explain why libraries fuse the sigmoid (or softmax) into the cross-entropy, and use `BinaryCrossEntropy(from_logits=True)`.

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
import matplotlib.pyplot as plt

from course_lib import (MSE, BinaryCrossEntropy, CrossEntropy, Dense, Sequential, SGD,
                        Sigmoid, activations, train)
from course_lib.widgets import basics
from course_lib import plots
plots.use_course_style()   # colours that stay apart for colour-blind eyes, in every figure

# %% [markdown]
# ## 1. Mean squared error
#
# For $N$ samples with targets $y_i$ and predictions $\hat y_i$, the **mean squared error** is
#
# $$ \mathrm{MSE} = \frac{1}{N} \sum_{i=1}^{N} (\hat y_i - y_i)^2 .$$
#
# Each error is squared, so it counts whether it is positive or negative, and big errors
# count much more than small ones. A perfect prediction has loss 0.
#
# Example: the targets are $[1, 0, 0, 1]$ and a lazy network predicts 0 for everyone. Two of
# the four errors are 1, so the MSE is $(1 + 0 + 0 + 1)/4 = 0.5$. `course_lib`'s losses take
# arrays of shape `(N, 1)`: one row per sample.

# %%
y_true = np.array([[1.0], [0.0], [0.0], [1.0]])
y_pred = np.array([[0.0], [0.0], [0.0], [0.0]])
mse = MSE()
print(f"MSE = {mse.forward(y_pred, y_true):.4f}")

# %% [markdown]
# To learn, we also need to know how the loss changes when a prediction changes: its
# **derivative** (lesson 04 explains derivatives in detail). For one prediction,
#
# $$ \frac{\partial\, \mathrm{MSE}}{\partial \hat y_i} = \frac{2}{N} (\hat y_i - y_i) .$$
#
# The sign says which way to move $\hat y_i$ (negative: the loss falls if $\hat y_i$ grows),
# and the size says how strongly. `loss.backward()` returns these numbers, one per prediction:

# %%
grad = mse.backward()
for t, p, g in zip(y_true[:, 0], y_pred[:, 0], grad[:, 0]):
    print(f"target {t:.0f}, prediction {p:.1f}:  dL/dy_pred = 2 ({p:.1f} - {t:.0f}) / 4 = {g:+.4f}")

# %% [markdown]
# ## 2. Binary cross-entropy
#
# When the network answers a yes/no question its output $p = \sigma(z)$ is a probability of
# *yes*, and a better measure is the **binary cross-entropy** (also called log loss):
#
# $$ \mathrm{BCE} = -\frac{1}{N} \sum_{i=1}^{N} \Big[\, y_i \log p_i + (1 - y_i) \log(1 - p_i) \,\Big] .$$
#
# Only one of the two terms is active for each sample: for a target 1 the loss is
# $-\log p$, for a target 0 it is $-\log(1 - p)$. So the loss is "minus the log of the
# probability the network gave to the right answer". Right and confident costs almost
# nothing ($-\log 0.99 \approx 0.01$); wrong and confident costs a lot
# ($-\log 0.01 \approx 4.6$), without limit as $p$ approaches the wrong end.

# %%
y_true = np.array([[1], [0], [1], [0]])
p = np.array([[0.9], [0.2], [0.6], [0.99]])
for t, pi in zip(y_true[:, 0], p[:, 0]):
    term = -np.log(pi) if t == 1 else -np.log(1 - pi)
    print(f"target {t}, p = {pi:.2f}:  loss term = {term:.4f}")
print(f"BCE (mean of the four) = {BinaryCrossEntropy().forward(p, y_true):.4f}")
print(f"MSE for comparison     = {MSE().forward(p, y_true):.4f}")

# %% [markdown]
# The last sample (target 0, predicted 0.99) contributes 4.6052 of the four terms' sum 5.4445
# (so 1.15 of the mean 1.3611): cross-entropy punishes a confident mistake far more than MSE,
# which can never exceed 1 per sample. The
# picture compares both losses over every possible prediction, for each target:

# %%
ps = np.linspace(0.001, 0.999, 500)
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True)
for ax, t in zip(axes, [1, 0]):
    ax.plot(ps, (ps - t) ** 2, lw=2, color="#1f77b4", label="MSE: $(p - y)^2$")
    ax.plot(ps, -np.log(ps) if t == 1 else -np.log(1 - ps), lw=2, color="#d62728",
            label=r"cross-entropy: $-\log p$" if t == 1 else r"cross-entropy: $-\log(1-p)$")
    ax.set(xlabel="prediction $p$", title=f"target y = {t}", ylim=(0, 5))
    ax.grid(alpha=0.3)
    ax.legend(loc="upper center")
axes[0].set_ylabel("loss of one sample")
plots.show("Two panels, target y = 1 and y = 0: the loss of one sample against the prediction "
           "p. MSE is at most 1; cross-entropy grows without bound as p nears the wrong end.")

# %% [markdown]
# ## 3. More than two classes: softmax and categorical cross-entropy
#
# With $K$ classes (say the digits 0-9, $K = 10$) the network has $K$ outputs, one score per
# class. These raw scores $z_1, \dots, z_K$ are called **logits**; they can be any real numbers.
# **Softmax** turns them into probabilities that are positive and add up to 1:
#
# $$ \mathrm{softmax}(\mathbf z)_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}} .$$
#
# The exponential makes every score positive and exaggerates differences; dividing by the
# sum normalizes. Adding the same number to every logit changes nothing (the factor cancels),
# which the library uses to avoid overflow: it subtracts the largest logit first.

# %%
logits = np.array([2.0, 1.0, 0.1])
probs = activations.softmax(logits)
print("logits        ", logits)
print("softmax       ", np.round(probs, 4), " sum =", f"{probs.sum():.4f}")
print("logits + 100  ", np.round(activations.softmax(logits + 100), 4))

# %% [markdown]
# The **categorical cross-entropy** is again minus the log of the probability given to the
# true class $y$:
#
# $$ L = -\log \mathrm{softmax}(\mathbf z)_y, \qquad
# \frac{\partial L}{\partial z_k} = \mathrm{softmax}(\mathbf z)_k - [k = y] .$$
#
# The gradient is remarkably simple: "predicted probability minus one-hot target". Softmax and
# the loss are fused in `course_lib.CrossEntropy`, which takes logits and integer labels:

# %%
ce = CrossEntropy()
for label in [0, 2]:
    loss = ce.forward(logits.reshape(1, -1), np.array([label]))
    print(f"true class {label}:  L = -log({probs[label]:.4f}) = {loss:.4f}   "
          f"dL/dz = {np.round(ce.backward()[0], 4)}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.3))
axes[0].bar(["class 0", "class 1", "class 2"], logits, color="#7f7f7f")
axes[0].set_title("logits $z$ (any real numbers)")
axes[1].bar(["class 0", "class 1", "class 2"], probs, color=["#d62728", "#1f77b4", "#1f77b4"])
for k, pk in enumerate(probs):
    axes[1].text(k, pk + 0.02, f"{pk:.3f}", ha="center")
axes[1].set(title="softmax(z): probabilities, sum 1", ylim=(0, 1))
plots.show("Left: bars of the three logits. Right: bars of their softmax probabilities, each "
           "labelled with its value; they sum to 1.")

# %% [markdown]
# ## 4. Why cross-entropy for classification
#
# Here is the decisive argument. A network changes its weights according to the gradient
# that flows back to them, and on its way back every gradient passes the output neuron's
# pre-activation $z$, where $p = \sigma(z)$. By the chain rule (lesson 04),
#
# $$ \frac{\partial L}{\partial z} = \frac{\partial L}{\partial p} \cdot \frac{\partial p}{\partial z},
# \qquad \frac{\partial p}{\partial z} = \sigma'(z) = p\,(1 - p) .$$
#
# * **Sigmoid + MSE**, $L = (p - y)^2$:
#   $\displaystyle \frac{\partial L}{\partial z} = 2(p - y)\cdot p(1 - p)$.
# * **Sigmoid + cross-entropy**, $L = -[y\log p + (1-y)\log(1-p)]$: here
#   $\displaystyle\frac{\partial L}{\partial p} = \frac{p - y}{p(1-p)}$, and the $p(1-p)$ cancels:
#   $\displaystyle \frac{\partial L}{\partial z} = p - y$.
#
# Now a **confidently wrong** prediction: the target is $y = 1$, but $z = -6$, so
# $p = \sigma(-6) \approx 0.0025$. The factor $p(1-p) \approx 0.0025$ is tiny, and MSE keeps it.
# The library computes both, layer by layer (`Sigmoid.forward`, the loss, `loss.backward`,
# then `Sigmoid.backward`):

# %%
z, y = np.array([[-6.0]]), np.array([[1.0]])
grads = {}
for loss in [MSE(), BinaryCrossEntropy()]:
    sigmoid_layer = Sigmoid()
    p = sigmoid_layer.forward(z)
    L = loss.forward(p, y)
    dL_dp = loss.backward()
    dL_dz = sigmoid_layer.backward(dL_dp)
    grads[type(loss).__name__] = dL_dz[0, 0]
    print(f"sigmoid + {type(loss).__name__:<18}  p = {p[0, 0]:.6f}  L = {L:.4f}  "
          f"dL/dp = {dL_dp[0, 0]:+10.4f}  dL/dz = {dL_dz[0, 0]:+.6f}")
print(f"cross-entropy's gradient is {grads['BinaryCrossEntropy'] / grads['MSE']:.0f} times larger")

# %% [markdown]
# With MSE the gradient reaching $z$ is about $-0.0049$: the network is badly wrong but
# barely told so; the sigmoid is *saturated* and its flat slope swallows the signal.
# With cross-entropy it is $p - y \approx -0.9975$, almost the full error, about 200 times
# larger. The plot shows the size of $\partial L/\partial z$ for target 1 over a range of
# $z$ (log scale): the further wrong the network is (left), the *smaller* the MSE gradient,
# while the cross-entropy gradient grows towards 1.

# %%
zs = np.linspace(-10, 6, 400)
ps = activations.sigmoid(zs)
fig, ax = plt.subplots(figsize=(7, 4))
ax.semilogy(zs, np.abs(2 * (ps - 1) * ps * (1 - ps)), lw=2, color="#1f77b4",
            label=r"sigmoid + MSE: $|2(p-1)\,p(1-p)|$")
ax.semilogy(zs, np.abs(ps - 1), lw=2, color="#d62728", label="sigmoid + cross-entropy: $|p - 1|$")
ax.axvline(-6, color="grey", ls="--")
ax.plot([-6, -6], [abs(grads["MSE"]), abs(grads["BinaryCrossEntropy"])], "ko")
ax.annotate("z = -6: confidently wrong", xy=(-6, abs(grads["MSE"])), xytext=(-5.5, 2e-5),
            fontsize=9, arrowprops=dict(arrowstyle="->", color="grey"))
ax.set(xlabel="pre-activation $z$ (target y = 1)", ylabel=r"$|\partial L / \partial z|$",
       title="gradient reaching z", ylim=(1e-6, 2))
ax.grid(alpha=0.3, which="both")
ax.legend(loc="lower right")
plots.show("The size of the gradient reaching z (log scale) against z, for target 1: with "
           "sigmoid and MSE it falls towards 0 as z grows very negative, with sigmoid and "
           "cross-entropy it stays near 1; both are marked at z = -6, confidently wrong.")

# %% [markdown]
# What this means for learning: one neuron $p = \sigma(w x + b)$ with $x = 2$, target 1,
# started confidently wrong ($w = -3$, $b = 0$, so $z = -6$), and trained with the same
# learning rate under each loss. With MSE the prediction hardly moves for many steps; with
# cross-entropy it recovers at once.

# %%
X1, Y1 = np.array([[2.0]]), np.array([[1.0]])
fig, ax = plt.subplots(figsize=(7, 3.8))
for loss in [MSE(), BinaryCrossEntropy()]:
    neuron = Sequential([Dense(1, 1), Sigmoid()])
    neuron.layers[0].W[:] = -3.0
    predictions = [neuron.predict(X1)[0, 0]]
    train(neuron, X1, Y1, loss, SGD(lr=0.5), epochs=60, progress=False,
          callback=lambda epoch, h: predictions.append(neuron.predict(X1)[0, 0]))
    ax.plot(predictions, lw=2, color="#1f77b4" if isinstance(loss, MSE) else "#d62728",
            label=type(loss).__name__)
    print(f"{type(loss).__name__:<18} prediction after 10 steps {predictions[10]:.4f}, after 60 {predictions[-1]:.4f}")
ax.set(xlabel="training step", ylabel="prediction $p$ (target 1)", ylim=(0, 1),
       title="recovering from a confidently wrong start")
ax.grid(alpha=0.3)
ax.legend()
plots.show("The prediction p against the training step, from a confidently wrong start, with "
           "MSE and with cross-entropy (the printed lines give both after 10 and 60 steps).")

# %% [markdown]
# ## 5. Why libraries fuse the sigmoid into the loss
#
# In section 4 the factor $p(1-p)$ cancels *in the algebra*. A program that runs the two
# steps separately, a `Sigmoid` layer and then `BinaryCrossEntropy`, has to make it cancel
# in floating point, and there it can fail. Since $\log 0 = -\infty$, `BinaryCrossEntropy`
# first clips $p$ into $[10^{-12},\, 1 - 10^{-12}]$ (every library does something similar).
# Once $z < -27.6$, the true $p = \sigma(z)$ is below $10^{-12}$: the loss sees the clipped
# $p = 10^{-12}$ and hands back $\partial L/\partial p = -1/10^{-12} = -10^{12}$, and the
# sigmoid layer multiplies that by the true, far smaller $p(1-p)$. The product is
# $-\sigma(z) \cdot 10^{12}$, no longer $p - y$: the more wrong the network, the smaller the
# gradient, the very failure that section 4 blamed on MSE.
#
# The cure is to fuse the two steps. `BinaryCrossEntropy(from_logits=True)` takes the logit
# $z$ itself (the network ends in a `Dense` layer, without `Sigmoid`), computes the same loss
# as $\log(1 + e^{z}) - y z$ in a form that never overflows, and returns
# $\partial L/\partial z = \sigma(z) - y$ directly, with nothing left to cancel. `CrossEntropy`
# fuses softmax in the same way (section 3), and so do the big frameworks (PyTorch's
# `BCEWithLogitsLoss`, Keras's `from_logits=True`). The gradient reaching $z$ for target 1,
# both ways (one sample, so no division by $N$):

# %%
y = np.array([[1.0]])
print(f"{'z':>5}  {'p = sigmoid(z)':>14}  {'Sigmoid + BCE: dL/dz':>20}  {'fused: dL/dz':>12}")
for z0 in [-6.0, -20.0, -27.0, -30.0, -40.0]:
    z = np.array([[z0]])
    sigmoid_layer, unfused = Sigmoid(), BinaryCrossEntropy()
    p = sigmoid_layer.forward(z)
    unfused.forward(p, y)
    dL_dz_unfused = sigmoid_layer.backward(unfused.backward())[0, 0]
    fused = BinaryCrossEntropy(from_logits=True)
    fused.forward(z, y)                                   # the logit goes straight in
    dL_dz_fused = fused.backward()[0, 0]
    print(f"{z0:5.0f}  {p[0, 0]:14.3e}  {dL_dz_unfused:20.3e}  {dL_dz_fused:12.6f}")

# %% [markdown]
# Down to $z = -27$ both give $p - y \approx -1$. Beyond the clip the unfused gradient
# collapses: at $z = -40$ it is $-4.2 \times 10^{-6}$, more than 200,000 times too small,
# while the fused one is still $-1$. What that does to learning: the neuron of section 4
# ($x = 2$, target 1, $b = 0$), now started at $w = -20$, so $z = -40$, trained with the same
# SGD, once as `Dense` + `Sigmoid` with `BinaryCrossEntropy()` and once as a bare `Dense` with
# `BinaryCrossEntropy(from_logits=True)` (its prediction is then $\sigma$ of the output):

# %%
X1, Y1 = np.array([[2.0]]), np.array([[1.0]])
setups = {"Sigmoid + BinaryCrossEntropy()": (True, BinaryCrossEntropy()),
          "BinaryCrossEntropy(from_logits=True)": (False, BinaryCrossEntropy(from_logits=True))}
fig, ax = plt.subplots(figsize=(7, 3.8))
for (name, (sigmoid_last, loss)), color in zip(setups.items(), ["#1f77b4", "#d62728"]):
    dense = Dense(1, 1)
    dense.W[:] = -20.0
    neuron = Sequential([dense, Sigmoid()] if sigmoid_last else [dense])
    to_p = (lambda out: out) if sigmoid_last else activations.sigmoid
    predictions = [to_p(neuron.predict(X1))[0, 0]]
    train(neuron, X1, Y1, loss, SGD(lr=0.5), epochs=1000, progress=False,
          callback=lambda epoch, h: predictions.append(to_p(neuron.predict(X1))[0, 0]))
    above = [k for k, p_k in enumerate(predictions) if p_k > 0.5]
    print(f"{name:<37} p: start {predictions[0]:.3e}, after 10 steps {predictions[10]:.3e}, "
          f"after 1000 {predictions[-1]:.3e};  above 0.5 " + (f"from step {above[0]}" if above else "never"))
    ax.semilogy(predictions[:101], lw=2, color=color, label=name)
ax.set(xlabel="training step", ylabel="prediction $p$ (target 1, log scale)", ylim=(1e-19, 2),
       title="a neuron started at z = -40")
ax.grid(alpha=0.3, which="both")
ax.legend(loc="center right")
plots.show("The prediction p (log scale) against the training step for a neuron started at "
           "z = -40, with a sigmoid and cross-entropy, and with cross-entropy from logits (the "
           "printed lines say when each passes 0.5).")

# %% [markdown]
# With the fused loss the neuron climbs out at full speed: each step raises $z$ by about 2.5
# (the gradient is $-1$), and its prediction passes 0.5 at step 17. Through the clip the
# neuron never recovers: after 1000 steps its prediction has moved from $4.248 \times 10^{-18}$
# to $4.294 \times 10^{-18}$.
#
# So a network that answers yes/no should end in a `Dense` layer with one output and train
# with `BinaryCrossEntropy(from_logits=True)`; apply the sigmoid only to read a probability
# (`activations.sigmoid(model.predict(X))`, class 1 where the logit is above 0). The small
# networks of lessons 02 and 03 keep their `Sigmoid` layer because it *is* the output neuron
# we want to show, and their pre-activations stay far from the clip ($|z| < 27$), where the
# two forms compute the same gradient.
#
# ## 6. Try it: move the prediction
#
# Drag the prediction $p$ and switch the target between 0 and 1. Left: the value of each
# loss. Right: the gradient that reaches the pre-activation $z$. Watch the MSE gradient
# (blue) shrink to 0 at *both* ends, when the network is right and when it is completely
# wrong, while the cross-entropy gradient (red) is simply $p - y$.

# %% tags=["nbval-ignore-output"]
basics.loss_widget(p=0.1, y=1)

# %% [markdown]
# ## Summary
#
# * A **loss** is one number saying how wrong the predictions are; `course_lib` losses are
#   means over the batch, with `forward(y_pred, y_true)` and `backward()` = $\partial L/\partial \hat y$.
# * **MSE** $\frac1N\sum(\hat y - y)^2$ suits regression (predicting numbers).
# * **Binary cross-entropy** $-\frac1N\sum[y\log p + (1-y)\log(1-p)]$ suits yes/no outputs
#   $p = \sigma(z)$; **softmax** + **categorical cross-entropy** $-\log \mathrm{softmax}(\mathbf z)_y$
#   suits $K$ classes, with gradient $\mathrm{softmax}(\mathbf z) - \text{one-hot}(y)$.
# * With a sigmoid output, cross-entropy gives $\partial L/\partial z = p - y$, while MSE gives
#   $2(p - y)\,p(1-p)$: for a confidently wrong prediction ($z = -6$, target 1) that is
#   $-0.9975$ against $-0.0049$. Cross-entropy keeps learning where MSE stalls.
# * That cancellation only survives floating point when the sigmoid is **fused** into the loss:
#   a separate `Sigmoid` layer and the clipped `BinaryCrossEntropy()` give $-4.2 \times 10^{-6}$ at
#   $z = -40$, and the neuron never recovers; `BinaryCrossEntropy(from_logits=True)` gives $-1$,
#   and it passes 0.5 at step 17. Libraries fuse for this reason (`CrossEntropy` fuses softmax).
#
# **Next:** [lesson 04](04_chain_rule.ipynb) follows the gradient all the way back to every weight: the chain rule
# and backpropagation.
#
# ## Exercises
#
# Practise in [`exercises/03_loss_exercises.ipynb`](../exercises/03_loss_exercises.ipynb).
