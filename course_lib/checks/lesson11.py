"""Checks for exercises 11 (autograd): the backward rules of ``*``, ``tanh`` and ``**``, and the
topological sort that orders the backward pass.

A backward rule gets the output Value ``out`` (its ``grad`` already known) and the input
Values (their ``grad`` holding what other users already added), adds its share to the
inputs' ``grad`` in place, and returns the inputs' new ``grad`` as plain floats: that is what
the check compares. The inputs are leaf ``course_lib.autograd.Value`` objects, which pickle,
so the grader can hand them to the learner's kernel like any other input.
"""
import math

import numpy as np

from ..autograd import Value, topological_order
from ._core import (Case, Exercise, Mismatch, describe, inputs_rng, make_check, make_check_all, mistake,
                    same_float, sequence_of, show, type_text, vary)

LESSON = 11

_OVERWRITE = ("accumulate: write x.grad += ..., not x.grad = ...; the input may be used by other "
              "nodes too (fan-out), and their shares are already in its grad")
_CHAIN = ("multiply the local derivative by out.grad (the chain rule): the gradient that arrives "
          "from above scales everything below")


def _value(data, grad):
    v = Value(data)
    v.grad = grad
    return v


def _wrong(verify_items, right, wrong, hint):
    """A mistake, unless this wrong answer happens to equal the right one for this input."""
    if np.allclose(np.atleast_1d(wrong), np.atleast_1d(right), rtol=1e-6, atol=1e-12):
        return None
    return mistake(verify_items(wrong), hint)


def _cases(examples, make, rng=None):
    """The cases of ``examples``; when grading (``rng`` given) every float of an example is varied."""
    cases = []
    for example in examples:
        example = tuple(vary(rng, v) if type(v) is float else v for v in example)
        case = make(*example)
        case.mistakes = tuple(m for m in case.mistakes if m is not None)
        cases.append(case)
    return cases


# ------------------------------------------------------------------------------------------
# mul_backward: out = a * b
# ------------------------------------------------------------------------------------------
def _mul_case(a, b, out_grad, a_grad, b_grad, shared=False):
    b = a if shared else b
    A = _value(a, a_grad)
    B = A if shared else _value(b, b_grad)
    out = _value(a * b, out_grad)
    if shared:  # a * a: one Value, both shares go to it
        right = (a_grad + 2 * a * out_grad,) * 2
        inputs = describe(out=out, a=A, b=B) + "   (a and b are the SAME Value: out = a * a)"
    else:
        right = (a_grad + b * out_grad, b_grad + a * out_grad)
        inputs = describe(out=out, a=A, b=B)
    pair = lambda v: sequence_of(same_float(v[0]), same_float(v[1]), names=["a.grad", "b.grad"])  # noqa: E731
    if shared:
        overwrite = (a * out_grad, a * out_grad)
        no_chain = (a_grad + 2 * a,) * 2
        one_share = (a_grad + a * out_grad,) * 2
    else:
        overwrite = (b * out_grad, a * out_grad)
        no_chain = (a_grad + b, b_grad + a)
        one_share = None
    mistakes = [] if one_share is None else [_wrong(pair, right, one_share,
                                                    "a and b are the same Value here (out = a * a), so it must "
                                                    "receive BOTH shares: update a.grad and b.grad in place with "
                                                    "+=, one after the other, then return a.grad, b.grad")]
    mistakes += [_wrong(pair, right, overwrite, _OVERWRITE),
                _wrong(pair, right, no_chain, _CHAIN + ": a.grad += b.data * out.grad"),
                _wrong(pair, right, (a_grad + a * out_grad, b_grad + b * out_grad) if not shared else right,
                       "d(a * b)/da = b: a's grad gets b.data * out.grad, and b's grad gets a.data * out.grad")]
    return Case(inputs, (out, A, B), verify=pair(right), watch=(),
                hint="a.grad += b.data * out.grad;  b.grad += a.data * out.grad;  return a.grad, b.grad",
                mistakes=mistakes)


