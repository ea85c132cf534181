"""Pictures and live widgets of lessons 01-04 (neuron, network, loss, chain rule).

Each widget reacts through a plain function that returns a matplotlib ``Figure`` made
with the object-oriented API (no pyplot state), so tests can call it without a browser:

    neuron_view(w1, w2, b, gate)        lesson 01: decision line and output surface
    network_view(n_hidden, dataset)     lesson 02: decision regions after training
    loss_view(p, y)                     lesson 03: loss and gradient for each loss

The ``draw_*`` functions draw into a given ``Axes``, so a notebook can use them with
``plt.subplots`` and ``plt.show()``. The widgets show a PNG in an ``ipywidgets.Image``.
"""
import functools

import numpy as np
from matplotlib.figure import Figure

from .. import datasets
from ..activations import sigmoid
from ..layers import Sigmoid
from ..losses import MSE, BinaryCrossEntropy
from ..network import mlp
from ..optimizers import Adam
from ..plots import (CLASS_COLORS, CSS_DPI, SCALE, RedrawnFigure, css_width, decision_grid, figure_png,
                     plot_data)
from ..metrics import accuracy
from ..training import train

__all__ = [
    "figure_png", "draw_graph", "draw_value_graph", "draw_neuron_diagram", "draw_network_diagram",
    "draw_neuron_plane", "draw_neuron_surface", "best_line", "NeuronPicture", "neuron_view",
    "neuron_png", "neuron_widget", "train_hidden_network", "NetworkPicture", "network_view",
    "network_png", "network_widget", "preactivation_gradients", "LossPicture", "loss_view",
    "loss_png", "loss_widget",
]

GATE_NAMES = ("and", "or", "nand", "nor", "xor")


