"""Looking inside a network: gradient size per layer, activation statistics, dead units.

NumPy only. Each function runs the model (forward, and backward where it needs gradients)
and reports per layer, from the input side to the output side.
"""
import numpy as np

from ._validation import as_float_array, as_rng
from .layers import ELU, Dense, LeakyReLU, ReLU, Sigmoid, Tanh
from .losses import get_loss
from .training import evaluate
from .network import mlp

_ACTIVATION_TYPES = (Sigmoid, Tanh, ReLU, LeakyReLU, ELU)


def dense_layers(model):
    """The model's Dense layers, input side first."""
    return [layer for layer in model.layers if isinstance(layer, Dense)]


def gradient_norms(model, X, y, loss="mse"):
    """||dL/dW|| (Frobenius norm) of every Dense layer after one forward and backward pass.

    Returns an array of length ``number of Dense layers``, input side first. The model is
    run in training mode and its gradients are left in place; its weights do not change.
    """
    loss = get_loss(loss)
    X = as_float_array(X, "X", ndim=2)
    y_pred = model.forward(X)
    loss.forward(y_pred, y)
    model.backward(loss.backward())
    return np.array([np.linalg.norm(layer.dW) for layer in dense_layers(model)])


def layer_activations(model, X):
    """The output of every activation layer (sigmoid, tanh, ReLU, ...) for input ``X``.

    Returns a list of arrays ``(N, units)``, input side first; dropout is off.
    """
    X = as_float_array(X, "X", ndim=2)
    outputs = []
    was_training = model.training
    model.eval()
    try:
        x = X
        for layer in model.layers:
            x = layer.forward(x)
            if isinstance(layer, _ACTIVATION_TYPES):
                outputs.append(x)
    finally:
        model.train(was_training)
    return outputs


def activation_stats(model, X):
    """Per activation layer: mean, standard deviation and share of saturated or zero outputs.

    Returns a list of dicts with keys ``mean``, ``std`` and ``saturated``: the share of
    outputs within 2% of a sigmoid's or tanh's limits, or exactly 0 for the ReLU family.
    """
    stats = []
    acts = layer_activations(model, X)
    kinds = [layer for layer in model.layers if isinstance(layer, _ACTIVATION_TYPES)]
    for layer, a in zip(kinds, acts):
        if isinstance(layer, Sigmoid):
            sat = np.mean((a < 0.02) | (a > 0.98))
        elif isinstance(layer, Tanh):
            sat = np.mean(np.abs(a) > 0.98)
        else:
            sat = np.mean(a == 0.0)
        stats.append({"mean": float(a.mean()), "std": float(a.std()), "saturated": float(sat)})
    return stats


def dead_unit_fraction(model, X):
    """Per ReLU layer: the share of units whose output is 0 for every sample in ``X``.

    Such a unit is *dead*: its gradient is 0 on all of ``X``, so gradient descent never
    changes its incoming weights again. Returns an array, one entry per ReLU layer.
    """
    acts = layer_activations(model, X)
    relus = [layer for layer in model.layers if isinstance(layer, _ACTIVATION_TYPES)]
    out = [np.mean(np.all(a <= 0.0, axis=0)) for layer, a in zip(relus, acts)
           if isinstance(layer, ReLU)]
    return np.array(out, dtype=float)


def deep_mlp(depth=10, width=64, activation="sigmoid", init="xavier", n_in=10, n_out=1, seed=0):
    """A deep, narrow-enough network to study gradients: ``depth`` Dense layers in all.

    ``depth - 1`` hidden layers of ``width`` units with ``activation``, then a linear
    output layer of ``n_out`` units.
    """
    if depth < 2:
        raise ValueError(f"depth must be at least 2 (one hidden layer), got {depth!r}")
    return mlp([n_in] + [width] * (depth - 1) + [n_out], activation=activation, init=init, seed=seed)


def probe_data(n_samples=256, n_in=10, seed=0):
    """Standard-normal inputs ``X (n, n_in)`` and random targets ``y (n, 1)`` to probe a net."""
    rng = as_rng(seed)
    X = rng.standard_normal((n_samples, n_in))
    y = rng.standard_normal((n_samples, 1))
    return X, y


def generalization_gap(history):
    """Final validation loss minus final training loss of a ``History`` (larger = overfit)."""
    if not history.val_loss:
        raise ValueError("the history has no validation loss: train with validation_data")
    return float(history.val_loss[-1] - history.train_loss[-1])


def measure_gap(model, X_train, y_train, X_val, y_val, loss):
    """Loss and accuracy of the trained ``model`` on both sets, and the gap between them.

    Returns a dict: ``train_loss``, ``val_loss``, ``gap`` (= val - train), ``train_acc``,
    ``val_acc`` (None for a regression loss). Dropout is off (``training.evaluate`` uses
    ``predict``), so this measures the model as it is used.
    """
    on_train = evaluate(model, X_train, y_train, loss)
    on_val = evaluate(model, X_val, y_val, loss)
    return {"train_loss": on_train["loss"], "val_loss": on_val["loss"],
            "gap": on_val["loss"] - on_train["loss"],
            "train_acc": on_train.get("accuracy"), "val_acc": on_val.get("accuracy")}
