"""Weight penalties. They apply to weights ``W`` only, never to biases.

    L2:                 penalty = lambda/2 * sum W^2      d penalty / dW = lambda W
    (with SGD an L2 penalty is the same as weight decay; with Adam it is not, because Adam
    rescales the gradient: decoupled weight decay is ``optimizers.AdamW``)
    L1 (sparsity):      penalty = lambda * sum |W|        d penalty / dW = lambda sign(W)
"""
import numpy as np

from ._validation import check_non_negative


def _weights(model):
    return [(value, grad) for name, value, grad in model.parameters() if name.endswith(".W")]


def l2_penalty(model, lam):
    """lambda/2 * (sum of squared weights over all Dense layers)."""
    lam = check_non_negative(lam, "lam")
    return 0.5 * lam * float(sum(np.sum(W * W) for W, _ in _weights(model)))


def l1_penalty(model, lam):
    """lambda * (sum of absolute weights over all Dense layers)."""
    lam = check_non_negative(lam, "lam")
    return lam * float(sum(np.sum(np.abs(W)) for W, _ in _weights(model)))


def add_penalty_gradients(model, l1=0.0, l2=0.0):
    """Add the penalties' gradients to each layer's dW, in place (after ``backward``)."""
    if not (l1 or l2):
        return
    for W, dW in _weights(model):
        if l2:
            dW += l2 * W
        if l1:
            dW += l1 * np.sign(W)
