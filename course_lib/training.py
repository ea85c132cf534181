"""``train``: the training loop, and what it records.

One epoch = one pass over the data in batches. For each batch:
    y_pred = model.forward(X_batch)             forward pass
    L      = loss(y_pred, y_batch)              how wrong
    model.backward(loss.backward())             chain rule: every dW, db
    (+ L1/L2 penalty gradients)
    optimizer.step(model)                       theta <- theta - lr * (something of g)

batch_size=None: full batch (one step per epoch); 1: stochastic; k: mini-batches of k.
"""
import numbers
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_float_array, as_rng
from .losses import BinaryCrossEntropy, CrossEntropy, get_loss
from .metrics import accuracy
from .network import Sequential
from .optimizers import Optimizer
from .regularization import add_penalty_gradients

#: show a progress bar by default when a run makes at least this many optimizer steps
PROGRESS_MIN_STEPS = 20_000
#: train() checks the model's outputs on at most this many rows before it starts
CHECK_ROWS = 128
#: a parameter larger than this in absolute value means training diverged (History.diverged)
DIVERGED_WEIGHT = 1e100


@dataclass
class History:
    """What ``train`` records, one entry per epoch.

    ``train_loss`` is the mean data loss over the epoch's batches (penalties excluded, so
    it compares with ``val_loss``); ``val_loss`` is measured after the epoch, dropout off.

    ``diverged`` is True when training stopped because, at the end of an epoch, the
    training loss was NaN or infinite, or a parameter was NaN, infinite or larger in
    absolute value than ``DIVERGED_WEIGHT`` (1e100): weights that large come from a
    learning rate far too large, never from learning, and are a few steps from overflow.
    The last entry of ``train_loss`` is that epoch's.
    """

    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False
    diverged: bool = False

    @property
    def epochs(self):
        return len(self.train_loss)

    def __repr__(self):
        parts = [f"epochs={self.epochs}"]
        if self.train_loss:
            parts.append(f"train_loss={self.train_loss[-1]:.4f}")
        if self.val_loss:
            parts.append(f"val_loss={self.val_loss[-1]:.4f}")
        if self.diverged:
            parts.append("diverged")
        if self.stopped_early:
            parts.append(f"stopped early, best epoch {self.best_epoch}")
        return f"History({', '.join(parts)})"


class EarlyStopping:
    """Stop when the monitored loss has not improved by ``min_delta`` for ``patience`` epochs.

    Monitors the validation loss when there is validation data, else the training loss.
    ``restore_best=True`` puts back the weights of the best epoch at the end.
    """

    def __init__(self, patience=10, min_delta=0.0, restore_best=True):
        if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 1:
            raise ValueError(f"patience must be a positive integer, got {patience!r}")
        if (isinstance(min_delta, bool) or not isinstance(min_delta, numbers.Real)
                or not np.isfinite(min_delta) or min_delta < 0):
            raise ValueError(f"min_delta must be a non-negative number, got {min_delta!r}")
        if not isinstance(restore_best, (bool, np.bool_)):
            raise TypeError(f"restore_best must be True or False, got {restore_best!r}")
        self.patience = int(patience)
        self.min_delta = float(min_delta)
        self.restore_best = bool(restore_best)
        self.reset()

    def reset(self):
        self.best = np.inf
        self.best_epoch = None
        self.wait = 0
        self.best_params = None

    def update(self, epoch, value, model=None):
        """Record this epoch's loss; return True when training should stop."""
        if value < self.best - self.min_delta:
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best and model is not None:
                self.best_params = [v.copy() for _, v, _ in model.parameters()]
            return False
        self.wait += 1
        return self.wait >= self.patience

    def restore(self, model):
        if self.restore_best and self.best_params is not None:
            for (_, value, _), best in zip(model.parameters(), self.best_params):
                value[...] = best


