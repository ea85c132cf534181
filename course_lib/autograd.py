"""Automatic differentiation on scalars: a computational graph that computes its own gradients.

A ``Value`` holds one number, ``data``. Every operation on Values makes a new Value that
remembers its ``inputs`` and how to send a gradient back to them (``_backward``, written next
to the forward computation). ``L.backward()`` then walks the graph from ``L`` back to the
leaves, so that every Value ends up with ``grad = dL/d(value)``:

    a, b = Value(2.0), Value(-3.0)
    L = a * b + a                 # a is used twice
    L.backward()                  # a.grad = b + 1 = -2.0,  b.grad = a = 2.0

Two rules make it work (lesson 11):

* chain rule: each node adds ``local derivative * out.grad`` to each of its inputs' ``grad``;
* fan-out: a Value used by several nodes collects a share from each, so ``grad`` is
  accumulated with ``+=``, and a node passes its gradient on only after every node that uses
  it has added its share (the topological order).

The style follows micrograd's engine.py (A. Karpathy). Only numbers: one Python object per
number, which is why the vectorized layers of ``course_lib.layers`` are much faster.
"""
import math
import numbers

import numpy as np

from ._validation import as_rng
from .initializers import get_initializer


def _leaf_backward():
    """A leaf (an input or a weight) was not computed from anything: nothing to pass back.

    (A named function rather than a lambda, so that a leaf Value can be copied and pickled.)
    """


