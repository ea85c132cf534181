"""Lesson 09's playground: its training state, plain NumPy (numerical core).

``PlaygroundState`` holds everything the playground trains and shows: the data (split into
train and test points), the input features, the network, the optimizer and the two loss
histories. ``step()`` trains one or more epochs, ``reset()`` draws new weights, and there is one
setter per control. Setters that keep the weights (learning rate, optimizer, regularization,
dropout, batch size) take effect at the next epoch; setters that change what the network *is*
(data, features, architecture, activation, loss) reset it. ``surface()`` is what a picture of
the state shows, ``neuron_surfaces()`` what every neuron computes over the same grid, and
``to_code()`` the few lines of course_lib that reproduce the current run.

Tasks: two classes (one logit and binary cross-entropy on logits, the sigmoid fused into
the loss as lesson 03 shows, or two logits and softmax cross-entropy), three or more classes (softmax cross-entropy), regression on a line or on the
plane (a linear output and the mean squared error), and a learner's own 2-D data
(``PlaygroundState(X=..., y=...)``: integer labels mean classes, floats mean regression).

It knows nothing of pictures or controls: ``course_lib.widgets.playground_render`` draws a
state and ``course_lib.widgets.playground`` is the widget that drives one. Tests drive the
state without either.
"""
import numpy as np

from . import datasets as _datasets
from ._validation import as_rng
from .activations import sigmoid
from .layers import Dense, Dropout, activation_layer
from .losses import BinaryCrossEntropy
from .network import Sequential
from .optimizers import get_optimizer
from .training import train

