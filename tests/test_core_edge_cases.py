"""The numerical core at its edges: bad input gets a clear error naming the problem, and the
boundary cases (empty batches, one sample, extreme values, defaults) behave as documented."""
import numpy as np
import pytest

from course_lib import activations

# --------------------------------------------------------------------------------------
# Activations: a bad slope is named in the error, by every function that takes one
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["leaky_relu", "leaky_relu_derivative", "elu", "elu_derivative"])
def test_activation_slope_alpha_is_checked_and_named(name):
    f = getattr(activations, name)
    with pytest.raises(ValueError, match=r"^alpha must be a non-negative number, got -0.5$"):
        f(np.zeros(2), alpha=-0.5)
    with pytest.raises(TypeError, match=r"^alpha must be a number, got '1'$"):
        f(np.zeros(2), alpha="1")


# --------------------------------------------------------------------------------------
# Losses: the whole message of each refusal, and the edges of what is accepted
# --------------------------------------------------------------------------------------
from course_lib.losses import MSE, BinaryCrossEntropy, CrossEntropy, get_loss  # noqa: E402

P = np.array([[0.2], [0.9]])


@pytest.mark.parametrize("call,error,message", [
    (lambda: MSE()(np.zeros((2, 2)), np.zeros((2, 3))), ValueError,
     "shape mismatch: y_pred has shape (2, 2) but y_true has shape (2, 3); they must match "
     "(one row per sample)"),
    (lambda: MSE()(np.zeros((2, 1)), ["a", "b"]), TypeError, "y_true must be numeric, got dtype <U1"),
    (lambda: MSE()(np.zeros((2, 1)), np.array([None, 1])), TypeError,
     "y_true must be numeric, got dtype object"),
    (lambda: MSE()(np.zeros(3), np.zeros(3)), ValueError,
     "y_pred must be a 2-D array (n_samples, n_outputs), got shape (3,)"),
    (lambda: MSE()(np.zeros((0, 1)), np.zeros((0, 1))), ValueError,
     "no samples: y_pred has shape (0, 1); a loss is a mean over at least one sample"),
    (lambda: MSE().backward(), RuntimeError,
     "call MSE.forward before backward: backward returns the gradient of the last loss computed"),
    (lambda: BinaryCrossEntropy().backward(), RuntimeError,
     "call BinaryCrossEntropy.forward before backward: backward returns the gradient of the "
     "last loss computed"),
    (lambda: CrossEntropy().backward(), RuntimeError,
     "call CrossEntropy.forward before backward: backward returns the gradient of the last "
     "loss computed"),
    (lambda: BinaryCrossEntropy()(np.array([[1.5], [-0.25]]), [1, 0]), ValueError,
     "BinaryCrossEntropy takes probabilities in [0, 1] (put a Sigmoid layer last, or use "
     "BinaryCrossEntropy(from_logits=True) on the last Dense layer's outputs); got values "
     "from -0.25 to 1.5"),
    (lambda: BinaryCrossEntropy()(P, [2, 0]), ValueError,
     "labels out of range: binary targets must lie in [0, 1], got [0. 2.]"),
    (lambda: BinaryCrossEntropy(from_logits=True)(P, [-1, 0]), ValueError,
     "labels out of range: binary targets must lie in [0, 1], got [-1.  0.]"),
    (lambda: BinaryCrossEntropy(from_logits=1), TypeError, "from_logits must be True or False, got 1"),
    (lambda: BinaryCrossEntropy(eps=0.0), ValueError, "eps must satisfy 0 < eps < 1, got 0.0"),
    (lambda: CrossEntropy()(np.zeros((2, 3)), [0, 3]), ValueError,
     "labels out of range: logits have 3 classes, so labels must lie in 0..2; got labels "
     "from 0 to 3"),
    (lambda: CrossEntropy()(np.zeros((2, 3)), np.array([-1, 0], dtype=np.int8)), ValueError,
     "labels out of range: logits have 3 classes, so labels must lie in 0..2; got labels "
     "from -1 to 0"),
    (lambda: CrossEntropy()(np.zeros((2, 3)), [0.5, 1.0]), TypeError,
     "CrossEntropy takes integer class labels (0 .. C-1), got dtype float64; for one-hot "
     "targets use labels = y.argmax(axis=1)"),
    (lambda: CrossEntropy()(np.zeros((2, 3)), [np.nan, 1.0]), TypeError,
     "CrossEntropy takes integer class labels (0 .. C-1), got dtype float64; for one-hot "
     "targets use labels = y.argmax(axis=1)"),
    (lambda: CrossEntropy()(np.zeros((2, 3)), np.eye(3)[:2]), ValueError,
     "shape mismatch: logits have shape (2, 3), so y_true must hold 2 integer labels "
     "(shape (2,)); got shape (2, 3)"),
    (lambda: CrossEntropy()(np.zeros((2, 3)), [0, 1, 2]), ValueError,
     "shape mismatch: logits have shape (2, 3), so y_true must hold 2 integer labels "
     "(shape (2,)); got shape (3,)"),
    (lambda: get_loss("hinge"), ValueError,
     "unknown loss 'hinge'; choose one of: bce, binary_cross_entropy, cross_entropy, mse"),
])
def test_loss_refusals_say_exactly_what_is_wrong(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_loss_targets_forms_and_types():
    mse = MSE()
    assert mse(P, [0.2, 0.9]) == 0.0                          # (N,) targets for (N, 1)
    assert mse(P, np.array([True, False])) == pytest.approx((0.8**2 + 0.9**2) / 2)
    assert mse([[0.5, 0.5]], [[1, 0]]) == 0.25               # lists of ints and floats
    with pytest.raises(ValueError, match="shape mismatch"):
        mse(np.zeros((2, 2)), [0.0, 1.0])                     # (N,) only for one output
    with pytest.raises(ValueError, match=r"^y_true contains NaN or infinity \(0 NaN, 1 inf"):
        mse(P, [np.inf, 0.0])
    with pytest.raises(ValueError, match=r"^y_pred contains NaN or infinity \(1 NaN, 0 inf"):
        mse(np.array([[np.nan], [0.0]]), [0.0, 0.0])
    y32 = MSE()
    y32(P.astype(np.float32), [0, 1])
    assert y32.backward().dtype == np.float32


def test_cross_entropy_label_forms_and_float_labels():
    z = np.array([[0.0, np.log(3.0)], [np.log(3.0), 0.0]])
    expected = -np.log(0.75)
    for labels in ([1, 0], np.array([[1], [0]]), np.array([1.0, 0.0]), np.array([1, 0], np.uint8)):
        assert CrossEntropy()(z, labels) == pytest.approx(expected, rel=1e-14), labels
    ce = CrossEntropy()
    ce(z, [1, 1])
    np.testing.assert_allclose(ce.backward(), [[0.125, -0.125], [0.375, -0.375]], rtol=1e-14)
    assert ce(z[:1], [0]) == pytest.approx(-np.log(0.25), rel=1e-14)   # one sample


def test_bce_values_on_both_sides_and_its_clipping():
    bce = BinaryCrossEntropy()
    assert bce(np.array([[0.25]]), [0]) == pytest.approx(-np.log(0.75), rel=1e-14)
    assert bce(np.array([[0.25]]), [1]) == pytest.approx(-np.log(0.25), rel=1e-14)
    assert bce(np.array([[0.25]]), [0.5]) == pytest.approx(-0.5 * np.log(0.25 * 0.75), rel=1e-14)
    np.testing.assert_allclose(bce.backward(), [[(0.25 - 0.5) / (0.25 * 0.75)]], rtol=1e-14)
    assert bce(np.array([[0.0]]), [1]) == pytest.approx(-np.log(1e-12), rel=1e-12)
    assert bce(np.array([[1.0]]), [0]) == pytest.approx(-np.log1p(-(1 - 1e-12)), rel=1e-3)
    assert BinaryCrossEntropy(eps=1e-3)(np.array([[0.0]]), [1]) == pytest.approx(-np.log(1e-3))
    # float32: eps at least one float32 step, so 1 - eps is below 1 and the loss is finite
    p32 = np.array([[1.0], [0.0]], dtype=np.float32)
    loss32 = bce(p32, [0, 1])
    assert np.isfinite(loss32)
    assert loss32 == pytest.approx(-np.log(np.finfo(np.float32).eps), rel=1e-3)
    assert bce.backward().dtype == np.float32


def test_bce_from_logits_values_and_gradient():
    bce = BinaryCrossEntropy(from_logits=True)
    z = np.array([[2.0], [-1.0]])
    expected = np.mean([np.log1p(np.exp(2.0)) - 2.0, np.log1p(np.exp(-1.0))])
    assert bce(z, [1, 0]) == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(bce.backward(),
                               [[(1 / (1 + np.exp(-2.0)) - 1) / 2], [1 / (1 + np.exp(1.0)) / 2]],
                               rtol=1e-14)
    assert bce(np.array([[0.0]]), [1]) == pytest.approx(np.log(2.0), rel=1e-15)
    assert bce(np.array([[-1000.0]]), [1]) == pytest.approx(1000.0, rel=1e-15)
    assert repr(bce) == "BinaryCrossEntropy(from_logits=True)"
    assert repr(BinaryCrossEntropy()) == "BinaryCrossEntropy()"
    assert BinaryCrossEntropy(from_logits=np.bool_(True)).from_logits is True
    assert repr(MSE()) == "MSE()" and repr(CrossEntropy()) == "CrossEntropy()"


def test_get_loss_names_and_instances():
    mse = MSE()
    assert get_loss(mse) is mse
    assert type(get_loss("MSE")) is MSE and type(get_loss("bce")) is BinaryCrossEntropy
    assert type(get_loss("binary_cross_entropy")) is BinaryCrossEntropy
    assert type(get_loss("Cross_Entropy")) is CrossEntropy
    assert get_loss("mse") is not get_loss("mse")             # a new instance each time


# --------------------------------------------------------------------------------------
# Layers: the whole message of each refusal; lists, float32 and the kinks
# --------------------------------------------------------------------------------------
from course_lib.layers import (ELU, Dense, Dropout, Identity, LeakyReLU, ReLU,  # noqa: E402
                               Sigmoid, Softmax, Tanh, activation_layer)

ACTIVATION_LAYERS = [Sigmoid, Tanh, ReLU, LeakyReLU, ELU, Softmax]


@pytest.mark.parametrize("call,error,message", [
    (lambda: Dense(0, 2), ValueError, "n_in must be a positive integer, got 0"),
    (lambda: Dense(2, 1.0), ValueError, "n_out must be a positive integer, got 1.0"),
    (lambda: Dense(True, 2), ValueError, "n_in must be a positive integer, got True"),
    (lambda: Dense(2, 2, dtype=np.int32), TypeError,
     "dtype must be a floating-point type such as np.float64 or np.float32, got <class "
     "'numpy.int32'> (integer weights cannot learn)"),
    (lambda: Dense(2, 2, dtype="nonsense"), TypeError,
     "dtype must be a floating-point type such as np.float64 or np.float32, got 'nonsense' "
     "(integer weights cannot learn)"),
    (lambda: Dense(2, 3, init=lambda n_in, n_out, rng=None, dtype=float: np.zeros((3, 2))),
     ValueError, None),
    (lambda: Dense(2, 3).backward(np.zeros((1, 3))), RuntimeError,
     "Dense(2, 3, init='xavier'): call forward before backward (backward uses the values that "
     "forward keeps)"),
    (lambda: Sigmoid().backward(np.zeros((1, 3))), RuntimeError,
     "Sigmoid(): call forward before backward (backward uses the values that forward keeps)"),
    (lambda: Dropout(0.5).backward(np.zeros((1, 3))), RuntimeError,
     "Dropout(p=0.5): call forward before backward (backward uses the values that forward keeps)"),
    (lambda: activation_layer("swish"), ValueError,
     "unknown activation 'swish'; choose one of: elu, leaky_relu, linear, relu, sigmoid, "
     "softmax, tanh"),
    (lambda: Dropout(1.0), ValueError, "p must satisfy 0 <= p < 1, got 1.0"),
    (lambda: LeakyReLU(-1.0), ValueError, "LeakyReLU alpha must be a non-negative number, got -1.0"),
    (lambda: ELU(np.inf), ValueError, "ELU alpha must be a non-negative number, got inf"),
    (lambda: Dense(2, 1).forward(np.zeros((3, 3))), ValueError,
     "shape mismatch: Dense(2, 1, init='xavier') expects 2 features per sample, but the input "
     "has shape (3, 3) (3 features)"),
    (lambda: Dense(2, 1).forward(np.zeros(2)), ValueError,
     "the input must be a 2-D array (n_samples, n_features), got shape (2,)"),
    (lambda: Tanh().forward([["a"]]), TypeError, "the input of Tanh() must be numeric, got dtype <U1"),
])
def test_layer_refusals_say_exactly_what_is_wrong(call, error, message):
    with pytest.raises(error) as info:
        call()
    if message is None:       # the initializer's shape: checked separately below
        assert str(info.value).startswith("the initializer ") and "(n_in, n_out) = (2, 3)" in str(info.value)
        assert "returned shape (3, 2)" in str(info.value)
    else:
        assert str(info.value) == message


@pytest.mark.parametrize("make", ACTIVATION_LAYERS + [lambda: Dropout(0.5, rng=0)])
def test_backward_refuses_a_gradient_of_another_shape(make):
    layer = make()
    layer.forward(np.zeros((2, 3)))
    with pytest.raises(ValueError) as info:
        layer.backward(np.zeros((3, 2)))
    assert str(info.value) == (f"shape mismatch: {layer!r} produced outputs of shape (2, 3), but "
                               "grad_out has shape (3, 2); it must match")
    with pytest.raises(ValueError, match=r"but grad_out has shape list; it must match$"):
        layer.backward([[0.0] * 3] * 2)


def test_dense_backward_refuses_a_gradient_of_another_shape():
    layer = Dense(2, 3, init="zeros")
    layer.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError) as info:
        layer.backward(np.zeros((4, 2)))
    assert str(info.value) == ("shape mismatch: Dense(2, 3, init='zeros') produced outputs of "
                               "shape (4, 3), but grad_out has shape (4, 2); it must match")


