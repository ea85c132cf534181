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
# # Lesson 05 — Gradient descent
#
# Lesson 04 gave us every partial derivative of the loss: the **gradient**. This lesson
# uses it. Gradient descent is the whole of "learning" in a neural network: look at the
# slope, take a small step downhill, repeat. How large a step, how much data per step, and
# what to remember from earlier steps decide whether training takes seconds, takes forever,
# or blows up.
#
# **Learning objectives.** After this lesson you can
#
# 1. write the gradient-descent update $\theta \leftarrow \theta - \eta\, \nabla L(\theta)$ and carry out one step by hand;
# 2. predict what a learning rate that is too small, about right, too large or far too large does, on a picture of a loss surface and on a loss curve;
# 3. write the training loop yourself (forward, loss, backward, update; shuffled mini-batches), tell batch, stochastic and mini-batch gradient descent apart, and compare them per epoch and per second;
# 4. explain what momentum, RMSProp and Adam add to plain gradient descent, and why they help in a long narrow valley;
# 5. show that the classic 2-2-1 sigmoid network **fails** to learn XOR with learning rate 0.1 in 1000 epochs, and name settings that succeed.

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
import time

import numpy as np
import matplotlib.pyplot as plt

import course_lib as cl
from course_lib import datasets, experiments, plots, surfaces, threads
from course_lib.widgets import live

_ = threads.limit_blas_threads(1)  # tiny matrices: one BLAS thread is faster than several
plots.use_course_style()   # colours that stay apart for colour-blind eyes, in every figure

# %% [markdown]
# ## 1. One step downhill
#
# Training a network means finding parameters $\theta$ (all the weights and biases) that make
# the loss $L(\theta)$ small. The gradient $\nabla L(\theta)$ points in the direction in which
# $L$ grows fastest, so a small step against it lowers $L$:
#
# $$\theta \;\leftarrow\; \theta - \eta\, \nabla L(\theta).$$
#
# The step size $\eta$ ("eta") is the **learning rate**. A network has thousands of
# parameters, far too many to draw. So we first study a loss with only two parameters, $w_1$
# and $w_2$, which we can draw as a contour map. Our bowl is
#
# $$L(w_1, w_2) = \tfrac12\left(0.1\, w_1^2 + w_2^2\right), \qquad
# \nabla L = \begin{pmatrix} 0.1\, w_1 \\ w_2 \end{pmatrix}.$$
#
# It is ten times steeper across ($w_2$) than along ($w_1$), like most real loss surfaces,
# which are steep in some directions and flat in others. (This bowl and its starting point
# are `GD_SURFACE` and `GD_START` in `course_lib/experiments.py`, the lessons' experiments.)
# Let us take one step by hand from $(w_1, w_2) = (-4.5, 2.5)$ with $\eta = 1$:

# %%
bowl = experiments.GD_SURFACE           # Quadratic(a=0.1, b=1.0)
w = np.array([-4.5, 2.5])
grad = bowl.grad(w)                     # (0.1 * w1, w2)
w_new = w - 1.0 * grad                  # one step with learning rate 1
print(f"gradient  = ({grad[0]:.4f}, {grad[1]:.4f})")
print(f"new point = ({w_new[0]:.4f}, {w_new[1]:.4f})")
print(f"loss: {bowl(w):.4f} -> {bowl(w_new):.4f}")

