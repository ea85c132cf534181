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
# # 09 · The playground: everything at once
#
# The [TensorFlow Playground](https://playground.tensorflow.org) lets you train a small network in
# the browser and watch it learn. This lesson rebuilds its ideas inside JupyterLab, on top of the
# `course_lib` you have used in lessons 01–08: every number you see comes from the same `Dense`
# layers, losses, optimizers and `train` loop.
#
# **Learning objectives.** After this lesson you can
#
# * predict which **input features** and which **architecture** a data set needs, and check it;
# * recognise a learning rate that is too small, right, or too large from the **loss curves**;
# * see **overfitting** happen (train loss falls, test loss rises) and stop it with **L2, L1 or dropout**;
# * tell which changes keep what the network has learned (learning rate, optimizer, regularization)
#   and which start it again from new random weights (data, features, architecture).
#
# The live widget is in section 3. Sections 1, 2 and 4 drive the same
# training state from code with a fixed seed, so their pictures read well without running anything.

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

# %% [markdown]
# ## 1. The training state
#
# All the playground knows lives in one plain object, `PlaygroundState`: the data (split into a
# training and a test part), the chosen input features, the network, the optimizer and the
# two loss histories. The widget only calls its methods:
#
# | method | what it does |
# |---|---|
# | `step(n)` | trains `n` more epochs with `course_lib.train` (mini-batches, shuffled) |
# | `reset()` | new random weights, a fresh optimizer, empty histories; same data |
# | `set_learning_rate`, `set_optimizer`, `set_regularization`, `set_dropout`, `set_batch_size` | take effect at the next epoch, **weights kept** |
# | `set_dataset`, `set_noise`, `set_train_fraction`, `regenerate`, `set_features`, `set_hidden`, `set_activation`, `set_loss` | change what the network *is* or what it learns from, so they **reset** |
#
# For a classification task the output is one sigmoid unit, $\hat p = \sigma(z) = P(y=1 \mid x)$,
# trained with binary cross-entropy
# $L = -\frac1N \sum_n \big[y_n \log \hat p_n + (1-y_n)\log(1-\hat p_n)\big]$ (or, if you choose it,
# two logits with softmax cross-entropy — the same thing for two classes). For the regression task
# the output is linear and the loss is the mean squared error $L = \frac1N\sum_n (\hat y_n - y_n)^2$.

# %%
from course_lib.playground import PlaygroundState                 # the training state: plain NumPy
from course_lib.widgets.playground import playground              # the live widget
from course_lib.widgets.playground_render import show_playground  # a picture of a state

state = PlaygroundState("moons", hidden=(8, 8), activation="tanh", learning_rate=0.03,
                        optimizer="sgd", batch_size=10, seed=0)
print(state)
print(f"{len(state.y_train)} training points, {len(state.y_test)} test points")
print("layer sizes:", state.sizes)

# %% [markdown]
# Each `step()` is one or more epochs of the loop from lesson 05: forward pass, loss, backward
# pass, optimizer step, batch after batch. The picture below comes from exactly that: 200 epochs of
# plain SGD on the moons. Left: the network's output $\hat p$ over the plane (blue: class 0,
# red: class 1; white is the decision boundary $\hat p = 0.5$), training points bold with a black
# edge, test points faint, as in lesson 08. Right: the train (solid) and test (dashed) loss per epoch.

# %%
state.step(200)
print(state.summary())
show_playground(state)

# %% [markdown]
# The boundary bends, but 200 epochs of SGD at learning rate 0.03 have not finished the job:
# the loss is still falling. The same network with Adam (lesson 05) at the same learning rate gets
# much further in the same number of epochs. Changing the optimizer keeps the weights, so we can
# also switch in the middle of a run — here we start again to compare fairly:

# %%
for name in ("sgd", "momentum", "adam"):
    s = PlaygroundState("moons", hidden=(8, 8), optimizer=name, learning_rate=0.03, seed=0)
    s.step(200)
    print(f"{name:9s} {s.summary()}")

# %% [markdown]
# ## 2. Features can replace layers
#
# The circle data set is not linearly separable in $(x_1, x_2)$: a network **without hidden
# layers** is logistic regression, whose boundary is a straight line, and it stays at the loss of
# a coin flip, $\ln 2 \approx 0.693$. Give the same network the features $x_1^2$ and $x_2^2$
# instead, and the circle $x_1^2 + x_2^2 = r^2$ *is* a straight line in the new inputs.

# %%
for features in [("x1", "x2"), ("x1^2", "x2^2")]:
    s = PlaygroundState("circle", hidden=(), features=features, learning_rate=0.3, seed=0)
    s.step(300)
    print(f"no hidden layer, features {', '.join(features):10s} -> {s.summary()}")
show_playground(s)