def iterate_minibatches(n_samples, batch_size, rng=None, shuffle=True):
    """Yield index arrays that cover ``range(n_samples)`` once, in batches of ``batch_size``.

    The last batch is smaller when ``batch_size`` does not divide ``n_samples``.
    """
    for name, value, low in (("n_samples", n_samples, 0), ("batch_size", batch_size, 1)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    order = as_rng(rng).permutation(n_samples) if shuffle else np.arange(n_samples)
    for start in range(0, n_samples, batch_size):
        yield order[start:start + batch_size]


def _check_batch_size(batch_size, n):
    if batch_size is None:
        return n
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral):
        raise TypeError(f"batch_size must be an integer or None (full batch), got {batch_size!r}")
    if not 1 <= batch_size <= n:
        raise ValueError(
            f"batch_size out of range: must be between 1 and the number of samples ({n}), "
            f"or None for full batch; got {batch_size}"
        )
    return int(batch_size)


def _check_data(model, loss, X, y, what):
    X = as_float_array(X, f"X{what}", ndim=2)
    if X.shape[0] == 0:
        raise ValueError(f"no samples: X{what} has shape {X.shape}; training needs at least one row")
    if model.n_in is not None and X.shape[1] != model.n_in:
        raise ValueError(
            f"shape mismatch: the model's first layer expects {model.n_in} features, "
            f"but X{what} has shape {X.shape}"
        )
    y_arr = np.asarray(y)
    if y_arr.shape[:1] != X.shape[:1]:
        raise ValueError(
            f"shape mismatch: X{what} has {X.shape[0]} samples but y{what} has shape {y_arr.shape}"
        )
    # One checked forward pass converts the targets and validates them against the outputs.
    # It runs on the first CHECK_ROWS rows only: on large data a pass over all of X would
    # cost a good part of an epoch. The first output row, repeated (a broadcast view, no
    # copy), stands in for the other rows' outputs, so every target is still checked.
    out = model.predict(X[:CHECK_ROWS])                        # (m, K), m <= CHECK_ROWS
    if len(out) < len(X):
        stand_in = np.broadcast_to(out[:1], (len(X),) + out.shape[1:])    # (N, K)
        _, y_checked = loss.check(stand_in, y)          # every target, against (N, K)
        loss.check(out, y_checked[:len(out)])           # the real outputs: finite, in range
        return X, y_checked
    _, y_checked = loss.check(out, y)
    return X, y_checked


def _diverged(epoch_loss, model):
    """True when the loss is NaN or inf, or a parameter is NaN, inf or beyond DIVERGED_WEIGHT."""
    if not np.isfinite(epoch_loss):
        return True
    # NaN fails every comparison, so "not (max |theta| <= limit)" catches NaN, inf and huge
    return any(value.size and not np.abs(value).max() <= DIVERGED_WEIGHT
               for _, value, _ in model.parameters())


def _accuracy(loss, y, out):
    """Accuracy of outputs ``out``; logits of a fused BCE are class 1 where z > 0 (p > 0.5)."""
    if getattr(loss, "from_logits", False):
        out = (out > 0).astype(np.int64)
    return accuracy(y, out)


class _closing:
    """Close the progress bar (if any) however the loop ends."""

    def __init__(self, bar):
        self.bar = bar

    def __enter__(self):
        return self.bar

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()


def _progress_bar(total, enabled):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="training", unit="epoch", leave=False)


