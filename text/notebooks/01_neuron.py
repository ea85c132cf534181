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
# # Lesson 01 — One neuron
#
# A neural network is built from one small part, repeated many times: the **neuron**.
# Before we connect thousands of them, we look closely at a single one: what it computes,
# what its numbers mean, and what it can and cannot do on its own.
#
# **Learning objectives.** After this lesson you can
#
# 1. compute a neuron's output by hand: a weighted sum of the inputs, plus a bias, passed through an activation function;
# 2. say what the weights, the bias and the sigmoid activation each do;
# 3. see a neuron with two inputs as a **line** that splits the plane into two halves;
# 4. explain why one neuron can compute the logic gates AND and OR, but not XOR.
#
# No previous knowledge of neural networks is needed: only a little algebra, and reading
# short Python code.

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

from course_lib import Neuron, activations, datasets, plots
from course_lib.widgets import basics
plots.use_course_style()   # colours that stay apart for colour-blind eyes, in every figure

# %% [markdown]
# ## 1. What a neuron computes
#
# A neuron takes some numbers in, here two inputs $x_1$ and $x_2$, and gives one number out.
# It does this in two steps.
#
# **Step 1: the weighted sum.** Each input is multiplied by its own **weight**, the products
# are added, and a **bias** $b$ is added on top:
#
# $$ z = w_1 x_1 + w_2 x_2 + b \;=\; \mathbf{w} \cdot \mathbf{x} + b .$$
#
# A weight says how much an input matters, and in which direction: a large positive $w_1$
# means "a large $x_1$ pushes $z$ up", a negative one means "a large $x_1$ pushes $z$ down",
# and $w_1 = 0$ means "ignore $x_1$". The bias shifts $z$ up or down whatever the inputs are.
# The number $z$ is called the **pre-activation**.
#
# **Step 2: the activation.** The neuron passes $z$ through an **activation function** $f$;
# its output, the **activation** $a$, is
#
# $$ a = f(z) .$$
#
# (The course writes $a$ for what a neuron puts out and keeps $y$ for the **target**, the
# answer we want; lesson 00 has the table of all symbols.) The picture shows the whole path:
# inputs on the left, the output on the right.

# %%
fig, ax = plt.subplots(figsize=(7, 2.8))
basics.draw_neuron_diagram(ax)
ax.set_title("one neuron: $a = \\sigma(w_1 x_1 + w_2 x_2 + b)$")
# plots.show: plt.show() with a sentence for readers who cannot see the figure
plots.show("Diagram of one neuron: the inputs x1 and x2, times the weights w1 and w2, are "
           "summed with the bias b; the sigmoid of that sum is the output a.")

# %% [markdown]
# ### The sigmoid activation
#
# In this lesson the activation is the **sigmoid** (also called the logistic function):
#
# $$ \sigma(z) = \frac{1}{1 + e^{-z}} .$$
#
# It squashes any number into the interval $(0, 1)$: large negative $z$ gives an output near
# 0, large positive $z$ an output near 1, and $z = 0$ gives exactly $0.5$. So we can read the
# output as "how strongly the neuron says *yes*". The dashed curve is the sigmoid's slope
# $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$; we will need it from lesson 03 on.

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
plots.plot_activation("sigmoid", ax=ax)
ax.set_title(r"$\sigma(z) = 1 / (1 + e^{-z})$ and its slope")
plots.show("The sigmoid, an S-shaped curve from 0 to 1 that passes 0.5 at z = 0, and its "
           "slope, a bump that peaks at z = 0 and fades towards 0 on both sides.")

# %%
for z in [-5, -1, 0, 1, 5]:
    print(f"sigmoid({z:+d}) = {activations.sigmoid(z):.4f}")

# %% [markdown]
# ## 2. The classic example, by hand and with `Neuron`
#
# Take a neuron with weights $\mathbf{w} = [0, 1]$ and bias $b = 4$, and feed it the input
# $\mathbf{x} = [2, 3]$:
#
# $$ z = 0 \cdot 2 + 1 \cdot 3 + 4 = 7, \qquad a = \sigma(7) = \frac{1}{1 + e^{-7}} \approx 0.999 .$$
#
# The first weight is 0, so this neuron ignores $x_1$ entirely. Let's check the arithmetic
# with the course library's `Neuron` class, and print the exact floating-point value so you
# can compare it digit by digit:

# %%
neuron = Neuron(weights=[0, 1], bias=4)
x = np.array([2, 3])

z = neuron.weighted_sum(x)          # w . x + b
a = neuron.feedforward(x)           # sigmoid(z)
print("z               =", float(z))
print("a = sigmoid(z)  =", a)
print("1/(1 + e^-7)    =", 1 / (1 + np.exp(-7.0)))

