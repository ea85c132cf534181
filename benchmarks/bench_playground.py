"""How fast does the lesson-09 playground redraw?  Reports redraws per second.

The task of the issue: the moons data, two hidden layers of 8 units, at least 10 redraws a
second, each after one or more epochs. Three measurements, each on a fixed wall-clock budget:

1. state + renderer:  ``state.step()`` (1 epoch) then ``renderer.png(state)``, in a loop;
2. the widget's own play loop: ``Playground.on_play()`` runs its background thread (no frame
   cap) for the budget while the main thread sleeps; we count the PNGs it put in the Image;
3. the same loop with the widget's default frame cap (``max_fps=20``), i.e. what a learner gets.

No browser here: the widget has no front end, so this is kernel-side work only (training,
rendering, PNG encoding). The browser test tests/browser/test_playground_browser.py measures
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


def bench_loop(seconds):
    s, r = state(), PlaygroundRenderer()
    r.png(s)  # build the artists once
    frames, epochs0 = 0, s.epoch
    step_t = draw_t = 0.0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        s.step()
        t1 = time.perf_counter()
        r.png(s)
        t2 = time.perf_counter()
        step_t += t1 - t0
        draw_t += t2 - t1
        frames += 1
    wall = time.perf_counter() - start
    return {"redraws/s": frames / wall, "epochs/redraw": (s.epoch - epochs0) / frames,
            "ms step": 1000 * step_t / frames, "ms render+png": 1000 * draw_t / frames,
            "png bytes": len(r.png(s))}


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
    print(f"playground redraw benchmark: moons, hidden (8, 8), tanh, batch 10, 1 epoch per redraw")
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    rows = [
        ("state.step + renderer.png", bench_loop(args.seconds)),
        ("widget play loop, uncapped", bench_widget(args.seconds, max_fps=0)),
        ("widget play loop, default cap 20/s", bench_widget(args.seconds, max_fps=20)),
    ]
    for name, r in rows:
        extra = ", ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}"
                          for k, v in r.items() if k != "redraws/s")
        print(f"{name:38s} {r['redraws/s']:6.1f} redraws/s   ({extra})")
    ok = rows[1][1]["redraws/s"] >= 10
    print("target >= 10 redraws/s:", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
