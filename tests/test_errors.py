"""One test per bad input: the error type and a message that names the problem."""
import numpy as np
import pytest

from course_lib import (SGD, Adam, BinaryCrossEntropy, CrossEntropy, Dense, MSE, Momentum,
                        Neuron, ReLU, RMSProp, Sequential, Sigmoid, mlp, train)
from course_lib.activations import get_activation
from course_lib.initializers import get_initializer
from course_lib.layers import activation_layer
from course_lib.losses import get_loss
from course_lib.optimizers import get_optimizer


@pytest.fixture
def model():
    return mlp([2, 3, 1], "tanh", output="sigmoid", seed=0)


@pytest.fixture
def data():
    X = np.random.default_rng(0).uniform(-1, 1, (6, 2))
    return X, np.array([0, 1, 1, 0, 1, 0])


# --------------------------------------------------------------------------------------
# Shapes
# --------------------------------------------------------------------------------------
def test_mismatched_layers_in_sequential():
    with pytest.raises(ValueError, match=r"shape mismatch between layers 0 and 2: Dense\(2, 3.*\) "
                                         r"outputs 3 features but Dense\(4, 1.*\) expects 4"):
        Sequential([Dense(2, 3), ReLU(), Dense(4, 1)])


def test_mismatched_layers_in_mlp_never_happen_but_dense_checks_its_input():
    layer = Dense(3, 2)
    with pytest.raises(ValueError, match=r"Dense\(3, 2.*\) expects 3 features per sample, "
                                         r"but the input has shape \(5, 4\)"):
        layer.forward(np.ones((5, 4)))


def test_inputs_do_not_match_the_model_predict(model):
    with pytest.raises(ValueError, match=r"shape mismatch: Dense\(2, 3.*\) expects 2 features per "
                                         r"sample, but the input has shape \(4, 3\) \(3 features\)"):
        model.predict(np.ones((4, 3)))


def test_inputs_do_not_match_the_model_train(model, data):
    X, y = data
    with pytest.raises(ValueError, match=r"the model's first layer expects 2 features, "
                                         r"but X has shape \(6, 5\)"):
        train(model, np.ones((6, 5)), y, "bce", SGD(0.1), epochs=1)


def test_validation_inputs_do_not_match_the_model(model, data):
    X, y = data
    with pytest.raises(ValueError, match=r"expects 2 features, but X_val has shape \(3, 1\)"):
        train(model, X, y, "bce", SGD(0.1), epochs=1, validation_data=(np.ones((3, 1)), y[:3]))


def test_one_dimensional_input_gets_a_reshape_hint(model):
    with pytest.raises(ValueError, match=r"X must be a 2-D array, got shape \(2,\)\. Rows are "
                                         r"samples: reshape a single sample with x\.reshape\(1, -1\)"):
        model.predict(np.array([0.5, 0.5]))


def test_inputs_and_labels_differ_in_length_train(model, data):
    X, y = data
    with pytest.raises(ValueError, match=r"shape mismatch: X has 6 samples but y has shape \(5,\)"):
        train(model, X, y[:5], "bce", SGD(0.1), epochs=1)


def test_inputs_and_labels_differ_mse():
    with pytest.raises(ValueError, match=r"y_pred has shape \(4, 2\) but y_true has shape \(4, 3\)"):
        MSE()(np.zeros((4, 2)), np.zeros((4, 3)))


def test_inputs_and_labels_differ_cross_entropy():
    with pytest.raises(ValueError, match=r"logits have shape \(4, 3\), so y_true must hold 4 "
                                         r"integer labels \(shape \(4,\)\); got shape \(5,\)"):
        CrossEntropy()(np.zeros((4, 3)), np.zeros(5, dtype=int))


def test_one_hot_labels_for_cross_entropy_are_refused_with_a_hint():
    with pytest.raises(ValueError, match=r"y_true must hold 2 integer labels"):
        CrossEntropy()(np.zeros((2, 3)), np.eye(3)[[0, 2]])


