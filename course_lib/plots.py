"""Pictures the lessons draw. Each function returns the matplotlib ``Axes`` (or ``Figure``)
it drew on, and takes an ``ax`` to draw into an existing figure.

The widgets show PNGs in an ``ipywidgets.Image``: ``figure_png`` draws a figure at
``CSS_DPI`` CSS pixels per inch times ``SCALE`` (2: crisp on high-DPI screens), and the
widget sets the Image's width to the CSS size (``css_width``). Lessons show their figures
with ``show``, at the same size, with a sentence saying what each shows. ``RedrawnFigure`` makes a
widget's redraw cheap: the figure's unchanging parts are drawn once, and each update draws
only the artists that change over that saved background.
"""
import struct
import threading
import zlib

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from .activations import get_activation

#: One colour per class (and per series of a chart), in this order: blue, red, amber, cyan,
#: brown, reddish purple, orange, bluish green, pink, vermilion. Chosen so that the first
#: ones stay apart for colour-blind eyes too (tests/test_plots.py simulates protanopia,
#: deuteranopia and tritanopia); classes also differ by marker shape (``CLASS_MARKERS``).
CLASS_COLORS = ["#1f77b4", "#d62728", "#ffbf00", "#17becf", "#8c564b",
                "#cc79a7", "#ff7f0e", "#009e73", "#fb9a99", "#d55e00"]
CSS_DPI = 100      # CSS pixels per figure inch, widgets and lesson figures: 8 pt text is 11 px
SCALE = 2          # device pixels per CSS pixel of a PNG the course shows (high-DPI screens)
#: CSS pixels across a JupyterLab 4 output in a 1400 px wide window with the file browser
#: open (measured in Chromium): a wider picture is shrunk to fit, and its text with it.
OUTPUT_WIDTH = 968
#: The smallest text a picture of the course shows, in CSS pixels where it is shown.
MIN_TEXT_PX = 10
#: Matplotlib is not thread-safe (its text layout shares one cached mathtext parser): widgets
#: draw in background threads, so every widget picture is drawn while holding this lock.
DRAW_LOCK = threading.RLock()


def use_course_style():
    """Make ``CLASS_COLORS`` matplotlib's colour cycle: every figure a lesson draws without
    naming its colours then uses colours that stay apart for colour-blind eyes too (the
    default cycle's red and green do not). Each lesson calls it once, after its imports."""
    from cycler import cycler

    plt.rcParams["axes.prop_cycle"] = cycler(color=CLASS_COLORS)


