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
# # Lesson 11 — A computational graph that computes its own gradients
#
# Since lesson 04 every gradient in this course was derived by hand: first on paper for the
# 2-2-1 network, then as a `backward` method for every layer, activation and loss. Frameworks
# such as PyTorch do not ask for that. While the forward pass runs, they **record** it as a
# computational graph, and then they differentiate the graph **automatically**, with the
# same chain rule, walked backwards. This is called automatic differentiation (reverse
# mode), and PyTorch's name for it is *autograd*.
#
# In this lesson we build one, small enough to read in one sitting: `course_lib.autograd`, a
# `Value` class of about 120 lines of code that works on single numbers, in the style of
# Andrej Karpathy's *micrograd*, plus a few lines for neurons, layers and networks. Then we
# check it against what lesson 04 computed by hand, and finish with a dictionary from
# `course_lib` to PyTorch.
#
# **Learning objectives.** After this lesson you can
#
# 1. explain how a `Value` records the graph of a computation, and draw that graph;
# 2. run the backward pass in topological order, and say why the order matters;
# 3. state the fan-out rule (gradients arriving along several paths add up) and find it in code;
# 4. rebuild the 2-2-1 network from `Value`s, get lesson 04's gradients, and train XOR with it;
# 5. explain why the vectorized library is much faster than one Python object per number;
# 6. translate a `course_lib` network and training loop into PyTorch, name by name.

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
import importlib.util
import inspect
import time

import matplotlib.pyplot as plt
import numpy as np

from course_lib import MSE, SGD, Dense, Sequential, Sigmoid, Tanh, activations, datasets, train
from course_lib.autograd import MLP, Value, topological_order
from course_lib.widgets import basics
from course_lib import plots
plots.use_course_style()   # colours that stay apart for colour-blind eyes, in every figure


# %% [markdown]
# ## 1. A `Value` remembers how it was made
#
# A `Value` holds one number, `data`. An operation on `Value`s returns a new `Value` with the
# result, and that new `Value` also remembers its `inputs` and the operation, `op`. So running
# a computation builds its graph as a side effect.
#
# Take the single neuron of lesson 04, section 2: input $x = 2$, weight $w = -0.5$, bias
# $b = 0.5$, target $y = 1$, and the squared error
#
# $$ u = w x, \qquad z = u + b, \qquad p = \sigma(z), \qquad d = p - y, \qquad L = d^2 .$$
#
# The labels only name the nodes for the pictures.

# %%
x, w, b, y = Value(2.0, label="x"), Value(-0.5, label="w"), Value(0.5, label="b"), Value(1.0, label="y")
u = w * x;          u.label = "u"
z = u + b;          z.label = "z"
p = z.sigmoid();    p.label = "p"
d = p - y;          d.label = "d"
L = d ** 2;         L.label = "L"
print(L)
for node in (L, d, p, z, u):
    print(f"{node.label} = {node.data:+.4f}  made by {node.op!r:>9} from {[v.label for v in node.inputs]}")

# %% [markdown]
# Nothing has been differentiated yet: every `grad` is still 0. Each operation also attached
# to its result a small function, `_backward`, which knows how to pass a gradient back to the
# inputs. Here is the whole of addition in `course_lib.autograd`, the forward computation
# next to its backward rule:

# %%
print(inspect.getsource(Value.__add__))

# %% [markdown]
# `out = a + b` has the local derivatives $\partial\,\text{out}/\partial a = 1$ and
# $\partial\,\text{out}/\partial b = 1$. When the backward pass reaches `out`,
# `out.grad` holds $\partial L/\partial\,\text{out}$, and the chain rule of lesson 04 gives
# each input its share, the local derivative times the gradient from above:
#
# $$ \frac{\partial L}{\partial a} \mathrel{+}= \frac{\partial\,\text{out}}{\partial a} \cdot \frac{\partial L}{\partial\,\text{out}} = 1 \cdot \texttt{out.grad} .$$
#
# Every other operation has the same shape: a forward line, and a backward rule with its local
# derivative ($\sigma'(z) = p(1-p)$ for the sigmoid, $1$ and $-1$ for a subtraction, ...).
# The rules of the product, of tanh and of a power are yours to write in the exercises. Why
# `+=` and not `=` is the subject of section 3.
#
# ## 2. The backward pass, in topological order
#
# `L.backward()` sets $\partial L/\partial L = 1$ and then calls every node's backward rule,
# from $L$ back to the leaves. A node may pass its gradient on only when its `grad` is
# **complete**, that is after every node that uses it has added its share. An order with that
# property is a **topological order** (read backwards): list each node after all of its
# inputs, the way the forward pass computed them, and walk the list from the end.