# %% [markdown]
# The step went all the way to $w_2 = 0$ in the steep direction, but only 10% of the way in
# the flat direction. That is the whole difficulty of gradient descent in a nutshell.
#
# ## 2. The learning rate: too small, right, too large, diverging
#
# On this bowl we can work out exactly what happens. One step multiplies the distance to the
# minimum in each direction by a fixed factor:
#
# $$w_1 \leftarrow (1 - 0.1\,\eta)\, w_1, \qquad w_2 \leftarrow (1 - \eta)\, w_2 .$$
#
# * If $|1 - \eta| < 1$ in every direction, the steps shrink and we converge.
# * If $1 - \eta < 0$, the sign flips at each step: we **overshoot** and zigzag across the valley.
# * If $|1 - \eta| > 1$, that is $\eta > 2$, each step lands *farther* away: we **diverge**.
#
# In general the largest stable learning rate is $2 / \lambda_{\max}$, where
# $\lambda_{\max}$ is the largest curvature of the loss; here $2/1 = 2$.
# `surfaces.optimizer_path` runs a real optimizer (the same `SGD` class that trains networks)
# on the bowl and records every point:

# %%
rates = {"too small (0.1)": 0.1, "right (1.0)": 1.0, "too large (1.9)": 1.9, "diverging (2.1)": 2.1}
paths = {name: surfaces.optimizer_path(bowl, "sgd", experiments.GD_START, 40, lr=lr)
         for name, lr in rates.items()}
for name, path in paths.items():
    losses = surfaces.path_losses(bowl, path)
    print(f"{name:17s} loss after 40 steps {losses[-1]:10.4f}   (start {losses[0]:.4f})")

# %%
fig, axes = plt.subplots(2, 2, figsize=(9, 6.4))
for ax, (name, path) in zip(axes.ravel(), paths.items()):
    plots.plot_surface_paths(bowl, path, ax=ax, title=f"lr {name}")
fig.tight_layout()
plots.show("Four contour plots of the same 2-D bowl, each with the path of gradient descent "
           f"from the same start, one per learning rate: {', '.join(paths)}.")

# %% [markdown]
# Read the four panels row by row. With $\eta = 0.1$ the path creeps: after 40 steps
# it has not covered half the way along the flat direction. With $\eta = 1$ it drops into the
# valley at once and then walks along its floor. With $\eta = 1.9$ the factor across the
# valley is $1 - 1.9 = -0.9$: it bounces from wall to wall and only slowly settles. With
# $\eta = 2.1$ the factor is $-1.1$: every bounce is higher than the last, and the path
# leaves the picture. The same story as loss curves (log scale):

# %%
fig, ax = plt.subplots(figsize=(7, 3.6))
for name, path in paths.items():
    ax.plot(surfaces.path_losses(bowl, path), "-o", ms=3, label=name)
ax.set_yscale("log")
ax.set_xlabel("step")
ax.set_ylabel("loss (log scale)")
ax.set_title("the same four learning rates: loss against step")
ax.legend(fontsize=8)
plots.show("The loss (log scale) against the step for the same four paths, one line per "
           f"learning rate: {', '.join(paths)}.")

# %% [markdown]
# A useful habit follows from this picture. When a loss curve goes *up*, or wobbles
# violently, first suspect a learning rate that is too large. When it creeps down in a
# straight, slow line, suspect one that is too small.
#
# ## 3. Batch, stochastic and mini-batch gradient descent
#
# For a network the loss is a **mean over the training samples**,
# $L(\theta) = \frac1N \sum_{i=1}^{N} \ell_i(\theta)$, so its gradient is a mean too. We can
# compute it from all samples or estimate it from a few:
#
# | method | gradient used for one step | steps per epoch |
# |---|---|---|
# | batch (full batch) | $\frac1N \sum_{i=1}^{N} \nabla \ell_i$ | 1 |
# | stochastic (SGD) | $\nabla \ell_i$ for one random sample $i$ | $N$ |
# | mini-batch | $\frac1B \sum_{i \in \text{batch}} \nabla \ell_i$ for $B$ random samples | $\lceil N/B \rceil$ |
#
# ### The training loop, written out
#
# Every way of training in this course is one loop: take a batch, run the network forward,
# measure the loss, run the chain rule backward, step the parameters downhill; repeat. With
# course_lib's public API it is ten lines. Shuffling once per epoch means every epoch visits
# the samples in a new order, so consecutive mini-batches are not always the same:
#
# $$\text{for each epoch: shuffle; for each batch } B:\quad
#   \hat y = f_\theta(X_B),\;\; L = \text{loss}(\hat y, y_B),\;\;
#   \nabla_\theta L \text{ by backprop},\;\; \theta \leftarrow \theta - \eta\, \nabla_\theta L .$$