@pytest.mark.parametrize("make", ACTIVATION_LAYERS + [Identity, lambda: Dropout(0.5, rng=0)])
def test_layers_take_lists_and_keep_float32(make):
    z = [[-1.0, 0.5, 2.0]]
    layer = make()
    out = layer.forward(z)
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    z32 = np.array(z, dtype=np.float32)
    out32 = make().forward(z32)
    assert out32.dtype == np.float32, type(layer).__name__
    np.testing.assert_allclose(out32, make().forward(np.array(z)), rtol=1e-6)


def test_activation_layer_values_and_gradients_at_the_kink():
    z = np.array([[-2.0, 0.0, 3.0]])
    g = np.array([[1.0, 10.0, 100.0]])
    relu, leaky, elu_layer = ReLU(), LeakyReLU(0.1), ELU(0.5)
    np.testing.assert_array_equal(relu.forward(z), [[0.0, 0.0, 3.0]])
    np.testing.assert_array_equal(relu.backward(g), [[0.0, 0.0, 100.0]])
    np.testing.assert_allclose(leaky.forward(z), [[-0.2, 0.0, 3.0]])
    np.testing.assert_allclose(leaky.backward(g), [[0.1, 1.0, 100.0]])
    np.testing.assert_allclose(elu_layer.forward(z), [[0.5 * np.expm1(-2.0), 0.0, 3.0]])
    np.testing.assert_allclose(elu_layer.backward(g), [[0.5 * np.exp(-2.0), 5.0, 100.0]])
    assert repr(leaky) == "LeakyReLU(alpha=0.1)" and repr(elu_layer) == "ELU(alpha=0.5)"
    assert repr(LeakyReLU()) == "LeakyReLU(alpha=0.01)" and repr(ELU()) == "ELU(alpha=1.0)"
    s = Sigmoid()
    np.testing.assert_array_equal(s.forward(np.zeros((1, 2))), [[0.5, 0.5]])
    np.testing.assert_array_equal(s.backward(np.ones((1, 2))), [[0.25, 0.25]])
    t = Tanh()
    t.forward(np.zeros((1, 1)))
    np.testing.assert_array_equal(t.backward(np.full((1, 1), 2.0)), [[2.0]])