def test_loss_needs_2d_predictions():
    with pytest.raises(ValueError, match=r"y_pred must be a 2-D array \(n_samples, n_outputs\), "
                                         r"got shape \(4,\)"):
        MSE()(np.zeros(4), np.zeros(4))


def test_neuron_with_wrong_length_inputs():
    neuron = Neuron([0, 1], 4)
    with pytest.raises(ValueError, match=r"this neuron has 2 weights, so inputs must have shape "
                                         r"\(2,\) or \(n_samples, 2\); got \(3,\)"):
        neuron.feedforward([2, 3, 4])


def test_neuron_with_matrix_weights():
    with pytest.raises(ValueError, match=r"weights must be a 1-D array, got shape \(1, 2\)"):
        Neuron([[0, 1]], 4)


# --------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad,counts", [(np.nan, "1 NaN, 0 inf"), (np.inf, "0 NaN, 1 inf"),
                                        (-np.inf, "0 NaN, 1 inf")])
def test_nan_or_inf_in_inputs_predict(model, bad, counts):
    X = np.ones((3, 2))
    X[1, 0] = bad
    with pytest.raises(ValueError, match=f"X contains NaN or infinity \\({counts} values\\); "
                                         "clean or impute the data first"):
        model.predict(X)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_in_inputs_train(model, data, bad):
    X, y = data
    X = X.copy()
    X[0, 1] = bad
    with pytest.raises(ValueError, match="X contains NaN or infinity"):
        train(model, X, y, "bce", SGD(0.1), epochs=1)


def test_nan_in_targets():
    with pytest.raises(ValueError, match=r"y_true contains NaN or infinity \(1 NaN"):
        MSE()(np.zeros((2, 1)), np.array([0.0, np.nan]))


def test_nan_in_neuron_inputs_and_bias():
    with pytest.raises(ValueError, match="inputs contains NaN or infinity"):
        Neuron([1, 1], 0).feedforward([np.nan, 1])
    with pytest.raises(ValueError, match="bias must be finite, got nan"):
        Neuron([1, 1], float("nan"))


def test_non_numeric_inputs(model):
    with pytest.raises(TypeError, match="X must be numeric, got dtype <U1"):
        model.predict([["a", "b"]])


# --------------------------------------------------------------------------------------
# Unknown names
# --------------------------------------------------------------------------------------
def test_unknown_activation():
    with pytest.raises(ValueError, match=r"unknown activation 'swish'; choose one of: elu, "
                                         r"leaky_relu, linear, relu, sigmoid, tanh"):
        get_activation("swish")


def test_unknown_activation_in_mlp_neuron_and_layers():
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        mlp([2, 3, 1], activation="swish")
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        mlp([2, 3, 1], output="gelu")
    with pytest.raises(ValueError, match="unknown activation 'step'"):
        Neuron([1], 0, activation="step")
    with pytest.raises(ValueError, match="unknown activation 'swish'; choose one of: .*softmax"):
        activation_layer("swish")


def test_unknown_initializer():
    with pytest.raises(ValueError, match=r"unknown initializer 'lecun'; choose one of: .*he.*xavier"):
        Dense(2, 3, init="lecun")
    with pytest.raises(ValueError, match="unknown initializer 'lecun'"):
        get_initializer("lecun")
    with pytest.raises(ValueError, match="unknown initializer 'lecun'"):
        mlp([2, 3, 1], init="lecun")


def test_unknown_optimizer():
    with pytest.raises(ValueError, match=r"unknown optimizer 'adagrad'; choose one of: adam, "
                                         r"adamw, momentum, rmsprop, sgd"):
        get_optimizer("adagrad", 0.1)


def test_unknown_loss(model, data):
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'; choose one of: bce, "
                                         r"binary_cross_entropy, cross_entropy, mse"):
        get_loss("hinge")
    X, y = data
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        train(model, X, y, "hinge", SGD(0.1), epochs=1)


