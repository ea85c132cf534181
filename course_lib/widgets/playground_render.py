"""Lesson 09's playground: pictures of a ``PlaygroundState`` (presentation floor).

``PlaygroundRenderer`` draws a state with matplotlib's object-oriented API (``Figure``, no
pyplot): the output surface as a heatmap with the train (filled) and test (ringed) points,
and the train and test loss curves. With ``diagram=True`` the network itself is drawn on
the left: every neuron as a small heatmap of its activation over the input plane
(``PlaygroundState.neuron_surfaces``), every link coloured by the sign of its weight (blue
positive, orange negative) and as thick as the weight is large, every bias (the output's
too) as a small square under its neuron. ``show_gradients=True`` colours the links and
biases by dL/dw of the last step instead (purple positive, green negative, grey where the
gradient is small next to the largest one). Artists are built once and only their data change, so a
redraw is a few tens of milliseconds. ``png(state)`` returns PNG bytes for an
``ipywidgets.Image``. ``plot_playground`` and ``show_playground`` give a static picture for a
notebook.

The state itself lives in the core (``course_lib.playground``); the widget that trains and
redraws it live is ``course_lib.widgets.playground``.
"""
import io

import numpy as np

from ..plots import CLASS_COLORS as PALETTE, CLASS_MARKERS

__all__ = ["PlaygroundRenderer", "plot_playground", "show_playground", "playground_alt", "neuron_label"]

WEIGHT_COLORS = ("#f28e2b", "#2f6fb0")      # negative, positive
GRADIENT_COLORS = ("#1a9850", "#8e44ad")    # negative, positive
QUIET = np.array([0.82, 0.82, 0.82])        # a link whose gradient is small next to the others
#: text sizes in points: at the widget's 80 pixels per inch, 9 pt is 10 CSS pixels
SMALL, LABEL, TITLE = 9, 9.5, 10


def _rgb(hex_color):
    return np.array([int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)])


def neuron_label(state, layer, unit):
    """``"hidden 1, unit 3"`` or ``"output, unit 1"`` (layer 0 is the first hidden layer)."""
    where = "output" if layer == len(state.hidden) else f"hidden {layer + 1}"
    return f"{where}, unit {unit + 1}"


def class_mix(probabilities, colors):
    """An RGB picture from class probabilities (..., K): each class's colour, weighted,
    lightened towards white where the network is unsure."""
    rgb = probabilities @ colors
    confidence = probabilities.max(axis=-1, keepdims=True)
    k = probabilities.shape[-1]
    strength = np.clip((confidence - 1.0 / k) / (1.0 - 1.0 / k), 0, 1) * 0.75
    return 1.0 - strength * (1.0 - rgb)


# =========================================================================================
# Rendering: matplotlib's object-oriented API, artists built once per reset
# =========================================================================================
CLASS_COLORS = ("#1f77b4", "#d62728")
#: training points are drawn edged in black, test points faint and without an edge: the
#: convention of lesson 08's pictures (training bold, held-out faint)
TRAIN_STYLE = dict(s=18, edgecolors="black", linewidths=0.6)
TEST_STYLE = dict(s=14, alpha=0.5, linewidths=0)


