"""Backpropagation one quantity at a time: the steps behind lesson 04's stepper widget.

``backprop_steps(model, x, y, loss)`` follows one training sample through a small network
and returns every quantity of one training step in the order a person computes them by hand:

    forward   each weighted sum and activation, then the loss L
    backward  dL/d(output), then, layer by layer from the output back, each delta dL/dz,
              each dL/dw and dL/db, and the dL/da that flows on to the layer below
    update    each new weight and bias, w <- w - lr * dL/dw

Each step is a dict: ``phase``, ``name`` (the symbol), ``value`` (a float), ``formula``
(the equation with its numbers), ``target`` (what a diagram lights up: ``("node", unit)``,
``("link", weight)`` or ``("bias", bias)``) and, for backward steps, ``of`` and ``wrt``: the
step's value is the partial derivative of node ``of`` with respect to node ``wrt``, which
``node_values(..., nudge=(wrt, h))`` lets a test check by finite differences.

For the 2-2-1 network of lesson 04 (``Dense(2, 2)``, activation, ``Dense(2, 1)``,
activation, ``MSE``) the steps use the lesson's names and its factors: ``sum_h1``, ``h1``,
``o1``, ``d_L_d_ypred``, ``d_ypred_d_w5``, ``d_h1_d_w1``, ``dL/dw1``, ... For any other small
``Sequential`` of ``Dense`` and element-wise activation layers they use generic names:
``z2_1`` (weighted sum of unit 1 of Dense layer 2), ``a2_1`` (its activation),
``W2[1,1]`` (the weight from unit 1 below to unit 1), ``b2[1]``, ``dL/dz2_1``, ...
(all counted from 1, as x1, x2).

NumPy only (numerical core); the widget is ``course_lib.widgets.stepper``.
"""
import numpy as np

from ._validation import as_float_array
from .layers import Dense, Identity, Layer, Softmax
from .losses import MSE, CrossEntropy, get_loss
from .network import Sequential

__all__ = ["backprop_steps", "node_values", "network_structure", "is_lesson_network", "LESSON_NAMES"]

#: generic node name -> lesson 04's name, for the 2-2-1 network
LESSON_NAMES = {
    "W1[1,1]": "w1", "W1[2,1]": "w2", "W1[1,2]": "w3", "W1[2,2]": "w4",
    "W2[1,1]": "w5", "W2[2,1]": "w6", "b1[1]": "b1", "b1[2]": "b2", "b2[1]": "b3",
    "z1_1": "sum_h1", "a1_1": "h1", "z1_2": "sum_h2", "a1_2": "h2", "z2_1": "sum_o1", "a2_1": "o1",
}


def _f(activation, z):
    """The activation of one number: f(z)."""
    return float(activation.forward(np.array([[z]]))[0, 0])


def _f_prime(activation, z):
    """Its derivative f'(z), from the layer's own backward pass."""
    activation.forward(np.array([[z]]))
    return float(activation.backward(np.ones((1, 1)))[0, 0])


def network_structure(model):
    """``[(Dense, activation layer or None), ...]``, input side first; checks the model."""
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a course_lib Sequential, got {type(model).__name__}")
    pairs = []
    for i, layer in enumerate(model.layers):
        if isinstance(layer, Dense):
            pairs.append([layer, None])
        elif isinstance(layer, Softmax):
            raise ValueError("backprop_steps takes logits: drop the Softmax layer and use "
                             "CrossEntropy, which contains the softmax")
        elif isinstance(layer, Layer) and type(layer).__name__ == "Dropout":
            raise ValueError("backprop_steps follows Dense and activation layers only; "
                             f"layer {i} is {layer!r}: build the model without Dropout")
        elif not pairs:
            raise ValueError(f"the first layer must be Dense, got {layer!r}")
        elif pairs[-1][1] is not None:
            raise ValueError(f"two activation layers in a row at layer {i}: {layer!r}")
        else:
            pairs[-1][1] = None if isinstance(layer, Identity) else layer
    if not pairs:
        raise ValueError("the model has no Dense layer")
    units = sum(d.n_in * d.n_out + d.n_out for d, _ in pairs)
    if units > 200:
        raise ValueError(f"backprop_steps is for small networks (one step per number); this one "
                         f"has {units} weights and biases, at most 200 make sense")
    return [tuple(p) for p in pairs]


