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
# # Lesson 02 — A network of neurons
#
# One neuron draws one line (lesson 01), and that is not enough for XOR. In this lesson we
# connect neurons into a **network**: the outputs of some neurons become the inputs of
# others.
#
# **Learning objectives.** After this lesson you can
#
# 1. compute the output of a small network by hand, neuron by neuron;
# 2. write the same computation as matrix products, layer by layer, and say the shape of every array;
# 3. explain what a **hidden layer** adds, and why it lets a network compute XOR;
# 4. train a small network with `course_lib.train` and read its decision regions.

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

from course_lib import (Neuron, Dense, Sigmoid, Sequential, BinaryCrossEntropy, SGD,
                        datasets, mlp, plots, train)
from course_lib.widgets import basics
plots.use_course_style()   # colours that stay apart for colour-blind eyes, in every figure

# %% [markdown]
# ## 1. The 2-2-1 network
#
# Our first network has **2 inputs**, a **hidden layer** of 2 neurons $h_1, h_2$, and
# **1 output** neuron $o_1$: a "2-2-1" network. The hidden layer is called hidden because we
# never see its values in the data: only the inputs and the output are visible from outside.
#
# Each neuron works exactly as in lesson 01. Numbering the six weights as in the picture and
# giving the neurons biases $b_1, b_2, b_3$:
#
# $$
# \begin{aligned}
# h_1 &= \sigma(w_1 x_1 + w_2 x_2 + b_1) \\
# h_2 &= \sigma(w_3 x_1 + w_4 x_2 + b_2) \\
# o_1 &= \sigma(w_5 h_1 + w_6 h_2 + b_3)
# \end{aligned}
# $$
#
# Computing the output from the input, left to right, is called the **forward pass**.

# %%
fig, ax = plt.subplots(figsize=(7, 3.6))
basics.draw_network_diagram(ax)
ax.set_title("a 2-2-1 network: inputs, one hidden layer, one output")
plots.show("Diagram of the 2-2-1 network: inputs x1 and x2, each linked to both hidden "
           "neurons h1 and h2 (weights w1 to w4), which are linked to the output o1 (w5, w6).")

# %% [markdown]
# ## 2. The forward pass, neuron by neuron
#
# The classic example: every neuron has weights $[0, 1]$ and bias $0$, and the input is
# $\mathbf{x} = [2, 3]$. By hand:
#
# $$
# \begin{aligned}
# h_1 = h_2 &= \sigma(0 \cdot 2 + 1 \cdot 3 + 0) = \sigma(3) \approx 0.9526 \\
# o_1 &= \sigma(0 \cdot h_1 + 1 \cdot h_2 + 0) = \sigma(0.9526) \approx 0.7216
# \end{aligned}
# $$
#
# In code, three `Neuron`s, and the hidden neurons' outputs become the output neuron's input:

# %%
h1 = Neuron(weights=[0, 1], bias=0)
h2 = Neuron(weights=[0, 1], bias=0)
o1 = Neuron(weights=[0, 1], bias=0)

x = np.array([2.0, 3.0])
out_h1 = h1.feedforward(x)
out_h2 = h2.feedforward(x)
out_o1 = o1.feedforward([out_h1, out_h2])
print(f"h1 = {out_h1:.4f}, h2 = {out_h2:.4f}")
print(f"o1 = {out_o1:.10f}")

