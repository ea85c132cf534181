"""Lesson 10: looking inside the digits network (presentation floor).

    plot_first_layer_weights(model)    each hidden unit's 64 incoming weights as an 8x8 image
    perturb_digit(image, noise, dr, dc, seed)
                                       a test digit with Gaussian noise and/or shifted
    digit_probabilities(model, image, standardize)
                                       the network's 10 class probabilities for one image
    digit_view(...)                    the perturbed digit and its probabilities (a Figure)
    paint(image, row, col, ink)        the digit with one touch of the pen (or the eraser)
    pad_png(image), pad_cell(px, py)   the drawing pad's picture, and the pixel under a click
    digit_widget(model, X, y, standardize)
                                       pick a test digit, add noise or shift it, or draw one
                                       with the mouse, and watch the probabilities change

Every control calls these plain functions, so tests need no browser.
"""
import time

import numpy as np
from matplotlib.figure import Figure

from ..activations import softmax
from ..datasets import shift_images
from ..layers import Dense
from ..plots import CLASS_COLORS, SCALE, figure_png, png_bytes
from .mouse import picture_xy, watch_mouse

__all__ = ["plot_first_layer_weights", "perturb_digit", "digit_probabilities", "digit_view",
           "paint", "pad_png", "pad_cell", "DigitWidget", "digit_widget"]

#: the drawing pad: CSS pixels per digit pixel (its picture has SCALE times as many)
PAD_CELL = 28
PAD_SIDE = 8 * PAD_CELL * SCALE     # pixels of the pad's picture, per side


def plot_first_layer_weights(model, n_units=32, n_cols=8, size=1.0, title=None):
    """The first Dense layer's weights ``W[:, j]`` (64 per hidden unit j) as 8x8 images.

    Red: a pixel with ink there raises the unit's weighted sum ``z_j``; blue: lowers it.
    One symmetric colour scale for all units, so their strengths compare. Returns the
    (pyplot) Figure of units 0 .. n_units - 1.
    """
    import matplotlib.pyplot as plt

    first = next(layer for layer in model.layers if isinstance(layer, Dense))
    if first.n_in != 64:
        raise ValueError(f"the first Dense layer takes {first.n_in} inputs, not the 64 pixels of an 8x8 digit")
    n = min(int(n_units), first.n_out)
    W = first.W[:, :n]
    limit = float(np.max(np.abs(W))) or 1.0
    n_rows = -(-n // n_cols)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(size * n_cols + 0.9, size * n_rows + 0.5),
                             squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if k < n:
            im = ax.imshow(W[:, k].reshape(8, 8), cmap="RdBu_r", vmin=-limit, vmax=limit,
                           interpolation="nearest")
            ax.set_title(f"unit {k}", fontsize=8)
    fig.colorbar(im, ax=axes.ravel().tolist(), shrink=0.8, label="weight")
    if title:
        fig.suptitle(title)
    return fig


def perturb_digit(image, noise=0.0, dr=0, dc=0, seed=0):
    """An 8x8 digit (64 values in [0, 1]) shifted by ``dr`` rows and ``dc`` columns (zeros
    come in at the border) and with Gaussian noise of standard deviation ``noise`` added
    (seeded), clipped back to [0, 1]."""
    image = np.asarray(image, dtype=float).reshape(1, 64)
    out = shift_images(image, int(dr), int(dc))[0]
    if noise > 0:
        out = out + float(noise) * np.random.default_rng(seed).standard_normal(64)
    return np.clip(out, 0.0, 1.0)


def digit_probabilities(model, image, standardize=None):
    """The softmax of the network's 10 logits for one image (64 values): shape (10,)."""
    x = np.asarray(image, dtype=float).reshape(1, 64)
    if standardize is not None:
        x = standardize(x)
    return softmax(model.predict(x), axis=1)[0]


def digit_view(model, image, standardize=None, label=None, title="", show_input=True):
    """The digit (left; left out with ``show_input=False``) and the network's probabilities
    (right): a Figure (no pyplot)."""
    p = digit_probabilities(model, image, standardize)
    if show_input:
        fig = Figure(figsize=(7.2, 2.6), dpi=80)
        ax_img, ax_p = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 2.4]})
        ax_img.imshow(np.asarray(image).reshape(8, 8), cmap="gray_r", vmin=0, vmax=1,
                      interpolation="nearest")
        ax_img.axis("off")
        ax_img.set_title(title or (f"true digit {label}" if label is not None else "input"), fontsize=9)
    else:
        fig = Figure(figsize=(6.0, 2.9), dpi=80)
        ax_p = fig.subplots()
    guess = int(np.argmax(p))
    colors = ["#b0b0b0"] * 10
    colors[guess] = CLASS_COLORS[0] if label is None or guess == label else CLASS_COLORS[1]
    ax_p.bar(np.arange(10), p, color=colors)
    ax_p.set_xticks(np.arange(10))
    ax_p.set_ylim(0, 1)
    ax_p.set_ylabel("probability", fontsize=10)
    ax_p.tick_params(labelsize=9.5)             # >= 10 px at 80 px per inch
    ax_p.set_title(network_reads(p), fontsize=11)
    fig.subplots_adjust(left=0.03 if show_input else 0.12, right=0.98, bottom=0.12, top=0.86, wspace=0.25)
    return fig


