"""Lesson 09's playground: its training state, plain NumPy (numerical core).

``PlaygroundState`` holds everything the playground trains and shows: the data (split into
train and test points), the input features, the network, the optimizer and the two loss
histories. ``step()`` trains one or more epochs, ``reset()`` draws new weights, and there is one
setter per control. Setters that keep the weights (learning rate, optimizer, regularization,
dropout, batch size) take effect at the next epoch; setters that change what the network *is*
(data, features, architecture, activation, loss) reset it. ``surface()`` is what a picture of
the state shows.

It knows nothing of pictures or controls: ``course_lib.widgets.playground_render`` draws a
state and ``course_lib.widgets.playground`` is the widget that drives one. Tests drive the
state without either.
"""
import numpy as np

from . import datasets as _datasets
from .layers import Dense, Dropout, Sigmoid, activation_layer
from .network import Sequential
from .optimizers import get_optimizer
from .training import train

__all__ = [
    "FEATURES", "NEEDS_X2", "PLAYGROUND_DATASETS", "ACTIVATIONS", "OPTIMIZERS", "LOSSES",
    "REGULARIZATIONS", "MAX_HIDDEN_LAYERS", "MAX_UNITS", "PlaygroundState",
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
NEEDS_X2 = {"x2", "x2^2", "x1*x2", "sin x2"}

#: data-set key -> label shown in the dropdown (keys are those of ``datasets.DATASETS``)
PLAYGROUND_DATASETS = {
    "circle": "circle",
    "xor": "XOR",
    "gaussian": "Gaussian",
    "spiral": "spiral",
    "moons": "moons",
    "regression": "regression (1-D)",
}

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear", "leaky_relu", "elu")
OPTIMIZERS = {"sgd": "SGD", "momentum": "momentum", "adam": "Adam", "rmsprop": "RMSProp"}
LOSSES = {"classification": ("bce", "cross_entropy"), "regression": ("mse",)}
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
            usable = [f for f in self.features if f not in NEEDS_X2]
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
