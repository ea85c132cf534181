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
# # Lesson 07 — Vanishing and exploding gradients
#
# Deep networks (many layers) can represent far more than shallow ones, yet for a long time
# nobody could train them. The reason is in the chain rule: the gradient that reaches the
# first layer is a product of one factor per layer above it. If those factors are typically
# smaller than 1, the product **vanishes**; if larger than 1, it **explodes**. This lesson
# measures that, layer by layer, and shows the two fixes that made deep learning work: the
# ReLU activation and a careful weight initialisation.
#
# **Learning objectives.** After this lesson you can
#
# 1. write the backward recursion through a deep network and see the product of per-layer factors in it;
# 2. measure per-layer gradient norms, and show that a 10-layer sigmoid network's first layer receives a gradient orders of magnitude smaller than its last;
# 3. explain Xavier and He initialisation from the variance of the signal, and recognise too-small and too-large initialisation in activation histograms;
# 4. recognise exploding gradients and name remedies.

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

import course_lib as cl
from course_lib import analysis, experiments, plots, threads
from course_lib.widgets import live

_ = threads.limit_blas_threads(1)  # small matrices: one BLAS thread is faster than several
plots.use_course_style()   # colours that stay apart for colour-blind eyes, in every figure

# %% [markdown]
# ## 1. The gradient is a product over layers
#
# Write layer $l$ of a network as $z^{(l)} = a^{(l-1)} W^{(l)} + \mathbf b^{(l)}$ and
# $a^{(l)} = f(z^{(l)})$ (lesson 00's notation). Backpropagation (lesson 04) computes
# $\delta^{(l)} = \partial L / \partial z^{(l)}$ from the layer above:
#
# $$\delta^{(l)} = \left(\delta^{(l+1)} W^{(l+1)\top}\right) \odot f'(z^{(l)}),
# \qquad \frac{\partial L}{\partial W^{(l)}} = a^{(l-1)\top} \delta^{(l)} .$$
#
# Unrolled from the output layer (layer $M$ of a network of $M$ layers) down to layer $l$,
# the gradient picks up one weight matrix and one activation derivative per layer (for one
# sample, a row):
#
# $$\delta^{(l)} = \delta^{(M)}\, W^{(M)\top} \operatorname{diag} f'(z^{(M-1)})\,
# W^{(M-1)\top} \cdots \operatorname{diag} f'(z^{(l)}).$$
#
# Roughly, each layer multiplies the gradient's size by (typical size of $W$) $\times$
# (typical $f'$). For sigmoid, $f' \le 0.25$: unless the weights are large, every layer
# shrinks the gradient several-fold, and ten layers shrink it by orders of magnitude.
#
# ## 2. Measuring it: gradient norms per layer
#
# `analysis.deep_mlp(10, 64, activation, init)` builds a network with 10 Dense layers (9
# hidden layers of 64 units, then one linear output). `analysis.gradient_norms` runs one
# forward and one backward pass (mean squared error against random targets, on 256
# standard-normal inputs) and returns $\lVert \partial L/\partial W^{(l)} \rVert$ for each layer,
# input side first.

# %%
X, y = analysis.probe_data(n_samples=256, n_in=10, seed=0)
sigmoid_net = analysis.deep_mlp(10, 64, activation="sigmoid", init="xavier", seed=0)
relu_net = analysis.deep_mlp(10, 64, activation="relu", init="he", seed=0)
norms = {"sigmoid, Xavier init": analysis.gradient_norms(sigmoid_net, X, y, "mse"),
         "ReLU, He init": analysis.gradient_norms(relu_net, X, y, "mse")}
print("layer   sigmoid + Xavier   ReLU + He")
for l, (a, b) in enumerate(zip(*norms.values()), start=1):
    print(f"{l:5d}   {a:16.2e}   {b:9.2e}")
for name, n in norms.items():
    print(f"{name}: first layer / last layer = {n[0] / n[-1]:.2e}")

# %%
fig, ax = plt.subplots(figsize=(8, 3.8))
plots.plot_gradient_norms(norms, ax=ax, title="gradient norm per layer, 10-layer network (log scale)")
plots.show("The gradient norm of each of the 10 layers (log scale), layer 1 next to the input, "
           f"one line per network: {'; '.join(norms)}.")

