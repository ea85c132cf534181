"""Build notebooks/00_welcome.ipynb, notebooks/10_capstone_digits.ipynb and
solutions/10_capstone_digits.ipynb (without outputs).

    .venv/bin/python tools/build_welcome_capstone.py            # writes all three
    .venv/bin/python tools/build_welcome_capstone.py 10          # only the capstone lesson
    .venv/bin/python tools/build_welcome_capstone.py solutions   # only the solution notebook
    .venv/bin/python -m course_lib.make_exercises                # then regenerate exercises/
    .venv/bin/jupyter nbconvert --to notebook --execute --inplace notebooks/00_welcome.ipynb

The notebooks are the product; this script only keeps their source in one readable place.
Cells tagged ``nbval-ignore-output`` are those whose output is variable by nature (a
widget, a wall-clock timing).
"""
import sys

import nbformat
from nbbuild import ROOT, code, md, notebook


NOTEBOOKS = {}

# =======================================================================================
# 00 welcome
# =======================================================================================
NOTEBOOKS["00_welcome"] = [
    md(r'''
# Welcome — How Neural Networks Learn

This course teaches, from scratch, **how a neural network learns**: what one neuron
computes, how neurons are stacked into a network, how a loss measures its mistakes, how the
chain rule turns those mistakes into gradients, and how gradient descent uses the gradients
to improve the network, step by step. Everything runs on `course_lib`, a small NumPy
library written for this course, which you can read line by line: no black boxes.

**In this notebook you**

1. see what the course teaches and in what order;
2. learn how to use the lesson notebooks, their live widgets and the exercises with their instant checks;
3. check that your computer is ready: the library imports, its version matches these notebooks, and widgets render.

You need a little algebra and the ability to read short Python code. No previous
knowledge of neural networks, calculus beyond "the slope of a curve", or NumPy tricks.
'''),
    md(r'''
## 1. The course map

Work through the lessons in order: each one uses what the previous ones built.

| # | notebook | what it teaches | what you can drag |
|---|---|---|---|
| 00 | `00_welcome` | this page: how the course works, and a check of your setup | a test slider |
| 01 | `01_neuron` | one neuron: weighted sum + activation; a neuron is a line that splits the plane; AND and OR yes, XOR no | the weights and bias move the neuron's line |
| 02 | `02_network` | layers and the matrix form of the forward pass; shapes; a hidden layer solves XOR | the number of hidden units reshapes the decision regions |
| 03 | `03_loss` | how wrong is the network? MSE, cross-entropy and softmax; why cross-entropy for classification | a prediction slider shows the loss and its gradient |
| 04 | `04_chain_rule` | derivatives, computational graphs, backpropagation by hand and vectorized; gradient checking | — |
| 05 | `05_gradient_descent` | batch, stochastic and mini-batch gradient descent; the learning rate; momentum, RMSProp, Adam | learning rate and optimizer retrain live |
| 06 | `06_activations` | sigmoid, tanh, ReLU, leaky ReLU, ELU, softmax: shapes, derivatives, saturation, dying ReLU | activation and learning rate retrain live |
| 07 | `07_vanishing_gradients` | why deep sigmoid networks stop learning; initialization (Xavier, He) | depth, activation and initialization redraw the gradient sizes |
| 08 | `08_regularization` | overfitting; train vs validation curves; L2, L1, dropout, early stopping | regularization strength redraws the boundary and the curves |
| 09 | `09_playground` | everything at once: a playground in the spirit of the TensorFlow Playground | data, layers, activation, learning rate, regularization |
| 10 | `10_capstone_digits` | a real task: recognise handwritten digits with a network you design, beating a simple baseline | — |

The lessons are in the folder `notebooks/`; the exercises for lessons 01–08 and 10 are in
`exercises/`.
'''),
    md(r'''
## 2. How to use the notebooks

* **Run the cells in order**, from the top: click a cell and press **Shift+Enter**. Later
  cells use what earlier cells defined. *Run > Run All Cells* runs a whole lesson.
* The notebooks are stored **with their outputs**, so you can read a lesson before you run
  it. Running it again gives the same numbers and pictures: every random choice is seeded.
* If something behaves strangely, restart with a clean slate: *Kernel > Restart Kernel and
  Run All Cells*.
* Change things! Every code cell is yours to edit. To get the original back, take the file
  again from the course folder (`git checkout notebooks/01_neuron.ipynb`).
* The code you see is short because the reusable parts live in the library `course_lib`
  (folder `course_lib/`). Each lesson tells you which file to read; a layer's
  `forward` and `backward` sit side by side, with the maths in the docstring.

### The widgets

Most lessons have a **live widget**: sliders, drop-down menus and buttons that change a
network and redraw its pictures at once. Widgets need a running kernel: in a stored,
not-yet-run notebook they show nothing (or a note that the kernel is missing). Run the
cell, then drag. If you see text such as `IntSlider(value=3, ...)` instead of a slider,
the widget extension is missing: section 4 below tells you how to fix that.

### The exercises and their checks

Each lesson from 01 to 08, and this course's capstone (10), has an exercise notebook
`exercises/NN_<name>.ipynb` (for example `exercises/01_neuron.ipynb`). In it you write
small functions yourself: the cell tells you what to compute, and you replace the
placeholder (`raise NotImplementedError`) with your code. Under each exercise is a
**check cell**: run it and you get instant feedback, either that all tests passed, or which
input gave which wrong answer, what was expected, and a hint about the usual mistake. Run
your cell again after a change, then the check.

**For instructors.** Hand out the folder `exercises/`, collect the learners' copies, and
grade them all at once:

```bash
python -m course_lib.grade PATH... --csv gradebook.csv
```

`PATH` is one or more notebooks or folders of notebooks. The grader runs each notebook in a
fresh kernel, scores every exercise with the same checks the learners see, never changes the
submitted files, survives notebooks that crash or loop, and writes one row per notebook into
`gradebook.csv`.
'''),
    md(r'''
## 3. A first look at where the course goes

Before the details, the destination. The cell below builds a small network with
`course_lib`, trains it for a second on two interleaving half-moons, and draws the regions
where it answers "red" and "blue". A single neuron could only draw a straight line (lesson
01); a network bends the boundary around the data (lessons 02–09). You will understand
every line of this cell by lesson 05.
'''),
    code(r'''
import matplotlib.pyplot as plt

from course_lib import Adam, CrossEntropy, datasets, mlp, plots, train

X, y = datasets.moons(n_samples=200, noise=0.15, seed=0)
model = mlp([2, 16, 16, 2], activation="tanh", seed=0)      # 2 inputs -> 16 -> 16 -> 2 classes
history = train(model, X, y, CrossEntropy(), Adam(lr=0.01), epochs=300, progress=False)
accuracy = (model.predict_classes(X) == y).mean()
print(f"training accuracy after {history.epochs} epochs: {accuracy:.4f}")

fig, ax = plt.subplots(figsize=(5.5, 4))
plots.plot_decision_boundary(model, X, y, ax=ax, title="a 2-16-16-2 network on the moons")
plt.show()
'''),
    md(r'''
## 4. Is your computer ready?

The next cell checks, in plain words, each thing the course needs, and prints the fix
for anything that is wrong:

* **Python** 3.10 or newer runs this notebook's kernel;
* **`course_lib` imports** in this kernel's Python (tried in a fresh process, the way a restarted kernel would);
* **its version** is the one these notebooks were written for (stated in the cell below);
* **NumPy, Matplotlib and ipywidgets** are new enough;
* the **JupyterLab widget extension** is installed, and not disabled, where the JupyterLab
  server that runs this page looks for extensions.

The checks live in `course_lib/envcheck.py`. You can also run them from a terminal:
`python -m course_lib.envcheck` (add `--verbose` to see the paths and versions found).
'''),
    code(r'''
EXPECTED_VERSION = "0.1.0"   # the course_lib version these notebooks were written for

try:
    import course_lib
    from course_lib import envcheck
except ImportError as err:
    print(f"course_lib does not import: {err}")
    print("Fix: start JupyterLab with `make lab` from the course folder, or choose the course's "
          "kernel (Kernel > Change Kernel), or run `python -m pip install -e .` in the course "
          "folder in this kernel's environment; then restart the kernel.")
    raise

results = envcheck.report(expected_version=EXPECTED_VERSION)
'''),
    md(r'''
### Do widgets render here?

The check above looks at files on disk. The real test is your eyes: run the next cell.
You should see a **slider** and a line of text under it. Drag the slider: the text must
follow (the square of the slider's value).

* You see a slider and the text follows: widgets work. You are ready.
* You see text such as `VBox(children=(IntSlider(value=3, ...` instead: the front end
  lacks the widget extension. Apply the fix printed for "widget extension" above, restart
  JupyterLab and reload the page.
* You see a slider but the text does not change: the kernel is not running or is busy.
  *Kernel > Restart Kernel*, then run the cells again.
'''),
    code(r'''
envcheck.widget_test()
''', ignore_output=True),
    md(r'''
## 5. Summary

* The course goes from **one neuron** (01) to **a network you design for real handwritten
  digits** (10): neuron, network, loss, chain rule, gradient descent, activations,
  vanishing gradients, regularization, a playground, and the capstone.
* Run cells in order with Shift+Enter; every notebook is seeded, so you see what the stored
  outputs show.
* Most lessons have live widgets to drag; lessons 01–08 and 10 have exercises in
  `exercises/` with check cells that give instant feedback. Instructors grade with
  `python -m course_lib.grade PATH... --csv gradebook.csv`.
* If a check above printed a problem, apply its fix, restart the kernel and run this
  notebook again. More help: `docs/troubleshooting.md`.

**Next:** open `notebooks/01_neuron.ipynb`.
'''),
]