# %%
def train_loop(model, X, y, loss, optimizer, epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    epoch_losses = []
    for epoch in range(epochs):
        order = rng.permutation(len(X))                       # shuffle once per epoch
        total = 0.0
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]            # indices of one mini-batch
            y_pred = model.forward(X[batch])                   # 1. forward
            total += loss.forward(y_pred, y[batch]) * len(batch)   # 2. loss (a batch mean)
            model.backward(loss.backward())                    # 3. backward: every dW, db
            optimizer.step(model)                              # 4. update: theta -= lr * grad
        epoch_losses.append(total / len(X))                    # mean loss over the epoch
    return epoch_losses

# %% [markdown]
# The 2-2-1 sigmoid network of lessons 02-04 on XOR, with mean squared error, mini-batches
# of 2 samples and $\eta = 5$:

# %%
X_xor, y_xor = datasets.xor()
Y_xor = y_xor.reshape(-1, 1).astype(float)                   # targets as a column (4, 1)
net = cl.mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=0)
losses = train_loop(net, X_xor, Y_xor, cl.MSE(), cl.SGD(5.0), epochs=1000, batch_size=2)
print(f"loss after epoch 1: {losses[0]:.4f}, 100: {losses[99]:.4f}, 1000: {losses[-1]:.4f}")
print("outputs for (0,0) (0,1) (1,0) (1,1):", " ".join(f"{p:.2f}" for p in net.predict(X_xor)[:, 0]))

# %% [markdown]
# `cl.train(...)`, which the lessons use, is this loop plus bookkeeping: it checks its inputs
# once, records the accuracy and a validation loss, stops a run whose loss became NaN
# (`history.diverged`), adds L1/L2 penalty gradients, stops early, shows a progress bar and
# calls your `callback`. Open `course_lib/training.py` and find the `for epoch in
# range(epochs):` loop inside `train`: its lines marked `# 1. forward` to `# 4. update` are
# the four steps above. Same seed, same shuffling, so the same losses:

# %%
net2 = cl.mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=0)
history = cl.train(net2, X_xor, Y_xor, "mse", cl.SGD(5.0), epochs=1000, batch_size=2, seed=0,
                   progress=False)
print("train() gives the same losses as train_loop:",
      np.allclose(history.train_loss, losses, rtol=1e-12, atol=0))

# %% [markdown]
# ### Batch sizes compared
#
# An **epoch** is one pass over the data. The smaller the batch, the more (noisier) steps
# per epoch, but also the more Python and NumPy overhead per sample. To compare fairly we
# give each method about the same **wall-clock budget**: full batch 2000 epochs, mini-batches
# of 16 for 200 epochs, single samples for 20 epochs, all with $\eta = 0.1$, on the "moons"
# data with a 2-16-1 tanh network whose one output is a logit, trained with binary
# cross-entropy on logits (`BinaryCrossEntropy(from_logits=True)`, lesson 03). A `callback`
# records the time after every epoch.
#
# What `history.train_loss` records needs a word. For each epoch it is the **mean of the
# batch losses during the epoch**, each measured just before its batch's step. With full
# batch that is the loss of the model at the start of the epoch. With batch size 1 it
# averages 200 different models along the way, and the model at the end of the epoch can be
# quite different. So we also measure each *final* model on all 200 points
# (`cl.training.evaluate`).

