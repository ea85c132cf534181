"""Lesson 09: a neural-network playground in JupyterLab (the TensorFlow Playground's ideas).

Three parts, each usable on its own:

``PlaygroundState`` (``course_lib.playground``, the numerical core)
    the training state, a plain object: data, features, network, optimizer, histories.
    ``step()`` trains one or more epochs, ``reset()`` draws new weights, and one setter per
    control.
``PlaygroundRenderer`` (``course_lib.widgets.playground_render``)
    draws a state with matplotlib's object-oriented API, fast enough to redraw while training.
``playground()`` (this module)
    the widget: controls, the picture and an epoch counter; *play* starts a background
    thread that trains and redraws while the controls stay live.

Tests drive ``PlaygroundState`` (and the widget's callbacks) without a browser. The state and
the renderer's names are re-exported here, so imports from this module keep working.
"""
import threading
import time

import numpy as np

from ..playground import (
    ACTIVATIONS, FEATURES, MAX_HIDDEN_LAYERS, MAX_UNITS, NEEDS_X2, OPTIMIZERS,
    PLAYGROUND_DATASETS, REGULARIZATIONS, PlaygroundState,
)
from ..plots import DRAW_LOCK
from .mouse import picture_xy, watch_mouse
from .playground_render import (PlaygroundRenderer, neuron_label, playground_alt, plot_playground,
                                show_playground)

__all__ = [
    "LEARNING_RATES", "REGULARIZATION_RATES", "Playground", "playground",
    # re-exported from course_lib.playground and .playground_render (their former home)
    "FEATURES", "PLAYGROUND_DATASETS", "PlaygroundState", "PlaygroundRenderer",
    "plot_playground", "show_playground",
]

#: the TensorFlow Playground's learning-rate and regularization-rate menus
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)

LOSS_LABELS = {"bce": "binary cross-entropy", "cross_entropy": "cross-entropy (softmax)",
               "mse": "mean squared error"}


# =========================================================================================
# The widget
# =========================================================================================

