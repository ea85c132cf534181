"""Checks for exercises 02 (the network): a dense layer, a forward pass, parameter counts, an XNOR network."""
import numpy as np

from ..activations import sigmoid as _sigmoid
from ..layers import Dense, Sigmoid
from ..network import Sequential
from ._core import (Case, Exercise, Mismatch, describe, fires_exactly, inputs_rng, make_check, make_check_all,
                    mistake, same_array, same_int, vary)

LESSON = 2


def _dense(W, b):
    layer = Dense(W.shape[0], W.shape[1])
    layer.W, layer.b = W.copy(), b.copy()
    return layer


def _network(weights, biases):
    layers = []
    for W, b in zip(weights, biases):
        layers += [_dense(W, b), Sigmoid()]
    return Sequential(layers)


def _dense_forward_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 2)
    examples = [
        (rng.standard_normal((4, 3)), rng.standard_normal((3, 2)), rng.standard_normal(2)),
        (rng.standard_normal((1, 3)), rng.standard_normal((3, 5)), rng.standard_normal(5)),
        (np.zeros((3, 2)), rng.standard_normal((2, 4)), vary(fresh, np.array([0.5, -1.0, 2.0, 0.0]))),
        (rng.standard_normal((6, 2)), rng.standard_normal((2, 1)), vary(fresh, np.array([-0.25]))),
    ]
    cases = []
    for X, W, b in examples:
        out = _dense(W, b).forward(X)
        cases.append(Case(
            describe(X=X, W=W, b=b), (X, W, b), verify=same_array(out),
            hint=f"X has shape {X.shape} (one row per sample) and W {W.shape}: "
                 f"X @ W + b has shape {out.shape}; b is added to every row",
            mistakes=[mistake(same_array(X @ W), "you left out the bias b"),
                      mistake(same_array(_sigmoid(out)), "a dense layer has no activation: return X @ W + b")]))
    return cases


def _network_forward_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 20)
    xor_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    examples = [
        (xor_X, [vary(fresh, np.array([[20.0, -20.0], [20.0, -20.0]])), vary(fresh, np.array([[20.0], [20.0]]))],
         [vary(fresh, np.array([-10.0, 30.0])), vary(fresh, np.array([-30.0]))]),
        (rng.standard_normal((5, 3)), [rng.standard_normal((3, 4)), rng.standard_normal((4, 3)),
                                       rng.standard_normal((3, 2))],
         [rng.standard_normal(4), rng.standard_normal(3), rng.standard_normal(2)]),
        (rng.standard_normal((1, 2)), [rng.standard_normal((2, 3)), rng.standard_normal((3, 1))],
         [np.zeros(3), np.zeros(1)]),
        (vary(fresh, np.array([[1.0, -1.0]])), [vary(fresh, np.array([[5000.0, -5000.0], [-5000.0, 5000.0]])),
                                                vary(fresh, np.array([[1.0], [-1.0]]))],
         [np.zeros(2), np.zeros(1)]),
        (rng.standard_normal((3, 4)), [rng.standard_normal((4, 1))], [rng.standard_normal(1)]),
    ]
    cases = []
    for X, Ws, bs in examples:
        out = _network(Ws, bs).forward(X)
        no_last = X
        for k, (W, b) in enumerate(zip(Ws, bs)):
            no_last = no_last @ W + b
            if k < len(Ws) - 1:
                no_last = _sigmoid(no_last)
        cases.append(Case(
            describe(X=X, weights=Ws, biases=bs), (X, Ws, bs), verify=same_array(out),
            hint=("a = X; then for each layer a = sigmoid(a @ W + b); return the last a"
                  + ("; the sigmoid must not overflow for |z| = 1e4 (use course_lib's sigmoid)"
                     if np.max(np.abs(Ws[0])) > 100 else "")),
            mistakes=[mistake(same_array(no_last), "apply the sigmoid after the last layer too")]))
    return cases


