"""Build the lesson notebooks 01-04 (without outputs) from the cell lists below.

    .venv/bin/python tools/build_lessons_01_04.py           # writes notebooks/0[1-4]_*.ipynb
    .venv/bin/jupyter nbconvert --to notebook --execute --inplace notebooks/01_neuron.ipynb

The notebooks are the product; this script only keeps their source in one readable place.
Cells tagged ``nbval-ignore-output`` are those whose output lives in a widget.
"""
import sys

from nbbuild import code, md, write_lessons


LESSONS = {}

# =======================================================================================
# 01 neuron
# =======================================================================================
LESSONS["01_neuron"] = [
    md(r'''
# Lesson 01 — One neuron

A neural network is built from one small part, repeated many times: the **neuron**.
Before we connect thousands of them, we look closely at a single one: what it computes,
what its numbers mean, and what it can and cannot do on its own.

**Learning objectives.** After this lesson you can

1. compute a neuron's output by hand: a weighted sum of the inputs, plus a bias, passed through an activation function;
2. say what the weights, the bias and the sigmoid activation each do;
3. see a neuron with two inputs as a **line** that splits the plane into two halves;
4. explain why one neuron can compute the logic gates AND and OR, but not XOR.

No previous knowledge of neural networks is needed: only a little algebra, and reading
short Python code.
'''),
    code(r'''
import numpy as np
import matplotlib.pyplot as plt

from course_lib import Neuron, activations, datasets, plots
from course_lib.widgets import basics
'''),
    md(r'''
## 1. What a neuron computes

A neuron takes some numbers in, here two inputs $x_1$ and $x_2$, and gives one number out.
It does this in two steps.

**Step 1: the weighted sum.** Each input is multiplied by its own **weight**, the products
are added, and a **bias** $b$ is added on top:

$$ z = w_1 x_1 + w_2 x_2 + b \;=\; \mathbf{w} \cdot \mathbf{x} + b .$$

A weight says how much an input matters, and in which direction: a large positive $w_1$
means "a large $x_1$ pushes $z$ up", a negative one means "a large $x_1$ pushes $z$ down",
and $w_1 = 0$ means "ignore $x_1$". The bias shifts $z$ up or down whatever the inputs are.
The number $z$ is called the **pre-activation**.

**Step 2: the activation.** The neuron passes $z$ through an **activation function** $f$;
its output is

$$ y = f(z) .$$

The picture shows the whole path: inputs on the left, the output on the right.
'''),
    code(r'''
fig, ax = plt.subplots(figsize=(7, 2.8))
basics.draw_neuron_diagram(ax)
ax.set_title("one neuron: $y = \\sigma(w_1 x_1 + w_2 x_2 + b)$")
plt.show()
'''),
    md(r'''
### The sigmoid activation

In this lesson the activation is the **sigmoid** (also called the logistic function):

$$ \sigma(z) = \frac{1}{1 + e^{-z}} .$$

It squashes any number into the interval $(0, 1)$: large negative $z$ gives an output near
0, large positive $z$ an output near 1, and $z = 0$ gives exactly $0.5$. So we can read the
output as "how strongly the neuron says *yes*". The dashed curve is the sigmoid's slope
$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$; we will need it from lesson 03 on.
'''),
    code(r'''
fig, ax = plt.subplots(figsize=(6, 3.5))
plots.plot_activation("sigmoid", ax=ax)
ax.set_title(r"$\sigma(z) = 1 / (1 + e^{-z})$ and its slope")
plt.show()
'''),
    code(r'''
for z in [-5, -1, 0, 1, 5]:
    print(f"sigmoid({z:+d}) = {activations.sigmoid(z):.4f}")
'''),
    md(r'''
## 2. The classic example, by hand and with `Neuron`

Take a neuron with weights $\mathbf{w} = [0, 1]$ and bias $b = 4$, and feed it the input
$\mathbf{x} = [2, 3]$:

$$ z = 0 \cdot 2 + 1 \cdot 3 + 4 = 7, \qquad y = \sigma(7) = \frac{1}{1 + e^{-7}} \approx 0.999 .$$

The first weight is 0, so this neuron ignores $x_1$ entirely. Let's check the arithmetic
with the course library's `Neuron` class, and print the exact floating-point value so you
can compare it digit by digit:
'''),
    code(r'''
neuron = Neuron(weights=[0, 1], bias=4)
x = np.array([2, 3])

z = neuron.weighted_sum(x)          # w . x + b
y = neuron.feedforward(x)           # sigmoid(z)
print("z               =", float(z))
print("y = sigmoid(z)  =", y)
print("1/(1 + e^-7)    =", 1 / (1 + np.exp(-7.0)))
'''),
    md(r'''
Both give `0.9990889488055994`: the neuron is almost completely "on".
`Neuron` is only a few lines of code; read it in `course_lib/neuron.py`.

A neuron can also take **many samples at once**: put one sample per row of a matrix $X$ of
shape `(n_samples, 2)`. Then $X\mathbf{w} + b$ computes all the weighted sums in one
matrix-vector product, and we get one output per row:
'''),
    code(r'''
X = np.array([[2, 3], [0, 0], [1, -5]])
print("X has shape", X.shape)
for x_row, y_row in zip(X, neuron.feedforward(X)):
    print(f"x = {x_row.tolist()}  ->  y = {y_row:.4f}")
'''),
    md(r'''
## 3. A neuron draws a line

When do we say the neuron answers *yes*? A natural rule is "output above 0.5". Because the
sigmoid is above 0.5 exactly when its input is positive,

$$ y > 0.5 \iff z > 0 \iff w_1 x_1 + w_2 x_2 + b > 0 .$$

The points where $w_1 x_1 + w_2 x_2 + b = 0$ form a **straight line** in the $(x_1, x_2)$
plane: the neuron's **decision boundary**. On one side the neuron says *yes*, on the other
*no*. The weights set the line's direction: the vector $(w_1, w_2)$ is perpendicular to the
line and points to the *yes* side (the arrow below). The bias moves the line without
turning it. Larger weights do not move the line; they make the switch from 0 to 1 sharper.

Below, the neuron $w_1 = 1, w_2 = 1, b = -1.5$. Left: its output as colour (blue near 0,
red near 1) with the line where the output is exactly 0.5. Right: the same output drawn as
a height above the plane, a smooth "step" whose edge lies over the line.
'''),
    code(r'''
fig = plt.figure(figsize=(10, 4.2), layout="constrained")
ax = fig.add_subplot(1, 2, 1)
basics.draw_neuron_plane(ax, 1.0, 1.0, -1.5, colorbar=True)
ax.set_title("output $y$ and the line $z = 0$")
ax3d = fig.add_subplot(1, 2, 2, projection="3d")
basics.draw_neuron_surface(ax3d, 1.0, 1.0, -1.5)
ax3d.set_title("the same output as a surface")
plt.show()
'''),
    md(r'''
## 4. Logic gates: AND and OR yes, XOR no

A **logic gate** takes two bits and returns one. Three famous ones:

| $x_1$ | $x_2$ | AND | OR | XOR |
|:---:|:---:|:---:|:---:|:---:|
| 0 | 0 | 0 | 0 | 0 |
| 0 | 1 | 0 | 1 | 1 |
| 1 | 0 | 0 | 1 | 1 |
| 1 | 1 | 1 | 1 | 0 |

Can one neuron compute them, reading "output > 0.5" as 1? For AND we need a line with
only the corner $(1, 1)$ on the *yes* side: $w_1 = w_2 = 1$ and $b = -1.5$ does it, because
$z = x_1 + x_2 - 1.5$ is positive only when both inputs are 1. For OR, move the line down
with $b = -0.5$: now $z > 0$ as soon as one input is 1.
'''),
    code(r'''
X, _ = datasets.logic_gate("and")
for name, bias in [("and", -1.5), ("or", -0.5)]:
    gate_neuron = Neuron(weights=[1, 1], bias=bias)
    _, target = datasets.logic_gate(name)
    y = gate_neuron.feedforward(X)
    print(f"{name.upper()} with w = [1, 1], b = {bias}:")
    for x_row, y_row, t in zip(X.astype(int), y, target):
        print(f"   x = {x_row}  y = {y_row:.4f}  -> {int(y_row > 0.5)}   (target {t})")
'''),
    md(r'''
The outputs are not exactly 0 or 1 (0.3775 is "no", 0.6225 is "yes"), but the side of
0.5 is right for every row. Now the pictures: each gate's four points coloured by their
target, blue for 0 and red for 1, and a neuron's line. A black cross marks a point the neuron
gets wrong.
'''),
    code(r'''
fig, axes = plt.subplots(1, 3, figsize=(13, 4.3), layout="constrained")
for ax, (gate, b) in zip(axes, [("and", -1.5), ("or", -0.5), ("xor", -0.5)]):
    basics.draw_neuron_plane(ax, 1.0, 1.0, b, gate=gate)
axes[2].set_title("XOR with the OR neuron: 3/4 correct")
plt.show()
'''),
    md(r'''
For XOR the *yes* points $(0, 1)$ and $(1, 0)$ sit on one diagonal, the *no* points
$(0, 0)$ and $(1, 1)$ on the other. Any straight line that puts both red points on one
side puts at least one blue point there too. Here are four more attempts. Each gets three
points right, and each time a different point is left on the wrong side:
'''),
    code(r'''
attempts = [(1.0, 1.0, -0.5), (-1.0, -1.0, 1.5), (1.0, -1.0, -0.5), (-1.0, 1.0, -0.5)]
fig, axes = plt.subplots(1, 4, figsize=(15, 4), layout="constrained")
for ax, (w1, w2, b) in zip(axes, attempts):
    correct = basics.draw_neuron_plane(ax, w1, w2, b, gate="xor")
    ax.set_title(f"w = [{w1:g}, {w2:g}], b = {b:g}: {correct}/4")
    ax.get_legend().remove()
plt.show()
'''),
    md(r'''
Four attempts are not a proof. Let's let the computer try many more lines: every
direction in steps of one degree and 401 positions for each, about 144,000 lines, and
report the best score for each gate:
'''),
    code(r'''
for gate in ["and", "or", "nand", "nor", "xor"]:
    correct, (w1, w2, b) = basics.best_line(gate)
    print(f"{gate.upper():>4}: best line gets {correct}/4 right  (e.g. w = [{w1:.2f}, {w2:.2f}], b = {b:.2f})")
'''),
    md(r'''
AND, OR, NAND and NOR each have a line that is perfect; for XOR the best of all these lines
gets only 3 of the 4 points. A little algebra shows that *no* line can do better. A
perfect neuron would need

* $(0,0) \to 0$: $\; b < 0$,
* $(0,1) \to 1$ and $(1,0) \to 1$: $\; w_2 + b > 0$ and $w_1 + b > 0$,
* $(1,1) \to 0$: $\; w_1 + w_2 + b < 0$.

Adding the middle two gives $w_1 + w_2 + 2b > 0$, that is $w_1 + w_2 + b > -b > 0$, which
contradicts the last condition. Data that a single line can split is called **linearly
separable**; XOR is not. This observation (Minsky and Papert, 1969) is why we need
networks of neurons, the subject of lesson 02.
'''),
    md(r'''
## 5. Try it: move the line

Drag the sliders for $w_1$, $w_2$ and $b$ and watch the line and the surface move. Pick a
gate in the menu to put its four points on the picture; the title counts how many the
neuron gets right. Things to try:

* Find weights for NAND and NOR (the menu has them).
* Keep $w_1 = w_2$ and change only $b$: the line slides without turning.
* Multiply all three numbers by 3: the line stays put, the surface becomes a steeper step.
* Try to reach 4/4 on XOR.

(If you read this page without running it, the widget below is not shown: run the
notebook in JupyterLab.)
'''),
    code(r'''
basics.neuron_widget(w1=1.0, w2=1.0, b=-1.5, gate="and")
''', ignore_output=True),
    md(r'''
## Summary

* A neuron computes $y = f(\mathbf{w} \cdot \mathbf{x} + b)$: a weighted sum of its
  inputs, plus a bias, through an activation function.
* The sigmoid $\sigma(z) = 1/(1+e^{-z})$ maps $z$ into $(0, 1)$; $\sigma(0) = 0.5$.
* The classic example: $\mathbf{w} = [0, 1]$, $b = 4$, $\mathbf{x} = [2, 3]$ gives
  $z = 7$ and $y = \sigma(7) = 0.9990889488055994$.
* With two inputs, the neuron's decision boundary $w_1 x_1 + w_2 x_2 + b = 0$ is a straight
  line: the weights turn it, the bias shifts it, the size of the weights sets how sharp
  the step is.
* One neuron can compute AND, OR, NAND and NOR, but not XOR: XOR is not linearly separable.

**Next:** lesson 02 connects neurons into a network, and a hidden layer solves XOR.

## Exercises

Practise in [`exercises/01_neuron.ipynb`](../exercises/01_neuron.ipynb): each exercise
checks your answer as soon as you run its cell.
'''),
]