# ---------------------------------------------------------------------------------------
# Diagrams: nodes and arrows
# ---------------------------------------------------------------------------------------
def draw_graph(ax, nodes, edges, node_size=0.32, fontsize=11, label_at=0.42, notes=None,
               note_color="#c0392b", notes_above=()):
    """Draw a small directed graph.

    ``nodes``: name -> (x, y, label[, facecolor]); ``edges``: (from, to, label) triples
    (label may be ""). Labels are matplotlib text, so ``"$w_1$"`` works; an edge's label
    sits at the fraction ``label_at`` of the way along it. ``notes``: name -> text written
    under a node (in ``note_color``), e.g. a gradient; above it for names in ``notes_above``.
    """
    r = node_size
    for name, (x, y, label, *color) in nodes.items():
        face = color[0] if color else "#eef3fb"
        ax.add_patch(_circle((x, y), r, face))
        ax.text(x, y, label, ha="center", va="center", fontsize=fontsize, zorder=4)
        if notes and name in notes:
            above = name in notes_above
            ax.text(x, y + r + 0.08 if above else y - r - 0.08, notes[name], ha="center",
                    va="bottom" if above else "top", fontsize=fontsize - 1, color=note_color,
                    zorder=5)
    for a, b, label in edges:
        (xa, ya), (xb, yb) = nodes[a][:2], nodes[b][:2]
        d = np.hypot(xb - xa, yb - ya)
        ux, uy = (xb - xa) / d, (yb - ya) / d
        ax.annotate("", xy=(xb - r * ux, yb - r * uy), xytext=(xa + r * ux, ya + r * uy),
                    arrowprops=dict(arrowstyle="-|>", color="#555555", lw=1.2,
                                    shrinkA=0, shrinkB=0), zorder=2)
        if label:
            t = label_at
            mx, my = xa + t * (xb - xa), ya + t * (yb - ya)
            ax.text(mx - 0.12 * uy, my + 0.12 * ux + 0.06, label, ha="center", va="bottom",
                    fontsize=fontsize - 1, color="#333333", zorder=5,
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
    xs = [v[0] for v in nodes.values()]
    ys = [v[1] for v in nodes.values()]
    ax.set_xlim(min(xs) - 0.7, max(xs) + 0.7)
    ax.set_ylim(min(ys) - (1.1 if notes else 0.7), max(ys) + (1.1 if notes_above else 0.7))
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


_OP_TEXT = {"+": "$+$", "-": "$-$", "*": r"$\times$", "sigmoid": r"$\sigma$", "tanh": "tanh", "exp": "exp",
            "log": "log", "relu": "relu"}


def draw_value_graph(ax, root, dx=2.0, dy=1.6, node_size=0.42, fontsize=11):
    """Draw the computational graph that ``root`` (a ``course_lib.autograd.Value``) remembers.

    Leaves (inputs, weights, constants) on the left, ``root`` on the right; each node shows
    its ``label`` (else its operation, or a constant's value) and, under it, its value and
    ``grad``. A node sits one column right of its deepest input; a leaf just left of its first
    user. Returns ``ax``.
    """
    from ..autograd import topological_order

    order = topological_order(root)
    column = {}
    for v in order:                              # inputs first: longest path from a leaf
        column[v] = 1 + max((column[u] for u in v.inputs), default=-1)
    for v in order:                              # a leaf: just left of its first user
        users = [column[w] for w in order if v in w.inputs]
        if not v.inputs and users:
            column[v] = min(users) - 1
    rows = {}
    for v in order:
        rows.setdefault(column[v], []).append(v)
    nodes, notes, edges, skips = {}, {}, [], []
    for c, vs in rows.items():
        for k, v in enumerate(vs):
            text = v.label or _OP_TEXT.get(v.op, v.op) or f"{v.data:g}"
            color = "#fff5d6" if not v.inputs else "#e3f4e1" if v is root else "#eef3fb"
            nodes[id(v)] = (dx * c, dy * ((len(vs) - 1) / 2 - k), text, color)
            notes[id(v)] = f"{v.data:.3f}\ngrad {v.grad:.3f}"
    for v in order:
        for u in dict.fromkeys(v.inputs):        # a * a: one arrow, labelled "both inputs"
            label = _OP_TEXT.get(v.op, v.op) if v.label else ""
            if label and v.inputs.count(u) > 1:
                label += " (both inputs)"
            # an arrow that jumps over a column would cross the nodes in between: bend it
            (skips if column[v] - column[u] > 1 else edges).append((id(u), id(v), label))
    draw_graph(ax, nodes, edges, node_size=node_size, fontsize=fontsize, notes=notes)
    for a, b, label in skips:
        (xa, ya), (xb, yb) = nodes[a][:2], nodes[b][:2]
        ax.annotate("", xy=(xb, yb + node_size), xytext=(xa, ya + node_size),   # top to top
                    arrowprops=dict(arrowstyle="-|>", color="#555555", lw=1.2, shrinkA=0, shrinkB=0,
                                    connectionstyle="arc3,rad=-0.25"), zorder=2)
        top = max(ya, yb) + node_size + 0.125 * np.hypot(xb - xa, yb - ya)
        if label:
            ax.text((xa + xb) / 2, top + 0.05, label, ha="center", va="bottom", fontsize=fontsize - 1,
                    color="#333333", zorder=5)
        low, high = ax.get_ylim()
        ax.set_ylim(low, max(high, top + 0.5))
    return ax


def _circle(center, r, face):
    from matplotlib.patches import Circle

    return Circle(center, r, facecolor=face, edgecolor="#333333", lw=1.3, zorder=3)


def draw_neuron_diagram(ax, weights=("$w_1$", "$w_2$"), bias="$b$", inputs=("$x_1$", "$x_2$"),
                        output="$a$"):
    """One neuron: inputs -> weights -> sum plus bias -> sigmoid -> output."""
    nodes = {
        "x1": (0, 1, inputs[0], "#fff5d6"),
        "x2": (0, -1, inputs[1], "#fff5d6"),
        "sum": (2.6, 0, "$\\Sigma$\n" + f"+{bias}"),
        "f": (4.6, 0, r"$\sigma$"),
        "y": (6.4, 0, output, "#e3f4e1"),
    }
    edges = [("x1", "sum", weights[0]), ("x2", "sum", weights[1]), ("sum", "f", "$z$"),
             ("f", "y", "")]
    return draw_graph(ax, nodes, edges, node_size=0.5, fontsize=12)


def draw_network_diagram(ax, edge_labels=None, node_labels=None, notes=None):
    """The 2-2-1 network: inputs x1, x2; hidden h1, h2; output o1 (weights w1..w6).

    ``edge_labels`` / ``node_labels`` replace the default ``$w_i$`` and node names;
    ``notes`` (node name -> text) are written under the nodes.
    """
    nl = {"x1": "$x_1$", "x2": "$x_2$", "h1": "$h_1$", "h2": "$h_2$", "o1": "$o_1$"}
    nl.update(node_labels or {})
    el = {"w1": "$w_1$", "w2": "$w_2$", "w3": "$w_3$", "w4": "$w_4$", "w5": "$w_5$",
          "w6": "$w_6$"}
    el.update(edge_labels or {})
    nodes = {
        "x1": (0, 1.3, nl["x1"], "#fff5d6"), "x2": (0, -1.3, nl["x2"], "#fff5d6"),
        "h1": (3.2, 1.3, nl["h1"]), "h2": (3.2, -1.3, nl["h2"]),
        "o1": (6.4, 0, nl["o1"], "#e3f4e1"),
    }
    edges = [("x1", "h1", el["w1"]), ("x2", "h1", el["w2"]), ("x1", "h2", el["w3"]),
             ("x2", "h2", el["w4"]), ("h1", "o1", el["w5"]), ("h2", "o1", el["w6"])]
    return draw_graph(ax, nodes, edges, node_size=0.45, label_at=0.36, notes=notes)


# ---------------------------------------------------------------------------------------
# Lesson 01: one neuron as a line in the plane
# ---------------------------------------------------------------------------------------
_LIM = (-0.5, 1.5)


def _neuron_grid(w1, w2, b, n):
    g = np.linspace(*_LIM, n)
    xx, yy = np.meshgrid(g, g)
    return xx, yy, sigmoid(w1 * xx + w2 * yy + b)


def draw_neuron_plane(ax, w1, w2, b, gate=None, resolution=121, colorbar=False):
    """The neuron's output sigma(w1 x1 + w2 x2 + b) as colour, its decision line
    w1 x1 + w2 x2 + b = 0 (where the output is 0.5), and a logic gate's four points.

    Each point is coloured by its target; a cross marks a point the neuron gets wrong.
    Returns the number of points classified correctly (or None without a gate).
    """
    xx, yy, out = _neuron_grid(w1, w2, b, resolution)
    cs = ax.contourf(xx, yy, out, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55)
    if colorbar:
        ax.figure.colorbar(cs, ax=ax, label="neuron output $a$")
    _draw_line(ax, w1, w2, b)
    correct = None
    if gate is not None:
        X, y = datasets.logic_gate(gate)
        pred = (sigmoid(X @ np.array([w1, w2]) + b) > 0.5).astype(int)
        correct = int(np.sum(pred == y))
        for k in (0, 1):
            pts = X[y == k]
            ax.scatter(pts[:, 0], pts[:, 1], s=140, color=CLASS_COLORS[k], edgecolor="black",
                       linewidth=1.2, zorder=5, label=f"target {k}")
        wrong = X[pred != y]
        if len(wrong):
            ax.scatter(wrong[:, 0], wrong[:, 1], s=320, marker="x", color="black", linewidth=2.5,
                       zorder=6, label="wrong")
        ax.set_title(f"{gate.upper()}: {correct}/4 correct")
        ax.legend(loc="upper left", fontsize=8, framealpha=0.9)
    ax.set_xlim(*_LIM)
    ax.set_ylim(*_LIM)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return correct


def _draw_line(ax, w1, w2, b):
    """The line w1 x1 + w2 x2 + b = 0 and an arrow along (w1, w2), towards output > 0.5."""
    if np.hypot(w1, w2) < 1e-9:
        return
    t = np.linspace(-3, 3, 2)
    # a point on the line and its direction (perpendicular to w)
    n = np.array([w1, w2]) / np.hypot(w1, w2)
    p0 = -b / np.hypot(w1, w2) * n
    d = np.array([-n[1], n[0]])
    pts = p0[:, None] + d[:, None] * t * 10
    ax.plot(pts[0], pts[1], color="black", lw=2)
    # arrow from the point of the line nearest the centre of the square
    c = np.array([0.5, 0.5])
    foot = c - (c @ n + b / np.hypot(w1, w2)) * n
    ax.annotate("", xy=foot + 0.3 * n, xytext=foot,
                arrowprops=dict(arrowstyle="-|>", color="black", lw=1.5))


def draw_neuron_surface(ax, w1, w2, b, resolution=25, gate=None):
    """The output sigma(w1 x1 + w2 x2 + b) as a surface over the plane (``ax`` is 3-D)."""
    xx, yy, out = _neuron_grid(w1, w2, b, resolution)
    ax.plot_surface(xx, yy, out, cmap="RdBu_r", vmin=0, vmax=1, linewidth=0, alpha=0.85)
    if gate is not None:
        X, y = datasets.logic_gate(gate)
        z = sigmoid(X @ np.array([w1, w2]) + b)
        ax.scatter(X[:, 0], X[:, 1], z, s=50, c=[CLASS_COLORS[k] for k in y],
                   edgecolor="black", depthshade=False)
    ax.set_zlim(0, 1)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_zlabel("$a$")
    ax.view_init(elev=25, azim=-60)
    return ax


def best_line(gate, n_angles=360, n_offsets=401):
    """Try many lines w . x + b = 0 (every direction, many offsets) on a logic gate.

    Returns ``(best_correct, (w1, w2, b))``: the most of the four points any of these
    lines classifies correctly, and, among the lines that do, the one farthest from the
    nearest point (the widest margin). Symmetric gates have several lines with the same
    margin; the first of them (smallest angle, then offset) is returned on every machine,
    not whichever one rounding happened to favour.
    """
    X, y = datasets.logic_gate(gate)
    theta = np.linspace(0, 2 * np.pi, n_angles, endpoint=False)
    W = np.column_stack([np.cos(theta), np.sin(theta)])           # (A, 2) unit normals
    B = np.linspace(-2, 2, n_offsets)                             # (O,)
    z = (X @ W.T)[:, :, None] + B[None, None, :]                  # (4, A, O)
    correct = ((z > 0).astype(int) == y[:, None, None]).sum(axis=0)
    margin = np.where(correct == correct.max(), np.abs(z).min(axis=0), -np.inf)
    a, o = np.argwhere(margin >= margin.max() - 1e-9)[0]          # ties: the first one
    return int(correct[a, o]), (float(W[a, 0]), float(W[a, 1]), float(B[o]))


class _Picture:
    """A widget's figure drawn through ``self.redrawn`` (a ``plots.RedrawnFigure``)."""

    def png(self, scale=SCALE):
        """The PNG at ``scale`` device pixels per CSS pixel (2: crisp; 1: four times fewer
        pixels, what the widget sends while a slider is dragged)."""
        return self.redrawn.png(dpi=CSS_DPI * scale)


class NeuronPicture(_Picture):
    """The lesson-01 widget's figure: decision line (left) and output surface (right).

    Built once per gate; ``draw(w1, w2, b)`` moves what depends on the weights (output
    colours, line, arrow, wrong points, surface, titles) and ``png()`` redraws only those
    (``plots.RedrawnFigure``), so the picture can follow a dragged slider.
    """

    def __init__(self, gate="and", surface_resolution=25):
        import matplotlib
        from matplotlib.collections import PolyCollection
        from matplotlib.colors import BoundaryNorm

        self.gate = gate.lower()  # the widget's menu shows "AND", "OR", ...
        self.X, self.y = datasets.logic_gate(self.gate)
        self.surface_resolution = surface_resolution
        fig = Figure(figsize=(9.6, 4.2))
        self.redrawn = r = RedrawnFigure(fig)
        ax = self.ax = fig.add_subplot(1, 2, 1)
        ax.set_autoscale_on(False)
        # the ten bands of draw_neuron_plane's contourf (output 0-0.1, ..., 0.9-1): strips between
        # parallel lines, drawn as ten polygons (cheaper than contours or an image), in the
        # contourf's colours as opaque colours (alpha 0.55 on white)
        bands = matplotlib.colormaps["RdBu_r"](BoundaryNorm(np.linspace(0, 1, 11), 256)(np.linspace(0.05, 0.95, 10)))
        self.band_colors = 0.55 * bands[:, :3] + 0.45
        self.field = r.changing(ax.add_collection(PolyCollection([], linewidths=0, antialiaseds=False)))
        r.changing(*ax.spines.values())
        self.line = r.changing(*ax.plot([], [], color="black", lw=2))
        self.arrow = r.changing(ax.annotate("", xy=(0, 0), xytext=(0, 0),
                                            arrowprops=dict(arrowstyle="-|>", color="black", lw=1.5)))
        for k, marker in ((0, "o"), (1, "s")):
            pts = self.X[self.y == k]
            r.changing(ax.scatter(pts[:, 0], pts[:, 1], s=140, marker=marker, color=CLASS_COLORS[k],
                                  edgecolor="black", linewidth=1.2, zorder=5, label=f"target {k}"))
        self.wrong = r.changing(ax.scatter([], [], s=320, marker="x", color="black", linewidth=2.5,
                                           zorder=6, label="wrong"))
        # beside the chart, where nothing changes: drawn once, with the background
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, markerscale=0.6,
                  borderaxespad=0)
        ax.set_title(" ", y=1.0)                   # a fixed place: it is drawn on its own
        r.changing(ax.title)
        ax.set_xlim(*_LIM)
        ax.set_ylim(*_LIM)
        ax.set_aspect("equal")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax3 = self.ax3 = fig.add_subplot(1, 2, 2, projection="3d")
        ax3.set_autoscale_on(False)
        ax3.set_xlim(*_LIM)
        ax3.set_ylim(*_LIM)
        ax3.set_zlim(0, 1)
        ax3.set_xlabel("$x_1$")
        ax3.set_ylabel("$x_2$")
        ax3.set_zlabel("$a$")
        ax3.view_init(elev=25, azim=-60)
        self.surface = self.points3d = None
        ax3.set_title(" ", y=1.0)
        r.changing(ax3.title)
        fig.subplots_adjust(left=0.06, right=0.97, bottom=0.12, top=0.9, wspace=0.15)
        self.figure = fig

    def draw(self, w1, w2, b):
        """Show the neuron with weights ``w1``, ``w2`` and bias ``b``; returns ``self``."""
        w1, w2, b = float(w1), float(w2), float(b)
        r, ax, ax3 = self.redrawn, self.ax, self.ax3
        polygons, bands = _band_polygons(w1, w2, b)
        self.field.set_verts(polygons)
        self.field.set_facecolor(self.band_colors[bands])
        norm = np.hypot(w1, w2)
        self.line.set_visible(norm >= 1e-9)
        self.arrow.set_visible(norm >= 1e-9)
        if norm >= 1e-9:
            (xs, ys), (start, end) = _line_and_arrow(w1, w2, b)
            self.line.set_data(xs, ys)
            self.arrow.xy, self.arrow.xyann = tuple(end), tuple(start)
        pred = (sigmoid(self.X @ np.array([w1, w2]) + b) > 0.5).astype(int)
        correct = int(np.sum(pred == self.y))
        self.wrong.set_offsets(self.X[pred != self.y].reshape(-1, 2))
        ax.set_title(f"{self.gate.upper()}: {correct}/4 correct")
        xx, yy, out3 = _neuron_grid(w1, w2, b, self.surface_resolution)
        surface = ax3.plot_surface(xx, yy, out3, cmap="RdBu_r", vmin=0, vmax=1, linewidth=0, alpha=0.85)
        z = sigmoid(self.X @ np.array([w1, w2]) + b)
        points = ax3.scatter(self.X[:, 0], self.X[:, 1], z, s=50, c=[CLASS_COLORS[k] for k in self.y],
                             edgecolor="black", depthshade=False)
        if self.surface is None:
            self.surface, self.points3d = r.changing(surface, points)
        else:
            self.surface = r.replace(self.surface, surface)
            self.points3d = r.replace(self.points3d, points)
        # plain text, not mathtext: a new mathtext string costs ~15 ms to lay out, each redraw
        ax3.set_title(f"a = σ({_number(w1)} x₁ {_number(w2, sign=True)} x₂ {_number(b, sign=True)})")
        self.correct = correct
        return self


