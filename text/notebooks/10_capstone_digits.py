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
# # Lesson 10 — Capstone: reading handwritten digits
#
# Until now the data sets were small pictures in the plane, made up so that one idea shows
# clearly. Now everything comes together on **real data**: 1797 handwritten digits, each a
# tiny 8×8 grey image. You will build a network that reads them, decide each part of it with
# a reason from an earlier lesson, and measure honestly how well it does.
#
# **Learning objectives.** After this lesson you can
#
# 1. split data into **training, validation and test** sets, stratified and seeded, and say what each set is for;
# 2. enlarge a training set by **data augmentation** and **standardize** inputs with statistics of the training data only;
# 3. train a **baseline** (logistic regression: one `Dense` layer with softmax cross-entropy) and a **network**, choosing activation, initialization, optimizer and regularization with reasons;
# 4. read **learning curves**, and report an honest **test accuracy** (at least 97% here);
# 5. compute and read a **confusion matrix**, and look at the digits the network gets wrong.

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

from course_lib import Adam, CrossEntropy, Dense, EarlyStopping, Sequential, datasets, mlp, train
from course_lib import metrics, plots, threads

_ = threads.limit_blas_threads(1)  # tiny matrices: one BLAS thread is faster than several
plots.use_course_style()   # colours that stay apart for colour-blind eyes, in every figure

# %% [markdown]
# ## 1. The data
#
# `datasets.load_digits()` reads the digits shipped inside `course_lib` (the UCI
# "Optical Recognition of Handwritten Digits" data, licence CC BY 4.0; see
# `course_lib/data/DIGITS_SOURCE.md`): nothing is downloaded. Each row of `X` is one image,
# its 64 pixels read row by row and scaled from 0..16 to 0..1; `y` holds the digit, 0 to 9.

# %%
X, y = datasets.load_digits()
print(f"X: {X.shape}, pixel values from {X.min():.1f} to {X.max():.1f}")
print(f"y: {y.shape}, digits {y.min()} to {y.max()}")
print("images per digit:", np.bincount(y).tolist())

plots.plot_digit_grid(X[:30], labels=y[:30], n_cols=10, title="the first 30 digits and their labels")
plots.show("The first 30 digits of the data set, 8 by 8 grey pixels each, with their labels.")

# %% [markdown]
# ## 2. Training, validation and test sets
#
# A model must be judged on digits it has never seen. We split the data three ways:
#
# * the **training set** (64%): the network learns its weights from it;
# * the **validation set** (16%): we use it to make choices (when to stop, which model to
#   keep), so it also shapes the model, a little;
# * the **test set** (20%): locked away until the very end and used **once**, for the one
#   number we report. Had we tuned anything on it, its accuracy would flatter us.
#
# The split is **stratified** (each digit keeps its share in every part) and **seeded** (the
# same split on every run). `train_val_split` makes one cut; two cuts make three sets.

# %%
X_rest, X_test, y_rest, y_test = datasets.train_val_split(X, y, val_fraction=0.2, seed=0, stratify=True)
X_train, X_val, y_train, y_val = datasets.train_val_split(X_rest, y_rest, val_fraction=0.2, seed=1,
                                                          stratify=True)
for name, labels in (("train", y_train), ("validation", y_val), ("test", y_test)):
    print(f"{name:>10}: {len(labels):4d} digits, per class {np.bincount(labels).tolist()}")

# %% [markdown]
# ## 3. More training data for free: shifted copies
#
# 1151 training images are few. But we know something about digits that the numbers do not
# say: a 3 moved one pixel to the left is still a 3. Moving an image changes most of its 64
# pixel values, not its label. So we add, for every training image, four copies shifted by
# one pixel (down, up, right, left), filling the new border with white (0):
#
# $$ x^{\text{shifted}}_{r, c} = x_{r - \Delta r,\; c - \Delta c} \quad (0 \text{ outside the image}),
#    \qquad (\Delta r, \Delta c) \in \{(1,0), (-1,0), (0,1), (0,-1)\}. $$
#
# This is **data augmentation**. Like the regularizers of lesson 08 it fights overfitting,
# here by showing the model more of the variation it will meet. Only the training set is
# augmented: validation and test digits stay as they were written.
# `datasets.shift_images(X, dr, dc)` computes exactly the formula above.

# %%
moves = [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)]       # the original and four shifts
X_aug = np.vstack([datasets.shift_images(X_train, dr, dc) for dr, dc in moves])
y_aug = np.tile(y_train, len(moves))
print(f"augmented training set: {X_aug.shape[0]} images ({len(moves)} x {X_train.shape[0]})")

