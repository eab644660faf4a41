"""bob builds on the base solution: he forgets the 1 + beta in the range and does not square beta*."""
import numpy as np


def momentum_eta_range(a, b, beta):
    return np.array([0.0, 2 / max(a, b)])


def best_momentum(a, b):
    kappa = max(a, b) / min(a, b)
    return np.array([4 / (np.sqrt(a) + np.sqrt(b)) ** 2, (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)])