def is_lesson_network(pairs, loss):
    """True for lesson 04's network: Dense(2, 2), activation, Dense(2, 1), activation, MSE."""
    return (len(pairs) == 2 and (pairs[0][0].n_in, pairs[0][0].n_out, pairs[1][0].n_out) == (2, 2, 1)
            and pairs[0][1] is not None and pairs[1][1] is not None and isinstance(loss, MSE))


def _check_sample(model, pairs, x, y, loss):
    x = as_float_array(x, "x")
    if x.ndim == 2 and x.shape[0] == 1:
        x = x[0]
    n_in = pairs[0][0].n_in
    if x.shape != (n_in,):
        raise ValueError(f"backprop_steps follows one sample: x must have shape ({n_in},) or "
                         f"(1, {n_in}), got {np.shape(x)}")
    n_out = pairs[-1][0].n_out
    if isinstance(loss, CrossEntropy):
        y = np.asarray(y).reshape(-1)
        if y.shape != (1,):
            raise ValueError(f"CrossEntropy takes one integer label for one sample, got {np.shape(y)}")
        y = y.astype(np.int64).reshape(1)
    else:
        y = as_float_array(y, "y").reshape(-1)
        if y.shape != (n_out,):
            raise ValueError(f"y must hold {n_out} target(s) for one sample, got shape {np.shape(y)}")
        y = y.reshape(1, n_out)
    return x, y


def node_values(model, x, y, loss="mse", nudge=None, lesson_names=None):
    """Every node's value in one forward pass of one sample: a dict name -> float.

    Names are those of ``backprop_steps`` (lesson names for lesson 04's network unless
    ``lesson_names=False``). ``nudge=(name, h)`` adds ``h`` to that node (an input, weight,
    bias, weighted sum or activation) as the pass computes it, so everything after it
    changes: ``(node_values(nudge=(w, h))[n] - node_values(nudge=(w, -h))[n]) / 2h`` is the
    finite-difference estimate of d n / d w. The model's weights are not changed.
    """
    loss = get_loss(loss)
    pairs = network_structure(model)
    x, y = _check_sample(model, pairs, x, y, loss)
    lesson = is_lesson_network(pairs, loss) if lesson_names is None else lesson_names
    name = (lambda g: LESSON_NAMES.get(g, g)) if lesson else (lambda g: g)
    target, h = nudge if nudge is not None else (None, 0.0)
    values = {}

    def put(generic, value):
        key = name(generic)
        values[key] = value + (h if key == target else 0.0)
        return values[key]

    a = [put(f"x{i + 1}", float(v)) for i, v in enumerate(x)]
    for l, (dense, act) in enumerate(pairs, start=1):
        W = [[put(f"W{l}[{i + 1},{j + 1}]", float(dense.W[i, j])) for j in range(dense.n_out)]
             for i in range(dense.n_in)]
        b = [put(f"b{l}[{j + 1}]", float(dense.b[j])) for j in range(dense.n_out)]
        out = []
        for j in range(dense.n_out):
            z = put(f"z{l}_{j + 1}", sum(W[i][j] * a[i] for i in range(dense.n_in)) + b[j])
            out.append(put(f"a{l}_{j + 1}", _f(act, z)) if act is not None else z)
        a = out
    values["L"] = float(loss.forward(np.array([a]), y)) + (h if target == "L" else 0.0)
    return values


