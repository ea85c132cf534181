"""How fast does course_lib train, next to hand-written NumPy and PyTorch?

Three workloads; (a) and (b) are timed per training step and per epoch, (c) per step:

  (a) digits  64 -> 64 ReLU -> 10, batch 32, SGD, float64, on course_lib.datasets.load_digits()
  (b) mnist-shaped  784 -> 256 ReLU -> 10, batch 128, SGD, float32, 60,000 random rows
  (c) public-API step: (a)'s network and batches, one step of a learner's loop written with
      the public API only -- logits = model.forward(xb); loss = loss_fn.forward(logits, yb)
      (checked); model.backward(loss_fn.backward()); optimizer.step(model) -- against the
      hand-written NumPy step (and course_lib's unchecked train() step, for reference)

Contenders (each with the same initial weights and the same batches):

  course_lib   model.forward, loss._forward, model.backward(..., need_grad_in=False),
               optimizer.step(model): the step inside course_lib.train(); its epoch is
               one call of course_lib.train(..., epochs=1, progress=False)
  numpy        a minimal hand-written NumPy step of the same network (CS231n style)
  pytorch      nn.Sequential + F.cross_entropy + torch.optim.SGD, eager (no torch.compile),
               on the CPU; skipped, with a note, when torch is not installed

The contenders run interleaved in one process: every round runs each contender in turn
(the order rotates from round to round), first a few untimed warm-up steps, then the timed
steps. The figures are medians over rounds, and each ratio is the median over rounds of
(contender / reference) within the same round, so a change of machine load between rounds
cancels out. For (b) a float32 matmul peak is measured in the same rounds, and the
network's necessary FLOPs per step are divided by the step time.

Run:  python benchmarks/bench_training.py            (about a minute)
      python benchmarks/bench_training.py --quick    (a few seconds; figures are rough)
Options: --threads N (BLAS and torch threads, default 1), --rounds N (step rounds),
         --no-torch (leave PyTorch out even when installed), --only a|b|c (one workload),
         --cpu-time (time the blocks with the thread's CPU time: on a loaded machine the
         wall clock adds the time spent waiting for a core, which pulls ratios toward 1).
"""
import argparse
import os
import sys
import time


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (a few seconds)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for NumPy's BLAS and for torch (default 1: see README)")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds per timing")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    parser.add_argument("--only", choices=("a", "b", "c"), help="run one workload only")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time with this thread's CPU time instead of the wall clock "
                             "(steadier on a loaded machine; single-thread runs only)")
    return parser.parse_args(argv)


ARGS = parse_args() if __name__ == "__main__" else parse_args([])
THREADS = max(1, ARGS.threads)
#: the clock of the timed blocks: wall clock, or (--cpu-time) this thread's CPU time
CLOCK = time.thread_time if ARGS.cpu_time else time.perf_counter
#: with several threads, seconds of untimed warm-up before each timed block (see interleave)
SETTLE = 0.0 if THREADS == 1 or ARGS.quick else 0.2
# The BLAS reads its thread count when NumPy is first imported: set it before that.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(THREADS)

import numpy as np  # noqa: E402

import course_lib as cl  # noqa: E402

try:
    if ARGS.no_torch:
        raise ImportError("--no-torch was given")
    import torch
    import torch.nn.functional as F
    from torch import nn

    torch.set_num_threads(THREADS)
    TORCH_NOTE = f"torch {torch.__version__}, {torch.get_num_threads()} threads, eager"
except ImportError as exc:
    torch = None
    TORCH_NOTE = f"PyTorch not installed ({exc}): NumPy comparisons only"


def blas_threads():
    """NumPy's BLAS thread count as the library reports it (OpenBLAS), else None."""
    import ctypes

    try:
        with open("/proc/self/maps") as maps:
            libs = sorted({line.split()[-1] for line in maps if "openblas" in line.lower()})
    except OSError:
        return None
    for path in libs:
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_",
                     "openblas_get_num_threads"):
            if hasattr(lib, name):
                return int(getattr(lib, name)())
    return None


