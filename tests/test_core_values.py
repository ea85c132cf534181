"""The numerical core's values on small hand-checked inputs: constants, branches and axes that
the lessons rely on, each pinned by a number worked out by hand or in plain NumPy."""
import numpy as np
import pytest

from course_lib import activations
from course_lib.activations import (elu, elu_derivative, get_activation, leaky_relu,
                                    linear_derivative, sigmoid, softmax)

# --------------------------------------------------------------------------------------
# Activations: array-likes, float32, the value at the kink, softmax's axis
# --------------------------------------------------------------------------------------
ELEMENTWISE = ["sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative", "relu",
               "relu_derivative", "leaky_relu", "leaky_relu_derivative", "elu",
               "elu_derivative", "linear", "linear_derivative", "softmax"]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activations_take_lists_of_floats_ints_and_bools_like_float_arrays(name):
    f = getattr(activations, name)
    lists = [[-2.0, 0.0, 3.0], [-2, 0, 3]]
    if name not in ("tanh", "tanh_derivative", "linear"):   # (np.tanh of bools is float16)
        lists.append([True, False, True])
    for values in lists:
        expected = f(np.array(values, dtype=float))
        out = f(values)
        assert isinstance(out, np.ndarray), (name, values)
        if name != "linear":                                  # the identity keeps ints
            assert out.dtype == np.float64, (name, values, out.dtype)
        np.testing.assert_array_equal(out, expected, err_msg=f"{name}({values})")


FLOAT32_KEEPERS = ["sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative", "relu",
                   "leaky_relu", "elu", "elu_derivative", "softmax"]


@pytest.mark.parametrize("name", FLOAT32_KEEPERS)
def test_activations_keep_float32(name):
    z = np.array([[-3.0, -0.5, 0.0, 0.5, 3.0]], dtype=np.float32)
    out = getattr(activations, name)(z)
    assert out.dtype == np.float32, out.dtype
    np.testing.assert_allclose(out, getattr(activations, name)(z.astype(float)), rtol=1e-5)


def test_elu_derivative_at_zero_is_alpha():
    # elu'(z) = 1 if z > 0 else alpha * e^z: at z = 0 the left branch, alpha
    assert elu_derivative(0.0, alpha=0.5) == 0.5
    np.testing.assert_array_equal(elu_derivative(np.array([-0.0, 0.0, 1e-300]), alpha=2.0),
                                  [2.0, 2.0, 1.0])


def test_elu_and_leaky_relu_with_alpha_zero_are_relu():
    z = np.array([-2.0, -0.1, 0.0, 0.1, 2.0])
    np.testing.assert_array_equal(elu(z, alpha=0.0), np.maximum(z, 0))
    np.testing.assert_array_equal(leaky_relu(z, alpha=0.0), np.maximum(z, 0))


def test_sigmoid_both_branches_far_out():
    # the stable form: no overflow and the exact limits at both ends
    np.testing.assert_array_equal(sigmoid(np.array([-1e4, 1e4])), [0.0, 1.0])
    assert sigmoid(-30.0) == pytest.approx(np.exp(-30.0) / (1 + np.exp(-30.0)), rel=1e-14)
    assert sigmoid(30.0) == pytest.approx(1 / (1 + np.exp(-30.0)), rel=1e-15)
    assert sigmoid(-745.0) > 0.0          # e^-745 is the last float64 above zero


def test_softmax_of_huge_logits_does_not_overflow():
    np.testing.assert_allclose(softmax(np.array([1000.0, 1000.0, -1000.0])), [0.5, 0.5, 0.0])


def test_softmax_along_axis_zero_and_default_last_axis():
    z = np.array([[0.0, np.log(3.0)], [np.log(3.0), 0.0]])
    np.testing.assert_allclose(softmax(z), [[0.25, 0.75], [0.75, 0.25]], rtol=1e-15)
    np.testing.assert_allclose(softmax(z, axis=0), [[0.25, 0.75], [0.75, 0.25]], rtol=1e-15)
    z3 = np.arange(24.0).reshape(2, 3, 4) / 7
    np.testing.assert_allclose(softmax(z3, axis=1).sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(softmax(z3, axis=1),
                               np.exp(z3) / np.exp(z3).sum(axis=1, keepdims=True), rtol=1e-13)


def test_linear_derivative_is_float_ones():
    out = linear_derivative(np.array([[1, -2, 3]]))
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[1.0, 1.0, 1.0]])