def backprop_steps(model, x, y, loss="mse", lr=0.1):
    """One training step on one sample, one quantity at a time: a list of step dicts.

    ``model``: a small ``Sequential`` of ``Dense`` and element-wise activation layers;
    ``x``: one sample, shape (n_in,) or (1, n_in); ``y``: its target(s) (an integer label
    for ``CrossEntropy``); ``loss``: a loss or its name; ``lr``: the learning rate of the
    update phase. The model is not changed. See the module's docstring for the step keys.
    """
    loss = get_loss(loss)
    pairs = network_structure(model)
    x, y_arr = _check_sample(model, pairs, x, y, loss)
    if is_lesson_network(pairs, loss):
        return _lesson_steps(pairs, x, float(y_arr[0, 0]), lr)
    return _generic_steps(pairs, x, y_arr, loss, lr)


def _step(steps, phase, name, value, formula, target, of=None, wrt=None):
    step = {"phase": phase, "name": name, "value": float(value), "formula": formula,
            "target": target}
    if phase == "backward":
        step.update(of=of, wrt=wrt)
    steps.append(step)
    return float(value)


# -----------------------------------------------------------------------------------------
# Lesson 04's 2-2-1 network, with the lesson's names and factors
# -----------------------------------------------------------------------------------------
def _lesson_steps(pairs, x, y_true, lr):
    (hidden, f_h), (output, f_o) = pairs
    x1, x2 = x
    w1, w3 = hidden.W[0]
    w2, w4 = hidden.W[1]
    b1, b2 = hidden.b
    w5, w6 = output.W[:, 0]
    (b3,) = output.b
    s = []
    F = "forward"
    sum_h1 = _step(s, F, "sum_h1", w1 * x1 + w2 * x2 + b1,
                   f"sum_h1 = w1*x1 + w2*x2 + b1 = {w1:.4g}*{x1:.4g} + {w2:.4g}*{x2:.4g} + {b1:.4g}",
                   ("node", "h1"))
    h1 = _step(s, F, "h1", _f(f_h, sum_h1), f"h1 = f(sum_h1) = f({sum_h1:.4f})", ("node", "h1"))
    sum_h2 = _step(s, F, "sum_h2", w3 * x1 + w4 * x2 + b2,
                   f"sum_h2 = w3*x1 + w4*x2 + b2 = {w3:.4g}*{x1:.4g} + {w4:.4g}*{x2:.4g} + {b2:.4g}",
                   ("node", "h2"))
    h2 = _step(s, F, "h2", _f(f_h, sum_h2), f"h2 = f(sum_h2) = f({sum_h2:.4f})", ("node", "h2"))
    sum_o1 = _step(s, F, "sum_o1", w5 * h1 + w6 * h2 + b3,
                   f"sum_o1 = w5*h1 + w6*h2 + b3 = {w5:.4g}*{h1:.4f} + {w6:.4g}*{h2:.4f} + {b3:.4g}",
                   ("node", "o1"))
    o1 = _step(s, F, "o1", _f(f_o, sum_o1), f"y_pred = o1 = f(sum_o1) = f({sum_o1:.4f})",
               ("node", "o1"))
    _step(s, F, "L", (y_true - o1) ** 2, f"L = (y_true - y_pred)^2 = ({y_true:.4g} - {o1:.4f})^2",
          ("node", "L"))

    B = "backward"
    fo, fh1, fh2 = _f_prime(f_o, sum_o1), _f_prime(f_h, sum_h1), _f_prime(f_h, sum_h2)
    d_L_d_ypred = _step(s, B, "d_L_d_ypred", -2 * (y_true - o1),
                        f"d_L_d_ypred = -2 (y_true - y_pred) = -2 ({y_true:.4g} - {o1:.4f})",
                        ("node", "o1"), "L", "o1")
    grads = {}
    # output neuron o1: its weights, its bias, then what flows back to h1 and h2
    for w, h, hn in (("w5", h1, "h1"), ("w6", h2, "h2")):
        d = _step(s, B, f"d_ypred_d_{w}", h * fo, f"d_ypred_d_{w} = {hn} * f'(sum_o1) = {h:.4f} * {fo:.4f}",
                  ("link", w), "o1", w)
        grads[w] = _step(s, B, f"dL/d{w}", d_L_d_ypred * d,
                         f"dL/d{w} = d_L_d_ypred * d_ypred_d_{w} = {d_L_d_ypred:.4f} * {d:.4f}",
                         ("link", w), "L", w)
    d = _step(s, B, "d_ypred_d_b3", fo, f"d_ypred_d_b3 = f'(sum_o1) = {fo:.4f}", ("bias", "b3"), "o1", "b3")
    grads["b3"] = _step(s, B, "dL/db3", d_L_d_ypred * d,
                        f"dL/db3 = d_L_d_ypred * d_ypred_d_b3 = {d_L_d_ypred:.4f} * {d:.4f}",
                        ("bias", "b3"), "L", "b3")
    back = {}
    for hn, w in (("h1", w5), ("h2", w6)):
        wn = "w5" if hn == "h1" else "w6"
        back[hn] = _step(s, B, f"d_ypred_d_{hn}", w * fo,
                         f"d_ypred_d_{hn} = {wn} * f'(sum_o1) = {w:.4g} * {fo:.4f}",
                         ("link", wn), "o1", hn)
    # hidden neurons: each weight's path L <- y_pred <- h <- w
    for hn, fp, ws, bn in (("h1", fh1, ("w1", "w2"), "b1"), ("h2", fh2, ("w3", "w4"), "b2")):
        for w, xv, xn in ((ws[0], x1, "x1"), (ws[1], x2, "x2")):
            d = _step(s, B, f"d_{hn}_d_{w}", xv * fp,
                      f"d_{hn}_d_{w} = {xn} * f'(sum_{hn}) = {xv:.4g} * {fp:.4f}", ("link", w), hn, w)
            grads[w] = _step(s, B, f"dL/d{w}", d_L_d_ypred * back[hn] * d,
                             f"dL/d{w} = d_L_d_ypred * d_ypred_d_{hn} * d_{hn}_d_{w} = "
                             f"{d_L_d_ypred:.4f} * {back[hn]:.4f} * {d:.4f}", ("link", w), "L", w)
        d = _step(s, B, f"d_{hn}_d_{bn}", fp, f"d_{hn}_d_{bn} = f'(sum_{hn}) = {fp:.4f}",
                  ("bias", bn), hn, bn)
        grads[bn] = _step(s, B, f"dL/d{bn}", d_L_d_ypred * back[hn] * d,
                          f"dL/d{bn} = d_L_d_ypred * d_ypred_d_{hn} * d_{hn}_d_{bn} = "
                          f"{d_L_d_ypred:.4f} * {back[hn]:.4f} * {d:.4f}", ("bias", bn), "L", bn)

    old = {"w1": w1, "w2": w2, "w3": w3, "w4": w4, "w5": w5, "w6": w6, "b1": b1, "b2": b2, "b3": b3}
    for p in ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"):
        _step(s, "update", p, old[p] - lr * grads[p],
              f"{p} <- {p} - lr * dL/d{p} = {old[p]:.4f} - {lr:g} * {grads[p]:.4f}",
              ("link" if p[0] == "w" else "bias", p))
    return s


