"""course_lib against PyTorch (float64): same weights and data must give the same losses,
the same gradients, and the same training trajectories.

Uses the ``torch`` fixture of conftest.py: skipped with a reason where PyTorch is missing,
a failure where COURSE_REQUIRE_REFERENCE_TOOLS=1 (CI).
"""
import numpy as np
import pytest

from course_lib import (ELU, SGD, Adam, AdamW, BinaryCrossEntropy, CrossEntropy, Dense, LeakyReLU,
                        MSE, Momentum, ReLU, RMSProp, Sigmoid, Softmax, Tanh, datasets, mlp, train)
from course_lib.layers import Identity
from course_lib.training import iterate_minibatches

TOL = 1e-10


@pytest.fixture(autouse=True)
def one_thread(torch):
    """These tensors are tiny: one thread is fastest, and does not fight the other tests for
    the cores (OpenMP threads spin while waiting, which is slow on a busy machine)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "elu"]


def torch_params(torch, model):
    """Leaf tensors holding copies of the model's parameters, in ``parameters()`` order."""
    return [torch.tensor(value.copy(), dtype=torch.float64, requires_grad=True)
            for _, value, _ in model.parameters()]


def torch_forward(torch, model, params, x):
    """The same network written with torch operations, layer by layer."""
    F = torch.nn.functional
    it = iter(params)
    for layer in model.layers:
        if isinstance(layer, Dense):
            W, b = next(it), next(it)
            x = x @ W + b
        elif isinstance(layer, Sigmoid):
            x = torch.sigmoid(x)
        elif isinstance(layer, Tanh):
            x = torch.tanh(x)
        elif isinstance(layer, ReLU):
            x = torch.relu(x)
        elif isinstance(layer, LeakyReLU):
            x = F.leaky_relu(x, negative_slope=layer.alpha)
        elif isinstance(layer, ELU):
            x = F.elu(x, alpha=layer.alpha)
        elif isinstance(layer, Softmax):
            x = torch.softmax(x, dim=1)
        elif isinstance(layer, Identity):
            pass
        else:  # pragma: no cover - a new layer type needs a line here
            raise NotImplementedError(type(layer).__name__)
    return x


def torch_loss(torch, loss, out, y):
    F = torch.nn.functional
    if isinstance(loss, MSE):
        return F.mse_loss(out, torch.as_tensor(y, dtype=torch.float64).reshape(out.shape))
    if isinstance(loss, BinaryCrossEntropy):
        return F.binary_cross_entropy(out, torch.as_tensor(y, dtype=torch.float64).reshape(out.shape))
    if isinstance(loss, CrossEntropy):
        return F.cross_entropy(out, torch.as_tensor(y, dtype=torch.int64))
    raise NotImplementedError(type(loss).__name__)  # pragma: no cover


def problem(loss_name, activation, seed=0, n=24):
    """A model, its loss and data (X, y) for one loss: classification or regression."""
    rng = np.random.default_rng(seed)
    if loss_name == "mse":
        X = rng.uniform(-2, 2, (n, 3))
        y = np.column_stack([np.sin(X[:, 0]) + X[:, 1], X[:, 2] ** 2])
        return mlp([3, 8, 6, 2], activation, seed=seed), MSE(), X, y
    if loss_name == "bce":
        X, y = datasets.moons(n, noise=0.2, seed=seed)
        return mlp([2, 8, 6, 1], activation, output="sigmoid", seed=seed), BinaryCrossEntropy(), X, y
    X, y = datasets.spirals(n, n_classes=3, seed=seed)
    return mlp([2, 8, 6, 3], activation, seed=seed), CrossEntropy(), X, y


def assert_close(ours, theirs, what):
    np.testing.assert_allclose(ours, theirs, rtol=TOL, atol=TOL * 1e-3, err_msg=what)