# =======================================================================================
# 02 network
# =======================================================================================
LESSONS["02_network"] = [
    md(r'''
# Lesson 02 — A network of neurons

One neuron draws one line (lesson 01), and that is not enough for XOR. In this lesson we
connect neurons into a **network**: the outputs of some neurons become the inputs of
others.

**Learning objectives.** After this lesson you can

1. compute the output of a small network by hand, neuron by neuron;
2. write the same computation as matrix products, layer by layer, and say the shape of every array;
3. explain what a **hidden layer** adds, and why it lets a network compute XOR;
4. train a small network with `course_lib.train` and read its decision regions.
'''),
    code(r'''
import numpy as np
import matplotlib.pyplot as plt

from course_lib import (Neuron, Dense, Sigmoid, Sequential, BinaryCrossEntropy, SGD,
                        datasets, mlp, plots, train)
from course_lib.widgets import basics
'''),
    md(r'''
## 1. The 2-2-1 network

Our first network has **2 inputs**, a **hidden layer** of 2 neurons $h_1, h_2$, and
**1 output** neuron $o_1$: a "2-2-1" network. The hidden layer is called hidden because we
never see its values in the data: only the inputs and the output are visible from outside.

Each neuron works exactly as in lesson 01. Numbering the six weights as in the picture and
giving the neurons biases $b_1, b_2, b_3$:

$$
\begin{aligned}
h_1 &= \sigma(w_1 x_1 + w_2 x_2 + b_1) \\
h_2 &= \sigma(w_3 x_1 + w_4 x_2 + b_2) \\
o_1 &= \sigma(w_5 h_1 + w_6 h_2 + b_3)
\end{aligned}
$$

Computing the output from the input, left to right, is called the **forward pass**.
'''),
    code(r'''
fig, ax = plt.subplots(figsize=(7, 3.6))
basics.draw_network_diagram(ax)
ax.set_title("a 2-2-1 network: inputs, one hidden layer, one output")
plt.show()
'''),
    md(r'''
## 2. The forward pass, neuron by neuron

The classic example: every neuron has weights $[0, 1]$ and bias $0$, and the input is
$\mathbf{x} = [2, 3]$. By hand:

$$
\begin{aligned}
h_1 = h_2 &= \sigma(0 \cdot 2 + 1 \cdot 3 + 0) = \sigma(3) \approx 0.9526 \\
o_1 &= \sigma(0 \cdot h_1 + 1 \cdot h_2 + 0) = \sigma(0.9526) \approx 0.7216
\end{aligned}
$$

In code, three `Neuron`s, and the hidden neurons' outputs become the output neuron's input:
'''),
    code(r'''
h1 = Neuron(weights=[0, 1], bias=0)
h2 = Neuron(weights=[0, 1], bias=0)
o1 = Neuron(weights=[0, 1], bias=0)

x = np.array([2.0, 3.0])
out_h1 = h1.feedforward(x)
out_h2 = h2.feedforward(x)
out_o1 = o1.feedforward([out_h1, out_h2])
print(f"h1 = {out_h1:.4f}, h2 = {out_h2:.4f}")
print("o1 =", out_o1)
'''),
    md(r'''
## 3. The same network as matrices

Writing one line per neuron does not scale to networks with thousands of neurons. Notice
that the two hidden neurons do the same thing with different weights. Put the weights in a
matrix whose **columns are the neurons**:

$$
W^{(1)} = \begin{bmatrix} w_1 & w_3 \\ w_2 & w_4 \end{bmatrix}, \quad
\mathbf{b}^{(1)} = \begin{bmatrix} b_1 & b_2 \end{bmatrix}, \qquad
W^{(2)} = \begin{bmatrix} w_5 \\ w_6 \end{bmatrix}, \quad
\mathbf{b}^{(2)} = \begin{bmatrix} b_3 \end{bmatrix}.
$$

With the input as a row $\mathbf{x} = [x_1, x_2]$, the row-times-matrix product
$\mathbf{x} W^{(1)}$ is $[\,w_1 x_1 + w_2 x_2,\; w_3 x_1 + w_4 x_2\,]$: both weighted sums
at once. The whole forward pass is two **layers**, each a matrix product plus a bias (a
`Dense` layer) followed by the activation applied to every entry (a `Sigmoid` layer):

$$
\mathbf{h} = \sigma\!\left(\mathbf{x} W^{(1)} + \mathbf{b}^{(1)}\right), \qquad
o_1 = \sigma\!\left(\mathbf{h} W^{(2)} + \mathbf{b}^{(2)}\right).
$$

`Dense(n_in, n_out)` starts with random weights; we overwrite them by hand with the
example's values.
'''),
    code(r'''
hidden = Dense(2, 2)
hidden.W[:] = [[0, 0],      # row 1: weights from x1 (w1, w3)
               [1, 1]]      # row 2: weights from x2 (w2, w4)
hidden.b[:] = [0, 0]
output = Dense(2, 1)
output.W[:] = [[0],         # w5
               [1]]         # w6
output.b[:] = [0]
network = Sequential([hidden, Sigmoid(), output, Sigmoid()])
print(network)
'''),
    md(r'''
Now the forward pass one layer at a time, printing the **shape** of every array. Layers
work on *batches*: the input is a matrix with one sample per row, here a single row, so
its shape is `(1, 2)`.
'''),
    code(r'''
X = np.array([[2.0, 3.0]])                                  # 1 sample, 2 features
signal = X
print(f"input            shape {signal.shape}")
for layer in network.layers:
    signal = layer.forward(signal)
    print(f"after {type(layer).__name__:<8}   shape {signal.shape}   values {np.round(signal, 4).tolist()}")
print("matrix network o1 =", signal[0, 0])
print("three neurons  o1 =", out_o1)
print("the same number:", signal[0, 0] == out_o1)
'''),
    md(r'''
Both ways give `0.7216325609518421`, bit for bit. The matrix form is what every deep
learning library does, because a matrix product is fast on modern hardware.

### Shapes at every step

With $N$ samples in a batch (rows), $D$ input features, $H$ hidden neurons and $K$ outputs:

| array | shape | here ($N=4$ below) |
|---|---|---|
| input $X$ | $(N, D)$ | (4, 2) |
| $W^{(1)}$, $\mathbf{b}^{(1)}$ | $(D, H)$, $(H,)$ | (2, 2), (2,) |
| hidden $H = \sigma(X W^{(1)} + \mathbf{b}^{(1)})$ | $(N, H)$ | (4, 2) |
| $W^{(2)}$, $\mathbf{b}^{(2)}$ | $(H, K)$, $(K,)$ | (2, 1), (1,) |
| output $\sigma(H W^{(2)} + \mathbf{b}^{(2)})$ | $(N, K)$ | (4, 1) |

The bias row $(H,)$ is added to every row of $X W^{(1)}$ (NumPy calls this
*broadcasting*). A handy check: in a product $(N, D) \times (D, H)$ the inner sizes must
match, and the outer ones are what you get. Here is a batch of four samples going through
the same network:
'''),
    code(r'''
X4 = np.array([[2.0, 3.0], [0.0, 0.0], [1.0, -1.0], [-2.0, 5.0]])
out = network.forward(X4)
print("X4 shape", X4.shape, "-> output shape", out.shape)
for x_row, o in zip(X4, out[:, 0]):
    print(f"x = {x_row.tolist()}  ->  o1 = {o:.4f}")
'''),
    md(r'''
## 4. A hidden layer solves XOR

Lesson 01 showed that no single neuron computes XOR. Two layers can, and here is the
idea in words: **XOR = (x1 OR x2) AND NOT (x1 AND x2)**, that is, OR and NAND both true.
Each of OR, NAND and AND is linearly separable, so each is one neuron:

* hidden neuron $h_1$ computes OR: weights $[20, 20]$, bias $-10$;
* hidden neuron $h_2$ computes NAND: weights $[-20, -20]$, bias $30$;
* the output neuron computes AND of $h_1$ and $h_2$: weights $[20, 20]$, bias $-30$.

(Large weights make each sigmoid a sharp step, so the outputs are close to 0 or 1.)
'''),
    code(r'''
X_xor, y_xor = datasets.xor()
xor_net = Sequential([Dense(2, 2), Sigmoid(), Dense(2, 1), Sigmoid()])
xor_net.layers[0].W[:] = [[20, -20], [20, -20]]    # columns: h1 = OR, h2 = NAND
xor_net.layers[0].b[:] = [-10, 30]
xor_net.layers[2].W[:] = [[20], [20]]              # o1 = h1 AND h2
xor_net.layers[2].b[:] = [-30]
hidden_out = xor_net.layers[1].forward(xor_net.layers[0].forward(X_xor))
for x_row, h, o, t in zip(X_xor.astype(int), hidden_out, xor_net.predict(X_xor)[:, 0], y_xor):
    print(f"x = {x_row}  h1 (OR) = {h[0]:.4f}  h2 (NAND) = {h[1]:.4f}  ->  o1 = {o:.4f}  (target {t})")
'''),
    md(r'''
The trick is that the hidden layer **moves the points**. In the input plane the XOR points
cannot be split by a line. In the plane of the hidden values $(h_1, h_2)$ the two red points
land on the same corner $(1, 1)$, the blue ones on $(0, 1)$ and $(1, 0)$, and one line,
the output neuron's, splits them. Left: the network's decision regions in the input plane
(it is no longer a single line!). Right: the same four points as the hidden layer sees them.
'''),
    code(r'''
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
plots.plot_decision_boundary(xor_net, X_xor, y_xor, ax=axes[0], title="input plane: two lines",
                             point_size=120)
axes[0].set_aspect("equal")
plots.plot_data(hidden_out, y_xor, ax=axes[1], s=120)
w5, w6, b3 = 20, 20, -30
h1_line = np.linspace(-0.2, 1.2, 2)
axes[1].plot(h1_line, -(w5 * h1_line + b3) / w6, "k-", lw=2, label="output neuron's line")
axes[1].set(xlim=(-0.2, 1.2), ylim=(-0.2, 1.2), xlabel="$h_1$ (OR)", ylabel="$h_2$ (NAND)",
            title="hidden plane: one line is enough", aspect="equal")
axes[1].legend(loc="lower left", fontsize=8)
plt.show()
'''),
    md(r'''
### Letting the network find the weights

We chose those weights by thinking. The point of neural networks is that they can find
weights by themselves, from examples: **training**. `course_lib.train` repeats three steps
many times: compute the outputs (the forward pass you just saw), measure how wrong they
are with a **loss** (lesson 03), and nudge every weight in the direction that lowers the
loss (lessons 04 and 05 explain how). For now, treat it as a black box.

We start a 2-2-1 sigmoid network from random weights (seeded, so the run is reproducible),
and train it for 2000 passes over the four XOR examples:
'''),
    code(r'''
model = mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=1)
history = train(model, X_xor, y_xor, loss=BinaryCrossEntropy(), optimizer=SGD(lr=0.5),
                epochs=2000, progress=False)
print(f"loss: {history.train_loss[0]:.4f} at the start, {history.train_loss[-1]:.4f} at the end")
for x_row, p, t in zip(X_xor.astype(int), model.predict(X_xor)[:, 0], y_xor):
    print(f"x = {x_row}  ->  {p:.4f}   (target {t})")
'''),
    code(r'''
fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
plots.plot_decision_boundary(model, X_xor, y_xor, ax=axes[0], title="trained 2-2-1 network on XOR",
                             point_size=120)
axes[0].set_aspect("equal")
plots.plot_loss_curves(history, ax=axes[1], title="training loss")
plt.show()
'''),
    md(r'''
The trained network found its own solution: a band between two parallel lines, with the
blue points inside and the red ones outside; the hand-built network had it the other way
round. Different weights, same gate: many networks compute XOR, and training finds one of
them. (Training is not guaranteed to succeed: with another random start, seed 0 for
example, this small network gets stuck. Lesson 05 shows why and what helps.)

## 5. Try it: how many hidden units?

The four XOR points are the simplest case. The widget trains a network with one hidden
layer of 1 to 8 units (tanh activation, which lesson 06 introduces) on 200 noisy points,
and draws its decision regions and the training loss. Each change retrains the network
(results are cached, so going back is instant). Things to notice:

* With **1** hidden unit the network can only draw one line, like a single neuron.
* On the "xor" data, points are red where $x_1 x_2 > 0$: the boundaries are the two axes.
  **2** units give two lines, but arranged as a band, which fits the four XOR corners and
  not the four quadrants (about 80%); from **3 or 4** units on, the network gets them right.
* "circle" needs about 3 units to enclose the inner class; "moons" needs a curved boundary.
'''),
    code(r'''
basics.network_widget(n_hidden=2, dataset="xor")
''', ignore_output=True),
    md(r'''
## Summary

* A network feeds the outputs of one layer of neurons into the next. The 2-2-1 network:
  $h_i = \sigma(\dots)$ for two hidden neurons, then $o_1 = \sigma(w_5 h_1 + w_6 h_2 + b_3)$.
* The classic example (all weights $[0, 1]$, biases 0, input $[2, 3]$) gives
  $o_1 = 0.7216325609518421$, from three `Neuron`s and from matrices alike.
* In matrix form a layer is $\sigma(X W + \mathbf{b})$ with $X$ of shape $(N, D)$, $W$ of shape
  $(D, H)$, $\mathbf{b}$ of shape $(H,)$, giving $(N, H)$: one row per sample, one column per neuron.
* A hidden layer re-maps the inputs so that the output neuron's single line is enough: XOR
  becomes OR AND NAND. With more hidden units the network can draw more complex regions.
* `train` finds the weights from examples; lessons 03-05 open the black box.

**Next:** lesson 03 measures how wrong a network is: the loss.

## Exercises

Practise in [`exercises/02_network.ipynb`](../exercises/02_network.ipynb).
'''),
]

