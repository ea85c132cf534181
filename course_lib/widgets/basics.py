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
from ..plots import CLASS_COLORS, decision_grid, figure_png, plot_data
from ..metrics import accuracy
from ..training import train

__all__ = [
    "figure_png", "draw_graph", "draw_neuron_diagram", "draw_network_diagram",
    "draw_neuron_plane", "draw_neuron_surface", "best_line", "neuron_view", "neuron_widget",
    "train_hidden_network", "network_view", "network_widget", "preactivation_gradients",
    "loss_view", "loss_widget",
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


def _circle(center, r, face):
    from matplotlib.patches import Circle

    return Circle(center, r, facecolor=face, edgecolor="#333333", lw=1.3, zorder=3)


def draw_neuron_diagram(ax, weights=("$w_1$", "$w_2$"), bias="$b$", inputs=("$x_1$", "$x_2$"),
                        output="$y$"):
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
        ax.figure.colorbar(cs, ax=ax, label="neuron output $y$")
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
    ax.set_zlabel("$y$")
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


def neuron_view(w1, w2, b, gate="and"):
    """The figure of the lesson-01 widget: decision line (left) and output surface (right)."""
    gate = gate.lower()  # the widget's menu shows "AND", "OR", ...
    fig = Figure(figsize=(9.6, 4.2))
    ax = fig.add_subplot(1, 2, 1)
    draw_neuron_plane(ax, w1, w2, b, gate=gate, resolution=81)
    ax3 = fig.add_subplot(1, 2, 2, projection="3d")
    draw_neuron_surface(ax3, w1, w2, b, gate=gate)
    ax3.set_title(rf"$y = \sigma({w1:.1f}\,x_1 {w2:+.1f}\,x_2 {b:+.1f})$")
    fig.subplots_adjust(left=0.06, right=0.97, bottom=0.12, top=0.9, wspace=0.15)
    return fig


def _slider(description, value, lo, hi, step=0.1, continuous=False):
    import ipywidgets as w

    return w.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                         continuous_update=continuous, readout_format=".1f",
                         layout=w.Layout(width="320px"))


def _picture(view, controls):
    """An ``ipywidgets.Image`` showing ``view(*values of controls)``, redrawn on each change."""
    import ipywidgets as w

    image = w.Image(format="png")

    def update(_=None):
        image.value = figure_png(view(*(control.value for control in controls)))

    for control in controls:
        control.observe(update, names="value")
    update()
    return image


def neuron_widget(w1=1.0, w2=1.0, b=-1.5, gate="and"):
    """Sliders for w1, w2, b and a gate menu; the picture follows them."""
    import ipywidgets as w

    s1, s2, sb = _slider("w1", w1, -5, 5), _slider("w2", w2, -5, 5), _slider("b", b, -8, 8)
    dd = w.Dropdown(options=[g.upper() for g in GATE_NAMES], value=gate.upper(),
                    description="gate", layout=w.Layout(width="200px"))
    image = _picture(neuron_view, (s1, s2, sb, dd))
    return w.VBox([w.HBox([w.VBox([s1, s2, sb]), dd]), image])


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