def test_get_activation_messages():
    with pytest.raises(TypeError, match=r"^get_activation takes a name such as 'relu', "
                                        r"not a function$"):
        get_activation(sigmoid)
    with pytest.raises(ValueError, match=r"^unknown activation 'swish'; choose one of: elu, "
                                         r"leaky_relu, linear, relu, sigmoid, tanh$"):
        get_activation("swish")
    assert get_activation("ELU") == (elu, elu_derivative)


# --------------------------------------------------------------------------------------
# Initializers: each is its formula applied to the seeded generator's draws
# --------------------------------------------------------------------------------------
from course_lib import initializers  # noqa: E402
from course_lib.initializers import INITIALIZERS, get_initializer  # noqa: E402


def normal_draws(seed, shape):
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("name,std", [
    ("small", 0.01), ("large", 1.0), ("normal", 0.01),
    ("xavier", np.sqrt(2.0 / (3 + 5))), ("glorot", np.sqrt(2.0 / (3 + 5))),
    ("he", np.sqrt(2.0 / 3)), ("kaiming", np.sqrt(2.0 / 3)),
])
def test_normal_initializers_are_their_formula(name, std):
    W = get_initializer(name)(3, 5, rng=7)
    assert W.shape == (3, 5) and W.dtype == np.float64
    np.testing.assert_allclose(W, std * normal_draws(7, (3, 5)), rtol=1e-15)


@pytest.mark.parametrize("name,a", [("xavier_uniform", np.sqrt(6.0 / (3 + 5))),
                                    ("he_uniform", np.sqrt(6.0 / 3))])
def test_uniform_initializers_are_their_formula(name, a):
    W = get_initializer(name)(3, 5, rng=7)
    np.testing.assert_allclose(W, np.random.default_rng(7).uniform(-a, a, (3, 5)), rtol=1e-15)


@pytest.mark.parametrize("name", sorted(INITIALIZERS))
def test_initializers_shape_dtype_and_seed(name):
    f = get_initializer(name)
    W = f(4, 2, rng=np.random.default_rng(1), dtype=np.float32)
    assert W.shape == (4, 2) and W.dtype == np.float32
    np.testing.assert_array_equal(W, f(4, 2, rng=1, dtype=np.float32))
    assert f(4, 2).shape == (4, 2)          # rng=None: a fresh generator


def test_normal_scale_and_zeros():
    np.testing.assert_allclose(initializers.normal(2, 2, rng=3, scale=0.5),
                               0.5 * normal_draws(3, (2, 2)), rtol=1e-15)
    np.testing.assert_array_equal(initializers.normal(2, 2, rng=3, scale=0.0), np.zeros((2, 2)))
    np.testing.assert_array_equal(initializers.zeros(2, 3), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"^scale must be a non-negative number, got -1$"):
        initializers.normal(2, 2, scale=-1)


def test_get_initializer_names_and_callables():
    assert get_initializer("He") is initializers.he
    assert get_initializer(initializers.zeros) is initializers.zeros
    custom = lambda n_in, n_out, rng=None, dtype=float: np.ones((n_in, n_out))  # noqa: E731
    assert get_initializer(custom) is custom
    with pytest.raises(ValueError, match=r"^unknown initializer 'lecun'; choose one of: glorot, "
                                         r"he, he_uniform, kaiming, large, normal, small, "
                                         r"xavier, xavier_uniform, zeros$"):
        get_initializer("lecun")


# --------------------------------------------------------------------------------------
# Weight penalties: each alone, on weights only
# --------------------------------------------------------------------------------------
from course_lib import mlp  # noqa: E402
from course_lib.regularization import add_penalty_gradients, l1_penalty, l2_penalty  # noqa: E402


