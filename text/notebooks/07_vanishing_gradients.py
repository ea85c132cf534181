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
from course_lib import analysis, experiments, plots
from course_lib.widgets import live

# %% [markdown]
# ## 1. The gradient is a product over layers
#
# Write layer $l$ of a network as $\mathbf z_l = \mathbf a_{l-1} W_l + \mathbf b_l$ and
# $\mathbf a_l = f(\mathbf z_l)$. Backpropagation (lesson 04) computes
# $\boldsymbol\delta_l = \partial L / \partial \mathbf z_l$ from the layer above:
#
# $$\boldsymbol\delta_l = \left(\boldsymbol\delta_{l+1} W_{l+1}^{\top}\right) \odot f'(\mathbf z_l),
# \qquad \frac{\partial L}{\partial W_l} = \mathbf a_{l-1}^{\top} \boldsymbol\delta_l .$$
#
# Unrolled from the output layer $D$ down to layer $l$, the gradient picks up one weight
# matrix and one activation derivative per layer:
#
# $$\boldsymbol\delta_l = \boldsymbol\delta_D\, W_D^{\top} \operatorname{diag} f'(\mathbf z_{D-1})\,
# W_{D-1}^{\top} \cdots \operatorname{diag} f'(\mathbf z_l).$$
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
# standard-normal inputs) and returns $\lVert \partial L/\partial W_l \rVert$ for each layer,
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
plt.show()

# %% [markdown]
# In the sigmoid network the first layer's gradient is more than **six orders of magnitude**
# smaller than the last layer's (a factor of about 4 million): gradient descent would change the first layers essentially
# not at all, however long we train. The ReLU network with He initialisation passes the
# gradient down with the same order of magnitude in every layer.
#
# Where does the sigmoid factor come from? The mean derivative $f'(z) = a(1-a)$ of each
# sigmoid layer is below 0.25, and Xavier weights have a typical size
# $\sqrt{2/(64+64)} \approx 0.18$ per entry, so with 64 inputs each layer multiplies the
# gradient by roughly $0.24 \times 0.18 \times \sqrt{64} \approx 0.3$. Measured (the first
# factor differs: layer 1's inputs are the 10 raw features, not 64 sigmoid outputs):

# %%
acts = analysis.layer_activations(sigmoid_net, X)
mean_slope = [float(np.mean(a * (1 - a))) for a in acts]
print("mean sigmoid slope per hidden layer: " + " ".join(f"{s:.3f}" for s in mean_slope))
ratios = norms["sigmoid, Xavier init"][:-1] / norms["sigmoid, Xavier init"][1:]
print("gradient shrink factor per layer:    " + " ".join(f"{r:.3f}" for r in ratios))

# %% [markdown]
# ## 3. Initialisation: keep the signal's variance constant
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
fig, axes = plt.subplots(4, 5, figsize=(15, 8.5))
for row, (name, (act, init)) in zip(axes, cases.items()):
    net = analysis.deep_mlp(10, 64, activation=act, init=init, seed=0)
    layers = analysis.layer_activations(net, X)
    stats[name] = analysis.activation_stats(net, X)
    for ax, l in zip(row, (0, 2, 4, 6, 8)):
        bins = np.linspace(-1, 1, 51) if act == "tanh" else np.linspace(0, 6, 51)
        ax.hist(layers[l].ravel(), bins=bins, histtype="stepfilled",
                color=plots.CLASS_COLORS[list(cases).index(name)])
        ax.set_title(f"{name}: layer {l + 1}", fontsize=9)
        ax.set_yticks([])
fig.tight_layout()
plt.show()

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
#   $\mathbf a_{l-1}^\top \boldsymbol\delta_l$, vanish with them.
# * **too large**: tanh units are pushed into saturation, most outputs are $\pm 1$, where
#   $f' \approx 0$: the gradient is blocked at every saturated unit.
# * **Xavier** with tanh: the spread stays reasonable through all the layers.
# * **He** with ReLU: half of the outputs are exactly 0 (the spike at 0), the rest keep a
#   steady spread from layer to layer.
#
# ## 4. Exploding gradients
#
# The opposite failure: if each layer multiplies the gradient by more than 1, the product
# grows exponentially. ReLU with $\operatorname{Var}(w) = 1$ (too large for 64 inputs by a
# factor of 32) does it. A single gradient-descent step with such gradients throws the
# weights so far that the loss becomes infinite:

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
plt.show()

# %% [markdown]
# Remedies for exploding gradients: a proper initialisation (He here), a smaller learning
# rate, **gradient clipping** (rescale the gradient when its norm exceeds a threshold; the
# standard fix in recurrent networks), and normalisation layers (batch or layer
# normalisation), which reset the scale of the signal in every layer.
#
# ## 5. Try it: depth, activation and initialisation
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
# * relu + he at depth 20; then relu + xavier (signals shrink by $\sqrt{2}$ per layer); relu
#   + large (explodes); relu + small.
# * tanh + xavier against sigmoid + xavier: the zero-centred tanh with slope 1 at 0 keeps
#   the gradient alive far better.
#
# (If you read this page without running it, the widget is not shown.)

# %% tags=["nbval-ignore-output"]
live.gradient_norm_widget(depth=10, activation="sigmoid", init="xavier")

# %% [markdown]
# ## Summary
#
# * The gradient at layer $l$ is a product of one weight matrix and one activation
#   derivative per layer above it; in deep networks such products vanish or explode.
# * In a 10-layer sigmoid network the first layer's gradient norm is about
#   $3 \times 10^{-7}$ times the last layer's; with ReLU and He initialisation it stays within one order of magnitude.
# * Initialise so that each layer keeps the variance of the signal:
#   $\operatorname{Var}(w) = 2/(n_\text{in}+n_\text{out})$ (Xavier) for tanh/sigmoid,
#   $2/n_\text{in}$ (He) for ReLU. Too small makes activations and gradients vanish, too
#   large saturates tanh or makes ReLU networks explode.
# * Exploding gradients overflow the weights in a step or two; clipping, smaller learning
#   rates, good initialisation and normalisation layers prevent it.
#
# **Next:** lesson 08 turns from *can the network learn* to *does it learn the right thing*:
# overfitting and regularisation.
#
# ## Exercises
#
# Practise in [`exercises/07_vanishing_gradients.ipynb`](../exercises/07_vanishing_gradients.ipynb).
