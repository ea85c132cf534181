"""course_lib: the companion NumPy library of "How Neural Networks Learn".

The numerical core (activations, layers, losses, network, optimizers, initializers,
regularization, training, gradcheck, datasets, the lessons' experiments and the playground's
training state) imports only NumPy and tqdm. ``plots`` and
``widgets`` (presentation) and ``checks`` / ``grading`` (grading) build on it and are imported
on demand: ``from course_lib import plots``.
"""
__version__ = "0.1.0"

from . import activations, datasets, gradcheck, initializers, layers, losses, network, optimizers
from . import regularization, training
from .layers import (ELU, Dense, Dropout, Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh)
from .losses import MSE, BinaryCrossEntropy, CrossEntropy
from .network import Sequential, mlp
from .neuron import Neuron
from .optimizers import SGD, Adam, AdamW, Momentum, RMSProp
from .training import EarlyStopping, History, train

__all__ = [
    "Neuron", "Dense", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "Softmax", "Identity",
    "Dropout", "Sequential", "mlp", "MSE", "BinaryCrossEntropy", "CrossEntropy", "SGD",
    "Momentum", "RMSProp", "Adam", "AdamW", "train", "History", "EarlyStopping", "activations",
    "datasets", "gradcheck", "initializers", "layers", "losses", "network", "optimizers",
    "regularization", "training",
]