# =======================================================================================
# 03 loss
# =======================================================================================
LESSONS["03_loss"] = [
    md(r'''
# Lesson 03 — Loss: measuring how wrong a network is

To improve a network we first need to say, with one number, how bad its predictions are.
That number is the **loss**. Training (lessons 04-05) means changing the weights so that the
loss goes down, and *how* the loss reacts to a change of the prediction, its gradient,
decides how fast the network learns.

**Learning objectives.** After this lesson you can

1. compute the mean squared error (MSE) and the binary cross-entropy of a batch of predictions;
2. turn a vector of scores into probabilities with **softmax**, and compute the categorical cross-entropy;
3. compute the gradient of a loss with respect to the prediction and to the pre-activation $z$;
4. explain, with numbers, why classifiers use cross-entropy rather than MSE: on a confidently wrong prediction the MSE gradient almost vanishes.
'''),
    code(r'''
import numpy as np
import matplotlib.pyplot as plt

from course_lib import (MSE, BinaryCrossEntropy, CrossEntropy, Dense, Sequential, SGD,
                        Sigmoid, activations, train)
from course_lib.widgets import basics
'''),
    md(r'''
## 1. Mean squared error

For $N$ samples with targets $y_i$ and predictions $\hat y_i$, the **mean squared error** is

$$ \mathrm{MSE} = \frac{1}{N} \sum_{i=1}^{N} (\hat y_i - y_i)^2 .$$

Each error is squared, so it counts whether it is positive or negative, and big errors
count much more than small ones. A perfect prediction has loss 0.

Example: the targets are $[1, 0, 0, 1]$ and a lazy network predicts 0 for everyone. Two of
the four errors are 1, so the MSE is $(1 + 0 + 0 + 1)/4 = 0.5$. `course_lib`'s losses take
arrays of shape `(N, 1)`: one row per sample.
'''),
    code(r'''
y_true = np.array([[1.0], [0.0], [0.0], [1.0]])
y_pred = np.array([[0.0], [0.0], [0.0], [0.0]])
mse = MSE()
print(f"MSE = {mse.forward(y_pred, y_true):.4f}")
'''),
    md(r'''
To learn, we also need to know how the loss changes when a prediction changes: its
**derivative** (lesson 04 explains derivatives in detail). For one prediction,

$$ \frac{\partial\, \mathrm{MSE}}{\partial \hat y_i} = \frac{2}{N} (\hat y_i - y_i) .$$

The sign says which way to move $\hat y_i$ (negative: the loss falls if $\hat y_i$ grows),
and the size says how strongly. `loss.backward()` returns these numbers, one per prediction:
'''),
    code(r'''
grad = mse.backward()
for t, p, g in zip(y_true[:, 0], y_pred[:, 0], grad[:, 0]):
    print(f"target {t:.0f}, prediction {p:.1f}:  dL/dy_pred = 2 ({p:.1f} - {t:.0f}) / 4 = {g:+.4f}")
'''),
    md(r'''
## 2. Binary cross-entropy

When the network answers a yes/no question its output $p = \sigma(z)$ is a probability of
*yes*, and a better measure is the **binary cross-entropy** (also called log loss):

$$ \mathrm{BCE} = -\frac{1}{N} \sum_{i=1}^{N} \Big[\, y_i \log p_i + (1 - y_i) \log(1 - p_i) \,\Big] .$$

Only one of the two terms is active for each sample: for a target 1 the loss is
$-\log p$, for a target 0 it is $-\log(1 - p)$. So the loss is "minus the log of the
probability the network gave to the right answer". Right and confident costs almost
nothing ($-\log 0.99 \approx 0.01$); wrong and confident costs a lot
($-\log 0.01 \approx 4.6$), without limit as $p$ approaches the wrong end.
'''),
    code(r'''
y_true = np.array([[1], [0], [1], [0]])
p = np.array([[0.9], [0.2], [0.6], [0.99]])
for t, pi in zip(y_true[:, 0], p[:, 0]):
    term = -np.log(pi) if t == 1 else -np.log(1 - pi)
    print(f"target {t}, p = {pi:.2f}:  loss term = {term:.4f}")
print(f"BCE (mean of the four) = {BinaryCrossEntropy().forward(p, y_true):.4f}")
print(f"MSE for comparison     = {MSE().forward(p, y_true):.4f}")
'''),
    md(r'''
The last sample (target 0, predicted 0.99) contributes 4.6 of the total: cross-entropy
punishes a confident mistake far more than MSE, which can never exceed 1 per sample. The
picture compares both losses over every possible prediction, for each target:
'''),
    code(r'''
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
plt.show()
'''),
    md(r'''
## 3. More than two classes: softmax and categorical cross-entropy

With $C$ classes (say the digits 0-9) the network has $C$ outputs, one score per class.
These raw scores $z_1, \dots, z_C$ are called **logits**; they can be any real numbers.
**Softmax** turns them into probabilities that are positive and add up to 1:

$$ \mathrm{softmax}(\mathbf z)_k = \frac{e^{z_k}}{\sum_{j=1}^{C} e^{z_j}} .$$

The exponential makes every score positive and exaggerates differences; dividing by the
sum normalizes. Adding the same number to every logit changes nothing (the factor cancels),
which the library uses to avoid overflow: it subtracts the largest logit first.
'''),
    code(r'''
logits = np.array([2.0, 1.0, 0.1])
probs = activations.softmax(logits)
print("logits        ", logits)
print("softmax       ", np.round(probs, 4), " sum =", f"{probs.sum():.4f}")
print("logits + 100  ", np.round(activations.softmax(logits + 100), 4))
'''),
    md(r'''
The **categorical cross-entropy** is again minus the log of the probability given to the
true class $y$:

$$ L = -\log \mathrm{softmax}(\mathbf z)_y, \qquad
\frac{\partial L}{\partial z_k} = \mathrm{softmax}(\mathbf z)_k - [k = y] .$$

The gradient is remarkably simple: "predicted probability minus one-hot target". Softmax and
the loss are fused in `course_lib.CrossEntropy`, which takes logits and integer labels:
'''),
    code(r'''
ce = CrossEntropy()
for label in [0, 2]:
    loss = ce.forward(logits.reshape(1, -1), np.array([label]))
    print(f"true class {label}:  L = -log({probs[label]:.4f}) = {loss:.4f}   "
          f"dL/dz = {np.round(ce.backward()[0], 4)}")
'''),
    code(r'''
fig, axes = plt.subplots(1, 2, figsize=(10, 3.3))
axes[0].bar(["class 0", "class 1", "class 2"], logits, color="#7f7f7f")
axes[0].set_title("logits $z$ (any real numbers)")
axes[1].bar(["class 0", "class 1", "class 2"], probs, color=["#d62728", "#1f77b4", "#1f77b4"])
for k, pk in enumerate(probs):
    axes[1].text(k, pk + 0.02, f"{pk:.3f}", ha="center")
axes[1].set(title="softmax(z): probabilities, sum 1", ylim=(0, 1))
plt.show()
'''),
    md(r'''
## 4. Why cross-entropy for classification

Here is the decisive argument. A network changes its weights according to the gradient
that flows back to them, and on its way back every gradient passes the output neuron's
pre-activation $z$, where $p = \sigma(z)$. By the chain rule (lesson 04),

$$ \frac{\partial L}{\partial z} = \frac{\partial L}{\partial p} \cdot \frac{\partial p}{\partial z},
\qquad \frac{\partial p}{\partial z} = \sigma'(z) = p\,(1 - p) .$$

* **Sigmoid + MSE**, $L = (p - y)^2$:
  $\displaystyle \frac{\partial L}{\partial z} = 2(p - y)\cdot p(1 - p)$.
* **Sigmoid + cross-entropy**, $L = -[y\log p + (1-y)\log(1-p)]$: here
  $\displaystyle\frac{\partial L}{\partial p} = \frac{p - y}{p(1-p)}$, and the $p(1-p)$ cancels:
  $\displaystyle \frac{\partial L}{\partial z} = p - y$.

Now a **confidently wrong** prediction: the target is $y = 1$, but $z = -6$, so
$p = \sigma(-6) \approx 0.0025$. The factor $p(1-p) \approx 0.0025$ is tiny, and MSE keeps it.
The library computes both, layer by layer (`Sigmoid.forward`, the loss, `loss.backward`,
then `Sigmoid.backward`):
'''),
    code(r'''
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
'''),
    md(r'''
With MSE the gradient reaching $z$ is about $-0.0049$: the network is badly wrong but
barely told so; the sigmoid is *saturated* and its flat slope swallows the signal.
With cross-entropy it is $p - y \approx -0.9975$, almost the full error, about 200 times
larger. The plot shows the size of $\partial L/\partial z$ for target 1 over a range of
$z$ (log scale): the further wrong the network is (left), the *smaller* the MSE gradient,
while the cross-entropy gradient grows towards 1.
'''),
    code(r'''
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
plt.show()
'''),
    md(r'''
What this means for learning: one neuron $p = \sigma(w x + b)$ with $x = 2$, target 1,
started confidently wrong ($w = -3$, $b = 0$, so $z = -6$), and trained with the same
learning rate under each loss. With MSE the prediction hardly moves for many steps; with
cross-entropy it recovers at once.
'''),
    code(r'''
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
plt.show()
'''),
    md(r'''
## 5. Try it: move the prediction

Drag the prediction $p$ and switch the target between 0 and 1. Left: the value of each
loss. Right: the gradient that reaches the pre-activation $z$. Watch the MSE gradient
(blue) shrink to 0 at *both* ends, when the network is right and when it is completely
wrong, while the cross-entropy gradient (red) is simply $p - y$.
'''),
    code(r'''
basics.loss_widget(p=0.1, y=1)
''', ignore_output=True),
    md(r'''
## Summary

* A **loss** is one number saying how wrong the predictions are; `course_lib` losses are
  means over the batch, with `forward(y_pred, y_true)` and `backward()` = $\partial L/\partial \hat y$.
* **MSE** $\frac1N\sum(\hat y - y)^2$ suits regression (predicting numbers).
* **Binary cross-entropy** $-\frac1N\sum[y\log p + (1-y)\log(1-p)]$ suits yes/no outputs
  $p = \sigma(z)$; **softmax** + **categorical cross-entropy** $-\log \mathrm{softmax}(\mathbf z)_y$
  suits $C$ classes, with gradient $\mathrm{softmax}(\mathbf z) - \text{one-hot}(y)$.
* With a sigmoid output, cross-entropy gives $\partial L/\partial z = p - y$, while MSE gives
  $2(p - y)\,p(1-p)$: for a confidently wrong prediction ($z = -6$, target 1) that is
  $-0.9975$ against $-0.0049$. Cross-entropy keeps learning where MSE stalls.

**Next:** lesson 04 follows the gradient all the way back to every weight: the chain rule
and backpropagation.

## Exercises

Practise in [`exercises/03_loss.ipynb`](../exercises/03_loss.ipynb).
'''),
]

