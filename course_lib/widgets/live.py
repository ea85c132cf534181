"""Live widgets of lessons 05-08: change a control and the network retrains in front of you.

Each widget is three plain parts, so a test can drive it without a browser:

* a *compute* function of the controls' values (``retrain_for_lr(lr, optimizer)``, ...)
  that trains or probes a network and returns a result dict;
* a *render* function ``render_...(result) -> Figure`` that draws the result with
  matplotlib's object-oriented API (``matplotlib.figure.Figure``: no pyplot, which is not
  thread-safe);
* a ``LiveRetrainer``, which runs compute + render in a background thread whenever a
  control changes. A newer change *supersedes* a running one: the old run's ``train``
  callback sees that a newer request arrived and stops, and only the newest result is
  ever shown. While it works, a progress bar shows.

The widget builders (``gradient_descent_widget()``, ...) wire controls, retrainer, an
``ipywidgets.Image`` (PNG bytes) and a status line that reads, for example,
``final loss 0.2500``.
"""
import threading
import time

import numpy as np
from matplotlib.figure import Figure

from .. import datasets
from ..analysis import deep_mlp, gradient_norms, measure_gap, probe_data
from ..network import mlp
from ..optimizers import get_optimizer
from ..plots import (CLASS_COLORS, figure_png, plot_decision_boundary, plot_gradient_norms,
                     plot_surface_paths)
from ..threads import limit_blas_threads
from ..surfaces import Quadratic, optimizer_path, path_losses
from ..training import EarlyStopping, train

__all__ = [
    "LiveRetrainer", "LiveWidget",
    "GD_SURFACE", "GD_START", "GD_OPTIMIZERS", "retrain_for_lr", "render_gradient_descent",
    "gradient_descent_widget",
    "ACTIVATION_CHOICES", "activation_task", "retrain_for_activation", "render_activation",
    "activation_widget",
    "INIT_CHOICES", "gradient_bars_for", "render_gradient_bars", "gradient_norm_widget",
    "REGULARIZATION_KINDS", "regularization_setting", "overfit_task",
    "retrain_with_regularization", "render_regularization", "regularization_widget",
]


def _fast_log_axis(ax):
    """Log-scale y axis without minor tick labels (they cost most of a redraw)."""
    from matplotlib.ticker import NullFormatter

    ax.set_yscale("log")
    ax.yaxis.set_minor_formatter(NullFormatter())


def _layout(fig, left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.28):
    """Fixed margins: ``tight_layout`` would measure every label again on each redraw."""
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top, wspace=wspace)


# =======================================================================================
# The live retrainer: newest request wins
# =======================================================================================
class Job:
    """What a compute function gets: ``cancelled()``, ``progress(fraction)``, ``train_callback``."""

    def __init__(self, retrainer, generation):
        self._r = retrainer
        self.generation = generation
        self._last_report = 0.0

    def cancelled(self):
        """True once a newer request has arrived: stop working, nobody will see this result."""
        return self.generation != self._r.generation

    def progress(self, fraction):
        """Report progress in [0, 1]; shown at most every 50 ms."""
        now = time.perf_counter()
        if now - self._last_report >= 0.05 or fraction >= 1.0:
            self._last_report = now
            self._r._show_progress(self.generation, fraction)

    def train_callback(self, epochs):
        """A ``callback(epoch, history)`` for ``train``: reports progress, stops when stale."""

        def callback(epoch, history):
            self.progress((epoch + 1) / epochs)
            return self.cancelled()

        return callback