# %%
print(inspect.getsource(Value.backward))
print("topological order:", [v.label for v in topological_order(L)])

# %% [markdown]
# Let us run exactly what `backward` does, one node at a time, and watch the gradients arrive
# (the leaves' rules do nothing: a leaf was not computed from anything):

# %%
L.grad = 1.0
for node in reversed(topological_order(L)):
    node._backward()
    if node.inputs:
        shares = ", ".join(f"d{v.label} = {v.grad:+.4f}" for v in node.inputs)
        print(f"rule of {node.label} ({node.op:>7}):  {shares}")

# %% [markdown]
# These are the numbers lesson 04 computed by hand in section 2: $\partial L/\partial p = 2(p - y)
# \approx -1.2449$, $\partial L/\partial z \approx -0.2926$, $\partial L/\partial w \approx -0.5851$,
# $\partial L/\partial b \approx -0.2926$ (and $\partial L/\partial y$ and $\partial L/\partial x$
# come for free). A central difference agrees, and the picture shows the graph that `L`
# recorded, with each node's value and gradient:

# %%
def neuron_loss(w, b=0.5, x=2.0, y=1.0):
    return (float(activations.sigmoid(w * x + b)) - y) ** 2

h = 1e-6
print(f"autograd           dL/dw = {w.grad:.8f}")
print(f"central difference dL/dw = {(neuron_loss(-0.5 + h) - neuron_loss(-0.5 - h)) / (2 * h):.8f}")

fig, ax = plt.subplots(figsize=(11, 4.6))
basics.draw_value_graph(ax, L)
ax.set_title("the graph L recorded: value and grad = dL/d(node) under each node")
plots.show("The graph that L recorded, from the inputs through each operation to L, each "
           "node with its value and its grad, dL/d(node).")

# %% [markdown]
# ## 3. Fan-out: a value used twice
#
# Lesson 04's graphs used every value once. But a value can feed several nodes, and then it
# reaches the loss along several **paths**. The rule (the multivariable chain rule): the
# derivative is the **sum** over the paths. If $L = f(g_1(a), g_2(a))$, then
#
# $$ \frac{\partial L}{\partial a} = \frac{\partial L}{\partial g_1}\frac{\partial g_1}{\partial a}
# + \frac{\partial L}{\partial g_2}\frac{\partial g_2}{\partial a} .$$
#
# Example: $L = a \cdot a + a$ at $a = 3$. The derivative is $2a + 1 = 7$, and it arrives in
# three shares: $3$ and $3$ through the two inputs of the product, and $1$ through the sum.
# That is why every backward rule **adds** to `grad` (`+=`): with `=`, `a.grad` would keep only
# the last share written.

# %%
a = Value(3.0, label="a")
s = a * a;   s.label = "s"
L2 = s + a;  L2.label = "L"
L2.grad = 1.0
for node in reversed(topological_order(L2)):
    node._backward()
    if node.inputs:
        print(f"after the rule of {node.label} ({node.op}):  a.grad = {a.grad:.1f}")
print(f"dL/da = 2a + 1 = {2 * 3.0 + 1:.1f};  central difference: "
      f"{(((3 + h) ** 2 + 3 + h) - ((3 - h) ** 2 + 3 - h)) / (2 * h):.6f}")

# %%
fig, ax = plt.subplots(figsize=(7, 3.4))
basics.draw_value_graph(ax, L2)
ax.set_title("fan-out: a is both inputs of s, and an input of L: grad 1 + 3 + 3 = 7")
plots.show("A small graph where a feeds both inputs of s and also L; a's grad adds the three "
           "paths: 1 + 3 + 3 = 7.")

# %% [markdown]
# The order matters for the same reason. Below, $c = 2a$ is used twice, in $L = c \cdot c + c$.
# Walking the nodes in topological order gives $\partial L/\partial a = 2(2c + 1)$. If instead
# $c$'s rule runs **before** the product $c \cdot c$ has added its share, $c$ passes on an
# incomplete gradient, and $a$ never receives the rest:

# %%
def build():
    a = Value(1.5, label="a")
    c = a * 2.0;  c.label = "c"
    cc = c * c;   cc.label = "cc"
    L = cc + c;   L.label = "L"
    return a, c, cc, L