# ---------------------------------------------------------------------------------------
# The contenders. Each ``make_*`` returns ``step(i)``, which runs training step number i
# on batch i % n_batches and returns the loss (a float, as course_lib's step does), and
# ``epoch(seed)``, which runs one shuffled pass over all the data.
# ---------------------------------------------------------------------------------------
def initial_weights(sizes, dtype, seed=0):
    """[(W, b), ...] from course_lib's He initialisation, shared by every contender."""
    model = cl.mlp(sizes, activation="relu", seed=seed, dtype=dtype)
    return [(layer.W.copy(), layer.b.copy()) for layer in model.layers if isinstance(layer, cl.Dense)]


def sequential_from(weights):
    """Dense, ReLU, ..., Dense with the given weights."""
    layers = []
    for i, (W, b) in enumerate(weights):
        dense = cl.Dense(*W.shape, dtype=W.dtype)
        dense.W[...] = W
        dense.b[...] = b
        layers.append(dense)
        if i < len(weights) - 1:
            layers.append(cl.ReLU())
    return cl.Sequential(layers)


def make_course_lib(weights, batches, X, y, lr, batch_size):
    model = sequential_from(weights)
    loss = cl.CrossEntropy()
    optimizer = cl.SGD(lr=lr)

    def step(i):
        xb, yb = batches[i % len(batches)]
        value = loss._forward(model.forward(xb), yb)
        model.backward(loss.backward(), need_grad_in=False)
        optimizer.step(model)
        return value

    def epoch(seed):
        cl.train(model, X, y, loss, optimizer, epochs=1, batch_size=batch_size, seed=seed,
                 progress=False)

    def epoch_loop(seed):
        """The same steps in a bare loop: what train() costs on top of them."""
        rng = np.random.default_rng(seed)
        for idx in cl.training.iterate_minibatches(len(X), batch_size, rng):
            loss._forward(model.forward(X[idx]), y[idx])
            model.backward(loss.backward(), need_grad_in=False)
            optimizer.step(model)

    return step, epoch, epoch_loop


def make_public_api(weights, batches, lr):
    """A learner's loop body, written with the public API only (workload (c)).

    ``loss.forward`` checks its inputs (shapes, dtypes, NaN/inf, label range) and
    ``model.backward`` is called as a learner calls it, without ``need_grad_in``.
    """
    model = sequential_from(weights)
    loss_fn = cl.CrossEntropy()
    optimizer = cl.SGD(lr)

    def step(i):
        xb, yb = batches[i % len(batches)]
        logits = model.forward(xb)
        loss = loss_fn.forward(logits, yb)
        model.backward(loss_fn.backward())
        optimizer.step(model)
        return loss

    return step


def make_numpy(weights, batches, X, y, lr, batch_size):
    (W1, b1), (W2, b2) = [(W.copy(), b.copy()) for W, b in weights]

    def train_step(x, labels):
        nonlocal W1, b1, W2, b2  # updated in place below
        n = x.shape[0]
        # forward
        h = x @ W1 + b1                      # (N, H)
        a = np.maximum(h, 0)                 # ReLU
        z = a @ W2 + b2                      # (N, C) logits
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        rows = np.arange(n)
        loss = float(np.mean(np.log(s[:, 0]) - z[rows, labels]))
        # backward: dL/dz = (softmax - onehot) / N
        dz = e / s
        dz[rows, labels] -= 1
        dz /= n
        dW2 = a.T @ dz
        db2 = dz.sum(axis=0)
        dh = (dz @ W2.T) * (h > 0)
        dW1 = x.T @ dh
        db1 = dh.sum(axis=0)
        # SGD
        W1 -= lr * dW1
        b1 -= lr * db1
        W2 -= lr * dW2
        b2 -= lr * db2
        return loss

    def step(i):
        return train_step(*batches[i % len(batches)])

    def epoch(seed):
        order = np.random.default_rng(seed).permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            train_step(X[idx], y[idx])

    return step, epoch