# =======================================================================================
# 04 chain rule
# =======================================================================================
LESSONS["04_chain_rule"] = [
    md(r'''
# Lesson 04 — Derivatives, the chain rule and backpropagation

Lesson 03 gave us a loss: one number saying how wrong the network is. To improve the
network we must know, for **every weight**, how the loss changes when that weight changes a
little: the loss's partial derivative with respect to the weight. A network computes its
output through a chain of simple steps, and the **chain rule** turns that chain into a
recipe for all these derivatives at once. Run backwards through the network, the recipe
is called **backpropagation**.

**Learning objectives.** After this lesson you can

1. say what a derivative is, and estimate one with a finite difference;
2. apply the chain rule along a computational graph, forward for values and backward for gradients;
3. derive by hand every partial derivative of the loss of the 2-2-1 network, such as $\partial L/\partial w_1$;
4. write the same computation for a whole batch with matrices (the vectorized backward pass);
5. check any gradient numerically, and catch a wrong one.
'''),
    code(r'''
import numpy as np
import matplotlib.pyplot as plt

from course_lib import MSE, Dense, Sequential, Sigmoid, activations, gradcheck
from course_lib.widgets import basics
'''),
    md(r'''
## 1. Derivatives

The **derivative** of a function $f$ at a point $x$ is the slope of its graph there: how
much $f$ changes per unit change of $x$, for very small changes,

$$ f'(x) = \frac{df}{dx} = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h} .$$

A computer cannot take the limit, but it can use a small $h$. The **central difference**
looks both ways and is much more accurate than the one-sided version (its error shrinks
like $h^2$ instead of $h$):

$$ f'(x) \approx \frac{f(x + h) - f(x - h)}{2h} .$$

Example: $f(x) = x^2$ has $f'(x) = 2x$, so $f'(3) = 6$.
'''),
    code(r'''
def f(x):
    return x ** 2

x, h = 3.0, 1e-5
print(f"exact derivative 2x        = {2 * x:.8f}")
print(f"one-sided  (f(x+h)-f(x))/h = {(f(x + h) - f(x)) / h:.8f}")
print(f"central    (f(x+h)-f(x-h))/2h = {(f(x + h) - f(x - h)) / (2 * h):.8f}")
'''),
    md(r'''
The sigmoid's derivative has a neat form, $\sigma'(z) = \sigma(z)(1 - \sigma(z))$.
The picture shows the sigmoid and its tangent line at $z = 1$, whose slope is
$\sigma'(1) = \sigma(1)(1 - \sigma(1)) \approx 0.1966$.
'''),
    code(r'''
z0 = 1.0
slope = activations.sigmoid_derivative(z0)
zs = np.linspace(-6, 6, 300)
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(zs, activations.sigmoid(zs), lw=2, label=r"$\sigma(z)$")
ax.plot(zs, activations.sigmoid(z0) + slope * (zs - z0), "--", lw=1.5,
        label=rf"tangent at $z = 1$, slope $\sigma'(1) = {slope:.4f}$")
ax.plot([z0], [activations.sigmoid(z0)], "ko")
ax.set(xlabel="$z$", ylim=(-0.2, 1.2), title="the derivative is the slope of the tangent")
ax.grid(alpha=0.3)
ax.legend(loc="upper left")
plt.show()
print(f"sigma'(1) = {slope:.4f};  central difference: "
      f"{(activations.sigmoid(z0 + 1e-5) - activations.sigmoid(z0 - 1e-5)) / 2e-5:.4f}")
'''),
    md(r'''
When a function has several inputs, such as the loss, which depends on every weight, its
**partial derivative** $\partial L / \partial w$ is the derivative with respect to $w$
while all other inputs are held fixed. The vector of all partial derivatives is the
**gradient**.

## 2. The chain rule on a computational graph

If $y$ depends on $u$, and $u$ depends on $x$, then a small change of $x$ changes $u$, which
changes $y$, and the rates multiply:

$$ \frac{dy}{dx} = \frac{dy}{du} \cdot \frac{du}{dx} .$$

Take a single neuron with one input and the squared-error loss, and split it into its
elementary steps, each with an easy local derivative:

| step | value | local derivative |
|---|---|---|
| $u = w x$ | $-1.0$ | $\partial u/\partial w = x$ |
| $z = u + b$ | $-0.5$ | $\partial z/\partial u = 1$, $\partial z/\partial b = 1$ |
| $p = \sigma(z)$ | $0.3775$ | $\partial p/\partial z = p(1-p)$ |
| $L = (p - y)^2$ | $0.3875$ | $\partial L/\partial p = 2(p - y)$ |

with $x = 2$, $w = -0.5$, $b = 0.5$ and target $y = 1$. Drawn as a graph, values flow
forward (left to right). To get $\partial L/\partial w$, we start from
$\partial L/\partial L = 1$ at the right and walk **backwards**, multiplying by one local
derivative per step:

$$ \frac{\partial L}{\partial w} = \frac{\partial L}{\partial p} \cdot \frac{\partial p}{\partial z}
\cdot \frac{\partial z}{\partial u} \cdot \frac{\partial u}{\partial w} .$$
'''),
    code(r'''
x, w, b, y = 2.0, -0.5, 0.5, 1.0
# forward: compute and keep every intermediate value
u = w * x
z = u + b
p = float(activations.sigmoid(z))
L = (p - y) ** 2
# backward: one local derivative per step, multiplied from the loss back
dL_dp = 2 * (p - y)
dL_dz = dL_dp * p * (1 - p)
dL_du = dL_dz * 1.0
dL_db = dL_dz * 1.0
dL_dw = dL_du * x
print(f"forward:  u = {u:.4f}, z = {z:.4f}, p = {p:.4f}, L = {L:.4f}")
print(f"backward: dL/dp = {dL_dp:.4f}, dL/dz = {dL_dz:.4f}, dL/dw = {dL_dw:.4f}, dL/db = {dL_db:.4f}")
'''),
    code(r'''
nodes = {"x": (0, 1.2, "$x$", "#fff5d6"), "w": (0, -1.2, "$w$", "#fff5d6"),
         "u": (2.4, 0, "$u$"), "b": (3.0, 2.2, "$b$", "#fff5d6"), "z": (4.8, 0, "$z$"),
         "p": (7.2, 0, "$p$"), "L": (9.6, 0, "$L$", "#e3f4e1")}
edges = [("x", "u", r"$\times$"), ("w", "u", r"$\times$"), ("u", "z", "$+$"), ("b", "z", "$+$"),
         ("z", "p", r"$\sigma$"), ("p", "L", "$(p-y)^2$")]
values = {"x": x, "w": w, "u": u, "b": b, "z": z, "p": p, "L": L}
grads = {"w": dL_dw, "u": dL_du, "b": dL_db, "z": dL_dz, "p": dL_dp, "L": 1.0}
notes = {k: f"value {values[k]:.3f}" + (f"\ngrad {grads[k]:.3f}" if k in grads else "") for k in values}
fig, ax = plt.subplots(figsize=(11, 4.8))
basics.draw_graph(ax, nodes, edges, node_size=0.4, notes=notes, notes_above=["b"])
ax.set_title("forward: values (left to right);  backward: grad = dL/d(node) (right to left)")
plt.show()
'''),
    md(r'''
Does this agree with the slope definition of section 1? Nudge $w$ by $\pm h$ and recompute
the loss:
'''),
    code(r'''
def neuron_loss(w, b=0.5, x=2.0, y=1.0):
    return (float(activations.sigmoid(w * x + b)) - y) ** 2

h = 1e-5
print(f"chain rule         dL/dw = {dL_dw:.8f}")
print(f"central difference dL/dw = {(neuron_loss(w + h) - neuron_loss(w - h)) / (2 * h):.8f}")
'''),
    md(r'''
Two things make the backward walk efficient. Every local derivative is simple, and uses
values already computed in the forward pass (such as $p$ and $x$). And the product of the
last factors, such as $\partial L/\partial z$, is shared: both $\partial L/\partial w$ and
$\partial L/\partial b$ start from it. Backpropagation computes each shared product once.

## 3. Backpropagation by hand: the 2-2-1 network

Now the network of lesson 02, with the naming of Victor Zhou's classic tutorial
*Machine Learning for Beginners: An Introduction to Neural Networks*
(victorzhou.com). One training sample, "Alice": inputs $x_1 = -2$, $x_2 = -1$, target
$y_{true} = 1$. All weights are 1 and all biases 0. The loss is the squared error
$L = (y_{true} - y_{pred})^2$, where $y_{pred} = o_1$.

**Forward pass**, keeping the weighted sums (we need them backwards):

$$
\begin{aligned}
h_1 &= f(\underbrace{w_1 x_1 + w_2 x_2 + b_1}_{\text{sum}_{h_1}}), \qquad
h_2 = f(\underbrace{w_3 x_1 + w_4 x_2 + b_2}_{\text{sum}_{h_2}}), \\
y_{pred} = o_1 &= f(\underbrace{w_5 h_1 + w_6 h_2 + b_3}_{\text{sum}_{o_1}}), \qquad f = \sigma .
\end{aligned}
$$
'''),
    code(r'''
def f(z):
    return float(activations.sigmoid(z))

def f_prime(z):                       # sigma'(z) = sigma(z) (1 - sigma(z))
    return float(activations.sigmoid_derivative(z))

x1, x2, y_true = -2.0, -1.0, 1.0     # Alice
w1 = w2 = w3 = w4 = w5 = w6 = 1.0
b1 = b2 = b3 = 0.0

sum_h1 = w1 * x1 + w2 * x2 + b1;   h1 = f(sum_h1)
sum_h2 = w3 * x1 + w4 * x2 + b2;   h2 = f(sum_h2)
sum_o1 = w5 * h1 + w6 * h2 + b3;   y_pred = o1 = f(sum_o1)
L = (y_true - y_pred) ** 2
print(f"h1 = {h1:.4f}, h2 = {h2:.4f}, y_pred = {y_pred:.4f}, L = {L:.4f}")
'''),
    md(r'''
**Backward pass.** Take $w_1$. It only reaches the loss through $h_1$, and $h_1$ only
through $y_{pred}$, so by the chain rule

$$ \frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial y_{pred}} \cdot
\frac{\partial y_{pred}}{\partial h_1} \cdot \frac{\partial h_1}{\partial w_1} .$$

Each factor is one line of algebra:

$$
\begin{aligned}
\frac{\partial L}{\partial y_{pred}} &= -2\,(y_{true} - y_{pred}) \\
\frac{\partial y_{pred}}{\partial h_1} &= w_5 \, f'(\text{sum}_{o_1}), &
\frac{\partial y_{pred}}{\partial h_2} &= w_6 \, f'(\text{sum}_{o_1}) \\
\frac{\partial y_{pred}}{\partial w_5} &= h_1 \, f'(\text{sum}_{o_1}), &
\frac{\partial y_{pred}}{\partial w_6} &= h_2 \, f'(\text{sum}_{o_1}), \qquad
\frac{\partial y_{pred}}{\partial b_3} = f'(\text{sum}_{o_1}) \\
\frac{\partial h_1}{\partial w_1} &= x_1 \, f'(\text{sum}_{h_1}), &
\frac{\partial h_1}{\partial w_2} &= x_2 \, f'(\text{sum}_{h_1}), \qquad
\frac{\partial h_1}{\partial b_1} = f'(\text{sum}_{h_1}) \\
\frac{\partial h_2}{\partial w_3} &= x_1 \, f'(\text{sum}_{h_2}), &
\frac{\partial h_2}{\partial w_4} &= x_2 \, f'(\text{sum}_{h_2}), \qquad
\frac{\partial h_2}{\partial b_2} = f'(\text{sum}_{h_2})
\end{aligned}
$$

In code, one variable per partial derivative, named as in the formulas:
'''),
    code(r'''
d_L_d_ypred = -2 * (y_true - y_pred)
# output neuron o1
d_ypred_d_w5 = h1 * f_prime(sum_o1)
d_ypred_d_w6 = h2 * f_prime(sum_o1)
d_ypred_d_b3 = f_prime(sum_o1)
d_ypred_d_h1 = w5 * f_prime(sum_o1)
d_ypred_d_h2 = w6 * f_prime(sum_o1)
# hidden neuron h1
d_h1_d_w1 = x1 * f_prime(sum_h1)
d_h1_d_w2 = x2 * f_prime(sum_h1)
d_h1_d_b1 = f_prime(sum_h1)
# hidden neuron h2
d_h2_d_w3 = x1 * f_prime(sum_h2)
d_h2_d_w4 = x2 * f_prime(sum_h2)
d_h2_d_b2 = f_prime(sum_h2)
print(f"dL/dy_pred = {d_L_d_ypred:.4f}   dy_pred/dh1 = {d_ypred_d_h1:.4f}   dh1/dw1 = {d_h1_d_w1:.4f}")
'''),
    md(r'''
Multiplying along each path from the loss back to a parameter gives all nine partial
derivatives:
'''),
    code(r'''
hand = {
    "w1": d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w1,
    "w2": d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w2,
    "w3": d_L_d_ypred * d_ypred_d_h2 * d_h2_d_w3,
    "w4": d_L_d_ypred * d_ypred_d_h2 * d_h2_d_w4,
    "w5": d_L_d_ypred * d_ypred_d_w5,
    "w6": d_L_d_ypred * d_ypred_d_w6,
    "b1": d_L_d_ypred * d_ypred_d_h1 * d_h1_d_b1,
    "b2": d_L_d_ypred * d_ypred_d_h2 * d_h2_d_b2,
    "b3": d_L_d_ypred * d_ypred_d_b3,
}
for name, g in hand.items():
    print(f"dL/d{name} = {g:+.4f}")
'''),
    md(r'''
$\partial L/\partial w_1 \approx 0.0215$ (the tutorial rounds every intermediate value and
gets 0.0214): increasing $w_1$ a little would *increase* the loss a little, so training will
decrease $w_1$. The weights
into $h_1$ and $h_2$ have equal gradients because the network is symmetric (all weights
equal). The picture writes each weight's gradient on its arrow:
'''),
    code(r'''
fig, ax = plt.subplots(figsize=(8, 4.4))
basics.draw_network_diagram(
    ax, edge_labels={k: f"${k[0]}_{k[1]}$: {hand[k]:+.4f}" for k in ["w1", "w2", "w3", "w4", "w5", "w6"]},
    notes={"h1": f"b1: {hand['b1']:+.4f}", "h2": f"b2: {hand['b2']:+.4f}", "o1": f"b3: {hand['b3']:+.4f}"})
ax.set_title(r"$\partial L / \partial w$ on each weight, $\partial L / \partial b$ under each neuron (Alice)")
plt.show()
'''),
    md(r'''
## 4. Checking the hand derivation twice

**With finite differences.** Put the nine parameters in one array $\theta$, write the loss
as a function of $\theta$, and let `gradcheck.numerical_gradient` nudge each entry by
$\pm h$ (central differences, $h = 10^{-5}$).

**With the library's layers.** Build the same network from `Dense` and `Sigmoid` layers
(weights set by hand as in lesson 02: $W^{(1)}$ has the hidden neurons as columns,
$W^{(1)} = \begin{bmatrix} w_1 & w_3 \\ w_2 & w_4 \end{bmatrix}$), run forward, the MSE loss,
and `backward`. Each `Dense` layer then holds its gradients in `dW` and `db`.
'''),
    code(r'''
names = ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]

def loss_of(theta, x1=x1, x2=x2, y_true=y_true):
    w1, w2, w3, w4, w5, w6, b1, b2, b3 = theta
    h1, h2 = f(w1 * x1 + w2 * x2 + b1), f(w3 * x1 + w4 * x2 + b2)
    return (y_true - f(w5 * h1 + w6 * h2 + b3)) ** 2

theta = np.array([1.0, 1, 1, 1, 1, 1, 0, 0, 0])
numeric = gradcheck.numerical_gradient(lambda: loss_of(theta), theta, h=1e-5)
'''),
    code(r'''
hidden, output = Dense(2, 2), Dense(2, 1)
hidden.W[:] = [[w1, w3], [w2, w4]];  hidden.b[:] = [b1, b2]
output.W[:] = [[w5], [w6]];          output.b[:] = [b3]
model = Sequential([hidden, Sigmoid(), output, Sigmoid()])
mse = MSE()
mse.forward(model.forward(np.array([[x1, x2]])), np.array([[y_true]]))
model.backward(mse.backward())
layers = {"w1": hidden.dW[0, 0], "w2": hidden.dW[1, 0], "w3": hidden.dW[0, 1], "w4": hidden.dW[1, 1],
          "w5": output.dW[0, 0], "w6": output.dW[1, 0], "b1": hidden.db[0], "b2": hidden.db[1],
          "b3": output.db[0]}
print("        by hand     finite diff.  Dense.backward")
for i, name in enumerate(names):
    print(f"{name}:  {hand[name]:+.8f}  {numeric[i]:+.8f}  {layers[name]:+.8f}")
hand_vec = np.array([hand[n] for n in names])
print("max |hand - finite diff.|   < 1e-9:", np.max(np.abs(hand_vec - numeric)) < 1e-9)
print("max |hand - Dense.backward| < 1e-15:", np.max(np.abs(hand_vec - [layers[n] for n in names])) < 1e-15)
'''),
    md(r'''
All three agree to every printed digit. The layers are not doing anything different from our
hand derivation; they do it with matrices, for a whole batch at once.

## 5. The vectorized backward pass

With a batch of $N$ samples in the rows of $X$ (shape $(N, 2)$), the forward pass of lesson 02 is

$$ Z_1 = X W_1 + \mathbf b_1,\quad H = \sigma(Z_1),\quad Z_2 = H W_2 + \mathbf b_2,\quad
P = \sigma(Z_2),\quad L = \tfrac1N \textstyle\sum_i (P_i - Y_i)^2 .$$

Going backwards, each line is the chain rule for a whole layer at once. $\odot$ is
element-wise multiplication, and each gradient has the shape of the thing it is the
gradient of:

$$
\begin{aligned}
\frac{\partial L}{\partial P} &= \tfrac{2}{N}(P - Y) & (N, 1) \\
\frac{\partial L}{\partial Z_2} &= \frac{\partial L}{\partial P} \odot P \odot (1 - P) & (N, 1) \\
\frac{\partial L}{\partial W_2} &= H^\top \frac{\partial L}{\partial Z_2}, \quad
\frac{\partial L}{\partial \mathbf b_2} = \textstyle\sum_{\text{rows}} \frac{\partial L}{\partial Z_2} & (2, 1),\ (1,) \\
\frac{\partial L}{\partial H} &= \frac{\partial L}{\partial Z_2} W_2^\top & (N, 2) \\
\frac{\partial L}{\partial Z_1} &= \frac{\partial L}{\partial H} \odot H \odot (1 - H) & (N, 2) \\
\frac{\partial L}{\partial W_1} &= X^\top \frac{\partial L}{\partial Z_1}, \quad
\frac{\partial L}{\partial \mathbf b_1} = \textstyle\sum_{\text{rows}} \frac{\partial L}{\partial Z_1} & (2, 2),\ (2,)
\end{aligned}
$$

The product $H^\top \frac{\partial L}{\partial Z_2}$ adds up, over the samples, exactly the
per-sample products $h_1 \cdot \frac{\partial L}{\partial \text{sum}_{o_1}}$ of section 3.
Here it is on the tutorial's four people (weight and height, shifted), all weights 1:
'''),
    code(r'''
X = np.array([[-2.0, -1.0], [25.0, 6.0], [17.0, 4.0], [-15.0, -6.0]])   # Alice, Bob, Charlie, Diana
Y = np.array([[1.0], [0.0], [0.0], [1.0]])
W1, b1_vec = hidden.W, hidden.b
W2, b2_vec = output.W, output.b
N = X.shape[0]

Z1 = X @ W1 + b1_vec;  H = activations.sigmoid(Z1)
Z2 = H @ W2 + b2_vec;  P = activations.sigmoid(Z2)

dL_dP = 2 * (P - Y) / N
dL_dZ2 = dL_dP * P * (1 - P)
dL_dW2 = H.T @ dL_dZ2
dL_db2 = dL_dZ2.sum(axis=0)
dL_dH = dL_dZ2 @ W2.T
dL_dZ1 = dL_dH * H * (1 - H)
dL_dW1 = X.T @ dL_dZ1
dL_db1 = dL_dZ1.sum(axis=0)
for name, arr in [("dL/dP", dL_dP), ("dL/dZ2", dL_dZ2), ("dL/dW2", dL_dW2), ("dL/db2", dL_db2),
                  ("dL/dH", dL_dH), ("dL/dZ1", dL_dZ1), ("dL/dW1", dL_dW1), ("dL/db1", dL_db1)]:
    print(f"{name:<7} shape {str(arr.shape):<7}")
'''),
    md(r'''
And the library's `Sequential.backward`, which calls each layer's `backward` from the last
to the first, gives the same arrays:
'''),
    code(r'''
loss_value = mse.forward(model.forward(X), Y)
model.backward(mse.backward())
print(f"batch loss L = {loss_value:.4f}")
print("dL/dW1 =", np.round(dL_dW1, 6).tolist(), " equal to Dense.dW:", np.allclose(dL_dW1, hidden.dW, rtol=1e-12, atol=0))
print("dL/db1 =", np.round(dL_db1, 6).tolist(), " equal to Dense.db:", np.allclose(dL_db1, hidden.db, rtol=1e-12, atol=0))
print("dL/dW2 =", np.round(dL_dW2, 6).tolist(), " equal to Dense.dW:", np.allclose(dL_dW2, output.dW, rtol=1e-12, atol=0))
print("dL/db2 =", np.round(dL_db2, 6).tolist(), " equal to Dense.db:", np.allclose(dL_db2, output.db, rtol=1e-12, atol=0))
'''),
    md(r'''
## 6. Gradient checking

A backward pass is easy to get subtly wrong, and a wrong gradient does not crash: the
network just learns badly, or not at all. So every new layer deserves a **gradient check**:
compare its analytic gradient $a$ with the finite-difference estimate $n$ through the
relative error

$$ \text{rel. error} = \frac{\max_i |a_i - n_i|}{\max_i \left(|a_i| + |n_i|\right)} .$$

In float64 with $h = 10^{-5}$, a correct gradient gives about $10^{-8}$ or less, a wrong one
something near 1. Why $h = 10^{-5}$? With a large $h$ the central difference is inexact (its
error grows like $h^2$); with a tiny $h$, $f(x+h) - f(x-h)$ cancels almost all digits and
rounding error takes over (it grows like $1/h$). The picture shows the relative error for
the Alice network over many $h$:
'''),
    code(r'''
hs = np.logspace(-12, -1, 45)
errs = [gradcheck.relative_error(hand_vec, gradcheck.numerical_gradient(lambda: loss_of(theta), theta, h=s))
        for s in hs]
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.loglog(hs, errs, "o-", ms=4)
ax.axvline(1e-5, color="grey", ls="--", label="h = 1e-5 (the library's default)")
ax.set(xlabel="step $h$", ylabel="relative error", title="finite differences: too small or too large $h$ hurts")
ax.grid(alpha=0.3, which="both")
ax.legend()
plt.show()
'''),
    md(r'''
`gradcheck.check_model` does this for every parameter of a whole network: it runs
forward, loss and backward, and compares each `dW` and `db` with finite differences:
'''),
    code(r'''
result = gradcheck.check_model(model, MSE(), X, Y)
for name, err in result.errors.items():
    print(f"{name:<12} {'ok' if err < result.tol else 'WRONG'}   (relative error below 1e-7: {err < 1e-7})")
print("gradient check passed:", result.passed)
'''),
    md(r'''
### A deliberately wrong derivative

Now a bug on purpose: a sigmoid layer whose `backward` forgets the factor $(1 - \sigma(z))$,
using $\sigma'(z) \approx \sigma(z)$. A very plausible slip. Nothing crashes and the
numbers look reasonable, but the check catches it, both for the layer alone and
inside the network:
'''),
    code(r'''
class BuggySigmoid(Sigmoid):
    def backward(self, grad_out):
        return grad_out * self.out          # WRONG: should be grad_out * out * (1 - out)

layer_check = gradcheck.check_layer(BuggySigmoid(), np.array([[0.5, -1.0], [2.0, 0.3]]))
print(f"BuggySigmoid alone: relative error {layer_check.errors['input']:.2f} -> passed: {layer_check.passed}")

buggy = Sequential([hidden, BuggySigmoid(), output, Sigmoid()])
result = gradcheck.check_model(buggy, MSE(), X, Y)
for name, err in result.errors.items():
    print(f"{name:<12} {'ok' if err < result.tol else 'WRONG'}")
print("gradient check passed:", result.passed)
'''),
    md(r'''
The output layer's gradients are still right (the bug sits below them, so they never pass
through it); the first layer's `W` and `b` are flagged `WRONG`: the check even tells us
where to look.

## Summary

* A derivative is a slope; the central difference $\frac{f(x+h) - f(x-h)}{2h}$ estimates it.
* The **chain rule** multiplies local derivatives along a path:
  $\frac{\partial L}{\partial w} = \frac{\partial L}{\partial p}\frac{\partial p}{\partial z}\frac{\partial z}{\partial w}$.
  On a computational graph, values flow forward and gradients flow backward.
* **Backpropagation** for the 2-2-1 network: e.g.
  $\frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial y_{pred}} \cdot \frac{\partial y_{pred}}{\partial h_1} \cdot \frac{\partial h_1}{\partial w_1} \approx 0.0215$
  for Alice. The hand derivation, finite differences and `Dense.backward` agree.
* **Vectorized**, a layer's backward pass is $dW = X^\top \delta$, $db = \sum_{\text{rows}} \delta$,
  $dX = \delta\, W^\top$, and an activation multiplies $\delta$ by its derivative element-wise.
* **Gradient checking** (`course_lib.gradcheck`) compares analytic and numerical gradients;
  a relative error near $10^{-8}$ means correct, near 1 means a bug, and it points at the layer.

**Next:** lesson 05 uses these gradients to walk downhill: gradient descent.

## Exercises

Practise in [`exercises/04_chain_rule.ipynb`](../exercises/04_chain_rule.ipynb).
'''),
]


def main(names=None):
    write_lessons(LESSONS, names)


if __name__ == "__main__":
    main(sys.argv[1:])