copies = [k * len(y_train) for k in range(len(moves))]   # the first training digit, 5 times
plots.plot_digit_grid(X_aug[copies], labels=y_aug[copies], n_cols=5, size=1.2,
                      title="one training digit: original, down, up, right, left")
plots.show("One training digit five times: as it is, and shifted one pixel down, up, right "
           "and left.")

# %% [markdown]
# ## 4. Standardizing the inputs
#
# Gradient descent works best when every input has a similar scale (lesson 05: a long, thin
# valley in the loss makes it zig-zag). We **standardize** each pixel $j$ with the mean
# $\mu_j$ and standard deviation $\sigma_j$ over the $N$ images of the (augmented)
# **training** set:
#
# $$ x'_{nj} = \frac{x_{nj} - \mu_j}{\sigma_j}, \qquad
#    \mu_j = \frac{1}{N}\sum_{n} x_{nj}, \qquad
#    \sigma_j = \sqrt{\frac{1}{N}\sum_n (x_{nj} - \mu_j)^2}. $$
#
# Validation and test images are transformed with the *same* $\mu$ and $\sigma$: computing
# them on the test set would let the test data leak into the model. A pixel that is 0 in
# every training image would have $\sigma_j = 0$; we would divide it by 1 instead. (In the
# original training set three border pixels are always 0; the shifted copies light them up.)

# %%
mu = X_aug.mean(axis=0)
sigma = X_aug.std(axis=0)
sigma[sigma == 0] = 1.0                               # a constant pixel: leave it at 0


def standardize(A):
    return (A - mu) / sigma


Z_train, Z_aug, Z_val, Z_test = (standardize(A) for A in (X_train, X_aug, X_val, X_test))
print(f"augmented training set after standardizing: mean {abs(Z_aug.mean()):.4f}, std {Z_aug.std():.4f}")
print(f"pixel 0 (top left corner): mu = {mu[0]:.4f}, sigma = {sigma[0]:.4f}")
print(f"pixel 27 (centre):         mu = {mu[27]:.4f}, sigma = {sigma[27]:.4f}")

# %% [markdown]
# ## 5. A baseline: logistic regression
#
# Before a network, the simplest model that could work, so that we know what the network
# must beat. **Multinomial logistic regression** is a network without a hidden layer: one
# `Dense(64, 10)` layer gives one score (logit) per digit, and softmax turns the scores into
# probabilities (lesson 03):
#
# $$ \mathbf{z} = \mathbf{x} W + \mathbf{b}, \qquad
#    p_k = \frac{e^{z_k}}{\sum_{j=0}^{9} e^{z_j}}, \qquad
#    L = -\frac{1}{N} \sum_{n=1}^{N} \log p_{n, y_n} .$$
#
# `CrossEntropy` fuses softmax and the loss, so it takes the logits directly. Each digit
# gets one linear score, so the boundaries between digits are flat (hyperplanes in the
# 64-dimensional pixel space), like the single neuron's line in lesson 01. We train it with
# Adam and stop when the validation loss has not improved for 15 epochs (lesson 08).

# %%
baseline = Sequential([Dense(64, 10, rng=0)])
baseline_history = train(baseline, Z_train, y_train, CrossEntropy(), Adam(lr=0.01), epochs=200,
                         batch_size=64, validation_data=(Z_val, y_val), early_stopping=15,
                         accuracy_metric=True, seed=0, progress=False)
baseline_val = metrics.accuracy(y_val, baseline.predict(Z_val))
print(f"baseline: {baseline.n_parameters()} parameters, {baseline_history.epochs} epochs "
      f"(best {baseline_history.best_epoch + 1})")
print(f"baseline validation accuracy: {baseline_val:.4f}")

# %% [markdown]
# Should the baseline learn from the shifted copies too? Try it: a linear model has one
# template per digit, and one template cannot match a digit *and* its four shifted copies.
# It underfits, and gets worse. Augmentation pays only when the model has the capacity to
# use it: that is the network's job.

# %%
baseline_aug = Sequential([Dense(64, 10, rng=0)])
h = train(baseline_aug, Z_aug, y_aug, CrossEntropy(), Adam(lr=0.01), epochs=200, batch_size=64,
          validation_data=(Z_val, y_val), early_stopping=15, accuracy_metric=True, seed=0, progress=False)
print(f"logistic regression on the shifted copies: training accuracy {h.train_accuracy[-1]:.4f}, "
      f"validation accuracy {metrics.accuracy(y_val, baseline_aug.predict(Z_val)):.4f}")

