"""course_lib.autograd: every operation against finite differences, shared sub-expressions
(fan-out), the 2-2-1 network against lesson 04's hand-derived gradients and Dense.backward,
PyTorch as a reference (skipped with a reason where it is missing), property tests, and the
error messages."""
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import MSE, SGD, Dense, Sequential, Sigmoid, Tanh, train
from course_lib.activations import sigmoid
from course_lib.autograd import MLP, Layer, Neuron, Value, topological_order
from course_lib.initializers import get_initializer

FAST = settings(max_examples=40, deadline=None)
H = 1e-6


def numeric_grads(f, xs, h=H):
    """Central differences of the float function f(*xs) in each argument."""
    grads = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        grads.append((f(*up) - f(*down)) / (2 * h))
    return grads


def autograd_grads(f, xs):
    values = [Value(x) for x in xs]
    out = f(*values)
    out.backward()
    return out.data, [v.grad for v in values]


def as_float_function(f):
    """Run the Value expression f on plain floats (through Values, data only)."""
    return lambda *xs: f(*(Value(x) for x in xs)).data


# ------------------------------------------------------------------------------------------
# every operation against finite differences
# ------------------------------------------------------------------------------------------
OPERATIONS = {
    "a + b": (lambda a, b: a + b, (1.5, -0.7)),
    "a - b": (lambda a, b: a - b, (1.5, -0.7)),
    "a * b": (lambda a, b: a * b, (1.5, -0.7)),
    "a / b": (lambda a, b: a / b, (1.5, -0.7)),
    "-a": (lambda a: -a, (0.8,)),
    "a ** 2": (lambda a: a ** 2, (-1.3,)),
    "a ** 3": (lambda a: a ** 3, (-1.3,)),
    "a ** -1": (lambda a: a ** -1, (-1.3,)),
    "a ** 0.5": (lambda a: a ** 0.5, (2.2,)),
    "a ** -1.5": (lambda a: a ** -1.5, (0.9,)),
    "exp": (lambda a: a.exp(), (0.6,)),
    "log": (lambda a: a.log(), (0.6,)),
    "tanh": (lambda a: a.tanh(), (0.6,)),
    "sigmoid": (lambda a: a.sigmoid(), (-0.9,)),
    "sigmoid of a large negative": (lambda a: a.sigmoid(), (-30.0,)),
    "relu positive": (lambda a: a.relu(), (0.9,)),
    "relu negative": (lambda a: a.relu(), (-0.9,)),
    "2 * a": (lambda a: 2 * a, (0.4,)),
    "a * 2": (lambda a: a * 2, (0.4,)),
    "a + 1": (lambda a: a + 1, (0.4,)),
    "1 + a": (lambda a: 1 + a, (0.4,)),
    "1 - a": (lambda a: 1 - a, (0.4,)),
    "a - 1": (lambda a: a - 1, (0.4,)),
    "3 / a": (lambda a: 3 / a, (0.4,)),
    "a / 4": (lambda a: a / 4, (0.4,)),
}


@pytest.mark.parametrize("name", OPERATIONS)
def test_every_operation_against_finite_differences(name):
    f, xs = OPERATIONS[name]
    value, grads = autograd_grads(f, xs)
    assert value == pytest.approx(as_float_function(f)(*xs))
    assert np.allclose(grads, numeric_grads(as_float_function(f), xs), rtol=1e-6, atol=1e-9), name


def test_forward_values_are_the_textbook_ones():
    assert (Value(2.0) * 3 + 1).data == 7.0
    assert Value(1.0).exp().data == pytest.approx(math.e)
    assert Value(0.0).sigmoid().data == 0.5
    assert Value(-1e4).sigmoid().data == 0.0 and Value(1e4).sigmoid().data == 1.0
    assert Value(-2.0).relu().data == 0.0
    assert (Value(-2.0) ** 3).data == -8.0


# ------------------------------------------------------------------------------------------
# whole expressions, shared sub-expressions: gradients along several paths add up
# ------------------------------------------------------------------------------------------
EXPRESSIONS = {
    "a*a + a": (lambda a, b: a * a + a, (3.0, 0.0)),
    "a*b + a": (lambda a, b: a * b + a, (2.0, -3.0)),
    "shared node used three times": (lambda a, b: (lambda c: c * c + c.tanh() - c / b)(a * b + 1), (0.7, -1.2)),
    "neuron with squared error": (lambda w, b: ((w * 2.0 + b).sigmoid() - 1.0) ** 2, (-0.5, 0.5)),
    "log of sigmoid plus exp": (lambda a, b: (a * b).sigmoid().log() + (a - b).exp() * a, (0.3, 0.8)),
    "relu and division": (lambda a, b: (a * 3 - b).relu() / (b * b + 1), (1.1, 0.5)),
}