def two_by_two_model():
    model = mlp([2, 2], seed=0)
    model.layers[0].W[...] = [[1.0, -2.0], [0.0, 3.0]]
    model.layers[0].b[...] = [5.0, -5.0]
    for _, _, grad in model.parameters():
        grad[...] = 1.0
    return model


@pytest.mark.parametrize("l1,l2,dW", [
    (0.5, 0.0, [[1.5, 0.5], [1.0, 1.5]]),              # 1 + 0.5 sign(W); sign(0) = 0
    (0.0, 0.5, [[1.5, 0.0], [1.0, 2.5]]),              # 1 + 0.5 W
    (0.5, 0.5, [[2.0, -0.5], [1.0, 3.0]]),
    (0.0, 0.0, [[1.0, 1.0], [1.0, 1.0]]),
])
def test_penalty_gradients_one_at_a_time(l1, l2, dW):
    model = two_by_two_model()
    add_penalty_gradients(model, l1=l1, l2=l2)
    np.testing.assert_array_equal(model.layers[0].dW, dW)
    np.testing.assert_array_equal(model.layers[0].db, [1.0, 1.0])   # biases: never


def test_penalties_of_two_layers_add_up():
    model = mlp([2, 2, 1], seed=0)
    W1, W2 = model.layers[0].W, model.layers[2].W
    assert l2_penalty(model, 0.2) == pytest.approx(0.1 * (np.sum(W1**2) + np.sum(W2**2)), rel=1e-14)
    assert l1_penalty(model, 0.2) == pytest.approx(0.2 * (np.abs(W1).sum() + np.abs(W2).sum()),
                                                   rel=1e-14)
    assert l2_penalty(model, 0.0) == 0.0
    with pytest.raises(ValueError, match=r"^lam must be a non-negative number, got -0.1$"):
        l2_penalty(model, -0.1)
    with pytest.raises(ValueError, match=r"^lam must be a non-negative number, got -0.1$"):
        l1_penalty(model, -0.1)


# --------------------------------------------------------------------------------------
# Sequential and mlp: what gets built, the threshold of predict_classes, the modes
# --------------------------------------------------------------------------------------
from course_lib import (ELU, Dense, Dropout, Identity, LeakyReLU, ReLU, Sequential,  # noqa: E402
                        Sigmoid, Softmax, Tanh)


def layer_kinds(model):
    return [type(layer).__name__ for layer in model.layers]


def test_mlp_builds_the_documented_layers():
    model = mlp([2, 8, 8, 1], activation="tanh", output="sigmoid", seed=0)
    assert layer_kinds(model) == ["Dense", "Tanh", "Dense", "Tanh", "Dense", "Sigmoid"]
    assert [(d.n_in, d.n_out) for d in model.layers[::2]] == [(2, 8), (8, 8), (8, 1)]
    assert layer_kinds(mlp([3, 1])) == ["Dense"]                         # output=None: logits
    assert layer_kinds(mlp([3, 4, 2], "relu", dropout=0.25, seed=0)) == [
        "Dense", "ReLU", "Dropout", "Dense"]                               # dropout after hidden only
    assert mlp([3, 4, 2], dropout=0.25, seed=0).layers[2].p == 0.25
    assert mlp([3, 4, 2], output="SOFTMAX").layers[-1].__class__ is Softmax
    assert mlp([2, 3, 1], dtype=np.float32, seed=0).layers[0].W.dtype == np.float32


@pytest.mark.parametrize("activation,init", [("relu", "he"), ("leaky_relu", "he"), ("ELU", "he"),
                                             ("tanh", "xavier"), ("sigmoid", "xavier"),
                                             ("linear", "xavier")])
def test_mlp_default_init_follows_the_activation(activation, init):
    model = mlp([2, 3, 1], activation, seed=0)
    assert model.layers[0].init == init
    assert mlp([2, 3, 1], activation, init="zeros").layers[0].init == "zeros"


def test_mlp_weights_come_from_one_seeded_generator():
    model = mlp([2, 3, 2], "tanh", seed=5)
    rng = np.random.default_rng(5)
    W1 = np.sqrt(2.0 / 5) * rng.standard_normal((2, 3))
    W2 = np.sqrt(2.0 / 5) * rng.standard_normal((3, 2))
    np.testing.assert_allclose(model.layers[0].W, W1, rtol=1e-15)
    np.testing.assert_allclose(model.layers[2].W, W2, rtol=1e-15)