# %%
X, y = datasets.moons(200, noise=0.2, seed=0)
bce = cl.BinaryCrossEntropy(from_logits=True)
settings = {"batch (N=200)": (None, 2000), "mini-batch (B=16)": (16, 200), "stochastic (B=1)": (1, 20)}
runs = {}
for name, (batch_size, epochs) in settings.items():
    model = cl.mlp([2, 16, 1], activation="tanh", seed=0)              # output: a logit z
    clock = [time.perf_counter()]
    history = cl.train(model, X, y, bce, cl.SGD(0.1), epochs, batch_size=batch_size, seed=0,
                       progress=False, callback=lambda e, h: clock.append(time.perf_counter()) and False)
    runs[name] = (history, np.array(clock[1:]) - clock[0])
    steps = epochs * -(-200 // (batch_size or 200))
    final = cl.training.evaluate(model, X, y, bce)["loss"]
    print(f"{name:18s} {epochs:5d} epochs, {steps:5d} steps, last epoch's mean loss "
          f"{history.train_loss[-1]:.4f}, final model's loss {final:.4f}")

# %% [markdown]
# The printed losses are deterministic (every random source is seeded). The times are not:
# they depend on your machine, so the next cell, which prints them, may show other numbers
# on your computer.

# %% tags=["nbval-ignore-output"]
for name, (history, seconds) in runs.items():
    print(f"{name:18s} took {seconds[-1]:.2f} s, {1000 * seconds[-1] / len(seconds):.2f} ms per epoch")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.6, 3.8))
for name, (history, seconds) in runs.items():
    ax1.plot(np.arange(1, history.epochs + 1), history.train_loss, label=name)
    ax2.plot(seconds, history.train_loss, label=name)
ax1.set_xscale("log")
ax1.set_xlabel("epoch (log scale)")
ax2.set_xlabel("wall-clock seconds")
for ax in (ax1, ax2):
    ax.set_ylabel("training loss")
    ax.legend(fontsize=8)
ax1.set_title("loss against epochs")
ax2.set_title("loss against wall-clock time")
plots.show(f"The training loss of each run ({'; '.join(runs)}) against the epoch (left, log "
           "scale) and against wall-clock seconds (right).")

# %% [markdown]
# Both panels plot `history.train_loss`, the mean over each epoch. Per **epoch** (left),
# stochastic gradient descent wins easily: it takes 200 steps per epoch where full batch
# takes one. Per **second** (right) the three curves lie close together: on data this small
# a step costs mostly Python and NumPy overhead, not arithmetic, so a step on one sample
# costs a large part of what a step on all 200 costs (compare the milliseconds per epoch
# above). The 200-fold advantage per epoch shrinks to roughly equal progress per second; in
# our runs the small batches end a little lower (the final models: 0.1113 for batch size 1,
# 0.1441 for 16, 0.1947 for full batch), and your timings, so the right panel, will differ
# somewhat. On larger networks the arithmetic dominates, and there a mini-batch, computed
# with vectorised matrix products, costs far less than as many single-sample steps (we do
# not measure that here). Mini-batches combine the two advantages: many steps per epoch and
# efficient arithmetic per step. This is why practically all networks are trained with
# mini-batches (typically 32 to 512 samples), and why "SGD" in libraries usually means
# mini-batch SGD.
#
# The noise of small batches is not only a cost. It can shake the parameters out of flat
# regions and narrow minima, which is often credited with helping the trained network
# generalise (a common observation, not something this lesson measures).
#
# ## 4. Momentum, RMSProp and Adam
#
# Plain gradient descent has one learning rate for all directions. In a long narrow valley
# that is a bad compromise: the steep direction limits $\eta$ (above $2/\lambda_{\max}$ we
# diverge), and with that small $\eta$ progress along the flat floor is slow. The bowl below
# is 100 times steeper across than along: $L = \frac12(0.02\, w_1^2 + 2\, w_2^2)$.
# Three classic fixes, with $g$ the gradient (element-wise operations, $\epsilon \approx 10^{-8}$):
#
# | optimizer | update | idea |
# |---|---|---|
# | momentum | $v \leftarrow \beta v + g,\quad \theta \leftarrow \theta - \eta v$ | a heavy ball: zigzags cancel, a steady slope accumulates speed ($\beta = 0.9$) |
# | RMSProp | $s \leftarrow \beta s + (1-\beta) g^2,\quad \theta \leftarrow \theta - \eta\, g / (\sqrt{s} + \epsilon)$ | divide each coordinate by its typical gradient size: steep and flat directions get similar steps |
# | Adam | $m \leftarrow \beta_1 m + (1-\beta_1) g,\ v \leftarrow \beta_2 v + (1-\beta_2) g^2$,<br>$\hat m = m/(1-\beta_1^t),\ \hat v = v/(1-\beta_2^t),\ \theta \leftarrow \theta - \eta\, \hat m/(\sqrt{\hat v} + \epsilon)$ | momentum and RMSProp together, with a correction for starting $m$ and $v$ at zero |
#
# These are exactly the update rules in `course_lib.optimizers` (the same as PyTorch's). Each
# optimizer gets a learning rate that suits it: plain gradient descent the largest stable
# one, $\eta = 0.9 < 2/2$.