# --------------------------------------------------------------------------------------
# Labels out of range
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("labels,shown", [([0, 1, 3], "from 0 to 3"), ([-1, 0, 2], "from -1 to 2")])
def test_cross_entropy_labels_out_of_range(labels, shown):
    with pytest.raises(ValueError, match=f"labels out of range: logits have 3 classes, so labels "
                                         f"must lie in 0..2; got labels {shown}"):
        CrossEntropy()(np.zeros((3, 3)), np.array(labels))


def test_cross_entropy_labels_out_of_range_in_train(data):
    X, _ = data
    with pytest.raises(ValueError, match="labels out of range: logits have 2 classes"):
        train(mlp([2, 3, 2], seed=0), X, np.array([0, 1, 2, 0, 1, 0]), "cross_entropy", SGD(0.1),
              epochs=1)


@pytest.mark.parametrize("labels", [[0, 2], [-1, 1]])
def test_bce_labels_out_of_range(labels):
    with pytest.raises(ValueError, match=r"labels out of range: binary targets must lie in \[0, 1\]"):
        BinaryCrossEntropy()(np.full((2, 1), 0.5), np.array(labels))


def test_bce_labels_out_of_range_in_train(model, data):
    X, _ = data
    with pytest.raises(ValueError, match="labels out of range: binary targets"):
        train(model, X, np.array([0, 1, 2, 0, 1, 0]), "bce", SGD(0.1), epochs=1)


def test_bce_needs_probabilities():
    with pytest.raises(ValueError, match=r"BinaryCrossEntropy takes probabilities in \[0, 1\] "
                                         r"\(put a Sigmoid layer last, or use BinaryCrossEntropy"
                                         r"\(from_logits=True\) on the last Dense layer's outputs\); "
                                         r"got values from -0\.5 to 2"):
        BinaryCrossEntropy()(np.array([[-0.5], [2.0]]), np.array([0, 1]))


# --------------------------------------------------------------------------------------
# Learning rate, batch size, epochs
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [SGD, Momentum, RMSProp, Adam])
@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_non_positive_learning_rate(cls, lr):
    with pytest.raises(ValueError, match=r"learning rate lr must be positive, got"):
        cls(lr)


def test_non_positive_learning_rate_by_name_and_wrong_type():
    with pytest.raises(ValueError, match="learning rate lr must be positive, got 0"):
        get_optimizer("sgd", 0)
    with pytest.raises(TypeError, match="learning rate lr must be a number, got '0.1'"):
        SGD("0.1")


@pytest.mark.parametrize("batch_size", [0, -1, 7, 100])
def test_batch_size_out_of_range(model, data, batch_size):
    X, y = data
    with pytest.raises(ValueError, match=f"batch_size out of range: must be between 1 and the "
                                         f"number of samples \\(6\\), or None for full batch; "
                                         f"got {batch_size}"):
        train(model, X, y, "bce", SGD(0.1), epochs=1, batch_size=batch_size)


@pytest.mark.parametrize("batch_size", [2.0, 2.5, "4", True])
def test_batch_size_not_an_integer(model, data, batch_size):
    X, y = data
    with pytest.raises(TypeError, match="batch_size must be an integer or None"):
        train(model, X, y, "bce", SGD(0.1), epochs=1, batch_size=batch_size)


@pytest.mark.parametrize("epochs", [0, -3, 1.5, True])
def test_epochs_must_be_a_positive_integer(model, data, epochs):
    X, y = data
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        train(model, X, y, "bce", SGD(0.1), epochs=epochs)


