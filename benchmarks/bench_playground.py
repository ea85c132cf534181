"""How fast does the lesson-09 playground redraw?  Reports redraws per second.

The task of the issue: the moons data, two hidden layers of 8 units, at least 10 redraws a
second, each after one or more epochs. Three measurements, each on a fixed wall-clock budget:

1. state + renderer:  ``state.step()`` (1 epoch) then the picture, in a loop: as before issue
   14 (no diagram, epoch and loss titles drawn in the picture, PNG), and as the widget draws it
   now (the network diagram: every neuron's heatmap from ``state.neuron_surfaces``, links,
   biases; the titles in the widget's label instead; JPEG), with links showing weights and
   showing gradients;
2. the widget's own play loop (with its diagram, as a learner gets it): ``Playground.on_play()``
   runs its background thread (no frame cap) for the budget while the main thread sleeps; we
   count the pictures it put in the Image;
3. the same loop with the widget's default frame cap (``max_fps=20``), i.e. what a learner gets.

No browser here: the widget has no front end, so this is kernel-side work only (training,
rendering, JPEG encoding). The browser test tests/browser/test_playground_browser.py measures
the rate the picture actually changes in Chromium.

    .venv/bin/python benchmarks/bench_playground.py [--seconds 3]
"""
import argparse
import platform
import time

import numpy as np

from course_lib.playground import PlaygroundState
from course_lib.widgets.playground import Playground
from course_lib.widgets.playground_render import PlaygroundRenderer


def state():
    return PlaygroundState("moons", hidden=(8, 8), activation="tanh", learning_rate=0.03,
                           batch_size=10, seed=0)


def bench_loop(seconds, diagram=False, gradients=False, titles=False, encode="jpeg"):
    s, r = state(), PlaygroundRenderer(diagram=diagram, titles=titles)
    r.show_gradients = gradients
    picture = r.jpeg if encode == "jpeg" else r.png
    picture(s)  # build the artists once
    frames, epochs0 = 0, s.epoch
    step_t = draw_t = 0.0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        s.step()
        t1 = time.perf_counter()
        picture(s)
        t2 = time.perf_counter()
        step_t += t1 - t0
        draw_t += t2 - t1
        frames += 1
    wall = time.perf_counter() - start
    return {"redraws/s": frames / wall, "epochs/redraw": (s.epoch - epochs0) / frames,
            "ms step": 1000 * step_t / frames, "ms render+encode": 1000 * draw_t / frames,
            "bytes": len(picture(s))}


def bench_widget(seconds, max_fps):
    pg = Playground(state=state(), max_fps=max_fps)
    f0, e0 = pg.frames, pg.state.epoch
    start = time.perf_counter()
    pg.on_play()
    time.sleep(seconds)
    pg.on_pause()
    wall = time.perf_counter() - start
    frames = pg.frames - f0
    return {"redraws/s": frames / wall, "epochs/redraw": (pg.state.epoch - e0) / max(frames, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    print("playground redraw benchmark: moons, hidden (8, 8), tanh, batch 10, 1 epoch per redraw")
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    rows = [
        ("before: no diagram, titles, PNG", bench_loop(args.seconds, titles=True, encode="png")),
        ("now: diagram, JPEG (as the widget)", bench_loop(args.seconds, diagram=True)),
        ("  ... diagram showing gradients", bench_loop(args.seconds, diagram=True, gradients=True)),
        ("widget play loop (diagram), uncapped", bench_widget(args.seconds, max_fps=0)),
        ("widget play loop (diagram), cap 20/s", bench_widget(args.seconds, max_fps=20)),
    ]
    for name, r in rows:
        extra = ", ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}"
                          for k, v in r.items() if k != "redraws/s")
        print(f"{name:40s} {r['redraws/s']:6.1f} redraws/s   ({extra})")
    plain, diagram = rows[0][1]["redraws/s"], rows[1][1]["redraws/s"]
    print(f"now / before, same process: {diagram / plain:.2f} times the redraw rate "
          f"(the machine's load moves both rates; their ratio much less)")
    ok = rows[3][1]["redraws/s"] >= 10
    print("target >= 10 redraws/s with the diagram (widget play loop, uncapped):",
          "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
