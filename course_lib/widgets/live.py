"""Live widgets of lessons 05-08: change a control and the network retrains in front of you.

Each widget is three plain parts, so a test can drive it without a browser:

* an *experiment* of ``course_lib.experiments`` (``retrain_for_lr(lr, optimizer)``, ...):
  a NumPy-only function of the controls' values that trains or probes a network and
  returns a result dict. The lessons call the same functions;
* a *render* function ``render_...(result) -> Figure`` that draws the result with
  matplotlib's object-oriented API (``matplotlib.figure.Figure``: no pyplot, which is not
  thread-safe);
* a ``LiveRetrainer``, which runs experiment + render in a background thread whenever a
  control changes. A newer change *supersedes* a running one: ``run_experiment`` hands the
  experiment a ``train`` callback (``Job.train_callback``) that moves the progress bar and
  stops the old run once a newer request has arrived, and only the newest result is ever
  shown.

The widget builders (``gradient_descent_widget()``, ...) wire controls, retrainer, an
``ipywidgets.Image`` (PNG bytes) and a status line that reads, for example,
``final loss 0.2500``.
"""
import collections
import inspect
import threading
import time

import numpy as np
from matplotlib.figure import Figure

# the experiments live in the core; imported here for the widgets, and re-exported so that
# older imports (``from course_lib.widgets.live import retrain_for_lr``) keep working
from ..experiments import (ACTIVATION_CHOICES, GD_OPTIMIZERS, GD_START, GD_SURFACE,
                           INIT_CHOICES, REGULARIZATION_KINDS, activation_task,
                           gradient_bars_for, overfit_task, regularization_setting,
                           retrain_for_activation, retrain_for_lr, retrain_with_regularization)
from ..plots import (CLASS_COLORS, DRAW_LOCK, RedrawnFigure, css_width, figure_png,
                     plot_decision_boundary, plot_gradient_norms, plot_surface_paths)
from ..threads import limit_blas_threads

__all__ = [
    "LiveRetrainer", "LiveWidget", "run_experiment",
    "GD_SURFACE", "GD_START", "GD_OPTIMIZERS", "retrain_for_lr", "render_gradient_descent",
    "gradient_descent_widget",
    "ACTIVATION_CHOICES", "activation_task", "retrain_for_activation", "render_activation",
    "activation_widget",
    "INIT_CHOICES", "gradient_bars_for", "render_gradient_bars", "gradient_norm_widget",
    "REGULARIZATION_KINDS", "regularization_setting", "overfit_task",
    "retrain_with_regularization", "render_regularization", "RegularizationPicture",
    "regularization_widget",
]


def _fast_log_axis(ax):
    """Log-scale y axis with a tick per decade, labelled in plain numbers (0.01, 0.1, 1):
    minor ticks and typeset powers of ten cost about a quarter of a redraw."""
    from matplotlib.ticker import FuncFormatter, NullLocator

    ax.set_yscale("log")
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))


def _layout(fig, left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.28):
    """Fixed margins: ``tight_layout`` would measure every label again on each redraw."""
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top, wspace=wspace)


