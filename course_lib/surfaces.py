"""Two-dimensional loss surfaces and the paths optimizers take on them (NumPy only).

A surface is a function of a point ``p = (x, y)`` with a known gradient. Because it has
only two parameters we can draw it as a contour map and draw, on top, every step an
optimizer takes. ``optimizer_path`` drives the very optimizers that train networks
(``course_lib.optimizers``): it hands them the point as if it were a model's only weight.

    Quadratic(a, b)   f(x, y) = (a x^2 + b y^2) / 2          gradient (a x, b y)
                      the condition number b / a says how elongated the valley is
    Rosenbrock()      f(x, y) = (1 - x)^2 + 100 (y - x^2)^2  a curved, flat-bottomed valley
"""
import numpy as np

from .optimizers import Optimizer, get_optimizer


class Surface:
    """Base class: ``f(x, y)`` (works on arrays, for contour plots) and ``grad(p)``."""

    #: where the minimum is, and the region worth drawing: (x_min, x_max, y_min, y_max)
    minimum = (0.0, 0.0)
    extent = (-5.0, 5.0, -3.0, 3.0)
    name = "surface"

    def f(self, x, y):
        raise NotImplementedError

    def grad(self, p):
        raise NotImplementedError

    def __call__(self, p):
        p = np.asarray(p, dtype=float)
        return float(self.f(p[0], p[1]))

    def grid(self, resolution=200, extent=None):
        """``xx, yy, zz`` on a regular grid over ``extent``, ready for ``contour``."""
        x0, x1, y0, y1 = self.extent if extent is None else extent
        xx, yy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
        return xx, yy, self.f(xx, yy)


class Quadratic(Surface):
    """f(x, y) = (a x^2 + b y^2) / 2, a bowl whose valley is b/a times steeper across than along.

    Gradient descent with learning rate lr multiplies the x-distance to the minimum by
    (1 - lr a) and the y-distance by (1 - lr b) at every step, so it converges exactly when
    lr < 2 / max(a, b).
    """

    def __init__(self, a=1.0, b=1.0, extent=None):
        if a <= 0 or b <= 0:
            raise ValueError(f"a and b must be positive, got a={a!r}, b={b!r}")
        self.a, self.b = float(a), float(b)
        self.extent = extent if extent is not None else (-5.0, 5.0, -3.0, 3.0)
        self.name = f"quadratic a={a:g}, b={b:g}"

    @property
    def condition_number(self):
        return max(self.a, self.b) / min(self.a, self.b)

    def f(self, x, y):
        return 0.5 * (self.a * np.asarray(x) ** 2 + self.b * np.asarray(y) ** 2)

    def grad(self, p):
        return np.array([self.a * p[0], self.b * p[1]])

    def __repr__(self):
        return f"Quadratic(a={self.a:g}, b={self.b:g})"


class Rosenbrock(Surface):
    """f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1) in a long curved valley."""

    minimum = (1.0, 1.0)
    extent = (-2.0, 2.0, -1.0, 3.0)
    name = "Rosenbrock"

    def f(self, x, y):
        x, y = np.asarray(x), np.asarray(y)
        return (1 - x) ** 2 + 100.0 * (y - x * x) ** 2

    def grad(self, p):
        x, y = p
        return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])

    def __repr__(self):
        return "Rosenbrock()"


class _PointModel:
    """Looks like a model with one parameter, the point: what optimizers step."""

    def __init__(self, start):
        self.p = np.array(start, dtype=float)
        self.g = np.zeros(2)

    def parameters(self):
        return [("p", self.p, self.g)]


def optimizer_path(surface, optimizer, start, steps=50, lr=None, blowup=1e6):
    """The points visited by ``optimizer`` on ``surface`` from ``start``: array ``(k + 1, 2)``.

    ``optimizer`` is a course_lib optimizer (``SGD(0.1)``) or a name ("sgd", "momentum",
    "rmsprop", "adam") together with ``lr``. Row 0 is ``start``; each further row is one
    step. The path stops early (k < steps) if it runs off beyond ``blowup``: it diverged.
    """
    if isinstance(optimizer, str):
        if lr is None:
            raise ValueError("give lr together with an optimizer name")
        optimizer = get_optimizer(optimizer, lr)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a course_lib optimizer or a name, got {optimizer!r}")
    model = _PointModel(start)
    path = [model.p.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(int(steps)):
            model.g[...] = surface.grad(model.p)
            optimizer.step(model)
            if not np.all(np.isfinite(model.p)) or np.max(np.abs(model.p)) > blowup:
                break
            path.append(model.p.copy())
    return np.array(path)


def path_losses(surface, path):
    """f at every point of a path: array ``(len(path),)``."""
    path = np.asarray(path, dtype=float)
    return surface.f(path[:, 0], path[:, 1])


def diverged(path, steps):
    """True when a path from ``optimizer_path`` stopped before taking ``steps`` steps."""
    return len(path) < int(steps) + 1
