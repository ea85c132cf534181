"""Lesson 04's backpropagation stepper: the steps (core) and the widget, without a browser.

Every backward value is checked against finite differences of the node it differentiates,
every dL/dw against Dense.backward, and the update against one SGD step.
"""
import numpy as np
import pytest

from course_lib import (MSE, SGD, BinaryCrossEntropy, CrossEntropy, Dense, Dropout, ELU, ReLU,
                        Sequential, Sigmoid, Softmax, Tanh)
from course_lib.backprop_steps import backprop_steps, node_values


def lesson_network():
    """Lesson 04's 2-2-1 network: all weights 1, biases 0; Alice is x = (-2, -1), y = 1."""
    hidden, output = Dense(2, 2), Dense(2, 1)
    hidden.W[:] = 1.0
    output.W[:] = 1.0
    return Sequential([hidden, Sigmoid(), output, Sigmoid()])


def finite_difference(model, x, y, loss, of, wrt, h=1e-6):
    up = node_values(model, x, y, loss, nudge=(wrt, h))[of]
    down = node_values(model, x, y, loss, nudge=(wrt, -h))[of]
    return (up - down) / (2 * h)


def check_backward(model, x, y, loss, steps):
    backward = [s for s in steps if s["phase"] == "backward"]
    assert backward
    for s in backward:
        numeric = finite_difference(model, x, y, loss, s["of"], s["wrt"])
        assert s["value"] == pytest.approx(numeric, rel=1e-6, abs=1e-9), s["name"]


def test_lesson_network_uses_the_lessons_names_and_numbers():
    model = lesson_network()
    steps = backprop_steps(model, [-2.0, -1.0], 1.0, MSE())
    names = [s["name"] for s in steps]
    assert names[:7] == ["sum_h1", "h1", "sum_h2", "h2", "sum_o1", "o1", "L"]
    assert names[7] == "d_L_d_ypred"
    for name in ["d_ypred_d_w5", "d_ypred_d_w6", "d_ypred_d_b3", "d_ypred_d_h1", "d_ypred_d_h2",
                 "d_h1_d_w1", "d_h1_d_w2", "d_h1_d_b1", "d_h2_d_w3", "d_h2_d_w4", "d_h2_d_b2"]:
        assert name in names
    grads = [f"dL/d{p}" for p in ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")]
    assert set(grads) <= set(names)
    assert names[-9:] == ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]
    phases = [s["phase"] for s in steps]
    assert phases == sorted(phases, key=["forward", "backward", "update"].index)   # in order
    by_name = {s["name"]: s["value"] for s in steps}
    # lesson 04's printed values for Alice
    assert by_name["h1"] == pytest.approx(0.0474, abs=5e-5)
    assert by_name["o1"] == pytest.approx(0.5237, abs=5e-5)
    assert by_name["L"] == pytest.approx(0.2269, abs=5e-5)
    assert by_name["d_L_d_ypred"] == pytest.approx(-0.9526, abs=5e-5)
    assert by_name["dL/dw1"] == pytest.approx(0.0215, abs=5e-5)
    for s in steps:
        assert set(s) >= {"phase", "name", "value", "formula", "target"}
        assert isinstance(s["value"], float)
    check_backward(model, [-2.0, -1.0], 1.0, MSE(), steps)


def test_lesson_gradients_equal_dense_backward_and_update_equals_sgd():
    model = lesson_network()
    x, y = np.array([[-2.0, -1.0]]), np.array([[1.0]])
    steps = backprop_steps(model, x, y, "mse", lr=0.5)
    loss = MSE()
    loss.forward(model.forward(x), y)
    model.backward(loss.backward())
    hidden, output = model.layers[0], model.layers[2]
    layer_grads = {"w1": hidden.dW[0, 0], "w2": hidden.dW[1, 0], "w3": hidden.dW[0, 1],
                   "w4": hidden.dW[1, 1], "w5": output.dW[0, 0], "w6": output.dW[1, 0],
                   "b1": hidden.db[0], "b2": hidden.db[1], "b3": output.db[0]}
    by_name = {s["name"]: s["value"] for s in steps}
    for p, g in layer_grads.items():
        assert by_name[f"dL/d{p}"] == pytest.approx(g, rel=1e-12, abs=1e-15)
    SGD(lr=0.5).step(model)
    new = {"w1": hidden.W[0, 0], "w2": hidden.W[1, 0], "w3": hidden.W[0, 1], "w4": hidden.W[1, 1],
           "w5": output.W[0, 0], "w6": output.W[1, 0], "b1": hidden.b[0], "b2": hidden.b[1],
           "b3": output.b[0]}
    updates = {s["name"]: s["value"] for s in steps if s["phase"] == "update"}
    for p, v in new.items():
        assert updates[p] == pytest.approx(v, rel=1e-12, abs=1e-15)


def test_backprop_steps_leaves_the_model_alone():
    model = lesson_network()
    before = [v.copy() for _, v, _ in model.parameters()]
    backprop_steps(model, [-2.0, -1.0], 1.0)
    assert all(np.array_equal(a, v) for a, (_, v, _) in zip(before, model.parameters()))


