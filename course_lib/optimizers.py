"""Optimizers: ``step(model)`` moves every parameter against its gradient.

The update rules are PyTorch's (``torch.optim.SGD``, ``RMSprop``, ``Adam``), written out:

    SGD       theta <- theta - lr g
    Momentum  v <- beta v + g;                      theta <- theta - lr v
    RMSProp   s <- beta s + (1 - beta) g^2;         theta <- theta - lr g / (sqrt(s) + eps)
    Adam      m <- beta1 m + (1 - beta1) g;  v <- beta2 v + (1 - beta2) g^2
              m_hat = m / (1 - beta1^t);     v_hat = v / (1 - beta2^t)
              theta <- theta - lr m_hat / (sqrt(v_hat) + eps)
    AdamW     theta <- theta - lr lambda theta   (weights W only), then the Adam step

``g`` is the gradient left by ``model.backward``; parameters are updated in place.
An optimizer belongs to one model: its state (velocities, moments) is kept per parameter,
so using it with a second model raises an error (create a new optimizer, or ``reset()``).
"""
import numbers
import operator

import numpy as np

from ._validation import check_positive, check_probability, unknown_name_error


_VALUE = operator.itemgetter(1)      # the value of a (name, value, gradient) triple


class Optimizer:
    """Base class: keeps one state slot per parameter, in the order of ``model.parameters()``."""

    def __init__(self, lr):
        self.lr = check_positive(lr, "learning rate lr")
        self.state = None
        self.params = None      # the parameter arrays the state belongs to
        self.t = 0

    def step(self, model):
        """One update of every parameter of ``model``, with the gradients its backward left."""
        params = self._parameters_of(model)
        for (_, value, grad), state in zip(params, self.state):
            self._update(value, grad, state)

    def _parameters_of(self, model):
        """``model.parameters()``, after checking that this optimizer's state belongs to them;
        counts the step (``t``)."""
        params = model.parameters()
        if self.state is None or self.params is None:    # the first step: adopt this model
            if self.state is None:
                self.state = [self._init_state(name, value) for name, value, _ in params]
            self.params = [value for _, value, _ in params]
        elif len(params) != len(self.params) or not all(
                map(operator.is_, map(_VALUE, params), self.params)):
            raise ValueError(
                f"this {type(self).__name__} optimizer was used with another model (or the "
                "model's parameter arrays were replaced), and its state belongs to those "
                "parameters; create a new optimizer for each model, or call optimizer.reset()"
            )
        self.t += 1
        return params

    def reset(self):
        """Forget the state (velocities, moment estimates, step count) and the model."""
        self.state = None
        self.params = None
        self.t = 0

    def _init_state(self, name, value):
        return {}

    def _update(self, theta, g, state):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}(lr={self.lr:g})"


class SGD(Optimizer):
    """Plain gradient descent: theta <- theta - lr g."""

    def step(self, model):
        lr = self.lr
        for _, theta, g in self._parameters_of(model):
            theta -= lr * g


class Momentum(Optimizer):
    """Heavy-ball momentum (PyTorch's SGD with momentum): v <- beta v + g; theta <- theta - lr v."""

    def __init__(self, lr, beta=0.9):
        super().__init__(lr)
        self.beta = check_probability(beta, "beta")

    def _init_state(self, name, value):
        return {"v": None}

    def _update(self, theta, g, state):
        if state["v"] is None:
            state["v"] = g.copy()          # first step: v = g, as in PyTorch
        else:
            state["v"] = self.beta * state["v"] + g
        theta -= self.lr * state["v"]

    def __repr__(self):
        return f"Momentum(lr={self.lr:g}, beta={self.beta:g})"


