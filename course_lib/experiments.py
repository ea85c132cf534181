"""The experiments of lessons 05-08: data, network, loss, optimizer and epochs, in a few lines.

NumPy only. Each function runs one experiment of a lesson and returns a result dict. The
lessons call them in the open, and the live widgets (``course_lib.widgets.live``) call the
same functions whenever a control changes, then draw the result.

    lesson 05  retrain_for_lr(lr, optimizer)              the 2-2-1 sigmoid net on XOR
               gradient_cancellation(model, X, y, loss)   per-sample gradients vs their mean
    lesson 06  retrain_for_activation(activation, lr)     a 2-16-16-2 net on two spirals
               activation_ranking(lrs, seeds)             the same over learning rates and seeds
    lesson 07  gradient_bars_for(depth, activation, init) ||dL/dW|| per layer of a deep net
               train_deep_net(activation, init)           train it; per-layer speed per epoch
    lesson 08  retrain_with_regularization(kind, strength) a 2-64-64-2 net on 60 noisy moons
               (``weight_decay=`` trains with AdamW instead of Adam)

Every experiment that trains takes ``callback=None``, handed on to ``training.train``:
``callback(epoch, history)`` runs after each epoch, and returning True stops training (the
widgets use it for their progress bar, and to stop a run that a newer control change has
made stale). Every random source is seeded, so a result is the same each time.
"""
import numpy as np

from . import datasets
from .analysis import deep_mlp, dense_layers, gradient_norms, measure_gap, probe_data
from .losses import get_loss
from .network import mlp
from .optimizers import AdamW, get_optimizer
from .surfaces import Quadratic, optimizer_path, path_losses
from .training import EarlyStopping, train

__all__ = [
    "GD_SURFACE", "GD_START", "GD_OPTIMIZERS", "retrain_for_lr", "gradient_cancellation",
    "ACTIVATION_CHOICES", "activation_task", "retrain_for_activation", "activation_ranking",
    "INIT_CHOICES", "gradient_bars_for", "train_deep_net",
    "REGULARIZATION_KINDS", "regularization_setting", "overfit_task",
    "retrain_with_regularization",
]


# =======================================================================================
# Lesson 05: learning rate and optimizer
# =======================================================================================
#: lesson 05's 2-D loss surface: a bowl 10 times steeper across (w2) than along (w1)
GD_SURFACE = Quadratic(a=0.1, b=1.0)
#: where every path on ``GD_SURFACE`` starts
GD_START = (-4.5, 2.5)
GD_OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")


def _xor_net(seed):
    """The classic 2-2-1 network: 2 sigmoid hidden units, 1 sigmoid output."""
    return mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=seed)


def retrain_for_lr(lr=0.1, optimizer="sgd", epochs=1000, seed=0, path_steps=40, callback=None):
    """Lesson 05: train the 2-2-1 sigmoid network on XOR with ``optimizer`` at ``lr``, and
    walk the same optimizer ``path_steps`` steps on ``GD_SURFACE`` from ``GD_START``.

    * data: the four XOR points, ``X (4, 2)``, targets ``y (4, 1)`` as floats 0 / 1
    * network: 2-2-1, sigmoid hidden and output units, initialised from ``seed``
    * loss: mean squared error; optimizer: ``optimizer`` ("sgd", "momentum", "rmsprop",
      "adam") with learning rate ``lr``, full batch, ``epochs`` epochs
    * ``callback(epoch, history)`` goes to ``train``: it runs after each epoch, True stops

    Returns a dict: ``history``, ``final_loss``, ``outputs`` (the net's four XOR outputs,
    NaN if training diverged), ``path`` and ``path_loss`` (the path on the surface and its
    loss per step), plus the settings ``lr``, ``optimizer``, ``epochs``.
    """
    X, y = datasets.xor()
    model = _xor_net(seed)
    history = train(model, X, y.reshape(-1, 1).astype(float), "mse", get_optimizer(optimizer, lr),
                    epochs, progress=False, seed=seed, callback=callback)
    path = optimizer_path(GD_SURFACE, optimizer, GD_START, path_steps, lr=lr)
    with np.errstate(over="ignore", invalid="ignore"):
        outputs = model.predict(X)[:, 0] if not history.diverged else np.full(4, np.nan)
    return {"lr": float(lr), "optimizer": optimizer, "epochs": epochs, "history": history,
            "final_loss": history.train_loss[-1], "outputs": outputs,
            "path": path, "path_loss": path_losses(GD_SURFACE, path)}