def backward_in(order, root):
    root.grad = 1.0
    for node in order:
        node._backward()

a, c, cc, L3 = build()
backward_in(reversed(topological_order(L3)), L3)
print(f"topological order:   dL/da = {a.grad:.1f}   (2 (2c + 1) = {2 * (2 * 3.0 + 1):.1f})")
a, c, cc, L3 = build()
backward_in([L3, c, cc, a], L3)
print(f"c before its user:   dL/da = {a.grad:.1f}   (only the share that came straight from L)")

# %% [markdown]
# The library's layers have the same rule built in. In `Dense.backward`, $dX = \delta\, W^\top$
# adds up, for each input, the gradients of all the outputs it feeds, and
# $db = \sum_\text{rows} \delta$ adds up the gradients of all the samples that used the bias.
# In lesson 04's exercise, $\partial L/\partial x_1$ was the sum over the two paths through
# $h_1$ and $h_2$.
#
# ## 4. The 2-2-1 network from `Value`s
#
# `course_lib.autograd` also has a `Neuron`, a `Layer` and an `MLP` made of `Value`s, a few
# lines each: a neuron computes $f(w \cdot x + b)$ with a Python loop over its inputs. Here is
# the network of lessons 02-04 with Alice, the weights all 1 and the biases 0 (`Layer.load`
# copies a `Dense` layer's `W` and `b`: neuron $j$ gets column $j$):

# %%
print(inspect.getsource(MLP.__init__))
x1, x2, y_true = -2.0, -1.0, 1.0     # Alice
net = MLP([2, 2, 1], activation="sigmoid", output_activation="sigmoid")
net.layers[0].load(W=[[1.0, 1.0], [1.0, 1.0]], b=[0.0, 0.0])
net.layers[1].load(W=[[1.0], [1.0]], b=[0.0])
[y_pred] = net([x1, x2])
L4 = (y_true - y_pred) ** 2
L4.backward()
print(f"y_pred = {y_pred.data:.4f}, L = {L4.data:.4f}; the graph of L has {len(topological_order(L4))} Values")

# %% [markdown]
# The same gradients three ways: from the `Value` graph, from lesson 04's hand-derived
# formulas (section 3, repeated here in a few lines), and from `Dense.backward`:

# %%
f = lambda s: float(activations.sigmoid(s))                   # noqa: E731
f_prime = lambda s: float(activations.sigmoid_derivative(s))  # noqa: E731
sum_h1 = sum_h2 = x1 + x2                                     # all weights 1, biases 0
h1, h2 = f(sum_h1), f(sum_h2)
sum_o1 = h1 + h2
d_L_d_ypred = -2 * (y_true - f(sum_o1))
hand = {"w1": d_L_d_ypred * f_prime(sum_o1) * x1 * f_prime(sum_h1),
        "w2": d_L_d_ypred * f_prime(sum_o1) * x2 * f_prime(sum_h1),
        "w3": d_L_d_ypred * f_prime(sum_o1) * x1 * f_prime(sum_h2),
        "w4": d_L_d_ypred * f_prime(sum_o1) * x2 * f_prime(sum_h2),
        "w5": d_L_d_ypred * h1 * f_prime(sum_o1), "w6": d_L_d_ypred * h2 * f_prime(sum_o1),
        "b1": d_L_d_ypred * f_prime(sum_o1) * f_prime(sum_h1),
        "b2": d_L_d_ypred * f_prime(sum_o1) * f_prime(sum_h2), "b3": d_L_d_ypred * f_prime(sum_o1)}

hidden, output = Dense(2, 2), Dense(2, 1)
hidden.W[:] = 1.0;  output.W[:] = 1.0                         # biases are 0 already
model = Sequential([hidden, Sigmoid(), output, Sigmoid()])
mse = MSE()
mse.forward(model.forward(np.array([[x1, x2]])), np.array([[y_true]]))
model.backward(mse.backward())

(dW1, db1), (dW2, db2) = net.layers[0].grads(), net.layers[1].grads()
where = {"w1": (0, 0), "w2": (1, 0), "w3": (0, 1), "w4": (1, 1)}
autograd = {**{k: dW1[i] for k, i in where.items()}, "w5": dW2[0, 0], "w6": dW2[1, 0],
            "b1": db1[0], "b2": db1[1], "b3": db2[0]}
