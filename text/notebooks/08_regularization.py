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
# # Lesson 08 — Overfitting and regularisation
#
# So far we asked whether a network *can* drive its training loss down. Now the real goal:
# good answers on data it has **not** seen. A network with many parameters, trained on a few
# noisy examples, can learn the examples by heart, noise included, and get worse on new data
# while its training loss keeps falling. This is **overfitting**. Regularisation is the set
# of techniques that trade a little training accuracy for better behaviour on new data.
#
# **Learning objectives.** After this lesson you can
#
# 1. split data into a training and a validation set and read train/validation loss curves;
# 2. recognise overfitting as a growing **gap** between validation and training loss;
# 3. explain and apply L2 and L1 weight penalties, dropout and early stopping, with their formulas;
# 4. measure how much each regulariser narrows the gap on the same task.

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
import inspect

import numpy as np
import matplotlib.pyplot as plt

import course_lib as cl
from course_lib import analysis, experiments, plots, threads
from course_lib.widgets import live

_ = threads.limit_blas_threads(1)  # tiny matrices: one BLAS thread is faster than several
plots.use_course_style()   # colours that stay apart for colour-blind eyes, in every figure

# %% [markdown]
# ## 1. Small, noisy data and a validation set
#
# We take the two "moons" with a lot of noise (300 points) and keep only **60** for
# training. The other 240 form the **validation set**: the network never trains on them,
# so its loss there estimates how it will do on new data. (`experiments.overfit_task()` in
# `course_lib/experiments.py` makes this split: `datasets.moons(300, noise=0.35, seed=1)`,
# then `datasets.train_val_split(X, y, val_fraction=0.8, seed=0)`.)

# %%
X_train, X_val, y_train, y_val = experiments.overfit_task()
print(f"training: {X_train.shape[0]} points, validation: {X_val.shape[0]} points")
print(f"share of class 1: training {y_train.mean():.2f}, validation {y_val.mean():.2f}")
fig, ax = plt.subplots(figsize=(5.5, 4))
plots.plot_data(X_val, y_val, ax=ax, alpha=0.3, label_prefix="validation, class ")
plots.plot_data(X_train, y_train, ax=ax, label_prefix="training, class ", s=45)
ax.legend(fontsize=8)
ax.set_title("noisy moons: 60 training points (bold), 240 for validation")
plots.show("The noisy moons: 60 training points drawn bold and 240 validation points faint, "
           "class 0 circles and class 1 squares.")

# %% [markdown]
# ## 2. A large network memorises
#
# The network is far larger than this task needs: 2-64-64-2 with ReLU, that is
# $2\cdot64 + 64 + 64\cdot64 + 64 + 64\cdot2 + 2 = 4482$ parameters for 60 points. We train
# it with Adam ($\eta = 0.01$, full batch) for 400 epochs and record both losses after every
# epoch. The experiment is the function `retrain_with_regularization` in
# `course_lib/experiments.py` (the widget below calls it too); `kind="none"` means no
# regularisation. Its lines are the whole recipe:

# %%
print(inspect.getsource(experiments.retrain_with_regularization))

# %%
baseline = experiments.retrain_with_regularization(kind="none")
g = baseline["gap"]
print(f"parameters: {baseline['model'].n_parameters()}")
print(f"training   loss {g['train_loss']:.4f}   accuracy {g['train_acc']:.3f}")
print(f"validation loss {g['val_loss']:.4f}   accuracy {g['val_acc']:.3f}")
print(f"gap (validation - training loss): {g['gap']:.4f}")
best = int(np.argmin(baseline["history"].val_loss))
print(f"lowest validation loss {baseline['history'].val_loss[best]:.4f} at epoch {best + 1}")

# %%
plots.show("Left: the decision regions of the unregularized network over the training (bold) "
           "and validation (faint) points. Right: training (solid) and validation (dashed) loss "
           "against the epoch.",
           fig=live.render_regularization(baseline, figsize=(9.4, 4.2)))   # a Figure made without pyplot