def _number(v, sign=False):
    """``v`` to one decimal with a true minus sign; ``sign=True``: "+ 1.0" or "− 1.0"."""
    text = f"{abs(v):.1f}"
    negative = text.strip("0.") != "" and v < 0       # -0.04 shows as 0.0, not −0.0
    if sign:
        return ("− " if negative else "+ ") + text
    return ("−" if negative else "") + text


def _band_polygons(w1, w2, b, far=40.0):
    """The plane cut into the bands where the output sigma(w1 x1 + w2 x2 + b) lies in
    [0, 0.1), [0.1, 0.2), ..., [0.9, 1]: ``(polygons, band numbers)``. Each band is a strip
    between two lines parallel to the decision line, as a quadrilateral reaching ``far``
    beyond the chart (the axes clip it)."""
    norm = np.hypot(w1, w2)
    if norm < 1e-9:                                  # no slope: one band everywhere
        square = [(-far, -far), (far, -far), (far, far), (-far, far)]
        return [square], np.array([min(int(sigmoid(b) * 10), 9)])
    n = np.array([w1, w2]) / norm
    d = np.array([-n[1], n[0]])
    with np.errstate(divide="ignore"):
        z = np.log(np.linspace(0, 1, 11)) - np.log1p(-np.linspace(0, 1, 11))   # logit of each level
    s = np.clip((z - b) / norm, -far, far)            # each level's distance along n
    polygons, bands = [], []
    for k in range(10):
        if s[k + 1] > s[k]:
            polygons.append([s[k] * n + far * d, s[k] * n - far * d, s[k + 1] * n - far * d,
                             s[k + 1] * n + far * d])
            bands.append(k)
    return polygons, np.array(bands)