@pytest.mark.parametrize("name", EXPRESSIONS)
def test_expressions_against_finite_differences(name):
    f, xs = EXPRESSIONS[name]
    _, grads = autograd_grads(f, xs)
    assert np.allclose(grads, numeric_grads(as_float_function(f), xs), rtol=1e-6, atol=1e-9), name


def test_fan_out_adds_the_contributions_of_every_path():
    a = Value(3.0)
    L = a * a + a                       # dL/da = a + a + 1 = 7 (three paths)
    L.backward()
    assert a.grad == 7.0
    a, b = Value(2.0), Value(-3.0)
    L = a * b + a
    L.backward()
    assert (a.grad, b.grad) == (-2.0, 2.0)


def test_lesson04_neuron_example():
    x, w, b = 2.0, Value(-0.5), Value(0.5)
    L = ((w * x + b).sigmoid() - 1.0) ** 2
    L.backward()
    p = float(sigmoid(-0.5))
    assert L.data == pytest.approx((p - 1) ** 2)
    assert w.grad == pytest.approx(2 * (p - 1) * p * (1 - p) * x)
    assert b.grad == pytest.approx(2 * (p - 1) * p * (1 - p))


def test_gradients_accumulate_across_backward_calls_as_in_pytorch():
    a = Value(2.0)
    L = a * a
    L.backward()
    assert a.grad == 4.0
    b = Value(2.0)
    (b * b).backward()
    (b * b).backward()
    assert b.grad == 8.0
    model = MLP([2, 2, 1], rng=0)
    model([1.0, 1.0])[0].backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())


def test_topological_order_lists_each_node_once_after_its_inputs():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    L = c * c + a + c.tanh()
    order = topological_order(L)
    assert order[-1] is L
    assert len(order) == len({id(v) for v in order})
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        assert all(position[id(u)] < position[id(v)] for u in v.inputs)
    assert {id(a), id(b), id(c)} <= set(position)


def test_a_long_sum_does_not_hit_the_recursion_limit():
    xs = [Value(float(i)) for i in range(5000)]
    total = Value(0.0)
    for x in xs:
        total = total + x * x
    total.backward()
    assert xs[10].grad == 20.0 and xs[4999].grad == 2 * 4999.0


def test_leaf_values_pickle_with_their_identity():
    a = Value(2.0, label="a")
    a.grad = 0.5
    b, c = pickle.loads(pickle.dumps((a, a)))
    assert b is c and (b.data, b.grad, b.label) == (2.0, 0.5, "a")


def test_repr_shows_data_and_grad():
    assert repr(Value(2.5)) == "Value(data=2.5, grad=0)"


# ------------------------------------------------------------------------------------------
# the 2-2-1 network of lessons 02-04
# ------------------------------------------------------------------------------------------
def lesson04_hand_gradients(x1, x2, y_true, w):
    """Lesson 04, section 3: the nine partial derivatives, one chain-rule product each."""
    f = lambda z: float(sigmoid(z))                       # noqa: E731
    fp = lambda z: f(z) * (1 - f(z))                      # noqa: E731
    s1 = w["w1"] * x1 + w["w2"] * x2 + w["b1"]
    s2 = w["w3"] * x1 + w["w4"] * x2 + w["b2"]
    h1, h2 = f(s1), f(s2)
    so = w["w5"] * h1 + w["w6"] * h2 + w["b3"]
    d = -2 * (y_true - f(so))
    return {"w1": d * w["w5"] * fp(so) * x1 * fp(s1), "w2": d * w["w5"] * fp(so) * x2 * fp(s1),
            "w3": d * w["w6"] * fp(so) * x1 * fp(s2), "w4": d * w["w6"] * fp(so) * x2 * fp(s2),
            "w5": d * h1 * fp(so), "w6": d * h2 * fp(so), "b1": d * w["w5"] * fp(so) * fp(s1),
            "b2": d * w["w6"] * fp(so) * fp(s2), "b3": d * fp(so)}