@pytest.mark.parametrize("layers, x, y, loss", [
    (lambda r: [Dense(3, 4, rng=r), Tanh(), Dense(4, 3, rng=r)], [0.5, -1.0, 2.0], 2, CrossEntropy()),
    (lambda r: [Dense(2, 3, rng=r), ReLU(), Dense(3, 1, rng=r), Sigmoid()], [0.3, -0.7], 1.0,
     BinaryCrossEntropy()),
    (lambda r: [Dense(2, 2, rng=r), ELU(), Dense(2, 2, rng=r), Tanh(), Dense(2, 2, rng=r)],
     [1.0, 0.5], [0.2, -0.4], MSE()),
    (lambda r: [Dense(2, 2, rng=r), Sigmoid(), Dense(2, 1, rng=r)], [1.0, 2.0], 0.5, MSE()),
    (lambda r: [Dense(2, 2, rng=r), Tanh(), Dense(2, 1, rng=r), Sigmoid()], [1.0, 2.0], 0.0,
     BinaryCrossEntropy()),
])
def test_any_small_sequential_gets_generic_names_and_correct_values(layers, x, y, loss):
    model = Sequential(layers(np.random.default_rng(3)))
    steps = backprop_steps(model, x, y, loss)
    names = [s["name"] for s in steps]
    assert names[0] == "z1_1" and "L" in names and "sum_h1" not in names
    assert any(n.startswith("dL/dW1[") for n in names) and "dL/db1[1]" in names
    check_backward(model, x, y, loss, steps)
    # every dL/dW equals Dense.backward's
    X = np.array([x], dtype=float)
    Y = np.array([y]) if isinstance(loss, CrossEntropy) else np.array([np.atleast_1d(y)], dtype=float)
    loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    by_name = {s["name"]: s["value"] for s in steps}
    dense = [layer for layer in model.layers if isinstance(layer, Dense)]
    for l, d in enumerate(dense, start=1):
        for i in range(d.n_in):
            for j in range(d.n_out):
                assert by_name[f"dL/dW{l}[{i + 1},{j + 1}]"] == pytest.approx(d.dW[i, j], rel=1e-10, abs=1e-14)
        for j in range(d.n_out):
            assert by_name[f"dL/db{l}[{j + 1}]"] == pytest.approx(d.db[j], rel=1e-10, abs=1e-14)


@pytest.mark.parametrize("make, x, y, message", [
    (lambda: Sequential([Dense(2, 2), Sigmoid(), Dense(2, 1)]), [[1.0, 2.0], [3.0, 4.0]], 1.0,
     r"follows one sample: x must have shape \(2,\) or \(1, 2\)"),
    (lambda: Sequential([Dense(2, 2), Dropout(0.5), Dense(2, 1)]), [1.0, 2.0], 1.0, "without Dropout"),
    (lambda: Sequential([Dense(2, 2), Softmax()]), [1.0, 2.0], 1, "drop the Softmax layer"),
    (lambda: Sequential([Dense(2, 2), Sigmoid(), Dense(2, 1)]), [1.0, 2.0], [1.0, 2.0],
     r"y must hold 1 target\(s\)"),
    (lambda: Sequential([Dense(20, 20)]), np.zeros(20), np.zeros(20), "small networks"),
])
def test_bad_input_is_refused_with_a_clear_message(make, x, y, message):
    with pytest.raises(ValueError, match=message):
        backprop_steps(make(), x, y, "mse")


def test_contract_name_lives_in_widgets():
    from course_lib import widgets
    from course_lib.backprop_steps import backprop_steps as core

    assert widgets.backprop_steps is core


def test_stepper_widget_walks_forward_backward_update():
    from course_lib.widgets.stepper import Stepper, stepper_figure

    st = Stepper(lesson_network(), np.array([-2.0, -1.0]), 1.0, MSE())
    assert st.position == 0 and "0 / 37" in st.progress.value
    first = st.image.value
    st.on_next()
    assert st.current["name"] == "sum_h1" and st.image.value != first
    st.on_phase("forward")
    assert st.current["name"] == "L" and st.position == 7
    st.on_phase("backward")
    assert st.current["phase"] == "backward" and st.current["name"] == "dL/db2"
    st.on_next()
    assert st.current["phase"] == "update" and st.current["name"] == "w1"
    st.on_phase("update")
    assert st.position == len(st.steps) and "all steps done" in st.progress.value
    st.on_next()                                 # nothing more to reveal
    assert st.position == len(st.steps)
    st.on_phase("forward")                       # never goes back
    assert st.position == len(st.steps)
    st.on_reset()
    assert st.position == 0
    fig = stepper_figure(st.model, st.steps, 12, x=[-2.0, -1.0])
    assert type(fig).__module__ == "matplotlib.figure"


def test_stepper_guess_first():
    from course_lib.widgets.stepper import Stepper

    st = Stepper(lesson_network(), [-2.0, -1.0], 1.0, "mse", guess=True)
    assert st.guess.layout.display is None
    st.guess.value = -3.0
    st.on_next()                                 # sum_h1 = -3: right
    assert "right" in st.feedback.value and st.guessed[-1][3]
    st.guess.value = 0.5
    st.on_next()                                 # h1 = 0.0474: not quite
    assert "not quite" in st.feedback.value and not st.guessed[-1][3]
    st.guess_on.value = False
    assert st.guess.layout.display == "none" and st.feedback.value == ""