class LiveRetrainer:
    """Run ``compute(params, job)`` then ``render(result) -> PNG bytes`` off the main thread.

    ``request(**params)`` returns at once. One worker thread serves requests in order of
    arrival, but only the newest matters: a new request marks the running job as cancelled
    (its ``job.cancelled()`` turns True, so ``train``'s callback stops it) and replaces any
    waiting one. A result reaches ``image`` / ``status`` only if no newer request arrived.

    ``image`` (an ``ipywidgets.Image``), ``status`` (an ``HTML``/``Label``) and ``progress``
    (a ``FloatProgress``) are optional, so tests can run it without widgets; ``describe``
    turns a result into the status text. ``log`` records ``(generation, event)`` pairs:
    "started", "cancelled", "shown", "error".
    """

    def __init__(self, compute, render, image=None, status=None, progress=None, describe=None):
        self.compute, self.render, self.describe = compute, render, describe
        self.image, self.status, self.progress_bar = image, status, progress
        self.generation = 0
        self.log = []
        self.shown_params = None
        self.shown_result = None
        self.shown_png = None
        self.last_seconds = None
        self.error = None
        self._lock = threading.Lock()
        self._pending = None
        self._thread = None
        self._idle = threading.Event()
        self._idle.set()

    # -- requests ------------------------------------------------------------------------
    def request(self, **params):
        """Ask for a retrain with ``params``; supersedes whatever is running or waiting."""
        with self._lock:
            self.generation += 1
            self._pending = (self.generation, params)
            self._idle.clear()
            if self._thread is None:
                self._thread = threading.Thread(target=self._worker, daemon=True,
                                                name="course_lib-live-retrainer")
                self._thread.start()
        self._show_progress(self.generation, 0.0, starting=True)
        return self.generation

    def run_now(self, **params):
        """Compute, render and show ``params`` in the calling thread (first draw, tests)."""
        with self._lock:
            self.generation += 1
            gen = self.generation
        self._process(gen, params)
        return self.shown_result if self.shown_params is params else None

    def wait(self, timeout=None):
        """Block until no request is running or waiting; True if idle within ``timeout``."""
        return self._idle.wait(timeout)

    @property
    def busy(self):
        return not self._idle.is_set()

    # -- the worker ----------------------------------------------------------------------
    def _worker(self):
        while True:
            with self._lock:
                if self._pending is None:
                    self._thread = None
                    self._idle.set()
                    return
                gen, params = self._pending
                self._pending = None
            self._process(gen, params)

    def _process(self, gen, params):
        job = Job(self, gen)
        self.log.append((gen, "started"))
        t0 = time.perf_counter()
        try:
            result = self.compute(params, job)
            if job.cancelled():
                self.log.append((gen, "cancelled"))
                return
            png = self.render(result)
        except Exception as exc:  # show the learner what went wrong instead of dying silently
            self.log.append((gen, "error"))
            self.error = exc
            if self.status is not None and not job.cancelled():
                self.status.value = f"<b>error:</b> {type(exc).__name__}: {exc}"
            return
        seconds = time.perf_counter() - t0
        with self._lock:  # publish only if still the newest request
            if job.cancelled():
                self.log.append((gen, "cancelled"))
                return
            self.shown_params, self.shown_result, self.shown_png = params, result, png
            self.last_seconds = seconds
            self.log.append((gen, "shown"))
            if self.image is not None:
                self.image.value = png
            if self.status is not None:
                text = self.describe(result) if self.describe else ""
                self.status.value = f"{text} &nbsp;<small>(updated in {seconds:.2f} s)</small>"
            if self.progress_bar is not None:
                self.progress_bar.value = 1.0
                self.progress_bar.bar_style = "success"
                self.progress_bar.layout.visibility = "hidden"

    def _show_progress(self, gen, fraction, starting=False):
        bar = self.progress_bar
        if bar is None or gen != self.generation:
            return
        if starting:
            bar.bar_style = "info"
            bar.layout.visibility = "visible"
        bar.value = float(fraction)



def _widget_classes():
    import ipywidgets as W

    return W


