"""Lesson 09: a neural-network playground in JupyterLab (the TensorFlow Playground's ideas).

Three parts, each usable on its own:

``PlaygroundState``
    the training state, a plain object: data, features, network, optimizer, histories.
    ``step()`` trains one or more epochs, ``reset()`` draws new weights, and one setter per
    control. Setters that keep the weights (learning rate, optimizer, regularization,
    dropout, batch size) take effect at the next epoch; setters that change what the
    network *is* (data, features, architecture, activation, loss) reset it.
``PlaygroundRenderer``
    draws a state with matplotlib's object-oriented API (``Figure``, no pyplot): the output
    surface as a heatmap with the train (filled) and test (ringed) points, and the train and
    test loss curves. Artists are built once and only their data change, so a redraw is a
    few tens of milliseconds. ``png(state)`` returns PNG bytes for an ``ipywidgets.Image``.
``playground()``
    the widget: controls, the picture and an epoch counter; *play* starts a background
    thread that trains and redraws while the controls stay live.

Tests drive ``PlaygroundState`` (and the widget's callbacks) without a browser.
"""
import io
import threading
import time

import numpy as np

from .. import datasets as _datasets
from ..layers import Dense, Dropout, Sigmoid, activation_layer
from ..network import Sequential
from ..optimizers import get_optimizer
from ..plots import figure_png
from ..training import train

__all__ = [
    "FEATURES", "PLAYGROUND_DATASETS", "LEARNING_RATES", "REGULARIZATION_RATES",
    "PlaygroundState", "PlaygroundRenderer", "Playground", "playground", "plot_playground",
    "show_playground",
]

#: input feature name -> function of the raw coordinates (x1, x2)
FEATURES = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin x1": lambda x1, x2: np.sin(x1),
    "sin x2": lambda x1, x2: np.sin(x2),
}
#: features that need the second coordinate (the regression task has only x1)
_NEEDS_X2 = {"x2", "x2^2", "x1*x2", "sin x2"}

#: data-set key -> label shown in the dropdown (keys are those of ``datasets.DATASETS``)
PLAYGROUND_DATASETS = {
    "circle": "circle",
    "xor": "XOR",
    "gaussian": "Gaussian",
    "spiral": "spiral",
    "moons": "moons",
    "regression": "regression (1-D)",
}

#: the TensorFlow Playground's learning-rate and regularization-rate menus
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear", "leaky_relu", "elu")
OPTIMIZERS = {"sgd": "SGD", "momentum": "momentum", "adam": "Adam", "rmsprop": "RMSProp"}
LOSSES = {"classification": ("bce", "cross_entropy"), "regression": ("mse",)}
LOSS_LABELS = {"bce": "binary cross-entropy", "cross_entropy": "cross-entropy (softmax)",
               "mse": "mean squared error"}
REGULARIZATIONS = ("none", "L1", "L2")

MAX_HIDDEN_LAYERS = 6
MAX_UNITS = 8


def _choice(value, allowed, what):
    key = str(value)
    lowered = {str(a).lower(): a for a in allowed}
    if key.lower() not in lowered:
        raise ValueError(f"unknown {what} {value!r}; choose one of {', '.join(map(str, allowed))}")
    return lowered[key.lower()]