# %% [markdown]
# In the sigmoid network the first layer's gradient is more than **six orders of magnitude**
# smaller than the last layer's (a factor of about 4 million): a gradient-descent step that
# moves the last layer's weights noticeably moves the first layer's millions of times less
# (section 3 trains these networks and measures it). The ReLU network with He
# initialisation passes the gradient down with the same order of magnitude in every layer.
#
# Where does the sigmoid factor come from? The mean derivative $f'(z) = a(1-a)$ of each
# sigmoid layer is below 0.25 (about 0.24 here), and Xavier weights have a typical size
# $\sqrt{2/(64+64)} = 0.125$ per entry. Going down one layer, $\boldsymbol\delta$ is
# multiplied by a $64 \times 64$ weight matrix, which scales a vector's length by about
# $0.125 \times \sqrt{64} = 1$, and then by the slopes: each layer multiplies the gradient by
# roughly $0.24 \times 0.125 \times \sqrt{64} \approx 0.24$. Measured (the first factor
# differs: layer 1's inputs are the 10 raw features, not 64 sigmoid outputs; so does the
# last: layer 10 is the single linear output unit):

# %%
acts = analysis.layer_activations(sigmoid_net, X)
mean_slope = [float(np.mean(a * (1 - a))) for a in acts]
print("mean sigmoid slope per hidden layer: " + " ".join(f"{s:.3f}" for s in mean_slope))
ratios = norms["sigmoid, Xavier init"][:-1] / norms["sigmoid, Xavier init"][1:]
print("gradient shrink factor per layer:    " + " ".join(f"{r:.3f}" for r in ratios))

# %% [markdown]
# The middle factors, 0.21 to 0.26, match the estimate of 0.24.
#
# ## 3. Training them: who learns, and how fast, layer by layer
#
# A small gradient is a claim about one step. What happens over a whole training run?
# `experiments.train_deep_net(activation, init)` trains the 10-layer network of section 2
# on the same probe data (256 points, 10 random-normal features, random targets) with plain
# full-batch gradient descent, $\eta = 0.01$, 300 epochs, and records after every epoch,
# for each layer $l$, the gradient norm $\lVert \partial L/\partial W^{(l)} \rVert$ and the
# **update-to-weight ratio** $\lVert \Delta W^{(l)} \rVert / \lVert W^{(l)} \rVert$: how much of
# its size a layer's weight matrix changes in one step. The targets are random, so the
# only way below the loss $\operatorname{Var}(y)$ (always answering the targets' mean) is to
# fit them with the whole network.

# %%
trained = {name: experiments.train_deep_net(act, init, lr=0.01, epochs=300)
           for name, (act, init) in {"sigmoid, Xavier": ("sigmoid", "xavier"),
                                     "tanh, Xavier": ("tanh", "xavier"),
                                     "ReLU, He": ("relu", "he")}.items()}
print(f"Var(y), the loss of always answering the mean: {trained['ReLU, He']['target_var']:.4f}")
print("network           loss after epoch 1     150     300   weights moved, relative: layer 1   layer 10")
for name, r in trained.items():
    loss = r["history"].train_loss
    print(f"{name:16s}  {loss[0]:18.4f} {loss[149]:7.4f} {loss[299]:7.4f}"
          f"   {r['moved'][0]:33.1e}   {r['moved'][-1]:.1e}")

# %%
fig, axes = plt.subplots(2, 2, figsize=(9.6, 6.5), sharex=True)
colors = plt.cm.viridis(np.linspace(0, 0.9, 10))
for col, name in enumerate(("sigmoid, Xavier", "ReLU, He")):
    r = trained[name]
    for l in range(10):
        label = f"layer {l + 1}" if l in (0, 4, 9) else None
        axes[0, col].plot(r["grad_norms"][:, l], color=colors[l], label=label)
        axes[1, col].plot(r["update_ratios"][:, l], color=colors[l], label=label)
    axes[0, col].set_title(f"{name}: gradient norm per layer")
    axes[1, col].set_title(f"{name}: update / weight per layer")
    axes[1, col].set_xlabel("epoch")