def _mul_backward_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 1101)
    r = [round(float(v), 3) for v in rng.uniform(-2, 2, 5)]
    return _cases([
        (2.0, -3.0, 1.0, 0.0, 0.0),
        (1.5, 0.5, -2.0, 0.25, -1.0),          # grads already hold other users' shares
        (3.0, 3.0, 1.5, 0.5, 0.5, True),       # a * a
        (r[0], r[1], r[2], r[3], r[4]),
        (-0.5, 4.0, 0.0, 1.0, 2.0),            # nothing arrives from above
        (0.0, 2.5, 1.5, -0.75, 0.0),
    ], _mul_case, fresh)


# ------------------------------------------------------------------------------------------
# tanh_backward: out = tanh(x)
# ------------------------------------------------------------------------------------------
def _tanh_case(x, out_grad, x_grad):
    t = math.tanh(x)
    X, out = _value(x, x_grad), _value(t, out_grad)
    right = x_grad + (1 - t * t) * out_grad
    one = same_float
    mistakes = [_wrong(one, right, (1 - t * t) * out_grad, _OVERWRITE),
                _wrong(one, right, x_grad + (1 - t * t), _CHAIN + ": x.grad += (1 - out.data**2) * out.grad"),
                _wrong(one, right, x_grad + (1 - x * x) * out_grad,
                       "tanh'(x) = 1 - tanh(x)^2 = 1 - out.data**2: square the OUTPUT, not the input x"),
                _wrong(one, right, x_grad + (1 - math.tanh(t) ** 2) * out_grad,
                       "out.data is already tanh(x): use 1 - out.data**2, do not apply tanh again"),
                _wrong(one, right, x_grad + (1 - t) * out_grad, "square the output: 1 - out.data**2"),
                _wrong(one, right, x_grad - (1 - t * t) * out_grad,
                       "the sign is wrong: tanh increases, so its derivative 1 - out.data**2 is positive")]
    return Case(describe(out=out, x=X) + f"   (out = tanh(x) = {t:.6g})", (out, X), verify=same_float(right),
                watch=(), hint="x.grad += (1 - out.data**2) * out.grad;  return x.grad", mistakes=mistakes)


def _tanh_backward_cases(rng=None):
    fresh, rng = rng, inputs_rng(rng, 1102)
    r = [round(float(v), 3) for v in rng.uniform(-2, 2, 3)]
    return _cases([
        (0.5, 1.0, 0.0),
        (-1.2, 2.5, 0.3),
        (0.0, -1.0, 1.0),
        (3.0, 1.0, 0.5),            # saturated: the derivative is small
        (r[0], r[1], r[2]),
    ], _tanh_case, fresh)


# ------------------------------------------------------------------------------------------
# pow_backward: out = x ** n, n a number
# ------------------------------------------------------------------------------------------
def _pow_case(x, n, out_grad, x_grad):
    X, out = _value(x, x_grad), _value(x ** n, out_grad)
    right = x_grad + n * x ** (n - 1) * out_grad
    one = same_float
    mistakes = [_wrong(one, right, n * x ** (n - 1) * out_grad, _OVERWRITE),
                _wrong(one, right, x_grad + n * x ** (n - 1), _CHAIN + ": x.grad += n * x.data**(n - 1) * out.grad"),
                _wrong(one, right, x_grad + n * x ** n * out_grad,
                       "the power rule lowers the exponent by one: d(x^n)/dx = n x^(n-1), not n x^n"),
                _wrong(one, right, x_grad + x ** (n - 1) * out_grad,
                       "keep the factor n: d(x^n)/dx = n x^(n-1)"),
                _wrong(one, right, x_grad + (n - 1) * x ** (n - 1) * out_grad,
                       "the factor is n, the exponent n - 1: d(x^n)/dx = n x^(n-1)")]
    return Case(describe(out=out, x=X, n=n) + f"   (out = x ** n = {x ** n:.6g})", (out, X, n),
                verify=same_float(right), watch=(),
                hint="x.grad += n * x.data ** (n - 1) * out.grad;  return x.grad", mistakes=mistakes)