def _gradient_vector(model, X, y, loss):
    """All of dL/dW and dL/db of ``model`` on ``(X, y)``, flattened into one vector."""
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    return np.concatenate([np.concatenate([layer.dW.ravel(), layer.db.ravel()])
                           for layer in dense_layers(model)])


def gradient_cancellation(model, X, y, loss="mse"):
    """Lesson 05: does the full-batch gradient vanish because every sample's does, or
    because the samples' gradients cancel?

    * ``X (N, D)``, targets ``y (N, K)``; ``loss`` a mean over the batch (name or instance)
    * one forward and backward pass per sample, and one on the whole batch; the weights
      do not change (the model's gradients are left from the last pass)

    Returns a dict: ``sample_norms`` (N,), the norm of each sample's gradient ``g_n``;
    ``mean_norm``, the norm of their mean ``(1/N) sum_n g_n``; ``batch_norm``, the norm of
    the full-batch gradient (the same vector as the mean, because the loss is a mean).
    """
    loss = get_loss(loss)
    y = np.asarray(y)
    per_sample = np.array([_gradient_vector(model, X[n:n + 1], y[n:n + 1], loss)
                           for n in range(len(X))])
    batch = _gradient_vector(model, X, y, loss)
    return {"sample_norms": np.linalg.norm(per_sample, axis=1),
            "mean_norm": float(np.linalg.norm(per_sample.mean(axis=0))),
            "batch_norm": float(np.linalg.norm(batch))}


# =======================================================================================
# Lesson 06: activations
# =======================================================================================
ACTIVATION_CHOICES = ("sigmoid", "tanh", "relu", "leaky_relu", "elu")


def activation_task():
    """The lesson-06 task: two spiral arms, 200 points (``X (200, 2)``, labels ``y (200,)``)."""
    return datasets.spirals(200, noise=0.05, seed=0)


def retrain_for_activation(activation="relu", lr=0.4, epochs=300, seed=0, callback=None):
    """Lesson 06: train a 2-16-16-2 network with ``activation`` in its hidden layers on the
    spirals of ``activation_task``.

    * data: 200 points of two spiral arms, ``X (200, 2)``, integer labels ``y (200,)``
    * network: 2-16-16-2, ``activation`` after each hidden layer, 2 logits out; He
      initialisation for the ReLU family, Xavier otherwise; initialised from ``seed``
    * loss: softmax cross-entropy; optimizer: plain gradient descent at ``lr``, full batch,
      ``epochs`` epochs
    * ``callback(epoch, history)`` goes to ``train``: it runs after each epoch, True stops

    Returns a dict: ``model``, ``history``, ``final_loss``, ``accuracy`` (training accuracy
    after the last epoch), the data ``X`` and ``y``, and the settings.
    """
    X, y = activation_task()
    model = mlp([2, 16, 16, 2], activation=activation, seed=seed)
    history = train(model, X, y, "cross_entropy", get_optimizer("sgd", lr), epochs, progress=False,
                    seed=seed, accuracy_metric=True, callback=callback)
    return {"activation": activation, "lr": float(lr), "epochs": epochs, "model": model,
            "history": history, "final_loss": history.train_loss[-1],
            "accuracy": history.train_accuracy[-1], "X": X, "y": y}


def activation_ranking(lrs=(0.1, 0.4, 1.0), seeds=(0, 1, 2), names=ACTIVATION_CHOICES, epochs=300):
    """Lesson 06: ``retrain_for_activation`` for every activation, learning rate and seed.

    Returns a dict: ``loss`` and ``accuracy``, arrays of shape
    ``(len(names), len(lrs), len(seeds))`` (NaN loss where a run diverged), and the
    settings ``names``, ``lrs``, ``seeds``.
    """
    shape = (len(names), len(lrs), len(seeds))
    loss, accuracy = np.full(shape, np.nan), np.full(shape, np.nan)
    for i, name in enumerate(names):
        for j, lr in enumerate(lrs):
            for k, seed in enumerate(seeds):
                r = retrain_for_activation(name, lr=lr, epochs=epochs, seed=seed)
                loss[i, j, k] = np.nan if r["history"].diverged else r["final_loss"]
                accuracy[i, j, k] = r["accuracy"]
    return {"loss": loss, "accuracy": accuracy, "names": tuple(names), "lrs": tuple(lrs),
            "seeds": tuple(seeds)}