def train(model, X, y, loss, optimizer, epochs, batch_size=None, validation_data=None,
          shuffle=True, seed=0, l1=0.0, l2=0.0, early_stopping=None, accuracy_metric=False,
          progress=None, callback=None):
    """Train ``model`` on ``(X, y)``; return a ``History``.

    Parameters
    ----------
    model : Sequential
    X : array (N, D);  y : targets, (N, K) or (N,) (integer labels for CrossEntropy)
    loss : a Loss instance or a name ("mse", "bce", "cross_entropy")
    optimizer : an Optimizer instance (SGD, Momentum, RMSProp, Adam)
    epochs : number of passes over the data
    batch_size : None (full batch), 1 (stochastic) or k (mini-batch)
    validation_data : optional (X_val, y_val), evaluated after every epoch
    shuffle, seed : shuffle the samples each epoch, with a generator seeded by ``seed``
    l1, l2 : weight-penalty strengths (see ``course_lib.regularization``)
    early_stopping : None or False (off), True (``EarlyStopping()``: patience 10), an int
        patience, or an ``EarlyStopping``
    accuracy_metric : also record accuracy (classification)
    progress : None (a bar for long runs only), True or False
    callback : ``callback(epoch, history)`` after each epoch; returning True stops training

    Returns a ``History``; ``history.diverged`` tells whether training blew up (see there).
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a course_lib Sequential, got {type(model).__name__}")
    loss = get_loss(loss)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be a course_lib optimizer such as SGD(lr=0.1), got {optimizer!r}"
        )
    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    for name, lam in (("l1", l1), ("l2", l2)):
        if not (isinstance(lam, numbers.Real) and not isinstance(lam, bool) and np.isfinite(lam)
                and lam >= 0):
            raise ValueError(f"{name} must be a non-negative number, got {lam!r}")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function callback(epoch, history), got {callback!r}")
    rng = as_rng(seed)
    X, y = _check_data(model, loss, X, y, "")
    n = X.shape[0]
    batch_size = _check_batch_size(batch_size, n)
    if validation_data is not None:
        if len(validation_data) != 2:
            raise ValueError("validation_data must be a pair (X_val, y_val)")
        X_val, y_val = _check_data(model, loss, *validation_data, "_val")
    if early_stopping is True:
        early_stopping = EarlyStopping()
    elif early_stopping is False:
        early_stopping = None
    elif isinstance(early_stopping, numbers.Integral):
        early_stopping = EarlyStopping(patience=early_stopping)
    elif early_stopping is not None and not isinstance(early_stopping, EarlyStopping):
        raise TypeError("early_stopping must be None, True, False, an int patience or an "
                        f"EarlyStopping(patience=...), got {early_stopping!r}")
    if early_stopping is not None:
        early_stopping.reset()

    history = History()
    n_batches = -(-n // batch_size)
    show = progress if progress is not None else epochs * n_batches >= PROGRESS_MIN_STEPS
    bar = _progress_bar(epochs, show)
    model.train()
    # a learning rate that is too large makes the weights overflow; we report that as
    # history.diverged instead of a screen of NumPy warnings
    with np.errstate(over="ignore", invalid="ignore"), _closing(bar):
        for epoch in range(epochs):
            total, correct = 0.0, 0.0
            for idx in iterate_minibatches(n, batch_size, rng, shuffle):
                xb, yb = (X, y) if batch_size == n and not shuffle else (X[idx], y[idx])
                y_pred = model.forward(xb)                                # 1. forward
                total += loss._forward(y_pred, yb) * len(idx)             # 2. loss
                if accuracy_metric:
                    correct += _accuracy(loss, yb, y_pred) * len(idx)
                model.backward(loss.backward(), need_grad_in=False)       # 3. backward
                add_penalty_gradients(model, l1, l2)                      #    (+ L1/L2 share)
                optimizer.step(model)                                     # 4. update
            history.train_loss.append(total / n)
            if accuracy_metric:
                history.train_accuracy.append(correct / n)
            if validation_data is not None:
                model.eval()
                out = model.forward(X_val)
                model.train()
                history.val_loss.append(loss._forward(out, y_val))
                if accuracy_metric:
                    history.val_accuracy.append(_accuracy(loss, y_val, out))
            if _diverged(history.train_loss[-1], model):
                history.diverged = True  # no point going on
                break
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{history.train_loss[-1]:.4f}")
            if early_stopping is not None:
                monitored = history.val_loss[-1] if history.val_loss else history.train_loss[-1]
                if early_stopping.update(epoch, monitored, model):
                    history.stopped_early = True
                    break
            if callback is not None and callback(epoch, history):
                break
    if early_stopping is not None:
        history.best_epoch = early_stopping.best_epoch
        early_stopping.restore(model)
    return history


def evaluate(model, X, y, loss):
    """Loss (and accuracy, for classification) of ``model`` on ``(X, y)``, dropout off."""
    loss = get_loss(loss)
    out = model.predict(X)
    value = loss.forward(out, y)
    result = {"loss": value}
    if isinstance(loss, (CrossEntropy, BinaryCrossEntropy)):
        result["accuracy"] = _accuracy(loss, y, out)
    return result
