"""Lesson 04: step through backpropagation, one quantity per click (presentation floor).

The steps come from ``course_lib.backprop_steps.backprop_steps`` (plain NumPy, in the core);
this module only draws them and wires the buttons:

    stepper_figure(model, steps, position)  the network with every quantity revealed so far,
                                            the one just computed lit up in gold
    Stepper(model, x, y, loss)              the widget: "next step" reveals one quantity,
                                            "forward" / "backward" / "update" finish that
                                            phase, "reset" starts again; with "guess first"
                                            the learner types the next value before seeing it

Every callback is a method (``on_next()``, ``on_phase("backward")``, ``on_reset()``,
``on_guess_toggle(True)``), so tests drive the widget without a browser.
"""
import numpy as np
from matplotlib.figure import Figure

from ..backprop_steps import LESSON_NAMES, is_lesson_network, backprop_steps, network_structure
from ..losses import get_loss
from ..plots import css_width, figure_png

__all__ = ["stepper_figure", "Stepper", "backprop_stepper", "backprop_steps"]

LIT = "#f0b400"            # the quantity being computed
PHASE_COLORS = {"forward": "#1f77b4", "backward": "#c0392b", "update": "#2e8b57"}


def _layout(model, lesson):
    """Node positions and the diagram's names: inputs, units, the loss; links; biases."""
    pairs = network_structure(model)
    sizes = [pairs[0][0].n_in] + [d.n_out for d, _ in pairs]
    gap = 3.4 if max(sizes) <= 2 else 5.0          # wider layers have more labels to place
    name = (lambda g: LESSON_NAMES.get(g, g)) if lesson else (lambda g: g)
    unit_names = {"1_1": "h1", "1_2": "h2", "2_1": "o1"} if lesson else {}
    nodes, links, biases = {}, {}, {}
    for l, n in enumerate(sizes):
        for j in range(n):
            key = f"x{j + 1}" if l == 0 else unit_names.get(f"{l}_{j + 1}", f"{l}_{j + 1}")
            nodes[key] = (gap * l, 2.4 * ((n - 1) / 2 - j))
    last = [k for k in nodes][-sizes[-1]:]
    nodes["L"] = (gap * (len(sizes) - 1) + 2.4, 0.0)
    for l, (dense, _) in enumerate(pairs, start=1):
        for i in range(dense.n_in):
            for j in range(dense.n_out):
                src = f"x{i + 1}" if l == 1 else unit_names.get(f"{l - 1}_{i + 1}", f"{l - 1}_{i + 1}")
                dst = unit_names.get(f"{l}_{j + 1}", f"{l}_{j + 1}")
                links[name(f"W{l}[{i + 1},{j + 1}]")] = (src, dst)
        for j in range(dense.n_out):
            biases[name(f"b{l}[{j + 1}]")] = unit_names.get(f"{l}_{j + 1}", f"{l}_{j + 1}")
    return nodes, links, biases, last


def _initial_values(model, lesson):
    """The weights and biases before the step, by their diagram names."""
    name = (lambda g: LESSON_NAMES.get(g, g)) if lesson else (lambda g: g)
    values = {}
    for l, (dense, _) in enumerate(network_structure(model), start=1):
        for i in range(dense.n_in):
            for j in range(dense.n_out):
                values[name(f"W{l}[{i + 1},{j + 1}]")] = float(dense.W[i, j])
        for j in range(dense.n_out):
            values[name(f"b{l}[{j + 1}]")] = float(dense.b[j])
    return values