def _line_and_arrow(w1, w2, b):
    """The line w1 x1 + w2 x2 + b = 0 (two far points) and an arrow along (w1, w2),
    towards output > 0.5, from the point of the line nearest the centre of the square."""
    n = np.array([w1, w2]) / np.hypot(w1, w2)
    p0 = -b / np.hypot(w1, w2) * n
    d = np.array([-n[1], n[0]])
    pts = p0[:, None] + d[:, None] * np.array([-30.0, 30.0])
    c = np.array([0.5, 0.5])
    foot = c - (c @ n + b / np.hypot(w1, w2)) * n
    return (pts[0], pts[1]), (foot, foot + 0.3 * n)


def neuron_view(w1, w2, b, gate="and"):
    """The figure of the lesson-01 widget: decision line (left) and output surface (right)."""
    return NeuronPicture(gate).draw(w1, w2, b).figure


def neuron_png(w1, w2, b, gate="and"):
    """The PNG the lesson-01 widget shows for these values (as ``NeuronPicture``)."""
    return NeuronPicture(gate).draw(w1, w2, b).png()


def _slider(description, value, lo, hi, step=0.1, continuous=True):
    import ipywidgets as w

    return w.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                         continuous_update=continuous, readout_format=".1f",
                         layout=w.Layout(width="320px"))


