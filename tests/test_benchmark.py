"""The training benchmark runs and prints its tables (quick mode, in a subprocess).

Nothing here asserts a timing: the machines that run the tests are shared and noisy, so
the benchmark's figures are read by people (benchmarks/README.md), never checked by tests.
"""
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_training.py"

# Runs the benchmark as a script with ``import torch`` made to fail, as on a machine
# without PyTorch.
WITHOUT_TORCH = (
    "import runpy, sys; sys.modules['torch'] = None; "
    f"sys.argv = [{str(BENCH)!r}, '--quick']; runpy.run_path(sys.argv[0], run_name='__main__')"
)


def run(args, timeout=120):
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def check_tables(out):
    assert "(a) digits 64-64-10 ReLU, batch 32, SGD, float64" in out
    assert "(b) 784-256-10 ReLU, batch 128, SGD, float32" in out
    for row in ("course_lib", "numpy", "course_lib train()", "course_lib bare loop"):
        assert f"\n  {row} " in out, row
    assert out.count("\n  per epoch\n") == 2
    assert "GFLOP/s" in out and "% of peak" in out and "matmul peak" in out
    assert "(a) step: course_lib / numpy" in out
    assert "(b) step: course_lib, share of matmul peak" in out
    # (c) a learner's loop body with the public API (checked loss.forward, model.backward)
    assert "(c) public-API step: digits 64-64-10 ReLU, batch 32, SGD, float64" in out
    assert "loss = loss_fn.forward(logits, yb); model.backward(loss_fn.backward())" in out
    for row in ("course_lib public API", "course_lib train() step"):
        assert f"\n  {row} " in out, row
    assert out.count("\n  per step\n") == 3
    verdict = re.search(r"\n  \(c\) public-API step: course_lib / numpy +(\d+\.\d{3})x"
                        r"   target <= 1\.15x  (met|NOT MET)\n", out)
    assert verdict, out


def test_quick_benchmark_without_torch():
    out = run(["-c", WITHOUT_TORCH])
    check_tables(out)
    assert "PyTorch not installed" in out
    assert "the PyTorch targets need torch" in out
    assert "\n  pytorch " not in out


def test_quick_benchmark_with_torch(torch):  # the fixture skips (or fails on CI) without torch
    out = run([str(BENCH), "--quick"])
    check_tables(out)
    assert "\n  pytorch " in out
    assert "eager" in out
    assert "(b) step: course_lib / pytorch" in out