# --------------------------------------------------------------------------------------
# Same weights: same loss, same gradients
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("loss_name", ["mse", "bce", "cross_entropy"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_loss_and_gradients_match_pytorch(torch, activation, loss_name):
    model, loss, X, y = problem(loss_name, activation)
    value = loss(model.forward(X), y)
    grad_in = model.backward(loss.backward(), need_grad_in=True)

    params = torch_params(torch, model)
    x = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    t_value = torch_loss(torch, loss, torch_forward(torch, model, params, x), y)
    t_value.backward()

    assert_close(value, t_value.item(), "loss")
    assert_close(grad_in, x.grad.numpy(), "dL/dX")
    for (name, _, grad), p in zip(model.parameters(), params):
        assert_close(grad, p.grad.numpy(), name)


def test_softmax_output_layer_and_custom_slopes_match_pytorch(torch):
    from course_lib import Sequential
    rng = np.random.default_rng(1)
    model = Sequential([Dense(4, 6, rng=1), LeakyReLU(0.2), Dense(6, 5, rng=2), ELU(0.7),
                        Dense(5, 3, rng=3), Softmax()])
    X, y = rng.standard_normal((10, 4)), np.eye(3)[rng.integers(0, 3, 10)]
    loss = MSE()
    value = loss(model.forward(X), y)
    model.backward(loss.backward())
    params = torch_params(torch, model)
    t_value = torch_loss(torch, loss, torch_forward(torch, model, params,
                                                    torch.tensor(X, dtype=torch.float64)), y)
    t_value.backward()
    assert_close(value, t_value.item(), "loss")
    for (name, _, grad), p in zip(model.parameters(), params):
        assert_close(grad, p.grad.numpy(), name)


# --------------------------------------------------------------------------------------
# Same batches: same per-step losses with every optimizer
# --------------------------------------------------------------------------------------
def make_optimizers(torch, name, params):
    """(course_lib optimizer, torch optimizer) with the same hyper-parameters."""
    if name == "sgd":
        return SGD(0.1), torch.optim.SGD(params, lr=0.1)
    if name == "momentum":
        return Momentum(0.05, beta=0.9), torch.optim.SGD(params, lr=0.05, momentum=0.9)
    if name == "rmsprop":
        return (RMSProp(0.005, beta=0.9, eps=1e-8),
                torch.optim.RMSprop(params, lr=0.005, alpha=0.9, eps=1e-8))
    return (Adam(0.01, beta1=0.9, beta2=0.999, eps=1e-8),
            torch.optim.Adam(params, lr=0.01, betas=(0.9, 0.999), eps=1e-8))


def train_side_by_side(torch, model, loss, X, y, params, opt, t_opt, seed, min_steps):
    """Train course_lib's model and its PyTorch twin on the same mini-batches of 8 (whole epochs,
    at least ``min_steps`` steps); returns the per-step losses (ours, theirs)."""
    Xt = torch.tensor(X, dtype=torch.float64)
    rng = np.random.default_rng(seed)
    ours, theirs = [], []
    while len(ours) < min_steps:
        for idx in iterate_minibatches(len(X), 8, rng):
            ours.append(loss(model.forward(X[idx]), y[idx]))
            model.backward(loss.backward())
            opt.step(model)

            t_opt.zero_grad()
            t_loss = torch_loss(torch, loss, torch_forward(torch, model, params, Xt[idx]), y[idx])
            t_loss.backward()
            t_opt.step()
            theirs.append(t_loss.item())
    return ours, theirs


CONFIGS = [("mse", "elu"), ("bce", "tanh"), ("cross_entropy", "relu")]
STEPS = 120


@pytest.mark.parametrize("loss_name,activation", CONFIGS)
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "rmsprop", "adam"])
def test_per_step_losses_match_pytorch(torch, optimizer, loss_name, activation):
    model, loss, X, y = problem(loss_name, activation, seed=3, n=40)
    params = torch_params(torch, model)
    opt, t_opt = make_optimizers(torch, optimizer, params)
    ours, theirs = train_side_by_side(torch, model, loss, X, y, params, opt, t_opt, seed=5,
                                      min_steps=STEPS)
    assert len(ours) >= 100
    assert_close(ours, theirs, f"{optimizer}: per-step losses")
    for (name, value, _), p in zip(model.parameters(), params):
        assert_close(value, p.detach().numpy(), f"{optimizer}: final {name}")
    assert np.mean(ours[-5:]) < np.mean(ours[:5])   # it learned: the comparison is not trivial


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "rmsprop", "adam"])
def test_train_function_matches_pytorch(torch, optimizer):
    """course_lib.training.train itself (mini-batches of 10, shuffled with its seed)."""
    model, loss, X, y = problem("cross_entropy", "tanh", seed=4, n=50)
    params = torch_params(torch, model)
    opt, t_opt = make_optimizers(torch, optimizer, params)
    epochs, batch_size, seed = 25, 10, 11
    history = train(model, X, y, loss, opt, epochs=epochs, batch_size=batch_size, seed=seed)
    assert opt.t == epochs * 5 >= 100

    Xt = torch.tensor(X, dtype=torch.float64)
    rng = np.random.default_rng(seed)       # train's shuffling, reproduced
    per_epoch = []
    for _ in range(epochs):
        total = 0.0
        for idx in iterate_minibatches(len(X), batch_size, rng):
            t_opt.zero_grad()
            t_loss = torch_loss(torch, loss, torch_forward(torch, model, params, Xt[idx]), y[idx])
            t_loss.backward()
            t_opt.step()
            total += t_loss.item() * len(idx)
        per_epoch.append(total / len(X))
    assert_close(history.train_loss, per_epoch, f"{optimizer}: per-epoch train loss")
    for (name, value, _), p in zip(model.parameters(), params):
        assert_close(value, p.detach().numpy(), f"{optimizer}: final {name}")


