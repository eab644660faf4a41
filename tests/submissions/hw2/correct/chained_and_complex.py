"""Correct, built from its own pieces: the step as the matrix applied to the state, the rate from
cmath's square root of the discriminant, and the best rate as momentum_rate at best_momentum
(which carries the rounding of a double root, about 1e-8)."""
import cmath

import numpy as np


def momentum_matrix(c, eta, beta):
    M = np.zeros((2, 2))
    M[0, 0] = 1 + beta - eta * c
    M[0, 1] = -beta
    M[1, 0] = 1
    return M


def momentum_step(w, w_prev, a, b, eta, beta):
    new = np.empty(2)
    for i, c in enumerate((a, b)):
        new[i] = (momentum_matrix(c, eta, beta) @ np.array([w[i], w_prev[i]]))[0]
    return new


def momentum_rate(a, b, eta, beta):
    rates = []
    for c in (a, b):
        t = 1 + beta - eta * c
        d = cmath.sqrt(t * t - 4 * beta)
        rates.append(max(abs((t + d) / 2), abs((t - d) / 2)))
    return max(rates)


def momentum_eta_range(a, b, beta):
    stiff = a if a > b else b
    return np.array([0.0, 2.0 * (1 + beta) / stiff])


def best_momentum(a, b):
    kappa = a / b if a > b else b / a
    beta = ((kappa**0.5 - 1) / (kappa**0.5 + 1)) ** 2
    eta = (1 + beta**0.5) ** 2 / max(a, b)
    return np.array([eta, beta])


def best_momentum_rate(a, b):
    return momentum_rate(a, b, *best_momentum(a, b))
