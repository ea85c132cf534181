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
# # Welcome — How Neural Networks Learn
#
# This course teaches, from scratch, **how a neural network learns**: what one neuron
# computes, how neurons are stacked into a network, how a loss measures its mistakes, how the
# chain rule turns those mistakes into gradients, and how gradient descent uses the gradients
# to improve the network, step by step. Everything runs on `course_lib`, a small NumPy
# library written for this course, which you can read line by line: no black boxes.
#
# **In this notebook you**
#
# 1. see what the course teaches and in what order;
# 2. learn how to use the lesson notebooks, their live widgets and the exercises with their instant checks;
# 3. check that your computer is ready: the library imports, its version matches these notebooks, and widgets render.
#
# You need a little algebra and the ability to read short Python code. No previous
# knowledge of neural networks, calculus beyond "the slope of a curve", or NumPy tricks.

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
# ## 1. The course map
#
# Work through the lessons in order: each one uses what the previous ones built.
#
# | # | notebook | what it teaches | what you can drag |
# |---|---|---|---|
# | 00 | `00_welcome` | this page: how the course works, and a check of your setup | a test slider |
# | 01 | `01_neuron` | one neuron: weighted sum + activation; a neuron is a line that splits the plane; AND and OR yes, XOR no | the weights and bias move the neuron's line |
# | 02 | `02_network` | layers and the matrix form of the forward pass; shapes; a hidden layer solves XOR | the number of hidden units reshapes the decision regions |
# | 03 | `03_loss` | how wrong is the network? MSE, cross-entropy and softmax; why cross-entropy for classification | a prediction slider shows the loss and its gradient |
# | 04 | `04_chain_rule` | derivatives, computational graphs, backpropagation by hand and vectorized; gradient checking | — |
# | 05 | `05_gradient_descent` | batch, stochastic and mini-batch gradient descent; the learning rate; momentum, RMSProp, Adam | learning rate and optimizer retrain live |
# | 06 | `06_activations` | sigmoid, tanh, ReLU, leaky ReLU, ELU, softmax: shapes, derivatives, saturation, dying ReLU | activation and learning rate retrain live |
# | 07 | `07_vanishing_gradients` | why deep sigmoid networks stop learning; initialization (Xavier, He) | depth, activation and initialization redraw the gradient sizes |
# | 08 | `08_regularization` | overfitting; train vs validation curves; L2, L1, dropout, early stopping; L2 vs decoupled weight decay (AdamW) | regularization strength redraws the boundary and the curves |
# | 09 | `09_playground` | everything at once: a playground in the spirit of the TensorFlow Playground | data, layers, activation, learning rate, regularization |
# | 10 | `10_capstone_digits` | a real task: recognise handwritten digits with a network you design, beating a simple baseline | — |
# | 11 | `11_autograd` | a computational graph that computes its own gradients, as PyTorch does; course_lib's names next to PyTorch's | — |
#
# The lessons are in the folder `notebooks/`; the exercises for lessons 01–11 are in
# `exercises/`.
#
# ### One notation for the whole course
#
# Every lesson, exercise and library docstring uses the same symbols. You do not need to learn
# this table now: each symbol is introduced where it first appears, and you can come back
# here when one looks unfamiliar.
#
# | symbol | in code | meaning | shape |
# |---|---|---|---|
# | $N$, $D$, $K$ | `len(X)`, `n_features`, `n_classes` | number of samples in a batch, of input features, of outputs (for a classifier: of classes) | numbers |
# | $H$ | `n_hidden` | number of units in a hidden layer (always a count, never an array) | a number |
# | $X$ | `X` | the inputs, one sample per row | $(N, D)$ |
# | $\mathbf x$ | `x` | one sample (a row of $X$) | $(D,)$ |
# | $y$ | `y` | the **targets**: what the network should output (labels) | $(N,)$ or $(N, K)$ |
# | $\hat y$ | `y_pred` | the network's **output**, its prediction | $(N, K)$ |
# | $p$ | `p` | an output that is a probability, $p = \sigma(z)$ or $\mathrm{softmax}(z)$ | $(N, K)$ |
# | $W^{(l)}$, $\mathbf b^{(l)}$ | `W`, `b` of a `Dense` layer | weights and bias of layer $l$; the layer number is always a superscript in parentheses | $(n_{l-1}, n_l)$, $(n_l,)$ |
# | $n_l$ | | number of units of layer $l$; $n_0 = D$, the last one is $K$ | a number |
# | $z^{(l)}$ | `z` | pre-activation: $z^{(l)} = a^{(l-1)} W^{(l)} + \mathbf b^{(l)}$ | $(N, n_l)$ |
# | $a^{(l)}$ | `a` | activation: $a^{(l)} = f(z^{(l)})$, with $a^{(0)} = X$; the last layer's is $\hat y$ | $(N, n_l)$ |
# | $f$, $\sigma$ | `activations` | an activation function; $\sigma$ is the sigmoid | |
# | $L$ | `loss` | the loss: one number, a mean over the batch | a number |
# | $\delta^{(l)}$ | `delta` | $\partial L / \partial z^{(l)}$, the gradient arriving at layer $l$'s pre-activation (lesson 04) | $(N, n_l)$ |
# | $\theta$, $\eta$, $\lambda$ | `model.parameters()`, `lr`, `l2` | all weights and biases; the learning rate; a regularization strength | |
#
# Two small networks keep names from the classic tutorials they come from: the single neuron
# of lesson 01 ($\mathbf w$, $b$) and the 2-2-1 network of lessons 02 and 04, whose six weights
# $w_1, \dots, w_6$, biases $b_1, b_2, b_3$ and neurons $h_1, h_2, o_1$ are numbered by
# subscripts. A subscript numbers a single weight, neuron, sample or class; it never numbers
# a layer.

