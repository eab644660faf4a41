"""carol builds on the base solution: + beta in her matrix, which her momentum_rate inherits."""
import numpy as np


def momentum_matrix(c, eta, beta):
    return np.array([[1 + beta - eta * c, beta], [1.0, 0.0]])
