"""Run strict nbval over the lessons and solutions as if on several CPUs: `make test-reproducible`.

    .venv/bin/python tools/core_type_sweep.py [--cores Prescott,Haswell,SkylakeX,Zen,native] [PATH ...]

A stored output must reproduce on every learner's machine, yet two parts of the stack pick
their code by CPU: OpenBLAS its matrix-product kernels, NumPy the SIMD loops of ``exp``,
``log``, ``tanh``. Each picks differently rounded code, so the last bits differ. One x86-64
machine can stand in for several:

- ``OPENBLAS_CORETYPE=<name>`` makes OpenBLAS use the kernels of that CPU;
- ``NPY_DISABLE_CPU_FEATURES`` keeps NumPy to the SIMD level of that CPU: baseline only for
  Prescott, no AVX-512 for Haswell and Zen (it can only take features away, never add them).

Each run is a separate ``pytest --nbval`` process over ``notebooks/`` and ``solutions/``
(strict comparison, the project's own sanitizer). The table at the end names the kernel
OpenBLAS really used (read back through threadpoolctl) and the NumPy SIMD targets, so a run
that could not emulate its CPU says so instead of passing silently. Exit status 1 if any
run failed.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORES = ["Prescott", "Haswell", "SkylakeX", "Zen", "native"]
# How far each emulated CPU's SIMD goes, as NumPy dispatch targets to switch off:
# "all" = every target above NumPy's baseline, "avx512" = the AVX-512 ones.
NUMPY_LIMIT = {"Prescott": "all", "Haswell": "avx512", "Zen": "avx512", "SkylakeX": None, "native": None}

PROBE = """
import json, numpy, threadpoolctl
try:
    from numpy._core._multiarray_umath import __cpu_dispatch__ as dispatch
except ImportError:          # NumPy 1.x
    from numpy.core._multiarray_umath import __cpu_dispatch__ as dispatch
blas = [i for i in threadpoolctl.threadpool_info() if i.get("internal_api") == "openblas"]
print(json.dumps({"openblas": blas[0].get("architecture") if blas else None,
                  "dispatch": list(dispatch), "numpy": numpy.__version__}))
"""


def probe(env):
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def environment(core):
    """The environment variables that emulate ``core`` on this machine."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES", "MPLBACKEND")}
    if core == "native":
        return env
    env["OPENBLAS_CORETYPE"] = core
    limit = NUMPY_LIMIT[core]
    if limit:
        dispatch = probe(env)["dispatch"]
        off = [f for f in dispatch if limit == "all" or "512" in f or f == "X86_V4"]
        if off:
            env["NPY_DISABLE_CPU_FEATURES"] = " ".join(off)
    return env


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", default=",".join(CORES),
                        help="comma-separated OpenBLAS core types, 'native' for none (default: %(default)s)")
    parser.add_argument("paths", nargs="*", default=["notebooks", "solutions"])
    args = parser.parse_args(argv)

    rows, failed = [], []
    for core in [c.strip() for c in args.cores.split(",") if c.strip()]:
        env = environment(core)
        seen = probe(env)
        simd = [f for f in seen["dispatch"] if f not in env.get("NPY_DISABLE_CPU_FEATURES", "").split()]
        print(f"\n=== {core}: OpenBLAS kernels {seen['openblas']}, NumPy {seen['numpy']} SIMD targets "
              f"{' '.join(simd) or 'baseline only'}", flush=True)
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args.paths],
                              cwd=ROOT, env=env)
        seconds = time.monotonic() - start
        result = "passed" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
        if done.returncode:
            failed.append(core)
        rows.append((core, seen["openblas"] or "not OpenBLAS", " ".join(simd) or "baseline", result, seconds))

    print(f"\n{'core type':10s}  {'OpenBLAS kernels':17s}  {'NumPy SIMD targets':36s}  {'strict nbval':16s}  time")
    for core, blas, simd, result, seconds in rows:
        print(f"{core:10s}  {blas:17s}  {simd:36s}  {result:16s}  {seconds:4.0f} s")
    if failed:
        print(f"\nstored outputs did not reproduce with: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