for ax in axes.ravel():
    ax.set_yscale("log")
    ax.legend(fontsize=8)
axes[0, 0].set_ylabel(r"$\Vert \partial L / \partial W^{(l)} \Vert$")
axes[1, 0].set_ylabel(r"$\Vert \Delta W^{(l)} \Vert \, / \, \Vert W^{(l)} \Vert$")
fig.tight_layout()
plots.show("Four panels over the epochs, one line per layer (log scale): the gradient norm "
           "(top) and the update's size next to the weights' (bottom), for the sigmoid network "
           "with Xavier initialisation (left) and the ReLU network with He initialisation (right).")

# %% [markdown]
# The sigmoid network's loss falls within about ten epochs to exactly
# $\operatorname{Var}(y)$ and stays there: its last layer has learned to answer the mean, and
# the layers below, which would have to do the fitting, hardly move: in 300 epochs the first
# layer's weights change by less than a millionth of their size. The left panels show how.
# At the start the update-to-weight ratios are spread over seven orders of magnitude, layer
# 1 near $3 \times 10^{-9}$ and layer 10 near $3 \times 10^{-2}$. Then, as the output settles
# on the mean, the error signal $\boldsymbol\delta$ that feeds every layer's gradient
# shrinks, the upper layers' gradients fall too, and after about 30 epochs every layer's
# ratio is below $10^{-8}$: the whole network has stopped, on a plateau where the loss is
# the loss of knowing nothing, like the XOR network of lesson 05.
#
# tanh with Xavier and ReLU with He drive the loss far below $\operatorname{Var}(y)$ and
# are still falling after 300 epochs; every one of their layers changes by 2% of its size
# or more. For ReLU (right) the ratios stay between about $10^{-4}$ (layer 1) and
# $3 \times 10^{-2}$ (layer 10), within about two orders of magnitude of each other, the
# middle layers near $10^{-3}$, all through training. (The regular waves are gradient
# descent at the edge of stability, as in lesson 05's bouncing across a valley: the steps
# are large enough to swing back and forth across a steep direction while the loss still
# falls overall.) A rule of thumb from the CS231n course notes: a ratio around $10^{-3}$
# per step means a layer learns at a healthy pace; far below it, the layer is frozen.
#
# ## 4. Initialisation: keep the signal's variance constant
#
# The same products govern the **forward** pass: each layer multiplies the activations by
# its weights. Take a unit $z = \sum_{i=1}^{n_\text{in}} w_i a_i$ with independent,
# zero-mean weights and inputs. Then
#
# $$\operatorname{Var}(z) = n_\text{in}\, \operatorname{Var}(w)\, \operatorname{E}[a^2].$$
#
# To keep the signal the same size layer after layer we want
# $n_\text{in} \operatorname{Var}(w) \approx 1$, and for the backward pass
# $n_\text{out} \operatorname{Var}(w) \approx 1$. The two classic answers
# (`course_lib.initializers`):
#
# | name | $\operatorname{Var}(w)$ | for |
# |---|---|---|
# | too small | $0.01^2$ | (signals shrink by $\approx 0.08$ per layer here, then vanish) |
# | too large | $1$ | (signals grow by $\approx 8$ per layer; tanh saturates) |
# | Xavier (Glorot & Bengio, 2010) | $2 / (n_\text{in} + n_\text{out})$ | tanh, sigmoid: compromise of forward and backward |
# | He (He et al., 2015) | $2 / n_\text{in}$ | ReLU: the factor 2 makes up for ReLU zeroing half its inputs |
#
# The histograms show the activations of hidden layers 1, 3, 5, 7 and 9 of a 10-layer
# network for each case (tanh for the first three rows, ReLU for He). Every tanh panel
# spans the whole range $(-1, 1)$, so the panels of a row compare directly:

# %%
cases = {"tanh, too small": ("tanh", "small"), "tanh, too large": ("tanh", "large"),
         "tanh, Xavier": ("tanh", "xavier"), "ReLU, He": ("relu", "he")}
