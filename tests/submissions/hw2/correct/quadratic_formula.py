"""Correct, in another style: plain floats and lists, the rate from the roots of the
characteristic polynomial (np.roots), best_momentum through sqrt(a) and sqrt(b)."""
import math

import numpy as np


def momentum_step(w, w_prev, a, b, eta, beta):
    out = []
    for wi, pi, c in zip(w, w_prev, (a, b)):
        out.append(wi - eta * c * wi + beta * (wi - pi))
    return out


def momentum_matrix(c, eta, beta):
    return [[1.0 + beta - eta * c, -beta], [1.0, 0.0]]


def momentum_rate(a, b, eta, beta):
    worst = 0.0
    for c in (a, b):
        roots = np.roots([1.0, -(1.0 + beta - eta * c), beta])
        worst = max(worst, float(np.max(np.abs(roots))))
    return worst


def momentum_eta_range(a, b, beta):
    return (0, 2.0 * (1.0 + beta) / max(a, b))


def best_momentum(a, b):
    ra, rb = math.sqrt(a), math.sqrt(b)
    return (4.0 / (ra + rb) ** 2, ((ra - rb) / (ra + rb)) ** 2)


def best_momentum_rate(a, b):
    ra, rb = math.sqrt(a), math.sqrt(b)
    return abs(ra - rb) / (ra + rb)