__all__ = [
    "FEATURES", "NEEDS_X2", "PLAYGROUND_DATASETS", "ACTIVATIONS", "OPTIMIZERS", "LOSSES",
    "REGULARIZATIONS", "MAX_HIDDEN_LAYERS", "MAX_UNITS", "BLOB_CENTERS", "regression_2d",
    "check_own_data", "PlaygroundState",
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
#: the same features as code, for to_code()
FEATURE_CODE = {"x1": "x1", "x2": "x2", "x1^2": "x1 * x1", "x2^2": "x2 * x2", "x1*x2": "x1 * x2",
                "sin x1": "np.sin(x1)", "sin x2": "np.sin(x2)"}
#: features that need the second coordinate (the regression task has only x1)
NEEDS_X2 = {"x2", "x2^2", "x1*x2", "sin x2"}

#: data-set key -> label shown in the dropdown ("custom": data the learner passed in)
PLAYGROUND_DATASETS = {
    "circle": "circle",
    "xor": "XOR",
    "gaussian": "Gaussian",
    "spiral": "spiral",
    "moons": "moons",
    "blobs": "3 blobs",
    "spiral3": "3-arm spiral",
    "regression": "regression (1-D)",
    "regression2d": "regression (2-D)",
}
REGRESSION_DATASETS = ("regression", "regression2d")
CUSTOM = "custom"
#: the centres of the three blobs (a fixed triangle, so the picture is the same every time)
BLOB_CENTERS = [[-2.0, -1.5], [2.0, -1.5], [0.0, 2.0]]

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear", "leaky_relu", "elu")
OPTIMIZERS = {"sgd": "SGD", "momentum": "momentum", "adam": "Adam", "rmsprop": "RMSProp",
              "adamw": "AdamW (decay 0.01)"}
LOSSES = {"classification": ("bce", "cross_entropy"), "regression": ("mse",)}
REGULARIZATIONS = ("none", "L1", "L2")

MAX_HIDDEN_LAYERS = 6
MAX_UNITS = 8


def regression_2d(n_samples=200, noise=0.1, seed=0):
    """A target surface over the plane: a hill and a valley, plus noise.

    y = exp(-|x - (1, 1)|^2) - exp(-|x + (1, 1)|^2) + noise * N(0, 1), with x uniform in
    [-3, 3]^2. Returns ``X (n, 2)`` and ``y (n, 1)``.
    """
    rng = as_rng(seed)
    X = rng.uniform(-3, 3, size=(int(n_samples), 2))
    hill = np.exp(-np.sum((X - 1.0) ** 2, axis=1))
    valley = np.exp(-np.sum((X + 1.0) ** 2, axis=1))
    y = hill - valley + float(noise) * rng.standard_normal(len(X))
    return X, y.reshape(-1, 1)


def check_own_data(X, y):
    """Check a learner's data for the playground; returns ``(X, y, task)``.

    ``X``: (N, 2) finite numbers. ``y``: N integer labels 0 .. K-1 (K >= 2 classes) for
    classification, or N floats for regression (shape (N,) or (N, 1)).
    """
    X = np.asarray(X)
    if X.dtype.kind not in "iuf":
        raise TypeError(f"X must hold numbers, got dtype {X.dtype}")
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2): one row per point, its two "
                         f"coordinates x1 and x2; got shape {X.shape}")
    X = X.astype(float)
    if not np.all(np.isfinite(X)):
        raise ValueError(f"X contains NaN or infinity ({int(np.sum(~np.isfinite(X)))} values): "
                         "remove or fill them first")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or len(y) != len(X):
        raise ValueError(f"y must hold one target per row of X: shape ({len(X)},), got shape {y.shape}")
    if len(X) < 10:
        raise ValueError(f"the playground needs at least 10 points, got {len(X)}")
    if y.dtype.kind in "iub":
        y = y.astype(np.int64)
        classes = np.unique(y)
        if classes[0] < 0 or len(classes) < 2 or not np.array_equal(classes, np.arange(classes[-1] + 1)):
            raise ValueError(f"integer y are class labels: they must be 0, 1, ..., K-1 with "
                             f"K >= 2 classes, got {classes[:12].tolist()}")
        return X, y, "classification"
    if y.dtype.kind != "f":
        raise TypeError(f"y must hold integer class labels or float targets, got dtype {y.dtype}")
    y = y.astype(float)
    if not np.all(np.isfinite(y)):
        raise ValueError(f"y contains NaN or infinity ({int(np.sum(~np.isfinite(y)))} values): "
                         "remove or fill them first")
    return X, y.reshape(-1, 1), "regression"


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

    Own data: ``PlaygroundState(X=X, y=y)`` with ``X`` of shape (N, 2); integer ``y`` are
    class labels 0 .. K-1, float ``y`` regression targets.
    """

    def __init__(self, dataset="circle", noise=0.1, train_fraction=0.5, batch_size=10,
                 n_samples=200, features=("x1", "x2"), hidden=(4, 2), activation="tanh",
                 learning_rate=0.03, optimizer="sgd", loss=None, regularization="none",
                 regularization_rate=0.0, dropout=0.0, epochs_per_step=1, seed=0, X=None, y=None):
        self.seed = int(seed)
        self._data_seed = self.seed
        # every run (from one reset to the next) draws its weights and shuffles from its own
        # generator, seeded by run_seed: the first run by ``seed``, later ones by _seeds
        self._seeds = np.random.default_rng([self.seed, 1])
        self.run_seed = None
        self.n_samples = int(n_samples)
        self._own = None
        if X is not None or y is not None:
            if X is None or y is None:
                raise ValueError("own data needs both X and y: playground(X=X, y=y)")
            self._own = check_own_data(X, y)
            dataset = CUSTOM
        self.dataset = self._check_dataset(dataset)
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
        if self.dataset == CUSTOM:
            return self._own[2]
        return "regression" if self.dataset in REGRESSION_DATASETS else "classification"

    @property
    def input_dim(self):
        """1 for the 1-D regression task (inputs x1 only), else 2."""
        return 1 if self.dataset == "regression" else 2

    @property
    def n_classes(self):
        """Number of classes (0 for regression)."""
        if self.task == "regression":
            return 0
        if self.dataset == CUSTOM:
            return int(self._own[1].max()) + 1
        return 3 if self.dataset in ("blobs", "spiral3") else 2

    def loss_choices(self):
        """The losses that suit the task: binary cross-entropy needs exactly two classes."""
        if self.task == "regression":
            return LOSSES["regression"]
        return LOSSES["classification"] if self.n_classes == 2 else ("cross_entropy",)

    @property
    def epoch(self):
        return len(self.train_loss)

    @property
    def sizes(self):
        """Layer sizes: inputs, hidden layers, outputs (2 for softmax cross-entropy)."""
        n_out = self.n_classes if self.loss_name == "cross_entropy" else 1
        return [len(self.active_features), *self.hidden, n_out]

    @property
    def active_features(self):
        """The chosen features the data set supports (1-D regression has no x2)."""
        if self.input_dim == 1:
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
    def data_recipe(self):
        """``(function, keyword arguments)`` that make the data (None for own data)."""
        n, noise, seed = self.n_samples, self.noise, self._data_seed
        if self.dataset == CUSTOM:
            return None
        if self.dataset == "regression":
            return _datasets.regression_1d, dict(n_samples=max(10, n // 2), noise=noise, seed=seed)
        if self.dataset == "regression2d":
            return regression_2d, dict(n_samples=n, noise=noise, seed=seed)
        if self.dataset == "blobs":
            return _datasets.blobs, dict(n_samples=n, centers=BLOB_CENTERS,
                                         std=round(0.5 + 2 * noise, 6), seed=seed)
        if self.dataset == "spiral3":
            return _datasets.spirals, dict(n_samples=n, noise=noise, n_classes=3, seed=seed)
        return _datasets.DATASETS[self.dataset], dict(n_samples=n, noise=noise, seed=seed)

    def _generate_data(self):
        recipe = self.data_recipe()
        if recipe is None:
            X, y = self._own[0], self._own[1]
        else:
            make, kwargs = recipe
            X, y = make(**kwargs)
        self.X, self.y = X, y
        val = 1.0 - self.train_fraction
        self.X_train, self.X_test, self.y_train, self.y_test = _datasets.train_val_split(
            X, y, val_fraction=val, seed=self._data_seed)
        # a fixed view window around the data, for the picture
        pad = 0.15 * float(np.ptp(X[:, 0])) + 0.1
        lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
        if self.input_dim == 2:
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

    def _hidden_positions(self):
        """Indices in ``model.layers`` of the hidden layers' activation layers."""
        return [3 * k + 1 for k in range(len(self.hidden))]

    # ----------------------------------------------------------------- network
    def _build_model(self):
        rng = np.random.default_rng(self._rng.integers(2**32))   # weight initialization
        init = "he" if self.activation in ("relu", "leaky_relu", "elu") else "xavier"
        sizes = self.sizes
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(Dense(n_in, n_out, init=init, rng=rng))
            if i < len(sizes) - 2:
                layers.append(activation_layer(self.activation))
                # always present, so the dropout rate can change without a reset
                layers.append(Dropout(self.dropout, rng=rng))
        return Sequential(layers)     # a linear output: logits, or y for regression

    def _loss(self):
        """The loss ``train`` gets: "bce" is binary cross-entropy on the logit (fused, stable)."""
        return BinaryCrossEntropy(from_logits=True) if self.loss_name == "bce" else self.loss_name

    def reset(self):
        """New random weights, fresh optimizer, empty histories (the data stay)."""
        self.run_seed = self.seed if self.run_seed is None else int(self._seeds.integers(2**31))
        self._rng = np.random.default_rng(self.run_seed)   # this run's weights and shuffles
        self.model = self._build_model()
        self.optimizer = get_optimizer(self.optimizer_name, self.learning_rate)
        self._optimizers_made = 1
        self.train_loss, self.test_loss = [], []
        self.train_accuracy, self.test_accuracy = [], []
        self._log = []           # what each step did, for to_code()
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
        classify = self.task == "classification"
        history = train(
            self.model, self._Xf_train, self._yt_train, self._loss(), self.optimizer, epochs,
            batch_size=min(self.batch_size, len(self.y_train)),
            validation_data=(self._Xf_test, self._yt_test),
            seed=int(self._rng.integers(2**32)), l1=self.l1, l2=self.l2, progress=False,
            accuracy_metric=classify,
        )
        self.train_loss.extend(history.train_loss)
        self.test_loss.extend(history.val_loss[:len(history.train_loss)])
        if classify:
            self.train_accuracy.extend(history.train_accuracy)
            self.test_accuracy.extend(history.val_accuracy[:len(history.train_accuracy)])
        self._remember_step(epochs)
        self.diverged = history.diverged or not np.all(np.isfinite(self.model.layers[0].W))
        return self.epoch

    # ----------------------------------------------------------------- the run as code
    def _settings(self, epochs):
        return {"optimizer": (self.optimizer_name, self._optimizers_made),
                "lr": self.learning_rate, "l1": self.l1, "l2": self.l2, "dropout": self.dropout,
                "batch_size": min(self.batch_size, len(self.y_train)), "epochs": epochs}

    def _remember_step(self, epochs):
        settings = self._settings(epochs)
        if self._log and self._log[-1][0] == settings:
            self._log[-1][1] += 1
        else:
            self._log.append([settings, 1])

    def to_code(self):
        """The course_lib code that reproduces this run: data, features, network, training.

        Executed, it trains the same network on the same batches with the same settings
        (also those changed between steps) and ends with ``train_loss`` and ``test_loss``
        equal to this state's. With own data, the code expects ``X`` and ``y`` to exist.
        """
        imports = {"Dense", "Sequential", "datasets", "train"}
        lines = []
        recipe = self.data_recipe()
        if recipe is None:
            lines.append("# X (N, 2) and y: your own data, as given to the playground")
        else:
            make, kwargs = recipe
            args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
            if make is regression_2d:
                lines.insert(0, "from course_lib.playground import regression_2d")
                lines.append(f"X, y = regression_2d({args})")
            else:
                lines.append(f"X, y = datasets.{make.__name__}({args})")
        lines.append(f"X_train, X_test, y_train, y_test = datasets.train_val_split("
                     f"X, y, val_fraction={1.0 - self.train_fraction!r}, seed={self._data_seed!r})")
        coords = "x1 = X[:, 0]" if self.input_dim == 1 else "x1, x2 = X[:, 0], X[:, 1]"
        columns = ", ".join(FEATURE_CODE[f] for f in self.active_features)
        lines += ["", f"def features(X):  # {', '.join(self.active_features)}", f"    {coords}",
                  f"    return np.column_stack([{columns}])", ""]
        if self.loss_name == "bce":
            lines.append("Y_train, Y_test = y_train.astype(float).reshape(-1, 1), "
                         "y_test.astype(float).reshape(-1, 1)")
        else:
            lines.append("Y_train, Y_test = y_train, y_test")
        lines.append("F_train, F_test = features(X_train), features(X_test)")
        lines.append(f"rng = np.random.default_rng({self.run_seed})   # this run's seed")
        lines.append("init = np.random.default_rng(rng.integers(2**32))   # for the weights")
        lines.append("model = Sequential([")
        init = "he" if self.activation in ("relu", "leaky_relu", "elu") else "xavier"
        sizes = self.sizes
        act = type(activation_layer(self.activation)).__name__
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            dense = f"Dense({n_in}, {n_out}, init={init!r}, rng=init)"
            if i < len(sizes) - 2:
                imports.update({act, "Dropout"})
                lines.append(f"    {dense}, {act}(), Dropout({self._log_dropout(0)!r}, rng=init),")
            else:
                lines.append(f"    {dense},")
        lines.append("])")
        if self.loss_name == "bce":
            imports.add("BinaryCrossEntropy")
            lines.append("loss = BinaryCrossEntropy(from_logits=True)   # the output is a logit")
        else:
            lines.append(f"loss = {self.loss_name!r}")
        lines.append("train_loss, test_loss = [], []")
        previous = None
        for settings, steps in self._log:
            opt_name = type(get_optimizer(settings["optimizer"][0], 1.0)).__name__
            if previous is None or settings["optimizer"] != previous["optimizer"]:
                imports.add(opt_name)
                lines.append(f"optimizer = {opt_name}(lr={settings['lr']!r})")
            elif settings["lr"] != previous["lr"]:
                lines.append(f"optimizer.lr = {settings['lr']!r}")
            if previous is not None and settings["dropout"] != previous["dropout"]:
                lines += ["for layer in model.layers:", "    if isinstance(layer, Dropout):",
                          f"        layer.p = {settings['dropout']!r}"]
            penalty = "".join(f", {k}={settings[k]!r}" for k in ("l1", "l2") if settings[k])
            lines += [
                f"for step in range({steps}):",
                f"    history = train(model, F_train, Y_train, loss, optimizer, "
                f"epochs={settings['epochs']}, batch_size={settings['batch_size']},",
                f"                    validation_data=(F_test, Y_test), "
                f"seed=int(rng.integers(2**32)){penalty}, progress=False)",
                "    train_loss += history.train_loss",
                "    test_loss += history.val_loss[:len(history.train_loss)]",
            ]
            previous = settings
        lines.append('print(f"epoch {len(train_loss)}: train loss {train_loss[-1]:.4f}, '
                     'test loss {test_loss[-1]:.4f}")' if self._log else 'print("epoch 0")')
        head = ["import numpy as np", f"from course_lib import {', '.join(sorted(imports, key=str.lower))}"]
        return "\n".join(head + [""] + lines) + "\n"

    def _log_dropout(self, index):
        """The dropout rate of the run's first logged step (the current one if none)."""
        return self._log[index][0]["dropout"] if self._log else self.dropout

    # ----------------------------------------------------------------- predictions
    def _probabilities(self, out):
        """Softmax of logits (N, K), computed stably."""
        z = out - out.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def _values(self, out):
        """What the output surface shows, from the network's raw output (N, n_out)."""
        if self.loss_name == "cross_entropy":
            p = self._probabilities(out)
            return p[:, 1] if self.n_classes == 2 else p
        if self.loss_name == "bce":
            return sigmoid(out[:, 0])                     # P(class 1) from the logit
        return out[:, 0]

    def predict(self, X):
        """The network's output for raw points: P(class 1) for two classes, the class
        probabilities (N, K) for three or more, y for regression."""
        return self._values(self.model.predict(self.transform(X)))

    def _grid(self, resolution):
        """The grid of the pictures: ``(xs, ys, features of the grid points)``, cached."""
        key = (resolution, self.version)
        if self._grid_cache is None or self._grid_cache[0] != key:
            x0, x1, y0, y1 = self.extent
            xs = np.linspace(x0, x1, resolution)
            if self.input_dim == 2:
                ys = np.linspace(y0, y1, resolution)
                gx, gy = np.meshgrid(xs, ys)
                pts = np.column_stack([gx.ravel(), gy.ravel()])
            else:
                ys, pts = None, xs.reshape(-1, 1)
            self._grid_cache = (key, xs, ys, self.transform(pts))
        return self._grid_cache[1:]

    def surface(self, resolution=48):
        """What the picture shows: ``(xs, ys, values)``.

        Two classes: ``values`` (resolution, resolution) = P(class 1) on a grid over the
        data (rows follow ``ys``). Three or more classes: (resolution, resolution, K), the
        probability of each class. Regression on the plane: (resolution, resolution), the
        prediction. Regression on a line: ``xs`` a line of inputs, ``values`` the
        predictions along it, ``ys`` None.
        """
        xs, ys, feats = self._grid(resolution)
        with np.errstate(all="ignore"):
            values = self._values(self.model.predict(feats))
        if ys is not None:
            values = values.reshape(len(ys), len(xs), *values.shape[1:])
        return xs, ys, values

    def neuron_surfaces(self, resolution=48):
        """What every neuron computes over the grid of ``surface(resolution)``.

        Returns a list with one array per layer, hidden layers first, then the output layer:
        shape (units, resolution, resolution) (rows follow ``surface``'s ``ys``), each unit's
        activation at every grid point, dropout off. The output layer gives the network's
        output units: the sigmoid's probability, the softmax probabilities, or the linear
        prediction. On a line (1-D regression) the shape is (units, resolution).
        """
        xs, ys, feats = self._grid(resolution)
        shape = (len(ys), len(xs)) if ys is not None else (len(xs),)
        keep = set(self._hidden_positions())
        model = self.model
        was_training = model.training
        model.eval()
        layers = []
        try:
            with np.errstate(all="ignore"):
                a = feats
                for i, layer in enumerate(model.layers):
                    a = layer.forward(a)
                    if i in keep:
                        layers.append(a.copy())
                if self.loss_name == "cross_entropy":
                    a = self._probabilities(a)
                elif self.loss_name == "bce":
                    a = sigmoid(a)                            # the probability, not the logit
                layers.append(a)
        finally:
            model.train(was_training)
        return [a.T.reshape(a.shape[1], *shape) for a in layers]

    def parameters(self):
        """``(W, b)`` of every Dense layer, input side first (copies)."""
        return [(layer.W.copy(), layer.b.copy()) for layer in self._dense()]

    def gradients(self):
        """``(dW, db)`` of every Dense layer after the last training step (its last
        mini-batch, with the regularization's share), input side first; zeros before any
        step."""
        return [(layer.dW.copy(), layer.db.copy()) for layer in self._dense()]

    def incoming(self, layer, unit):
        """What feeds neuron ``unit`` of ``layer`` (0 = first hidden layer; the last is the
        output): a dict with the sources' names, their weights, the bias, and the gradients
        dL/dw and dL/db of the last step."""
        dense = self._dense()
        if not 0 <= layer < len(dense) or not 0 <= unit < dense[layer].n_out:
            raise ValueError(f"no neuron {unit} in layer {layer}: the layers have "
                             f"{[d.n_out for d in dense]} units (counted from 0)")
        d = dense[layer]
        sources = (list(self.active_features) if layer == 0
                   else [f"hidden {layer}, unit {i + 1}" for i in range(d.n_in)])
        return {"sources": sources, "weights": d.W[:, unit].copy(), "bias": float(d.b[unit]),
                "weight_gradients": d.dW[:, unit].copy(), "bias_gradient": float(d.db[unit])}

    def _dense(self):
        return [layer for layer in self.model.layers if isinstance(layer, Dense)]

    # ----------------------------------------------------------------- setters (controls)
    # data: regenerate and reset
    def set_dataset(self, name):
        name = self._check_dataset(name)
        if name != self.dataset:
            self.dataset = name
            if self.loss_name not in self.loss_choices():
                self.loss_name = self.loss_choices()[0]
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
            self._optimizers_made += 1

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
        allowed = self.loss_choices()       # (the task and the number of classes are known before the data)
        if name is None:
            return allowed[0]
        key = str(name).lower()
        if key not in allowed:
            what = self.task if self.task == "regression" or self.n_classes == 2 else \
                f"{self.n_classes} classes"
            raise ValueError(
                f"loss {name!r} does not suit {what}; choose one of {', '.join(allowed)}")
        return key

    def _check_dataset(self, name):
        if str(name).lower() == CUSTOM:
            if self._own is None:
                raise ValueError("the data set 'custom' needs your data: playground(X=X, y=y)")
            return CUSTOM
        return _choice(name, PLAYGROUND_DATASETS, "data set")

    def summary(self):
        """One line: epoch and losses, formatted (for notebooks and the widget)."""
        if not self.train_loss:
            return "epoch 0"
        text = f"epoch {self.epoch}: train loss {self.train_loss[-1]:.4f}, test loss {self.test_loss[-1]:.4f}"
        if self.train_accuracy:
            text += f", accuracy {self.train_accuracy[-1]:.3f} / {self.test_accuracy[-1]:.3f}"
        return text + (" (diverged)" if self.diverged else "")

    def __repr__(self):
        return (f"PlaygroundState({self.dataset!r}, features={list(self.active_features)}, "
                f"sizes={self.sizes}, activation={self.activation!r}, loss={self.loss_name!r}, "
                f"optimizer={self.optimizer_name!r}, lr={self.learning_rate:g}, epoch={self.epoch})")