def test_train_wrong_model_optimizer_and_penalty(model, data):
    X, y = data
    with pytest.raises(TypeError, match="model must be a course_lib Sequential, got list"):
        train([Dense(2, 1)], X, y, "bce", SGD(0.1), epochs=1)
    with pytest.raises(TypeError, match=r"optimizer must be a course_lib optimizer such as SGD\(lr=0.1\)"):
        train(model, X, y, "bce", "adam", epochs=1)
    with pytest.raises(ValueError, match="l2 must be a non-negative number, got -0.1"):
        train(model, X, y, "bce", SGD(0.1), epochs=1, l2=-0.1)
    with pytest.raises(ValueError, match=r"validation_data must be a pair \(X_val, y_val\)"):
        train(model, X, y, "bce", SGD(0.1), epochs=1, validation_data=(X,))


def test_sequential_with_a_non_layer_and_bad_rng():
    with pytest.raises(TypeError, match="layer 0 is <class .*Sigmoid.*>, not a course_lib layer"):
        Sequential([Sigmoid])
    with pytest.raises(TypeError, match="rng must be None, an int seed or a numpy.random.Generator"):
        Dense(2, 2, rng="seed")


# --------------------------------------------------------------------------------------
# Issue 13, "the library's own promise": each case was silent or an unclear error before
# --------------------------------------------------------------------------------------
def test_numerical_gradient_refuses_integer_arrays_and_bad_steps():
    from course_lib.gradcheck import check_layer, check_loss, numerical_gradient
    x = np.array([1, 2])                         # before: returned [50000, 150000] silently
    with pytest.raises(TypeError, match=r"x must be a floating-point array, got dtype int64: "
                                        r"x \+ h would be rounded to a whole number\. Convert "
                                        r"it first, x = x\.astype\(float\)"):
        numerical_gradient(lambda: float(np.sum(x**2)), x)
    xf = x.astype(float)
    np.testing.assert_allclose(numerical_gradient(lambda: float(np.sum(xf**2)), xf), [2, 4])
    for h in (0, -1e-5, float("nan")):           # before: h=0 divided by zero
        with pytest.raises(ValueError, match=r"the finite-difference step h must be positive, "
                                             f"got {h}"):
            numerical_gradient(lambda: float(np.sum(xf**2)), xf, h=h)
    with pytest.raises(ValueError, match="step h must be positive"):
        check_layer(Dense(2, 2), np.ones((1, 2)), h=0)
    with pytest.raises(ValueError, match="step h must be positive"):
        check_loss("mse", np.ones((2, 1)), np.ones((2, 1)), h=0)
    with pytest.raises(TypeError, match="x must be the NumPy array that f reads"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])


def test_train_with_no_rows(model):
    # before: ZeroDivisionError
    with pytest.raises(ValueError, match=r"no samples: X has shape \(0, 2\); training needs at "
                                         r"least one row"):
        train(model, np.zeros((0, 2)), np.zeros(0), "bce", SGD(0.1), epochs=1)
    X = np.ones((4, 2))
    with pytest.raises(ValueError, match=r"no samples: X_val has shape \(0, 2\)"):
        train(model, X, np.ones(4), "bce", SGD(0.1), epochs=1,
              validation_data=(np.zeros((0, 2)), np.zeros(0)))


def test_early_stopping_true_means_default_early_stopping(model, data):
    # before: AttributeError: 'bool' object has no attribute 'reset'
    X, y = data
    history = train(model, X, y, "bce", SGD(0.1), epochs=2, early_stopping=True)
    assert history.best_epoch is not None            # it was on
    history = train(model, X, y, "bce", SGD(0.1), epochs=2, early_stopping=False)
    assert history.best_epoch is None                # it was off
    with pytest.raises(TypeError, match=r"early_stopping must be None, True, False, an int "
                                        r"patience or an EarlyStopping\(patience=\.\.\.\), got 'yes'"):
        train(model, X, y, "bce", SGD(0.1), epochs=1, early_stopping="yes")
    with pytest.raises(ValueError, match="patience must be a positive integer, got 0"):
        train(model, X, y, "bce", SGD(0.1), epochs=1, early_stopping=0)