def make_torch(weights, batches, X, y, lr, batch_size):
    dtype = torch.float64 if weights[0][0].dtype == np.float64 else torch.float32
    (W1, b1), (W2, b2) = weights
    model = nn.Sequential(nn.Linear(*W1.shape), nn.ReLU(), nn.Linear(*W2.shape)).to(dtype)
    with torch.no_grad():
        for linear, W, b in ((model[0], W1, b1), (model[2], W2, b2)):
            linear.weight.copy_(torch.from_numpy(W.T.copy()))
            linear.bias.copy_(torch.from_numpy(b))
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    tbatches = [(torch.from_numpy(xb), torch.from_numpy(yb)) for xb, yb in batches]
    tX, ty = torch.from_numpy(X), torch.from_numpy(y)

    def train_step(xb, yb):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()
        return loss.item()

    def step(i):
        return train_step(*tbatches[i % len(tbatches)])

    def epoch(seed):
        generator = torch.Generator().manual_seed(seed)
        order = torch.randperm(len(tX), generator=generator)
        for start in range(0, len(tX), batch_size):
            idx = order[start:start + batch_size]
            train_step(tX[idx], ty[idx])

    return step, epoch


# ---------------------------------------------------------------------------------------
# Interleaved timing
# ---------------------------------------------------------------------------------------
def interleave(runs, rounds, repeat=1, warmup=0, override=None, settle=None):
    """Time ``runs`` (name -> callable(i)) in rotating order; return name -> [seconds per call].

    Each round, each contender makes ``warmup`` untimed calls and then ``repeat`` timed ones
    (the time per call is their mean). Warm-up lets caches and thread pools settle after the
    previous contender. ``override`` maps a name to its own ``(repeat, warmup)``.
    ``settle`` (seconds; default SETTLE) stretches the warm-up to at least that long: with
    several threads, the previous contender's thread pool keeps spinning for a while
    (OpenBLAS for about 0.1 s) and would slow the next one down.
    """
    settle = SETTLE if settle is None else settle
    names = list(runs)
    times = {name: [] for name in names}
    counter = 0
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            run = runs[name]
            n_timed, n_warm = (override or {}).get(name, (repeat, warmup))
            warm_start = time.perf_counter()
            done = 0
            while done < n_warm or time.perf_counter() - warm_start < settle:
                run(counter)
                counter += 1
                done += 1
            start = CLOCK()
            for _ in range(n_timed):
                run(counter)
                counter += 1
            times[name].append((CLOCK() - start) / n_timed)
    return times


def paired_ratio(times, name, reference):
    """Median over rounds of time[name] / time[reference] in the same round."""
    return float(np.median(np.asarray(times[name]) / np.asarray(times[reference])))


def fmt_time(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.1f} us"
    if seconds < 1:
        return f"{seconds * 1e3:8.2f} ms"
    return f"{seconds:8.3f} s "


def print_table(title, times, references, extra=None):
    """One row per contender: median time, then its ratio to each reference."""
    print(f"\n{title}")
    header = f"  {'contender':<24}{'median':>12}  {'spread (p10-p90)':>22}"
    for ref in references:
        header += f"  {'/ ' + ref:>14}"
    if extra:
        header += f"  {extra[0]:>22}"
    print(header)
    for name, ts in times.items():
        ts = np.asarray(ts)
        lo, hi = np.percentile(ts, [10, 90])
        row = f"  {name:<24}{fmt_time(np.median(ts)):>12}  {fmt_time(lo) + ' -' + fmt_time(hi):>22}"
        for ref in references:
            row += f"  {paired_ratio(times, name, ref):>13.3f}x" if ref in times else f"  {'-':>14}"
        if extra:
            row += f"  {extra[1](name):>22}"
        print(row)


# ---------------------------------------------------------------------------------------
# Workloads
# ---------------------------------------------------------------------------------------
def fixed_batches(X, y, batch_size, seed=0, limit=None):
    """The batches of one shuffled epoch, gathered in advance (the step timing excludes it)."""
    order = np.random.default_rng(seed).permutation(len(X))
    starts = range(0, len(X) - batch_size + 1, batch_size)
    if limit is not None:
        starts = list(starts)[:limit]
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in starts]


