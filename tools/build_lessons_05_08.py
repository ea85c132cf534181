"""Build the lesson notebooks 05-08 (without outputs) from the cell lists below.

    .venv/bin/python tools/build_lessons_05_08.py           # writes notebooks/0[5-8]_*.ipynb
    .venv/bin/jupyter nbconvert --to notebook --execute --inplace notebooks/05_gradient_descent.ipynb

The notebooks are the product; this script only keeps their source in one readable place.
Cells tagged ``nbval-ignore-output`` are those whose output lives in a widget or is a
wall-clock timing.
"""
import sys

from nbbuild import code, md, write_lessons


LESSONS = {}
# =======================================================================================
# 05 gradient descent
# =======================================================================================
LESSONS["05_gradient_descent"] = [
    md(r'''
# Lesson 05 — Gradient descent

Lesson 04 gave us every partial derivative of the loss: the **gradient**. This lesson
uses it. Gradient descent is the whole of "learning" in a neural network: look at the
slope, take a small step downhill, repeat. How large a step, how much data per step, and
what to remember from earlier steps decide whether training takes seconds, takes forever,
or blows up.

**Learning objectives.** After this lesson you can

1. write the gradient-descent update $\theta \leftarrow \theta - \eta\, \nabla L(\theta)$ and carry out one step by hand;
2. predict what a learning rate that is too small, about right, too large or far too large does, on a picture of a loss surface and on a loss curve;
3. tell batch, stochastic and mini-batch gradient descent apart, and compare them per epoch and per second;
4. explain what momentum, RMSProp and Adam add to plain gradient descent, and why they help in a long narrow valley;
5. show that the classic 2-2-1 sigmoid network **fails** to learn XOR with learning rate 0.1 in 1000 epochs, and name settings that succeed.
'''),
    code(r'''
import time

import numpy as np
import matplotlib.pyplot as plt

import course_lib as cl
from course_lib import datasets, plots, surfaces, threads
from course_lib.widgets import live

_ = threads.limit_blas_threads(1)  # tiny matrices: one BLAS thread is faster than several
'''),
    md(r'''
## 1. One step downhill

Training a network means finding parameters $\theta$ (all the weights and biases) that make
the loss $L(\theta)$ small. The gradient $\nabla L(\theta)$ points in the direction in which
$L$ grows fastest, so a small step against it lowers $L$:

$$\theta \;\leftarrow\; \theta - \eta\, \nabla L(\theta).$$

The step size $\eta$ ("eta") is the **learning rate**. A network has thousands of
parameters, far too many to draw. So we first study a loss with only two parameters, $w_1$
and $w_2$, which we can draw as a contour map. Our bowl is

$$L(w_1, w_2) = \tfrac12\left(0.1\, w_1^2 + w_2^2\right), \qquad
\nabla L = \begin{pmatrix} 0.1\, w_1 \\ w_2 \end{pmatrix}.$$

It is ten times steeper across ($w_2$) than along ($w_1$), like most real loss surfaces,
which are steep in some directions and flat in others. Let us take one step by hand from
$(w_1, w_2) = (-4.5, 2.5)$ with $\eta = 1$:
'''),
    code(r'''
bowl = live.GD_SURFACE                  # Quadratic(a=0.1, b=1.0)
w = np.array([-4.5, 2.5])
grad = bowl.grad(w)                     # (0.1 * w1, w2)
w_new = w - 1.0 * grad                  # one step with learning rate 1
print(f"gradient  = ({grad[0]:.4f}, {grad[1]:.4f})")
print(f"new point = ({w_new[0]:.4f}, {w_new[1]:.4f})")
print(f"loss: {bowl(w):.4f} -> {bowl(w_new):.4f}")
'''),
    md(r'''
The step went all the way to $w_2 = 0$ in the steep direction, but only 10% of the way in
the flat direction. That is the whole difficulty of gradient descent in a nutshell.

## 2. The learning rate: too small, right, too large, diverging

On this bowl we can work out exactly what happens. One step multiplies the distance to the
minimum in each direction by a fixed factor:

$$w_1 \leftarrow (1 - 0.1\,\eta)\, w_1, \qquad w_2 \leftarrow (1 - \eta)\, w_2 .$$

* If $|1 - \eta| < 1$ in every direction, the steps shrink and we converge.
* If $1 - \eta < 0$, the sign flips at each step: we **overshoot** and zigzag across the valley.
* If $|1 - \eta| > 1$, that is $\eta > 2$, each step lands *farther* away: we **diverge**.

In general the largest stable learning rate is $2 / \lambda_{\max}$, where
$\lambda_{\max}$ is the largest curvature of the loss; here $2/1 = 2$.
`surfaces.optimizer_path` runs a real optimizer (the same `SGD` class that trains networks)
on the bowl and records every point:
'''),
    code(r'''
rates = {"too small (0.1)": 0.1, "right (1.0)": 1.0, "too large (1.9)": 1.9, "diverging (2.1)": 2.1}
paths = {name: surfaces.optimizer_path(bowl, "sgd", live.GD_START, 40, lr=lr)
         for name, lr in rates.items()}
for name, path in paths.items():
    losses = surfaces.path_losses(bowl, path)
    print(f"{name:17s} loss after 40 steps {losses[-1]:10.4f}   (start {losses[0]:.4f})")
'''),
    code(r'''
fig, axes = plt.subplots(1, 4, figsize=(16, 3.4))
for ax, (name, path) in zip(axes, paths.items()):
    plots.plot_surface_paths(bowl, path, ax=ax, title=f"lr {name}")
fig.tight_layout()
plt.show()
'''),
    md(r'''
Read the four panels from left to right. With $\eta = 0.1$ the path creeps: after 40 steps
it has not covered half the way along the flat direction. With $\eta = 1$ it drops into the
valley at once and then walks along its floor. With $\eta = 1.9$ the factor across the
valley is $1 - 1.9 = -0.9$: it bounces from wall to wall and only slowly settles. With
$\eta = 2.1$ the factor is $-1.1$: every bounce is higher than the last, and the path
leaves the picture. The same story as loss curves (log scale):
'''),
    code(r'''
fig, ax = plt.subplots(figsize=(7, 3.6))
for name, path in paths.items():
    ax.plot(surfaces.path_losses(bowl, path), "-o", ms=3, label=name)
ax.set_yscale("log")
ax.set_xlabel("step")
ax.set_ylabel("loss (log scale)")
ax.set_title("the same four learning rates: loss against step")
ax.legend(fontsize=8)
plt.show()
'''),
    md(r'''
A useful habit follows from this picture. When a loss curve goes *up*, or wobbles
violently, first suspect a learning rate that is too large. When it creeps down in a
straight, slow line, suspect one that is too small.

## 3. Batch, stochastic and mini-batch gradient descent

For a network the loss is a **mean over the training samples**,
$L(\theta) = \frac1N \sum_{i=1}^{N} \ell_i(\theta)$, so its gradient is a mean too. We can
compute it from all samples or estimate it from a few:

| method | gradient used for one step | steps per epoch |
|---|---|---|
| batch (full batch) | $\frac1N \sum_{i=1}^{N} \nabla \ell_i$ | 1 |
| stochastic (SGD) | $\nabla \ell_i$ for one random sample $i$ | $N$ |
| mini-batch | $\frac1B \sum_{i \in \text{batch}} \nabla \ell_i$ for $B$ random samples | $\lceil N/B \rceil$ |

An **epoch** is one pass over the data. The smaller the batch, the more (noisier) steps
per epoch, but also the more Python and NumPy overhead per sample. To compare fairly we
give each method about the same **wall-clock budget**: full batch 2000 epochs, mini-batches
of 16 for 200 epochs, single samples for 20 epochs, all with $\eta = 0.1$, on the "moons"
data with a 2-16-1 network (tanh, sigmoid output, binary cross-entropy). A `callback`
records the time after every epoch.
'''),
    code(r'''
X, y = datasets.moons(200, noise=0.2, seed=0)
settings = {"batch (N=200)": (None, 2000), "mini-batch (B=16)": (16, 200), "stochastic (B=1)": (1, 20)}
runs = {}
for name, (batch_size, epochs) in settings.items():
    model = cl.mlp([2, 16, 1], activation="tanh", output="sigmoid", seed=0)
    clock = [time.perf_counter()]
    history = cl.train(model, X, y, "bce", cl.SGD(0.1), epochs, batch_size=batch_size, seed=0,
                       progress=False, callback=lambda e, h: clock.append(time.perf_counter()) and False)
    runs[name] = (history, np.array(clock[1:]) - clock[0])
    steps = epochs * -(-200 // (batch_size or 200))
    print(f"{name:18s} {epochs:5d} epochs, {steps:5d} steps, final loss {history.train_loss[-1]:.4f}")
'''),
    md(r'''
The printed losses are deterministic (every random source is seeded). The times are not:
they depend on your machine, so the next cell, which prints them, may show other numbers
on your computer.
'''),
    code(r'''
for name, (history, seconds) in runs.items():
    print(f"{name:18s} took {seconds[-1]:.2f} s, {1000 * seconds[-1] / len(seconds):.2f} ms per epoch")
''', ignore_output=True),
    code(r'''
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 3.8))
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
plt.show()
'''),
    md(r'''
Per **epoch** (left), stochastic gradient descent wins easily: it takes 200 steps per
epoch where full batch takes one. Per **second** (right) the picture changes: a step on one
sample costs almost as much Python overhead as a step on all 200, so the noisy single-sample
steps buy less progress per second. Mini-batches sit in between: enough samples per step to
use NumPy's vectorised arithmetic well, enough steps per epoch to make quick progress. This
is why practically all networks are trained with mini-batches (typically 32 to 512
samples), and why "SGD" in libraries usually means mini-batch SGD.

The noise of small batches is not only a cost. It shakes the parameters out of flat regions
and narrow minima, which often helps the trained network generalise.

## 4. Momentum, RMSProp and Adam

Plain gradient descent has one learning rate for all directions. In a long narrow valley
that is a bad compromise: the steep direction limits $\eta$ (above $2/\lambda_{\max}$ we
diverge), and with that small $\eta$ progress along the flat floor is slow. The bowl below
is 100 times steeper across than along: $L = \frac12(0.02\, w_1^2 + 2\, w_2^2)$.
Three classic fixes, with $g$ the gradient (element-wise operations, $\epsilon \approx 10^{-8}$):

| optimizer | update | idea |
|---|---|---|
| momentum | $v \leftarrow \beta v + g,\quad \theta \leftarrow \theta - \eta v$ | a heavy ball: zigzags cancel, a steady slope accumulates speed ($\beta = 0.9$) |
| RMSProp | $s \leftarrow \beta s + (1-\beta) g^2,\quad \theta \leftarrow \theta - \eta\, g / (\sqrt{s} + \epsilon)$ | divide each coordinate by its typical gradient size: steep and flat directions get similar steps |
| Adam | $m \leftarrow \beta_1 m + (1-\beta_1) g,\ v \leftarrow \beta_2 v + (1-\beta_2) g^2$,<br>$\hat m = m/(1-\beta_1^t),\ \hat v = v/(1-\beta_2^t),\ \theta \leftarrow \theta - \eta\, \hat m/(\sqrt{\hat v} + \epsilon)$ | momentum and RMSProp together, with a correction for starting $m$ and $v$ at zero |

These are exactly the update rules in `course_lib.optimizers` (the same as PyTorch's). Each
optimizer gets a learning rate that suits it: plain gradient descent the largest stable
one, $\eta = 0.9 < 2/2$.
'''),
    code(r'''
valley = surfaces.Quadratic(a=0.02, b=2.0, extent=(-5, 5, -2.5, 2.5))
print(f"condition number (steep / flat curvature): {valley.condition_number:.0f}")
choices = {"SGD, lr 0.9": cl.SGD(0.9), "momentum, lr 0.3": cl.Momentum(0.3),
           "RMSProp, lr 0.1": cl.RMSProp(0.1), "Adam, lr 0.3": cl.Adam(0.3)}
valley_paths = {name: surfaces.optimizer_path(valley, opt, (-4.5, 2.0), 60) for name, opt in choices.items()}
for name, path in valley_paths.items():
    print(f"{name:17s} after 60 steps: w = ({path[-1, 0]:7.4f}, {path[-1, 1]:7.4f}), "
          f"loss {surfaces.path_losses(valley, path)[-1]:.6f}")
'''),
    code(r'''
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(14, 4), gridspec_kw={"width_ratios": [1.6, 1]})
plots.plot_surface_paths(valley, valley_paths, ax=ax1, title="60 steps in a narrow valley")
for color, (name, path) in zip(plots.CLASS_COLORS, valley_paths.items()):
    ax2.plot(surfaces.path_losses(valley, path), color=color, label=name)
ax2.set_yscale("log")
ax2.set_xlabel("step")
ax2.set_ylabel("loss (log scale)")
ax2.legend(fontsize=8)
ax2.set_title("loss against step")
fig.tight_layout()
plt.show()
'''),
    md(r'''
Plain gradient descent zigzags across the valley and is still far from the minimum after
60 steps: its flat-direction factor is $1 - 0.9 \times 0.02 = 0.982$ per step. Momentum
accumulates speed along the floor (its effective step there grows to about
$\eta/(1-\beta) = 3$): it gets there several times faster, overshoots the minimum and swings
back, like a ball rolling in a bowl, while it also keeps swinging across the valley. RMSProp and Adam rescale each coordinate, so the
valley looks round to them and they head almost straight for the minimum. Note the caveat:
the per-coordinate rescaling helps most when the valley is aligned with the axes, as here;
for a tilted valley momentum's help is the more robust one.

## 5. The classic failure: a 2-2-1 sigmoid network on XOR

In lesson 02 we *set* the weights of a 2-2-1 network by hand to compute XOR. Can gradient
descent find such weights by itself? Take the classic textbook setting: two sigmoid hidden
units, one sigmoid output, mean squared error, plain full-batch gradient descent with
$\eta = 0.1$ for 1000 epochs. We try five different random initialisations (seeds):
'''),
    code(r'''
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
'''),
    md(r'''
Every run ends with a loss near **0.25**, and all four outputs near 0.5. That number is no
accident: a network that answers 0.5 for every input has squared error $(0.5)^2 = 0.25$
on each of the four points, whatever the target. The network has learned the *average*
answer and nothing else. Why?

* The loss surface of this tiny network has a large, almost flat plateau around "output
  0.5 everywhere". The sigmoids' derivatives (at most 0.25) and MSE's factor $2(p - y)$
  multiply to small gradients there.
* With $\eta = 0.1$, 1000 steps of such small gradients move the weights only a short
  distance: too short to leave the plateau. Nothing is wrong with the network or with the
  gradients (lesson 04 checked them); the *optimisation budget* is too small.

What does work? The same network and loss, but (a) a larger learning rate, or (b) an
optimizer that rescales small gradients, Adam:
'''),
    code(r'''
print("seed   SGD lr 0.1   SGD lr 1.0   SGD lr 5.0   Adam lr 0.1   (final MSE after 1000 epochs)")
for seed in range(5):
    row = [xor_run(seed, opt)[0] for opt in (cl.SGD(0.1), cl.SGD(1.0), cl.SGD(5.0), cl.Adam(0.1))]
    print(f"{seed:4d}   " + "   ".join(f"{v:10.4f}" for v in row))
'''),
    code(r'''
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
plt.show()
'''),
    md(r'''
With $\eta = 5$ plain gradient descent solves XOR for all five seeds; $\eta = 1$ solves it
for most seeds but not seed 0, which is still on the plateau after 1000 epochs (it would
get off it later); Adam with $\eta = 0.1$ solves it every time, because dividing by
$\sqrt{\hat v}$ turns even tiny gradients into steps of about size $\eta$. On the curves,
note the long flat stretch followed by a sudden drop: that is the network leaving the
plateau. Such plateaus are common in training, and a loss that "has stopped improving" has
not necessarily reached its minimum.

## 6. Try it: learning rate and optimizer, live

The widget retrains the 2-2-1 XOR network (1000 epochs, MSE) whenever you move the
**learning rate** slider (log scale, 0.001 to 10) or pick another **optimizer**. At the
same time it walks the same optimizer 40 steps on the bowl of section 1 (left panel). The
line above the picture reads the final loss and the network's four outputs. Things to try:

* SGD: drag the learning rate from 0.1 up. Where does XOR start to succeed? Where does the
  path on the bowl start to zigzag, and where does it fly off (above 2)?
* Switch to Adam at 0.1, then raise the rate to 1 or more: Adam's steps are about $\eta$
  long whatever the gradient, so a large $\eta$ makes it jump around the minimum.
* Momentum at 0.1 on the bowl: the heavy ball overshoots and swings back.

(If you read this page without running it, the widget is not shown: run the notebook in
JupyterLab. A progress bar appears while a retrain runs; moving a control again cancels
the run in progress.)
'''),
    code(r'''
live.gradient_descent_widget(lr=0.1, optimizer="sgd")
''', ignore_output=True),
    md(r'''
## Summary

* Gradient descent repeats $\theta \leftarrow \theta - \eta \nabla L(\theta)$. On a
  quadratic bowl each step multiplies the distance to the minimum by $1 - \eta\lambda$ per
  direction of curvature $\lambda$: too small an $\eta$ crawls, $\eta > 1/\lambda$
  overshoots and zigzags, $\eta > 2/\lambda_{\max}$ diverges.
* Batch gradient descent uses all samples per step, stochastic one, mini-batch a few.
  Per epoch, small batches make more progress; per second, mini-batches are the best
  compromise.
* In narrow valleys (steep across, flat along) momentum builds speed along the floor, and
  RMSProp and Adam rescale each coordinate; Adam combines both.
* The 2-2-1 sigmoid network with MSE, $\eta = 0.1$ and 1000 full-batch epochs does **not**
  learn XOR: the loss stays near 0.25, the output near 0.5 for every input, on a flat
  plateau. A larger learning rate ($\eta = 5$) or Adam ($\eta = 0.1$) gets it off.

**Next:** lesson 06 looks at the other half of that story, the activation functions, whose
derivatives decide how large the gradients are in the first place.

## Exercises

Practise in [`exercises/05_gradient_descent.ipynb`](../exercises/05_gradient_descent.ipynb).
'''),
]
# =======================================================================================
# 06 activations
# =======================================================================================
LESSONS["06_activations"] = [
    md(r'''
# Lesson 06 — Activation functions

Every hidden unit computes a weighted sum $z = \mathbf{w}\cdot\mathbf{x} + b$ and passes it
through an **activation function** $f$. Without $f$, a stack of layers would collapse into
one linear map (a product of matrices is a matrix) and could never separate XOR. The choice
of $f$ also decides the size of the gradients that backpropagation sends through the unit,
$\partial L/\partial z = \partial L/\partial a \cdot f'(z)$, and so how fast, or whether,
the network learns.

**Learning objectives.** After this lesson you can

1. write down sigmoid, tanh, ReLU, leaky ReLU and ELU and their derivatives, and sketch them;
2. explain **saturation**: why a sigmoid or tanh unit with a large $|z|$ passes almost no gradient;
3. use softmax at the output of a classifier and say what its derivative is;
4. compare the same network trained with each activation on the same task;
5. recognise **dying ReLU** units, measure their fraction, and name the remedies.
'''),
    code(r'''
import numpy as np
import matplotlib.pyplot as plt

import course_lib as cl
from course_lib import activations, analysis, datasets, plots, threads
from course_lib.widgets import live

_ = threads.limit_blas_threads(1)  # tiny matrices: one BLAS thread is faster than several
'''),
    md(r'''
## 1. Five activations and their derivatives

| name | $f(z)$ | $f'(z)$ | range |
|---|---|---|---|
| sigmoid | $\sigma(z) = \dfrac{1}{1 + e^{-z}}$ | $\sigma(z)\,(1 - \sigma(z))$, at most $0.25$ | $(0, 1)$ |
| tanh | $\tanh z = \dfrac{e^{z} - e^{-z}}{e^{z} + e^{-z}}$ | $1 - \tanh^2 z$, at most $1$ | $(-1, 1)$ |
| ReLU | $\max(0, z)$ | $1$ if $z > 0$, else $0$ | $[0, \infty)$ |
| leaky ReLU | $z$ if $z > 0$, else $\alpha z$ ($\alpha = 0.01$) | $1$ if $z > 0$, else $\alpha$ | $\mathbb{R}$ |
| ELU | $z$ if $z > 0$, else $\alpha(e^{z} - 1)$ ($\alpha = 1$) | $1$ if $z > 0$, else $\alpha e^{z}$ | $(-\alpha, \infty)$ |

Each is a function in `course_lib.activations`, with its derivative next to it. Solid lines
are $f$, dashed lines $f'$:
'''),
    code(r'''
fig = plots.plot_activations(("sigmoid", "tanh", "relu", "leaky_relu", "elu"))
plt.show()
'''),
    md(r'''
Look at the dashed lines. Sigmoid's derivative never exceeds 0.25 and tanh's never exceeds
1, and both fall to almost 0 once $|z|$ is larger than about 4: the unit is **saturated**,
its output barely changes when $z$ changes, so almost no gradient flows back through it.
ReLU's derivative is exactly 1 for every positive $z$, however large: no saturation on
that side. But it is exactly 0 for every negative $z$. Leaky ReLU and ELU keep a small
gradient there. The numbers:
'''),
    code(r'''
z = np.array([0.0, 2.0, 5.0, -5.0])
print("derivative at z =" + "".join(f"{v:9.1f}" for v in z))
for name in ("sigmoid", "tanh", "relu", "leaky_relu", "elu"):
    f, df = activations.get_activation(name)
    print(f"{name:17s}" + "".join(f"{v:9.4f}" for v in df(z)))
'''),
    md(r'''
## 2. Softmax at the output

For a classifier with $C$ classes, the last layer gives $C$ numbers $z_1, \dots, z_C$
(the *logits*), and **softmax** turns them into probabilities:

$$p_i = \operatorname{softmax}(\mathbf z)_i = \frac{e^{z_i}}{\sum_{j=1}^{C} e^{z_j}}, \qquad
\frac{\partial p_i}{\partial z_j} = p_i\,(\delta_{ij} - p_j).$$

All $p_i$ are positive and add up to 1. Softmax is not used in hidden layers: it couples
all units of a layer. At the output it pairs with cross-entropy, and the pair has the
simple gradient $\partial L/\partial z_i = p_i - y_i$ (lesson 03): no saturation, however
wrong the prediction. `course_lib.losses.CrossEntropy` fuses the two. Below: three logits
$(z, 1, 0)$, with $z$ varied. The diagonal derivative $\partial p_1/\partial z = p_1(1-p_1)$
is dashed: it has the same shape as sigmoid's, and indeed softmax over two classes *is* a
sigmoid of the difference of the logits.
'''),
    code(r'''
p = activations.softmax(np.array([2.0, 1.0, 0.0]))
print("softmax(2, 1, 0) = (" + ", ".join(f"{v:.4f}" for v in p) + f"),  sum = {p.sum():.4f}")
zs = np.linspace(-6, 6, 241)
P = activations.softmax(np.column_stack([zs, np.ones_like(zs), np.zeros_like(zs)]), axis=1)
fig, ax = plt.subplots(figsize=(6.5, 3.4))
for k, label in enumerate(["$p_1$ (logit $z$)", "$p_2$ (logit 1)", "$p_3$ (logit 0)"]):
    ax.plot(zs, P[:, k], lw=2, label=label)
ax.plot(zs, P[:, 0] * (1 - P[:, 0]), "k--", label=r"$\partial p_1/\partial z = p_1(1-p_1)$")
ax.set_xlabel("$z$")
ax.set_title("softmax of the logits (z, 1, 0)")
ax.legend(fontsize=8)
plt.show()
'''),
    md(r'''
## 3. The same network with each activation

Now the experiment that matters: one task, one network shape, one optimizer; only the
hidden activation changes. The task is two interleaved spirals (200 points), which needs a
curved decision boundary. The network is 2-16-16-2: two hidden layers of 16 units with the
activation under test, then 2 logits into softmax cross-entropy. Training is full-batch
gradient descent with $\eta = 0.5$ for 300 epochs, from the same seed. Weights start with
Xavier initialisation for sigmoid and tanh and He initialisation for the ReLU family
(lesson 07 explains why). `live.retrain_for_activation` does exactly this; the widget
below uses it too.
'''),
    code(r'''
names = ("sigmoid", "tanh", "relu", "leaky_relu", "elu")
results = {name: live.retrain_for_activation(name, lr=0.5, epochs=300) for name in names}
print("activation   final loss   training accuracy")
for name, r in results.items():
    print(f"{name:11s}  {r['final_loss']:10.4f}   {r['accuracy']:17.2f}")
'''),
    code(r'''
fig, ax = plt.subplots(figsize=(7, 3.8))
plots.plot_loss_curves({name: r["history"] for name, r in results.items()}, ax=ax, log=True,
                       title="spirals, 2-16-16-2, full-batch GD, lr 0.5")
plt.show()
''', tags=("readme-picture",)),
    code(r'''
fig, axes = plt.subplots(1, 5, figsize=(18, 3.6))
for ax, (name, r) in zip(axes, results.items()):
    plots.plot_decision_boundary(r["model"], r["X"], r["y"], ax=ax, resolution=80,
                                 title=f"{name}: accuracy {r['accuracy']:.2f}")
    ax.get_legend() and ax.get_legend().remove()
fig.tight_layout()
plt.show()
'''),
    md(r'''
The ReLU family learns the spirals in 300 epochs; tanh is on its way; sigmoid has barely
started: its loss sits near $\ln 2 \approx 0.69$, the loss of guessing, for most of the run.
Two reasons, both visible in the derivative plot of section 1:

* a gradient that passes through a sigmoid unit is multiplied by at most 0.25, twice here
  (two hidden layers), so the first layer learns at most $1/16$ as fast;
* sigmoid outputs are all positive (mean about 0.5, not 0), which biases the next layer's
  gradients to share a sign and slows gradient descent further. tanh is zero-centred and
  its slope reaches 1, so it does clearly better.

The ReLU family has slope 1 wherever a unit is active and is cheap to compute, which is why
ReLU became the default hidden activation. Its one weakness is the flat side.

## 4. Dying ReLU

A ReLU unit whose pre-activation $z$ is negative **for every training sample** outputs 0
for all of them and has gradient 0 for all of them. Gradient descent therefore never
changes its incoming weights again: the unit is **dead**. A large update (a high learning
rate) can throw a unit's bias far negative and kill it in one step.

`analysis.dead_unit_fraction(model, X)` counts, per ReLU layer, the units that are zero on
every sample. We train a 2-32-32-2 ReLU network on the "moons" data with mini-batches of 10,
at three learning rates, and record the fraction of dead units after every epoch:
'''),
    code(r'''
Xm, ym = datasets.moons(200, noise=0.15, seed=0)

def dead_units_during_training(lr, activation="relu", epochs=60):
    model = cl.mlp([2, 32, 32, 2], activation=activation, seed=0)
    dead = []
    record = lambda epoch, h: dead.append(analysis.dead_unit_fraction(model, Xm).mean()) and False
    history = cl.train(model, Xm, ym, "cross_entropy", cl.SGD(lr), epochs, batch_size=10,
                       progress=False, callback=record)
    return history, np.array(dead), model

dying = {lr: dead_units_during_training(lr) for lr in (0.05, 0.5, 2.0)}
print("lr     final loss   dead units: layer 1  layer 2")
for lr, (h, dead, model) in dying.items():
    per_layer = analysis.dead_unit_fraction(model, Xm)
    print(f"{lr:4.2f}   {h.train_loss[-1]:10.4f}   {per_layer[0]:19.2f}  {per_layer[1]:7.2f}")
'''),
    code(r'''
fig, ax = plt.subplots(figsize=(7, 3.4))
for lr, (h, dead, model) in dying.items():
    ax.plot(np.arange(1, len(dead) + 1), 100 * dead, lw=2, label=f"lr {lr}")
ax.set_xlabel("epoch")
ax.set_ylabel("dead ReLU units (%)")
ax.set_ylim(0, 100)
ax.set_title("dying ReLU: share of units that are 0 on every sample")
ax.legend(fontsize=8)
plt.show()
'''),
    md(r'''
With a modest learning rate a few units die and the rest do the job. With $\eta = 2$ most
units die within the first epochs, the network is left with too few live units, and the
loss gets stuck. Remedies: a smaller learning rate (or Adam), He initialisation (lesson
07), and the activations that keep a slope on the negative side. A leaky ReLU unit with
$z < 0$ still passes the gradient $\alpha = 0.01$, so it can come back to life; ELU passes
$\alpha e^{z}$. In `dead_unit_fraction` such units do not count as dead, because they are
not: their weights still move.

## 5. Try it: activation and learning rate, live

The widget retrains the 2-16-16-2 spiral network of section 3 (300 epochs, full batch)
whenever you pick an **activation** or move the **learning rate** slider (log scale,
0.01 to 10). Left: the loss curve; right: the decision regions. The line above reads the
final loss and the training accuracy. Things to try:

* sigmoid at 0.5, then raise the learning rate to 3 to 5: the plateau gets shorter. Does it
  catch up with ReLU?
* relu at 0.5, then at 3 and more: the loss curve gets spiky; past some rate training
  diverges or units die and the boundary freezes.
* leaky_relu and elu at the rates where relu broke down.

(A progress bar shows while a retrain runs; moving a control again cancels it. If you read
this page without running it, the widget is not shown.)
'''),
    code(r'''
live.activation_widget(activation="relu", lr=0.5)
''', ignore_output=True),
    md(r'''
## Summary

* Activations make networks non-linear. Their derivatives multiply every gradient that
  passes through a unit: sigmoid's by at most 0.25, tanh's by at most 1, the ReLU family's
  by exactly 1 on the positive side.
* Sigmoid and tanh **saturate**: for $|z| \gtrsim 4$ their derivative is nearly 0, and the
  unit stops learning. Sigmoid is also not zero-centred.
* Softmax turns the output logits into class probabilities; with cross-entropy its gradient
  is $p - y$.
* On the same spiral task and budget, ReLU, leaky ReLU and ELU learn fastest, tanh follows,
  sigmoid barely starts.
* ReLU units can **die** (zero on every sample, zero gradient forever), especially with a
  large learning rate; leaky ReLU and ELU avoid it.

**Next:** lesson 07 follows the gradient through ten layers instead of two, and shows how
activation and initialisation together decide whether it arrives at all.

## Exercises

Practise in [`exercises/06_activations.ipynb`](../exercises/06_activations.ipynb).
'''),
]
# =======================================================================================
# 07 vanishing gradients
# =======================================================================================
LESSONS["07_vanishing_gradients"] = [
    md(r'''
# Lesson 07 — Vanishing and exploding gradients

Deep networks (many layers) can represent far more than shallow ones, yet for a long time
nobody could train them. The reason is in the chain rule: the gradient that reaches the
first layer is a product of one factor per layer above it. If those factors are typically
smaller than 1, the product **vanishes**; if larger than 1, it **explodes**. This lesson
measures that, layer by layer, and shows the two fixes that made deep learning work: the
ReLU activation and a careful weight initialisation.

**Learning objectives.** After this lesson you can

1. write the backward recursion through a deep network and see the product of per-layer factors in it;
2. measure per-layer gradient norms, and show that a 10-layer sigmoid network's first layer receives a gradient orders of magnitude smaller than its last;
3. explain Xavier and He initialisation from the variance of the signal, and recognise too-small and too-large initialisation in activation histograms;
4. recognise exploding gradients and name remedies.
'''),
    code(r'''
import numpy as np
import matplotlib.pyplot as plt

import course_lib as cl
from course_lib import analysis, plots
from course_lib.widgets import live
'''),
    md(r'''
## 1. The gradient is a product over layers

Write layer $l$ of a network as $\mathbf z_l = \mathbf a_{l-1} W_l + \mathbf b_l$ and
$\mathbf a_l = f(\mathbf z_l)$. Backpropagation (lesson 04) computes
$\boldsymbol\delta_l = \partial L / \partial \mathbf z_l$ from the layer above:

$$\boldsymbol\delta_l = \left(\boldsymbol\delta_{l+1} W_{l+1}^{\top}\right) \odot f'(\mathbf z_l),
\qquad \frac{\partial L}{\partial W_l} = \mathbf a_{l-1}^{\top} \boldsymbol\delta_l .$$

Unrolled from the output layer $D$ down to layer $l$, the gradient picks up one weight
matrix and one activation derivative per layer:

$$\boldsymbol\delta_l = \boldsymbol\delta_D\, W_D^{\top} \operatorname{diag} f'(\mathbf z_{D-1})\,
W_{D-1}^{\top} \cdots \operatorname{diag} f'(\mathbf z_l).$$

Roughly, each layer multiplies the gradient's size by (typical size of $W$) $\times$
(typical $f'$). For sigmoid, $f' \le 0.25$: unless the weights are large, every layer
shrinks the gradient several-fold, and ten layers shrink it by orders of magnitude.

## 2. Measuring it: gradient norms per layer

`analysis.deep_mlp(10, 64, activation, init)` builds a network with 10 Dense layers (9
hidden layers of 64 units, then one linear output). `analysis.gradient_norms` runs one
forward and one backward pass (mean squared error against random targets, on 256
standard-normal inputs) and returns $\lVert \partial L/\partial W_l \rVert$ for each layer,
input side first.
'''),
    code(r'''
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
'''),
    code(r'''
fig, ax = plt.subplots(figsize=(8, 3.8))
plots.plot_gradient_norms(norms, ax=ax, title="gradient norm per layer, 10-layer network (log scale)")
plt.show()
'''),
    md(r'''
In the sigmoid network the first layer's gradient is more than **six orders of magnitude**
smaller than the last layer's (a factor of about 4 million): gradient descent would change the first layers essentially
not at all, however long we train. The ReLU network with He initialisation passes the
gradient down with the same order of magnitude in every layer.

Where does the sigmoid factor come from? The mean derivative $f'(z) = a(1-a)$ of each
sigmoid layer is below 0.25, and Xavier weights have a typical size
$\sqrt{2/(64+64)} \approx 0.18$ per entry, so with 64 inputs each layer multiplies the
gradient by roughly $0.24 \times 0.18 \times \sqrt{64} \approx 0.3$. Measured (the first
factor differs: layer 1's inputs are the 10 raw features, not 64 sigmoid outputs):
'''),
    code(r'''
acts = analysis.layer_activations(sigmoid_net, X)
mean_slope = [float(np.mean(a * (1 - a))) for a in acts]
print("mean sigmoid slope per hidden layer: " + " ".join(f"{s:.3f}" for s in mean_slope))
ratios = norms["sigmoid, Xavier init"][:-1] / norms["sigmoid, Xavier init"][1:]
print("gradient shrink factor per layer:    " + " ".join(f"{r:.3f}" for r in ratios))
'''),
    md(r'''
## 3. Initialisation: keep the signal's variance constant

The same products govern the **forward** pass: each layer multiplies the activations by
its weights. Take a unit $z = \sum_{i=1}^{n_\text{in}} w_i a_i$ with independent,
zero-mean weights and inputs. Then

$$\operatorname{Var}(z) = n_\text{in}\, \operatorname{Var}(w)\, \operatorname{E}[a^2].$$

To keep the signal the same size layer after layer we want
$n_\text{in} \operatorname{Var}(w) \approx 1$, and for the backward pass
$n_\text{out} \operatorname{Var}(w) \approx 1$. The two classic answers
(`course_lib.initializers`):

| name | $\operatorname{Var}(w)$ | for |
|---|---|---|
| too small | $0.01^2$ | (signals shrink by $\approx 0.08$ per layer here, then vanish) |
| too large | $1$ | (signals grow by $\approx 8$ per layer; tanh saturates) |
| Xavier (Glorot & Bengio, 2010) | $2 / (n_\text{in} + n_\text{out})$ | tanh, sigmoid: compromise of forward and backward |
| He (He et al., 2015) | $2 / n_\text{in}$ | ReLU: the factor 2 makes up for ReLU zeroing half its inputs |

The histograms show the activations of hidden layers 1, 3, 5, 7 and 9 of a 10-layer
network for each case (tanh for the first three rows, ReLU for He). Every tanh panel
spans the whole range $(-1, 1)$, so the panels of a row compare directly:
'''),
    code(r'''
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
'''),
    code(r'''
print("case              std of activations, layers 1..9")
for name, s in stats.items():
    print(f"{name:16s}  " + " ".join(f"{d['std']:.1e}" for d in s))
print("share of saturated tanh outputs (|a| > 0.98), too-large init, layer 9: "
      f"{stats['tanh, too large'][-1]['saturated']:.2f}")
'''),
    md(r'''
Row by row:

* **too small**: all activations sit in the single bin around 0. The printed spreads show
  the collapse: each layer multiplies them by about 0.08, and by layer 9 their standard
  deviation is $5 \times 10^{-11}$. The gradients with respect to the weights,
  $\mathbf a_{l-1}^\top \boldsymbol\delta_l$, vanish with them.
* **too large**: tanh units are pushed into saturation, most outputs are $\pm 1$, where
  $f' \approx 0$: the gradient is blocked at every saturated unit.
* **Xavier** with tanh: the spread stays reasonable through all the layers.
* **He** with ReLU: half of the outputs are exactly 0 (the spike at 0), the rest keep a
  steady spread from layer to layer.

## 4. Exploding gradients

The opposite failure: if each layer multiplies the gradient by more than 1, the product
grows exponentially. ReLU with $\operatorname{Var}(w) = 1$ (too large for 64 inputs by a
factor of 32) does it. A single gradient-descent step with such gradients throws the
weights so far that the loss becomes infinite:
'''),
    code(r'''
exploding = analysis.deep_mlp(10, 64, activation="relu", init="large", seed=0)
norms_large = analysis.gradient_norms(exploding, X, y, "mse")
print("ReLU, too-large init, gradient norm per layer: " + " ".join(f"{n:.1e}" for n in norms_large))
history = cl.train(exploding, X, y, "mse", cl.SGD(0.01), 5, progress=False)
print("training losses:", ", ".join(f"{v:.3e}" for v in history.train_loss), "| diverged:", history.diverged)
'''),
    code(r'''
fig, ax = plt.subplots(figsize=(8, 3.8))
plots.plot_gradient_norms({"sigmoid, Xavier (vanishing)": norms["sigmoid, Xavier init"],
                           "ReLU, He (healthy)": norms["ReLU, He init"],
                           "ReLU, too large (exploding)": norms_large}, ax=ax,
                          title="vanishing, healthy and exploding gradients")
plt.show()
'''),
    md(r'''
Remedies for exploding gradients: a proper initialisation (He here), a smaller learning
rate, **gradient clipping** (rescale the gradient when its norm exceeds a threshold; the
standard fix in recurrent networks), and normalisation layers (batch or layer
normalisation), which reset the scale of the signal in every layer.

## 5. Try it: depth, activation and initialisation

The widget builds a fresh network with the chosen **depth** (2 to 20 Dense layers),
hidden **activation** and **init**, runs one backward pass and draws the gradient norm per
layer (log scale). The line above reads the first and last layer's norms and their ratio.
Things to try:

* sigmoid + xavier, depth from 2 to 20: how many orders of magnitude per layer?
* relu + he at depth 20; then relu + xavier (signals shrink by $\sqrt{2}$ per layer); relu
  + large (explodes); relu + small.
* tanh + xavier against sigmoid + xavier: the zero-centred tanh with slope 1 at 0 keeps
  the gradient alive far better.

(If you read this page without running it, the widget is not shown.)
'''),
    code(r'''
live.gradient_norm_widget(depth=10, activation="sigmoid", init="xavier")
''', ignore_output=True),
    md(r'''
## Summary

* The gradient at layer $l$ is a product of one weight matrix and one activation
  derivative per layer above it; in deep networks such products vanish or explode.
* In a 10-layer sigmoid network the first layer's gradient norm is about
  $3 \times 10^{-7}$ times the last layer's; with ReLU and He initialisation it stays within one order of magnitude.
* Initialise so that each layer keeps the variance of the signal:
  $\operatorname{Var}(w) = 2/(n_\text{in}+n_\text{out})$ (Xavier) for tanh/sigmoid,
  $2/n_\text{in}$ (He) for ReLU. Too small makes activations and gradients vanish, too
  large saturates tanh or makes ReLU networks explode.
* Exploding gradients overflow the weights in a step or two; clipping, smaller learning
  rates, good initialisation and normalisation layers prevent it.

**Next:** lesson 08 turns from *can the network learn* to *does it learn the right thing*:
overfitting and regularisation.

## Exercises

Practise in [`exercises/07_vanishing_gradients.ipynb`](../exercises/07_vanishing_gradients.ipynb).
'''),
]
# =======================================================================================
# 08 regularization
# =======================================================================================
LESSONS["08_regularization"] = [
    md(r'''
# Lesson 08 — Overfitting and regularisation

So far we asked whether a network *can* drive its training loss down. Now the real goal:
good answers on data it has **not** seen. A network with many parameters, trained on a few
noisy examples, can learn the examples by heart, noise included, and get worse on new data
while its training loss keeps falling. This is **overfitting**. Regularisation is the set
of techniques that trade a little training accuracy for better behaviour on new data.

**Learning objectives.** After this lesson you can

1. split data into a training and a validation set and read train/validation loss curves;
2. recognise overfitting as a growing **gap** between validation and training loss;
3. explain and apply L2 and L1 weight penalties, dropout and early stopping, with their formulas;
4. measure how much each regulariser narrows the gap on the same task.
'''),
    code(r'''
import numpy as np
import matplotlib.pyplot as plt

import course_lib as cl
from course_lib import analysis, plots, threads
from course_lib.widgets import live

_ = threads.limit_blas_threads(1)  # tiny matrices: one BLAS thread is faster than several
'''),
    md(r'''
## 1. Small, noisy data and a validation set

We take the two "moons" with a lot of noise (300 points) and keep only **60** for
training. The other 240 form the **validation set**: the network never trains on them,
so its loss there estimates how it will do on new data.
'''),
    code(r'''
X_train, X_val, y_train, y_val = live.overfit_task()
print(f"training: {X_train.shape[0]} points, validation: {X_val.shape[0]} points")
print(f"share of class 1: training {y_train.mean():.2f}, validation {y_val.mean():.2f}")
fig, ax = plt.subplots(figsize=(5.5, 4))
plots.plot_data(X_val, y_val, ax=ax, alpha=0.3, label_prefix="validation, class ")
plots.plot_data(X_train, y_train, ax=ax, label_prefix="training, class ", s=45)
ax.legend(fontsize=8)
ax.set_title("noisy moons: 60 training points (bold), 240 for validation")
plt.show()
'''),
    md(r'''
## 2. A large network memorises

The network is far larger than this task needs: 2-64-64-2 with ReLU, that is
$2\cdot64 + 64 + 64\cdot64 + 64 + 64\cdot2 + 2 = 4482$ parameters for 60 points. We train
it with Adam ($\eta = 0.01$, full batch) for 400 epochs and record both losses after every
epoch. `live.retrain_with_regularization` does this (the widget below uses the same
function); `kind="none"` means no regularisation.
'''),
    code(r'''
baseline = live.retrain_with_regularization(kind="none")
g = baseline["gap"]
print(f"parameters: {baseline['model'].n_parameters()}")
print(f"training   loss {g['train_loss']:.4f}   accuracy {g['train_acc']:.3f}")
print(f"validation loss {g['val_loss']:.4f}   accuracy {g['val_acc']:.3f}")
print(f"gap (validation - training loss): {g['gap']:.4f}")
best = int(np.argmin(baseline["history"].val_loss))
print(f"lowest validation loss {baseline['history'].val_loss[best]:.4f} at epoch {best + 1}")
'''),
    code(r'''
display(live.render_regularization(baseline, figsize=(12, 4.4)))  # a Figure made without pyplot
'''),
    md(r'''
The training loss falls towards 0 and training accuracy reaches 100%: the network has
memorised the 60 points. On the left, the decision boundary bends around individual
training points, noise included, with little islands of colour. The validation loss
(right, red) tells the truth: it falls for only a handful of epochs (its minimum is at
epoch 5), then **rises** for the rest of training while the training loss keeps falling. The network's growing confidence in
its memorised answers is wrong on new points, and cross-entropy punishes confident
mistakes hard. The gap between the two curves at the end measures the overfitting.

## 3. Four regularisers

**L2 penalty (weight decay).** Add $\frac{\lambda}{2} \sum W^2$ (all weights, not biases)
to the loss. Its gradient is $\lambda W$, so every step also shrinks each weight towards 0:

$$W \leftarrow W - \eta\,(\nabla_W L + \lambda W).$$

Small weights make a smoother function: the network cannot build sharp bumps around
single points.

**L1 penalty.** Add $\lambda \sum |W|$, gradient $\lambda \operatorname{sign}(W)$: a
constant pull towards 0 that drives many weights to (nearly) exactly 0, a **sparse**
network.

**Dropout.** During training, zero each hidden unit with probability $p$ and scale the
survivors by $1/(1-p)$ (`course_lib.layers.Dropout`):
$\mathbf a \leftarrow \mathbf a \odot \mathbf m / (1-p)$, $m_i \sim \text{Bernoulli}(1-p)$.
No unit can rely on particular others, so the network learns redundant, simpler features.
At test time dropout is off; the scaling keeps the expected activations equal in both modes.

**Early stopping.** Keep training but watch the validation loss; stop once it has not
improved for `patience` epochs, and restore the weights of the best epoch. Fewer steps
mean weights that have moved less far from their small initial values, an effect similar
to L2.

In `course_lib`: `cl.train(..., l2=λ)`, `cl.train(..., l1=λ)`, `cl.mlp(..., dropout=p)`,
`cl.train(..., early_stopping=cl.EarlyStopping(patience=k))`. The widget's `strength`
in $[0, 1]$ maps to each one's parameter; we use the middle, strength 0.5:
'''),
    code(r'''
for kind in live.REGULARIZATION_KINDS:
    kwargs, p, label = live.regularization_setting(kind, 0.5)
    print(f"{kind:15s} -> {label.replace('&lambda;', 'lambda')}")
'''),
    md(r'''
## 4. The gap, measured for each

Same data, same network, same seed, same 400 epochs of Adam; only the regulariser changes.
The gap is measured on the final model (for early stopping: the restored best one), with
dropout switched off:
'''),
    code(r'''
runs = {kind: live.retrain_with_regularization(kind=kind, strength=0.5) for kind in live.REGULARIZATION_KINDS}
print(f"{'regulariser':32s} {'train loss':>10s} {'val loss':>9s} {'gap':>8s} {'train acc':>9s} {'val acc':>8s}")
for kind, r in runs.items():
    g = r["gap"]
    label = r["label"].replace("&lambda;", "lambda")
    print(f"{label:32s} {g['train_loss']:10.4f} {g['val_loss']:9.4f} {g['gap']:8.4f} "
          f"{g['train_acc']:9.3f} {g['val_acc']:8.3f}")
'''),
    code(r'''
fig, axes = plt.subplots(2, 5, figsize=(20, 7.5))
for (kind, r), top, bottom in zip(runs.items(), axes[0], axes[1]):
    h = r["history"]
    plots.plot_decision_boundary(r["model"], X_train, y_train, ax=top, resolution=60,
                                 title=r["label"].replace("&lambda;", "λ"))
    bottom.plot(h.train_loss, color=plots.CLASS_COLORS[0], label="train")
    bottom.plot(h.val_loss, color=plots.CLASS_COLORS[1], label="validation")
    bottom.set_yscale("log")
    bottom.set_ylim(1e-3, 10)
    bottom.set_xlim(0, 400)
    bottom.set_xlabel("epoch")
    bottom.set_title(f"gap {r['gap']['gap']:.3f}")
    bottom.legend(fontsize=8)
fig.tight_layout()
plt.show()
'''),
    md(r'''
Every regulariser narrows the gap, and each does it its own way:

* **L2** keeps all weights small: a smooth boundary, a training loss that cannot go to 0,
  the smallest gap of the penalties and the best validation loss of the table.
* **L1** also smooths the boundary, though it keeps a thin tongue reaching for a few
  points; in addition almost all weights end up near zero (below).
* **Dropout** narrows the gap as much as L1 at this strength; its training curve is noisy
  because each epoch trains a different random sub-network.
* **Early stopping** ends the run after 23 epochs (the best epoch, 5, plus a patience of
  18) and restores the weights of epoch 5, before memorisation started. Its gap is even
  negative: the validation loss happens to be *below* the training loss, because 60 noisy
  points are themselves a noisy sample.

None of them improves the *training* loss: they all give some of it up. What they buy is a
validation loss far below the unregularised network's. Note also that validation
*accuracy* changes less than validation *loss*: overfitting shows first as overconfidence.

The sparsity of L1, measured: the share of weights smaller than 0.01 in absolute value.
'''),
    code(r'''
for kind in ("none", "L2", "L1"):
    W = np.concatenate([layer.W.ravel() for layer in analysis.dense_layers(runs[kind]["model"])])
    print(f"{kind:5s} share of |w| < 0.01: {np.mean(np.abs(W) < 0.01):.3f}")
'''),
    md(r'''
## 5. Try it: regulariser and strength

The widget retrains the network (400 epochs) whenever you pick a **regularizer** or move
the **strength** slider. Left: the decision regions, with the training points bold and the
validation points faint; right: the training and validation loss curves. The line above
reads the final training loss, validation loss and the gap. Things to try:

* "none": the memorising network of section 2.
* L2 from strength 0 to 1: watch the islands disappear and the gap close; at full strength
  the boundary becomes too simple (underfitting): both losses go up.
* dropout at 0.2 and at 1.0 ($p = 0.7$).
* early stopping: the grey dashed line marks the restored best epoch.

(A progress bar shows while a retrain runs; moving a control again cancels it. If you read
this page without running it, the widget is not shown.)
'''),
    code(r'''
live.regularization_widget(kind="L2", strength=0.5)
''', ignore_output=True),
    md(r'''
## Summary

* Judge a network on data it did not train on: keep a **validation set**, and watch the
  **gap** between validation and training loss.
* A network much larger than its data memorises it: training loss to 0, validation loss
  rising after an early minimum.
* **L2** ($\frac\lambda2\sum W^2$, gradient $\lambda W$) shrinks all weights; **L1**
  ($\lambda\sum|W|$, gradient $\lambda\operatorname{sign} W$) makes many of them zero;
  **dropout** trains random sub-networks and averages them; **early stopping** stops at
  the best validation loss.
* On 60 noisy points, each regulariser narrowed the gap of the unregularised network
  substantially, measured in one table; too much regularisation underfits.

## Exercises

Practise in [`exercises/08_regularization.ipynb`](../exercises/08_regularization.ipynb).
'''),
]


def main(names=None):
    write_lessons(LESSONS, names)


if __name__ == "__main__":
    main(sys.argv[1:])