def stepper_figure(model, steps, position, x=None, lesson=None, figsize=None):
    """The network after the first ``position`` steps: a matplotlib ``Figure`` (no pyplot).

    Nodes show their forward values, links their weight, then dL/dw once computed, then the
    updated weight; biases likewise (the small box under each neuron); the inputs show ``x``.
    The last revealed step is lit up in gold and written out in full in the title.
    """
    from matplotlib.patches import Circle

    if lesson is None:
        lesson = len(steps) > 0 and steps[0]["name"] == "sum_h1"
    nodes, links, biases, _ = _layout(model, lesson)
    params = _initial_values(model, lesson)
    shown = steps[:position]
    current = shown[-1] if shown else None
    lit = current["target"] if current else None
    node_text, grad, new = {}, {}, {}
    for st in shown:
        kind, key = st["target"]
        if st["phase"] == "forward":
            node_text.setdefault(key, []).append(f"{st['name']} = {st['value']:.4f}")
        elif st["phase"] == "backward" and st["name"].startswith("dL/d") and kind in ("link", "bias"):
            grad[key] = st["value"]
        elif st["phase"] == "backward" and kind == "node":
            node_text.setdefault(key, []).append(f"{st['name']} = {st['value']:+.4f}")
        elif st["phase"] == "update":
            new[key] = st["value"]

    if figsize is None:
        top = max(abs(p[1]) for p in nodes.values())
        figsize = (9.6 if top <= 1.2 else 11.0, 4.6 if top <= 1.2 else 1.6 + 1.5 * top)
    fig = Figure(figsize=figsize, dpi=80)
    ax = fig.add_axes([0.01, 0.02, 0.98, 0.84])
    r = 0.42
    for key, (src, dst) in links.items():
        (xa, ya), (xb, yb) = nodes[src], nodes[dst]
        on = lit == ("link", key)
        ax.annotate("", xy=(xb - r, yb), xytext=(xa + r, ya),
                    arrowprops=dict(arrowstyle="-|>", color=LIT if on else "#777777",
                                    lw=4 if on else 1.2, shrinkA=0, shrinkB=0), zorder=1)
        label = f"{key} = {params[key]:.3f}"
        if key in grad:
            label += f"\ndL/d{key} = {grad[key]:+.4f}"
        if key in new:
            label += f"\nnew {key} = {new[key]:.4f}"
        t = 0.3 if src.startswith("x") else 0.5
        ax.text(xa + t * (xb - xa), ya + t * (yb - ya) + 0.12, label, ha="center", va="bottom",
                fontsize=7.5, zorder=5, bbox=dict(boxstyle="round,pad=0.15", ec=LIT if on else "none",
                                                  fc="#fff3c4" if on else "white", alpha=0.9))
    _, _, _, outputs = _layout(model, lesson)
    for key in outputs:                             # the outputs feed the loss
        (xa, ya), (xb, yb) = nodes[key], nodes["L"]
        d = np.hypot(xb - xa, yb - ya)
        ax.annotate("", xy=(xb - r * (xb - xa) / d, yb - r * (yb - ya) / d),
                    xytext=(xa + r * (xb - xa) / d, ya + r * (yb - ya) / d),
                    arrowprops=dict(arrowstyle="-|>", color="#777777", lw=1.2, ls="--"), zorder=1)
    for key, (px, py) in nodes.items():
        on = lit == ("node", key)
        face = "#fff5d6" if key.startswith("x") else ("#e3f4e1" if key == "L" else "#eef3fb")
        ax.add_patch(Circle((px, py), r, fc=LIT if on else face, ec="#333333", lw=2.5 if on else 1.3,
                            zorder=3))
        ax.text(px, py, key, ha="center", va="center", fontsize=11, zorder=4)
        lines = node_text.get(key, [])
        if key.startswith("x") and x is not None:
            lines = [f"{key} = {float(np.ravel(x)[int(key[1:]) - 1]):.4g}"]
        if lines:
            ax.text(px, py + r + 0.06, "\n".join(lines[-3:]), ha="center", va="bottom", fontsize=7.5,
                    color="#1f4e79", zorder=5)
    for key, unit in biases.items():
        px, py = nodes[unit]
        on = lit == ("bias", key)
        label = f"bias {key} = {params[key]:.3f}"
        if key in grad:
            label += f"\ndL/d{key} = {grad[key]:+.4f}"
        if key in new:
            label += f"\nnew {key} = {new[key]:.4f}"
        ax.text(px, py - r - 0.12, label, ha="center", va="top", fontsize=7.5, zorder=4,
                bbox=dict(boxstyle="square,pad=0.25", fc=LIT if on else "#f4f4f4",
                          ec="#555555", lw=1.5 if on else 0.6))
    xs = [p[0] for p in nodes.values()]
    ys = [p[1] for p in nodes.values()]
    ax.set_xlim(min(xs) - 0.8, max(xs) + 0.8)
    ax.set_ylim(min(ys) - 1.3, max(ys) + 1.2)
    ax.set_aspect("equal")
    ax.axis("off")
    color = PHASE_COLORS[current["phase"]] if current else "#333333"
    fig.text(0.01, 0.95, stepper_title(steps, position), fontsize=10, color=color, va="top")
    return fig


def stepper_title(steps, position):
    """The picture's title: the last revealed step written out in full."""
    if position == 0:
        return "press 'next step' (or a phase button) to start the forward pass"
    current = steps[position - 1]
    return (f"step {position} of {len(steps)} ({current['phase']}):  {current['formula']}"
            f"  =  {current['value']:+.6f}")


# the picture's text alternative (``DescribedImage``), followed by its title
STEPPER_ALT = ("The network from inputs to loss: each neuron shows its forward values, each link its "
               "weight, then dL/dw once computed, then the updated weight; biases likewise, in the "
               "box under each neuron. The quantity just computed is lit up in gold.")