def test_softmax_layer_is_per_row_and_its_backward():
    sm = Softmax()
    z = np.array([[0.0, np.log(3.0)], [np.log(3.0), 0.0]])
    np.testing.assert_allclose(sm.forward(z), [[0.25, 0.75], [0.75, 0.25]], rtol=1e-15)
    # grad_in = p * (g - sum_j g_j p_j): with g = (1, 0): p1 (1 - p1), -p1 p2
    np.testing.assert_allclose(sm.backward(np.array([[1.0, 0.0], [1.0, 0.0]])),
                               [[0.25 * 0.75, -0.25 * 0.75], [0.75 * 0.25, -0.75 * 0.25]],
                               rtol=1e-15)


def test_dense_values_dtype_and_need_grad_in():
    layer = Dense(2, 1, init="zeros", dtype=np.float32)
    assert layer.W.dtype == np.float32 and layer.b.dtype == np.float32
    assert layer.dW.shape == (2, 1) and layer.db.shape == (1,)
    layer.W[...] = [[1.0], [2.0]]
    layer.b[...] = 0.5
    out = layer.forward(np.array([[1.0, 1.0], [2.0, 0.0]], dtype=np.float32))
    np.testing.assert_array_equal(out, [[3.5], [2.5]])
    assert layer.backward(np.ones((2, 1), dtype=np.float32), need_grad_in=False) is None
    np.testing.assert_array_equal(layer.dW, [[3.0], [1.0]])
    np.testing.assert_array_equal(layer.db, [2.0])
    np.testing.assert_array_equal(layer.backward(np.ones((2, 1), dtype=np.float32)),
                                  [[1.0, 2.0], [1.0, 2.0]])
    assert Dense(np.int64(3), 2).n_in == 3
    assert repr(Dense(2, 3, init="he")) == "Dense(2, 3, init='he')"
    assert layer.parameters()[0][0] == "W" and layer.parameters()[1][0] == "b"