# %% [markdown]
# ## 2. How to use the notebooks
#
# * **Run the cells in order**, from the top: click a cell and press **Shift+Enter**. Later
#   cells use what earlier cells defined. *Run > Run All Cells* runs a whole lesson.
# * The notebooks are stored **with their outputs**, so you can read a lesson before you run
#   it. Running it again gives the same printed numbers on any computer, and the same
#   pictures: every random choice is seeded, and every experiment is built so that the tiny
#   rounding differences between CPUs cannot change a printed digit (lessons 06 and 09 say
#   where that took care). Runs that you make longer yourself, in a widget or the
#   playground, can drift apart from one computer to another.
# * If something behaves strangely, restart with a clean slate: *Kernel > Restart Kernel and
#   Run All Cells*.
# * Change things! Every code cell is yours to edit. To get the original back, take the file
#   again from the course folder (`git checkout notebooks/01_neuron.ipynb`).
# * The code you see is short because the reusable parts live in the library `course_lib`
#   (folder `course_lib/`). Each lesson tells you which file to read; a layer's
#   `forward` and `backward` sit side by side, with the maths in the docstring.
#
# ### The widgets
#
# Most lessons have a **live widget**: sliders, drop-down menus and buttons that change a
# network and redraw its pictures at once. Widgets need a running kernel: in a stored,
# not-yet-run notebook each widget cell shows a still picture of the widget and the line
# "Run this cell to play with it." Run the cell, then drag. If, *after* running the cell,
# you see text such as `IntSlider(value=3, ...)` instead of a slider, the widget extension
# is missing: section 4 below tells you how to fix that.
#
# ### The exercises and their checks
#
# Each lesson from 01 to 11 has an exercise notebook
# `exercises/NN_<name>_exercises.ipynb` (for example `exercises/01_neuron_exercises.ipynb`). In it you write
# small functions yourself: the cell tells you what to compute, and you replace the
# placeholder (`raise NotImplementedError`) with your code. Under each exercise is a
# **check cell**: run it and you get instant feedback, either that all tests passed, or which
# input gave which wrong answer, what was expected, and a hint about the usual mistake. Run
# your cell again after a change, then the check.
#
# **For instructors.** Hand out the folder `exercises/`, collect the learners' copies, and
# grade them all at once:
#
# ```bash
# course-grade PATH... --csv gradebook.csv
# ```
#
# `course-grade` is installed with the course (`.venv/bin/course-grade` after `make`);
# `python -m course_lib.grading` is the same command. `PATH` is one or more notebooks or
# folders of notebooks. The grader runs each notebook in a fresh kernel, scores every exercise
# with the same checks the learners see, never changes the submitted files, survives notebooks
# that crash or loop, and writes one row per notebook into `gradebook.csv`.

