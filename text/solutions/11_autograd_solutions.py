# ---
# jupyter:
#   course:
#     lesson: 11
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
# # Exercises 11 — A computational graph that computes its own gradients
#
# Companion to the lesson [`notebooks/11_autograd.ipynb`](../notebooks/11_autograd.ipynb).
#
# Each exercise below gives a formula and asks you to complete one function. Replace
# `# YOUR CODE HERE` and `raise NotImplementedError()` with your code, run the cell, try the
# function in the next cell, then run the **check** cell: it prints ✔ when your function is
# right, or the input that failed, what was expected, what you returned, and a hint.
#
# The last cell checks everything at once and shows your score. Your instructor grades the
# notebook with `course-grade`, which runs the same checks on fresh inputs: keep
# the function names as they are.
#
# **The engine's two halves.** In `course_lib.autograd`, every operation on `Value`s makes a
# new `Value`, `out`, that remembers its `inputs` and a small **backward rule**. When
# `L.backward()` reaches `out`, `out.grad` $= \partial L/\partial\,\text{out}$ is complete, and
# the rule adds to each input's `grad` its share, by the chain rule:
#
# $$\texttt{x.grad} \mathrel{+}= \frac{\partial\,\text{out}}{\partial x} \cdot \texttt{out.grad} .$$
#
# The `+=` is the **fan-out rule**: a value used by several nodes collects a share from each.
# You write three of these rules (exercises 1-3) and the **topological sort** that makes sure
# every node has received all its shares before it passes its gradient on (exercise 4). Each
# rule is a function of `out` and the input `Value`s: it updates the inputs' `grad` **in
# place** and returns the new `grad` values, so that the check can see them.

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
import math

from course_lib.autograd import Value
from course_lib.checks import lesson11


# %% [markdown]
# ## Exercise 1: `mul_backward` (2 points)
#
# `out = a * b`. Work out the two local derivatives $\partial\,\text{out}/\partial a$ and
# $\partial\,\text{out}/\partial b$; then, as `__add__` does in the lesson, add to each
# input's `grad` its share of the gradient from above: its local derivative times
# `out.grad` (the chain rule).
#
# Complete `mul_backward(out, a, b)`: add both shares (use `.data` for the numbers) and
# return `(a.grad, b.grad)`. Careful: in `a * a`, `a` and `b` are the **same** `Value`,
# and it must receive both shares.

# %%
def mul_backward(out, a, b):
    """out = a * b: add the shares of out.grad to a.grad and b.grad; return (a.grad, b.grad)."""
    ### BEGIN SOLUTION
    a.grad += b.data * out.grad
    b.grad += a.data * out.grad
    return a.grad, b.grad
    ### END SOLUTION


# %%
# try it: L = a * b, so dL/da = b = -3 and dL/db = a = 2
a, b = Value(2.0), Value(-3.0)
L = a * b
L.grad = 1.0
print("a.grad, b.grad =", mul_backward(L, a, b))
# and a value used twice: L = a * a, so dL/da = 2a = 6
a = Value(3.0)
L = a * a
L.grad = 1.0
print("a * a:  a.grad =", mul_backward(L, a, a)[0])

# %%
lesson11.check_mul_backward(mul_backward)


# %% [markdown]
# ## Exercise 2: `tanh_backward` (2 points)
#
# `out = x.tanh()`. Lesson 06 derived $\tanh'$; write it with the output $\tanh(x)$, which
# the forward pass has already computed and stored in `out.data` (no second `math.tanh`).
#
# Complete `tanh_backward(out, x)`: add `x`'s share of `out.grad`; return `x.grad`.

# %%
def tanh_backward(out, x):
    """out = tanh(x): add the share of out.grad to x.grad; return x.grad."""
    ### BEGIN SOLUTION
    x.grad += (1.0 - out.data ** 2) * out.grad
    return x.grad
    ### END SOLUTION


# %%
# try it: compare with a central difference of tanh at x = 0.5
x = Value(0.5)
L = x.tanh()
L.grad = 1.0
h = 1e-6
print(f"yours: {tanh_backward(L, x):.8f}   central difference: {(math.tanh(0.5 + h) - math.tanh(0.5 - h)) / (2 * h):.8f}")

# %%
lesson11.check_tanh_backward(tanh_backward)