def test_dropout_modes_mask_and_repr():
    x = np.ones((200, 50))
    drop = Dropout(0.25, rng=0)
    out = drop.forward(x)
    assert set(np.unique(out)) == {0.0, 1 / 0.75}
    assert abs(np.mean(out == 0) - 0.25) < 0.02
    np.testing.assert_array_equal(drop.backward(np.ones_like(x)), out)
    drop.training = False
    assert drop.forward(x) is x and drop.mask is None
    assert drop.backward(x) is x
    zero = Dropout(0.0)
    assert zero.forward(x) is x and zero.backward(x) is x
    assert repr(Dropout(0.3)) == "Dropout(p=0.3)"
    assert Dropout().p == 0.5
    np.testing.assert_array_equal(Dropout(0.5, rng=3).forward(x), Dropout(0.5, rng=3).forward(x))
    assert Dropout(0.5).forward(np.ones((2, 2), dtype=np.float32)).dtype == np.float32


def test_activation_layer_names():
    for name, cls in [("ReLU", ReLU), ("sigmoid", Sigmoid), ("tanh", Tanh), ("leaky_relu", LeakyReLU),
                      ("elu", ELU), ("softmax", Softmax), ("linear", Identity)]:
        layer = activation_layer(name)
        assert type(layer) is cls
        assert activation_layer(name) is not layer


# --------------------------------------------------------------------------------------
# Optimizers: refusals, the reprs a lesson prints, the state's edges
# --------------------------------------------------------------------------------------
from course_lib.optimizers import SGD, Adam, AdamW, Momentum, RMSProp, get_optimizer  # noqa: E402