class RMSProp(Optimizer):
    """Divide by a running root-mean-square of the gradient: s <- beta s + (1-beta) g^2."""

    def __init__(self, lr, beta=0.9, eps=1e-8):
        super().__init__(lr)
        self.beta = check_probability(beta, "beta")
        self.eps = check_positive(eps, "eps")

    def _init_state(self, name, value):
        return {"s": np.zeros_like(value)}

    def _update(self, theta, g, state):
        state["s"] = self.beta * state["s"] + (1.0 - self.beta) * g * g
        theta -= self.lr * g / (np.sqrt(state["s"]) + self.eps)

    def __repr__(self):
        return f"RMSProp(lr={self.lr:g}, beta={self.beta:g})"


class Adam(Optimizer):
    """Momentum (m) plus RMSProp (v), both bias-corrected for their zero start."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1 = check_probability(beta1, "beta1")
        self.beta2 = check_probability(beta2, "beta2")
        self.eps = check_positive(eps, "eps")

    def _init_state(self, name, value):
        return {"m": np.zeros_like(value), "v": np.zeros_like(value)}

    def _update(self, theta, g, state):
        b1, b2, t = self.beta1, self.beta2, self.t
        state["m"] = b1 * state["m"] + (1.0 - b1) * g
        state["v"] = b2 * state["v"] + (1.0 - b2) * g * g
        m_hat = state["m"] / (1.0 - b1**t)
        v_hat = state["v"] / (1.0 - b2**t)
        theta -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def __repr__(self):
        return f"Adam(lr={self.lr:g}, beta1={self.beta1:g}, beta2={self.beta2:g})"


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter 2019; PyTorch's ``AdamW``).

    Each step first shrinks every weight matrix, then takes the Adam step:
        W <- W - lr lambda W                           (lambda = weight_decay)
        W <- W - lr m_hat / (sqrt(v_hat) + eps)        (Adam, on the data gradient only)
    Unlike an L2 penalty (``train(l2=...)``, which adds lambda W to the gradient, where
    Adam's division by sqrt(v_hat) rescales it), the decay does not pass through m and v:
    every weight shrinks by the same factor (1 - lr lambda) per step.

    Decays the weights ``W`` only, never the biases ``b``: course_lib's convention for
    every weight penalty (see ``course_lib.regularization``); a parameter is decayed when
    its name (from ``model.parameters()``) is ``W`` or ends in ``.W``. PyTorch's
    ``torch.optim.AdamW`` decays every parameter it is given; the same updates there need
    two parameter groups, biases with ``weight_decay=0``.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        super().__init__(lr, beta1, beta2, eps)
        if (isinstance(weight_decay, bool) or not isinstance(weight_decay, numbers.Real)
                or not np.isfinite(weight_decay) or weight_decay < 0):
            raise ValueError(f"weight_decay must be a non-negative number, got {weight_decay!r}")
        if self.lr * weight_decay >= 1:
            raise ValueError(
                f"lr * weight_decay must be below 1 (each step multiplies the weights by "
                f"1 - lr * weight_decay); got lr={self.lr:g}, weight_decay={weight_decay:g}"
            )
        self.weight_decay = float(weight_decay)

    def _init_state(self, name, value):
        state = super()._init_state(name, value)
        state["decay"] = name == "W" or name.endswith(".W")
        return state

    def _update(self, theta, g, state):
        if state["decay"] and self.weight_decay:
            theta *= 1.0 - self.lr * self.weight_decay      # decoupled: before, not in, g
        super()._update(theta, g, state)

    def __repr__(self):
        return (f"AdamW(lr={self.lr:g}, beta1={self.beta1:g}, beta2={self.beta2:g}, "
                f"weight_decay={self.weight_decay:g})")


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "rmsprop": RMSProp, "adam": Adam, "adamw": AdamW}


def get_optimizer(name, lr, **kwargs):
    """A new optimizer for a name such as ``"adam"`` and a learning rate."""
    key = str(name).lower()
    if key not in OPTIMIZERS:
        raise unknown_name_error("optimizer", name, OPTIMIZERS)
    return OPTIMIZERS[key](lr, **kwargs)