# %% [markdown]
# The same holds for XOR with the single feature $x_1 x_2$ (its sign *is* the label).
# Hand-made features are the old way; hidden layers learn such features from $x_1, x_2$ by
# themselves — which is the point of this whole course.

# %% [markdown]
# ### What the hidden layers learn
#
# Here is the moons network of section 1 trained with Adam, drawn with the network on the
# left. Every small square is one neuron, coloured by its output over the same plane as the
# big picture (`state.neuron_surfaces()` computes them; red high, blue low); the inputs are
# the features $x_1$ and $x_2$ themselves. Links are blue for positive weights, orange for
# negative ones, thicker for larger ones; the small square beside each neuron is its bias.

# %%
adam = PlaygroundState("moons", hidden=(8, 8), optimizer="adam", learning_rate=0.03, seed=0)
adam.step(200)
print(adam.summary())
show_playground(adam, diagram=True)

# %% [markdown]
# Each neuron of the first hidden layer is $\tanh(w_1 x_1 + w_2 x_2 + b)$, so it can only
# split the plane along a straight edge. The second layer adds up those edges and bends them
# into new features, and the output neuron combines these into the two moons. Nobody told the
# network which features to build.
#
# `state.to_code()` writes the course_lib code that reproduces a run — data, features,
# network, training — so an experiment found in the playground becomes a script. Run, it
# prints the same losses:

# %%
print(adam.to_code())
exec(adam.to_code(), {})

# %% [markdown]
# ## 3. The live playground
#
# Run the next cell to get the widget. **play** trains in a background thread and redraws
# several times a second while you keep using the controls; **pause** stops it; **step** trains one
# frame's worth of epochs (`epochs / frame`); **reset** draws new random weights.
#
# * **data**: data set, noise, the share of points used for training (the rest are the test
#   points), the batch size (1 = stochastic gradient descent), *regenerate* for new random points.
#   Besides two classes there are three (*3 blobs*, *3-arm spiral*: a softmax output) and
#   regression on a line or on the plane; `playground(X=X, y=y)` takes your own 2-D data
#   (integer `y` are classes, floats a regression target).
# * **features**: which functions of $(x_1, x_2)$ the network gets as inputs (the regression task
#   is one-dimensional, so only $x_1$, $x_1^2$ and $\sin x_1$ apply to it).
# * **network**: number of hidden layers (0–6), units in each (1–8), activation.
# * **training**: learning rate, optimizer, loss (the choices suit the task: cross-entropy for
#   classification, MSE for regression), L1 or L2 regularization and its rate, dropout.
#
# Under the picture: **show gradients** colours the links by $\partial L/\partial w$ of the last
# step instead of by the weights (purple positive, green negative, grey where it is small next
# to the largest), so you see where learning happens and where it stalls; **click a neuron** in
# the diagram (or choose it under **inspect neuron**) to outline it and list its incoming weights
# and bias in numbers, and click beside the neurons to clear it; **show code** prints
# `state.to_code()` for the current run.
#
# Learning rate, optimizer, regularization, dropout and batch size change **while it trains**,
# keeping the weights; every other control resets the network, because the old weights no longer
# fit it.

# %% tags=["nbval-ignore-output"]
pg = playground(dataset="circle", hidden=(4, 2), activation="tanh", learning_rate=0.1, seed=0)
pg

# %% [markdown]
# ### Things to try
#
# 1. **Features vs. layers.** *circle*, 0 hidden layers, features $x_1, x_2$: play. Stuck at 0.69.
#    Tick $x_1^2$ and $x_2^2$: solved without any hidden layer. Untick them, add one hidden layer of
#    3 units, then 4: how many units does a circle need with tanh? with ReLU?
# 2. **XOR.** 0 hidden layers with only $x_1 x_2$; then $x_1, x_2$ with one hidden layer of 2, 3, 4 units.
# 3. **Spiral.** The hard one. Try 3–4 hidden layers of 8 units with Adam, or add $\sin x_1$, $\sin x_2$.
#    Watch how long the loss curve stays flat before it drops.
# 4. **Learning rate.** *moons*, 2×8 tanh, SGD: compare 0.003, 0.03, 0.3, 3 and 10. Too small: the
#    loss crawls. Too large: it jumps around, or the run diverges and stops. Change it *while
#    playing*: the curve bends at that epoch, no restart.
# 5. **Overfitting.** *moons*, noise 0.4, train 20 %, 3×8 units, Adam 0.03: the train loss goes to
#    zero while the test loss turns and climbs, and the boundary wraps around single noisy
#    points. Then, while playing, choose L2 with rate 0.03, or dropout 0.2, and watch the gap close.
# 6. **Batch size.** Batch 1 vs. 30 on the same task: noisier curves, but more steps per epoch.
# 7. **Dying ReLU.** ReLU with learning rate 3: some units stop responding for good (lesson 06).
# 8. **Regression.** The curve $y=\sin 2\pi x$ with noise: how many tanh units does one wiggle need?
#    What does ReLU's fit look like (piecewise straight)?
# 9. **Saturation.** *circle*, 4 hidden layers of 8, sigmoid, SGD 0.3: play a few epochs, then
#    **show gradients**. Are the links into the first layers as coloured as those near the output?
# 10. **Three classes.** *3-arm spiral*, 2×8 tanh, Adam 0.03: which output neuron lights up where?