# %% [markdown]
# Both give `0.9990889488055994`: the neuron is almost completely "on".
# `Neuron` is only a few lines of code; read it in `course_lib/neuron.py`.
#
# A neuron can also take **many samples at once**: put one sample per row of a matrix $X$ of
# shape $(N, 2)$, $N$ samples. Then $X\mathbf{w} + b$ computes all the weighted sums in one
# matrix-vector product, and we get one output per row:

# %%
X = np.array([[2, 3], [0, 0], [1, -5]])
print("X has shape", X.shape)
for x_row, a_row in zip(X, neuron.feedforward(X)):
    print(f"x = {x_row.tolist()}  ->  a = {a_row:.4f}")

# %% [markdown]
# ## 3. A neuron draws a line
#
# When do we say the neuron answers *yes*? A natural rule is "output above 0.5". Because the
# sigmoid is above 0.5 exactly when its input is positive,
#
# $$ a > 0.5 \iff z > 0 \iff w_1 x_1 + w_2 x_2 + b > 0 .$$
#
# The points where $w_1 x_1 + w_2 x_2 + b = 0$ form a **straight line** in the $(x_1, x_2)$
# plane: the neuron's **decision boundary**. On one side the neuron says *yes*, on the other
# *no*. The weights set the line's direction: the vector $(w_1, w_2)$ is perpendicular to the
# line and points to the *yes* side (the arrow below). The bias moves the line without
# turning it. Multiplying the weights and the bias by the same positive number does not move
# the line either (it multiplies $z$ everywhere); it makes the switch from 0 to 1 sharper.
#
# Below, the neuron $w_1 = 1, w_2 = 1, b = -1.5$. Left: its output as colour (blue near 0,
# red near 1) with the line where the output is exactly 0.5. Right: the same output drawn as
# a height above the plane, a smooth "step" whose edge lies over the line.

# %%
fig = plt.figure(figsize=(9.4, 4.2), layout="constrained")
ax = fig.add_subplot(1, 2, 1)
basics.draw_neuron_plane(ax, 1.0, 1.0, -1.5, colorbar=True)
ax.set_xticks([-0.5, 0, 0.5, 1, 1.5])                      # room for the colour bar
ax.set_title("output $a$ and the line $z = 0$")
ax3d = fig.add_subplot(1, 2, 2, projection="3d")
basics.draw_neuron_surface(ax3d, 1.0, 1.0, -1.5)
ax3d.set_title("the same output as a surface")
plots.show("Left: the output a of the neuron with w1 = w2 = 1 and b = -1.5 as colour over the "
           "plane, and the line z = 0 where a is 0.5. Right: the same output as a surface.")

# %% [markdown]
# ## 4. Logic gates: AND and OR yes, XOR no
#
# A **logic gate** takes two bits and returns one. Three famous ones:
#
# | $x_1$ | $x_2$ | AND | OR | XOR |
# |:---:|:---:|:---:|:---:|:---:|
# | 0 | 0 | 0 | 0 | 0 |
# | 0 | 1 | 0 | 1 | 1 |
# | 1 | 0 | 0 | 1 | 1 |
# | 1 | 1 | 1 | 1 | 0 |
#
# Can one neuron compute them, reading "output > 0.5" as 1? For AND we need a line with
# only the corner $(1, 1)$ on the *yes* side: $w_1 = w_2 = 1$ and $b = -1.5$ does it, because
# $z = x_1 + x_2 - 1.5$ is positive only when both inputs are 1. For OR, move the line down
# with $b = -0.5$: now $z > 0$ as soon as one input is 1.

# %%
X, _ = datasets.logic_gate("and")
for name, bias in [("and", -1.5), ("or", -0.5)]:
    gate_neuron = Neuron(weights=[1, 1], bias=bias)
    _, y = datasets.logic_gate(name)                # y: the targets
    a = gate_neuron.feedforward(X)                  # a: the neuron's outputs
    print(f"{name.upper()} with w = [1, 1], b = {bias}:")
    for x_row, a_row, t in zip(X.astype(int), a, y):
        print(f"   x = {x_row}  a = {a_row:.4f}  -> {int(a_row > 0.5)}   (target {t})")

# %% [markdown]
# The outputs are not exactly 0 or 1 (0.3775 is "no", 0.6225 is "yes"), but the side of
# 0.5 is right for every row. Now the pictures: each gate's four points coloured by their
# target, blue for 0 and red for 1, and a neuron's line. A black cross marks a point the neuron
# gets wrong.

# %%
fig, axes = plt.subplots(1, 3, figsize=(9.2, 4), layout="constrained")
for ax, (gate, b) in zip(axes, [("and", -1.5), ("or", -0.5), ("xor", -0.5)]):
    basics.draw_neuron_plane(ax, 1.0, 1.0, b, gate=gate)
axes[2].set_title("XOR with the OR neuron: 3/4 correct")
handles, labels = axes[2].get_legend_handles_labels()      # one legend below, not one per plane
for ax in axes:
    ax.get_legend().remove()
