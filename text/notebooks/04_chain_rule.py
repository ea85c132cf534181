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
# # Lesson 04 — Derivatives, the chain rule and backpropagation
#
# Lesson 03 gave us a loss: one number saying how wrong the network is. To improve the
# network we must know, for **every weight**, how the loss changes when that weight changes a
# little: the loss's partial derivative with respect to the weight. A network computes its
# output through a chain of simple steps, and the **chain rule** turns that chain into a
# recipe for all these derivatives at once. Run backwards through the network, the recipe
# is called **backpropagation**.
#
# **Learning objectives.** After this lesson you can
#
# 1. say what a derivative is, and estimate one with a finite difference;
# 2. apply the chain rule along a computational graph, forward for values and backward for gradients;
# 3. derive by hand every partial derivative of the loss of the 2-2-1 network, such as $\partial L/\partial w_1$;
# 4. write the same computation for a whole batch with matrices (the vectorized backward pass);
# 5. check any gradient numerically, and catch a wrong one.

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

from course_lib import MSE, Dense, Sequential, Sigmoid, activations, gradcheck
from course_lib.widgets import basics
from course_lib import plots
plots.use_course_style()   # colours that stay apart for colour-blind eyes, in every figure


# %% [markdown]
# ## 1. Derivatives
#
# The **derivative** of a function $f$ at a point $x$ is the slope of its graph there: how
# much $f$ changes per unit change of $x$, for very small changes,
#
# $$ f'(x) = \frac{df}{dx} = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h} .$$
#
# A computer cannot take the limit, but it can use a small $h$. The **central difference**
# looks both ways and is much more accurate than the one-sided version (its error shrinks
# like $h^2$ instead of $h$):
#
# $$ f'(x) \approx \frac{f(x + h) - f(x - h)}{2h} .$$
#
# Example: $f(x) = x^2$ has $f'(x) = 2x$, so $f'(3) = 6$.

# %%
def f(x):
    return x ** 2

x, h = 3.0, 1e-5
print(f"exact derivative 2x        = {2 * x:.8f}")
print(f"one-sided  (f(x+h)-f(x))/h = {(f(x + h) - f(x)) / h:.8f}")
print(f"central    (f(x+h)-f(x-h))/2h = {(f(x + h) - f(x - h)) / (2 * h):.8f}")

# %% [markdown]
# The sigmoid's derivative has a neat form, $\sigma'(z) = \sigma(z)(1 - \sigma(z))$.
# The picture shows the sigmoid and its tangent line at $z = 1$, whose slope is
# $\sigma'(1) = \sigma(1)(1 - \sigma(1)) \approx 0.1966$.

# %%
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
plots.show("The sigmoid curve and its tangent at z = 1, a straight line touching it at the marked "
           f"point; the tangent's slope is sigma'(1) = {slope:.4f}, the derivative.")
print(f"sigma'(1) = {slope:.4f};  central difference: "
      f"{(activations.sigmoid(z0 + 1e-5) - activations.sigmoid(z0 - 1e-5)) / 2e-5:.4f}")

# %% [markdown]
# When a function has several inputs, such as the loss, which depends on every weight, its
# **partial derivative** $\partial L / \partial w$ is the derivative with respect to $w$
# while all other inputs are held fixed. The vector of all partial derivatives is the
# **gradient**.
#
# ## 2. The chain rule on a computational graph
#
# If $y$ depends on $u$, and $u$ depends on $x$, then a small change of $x$ changes $u$, which
# changes $y$, and the rates multiply:
#
# $$ \frac{dy}{dx} = \frac{dy}{du} \cdot \frac{du}{dx} .$$
#
# Take a single neuron with one input and the squared-error loss, and split it into its
# elementary steps, each with an easy local derivative:
#
# | step | value | local derivative |
# |---|---|---|
# | $u = w x$ | $-1.0$ | $\partial u/\partial w = x$ |
# | $z = u + b$ | $-0.5$ | $\partial z/\partial u = 1$, $\partial z/\partial b = 1$ |
# | $p = \sigma(z)$ | $0.3775$ | $\partial p/\partial z = p(1-p)$ |
# | $L = (p - y)^2$ | $0.3875$ | $\partial L/\partial p = 2(p - y)$ |
#
# with $x = 2$, $w = -0.5$, $b = 0.5$ and target $y = 1$. Drawn as a graph, values flow
# forward (left to right). To get $\partial L/\partial w$, we start from
# $\partial L/\partial L = 1$ at the right and walk **backwards**, multiplying by one local
# derivative per step:
#
# $$ \frac{\partial L}{\partial w} = \frac{\partial L}{\partial p} \cdot \frac{\partial p}{\partial z}
# \cdot \frac{\partial z}{\partial u} \cdot \frac{\partial u}{\partial w} .$$