def LiveWidget(controls, compute, render, describe, title=None, initial=None):
    """Assemble a live widget: ``controls`` (dict name -> ipywidget) above the picture.

    Returns an ``ipywidgets.VBox`` with attributes ``controls``, ``image``, ``status``,
    ``progress`` and ``retrainer``. Every control's change calls ``retrainer.request``
    with all controls' current values; the first picture is drawn before it returns.
    """
    W = _widget_classes()
    limit_blas_threads(1)
    image = W.Image(format="png", layout=W.Layout(max_width="100%", height="auto"))
    status = W.HTML(value="", layout=W.Layout(min_width="18em"))
    progress = W.FloatProgress(value=0.0, min=0.0, max=1.0, description="training",
                               layout=W.Layout(width="16em", visibility="hidden"))
    retrainer = LiveRetrainer(lambda params, job: compute(job=job, **params),
                              lambda result: figure_png(render(result)),
                              image=image, status=status, progress=progress, describe=describe)

    def values():
        return {name: c.value for name, c in controls.items()}

    def on_change(_change):
        retrainer.request(**values())

    for c in controls.values():
        c.observe(on_change, names="value")
    retrainer.run_now(**(initial or values()))
    children = []
    if title:
        children.append(W.HTML(f"<b>{title}</b>"))
    children += [W.HBox(list(controls.values())), W.HBox([status, progress]), image]
    box = W.VBox(children)
    box.controls, box.image, box.status = controls, image, status
    box.progress, box.retrainer = progress, retrainer
    box.add_class("course-live-widget")
    return box


# =======================================================================================
# Lesson 05: learning rate and optimizer
# =======================================================================================
#: the widget's 2-D loss surface: a bowl 10 times steeper across (w2) than along (w1)
GD_SURFACE = Quadratic(a=0.1, b=1.0)
GD_START = (-4.5, 2.5)
GD_OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")


def _xor_net(seed):
    return mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=seed)


def retrain_for_lr(lr=0.1, optimizer="sgd", epochs=1000, seed=0, path_steps=40, job=None):
    """Train the 2-2-1 sigmoid network on XOR (MSE, full batch) with ``optimizer`` at ``lr``,
    and walk the same optimizer ``path_steps`` steps on ``GD_SURFACE``.

    Returns a dict: ``history``, ``final_loss``, ``outputs`` (the net's four XOR outputs),
    ``path`` and ``path_loss`` (surface path and its loss per step), plus the settings.
    """
    X, y = datasets.xor()
    model = _xor_net(seed)
    callback = job.train_callback(epochs) if job is not None else None
    history = train(model, X, y.reshape(-1, 1).astype(float), "mse", get_optimizer(optimizer, lr),
                    epochs, progress=False, seed=seed, callback=callback)
    path = optimizer_path(GD_SURFACE, optimizer, GD_START, path_steps, lr=lr)
    with np.errstate(over="ignore", invalid="ignore"):
        outputs = model.predict(X)[:, 0] if not history.diverged else np.full(4, np.nan)
    return {"lr": float(lr), "optimizer": optimizer, "epochs": epochs, "history": history,
            "final_loss": history.train_loss[-1], "outputs": outputs,
            "path": path, "path_loss": path_losses(GD_SURFACE, path)}


def render_gradient_descent(result, figsize=(9.5, 3.6)):
    """Left: the optimizer's path on the 2-D bowl. Right: the XOR network's loss curve."""
    fig = Figure(figsize=figsize)
    ax1, ax2 = fig.subplots(1, 2)
    name, lr = result["optimizer"], result["lr"]
    plot_surface_paths(GD_SURFACE, result["path"], ax=ax1,
                       title=f"{name}, lr={lr:.3g}: {len(result['path']) - 1} steps on a 2-D bowl")
    h = result["history"]
    loss = np.asarray(h.train_loss, dtype=float)
    ax2.plot(np.arange(1, len(loss) + 1), loss, color=CLASS_COLORS[0], lw=2)
    ax2.axhline(0.25, color="grey", ls=":", lw=1)
    ax2.text(1, 0.25, " 0.25: output 0.5 everywhere", va="bottom", fontsize=8, color="grey")
    _fast_log_axis(ax2)
    ax2.set_ylim(1e-4, 1.0)
    ax2.set_xlim(0, result["epochs"])
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("MSE (log scale)")
    verdict = "diverged" if h.diverged else f"final loss {result['final_loss']:.4f}"
    ax2.set_title(f"2-2-1 sigmoid net on XOR: {verdict}")
    _layout(fig)
    return fig