class Playground:
    """The playground widget: ``Playground().widget`` is what the notebook displays.

    Controls call the state's setters; *play* starts a background thread that trains
    ``epochs per frame`` epochs, redraws and repeats until *pause*. Every callback is a
    method, so tests can click buttons by calling ``on_play()``, ``on_step()`` etc.
    """

    def __init__(self, state=None, max_fps=20.0, diagram=True, **state_kwargs):
        import ipywidgets as W

        from .image import DescribedImage

        self.state = state if state is not None else PlaygroundState(**state_kwargs)
        self.renderer = PlaygroundRenderer(diagram=diagram, titles=False)   # the label has them
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
        datasets = [(v, k) for k, v in PLAYGROUND_DATASETS.items()]
        if s._own is not None:
            datasets.insert(0, ("your data", "custom"))
        self.dataset = tag(W.Dropdown(options=datasets, value=s.dataset, description="data set", style=style,
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
        width, height = self.renderer.size_px
        self.image = tag(DescribedImage(playground_alt(diagram), format="jpeg",
                                        layout=W.Layout(width=f"{width}px", height=f"{height}px")), "image")
        # -- looking inside: gradients on the links, one neuron's numbers, the run as code ----
        self.gradients = tag(W.ToggleButton(value=False, description="show gradients",
                                            tooltip="colour the links by dL/dw of the last step",
                                            layout=W.Layout(width="140px")), "gradients")
        self.inspect = tag(W.Dropdown(options=self._neuron_options(), value=None,
                                      description="inspect neuron", style=style,
                                      layout=W.Layout(width="300px")), "inspect")
        self.neuron_info = tag(W.HTML(value=""), "neuron-info")
        self.code_button = tag(W.Button(description="show code", icon="code",
                                        layout=W.Layout(width="120px")), "code-button")
        self.code = tag(W.HTML(value=""), "code")
        # a click on a neuron of the diagram inspects it, as choosing it in the menu does
        self.clicks = watch_mouse(self.image, self.on_mouse)

        # -- wiring -------------------------------------------------------------------------
        self.play_button.on_click(lambda _: self.on_play())
        self.pause_button.on_click(lambda _: self.on_pause())
        self.step_button.on_click(lambda _: self.on_step())
        self.reset_button.on_click(lambda _: self.on_reset())
        self.regenerate_button.on_click(lambda _: self.on_regenerate())
        self.code_button.on_click(lambda _: self.on_code())
        self.gradients.observe(lambda change: self.on_gradients(change["new"]), names="value")
        self.inspect.observe(lambda change: self.on_inspect(change["new"]), names="value")
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
        inside = W.HBox([self.gradients, self.inspect, self.code_button],
                        layout=W.Layout(align_items="center"))
        self.widget = W.VBox([run, self.image, inside, self.neuron_info,
                              W.HBox([left, middle, right]), self.code])
        self.widget.add_class("playground")
        self._sync_controls()
        self.redraw()

    # ---------------------------------------------------------------- helpers
    @staticmethod
    def _nearest(value, choices):
        return min(choices, key=lambda c: abs(np.log10(c + 1e-12) - np.log10(value + 1e-12)))

    def _loss_options(self):
        return [(LOSS_LABELS[k], k) for k in self.state.loss_choices()]

    def _neuron_options(self):
        """(label, (layer, unit)) for every hidden and output neuron."""
        s = self.state
        return [("-", None)] + [(neuron_label(s, layer, unit), (layer, unit))
                                for layer, n in enumerate(s.sizes[1:]) for unit in range(n)]

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
                box.disabled = s.input_dim == 1 and f in NEEDS_X2
            options = self._neuron_options()
            if [v for _, v in self.inspect.options] != [v for _, v in options]:
                self.inspect.options = options
                self.inspect.value = None
                self.renderer.selected = None
        finally:
            self._syncing = False

    # ---------------------------------------------------------------- actions
    @property
    def playing(self):
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def redraw(self):
        """Render the state into the image and the epoch counter: a 1x picture while it
        plays (fast), a 2x picture when it stands still (crisp on a high-DPI screen)."""
        scale = 1 if self.playing else 2
        with self.lock, DRAW_LOCK:
            snap = self.renderer.snapshot(self.state)
            picture = self.renderer.jpeg(self.state, snap, scale=scale)
            summary = self.state.summary()
            info = self.neuron_text()
        self.image.value = picture
        self.epoch_label.value = summary
        if info != self.neuron_info.value:
            self.neuron_info.value = info
        self.frames += 1

    def neuron_text(self):
        """The inspected neuron's incoming weights and bias (and their last gradients), as HTML."""
        chosen = self.renderer.selected
        if chosen is None:
            return ""
        d = self.state.incoming(*chosen)
        rows = "".join(f"<tr><td>{name}</td><td>{w:+.4f}</td><td>{g:+.2e}</td></tr>"
                       for name, w, g in zip(d["sources"], d["weights"], d["weight_gradients"]))
        rows += f"<tr><td><i>bias</i></td><td>{d['bias']:+.4f}</td><td>{d['bias_gradient']:+.2e}</td></tr>"
        return (f"<div class='playground-neuron-table'><b>{neuron_label(self.state, *chosen)}</b>"
                "<table style='font-family:monospace;font-size:12px'>"
                "<tr><th>from</th><th>weight</th><th>dL/dw (last step)</th></tr>"
                f"{rows}</table></div>")

    def on_gradients(self, show):
        """Colour the links by dL/dw of the last step (True) or by the weights (False)."""
        self.renderer.show_gradients = bool(show)
        self.redraw()

    def on_inspect(self, neuron):
        """Outline ``neuron`` = (layer, unit) and show its numbers (None: none)."""
        if self._syncing:
            return
        self.renderer.selected = neuron
        self.redraw()

    def on_mouse(self, event):
        """A click on the picture (ipyevents' event dict): ``on_click`` at its pixel."""
        point = picture_xy(event, *self.renderer.size_px)
        if point is not None:
            self.on_click(*point)

    def on_click(self, px, py):
        """A click at pixel ``(px, py)`` of the picture: inspect the neuron drawn there (a
        click beside the neurons clears the choice)."""
        neuron = self.renderer.neuron_at(px, py)
        if neuron not in [value for _, value in self.inspect.options]:
            neuron = None
        self.inspect.value = neuron

    def on_code(self):
        """Show the course_lib code that reproduces the current run."""
        import html

        with self.lock:
            code = self.state.to_code()
        self.code.value = f"<pre class='playground-code-text'>{html.escape(code)}</pre>"

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
        self._show_running(True)
        self._thread = threading.Thread(target=self._run, name="playground", daemon=True)
        self._thread.start()

    def on_pause(self):
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)
        self._thread = None
        self._show_running(False)
        if thread is not None:
            self.redraw()                   # the last frame again, now as a crisp still picture

    def _show_running(self, running):
        """The buttons say whether it plays: a greyed "playing" button and an orange pause
        while it runs; a green "play" while it stands still."""
        play, pause = self.play_button, self.pause_button
        play.description, play.disabled = ("playing", True) if running else ("play", False)
        play.button_style = "" if running else "success"
        pause.button_style = "warning" if running else ""

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
            self._show_running(False)

    def _repr_mimebundle_(self, **kwargs):
        """Shown as its widget when it is the last line of a cell."""
        return self.widget._repr_mimebundle_(**kwargs)


def playground(state=None, **state_kwargs):
    """Build the playground widget: ``playground(dataset="moons", hidden=(8, 8))``.

    Returns the ``Playground``; displaying it (last line of a cell) shows the widget.
    Keyword arguments go to ``PlaygroundState``.
    """
    return Playground(state=state, **state_kwargs)