# %%
valley = surfaces.Quadratic(a=0.02, b=2.0, extent=(-5, 5, -2.5, 2.5))
print(f"condition number (steep / flat curvature): {valley.condition_number:.0f}")
choices = {"SGD, lr 0.9": cl.SGD(0.9), "momentum, lr 0.3": cl.Momentum(0.3),
           "RMSProp, lr 0.1": cl.RMSProp(0.1), "Adam, lr 0.3": cl.Adam(0.3)}
valley_paths = {name: surfaces.optimizer_path(valley, opt, (-4.5, 2.0), 60) for name, opt in choices.items()}
for name, path in valley_paths.items():
    print(f"{name:17s} after 60 steps: w = ({path[-1, 0]:7.4f}, {path[-1, 1]:7.4f}), "
          f"loss {surfaces.path_losses(valley, path)[-1]:.6f}")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.6, 4.2), gridspec_kw={"width_ratios": [1.4, 1]})
plots.plot_surface_paths(valley, valley_paths, ax=ax1, title="60 steps in a narrow valley")
for color, (name, path) in zip(plots.CLASS_COLORS, valley_paths.items()):
    ax2.plot(surfaces.path_losses(valley, path), color=color, label=name)
ax2.set_yscale("log")
ax2.set_xlabel("step")
ax2.set_ylabel("loss (log scale)")
ax2.legend(fontsize=8)
ax2.set_title("loss against step")
fig.tight_layout()
plots.show("Left: contours of a narrow valley with 60 steps of each optimizer from the same "
           f"start ({'; '.join(valley_paths)}). Right: their loss (log scale) against the step.")

# %% [markdown]
# Plain gradient descent zigzags across the valley and is still far from the minimum after
# 60 steps: its flat-direction factor is $1 - 0.9 \times 0.02 = 0.982$ per step. Momentum
# accumulates speed along the floor (its effective step there grows to about
# $\eta/(1-\beta) = 3$): it gets there several times faster, overshoots the minimum and swings
# back, like a ball rolling in a bowl, while it also keeps swinging across the valley.
# RMSProp and Adam rescale each coordinate, so the valley looks round to them: both set off
# diagonally, with steps of similar size in $w_1$ and $w_2$, instead of along the gradient,
# which points mostly across the valley. RMSProp then runs down the floor and ends closest to
# the minimum (loss 0.000029). Adam also carries momentum: with $\eta = 0.3$ it swings below
# the floor in a wide arc, overshoots the minimum to $w_1 \approx 0.9$ and swings back; its
# loss curve rises and falls like momentum's, and after 60 steps it is *worse* than momentum
# (0.0041 against 0.0032). Rescaling fixes the bad proportions of the valley; momentum adds
# speed, and overshoot with it. Which optimizer wins depends on the learning rate you give
# it, which is why each one here got its own. Note also: the per-coordinate rescaling helps
# most when the valley is aligned with the axes, as here; for a tilted valley it cannot make
# the valley round.
#
# ## 5. The classic failure: a 2-2-1 sigmoid network on XOR
#
# In lesson 02 we *set* the weights of a 2-2-1 network by hand to compute XOR. Can gradient
# descent find such weights by itself? Take the setting of a classic beginner's example: two
# sigmoid hidden units, one sigmoid output, mean squared error, plain gradient descent with
# $\eta = 0.1$ for 1000 epochs. (That example updates the weights after every single sample;
# we start with full batches, one step per epoch, and run its own setting below.) We try
# five different random initialisations (seeds):