def contenders(sizes, dtype, X, y, lr, batch_size):
    weights = initial_weights(sizes, dtype)
    batches = fixed_batches(X, y, batch_size, limit=64)
    cl_step, cl_epoch, cl_loop = make_course_lib(weights, batches, X, y, lr, batch_size)
    np_step, np_epoch = make_numpy(weights, batches, X, y, lr, batch_size)
    steps = {"course_lib": cl_step, "numpy": np_step}
    epochs = {"course_lib train()": cl_epoch, "course_lib bare loop": cl_loop, "numpy": np_epoch}
    if torch is not None:
        pt_step, pt_epoch = make_torch(weights, batches, X, y, lr, batch_size)
        steps["pytorch"] = pt_step
        epochs["pytorch"] = pt_epoch
    return steps, epochs


def check_same_losses(steps, n=3, reference="course_lib"):
    """Every contender starts from the same weights, so the first losses must agree."""
    first = {name: [] for name in steps}
    for i in range(n):
        for name, step in steps.items():
            first[name].append(step(i))
    ref = np.asarray(first[reference])
    for name, values in first.items():
        if not np.allclose(values, ref, rtol=1e-3):
            raise AssertionError(f"{name} computes other losses than course_lib: {values} vs {ref}")


def workload_a(quick, rounds):
    X, y = cl.datasets.load_digits()
    steps, epochs = contenders([64, 64, 10], np.float64, X, y, lr=0.1, batch_size=32)
    check_same_losses(steps)
    step_times = interleave(steps, rounds=rounds or (6 if quick else 300 if THREADS == 1 else 40),
                            repeat=10 if quick else 50, warmup=3 if quick else 10)
    epoch_times = interleave(epochs, rounds=(2 if quick else 60 if THREADS == 1 else 20),
                             warmup=0 if quick else 1)
    refs = ["numpy"] + (["pytorch"] if torch is not None else [])
    title = (f"(a) digits 64-64-10 ReLU, batch 32, SGD, float64 "
             f"({X.shape[0]} rows, {-(-X.shape[0] // 32)} steps per epoch)")
    print_table(title + "\n  per step", step_times, refs)
    print_table("  per epoch", epoch_times, refs)
    return step_times, epoch_times


def workload_c(quick, rounds):
    """A learner's loop body with the public API, against the same maths in NumPy."""
    X, y = cl.datasets.load_digits()
    weights = initial_weights([64, 64, 10], np.float64)
    batches = fixed_batches(X, y, 32, limit=64)
    steps = {
        "course_lib public API": make_public_api(weights, batches, lr=0.1),
        "course_lib train() step": make_course_lib(weights, batches, X, y, 0.1, 32)[0],
        "numpy": make_numpy(weights, batches, X, y, 0.1, 32)[0],
    }
    check_same_losses(steps, reference="course_lib public API")
    step_times = interleave(steps, rounds=rounds or (6 if quick else 300 if THREADS == 1 else 40),
                            repeat=10 if quick else 50, warmup=3 if quick else 10)
    print_table("(c) public-API step: digits 64-64-10 ReLU, batch 32, SGD, float64, a learner's "
                "loop body\n  logits = model.forward(xb); loss = loss_fn.forward(logits, yb); "
                "model.backward(loss_fn.backward()); optimizer.step(model)\n  per step",
                step_times, ["numpy"])
    return step_times


def step_flops(n, d_in, hidden, d_out):
    """Multiply-adds x 2 of one step: forward x@W1, h@W2; backward dW2, grad h, dW1.

    The first layer's input gradient is not needed (the data needs no gradient), so it is
    not counted; element-wise work (ReLU, softmax, bias, update) is not counted either.
    """
    forward = 2 * n * d_in * hidden + 2 * n * hidden * d_out
    backward = 2 * hidden * n * d_out + 2 * n * d_out * hidden + 2 * d_in * n * hidden
    return forward + backward


