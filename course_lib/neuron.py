"""A single neuron: a weighted sum of the inputs plus a bias, through an activation.

    z = w . x + b        a = f(z)        (a: the neuron's output, its activation)
"""
import numpy as np

from ._validation import as_float_array
from .activations import get_activation


class Neuron:
    """One neuron with weights ``w`` (shape ``(n_inputs,)``), a bias ``b`` and an activation.

    >>> Neuron([0, 1], 4).feedforward([2, 3])   # sigmoid(0*2 + 1*3 + 4) = sigmoid(7)
    0.9990889488055994
    """

    def __init__(self, weights, bias, activation="sigmoid"):
        self.weights = as_float_array(weights, "weights", ndim=1)
        self.bias = float(bias)
        if not np.isfinite(self.bias):
            raise ValueError(f"bias must be finite, got {bias!r}")
        self.activation = activation
        self.f, self.f_prime = get_activation(activation)

    def weighted_sum(self, inputs):
        """z = w . x + b for one sample ``(D,)`` or a batch ``(N, D)``, D = n_inputs."""
        x = as_float_array(inputs, "inputs")
        if x.ndim not in (1, 2) or x.shape[-1] != self.weights.shape[0]:
            raise ValueError(
                f"shape mismatch: this neuron has {self.weights.shape[0]} weights, "
                f"so inputs must have shape ({self.weights.shape[0]},) or "
                f"(n_samples, {self.weights.shape[0]}); got {x.shape}"
            )
        return x @ self.weights + self.bias

    def feedforward(self, inputs):
        """a = f(w . x + b): a float for one sample, an array ``(N,)`` for a batch."""
        a = self.f(self.weighted_sum(inputs))
        return float(a) if np.ndim(a) == 0 else a

    def __repr__(self):
        return f"Neuron(weights={self.weights.tolist()}, bias={self.bias}, activation={self.activation!r})"
