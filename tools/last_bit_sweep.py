"""Find notebook outputs that depend on the last bits of a matrix product.

    .venv/bin/python tools/last_bit_sweep.py [--ulps 1,4] [PATH ...]   # default: notebooks/ solutions/

Another CPU (or another OpenBLAS kernel, or another NumPy) computes ``x @ W`` with the same
numbers but possibly a different rounding in the last bit; the same holds for NumPy's
``exp`` and ``tanh``, whose SIMD loops differ from CPU to CPU. A stored output that such a
difference can change is not reproducible, even if it happens to match on the machines we
tried. This tool makes the difference on purpose: it runs strict nbval with the output of
every layer's forward pass and every ``Dense`` weight gradient multiplied by ``1 + 2**-52``,
then by ``1 - 2**-52`` (one unit in the last place, about the size of a kernel difference),
and lists the cells whose stored output no longer reproduces. ``--ulps 1,4`` also tries
four units, for a margin of safety.

It is a maintainer's diagnostic, not part of ``make test``: the perturbation is applied by an
IPython startup file in a temporary IPYTHONDIR, so neither the library nor the notebooks
know about it. A cell it lists prints a result that is sensitive by nature (chaotic training,
a tie) and must be redesigned or printed with fewer digits.
"""
import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STARTUP = '''
import os
import numpy as np
from course_lib import layers as _layers

_FACTOR = 1.0 + float(os.environ["COURSE_LAST_BIT_SIGN"]) * 2.0 ** -52


def _perturb_forward(cls):
    forward = cls.forward

    def perturbed_forward(self, x, *args, **kwargs):
        return forward(self, x, *args, **kwargs) * _FACTOR
    cls.forward = perturbed_forward


for _cls in vars(_layers).values():
    if isinstance(_cls, type) and issubclass(_cls, _layers.Layer) and "forward" in vars(_cls):
        _perturb_forward(_cls)

_backward = _layers.Dense.backward


def _perturbed_backward(self, grad_out, need_grad_in=True):
    grad_in = _backward(self, grad_out, need_grad_in)
    self.dW = self.dW * _FACTOR
    return grad_in


_layers.Dense.backward = _perturbed_backward
'''


def run(paths, sign):
    """Run strict nbval over ``paths`` with every layer output times ``1 + sign * 2**-52``."""
    with tempfile.TemporaryDirectory() as ipython_dir:
        startup = Path(ipython_dir) / "profile_default" / "startup"
        startup.mkdir(parents=True)
        (startup / "00_last_bit.py").write_text(STARTUP)
        env = dict(os.environ, IPYTHONDIR=ipython_dir, COURSE_LAST_BIT_SIGN=str(sign))
        env.pop("MPLBACKEND", None)
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "-o", "addopts=", "--nbval", "--nbval-current-env",
                               "--nbval-sanitize-with", str(ROOT / "nbval_sanitize.cfg"), *paths],
                              cwd=ROOT, env=env, capture_output=True, text=True)
    return sorted({line.split(" - ")[0].removeprefix("FAILED ")
                   for line in done.stdout.splitlines() if line.startswith("FAILED ")})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ulps", default="1", help="comma-separated sizes in ulps (default: %(default)s)")
    parser.add_argument("paths", nargs="*", default=["notebooks", "solutions"])
    args = parser.parse_args(argv)
    sensitive = {}
    for sign in [s * int(u) for u in args.ulps.split(",") for s in (+1, -1)]:
        for cell in run(args.paths, sign):
            sensitive.setdefault(cell, []).append(f"{sign:+d} ulp")
    for cell, signs in sorted(sensitive.items()):
        print(f"{cell}  (changes with {', '.join(signs)})")
    print(f"{len(sensitive)} cell(s) depend on the last bit of a matrix product")
    return 1 if sensitive else 0


if __name__ == "__main__":
    sys.exit(main())
