"""Lesson 09's playground: pictures of a ``PlaygroundState`` (presentation floor).

``PlaygroundRenderer`` draws a state with matplotlib's object-oriented API (``Figure``, no
pyplot): the output surface as a heatmap with the train (filled) and test (ringed) points,
and the train and test loss curves. Artists are built once and only their data change, so a
redraw is a few tens of milliseconds. ``png(state)`` returns PNG bytes for an
``ipywidgets.Image``. ``plot_playground`` and ``show_playground`` give a static picture for a
notebook.

The state itself lives in the core (``course_lib.playground``); the widget that trains and
redraws it live is ``course_lib.widgets.playground``.
"""
import io

import numpy as np

from ..plots import figure_png

__all__ = ["PlaygroundRenderer", "plot_playground", "show_playground"]


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