def test_forward_accepts_lists_like_predict(model):
    # before: AttributeError: 'list' object has no attribute 'ndim'
    rows = [[0.5, -0.5], [1.0, 2.0]]
    expected = model.forward(np.array(rows))
    np.testing.assert_allclose(model.forward(rows), expected)
    np.testing.assert_allclose(model.layers[0].forward(rows), model.layers[0].forward(np.array(rows)))
    np.testing.assert_allclose(Sigmoid().forward([[0.0]]), [[0.5]])
    np.testing.assert_allclose(ReLU().forward([[-1, 2]]), [[0, 2]])
    with pytest.raises(ValueError, match=r"Dense\(2, 3.*\) expects 2 features per sample, but "
                                         r"the input has shape \(1, 3\)"):
        model.forward([[1, 2, 3]])
    with pytest.raises(TypeError, match="X must be numeric, got dtype <U1"):
        model.forward([["a", "b"]])
    with pytest.raises(TypeError, match=r"the input of Dense\(2, 3.*\) must be numeric"):
        model.layers[0].forward([["a", "b"]])


@pytest.mark.parametrize("layer", [Sigmoid(), ReLU(), Dense(2, 2)] , ids=repr)
def test_backward_before_forward_names_the_layer(layer):
    # before: AttributeError: 'Sigmoid' object has no attribute 'out'
    with pytest.raises(RuntimeError, match=f"{type(layer).__name__}\\(.*\\): call forward before "
                                           r"backward \(backward uses the values that forward keeps\)"):
        layer.backward(np.ones((3, 2)))


def test_backward_before_forward_every_layer_kind():
    from course_lib import ELU, Dropout, LeakyReLU, Softmax, Tanh
    for layer in (Tanh(), LeakyReLU(), ELU(), Softmax(), Dropout(0.5, rng=0)):
        with pytest.raises(RuntimeError, match="call forward before backward"):
            layer.backward(np.ones((3, 2)))
    with pytest.raises(RuntimeError, match=r"Sigmoid\(\): call forward before backward"):
        mlp([2, 3, 1], output="sigmoid", seed=0).backward(np.ones((3, 1)))
    for loss in (MSE(), BinaryCrossEntropy(), CrossEntropy()):
        with pytest.raises(RuntimeError, match=f"call {type(loss).__name__}.forward before backward"):
            loss.backward()


def test_activation_backward_checks_the_gradient_shape():
    # before: (N, 1) * (N,) broadcast silently to (N, N)
    layer = Sigmoid()
    layer.forward(np.zeros((4, 1)))
    with pytest.raises(ValueError, match=r"shape mismatch: Sigmoid\(\) produced outputs of shape "
                                         r"\(4, 1\), but grad_out has shape \(4,\); it must match"):
        layer.backward(np.ones(4))


@pytest.mark.parametrize("sizes", [[2, 3.9, 1], [2, "3", 1], [2, True, 1]])
def test_mlp_sizes_must_be_whole_numbers(sizes):
    # before: mlp([2, 3.9, 1]) silently built 3 units
    with pytest.raises(TypeError, match=f"sizes must be whole numbers of units, got "
                                        f"{sizes[1]!r} at position 1"):
        mlp(sizes)
    assert mlp(np.array([2, 3, 1])).n_out == 1          # NumPy integers are fine


@pytest.mark.parametrize("name", ["l1", "l2"])
@pytest.mark.parametrize("value", [True, float("nan"), -1.0, "0.1"])
def test_penalty_must_be_a_number(model, data, name, value):
    # before: train(l2=True) trained with l2 = 1.0
    X, y = data
    with pytest.raises(ValueError, match=f"{name} must be a non-negative number, got {value!r}"):
        train(model, X, y, "bce", SGD(0.1), epochs=1, **{name: value})


@pytest.mark.parametrize("dtype", [int, np.int32, bool, "U3", "not a dtype"])
def test_dense_dtype_must_be_floating_point(dtype):
    # before: Dense(2, 3, dtype=int) had all-zero integer weights
    with pytest.raises(TypeError, match=r"dtype must be a floating-point type such as np\.float64 "
                                        r"or np\.float32, got .* \(integer weights cannot learn\)"):
        Dense(2, 3, dtype=dtype)
    with pytest.raises(TypeError, match="dtype must be a floating-point type"):
        mlp([2, 3, 1], dtype=dtype)