# %% [markdown]
# The training loss falls towards 0 and training accuracy reaches 100%: the network has
# memorised the 60 points. On the left, the decision boundary bends around individual
# training points, noise included, with little islands of colour. The validation loss
# (right, red) tells the truth: it falls for only a handful of epochs (its minimum is at
# epoch 5), then **rises** for the rest of training while the training loss keeps falling. The network's growing confidence in
# its memorised answers is wrong on new points, and cross-entropy punishes confident
# mistakes hard. The gap between the two curves at the end measures the overfitting.
#
# ## 3. Four regularisers
#
# **L2 penalty.** Add $\frac{\lambda}{2} \sum W^2$ (all weights, not biases) to the loss.
# Its gradient is $\lambda W$. With plain gradient descent every step then also shrinks
# each weight by the same factor:
#
# $$W \leftarrow W - \eta\,(\nabla_W L + \lambda W) = (1 - \eta\lambda)\, W - \eta\, \nabla_W L,$$
#
# which is why, *for plain gradient descent*, the L2 penalty is also called **weight
# decay**. Small weights make a smoother function: the network cannot build sharp bumps
# around single points. (Our runs below use Adam, and there the two names part ways:
# section 5.)
#
# **L1 penalty.** Add $\lambda \sum |W|$, gradient $\lambda \operatorname{sign}(W)$: a
# constant pull towards 0 that drives many weights to (nearly) exactly 0, a **sparse**
# network.
#
# **Dropout.** During training, zero each hidden unit with probability $p$ and scale the
# survivors by $1/(1-p)$ (`course_lib.layers.Dropout`):
# $\mathbf a \leftarrow \mathbf a \odot \mathbf m / (1-p)$, $m_i \sim \text{Bernoulli}(1-p)$.
# No unit can rely on particular others, so the network learns redundant, simpler features.
# At test time dropout is off; the scaling keeps the expected activations equal in both modes.
#
# **Early stopping.** Keep training but watch the validation loss; stop once it has not
# improved for `patience` epochs, and restore the weights of the best epoch. Fewer steps
# mean weights that have moved less far from their small initial values, an effect similar
# to L2.
#
# In `course_lib`: `cl.train(..., l2=λ)`, `cl.train(..., l1=λ)`, `cl.mlp(..., dropout=p)`,
# `cl.train(..., early_stopping=cl.EarlyStopping(patience=k))`. The widget's `strength`
# in $[0, 1]$ maps to each one's parameter (`experiments.regularization_setting`); we use
# the middle, strength 0.5:

# %%
for kind in experiments.REGULARIZATION_KINDS:
    kwargs, p, label = experiments.regularization_setting(kind, 0.5)
    print(f"{kind:15s} -> {label.replace('&lambda;', 'lambda')}")

# %% [markdown]
# ## 4. The gap, measured for each
#
# Same data, same network, same seed, same 400 epochs of Adam; only the regulariser changes.
# The gap is measured on the final model (for early stopping: the restored best one), with
# dropout switched off:

# %%
runs = {kind: experiments.retrain_with_regularization(kind=kind, strength=0.5)
        for kind in experiments.REGULARIZATION_KINDS}
print(f"{'regulariser':32s} {'train loss':>10s} {'val loss':>9s} {'gap':>8s} {'train acc':>9s} {'val acc':>8s}")
for kind, r in runs.items():
    g = r["gap"]
    label = r["label"].replace("&lambda;", "lambda")
    print(f"{label:32s} {g['train_loss']:10.4f} {g['val_loss']:9.4f} {g['gap']:8.4f} "
          f"{g['train_acc']:9.3f} {g['val_acc']:8.3f}")

# %%
settings = [r["label"].replace("&lambda;", "λ") for r in runs.values()]
fig, axes = plt.subplots(2, 5, figsize=(9.6, 5.6))
for k, (r, top, bottom) in enumerate(zip(runs.values(), axes[0], axes[1])):
    h = r["history"]
    plots.plot_decision_boundary(r["model"], X_train, y_train, ax=top, resolution=60)
    top.set_title(settings[k].replace(", ", "\n"), fontsize=10)
    top.get_legend() and top.get_legend().remove()
    bottom.plot(h.train_loss, color=plots.CLASS_COLORS[0], label="train")
    bottom.plot(h.val_loss, "--", color=plots.CLASS_COLORS[1], label="validation")
    bottom.set_yscale("log")
    bottom.set_ylim(1e-3, 10)
    bottom.set_xlim(0, 400)
    bottom.set_xticks([0, 200, 400])
    bottom.set_xlabel("epoch")
    bottom.set_title(f"gap {r['gap']['gap']:.3f}", fontsize=10)
    if k:                                          # the first column's labels serve the row
        top.set_ylabel("")
        top.set_yticklabels([])
        bottom.set_yticklabels([])