# --------------------------------------------------------------------------------------
# BinaryCrossEntropy(from_logits=True) against BCEWithLogitsLoss; AdamW against AdamW
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("scale", [1.0, 30.0, 1e4])
def test_bce_from_logits_matches_bce_with_logits_loss(torch, scale):
    rng = np.random.default_rng(7)
    z = scale * rng.standard_normal((12, 2))
    z[0, 0], z[1, 1] = -40.0, 40.0                      # confidently wrong / right
    y = rng.uniform(0, 1, (12, 2))
    y[:6] = np.round(y[:6])                              # hard and soft targets
    y[0, 0], y[1, 1] = 1.0, 0.0
    loss = BinaryCrossEntropy(from_logits=True)
    value = loss(z, y)
    grad = loss.backward()

    zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    t_value = torch.nn.BCEWithLogitsLoss()(zt, torch.tensor(y, dtype=torch.float64))
    t_value.backward()
    assert_close(value, t_value.item(), "loss")
    assert_close(grad, zt.grad.numpy(), "dL/dz")
    assert grad[0, 0] == pytest.approx(-1 / z.size, rel=1e-12)   # does not vanish at z = -40


def test_logit_network_with_fused_bce_matches_pytorch(torch):
    X, y = datasets.moons(24, noise=0.2, seed=2)
    model = mlp([2, 8, 1], "tanh", seed=2)               # no Sigmoid layer: logits out
    loss = BinaryCrossEntropy(from_logits=True)
    value = loss(model.forward(X), y)
    model.backward(loss.backward())
    params = torch_params(torch, model)
    out = torch_forward(torch, model, params, torch.tensor(X, dtype=torch.float64))
    t_value = torch.nn.functional.binary_cross_entropy_with_logits(
        out, torch.tensor(y, dtype=torch.float64).reshape(-1, 1))
    t_value.backward()
    assert_close(value, t_value.item(), "loss")
    for (name, _, grad), p in zip(model.parameters(), params):
        assert_close(grad, p.grad.numpy(), name)


@pytest.mark.parametrize("weight_decay", [0.0, 0.01, 0.3])
def test_adamw_matches_pytorch_adamw(torch, weight_decay):
    """Several steps; course_lib decays weights only, so PyTorch gets two parameter groups."""
    model, loss, X, y = problem("cross_entropy", "relu", seed=6, n=40)
    params = torch_params(torch, model)
    names = [name for name, _, _ in model.parameters()]
    weights = [p for name, p in zip(names, params) if name.endswith(".W")]
    biases = [p for name, p in zip(names, params) if name.endswith(".b")]
    opt = AdamW(0.02, beta1=0.85, beta2=0.99, eps=1e-8, weight_decay=weight_decay)
    t_opt = torch.optim.AdamW([{"params": weights, "weight_decay": weight_decay},
                               {"params": biases, "weight_decay": 0.0}],
                              lr=0.02, betas=(0.85, 0.99), eps=1e-8)
    ours, theirs = train_side_by_side(torch, model, loss, X, y, params, opt, t_opt, seed=8,
                                      min_steps=30)
    assert len(ours) == 30
    assert_close(ours, theirs, "AdamW: per-step losses")
    for (name, value, _), p in zip(model.parameters(), params):
        assert_close(value, p.detach().numpy(), f"AdamW: final {name}")


def test_adamw_on_all_parameters_differs_from_pytorch_only_in_the_biases(torch):
    """PyTorch's default (every parameter decayed) moves the biases differently: proof that
    the bias convention matters and that the test above is not trivially true."""
    model, loss, X, y = problem("cross_entropy", "relu", seed=6, n=40)
    params = torch_params(torch, model)
    opt, t_opt = AdamW(0.02, weight_decay=0.3), torch.optim.AdamW(params, lr=0.02, weight_decay=0.3)
    for _ in range(3):
        loss(model.forward(X), y)
        model.backward(loss.backward())
        opt.step(model)
        t_opt.zero_grad()
        torch_loss(torch, loss, torch_forward(torch, model, params,
                                              torch.tensor(X, dtype=torch.float64)), y).backward()
        t_opt.step()
    b_ours, b_torch = model.parameters()[1][1], params[1].detach().numpy()
    assert np.max(np.abs(b_ours - b_torch)) > 1e-4