class _Pictures:
    """A widget's pictures: one picture object per value of the controls that rebuild it
    (``key`` picks them from the controls' values, ``make(*key)`` builds one), redrawn with
    ``draw(*the other values)``; returns the PNG at ``scale`` (2 by default)."""

    def __init__(self, make, key=0):
        self.make, self.key, self.pictures = make, key, {}

    def __call__(self, *values, scale=SCALE):
        keys, rest = values[:self.key], values[self.key:]
        if keys not in self.pictures:
            self.pictures[keys] = self.make(*keys)
        return self.pictures[keys].draw(*rest).png(scale)


def _caption(text):
    """A one-line description above a widget's picture: what it shows, in words (also the
    picture's text alternative, ``DescribedImage``, and the stored picture's text)."""
    import ipywidgets as w

    return w.HTML(f'<span style="font-size: 12px; opacity: 0.75">{text}</span>')


def _picture(render, controls, figure_width, alt):
    """An image widget showing ``render(*values of controls)`` (PNG bytes), redrawn on
    each change: in a background thread, and only for the newest values (a drag sends many
    changes; a newer one replaces any waiting one, as in ``live.LiveRetrainer``).
    The image is ``figure_width`` CSS pixels wide; its PNG has twice as many pixels; ``alt``
    says in words what it shows (``DescribedImage``).
    """
    import ipywidgets as w

    from .image import DescribedImage
    from .live import LiveRetrainer

    image = DescribedImage(alt, format="png", width=str(figure_width),
                           layout=w.Layout(max_width="100%", height="auto"))
    # during a drag (changes less than 0.3 s apart) the pictures are drawn at 1x: a quarter
    # of the pixels for the kernel to encode and the browser to decode; 0.3 s after the last
    # change the 2x picture follows
    retrainer = LiveRetrainer(lambda params, job: params, lambda params: render(*params["values"]),
                              image=image, quick_render=lambda params: render(*params["values"], scale=1))

    def update(_=None):
        retrainer.request(values=tuple(control.value for control in controls))

    for control in controls:
        control.observe(update, names="value")
    retrainer.run_now(values=tuple(control.value for control in controls))
    image.retrainer = retrainer
    return image