# %% [markdown]
# ## 4. Overfitting, measured
#
# Experiment 5 from the list, run from code with a fixed seed: only 40 noisy training points and a
# network of three hidden layers of 8 units, 200 epochs of Adam, then the same with L2 and with
# dropout.
#
# A word on names. The playground, like TensorFlow Playground, calls its held-out points the
# **test** points (`test_loss`, the dashed curve). As long as we only watch them, fine. But
# here we *choose* a setting by their loss, and data used for choosing is a **validation**
# set: the winner's loss on it flatters the winner a little (lesson 10 makes this rule
# strict). So below, the held-out points are the validation set, and the chosen setting is
# measured once more, on fresh points from the same distribution that no choice has seen.
#
# Why 200 epochs and not more? Dropout silences random units, and Adam rescales every step by
# its recent gradient size, so the run with dropout is **chaotic** after about 250 epochs: a
# difference in the last of 16 digits of one matrix product (another CPU rounds it
# differently) grows into a different loss in the second decimal. Up to 200 epochs every run
# below gives the same printed numbers on any computer. When you press play for longer, expect
# the dropout curve to wander.

# %%
settings = {"no regularization": {}, "L2, rate 0.03": {"regularization": "L2", "regularization_rate": 0.03},
            "dropout 0.2": {"dropout": 0.2}}
runs = {}
for name, extra in settings.items():
    s = PlaygroundState("moons", noise=0.4, train_fraction=0.2, hidden=(8, 8, 8), optimizer="adam",
                        learning_rate=0.03, seed=0, **extra)
    s.step(200)
    runs[name] = s
    gap = s.test_loss[-1] - s.train_loss[-1]
    print(f"{name:18s} train {s.train_loss[-1]:.4f}  validation {s.test_loss[-1]:.4f}  gap {gap:.4f}")

# %%
import numpy as np
from course_lib.losses import BinaryCrossEntropy

chosen = min(runs, key=lambda name: runs[name].test_loss[-1])      # chosen on the held-out points
make, recipe = runs[chosen].data_recipe()
X_new, y_new = make(**{**recipe, "seed": 2024})                     # fresh points, same recipe
p_new = runs[chosen].predict(X_new)                                 # P(class 1) for each point
loss_new = BinaryCrossEntropy().forward(p_new.reshape(-1, 1), y_new.reshape(-1, 1).astype(float))
print(f"chosen by validation loss: {chosen}")
print(f"on {len(y_new)} fresh points: loss {loss_new:.4f}, accuracy {np.mean((p_new > 0.5) == y_new):.3f}")

# %%
show_playground(runs["no regularization"])

# %% [markdown]
# Without regularization the network memorises the 40 training points: the training loss falls
# to almost zero while the held-out loss turns around and climbs. The penalty
# $\frac{\lambda}{2}\sum W^2$ (L2) or randomly silenced units (dropout) keep the boundary smooth:
# the training loss stays higher, but the held-out loss, the one that matters, is much lower.
# L2 had the lowest validation loss, so we chose it; on the fresh points its loss is
# similar, which is what an honest estimate looks like when the choice did not overfit the
# validation set.

# %% [markdown]
# ## Summary
#
# * A network's inputs can be raw coordinates or hand-made **features**; with the right features
#   even a network without hidden layers separates a circle or XOR. Hidden layers learn such
#   features themselves.
# * The **learning rate** decides whether training crawls, works or diverges; **momentum** and
#   **Adam** reach a good loss in far fewer epochs than plain SGD.
# * Small noisy training sets invite **overfitting**: watch the gap between train and test loss,
#   and close it with **L2**, **L1** or **dropout**.
# * Hyper-parameters of the *update* (learning rate, optimizer, regularization, dropout, batch size)
#   can change mid-training; changes of the *model or data* mean starting again.
#
# Under the hood, every control is a method of `PlaygroundState` (`course_lib/playground.py`,
# NumPy only, no widget in it), so you can script any experiment as in sections 1, 2 and 4.
#
# **Next:** [lesson 10](10_capstone_digits.ipynb) puts everything together on a real data set,
# handwritten digits.
#
# ## Exercises
#
# Practise in [`exercises/09_playground_exercises.ipynb`](../exercises/09_playground_exercises.ipynb): predict what
# the playground will do, answer in code, then run the playground to check; the list of things
# to try in section 3 is there to explore further.