# =======================================================================================
# Lesson 07: gradient norms per layer
# =======================================================================================
INIT_CHOICES = ("small", "large", "xavier", "he")


def gradient_bars_for(depth=10, activation="sigmoid", init="xavier", width=64, seed=0):
    """Lesson 07: ||dL/dW|| of every layer of a fresh, untrained deep network.

    * data: 256 standard-normal inputs ``X (256, 10)`` and random targets ``y (256, 1)``
      (``analysis.probe_data``)
    * network: ``depth`` Dense layers: ``depth - 1`` hidden layers of ``width`` units with
      ``activation``, initialised by ``init`` from ``seed``, then one linear output unit
    * one forward and one backward pass with mean squared error; no training step

    Returns a dict: ``norms`` (one per Dense layer, input side first; inf or NaN where the
    signal overflowed) and the settings ``depth``, ``activation``, ``init``.
    """
    X, y = probe_data(256, 10, seed)
    model = deep_mlp(depth, width, activation, init, n_in=10, n_out=1, seed=seed)
    with np.errstate(over="ignore", invalid="ignore"):
        norms = gradient_norms(model, X, y, "mse")
    return {"depth": depth, "activation": activation, "init": init, "norms": norms}


def train_deep_net(activation="sigmoid", init="xavier", depth=10, width=64, lr=0.01, epochs=300,
                   seed=0, callback=None):
    """Lesson 07: train the deep network of ``gradient_bars_for`` and record, after every
    epoch, how fast each layer learns.

    * data: ``probe_data(256, 10, seed)``: ``X (256, 10)``, random targets ``y (256, 1)``
      (the network can only lower the loss below ``Var(y)`` by fitting them)
    * network: ``deep_mlp(depth, width, activation, init, seed=seed)``
    * loss: mean squared error; optimizer: plain gradient descent at ``lr``, full batch
      (one step per epoch), ``epochs`` epochs
    * ``callback(epoch, history)`` goes to ``train``: it runs after each epoch, True stops

    Returns a dict: ``history``, ``model``, ``final_loss``; ``grad_norms`` and
    ``update_ratios``, arrays ``(epochs, depth)``: per epoch and Dense layer (input side
    first) ``||dL/dW||`` of that epoch's step and ``||W_new - W_old|| / ||W_old||``;
    ``moved`` (depth,): ``||W_end - W_start|| / ||W_start||`` over the whole run; the
    targets' variance ``target_var`` (the loss of always answering their mean); the settings.
    """
    X, y = probe_data(256, 10, seed)
    model = deep_mlp(depth, width, activation, init, n_in=10, n_out=1, seed=seed)
    dense = dense_layers(model)
    start = [layer.W.copy() for layer in dense]
    previous = [w.copy() for w in start]
    grad_norms, update_ratios = [], []

    def record(epoch, history):
        grad_norms.append([np.linalg.norm(layer.dW) for layer in dense])
        update_ratios.append([np.linalg.norm(layer.W - w) / np.linalg.norm(w)
                              for layer, w in zip(dense, previous)])
        previous[:] = [layer.W.copy() for layer in dense]
        return bool(callback(epoch, history)) if callback is not None else False

    history = train(model, X, y, "mse", get_optimizer("sgd", lr), epochs, progress=False,
                    seed=seed, callback=record)
    moved = np.array([np.linalg.norm(layer.W - w) / np.linalg.norm(w) for layer, w in zip(dense, start)])
    return {"activation": activation, "init": init, "depth": depth, "lr": float(lr),
            "epochs": epochs, "history": history, "model": model,
            "final_loss": history.train_loss[-1], "grad_norms": np.array(grad_norms),
            "update_ratios": np.array(update_ratios), "moved": moved,
            "target_var": float(np.var(y))}