@pytest.mark.parametrize("alpha", [float("nan"), float("inf"), -0.1])
def test_activation_slopes_must_be_finite_and_non_negative(alpha):
    # before: LeakyReLU(alpha=nan) was accepted and gave NaN outputs
    from course_lib import ELU, LeakyReLU
    from course_lib.activations import elu, leaky_relu
    for make, name in ((LeakyReLU, "LeakyReLU alpha"), (ELU, "ELU alpha")):
        with pytest.raises(ValueError, match=f"{name} must be a non-negative number, got {alpha}"):
            make(alpha)
    for f in (leaky_relu, elu):
        with pytest.raises(ValueError, match=f"alpha must be a non-negative number, got {alpha}"):
            f(np.zeros(2), alpha)
    with pytest.raises(TypeError, match="LeakyReLU alpha must be a number, got '0.1'"):
        LeakyReLU("0.1")


def test_dataset_parameters():
    from course_lib import datasets
    # before: blobs(std=nan) returned NaN points
    for std in (float("nan"), -1.0, float("inf")):
        with pytest.raises(ValueError, match=f"std must be a non-negative number, got {std}"):
            datasets.blobs(10, std=std)
    with pytest.raises(ValueError, match="centers must be an integer >= 1, got 2.5"):
        datasets.blobs(10, centers=2.5)
    with pytest.raises(ValueError, match="centers contains NaN or infinity"):
        datasets.blobs(10, centers=[[0.0, np.nan]])
    with pytest.raises(ValueError, match="noise must be a non-negative number, got nan"):
        datasets.moons(10, noise=float("nan"))
    with pytest.raises(TypeError, match="noise must be a number, got 'a lot'"):
        datasets.circles(10, noise="a lot")
    with pytest.raises(ValueError, match="n_classes must be an integer >= 1, got 0"):
        datasets.spirals(10, n_classes=0)          # before: ZeroDivisionError
    with pytest.raises(ValueError, match="turns must be positive, got nan"):
        datasets.spirals(10, turns=float("nan"))
    with pytest.raises(ValueError, match="factor must lie strictly between 0 and 1, got nan"):
        datasets.circles(10, factor=float("nan"))
    with pytest.raises(TypeError, match="dr must be a whole number of pixels, got 0.5"):
        datasets.shift_images(np.zeros((1, 64)), 0.5, 0)