@pytest.mark.parametrize("call,error,message", [
    (lambda: SGD(0), ValueError, "learning rate lr must be positive, got 0"),
    (lambda: SGD(np.nan), ValueError, "learning rate lr must be positive, got nan"),
    (lambda: SGD(True), TypeError, "learning rate lr must be a number, got True"),
    (lambda: RMSProp(0.1, eps=0.0), ValueError, "eps must be positive, got 0.0"),
    (lambda: Adam(eps=-1e-8), ValueError, "eps must be positive, got -1e-08"),
    (lambda: Momentum(0.1, beta=-0.5), ValueError, "beta must satisfy 0 <= beta < 1, got -0.5"),
    (lambda: RMSProp(0.1, beta=1.0), ValueError, "beta must satisfy 0 <= beta < 1, got 1.0"),
    (lambda: Adam(beta1=1), ValueError, "beta1 must satisfy 0 <= beta1 < 1, got 1"),
    (lambda: Adam(beta2=-0.1), ValueError, "beta2 must satisfy 0 <= beta2 < 1, got -0.1"),
    (lambda: AdamW(weight_decay=-0.1), ValueError,
     "weight_decay must be a non-negative number, got -0.1"),
    (lambda: AdamW(weight_decay=np.inf), ValueError,
     "weight_decay must be a non-negative number, got inf"),
    (lambda: AdamW(weight_decay=True), ValueError,
     "weight_decay must be a non-negative number, got True"),
    (lambda: AdamW(weight_decay="0.1"), ValueError,
     "weight_decay must be a non-negative number, got '0.1'"),
    (lambda: AdamW(0.5, weight_decay=2.0), ValueError,
     "lr * weight_decay must be below 1 (each step multiplies the weights by 1 - lr * "
     "weight_decay); got lr=0.5, weight_decay=2"),
    (lambda: get_optimizer("adagrad", 0.1), ValueError,
     "unknown optimizer 'adagrad'; choose one of: adam, adamw, momentum, rmsprop, sgd"),
])
def test_optimizer_refusals_say_exactly_what_is_wrong(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def one_weight_model(w=1.0, g=1.0, name="layers[0].W"):
    class Model:
        def __init__(self):
            self.w, self.g = np.array([w]), np.array([g])

        def parameters(self):
            return [(name, self.w, self.g)]
    return Model()


def test_optimizer_reprs():
    assert repr(SGD(0.1)) == "SGD(lr=0.1)"
    assert repr(Momentum(0.1)) == "Momentum(lr=0.1, beta=0.9)"
    assert repr(RMSProp(0.01, beta=0.5)) == "RMSProp(lr=0.01, beta=0.5)"
    assert repr(Adam()) == "Adam(lr=0.001, beta1=0.9, beta2=0.999)"
    assert RMSProp(0.1).beta == 0.9 and Adam().eps == 1e-8


def test_optimizer_refuses_another_model_with_the_whole_message():
    opt = SGD(0.1)
    opt.step(one_weight_model())
    with pytest.raises(ValueError) as info:
        opt.step(one_weight_model())
    assert str(info.value) == (
        "this SGD optimizer was used with another model (or the model's parameter arrays were "
        "replaced), and its state belongs to those parameters; create a new optimizer for each "
        "model, or call optimizer.reset()")
    two = one_weight_model()
    two.parameters = lambda: [("W", two.w, two.g), ("b", np.zeros(1), np.zeros(1))]
    opt.reset()
    opt.step(one_weight_model())
    with pytest.raises(ValueError, match="used with another model"):
        opt.step(two)                             # another number of parameters


def test_momentum_first_steps_and_zero_beta():
    model, opt = one_weight_model(w=0.0, g=2.0), Momentum(0.5, beta=0.5)
    opt.step(model)                               # v = g = 2
    np.testing.assert_array_equal(model.w, [-1.0])
    opt.step(model)                               # v = 0.5 * 2 + 2 = 3
    np.testing.assert_array_equal(model.w, [-2.5])
    assert opt.state[0]["v"] is not model.g       # a copy: the layer overwrites its gradient
    model.g[...] = 0.0
    opt.step(model)                               # v = 1.5
    np.testing.assert_array_equal(model.w, [-3.25])
    plain = one_weight_model(w=0.0, g=2.0)
    zero_beta = Momentum(0.5, beta=0.0)
    for _ in range(3):
        zero_beta.step(plain)
    np.testing.assert_array_equal(plain.w, [-3.0])


def test_rmsprop_and_adam_single_steps_by_hand():
    model = one_weight_model(w=0.0, g=2.0)
    RMSProp(0.1, beta=0.75, eps=1.0).step(model)        # s = 0.25 * 4 = 1: step 0.1 * 2 / (1 + 1)
    np.testing.assert_allclose(model.w, [-0.1], rtol=1e-15)
    model = one_weight_model(w=0.0, g=2.0)
    Adam(0.1, beta1=0.5, beta2=0.75, eps=1.0).step(model)   # m_hat = 2, v_hat = 4: 0.1 * 2 / 3
    np.testing.assert_allclose(model.w, [-0.2 / 3], rtol=1e-15)
    model, opt = one_weight_model(w=0.0, g=2.0), Adam(0.1, beta1=0.5, beta2=0.75, eps=1.0)
    opt.step(model)
    model.g[...] = 4.0
    opt.step(model)          # m = 0.5 + 2 = 2.5;  v = 0.75 + 4 = 4.75;  then bias-corrected
    m_hat, v_hat = 2.5 / (1 - 0.5**2), 4.75 / (1 - 0.75**2)
    np.testing.assert_allclose(model.w, [-0.2 / 3 - 0.1 * m_hat / (np.sqrt(v_hat) + 1.0)],
                               rtol=1e-14)


def test_adamw_decays_parameters_named_w_and_only_those():
    for name, decayed in [("W", True), ("layers[2].W", True), ("layers[0].b", False),
                          ("Wx", False), ("theta", False)]:
        model = one_weight_model(w=2.0, g=0.0, name=name)
        AdamW(0.1, weight_decay=0.5).step(model)
        np.testing.assert_allclose(model.w, [2.0 * 0.95 if decayed else 2.0], rtol=1e-15,
                                   err_msg=name)
    opt = AdamW(0.1, weight_decay=0)
    assert opt.weight_decay == 0.0 and isinstance(opt.weight_decay, float)
    AdamW(0.5, weight_decay=1.999)                 # lr * weight_decay just below 1: accepted


# --------------------------------------------------------------------------------------
# Input checks (_validation): conversions, the finite check at every size, the messages
# --------------------------------------------------------------------------------------
from course_lib import _validation as v  # noqa: E402


def test_as_float_array_conversions():
    assert v.as_float_array([1, 2]).dtype == np.float64
    assert v.as_float_array(np.array([True])).dtype == np.float64
    assert v.as_float_array(np.array([1], dtype=np.uint8)).dtype == np.float64
    x32 = np.ones(2, dtype=np.float32)
    assert v.as_float_array(x32) is x32                            # float32 stays, no copy
    assert v.as_float_array([[np.nan]], allow_nan=True).shape == (1, 1)
    assert v.as_float_array([[1.0]], ndim=2).shape == (1, 1)


@pytest.mark.parametrize("call,error,message", [
    (lambda: v.as_float_array(np.array([object()]), "W"), TypeError,
     "W must be numeric, got an array of Python objects"),
    (lambda: v.as_float_array(["a"], "X"), TypeError, "X must be numeric, got dtype <U1"),
    (lambda: v.as_float_array(np.array([1j])), TypeError, "X must be numeric, got dtype complex128"),
    (lambda: v.as_float_array([1.0, 2.0], "X", ndim=2), ValueError,
     "X must be a 2-D array, got shape (2,). Rows are samples: reshape a single sample with "
     "x.reshape(1, -1) or a single feature with x.reshape(-1, 1)."),
    (lambda: v.as_float_array(np.zeros((1, 1, 1)), "X", ndim=2), ValueError,
     "X must be a 2-D array, got shape (1, 1, 1)."),
    (lambda: v.as_float_array([[1.0]], "y", ndim=1), ValueError,
     "y must be a 1-D array, got shape (1, 1)."),
    (lambda: v.as_float_array([np.nan, np.inf, -np.inf, 1.0], "X"), ValueError,
     "X contains NaN or infinity (1 NaN, 2 inf values); clean or impute the data first"),
    (lambda: v.check_n_features(np.zeros(3), 3, "X", "the model"), ValueError,
     "X must be a 2-D array (n_samples, n_features), got shape (3,)"),
    (lambda: v.check_n_features(np.zeros((2, 4)), 3, "X", "the model"), ValueError,
     "shape mismatch: the model expects 3 features per sample, but X has shape (2, 4) "
     "(4 features)"),
    (lambda: v.check_positive("1", "lr"), TypeError, "lr must be a number, got '1'"),
    (lambda: v.check_positive(False, "lr"), TypeError, "lr must be a number, got False"),
    (lambda: v.check_positive(-1, "lr"), ValueError, "lr must be positive, got -1"),
    (lambda: v.check_positive(np.inf, "lr"), ValueError, "lr must be positive, got inf"),
    (lambda: v.check_non_negative(None, "lam"), TypeError, "lam must be a number, got None"),
    (lambda: v.check_non_negative(True, "lam"), TypeError, "lam must be a number, got True"),
    (lambda: v.check_non_negative(-np.inf, "lam"), ValueError,
     "lam must be a non-negative number, got -inf"),
    (lambda: v.check_non_negative(np.nan, "lam"), ValueError,
     "lam must be a non-negative number, got nan"),
    (lambda: v.check_probability("0.5", "p"), TypeError, "p must be a number, got '0.5'"),
    (lambda: v.check_probability(True, "p"), TypeError, "p must be a number, got True"),
    (lambda: v.check_probability(0.0, "eps", inclusive_low=False), ValueError,
     "eps must satisfy 0 < eps < 1, got 0.0"),
    (lambda: v.check_probability(-0.01, "p"), ValueError, "p must satisfy 0 <= p < 1, got -0.01"),
    (lambda: v.check_probability(np.nan, "p"), ValueError, "p must satisfy 0 <= p < 1, got nan"),
    (lambda: v.as_rng(1.5), TypeError,
     "rng must be None, an int seed or a numpy.random.Generator, got 1.5"),
    (lambda: v.as_rng(True), TypeError,
     "rng must be None, an int seed or a numpy.random.Generator, got True"),
])
def test_input_check_messages(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_checks_accept_their_boundaries_and_return_floats():
    assert v.check_positive(1e-300, "lr") == 1e-300 and type(v.check_positive(2, "lr")) is float
    assert v.check_non_negative(0, "lam") == 0.0 and type(v.check_non_negative(0, "lam")) is float
    assert v.check_probability(0, "p") == 0.0 and type(v.check_probability(0, "p")) is float
    assert v.check_probability(0.999, "p") == 0.999
    assert v.check_probability(1e-9, "eps", inclusive_low=False) == 1e-9
    v.check_n_features(np.zeros((2, 3)), 3)
    rng = np.random.default_rng(0)
    assert v.as_rng(rng) is rng
    assert v.as_rng(np.int64(4)).random() == np.random.default_rng(4).random()
    assert isinstance(v.as_rng(None), np.random.Generator)
    error = v.unknown_name_error("loss", "L9", {"b": 1, "a": 2})
    assert isinstance(error, ValueError) and str(error) == "unknown loss 'L9'; choose one of: a, b"


def test_all_finite_small_large_and_overflowing_sums():
    assert v.all_finite(np.array([1e308, 1e308]))                  # the sum overflows, values do not
    assert not v.all_finite(np.array([1e308, np.inf]))
    assert not v.all_finite(np.array([np.nan, 1.0]))
    assert v.all_finite(np.array(3.0)) and not v.all_finite(np.array(np.nan))
    assert v.all_finite(np.array([1, 2])) and v.all_finite(np.array([True]))
    assert v.all_finite(np.zeros((0, 3)))
    # above FINITE_CHECK_BLOCK values: checked a block of rows at a time, every block counts
    n_rows = v.FINITE_CHECK_BLOCK // 512 + 3
    big = np.zeros((n_rows, 512))
    assert v.all_finite(big)
    for row in (0, n_rows // 2, n_rows - 1):
        big[row, 7] = np.nan
        assert not v.all_finite(big), row
        big[row, 7] = 0.0
    wide = np.zeros((2, v.FINITE_CHECK_BLOCK + 1))                  # one row larger than a block
    wide[1, -1] = np.inf
    assert not v.all_finite(wide)
    wide[1, -1] = 0.0
    assert v.all_finite(wide)


def test_check_finite_counts_nan_and_inf_separately():
    with pytest.raises(ValueError) as info:
        v.check_finite(np.array([[np.nan, np.nan], [np.inf, 0.0]]), "X_val")
    assert str(info.value) == ("X_val contains NaN or infinity (2 NaN, 1 inf values); clean or "
                               "impute the data first")
    v.check_finite(np.ones(3))


# --------------------------------------------------------------------------------------
# Gradient checking: the report's text, the tolerance's edge, the refusals
# --------------------------------------------------------------------------------------
from course_lib import mlp  # noqa: E402
from course_lib.gradcheck import (GradCheckResult, check_layer, check_loss,  # noqa: E402
                                  check_model, numerical_gradient, relative_error)


def test_gradcheck_result_text_and_tolerance_edge():
    result = GradCheckResult({"input": 3e-9, "W": 2e-3}, tol=1e-7)
    assert str(result) == ("         input: relative error 3.00e-09  ok\n"
                           "             W: relative error 2.00e-03  WRONG\n"
                           "gradient check FAILED (tolerance 1e-07)")
    assert repr(result) == str(result)
    assert not result.passed and not bool(result) and result.max_error == 2e-3
    edge = GradCheckResult({"b": 1e-7}, tol=1e-7)          # an error equal to tol fails
    assert not edge.passed
    assert str(edge).endswith("WRONG\ngradient check FAILED (tolerance 1e-07)")
    assert str(GradCheckResult({"y_pred": 0.0}, tol=1e-5)).endswith(
        "ok\ngradient check passed (tolerance 1e-05)")
    assert GradCheckResult({}, tol=1e-7).passed


def test_relative_error_values():
    assert relative_error([3.0, 1.0], [1.0, 1.0]) == pytest.approx(2.0 / 4.0)   # max |a-n| / max(|a|+|n|)
    assert relative_error([1.0, 0.0], [1.0, 1e-3]) == pytest.approx(1e-3 / 2.0)
    assert relative_error([1e-310], [0.0]) == pytest.approx(1e-10)     # the scale's floor: 1e-300
    assert relative_error(1, 1) == 0.0 and isinstance(relative_error([1], [2]), float)


def test_numerical_gradient_step_and_float32():
    x = np.array([2.0])
    # a wrong step would change this exactly: (f(x+h) - f(x-h)) / 2h of a cubic
    h = 0.5
    assert numerical_gradient(lambda: float(x[0] ** 3), x, h=h)[0] == pytest.approx(3 * 4 + h**2)
    x32 = np.array([1.0, 2.0], dtype=np.float32)
    g = numerical_gradient(lambda: float(np.sum(x32.astype(float) ** 2)), x32, h=1e-2)
    assert g.dtype == np.float64
    np.testing.assert_allclose(g, [2.0, 4.0], rtol=1e-5)


@pytest.mark.parametrize("call,error,message", [
    (lambda: numerical_gradient(lambda: 0.0, np.zeros(1), h=0), ValueError,
     "the finite-difference step h must be positive, got 0 (1e-5 is a good choice in float64)"),
    (lambda: numerical_gradient(lambda: 0.0, np.zeros(1), h=np.nan), ValueError,
     "the finite-difference step h must be positive, got nan (1e-5 is a good choice in float64)"),
    (lambda: numerical_gradient(lambda: 0.0, np.zeros(1), h="1e-5"), TypeError,
     "h must be a number, got '1e-5'"),
    (lambda: numerical_gradient(lambda: 0.0, np.zeros(1), h=True), TypeError,
     "h must be a number, got True"),
    (lambda: numerical_gradient(lambda: 0.0, [1.0]), TypeError,
     "x must be the NumPy array that f reads (it is changed in place), got list"),
    (lambda: numerical_gradient(lambda: 0.0, np.zeros(1, dtype=int)), TypeError,
     "x must be a floating-point array, got dtype int64: x + h would be rounded to a whole "
     "number. Convert it first, x = x.astype(float), and let f read that array"),
    (lambda: check_layer(Tanh(), np.zeros((1, 2)), tol=0), ValueError,
     "tol must be a positive number, got 0"),
    (lambda: check_loss("mse", np.zeros((1, 1)), [0.0], tol=True), ValueError,
     "tol must be a positive number, got True"),
    (lambda: check_model(mlp([1, 1]), "mse", [[0.0]], [0.0], tol="1e-7"), ValueError,
     "tol must be a positive number, got '1e-7'"),
    (lambda: check_layer(Tanh(), np.zeros((1, 2)), h=-1), ValueError,
     "the finite-difference step h must be positive, got -1 (1e-5 is a good choice in float64)"),
    (lambda: check_loss("mse", np.zeros((1, 1)), [0.0], h=0.0), ValueError,
     "the finite-difference step h must be positive, got 0.0 (1e-5 is a good choice in float64)"),
    (lambda: check_model(mlp([1, 1]), "mse", [[0.0]], [0.0], h=0), ValueError,
     "the finite-difference step h must be positive, got 0 (1e-5 is a good choice in float64)"),
])
def test_gradcheck_refusals(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_gradcheck_uses_h_and_tol_it_is_given():
    # a coarse step makes the central difference of a tanh layer visibly inexact
    coarse = check_layer(Tanh(), [[0.7, -0.3]], h=0.5)
    assert 1e-4 < coarse.errors["input"] < 0.2 and not coarse.passed
    assert check_layer(Tanh(), [[0.7, -0.3]], h=0.5, tol=0.5).passed
    assert check_layer(Tanh(), [[0.7, -0.3]]).tol == 1e-7
    # the scalar L = sum(out * R): another seed draws another R, both check out
    assert check_layer(Dense(2, 2, rng=0), [[1.0, 2.0]], seed=5).passed
    loss = check_loss("bce", [[0.3], [0.8]], [0, 1], h=0.1)
    assert not loss.passed and set(loss.errors) == {"y_pred"}
    assert check_loss(MSE(), [[0.3, 0.5]], [[1.0, 0.0]]).passed
    model = mlp([2, 3, 1], "tanh", seed=0)
    coarse_model = check_model(model, "mse", [[1.0, -1.0], [0.5, 2.0]], [0.5, -0.5], h=0.5)
    assert not coarse_model.passed
    assert set(coarse_model.errors) == {"layers[0].W", "layers[0].b", "layers[2].W", "layers[2].b"}
    assert check_model(model, "mse", [[1, -1], [0, 2]], [0.5, -0.5]).passed     # int X: converted


def test_adamw_passes_every_adam_setting_on():
    opt = AdamW(0.1, beta1=0.5, beta2=0.75, eps=1.0, weight_decay=0.0)
    assert (opt.lr, opt.beta1, opt.beta2, opt.eps) == (0.1, 0.5, 0.75, 1.0)
    model = one_weight_model(w=0.0, g=2.0)
    opt.step(model)                                   # the Adam step by hand above: 0.1 * 2 / 3
    np.testing.assert_allclose(model.w, [-0.2 / 3], rtol=1e-15)


def test_losses_take_integer_predictions_as_floats():
    assert MSE()(np.array([[1], [2]]), [0.5, 1.5]) == 0.25           # targets are not rounded
    assert CrossEntropy()(np.array([[0, 0], [1, 1]]), [0, 1]) == pytest.approx(np.log(2.0))
    assert BinaryCrossEntropy()(np.array([[1], [0]]), [0.5, 0.5]) == pytest.approx(
        -np.log(1e-12) / 2, rel=1e-6)


def test_loss_shape_messages_for_one_output_and_one_dimensional_logits():
    with pytest.raises(ValueError) as info:
        MSE()(np.zeros((2, 1)), np.zeros((2, 3)))
    assert str(info.value).startswith("shape mismatch: y_pred has shape (2, 1) but y_true has "
                                      "shape (2, 3);")
    with pytest.raises(ValueError) as info:
        MSE()(np.zeros((2, 2)), [0.0, 1.0])                          # (N,) only for one output
    assert str(info.value).startswith("shape mismatch: y_pred has shape (2, 2) but y_true has "
                                      "shape (2,);")
    with pytest.raises(ValueError) as info:
        CrossEntropy()(np.zeros(3), [0, 1, 2])
    assert str(info.value) == "y_pred must be a 2-D array (n_samples, n_outputs), got shape (3,)"


def test_bce_refuses_probabilities_above_one_and_lists_ten_labels():
    with pytest.raises(ValueError, match=r"got values from 1.5 to 1.5$"):
        BinaryCrossEntropy()(np.array([[1.5]]), [1])
    y = np.arange(12.0).reshape(-1, 1) / 2                        # 0, 0.5, ..., 5.5
    with pytest.raises(ValueError) as info:
        BinaryCrossEntropy()(np.full((12, 1), 0.5), y)
    assert str(info.value) == ("labels out of range: binary targets must lie in [0, 1], got "
                               "[0.  0.5 1.  1.5 2.  2.5 3.  3.5 4.  4.5]")


class SquaredScale:
    """A layer of one's own with one parameter: out = s^2 z."""

    training = True

    def __init__(self):
        self.s, self.ds = np.array([1.5]), np.zeros(1)

    def forward(self, z):
        self.z = z
        return self.s[0] ** 2 * z

    def backward(self, grad_out):
        self.ds = np.array([2 * self.s[0] * np.sum(grad_out * self.z)])
        return self.s[0] ** 2 * grad_out

    def parameters(self):
        return [("s", self.s, self.ds)]


def test_check_layer_seed_step_and_integer_input():
    x = [[0.7, -0.3], [0.2, 1.1]]
    first, again = check_layer(Tanh(), x, seed=3), check_layer(Tanh(), x, seed=3)
    assert first.errors == again.errors                          # R comes from the seed
    assert check_layer(Tanh(), x).errors == check_layer(Tanh(), x, seed=0).errors
    assert check_layer(Tanh(), x, seed=1).errors != check_layer(Tanh(), x, seed=0).errors
    assert check_layer(Tanh(), [[1, 2]]).passed                  # integer input: converted
    assert check_layer(SquaredScale(), x).passed                 # a layer of one's own


class CubedScale(SquaredScale):
    """out = s^3 z: the central difference in s has error h^2 z (so the step h shows)."""

    def forward(self, z):
        self.z = z
        return self.s[0] ** 3 * z

    def backward(self, grad_out):
        self.ds = np.array([3 * self.s[0] ** 2 * np.sum(grad_out * self.z)])
        return self.s[0] ** 3 * grad_out


def test_check_layer_uses_the_step_for_parameters_too():
    x = [[0.7, -0.3], [0.2, 1.1]]
    assert check_layer(CubedScale(), x).passed
    coarse = check_layer(CubedScale(), x, h=0.5)
    assert coarse.errors["s"] > 1e-3 and not coarse.passed


def test_check_loss_converts_integer_predictions():
    assert check_loss("mse", [[1, 0]], [[0.5, 0.5]]).passed


def test_input_check_default_names():
    with pytest.raises(ValueError, match=r"^X contains NaN or infinity \(1 NaN, 0 inf values\)"):
        v.check_finite(np.array([np.nan]))
    with pytest.raises(ValueError) as info:
        v.check_n_features(np.zeros(3), 3)
    assert str(info.value) == "X must be a 2-D array (n_samples, n_features), got shape (3,)"
    with pytest.raises(ValueError) as info:
        v.check_n_features(np.zeros((1, 2)), 3)
    assert str(info.value) == ("shape mismatch: this layer expects 3 features per sample, but X "
                               "has shape (1, 2) (2 features)")
    with pytest.raises(ValueError, match=r"^X contains NaN"):
        v.as_float_array([np.inf])
    with pytest.raises(TypeError, match=r"^X must be numeric"):
        v.as_float_array(["a"])


@pytest.mark.parametrize("layer", [Sigmoid(), Tanh(), ReLU(), LeakyReLU(), ELU(), Softmax(),
                                   Identity(), Dropout(0.5)], ids=repr)
def test_every_layer_names_itself_for_bad_input_and_lets_nan_through(layer):
    with pytest.raises(TypeError) as info:
        layer.forward([["a", "b"]])
    assert str(info.value) == f"the input of {layer!r} must be numeric, got dtype <U1"
    out = layer.forward([[np.nan, 1.0]])                 # a list with NaN: converted, not refused
    assert isinstance(out, np.ndarray) and out.shape == (1, 2)


def test_identity_returns_its_input_itself():
    z = np.array([[1, 2]])
    assert Identity().forward(z) is z
    g = np.ones((1, 2))
    assert Identity().backward(g) is g


def test_dense_names_an_initializer_that_returns_no_array():
    def rows_of_zeros(n_in, n_out, rng=None, dtype=None):     # a list: it has no shape
        return [[0.0] * n_out] * n_in

    with pytest.raises(ValueError, match=r"returned shape None, not \(n_in, n_out\) = \(2, 3\)$"):
        Dense(2, 3, init=rows_of_zeros)


def test_dense_backward_names_a_grad_out_that_is_not_an_array():
    layer = Dense(3, 2, rng=0)
    layer.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"produced outputs of shape \(4, 2\), but grad_out has shape list"):
        layer.backward([[1.0, 2.0]] * 4)


def test_dense_refuses_a_3d_input_even_when_its_second_axis_fits():
    # (2, 3, 3) @ W would broadcast into a silent (2, 3, 2) answer
    with pytest.raises(ValueError, match=r"must be a 2-D array \(n_samples, n_features\), got shape \(2, 3, 3\)"):
        Dense(3, 2, rng=0).forward(np.zeros((2, 3, 3)))


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, ">i4"])
def test_negative_labels_are_caught_for_every_signed_dtype(monkeypatch, dtype):
    """Seen as unsigned, a negative label is huge: the one range test catches it. The
    unsigned view's dtype is worked out here afresh (the module keeps it in a cache)."""
    from course_lib import losses

    monkeypatch.setattr(losses, "_UNSIGNED", {})
    labels = np.array([0, -1, 2], dtype=dtype)
    with pytest.raises(ValueError, match=r"^labels out of range: logits have 4 classes, so labels "
                                         r"must lie in 0\.\.3; got labels from -1 to 2$"):
        CrossEntropy().forward(np.zeros((3, 4)), labels)
    seen = losses._UNSIGNED[labels.dtype]
    assert (seen.kind, seen.itemsize, seen.byteorder) == ("u", labels.dtype.itemsize, labels.dtype.byteorder)
    assert CrossEntropy().forward(np.zeros((3, 4)), np.array([0, 3, 2], dtype=dtype)) == pytest.approx(np.log(4))
