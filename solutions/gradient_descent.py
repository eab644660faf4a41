"""Reference solution: gradient descent on L(w) = 0.5 (a w1^2 + b w2^2), a, b > 0.

One GD step multiplies each coordinate by rho_i = 1 - eta * curvature_i. GD converges from
every start iff |rho_i| < 1 for both, i.e. 0 < eta < 2 / max(a, b) (the stability bound).
No coordinate changes sign iff 0 < rho_i < 1, i.e. 0 < eta < 1 / max(a, b) (the monotone
bound). The trap: min(1/a, 1/b) = 1/max(a, b) is the monotone bound, not the stability one.
"""

import numpy as np


def grad_L(w, a, b):
    w = np.asarray(w, dtype=np.float64)
    return np.array([a * w[0], b * w[1]])


def gd_step(w, a, b, eta):
    return np.asarray(w, dtype=np.float64) - eta * grad_L(w, a, b)


def rho(a, b, eta):
    return np.array([1.0 - a * eta, 1.0 - b * eta])


def eta_range(a, b):
    return np.array([0.0, 2.0 / max(a, b)])


def monotone_eta_range(a, b):
    return np.array([0.0, 1.0 / max(a, b)])


def best_eta(a, b):
    """Balances the two contraction factors: 1 - a eta = -(1 - b eta)."""
    return 2.0 / (a + b)


def best_rate(a, b):
    """(kappa - 1) / (kappa + 1) with kappa = max/min: near 1, i.e. slow, when a/b is large."""
    return abs(a - b) / (a + b)