class PlaygroundState:
    """Everything the playground trains and shows, with no widget in sight.

    >>> s = PlaygroundState("moons", hidden=(8, 8), seed=0)
    >>> s.step(10)          # ten epochs
    >>> s.epoch, round(s.train_loss[-1], 4)
    """

    def __init__(self, dataset="circle", noise=0.1, train_fraction=0.5, batch_size=10,
                 n_samples=200, features=("x1", "x2"), hidden=(4, 2), activation="tanh",
                 learning_rate=0.03, optimizer="sgd", loss=None, regularization="none",
                 regularization_rate=0.0, dropout=0.0, epochs_per_step=1, seed=0):
        self.seed = int(seed)
        self._data_seed = self.seed
        self._rng = np.random.default_rng(self.seed)   # weight inits and shuffles
        self.n_samples = int(n_samples)
        self.dataset = _choice(dataset, PLAYGROUND_DATASETS, "data set")
        self.noise = self._check_noise(noise)
        self.train_fraction = self._check_fraction(train_fraction)
        self.batch_size = self._check_batch(batch_size)
        self.features = self._check_features(features)
        self.hidden = self._check_hidden(hidden)
        self.activation = _choice(activation, ACTIVATIONS, "activation")
        self.learning_rate = self._check_lr(learning_rate)
        self.optimizer_name = _choice(optimizer, OPTIMIZERS, "optimizer")
        self.loss_name = self._check_loss(loss)
        self.regularization = _choice(regularization, REGULARIZATIONS, "regularization")
        self.regularization_rate = self._check_rate(regularization_rate)
        self.dropout = self._check_dropout(dropout)
        self.epochs_per_step = max(1, int(epochs_per_step))
        self.version = 0          # bumps on every reset: renderers rebuild their artists
        self._generate_data()
        self.reset()

    # ----------------------------------------------------------------- derived facts
    @property
    def task(self):
        return "regression" if self.dataset == "regression" else "classification"

    @property
    def epoch(self):
        return len(self.train_loss)

    @property
    def sizes(self):
        """Layer sizes: inputs, hidden layers, outputs (2 for softmax cross-entropy)."""
        n_out = 2 if self.loss_name == "cross_entropy" else 1
        return [len(self.active_features), *self.hidden, n_out]

    @property
    def active_features(self):
        """The chosen features the data set supports (regression has no x2)."""
        if self.task == "regression":
            usable = [f for f in self.features if f not in _NEEDS_X2]
            return tuple(usable) or ("x1",)
        return self.features

    @property
    def l1(self):
        return self.regularization_rate if self.regularization == "L1" else 0.0

    @property
    def l2(self):
        return self.regularization_rate if self.regularization == "L2" else 0.0

    # ----------------------------------------------------------------- data
    def _generate_data(self):
        make = _datasets.DATASETS[self.dataset]
        n = self.n_samples if self.task == "classification" else max(10, self.n_samples // 2)
        X, y = make(n_samples=n, noise=self.noise, seed=self._data_seed)
        self.X, self.y = X, y
        val = 1.0 - self.train_fraction
        self.X_train, self.X_test, self.y_train, self.y_test = _datasets.train_val_split(
            X, y, val_fraction=val, seed=self._data_seed)
        # a fixed view window around the data, for the picture
        pad = 0.15 * float(np.ptp(X[:, 0])) + 0.1
        lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
        if self.task == "classification":
            pad2 = 0.15 * float(np.ptp(X[:, 1])) + 0.1
            lo, hi = X.min(axis=0) - [pad, pad2], X.max(axis=0) + [pad, pad2]
            self.extent = (lo[0], hi[0], lo[1], hi[1])
        else:
            ypad = 0.15 * float(np.ptp(y)) + 0.1
            self.extent = (lo[0], hi[0], float(y.min()) - ypad, float(y.max()) + ypad)

    def transform(self, X):
        """The chosen input features of raw points ``X`` (N, 1 or 2): (N, n_features)."""
        X = np.asarray(X, dtype=float)
        x1 = X[:, 0]
        x2 = X[:, 1] if X.shape[1] > 1 else np.zeros_like(x1)
        return np.column_stack([FEATURES[f](x1, x2) for f in self.active_features])

    def _targets(self, y):
        return y.astype(float).reshape(-1, 1) if self.loss_name == "bce" else y

    # ----------------------------------------------------------------- network
    def _build_model(self):
        rng = np.random.default_rng(self._rng.integers(2**32))
        init = "he" if self.activation in ("relu", "leaky_relu", "elu") else "xavier"
        sizes = self.sizes
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(Dense(n_in, n_out, init=init, rng=rng))
            if i < len(sizes) - 2:
                layers.append(activation_layer(self.activation))
                # always present, so the dropout rate can change without a reset
                layers.append(Dropout(self.dropout, rng=rng))
        if self.loss_name == "bce":
            layers.append(Sigmoid())
        return Sequential(layers)

    def reset(self):
        """New random weights, fresh optimizer, empty histories (the data stay)."""
        self.model = self._build_model()
        self.optimizer = get_optimizer(self.optimizer_name, self.learning_rate)
        self.train_loss, self.test_loss = [], []
        self.diverged = False
        self._Xf_train = self.transform(self.X_train)
        self._Xf_test = self.transform(self.X_test)
        self._yt_train = self._targets(self.y_train)
        self._yt_test = self._targets(self.y_test)
        self.version += 1
        self._grid_cache = None

    def step(self, epochs=None):
        """Train ``epochs`` (default ``epochs_per_step``) more epochs; returns the new epoch count."""
        epochs = self.epochs_per_step if epochs is None else int(epochs)
        if epochs < 1 or self.diverged:
            return self.epoch
        history = train(
            self.model, self._Xf_train, self._yt_train, self.loss_name, self.optimizer, epochs,
            batch_size=min(self.batch_size, len(self.y_train)),
            validation_data=(self._Xf_test, self._yt_test),
            seed=int(self._rng.integers(2**32)), l1=self.l1, l2=self.l2, progress=False,
        )
        self.train_loss.extend(history.train_loss)
        self.test_loss.extend(history.val_loss[:len(history.train_loss)])
        self.diverged = history.diverged or not np.all(np.isfinite(self.model.layers[0].W))
        return self.epoch

    # ----------------------------------------------------------------- predictions
    def predict(self, X):
        """The network's output for raw points: P(class 1) for classification, y for regression."""
        out = self.model.predict(self.transform(X))
        if self.loss_name == "cross_entropy":
            z = out - out.max(axis=1, keepdims=True)
            e = np.exp(z)
            return e[:, 1] / e.sum(axis=1)
        return out[:, 0]

    def surface(self, resolution=48):
        """What the picture shows: ``(xs, ys, values)``.

        Classification: ``values`` (resolution, resolution) = P(class 1) on a grid over the
        data (rows follow ``ys``). Regression: ``xs`` a line of inputs, ``values`` the
        predictions along it, ``ys`` None.
        """
        x0, x1, y0, y1 = self.extent
        key = (resolution, self.version)
        if self._grid_cache is None or self._grid_cache[0] != key:
            xs = np.linspace(x0, x1, resolution)
            if self.task == "classification":
                ys = np.linspace(y0, y1, resolution)
                gx, gy = np.meshgrid(xs, ys)
                pts = np.column_stack([gx.ravel(), gy.ravel()])
            else:
                ys, pts = None, xs.reshape(-1, 1)
            self._grid_cache = (key, xs, ys, self.transform(pts))
        _, xs, ys, feats = self._grid_cache
        with np.errstate(all="ignore"):
            out = self.model.predict(feats)
            if self.loss_name == "cross_entropy":
                z = out - out.max(axis=1, keepdims=True)
                e = np.exp(z)
                values = e[:, 1] / e.sum(axis=1)
            else:
                values = out[:, 0]
        if ys is not None:
            values = values.reshape(len(ys), len(xs))
        return xs, ys, values

    # ----------------------------------------------------------------- setters (controls)
    # data: regenerate and reset
    def set_dataset(self, name):
        name = _choice(name, PLAYGROUND_DATASETS, "data set")
        if name != self.dataset:
            old_task = self.task
            self.dataset = name
            if self.task != old_task:
                self.loss_name = LOSSES[self.task][0]
            self._generate_data()
            self.reset()

    def set_noise(self, noise):
        noise = self._check_noise(noise)
        if noise != self.noise:
            self.noise = noise
            self._generate_data()
            self.reset()

    def set_train_fraction(self, fraction):
        fraction = self._check_fraction(fraction)
        if fraction != self.train_fraction:
            self.train_fraction = fraction
            self._generate_data()
            self.reset()

    def regenerate(self, seed=None):
        """New random data (a new seed, or ``seed``) and new weights."""
        self._data_seed = int(self._rng.integers(2**31)) if seed is None else int(seed)
        self._generate_data()
        self.reset()

    # features and architecture: reset
    def set_features(self, features):
        features = self._check_features(features)
        if features != self.features:
            self.features = features
            self.reset()

    def set_hidden(self, hidden):
        """Hidden layer sizes, e.g. ``(8, 8)``; ``()`` for no hidden layer."""
        hidden = self._check_hidden(hidden)
        if hidden != self.hidden:
            self.hidden = hidden
            self.reset()

    def set_activation(self, name):
        name = _choice(name, ACTIVATIONS, "activation")
        if name != self.activation:
            self.activation = name
            self.reset()

    def set_loss(self, name):
        name = self._check_loss(name)
        if name != self.loss_name:
            self.loss_name = name
            self.reset()

    # training hyper-parameters: keep the weights
    def set_learning_rate(self, lr):
        self.learning_rate = self._check_lr(lr)
        self.optimizer.lr = self.learning_rate

    def set_optimizer(self, name):
        """Switch optimizer, keeping the weights (the new one starts with empty moments)."""
        name = _choice(name, OPTIMIZERS, "optimizer")
        if name != self.optimizer_name:
            self.optimizer_name = name
            self.optimizer = get_optimizer(name, self.learning_rate)

    def set_regularization(self, kind=None, rate=None):
        if kind is not None:
            self.regularization = _choice(kind, REGULARIZATIONS, "regularization")
        if rate is not None:
            self.regularization_rate = self._check_rate(rate)

    def set_dropout(self, p):
        self.dropout = self._check_dropout(p)
        for layer in self.model.layers:
            if isinstance(layer, Dropout):
                layer.p = self.dropout

    def set_batch_size(self, batch_size):
        self.batch_size = self._check_batch(batch_size)

    # ----------------------------------------------------------------- checks
    @staticmethod
    def _check_noise(noise):
        noise = float(noise)
        if not 0.0 <= noise <= 2.0:
            raise ValueError(f"noise must lie in [0, 2], got {noise}")
        return noise

    @staticmethod
    def _check_fraction(fraction):
        fraction = float(fraction)
        if fraction > 1.0:          # accept a percentage
            fraction /= 100.0
        if not 0.05 <= fraction <= 0.95:
            raise ValueError(f"train fraction must lie in [0.05, 0.95] (or 5-95 %), got {fraction}")
        return round(fraction, 4)

    @staticmethod
    def _check_batch(batch_size):
        batch_size = int(batch_size)
        if batch_size < 1:
            raise ValueError(f"batch size must be a positive integer, got {batch_size}")
        return batch_size

    @staticmethod
    def _check_features(features):
        if isinstance(features, str):
            features = (features,)
        features = tuple(_choice(f, FEATURES, "feature") for f in features)
        if not features:
            raise ValueError("choose at least one input feature")
        # keep the canonical order, drop duplicates
        return tuple(f for f in FEATURES if f in features)

    @staticmethod
    def _check_hidden(hidden):
        hidden = tuple(int(h) for h in hidden)
        if len(hidden) > MAX_HIDDEN_LAYERS or any(not 1 <= h <= MAX_UNITS for h in hidden):
            raise ValueError(
                f"hidden layers: at most {MAX_HIDDEN_LAYERS} layers of 1 to {MAX_UNITS} units, got {hidden}")
        return hidden

    @staticmethod
    def _check_lr(lr):
        lr = float(lr)
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(f"learning rate must be positive, got {lr}")
        return lr

    @staticmethod
    def _check_rate(rate):
        rate = float(rate)
        if not (np.isfinite(rate) and rate >= 0):
            raise ValueError(f"regularization rate must be >= 0, got {rate}")
        return rate

    @staticmethod
    def _check_dropout(p):
        p = float(p)
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout must lie in [0, 1), got {p}")
        return p

    def _check_loss(self, name):
        allowed = LOSSES[self.task]
        if name is None:
            return allowed[0]
        key = str(name).lower()
        if key not in allowed:
            raise ValueError(
                f"loss {name!r} does not suit {self.task}; choose one of {', '.join(allowed)}")
        return key

    def summary(self):
        """One line: epoch and losses, formatted (for notebooks and the widget)."""
        if not self.train_loss:
            return "epoch 0"
        text = f"epoch {self.epoch}: train loss {self.train_loss[-1]:.4f}, test loss {self.test_loss[-1]:.4f}"
        return text + (" (diverged)" if self.diverged else "")

    def __repr__(self):
        return (f"PlaygroundState({self.dataset!r}, features={list(self.active_features)}, "
                f"sizes={self.sizes}, activation={self.activation!r}, loss={self.loss_name!r}, "
                f"optimizer={self.optimizer_name!r}, lr={self.learning_rate:g}, epoch={self.epoch})")


# =========================================================================================
# Rendering: matplotlib's object-oriented API, artists built once per reset
# =========================================================================================
CLASS_COLORS = ("#1f77b4", "#d62728")


class PlaygroundRenderer:
    """Draws ``PlaygroundState`` pictures; reuse one renderer for fast redraws.

    With ``blit=True`` (the widget's setting) the parts that rarely change (axes, ticks,
    labels) are drawn once and kept as a background; each frame restores it and draws only
    the artists that change: the heatmap, the points, the curves and the titles. The loss
    axes' limits move in steps (the epoch axis doubles), so a full redraw is rare.
    """

    def __init__(self, figsize=(7.6, 3.3), dpi=80, resolution=40, blit=True):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.resolution = resolution
        self.blit = blit
        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self._version = None
        self._state_id = None
        self._background = None
        self._limits = None

    # -- building ------------------------------------------------------------------------
    def _build(self, state):
        fig = self.figure
        fig.clear()
        ax, ax_loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.0, 1.15]})
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.88, wspace=0.28)
        self.ax, self.ax_loss = ax, ax_loss
        x0, x1, y0, y1 = state.extent
        dynamic = []
        if state.task == "classification":
            self.image = ax.imshow(np.full((2, 2), 0.5), extent=state.extent, origin="lower",
                                   cmap="RdBu_r", vmin=-0.6, vmax=1.6, interpolation="bilinear",
                                   aspect="auto")
            dynamic.append(self.image)
            for X, y, kind in ((state.X_train, state.y_train, "train"),
                               (state.X_test, state.y_test, "test")):
                colors = np.array(CLASS_COLORS)[np.asarray(y).astype(int) % 2]
                if kind == "train":   # train: filled dots; test: ringed in black
                    dots = ax.scatter(X[:, 0], X[:, 1], s=18, c=colors, edgecolors="white",
                                      linewidths=0.5)
                else:
                    dots = ax.scatter(X[:, 0], X[:, 1], s=18, c=colors, edgecolors="black",
                                      linewidths=1.0)
                dynamic.append(dots)      # drawn after (on top of) the heatmap
            self.curve = None
            ax.set_ylabel("$x_2$")
        else:
            self.image = None
            ax.scatter(state.X_train[:, 0], state.y_train[:, 0], s=14, c="#1f77b4",
                       edgecolors="white", linewidths=0.5, label="train")
            ax.scatter(state.X_test[:, 0], state.y_test[:, 0], s=14, c="#ff7f0e",
                       edgecolors="black", linewidths=0.7, label="test")
            (self.curve,) = ax.plot([], [], color="k", lw=2, label="network")
            ax.legend(loc="upper right", fontsize=7)
            ax.set_ylabel("y")
            dynamic.append(self.curve)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_xlabel("$x_1$")
        ax.tick_params(labelsize=7)
        self.title = ax.set_title("", fontsize=9)
        # a dot marks the newest epoch (and makes a one-epoch curve visible)
        (self.train_line,) = ax_loss.plot([], [], color="#1f77b4", lw=1.5, label="train",
                                          marker="o", markersize=3)
        (self.test_line,) = ax_loss.plot([], [], color="#d62728", lw=1.5, ls="--", label="test",
                                         marker="o", markersize=3)
        ax_loss.set_xlabel("epoch", fontsize=8)
        ax_loss.set_ylabel(state.loss_name, fontsize=8)
        ax_loss.tick_params(labelsize=7)
        self.legend = ax_loss.legend(loc="upper right", fontsize=7)
        self.loss_title = ax_loss.set_title("", fontsize=9)
        dynamic += [self.train_line, self.test_line, self.legend, self.title, self.loss_title]
        self._dynamic = dynamic
        for artist in dynamic:
            artist.set_animated(self.blit)
        self._version = state.version
        self._state_id = id(state)
        self._background = None
        self._limits = None

    @staticmethod
    def _nice_ceiling(x):
        """The smallest of 1, 1.5, 2, 3, 5, 7.5 (times a power of ten) that is >= x."""
        if not np.isfinite(x) or x <= 0:
            return 1.0
        power = 10.0 ** np.floor(np.log10(x))
        for m in (1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0):
            if m * power >= x * (1 - 1e-9):
                return m * power
        return 10 * power

    def _loss_limits(self, train, test):
        """Epoch axis: 10, 20, 40, ... ; loss axis: a nice ceiling, kept while it fits."""
        n = max(len(train), 1)
        xmax = 10
        while xmax < n:
            xmax *= 2
        values = np.concatenate([np.asarray(train, float), np.asarray(test, float)])
        values = values[np.isfinite(values)]
        top = self._nice_ceiling(1.05 * float(values.max())) if values.size else 1.0
        if self._limits is not None:
            old_top = self._limits[1]
            if top <= old_top and top > old_top / 3:   # still fits well: keep the old axis
                top = old_top
        return xmax, top

    # -- updating ------------------------------------------------------------------------
    def update(self, state, snapshot=None):
        """Bring the artists up to date with ``state`` (or a ``snapshot(state)`` taken earlier).

        Returns True when the static background must be redrawn (limits or layout changed).
        """
        snap = snapshot if snapshot is not None else self.snapshot(state)
        rebuilt = self._version != snap["version"] or self._state_id != id(state)
        if rebuilt:
            self._build(state)
        xs, ys, values = snap["surface"]
        if self.image is not None:
            self.image.set_data(np.nan_to_num(values, nan=0.5))
        else:
            self.curve.set_data(xs, values)
        train, test = snap["train_loss"], snap["test_loss"]
        epochs = np.arange(1, len(train) + 1)
        self.train_line.set_data(epochs, train)
        self.test_line.set_data(epochs[:len(test)], test)
        self.train_line.set_markevery([len(train) - 1] if len(train) else [])
        self.test_line.set_markevery([len(test) - 1] if len(test) else [])
        limits = self._loss_limits(train, test)
        changed = rebuilt or limits != self._limits
        if limits != self._limits:
            self.ax_loss.set_xlim(0, limits[0])
            self.ax_loss.set_ylim(0, limits[1])
            self._limits = limits
        if len(train):
            self.loss_title.set_text(f"loss: train {train[-1]:.4f}, test {test[-1]:.4f}"
                                     if len(test) else f"loss: train {train[-1]:.4f}")
        else:
            self.loss_title.set_text("loss")
        status = " (diverged)" if snap["diverged"] else ""
        self.title.set_text(f"epoch {len(train)}{status}")
        return changed

    def draw(self, state, snapshot=None):
        """Update and render into the canvas (blitting when possible); returns the Figure."""
        changed = self.update(state, snapshot)
        if not self.blit:
            self.canvas.draw()
            return self.figure
        if changed or self._background is None:
            self.canvas.draw()                        # everything that is not animated
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self._dynamic:
            artist.axes.draw_artist(artist)
        return self.figure

    def snapshot(self, state):
        """What a picture needs, copied out of ``state`` (quick; take it under a lock)."""
        return {
            "version": state.version,
            "surface": state.surface(self.resolution),
            "train_loss": list(state.train_loss),
            "test_loss": list(state.test_loss),
            "diverged": state.diverged,
        }

    def png(self, state, snapshot=None):
        """Draw and return PNG bytes (fast PNG settings: low zlib compression)."""
        from PIL import Image

        self.draw(state, snapshot)
        buf = self.canvas.buffer_rgba()
        img = Image.frombuffer("RGBA", (int(buf.shape[1]), int(buf.shape[0])), buf, "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        img.convert("RGB").save(out, format="png", compress_level=1)
        return out.getvalue()


def plot_playground(state, resolution=80, figsize=(7.6, 3.3), dpi=100):
    """A static picture of ``state`` (a matplotlib ``Figure``, no pyplot): display it with
    ``display(fig)`` or save it with ``fig.savefig``."""
    renderer = PlaygroundRenderer(figsize=figsize, dpi=dpi, resolution=resolution, blit=False)
    renderer.update(state)
    return renderer.figure


def show_playground(state, resolution=80, figsize=(7.6, 3.3), dpi=100):
    """Display a static picture of ``state`` in a notebook (a PNG; no pyplot needed)."""
    from IPython.display import Image, display

    fig = plot_playground(state, resolution=resolution, figsize=figsize, dpi=dpi)
    display(Image(data=figure_png(fig, dpi=dpi), format="png"))


# =========================================================================================
# The widget
# =========================================================================================
class Playground:
    """The playground widget: ``Playground().widget`` is what the notebook displays.

    Controls call the state's setters; *play* starts a background thread that trains
    ``epochs per frame`` epochs, redraws and repeats until *pause*. Every callback is a
    method, so tests can click buttons by calling ``on_play()``, ``on_step()`` etc.
    """

    def __init__(self, state=None, max_fps=20.0, **state_kwargs):
        import ipywidgets as W

        self.state = state if state is not None else PlaygroundState(**state_kwargs)
        self.renderer = PlaygroundRenderer()
        self.lock = threading.RLock()
        self.max_fps = float(max_fps)
        self._thread = None
        self._stop = threading.Event()
        self.frames = 0
        self._syncing = False
        s = self.state
        style = {"description_width": "110px"}
        wide = W.Layout(width="260px")

        def tag(widget, name):
            widget.add_class(f"playground-{name}")
            return widget

        # -- data -------------------------------------------------------------------------
        self.dataset = tag(W.Dropdown(options=[(v, k) for k, v in PLAYGROUND_DATASETS.items()],
                                      value=s.dataset, description="data set", style=style,
                                      layout=wide), "dataset")
        self.noise = tag(W.FloatSlider(value=s.noise, min=0.0, max=0.5, step=0.05,
                                       description="noise", style=style, layout=wide,
                                       continuous_update=False), "noise")
        self.train_percent = tag(W.IntSlider(value=int(round(100 * s.train_fraction)), min=10,
                                             max=90, step=10, description="train %", style=style,
                                             layout=wide, continuous_update=False), "train-percent")
        self.batch_size = tag(W.IntSlider(value=s.batch_size, min=1, max=30, description="batch size",
                                          style=style, layout=wide, continuous_update=False),
                              "batch-size")
        self.regenerate_button = tag(W.Button(description="regenerate", icon="refresh",
                                              layout=W.Layout(width="120px")), "regenerate")
        # -- features ---------------------------------------------------------------------
        self.feature_boxes = {
            f: tag(W.Checkbox(value=f in s.features, description=f, indent=False,
                              layout=W.Layout(width="80px")), "feature")
            for f in FEATURES
        }
        # -- network ----------------------------------------------------------------------
        self.n_layers = tag(W.IntSlider(value=len(s.hidden), min=0, max=MAX_HIDDEN_LAYERS,
                                        description="hidden layers", style=style, layout=wide,
                                        continuous_update=False), "layers")
        units = list(s.hidden) + [4] * (MAX_HIDDEN_LAYERS - len(s.hidden))
        self.units = [
            tag(W.IntSlider(value=units[i], min=1, max=MAX_UNITS, description=f"units in layer {i + 1}",
                            style=style, layout=W.Layout(width="260px"), continuous_update=False),
                "units")
            for i in range(MAX_HIDDEN_LAYERS)
        ]
        self.activation = tag(W.Dropdown(options=list(ACTIVATIONS), value=s.activation,
                                         description="activation", style=style, layout=wide),
                              "activation")
        # -- training ---------------------------------------------------------------------
        self.learning_rate = tag(W.Dropdown(options=[(f"{lr:g}", lr) for lr in LEARNING_RATES],
                                            value=self._nearest(s.learning_rate, LEARNING_RATES),
                                            description="learning rate", style=style, layout=wide),
                                 "learning-rate")
        self.optimizer = tag(W.Dropdown(options=[(v, k) for k, v in OPTIMIZERS.items()],
                                        value=s.optimizer_name, description="optimizer",
                                        style=style, layout=wide), "optimizer")
        self.loss = tag(W.Dropdown(options=self._loss_options(), value=s.loss_name,
                                   description="loss", style=style,
                                   layout=W.Layout(width="300px")), "loss")
        self.regularization = tag(W.Dropdown(options=list(REGULARIZATIONS), value=s.regularization,
                                             description="regularization", style=style,
                                             layout=wide), "regularization")
        self.regularization_rate = tag(W.Dropdown(
            options=[(f"{r:g}", r) for r in REGULARIZATION_RATES],
            value=self._nearest(s.regularization_rate, REGULARIZATION_RATES),
            description="reg. rate", style=style, layout=wide), "regularization-rate")
        self.dropout = tag(W.FloatSlider(value=s.dropout, min=0.0, max=0.5, step=0.05,
                                         description="dropout", style=style, layout=wide,
                                         continuous_update=False), "dropout")
        self.epochs_per_frame = tag(W.IntSlider(value=s.epochs_per_step, min=1, max=20,
                                                description="epochs / frame", style=style,
                                                layout=wide, continuous_update=False),
                                    "epochs-per-frame")
        # -- run controls and view ---------------------------------------------------------
        button = W.Layout(width="90px")
        self.play_button = tag(W.Button(description="play", icon="play", button_style="success",
                                        layout=button), "play")
        self.pause_button = tag(W.Button(description="pause", icon="pause", layout=button), "pause")
        self.step_button = tag(W.Button(description="step", icon="step-forward", layout=button), "step")
        self.reset_button = tag(W.Button(description="reset", icon="undo", layout=button), "reset")
        self.epoch_label = tag(W.Label(value="epoch 0"), "epoch")
        self.status = tag(W.Label(value=""), "status")
        self.image = tag(W.Image(format="png", layout=W.Layout(width="608px", height="264px")), "image")

        # -- wiring -------------------------------------------------------------------------
        self.play_button.on_click(lambda _: self.on_play())
        self.pause_button.on_click(lambda _: self.on_pause())
        self.step_button.on_click(lambda _: self.on_step())
        self.reset_button.on_click(lambda _: self.on_reset())
        self.regenerate_button.on_click(lambda _: self.on_regenerate())
        observe = [
            (self.dataset, lambda v: s.set_dataset(v), True),
            (self.noise, lambda v: s.set_noise(v), True),
            (self.train_percent, lambda v: s.set_train_fraction(v / 100.0), True),
            (self.batch_size, lambda v: s.set_batch_size(v), False),
            (self.activation, lambda v: s.set_activation(v), True),
            (self.learning_rate, lambda v: s.set_learning_rate(v), False),
            (self.optimizer, lambda v: s.set_optimizer(v), False),
            (self.loss, lambda v: s.set_loss(v), True),
            (self.regularization, lambda v: s.set_regularization(kind=v), False),
            (self.regularization_rate, lambda v: s.set_regularization(rate=v), False),
            (self.dropout, lambda v: s.set_dropout(v), False),
            (self.epochs_per_frame, lambda v: setattr(s, "epochs_per_step", int(v)), False),
        ]
        for widget, setter, redraw in observe:
            widget.observe(self._handler(setter, redraw), names="value")
        for box in self.feature_boxes.values():
            box.observe(self._handler(lambda _: self._apply_features(), True), names="value")
        for slider in [self.n_layers, *self.units]:
            slider.observe(self._handler(lambda _: self._apply_hidden(), True), names="value")

        # -- layout -------------------------------------------------------------------------
        def section(title, *children):
            return W.VBox([W.HTML(f"<b>{title}</b>"), *children],
                          layout=W.Layout(margin="0 12px 0 0"))

        features = W.VBox([W.HBox(list(self.feature_boxes.values())[i:i + 3])
                           for i in range(0, len(FEATURES), 3)])
        left = section("data", self.dataset, self.noise, self.train_percent, self.batch_size,
                       self.regenerate_button, W.HTML("<b>features</b>"), features)
        middle = section("network", self.n_layers, *self.units, self.activation)
        right = section("training", self.learning_rate, self.optimizer, self.loss,
                        self.regularization, self.regularization_rate, self.dropout,
                        self.epochs_per_frame)
        run = W.HBox([self.play_button, self.pause_button, self.step_button, self.reset_button,
                      self.epoch_label, self.status], layout=W.Layout(align_items="center"))
        self.widget = W.VBox([run, self.image, W.HBox([left, middle, right])])
        self.widget.add_class("playground")
        self._sync_controls()
        self.redraw()

    # ---------------------------------------------------------------- helpers
    @staticmethod
    def _nearest(value, choices):
        return min(choices, key=lambda c: abs(np.log10(c + 1e-12) - np.log10(value + 1e-12)))

    def _loss_options(self):
        return [(LOSS_LABELS[k], k) for k in LOSSES[self.state.task]]

    def _handler(self, setter, redraw):
        def handle(change):
            if self._syncing:
                return
            try:
                with self.lock:
                    setter(change["new"])
                    self._sync_controls()
                self.status.value = ""
            except ValueError as err:
                self.status.value = str(err)
            if redraw or not self.playing:
                self.redraw()
        return handle

    def _apply_features(self):
        chosen = [f for f, box in self.feature_boxes.items() if box.value]
        if not chosen:
            raise ValueError("choose at least one input feature")
        self.state.set_features(chosen)

    def _apply_hidden(self):
        n = self.n_layers.value
        self.state.set_hidden([u.value for u in self.units[:n]])

    def _sync_controls(self):
        """Make the controls show the state (loss options follow the task, etc.)."""
        s = self.state
        self._syncing = True
        try:
            options = self._loss_options()
            if [v for _, v in self.loss.options] != [v for _, v in options]:
                self.loss.options = options
            self.loss.value = s.loss_name
            for i, slider in enumerate(self.units):
                slider.layout.display = None if i < len(s.hidden) else "none"
            for f, box in self.feature_boxes.items():
                box.disabled = s.task == "regression" and f in _NEEDS_X2
        finally:
            self._syncing = False

    # ---------------------------------------------------------------- actions
    @property
    def playing(self):
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def redraw(self):
        """Render the state into the image and the epoch counter."""
        with self.lock:
            snap = self.renderer.snapshot(self.state)
            png = self.renderer.png(self.state, snap)
            summary = self.state.summary()
        self.image.value = png
        self.epoch_label.value = summary
        self.frames += 1

    def on_step(self):
        with self.lock:
            self.state.step()
        self.redraw()

    def on_reset(self):
        self.on_pause()
        with self.lock:
            self.state.reset()
        self.redraw()

    def on_regenerate(self):
        with self.lock:
            self.state.regenerate()
        self.redraw()

    def on_play(self):
        if self.playing:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="playground", daemon=True)
        self._thread.start()

    def on_pause(self):
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)
        self._thread = None

    def _run(self):
        period = 1.0 / self.max_fps if self.max_fps > 0 else 0.0
        try:
            while not self._stop.is_set():
                start = time.perf_counter()
                with self.lock:
                    self.state.step()
                    diverged = self.state.diverged
                self.redraw()
                if diverged:
                    self.status.value = "diverged: lower the learning rate and reset"
                    break
                rest = period - (time.perf_counter() - start)
                # sleep a little even when late, so the kernel can answer the controls
                self._stop.wait(max(rest, 0.005))
        except Exception as err:  # show, do not die silently in a thread
            self.status.value = f"stopped: {type(err).__name__}: {err}"
        finally:
            self._stop.set()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def playground(state=None, **state_kwargs):
    """Build the playground widget: ``playground(dataset="moons", hidden=(8, 8))``.

    Returns the ``Playground``; displaying it (last line of a cell) shows the widget.
    Keyword arguments go to ``PlaygroundState``.
    """
    return Playground(state=state, **state_kwargs)