def show(alt, fig=None, css_dpi=CSS_DPI):
    """Show ``fig`` (pyplot's current figure by default) under the cell, as ``plt.show()``
    does, with ``alt``: what the figure shows, in words, for readers who cannot see it.

    ``alt`` is the output's ``text/plain`` (shown where the picture is not; VS Code makes it
    the picture's ``alt``) and the picture's ``alt`` metadata (as ``IPython.display.Image(alt=)``
    stores it; nbconvert's classic HTML export writes it as the ``alt``). JupyterLab 4 shows
    image outputs without an ``alt``. Outside IPython (a script) this is ``plt.show()``.

    The picture is shown at ``css_dpi`` CSS pixels per figure inch, drawn with ``SCALE``
    device pixels per CSS pixel (crisp on high-DPI screens) and cropped to what is drawn. A
    figure wider than JupyterLab's output (``OUTPUT_WIDTH``), which would be shrunk with its
    text, or with text under ``MIN_TEXT_PX``, is shown with a warning that says what to change.
    """
    import base64
    import warnings

    from IPython import get_ipython
    from IPython.core.pylabtools import print_figure
    from IPython.display import publish_display_data

    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"show: alt must be a sentence saying what the figure shows, got {alt!r}")
    fig = plt.gcf() if fig is None else fig
    if get_ipython() is None:
        plt.show()
        return
    png = print_figure(fig, "png", bbox_inches="tight", dpi=css_dpi * SCALE)
    if png is None:                                 # IPython draws nothing for an empty figure
        plt.close(fig)
        return
    width, height = struct.unpack(">II", png[16:24])           # from the PNG's IHDR chunk
    shown_width, shown_height = round(width / SCALE), round(height / SCALE)   # CSS pixels
    px, text = smallest_text(fig, css_dpi)
    if shown_width > OUTPUT_WIDTH:
        warnings.warn(f"plots.show: the figure is {shown_width} px wide; JupyterLab's output is "
                      f"{OUTPUT_WIDTH} px and shrinks it, its text with it: make the figure at "
                      f"most {OUTPUT_WIDTH / css_dpi:.2f} inches wide (more panels on more rows)",
                      stacklevel=2)
    elif px < MIN_TEXT_PX:
        warnings.warn(f"plots.show: the text {text!r} is {px:.1f} px high, under {MIN_TEXT_PX} px: "
                      f"make it at least {MIN_TEXT_PX * 72 / css_dpi:.1f} points", stacklevel=2)
    publish_display_data(
        {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": alt},
        {"image/png": {"alt": alt, "width": shown_width, "height": shown_height}})
    plt.close(fig)


def smallest_text(fig, css_px_per_inch=CSS_DPI):
    """``(px, text)``: the smallest visible text of a drawn ``fig``, in CSS pixels when the
    figure is shown at ``css_px_per_inch`` (a text of ``s`` points is ``s * css_px_per_inch / 72``
    pixels high). Draw the figure first: tick labels are made when it is drawn."""
    sizes = [(t.get_fontsize() * css_px_per_inch / 72, t.get_text())
             for t in _visible_texts(fig) if t.get_text().strip()]
    return min(sizes, default=(float("inf"), ""))


def _visible_texts(artist):
    """The ``Text`` artists under ``artist`` that are drawn: none under a hidden parent."""
    if not artist.get_visible():
        return
    if isinstance(artist, Text):
        yield artist
    for child in artist.get_children():
        yield from _visible_texts(child)


def css_width(fig):
    """The width in CSS pixels at which a widget shows ``fig`` (its ``Image`` width)."""
    return int(round(fig.get_figwidth() * CSS_DPI))


def png_bytes(rgba):
    """Encode an image array ``(height, width, 4)`` (RGBA) or ``(height, width, 3)`` (RGB) of
    uint8 as an opaque PNG: RGBA stays RGBA with every alpha set to 255 (the widgets' figures
    are opaque), which spares a slow copy of every pixel without its alpha byte.

    A plain PNG writer: each row filtered with "Up" (its difference to the row above, which
    is mostly zero in a figure), then zlib at level 1. Several times faster than
    matplotlib's ``savefig``, which matters for a widget that redraws while a slider is
    dragged.
    """
    a = np.asarray(rgba, dtype=np.uint8)
    h, w, channels = a.shape
    a = a.reshape(h, w * channels)
    rows = np.empty((h, 1 + w * channels), dtype=np.uint8)
    pixels = rows[:, 1:]
    rows[:, 0] = 2                                     # filter type 2: Up
    rows[0, 0] = 0                                     # the first row: none
    pixels[0] = a[0]
    np.subtract(a[1:], a[:-1], out=pixels[1:])         # uint8: wraps modulo 256, as PNG wants
    if channels == 4:
        pixels[0, 3::4] = 255                          # opaque: alpha 255 in the first row,
        pixels[1:, 3::4] = 0                           # and no change below it

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    color_type = {3: 2, 4: 6}[channels]                # PNG colour types: 2 RGB, 6 RGBA
    header = struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0)   # 8 bits, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.data, 1)) + chunk(b"IEND", b""))


def _agg(fig):
    if fig.canvas is None or not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    return fig.canvas


def figure_png(fig, dpi=CSS_DPI * SCALE):
    """The PNG bytes of a matplotlib ``Figure`` (what an ``ipywidgets.Image`` shows).

    Draws on the Agg canvas, not through pyplot, so widgets may call it from a thread. The
    default ``dpi`` gives ``SCALE`` device pixels per CSS pixel of ``css_width(fig)``.
    """
    canvas = _agg(fig)
    old = fig.dpi
    fig.set_dpi(dpi)
    try:
        canvas.draw()
        return png_bytes(canvas.buffer_rgba())
    finally:
        fig.set_dpi(old)