# %% [markdown]
# ## 6. The network, one choice at a time
#
# Each part of the network is a decision from an earlier lesson:
#
# | choice | what we use | why (lesson) |
# |---|---|---|
# | architecture | 64 → 128 → 10: one hidden layer | a hidden layer bends the decision boundaries (02); 128 units are plenty for 64 inputs |
# | output and loss | 10 logits + `CrossEntropy` | softmax cross-entropy is the loss for classes: its gradient $p - \text{onehot}(y)$ does not vanish on a confident mistake (03) |
# | activation | ReLU | no saturation for positive inputs, so gradients flow; cheap to compute (06) |
# | initialization | He: $W \sim \mathcal{N}(0,\, 2/n_\text{in})$ | keeps the signal's size from layer to layer with ReLU (07); `mlp` picks it for ReLU |
# | optimizer | Adam, $\eta = 10^{-3}$, mini-batches of 64 | per-parameter step sizes, a robust default; mini-batches are fast and a little noisy (05) |
# | regularization | L2 with $\lambda = 10^{-4}$, dropout $p = 0.2$, early stopping (patience 10) | ~10 000 weights could memorize the training digits (08) |
# | data | the augmented training set | shifted digits are still digits (section 3) |
#
# `mlp([64, 128, 10], activation="relu", dropout=0.2)` builds
# `Dense(64, 128) → ReLU → Dropout(0.2) → Dense(128, 10)` with He initialization; the last
# layer gives logits. With L2 the loss that gradient descent minimizes is
#
# $$ L_\text{total} = L + \frac{\lambda}{2} \sum_{\ell} \lVert W_\ell \rVert^2, \qquad
#    \frac{\partial L_\text{total}}{\partial W_\ell} = \frac{\partial L}{\partial W_\ell} + \lambda W_\ell ,$$
#
# and early stopping puts back the weights of the epoch with the lowest validation loss.

# %%
model = mlp([64, 128, 10], activation="relu", dropout=0.2, seed=0)
print(model)
print(f"{model.n_parameters()} parameters")

start = time.perf_counter()
history = train(model, Z_aug, y_aug, CrossEntropy(), Adam(lr=1e-3), epochs=100, batch_size=64,
                validation_data=(Z_val, y_val), l2=1e-4, early_stopping=EarlyStopping(patience=10),
                accuracy_metric=True, seed=0, progress=False)
seconds = time.perf_counter() - start

# %% tags=["nbval-ignore-output"]
print(f"training took {seconds:.1f} s")

# %%
print(f"trained {history.epochs} epochs; lowest validation loss at epoch {history.best_epoch + 1}"
      f"{', then stopped early' if history.stopped_early else ''}")
network_val = metrics.accuracy(y_val, model.predict(Z_val))
print(f"network validation accuracy: {network_val:.4f}   (baseline {baseline_val:.4f})")

# %% [markdown]
# ## 7. Learning curves
#
# Loss and accuracy per epoch, on the training data (solid) and the validation data
# (dashed). What to read in them (lesson 08):
#
# * the baseline's training loss keeps falling after its validation loss has levelled off:
#   the gap is overfitting, and early stopping ended it;
# * the network's curves fall together and stay close: dropout, L2 and the shifted copies
#   keep the gap small. Its training loss is measured with dropout on and on the harder,
#   shifted images, which is why it lies *above* the validation loss for most of the run.

# %%
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9.6, 3.8))
plots.plot_loss_curves({"network": history, "baseline": baseline_history}, ax=ax_loss, log=True,
                       title="cross-entropy loss")
for i, (name, h) in enumerate((("network", history), ("baseline", baseline_history))):
    epochs = np.arange(1, h.epochs + 1)
    ax_acc.plot(epochs, h.train_accuracy, color=plots.CLASS_COLORS[i], label=f"{name} train")
    ax_acc.plot(epochs, h.val_accuracy, "--", color=plots.CLASS_COLORS[i], label=f"{name} validation")
ax_acc.set_ylim(0.85, 1.0)
ax_acc.set_xlabel("epoch")
ax_acc.set_ylabel("accuracy")
ax_acc.set_title("accuracy")
ax_acc.legend(fontsize=8)
fig.tight_layout()
plots.show("Left: the training (solid) and validation (dashed) cross-entropy loss (log scale) "
           "against the epoch for the network and the baseline. Right: their accuracy, likewise.")