def _check_number(x, problem):
    """``x`` as a float, or a TypeError that starts with ``problem``."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{problem}, got {type(x).__name__} {x!r}")
    return float(x)


class Value:
    """One number in a computational graph: ``data``, and after ``backward()``, ``grad``."""

    def __init__(self, data, inputs=(), op="", label=""):
        self.data = _check_number(data, "a Value holds one real number (int or float)")
        self.grad = 0.0                 # dL/d(this value), filled by L.backward()
        self.inputs = tuple(inputs)     # the Values this one was computed from
        self.op = op                    # how: "+", "*", "tanh", ... ("" for a leaf)
        self.label = label              # an optional name, for pictures
        self._backward = _leaf_backward

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    @staticmethod
    def _wrap(other, op):
        """``other`` as a Value: numbers become constant leaves; anything else is an error."""
        if isinstance(other, Value):
            return other
        return Value(_check_number(other, f"unsupported operand for {op}: a Value combines only "
                                             "with another Value or a real number (int or float)"))

    # ---- + - * / : each forward computation next to its backward rule -------------------
    def __add__(self, other):
        other = Value._wrap(other, "+")
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():                # d(a + b)/da = 1, d(a + b)/db = 1
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = Value._wrap(other, "*")
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():                # d(a b)/da = b, d(a b)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        other = Value._wrap(other, "-")
        out = Value(self.data - other.data, (self, other), "-")

        def _backward():                # d(a - b)/da = 1, d(a - b)/db = -1
            self.grad += out.grad
            other.grad -= out.grad
        out._backward = _backward
        return out

    def __truediv__(self, other):
        return self * Value._wrap(other, "/") ** -1

    def __pow__(self, n):
        if isinstance(n, Value):
            raise TypeError("Value ** Value is not supported: the exponent must be a number "
                            "(int or float), as in v ** 2; for a Value exponent n and v > 0 write (n * v.log()).exp()")
        n = _check_number(n, "unsupported exponent for **: it must be a real number (int or float)")
        if self.data < 0 and not n.is_integer():
            raise ValueError(f"cannot raise a negative value ({self.data:g}) to the non-integer "
                             f"power {n:g}: the result is not a real number")
        if self.data == 0 and n < 0:
            raise ZeroDivisionError(f"cannot raise 0 to the negative power {n:g} (division by zero)")
        out = Value(self.data ** n, (self,), f"**{n:g}")

        def _backward():                # d(x^n)/dx = n x^(n-1)
            self.grad += n * self.data ** (n - 1) * out.grad
        out._backward = _backward
        return out

    # numbers on the left: 2 * v, 1 - v, 1 / v
    def __radd__(self, other):
        return Value._wrap(other, "+") + self

    def __rmul__(self, other):
        return Value._wrap(other, "*") * self

    def __rsub__(self, other):
        return Value._wrap(other, "-") - self

    def __rtruediv__(self, other):
        return Value._wrap(other, "/") * self ** -1

    def __rpow__(self, other):
        raise TypeError("number ** Value is not supported: the exponent must be a number; "
                        "for 2 ** v write (v * math.log(2)).exp()")

    # ---- functions of one Value -----------------------------------------------------------
    def _unary(self, value, local_derivative, op):
        """A Value computed from ``self`` alone, whose derivative is ``local_derivative()``."""
        out = Value(value, (self,), op)

        def _backward():                # chain rule: local derivative times the gradient from above
            self.grad += local_derivative(out) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.data:g}) is too large for a float (above 1.8e308)") from None
        return self._unary(e, lambda out: out.data, "exp")                           # d(e^x)/dx = e^x

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log needs a positive value, got {self.data:g}")
        return self._unary(math.log(self.data), lambda out: 1.0 / self.data, "log")  # d(log x)/dx = 1/x

    def tanh(self):
        return self._unary(math.tanh(self.data), lambda out: 1.0 - out.data ** 2, "tanh")

    def sigmoid(self):
        x = self.data                   # the stable form: exp of a negative number only
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return self._unary(s, lambda out: out.data * (1.0 - out.data), "sigmoid")

    def relu(self):
        return self._unary(max(self.data, 0.0), lambda out: float(self.data > 0), "relu")

    # ---- the backward pass ----------------------------------------------------------------
    def backward(self):
        """Fill ``grad`` of every Value this one depends on with d(self)/d(value).

        Gradients accumulate (``+=``), as in PyTorch: set them to 0 before a second call.
        """
        self.grad = 1.0                 # dL/dL
        for node in reversed(topological_order(self)):
            node._backward()            # every user of `node` has already added its share


def topological_order(root):
    """Every Value ``root`` depends on, each listed after all of its inputs, ``root`` last.

    A depth-first search: a node is appended once all of its inputs have been. (Written with
    an explicit stack instead of recursion, so that a sum of thousands of terms works.)
    """
    order, visited = [], set()
    stack = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)          # all its inputs are already in `order`
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.inputs))
    return order


# ------------------------------------------------------------------------------------------
# a network of Values (compare course_lib.layers.Dense, which does the same with arrays)
# ------------------------------------------------------------------------------------------
_ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")


class Neuron:
    """a = f(w . x + b) with weights ``w`` (a list of Values) and bias ``b`` (a Value)."""

    def __init__(self, weights, bias=0.0, activation="sigmoid"):
        if activation not in _ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(_ACTIVATIONS)}")
        self.w = [Value(w) for w in weights]
        self.b = Value(bias)
        self.activation = activation

    def __call__(self, x):
        if len(x) != len(self.w):
            raise ValueError(f"this neuron has {len(self.w)} weights, got {len(x)} inputs")
        z = self.b
        for w_i, x_i in zip(self.w, x):
            z = z + w_i * x_i
        return z if self.activation == "linear" else getattr(z, self.activation)()

    def parameters(self):
        return self.w + [self.b]


class Layer:
    """``n_out`` neurons that each see the same ``n_in`` inputs; weights as ``Dense`` draws them."""

    def __init__(self, n_in, n_out, activation="sigmoid", init="xavier", rng=None):
        W = get_initializer(init)(n_in, n_out, rng=as_rng(rng), dtype=np.float64)
        self.neurons = [Neuron(W[:, j], 0.0, activation) for j in range(n_out)]

    def load(self, W, b):
        """Copy a ``Dense`` layer's ``W`` (n_in, n_out) and ``b`` (n_out,): neuron j gets column j."""
        W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
        if W.shape != (len(self.neurons[0].w), len(self.neurons)) or b.shape != (len(self.neurons),):
            raise ValueError(f"W must have shape {(len(self.neurons[0].w), len(self.neurons))} and b "
                             f"shape {(len(self.neurons),)}, got {W.shape} and {b.shape}")
        for j, neuron in enumerate(self.neurons):
            for i, w in enumerate(neuron.w):
                w.data = float(W[i, j])
            neuron.b.data = float(b[j])

    def grads(self):
        """The gradients in ``Dense``'s layout: ``(dW (n_in, n_out), db (n_out,))``."""
        dW = np.array([[w.grad for w in neuron.w] for neuron in self.neurons]).T
        return dW, np.array([neuron.b.grad for neuron in self.neurons])

    def __call__(self, x):
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    """Layers of neurons: ``MLP([2, 2, 1])`` is the 2-2-1 network; ``model(x)`` is a list of Values."""

    def __init__(self, sizes, activation="sigmoid", output_activation="sigmoid", rng=None):
        rng = as_rng(rng)
        n = len(sizes) - 1
        self.layers = [Layer(sizes[k], sizes[k + 1], activation if k < n - 1 else output_activation, rng=rng)
                       for k in range(n)]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0