# =======================================================================================
# 10 capstone: handwritten digits
# =======================================================================================
NOTEBOOKS["10_capstone_digits"] = [
    md(r'''
# Lesson 10 — Capstone: reading handwritten digits

Until now the data sets were small pictures in the plane, made up so that one idea shows
clearly. Now everything comes together on **real data**: 1797 handwritten digits, each a
tiny 8×8 grey image. You will build a network that reads them, decide each part of it with
a reason from an earlier lesson, and measure honestly how well it does.

**Learning objectives.** After this lesson you can

1. split data into **training, validation and test** sets, stratified and seeded, and say what each set is for;
2. enlarge a training set by **data augmentation** and **standardize** inputs with statistics of the training data only;
3. train a **baseline** (logistic regression: one `Dense` layer with softmax cross-entropy) and a **network**, choosing activation, initialization, optimizer and regularization with reasons;
4. read **learning curves**, and report an honest **test accuracy** (at least 97% here);
5. compute and read a **confusion matrix**, and look at the digits the network gets wrong.
'''),
    code(r'''
import time

import numpy as np
import matplotlib.pyplot as plt

from course_lib import Adam, CrossEntropy, Dense, EarlyStopping, Sequential, datasets, mlp, train
from course_lib import metrics, plots, threads

_ = threads.limit_blas_threads(1)  # tiny matrices: one BLAS thread is faster than several
'''),
    md(r'''
## 1. The data

`datasets.load_digits()` reads the digits shipped inside `course_lib` (the UCI
"Optical Recognition of Handwritten Digits" data, licence CC BY 4.0; see
`course_lib/data/DIGITS_SOURCE.md`): nothing is downloaded. Each row of `X` is one image,
its 64 pixels read row by row and scaled from 0..16 to 0..1; `y` holds the digit, 0 to 9.
'''),
    code(r'''
X, y = datasets.load_digits()
print(f"X: {X.shape}, pixel values from {X.min():.1f} to {X.max():.1f}")
print(f"y: {y.shape}, digits {y.min()} to {y.max()}")
print("images per digit:", np.bincount(y).tolist())

plots.plot_digit_grid(X[:30], labels=y[:30], n_cols=15, title="the first 30 digits and their labels")
plt.show()
'''),
    md(r'''
## 2. Training, validation and test sets

A model must be judged on digits it has never seen. We split the data three ways:

* the **training set** (64%): the network learns its weights from it;
* the **validation set** (16%): we use it to make choices (when to stop, which model to
  keep), so it also shapes the model, a little;
* the **test set** (20%): locked away until the very end and used **once**, for the one
  number we report. Had we tuned anything on it, its accuracy would flatter us.

The split is **stratified** (each digit keeps its share in every part) and **seeded** (the
same split on every run). `train_val_split` makes one cut; two cuts make three sets.
'''),
    code(r'''
X_rest, X_test, y_rest, y_test = datasets.train_val_split(X, y, val_fraction=0.2, seed=0, stratify=True)
X_train, X_val, y_train, y_val = datasets.train_val_split(X_rest, y_rest, val_fraction=0.2, seed=1,
                                                          stratify=True)
for name, labels in (("train", y_train), ("validation", y_val), ("test", y_test)):
    print(f"{name:>10}: {len(labels):4d} digits, per class {np.bincount(labels).tolist()}")
'''),
    md(r'''
## 3. More training data for free: shifted copies

1151 training images are few. But we know something about digits that the numbers do not
say: a 3 moved one pixel to the left is still a 3. Moving an image changes most of its 64
pixel values, not its label. So we add, for every training image, four copies shifted by
one pixel (down, up, right, left), filling the new border with white (0):

$$ x^{\text{shifted}}_{r, c} = x_{r - \Delta r,\; c - \Delta c} \quad (0 \text{ outside the image}),
   \qquad (\Delta r, \Delta c) \in \{(1,0), (-1,0), (0,1), (0,-1)\}. $$

This is **data augmentation**. Like the regularizers of lesson 08 it fights overfitting,
here by showing the model more of the variation it will meet. Only the training set is
augmented: validation and test digits stay as they were written.
`datasets.shift_images(X, dr, dc)` computes exactly the formula above.
'''),
    code(r'''
moves = [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)]       # the original and four shifts
X_aug = np.vstack([datasets.shift_images(X_train, dr, dc) for dr, dc in moves])
y_aug = np.tile(y_train, len(moves))
print(f"augmented training set: {X_aug.shape[0]} images ({len(moves)} x {X_train.shape[0]})")

copies = [k * len(y_train) for k in range(len(moves))]   # the first training digit, 5 times
plots.plot_digit_grid(X_aug[copies], labels=y_aug[copies], n_cols=5, size=1.2,
                      title="one training digit: original, down, up, right, left")
plt.show()
'''),
    md(r'''
## 4. Standardizing the inputs

Gradient descent works best when every input has a similar scale (lesson 05: a long, thin
valley in the loss makes it zig-zag). We **standardize** each pixel $j$ with the mean
$\mu_j$ and standard deviation $\sigma_j$ over the $N$ images of the (augmented)
**training** set:

$$ x'_{nj} = \frac{x_{nj} - \mu_j}{\sigma_j}, \qquad
   \mu_j = \frac{1}{N}\sum_{n} x_{nj}, \qquad
   \sigma_j = \sqrt{\frac{1}{N}\sum_n (x_{nj} - \mu_j)^2}. $$

Validation and test images are transformed with the *same* $\mu$ and $\sigma$: computing
them on the test set would let the test data leak into the model. A pixel that is 0 in
every training image would have $\sigma_j = 0$; we would divide it by 1 instead. (In the
original training set three border pixels are always 0; the shifted copies light them up.)
'''),
    code(r'''
mu = X_aug.mean(axis=0)
sigma = X_aug.std(axis=0)
sigma[sigma == 0] = 1.0                               # a constant pixel: leave it at 0


def standardize(A):
    return (A - mu) / sigma


Z_train, Z_aug, Z_val, Z_test = (standardize(A) for A in (X_train, X_aug, X_val, X_test))
print(f"augmented training set after standardizing: mean {abs(Z_aug.mean()):.4f}, std {Z_aug.std():.4f}")
print(f"pixel 0 (top left corner): mu = {mu[0]:.4f}, sigma = {sigma[0]:.4f}")
print(f"pixel 27 (centre):         mu = {mu[27]:.4f}, sigma = {sigma[27]:.4f}")
'''),
    md(r'''
## 5. A baseline: logistic regression

Before a network, the simplest model that could work, so that we know what the network
must beat. **Multinomial logistic regression** is a network without a hidden layer: one
`Dense(64, 10)` layer gives one score (logit) per digit, and softmax turns the scores into
probabilities (lesson 03):

$$ \mathbf{z} = \mathbf{x} W + \mathbf{b}, \qquad
   p_k = \frac{e^{z_k}}{\sum_{j=0}^{9} e^{z_j}}, \qquad
   L = -\frac{1}{N} \sum_{n=1}^{N} \log p_{n, y_n} .$$

`CrossEntropy` fuses softmax and the loss, so it takes the logits directly. Each digit
gets one linear score, so the boundaries between digits are flat (hyperplanes in the
64-dimensional pixel space), like the single neuron's line in lesson 01. We train it with
Adam and stop when the validation loss has not improved for 15 epochs (lesson 08).
'''),
    code(r'''
baseline = Sequential([Dense(64, 10, rng=0)])
baseline_history = train(baseline, Z_train, y_train, CrossEntropy(), Adam(lr=0.01), epochs=200,
                         batch_size=64, validation_data=(Z_val, y_val), early_stopping=15,
                         accuracy_metric=True, seed=0, progress=False)
baseline_val = metrics.accuracy(y_val, baseline.predict(Z_val))
print(f"baseline: {baseline.n_parameters()} parameters, {baseline_history.epochs} epochs "
      f"(best {baseline_history.best_epoch + 1})")
print(f"baseline validation accuracy: {baseline_val:.4f}")
'''),
    md(r'''
Should the baseline learn from the shifted copies too? Try it: a linear model has one
template per digit, and one template cannot match a digit *and* its four shifted copies.
It underfits, and gets worse. Augmentation pays only when the model has the capacity to
use it: that is the network's job.
'''),
    code(r'''
baseline_aug = Sequential([Dense(64, 10, rng=0)])
h = train(baseline_aug, Z_aug, y_aug, CrossEntropy(), Adam(lr=0.01), epochs=200, batch_size=64,
          validation_data=(Z_val, y_val), early_stopping=15, accuracy_metric=True, seed=0, progress=False)
print(f"logistic regression on the shifted copies: training accuracy {h.train_accuracy[-1]:.4f}, "
      f"validation accuracy {metrics.accuracy(y_val, baseline_aug.predict(Z_val)):.4f}")
'''),
    md(r'''
## 6. The network, one choice at a time

Each part of the network is a decision from an earlier lesson:

| choice | what we use | why (lesson) |
|---|---|---|
| architecture | 64 → 128 → 10: one hidden layer | a hidden layer bends the decision boundaries (02); 128 units are plenty for 64 inputs |
| output and loss | 10 logits + `CrossEntropy` | softmax cross-entropy is the loss for classes: its gradient $p - \text{onehot}(y)$ does not vanish on a confident mistake (03) |
| activation | ReLU | no saturation for positive inputs, so gradients flow; cheap to compute (06) |
| initialization | He: $W \sim \mathcal{N}(0,\, 2/n_\text{in})$ | keeps the signal's size from layer to layer with ReLU (07); `mlp` picks it for ReLU |
| optimizer | Adam, $\eta = 10^{-3}$, mini-batches of 64 | per-parameter step sizes, a robust default; mini-batches are fast and a little noisy (05) |
| regularization | L2 with $\lambda = 10^{-4}$, dropout $p = 0.2$, early stopping (patience 10) | ~10 000 weights could memorize the training digits (08) |
| data | the augmented training set | shifted digits are still digits (section 3) |

`mlp([64, 128, 10], activation="relu", dropout=0.2)` builds
`Dense(64, 128) → ReLU → Dropout(0.2) → Dense(128, 10)` with He initialization; the last
layer gives logits. With L2 the loss that gradient descent minimizes is

$$ L_\text{total} = L + \frac{\lambda}{2} \sum_{\ell} \lVert W_\ell \rVert^2, \qquad
   \frac{\partial L_\text{total}}{\partial W_\ell} = \frac{\partial L}{\partial W_\ell} + \lambda W_\ell ,$$

and early stopping puts back the weights of the epoch with the lowest validation loss.
'''),
    code(r'''
model = mlp([64, 128, 10], activation="relu", dropout=0.2, seed=0)
print(model)
print(f"{model.n_parameters()} parameters")

start = time.perf_counter()
history = train(model, Z_aug, y_aug, CrossEntropy(), Adam(lr=1e-3), epochs=100, batch_size=64,
                validation_data=(Z_val, y_val), l2=1e-4, early_stopping=EarlyStopping(patience=10),
                accuracy_metric=True, seed=0, progress=False)
seconds = time.perf_counter() - start
'''),
    code(r'''
print(f"training took {seconds:.1f} s")
''', ignore_output=True),
    code(r'''
print(f"trained {history.epochs} epochs; lowest validation loss at epoch {history.best_epoch + 1}"
      f"{', then stopped early' if history.stopped_early else ''}")
network_val = metrics.accuracy(y_val, model.predict(Z_val))
print(f"network validation accuracy: {network_val:.4f}   (baseline {baseline_val:.4f})")
'''),
    md(r'''
## 7. Learning curves

Loss and accuracy per epoch, on the training data (solid) and the validation data
(dashed). What to read in them (lesson 08):

* the baseline's training loss keeps falling after its validation loss has levelled off:
  the gap is overfitting, and early stopping ended it;
* the network's curves fall together and stay close: dropout, L2 and the shifted copies
  keep the gap small. Its training loss is measured with dropout on and on the harder,
  shifted images, which is why it lies *above* the validation loss.
'''),
    code(r'''
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 3.8))
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
plt.show()
'''),
    md(r'''
## 8. The test set, once

All choices are made. Now, and only now, the test set. **Accuracy** is the share of
digits read correctly, the predicted digit being the one with the largest logit:

$$ \text{accuracy} = \frac{1}{N} \sum_{n=1}^{N} \big[\hat{y}_n = y_n\big], \qquad
   \hat{y}_n = \arg\max_k z_{nk} .$$
'''),
    code(r'''
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
'''),
    md(r'''
## 9. Where does it go wrong? The confusion matrix

One number hides *which* digits are confused with which. The **confusion matrix** $C$
counts, for every true digit $i$ and predicted digit $j$,

$$ C_{ij} = \#\{\, n : y_n = i \text{ and } \hat{y}_n = j \,\}. $$

Rows are the truth, columns the prediction. A perfect classifier has numbers on the
diagonal only, and $\operatorname{trace}(C) / \sum_{ij} C_{ij}$ is the accuracy.
`metrics.confusion_matrix` computes it; the colour shows each cell's share of its row.
'''),
    code(r'''
cm_network = metrics.confusion_matrix(y_test, test_pred, n_classes=10)
cm_baseline = metrics.confusion_matrix(y_test, baseline_pred, n_classes=10)
print(f"network: trace / total = {np.trace(cm_network)} / {cm_network.sum()} = "
      f"{np.trace(cm_network) / cm_network.sum():.4f}")

fig, axes = plt.subplots(1, 2, figsize=(10.5, 4.6))
plots.plot_confusion_matrix(cm_baseline, ax=axes[0], title="logistic regression (test set)")
plots.plot_confusion_matrix(cm_network, ax=axes[1], title="network 64-128-10 (test set)")
fig.tight_layout()
plt.show()
''', tags=["readme-picture"]),
    code(r'''
off_diagonal = cm_network - np.diag(np.diag(cm_network))
pairs = sorted(zip(*np.nonzero(off_diagonal)), key=lambda ij: (-off_diagonal[ij], ij))
print("the network's mistakes, most frequent first (true -> predicted: count)")
for i, j in pairs:
    print(f"  {i} -> {j}: {off_diagonal[i, j]}")
recall = metrics.per_class_accuracy(cm_network)
print("share of each digit read correctly:", "  ".join(f"{k}: {r:.2f}" for k, r in enumerate(recall)))
'''),
    md(r'''
### The misclassified digits

Numbers are one thing; look at the images. Each title reads *true → predicted*. Some are
hard for a person too at 8×8 pixels; others are mistakes a better model could avoid.
'''),
    code(r'''
wrong = metrics.misclassified(y_test, test_pred)
plots.plot_digit_grid(X_test[wrong], labels=y_test[wrong], predictions=test_pred[wrong],
                      n_cols=min(max(len(wrong), 2), 10), size=1.1,
                      title="test digits the network got wrong (true \u2192 predicted)")
plt.show()
'''),
    md(r'''
## 10. Summary

* **Three sets, three jobs.** Train on the training set, choose on the validation set,
  report the test set once. Standardize with statistics of the training data only.
* **Start with a baseline.** Logistic regression, one `Dense` layer with softmax
  cross-entropy, already reads most digits: it is the number to beat.
* **Every choice has a reason.** ReLU with He initialization so gradients flow (06, 07),
  Adam on mini-batches (05), softmax cross-entropy for classes (03), L2, dropout and early
  stopping against overfitting (08), and data augmentation, the cheapest regularizer when
  you know what should not matter (here, a one-pixel shift). It helps the network and
  hurts the linear model, which lacks the capacity to use it.
* **Read the learning curves** to see whether a model still learns, has stopped, or
  overfits.
* **Look behind the accuracy.** The confusion matrix says which digits are confused; the
  misclassified images say why.

**Exercises.** Open `exercises/10_capstone_digits.ipynb`: you write pieces of this pipeline
yourself and check each one instantly.

**Going further.** Try `activation="tanh"` (which gets Xavier initialization), a second
hidden layer, no augmentation, or diagonal shifts too. Change one thing at a time and
compare *validation* accuracies, never test accuracies.
'''),
]