@pytest.mark.parametrize("cls,kwargs,message", [
    (RMSProp, {"eps": 0}, "eps must be positive, got 0"),          # before: NaN weights
    (RMSProp, {"eps": -1e-8}, "eps must be positive, got -1e-08"),
    (Adam, {"eps": 0.0}, "eps must be positive, got 0.0"),
    (Adam, {"eps": float("nan")}, "eps must be positive, got nan"),
    (Adam, {"beta1": -0.1}, r"beta1 must satisfy 0 <= beta1 < 1, got -0.1"),
    (Adam, {"beta2": float("nan")}, r"beta2 must satisfy 0 <= beta2 < 1, got nan"),
    (Momentum, {"beta": 1.0}, r"beta must satisfy 0 <= beta < 1, got 1.0"),
])
def test_optimizer_hyper_parameters(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(0.1, **kwargs)


def test_adamw_hyper_parameters():
    from course_lib import AdamW
    for wd in (-0.1, float("nan"), True):
        with pytest.raises(ValueError, match=f"weight_decay must be a non-negative number, got {wd}"):
            AdamW(0.01, weight_decay=wd)
    with pytest.raises(ValueError, match=r"lr \* weight_decay must be below 1 \(each step multiplies "
                                         r"the weights by 1 - lr \* weight_decay\); got lr=0\.5, "
                                         r"weight_decay=2"):
        AdamW(0.5, weight_decay=2.0)
    with pytest.raises(ValueError, match="learning rate lr must be positive, got 0"):
        AdamW(0)


@pytest.mark.parametrize("loss,y_pred,y", [
    (MSE(), np.zeros((0, 1)), np.zeros(0)),
    (BinaryCrossEntropy(), np.zeros((0, 1)), np.zeros(0)),
    (BinaryCrossEntropy(from_logits=True), np.zeros((0, 1)), np.zeros(0)),
    (CrossEntropy(), np.zeros((0, 3)), np.zeros(0, dtype=int)),
])
def test_losses_on_no_rows(loss, y_pred, y):
    # before: NaN and a RuntimeWarning (mean of an empty slice)
    with pytest.raises(ValueError, match=r"no samples: y_pred has shape \(0, \d\); a loss is a mean "
                                         r"over at least one sample"):
        loss(y_pred, y)


def test_bce_constructor_arguments():
    with pytest.raises(TypeError, match="from_logits must be True or False, got 'yes'"):
        BinaryCrossEntropy(from_logits="yes")
    with pytest.raises(ValueError, match="eps must satisfy 0 < eps < 1, got 0"):
        BinaryCrossEntropy(eps=0)


def test_one_optimizer_with_a_second_model(data):
    # before: the state (here Adam's moments) was carried over silently, even into
    # differently shaped parameters
    X, y = data
    opt = Adam(0.01)
    train(mlp([2, 3, 1], output="sigmoid", seed=0), X, y, "bce", opt, epochs=1)
    for second in (mlp([2, 3, 1], output="sigmoid", seed=1), mlp([2, 5, 1], output="sigmoid", seed=1)):
        with pytest.raises(ValueError, match=r"this Adam optimizer was used with another model .*; "
                                             r"create a new optimizer for each model, or call "
                                             r"optimizer\.reset\(\)"):
            train(second, X, y, "bce", opt, epochs=1)


def test_huge_learning_rate_sets_diverged(model, data):
    # before: SGD(lr=1e300) drove the weights to 1e299 while history.diverged stayed False
    X, y = data
    history = train(model, X, y, "bce", SGD(1e300), epochs=10)
    assert history.diverged and history.epochs == 1
    assert "diverged" in repr(history)


def test_other_train_arguments(model, data):
    X, y = data
    with pytest.raises(TypeError, match="rng must be None, an int seed or a numpy.random.Generator, "
                                        "got 'abc'"):
        train(model, X, y, "bce", SGD(0.1), epochs=1, seed="abc")
    with pytest.raises(TypeError, match=r"callback must be a function callback\(epoch, history\), got 3"):
        train(model, X, y, "bce", SGD(0.1), epochs=1, callback=3)
    from course_lib import EarlyStopping
    with pytest.raises(ValueError, match="min_delta must be a non-negative number, got nan"):
        EarlyStopping(min_delta=float("nan"))
    from course_lib.training import iterate_minibatches
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1, got 0"):
        list(iterate_minibatches(10, 0))


def test_other_constructors_and_helpers():
    from course_lib.initializers import normal
    from course_lib.metrics import confusion_matrix
    from course_lib.regularization import l2_penalty
    with pytest.raises(ValueError, match="scale must be a non-negative number, got nan"):
        normal(2, 3, scale=float("nan"))
    with pytest.raises(ValueError, match=r"the initializer .* returned shape \(3, 2\), not "
                                         r"\(n_in, n_out\) = \(2, 3\)"):
        Dense(2, 3, init=lambda n_in, n_out, rng=None, dtype=None: np.zeros((n_out, n_in)))
    with pytest.raises(ValueError, match="lam must be a non-negative number, got -1"):
        l2_penalty(mlp([2, 2]), -1)
    with pytest.raises(ValueError, match="n_classes must be a positive integer or None, got 2.5"):
        confusion_matrix([0, 1], [1, 0], n_classes=2.5)