# %% [markdown]
# ## 8. The test set, once
#
# All choices are made. Now, and only now, the test set. **Accuracy** is the share of
# digits read correctly, the predicted digit being the one with the largest logit:
#
# $$ \text{accuracy} = \frac{1}{N} \sum_{n=1}^{N} \big[\hat{y}_n = y_n\big], \qquad
#    \hat{y}_n = \arg\max_k z_{nk} .$$

# %%
test_pred = model.predict_classes(Z_test)
baseline_pred = baseline.predict_classes(Z_test)
test_accuracy = metrics.accuracy(y_test, test_pred)
baseline_test_accuracy = metrics.accuracy(y_test, baseline_pred)

print(f"{'model':<22}{'parameters':>11}{'validation':>12}{'test':>9}")
print(f"{'logistic regression':<22}{baseline.n_parameters():>11d}{baseline_val:>12.4f}"
      f"{baseline_test_accuracy:>9.4f}")
print(f"{'network 64-128-10':<22}{model.n_parameters():>11d}{network_val:>12.4f}{test_accuracy:>9.4f}")
print()
print(f"test accuracy of the network: {test_accuracy:.4f} "
      f"({int((test_pred == y_test).sum())} of {len(y_test)} digits)")
print(f"test errors: {int((test_pred != y_test).sum())} (network) vs "
      f"{int((baseline_pred != y_test).sum())} (logistic regression)")
assert test_accuracy >= 0.97

# %% [markdown]
# ## 9. Where does it go wrong? The confusion matrix
#
# One number hides *which* digits are confused with which. The **confusion matrix** $C$
# counts, for every true digit $i$ and predicted digit $j$,
#
# $$ C_{ij} = \#\{\, n : y_n = i \text{ and } \hat{y}_n = j \,\}. $$
#
# Rows are the truth, columns the prediction. A perfect classifier has numbers on the
# diagonal only, and $\operatorname{trace}(C) / \sum_{ij} C_{ij}$ is the accuracy.
# `metrics.confusion_matrix` computes it; the colour shows each cell's share of its row.

# %% tags=["readme-picture"]
cm_network = metrics.confusion_matrix(y_test, test_pred, n_classes=10)
cm_baseline = metrics.confusion_matrix(y_test, baseline_pred, n_classes=10)
print(f"network: trace / total = {np.trace(cm_network)} / {cm_network.sum()} = "
      f"{np.trace(cm_network) / cm_network.sum():.4f}")

fig, axes = plt.subplots(1, 2, figsize=(10.5, 4.6))
plots.plot_confusion_matrix(cm_baseline, ax=axes[0], title="logistic regression (test set)")
plots.plot_confusion_matrix(cm_network, ax=axes[1], title="network 64-128-10 (test set)")
fig.tight_layout()
plots.show("Two confusion matrices on the test set, true digit against predicted digit: "
           "logistic regression (left) and the 64-128-10 network (right); the diagonal counts "
           "the digits each got right.")

# %%
off_diagonal = cm_network - np.diag(np.diag(cm_network))
pairs = sorted(zip(*np.nonzero(off_diagonal)), key=lambda ij: (-off_diagonal[ij], ij))
print("the network's mistakes, most frequent first (true -> predicted: count)")
for i, j in pairs:
    print(f"  {i} -> {j}: {off_diagonal[i, j]}")
recall = metrics.per_class_accuracy(cm_network)
print("share of each digit read correctly:", "  ".join(f"{k}: {r:.2f}" for k, r in enumerate(recall)))

# %% [markdown]
# ### The misclassified digits
#
# Numbers are one thing; look at the images. Each title reads *true → predicted*. Some are
# hard for a person too at 8×8 pixels; others are mistakes a better model could avoid.

# %%
wrong = metrics.misclassified(y_test, test_pred)
plots.plot_digit_grid(X_test[wrong], labels=y_test[wrong], predictions=test_pred[wrong],
                      n_cols=min(max(len(wrong), 2), 10), size=1.1,
                      title="test digits the network got wrong (true \u2192 predicted)")
plots.show(f"The {len(wrong)} test digits the network got wrong, each titled with its true "
           "and predicted digit.")

# %% [markdown]
# ## 10. Inside the network
#
# **What the first layer looks for.** Hidden unit $j$ computes
# $z_j = \sum_{i=1}^{64} x_i W_{ij} + b_j$: its 64 weights $W_{:, j}$ sit on the same 8×8 grid
# as the pixels, so we can draw them as an image. Red pixels push $z_j$ up where the
# (standardized) image has more ink than usual, blue pixels push it down. Here are the first
# 32 of the 128 units:

# %%
from course_lib.widgets import digits