def matmul_runs(batch_size, d_in, hidden, quick):
    """Float32 GEMMs for the peak: name -> (run, FLOPs, (repeat, warmup)).

    A large square product, and the network's two big products on their own (forward
    x @ W1, and dW1 = x.T @ grad), with the same shapes and in the same process.
    """
    rng = np.random.default_rng(1)
    size = 256 if quick else 2048
    A = rng.random((size, size), dtype=np.float32)
    B = rng.random((size, size), dtype=np.float32)
    x = rng.random((batch_size, d_in), dtype=np.float32)
    W = rng.random((d_in, hidden), dtype=np.float32)
    g = rng.random((batch_size, hidden), dtype=np.float32)
    small = (5, 1) if quick else (20, 3)
    return {
        f"gemm {size}x{size}x{size}": (lambda i: A @ B, 2 * size**3, (1, 0) if size > 1024 else small),
        f"gemm x@W1 {batch_size}x{d_in}x{hidden}": (lambda i: x @ W, 2 * batch_size * d_in * hidden, small),
        f"gemm x.T@g {d_in}x{batch_size}x{hidden}": (lambda i: x.T @ g, 2 * batch_size * d_in * hidden, small),
    }


def peak_per_round(times, gemms):
    """The best GEMM rate (FLOP/s) of each round."""
    rates = np.array([[f / t for t in times[name]] for name, (_, f, _) in gemms.items()])
    return rates.max(axis=0)