# %%
X_xor, y_xor = datasets.xor()
y_xor = y_xor.reshape(-1, 1).astype(float)

def xor_run(seed, optimizer, epochs=1000):
    model = cl.mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=seed)
    history = cl.train(model, X_xor, y_xor, "mse", optimizer, epochs, progress=False)
    return history.train_loss[-1], model.predict(X_xor)[:, 0]

print("seed  final MSE   outputs for (0,0) (0,1) (1,0) (1,1); targets 0 1 1 0")
for seed in range(5):
    loss, out = xor_run(seed, cl.SGD(0.1))
    print(f"{seed:4d}  {loss:9.4f}   " + "  ".join(f"{o:.3f}" for o in out))

# %% [markdown]
# Every run ends with a loss near **0.25**, and all four outputs near 0.5. That number is no
# accident: a network that answers 0.5 for every input has squared error $(0.5)^2 = 0.25$
# on each of the four points, whatever the target. The network has learned the *average*
# answer and nothing else. Why?
#
# * The loss surface of this tiny network has a large, almost flat plateau around "output
#   0.5 everywhere": its gradient there is tiny. Not because each sample's gradient is
#   tiny: with every output near 0.5, MSE's factor $2(p - y)$ is about $\pm 1$ for every
#   sample. The full-batch gradient is the **mean** of the four samples' gradients, and they
#   **cancel**: the two samples with target 0 pull the output down, the two with target 1
#   pull it up, by about the same amount. The numbers for seed 0, before training, after
#   100 and after all 1000 epochs (`experiments.gradient_cancellation` runs one backward
#   pass per sample and one on the whole batch):

# %%
model = cl.mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=0)
print("epoch   2(p - y) per sample        gradient norm per sample    norm of their mean")
for epoch, more in ((0, 0), (100, 100), (1000, 900)):
    if more:                                                   # train `more` epochs, then look
        cl.train(model, X_xor, y_xor, "mse", cl.SGD(0.1), more, progress=False)
    g = experiments.gradient_cancellation(model, X_xor, y_xor, "mse")
    factor = 2 * (model.predict(X_xor) - y_xor)[:, 0]
    print(f"{epoch:5d}   " + " ".join(f"{v:5.2f}" for v in factor) + "     "
          + " ".join(f"{v:.3f}" for v in g["sample_norms"]) + f"     {g['mean_norm']:.1e}")

# %% [markdown]
# Each sample alone would get a gradient of norm about 0.3 at every stage; their mean, which
# is what full-batch gradient descent follows, is 20 times smaller at the start and about
# 800 times smaller after 1000 epochs ($4 \times 10^{-4}$). The network sits where the four
# pulls balance.
#
# * With $\eta = 0.1$, 1000 steps of such small gradients move the weights only a short
#   distance: too short to leave the plateau. Nothing is wrong with the network or with the
#   gradients (lesson 04 checked them); the *optimisation budget* is too small.
#
# **The example's own setting.** The classic example updates after *every sample*, in a
# fixed order: 1000 epochs are 4000 steps, each on one sample's gradient, not on an average
# of four. (Its code, as printed, does not run: it stores its weights as single numbers,
# scalars, where the computation needs arrays. The network below is the same computation
# with course_lib, though its random starting weights are course_lib's, not the example's.)
# `batch_size=1, shuffle=False` is that setting:

