"""erin builds on the base solution: her best_momentum_rate divides by zero when a == b."""
import numpy as np


def best_momentum_rate(a, b):
    kappa = max(a, b) / min(a, b)
    if kappa == 1:
        raise ZeroDivisionError("kappa is 1")
    return (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