digits.plot_first_layer_weights(model, n_units=32, title="first-layer weights of hidden units 0-31")
plots.show("The incoming weights of hidden units 0 to 31, each shown as an 8 by 8 image like "
           "a digit.")

# %% [markdown]
# A few units show a stroke (a bar, a curve), but most look speckled: no single unit is a
# "4 detector". Each digit is read from the pattern of all 128 units together, by the
# output layer.
#
# **How robust is the network?** The test set has done its one job (section 8), and nothing
# is chosen from here on: we only look. We shift every test digit by one or two pixels, or
# add noise, and measure the accuracy again:

# %%
rng = np.random.default_rng(0)
changes = {"as written": X_test,
           "shifted 1 pixel right": datasets.shift_images(X_test, 0, 1),
           "shifted 2 pixels right": datasets.shift_images(X_test, 0, 2),
           "shifted 2 pixels down": datasets.shift_images(X_test, 2, 0),
           "noise 0.1": np.clip(X_test + 0.1 * rng.standard_normal(X_test.shape), 0, 1),
           "noise 0.3": np.clip(X_test + 0.3 * rng.standard_normal(X_test.shape), 0, 1)}
for name, images in changes.items():
    accuracy = metrics.accuracy(y_test, model.predict_classes(standardize(images)))
    print(f"{name:<24} test accuracy {accuracy:.2f}")

# %% [markdown]
# One-pixel shifts were in the training data (section 3), and the network shrugs them off;
# two pixels were not, and it reads half of the digits or more wrong. Augmentation teaches
# exactly the variations it shows, no more. Noise it never saw hurts too, more the stronger it is. Try it yourself: pick a test digit, shift it or add
# noise, or draw on the pad with the mouse ("clear" empties it: draw your own digit), and watch the
# ten probabilities.

# %% tags=["nbval-ignore-output"]
digits.digit_widget(model, X_test, y_test, standardize)

# %% [markdown]
# ## 11. Summary
#
# * **Three sets, three jobs.** Train on the training set, choose on the validation set,
#   report the test set once. Standardize with statistics of the training data only.
# * **Start with a baseline.** Logistic regression, one `Dense` layer with softmax
#   cross-entropy, already reads most digits: it is the number to beat.
# * **Every choice has a reason.** ReLU with He initialization so gradients flow (06, 07),
#   Adam on mini-batches (05), softmax cross-entropy for classes (03), L2, dropout and early
#   stopping against overfitting (08), and data augmentation, the cheapest regularizer when
#   you know what should not matter (here, a one-pixel shift). It hurts the linear model,
#   which lacks the capacity to use it; whether it helps the network is one of the
#   experiments below (train it without the shifted copies and compare validation
#   accuracies).
# * **Read the learning curves** to see whether a model still learns, has stopped, or
#   overfits.
# * **Look behind the accuracy.** The confusion matrix says which digits are confused; the
#   misclassified images say why.
#
# **Exercises.** Practise in
# [`exercises/10_capstone_digits_exercises.ipynb`](../exercises/10_capstone_digits_exercises.ipynb):
# you write pieces of this pipeline yourself and check each one instantly, then design and
# train your own network, which must reach 97% on digits it has never seen.
#
# **Going further.** Try `activation="tanh"` (which gets Xavier initialization), a second
# hidden layer, no augmentation, or diagonal shifts too. Change one thing at a time and
# compare *validation* accuracies, never test accuracies.
#
# **Next:** lesson 11 ([`notebooks/11_autograd.ipynb`](11_autograd.ipynb)) builds a graph that
# computes its own gradients, the idea behind PyTorch, and translates this course into PyTorch.
#
# ## Further reading
#
# Where to go after this course, each free online:
#
# * Michael Nielsen, *Neural Networks and Deep Learning*, a book that derives backpropagation
#   and trains a digit reader step by step: http://neuralnetworksanddeeplearning.com
# * Stanford's CS231n, *Convolutional Neural Networks for Visual Recognition*, course notes
#   on optimization, initialization, regularization and networks for images:
#   https://cs231n.github.io
# * Aston Zhang, Zachary C. Lipton, Mu Li and Alexander J. Smola, *Dive into Deep
#   Learning*, a book with runnable code for every chapter: https://d2l.ai
# * Andrej Karpathy, *Neural Networks: Zero to Hero*, videos that build an autograd engine
#   and then language models from scratch: https://karpathy.ai/zero-to-hero.html
# * The PyTorch tutorials, for the same ideas in a full framework:
#   https://pytorch.org/tutorials/
