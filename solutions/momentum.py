"""Reference solution: heavy-ball momentum on L(w) = 0.5 (a w1^2 + b w2^2), a, b > 0.

    w(t+1) = w(t) - eta grad L(w(t)) + beta (w(t) - w(t-1))

Per coordinate with curvature c the state (w_t, w_{t-1}) evolves by
M = [[1 + beta - eta c, -beta], [1, 0]], whose eigenvalues solve
lambda^2 - (1 + beta - eta c) lambda + beta = 0. Complex roots have modulus sqrt(beta); real
ones the larger modulus (|t| + sqrt(t^2 - 4 beta)) / 2 with t = 1 + beta - eta c. For
0 <= beta < 1 the iteration converges iff 0 < eta < 2 (1 + beta) / c for both curvatures.
Polyak's choice makes both coordinates' roots double, of modulus (sqrt(kappa) - 1) /
(sqrt(kappa) + 1): the square root of GD's condition number.
"""

import numpy as np


def momentum_step(w, w_prev, a, b, eta, beta):
    w = np.asarray(w, dtype=np.float64)
    w_prev = np.asarray(w_prev, dtype=np.float64)
    gradient = np.array([a * w[0], b * w[1]])
    return w - eta * gradient + beta * (w - w_prev)


def momentum_matrix(c, eta, beta):
    return np.array([[1.0 + beta - eta * c, -beta], [1.0, 0.0]])


def momentum_rate(a, b, eta, beta):
    """The largest eigenvalue modulus over both coordinates, from the quadratic's roots."""
    rates = []
    for c in (a, b):
        t = 1.0 + beta - eta * c
        discriminant = t * t - 4.0 * beta
        rates.append(np.sqrt(beta) if discriminant < 0 else (abs(t) + np.sqrt(discriminant)) / 2.0)
    return float(max(rates))


def momentum_eta_range(a, b, beta):
    return np.array([0.0, 2.0 * (1.0 + beta) / max(a, b)])


def best_momentum(a, b):
    """Polyak's heavy ball: both coordinates get a double root of the same modulus."""
    root_a, root_b = np.sqrt(a), np.sqrt(b)
    eta = 4.0 / (root_a + root_b) ** 2
    beta = ((root_a - root_b) / (root_a + root_b)) ** 2
    return np.array([eta, beta])


def best_momentum_rate(a, b):
    """(sqrt(kappa) - 1) / (sqrt(kappa) + 1), kappa = max(a, b) / min(a, b)."""
    root_a, root_b = np.sqrt(a), np.sqrt(b)
    return float(abs(root_a - root_b) / (root_a + root_b))