fig.legend(handles, labels, loc="outside lower center", ncols=3)
plots.show("The AND, OR and XOR points on three planes, each coloured by the output of a "
           "neuron with w1 = w2 = 1 (b = -1.5, -0.5, -0.5) and crossed where it is wrong; "
           f"titles: {'; '.join(ax.get_title() for ax in axes)}.")

# %% [markdown]
# For XOR the *yes* points $(0, 1)$ and $(1, 0)$ sit on one diagonal, the *no* points
# $(0, 0)$ and $(1, 1)$ on the other. Any straight line that puts both red points on one
# side puts at least one blue point there too. Here are four more attempts. Each gets three
# points right, and each time a different point is left on the wrong side:

# %%
attempts = [(1.0, 1.0, -0.5), (-1.0, -1.0, 1.5), (1.0, -1.0, -0.5), (-1.0, 1.0, -0.5)]
fig, axes = plt.subplots(2, 2, figsize=(8, 7), layout="constrained")
for ax, (w1, w2, b) in zip(axes.ravel(), attempts):
    correct = basics.draw_neuron_plane(ax, w1, w2, b, gate="xor")
    ax.set_title(f"w = [{w1:g}, {w2:g}], b = {b:g}: {correct}/4")
    ax.get_legend().remove()
plots.show("Four attempts at XOR with one neuron, one plane each, wrong points crossed; "
           f"titles: {'; '.join(ax.get_title() for ax in axes.ravel())}.")

# %% [markdown]
# Four attempts are not a proof. Let's let the computer try many more lines: every
# direction in steps of one degree and 401 positions for each, about 144,000 lines, and
# report the best score for each gate:

# %%
for gate in ["and", "or", "nand", "nor", "xor"]:
    correct, (w1, w2, b) = basics.best_line(gate)
    print(f"{gate.upper():>4}: best line gets {correct}/4 right  (e.g. w = [{w1:.2f}, {w2:.2f}], b = {b:.2f})")

# %% [markdown]
# AND, OR, NAND and NOR each have a line that is perfect; for XOR the best of all these lines
# gets only 3 of the 4 points. A little algebra shows that *no* line can do better. A
# perfect neuron would need
#
# * $(0,0) \to 0$: $\; b < 0$,
# * $(0,1) \to 1$ and $(1,0) \to 1$: $\; w_2 + b > 0$ and $w_1 + b > 0$,
# * $(1,1) \to 0$: $\; w_1 + w_2 + b < 0$.
#
# Adding the middle two gives $w_1 + w_2 + 2b > 0$, that is $w_1 + w_2 + b > -b > 0$, which
# contradicts the last condition. Data that a single line can split is called **linearly
# separable**; XOR is not. This observation (Minsky and Papert, 1969) is why we need
# networks of neurons, the subject of lesson 02.

# %% [markdown]
# ## 5. Try it: move the line
#
# Drag the sliders for $w_1$, $w_2$ and $b$ and watch the line and the surface move. Pick a
# gate in the menu to put its four points on the picture; the title counts how many the
# neuron gets right. Things to try:
#
# * Find weights for NAND and NOR (the menu has them).
# * Keep $w_1 = w_2$ and change only $b$: the line slides without turning.
# * Multiply all three numbers by 3: the line stays put, the surface becomes a steeper step.
# * Try to reach 4/4 on XOR.
#
# (If you read this page without running it, the widget below is only a still picture of
# its first view: run the notebook in JupyterLab to play with it.)

# %% tags=["nbval-ignore-output"]
basics.neuron_widget(w1=1.0, w2=1.0, b=-1.5, gate="and")

# %% [markdown]
# ## Summary
#
# * A neuron computes $a = f(\mathbf{w} \cdot \mathbf{x} + b)$: a weighted sum of its
#   inputs, plus a bias, through an activation function.
# * The sigmoid $\sigma(z) = 1/(1+e^{-z})$ maps $z$ into $(0, 1)$; $\sigma(0) = 0.5$.
# * The classic example: $\mathbf{w} = [0, 1]$, $b = 4$, $\mathbf{x} = [2, 3]$ gives
#   $z = 7$ and $a = \sigma(7) = 0.9990889488055994$.
# * With two inputs, the neuron's decision boundary $w_1 x_1 + w_2 x_2 + b = 0$ is a straight
#   line: the weights turn it, the bias shifts it, and scaling all three by the same
#   positive number keeps the line and sets how sharp the step is.
# * One neuron can compute AND, OR, NAND and NOR, but not XOR: XOR is not linearly separable.
#
# **Next:** [lesson 02](02_network.ipynb) connects neurons into a network, and a hidden layer solves XOR.
#
# ## Exercises
#
# Practise in [`exercises/01_neuron_exercises.ipynb`](../exercises/01_neuron_exercises.ipynb): each exercise
# checks your answer as soon as you run its cell.