def workload_b(quick, rounds):
    n_rows, d_in, hidden, d_out, batch_size = (2_048 if quick else 60_000), 784, 256, 10, 128
    rng = np.random.default_rng(0)
    X = rng.random((n_rows, d_in), dtype=np.float32)
    y = rng.integers(0, d_out, n_rows)
    steps, epochs = contenders([d_in, hidden, d_out], np.float32, X, y, lr=0.01, batch_size=batch_size)
    check_same_losses(steps)
    gemms = matmul_runs(batch_size, d_in, hidden, quick)
    flops = step_flops(batch_size, d_in, hidden, d_out)
    n_steps = -(-n_rows // batch_size)
    override = {name: plan for name, (_, _, plan) in gemms.items()}

    # per step: the three steps and the GEMMs, interleaved
    runs = dict(steps)
    runs.update({name: run for name, (run, _, _) in gemms.items()})
    step_times = interleave(runs, rounds=rounds or (3 if quick else 60 if THREADS == 1 else 20),
                            repeat=5 if quick else 20,
                            warmup=1 if quick else 3, override=override)
    step_peak = peak_per_round(step_times, gemms)
    # per epoch: the epochs and the GEMMs, interleaved (so each epoch round has its own peak)
    runs = dict(epochs)
    runs.update({name: run for name, (run, _, _) in gemms.items()})
    epoch_times = interleave(runs, rounds=(2 if quick else 11 if THREADS == 1 else 7),
                             override=override)
    epoch_peak = peak_per_round(epoch_times, gemms)
    for name in gemms:
        del epoch_times[name]

    refs = ["numpy"] + (["pytorch"] if torch is not None else [])
    title = (f"(b) 784-256-10 ReLU, batch {batch_size}, SGD, float32, {n_rows:,} random rows "
             f"({n_steps} steps per epoch)")

    def step_rate(name):
        f = gemms[name][1] if name in gemms else flops
        rate = f / np.median(step_times[name])
        share = np.median(f / np.asarray(step_times[name]) / step_peak)
        return f"{rate / 1e9:6.1f} GFLOP/s {100 * share:5.1f}%"

    def epoch_rate(name):
        share = np.median(flops * n_steps / np.asarray(epoch_times[name]) / epoch_peak)
        return f"{flops * n_steps / np.median(epoch_times[name]) / 1e9:6.1f} GFLOP/s {100 * share:5.1f}%"

    print_table(title + "\n  per step", step_times, refs, extra=("achieved, % of peak", step_rate))
    print_table("  per epoch", epoch_times, refs, extra=("achieved, % of peak", epoch_rate))
    print(f"  necessary matmul FLOPs per step: {flops / 1e6:.1f} M (forward 2 products; backward "
          "dW1, dW2 and layer 2's input gradient)")
    print(f"  matmul peak (best GEMM rate of each round, median): {np.median(step_peak) / 1e9:.1f} "
          f"GFLOP/s in the step rounds, {np.median(epoch_peak) / 1e9:.1f} GFLOP/s in the epoch rounds")
    step_share = np.median(flops / np.asarray(step_times["course_lib"]) / step_peak)
    epoch_share = np.median(flops * n_steps / np.asarray(epoch_times["course_lib train()"]) / epoch_peak)
    return step_times, epoch_times, step_share, epoch_share


def verdict(label, value, op, target):
    ok = value <= target if op == "<=" else value >= target
    unit = "%" if label.endswith("peak") else "x"
    shown = f"{100 * value:.1f}%" if unit == "%" else f"{value:.3f}x"
    goal = f"{100 * target:.0f}%" if unit == "%" else f"{target}x"
    print(f"  {label:<48}{shown:>10}   target {op} {goal:<6} {'met' if ok else 'NOT MET'}")


def main():
    start = time.perf_counter()
    blas = blas_threads()
    print("course_lib training benchmark" + ("  [--quick: rough figures]" if ARGS.quick else ""))
    print(f"  numpy {np.__version__}, BLAS threads {blas if blas is not None else '?'} "
          f"(OPENBLAS_NUM_THREADS={THREADS});  {TORCH_NOTE}")
    print(f"  python {sys.version.split()[0]}, {os.cpu_count()} CPUs; times are medians over "
          "interleaved rounds, ratios are medians of same-round ratios")
    if ARGS.cpu_time:
        print("  timed with this thread's CPU time (--cpu-time), not the wall clock")
    if SETTLE:
        print(f"  {THREADS} threads: at least {SETTLE} s of untimed warm-up before each timed block")
    run = {w: ARGS.only in (None, w) for w in "abc"}
    if run["a"]:
        a_steps, a_epochs = workload_a(ARGS.quick, ARGS.rounds)
    if run["b"]:
        b_steps, b_epochs, b_step_share, b_epoch_share = workload_b(ARGS.quick, ARGS.rounds)
    if run["c"]:
        c_steps = workload_c(ARGS.quick, ARGS.rounds)

    print("\nTargets (ratios within this run)")
    if run["a"]:
        verdict("(a) step: course_lib / numpy", paired_ratio(a_steps, "course_lib", "numpy"),
                "<=", 1.15)
        verdict("(a) epoch: course_lib train() / numpy",
                paired_ratio(a_epochs, "course_lib train()", "numpy"), "<=", 1.15)
        if torch is not None:
            verdict("(a) step: course_lib / pytorch",
                    paired_ratio(a_steps, "course_lib", "pytorch"), "<=", 0.4)
            verdict("(a) epoch: course_lib train() / pytorch",
                    paired_ratio(a_epochs, "course_lib train()", "pytorch"), "<=", 0.4)
    if run["b"]:
        if torch is not None:
            verdict("(b) step: course_lib / pytorch",
                    paired_ratio(b_steps, "course_lib", "pytorch"), "<=", 0.8)
            verdict("(b) epoch: course_lib train() / pytorch",
                    paired_ratio(b_epochs, "course_lib train()", "pytorch"), "<=", 0.8)
        verdict("(b) step: course_lib, share of matmul peak", b_step_share, ">=", 0.6)
        verdict("(b) epoch: course_lib train(), share of matmul peak", b_epoch_share, ">=", 0.6)
    if run["c"]:
        verdict("(c) public-API step: course_lib / numpy",
                paired_ratio(c_steps, "course_lib public API", "numpy"), "<=", 1.15)
    if torch is None:
        print("  (the PyTorch targets need torch: not installed)")
    print(f"\nTotal time {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