# -----------------------------------------------------------------------------------------
# Any small Sequential: generic names
# -----------------------------------------------------------------------------------------
def _generic_steps(pairs, x, y, loss, lr):
    s = []
    a_prev = list(map(float, x))
    prev = [f"x{i + 1}" for i in range(len(x))]
    layers = []                        # per layer: inputs, their names, z, a
    for l, (dense, act) in enumerate(pairs, start=1):
        zs, outs = [], []
        for j in range(dense.n_out):
            unit = f"{l}_{j + 1}"
            terms = " + ".join(f"W{l}[{i + 1},{j + 1}]*{prev[i]}" for i in range(dense.n_in))
            z = _step(s, "forward", f"z{unit}", sum(dense.W[i, j] * a_prev[i] for i in range(dense.n_in))
                      + dense.b[j], f"z{unit} = {terms} + b{l}[{j + 1}]", ("node", unit))
            zs.append(z)
            if act is not None:
                outs.append(_step(s, "forward", f"a{unit}", _f(act, z),
                                  f"a{unit} = f(z{unit}) = f({z:.4f})", ("node", unit)))
            else:
                outs.append(z)
        layers.append((a_prev, prev, zs))
        a_prev = outs
        prev = [f"{'a' if act is not None else 'z'}{l}_{j + 1}" for j in range(dense.n_out)]
    out = np.array([a_prev])
    _step(s, "forward", "L", loss.forward(out, y), f"L = {type(loss).__name__}(output, y)", ("node", "L"))

    grad_out = loss.backward()[0]                       # dL/d(output), one per output unit
    L_count = len(pairs)
    grads = {}
    upstream = [float(g) for g in grad_out]
    for l in range(L_count, 0, -1):
        dense, act = pairs[l - 1]
        a_in, in_names, zs = layers[l - 1]
        delta = []
        for j in range(dense.n_out):
            unit = f"{l}_{j + 1}"
            if act is not None:
                formula = (f"dL/da{unit} = d{type(loss).__name__}/d(output {j + 1})" if l == L_count
                           else f"dL/da{unit} = sum_k W{l + 1}[{j + 1},k] * dL/dz{l + 1}_k")
                _step(s, "backward", f"dL/da{unit}", upstream[j], formula, ("node", unit), "L", f"a{unit}")
                fp = _f_prime(act, zs[j])
                delta.append(_step(s, "backward", f"dL/dz{unit}", upstream[j] * fp,
                                   f"dL/dz{unit} = dL/da{unit} * f'(z{unit}) = {upstream[j]:.4f} * {fp:.4f}",
                                   ("node", unit), "L", f"z{unit}"))
            else:
                formula = (f"dL/dz{unit} = d{type(loss).__name__}/d(output {j + 1})" if l == L_count
                           else f"dL/dz{unit} = sum_k W{l + 1}[{j + 1},k] * dL/dz{l + 1}_k")
                delta.append(_step(s, "backward", f"dL/dz{unit}", upstream[j], formula,
                                   ("node", unit), "L", f"z{unit}"))
            for i in range(dense.n_in):
                w = f"W{l}[{i + 1},{j + 1}]"
                grads[w] = _step(s, "backward", f"dL/d{w}", a_in[i] * delta[j],
                                 f"dL/d{w} = {in_names[i]} * dL/dz{unit} = {a_in[i]:.4f} * {delta[j]:.4f}",
                                 ("link", w), "L", w)
            b = f"b{l}[{j + 1}]"
            grads[b] = _step(s, "backward", f"dL/d{b}", delta[j], f"dL/d{b} = dL/dz{unit}",
                             ("bias", b), "L", b)
        upstream = [sum(dense.W[i, j] * delta[j] for j in range(dense.n_out)) for i in range(dense.n_in)]

    for l, (dense, _) in enumerate(pairs, start=1):
        params = [(f"W{l}[{i + 1},{j + 1}]", dense.W[i, j]) for i in range(dense.n_in)
                  for j in range(dense.n_out)] + [(f"b{l}[{j + 1}]", dense.b[j]) for j in range(dense.n_out)]
        for p, old in params:
            _step(s, "update", p, old - lr * grads[p],
                  f"{p} <- {p} - lr * dL/d{p} = {old:.4f} - {lr:g} * {grads[p]:.4f}",
                  ("link" if p[0] == "W" else "bias", p))
    return s
