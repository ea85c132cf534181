"""How fast do the widgets of lessons 01-03 redraw?  Milliseconds per update, updates a second.

A redraw-only widget (course_lib/widgets/basics.py) follows its slider while it is dragged, so
one update (the widget's plain callback: ``picture.draw(values)`` then ``.png()``, the bytes
the ``ipywidgets.Image`` gets) must fit in 100 ms: the budget is >= 10 updates a second. Each
widget is measured on a sweep of slider values, as a drag sends them, against a reference in
the same process: a fresh figure drawn whole and saved with matplotlib's ``savefig`` at the
same size (how the widgets redrew before they reused their figure). The ratio is what
transfers between machines; the absolute times depend on the machine and its load, so both
the wall-clock time and this process's CPU time (what the update costs on an idle machine)
are printed. The "1x" column is one update while a slider is dragged: the widget then draws
its pictures at 1x (a quarter of the pixels) and the 2x picture once the drag stops.

The live widgets of lessons 05-08 retrain on each change; their time is the experiment's
(``course_lib.experiments``) plus one render, also reported (one call each, default settings).

    .venv/bin/python benchmarks/bench_widgets.py [--rounds 3]
"""
import argparse
import io
import os
import platform
import time

import numpy as np

from course_lib import experiments
from course_lib.plots import CSS_DPI, SCALE, figure_png
from course_lib.widgets import basics, live


def per_call(fn, values, rounds):
    """Median over ``rounds`` of the mean (wall, CPU) milliseconds of ``fn(v)`` over ``values``."""
    fn(values[0])                                         # warm up: first draw, caches
    wall, cpu = [], []
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        for v in values:
            fn(v)
        wall.append((time.perf_counter() - t0) / len(values) * 1000)
        cpu.append((time.process_time() - c0) / len(values) * 1000)
    return float(np.median(wall)), float(np.median(cpu))


def savefig_png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=CSS_DPI * SCALE)
    return buf.getvalue()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=12, help="slider positions per sweep")
    args = parser.parse_args(argv)
    n = args.steps
    neuron = basics.NeuronPicture("and")
    network = basics.NetworkPicture("xor")
    for k in range(1, 9):
        basics.train_hidden_network(k, "xor")             # trained once, as the widget caches it
    loss = basics.LossPicture(1)
    cases = [
        ("01 neuron (w1 dragged)", np.linspace(-2, 3, n),
         lambda w1, scale=SCALE: neuron.draw(w1, 1.0, -1.5).png(scale),
         lambda w1: savefig_png(basics.neuron_view(w1, 1.0, -1.5))),
        ("02 network (hidden units)", [1 + k % 8 for k in range(n)],
         lambda h, scale=SCALE: network.draw(h).png(scale),
         lambda h: savefig_png(basics.network_view(h))),
        ("03 loss (p dragged)", np.linspace(0.01, 0.99, n),
         lambda p, scale=SCALE: loss.draw(p).png(scale),
         lambda p: savefig_png(basics.loss_view(p, 1))),
    ]
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}; PNG at {SCALE}x ({CSS_DPI * SCALE} dpi)")
    print(f"{'widget':28s} {'wall ms':>8s} {'CPU ms':>7s} {'updates/s (CPU)':>16s} "
          f"{'fresh+savefig CPU ms':>21s} {'speed-up':>9s} {'1x CPU ms':>10s}  budget: 100 ms (10 updates/s)")
    for name, values, fast, fresh in cases:
        wall, cpu = per_call(fast, values, args.rounds)
        _, quick = per_call(lambda v: fast(v, scale=1), values, args.rounds)   # during a drag
        _, ref = per_call(fresh, values[: max(3, n // 4)], 1)
        print(f"{name:28s} {wall:8.1f} {cpu:7.1f} {1000 / cpu:16.1f} {ref:21.1f} {ref / cpu:8.1f}x "
              f"{quick:10.1f}  {'ok' if cpu <= 100 else 'OVER'}")
    print()
    print("live widgets (lessons 05-08): one retrain + render at default settings")
    # each widget's own way to its PNG: a fresh figure, except lesson 08's reused picture
    picture = live.RegularizationPicture()
    live_cases = [("05 gradient descent", lambda: experiments.retrain_for_lr(0.1, "sgd"),
                   lambda r: figure_png(live.render_gradient_descent(r))),
                  ("06 activations", lambda: experiments.retrain_for_activation("relu", 0.4),
                   lambda r: figure_png(live.render_activation(r))),
                  ("07 gradient norms", lambda: experiments.gradient_bars_for(10, "sigmoid", "xavier"),
                   lambda r: figure_png(live.render_gradient_bars(r))),
                  ("08 regularization", lambda: experiments.retrain_with_regularization("L2", 0.5),
                   lambda r: picture.draw(r).png())]
    print(f"{'widget':28s} {'compute CPU ms':>14s} {'render CPU ms':>14s} {'total wall ms':>14s}  "
          f"budget: 333 ms on an idle machine")
    for name, compute, to_png in live_cases:
        to_png(compute())                                  # warm up (lesson 08: its background)
        t0, c0 = time.perf_counter(), time.process_time()
        result = compute()
        c1 = time.process_time()
        to_png(result)
        c2, t2 = time.process_time(), time.perf_counter()
        print(f"{name:28s} {(c1 - c0) * 1000:14.0f} {(c2 - c1) * 1000:14.0f} {(t2 - t0) * 1000:14.0f}")

if __name__ == "__main__":
    main()