def test_mlp_messages():
    with pytest.raises(TypeError, match=r"^sizes must be whole numbers of units, got 2.5 at "
                                        r"position 1 of \[2, 2.5, 1\]$"):
        mlp([2, 2.5, 1])
    with pytest.raises(TypeError, match="got True at position 0"):
        mlp([True, 2])
    with pytest.raises(ValueError, match=r"^sizes must list at least an input and an output "
                                         r"size, all >= 1; got \[2, 0, 1\]$"):
        mlp([2, 0, 1])
    with pytest.raises(ValueError, match="^unknown activation 'swish'"):
        mlp([2, 2], activation="swish")
    assert layer_kinds(mlp([np.int64(2), np.int32(1)])) == ["Dense"]


def test_predict_classes_threshold_is_strictly_above_one_half():
    model = Sequential([Dense(1, 1, init="zeros"), Sigmoid()])    # sigmoid(0 * x + 0) = 0.5
    np.testing.assert_array_equal(model.predict_classes([[1.0], [-3.0]]), [0, 0])
    model.layers[0].b[...] = 1e-9
    np.testing.assert_array_equal(model.predict_classes([[1.0]]), [1])
    assert model.predict_classes([[1.0]]).dtype.kind == "i"


def test_sequential_sizes_parameters_and_repr():
    model = Sequential([Tanh(), Dense(3, 4, rng=0), ReLU(), Dense(4, 2, rng=1), Softmax()])
    assert (model.n_in, model.n_out) == (3, 2)
    assert Sequential([Tanh()]).n_in is None and Sequential([Tanh()]).n_out is None
    assert [name for name, _, _ in model.parameters()] == [
        "layers[1].W", "layers[1].b", "layers[3].W", "layers[3].b"]
    assert model.n_parameters() == 3 * 4 + 4 + 4 * 2 + 2
    assert isinstance(model.n_parameters(), int)
    assert repr(Sequential([Dense(2, 1, init="he"), Sigmoid()])) == (
        "Sequential([\n    Dense(2, 1, init='he'),\n    Sigmoid(),\n])")
    with pytest.raises(ValueError, match=r"^shape mismatch between layers 0 and 2: "
                                         r"Dense\(2, 3, init='xavier'\) outputs 3 features but "
                                         r"Dense\(4, 1, init='xavier'\) expects 4$"):
        Sequential([Dense(2, 3), Tanh(), Dense(4, 1)])


def test_empty_sequential_passes_the_signal_and_gradient_through():
    model = Sequential([])
    x = np.ones((2, 3))
    assert model.forward(x) is x
    assert model.backward(x) is None
    assert model.backward(x, need_grad_in=True) is x
    assert model.parameters() == [] and model.n_parameters() == 0


def test_train_and_eval_set_every_layer():
    model = Sequential([Dense(2, 2, rng=0), Dropout(0.5, rng=0), Dense(2, 1, rng=1)])
    assert model.eval() is model
    assert [layer.training for layer in model.layers] == [False, False, False]
    assert not model.training
    model.train(1)
    assert [layer.training for layer in model.layers] == [True, True, True]
    model.layers[1].training = False
    assert not model.training                  # training only when every layer is


def test_forward_converts_a_list_of_rows_once():
    model = Sequential([Dense(2, 1, init="zeros")])
    model.layers[0].W[...] = [[1.0], [2.0]]
    np.testing.assert_array_equal(model.forward([[1, 1], [2, 0]]), [[3.0], [2.0]])
    with pytest.raises(ValueError, match=r"^X must be a 2-D array, got shape \(2,\)"):
        model.forward([1.0, 2.0])