def network_view(n_hidden, dataset="xor"):
    """The figure of the lesson-02 widget: decision regions and loss curve after training."""
    model, history, X, y = train_hidden_network(int(n_hidden), dataset)
    acc = accuracy(y, model.predict(X))
    fig = Figure(figsize=(9.6, 4.2))
    ax = fig.add_subplot(1, 2, 1)
    xx, yy, values = decision_grid(model.predict, X, resolution=80, margin=0.3)
    ax.contourf(xx, yy, values, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
    ax.contour(xx, yy, values, levels=[0.5], colors="k", linewidths=1.5)
    plot_data(X, y, ax=ax)
    ax.set_aspect("equal")
    ax.set_title(f"{n_hidden} hidden unit{'s' if n_hidden != 1 else ''}: "
                 f"accuracy {acc:.0%}")
    ax.legend(loc="lower left", fontsize=8)
    ax2 = fig.add_subplot(1, 2, 2)
    ax2.plot(np.arange(1, history.epochs + 1), history.train_loss, color=CLASS_COLORS[0])
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("cross-entropy loss")
    ax2.set_ylim(0, max(0.8, max(history.train_loss) * 1.05))
    ax2.set_title(f"training loss (final {history.train_loss[-1]:.3f})")
    ax2.grid(alpha=0.3)
    fig.subplots_adjust(left=0.07, right=0.97, bottom=0.12, top=0.9, wspace=0.3)
    return fig


def network_widget(n_hidden=2, dataset="xor"):
    """A hidden-units slider and a data-set menu; the network is retrained on each change."""
    import ipywidgets as w

    slider = w.IntSlider(value=n_hidden, min=1, max=8, description="hidden units",
                         continuous_update=False, style={"description_width": "initial"})
    dd = w.Dropdown(options=list(NETWORK_DATASETS), value=dataset, description="data")
    return w.VBox([w.HBox([slider, dd]), _picture(network_view, (slider, dd))])


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


def loss_view(p, y=1):
    """The figure of the lesson-03 widget: each loss against the prediction (left) and
    the gradient reaching the pre-activation z (right), with the current prediction marked.
    """
    p = float(np.clip(p, 1e-3, 1 - 1e-3))
    ps = np.linspace(0.001, 0.999, 400)
    mse = (ps - y) ** 2
    bce = -(y * np.log(ps) + (1 - y) * np.log1p(-ps))
    g_mse = 2 * (ps - y) * ps * (1 - ps)
    g_bce = ps - y
    now = preactivation_gradients(_logit(p), y)
    fig = Figure(figsize=(9.6, 4.0))
    ax = fig.add_subplot(1, 2, 1)
    ax.plot(ps, mse, color=CLASS_COLORS[0], lw=2, label="MSE $(p-y)^2$")
    ax.plot(ps, bce, color=CLASS_COLORS[1], lw=2, label="cross-entropy")
    ax.plot([p], [now["mse"]["loss"]], "o", color=CLASS_COLORS[0], ms=9)
    ax.plot([p], [now["bce"]["loss"]], "o", color=CLASS_COLORS[1], ms=9)
    ax.set_ylim(0, 5)
    ax.set_xlabel("prediction $p$")
    ax.set_ylabel("loss")
    ax.set_title(f"target y = {y}:  MSE {now['mse']['loss']:.3f},  CE {now['bce']['loss']:.3f}")
    ax.legend(loc="upper center", fontsize=9)
    ax.grid(alpha=0.3)
    ax2 = fig.add_subplot(1, 2, 2)
    ax2.plot(ps, g_mse, color=CLASS_COLORS[0], lw=2, label=r"MSE: $2(p-y)\,p(1-p)$")
    ax2.plot(ps, g_bce, color=CLASS_COLORS[1], lw=2, label="cross-entropy: $p-y$")
    ax2.plot([p], [now["mse"]["dL_dz"]], "o", color=CLASS_COLORS[0], ms=9)
    ax2.plot([p], [now["bce"]["dL_dz"]], "o", color=CLASS_COLORS[1], ms=9)
    ax2.axhline(0, color="grey", lw=0.8)
    ax2.set_ylim(-1.05, 1.05)
    ax2.set_xlabel("prediction $p$")
    ax2.set_ylabel(r"$\partial L / \partial z$")
    ax2.set_title(f"gradient at z:  MSE {now['mse']['dL_dz']:+.4f},  CE {now['bce']['dL_dz']:+.4f}")
    ax2.legend(loc="upper left" if y == 1 else "lower left", fontsize=9)
    ax2.grid(alpha=0.3)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.13, top=0.9, wspace=0.28)
    return fig


def loss_widget(p=0.1, y=1):
    """A prediction slider and a target toggle; losses and gradients follow."""
    import ipywidgets as w

    slider = w.FloatSlider(value=p, min=0.001, max=0.999, step=0.001, description="p",
                           readout_format=".3f", continuous_update=False,
                           layout=w.Layout(width="420px"))
    target = w.ToggleButtons(options=[0, 1], value=y, description="target y",
                             style={"button_width": "48px"})
    return w.VBox([w.HBox([slider, target]), _picture(loss_view, (slider, target))])