def _n_parameters_cases(rng=None):
    examples = ([2, 2, 1], [2, 3, 1], [784, 128, 10], [5, 1], [3, 8, 8, 8, 2])
    if rng is not None:   # fresh layer sizes, the same numbers of layers
        examples = [[int(rng.integers(max(1, n // 2), 2 * n + 1)) for n in sizes] for sizes in examples]
    cases = []
    for sizes in examples:
        n = _network([np.zeros((a, b)) for a, b in zip(sizes[:-1], sizes[1:])],
                     [np.zeros(b) for b in sizes[1:]]).n_parameters()
        weights_only = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        cases.append(Case(
            describe(sizes=sizes), (sizes,), verify=same_int(n),
            hint="each layer from a units to b units has a*b weights and b biases",
            mistakes=[mistake(same_int(weights_only), "you counted the weights but not the biases"),
                      mistake(same_int(weights_only + sum(sizes)), "the input layer has no biases: "
                              "only the layers after it (sizes[1:]) do")]))
    return cases


_XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_XOR_Y = np.array([False, True, True, False])


def _as_matrix(a, ndim):
    a = np.asarray(a) if isinstance(a, (list, tuple, np.ndarray)) else None
    if a is None or a.dtype.kind not in "iuf" or a.ndim != ndim:
        return None
    return a.astype(float)


def _network_outputs(answer):
    """(weights, biases) -> the sigmoid network's four outputs on 00, 01, 10, 11, or a Mismatch."""
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return Mismatch("wrong type", "a tuple (weights, biases) of two lists", repr(answer)[:200])
    Ws, bs = answer
    if not isinstance(Ws, (list, tuple)) or not isinstance(bs, (list, tuple)) or len(Ws) != len(bs) or not Ws:
        return Mismatch("wrong type", "weights and biases: two lists of the same length", repr(answer)[:200])
    Ws = [_as_matrix(W, 2) for W in Ws]
    bs = [_as_matrix(b, 1) for b in bs]
    if any(W is None for W in Ws) or any(b is None for b in bs):
        return Mismatch("wrong type", "2-D weight matrices and 1-D bias vectors", repr(answer)[:200])
    a = _XOR_X
    for k, (W, b) in enumerate(zip(Ws, bs)):
        if W.shape[0] != a.shape[1] or b.shape != (W.shape[1],) or not np.all(np.isfinite(W)):
            return Mismatch("wrong shape", f"layer {k}: W of shape ({a.shape[1]}, n_out), b of shape (n_out,)",
                            f"W {W.shape}, b {b.shape}")
        a = _sigmoid(a @ W + b)
    if a.shape != (4, 1):
        return Mismatch("wrong shape", "one output per sample, shape (4, 1)", f"shape {a.shape}")
    return a[:, 0]


def _decides(truth, description):
    """verify(answer): the network's outputs are > 0.5 exactly where ``truth`` is True."""
    return fires_exactly(_network_outputs, truth, description)


def _xnor_network_cases(rng=None):   # no input: the answer is a design
    xnor = ~_XOR_Y
    return [Case("no input: xnor_network() returns (weights, biases)", (),
                 verify=_decides(xnor, "outputs > 0.5 exactly for inputs 00 and 11"),
                 hint="XNOR is 'both inputs equal'; a hidden layer can compute two simpler gates of "
                      "the inputs (AND, NOR, OR, NAND ...) and the output unit combines them",
                 mistakes=[mistake(_decides(_XOR_Y, ""),
                                   "this network computes XOR, the opposite of XNOR: keep the hidden "
                                   "layer and change only the output unit so that it fires where it "
                                   "did not"),
                           mistake(_decides(np.array([False, False, False, True]), ""),
                                   "this network computes AND: it misses the input 00, where both "
                                   "inputs are equal too"),
                           mistake(_decides(np.array([True, False, False, False]), ""),
                                   "this network computes NOR: it misses the input 11, where both "
                                   "inputs are equal too")])]


EXERCISES = [
    Exercise(LESSON, "dense_forward", 2, _dense_forward_cases),
    Exercise(LESSON, "network_forward", 3, _network_forward_cases),
    Exercise(LESSON, "n_parameters", 1, _n_parameters_cases),
    Exercise(LESSON, "xnor_network", 2, _xnor_network_cases),
]

check_dense_forward = make_check(EXERCISES[0])
check_network_forward = make_check(EXERCISES[1])
check_n_parameters = make_check(EXERCISES[2])
check_xnor_network = make_check(EXERCISES[3])
check_all = make_check_all(EXERCISES)