class RedrawnFigure:
    """A widget's figure that redraws cheaply (blitting on the Agg canvas).

    Build the figure, then name its changing artists with ``changing(...)`` in the order
    they are drawn. The first ``png()`` draws everything else once and keeps that
    background; every later ``png()`` restores it and draws only the changing artists, so
    an update costs the changing artists plus the PNG encoding. The unchanging parts
    (axes, ticks, labels, fixed curves) must not change afterwards: fix their limits.
    Artists on 3-D axes are projected again before they are drawn. ``png(dpi=...)`` draws
    at another resolution (e.g. 1x while a slider is dragged); each resolution keeps its
    own background.
    """

    def __init__(self, fig, dpi=CSS_DPI * SCALE):
        self.figure = fig
        self.canvas = _agg(fig)
        self.dpi = dpi
        fig.set_dpi(dpi)
        self._changing = []
        self._backgrounds = {}          # dpi -> the unchanging parts, drawn once at that dpi

    def changing(self, *artists, first=False):
        """Add artists to redraw on every update: after those named before, or with
        ``first=True`` before them (underneath). Returns the artist (or the tuple)."""
        if first:
            self._changing[:0] = artists
        else:
            self._changing.extend(artists)
        return artists[0] if len(artists) == 1 else artists

    def forget(self, *artists):
        """Remove changing artists from the figure (e.g. the old decision regions)."""
        for a in artists:
            self._changing.remove(a)
            a.remove()

    def replace(self, old, new):
        """Swap a changing artist for a new one (e.g. a surface drawn again); removes ``old``."""
        self._changing[self._changing.index(old)] = new
        old.remove()
        return new

    def png(self, dpi=None):
        """The PNG bytes of the figure as it is now, at ``dpi`` (default: the one it was made with)."""
        with DRAW_LOCK:
            return self._png(self.dpi if dpi is None else dpi)

    def _png(self, dpi):
        canvas = self.canvas
        if self.figure.dpi != dpi:
            self.figure.set_dpi(dpi)
        if dpi not in self._backgrounds:
            shown = [a.get_visible() for a in self._changing]
            for a in self._changing:
                a.set_visible(False)
            canvas.draw()
            self._backgrounds[dpi] = canvas.copy_from_bbox(self.figure.bbox)
            for a, visible in zip(self._changing, shown):
                a.set_visible(visible)
        canvas.restore_region(self._backgrounds[dpi])
        renderer = canvas.get_renderer()
        for a in self._changing:
            if not a.get_visible():
                continue
            if hasattr(a, "do_3d_projection"):
                a.do_3d_projection()
            a.draw(renderer)
        return png_bytes(canvas.buffer_rgba())


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