# =======================================================================================
# Lesson 08: regularization
# =======================================================================================
REGULARIZATION_KINDS = ("none", "L2", "L1", "dropout", "early stopping")


def regularization_setting(kind, strength):
    """Map a ``strength`` in [0, 1] (the widget's slider) to the regularizer's own parameter.

    L2: lambda = 0.02 s;  L1: lambda = 0.005 s;  dropout: p = 0.7 s;
    early stopping: patience = round(10 ** (2.5 (1 - s))) epochs (s = 1: patience 1).
    Returns ``(train keyword arguments, dropout p, a description)``; the description is
    HTML (``&lambda;`` for the Greek letter).
    """
    s = float(np.clip(strength, 0.0, 1.0))
    if kind == "none":
        return {}, 0.0, "no regularization"
    if kind == "L2":
        return {"l2": 0.02 * s}, 0.0, f"L2, &lambda; = {0.02 * s:.4f}"
    if kind == "L1":
        return {"l1": 0.005 * s}, 0.0, f"L1, &lambda; = {0.005 * s:.4f}"
    if kind == "dropout":
        return {}, 0.7 * s, f"dropout, p = {0.7 * s:.2f}"
    if kind == "early stopping":
        patience = max(1, int(round(10 ** (2.5 * (1 - s)))))
        return {"early_stopping": EarlyStopping(patience=patience)}, 0.0, \
            f"early stopping, patience {patience}"
    raise ValueError(f"unknown regularization {kind!r}; choose one of: {', '.join(REGULARIZATION_KINDS)}")


def overfit_task():
    """Lesson 08's data: noisy moons, 60 training and 240 validation points.

    Returns ``X_train (60, 2), X_val (240, 2), y_train (60,), y_val (240,)``.
    """
    X, y = datasets.moons(300, noise=0.35, seed=1)
    return datasets.train_val_split(X, y, val_fraction=0.8, seed=0)


def retrain_with_regularization(kind="none", strength=0.5, epochs=400, hidden=64, lr=0.01,
                                seed=0, callback=None, weight_decay=0.0):
    """Lesson 08: train a large network on few noisy points with one regularizer, and
    measure the gap between validation and training loss.

    * data: ``overfit_task()``, 60 training and 240 validation points of noisy moons
    * network: 2-64-64-2 (``hidden`` units per layer), ReLU, He initialisation from
      ``seed``; with ``kind="dropout"``, Dropout(p) after each hidden ReLU
    * loss: softmax cross-entropy, plus the penalty of ``kind`` at ``strength`` (see
      ``regularization_setting``); optimizer: Adam at ``lr`` (AdamW, decoupled weight
      decay ``weight_decay``, when it is not 0), full batch, ``epochs`` epochs,
      validation loss recorded after every epoch
    * ``callback(epoch, history)`` goes to ``train``: it runs after each epoch, True stops

    Returns a dict: ``model``, ``history``, ``gap`` (``analysis.measure_gap`` of the final
    model, dropout off), ``final_loss`` (its training loss), ``label`` (the setting, as
    HTML), ``data`` ``(X_train, X_val, y_train, y_val)``, and the settings.
    """
    X_tr, X_val, y_tr, y_val = overfit_task()
    kwargs, p, label = regularization_setting(kind, strength)
    model = mlp([2, hidden, hidden, 2], activation="relu", dropout=p, seed=seed)
    optimizer = AdamW(lr, weight_decay=weight_decay) if weight_decay != 0 else get_optimizer("adam", lr)
    history = train(model, X_tr, y_tr, "cross_entropy", optimizer, epochs,
                    validation_data=(X_val, y_val), progress=False, seed=seed,
                    callback=callback, **kwargs)
    gap = measure_gap(model, X_tr, y_tr, X_val, y_val, "cross_entropy")
    return {"kind": kind, "strength": float(strength), "label": label, "epochs": epochs,
            "model": model, "history": history, "gap": gap, "final_loss": gap["train_loss"],
            "data": (X_tr, X_val, y_tr, y_val)}
