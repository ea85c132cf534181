# ---
# jupyter:
#   course:
#     lesson: 9
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
# # Exercises 09 — The playground: predict, then run
#
# Companion to the lesson [`notebooks/09_playground.ipynb`](../notebooks/09_playground.ipynb).
#
# Each exercise asks what an experiment will do **before** you run it. Write your prediction
# as the return value of the function (replace `raise NotImplementedError()`), run the cell,
# then run the experiment in the next cell with `PlaygroundState` and see whether you were
# right. The **check** cell grades your prediction and explains the answer when it is wrong.
# Predict first: a prediction you change after seeing the run teaches you less.
#
# Your instructor grades the notebook with `course-grade`: keep the function names as they are.

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
from course_lib.checks import lesson09
from course_lib.playground import PlaygroundState

import numpy as np


def test_accuracy(state):
    """Share of the test points on the right side of the boundary P(class 1) = 0.5."""
    p = state.predict(state.X_test).ravel()
    return float(np.mean((p > 0.5) == (state.y_test.ravel() == 1)))


# %% [markdown]
# ## Exercise 1: `circle_units` (1 point): how many units for a circle?
#
# The *circle* data set: one class inside a ring of the other. Inputs are only $x_1, x_2$, and
# the network has **one hidden layer of tanh units**. A network without hidden layers draws one
# straight line and fails (lesson section 2). What is the **fewest number of hidden units**
# for which the network can separate the circle — at least one of 5 random initializations
# reaching a test accuracy of 0.9 or more after 300 epochs of Adam? Think of what each hidden
# unit contributes to the picture. Return an integer.

# %%
def circle_units():
    """The fewest tanh units in the one hidden layer that separate the circle."""
    ### BEGIN SOLUTION
    return 3
    ### END SOLUTION


# %%
# run it: 1 to 4 units, 5 seeds each; the best test accuracy of the 5 seeds
for units in (1, 2, 3, 4):
    accuracies = []
    for seed in range(5):
        s = PlaygroundState("circle", hidden=(units,), activation="tanh", optimizer="adam",
                            learning_rate=0.03, seed=seed)
        s.step(300)
        accuracies.append(test_accuracy(s))
    print(f"{units} unit(s): best test accuracy {max(accuracies):.2f}  (>= 0.9: {max(accuracies) >= 0.9})")

# %%
lesson09.check_circle_units(circle_units)


# %% [markdown]
# ## Exercise 2: `linear_hidden_layers_solve_circle` (1 point): depth without a nonlinearity
#
# Same circle, inputs $x_1, x_2$, but now **two hidden layers of 8 units** whose activation is
# `"linear"` (no activation: $a = z$). After 300 epochs of Adam, does the **test loss end below
# 0.5**? (A coin flip has the loss $\ln 2 \approx 0.69$.) Return `True` or `False`.

# %%
def linear_hidden_layers_solve_circle():
    """True if two linear hidden layers of 8 units bring the circle's test loss below 0.5."""
    ### BEGIN SOLUTION
    return False
    ### END SOLUTION


# %%
# run it
s = PlaygroundState("circle", hidden=(8, 8), activation="linear", optimizer="adam", learning_rate=0.03, seed=0)
s.step(300)
print(f"test loss {s.test_loss[-1]:.2f}, below 0.5: {s.test_loss[-1] < 0.5}")

# %%
lesson09.check_linear_hidden_layers_solve_circle(linear_hidden_layers_solve_circle)


# %% [markdown]
# ## Exercise 3: `batch_size_lower_loss` (1 point): batch size, epoch for epoch
#
# The *moons*, a network of two hidden layers of 8 tanh units, plain SGD with learning rate
# 0.03, **50 epochs**. The training set has 100 points. Run A uses batch size **1**, run B batch
# size **100** (the whole training set). Which run ends with the **lower training loss**?
# Return `1` or `100`.

# %%
def batch_size_lower_loss():
    """The batch size (1 or 100) whose run ends with the lower training loss after 50 epochs."""
    ### BEGIN SOLUTION
    return 1
    ### END SOLUTION


# %%
# run it
for batch_size in (1, 100):
    s = PlaygroundState("moons", hidden=(8, 8), optimizer="sgd", learning_rate=0.03,
                        batch_size=batch_size, seed=0)
    s.step(50)
    print(f"batch size {batch_size:3d}: training loss after 50 epochs {s.train_loss[-1]:.2f}")

# %%
lesson09.check_batch_size_lower_loss(batch_size_lower_loss)


# %% [markdown]
# ## Exercise 4: `best_learning_rate` (1 point): the best learning rate
#
# The *moons* again, two hidden layers of 8 tanh units, plain SGD with batch size 10, **100
# epochs**. Which of the learning rates **0.003, 0.03, 0.3, 3 and 10** ends with the **lowest
# training loss**? Return that number.

# %%
def best_learning_rate():
    """The learning rate (0.003, 0.03, 0.3, 3 or 10) with the lowest training loss after 100 epochs."""
    ### BEGIN SOLUTION
    return 3.0
    ### END SOLUTION


# %%
# run it: the learning rates ranked by their final training loss, lowest first
final = {}
for lr in (0.003, 0.03, 0.3, 3.0, 10.0):
    s = PlaygroundState("moons", hidden=(8, 8), optimizer="sgd", learning_rate=lr, seed=0)
    s.step(100)
    final[lr] = np.inf if s.diverged else s.train_loss[-1]
ranking = sorted(final, key=final.get)
print("lowest training loss first:", ", ".join(f"{lr:g}" + (" (loss above 1: blew up)" if final[lr] > 1 else "")
                                                for lr in ranking))

# %%
lesson09.check_best_learning_rate(best_learning_rate)

# %% [markdown]
# ## All exercises
#
# Run this cell to check every exercise and see your score.

# %%
lesson09.check_all(globals())