def test_first_layer_with_parameters_of_another_kind_gets_its_gradients():
    class Scale(Identity):
        """A layer with one weight: out = s * z."""

        def __init__(self):
            self.s, self.ds = np.array([2.0]), np.zeros(1)

        def forward(self, z):
            self.z = z
            return self.s * z

        def backward(self, grad_out):
            self.ds = np.array([np.sum(grad_out * self.z)])
            return grad_out * self.s

        def parameters(self):
            return [("s", self.s, self.ds)]

    model = Sequential([Scale(), Dense(2, 1, init="zeros")])
    model.layers[1].W[...] = [[1.0], [1.0]]
    model.forward(np.array([[1.0, 2.0]]))
    assert model.backward(np.array([[1.0]])) is None
    np.testing.assert_array_equal(model.layers[0].ds, [3.0])            # sum(grad * z) = 1 + 2


# --------------------------------------------------------------------------------------
# The training loop: a few steps on a tiny problem, against the loop written out
# --------------------------------------------------------------------------------------
from course_lib import MSE, SGD, BinaryCrossEntropy, CrossEntropy, train  # noqa: E402
from course_lib.training import (EarlyStopping, History, evaluate,  # noqa: E402
                                 iterate_minibatches)

X4 = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [-1.0, 0.5]])
Y4 = np.array([[1.0], [0.0], [0.5], [2.0]])


def line_model():
    model = Sequential([Dense(2, 1, init="zeros")])
    model.layers[0].W[...] = [[0.5], [-0.5]]
    return model


def test_minibatch_epochs_equal_the_loop_written_out():
    model, by_hand = line_model(), line_model()
    history = train(model, X4, Y4, "mse", SGD(0.1), epochs=2, batch_size=3, seed=4, l2=0.5)
    rng = np.random.default_rng(4)
    W, b = by_hand.layers[0].W.copy(), by_hand.layers[0].b.copy()
    losses = []
    for _ in range(2):
        order, total = rng.permutation(4), 0.0
        for idx in (order[:3], order[3:]):
            xb, yb = X4[idx], Y4[idx]
            diff = xb @ W + b - yb
            total += np.mean(diff**2) * len(idx)
            g = 2 * diff / diff.size
            W, b = W - 0.1 * (xb.T @ g + 0.5 * W), b - 0.1 * g.sum(axis=0)
        losses.append(total / 4)
    np.testing.assert_allclose(history.train_loss, losses, rtol=1e-13)
    np.testing.assert_allclose(model.layers[0].W, W, rtol=1e-13)
    np.testing.assert_allclose(model.layers[0].b, b, rtol=1e-13)


def test_no_shuffle_takes_the_batches_in_order_and_l1_pulls_to_zero():
    model = line_model()
    train(model, X4, Y4, "mse", SGD(0.1), epochs=1, batch_size=2, shuffle=False, l1=0.2)
    W, b = np.array([[0.5], [-0.5]]), np.zeros(1)
    for idx in ([0, 1], [2, 3]):
        g = 2 * (X4[idx] @ W + b - Y4[idx]) / 2
        W, b = W - 0.1 * (X4[idx].T @ g + 0.2 * np.sign(W)), b - 0.1 * g.sum(axis=0)
    np.testing.assert_allclose(model.layers[0].W, W, rtol=1e-13)


def test_validation_and_accuracy_are_recorded_each_epoch():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0, 0, 1, 1])
    model = Sequential([Dense(1, 1, init="zeros"), Sigmoid()])
    model.layers[0].W[...] = 1.0
    history = train(model, X, y, "bce", SGD(0.5), epochs=3, validation_data=(X[:3], y[:3]),
                    accuracy_metric=True, shuffle=False)
    assert history.train_accuracy == [1.0, 1.0, 1.0]
    assert history.val_accuracy == [1.0, 1.0, 1.0]
    assert len(history.val_loss) == 3
    assert history.val_loss[-1] == pytest.approx(BinaryCrossEntropy()(model.predict(X[:3]), y[:3]))
    assert history.val_loss[0] > history.val_loss[-1]
    # accuracy is a mean over every batch's samples: one wrong sample of four is 0.75
    model.layers[0].W[...] = 1.0
    model.layers[0].b[...] = -1.5             # x = 1 is now below 0.5: wrong
    h = train(model, X, y, "bce", SGD(1e-9), epochs=1, batch_size=1, accuracy_metric=True,
              shuffle=False)
    assert h.train_accuracy == [0.75]
    assert evaluate(model, X, y, "bce") == {"loss": pytest.approx(BinaryCrossEntropy()(
        model.predict(X), y)), "accuracy": 0.75}
    assert set(evaluate(model, X, y.reshape(-1, 1).astype(float), "mse")) == {"loss"}