# %%
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

# %%
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
plots.show("The computation graph of one neuron: x times w gives u, u plus b gives z, the "
           "sigmoid of z gives p, and (p - y) squared gives the loss L; each node notes its "
           "value and, where computed, its gradient dL/d(node).")


# %% [markdown]
# Does this agree with the slope definition of section 1? Nudge $w$ by $\pm h$ and recompute
# the loss:

# %%
def neuron_loss(w, b=0.5, x=2.0, y=1.0):
    return (float(activations.sigmoid(w * x + b)) - y) ** 2

h = 1e-5
print(f"chain rule         dL/dw = {dL_dw:.8f}")
print(f"central difference dL/dw = {(neuron_loss(w + h) - neuron_loss(w - h)) / (2 * h):.8f}")


# %% [markdown]
# Two things make the backward walk efficient. Every local derivative is simple, and uses
# values already computed in the forward pass (such as $p$ and $x$). And the product of the
# last factors, such as $\partial L/\partial z$, is shared: both $\partial L/\partial w$ and
# $\partial L/\partial b$ start from it. Backpropagation computes each shared product once.
# And when one value feeds several nodes, the gradients arriving along its paths add up (the
# fan-out rule): lesson 11 builds a graph that applies these rules by itself.
#
# ## 3. Backpropagation by hand: the 2-2-1 network
#
# Now the network of lesson 02, with the naming of Victor Zhou's classic tutorial
# *Machine Learning for Beginners: An Introduction to Neural Networks*
# (victorzhou.com). One training sample, "Alice": inputs $x_1 = -2$, $x_2 = -1$, target
# $y = 1$. All weights are 1 and all biases 0. The loss is the squared error
# $L = (y - \hat y)^2$, where the prediction $\hat y = o_1$ is the output neuron's value (in
# the code: `y_true` and `y_pred`).
#
# **Forward pass**, keeping the weighted sums (we need them backwards):
#
# $$
# \begin{aligned}
# h_1 &= f(\underbrace{w_1 x_1 + w_2 x_2 + b_1}_{\text{sum}_{h_1}}), \qquad
# h_2 = f(\underbrace{w_3 x_1 + w_4 x_2 + b_2}_{\text{sum}_{h_2}}), \\
# \hat y = o_1 &= f(\underbrace{w_5 h_1 + w_6 h_2 + b_3}_{\text{sum}_{o_1}}), \qquad f = \sigma .
# \end{aligned}
# $$

# %%
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