def network_reads(p):
    """The probabilities' title: the digit the network reads, and its probability."""
    guess = int(np.argmax(p))
    return f"the network reads {guess} (p = {p[guess]:.2f})"


def paint(image, row, col, ink=1.0):
    """The 8x8 digit ``image`` (64 values in [0, 1]) after one touch of the pen at pixel
    (``row``, ``col``): that pixel gets ``ink``, its four neighbours half of it (the data
    set's strokes are soft), and no pixel gets lighter. ``ink=0`` is the eraser: it clears
    that one pixel. Returns a new array of 64 values."""
    out = np.array(image, dtype=float).reshape(8, 8)
    if not (0 <= row < 8 and 0 <= col < 8):
        raise ValueError(f"pixel ({row}, {col}) is outside the 8x8 digit")
    if ink <= 0:
        out[row, col] = 0.0
        return out.ravel()
    for dr, dc, share in ((0, 0, 1.0), (-1, 0, 0.5), (1, 0, 0.5), (0, -1, 0.5), (0, 1, 0.5)):
        r, c = row + dr, col + dc
        if 0 <= r < 8 and 0 <= c < 8:
            out[r, c] = max(out[r, c], min(float(ink), 1.0) * share)
    return out.ravel()


def pad_cell(px, py, cell=PAD_CELL * SCALE):
    """The digit pixel ``(row, col)`` under picture pixel ``(px, py)`` of the pad (counted
    from its top-left corner), or None beside it."""
    row, col = int(py // cell), int(px // cell)        # (a negative px or py floors below 0)
    return (row, col) if 0 <= row < 8 and 0 <= col < 8 else None


def pad_png(image, cell=PAD_CELL * SCALE):
    """The drawing pad: the digit as 8x8 grey squares of ``cell`` pixels (ink dark), with
    thin lines between them. PNG bytes, drawn without matplotlib (fast enough for strokes)."""
    grey = np.round(255 * (1 - np.clip(np.asarray(image, dtype=float).reshape(8, 8), 0, 1)))
    big = np.kron(grey, np.ones((cell, cell))).astype(np.uint8)
    big[::cell, :] = np.minimum(big[::cell, :], 200)         # grid lines
    big[:, ::cell] = np.minimum(big[:, ::cell], 200)
    big[-1, :] = big[:, -1] = 120                             # the border
    big[0, :] = big[:, 0] = 120
    rgba = np.dstack([big, big, big, np.full_like(big, 255)])
    return png_bytes(rgba)


class DigitWidget:
    """Pick a digit of ``X`` (rows of 64 pixels in [0, 1]), add noise or shift it, or draw on
    it with the mouse (pen or eraser; "clear" starts from an empty pad), and see the network's
    probabilities live. Display it (or its ``widget``); its ``on_...`` methods are what the
    controls call, so tests drive it without a browser."""

    def __init__(self, model, X, y, standardize=None):
        import ipywidgets as W

        from .image import DescribedImage

        self.model, self.X, self.y, self.standardize = model, X, y, standardize
        self.index = W.IntSlider(value=0, min=0, max=len(X) - 1, description="test digit",
                                 continuous_update=False)
        self.noise = W.FloatSlider(value=0.0, min=0.0, max=0.6, step=0.05, description="noise",
                                   continuous_update=False)
        self.dr = W.IntSlider(value=0, min=-3, max=3, description="shift down", continuous_update=False)
        self.dc = W.IntSlider(value=0, min=-3, max=3, description="shift right", continuous_update=False)
        self.tool = W.ToggleButtons(options=["pen", "eraser"], value="pen", description="draw with",
                                    style={"button_width": "70px", "description_width": "initial"})
        self.clear = W.Button(description="clear", icon="eraser", layout=W.Layout(width="90px"))
        side = f"{8 * PAD_CELL}px"
        self.pad = DescribedImage("The digit, 8 by 8 pixels: draw on it with the mouse (pen or eraser).",
                                  format="png", layout=W.Layout(width=side, height=side))
        self.caption = W.HTML()
        self.image = DescribedImage("", format="png", layout=W.Layout(width="480px"))
        for name in ("index", "noise", "dr", "dc", "tool", "clear", "pad", "caption", "image"):
            getattr(self, name).add_class(f"digits-{name}")
        self.digit, self.label, self._drawn_at = None, None, 0.0

        for control in (self.index, self.noise, self.dr, self.dc):
            control.observe(lambda _: self.on_pick(), names="value")
        self.clear.on_click(lambda _: self.on_clear())
        watch_mouse(self.pad, self.on_stroke, events=("mousedown", "mouseup"))
        watch_mouse(self.pad, self.on_stroke, events=("mousemove",), throttle_ms=30)
        self.widget = W.VBox([
            W.HBox([self.index, self.noise]), W.HBox([self.dr, self.dc]),
            W.HBox([self.tool, self.clear]),
            W.HBox([W.VBox([self.caption, self.pad]), self.image],
                   layout=W.Layout(align_items="flex-end"))])
        self.widget.add_class("digits-widget")
        self.on_pick()

    def _show_probabilities(self):
        fig = digit_view(self.model, self.digit, self.standardize, label=self.label, show_input=False)
        self.image.value = figure_png(fig, dpi=80 * SCALE)   # shown 80 px per inch, drawn at 2x
        p = digit_probabilities(self.model, self.digit, self.standardize)
        self.image.alt = f"Bars: the network's probability for each digit, 0 to 9; {network_reads(p)}."
        self._drawn_at = time.perf_counter()

    def _show(self, digit, label, caption):
        self.digit, self.label = digit, label
        self.pad.value = pad_png(digit)
        self.caption.value = f"<b>{caption}</b>"
        self._show_probabilities()

    def on_pick(self):
        """The chosen test digit, shifted and with noise as the sliders say."""
        k = self.index.value
        label = int(self.y[k])
        self._show(perturb_digit(self.X[k], self.noise.value, self.dr.value, self.dc.value, seed=k),
                   label, f"test digit {k}: a {label} (draw on it)")

    def on_clear(self):
        self._show(np.zeros(64), None, "empty: draw a digit")

    def on_stroke(self, event):
        """A mouse event on the pad (ipyevents' dict): a press, or a move with the left
        button held, is one touch of the pen or eraser at the pixel under it."""
        if event.get("type") == "mouseup":
            self._show_probabilities()                  # the stroke's last state
            return
        if event.get("type") == "mousemove" and not event.get("buttons", 0) & 1:
            return
        point = picture_xy(event, PAD_SIDE, PAD_SIDE)
        cell = None if point is None else pad_cell(*point)
        if cell is None:
            return
        digit = paint(self.digit, *cell, ink=1.0 if self.tool.value == "pen" else 0.0)
        if np.array_equal(digit, self.digit):
            return
        self.digit, self.label = digit, None
        self.pad.value = pad_png(digit)
        self.caption.value = "<b>your drawing</b>"
        # the bars follow a press at once, and a drag at most ~6 times a second
        if event.get("type") == "mousedown" or time.perf_counter() - self._drawn_at > 0.15:
            self._show_probabilities()

    def _repr_mimebundle_(self, **kwargs):
        """Shown as its widget when it is the last line of a cell."""
        return self.widget._repr_mimebundle_(**kwargs)


def digit_widget(model, X, y, standardize=None):
    """A ``DigitWidget`` (see there): display it."""
    return DigitWidget(model, X, y, standardize)