axes[1, 0].legend(fontsize=8, loc="lower left")
fig.tight_layout()
plots.show("Top: the decision regions over the training points, one panel per setting "
           f"({'; '.join(settings)}). Bottom: training (solid) and validation (dashed) loss "
           "(log scale) against the epoch, titled with the gap "
           f"({'; '.join(ax.get_title() for ax in axes[1])}).")

# %% [markdown]
# Every regulariser narrows the gap, and each does it its own way:
#
# * **L2** keeps all weights small: a smooth boundary, a training loss that cannot go to 0,
#   the smallest gap of the penalties and the best validation loss of the table.
# * **L1** also smooths the boundary, though it keeps a thin tongue reaching for a few
#   points; in addition almost all weights end up near zero (below).
# * **Dropout** narrows the gap as much as L1 at this strength; its training curve is noisy
#   because each epoch trains a different random sub-network.
# * **Early stopping** ends the run after 23 epochs (the best epoch, 5, plus a
#   patience of 18) and restores the weights of epoch 5, before memorisation started. Its gap is even
#   negative: the validation loss happens to be *below* the training loss, because 60 noisy
#   points are themselves a noisy sample.
#
# None of them improves the *training* loss: they all give some of it up. What they buy is a
# validation loss far below the unregularised network's. Note also that validation
# *accuracy* changes less than validation *loss*: overfitting shows first as overconfidence.
#
# Can there be too much? The slider's strongest L2, $\lambda = 0.02$, still helps here; ten
# times that, $\lambda = 0.2$, is too much:

# %%
model = cl.mlp([2, 64, 64, 2], activation="relu", seed=0)          # the network of section 2
cl.train(model, X_train, y_train, "cross_entropy", cl.Adam(0.01), 400, l2=0.2, seed=0, progress=False)
g = analysis.measure_gap(model, X_train, y_train, X_val, y_val, "cross_entropy")
print(f"L2, lambda = 0.2: train loss {g['train_loss']:.4f}, validation loss {g['val_loss']:.4f}, "
      f"accuracy {g['train_acc']:.3f} / {g['val_acc']:.3f}")

# %% [markdown]
# Both losses sit at $\ln 2 \approx 0.69$ and both accuracies near 0.5: the penalty has
# squeezed the weights so hard that the network answers "50/50" everywhere. That is
# **underfitting**, the opposite failure: no gap, and nothing learned.
#
# The sparsity of L1, measured: the share of weights smaller than 0.01 in absolute value.

# %%
for kind in ("none", "L2", "L1"):
    W = np.concatenate([layer.W.ravel() for layer in analysis.dense_layers(runs[kind]["model"])])
    print(f"{kind:5s} share of |w| < 0.01: {np.mean(np.abs(W) < 0.01):.3f}")

# %% [markdown]
# ## 5. L2 penalty or weight decay? Not the same under Adam
#
# Adam does not step along the gradient it is given: it divides each coordinate by
# $\sqrt{\hat v}$, its running size (lesson 05). With an L2 penalty the gradient it is given
# is $\nabla_W L + \lambda W$, so the penalty is rescaled too. Take a weight whose data
# gradient has become negligible: then $\hat m \approx \lambda W$ and
# $\sqrt{\hat v} \approx \lambda |W|$, and the step is about $\eta\,\operatorname{sign}(W)$, a
# fixed step of $\eta$ towards 0, whatever $\lambda$ and whatever the weight's size. A
# weight with large data gradients, on the other hand, is barely pulled at all. That is not
# "every weight shrinks by the same factor" any more.
#
# **AdamW** (Loshchilov & Hutter, 2019) restores weight decay by taking it out of the
# gradient: each step first shrinks the weights, then takes the Adam step on the data
# gradient alone,
#
# $$W \leftarrow (1 - \eta\lambda)\, W, \qquad
#   W \leftarrow W - \eta\, \hat m / (\sqrt{\hat v} + \epsilon) \quad (m, v \text{ from } \nabla_W L \text{ only}).$$
#
# `course_lib.AdamW(lr, weight_decay=λ)` does this (checked against PyTorch's `AdamW`);
# `retrain_with_regularization(..., weight_decay=λ)` trains the section 2 network with it.
# The same task, network and seed, with an L2 penalty through Adam and with AdamW at
# several decay rates:

# %%
print(f"{'setting':30s} {'train loss':>10s} {'val loss':>9s} {'gap':>8s} {'val acc':>8s} {'||W||':>7s}")
compare = {"Adam, no penalty": dict(kind="none"),
           "Adam + L2, lambda 0.01": dict(kind="L2", strength=0.5)}
compare.update({f"AdamW, weight decay {wd:g}": dict(kind="none", weight_decay=wd) for wd in (0.01, 1, 3)})
for name, settings in compare.items():
    r = experiments.retrain_with_regularization(**settings)
    g = r["gap"]
    W = np.concatenate([layer.W.ravel() for layer in analysis.dense_layers(r["model"])])
    print(f"{name:30s} {g['train_loss']:10.4f} {g['val_loss']:9.4f} {g['gap']:8.4f} "
          f"{g['val_acc']:8.3f} {np.linalg.norm(W):7.2f}")

# %% [markdown]
# The same number means different things. An L2 penalty of $\lambda = 0.01$ through Adam
# shrinks the weights' norm from about 29 to about 5 and closes most of the gap; a weight
# decay of 0.01 in AdamW (each step multiplies the weights by $1 - 0.01 \times 0.01$) barely
# changes anything. AdamW needs a decay of about 3 (a factor $0.97$ per step) to regularise
# as much. Here both reach a similar validation loss, so neither is "the better one" on this
# task; the point is that they are different regularisers. With Adam, say "L2 penalty" when
# the penalty goes into the gradient, and "weight decay" for AdamW's decoupled shrinking:
# that is how PyTorch's `Adam(weight_decay=...)` (an L2 penalty) and `AdamW(weight_decay=...)`
# differ too.
#
# ## 6. Try it: regulariser and strength
#
# The widget retrains the network (400 epochs,
# `experiments.retrain_with_regularization(kind, strength)`) whenever you pick a
# **regularizer** or move the **strength** slider. Left: the decision regions, with the training points bold and the
# validation points faint; right: the training and validation loss curves. The line above
# reads the final training loss, validation loss and the gap. Things to try:
#
# * "none": the memorising network of section 2.
# * L2 from strength 0 to 1: watch the islands disappear and the gap close; at full strength
#   ($\lambda = 0.02$) the training loss rises further while the validation loss stays low
#   (underfitting needs a larger $\lambda$, as the cell in section 4 showed).
# * dropout at 0.2 and at 1.0 ($p = 0.7$).
# * early stopping: the grey dashed line marks the restored best epoch.
#
# (A progress bar shows while a retrain runs; moving a control again cancels it. If you read
# this page without running it, the widget is only a still picture.)

# %% tags=["nbval-ignore-output"]
live.regularization_widget(kind="L2", strength=0.5)

# %% [markdown]
# ## Summary
#
# * Judge a network on data it did not train on: keep a **validation set**, and watch the
#   **gap** between validation and training loss.
# * A network much larger than its data memorises it: training loss to 0, validation loss
#   rising after an early minimum.
# * **L2** ($\frac\lambda2\sum W^2$, gradient $\lambda W$) shrinks all weights; **L1**
#   ($\lambda\sum|W|$, gradient $\lambda\operatorname{sign} W$) makes many of them zero;
#   **dropout** trains random sub-networks and averages them; **early stopping** stops at
#   the best validation loss.
# * With plain gradient descent the L2 penalty is weight decay, $W \leftarrow (1-\eta\lambda)W - \eta\nabla L$.
#   With Adam it is not: Adam rescales the penalty's gradient too. **AdamW** applies the decay
#   outside Adam's rescaling; the same $\lambda$ then means a much weaker regulariser.
# * On 60 noisy points, each regulariser narrowed the gap of the unregularised network
#   substantially, measured in one table; too much regularisation underfits.
#
# **Next:** [lesson 09](09_playground.ipynb) puts everything so far into one playground.
#
# ## Exercises
#
# Practise in [`exercises/08_regularization_exercises.ipynb`](../exercises/08_regularization_exercises.ipynb).