# %% [markdown]
# ## 3. The same network as matrices
#
# Writing one line per neuron does not scale to networks with thousands of neurons. Notice
# that the two hidden neurons do the same thing with different weights. Put the weights in a
# matrix whose **columns are the neurons**:
#
# $$
# W^{(1)} = \begin{bmatrix} w_1 & w_3 \\ w_2 & w_4 \end{bmatrix}, \quad
# \mathbf{b}^{(1)} = \begin{bmatrix} b_1 & b_2 \end{bmatrix}, \qquad
# W^{(2)} = \begin{bmatrix} w_5 \\ w_6 \end{bmatrix}, \quad
# \mathbf{b}^{(2)} = \begin{bmatrix} b_3 \end{bmatrix}.
# $$
#
# With the input as a row $\mathbf{x} = [x_1, x_2]$, the row-times-matrix product
# $\mathbf{x} W^{(1)}$ is $[\,w_1 x_1 + w_2 x_2,\; w_3 x_1 + w_4 x_2\,]$: both weighted sums
# at once. The whole forward pass is two **layers**, each a matrix product plus a bias (a
# `Dense` layer) followed by the activation applied to every entry (a `Sigmoid` layer). With
# the course's notation (lesson 00), layer $l$ turns the activations $a^{(l-1)}$ of the layer
# before it into pre-activations $z^{(l)}$ and activations $a^{(l)}$; the layer number is the
# superscript, and $a^{(0)} = \mathbf x$ is the input:
#
# $$
# a^{(1)} = [h_1, h_2] = \sigma\!\left(\mathbf{x} W^{(1)} + \mathbf{b}^{(1)}\right), \qquad
# a^{(2)} = o_1 = \sigma\!\left(a^{(1)} W^{(2)} + \mathbf{b}^{(2)}\right).
# $$
#
# `Dense(n_in, n_out)` starts with random weights; we overwrite them by hand with the
# example's values.

# %%
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

# %% [markdown]
# Now the forward pass one layer at a time, printing the **shape** of every array. Layers
# work on *batches*: the input is a matrix with one sample per row, here a single row, so
# its shape is `(1, 2)`.

# %%
X = np.array([[2.0, 3.0]])                                  # 1 sample, 2 features
signal = X
print(f"input            shape {signal.shape}")
for layer in network.layers:
    signal = layer.forward(signal)
    print(f"after {type(layer).__name__:<8}   shape {signal.shape}   values {np.round(signal, 4).tolist()}")
print(f"matrix network o1 = {signal[0, 0]:.10f}")
print(f"three neurons  o1 = {out_o1:.10f}")
print("the same number:", np.isclose(signal[0, 0], out_o1, rtol=1e-12, atol=0))

# %% [markdown]
# Both ways give $o_1 = 0.7216325610$. The matrix form is what every deep learning library
# does, because a matrix product is fast on modern hardware.
#
# Why compare with `np.isclose` and not `==`? A matrix product may add the same terms in
# another order than our neuron-by-neuron code, and each CPU picks its own order, so in
# general the two results can differ in the last of their 16 digits. Here the weights are
# 0 and 1 and every sum is exact, but numerical code should never count on that: compare
# with a tolerance (here twelve digits), as every test in this course does.
#
# ### Shapes at every step
#
# With $N$ samples in a batch (rows), $D$ input features, $H$ hidden neurons and $K$ outputs
# (four counts, not arrays):
#
# | array | shape | here ($N=4$ below) |
# |---|---|---|
# | input $X = a^{(0)}$ | $(N, D)$ | (4, 2) |
# | $W^{(1)}$, $\mathbf{b}^{(1)}$ | $(D, H)$, $(H,)$ | (2, 2), (2,) |
# | hidden $a^{(1)} = \sigma(X W^{(1)} + \mathbf{b}^{(1)})$ | $(N, H)$ | (4, 2) |
# | $W^{(2)}$, $\mathbf{b}^{(2)}$ | $(H, K)$, $(K,)$ | (2, 1), (1,) |
# | output $\hat y = a^{(2)} = \sigma(a^{(1)} W^{(2)} + \mathbf{b}^{(2)})$ | $(N, K)$ | (4, 1) |
#
# The bias row $(H,)$ is added to every row of $X W^{(1)}$ (NumPy calls this
# *broadcasting*). A handy check: in a product $(N, D) \times (D, H)$ the inner sizes must
# match, and the outer ones are what you get. Here is a batch of four samples going through
# the same network:

# %%
X4 = np.array([[2.0, 3.0], [0.0, 0.0], [1.0, -1.0], [-2.0, 5.0]])
out = network.forward(X4)
print("X4 shape", X4.shape, "-> output shape", out.shape)
for x_row, o in zip(X4, out[:, 0]):
    print(f"x = {x_row.tolist()}  ->  o1 = {o:.4f}")

# %% [markdown]
# ## 4. A hidden layer solves XOR
#
# Lesson 01 showed that no single neuron computes XOR. Two layers can, and here is the
# idea in words: **XOR = (x1 OR x2) AND NOT (x1 AND x2)**, that is, OR and NAND both true.
# Each of OR, NAND and AND is linearly separable, so each is one neuron:
#
# * hidden neuron $h_1$ computes OR: weights $[20, 20]$, bias $-10$;
# * hidden neuron $h_2$ computes NAND: weights $[-20, -20]$, bias $30$;
# * the output neuron computes AND of $h_1$ and $h_2$: weights $[20, 20]$, bias $-30$.
#
# (Large weights make each sigmoid a sharp step, so the outputs are close to 0 or 1.)

# %%
X_xor, y_xor = datasets.xor()
xor_net = Sequential([Dense(2, 2), Sigmoid(), Dense(2, 1), Sigmoid()])
xor_net.layers[0].W[:] = [[20, -20], [20, -20]]    # columns: h1 = OR, h2 = NAND
xor_net.layers[0].b[:] = [-10, 30]
xor_net.layers[2].W[:] = [[20], [20]]              # o1 = h1 AND h2
xor_net.layers[2].b[:] = [-30]
hidden_out = xor_net.layers[1].forward(xor_net.layers[0].forward(X_xor))
for x_row, h, o, t in zip(X_xor.astype(int), hidden_out, xor_net.predict(X_xor)[:, 0], y_xor):
    print(f"x = {x_row}  h1 (OR) = {h[0]:.4f}  h2 (NAND) = {h[1]:.4f}  ->  o1 = {o:.4f}  (target {t})")

# %% [markdown]
# The trick is that the hidden layer **moves the points**. In the input plane the XOR points
# cannot be split by a line. In the plane of the hidden values $(h_1, h_2)$ the two red points
# land on the same corner $(1, 1)$, the blue ones on $(0, 1)$ and $(1, 0)$, and one line,
# the output neuron's, splits them. Left: the network's decision regions in the input plane
# (it is no longer a single line!). Right: the same four points as the hidden layer sees them.

# %%
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
plots.show("Left: the four XOR points in the input plane over the network's decision regions, "
           "bounded by two lines. Right: the same points in the hidden plane (h1, the OR neuron, "
           "against h2, the NAND neuron) with the output neuron's line between the classes.")

# %% [markdown]
# ### Letting the network find the weights
#
# We chose those weights by thinking. The point of neural networks is that they can find
# weights by themselves, from examples: **training**. `course_lib.train` repeats three steps
# many times: compute the outputs (the forward pass you just saw), measure how wrong they
# are with a **loss** (lesson 03), and nudge every weight in the direction that lowers the
# loss (lessons 04 and 05 explain how). For now, treat it as a black box.
#
# We start a 2-2-1 sigmoid network from random weights (seeded, so the run is reproducible),
# and train it for 2000 passes over the four XOR examples:

# %%
model = mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=1)
history = train(model, X_xor, y_xor, loss=BinaryCrossEntropy(), optimizer=SGD(lr=0.5),
                epochs=2000, progress=False)
print(f"loss: {history.train_loss[0]:.4f} at the start, {history.train_loss[-1]:.4f} at the end")
for x_row, p, t in zip(X_xor.astype(int), model.predict(X_xor)[:, 0], y_xor):
    print(f"x = {x_row}  ->  {p:.4f}   (target {t})")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
plots.plot_decision_boundary(model, X_xor, y_xor, ax=axes[0], title="trained 2-2-1 network on XOR",
                             point_size=120)
axes[0].set_aspect("equal")
plots.plot_loss_curves(history, ax=axes[1], title="training loss")
plots.show("Left: the decision regions of the trained 2-2-1 network over the four XOR points. "
           "Right: its training loss against the epoch.")