def _clipped_curve(ax, x, values, top, color, **kw):
    """Plot ``values`` against ``x``, cut at the axis' ``top``; where the curve leaves the
    chart, a triangle on the top edge says how high it went (values off the chart would
    otherwise simply vanish)."""
    values = np.asarray(values, dtype=float)
    ax.plot(x, np.minimum(values, top), color=color, **kw)
    above = np.flatnonzero(np.isfinite(values) & (values > top))
    if above.size:
        k = above[np.argmax(values[above])]
        ax.plot([x[k]], [top], "^", color=color, ms=9, mec="black", mew=0.8, clip_on=False, zorder=6)
        right_half = k > len(values) / 2                 # write the value towards the middle
        ax.annotate(f"{values[k]:.3g} (off the chart)", (x[k], top), xytext=(-8 if right_half else 8, -4),
                    textcoords="offset points", ha="right" if right_half else "left", va="top",
                    fontsize=8, color=color)


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

    ``quick_render`` (optional) is a cheaper ``render`` for a stream of requests, such as a
    dragged slider: a request that comes less than ``settle`` seconds after the one before
    is drawn with it (and shown even if a newer request came meanwhile: it is still newer
    than the picture shown), and once no request has come for ``settle`` seconds the last
    one is drawn again with ``render``.
    """

    def __init__(self, compute, render, image=None, status=None, progress=None, describe=None,
                 quick_render=None, settle=0.3):
        self.compute, self.render, self.describe = compute, render, describe
        self.quick_render, self.settle = quick_render, settle
        self._last_request = -float("inf")
        self._arrived = threading.Event()        # a request came while the worker waited
        self._shown_generation = 0
        self.image, self.status, self.progress_bar = image, status, progress
        self.generation = 0
        self.log = []
        self.shown_params = None
        self.shown_result = None
        self.shown_png = None
        self.last_seconds = None
        self.seconds = collections.deque(maxlen=200)   # compute + render time of each shown result
        self.error = None
        self._lock = threading.Lock()
        self._pending = None
        self._thread = None
        self._idle = threading.Event()
        self._idle.set()

    # -- requests ------------------------------------------------------------------------
    def request(self, **params):
        """Ask for a retrain with ``params``; supersedes whatever is running or waiting."""
        now = time.monotonic()
        with self._lock:
            self.generation += 1
            quick = self.quick_render is not None and now - self._last_request < self.settle
            self._last_request = now
            self._pending = (self.generation, params, quick)
            self._idle.clear()
            self._arrived.set()
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
                gen, params, quick = self._pending
                self._pending = None
                self._arrived.clear()
            self._process(gen, params, quick)
            if quick and not self._arrived.wait(self.settle):
                with self._lock:                 # the stream paused: the full picture now
                    if self._pending is None and gen == self.generation:
                        self._pending = (gen, params, False)

    def _process(self, gen, params, quick=False):
        job = Job(self, gen)
        self.log.append((gen, "started"))
        t0 = time.perf_counter()
        try:
            result = self.compute(params, job)
            if job.cancelled():
                self.log.append((gen, "cancelled"))
                return
            with DRAW_LOCK:
                png = (self.quick_render if quick else self.render)(result)
        except Exception as exc:  # show the learner what went wrong instead of dying silently
            self.log.append((gen, "error"))
            self.error = exc
            if self.status is not None and not job.cancelled():
                self.status.value = f"<b>error:</b> {type(exc).__name__}: {exc}"
            return
        seconds = time.perf_counter() - t0
        with self._lock:  # publish only if still the newest request; a quick picture (a drag
            # goes on) also when a newer request came while it was drawn: it is still newer
            # than the one shown, and the newest follows
            if job.cancelled() and not (quick and gen > self._shown_generation):
                self.log.append((gen, "cancelled"))
                return
            self._shown_generation = gen
            self.shown_params, self.shown_result, self.shown_png = params, result, png
            self.last_seconds = seconds
            self.seconds.append(seconds)
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


def run_experiment(experiment, params, job=None):
    """Run ``experiment(**params)`` (an experiment of ``course_lib.experiments``) for a widget.

    With a ``job``, an experiment that trains gets ``job.train_callback(epochs)`` as its
    ``callback``: each epoch moves the progress bar, and training stops as soon as a newer
    request has arrived. Without one (or for an experiment that does not train) it is a
    plain call.
    """
    params = dict(params)
    signature = inspect.signature(experiment).parameters
    if job is not None and "callback" in signature:
        epochs = params.get("epochs", signature["epochs"].default)
        params["callback"] = job.train_callback(epochs)
    return experiment(**params)


def _widget_classes():
    import ipywidgets as W

    return W


def LiveWidget(controls, compute, render, describe, title=None, initial=None, caption="",
               picture=None):
    """Assemble a live widget: ``controls`` (dict name -> ipywidget) above the picture.

    ``compute`` is an experiment (``course_lib.experiments``) that takes the controls'
    values as keyword arguments; ``run_experiment`` calls it with the job's callback.
    Returns an ``ipywidgets.VBox`` with attributes ``controls``, ``image``, ``status``,
    ``progress`` and ``retrainer``. Every control's change calls ``retrainer.request``
    with all controls' current values; the first picture is drawn before it returns. The
    picture is shown at its figure's CSS size (``plots.css_width``) from a PNG with twice
    the pixels; ``caption`` says in words what it shows (a line above it, and the picture's
    text alternative: ``DescribedImage``). ``picture``
    (optional) draws the same picture faster, reusing its figure: an object whose
    ``draw(result)`` returns it, with ``png()`` and ``figure``.
    """
    W = _widget_classes()
    from .image import DescribedImage

    limit_blas_threads(1)
    image = DescribedImage(caption, format="png", layout=W.Layout(max_width="100%", height="auto"))
    status = W.HTML(value="", layout=W.Layout(min_width="18em"))
    progress = W.FloatProgress(value=0.0, min=0.0, max=1.0, description="training",
                               layout=W.Layout(width="16em", visibility="hidden"))
    def to_png(result):  # shown at the figure's CSS size; the PNG has twice its pixels
        if picture is not None:
            png = picture.draw(result).png()
            image.width = str(css_width(picture.figure))
            return png
        fig = render(result)
        image.width = str(css_width(fig))
        return figure_png(fig)

    retrainer = LiveRetrainer(lambda params, job: run_experiment(compute, params, job), to_png,
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
    children += [W.HBox(list(controls.values())), W.HBox([status, progress])]
    if caption:
        children.append(W.HTML(f'<span style="font-size: 12px; opacity: 0.75">{caption}</span>'))
    children.append(image)
    box = W.VBox(children)
    box.controls, box.image, box.status = controls, image, status
    box.progress, box.retrainer = progress, retrainer
    box.add_class("course-live-widget")
    return box


# =======================================================================================
# Lesson 05: learning rate and optimizer
# =======================================================================================
def bowl_diverged(result):
    """Did the optimizer's walk on the 2-D bowl diverge?  It ran off (the path stopped
    early) or ended higher than it started."""
    loss = np.asarray(result["path_loss"], dtype=float)
    return not np.all(np.isfinite(loss)) or loss[-1] > loss[0]


def render_gradient_descent(result, figsize=(9.5, 3.6)):
    """Left: the optimizer's path on the 2-D bowl. Right: the XOR network's loss curve."""
    fig = Figure(figsize=figsize)
    ax1, ax2 = fig.subplots(1, 2)
    name, lr = result["optimizer"], result["lr"]
    steps = len(result["path"]) - 1
    verdict = (f"diverged after {steps} step{'s' if steps != 1 else ''}" if bowl_diverged(result)
               else f"{steps} steps")
    plot_surface_paths(GD_SURFACE, result["path"], ax=ax1,
                       title=f"{name}, lr={lr:.3g}: {verdict} on a 2-D bowl")
    ax1.title.set_fontsize(10)
    h = result["history"]
    loss = np.asarray(h.train_loss, dtype=float)
    _clipped_curve(ax2, np.arange(1, len(loss) + 1), loss, 1.0, CLASS_COLORS[0], lw=2)
    ax2.axhline(0.25, color="grey", ls=":", lw=1)
    ax2.text(1, 0.25, " 0.25: output 0.5 everywhere", va="bottom", fontsize=8, color="grey")
    _fast_log_axis(ax2)
    ax2.set_ylim(1e-4, 1.0)
    ax2.set_xlim(0, result["epochs"])
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("MSE (log scale)")
    verdict = "diverged" if h.diverged else f"final loss {result['final_loss']:.4f}"
    ax2.set_title(f"2-2-1 sigmoid net on XOR: {verdict}", fontsize=10)
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
        # four decades: a wide track (about 100 px a decade); a typed value is kept to 3 digits
        "lr": W.FloatLogSlider(value=lr, base=10, min=-3, max=1, step=0.001,
                               description="learning rate", readout_format=".3g",
                               continuous_update=True, style={"description_width": "initial"},
                               layout=W.Layout(width="560px")),
        "optimizer": W.Dropdown(options=list(GD_OPTIMIZERS), value=optimizer, description="optimizer"),
    }
    return LiveWidget(controls, retrain_for_lr, render_gradient_descent, _describe_gd,
                      caption="Left: the optimizer's path on a 2-D bowl. Right: the XOR network's "
                          "training loss against the epoch (log scale).")


# =======================================================================================
# Lesson 06: activations
# =======================================================================================
def render_activation(result, figsize=(9.5, 3.8), resolution=70):
    """Left: loss against epoch. Right: the decision regions over the data."""
    fig = Figure(figsize=figsize)
    ax1, ax2 = fig.subplots(1, 2)
    h = result["history"]
    loss = np.asarray(h.train_loss, dtype=float)
    _clipped_curve(ax1, np.arange(1, len(loss) + 1), loss, 3.0, CLASS_COLORS[0], lw=2)
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
        ax2.legend(loc="lower right", fontsize=8)
        ax2.set_title(f"decision regions, training accuracy {result['accuracy']:.2f}", fontsize=10)
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
        "lr": W.FloatLogSlider(value=lr, base=10, min=-2, max=1, step=0.001,
                               description="learning rate", readout_format=".3g",
                               style={"description_width": "initial"},
                               layout=W.Layout(width="480px")),
    }
    return LiveWidget(controls, retrain_for_activation, render_activation, _describe_activation,
                      caption="Left: training loss against the epoch (log scale). Right: the network's "
                          "decision regions over the spirals.")


# =======================================================================================
# Lesson 07: gradient norms per layer
# =======================================================================================
VANISHED, EXPLODED = 1e-12, 1e12   # every layer's gradient norm below / above: no ratio tells it


def _ratio(norms):
    with np.errstate(divide="ignore", invalid="ignore"):
        return norms[0] / norms[-1]


def gradient_headline(norms):
    """The headline of lesson 07's widget, honest in every setting: the ratio first / last
    layer, unless every layer's gradient vanished (all below ``VANISHED``), exploded (all
    above ``EXPLODED``) or overflowed, where a ratio near 1 would read as "healthy"."""
    norms = np.asarray(norms, dtype=float)
    if not np.all(np.isfinite(norms)):
        return "gradients overflowed (inf / nan)"
    if norms.max() < VANISHED:
        return f"all gradients vanished (every layer below {VANISHED:.0e}: largest {norms.max():.1e})"
    if norms.min() > EXPLODED:
        return f"all gradients exploded (every layer above {EXPLODED:.0e}: smallest {norms.min():.1e})"
    return f"ratio first / last {_ratio(norms):.2e}"


def render_gradient_bars(result, figsize=(8, 3.6)):
    """Log-scale bars: one gradient norm per layer, input side on the left."""
    fig = Figure(figsize=figsize)
    ax = fig.subplots()
    norms = np.asarray(result["norms"], dtype=float)
    finite = norms[np.isfinite(norms) & (norms > 0)]
    headline = gradient_headline(norms)
    if headline.startswith("ratio"):
        headline = f"first / last = {_ratio(norms):.1e}"
    plot_gradient_norms(np.where(np.isfinite(norms) & (norms > 0), norms, np.nan), ax=ax,
                        title=f"{result['depth']} layers, {result['activation']}, "
                              f"{result['init']} init: {headline}")
    ax.title.set_fontsize(10)
    if finite.size:
        lo, hi = finite.min(), finite.max()
        ax.set_ylim(min(lo / 3, 1e-3), max(hi * 3, 10.0))
    _layout(fig, left=0.1)
    return fig


def _describe_bars(result):
    n = np.asarray(result["norms"], dtype=float)
    headline = gradient_headline(n)
    if headline.startswith("ratio"):
        headline = f"ratio first / last <b>{_ratio(n):.2e}</b>"
    else:
        headline = f"<b>{headline}</b>"
    return f"first layer {n[0]:.2e}, last layer {n[-1]:.2e}, {headline}"


def gradient_norm_widget(depth=10, activation="sigmoid", init="xavier"):
    """Lesson 07: depth, activation and initialization redraw the gradient-norm bars."""
    W = _widget_classes()
    controls = {
        "depth": W.IntSlider(value=depth, min=2, max=20, description="depth"),
        "activation": W.Dropdown(options=list(ACTIVATION_CHOICES), value=activation,
                                 description="activation"),
        "init": W.Dropdown(options=list(INIT_CHOICES), value=init, description="init"),
    }
    return LiveWidget(controls, gradient_bars_for, render_gradient_bars, _describe_bars,
                      caption="Bars: the gradient norm of each layer (log scale), layer 1 next to the input.")


# =======================================================================================
# Lesson 08: regularization
# =======================================================================================
def render_regularization(result, figsize=(9.5, 3.8), resolution=70):
    """Left: decision regions over the training points. Right: train and validation loss."""
    fig = Figure(figsize=figsize)
    ax1, ax2 = fig.subplots(1, 2)
    _draw_regularization(ax1, ax2, result, resolution)
    _layout(fig)
    return fig


def _draw_regularization(ax1, ax2, result, resolution):
    X_tr, X_val, y_tr, y_val = result["data"]
    g, h = result["gap"], result["history"]
    plot_decision_boundary(result["model"], np.vstack([X_tr, X_val]), np.concatenate([y_tr, y_val]),
                           ax=ax1, resolution=resolution)
    for coll in list(ax1.collections)[-2:]:
        coll.remove()  # keep the regions, redraw the points: training bold, validation faint
    for k in (0, 1):
        marker = "o" if k == 0 else "s"
        ax1.scatter(*X_val[y_val == k].T, s=10, marker=marker, color=CLASS_COLORS[k], alpha=0.25, lw=0)
        ax1.scatter(*X_tr[y_tr == k].T, s=30, marker=marker, color=CLASS_COLORS[k], edgecolor="k",
                    lw=0.8, label=f"train, class {k}")
    ax1.legend(loc="lower right", fontsize=8)
    ax1.set_title(result["label"].replace("&lambda;", "λ"), fontsize=10)
    epochs = np.arange(1, h.epochs + 1)
    ax2.plot(epochs, h.train_loss, color=CLASS_COLORS[0], lw=2, label="train")
    ax2.plot(epochs, h.val_loss, color=CLASS_COLORS[1], lw=2, ls="--", label="validation")
    if h.stopped_early and h.best_epoch is not None:
        ax2.axvline(h.best_epoch + 1, color="grey", ls="--", lw=1, label="best epoch (restored)")
        # a stop after a few epochs is a blip at the left edge: mark it and say it in words
        ax2.plot([h.epochs], [h.val_loss[-1]], "X", color="black", ms=10, zorder=6, label="stopped")
        ax2.text(0.5, 0.5, f"early stopping: stopped after epoch {h.epochs}\n"
                           f"(of {result['epochs']}), weights of epoch {h.best_epoch + 1} restored",
                 transform=ax2.transAxes, ha="center", va="center", fontsize=9,
                 bbox=dict(boxstyle="round", fc="white", ec="grey", alpha=0.9))
    _fast_log_axis(ax2)
    ax2.set_ylim(1e-3, 10)
    ax2.set_xlim(0, result["epochs"])
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("cross-entropy (log scale)")
    ax2.set_title(f"gap (validation - train) = {g['gap']:.3f}", fontsize=10)
    ax2.legend(fontsize=8, loc="upper right")


class RegularizationPicture:
    """Lesson 08's widget picture, the picture of ``render_regularization``, redrawn for each
    result over a background drawn once (``plots.RedrawnFigure``): axes, ticks and labels
    stay; regions, points, curves, early-stopping marks, legends and titles are drawn again.
    A result on other data (its extent) or with another epoch count starts a new figure.
    """

    def __init__(self, figsize=(9.5, 3.8), resolution=70):
        self.figsize, self.resolution = figsize, resolution
        self.figure, self.key, self.content = None, None, []

    def draw(self, result):
        """Show ``result`` (of ``experiments.retrain_with_regularization``); returns ``self``."""
        X = np.vstack(result["data"][:2])
        key = (tuple(X.min(axis=0)), tuple(X.max(axis=0)), result["epochs"])
        if key != self.key:
            self.figure = Figure(figsize=self.figsize)
            self.redrawn = RedrawnFigure(self.figure)
            self.axes = self.figure.subplots(1, 2)
            _layout(self.figure)
            for ax in self.axes:        # drawn after the regions and curves, as in a full draw
                ax.set_title(" ", y=1.0)    # a fixed place: a title drawn on its own is not moved
                self.redrawn.changing(*ax.spines.values(), ax.title)
            self.key, self.content = key, []
        self.redrawn.forget(*self.content)
        before = {id(a) for ax in self.axes for a in ax.get_children()}
        _draw_regularization(*self.axes, result, self.resolution)
        self.content = [a for ax in self.axes                 # each axes' new artists, as
                        for a in sorted((a for a in ax.get_children() if id(a) not in before),
                                        key=lambda a: a.get_zorder())]   # matplotlib orders them
        self.redrawn.changing(*self.content, first=True)
        for ax in self.axes:
            ax.set_autoscale_on(False)  # the limits of the first result's data stay (same data)
        return self

    def png(self):
        return self.redrawn.png()


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
    return LiveWidget(controls, retrain_with_regularization, render_regularization, _describe_reg,
                      picture=RegularizationPicture(),
                      caption="Left: decision regions over training (bold) and validation (faint) points, "
                          "circles class 0, squares class 1. Right: training (solid) and validation "
                          "(dashed) loss against the epoch.")