def panel_grid(n, n_cols=3, panel_size=(3.2, 3.0)):
    """A figure of ``n`` panels, ``n_cols`` a row (3 of 3.2 inches fit the width of a
    notebook's output, ``OUTPUT_WIDTH``), each ``panel_size`` inches; the cells of the last
    row left over are removed. Returns ``(fig, axes)``, ``axes`` a list of ``n`` Axes."""
    n_cols = max(1, min(int(n_cols), n))
    n_rows = -(-n // n_cols)
    fig, grid = plt.subplots(n_rows, n_cols, figsize=(panel_size[0] * n_cols, panel_size[1] * n_rows),
                             squeeze=False)
    for ax in grid.ravel()[n:]:
        fig.delaxes(ax)
    return fig, list(grid.ravel()[:n])


def plot_activations(names=("sigmoid", "tanh", "relu", "leaky_relu", "elu"), z=None, n_cols=3):
    """One panel per activation, each with its derivative, ``n_cols`` panels a row.
    Returns the Figure."""
    fig, axes = panel_grid(len(names), n_cols)
    for name, ax in zip(names, axes):
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


CLASS_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<"]   # a second cue besides colour


def plot_data(X, y, ax=None, marker=None, alpha=1.0, label_prefix="class ", s=25):
    """Scatter 2-D points coloured by integer label (``s``: marker size).

    Each class also has its own marker shape (``CLASS_MARKERS``: circles, squares, ...), so
    the classes differ without colour too; ``marker`` gives every class the same one.
    """
    ax = _axes(ax)
    y = np.asarray(y).reshape(-1)
    for k in np.unique(y.astype(int)):
        pts = X[y.astype(int) == k]
        shape = marker or CLASS_MARKERS[k % len(CLASS_MARKERS)]
        ax.scatter(pts[:, 0], pts[:, 1], s=s, marker=shape, alpha=alpha,
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


def plot_decision_boundary(model, X, y, ax=None, resolution=100, title=None, point_size=25):
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
    plot_data(X, y, ax=ax, s=point_size)
    if title:
        ax.set_title(title)
    return ax


def plot_surface_paths(surface, paths, ax=None, levels=20, title=None, start_marker=True):
    """Contours of a 2-D ``surface`` (``course_lib.surfaces``) and optimizer paths on top.

    ``paths`` is one array ``(k, 2)`` or a dict label -> array. Each path is drawn as dots
    joined by lines, so the size of every step shows; the minimum is a black star.
    """
    ax = _axes(ax, (6, 4))
    x0, x1, y0, y1 = surface.extent
    xx, yy, zz = surface.grid(150)
    lv = np.geomspace(max(float(zz.min()), 1e-3), float(zz.max()), levels)
    ax.contour(xx, yy, zz, levels=lv, cmap="viridis", linewidths=0.7, alpha=0.8)
    if not isinstance(paths, dict):
        paths = {"": paths}
    for i, (label, path) in enumerate(paths.items()):
        path = np.asarray(path)
        color = CLASS_COLORS[i % len(CLASS_COLORS)] if len(paths) > 1 else "#d62728"
        ax.plot(path[:, 0], path[:, 1], "-o", ms=2.5, lw=1.2, color=color, label=label or None)
        if start_marker:
            ax.plot(path[0, 0], path[0, 1], "s", ms=6, color=color)
    ax.plot(*surface.minimum, "k*", ms=10)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    if any(paths):
        ax.legend(fontsize=8, loc="upper right")
    if title:
        ax.set_title(title)
    return ax


def plot_gradient_norms(norms, ax=None, labels=None, title="gradient norm per layer"):
    """Bar chart (log scale) of one gradient norm per layer, input side on the left.

    ``norms`` is one sequence, or a dict label -> sequence for grouped bars.
    """
    ax = _axes(ax, (6, 3.5))
    groups = norms if isinstance(norms, dict) else {"": norms}
    k = len(groups)
    width = 0.8 / k
    n_layers = max(len(v) for v in groups.values())
    for i, (label, values) in enumerate(groups.items()):
        values = np.asarray(values, dtype=float)
        x = np.arange(1, len(values) + 1) + (i - (k - 1) / 2) * width
        ax.bar(x, values, width=width, color=CLASS_COLORS[i % len(CLASS_COLORS)], label=label or None)
    ax.set_yscale("log")
    ax.set_xticks(np.arange(1, n_layers + 1))
    if labels is not None:
        ax.set_xticklabels(labels)
    ax.set_xlabel("layer (1 = next to the input)")
    ax.set_ylabel(r"$\|\partial L / \partial W\|$")
    if any(groups):
        lo, hi = ax.get_ylim()
        ax.set_ylim(lo, hi * (hi / lo) ** 0.25)  # head room for the legend above the bars
        ax.legend(fontsize=8, loc="upper center", ncol=k)
    ax.set_title(title)
    return ax


def plot_confusion_matrix(cm, ax=None, class_names=None, title="confusion matrix"):
    """Draw a confusion matrix (rows: true class, columns: predicted class) with its counts.

    ``cm`` comes from ``course_lib.metrics.confusion_matrix``. The diagonal (correct) is
    blue, shaded by the share of its row; mistakes are red, darker for more (five or more
    is the darkest), so even a single error stands out and two matrices compare.
    """
    cm = np.asarray(cm)
    n = cm.shape[0]
    names = [str(k) for k in range(n)] if class_names is None else [str(c) for c in class_names]
    ax = _axes(ax, (5, 4.5))
    rows = cm.sum(axis=1, keepdims=True)
    share = np.divide(cm, rows, out=np.zeros(cm.shape, dtype=float), where=rows > 0)
    diagonal = np.eye(n, dtype=bool)
    ax.imshow(np.ma.masked_where(~diagonal, share), cmap="Blues", vmin=0, vmax=1)
    mistakes = np.where(diagonal, 0, cm)
    if mistakes.max() > 0:
        ax.imshow(np.ma.masked_where(mistakes == 0, mistakes), cmap="Reds", vmin=-1, vmax=6)
    for i in range(n):
        for j in range(n):
            if cm[i, j]:
                dark = share[i, j] > 0.5 if i == j else False
                ax.text(j, i, f"{cm[i, j]:d}", ha="center", va="center", fontsize=8,
                        color="white" if dark else "black")
    ax.set_xticks(np.arange(n))
    ax.set_yticks(np.arange(n))
    ax.set_xticklabels(names)
    ax.set_yticklabels(names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    if title:
        ax.set_title(title)
    return ax


def plot_digit_grid(images, labels=None, predictions=None, n_cols=10, image_shape=(8, 8),
                    size=0.9, title=None):
    """Draw images (one per row of ``images``) in a grid. Returns the Figure.

    ``labels`` alone titles each image with its label; with ``predictions`` the title reads
    ``true -> predicted``, in red when they differ.
    """
    images = np.asarray(images, dtype=float).reshape((-1,) + tuple(image_shape))
    n = images.shape[0]
    n_cols = max(1, min(int(n_cols), n))
    n_rows = max(1, -(-n // n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(size * n_cols, (size + 0.35) * n_rows + 0.3),
                             squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if k >= n:
            continue
        ax.imshow(images[k], cmap="gray_r", interpolation="nearest")
        if predictions is not None and labels is not None:
            wrong = int(labels[k]) != int(predictions[k])
            ax.set_title(f"{int(labels[k])}\u2192{int(predictions[k])}", fontsize=9,
                         color="#d62728" if wrong else "black")
        elif labels is not None:
            ax.set_title(f"{int(labels[k])}", fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