def _describe_gd(result):
    h = result["history"]
    if h.diverged:
        return f"final loss <b>diverged</b> (epoch {h.epochs})"
    outs = " ".join(f"{v:.2f}" for v in result["outputs"])
    return f"final loss <b>{result['final_loss']:.4f}</b> &nbsp; XOR outputs [{outs}] (targets 0 1 1 0)"


def gradient_descent_widget(lr=0.1, optimizer="sgd"):
    """Lesson 05: a log-scale learning-rate slider and an optimizer menu retrain live."""
    W = _widget_classes()
    controls = {
        "lr": W.FloatLogSlider(value=lr, base=10, min=-3, max=1, step=0.05,
                               description="learning rate", readout_format=".3g",
                               continuous_update=True, style={"description_width": "initial"},
                               layout=W.Layout(width="26em")),
        "optimizer": W.Dropdown(options=list(GD_OPTIMIZERS), value=optimizer, description="optimizer"),
    }
    return LiveWidget(controls, retrain_for_lr, render_gradient_descent, _describe_gd)


# =======================================================================================
# Lesson 06: activations
# =======================================================================================
ACTIVATION_CHOICES = ("sigmoid", "tanh", "relu", "leaky_relu", "elu")


def activation_task():
    """The lesson-06 task: two spiral arms, 200 points (``X (200, 2)``, labels ``y (200,)``)."""
    return datasets.spirals(200, noise=0.05, seed=0)


def retrain_for_activation(activation="relu", lr=0.4, epochs=300, seed=0, job=None):
    """Train a 2-16-16-2 network with ``activation`` in its hidden layers on the spirals:
    softmax cross-entropy, full-batch gradient descent at ``lr``. Returns a result dict."""
    X, y = activation_task()
    model = mlp([2, 16, 16, 2], activation=activation, seed=seed)
    callback = job.train_callback(epochs) if job is not None else None
    history = train(model, X, y, "cross_entropy", get_optimizer("sgd", lr), epochs, progress=False,
                    seed=seed, accuracy_metric=True, callback=callback)
    return {"activation": activation, "lr": float(lr), "epochs": epochs, "model": model,
            "history": history, "final_loss": history.train_loss[-1],
            "accuracy": history.train_accuracy[-1], "X": X, "y": y}


def render_activation(result, figsize=(9.5, 3.8), resolution=70):
    """Left: loss against epoch. Right: the decision regions over the data."""
    fig = Figure(figsize=figsize)
    ax1, ax2 = fig.subplots(1, 2)
    h = result["history"]
    loss = np.asarray(h.train_loss, dtype=float)
    ax1.plot(np.arange(1, len(loss) + 1), loss, lw=2, color=CLASS_COLORS[0])
    _fast_log_axis(ax1)
    ax1.set_ylim(1e-3, 3.0)
    ax1.set_xlim(0, result["epochs"])
    ax1.axhline(np.log(2), color="grey", ls=":", lw=1)
    ax1.text(2, np.log(2), " ln 2: guessing", va="bottom", fontsize=8, color="grey")
    ax1.set_xlabel("epoch")
    ax1.set_ylabel("cross-entropy (log scale)")
    ax1.set_title(f"{result['activation']}, lr={result['lr']:.3g}")
    if h.diverged:
        ax2.text(0.5, 0.5, "diverged:\nthe weights overflowed", ha="center", va="center",
                 transform=ax2.transAxes, fontsize=12)
        ax2.set_axis_off()
    else:
        plot_decision_boundary(result["model"], result["X"], result["y"], ax=ax2,
                               resolution=resolution)
        ax2.legend(loc="lower right", fontsize=7)
        ax2.set_title(f"decision regions, training accuracy {result['accuracy']:.2f}")
    _layout(fig)
    return fig


def _describe_activation(result):
    h = result["history"]
    if h.diverged:
        return f"final loss <b>diverged</b> (epoch {h.epochs})"
    return (f"final loss <b>{result['final_loss']:.4f}</b> &nbsp; training accuracy "
            f"{result['accuracy']:.2f}")