def values_221(w):
    """The 2-2-1 network from Values, lesson 04's weights ``w``."""
    model = MLP([2, 2, 1])
    model.layers[0].load([[w["w1"], w["w3"]], [w["w2"], w["w4"]]], [w["b1"], w["b2"]])
    model.layers[1].load([[w["w5"]], [w["w6"]]], [w["b3"]])
    return model


def autograd_named_grads(model):
    (dW1, db1), (dW2, db2) = model.layers[0].grads(), model.layers[1].grads()
    return {"w1": dW1[0, 0], "w2": dW1[1, 0], "w3": dW1[0, 1], "w4": dW1[1, 1], "w5": dW2[0, 0],
            "w6": dW2[1, 0], "b1": db1[0], "b2": db1[1], "b3": db2[0]}


ALICE = {"w1": 1.0, "w2": 1.0, "w3": 1.0, "w4": 1.0, "w5": 1.0, "w6": 1.0, "b1": 0.0, "b2": 0.0, "b3": 0.0}
RANDOM = dict(zip(ALICE, np.round(np.random.default_rng(11).standard_normal(9), 3).tolist()))


@pytest.mark.parametrize("w, x1, x2, y", [(ALICE, -2.0, -1.0, 1.0), (RANDOM, 0.7, -1.4, 0.0)],
                         ids=["alice", "random"])
def test_221_network_gradients_equal_lesson04_by_hand_and_dense_backward(w, x1, x2, y):
    model = values_221(w)
    (y_pred,) = model([x1, x2])
    L = (y - y_pred) ** 2
    L.backward()
    got = autograd_named_grads(model)
    hand = lesson04_hand_gradients(x1, x2, y, w)
    for name in ALICE:
        assert got[name] == pytest.approx(hand[name], rel=1e-12, abs=1e-15), name
    if w is ALICE:
        assert round(got["w1"], 4) == 0.0215      # the number lesson 04 prints

    hidden, output = Dense(2, 2), Dense(2, 1)
    hidden.W[:] = [[w["w1"], w["w3"]], [w["w2"], w["w4"]]]
    hidden.b[:] = [w["b1"], w["b2"]]
    output.W[:] = [[w["w5"]], [w["w6"]]]
    output.b[:] = [w["b3"]]
    net = Sequential([hidden, Sigmoid(), output, Sigmoid()])
    mse = MSE()
    assert mse.forward(net.forward(np.array([[x1, x2]])), np.array([[y]])) == pytest.approx(L.data, rel=1e-14)
    net.backward(mse.backward())
    assert np.allclose(model.layers[0].grads()[0], hidden.dW, rtol=1e-12, atol=1e-15)
    assert np.allclose(model.layers[0].grads()[1], hidden.db, rtol=1e-12, atol=1e-15)
    assert np.allclose(model.layers[1].grads()[0], output.dW, rtol=1e-12, atol=1e-15)
    assert np.allclose(model.layers[1].grads()[1], output.db, rtol=1e-12, atol=1e-15)


def value_mse(model, X, Y):
    """Mean squared error over samples and outputs, as course_lib.MSE."""
    terms = [(p - t) ** 2 for x, y in zip(X, Y) for p, t in zip(model(list(x)), y)]
    return sum(terms) * (1.0 / len(terms))


def test_layer_draws_the_same_weights_as_dense_from_the_same_generator():
    layer = Layer(3, 4, rng=np.random.default_rng(5))
    dense = Dense(3, 4, rng=np.random.default_rng(5))
    W = np.array([[w.data for w in n.w] for n in layer.neurons]).T
    assert np.array_equal(W, dense.W)
    assert np.array_equal(W, get_initializer("xavier")(3, 4, rng=np.random.default_rng(5)))


def test_training_with_values_follows_the_vectorized_library_step_by_step():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    rng = np.random.default_rng(3)
    net = Sequential([Dense(2, 3, rng=rng), Tanh(), Dense(3, 1, rng=rng), Sigmoid()])
    model = MLP([2, 3, 1], activation="tanh")
    for layer, dense in zip(model.layers, net.layers[::2]):
        layer.load(dense.W, dense.b)
    losses = []
    for _ in range(25):
        model.zero_grad()
        loss = value_mse(model, X, Y)
        loss.backward()
        for p in model.parameters():
            p.data -= 0.5 * p.grad
        losses.append(loss.data)
    history = train(net, X, Y, MSE(), SGD(lr=0.5), epochs=25, progress=False)
    assert np.allclose(losses, history.train_loss, rtol=1e-12, atol=1e-15)