def test_accuracy_of_logits_and_of_class_scores():
    X = np.array([[-1.0], [1.0], [3.0]])
    logits = Sequential([Dense(1, 1, init="zeros")])
    logits.layers[0].W[...] = 1.0
    assert evaluate(logits, X, [0, 1, 0], BinaryCrossEntropy(from_logits=True))["accuracy"] == (
        pytest.approx(2 / 3))
    scores = Sequential([Dense(1, 2, init="zeros")])
    scores.layers[0].W[...] = [[-1.0, 1.0]]
    assert evaluate(scores, X, [0, 1, 1], "cross_entropy")["accuracy"] == 1.0


def test_early_stopping_counts_patience_and_min_delta():
    stop = EarlyStopping(patience=2, min_delta=0.1, restore_best=False)
    assert [stop.update(e, v) for e, v in enumerate([1.0, 0.95, 0.85, 0.84, 0.80])] == [
        False, False, False, False, True]
    assert (stop.best, stop.best_epoch) == (0.85, 2)   # 0.95 is not better by more than 0.1
    stop.reset()
    assert (stop.best, stop.best_epoch, stop.wait, stop.best_params) == (np.inf, None, 0, None)
    assert (EarlyStopping().patience, EarlyStopping().min_delta) == (10, 0.0)
    model = line_model()
    keep = EarlyStopping(patience=1)
    keep.update(0, 1.0, model)
    model.layers[0].W[...] = 9.0
    keep.restore(model)
    np.testing.assert_array_equal(model.layers[0].W, [[0.5], [-0.5]])
    no_restore = EarlyStopping(patience=1, restore_best=False)
    no_restore.update(0, 1.0, model)
    model.layers[0].W[...] = 9.0
    no_restore.restore(model)
    assert np.all(model.layers[0].W == 9.0)


def test_training_stops_early_and_reports_the_best_epoch():
    model = line_model()
    exact = model.predict(X4)                          # a loss of 0 that cannot improve
    history = train(model, X4, exact, "mse", SGD(0.1), epochs=50, early_stopping=3)
    assert history.stopped_early and history.epochs == 4 and history.best_epoch == 0
    assert repr(history).endswith(", stopped early, best epoch 0)")
    history = train(line_model(), X4, Y4, "mse", SGD(0.05), epochs=3, early_stopping=True)
    assert not history.stopped_early and history.best_epoch == 2
    assert train(line_model(), X4, Y4, "mse", SGD(0.05), epochs=2, early_stopping=False).best_epoch is None


def test_history_repr():
    assert repr(History()) == "History(epochs=0)"
    h = History(train_loss=[0.5, 0.25], val_loss=[0.125], diverged=True)
    assert repr(h) == "History(epochs=2, train_loss=0.2500, val_loss=0.1250, diverged)"


def test_iterate_minibatches_sizes_and_order():
    batches = list(iterate_minibatches(5, 2, shuffle=False))
    assert [b.tolist() for b in batches] == [[0, 1], [2, 3], [4]]
    shuffled = list(iterate_minibatches(5, 5, rng=1))
    assert shuffled[0].tolist() == np.random.default_rng(1).permutation(5).tolist()
    assert list(iterate_minibatches(0, 1)) == []
    with pytest.raises(ValueError, match=r"^n_samples must be an integer >= 0, got -1$"):
        list(iterate_minibatches(-1, 1))
    with pytest.raises(ValueError, match=r"^batch_size must be an integer >= 1, got 0$"):
        list(iterate_minibatches(3, 0))
    with pytest.raises(ValueError, match=r"^batch_size must be an integer >= 1, got True$"):
        list(iterate_minibatches(3, True))


