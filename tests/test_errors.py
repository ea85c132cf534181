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
                                         r"momentum, rmsprop, sgd"):
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
                                         r"\(put a Sigmoid layer last\); got values from -0\.5 to 2"):
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
