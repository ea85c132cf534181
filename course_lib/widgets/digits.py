"""Lesson 10: looking inside the digits network (presentation floor).

    plot_first_layer_weights(model)    each hidden unit's 64 incoming weights as an 8x8 image
    perturb_digit(image, noise, dr, dc, seed)
                                       a test digit with Gaussian noise and/or shifted
    digit_probabilities(model, image, standardize)
                                       the network's 10 class probabilities for one image
    digit_view(...)                    the perturbed digit and its probabilities (a Figure)
    digit_widget(model, X, y, standardize)
                                       pick a test digit, add noise or shift it, and watch
                                       the probabilities change

Every control calls ``digit_view``, a plain function, so tests need no browser.
"""
import numpy as np
from matplotlib.figure import Figure

from ..activations import softmax
from ..datasets import shift_images
from ..layers import Dense
from ..plots import CLASS_COLORS, SCALE, figure_png

__all__ = ["plot_first_layer_weights", "perturb_digit", "digit_probabilities", "digit_view",
           "digit_widget"]


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
            ax.set_title(f"unit {k}", fontsize=7)
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


def digit_view(model, image, standardize=None, label=None, title=""):
    """The digit (left) and the network's probabilities (right): a Figure (no pyplot)."""
    p = digit_probabilities(model, image, standardize)
    fig = Figure(figsize=(7.2, 2.6), dpi=80)
    ax_img, ax_p = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 2.4]})
    ax_img.imshow(np.asarray(image).reshape(8, 8), cmap="gray_r", vmin=0, vmax=1,
                  interpolation="nearest")
    ax_img.axis("off")
    ax_img.set_title(title or (f"true digit {label}" if label is not None else "input"), fontsize=9)
    guess = int(np.argmax(p))
    colors = ["#b0b0b0"] * 10
    colors[guess] = CLASS_COLORS[0] if label is None or guess == label else CLASS_COLORS[1]
    ax_p.bar(np.arange(10), p, color=colors)
    ax_p.set_xticks(np.arange(10))
    ax_p.set_ylim(0, 1)
    ax_p.set_ylabel("probability", fontsize=8)
    ax_p.tick_params(labelsize=8)
    ax_p.set_title(f"the network reads {guess} (p = {p[guess]:.2f})", fontsize=9)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.12, top=0.86, wspace=0.25)
    return fig


def digit_widget(model, X, y, standardize=None):
    """Pick a digit of ``X`` (rows of 64 pixels in [0, 1]), add noise or shift it, and see
    the network's probabilities live. Returns the widget (display it)."""
    import ipywidgets as W

    index = W.IntSlider(value=0, min=0, max=len(X) - 1, description="test digit",
                        continuous_update=False)
    noise = W.FloatSlider(value=0.0, min=0.0, max=0.6, step=0.05, description="noise",
                          continuous_update=False)
    dr = W.IntSlider(value=0, min=-3, max=3, description="shift down", continuous_update=False)
    dc = W.IntSlider(value=0, min=-3, max=3, description="shift right", continuous_update=False)
    for control, name in ((index, "index"), (noise, "noise"), (dr, "dr"), (dc, "dc")):
        control.add_class(f"digits-{name}")
    image = W.Image(format="png", layout=W.Layout(width="576px"))
    image.add_class("digits-image")

    def update(_=None):
        k = index.value
        picture = perturb_digit(X[k], noise.value, dr.value, dc.value, seed=k)
        fig = digit_view(model, picture, standardize, label=int(y[k]))
        image.value = figure_png(fig, dpi=80 * SCALE)   # shown 80 px per inch, drawn at 2x

    for control in (index, noise, dr, dc):
        control.observe(update, names="value")
    update()
    box = W.VBox([W.HBox([index, noise]), W.HBox([dr, dc]), image])
    box.add_class("digits-widget")
    return box