# %% [markdown]
# The trained network found its own solution: a band between two nearly parallel lines, with
# the blue points inside and the red ones outside; the hand-built network had it the other
# way round. Different weights, same gate: many networks compute XOR, and training finds one
# of them. The loss curve also shows a long flat stretch (about 500 epochs near 0.69) before
# the drop.
#
# Training is not guaranteed to succeed. The same training from six random starts (seeds 0
# to 5):

# %%
for seed in range(6):
    trial = mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=seed)
    trial_history = train(trial, X_xor, y_xor, loss=BinaryCrossEntropy(), optimizer=SGD(lr=0.5),
                          epochs=2000, progress=False)
    correct = int(((trial.predict(X_xor)[:, 0] > 0.5) == y_xor).sum())
    print(f"seed {seed}: loss {trial_history.train_loss[-1]:.4f} after 2000 epochs, {correct}/4 correct")

# %% [markdown]
# Four starts learn XOR. From seed 0 the network is stuck at a loss of about 0.69
# ($= \log 2$, the loss of answering 0.5 for everyone), and from seed 5 it settles with one
# point wrong. Lesson 05 shows why such starts get stuck and what helps.
#
# ## 5. Try it: how many hidden units?
#
# The four XOR points are the simplest case. The widget trains a network with one hidden
# layer of 1 to 8 units (tanh activation, which lesson 06 introduces) on 200 noisy points,
# and draws its decision regions and the training loss. Each change retrains the network
# (results are cached, so going back is instant). Things to notice:
#
# * With **1** hidden unit the network can only draw one line, like a single neuron.
# * On the "xor" data, points are red where $x_1 x_2 > 0$ (up to a little noise): the
#   boundaries are the two axes. **2** units give two lines, but arranged as a band, which
#   fits the four XOR corners and not the four quadrants (about 80%); with **4** units or
#   more the network gets 97-98% right.
# * "circle" needs about 3 units to enclose the inner class; "moons" needs a curved boundary.
#
# The cell below trains every setting of the widget once and prints its training accuracy,
# so you can check these statements (and the widget then answers at once from the cache):

# %%
for dataset in basics.NETWORK_DATASETS:
    accuracies = []
    for n_hidden in range(1, 9):
        net, _, X_data, y_data = basics.train_hidden_network(n_hidden, dataset)
        accuracies.append(f"{((net.predict(X_data)[:, 0] > 0.5) == y_data).mean():.0%}")
    print(f"{dataset:>6}, 1 to 8 hidden units: {'  '.join(accuracies)}")

# %% tags=["nbval-ignore-output"]
basics.network_widget(n_hidden=2, dataset="xor")

# %% [markdown]
# ## Summary
#
# * A network feeds the outputs of one layer of neurons into the next. The 2-2-1 network:
#   $h_i = \sigma(\dots)$ for two hidden neurons, then $o_1 = \sigma(w_5 h_1 + w_6 h_2 + b_3)$.
# * The classic example (all weights $[0, 1]$, biases 0, input $[2, 3]$) gives
#   $o_1 = 0.7216325610$, from three `Neuron`s and from matrices alike.
# * In matrix form a layer is $\sigma(X W + \mathbf{b})$ with $X$ of shape $(N, D)$, $W$ of shape
#   $(D, H)$, $\mathbf{b}$ of shape $(H,)$, giving $(N, H)$: one row per sample, one column per neuron.
# * A hidden layer re-maps the inputs so that the output neuron's single line is enough: XOR
#   becomes OR AND NAND. With more hidden units the network can draw more complex regions.
# * `train` finds the weights from examples; lessons 03-05 open the black box.
#
# **Next:** [lesson 03](03_loss.ipynb) measures how wrong a network is: the loss.
#
# ## Exercises
#
# Practise in [`exercises/02_network_exercises.ipynb`](../exercises/02_network_exercises.ipynb).