def activation_widget(activation="relu", lr=0.4):
    """Lesson 06: an activation menu and a log-scale learning-rate slider retrain live."""
    W = _widget_classes()
    controls = {
        "activation": W.Dropdown(options=list(ACTIVATION_CHOICES), value=activation,
                                 description="activation"),
        "lr": W.FloatLogSlider(value=lr, base=10, min=-2, max=1, step=0.05,
                               description="learning rate", readout_format=".3g",
                               style={"description_width": "initial"},
                               layout=W.Layout(width="26em")),
    }
    return LiveWidget(controls, retrain_for_activation, render_activation, _describe_activation)


# =======================================================================================
# Lesson 07: gradient norms per layer
# =======================================================================================
INIT_CHOICES = ("small", "large", "xavier", "he")


def gradient_bars_for(depth=10, activation="sigmoid", init="xavier", width=64, seed=0, job=None):
    """||dL/dW|| of every layer of a fresh ``depth``-layer network (one backward pass on
    standard-normal probe data, MSE against random targets). Returns a result dict."""
    X, y = probe_data(256, 10, seed)
    model = deep_mlp(depth, width, activation, init, n_in=10, n_out=1, seed=seed)
    with np.errstate(over="ignore", invalid="ignore"):
        norms = gradient_norms(model, X, y, "mse")
    return {"depth": depth, "activation": activation, "init": init, "norms": norms}


def _ratio(norms):
    with np.errstate(divide="ignore", invalid="ignore"):
        return norms[0] / norms[-1]


def render_gradient_bars(result, figsize=(8, 3.6)):
    """Log-scale bars: one gradient norm per layer, input side on the left."""
    fig = Figure(figsize=figsize)
    ax = fig.subplots()
    norms = np.asarray(result["norms"], dtype=float)
    finite = norms[np.isfinite(norms) & (norms > 0)]
    plot_gradient_norms(np.where(np.isfinite(norms) & (norms > 0), norms, np.nan), ax=ax,
                        title=f"{result['depth']} layers, {result['activation']}, "
                              f"{result['init']} init: first / last = {_ratio(norms):.1e}")
    if finite.size:
        lo, hi = finite.min(), finite.max()
        ax.set_ylim(min(lo / 3, 1e-3), max(hi * 3, 10.0))
    _layout(fig, left=0.1)
    return fig


def _describe_bars(result):
    n = result["norms"]
    return (f"first layer {n[0]:.2e}, last layer {n[-1]:.2e}, "
            f"ratio first / last <b>{_ratio(n):.2e}</b>")


def gradient_norm_widget(depth=10, activation="sigmoid", init="xavier"):
    """Lesson 07: depth, activation and initialization redraw the gradient-norm bars."""
    W = _widget_classes()
    controls = {
        "depth": W.IntSlider(value=depth, min=2, max=20, description="depth"),
        "activation": W.Dropdown(options=list(ACTIVATION_CHOICES), value=activation,
                                 description="activation"),
        "init": W.Dropdown(options=list(INIT_CHOICES), value=init, description="init"),
    }
    return LiveWidget(controls, gradient_bars_for, render_gradient_bars, _describe_bars)


# =======================================================================================
# Lesson 08: regularization
# =======================================================================================
REGULARIZATION_KINDS = ("none", "L2", "L1", "dropout", "early stopping")


def regularization_setting(kind, strength):
    """Map the widget's ``strength`` in [0, 1] to the regularizer's own parameter.

    L2: lambda = 0.02 s;  L1: lambda = 0.005 s;  dropout: p = 0.7 s;
    early stopping: patience = round(10 ** (2.5 (1 - s))) epochs (s = 1: patience 1).
    Returns ``(train keyword arguments, dropout p, a description)``.
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

    Returns ``X_train, X_val, y_train, y_val``.
    """
    X, y = datasets.moons(300, noise=0.35, seed=1)
    return datasets.train_val_split(X, y, val_fraction=0.8, seed=0)


