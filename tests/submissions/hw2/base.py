"""A correct student solution of hw2 (momentum); the mistake library (mistakes/*.py) appends
wrong redefinitions to it. momentum_rate uses numpy.linalg.eigvals on the student's own matrix,
which SPEC section 6 says must get full marks (accurate to about 1e-8 at a double root)."""
import numpy as np


def momentum_step(w, w_prev, a, b, eta, beta):
    w = np.asarray(w, dtype=float)
    w_prev = np.asarray(w_prev, dtype=float)
    grad = np.array([a, b]) * w
    return w - eta * grad + beta * (w - w_prev)


def momentum_matrix(c, eta, beta):
    return np.array([[1 + beta - eta * c, -beta], [1.0, 0.0]])


def momentum_rate(a, b, eta, beta):
    return float(max(np.max(np.abs(np.linalg.eigvals(momentum_matrix(c, eta, beta)))) for c in (a, b)))


def momentum_eta_range(a, b, beta):
    return np.array([0.0, 2 * (1 + beta) / max(a, b)])


def best_momentum(a, b):
    kappa = max(a, b) / min(a, b)
    eta = 4 / (np.sqrt(a) + np.sqrt(b)) ** 2
    beta = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    return np.array([eta, beta])


def best_momentum_rate(a, b):
    kappa = max(a, b) / min(a, b)
    return (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