def neuron_widget(w1=1.0, w2=1.0, b=-1.5, gate="and"):
    """Sliders for w1, w2, b and a gate menu; the picture follows them, also while dragged."""
    import ipywidgets as w

    s1, s2, sb = _slider("w1", w1, -5, 5), _slider("w2", w2, -5, 5), _slider("b", b, -8, 8)
    dd = w.Dropdown(options=[g.upper() for g in GATE_NAMES], value=gate.upper(),
                    description="gate", layout=w.Layout(width="200px"))
    text = ("Left: the neuron's output over the plane, its decision line and the gate's four "
            "points (circles: target 0, squares: target 1, crossed: wrong). Right: the output "
            "as a surface.")
    image = _picture(_Pictures(NeuronPicture, key=1), (dd, s1, s2, sb), css_width(Figure(figsize=(9.6, 4.2))),
                     alt=text)
    return w.VBox([w.HBox([w.VBox([s1, s2, sb]), dd]), _caption(text), image])


# ---------------------------------------------------------------------------------------
# Lesson 02: hidden units -> decision regions
# ---------------------------------------------------------------------------------------
NETWORK_DATASETS = {
    "xor": lambda: datasets.xor_blobs(200, noise=0.1, seed=0),
    "circle": lambda: datasets.circles(200, noise=0.08, seed=0),
    "moons": lambda: datasets.moons(200, noise=0.15, seed=0),
}


@functools.lru_cache(maxsize=64)
def train_hidden_network(n_hidden, dataset="xor", epochs=300, seed=0):
    """Train a 2-``n_hidden``-1 tanh network (sigmoid output, cross-entropy, Adam 0.05)
    on a 2-D data set. Returns ``(model, history, X, y)``; results are cached.
    """
    X, y = NETWORK_DATASETS[dataset]()
    model = mlp([2, int(n_hidden), 1], activation="tanh", output="sigmoid", seed=seed)
    history = train(model, X, y, BinaryCrossEntropy(), Adam(lr=0.05), epochs=epochs,
                    seed=seed, progress=False)
    return model, history, X, y


