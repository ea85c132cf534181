"""``Sequential``: layers applied one after the other, like Keras's ``Sequential``.

forward:  x -> layer_1 -> layer_2 -> ... -> output
backward: dL/d(output) -> ... -> layer_2.backward -> layer_1.backward (the chain rule)
"""
import numbers

import numpy as np

from ._validation import as_float_array, as_rng
from .layers import Dense, Dropout, Layer, Sigmoid, activation_layer


class Sequential:
    """A network made of ``layers``, applied in order.

    >>> model = Sequential([Dense(2, 2), Sigmoid(), Dense(2, 1), Sigmoid()])
    >>> model.predict(X).shape   # X of shape (N, 2)
    (N, 1)
    """

    _prefixes = ()      # parameter-name prefixes by layer index, see parameters()

    def __init__(self, layers):
        layers = list(layers)
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layer {i} is {layer!r}, not a course_lib layer")
        self._check_shapes(layers)
        self.layers = layers

    @staticmethod
    def _check_shapes(layers):
        """Consecutive Dense layers must agree: n_out of one == n_in of the next."""
        dense = [(i, layer) for i, layer in enumerate(layers) if isinstance(layer, Dense)]
        for (i, a), (j, b) in zip(dense, dense[1:]):
            if a.n_out != b.n_in:
                raise ValueError(
                    f"shape mismatch between layers {i} and {j}: {a!r} outputs {a.n_out} "
                    f"features but {b!r} expects {b.n_in}"
                )

    @property
    def n_in(self):
        return next((layer.n_in for layer in self.layers if isinstance(layer, Dense)), None)

    @property
    def n_out(self):
        return next((layer.n_out for layer in reversed(self.layers) if isinstance(layer, Dense)), None)

    def forward(self, x):
        """Run every layer in training mode; keeps what backward needs. (N, D) -> (N, K)."""
        if type(x) is not np.ndarray:           # a list of rows: converted (and checked) once
            x = as_float_array(x, "X", ndim=2, allow_nan=True)
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_out, need_grad_in=False):
        """Chain rule from the output back to the input; fills every layer's gradients.

        grad_out: dL/d(output), (N, K). Every layer's ``dW``, ``db`` are filled.
        Returns None by default: like PyTorch, which gives the data no gradient unless
        asked (``requires_grad``), the first Dense layer skips the one product nobody uses
        in a training loop, dL/dx. ``need_grad_in=True`` returns dL/dx, shape (N, D).
        The parameter gradients are the same either way.
        """
        if not self.layers:
            return grad_out if need_grad_in else None
        grad = grad_out
        first, *rest = self.layers
        for layer in reversed(rest):
            grad = layer.backward(grad)
        if need_grad_in:
            return first.backward(grad)
        if isinstance(first, Dense):
            first.backward(grad, need_grad_in=False)
        elif first.parameters():                # a layer of another kind with weights
            first.backward(grad)
        return None

    def predict(self, X):
        """Outputs for ``X`` in evaluation mode (dropout off). Checks X first. (N, D) -> (N, K)."""
        X = as_float_array(X, "X", ndim=2)
        was_training = self.training
        self.eval()
        try:
            out = self.forward(X)
        finally:
            self.train(was_training)
        return out

    def predict_classes(self, X):
        """Class labels, shape (N,): argmax over K > 1 outputs. One output is class 1 where
        p > 0.5 after a final ``Sigmoid``, and otherwise where the output, a logit z (as for
        ``BinaryCrossEntropy(from_logits=True)``), is > 0: the same decision, as
        sigmoid(z) > 0.5 exactly when z > 0."""
        out = self.predict(X)
        if out.shape[1] == 1:
            ends_in_sigmoid = bool(self.layers) and isinstance(self.layers[-1], Sigmoid)
            return (out[:, 0] > (0.5 if ends_in_sigmoid else 0.0)).astype(int)
        return np.argmax(out, axis=1)

    __call__ = forward

    def parameters(self):
        """Every ``(name, value, gradient)`` of every layer, in order."""
        prefixes = self._prefixes           # "layers[0].", "layers[1].", ...: made once
        if len(prefixes) < len(self.layers):
            prefixes = self._prefixes = [f"layers[{i}]." for i in range(len(self.layers))]
        params = []
        for prefix, layer in zip(prefixes, self.layers):
            for name, value, grad in layer.parameters():    # (activation layers have none)
                params.append((prefix + name, value, grad))
        return params

    def n_parameters(self):
        return int(sum(value.size for _, value, _ in self.parameters()))

    @property
    def training(self):
        return all(layer.training for layer in self.layers)

    def train(self, mode=True):
        """Training mode (dropout on). Returns self."""
        for layer in self.layers:
            layer.training = bool(mode)
        return self

    def eval(self):
        """Evaluation mode (dropout off). Returns self."""
        return self.train(False)

    def __repr__(self):
        inner = ",\n    ".join(repr(layer) for layer in self.layers)
        return f"Sequential([\n    {inner},\n])"


def mlp(sizes, activation="relu", output=None, init=None, dropout=0.0, seed=None, dtype=np.float64):
    """Build a multi-layer perceptron from layer sizes.

    ``mlp([2, 8, 8, 1], activation="tanh", output="sigmoid")`` is
    Dense(2,8) Tanh Dense(8,8) Tanh Dense(8,1) Sigmoid.
    ``output=None`` leaves the last layer linear (logits for ``CrossEntropy``).
    ``init=None`` picks He for the ReLU family and Xavier otherwise.
    ``dropout`` > 0 adds Dropout after each hidden activation.
    """
    sizes = list(sizes)
    for i, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"sizes must be whole numbers of units, got {n!r} at position {i} "
                            f"of {sizes}")
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list at least an input and an output size, all >= 1; got {sizes}")
    activation_layer(activation)  # fail early on an unknown name
    if init is None:
        init = "he" if str(activation).lower() in ("relu", "leaky_relu", "elu") else "xavier"
    rng = as_rng(seed)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Dense(n_in, n_out, init=init, rng=rng, dtype=dtype))
        if i < len(sizes) - 2:
            layers.append(activation_layer(activation))
            if dropout:
                layers.append(Dropout(dropout, rng=rng))
    if output is not None:
        layers.append(activation_layer(output))
    return Sequential(layers)