def test_neuron_and_mlp_shapes_and_activations():
    n = Neuron([1.0, -2.0], 0.5, activation="linear")
    assert n([3.0, 1.0]).data == 1.5
    assert Neuron([1.0], 0.0, activation="relu")([-2.0]).data == 0.0
    assert Neuron([1.0], 0.0, activation="tanh")([0.5]).data == pytest.approx(math.tanh(0.5))
    model = MLP([3, 4, 2], activation="relu", output_activation="linear", rng=1)
    out = model([1.0, 2.0, 3.0])
    assert len(out) == 2 and all(isinstance(v, Value) for v in out)
    assert len(model.parameters()) == 3 * 4 + 4 + 4 * 2 + 2


# ------------------------------------------------------------------------------------------
# PyTorch as a reference (skipped with a reason where it is missing)
# ------------------------------------------------------------------------------------------
# written with methods that a Value and a torch tensor both have
TORCH_EXPRESSIONS = {
    "a*a + a": lambda a, b: a * a + a + b * 0,
    "a*b + a": lambda a, b: a * b + a,
    "shared sub-expression": lambda a, b: (lambda c: c * c + c.tanh() - c / b)(a * b + 1),
    "sigmoid, log, exp, pow": lambda a, b: (a.sigmoid() * b).exp().log() + a ** 3 / b - (2 - a) ** -0.5,
    "relu": lambda a, b: (a * 2 - b).relu() * (b - a).relu() + (a - b).relu() ** 2,
}


@pytest.mark.parametrize("name", TORCH_EXPRESSIONS)
def test_expressions_against_pytorch(torch, name):
    f = TORCH_EXPRESSIONS[name]
    xs = (0.7, -1.3)
    value, grads = autograd_grads(f, xs)
    ta, tb = (torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs)
    out = f(ta, tb)
    out.backward()
    assert value == pytest.approx(out.item(), rel=1e-14)
    assert grads == pytest.approx([ta.grad.item(), tb.grad.item()], rel=1e-12, abs=1e-15)


def test_221_network_against_pytorch(torch):
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    model = MLP([2, 2, 1], rng=7)
    loss = value_mse(model, X, Y)
    loss.backward()
    W1 = torch.tensor(np.array([[w.data for w in n.w] for n in model.layers[0].neurons]).T, requires_grad=True)
    b1 = torch.tensor([n.b.data for n in model.layers[0].neurons], dtype=torch.float64, requires_grad=True)
    W2 = torch.tensor(np.array([[w.data for w in n.w] for n in model.layers[1].neurons]).T, requires_grad=True)
    b2 = torch.tensor([n.b.data for n in model.layers[1].neurons], dtype=torch.float64, requires_grad=True)
    p = torch.sigmoid(torch.sigmoid(torch.tensor(X) @ W1 + b1) @ W2 + b2)
    t_loss = torch.nn.functional.mse_loss(p, torch.tensor(Y))
    t_loss.backward()
    assert loss.data == pytest.approx(t_loss.item(), rel=1e-13)
    for layer, (tW, tb) in zip(model.layers, [(W1, b1), (W2, b2)]):
        dW, db = layer.grads()
        assert np.allclose(dW, tW.grad.numpy(), rtol=1e-12, atol=1e-15)
        assert np.allclose(db, tb.grad.numpy(), rtol=1e-12, atol=1e-15)


# ------------------------------------------------------------------------------------------
# property tests
# ------------------------------------------------------------------------------------------
reals = st.floats(-3, 3, allow_nan=False, allow_infinity=False)


@FAST
@given(a=reals, b=reals, c=reals)
def test_random_points_match_finite_differences(a, b, c):
    def f(x, y, z):
        u = x * y + z
        return (u.tanh() * x - (y * z).sigmoid() + u * u / (z * z + 1)).exp()
    _, grads = autograd_grads(f, (a, b, c))
    assert np.allclose(grads, numeric_grads(as_float_function(f), (a, b, c), h=1e-6), rtol=1e-5, atol=1e-7)


