"""Pictures the lessons draw. Each function returns the matplotlib ``Axes`` (or ``Figure``)
it drew on, and takes an ``ax`` to draw into an existing figure.
"""
import matplotlib.pyplot as plt
import numpy as np

from .activations import get_activation

CLASS_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


def _axes(ax, figsize=(5, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_activation(name, z=None, ax=None, derivative=True):
    """Draw an activation (solid) and its derivative (dashed) over ``z``."""
    f, f_prime = get_activation(name)
    z = np.linspace(-5, 5, 401) if z is None else np.asarray(z)
    ax = _axes(ax)
    ax.plot(z, f(z), label=f"{name}(z)", lw=2)
    if derivative:
        ax.plot(z, f_prime(z), "--", label=f"{name}'(z)", lw=2)
    ax.axhline(0, color="grey", lw=0.5)
    ax.axvline(0, color="grey", lw=0.5)
    ax.set_xlabel("z")
    ax.set_title(name)
    ax.legend(loc="upper left", fontsize=8)
    return ax


def plot_activations(names=("sigmoid", "tanh", "relu", "leaky_relu", "elu"), z=None):
    """One panel per activation, each with its derivative. Returns the Figure."""
    fig, axes = plt.subplots(1, len(names), figsize=(3.2 * len(names), 3), squeeze=False)
    for name, ax in zip(names, axes[0]):
        plot_activation(name, z, ax=ax)
    fig.tight_layout()
    return fig


def _histories(histories):
    """Accept one History, a dict name -> History, or a dict name -> list of losses."""
    if hasattr(histories, "train_loss"):
        return {"": histories}
    return dict(histories)


def plot_loss_curves(histories, ax=None, log=False, validation=True, title="loss"):
    """Loss against epoch for one or several training runs (train solid, validation dashed)."""
    ax = _axes(ax, (6, 4))
    for i, (name, h) in enumerate(_histories(histories).items()):
        color = CLASS_COLORS[i % len(CLASS_COLORS)]
        train = h.train_loss if hasattr(h, "train_loss") else h
        prefix = f"{name} " if name else ""
        ax.plot(np.arange(1, len(train) + 1), train, color=color, label=f"{prefix}train")
        val = getattr(h, "val_loss", None)
        if validation and val:
            ax.plot(np.arange(1, len(val) + 1), val, "--", color=color, label=f"{prefix}validation")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax


def plot_data(X, y, ax=None, marker="o", alpha=1.0, label_prefix="class "):
    """Scatter 2-D points coloured by integer label."""
    ax = _axes(ax)
    y = np.asarray(y).reshape(-1)
    for k in np.unique(y.astype(int)):
        pts = X[y.astype(int) == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=25, marker=marker, alpha=alpha,
                   color=CLASS_COLORS[k % len(CLASS_COLORS)], edgecolor="white",
                   linewidth=0.5, label=f"{label_prefix}{k}")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def decision_grid(predict, X, resolution=100, margin=0.5):
    """Evaluate ``predict`` on a grid covering ``X``: returns ``xx, yy, values``.

    ``values`` is the probability of class 1 for one output, else the predicted class.
    """
    x_min, y_min = X[:, 0].min() - margin, X[:, 1].min() - margin
    x_max, y_max = X[:, 0].max() + margin, X[:, 1].max() + margin
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution))
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    out = np.asarray(predict(grid))
    if out.ndim == 2 and out.shape[1] > 1:
        values = np.argmax(out, axis=1)
    else:
        values = out.reshape(-1)
    return xx, yy, values.reshape(xx.shape)


def plot_decision_boundary(model, X, y, ax=None, resolution=100, title=None):
    """The model's decision regions over the plane, with the data on top.

    ``model`` is a ``Sequential`` (its ``predict`` is used) or any function X -> outputs.
    """
    predict = model.predict if hasattr(model, "predict") else model
    ax = _axes(ax)
    xx, yy, values = decision_grid(predict, X, resolution)
    n_classes = int(max(np.max(y), 1)) + 1
    if n_classes <= 2 and values.dtype.kind == "f":
        ax.contourf(xx, yy, values, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
        ax.contour(xx, yy, values, levels=[0.5], colors="k", linewidths=1.5)
    else:
        from matplotlib.colors import ListedColormap

        cmap = ListedColormap(CLASS_COLORS[:n_classes])
        ax.contourf(xx, yy, values, levels=np.arange(n_classes + 1) - 0.5, cmap=cmap, alpha=0.35)
    plot_data(X, y, ax=ax)
    if title:
        ax.set_title(title)
    return ax