def retrain_with_regularization(kind="none", strength=0.5, epochs=400, hidden=64, lr=0.01,
                                seed=0, job=None):
    """Train a 2-64-64-2 ReLU network (Adam, full batch) on 60 noisy points with one
    regularizer; return curves and the measured train / validation gap."""
    X_tr, X_val, y_tr, y_val = overfit_task()
    kwargs, p, label = regularization_setting(kind, strength)
    model = mlp([2, hidden, hidden, 2], activation="relu", dropout=p, seed=seed)
    callback = job.train_callback(epochs) if job is not None else None
    history = train(model, X_tr, y_tr, "cross_entropy", get_optimizer("adam", lr), epochs,
                    validation_data=(X_val, y_val), progress=False, seed=seed,
                    callback=callback, **kwargs)
    gap = measure_gap(model, X_tr, y_tr, X_val, y_val, "cross_entropy")
    return {"kind": kind, "strength": float(strength), "label": label, "epochs": epochs,
            "model": model, "history": history, "gap": gap, "final_loss": gap["train_loss"],
            "data": (X_tr, X_val, y_tr, y_val)}


def render_regularization(result, figsize=(9.5, 3.8), resolution=70):
    """Left: decision regions over the training points. Right: train and validation loss."""
    fig = Figure(figsize=figsize)
    ax1, ax2 = fig.subplots(1, 2)
    X_tr, X_val, y_tr, y_val = result["data"]
    g, h = result["gap"], result["history"]
    plot_decision_boundary(result["model"], np.vstack([X_tr, X_val]), np.concatenate([y_tr, y_val]),
                           ax=ax1, resolution=resolution)
    for coll in list(ax1.collections)[-2:]:
        coll.remove()  # keep the regions, redraw the points: training bold, validation faint
    for k in (0, 1):
        ax1.scatter(*X_val[y_val == k].T, s=10, color=CLASS_COLORS[k], alpha=0.25, lw=0)
        ax1.scatter(*X_tr[y_tr == k].T, s=30, color=CLASS_COLORS[k], edgecolor="k", lw=0.8,
                    label=f"train, class {k}")
    ax1.legend(loc="lower right", fontsize=7)
    ax1.set_title(result["label"].replace("&lambda;", "λ"), fontsize=10)
    epochs = np.arange(1, h.epochs + 1)
    ax2.plot(epochs, h.train_loss, color=CLASS_COLORS[0], lw=2, label="train")
    ax2.plot(epochs, h.val_loss, color=CLASS_COLORS[1], lw=2, label="validation")
    if h.stopped_early and h.best_epoch is not None:
        ax2.axvline(h.best_epoch + 1, color="grey", ls="--", lw=1, label="best epoch (restored)")
    _fast_log_axis(ax2)
    ax2.set_ylim(1e-3, 10)
    ax2.set_xlim(0, result["epochs"])
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("cross-entropy (log scale)")
    ax2.set_title(f"gap (validation - train) = {g['gap']:.3f}", fontsize=10)
    ax2.legend(fontsize=8, loc="upper right")
    _layout(fig)
    return fig


def _describe_reg(result):
    g = result["gap"]
    return (f"{result['label']}: final loss <b>{g['train_loss']:.4f}</b> (train), "
            f"{g['val_loss']:.4f} (validation), gap <b>{g['gap']:.4f}</b>")


def regularization_widget(kind="L2", strength=0.5):
    """Lesson 08: a regularizer menu and a strength slider retrain live."""
    W = _widget_classes()
    controls = {
        "kind": W.Dropdown(options=list(REGULARIZATION_KINDS), value=kind, description="regularizer"),
        "strength": W.FloatSlider(value=strength, min=0.0, max=1.0, step=0.05, description="strength",
                                  disabled=(kind == "none")),
    }

    def grey_out(change):  # "none" has no strength to set
        controls["strength"].disabled = change["new"] == "none"

    controls["kind"].observe(grey_out, names="value")
    return LiveWidget(controls, retrain_with_regularization, render_regularization, _describe_reg)