# %% [markdown]
# ## 3. A first look at where the course goes
#
# Before the details, the destination. The cell below builds a small network with
# `course_lib`, trains it for a second on two interleaving half-moons, and draws the regions
# where it answers "red" and "blue". A single neuron could only draw a straight line (lesson
# 01); a network bends the boundary around the data (lessons 02–09). You will understand
# every line of this cell by lesson 06 (the tanh activation is the last piece).

# %%
import matplotlib.pyplot as plt

from course_lib import Adam, CrossEntropy, datasets, mlp, plots, train

X, y = datasets.moons(n_samples=200, noise=0.15, seed=0)
model = mlp([2, 16, 16, 2], activation="tanh", seed=0)      # 2 inputs -> 16 -> 16 -> 2 classes
history = train(model, X, y, CrossEntropy(), Adam(lr=0.01), epochs=300, progress=False)
accuracy = (model.predict_classes(X) == y).mean()
print(f"training accuracy after {history.epochs} epochs: {accuracy:.4f}")

fig, ax = plt.subplots(figsize=(5.5, 4))
plots.plot_decision_boundary(model, X, y, ax=ax, title="a 2-16-16-2 network on the moons")
# plots.show is plt.show() with a sentence saying what the figure shows, for readers who
# cannot see it (it becomes the output's text; VS Code gives it to screen readers)
plots.show("The moons data (class 0 circles, class 1 squares) over the shaded regions where "
           "the trained 2-16-16-2 network predicts each class.")
plots.use_course_style()   # colours that stay apart for colour-blind eyes, in every figure

# %% [markdown]
# ## 4. Is your computer ready?
#
# The next cell checks, in plain words, each thing the course needs, and prints the fix
# for anything that is wrong:
#
# * **Python** 3.10 or newer runs this notebook's kernel;
# * **`course_lib` imports** in this kernel's Python (tried in a fresh process, the way a restarted kernel would);
# * **its version** is the one these notebooks were written for (stated in the cell below);
# * **NumPy, Matplotlib and ipywidgets** are new enough;
# * the **JupyterLab widget extension** is installed, and not disabled, where the JupyterLab
#   server that runs this page looks for extensions.
#
# The checks live in `course_lib/envcheck.py`. You can also run them from a terminal:
# `python -m course_lib.envcheck` (add `--verbose` to see the paths and versions found).

# %%
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

# %% [markdown]
# ### Do widgets render here?
#
# The check above looks at files on disk. The real test is your eyes: run the next cell.
# You should see a **slider** and a line of text under it. Drag the slider: the text must
# follow (the square of the slider's value).
#
# * You see a slider and the text follows: widgets work. You are ready.
# * After running the cell you see text such as `VBox(children=(IntSlider(value=3, ...`
#   instead (before it runs, a still picture is normal): the front end
#   lacks the widget extension. Apply the fix printed for "widget extension" above, restart
#   JupyterLab and reload the page.
# * You see a slider but the text does not change: the kernel is not running or is busy.
#   *Kernel > Restart Kernel*, then run the cells again.

# %% tags=["nbval-ignore-output"]
envcheck.widget_test()

# %% [markdown]
# ## 5. Summary
#
# * The course goes from **one neuron** (01) to **a network you design for real handwritten
#   digits** (10): neuron, network, loss, chain rule, gradient descent, activations,
#   vanishing gradients, regularization, a playground, and the capstone; then (11) how a
#   framework such as PyTorch computes the gradients by itself.
# * Run cells in order with Shift+Enter; every notebook is seeded, so you see what the stored
#   outputs show.
# * Most lessons have live widgets to drag; lessons 01–11 have exercises in
#   `exercises/` with check cells that give instant feedback. Instructors grade with
#   `course-grade PATH... --csv gradebook.csv`.
# * If a check above printed a problem, apply its fix, restart the kernel and run this
#   notebook again. More help: `docs/troubleshooting.md`.
#
# **Next:** open [lesson 01, the neuron](01_neuron.ipynb).
