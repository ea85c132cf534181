"""Optimizers: ``step(model)`` moves every parameter against its gradient.

The update rules are PyTorch's (``torch.optim.SGD``, ``RMSprop``, ``Adam``), written out:

    SGD       theta <- theta - lr g
    Momentum  v <- beta v + g;                      theta <- theta - lr v
    RMSProp   s <- beta s + (1 - beta) g^2;         theta <- theta - lr g / (sqrt(s) + eps)
    Adam      m <- beta1 m + (1 - beta1) g;  v <- beta2 v + (1 - beta2) g^2
              m_hat = m / (1 - beta1^t);     v_hat = v / (1 - beta2^t)
              theta <- theta - lr m_hat / (sqrt(v_hat) + eps)

``g`` is the gradient left by ``model.backward``; parameters are updated in place.
"""
import numpy as np

from ._validation import check_positive, check_probability, unknown_name_error


class Optimizer:
    """Base class: keeps one state slot per parameter, in the order of ``model.parameters()``."""

    def __init__(self, lr):
        self.lr = check_positive(lr, "learning rate lr")
        self.state = None
        self.t = 0

    def step(self, model):
        params = model.parameters()
        if self.state is None:
            self.state = [self._init_state(value) for _, value, _ in params]
        elif len(self.state) != len(params):
            raise ValueError("this optimizer was used with another model; create a new one")
        self.t += 1
        for (_, value, grad), state in zip(params, self.state):
            self._update(value, grad, state)

    def reset(self):
        """Forget the state (velocities, moment estimates, step count)."""
        self.state = None
        self.t = 0

    def _init_state(self, value):
        return {}

    def _update(self, theta, g, state):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}(lr={self.lr:g})"


class SGD(Optimizer):
    """Plain gradient descent: theta <- theta - lr g."""

    def _update(self, theta, g, state):
        theta -= self.lr * g


class Momentum(Optimizer):
    """Heavy-ball momentum (PyTorch's SGD with momentum): v <- beta v + g; theta <- theta - lr v."""

    def __init__(self, lr, beta=0.9):
        super().__init__(lr)
        self.beta = check_probability(beta, "beta")

    def _init_state(self, value):
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
        self.eps = float(eps)

    def _init_state(self, value):
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
        self.eps = float(eps)

    def _init_state(self, value):
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


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "rmsprop": RMSProp, "adam": Adam}


def get_optimizer(name, lr, **kwargs):
    """A new optimizer for a name such as ``"adam"`` and a learning rate."""
    key = str(name).lower()
    if key not in OPTIMIZERS:
        raise unknown_name_error("optimizer", name, OPTIMIZERS)
    return OPTIMIZERS[key](lr, **kwargs)