dense = {**{k: hidden.dW[i] for k, i in where.items()}, "w5": output.dW[0, 0], "w6": output.dW[1, 0],
         "b1": hidden.db[0], "b2": hidden.db[1], "b3": output.db[0]}
print("      Value graph   by hand      Dense.backward")
for k in hand:
    print(f"{k}:  {autograd[k]:+.8f}  {hand[k]:+.8f}  {dense[k]:+.8f}")
print("max |Value - by hand|        < 1e-15:", max(abs(autograd[k] - hand[k]) for k in hand) < 1e-15)
print("max |Value - Dense.backward| < 1e-15:", max(abs(autograd[k] - dense[k]) for k in hand) < 1e-15)

# %% [markdown]
# $\partial L/\partial w_1 \approx 0.0215$, as in lesson 04. Nobody wrote a derivative for this
# network: its graph of 31 `Value`s found all nine by itself, from the local rules of `+`, `*`,
# `-`, the sigmoid and the square. With one sample, no value of this graph is used twice. In
# the next section, with four samples, every weight is used four times, and its `grad` adds up
# the four samples' shares: the sum over the rows in $dW = X^\top \delta$.
#
# ## 5. Training XOR with `Value`s
#
# A training step is lesson 05's loop: set the gradients to 0 (they accumulate), compute the
# loss, call `backward`, and move every parameter against its gradient. The loss is the mean
# squared error over the four XOR samples, written with `Value`s:
#
# $$ L = \frac{1}{N} \sum_{i=1}^{N} (p_i - y_i)^2 .$$
#
# We use 2-3-1 (tanh hidden units, a sigmoid output), which learns XOR in a few hundred
# epochs; lesson 05 showed how slowly the 2-2-1 sigmoid network can get there. To compare
# with the vectorized library, both networks start from the **same** weights: a `Sequential`
# draws them, and the `Value` network loads them.

# %%
X, y_xor = datasets.xor()
Y = y_xor.reshape(-1, 1).astype(float)

def value_mse(model, X, Y):
    """The mean squared error over all samples and outputs, as a Value."""
    errors = [(p - t) ** 2 for x, y in zip(X, Y) for p, t in zip(model(list(x)), y)]
    return sum(errors) * (1.0 / len(errors))

rng = np.random.default_rng(0)
array_net = Sequential([Dense(2, 3, rng=rng), Tanh(), Dense(3, 1, rng=rng), Sigmoid()])
value_net = MLP([2, 3, 1], activation="tanh", output_activation="sigmoid")
for layer, dense in zip(value_net.layers, [array_net.layers[0], array_net.layers[2]]):
    layer.load(dense.W, dense.b)

epochs, lr = 500, 1.0
value_losses = []
for epoch in range(epochs):
    value_net.zero_grad()
    loss = value_mse(value_net, X, Y)
    loss.backward()
    for param in value_net.parameters():
        param.data -= lr * param.grad
    value_losses.append(loss.data)

history = train(array_net, X, Y, MSE(), SGD(lr=lr), epochs=epochs, progress=False)
print(f"loss, Value network:      {value_losses[0]:.4f} -> {value_losses[-1]:.4f}")
print(f"loss, course_lib arrays:  {history.train_loss[0]:.4f} -> {history.train_loss[-1]:.4f}")
print("same loss at every epoch (to 1e-10):", np.allclose(value_losses, history.train_loss, rtol=0, atol=1e-10))
print("predictions:", [f"{net_out.data:.3f}" for x in X for net_out in value_net(list(x))], " targets:", y_xor.tolist())

# %%
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(value_losses, lw=4, alpha=0.4, label="Value graph (one Python object per number)")
ax.plot(history.train_loss, "k--", lw=1.2, label="course_lib Sequential (arrays)")
ax.set(xlabel="epoch", ylabel="MSE", yscale="log", title="XOR, 2-3-1, SGD lr 1.0: the same training twice")
ax.grid(alpha=0.3, which="both")
ax.legend()
plots.show("The MSE (log scale) against the epoch of a 2-3-1 network on XOR, trained once with "
           "the Value graph and once with course_lib's Sequential: the two curves lie on top of "
           "each other.")

# %% [markdown]
# The two curves lie on top of each other: the same network, the same starting weights, the
# same gradients, so the same training.
#
# ## 6. Why the vectorized library is much faster
#
# The `Value` network builds a new graph for every step: one Python object, with its own
# `_backward` function, for every number of the computation, and every operation runs as
# interpreted Python. Count them for one training step of this 2-3-1 network:

# %%
for n in (1, 4, 64):
    sample_X = np.tile(X, (n // 4 + 1, 1))[:n]
    sample_Y = np.tile(Y, (n // 4 + 1, 1))[:n]
    print(f"batch of {n:3d}: {len(topological_order(value_mse(value_net, sample_X, sample_Y))):6d} Values in the graph")

# %% [markdown]
# Each sample adds 32 `Value`s, so the work in Python grows with the batch. The vectorized
# library does the same arithmetic with a handful of NumPy calls per layer (a matrix product, an
# addition, an activation), whatever the batch size, and NumPy runs each call as compiled
# loops over contiguous arrays. The timing below measures one training step (forward, loss,
# backward, update) both ways; the exact times depend on the computer and on what else it is
# doing, so this cell's printout differs from run to run:

# %% tags=["nbval-ignore-output"]
def best_time(step, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)

def value_step(Xb, Yb):
    value_net.zero_grad()
    loss = value_mse(value_net, Xb, Yb)
    loss.backward()
    for param in value_net.parameters():
        param.data -= 0.01 * param.grad

mse, sgd = MSE(), SGD(lr=0.01)

def array_step(Xb, Yb):
    mse.forward(array_net.forward(Xb), Yb)
    array_net.backward(mse.backward())
    sgd.step(array_net)

X_moons, y_moons = datasets.moons(256, seed=0)
print("batch   Value graph   course_lib   ratio")
for n in (4, 64, 256):
    Xb, Yb = X_moons[:n], y_moons[:n].reshape(-1, 1).astype(float)
    t_value = best_time(lambda: value_step(Xb, Yb))
    t_array = best_time(lambda: array_step(Xb, Yb))
    print(f"{n:5d}   {1e3 * t_value:8.2f} ms   {1e3 * t_array:7.3f} ms   {t_value / t_array:5.0f}x")

# %% [markdown]
# The `Value` graph is slower at every batch size, and the gap widens quickly as the batch
# grows: its time grows with the number of samples, while the library's grows far more slowly
# (for arrays this small, most of its time is the fixed cost of a few dozen Python calls). That is the reason `course_lib.layers` works on
# whole arrays, and why frameworks differentiate graphs whose nodes are whole arrays
# (**tensors**), not single numbers: a PyTorch node is a matrix product over the whole batch,
# with a backward rule such as $dW = X^\top \delta$, exactly the ones you wrote in lesson 04.
#
# ## 7. The road to PyTorch
#
# Everything in this course has a PyTorch counterpart. PyTorch is not needed for the course;
# to install its CPU build: `pip install torch --index-url https://download.pytorch.org/whl/cpu`.
#
# | course_lib | PyTorch | note |
# |---|---|---|
# | `Value(2.0)` (one number) | `torch.tensor(2.0, requires_grad=True)` (an array of any shape) | a node of the graph |
# | `v.data`, `v.grad` | `t.item()` / `t.detach()`, `t.grad` | |
# | `L.backward()` | `L.backward()` | both accumulate into `.grad` |
# | `MLP.zero_grad()` | `optimizer.zero_grad()` | |
# | `Dense(n_in, n_out)` | `nn.Linear(n_in, n_out)` | PyTorch stores `weight` as $W^\top$, shape `(n_out, n_in)` |
# | `Sigmoid()`, `Tanh()`, `ReLU()` | `nn.Sigmoid()`, `nn.Tanh()`, `nn.ReLU()` | |
# | `Sequential([...])` | `nn.Sequential(...)` | |
# | `model.forward(X)` | `model(X)` | |
# | `model.backward(loss.backward())` | `loss.backward()` | PyTorch differentiates the recorded graph |
# | `MSE()`, `BinaryCrossEntropy()` | `nn.MSELoss()`, `nn.BCELoss()` | means over the batch |
# | `BinaryCrossEntropy(from_logits=True)` | `nn.BCEWithLogitsLoss()` | sigmoid fused in |
# | `CrossEntropy()` | `nn.CrossEntropyLoss()` | takes logits and integer labels |
# | `SGD(lr)`, `Momentum(lr, beta)` | `optim.SGD(params, lr)`, `optim.SGD(params, lr, momentum=beta)` | |
# | `RMSProp(lr, beta)`, `Adam(lr)`, `AdamW(lr, weight_decay=...)` | `optim.RMSprop(params, lr, alpha=beta)`, `optim.Adam(params, lr)`, `optim.AdamW(params, lr, weight_decay=...)` | |
# | `optimizer.step(model)` | `optimizer.step()` | the optimizer holds the parameters |
# | `train(model, X, y, loss, optimizer, epochs, batch_size)` | the loop below (`DataLoader` for mini-batches) | |
# | `model.train()`, `model.eval()` | `model.train()`, `model.eval()` | dropout on / off |
# | float64 by default | float32 by default | `.double()` for float64 |
#
# The same small network in both. With `course_lib`, the XOR network of section 5 is:

# %%
rng = np.random.default_rng(0)
model = Sequential([Dense(2, 3, rng=rng), Tanh(), Dense(3, 1, rng=rng), Sigmoid()])
history = train(model, X, Y, MSE(), SGD(lr=1.0), epochs=500, progress=False)
print(f"course_lib: loss {history.train_loss[0]:.4f} -> {history.train_loss[-1]:.4f}")

# %% [markdown]
# And with PyTorch, from the same starting weights. This cell runs only where PyTorch is
# installed, and it prints nothing, so that this notebook reads (and tests) the same with or
# without PyTorch. Where it runs, it stops with an error unless PyTorch's 500 losses equal the
# ones above to 9 significant digits; `print(torch_losses[-1])` shows its last loss.
# (`tests/test_autograd.py` and `tests/test_torch_reference.py` compare `course_lib` with
# PyTorch on every test run where PyTorch is installed.) Where PyTorch is missing, the cell does nothing.

# %%
if importlib.util.find_spec("torch") is not None:   # optional: PyTorch is not needed for the course
    import torch
    from torch import nn, optim

    net = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1), nn.Sigmoid()).double()
    rng = np.random.default_rng(0)
    with torch.no_grad():              # the same starting weights; nn.Linear stores W transposed
        for linear in (net[0], net[2]):
            dense = Dense(linear.in_features, linear.out_features, rng=rng)
            linear.weight.copy_(torch.from_numpy(dense.W.T))
            linear.bias.copy_(torch.from_numpy(dense.b))
    loss_fn = nn.MSELoss()
    optimizer = optim.SGD(net.parameters(), lr=1.0)
    X_t, Y_t = torch.from_numpy(X), torch.from_numpy(Y)
    torch_losses = []
    for epoch in range(500):
        optimizer.zero_grad()          # gradients accumulate, as in Value.backward
        loss = loss_fn(net(X_t), Y_t)  # the forward pass records the graph
        loss.backward()                # ... and this walks it backwards
        optimizer.step()
        torch_losses.append(loss.item())
    assert np.allclose(torch_losses, history.train_loss, rtol=1e-9, atol=0), "PyTorch and course_lib disagree"

# %% [markdown]
# Line for line, the PyTorch loop is the training loop you wrote in lesson 05, and
# `loss.backward()` does for tensors what `Value.backward` does for numbers: it walks the graph
# that the forward pass recorded, in topological order, and every node adds its share to the
# gradients of its inputs.
#
# ## Summary
#
# * A `Value` records the computation as a graph: each result remembers its inputs and a
#   backward rule, its local derivative times the gradient from above (the chain rule).
# * `backward()` sets $\partial L/\partial L = 1$ and calls the rules in reversed
#   **topological order**, so that every node has received all its shares before it passes its
#   gradient on.
# * **Fan-out:** a value used several times collects the gradients of all its paths; that is
#   why every rule adds (`+=`). $L = a \cdot a + a$ gives $\partial L/\partial a = 3 + 3 + 1 = 7$.
# * The 2-2-1 network built from `Value`s gives lesson 04's nine gradients and
#   `Dense.backward`'s, and trains XOR exactly like the vectorized library.
# * One Python object per number is slow, and the gap grows with the batch: frameworks build the
#   graph from whole arrays (tensors), with the vectorized backward rules of lesson 04.
# * PyTorch's `nn.Linear`, `nn.Sequential`, losses, `optim` and `loss.backward()` are the
#   `Dense`, `Sequential`, losses, optimizers and backward passes of this course.
#
# **Where next:** PyTorch's own tutorials ("Learn the Basics", "Autograd mechanics") start
# exactly where this lesson stops; Andrej Karpathy's *micrograd* and its video lecture build an
# engine like this one step by step.
#
# ## Exercises
#
# Write the backward rules of `*`, `tanh` and `**`, and the topological sort, in
# [`exercises/11_autograd_exercises.ipynb`](../exercises/11_autograd_exercises.ipynb).