@FAST
@given(a=reals, b=reals)
def test_product_rule_and_fan_out_hold_exactly(a, b):
    x, y = Value(a), Value(b)
    L = x * y + x
    L.backward()
    assert (x.grad, y.grad) == (b + 1.0, a)
    z = Value(a)
    (z * z * z).backward()
    assert z.grad == pytest.approx(3 * a * a, rel=1e-12, abs=1e-300)


@FAST
@given(n=st.integers(1, 30), seed=st.integers(0, 1000))
def test_random_graphs_are_ordered_inputs_first(n, seed):
    rng = np.random.default_rng(seed)
    nodes = [Value(float(v)) for v in rng.uniform(0.5, 1.5, 3)]
    for _ in range(n):
        i, j = rng.integers(0, len(nodes), 2)
        nodes.append(nodes[i] * nodes[j] if rng.random() < 0.5 else nodes[i] + nodes[j])
    order = topological_order(nodes[-1])
    position = {id(v): k for k, v in enumerate(order)}
    assert len(position) == len(order) and order[-1] is nodes[-1]
    assert all(position[id(u)] < position[id(v)] for v in order for u in v.inputs)


# ------------------------------------------------------------------------------------------
# errors name the problem
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, error, message", [
    (lambda: Value(2.0) ** Value(2.0), TypeError, "Value ** Value is not supported"),
    (lambda: 2 ** Value(2.0), TypeError, "number ** Value is not supported"),
    (lambda: Value(1.0) + "a", TypeError, "unsupported operand for +: a Value combines only with another "
                                          "Value or a real number (int or float), got str 'a'"),
    (lambda: "a" + Value(1.0), TypeError, "unsupported operand for +"),
    (lambda: Value(1.0) * [1, 2], TypeError, "unsupported operand for *"),
    (lambda: Value(1.0) - None, TypeError, "unsupported operand for -"),
    (lambda: Value(1.0) / "2", TypeError, "unsupported operand for /"),
    (lambda: Value(1.0) ** "2", TypeError, "unsupported exponent for **"),
    (lambda: Value("1.5"), TypeError, "a Value holds one real number (int or float), got str '1.5'"),
    (lambda: Value(True), TypeError, "got bool True"),
    (lambda: Value(-2.0) ** 0.5, ValueError, "cannot raise a negative value (-2) to the non-integer power 0.5"),
    (lambda: Value(0.0) ** -1, ZeroDivisionError, "cannot raise 0 to the negative power -1"),
    (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, "cannot raise 0 to the negative power -1"),
    (lambda: Value(0.0).log(), ValueError, "log needs a positive value, got 0"),
    (lambda: Value(1000.0).exp(), OverflowError, "exp(1000) is too large for a float"),
    (lambda: Neuron([1.0], activation="softplus"), ValueError, "unknown activation 'softplus'"),
    (lambda: Neuron([1.0, 2.0])([1.0]), ValueError, "this neuron has 2 weights, got 1 inputs"),
    (lambda: Layer(2, 3).load(np.zeros((3, 2)), np.zeros(3)), ValueError, "W must have shape (2, 3)"),
])
def test_errors_name_the_problem(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert message in str(info.value)


def test_the_graph_picture_has_a_node_for_every_value():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle
    from course_lib.widgets import basics

    a = Value(3.0, label="a")
    s = a * a
    s.label = "s"
    L = s + a                           # a reaches L directly and through s: a bent arrow
    L.backward()
    fig, ax = plt.subplots()
    basics.draw_value_graph(ax, L)
    assert sum(isinstance(p, Circle) for p in ax.patches) == len(topological_order(L)) == 3
    texts = [t.get_text() for t in ax.texts]
    assert "a" in texts and "3.000\ngrad 7.000" in texts and any("both inputs" in t for t in texts)
    plt.close(fig)


# ------------------------------------------------------------------------------------------
# what mutation testing found unchecked: forward values against plain math, the operations'
# names (the graph pictures show them), defaults, and whole error messages
# ------------------------------------------------------------------------------------------
PLAIN = {   # the same operations as OPERATIONS, on floats, written with Python's own math
    "a + b": lambda a, b: a + b, "a - b": lambda a, b: a - b, "a * b": lambda a, b: a * b,
    "a / b": lambda a, b: a / b, "-a": lambda a: -a, "a ** 2": lambda a: a * a,
    "a ** 3": lambda a: a * a * a, "a ** -1": lambda a: 1 / a, "a ** 0.5": math.sqrt,
    "a ** -1.5": lambda a: a ** -1.5, "exp": math.exp, "log": math.log, "tanh": math.tanh,
    "sigmoid": lambda a: 1 / (1 + math.exp(-a)), "sigmoid of a large negative": lambda a: 1 / (1 + math.exp(-a)),
    "relu positive": lambda a: max(a, 0.0), "relu negative": lambda a: max(a, 0.0),
    "2 * a": lambda a: 2 * a, "a * 2": lambda a: a * 2, "a + 1": lambda a: a + 1, "1 + a": lambda a: 1 + a,
    "1 - a": lambda a: 1 - a, "a - 1": lambda a: a - 1, "3 / a": lambda a: 3 / a, "a / 4": lambda a: a / 4,
}


@pytest.mark.parametrize("name", OPERATIONS)
def test_every_operation_computes_the_value_of_plain_math(name):
    f, xs = OPERATIONS[name]
    assert f(*(Value(x) for x in xs)).data == pytest.approx(PLAIN[name](*xs), rel=1e-14, abs=1e-300)


def test_every_operation_is_named_in_the_graph():
    a, b = Value(1.5), Value(0.5)
    names = {"+": a + b, "-": a - b, "*": a * b, "**2": a ** 2, "**-1": a ** -1, "exp": a.exp(),
             "log": a.log(), "tanh": a.tanh(), "sigmoid": a.sigmoid(), "relu": a.relu()}
    assert {op: v.op for op, v in names.items()} == {op: op for op in names}
    assert (Value(0.0).op, Value(0.0).label, Value(0.0).inputs) == ("", "", ())


def test_powers_at_zero_and_relu_at_zero():
    assert (Value(0.0) ** 0.5).data == 0.0 and (Value(0.0) ** 0).data == 1.0
    assert (Value(0.0) ** 2).data == 0.0
    z = Value(0.0)
    z.relu().backward()
    assert z.grad == 0.0                       # relu'(0) = 0, as PyTorch


def test_a_power_adds_its_share_to_a_gradient_that_other_paths_filled():
    a = Value(3.0)
    (a ** 2 + a).backward()                    # 2a + 1
    assert a.grad == 7.0
    b = Value(2.0)
    (b + b ** -1).backward()                   # 1 - 1/b^2
    assert b.grad == 0.75


def test_neuron_layer_and_mlp_defaults():
    assert Neuron([1.0, 2.0]).b.data == 0.0
    layer = Layer(3, 2, rng=0)
    assert [n.b.data for n in layer.neurons] == [0.0, 0.0]
    first, second = MLP([2, 3, 1], rng=5), MLP([2, 3, 1], rng=5)
    assert [p.data for p in first.parameters()] == [p.data for p in second.parameters()]
    assert [p.data for p in MLP([2, 3, 1], rng=6).parameters()] != [p.data for p in first.parameters()]


@pytest.mark.parametrize("make, message", [
    (lambda: Value(2.0) ** Value(2.0),
     "Value ** Value is not supported: the exponent must be a number (int or float), as in v ** 2; "
     "for a Value exponent n and v > 0 write (n * v.log()).exp()"),
    (lambda: 2 ** Value(2.0),
     "number ** Value is not supported: the exponent must be a number; for 2 ** v write (v * math.log(2)).exp()"),
    (lambda: Value(1.0) ** "2", "unsupported exponent for **: it must be a real number (int or float), got str '2'"),
    (lambda: Neuron([1.0], activation="softplus"),
     "unknown activation 'softplus'; choose one of sigmoid, tanh, relu, linear"),
    (lambda: "a" * Value(1.0), "unsupported operand for *: a Value combines only with another Value or a "
                               "real number (int or float), got str 'a'"),
    (lambda: "a" - Value(1.0), "unsupported operand for -: a Value combines only with another Value or a "
                               "real number (int or float), got str 'a'"),
    (lambda: "a" / Value(1.0), "unsupported operand for /: a Value combines only with another Value or a "
                               "real number (int or float), got str 'a'"),
])
def test_whole_error_messages(make, message):
    with pytest.raises((TypeError, ValueError)) as info:
        make()
    assert str(info.value) == message