# %% [markdown]
# ## Exercise 3: `pow_backward` (2 points)
#
# `out = x ** n` with a number $n$: any real $n$, so $x^2$, $x^{-1} = 1/x$ and
# $x^{0.5} = \sqrt{x}$ all go through this one rule (the power rule of calculus).
#
# Complete `pow_backward(out, x, n)`: add `x`'s share of `out.grad`; return `x.grad`.

# %%
def pow_backward(out, x, n):
    """out = x ** n (n a number): add the share of out.grad to x.grad; return x.grad."""
    ### BEGIN SOLUTION
    x.grad += n * x.data ** (n - 1) * out.grad
    return x.grad
    ### END SOLUTION


# %%
# try it: d(x^3)/dx = 3 x^2 = 12 at x = 2, and d(1/x)/dx = -1/x^2 = -0.25
for n in (3, -1):
    x = Value(2.0)
    L = x ** n
    L.grad = 1.0
    print(f"n = {n:2d}: x.grad = {pow_backward(L, x, n)}")

# %%
lesson11.check_pow_backward(pow_backward)


# %% [markdown]
# ## Exercise 4: `topological_sort` (3 points)
#
# `L.backward()` may call a node's rule only when the node's `grad` is complete, that is after
# **every** node that uses it has added its share. So it first lists the nodes in a
# **topological order**: every node after all of its inputs, the root $L$ last (the order in
# which the forward pass could compute them). Walked backwards, this list visits every node
# after all of its users.
#
# Here a graph is given as plain names: `inputs[name]` is the list of the names of the nodes
# that node was computed from (a leaf has `[]`). For $L = a \cdot a + a$, with $s = a \cdot a$:
# `inputs = {"L": ["s", "a"], "s": ["a", "a"], "a": []}`, and the answer is `["a", "s", "L"]`.
#
# Complete `topological_sort(root, inputs)`: return the list of the names of every node the
# root depends on (the root included), each **once**, each after all of its inputs. (One way
# is a depth-first search from the root; think about when a node may be appended, and how
# to avoid listing `a` three times.)

# %%
def topological_sort(root, inputs):
    """The nodes root depends on, each once and after all of its inputs; root last."""
    ### BEGIN SOLUTION
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for child in inputs[node]:
                visit(child)
            order.append(node)

    visit(root)
    return order
    ### END SOLUTION


# %%
# try it
print(topological_sort("L", {"L": ["s", "a"], "s": ["a", "a"], "a": []}))
print(topological_sort("L", {"L": ["d", "a"], "d": ["c"], "c": ["a", "b"], "a": [], "b": []}))

# %%
lesson11.check_topological_sort(topological_sort)


# %% [markdown]
# ## Putting it together (not graded)
#
# Your four functions are a complete backward pass for expressions made of `*`, `tanh` and
# `**`. Take $L = \tanh(a b)^2 \cdot a$, where $a$ is used twice: name the nodes, sort them,
# set $\partial L/\partial L = 1$ and call each node's rule in reversed order. The result
# should equal `course_lib`'s own `L.backward()`.

# %%
def your_backward(names):
    """names: Value -> name, the root called "L". Runs the backward pass with your functions."""
    node = {name: v for v, name in names.items()}
    order = topological_sort("L", {name: [names[u] for u in v.inputs] for v, name in names.items()})
    node["L"].grad = 1.0
    for name in reversed(order):
        out = node[name]
        if out.op == "*":
            mul_backward(out, *out.inputs)
        elif out.op == "tanh":
            tanh_backward(out, *out.inputs)
        elif out.op.startswith("**"):
            pow_backward(out, out.inputs[0], float(out.op[2:]))


def expression():
    a, b = Value(0.8), Value(-0.6)
    c = a * b
    d = c.tanh()
    e = d ** 2
    L = e * a
    return {a: "a", b: "b", c: "c", d: "d", e: "e", L: "L"}


yours, library = expression(), expression()
your_backward(yours)
[root] = [v for v, name in library.items() if name == "L"]
root.backward()
for (v, name), (w, _) in zip(yours.items(), library.items()):
    print(f"dL/d{name}:  yours {v.grad:+.6f}   course_lib {w.grad:+.6f}")

# %% [markdown]
# ## All exercises
#
# Run this cell to check every exercise and see your score.

# %%
lesson11.check_all(globals())