# =======================================================================================
# solutions/10: the capstone's exercises (exercises/10 is generated from it by
# `python -m course_lib.make_exercises`)
# =======================================================================================
SOLUTIONS = {}
SOLUTIONS["10_capstone_digits"] = [
    md(r'''
# Exercises 10 — Capstone: handwritten digits

Companion to the lesson [`notebooks/10_capstone_digits.ipynb`](../notebooks/10_capstone_digits.ipynb).

Each exercise below gives a formula and asks you to complete one function. Replace
`# YOUR CODE HERE` and `raise NotImplementedError()` with your code, run the cell, try the
function in the next cell, then run the **check** cell: it prints ✔ when your function is
right, or the input that failed, what was expected, what you returned, and a hint.

The last cells put your four functions together on the real digits, and check everything at
once with your score. Your instructor grades the notebook with `python -m course_lib.grade`,
which runs the same checks on fresh inputs: keep the function names as they are.
'''),
    code(r'''
import numpy as np
from course_lib.checks import lesson10
'''),
    md(r'''
## Exercise 1: `standardize` (2 points)

Gradient descent works best when every input feature has a similar scale. Standardize each
column $j$ of `X` with the mean and standard deviation of the **training** data:

$$ x'_{nj} = \frac{x_{nj} - \mu_j}{\sigma_j}, \qquad
   \mu_j = \frac{1}{N}\sum_{n=1}^{N} x^{\text{train}}_{nj}, \qquad
   \sigma_j = \sqrt{\frac{1}{N}\sum_{n=1}^{N} \big(x^{\text{train}}_{nj} - \mu_j\big)^2} $$

Complete `standardize(X_train, X)`: compute $\mu$ and $\sigma$ from `X_train` (shape
`(N, D)`, one sample per row), and return `X` (shape `(M, D)`) standardized with them. Never
use statistics of `X` itself: for validation and test data, that would leak them into the
model. A column that is constant in `X_train` has $\sigma_j = 0$: divide it by 1 instead.
Do not change `X_train` or `X` in place.
'''),
    code(r'''
def standardize(X_train, X):
    """(X - mu) / sigma, with mu and sigma per column of X_train (sigma = 0 -> 1)."""
    ### BEGIN SOLUTION
    mu = X_train.mean(axis=0)
    sigma = X_train.std(axis=0)
    sigma = np.where(sigma == 0, 1.0, sigma)
    return (X - mu) / sigma
    ### END SOLUTION
'''),
    code(r'''
# try it
X_train = np.array([[1.0, 2.0, 0.0], [3.0, 6.0, 0.0], [5.0, 10.0, 0.0]])
print(standardize(X_train, X_train))
print(standardize(X_train, np.array([[3.0, 2.0, 1.0]])))
'''),
    code(r'''
lesson10.check_standardize(standardize)
'''),
    md(r'''
## Exercise 2: `one_hot` (1 point)

The network's output for a sample is a vector of $C$ numbers, one per class. To compare a
label with it we write the label as a **one-hot** vector: all zeros except a 1 at the
label's position. For labels $y_1, \dots, y_N$,

$$ Y_{nk} = \begin{cases} 1 & \text{if } k = y_n \\ 0 & \text{otherwise} \end{cases}
   \qquad n = 1..N,\; k = 0..C-1 .$$

Complete `one_hot(y, n_classes)`: `y` holds `N` integer labels in `0 .. n_classes - 1`;
return a float array of shape `(N, n_classes)`. Use `n_classes` for the width, even when
a class does not occur in `y`. (`CrossEntropy` uses exactly this: its gradient is
$(p - Y)/N$.)
'''),
    code(r'''
def one_hot(y, n_classes):
    """Labels (N,) -> one-hot rows (N, n_classes), float64."""
    ### BEGIN SOLUTION
    Y = np.zeros((len(y), n_classes))
    Y[np.arange(len(y)), y] = 1.0
    return Y
    ### END SOLUTION
'''),
    code(r'''
# try it
print(one_hot(np.array([0, 2, 1, 2]), 4))
'''),
    code(r'''
lesson10.check_one_hot(one_hot)
'''),
    md(r'''
## Exercise 3: `accuracy` (1 point)

The network's last layer gives one score (logit) per class, one row per sample. Its
prediction is the class with the largest score, and the **accuracy** is the share of
predictions that equal the labels:

$$ \hat{y}_n = \arg\max_k z_{nk}, \qquad
   \text{accuracy} = \frac{1}{N} \sum_{n=1}^{N} \big[\hat{y}_n = y_n\big] .$$

Complete `accuracy(y_true, logits)`: `y_true` has shape `(N,)`, `logits` shape `(N, C)`.
Return a float between 0 and 1 (not a percentage).
'''),
    code(r'''
def accuracy(y_true, logits):
    """Share of rows whose largest logit is at the true label: a float in [0, 1]."""
    ### BEGIN SOLUTION
    predicted = np.argmax(logits, axis=1)
    return float(np.mean(predicted == y_true))
    ### END SOLUTION
'''),
    code(r'''
# try it
logits = np.array([[5.0, 1.0, 0.0], [0.0, 1.0, 3.0], [2.0, 1.0, 0.0]])
print(f"accuracy = {accuracy(np.array([0, 2, 1]), logits):.4f}")   # rows 1 and 2 right: 2/3
'''),
    code(r'''
lesson10.check_accuracy(accuracy)
'''),
    md(r'''
## Exercise 4: `confusion_matrix` (2 points)

The confusion matrix counts, for every true class $i$ and predicted class $j$, how many
samples of class $i$ were predicted as $j$:

$$ C_{ij} = \#\{\, n : y_n = i \text{ and } \hat{y}_n = j \,\}, \qquad i, j = 0..K-1 .$$

Rows are the truth, columns the prediction; the diagonal holds the correct predictions.
Complete `confusion_matrix(y_true, y_pred, n_classes)`: both label arrays have shape
`(N,)`; return an **integer** array of shape `(n_classes, n_classes)`. Careful with
`C[y_true, y_pred] += 1`: NumPy applies it once per distinct pair, so repeated pairs are
lost. A loop over the samples, or `np.add.at`, counts every sample.
'''),
    code(r'''
def confusion_matrix(y_true, y_pred, n_classes):
    """C[i, j] = number of samples of true class i predicted as class j (integers)."""
    ### BEGIN SOLUTION
    C = np.zeros((n_classes, n_classes), dtype=np.int64)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C
    ### END SOLUTION
'''),
    code(r'''
# try it
print(confusion_matrix(np.array([0, 0, 1, 1, 1, 2]), np.array([0, 1, 1, 1, 2, 2]), 3))
'''),
    code(r'''
lesson10.check_confusion_matrix(confusion_matrix)
'''),
    md(r'''
## Putting it together on the digits

Your four functions, on the real digits: standardize with the training statistics, train a
logistic regression with `course_lib`, then measure it with your `accuracy` and
`confusion_matrix`. (The `one_hot` rows are what `CrossEntropy` compares the softmax
probabilities with: the loss is $-\frac{1}{N}\sum_n \sum_k Y_{nk} \log p_{nk}$.)
'''),
    code(r'''
from course_lib import Adam, CrossEntropy, Dense, Sequential, datasets, train
from course_lib.activations import softmax

X, y = datasets.load_digits()
X_train, X_test, y_train, y_test = datasets.train_val_split(X, y, val_fraction=0.2, seed=0, stratify=True)
Z_train, Z_test = standardize(X_train, X_train), standardize(X_train, X_test)

model = Sequential([Dense(64, 10, rng=0)])
train(model, Z_train, y_train, CrossEntropy(), Adam(lr=0.01), epochs=30, batch_size=64, seed=0, progress=False)
logits = model.predict(Z_test)

p = softmax(logits, axis=1)
loss = -np.mean(np.sum(one_hot(y_test, 10) * np.log(np.clip(p, 1e-12, 1.0)), axis=1))
print(f"test cross-entropy (with one_hot): {loss:.4f}")
print(f"test accuracy: {accuracy(y_test, logits):.4f}")
print(confusion_matrix(y_test, logits.argmax(axis=1), 10))
'''),
    md(r'''
## All exercises

Run this cell to check every exercise and see your score.
'''),
    code(r'''
lesson10.check_all(globals())
'''),
]


def main(names):
    for name in names:
        if name in NOTEBOOKS:
            nb, path = notebook(NOTEBOOKS[name]), ROOT / "notebooks" / f"{name}.ipynb"
        else:
            nb, path = notebook(SOLUTIONS[name[len("solutions/"):]]), ROOT / f"{name}.ipynb"
            nb.metadata["course"] = {"lesson": int(name[len("solutions/"):][:2])}
        nbformat.write(nb, path)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    wanted = sys.argv[1:]
    every = list(NOTEBOOKS) + [f"solutions/{n}" for n in SOLUTIONS]
    names = [n for n in every if not wanted or any(n.startswith(w) for w in wanted)]
    main(names)