# %%
print("seed  final MSE   outputs for (0,0) (0,1) (1,0) (1,1)   (one sample per step, 4000 steps)")
for seed in range(5):
    model = cl.mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=seed)
    cl.train(model, X_xor, y_xor, "mse", cl.SGD(0.1), 1000, batch_size=1, shuffle=False, progress=False)
    final = cl.training.evaluate(model, X_xor, y_xor, "mse")["loss"]
    print(f"{seed:4d}  {final:9.4f}   " + "  ".join(f"{o:.3f}" for o in model.predict(X_xor)[:, 0]))

# %% [markdown]
# Four times as many steps, and each step follows one sample, not the cancelling mean, so the
# steps are larger (over each pass of four they still largely cancel); three of the five seeds end near 0.25 with every output near 0.5, and
# seeds 3 and 4 have only begun to leave the plateau (0.18 and 0.21). The conclusion stands in
# the example's own setting: $\eta = 0.1$ and 1000 epochs are not enough.
#
# What does work? The same network and loss, but (a) a larger learning rate, or (b) an
# optimizer that rescales small gradients, Adam:

# %%
print("seed   SGD lr 0.1   SGD lr 1.0   SGD lr 5.0   Adam lr 0.1   (final MSE after 1000 epochs)")
for seed in range(5):
    row = [xor_run(seed, opt)[0] for opt in (cl.SGD(0.1), cl.SGD(1.0), cl.SGD(5.0), cl.Adam(0.1))]
    print(f"{seed:4d}   " + "   ".join(f"{v:10.4f}" for v in row))

# %%
fig, ax = plt.subplots(figsize=(7, 3.6))
for name, opt in {"SGD lr 0.1": cl.SGD(0.1), "SGD lr 1.0": cl.SGD(1.0), "SGD lr 5.0": cl.SGD(5.0),
                  "Adam lr 0.1": cl.Adam(0.1)}.items():
    model = cl.mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=1)
    ax.plot(cl.train(model, X_xor, y_xor, "mse", opt, 1000, progress=False).train_loss, label=name)
ax.axhline(0.25, color="grey", ls=":")
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("MSE (log scale)")
ax.set_title("XOR, 2-2-1 sigmoid network, seed 1")
ax.legend(fontsize=8)
plots.show("The MSE (log scale) against the epoch of a 2-2-1 sigmoid network on XOR, seed 1, "
           "trained with SGD at learning rates 0.1, 1.0 and 5.0 and with Adam at 0.1; a dotted "
           "line at 0.25, the loss of answering 0.5 everywhere.")

# %% [markdown]
# With $\eta = 5$ plain gradient descent solves XOR for all five seeds; $\eta = 1$ solves it
# for most seeds but not seed 0, which is still on the plateau after 1000 epochs and leaves
# it later (cell below); Adam with $\eta = 0.1$ solves it every time, because dividing by
# $\sqrt{\hat v}$ turns even tiny gradients into steps of about size $\eta$. On the curves,
# note the long flat stretch followed by a sudden drop: that is the network leaving the
# plateau. Such plateaus are common in training, and a loss that "has stopped improving" has
# not necessarily reached its minimum. Seed 0 at $\eta = 1$, trained longer:

# %%
model = cl.mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=0)
history = cl.train(model, X_xor, y_xor, "mse", cl.SGD(1.0), 3000, progress=False)
print("seed 0, SGD lr 1.0, MSE after epoch 1000, 2000, 3000: "
      + ", ".join(f"{history.train_loss[e - 1]:.4f}" for e in (1000, 2000, 3000)))