def test_many_rows_are_checked_through_a_stand_in_and_every_target_counts():
    n = 200                                            # more than CHECK_ROWS
    X = np.linspace(-1, 1, n).reshape(-1, 1)
    y = (X[:, 0] > 0).astype(int)
    model = Sequential([Dense(1, 2, init="zeros")])
    history = train(model, X, y, "cross_entropy", SGD(0.1), epochs=1)
    assert history.train_loss == [pytest.approx(np.log(2.0))]
    bad = y.copy()
    bad[-1] = 2                                        # beyond the checked rows: still found
    with pytest.raises(ValueError, match="labels out of range: logits have 2 classes"):
        train(model, X, bad, "cross_entropy", SGD(0.1), epochs=1)
    with pytest.raises(ValueError, match=r"^shape mismatch: X has 200 samples but y has shape \(199,\)$"):
        train(model, X, y[:-1], "cross_entropy", SGD(0.1), epochs=1)


def test_divergence_stops_at_the_first_bad_epoch():
    model = line_model()
    model.layers[0].W[...] = 1e101                     # beyond DIVERGED_WEIGHT from the start
    history = train(model, X4, Y4, "mse", SGD(1e-30), epochs=5)
    assert history.diverged and history.epochs == 1
    model = line_model()
    model.layers[0].W[...] = 1e99                      # large but below the limit
    assert not train(model, X4, Y4, "mse", SGD(1e-300), epochs=2).diverged


def test_train_refusals_say_exactly_what_is_wrong():
    model = line_model()
    cases = [
        (dict(epochs=0), ValueError, "epochs must be a positive integer, got 0"),
        (dict(epochs=True), ValueError, "epochs must be a positive integer, got True"),
        (dict(l1=-1.0), ValueError, "l1 must be a non-negative number, got -1.0"),
        (dict(l2=np.nan), ValueError, "l2 must be a non-negative number, got nan"),
        (dict(l2=True), ValueError, "l2 must be a non-negative number, got True"),
        (dict(callback=3), TypeError, "callback must be a function callback(epoch, history), got 3"),
        (dict(batch_size=5), ValueError, "batch_size out of range: must be between 1 and the "
                                         "number of samples (4), or None for full batch; got 5"),
        (dict(batch_size=0), ValueError, "batch_size out of range: must be between 1 and the "
                                         "number of samples (4), or None for full batch; got 0"),
        (dict(batch_size=2.0), TypeError,
         "batch_size must be an integer or None (full batch), got 2.0"),
        (dict(validation_data=(X4,)), ValueError, "validation_data must be a pair (X_val, y_val)"),
        (dict(validation_data=(X4[:, :1], Y4)), ValueError,
         "shape mismatch: the model's first layer expects 2 features, but X_val has shape (4, 1)"),
        (dict(early_stopping="yes"), TypeError,
         "early_stopping must be None, True, False, an int patience or an "
         "EarlyStopping(patience=...), got 'yes'"),
    ]
    for kwargs, error, message in cases:
        args = dict(epochs=1) | kwargs
        with pytest.raises(error) as info:
            train(model, X4, Y4, "mse", SGD(0.1), **args)
        assert str(info.value) == message, kwargs
    with pytest.raises(TypeError) as info:
        train(model, X4, Y4, "mse", "sgd", epochs=1)
    assert str(info.value) == "optimizer must be a course_lib optimizer such as SGD(lr=0.1), got 'sgd'"
    with pytest.raises(TypeError) as info:
        train([Dense(2, 1)], X4, Y4, "mse", SGD(0.1), epochs=1)
    assert str(info.value) == "model must be a course_lib Sequential, got list"
    with pytest.raises(ValueError) as info:
        train(model, np.zeros((0, 2)), np.zeros((0, 1)), "mse", SGD(0.1), epochs=1)
    assert str(info.value) == "no samples: X has shape (0, 2); training needs at least one row"
    for bad in [dict(patience=0), dict(patience=2.0), dict(min_delta=-1.0), dict(min_delta=True)]:
        with pytest.raises(ValueError):
            EarlyStopping(**bad)
    with pytest.raises(ValueError) as info:
        EarlyStopping(min_delta=np.inf)
    assert str(info.value) == "min_delta must be a non-negative number, got inf"
    with pytest.raises(TypeError) as info:
        EarlyStopping(restore_best=1)
    assert str(info.value) == "restore_best must be True or False, got 1"