def _pow_backward_cases(rng=None):
    return _cases([
        (-1.5, 3, 0.5, 1.0),
        (3.0, 2, 1.0, 0.0),
        (2.0, -1, 1.0, 0.0),
        (4.0, 0.5, 2.0, -0.5),
        (2.5, -2, 1.2, 0.4),
        (0.7, 1, -3.0, 0.2),
    ], _pow_case, rng)


# ------------------------------------------------------------------------------------------
# topological_sort: every node after all of its inputs, the root last
# ------------------------------------------------------------------------------------------
def _reachable(root, inputs):
    seen, todo = {root}, [root]
    while todo:
        for child in inputs[todo.pop()]:
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def _first_out_of_order(order, inputs):
    """The first (node, input) pair with the node listed before its input, or None."""
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for child in inputs[node]:
            if position[child] > position[node]:
                return node, child
    return None


def _as_names(got):
    if not isinstance(got, (list, tuple)) or not all(isinstance(v, str) for v in got):
        return None
    return list(got)


def _topo_verify(root, inputs, example):
    nodes = _reachable(root, inputs)

    def verify(got):
        order = _as_names(got)
        expected = f"a list of the {len(nodes)} node names, each after all of its inputs, {root!r} last, e.g. {example}"
        if order is None:
            return Mismatch("wrong type", "a list of node names (str)", f"{type_text(got)}: {show(got)}")
        if len(order) != len(set(order)):
            twice = sorted({v for v in order if order.count(v) > 1})
            return Mismatch("a node listed twice", expected, f"{order} ({', '.join(map(repr, twice))} more than once)")
        if set(order) != nodes:
            missing, extra = sorted(nodes - set(order)), sorted(set(order) - nodes)
            text = (f"missing {missing}" if missing else "") + (f" extra {extra}" if extra else "")
            return Mismatch("wrong nodes", expected, f"{order} ({text.strip()})")
        bad = _first_out_of_order(order, inputs)
        if bad is not None:
            return Mismatch("wrong order", expected, f"{order} ({bad[0]!r} comes before its input {bad[1]!r})")
        if order[-1] != root:  # (cannot happen when every node follows its inputs; kept as a guard)
            return Mismatch("wrong order", expected, f"{order} (the root is not last)")
        return None

    return verify


def _has_duplicates(got):
    order = _as_names(got)
    return None if order is not None and len(order) != len(set(order)) else Mismatch("", "", "")


def _root_first(root, inputs):
    right = _topo_verify(root, inputs, "")

    def verify(got):
        order = _as_names(got)
        if order is None or order[0] != root or len(order) < 2:
            return Mismatch("", "", "")
        return right(order[::-1])
    return verify


def _missing_some(root, inputs):
    nodes = _reachable(root, inputs)

    def verify(got):
        order = _as_names(got)
        ok = order is not None and len(order) == len(set(order)) and set(order) < nodes
        return None if ok else Mismatch("", "", "")
    return verify


def _before_an_input(root, inputs):
    nodes = _reachable(root, inputs)

    def verify(got):
        order = _as_names(got)
        ok = (order is not None and len(order) == len(set(order)) == len(nodes) and set(order) == nodes
              and _first_out_of_order(order, inputs) is not None and _first_out_of_order(order[::-1], inputs) is not None)
        return None if ok else Mismatch("", "", "")
    return verify