# %% [markdown]
# ## 6. Try it: learning rate and optimizer, live
#
# The widget retrains the 2-2-1 XOR network (1000 epochs, MSE) whenever you move the
# **learning rate** slider (log scale, 0.001 to 10) or pick another **optimizer**. At the
# same time it walks the same optimizer 40 steps on the bowl of section 1 (left panel). The
# line above the picture reads the final loss and the network's four outputs.
#
# Each change calls one function, `experiments.retrain_for_lr(lr, optimizer)` in
# `course_lib/experiments.py`: the `xor_run` of section 5 (seed 0) plus
# `surfaces.optimizer_path` on the bowl. You can call it yourself; its first setting is
# the seed-0 row of section 5:

# %%
r = experiments.retrain_for_lr(lr=0.1, optimizer="sgd")
print(f"final MSE {r['final_loss']:.4f}, outputs " + "  ".join(f"{o:.3f}" for o in r["outputs"]))

# %% [markdown]
# Things to try with the widget:
#
# * SGD: drag the learning rate from 0.1 up. Where does XOR start to succeed? Where does the
#   path on the bowl start to zigzag, and where does it fly off (above 2)?
# * Switch to Adam at 0.1, then raise the rate to 1 or more: Adam's steps are about $\eta$
#   long whatever the gradient, so a large $\eta$ makes it jump around the minimum.
# * Momentum at 0.1 on the bowl: the heavy ball overshoots and swings back.
#
# (If you read this page without running it, the widget is only a still picture: run the
# notebook in JupyterLab. A progress bar appears while a retrain runs; moving a control again cancels
# the run in progress.)

# %% tags=["nbval-ignore-output"]
live.gradient_descent_widget(lr=0.1, optimizer="sgd")

# %% [markdown]
# ## Summary
#
# * Gradient descent repeats $\theta \leftarrow \theta - \eta \nabla L(\theta)$. On a
#   quadratic bowl each step multiplies the distance to the minimum by $1 - \eta\lambda$ per
#   direction of curvature $\lambda$: too small an $\eta$ crawls, $\eta > 1/\lambda$
#   overshoots and zigzags, $\eta > 2/\lambda_{\max}$ diverges.
# * Training is one loop: for each shuffled mini-batch, forward, loss, backward, update.
#   `train_loop` above is that loop in ten lines; `cl.train` is the same loop plus
#   bookkeeping (validation, accuracy, divergence, penalties, early stopping, progress).
# * Batch gradient descent uses all samples per step, stochastic one, mini-batch a few.
#   Per epoch, small batches make more progress; per second, on our tiny problem, the three
#   came out about even, because overhead, not arithmetic, dominates tiny batches.
#   Mini-batches get many steps per epoch *and* efficient arithmetic per step.
# * `history.train_loss` is the mean loss over an epoch's batches, measured while training;
#   for small batches it differs from the loss of the final model.
# * In narrow valleys (steep across, flat along) momentum builds speed along the floor, and
#   RMSProp and Adam rescale each coordinate; Adam combines both, overshoot included: in our
#   valley RMSProp ended closest to the minimum and Adam behind momentum.
# * The 2-2-1 sigmoid network with MSE, $\eta = 0.1$ and 1000 full-batch epochs does **not**
#   learn XOR: the loss stays near 0.25, the output near 0.5 for every input, on a flat
#   plateau where the four samples' gradients cancel. Updating after every sample, as the
#   classic example does, does not rescue it either. A larger learning rate ($\eta = 5$) or
#   Adam ($\eta = 0.1$) gets it off.
#
# **Next:** [lesson 06](06_activations.ipynb) looks at the other half of that story, the activation functions, whose
# derivatives decide how large the gradients are in the first place.
#
# ## Exercises
#
# Practise in [`exercises/05_gradient_descent_exercises.ipynb`](../exercises/05_gradient_descent_exercises.ipynb).