def test_callback_sees_every_epoch_and_can_stop():
    seen = []
    history = train(line_model(), X4, Y4, "mse", SGD(0.01), epochs=4,
                    callback=lambda epoch, h: seen.append((epoch, h.epochs)) or epoch == 1)
    assert seen == [(0, 1), (1, 2)] and history.epochs == 2 and not history.stopped_early


def test_penalty_gradient_defaults_are_no_penalty():
    model = two_by_two_model()
    add_penalty_gradients(model)
    np.testing.assert_array_equal(model.layers[0].dW, np.ones((2, 2)))
    add_penalty_gradients(model, l1=0.5)                   # l2 stays 0
    np.testing.assert_array_equal(model.layers[0].dW, [[1.5, 0.5], [1.0, 1.5]])
    model = two_by_two_model()
    add_penalty_gradients(model, l2=0.5)                   # l1 stays 0
    np.testing.assert_array_equal(model.layers[0].dW, [[1.5, 0.0], [1.0, 2.5]])


def test_mlp_dropout_draws_from_the_seeded_generator():
    X = np.ones((4, 3))
    a = mlp([3, 50, 2], "relu", dropout=0.5, seed=3)
    b = mlp([3, 50, 2], "relu", dropout=0.5, seed=3)
    np.testing.assert_array_equal(a.forward(X), b.forward(X))   # training mode: masks drawn too
    assert not np.array_equal(a.forward(X), b.predict(X))


def test_forward_checks_rank_and_lets_nan_through():
    model = Sequential([Dense(2, 1, init="zeros")])
    with pytest.raises(ValueError) as info:
        model.forward(np.zeros(2))                      # an array goes to the layers as it is
    assert str(info.value) == ("the input must be a 2-D array (n_samples, n_features), got "
                               "shape (2,)")
    assert np.isnan(model.forward([[np.nan, 1.0]])[0, 0])   # a list: converted, NaN allowed
    with pytest.raises(ValueError) as info:
        model.predict([1.0, 2.0])
    assert str(info.value) == ("X must be a 2-D array, got shape (2,). Rows are samples: reshape "
                               "a single sample with x.reshape(1, -1) or a single feature with "
                               "x.reshape(-1, 1).")
    with pytest.raises(ValueError, match=r"^X contains NaN or infinity \(1 NaN, 0 inf values\)"):
        model.predict([[np.nan, 1.0]])                  # predict checks the values too


def test_predict_classes_reads_a_single_linear_output_as_a_logit():
    # trained with BinaryCrossEntropy(from_logits=True), the output is z: class 1 where z > 0
    model = Sequential([Dense(1, 1, init="zeros")])
    model.layers[0].W[...] = 1.0
    np.testing.assert_array_equal(model.predict_classes([[0.3], [-0.3], [0.0], [0.7]]),
                                  [1, 0, 0, 1])
    with_sigmoid = Sequential([Dense(1, 1, init="zeros"), Sigmoid()])
    with_sigmoid.layers[0].W[...] = 1.0
    # the same decisions through the sigmoid: sigmoid(z) > 0.5 exactly when z > 0
    np.testing.assert_array_equal(with_sigmoid.predict_classes([[0.3], [-0.3], [0.0], [0.7]]),
                                  [1, 0, 0, 1])


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "linear"])
def test_activations_of_bools_and_small_ints_are_float64(name):
    f, df = get_activation(name)
    for z in ([True, False], np.array([1, -2], dtype=np.int8), np.array([3, 0], dtype=np.uint8)):
        assert f(z).dtype == np.float64, (name, z)
        assert df(z).dtype == np.float64, (name, z)
    np.testing.assert_allclose(f([True, False]), f([1.0, 0.0]))
    z32 = np.array([0.5, -1.5], dtype=np.float32)
    assert f(z32).dtype == np.float32                # a float array keeps its precision