# %% [markdown]
# **Backward pass.** Take $w_1$. It only reaches the loss through $h_1$, and $h_1$ only
# through $\hat y$, so by the chain rule
#
# $$ \frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial \hat y} \cdot
# \frac{\partial \hat y}{\partial h_1} \cdot \frac{\partial h_1}{\partial w_1} .$$
#
# Each factor is one line of algebra:
#
# $$
# \begin{aligned}
# \frac{\partial L}{\partial \hat y} &= -2\,(y - \hat y) \\
# \frac{\partial \hat y}{\partial h_1} &= w_5 \, f'(\text{sum}_{o_1}), &
# \frac{\partial \hat y}{\partial h_2} &= w_6 \, f'(\text{sum}_{o_1}) \\
# \frac{\partial \hat y}{\partial w_5} &= h_1 \, f'(\text{sum}_{o_1}), &
# \frac{\partial \hat y}{\partial w_6} &= h_2 \, f'(\text{sum}_{o_1}), \qquad
# \frac{\partial \hat y}{\partial b_3} = f'(\text{sum}_{o_1}) \\
# \frac{\partial h_1}{\partial w_1} &= x_1 \, f'(\text{sum}_{h_1}), &
# \frac{\partial h_1}{\partial w_2} &= x_2 \, f'(\text{sum}_{h_1}), \qquad
# \frac{\partial h_1}{\partial b_1} = f'(\text{sum}_{h_1}) \\
# \frac{\partial h_2}{\partial w_3} &= x_1 \, f'(\text{sum}_{h_2}), &
# \frac{\partial h_2}{\partial w_4} &= x_2 \, f'(\text{sum}_{h_2}), \qquad
# \frac{\partial h_2}{\partial b_2} = f'(\text{sum}_{h_2})
# \end{aligned}
# $$
#
# In code, one variable per partial derivative, named as in the formulas:

# %%
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

# %% [markdown]
# Multiplying along each path from the loss back to a parameter gives all nine partial
# derivatives:

# %%
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

# %% [markdown]
# $\partial L/\partial w_1 \approx 0.0215$ (the tutorial rounds every intermediate value and
# gets 0.0214): increasing $w_1$ a little would *increase* the loss a little, so training will
# decrease $w_1$. The weights
# into $h_1$ and $h_2$ have equal gradients because the network is symmetric (all weights
# equal). The picture writes each weight's gradient on its arrow:

# %%
fig, ax = plt.subplots(figsize=(8, 4.4))
basics.draw_network_diagram(
    ax, edge_labels={k: f"${k[0]}_{k[1]}$: {hand[k]:+.4f}" for k in ["w1", "w2", "w3", "w4", "w5", "w6"]},
    notes={"h1": f"b1: {hand['b1']:+.4f}", "h2": f"b2: {hand['b2']:+.4f}", "o1": f"b3: {hand['b3']:+.4f}"})
ax.set_title(r"$\partial L / \partial w$ on each weight, $\partial L / \partial b$ under each neuron (Alice)")
plots.show("The 2-2-1 network's diagram with dL/dw written on each of the six weights and "
           "dL/db under each neuron, the values computed by hand above.")

# %% [markdown]
# ### Step through it
#
# The same computation, one quantity per click. **next step** computes the next quantity and
# lights up the neuron, weight or bias it belongs to: first the forward pass (each sum, each
# activation, the loss), then the backward pass with the names used above (`d_L_d_ypred`,
# `d_ypred_d_w5`, ..., then each $\partial L/\partial w$ and $\partial L/\partial b$), then
# the update $w \leftarrow w - \eta\, \partial L/\partial w$ with learning rate $\eta = 0.1$
# (lesson 05 is about this step). **forward**, **backward** and **update** finish that
# phase. Tick **guess first** to type your own value before each one is revealed.
#
# The widget shows a list of steps that the plain function `backprop_steps` computes:

# %%
from course_lib.widgets import backprop_stepper, backprop_steps

alice_net = Sequential([Dense(2, 2), Sigmoid(), Dense(2, 1), Sigmoid()])
for layer in (alice_net.layers[0], alice_net.layers[2]):   # all weights 1, all biases 0
    layer.W[:] = 1.0
    layer.b[:] = 0.0
steps = backprop_steps(alice_net, [x1, x2], y_true, MSE(), lr=0.1)
print(f"{len(steps)} steps:", ", ".join(s["name"] for s in steps[:10]), "...")
print("the steps' dL/dw1 equals ours:",
      bool(np.isclose([s["value"] for s in steps if s["name"] == "dL/dw1"][0], hand["w1"], rtol=1e-12)))

# %% tags=["nbval-ignore-output"]
backprop_stepper(alice_net, [x1, x2], y_true, MSE(), lr=0.1)