class NetworkPicture(_Picture):
    """The lesson-02 widget's figure for one data set: decision regions and loss curve.

    ``draw(n_hidden)`` trains (cached) and redraws the regions, the curve and the titles
    over a background drawn once (``plots.RedrawnFigure``).
    """

    def __init__(self, dataset="xor", epochs=300, resolution=80):
        self.dataset, self.resolution = dataset, resolution
        X, y = NETWORK_DATASETS[dataset]()
        fig = Figure(figsize=(9.6, 4.2))
        self.redrawn = RedrawnFigure(fig)
        self.ax = ax = fig.add_subplot(1, 2, 1)
        margin = 0.3
        ax.set_xlim(X[:, 0].min() - margin, X[:, 0].max() + margin)
        ax.set_ylim(X[:, 1].min() - margin, X[:, 1].max() + margin)
        ax.set_aspect("equal")
        ax.set_autoscale_on(False)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        self.regions = []
        ax2 = self.ax2 = fig.add_subplot(1, 2, 2)
        ax2.set_xlim(0, epochs + 1)
        ax2.set_ylim(0, 0.8)
        ax2.set_autoscale_on(False)
        ax2.set_xlabel("epoch")
        ax2.set_ylabel("cross-entropy loss")
        ax2.grid(alpha=0.3)
        self.curve = self.redrawn.changing(*ax2.plot([], [], color=CLASS_COLORS[0], lw=2))
        self.clipped = self.redrawn.changing(ax2.scatter([], [], marker="^", s=60, color=CLASS_COLORS[0],
                                                         clip_on=False, zorder=5))
        ax.set_title(" ", y=1.0)                    # fixed places: they are drawn on their own
        ax2.set_title(" ", y=1.0)
        self.redrawn.changing(ax.title, ax2.title)
        fig.subplots_adjust(left=0.07, right=0.97, bottom=0.12, top=0.9, wspace=0.3)
        self.figure = fig

    def draw(self, n_hidden):
        """Show the network with ``n_hidden`` hidden units; returns ``self``."""
        n_hidden = int(n_hidden)
        model, history, X, y = train_hidden_network(n_hidden, self.dataset)
        acc = accuracy(y, model.predict(X))
        ax, r = self.ax, self.redrawn
        r.forget(*self.regions)
        xx, yy, values = decision_grid(model.predict, X, resolution=self.resolution, margin=0.3)
        filled = ax.contourf(xx, yy, values, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
        line = ax.contour(xx, yy, values, levels=[0.5], colors="k", linewidths=1.5)
        n_before = len(ax.collections)
        plot_data(X, y, ax=ax)
        points = list(ax.collections[n_before:])
        legend = ax.legend(loc="lower left", fontsize=8)
        self.regions = [filled, line, *points, legend]
        r.changing(*self.regions, first=True)
        ax.set_title(f"{n_hidden} hidden unit{'s' if n_hidden != 1 else ''}: accuracy {acc:.0%}")
        loss = np.asarray(history.train_loss, dtype=float)
        top = self.ax2.get_ylim()[1]
        self.curve.set_data(np.arange(1, len(loss) + 1), np.minimum(loss, top))
        off = np.flatnonzero(loss > top)                   # off the chart: a marker on the edge
        self.clipped.set_offsets(np.column_stack([off[:1] + 1, [top] * min(len(off), 1)]).reshape(-1, 2))
        self.ax2.set_title(f"training loss (final {loss[-1]:.3f})")
        return self


def network_view(n_hidden, dataset="xor"):
    """The figure of the lesson-02 widget: decision regions and loss curve after training."""
    return NetworkPicture(dataset).draw(n_hidden).figure


def network_png(n_hidden, dataset="xor"):
    """The PNG the lesson-02 widget shows for these values (as ``NetworkPicture``)."""
    return NetworkPicture(dataset).draw(n_hidden).png()


def network_widget(n_hidden=2, dataset="xor"):
    """A hidden-units slider and a data-set menu; the network is retrained (once per
    setting, then cached) and the picture follows the slider, also while dragged."""
    import ipywidgets as w

    slider = w.IntSlider(value=n_hidden, min=1, max=8, description="hidden units",
                         continuous_update=True, style={"description_width": "initial"})
    dd = w.Dropdown(options=list(NETWORK_DATASETS), value=dataset, description="data")
    text = ("Left: the trained network's decision regions over the data (circles: class 0, "
            "squares: class 1). Right: its training loss against the epoch.")
    image = _picture(_Pictures(NetworkPicture, key=1), (dd, slider), css_width(Figure(figsize=(9.6, 4.2))),
                     alt=text)
    return w.VBox([w.HBox([slider, dd]), _caption(text), image])


# ---------------------------------------------------------------------------------------
# Lesson 03: loss and gradient of one prediction
# ---------------------------------------------------------------------------------------
def preactivation_gradients(z, y):
    """For one output p = sigmoid(z) with target y, each loss's value and gradients.

    Returns ``{"mse": {...}, "bce": {...}}``, each with ``loss``, ``dL_dp`` and ``dL_dz``,
    computed by the library's layers: loss.backward() gives dL/dp, then
    Sigmoid.backward multiplies by dp/dz = p (1 - p).
    """
    result = {}
    for name, loss in (("mse", MSE()), ("bce", BinaryCrossEntropy())):
        act = Sigmoid()
        p = act.forward(np.array([[float(z)]]))
        value = loss.forward(p, np.array([[float(y)]]))
        dL_dp = loss.backward()
        dL_dz = act.backward(dL_dp)
        result[name] = {"p": float(p[0, 0]), "loss": value, "dL_dp": float(dL_dp[0, 0]),
                        "dL_dz": float(dL_dz[0, 0])}
    return result


def _logit(p):
    return float(np.log(p) - np.log1p(-p))


class LossPicture(_Picture):
    """The lesson-03 widget's figure for one target ``y``: each loss against the prediction
    (left) and the gradient reaching the pre-activation z (right), the current prediction
    marked. A value above the chart is drawn on its top edge as a triangle, with its value.
    ``draw(p)`` moves the marks; ``png()`` redraws only them (``plots.RedrawnFigure``).
    """

    LOSS_TOP = 5.0

    def __init__(self, y=1):
        self.y = y = int(y)
        ps = np.linspace(0.001, 0.999, 400)
        mse = (ps - y) ** 2
        bce = -(y * np.log(ps) + (1 - y) * np.log1p(-ps))
        g_mse = 2 * (ps - y) * ps * (1 - ps)
        g_bce = ps - y
        fig = Figure(figsize=(9.6, 4.0))
        r = self.redrawn = RedrawnFigure(fig)
        ax = self.ax = fig.add_subplot(1, 2, 1)
        ax.plot(ps, mse, color=CLASS_COLORS[0], lw=2, label="MSE $(p-y)^2$")
        ax.plot(ps, bce, color=CLASS_COLORS[1], lw=2, ls="--", label="cross-entropy")
        ax.set_xlim(-0.05, 1.05)
        ax.set_ylim(0, self.LOSS_TOP)
        ax.set_autoscale_on(False)
        ax.set_xlabel("prediction $p$")
        ax.set_ylabel("loss")
        ax.legend(loc="upper center", fontsize=9)
        ax.grid(alpha=0.3)
        ax2 = self.ax2 = fig.add_subplot(1, 2, 2)
        ax2.plot(ps, g_mse, color=CLASS_COLORS[0], lw=2, label=r"MSE: $2(p-y)\,p(1-p)$")
        ax2.plot(ps, g_bce, color=CLASS_COLORS[1], lw=2, ls="--", label="cross-entropy: $p-y$")
        ax2.axhline(0, color="grey", lw=0.8)
        ax2.set_xlim(-0.05, 1.05)
        ax2.set_ylim(-1.05, 1.05)
        ax2.set_autoscale_on(False)
        ax2.set_xlabel("prediction $p$")
        ax2.set_ylabel(r"$\partial L / \partial z$")
        ax2.legend(loc="upper left" if y == 1 else "lower left", fontsize=9)
        ax2.grid(alpha=0.3)
        self.marks = {}
        for a, where in ((ax, "loss"), (ax2, "grad")):
            for name, color, marker in (("mse", CLASS_COLORS[0], "o"), ("bce", CLASS_COLORS[1], "D")):
                (mark,) = a.plot([], [], marker, color=color, ms=9, mec="black", mew=0.8, zorder=6,
                                 clip_on=False)
                self.marks[where, name] = r.changing(mark)
        self.clip_note = r.changing(ax.text(0, self.LOSS_TOP, "", ha="left", va="top", fontsize=9,
                                            color=CLASS_COLORS[1], zorder=7))
        ax.set_title(" ", y=1.0)                    # fixed places: they are drawn on their own
        ax2.set_title(" ", y=1.0)
        r.changing(ax.title, ax2.title)
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.13, top=0.9, wspace=0.28)
        self.figure = fig

    def draw(self, p):
        """Mark the prediction ``p``; returns ``self``."""
        p = float(np.clip(p, 1e-3, 1 - 1e-3))
        now = self.now = preactivation_gradients(_logit(p), self.y)
        self.clip_note.set_visible(False)
        for name in ("mse", "bce"):
            loss = now[name]["loss"]
            mark = self.marks["loss", name]
            if loss > self.LOSS_TOP:                         # off the chart: on its edge, as a triangle
                mark.set_data([p], [self.LOSS_TOP])
                mark.set_marker("^")
                self.clip_note.set_position((p + 0.04, self.LOSS_TOP - 0.08))
                self.clip_note.set_text(f"{loss:.1f} (off the chart)")
                self.clip_note.set_visible(True)
            else:
                mark.set_data([p], [loss])
                mark.set_marker("o" if name == "mse" else "D")
            self.marks["grad", name].set_data([p], [now[name]["dL_dz"]])
        self.ax.set_title(f"target y = {self.y}:  MSE {now['mse']['loss']:.3f},  CE {now['bce']['loss']:.3f}")
        self.ax2.set_title(f"gradient at z:  MSE {now['mse']['dL_dz']:+.4f},  CE {now['bce']['dL_dz']:+.4f}")
        return self


def loss_view(p, y=1):
    """The figure of the lesson-03 widget: each loss against the prediction (left) and
    the gradient reaching the pre-activation z (right), with the current prediction marked.
    """
    return LossPicture(y).draw(p).figure


def loss_png(p, y=1):
    """The PNG the lesson-03 widget shows for these values (as ``LossPicture``)."""
    return LossPicture(y).draw(p).png()


def loss_widget(p=0.1, y=1):
    """A prediction slider and a target toggle; losses and gradients follow, also while
    the slider is dragged."""
    import ipywidgets as w

    slider = w.FloatSlider(value=p, min=0.001, max=0.999, step=0.001, description="p",
                           readout_format=".3f", continuous_update=True,
                           layout=w.Layout(width="420px"))
    target = w.ToggleButtons(options=[0, 1], value=y, description="target y",
                             style={"button_width": "48px"})
    text = ("Left: MSE (solid, circle) and cross-entropy (dashed, diamond) against the prediction "
            "p, the current p marked. Right: the gradient each loss sends to z.")
    image = _picture(_Pictures(LossPicture, key=1), (target, slider), css_width(Figure(figsize=(9.6, 4.0))),
                     alt=text)
    return w.VBox([w.HBox([slider, target]), _caption(text), image])