def _points_legend(ax):
    """A small legend that tells training points (edged) from test points (faint)."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], ls="", marker="o", markersize=4.5, color="0.55",
                      markeredgecolor="black", markeredgewidth=0.6, label="train"),
               Line2D([], [], ls="", marker="o", markersize=4, color="0.55", alpha=0.5,
                      markeredgewidth=0, label="test")]
    return ax.legend(handles=handles, loc="upper right", fontsize=SMALL, framealpha=0.85,
                     handletextpad=0.2, borderpad=0.3, labelspacing=0.2)


class PlaygroundRenderer:
    """Draws ``PlaygroundState`` pictures; reuse one renderer for fast redraws.

    With ``blit=True`` (the widget's setting) the parts that rarely change (axes, ticks,
    labels) are drawn once and kept as a background; each frame restores it and draws only
    the artists that change: the heatmap, the points, the curves and the titles. The loss
    axes' limits move in steps (the epoch axis doubles), so a full redraw is rare.
    """

    def __init__(self, figsize=None, dpi=80, resolution=40, blit=True, diagram=False,
                 neuron_resolution=16, titles=True):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.resolution = resolution
        self.neuron_resolution = neuron_resolution
        self.blit = blit
        self.diagram = diagram
        # the epoch and loss titles change every frame, and text is the slowest thing to draw:
        # the widget shows them in its own label instead (titles=False)
        self.titles = titles
        self.show_gradients = False     # links: weights (False) or dL/dw of the last step
        self.selected = None            # (layer, unit) of a neuron to outline, or None
        if figsize is None:
            figsize = (12.0, 3.6) if diagram else (7.6, 3.3)   # 960 px: fits a notebook output
        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.dpi = dpi                  # pixels per inch of a 1x picture (CSS pixels in the widget)
        self.canvas = FigureCanvasAgg(self.figure)
        self._version = None
        self._state_id = None
        self._background = None
        self._limits = None

    # -- building ------------------------------------------------------------------------
    def _build(self, state):
        fig = self.figure
        fig.clear()
        dynamic = []
        if self.diagram:
            ax_net, ax, ax_loss = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.9, 1.0, 1.15]})
            fig.subplots_adjust(left=0.01, right=0.985, bottom=0.14, top=0.88, wspace=0.22)
            dynamic += self._build_diagram(ax_net, state)
        else:
            ax, ax_loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.0, 1.15]})
            fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.88, wspace=0.28)
        self.ax, self.ax_loss = ax, ax_loss
        x0, x1, y0, y1 = state.extent
        self.n_classes = state.n_classes
        self.class_colors = np.array([_rgb(c) for c in PALETTE[:max(state.n_classes, 1)]])
        if state.task == "regression" and state.input_dim == 2:
            lo, hi = float(state.y.min()), float(state.y.max())
            self.value_range = (lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo))
            self.image = ax.imshow(np.zeros((2, 2)), extent=state.extent, origin="lower",
                                   cmap="RdBu_r", vmin=self.value_range[0], vmax=self.value_range[1],
                                   interpolation="bilinear", aspect="auto")
            dynamic.append(self.image)
            for X, y, style in ((state.X_train, state.y_train, TRAIN_STYLE),
                                (state.X_test, state.y_test, TEST_STYLE)):
                dots = ax.scatter(X[:, 0], X[:, 1], c=y[:, 0], cmap="RdBu_r",
                                  vmin=self.value_range[0], vmax=self.value_range[1], **style)
                dynamic.append(dots)
            dynamic.append(_points_legend(ax))
            self.curve = None
            ax.set_ylabel("$x_2$")
        elif state.task == "classification":
            if state.n_classes == 2:
                self.image = ax.imshow(np.full((2, 2), 0.5), extent=state.extent, origin="lower",
                                       cmap="RdBu_r", vmin=-0.6, vmax=1.6, interpolation="bilinear",
                                       aspect="auto")
                point_colors = np.array(CLASS_COLORS)
            else:
                self.image = ax.imshow(np.ones((2, 2, 3)), extent=state.extent, origin="lower",
                                       interpolation="bilinear", aspect="auto")
                point_colors = np.array(PALETTE[:state.n_classes])
            dynamic.append(self.image)
            for X, y, style in ((state.X_train, state.y_train, TRAIN_STYLE),
                                (state.X_test, state.y_test, TEST_STYLE)):
                labels = np.asarray(y).astype(int)
                for k in np.unique(labels):     # each class its colour and its marker shape
                    pts = X[labels == k]
                    dots = ax.scatter(pts[:, 0], pts[:, 1], color=point_colors[k % len(point_colors)],
                                      marker=CLASS_MARKERS[k % len(CLASS_MARKERS)], **style)
                    dynamic.append(dots)      # drawn after (on top of) the heatmap
            dynamic.append(_points_legend(ax))
            self.curve = None
            ax.set_ylabel("$x_2$")
        else:
            self.image = None
            ax.scatter(state.X_train[:, 0], state.y_train[:, 0], c="#1f77b4", label="train",
                       **TRAIN_STYLE)
            ax.scatter(state.X_test[:, 0], state.y_test[:, 0], c="#ff7f0e", label="test",
                       **TEST_STYLE)
            (self.curve,) = ax.plot([], [], color="k", lw=2, label="network")
            ax.legend(loc="upper right", fontsize=SMALL)
            ax.set_ylabel("y")
            dynamic.append(self.curve)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_xlabel("$x_1$")
        ax.tick_params(labelsize=SMALL)
        self.title = ax.set_title("", fontsize=TITLE)
        # a dot marks the newest epoch (and makes a one-epoch curve visible)
        (self.train_line,) = ax_loss.plot([], [], color="#1f77b4", lw=1.5, label="train",
                                          marker="o", markersize=3)
        (self.test_line,) = ax_loss.plot([], [], color="#d62728", lw=1.5, ls="--", label="test",
                                         marker="o", markersize=3)
        ax_loss.set_xlabel("epoch", fontsize=LABEL)
        ax_loss.set_ylabel({"bce": "binary cross-entropy", "cross_entropy": "cross-entropy",
                            "mse": "mean squared error"}[state.loss_name], fontsize=LABEL)
        ax_loss.tick_params(labelsize=SMALL)
        self.legend = ax_loss.legend(loc="upper right", fontsize=SMALL)
        self.loss_title = ax_loss.set_title("", fontsize=TITLE)
        dynamic += [self.train_line, self.test_line]
        if self.titles:
            dynamic += [self.title, self.loss_title]
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
        if self.image is not None and values.ndim == 3:
            p = np.nan_to_num(values, nan=1.0 / values.shape[-1])
            self.image.set_data(class_mix(p, self.class_colors))
        elif self.image is not None:
            self.image.set_data(np.nan_to_num(values, nan=0.5))
        else:
            self.curve.set_data(xs, values)
        mode_changed = False
        if self.diagram:
            mode_changed = self._update_diagram(snap)
        train, test = snap["train_loss"], snap["test_loss"]
        epochs = np.arange(1, len(train) + 1)
        self.train_line.set_data(epochs, train)
        self.test_line.set_data(epochs[:len(test)], test)
        self.train_line.set_markevery([len(train) - 1] if len(train) else [])
        self.test_line.set_markevery([len(test) - 1] if len(test) else [])
        limits = self._loss_limits(train, test)
        changed = rebuilt or mode_changed or limits != self._limits
        if limits != self._limits:
            self.ax_loss.set_xlim(0, limits[0])
            self.ax_loss.set_ylim(0, limits[1])
            self._limits = limits
        if self.titles:
            self._set_titles(snap)
        return changed

    def _set_titles(self, snap):
        train, test = snap["train_loss"], snap["test_loss"]
        if len(train):
            text = (f"loss: train {train[-1]:.4f}, test {test[-1]:.4f}"
                    if len(test) else f"loss: train {train[-1]:.4f}")
            if snap.get("accuracy"):
                text += "\naccuracy: train {:.3f}, test {:.3f}".format(*snap["accuracy"])
            self.loss_title.set_text(text)
        else:
            self.loss_title.set_text("loss")
        status = " (diverged)" if snap["diverged"] else ""
        self.title.set_text(f"epoch {len(train)}{status}")

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
        snap = {
            "version": state.version,
            "surface": state.surface(self.resolution),
            "train_loss": list(state.train_loss),
            "test_loss": list(state.test_loss),
            "accuracy": ((state.train_accuracy[-1], state.test_accuracy[-1])
                         if state.train_accuracy else None),
            "diverged": state.diverged,
        }
        if self.diagram:
            snap["neurons"] = state.neuron_surfaces(self.neuron_resolution)
            snap["parameters"] = state.parameters()
            snap["gradients"] = state.gradients()
        return snap

    # -- the network diagram -------------------------------------------------------------
    def _build_diagram(self, ax, state):
        """Neurons as little heatmaps, links as lines, biases as squares (artists made once)."""
        sizes = state.sizes
        self.layer_sizes = sizes
        box = 0.78
        # spread the layers over the panel's width (its box is about 2.1 times as wide as tall)
        height = max(sizes) + 1.2
        gap = float(np.clip((2.1 * height - 1.8) / max(len(sizes) - 1, 1), 1.6, 4.0))
        self.box = box
        # per layer: (x, [y of each unit]), each layer centred on y = 0, one unit per 1.0
        centers = [(l * gap, [(n - 1) / 2 - k for k in range(n)]) for l, n in enumerate(sizes)]
        self.centers = centers
        half = box / 2
        # inputs: the features over the plane, fixed
        x0, x1, y0, y1 = state.extent
        res = self.neuron_resolution
        xs = np.linspace(x0, x1, res)
        if state.input_dim == 2:
            gx, gy = np.meshgrid(xs, np.linspace(y0, y1, res))
            feats = state.transform(np.column_stack([gx.ravel(), gy.ravel()])).T.reshape(-1, res, res)
        else:
            feats = np.repeat(state.transform(xs.reshape(-1, 1)).T[:, None, :], res, axis=1)
        for k, (name, y) in enumerate(zip(state.active_features, centers[0][1])):
            f = feats[k]
            m = float(np.max(np.abs(f))) or 1.0
            ax.imshow(f / m, extent=(-half, half, y - half, y + half), origin="lower",
                      cmap="RdBu_r", vmin=-1, vmax=1, interpolation="bilinear")
            ax.text(-half - 0.1, y, name, ha="right", va="center", fontsize=SMALL)
        # links: one segment per weight, layer by layer
        segments = []
        for l in range(len(sizes) - 1):
            (xa, ya), (xb, yb) = centers[l], centers[l + 1]
            for i in range(sizes[l]):
                for j in range(sizes[l + 1]):
                    segments.append([(xa + half, ya[i]), (xb - half, yb[j])])
        from matplotlib.collections import LineCollection

        self.links = LineCollection(segments, linewidths=1.0, colors="#999999", zorder=1)
        ax.add_collection(self.links)
        # neurons: hidden and output. All their heatmaps live in ONE image over the diagram
        # (transparent between them), a pixel per grid point: one image to draw per frame.
        import matplotlib as mpl
        from matplotlib.colors import LinearSegmentedColormap, Normalize

        res = self.neuron_resolution
        scale = res / box                              # pixels per unit of the diagram
        ymax = max(max(ys) for _, ys in centers) + half
        ymin = min(min(ys) for _, ys in centers) - half
        xmin, xmax = centers[1][0] - half, centers[-1][0] + half
        width, height = int(np.ceil((xmax - xmin) * scale)) + 1, int(np.ceil((ymax - ymin) * scale)) + 1
        self.neuron_canvas = np.zeros((height, width, 4))
        self.neuron_slots, self.neuron_colors = [], []
        for l in range(1, len(sizes)):
            x, ys = centers[l]
            output = l == len(sizes) - 1
            slots, colors = [], []
            for j, y in enumerate(ys):
                row = int(round((y - half - ymin) * scale))
                col = int(round((x - half - xmin) * scale))
                slots.append((row, col))
                if output and state.task == "regression":
                    lo, hi = float(state.y.min()), float(state.y.max())
                    colors.append((mpl.colormaps["RdBu_r"], Normalize(lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo))))
                elif output and state.n_classes > 2:   # P(class j): white to the class's colour
                    colors.append((LinearSegmentedColormap.from_list("", ["white", PALETTE[j]]), Normalize(0, 1)))
                elif output:
                    colors.append((mpl.colormaps["RdBu_r"], Normalize(-0.6, 1.6)))
                elif state.activation == "sigmoid":           # outputs in (0, 1)
                    colors.append((mpl.colormaps["RdBu_r"], Normalize(0, 1)))
                else:
                    colors.append((mpl.colormaps["RdBu_r"], Normalize(-1, 1)))
            self.neuron_slots.append(slots)
            self.neuron_colors.append(colors)
        self.neurons = ax.imshow(self.neuron_canvas, extent=(xmin, xmin + width / scale, ymin,
                                                             ymin + height / scale),
                                 origin="lower", interpolation="bilinear", zorder=2)
        # biases: a square below-left of each neuron
        bx, by = [], []
        for l in range(1, len(sizes)):
            x, ys = centers[l]
            bx += [x - half - 0.16] * len(ys)
            by += [y - half + 0.1 for y in ys]
        self.biases = ax.scatter(bx, by, s=np.full(len(bx), 12.0), marker="s", c="#999999",
                                 edgecolors="#333333", linewidths=0.4, zorder=3)
        from matplotlib.patches import Rectangle

        self.outline = Rectangle((0, 0), box + 0.16, box + 0.16, fill=False, lw=2.0,
                                 ec="#222222", zorder=4, visible=False)
        ax.add_patch(self.outline)
        names = ["input"] + [f"hidden {k + 1}" for k in range(len(sizes) - 2)] + ["output"]
        ytop = max(max(ys) for _, ys in centers) + half + 0.15
        for (x, _), name, n in zip(centers, names, sizes):
            ax.text(x, ytop, f"{name}\n({n})" if name != "input" else name, ha="center",
                    va="bottom", fontsize=SMALL)
        self.diagram_title = ax.text(0.0, -0.02, "", transform=ax.transAxes, fontsize=SMALL,
                                     ha="left", va="top")
        ax.set_xlim(-half - 1.5, (len(sizes) - 1) * gap + half + 0.2)   # room for the feature names
        ymin = min(min(ys) for _, ys in centers) - half - 0.3
        ax.set_ylim(ymin, ytop + 0.8)
        ax.set_aspect("equal", adjustable="box")
        ax.axis("off")
        self.ax_net = ax
        self._gradient_mode = None
        return [self.links, self.neurons, self.biases, self.outline]

    @staticmethod
    def _link_style(values, colors, scale, quiet=False):
        """Colours and widths of links (or bias squares) for signed ``values``."""
        values = np.nan_to_num(np.asarray(values, dtype=float))
        strength = np.clip(np.abs(values) / scale, 0, 1)
        base = np.where((values >= 0)[:, None], _rgb(colors[1]), _rgb(colors[0]))
        if quiet:   # gradients: small ones fade to grey
            t = np.sqrt(strength)[:, None]
            rgb = QUIET * (1 - t) + base * t
        else:
            rgb = base
        return rgb, strength

    def _update_diagram(self, snap):
        res = self.neuron_resolution
        for slots, colors, values in zip(self.neuron_slots, self.neuron_colors, snap["neurons"]):
            for (row, col), (cmap, norm), v in zip(slots, colors, values):
                v = np.nan_to_num(v if v.ndim == 2 else np.repeat(v[None, :], res, axis=0))
                self.neuron_canvas[row:row + res, col:col + res] = cmap(norm(v))
        self.neurons.set_data(self.neuron_canvas)
        if self.show_gradients:
            pairs = snap["gradients"]
            colors, quiet = GRADIENT_COLORS, True
            flat = np.concatenate([np.ravel(a) for ab in pairs for a in ab])
            scale = float(np.max(np.abs(np.nan_to_num(flat)))) or 1.0
            label = "links: dL/dw of the last step (purple +, green -, grey: small)"
        else:
            pairs = snap["parameters"]
            colors, quiet, scale = WEIGHT_COLORS, False, 2.0
            label = "links: weights (blue +, orange -, thickness = size); squares: biases"
        weights = np.concatenate([W.ravel() for W, _ in pairs])
        biases = np.concatenate([b for _, b in pairs])
        rgb, strength = self._link_style(weights, colors, scale, quiet)
        self.links.set_colors(rgb)
        self.links.set_linewidths(0.25 + 3.0 * strength)
        rgb_b, strength_b = self._link_style(biases, colors, scale, quiet)
        self.biases.set_facecolors(rgb_b)
        self.biases.set_sizes(6.0 + 40.0 * strength_b)
        changed = self._gradient_mode != self.show_gradients   # the caption is static: redraw
        self._gradient_mode = self.show_gradients
        self.diagram_title.set_text(label)
        if self.selected is not None and self.selected[0] < len(self.neuron_slots) \
                and self.selected[1] < len(self.neuron_slots[self.selected[0]]):
            layer, unit = self.selected
            x, ys = self.centers[layer + 1]
            half = self.box / 2 + 0.08
            self.outline.set_xy((x - half, ys[unit] - half))
            self.outline.set_visible(True)
        else:
            self.outline.set_visible(False)
        return changed

    @property
    def size_px(self):
        """``(width, height)`` of the picture at 1x, in pixels (the widget's CSS pixels)."""
        width, height = self.figure.get_size_inches() * self.dpi
        return int(round(width)), int(round(height))

    def _set_scale(self, scale):
        """Draw the next pictures at ``scale`` times ``size_px`` (a new scale: a full redraw)."""
        if self.figure.dpi != self.dpi * scale:
            self.figure.set_dpi(self.dpi * scale)
            self._background = None

    def neuron_at(self, px, py):
        """The ``(layer, unit)`` of the hidden or output neuron drawn at pixel ``(px, py)`` of
        the picture (from its top-left corner, as a browser reports a click), or None."""
        if not self.diagram or not hasattr(self, "centers"):
            return None
        k = self.figure.dpi / self.dpi                # the picture last drawn may be at 2x
        x, y = self.ax_net.transData.inverted().transform((k * px, k * (self.size_px[1] - py)))
        reach = self.box / 2 + 0.08                 # the neuron's picture and its outline
        for layer, (cx, ys) in enumerate(self.centers[1:]):
            for unit, cy in enumerate(ys):
                if abs(x - cx) <= reach and abs(y - cy) <= reach:
                    return layer, unit
        return None

    def png(self, state, snapshot=None, scale=1):
        """Draw and return PNG bytes (fast PNG settings: low zlib compression), ``scale``
        times ``size_px``."""
        return self._encode(state, snapshot, scale, format="png", compress_level=1)

    def jpeg(self, state, snapshot=None, scale=1):
        """Draw and return JPEG bytes: what the live widget sends. Encoding the picture is
        the largest part of a redraw, and JPEG (quality 92, no chroma subsampling, so thin
        coloured links stay sharp) encodes about ten times faster than even a fast PNG.
        ``scale=2``: twice the pixels, crisp on a high-DPI screen (the widget's still
        pictures; while it plays it sends 1x pictures, four times fewer pixels)."""
        return self._encode(state, snapshot, scale, format="jpeg", quality=92, subsampling=0)

    def _encode(self, state, snapshot, scale, **options):
        from PIL import Image

        self._set_scale(scale)
        self.draw(state, snapshot)
        buf = self.canvas.buffer_rgba()
        img = Image.frombuffer("RGBA", (int(buf.shape[1]), int(buf.shape[0])), buf, "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        img.convert("RGB").save(out, **options)
        return out.getvalue()


def plot_playground(state, resolution=80, figsize=None, dpi=100, diagram=False,
                    show_gradients=False):
    """A static picture of ``state`` (a matplotlib ``Figure``, no pyplot): display it with
    ``display(fig)`` or save it with ``fig.savefig``. ``diagram=True`` adds the network
    diagram on the left (``show_gradients=True``: its links show dL/dw of the last step)."""
    renderer = PlaygroundRenderer(figsize=figsize, dpi=dpi, resolution=resolution, blit=False,
                                  diagram=diagram, neuron_resolution=32)
    renderer.show_gradients = show_gradients
    renderer.update(state)
    return renderer.figure


def playground_alt(diagram=True, show_gradients=None):
    """What a picture of the playground shows, in words (its text alternative).
    ``show_gradients=None``: the widget's picture, whose links show either."""
    links = {None: "the sign of their weight (or of dL/dw when gradients are shown), thicker when larger",
             False: "the sign of their weight, thicker when larger",
             True: "the sign of dL/dw of the last step, thicker when larger"}[show_gradients]
    network = ("Left: the network from inputs to output, each neuron a small map of its activation "
               f"over the input plane; links coloured by {links}; small squares: biases. "
               if diagram else "")
    return (f"{network}{'Middle' if diagram else 'Left'}: the network's output with the training "
            "points (bold) and test points (faint). Right: training and test loss against the epoch.")


def show_playground(state, resolution=80, figsize=None, dpi=None, diagram=False,
                    show_gradients=False):
    """Display a static picture of ``state`` in a notebook (no pyplot needed), with its
    text alternative (``plots.show``): what it shows, and ``state.summary()``. Shown at
    ``dpi`` CSS pixels per inch; by default as large as a notebook's output takes, up to
    ``plots.CSS_DPI`` (the picture with the diagram is wider, so smaller per inch)."""
    from ..plots import CSS_DPI, OUTPUT_WIDTH, show

    fig = plot_playground(state, resolution=resolution, figsize=figsize, dpi=dpi or CSS_DPI,
                          diagram=diagram, show_gradients=show_gradients)
    if dpi is None:
        dpi = min(CSS_DPI, OUTPUT_WIDTH / fig.get_figwidth())
    show(f"{playground_alt(diagram, show_gradients)} {state.summary()}", fig=fig, css_dpi=dpi)