# %% [markdown]
# ## 4. Checking the hand derivation twice
#
# **With finite differences.** Put the nine parameters in one array $\theta$, write the loss
# as a function of $\theta$, and let `gradcheck.numerical_gradient` nudge each entry by
# $\pm h$ (central differences, $h = 10^{-5}$).
#
# **With the library's layers.** Build the same network from `Dense` and `Sigmoid` layers
# (weights set by hand as in lesson 02: $W^{(1)}$ has the hidden neurons as columns,
# $W^{(1)} = \begin{bmatrix} w_1 & w_3 \\ w_2 & w_4 \end{bmatrix}$), run forward, the MSE loss,
# and `backward`. Each `Dense` layer then holds its gradients in `dW` and `db`.

# %%
names = ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]

def loss_of(theta, x1=x1, x2=x2, y_true=y_true):
    w1, w2, w3, w4, w5, w6, b1, b2, b3 = theta
    h1, h2 = f(w1 * x1 + w2 * x2 + b1), f(w3 * x1 + w4 * x2 + b2)
    return (y_true - f(w5 * h1 + w6 * h2 + b3)) ** 2

theta = np.array([1.0, 1, 1, 1, 1, 1, 0, 0, 0])
numeric = gradcheck.numerical_gradient(lambda: loss_of(theta), theta, h=1e-5)

# %%
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

# %% [markdown]
# All three agree to every printed digit. The layers are not doing anything different from our
# hand derivation; they do it with matrices, for a whole batch at once.
#
# ## 5. The vectorized backward pass
#
# With a batch of $N$ samples in the rows of $X$ (shape $(N, 2)$), the forward pass of lesson 02
# is, in the course's notation (the layer number is the superscript; each symbol holds the
# whole batch, one row per sample):
#
# $$ z^{(1)} = X W^{(1)} + \mathbf b^{(1)},\quad a^{(1)} = \sigma(z^{(1)}),\quad
# z^{(2)} = a^{(1)} W^{(2)} + \mathbf b^{(2)},\quad \hat y = a^{(2)} = \sigma(z^{(2)}),\quad
# L = \tfrac1N \textstyle\sum_i (\hat y_i - y_i)^2 .$$
#
# Here $a^{(1)}$ holds $h_1, h_2$ for every sample and $z^{(2)}$ is $\text{sum}_{o_1}$. Going
# backwards, each line is the chain rule for a whole layer at once. One gradient appears at
# every layer and gets its own name, the gradient of the loss with respect to the layer's
# pre-activation:
#
# $$ \delta^{(l)} = \frac{\partial L}{\partial z^{(l)}} \qquad \text{(same shape as } z^{(l)}\text{)} .$$
#
# $\odot$ is element-wise multiplication, and each gradient has the shape of the thing it is
# the gradient of:
#
# $$
# \begin{aligned}
# \frac{\partial L}{\partial \hat y} &= \tfrac{2}{N}(\hat y - y) & (N, 1) \\
# \delta^{(2)} = \frac{\partial L}{\partial z^{(2)}} &= \frac{\partial L}{\partial \hat y} \odot \hat y \odot (1 - \hat y) & (N, 1) \\
# \frac{\partial L}{\partial W^{(2)}} &= a^{(1)\top} \delta^{(2)}, \quad
# \frac{\partial L}{\partial \mathbf b^{(2)}} = \textstyle\sum_{\text{rows}} \delta^{(2)} & (2, 1),\ (1,) \\
# \frac{\partial L}{\partial a^{(1)}} &= \delta^{(2)} W^{(2)\top} & (N, 2) \\
# \delta^{(1)} = \frac{\partial L}{\partial z^{(1)}} &= \frac{\partial L}{\partial a^{(1)}} \odot a^{(1)} \odot (1 - a^{(1)}) & (N, 2) \\
# \frac{\partial L}{\partial W^{(1)}} &= X^\top \delta^{(1)}, \quad
# \frac{\partial L}{\partial \mathbf b^{(1)}} = \textstyle\sum_{\text{rows}} \delta^{(1)} & (2, 2),\ (2,)
# \end{aligned}
# $$
#
# The product $a^{(1)\top} \delta^{(2)}$ adds up, over the samples, exactly the per-sample
# products $h_1 \cdot \frac{\partial L}{\partial \text{sum}_{o_1}}$ of section 3.
# Here it is on the tutorial's four people (weight and height, shifted), all weights 1:

# %%
X = np.array([[-2.0, -1.0], [25.0, 6.0], [17.0, 4.0], [-15.0, -6.0]])   # Alice, Bob, Charlie, Diana
y = np.array([[1.0], [0.0], [0.0], [1.0]])                              # the targets
W1, b1_vec = hidden.W, hidden.b          # W^(1), b^(1)  (b1 is already Alice's bias b_1)
W2, b2_vec = output.W, output.b          # W^(2), b^(2)
N = X.shape[0]

z1 = X @ W1 + b1_vec;   a1 = activations.sigmoid(z1)
z2 = a1 @ W2 + b2_vec;  y_pred = activations.sigmoid(z2)

dL_dy_pred = 2 * (y_pred - y) / N
delta2 = dL_dy_pred * y_pred * (1 - y_pred)      # dL/dz^(2)
dL_dW2 = a1.T @ delta2
dL_db2 = delta2.sum(axis=0)
dL_da1 = delta2 @ W2.T
delta1 = dL_da1 * a1 * (1 - a1)                  # dL/dz^(1)
dL_dW1 = X.T @ delta1
dL_db1 = delta1.sum(axis=0)
for name, arr in [("dL/dy_pred", dL_dy_pred), ("delta2", delta2), ("dL/dW2", dL_dW2), ("dL/db2", dL_db2),
                  ("dL/da1", dL_da1), ("delta1", delta1), ("dL/dW1", dL_dW1), ("dL/db1", dL_db1)]:
    print(f"{name:<10} shape {str(arr.shape):<7}")

# %% [markdown]
# And the library's `Sequential.backward`, which calls each layer's `backward` from the last
# to the first, gives the same arrays:

# %%
loss_value = mse.forward(model.forward(X), y)
model.backward(mse.backward())
print(f"batch loss L = {loss_value:.4f}")
print("dL/dW1 =", np.round(dL_dW1, 6).tolist(), " equal to Dense.dW:", np.allclose(dL_dW1, hidden.dW, rtol=1e-12, atol=0))
print("dL/db1 =", np.round(dL_db1, 6).tolist(), " equal to Dense.db:", np.allclose(dL_db1, hidden.db, rtol=1e-12, atol=0))
print("dL/dW2 =", np.round(dL_dW2, 6).tolist(), " equal to Dense.dW:", np.allclose(dL_dW2, output.dW, rtol=1e-12, atol=0))
print("dL/db2 =", np.round(dL_db2, 6).tolist(), " equal to Dense.db:", np.allclose(dL_db2, output.db, rtol=1e-12, atol=0))

# %% [markdown]
# ## 6. Gradient checking
#
# A backward pass is easy to get subtly wrong, and a wrong gradient does not crash: the
# network just learns badly, or not at all. So every new layer deserves a **gradient check**:
# compare its analytic gradient $g$ with the finite-difference estimate $\tilde g$ through the
# relative error
#
# $$ \text{rel. error} = \frac{\max_i |g_i - \tilde g_i|}{\max_i \left(|g_i| + |\tilde g_i|\right)} .$$
#
# In float64 with $h = 10^{-5}$, a correct gradient gives about $10^{-8}$ or less, a wrong one
# something near 1. Why $h = 10^{-5}$? With a large $h$ the central difference is inexact (its
# error grows like $h^2$); with a tiny $h$, $f(x+h) - f(x-h)$ cancels almost all digits and
# rounding error takes over (it grows like $1/h$). The picture shows the relative error for
# the Alice network over many $h$:

# %%
hs = np.logspace(-12, -1, 45)
errs = [gradcheck.relative_error(hand_vec, gradcheck.numerical_gradient(lambda: loss_of(theta), theta, h=s))
        for s in hs]
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.loglog(hs, errs, "o-", ms=4)
ax.axvline(1e-5, color="grey", ls="--", label="h = 1e-5 (the library's default)")
ax.set(xlabel="step $h$", ylabel="relative error", title="finite differences: too small or too large $h$ hurts")
ax.grid(alpha=0.3, which="both")
ax.legend()
plots.show("The relative error between the hand-written and the finite-difference gradients "
           "against the step h, both on log scales, h = 1e-5 marked: too small and too large "
           "steps both give larger errors.")

# %% [markdown]
# `gradcheck.check_model` does this for every parameter of a whole network: it runs
# forward, loss and backward, and compares each `dW` and `db` with finite differences:

# %%
result = gradcheck.check_model(model, MSE(), X, y)
for name, err in result.errors.items():
    print(f"{name:<12} {'ok' if err < result.tol else 'WRONG'}   (relative error below 1e-7: {err < 1e-7})")
print("gradient check passed:", result.passed)


# %% [markdown]
# ### A deliberately wrong derivative
#
# Now a bug on purpose: a sigmoid layer whose `backward` forgets the factor $(1 - \sigma(z))$,
# using $\sigma'(z) \approx \sigma(z)$. A very plausible slip. Nothing crashes and the
# numbers look reasonable, but the check catches it, both for the layer alone and
# inside the network:

# %%
class BuggySigmoid(Sigmoid):
    def backward(self, grad_out):
        return grad_out * self.out          # WRONG: should be grad_out * out * (1 - out)

layer_check = gradcheck.check_layer(BuggySigmoid(), np.array([[0.5, -1.0], [2.0, 0.3]]))
print(f"BuggySigmoid alone: relative error {layer_check.errors['input']:.2f} -> passed: {layer_check.passed}")

buggy = Sequential([hidden, BuggySigmoid(), output, Sigmoid()])
result = gradcheck.check_model(buggy, MSE(), X, y)
for name, err in result.errors.items():
    print(f"{name:<12} {'ok' if err < result.tol else 'WRONG'}")
print("gradient check passed:", result.passed)

# %% [markdown]
# The output layer's gradients are still right (the bug sits below them, so they never pass
# through it); the first layer's `W` and `b` are flagged `WRONG`: the check even tells us
# where to look.
#
# ## Summary
#
# * A derivative is a slope; the central difference $\frac{f(x+h) - f(x-h)}{2h}$ estimates it.
# * The **chain rule** multiplies local derivatives along a path:
#   $\frac{\partial L}{\partial w} = \frac{\partial L}{\partial p}\frac{\partial p}{\partial z}\frac{\partial z}{\partial w}$.
#   On a computational graph, values flow forward and gradients flow backward.
# * **Backpropagation** for the 2-2-1 network: e.g.
#   $\frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial \hat y} \cdot \frac{\partial \hat y}{\partial h_1} \cdot \frac{\partial h_1}{\partial w_1} \approx 0.0215$
#   for Alice. The hand derivation, finite differences and `Dense.backward` agree.
# * **Vectorized**, with $\delta^{(l)} = \partial L/\partial z^{(l)}$ for a whole batch, the
#   backward pass of layer $l$ is $\partial L/\partial W^{(l)} = a^{(l-1)\top} \delta^{(l)}$,
#   $\partial L/\partial \mathbf b^{(l)} = \sum_{\text{rows}} \delta^{(l)}$,
#   $\partial L/\partial a^{(l-1)} = \delta^{(l)} W^{(l)\top}$, and the activation below turns that
#   into $\delta^{(l-1)}$ by multiplying element-wise with its derivative $f'(z^{(l-1)})$.
# * **Gradient checking** (`course_lib.gradcheck`) compares analytic and numerical gradients;
#   a relative error near $10^{-8}$ means correct, near 1 means a bug, and it points at the layer.
#
# **Next:** [lesson 05](05_gradient_descent.ipynb) uses these gradients to walk downhill: gradient descent.
#
# ## Exercises
#
# Practise in [`exercises/04_chain_rule_exercises.ipynb`](../exercises/04_chain_rule_exercises.ipynb).