def _topo_case(root, inputs, note=""):
    example = _example_order(root, inputs)
    return Case(
        describe(root=root, inputs=inputs) + (f"   ({note})" if note else ""), (root, inputs),
        verify=_topo_verify(root, inputs, example),
        hint="depth-first: visit(node) does nothing if node was visited; else it marks node as visited, "
             "visits each of inputs[node], then appends node; start with visit(root)",
        mistakes=[
            mistake(_has_duplicates, "list each node once: keep a set of the nodes already visited; a node "
                                     "used twice (a in a * a + a) still appears only once"),
            mistake(_root_first(root, inputs), "the root must come LAST: list each node after its inputs "
                                               "(the order of the forward pass); backward() walks the list reversed"),
            mistake(_missing_some(root, inputs), "visit the inputs of the inputs too, down to the leaves: the list "
                                                 "holds every node the root depends on"),
            mistake(_before_an_input(root, inputs),
                    "a node comes before one of its inputs, so walked backwards it would pass its gradient on before "
                    "every node that uses it has added its share: append a node only after ALL of its inputs "
                    "(a breadth-first walk from the root is not enough when a node is used at two depths)"),
        ],
        watch=(1,))


def _example_order(root, inputs):
    """One right answer (the library's own order on a Value graph of the same shape)."""
    values = {name: Value(0.0) for name in inputs}
    for name, children in inputs.items():
        values[name].inputs = tuple(values[c] for c in children)
    names = {id(v): name for name, v in values.items()}
    return [names[id(v)] for v in topological_order(values[root])]


def _value_graph_names(root, rng):
    """The graph of a Value expression as plain names, numbered in a shuffled order."""
    order = topological_order(root)
    labels = [f"v{k}" for k in rng.permutation(len(order))]
    name = {id(v): labels[k] for k, v in enumerate(order)}
    keys = [order[k] for k in rng.permutation(len(order))]
    return name[id(root)], {name[id(v)]: [name[id(u)] for u in v.inputs] for v in keys}


def _network_graph(rng):
    x = [1.0, -1.0]
    hidden = [(Value(0.3) * x[0] + Value(-0.2) * x[1] + Value(0.1)).sigmoid() for _ in range(2)]
    out = (hidden[0] * Value(0.5) + hidden[1] * Value(-0.4) + Value(0.0)).sigmoid()
    return _value_graph_names((out - 1.0) ** 2, rng)


def _topological_sort_cases(rng=None):
    rng = inputs_rng(rng, 1104)
    chain = {f"n{k}": [f"n{k - 1}"] if k else [] for k in range(60)}
    return [
        _topo_case("L", {"L": ["c"], "c": ["b"], "b": ["a"], "a": []}, "L = f(g(h(a)))"),
        _topo_case("L", {"L": ["s", "a"], "s": ["a", "a"], "a": []}, "L = a * a + a, with s = a * a"),
        _topo_case("L", {"L": ["d", "a"], "d": ["c"], "c": ["a", "b"], "a": [], "b": []},
                   "a is used by L directly and, deeper down, by c"),
        _topo_case("L", {"L": ["p", "y"], "p": ["z"], "z": ["u", "b"], "u": ["w", "x"],
                         "w": [], "x": [], "b": [], "y": []}, "lesson 04's neuron"),
        _topo_case(*_network_graph(rng), note="the 2-2-1 network's squared error, nodes numbered at random"),
        _topo_case("a", {"a": []}, "a single leaf"),
        _topo_case("n59", chain, "a chain of 60 nodes"),
    ]


EXERCISES = [
    Exercise(LESSON, "mul_backward", 2, _mul_backward_cases),
    Exercise(LESSON, "tanh_backward", 2, _tanh_backward_cases),
    Exercise(LESSON, "pow_backward", 2, _pow_backward_cases),
    Exercise(LESSON, "topological_sort", 3, _topological_sort_cases),
]

check_mul_backward = make_check(EXERCISES[0])
check_tanh_backward = make_check(EXERCISES[1])
check_pow_backward = make_check(EXERCISES[2])
check_topological_sort = make_check(EXERCISES[3])
check_all = make_check_all(EXERCISES)