stats = {}
fig, axes = plt.subplots(4, 5, figsize=(9.6, 7.5))
for row, (name, (act, init)) in zip(axes, cases.items()):
    net = analysis.deep_mlp(10, 64, activation=act, init=init, seed=0)
    layers = analysis.layer_activations(net, X)
    stats[name] = analysis.activation_stats(net, X)
    for ax, l in zip(row, (0, 2, 4, 6, 8)):
        bins = np.linspace(-1, 1, 51) if act == "tanh" else np.linspace(0, 6, 51)
        ax.hist(layers[l].ravel(), bins=bins, histtype="stepfilled",
                color=plots.CLASS_COLORS[list(cases).index(name)])
        ax.set_yticks([])
    row[0].set_ylabel(name.replace(", ", ",\n"))
for ax, l in zip(axes[0], (0, 2, 4, 6, 8)):
    ax.set_title(f"layer {l + 1}")
fig.tight_layout()
plots.show("Histograms of the activations of layers 1, 3, 5, 7 and 9 (columns) of four "
           f"10-layer networks (rows: {'; '.join(cases)}).")

# %%
print("case              std of activations, layers 1..9")
for name, s in stats.items():
    print(f"{name:16s}  " + " ".join(f"{d['std']:.1e}" for d in s))
print("share of saturated tanh outputs (|a| > 0.98), too-large init, layer 9: "
      f"{stats['tanh, too large'][-1]['saturated']:.2f}")

# %% [markdown]
# Row by row:
#
# * **too small**: all activations sit in the single bin around 0. The printed spreads show
#   the collapse: each layer multiplies them by about 0.08, and by layer 9 their standard
#   deviation is $5 \times 10^{-11}$. The gradients with respect to the weights,
#   $a^{(l-1)\top} \delta^{(l)}$, vanish with them.
# * **too large**: tanh units are pushed into saturation, most outputs are $\pm 1$, where
#   $f' \approx 0$: the gradient is blocked at every saturated unit.
# * **Xavier** with tanh: the spread stays reasonable through all the layers.
# * **He** with ReLU: half of the outputs are exactly 0 (the spike at 0), the rest keep a
#   steady spread from layer to layer.
#
# **Why random at all? Symmetry.** If small weights are bad, why not start every weight at
# exactly 0? Then all units of a layer compute the same $z$, get the same $\delta$ in the
# backward pass, hence the same update, and stay identical for ever: a layer of 8 units
# learns what one unit could. The random start breaks this symmetry. Shown with a small
# sigmoid network (two hidden layers of 8 units), trained 300 epochs on the probe data,
# once from `init="zeros"` and once from Xavier:

# %%
for init in ("zeros", "xavier"):
    net = analysis.deep_mlp(3, 8, activation="sigmoid", init=init, seed=0)
    history = cl.train(net, X, y, "mse", cl.SGD(0.5), 300, progress=False)
    for l, layer in enumerate(analysis.dense_layers(net)[:2], start=1):
        identical = np.allclose(layer.W, layer.W[:, :1], rtol=1e-12, atol=0)
        print(f"init {init:6s} hidden layer {l}: ||W|| = {np.linalg.norm(layer.W):.3f}, "
              f"its 8 units identical: {identical}")
    print(f"init {init:6s} loss: epoch 1 {history.train_loss[0]:.4f}, epoch 300 {history.train_loss[-1]:.4f}")

# %% [markdown]
# From zeros the weights do move (their norms are no longer 0), but every column of $W^{(l)}$,
# one unit's incoming weights, stays equal to every other: the 8 units remain copies of each
# other after 300 epochs. From Xavier they differ, and the network can use all of them.
#
# ## 5. Exploding gradients
#
# The opposite failure: if each layer multiplies the gradient by more than 1, the product
# grows exponentially. ReLU with $\operatorname{Var}(w) = 1$ (too large for 64 inputs by a
# factor of 32) does it. A single gradient-descent step with such gradients throws the
# weights so far that the loss reaches $10^{220}$ after two epochs; `train` sees weights
# that large (or a loss that is no longer a number), marks the run as diverged and stops:

# %%
exploding = analysis.deep_mlp(10, 64, activation="relu", init="large", seed=0)
norms_large = analysis.gradient_norms(exploding, X, y, "mse")
print("ReLU, too-large init, gradient norm per layer: " + " ".join(f"{n:.1e}" for n in norms_large))
history = cl.train(exploding, X, y, "mse", cl.SGD(0.01), 5, progress=False)
print("training losses:", ", ".join(f"{v:.3e}" for v in history.train_loss), "| diverged:", history.diverged)

# %%
fig, ax = plt.subplots(figsize=(8, 3.8))
plots.plot_gradient_norms({"sigmoid, Xavier (vanishing)": norms["sigmoid, Xavier init"],
                           "ReLU, He (healthy)": norms["ReLU, He init"],
                           "ReLU, too large (exploding)": norms_large}, ax=ax,
                          title="vanishing, healthy and exploding gradients")
plots.show("The gradient norm of each layer (log scale) for three networks: sigmoid with "
           "Xavier initialisation (vanishing), ReLU with He initialisation (healthy) and ReLU "
           "with too large weights (exploding).")

# %% [markdown]
# Remedies for exploding gradients: a proper initialisation (He here), a smaller learning
# rate, **gradient clipping** (rescale the gradient when its norm exceeds a threshold; the
# standard fix in recurrent networks), and normalisation layers (batch or layer
# normalisation), which reset the scale of the signal in every layer.
#
# ## 6. Try it: depth, activation and initialisation
#
# The widget builds a fresh network with the chosen **depth** (2 to 20 Dense layers),
# hidden **activation** and **init**, runs one backward pass and draws the gradient norm per
# layer (log scale). The line above reads the first and last layer's norms and their ratio.
#
# Each change calls `experiments.gradient_bars_for(depth, activation, init)` in
# `course_lib/experiments.py`: the measurement of section 2 (`probe_data`, `deep_mlp`,
# `gradient_norms`) for any setting. Its first setting gives section 2's sigmoid numbers:

# %%
bars = experiments.gradient_bars_for(depth=10, activation="sigmoid", init="xavier")
print("the same norms as section 2:", np.array_equal(bars["norms"], norms["sigmoid, Xavier init"]))

# %% [markdown]
# Things to try with the widget:
#
# * sigmoid + xavier, depth from 2 to 20: how many orders of magnitude per layer?
# * relu + he at depth 20; then relu + xavier (signals shrink by $\sqrt{2}$ per layer);
#   relu + large (explodes); relu + small.
# * tanh + xavier against sigmoid + xavier: the zero-centred tanh with slope 1 at 0 keeps
#   the gradient alive far better.
#
# (If you read this page without running it, the widget is only a still picture.)

# %% tags=["nbval-ignore-output"]
live.gradient_norm_widget(depth=10, activation="sigmoid", init="xavier")

# %% [markdown]
# ## Summary
#
# * The gradient at layer $l$ is a product of one weight matrix and one activation
#   derivative per layer above it; in deep networks such products vanish or explode.
# * Trained for 300 epochs, the 10-layer sigmoid + Xavier network never gets below the loss
#   of answering the mean, its first layer's weights moving by less than a millionth; tanh +
#   Xavier and ReLU + He learn, with every layer moving.
# * Start from random weights: from all-zero weights, the units of a layer stay identical.
# * In a 10-layer sigmoid network the first layer's gradient norm is about
#   $3 \times 10^{-7}$ times the last layer's; with ReLU and He initialisation it stays within one order of magnitude.
# * Initialise so that each layer keeps the variance of the signal:
#   $\operatorname{Var}(w) = 2/(n_\text{in}+n_\text{out})$ (Xavier) for tanh/sigmoid,
#   $2/n_\text{in}$ (He) for ReLU. Too small makes activations and gradients vanish, too
#   large saturates tanh or makes ReLU networks explode.
# * Exploding gradients overflow the weights in a step or two; clipping, smaller learning
#   rates, good initialisation and normalisation layers prevent it.
#
# **Next:** [lesson 08](08_regularization.ipynb) turns from *can the network learn* to *does it learn the right thing*:
# overfitting and regularisation.
#
# ## Exercises
#
# Practise in [`exercises/07_vanishing_gradients_exercises.ipynb`](../exercises/07_vanishing_gradients_exercises.ipynb).