class Stepper:
    """The backpropagation stepper: ``Stepper(model, x, y, loss).widget``.

    ``lr`` is the learning rate of the update phase. ``guess=True`` starts with the
    "guess first" box ticked.
    """

    def __init__(self, model, x, y, loss="mse", lr=0.1, guess=False):
        import ipywidgets as W

        from .image import DescribedImage

        self.model = model
        self.x = x
        self.steps = backprop_steps(model, x, y, loss, lr=lr)
        self.lesson = is_lesson_network(network_structure(model), get_loss(loss))
        self.position = 0
        self.guessed = []                     # (step name, guess, value, right?)

        def tag(widget, name):
            widget.add_class(f"stepper-{name}")
            return widget

        button = W.Layout(width="110px")
        self.next_button = tag(W.Button(description="next step", icon="step-forward",
                                        button_style="primary", layout=button), "next")
        self.phase_buttons = {
            phase: tag(W.Button(description=phase, layout=button,
                                tooltip=f"reveal the rest of the {phase} phase"), phase)
            for phase in ("forward", "backward", "update")}
        self.reset_button = tag(W.Button(description="reset", icon="undo", layout=button), "reset")
        self.guess_on = tag(W.Checkbox(value=bool(guess), description="guess first", indent=False,
                                       layout=W.Layout(width="110px")), "guess-on")
        self.guess = tag(W.FloatText(value=0.0, description="your guess",
                                     layout=W.Layout(width="200px")), "guess")
        self.feedback = tag(W.HTML(value=""), "feedback")
        self.progress = tag(W.HTML(value=""), "progress")
        self.image = tag(DescribedImage(STEPPER_ALT, format="png",
                                        layout=W.Layout(max_width="100%", height="auto")), "image")
        self.next_button.on_click(lambda _: self.on_next())
        for phase, b in self.phase_buttons.items():
            b.on_click(lambda _, p=phase: self.on_phase(p))
        self.reset_button.on_click(lambda _: self.on_reset())
        self.guess_on.observe(lambda change: self.on_guess_toggle(change["new"]), names="value")
        controls = W.HBox([self.next_button, *self.phase_buttons.values(), self.reset_button],
                          layout=W.Layout(align_items="center"))
        guessing = W.HBox([self.guess_on, self.guess, self.feedback],
                          layout=W.Layout(align_items="center"))
        self.widget = W.VBox([controls, guessing, self.progress, self.image])
        self.widget.add_class("stepper")
        self.on_guess_toggle(self.guess_on.value)
        self.redraw()

    # ------------------------------------------------------------------ state
    @property
    def current(self):
        """The last revealed step (a dict) or None."""
        return self.steps[self.position - 1] if self.position else None

    def phase_end(self, phase):
        """The position just after the last step of ``phase``."""
        return max(i for i, st in enumerate(self.steps) if st["phase"] == phase) + 1

    # ------------------------------------------------------------------ callbacks
    def on_next(self):
        """Reveal one more quantity (checking the guess first, when guessing)."""
        if self.position >= len(self.steps):
            return
        step = self.steps[self.position]
        if self.guess_on.value:
            value, guess = step["value"], float(self.guess.value)
            right = abs(guess - value) <= 0.01 * max(abs(value), 1e-3) + 5e-5
            self.guessed.append((step["name"], guess, value, right))
            self.feedback.value = (f"{step['name']}: you guessed {guess:+.4f}, it is {value:+.4f} "
                                   + ("<b style='color:#2e8b57'>right</b>" if right
                                      else "<b style='color:#c0392b'>not quite</b>"))
        self.position += 1
        self.redraw()

    def on_phase(self, phase):
        """Reveal everything up to the end of ``phase`` ("forward", "backward", "update")."""
        self.position = max(self.position, self.phase_end(phase))
        self.redraw()

    def on_reset(self):
        self.position = 0
        self.guessed = []
        self.feedback.value = ""
        self.redraw()

    def on_guess_toggle(self, on):
        self.guess.layout.display = None if on else "none"
        if not on:
            self.feedback.value = ""

    def redraw(self):
        fig = stepper_figure(self.model, self.steps, self.position, x=self.x, lesson=self.lesson)
        self.image.width = str(css_width(fig))      # CSS_DPI px per inch: 7.5 pt text is 10 px
        self.image.value = figure_png(fig)          # drawn at SCALE times that
        self.image.alt = f"{STEPPER_ALT} Title: {stepper_title(self.steps, self.position)}"
        nxt = self.steps[self.position] if self.position < len(self.steps) else None
        counts = {p: sum(st["phase"] == p for st in self.steps) for p in PHASE_COLORS}
        done = "all steps done: the weights are updated" if nxt is None else \
            f"next: <b>{nxt['name']}</b> ({nxt['phase']})"
        self.progress.value = (f"<span class='stepper-position'>{self.position} / {len(self.steps)}</span>"
                               f" steps ({counts['forward']} forward, {counts['backward']} backward, "
                               f"{counts['update']} update) &middot; {done}")

    def _repr_mimebundle_(self, **kwargs):
        """Shown as its widget when it is the last line of a cell."""
        return self.widget._repr_mimebundle_(**kwargs)


def backprop_stepper(model, x, y, loss="mse", lr=0.1, guess=False):
    """The stepper widget for one sample ``(x, y)``; display the returned ``Stepper``."""
    return Stepper(model, x, y, loss, lr=lr, guess=guess)
