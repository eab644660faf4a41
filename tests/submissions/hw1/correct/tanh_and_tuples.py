"""Correct, with a tanh-based sigmoid and tuples instead of arrays wherever possible."""
import numpy as np


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def forward(x, W1, W2):
    z = np.dot(W1, x)
    h = sigmoid(z)
    return (z, h, np.dot(W2, h))


def loss(y_hat, y):
    return sum((a - b) ** 2 for a, b in zip(y_hat, y))


def dE_dyhat(y_hat, y):
    return tuple(2 * (a - b) for a, b in zip(y_hat, y))


def dh_dz(z):
    # sigma'(z) = (1 - tanh(z/2)^2) / 4
    t = np.tanh(0.5 * np.asarray(z, dtype=float))
    return tuple(tuple((1 - t[i] ** 2) / 4 if i == j else 0.0 for j in range(len(t))) for i in range(len(t)))


def dz_dW1(x, m):
    n = len(x)
    return tuple(tuple(x[c % n] if c // n == i else 0.0 for c in range(m * n)) for i in range(m))


def dyhat_dW2(h, q):
    return dz_dW1(h, q)


def dz_dx(W1):
    return tuple(map(tuple, W1))


def dyhat_dh(W2):
    return tuple(map(tuple, W2))


def dE_dh(x, y, W1, W2):
    *_, y_hat = forward(x, W1, W2)
    return tuple(np.dot(np.asarray(W2).T, np.asarray(dE_dyhat(y_hat, y))))


def dE_dz(x, y, W1, W2):
    z, _, _ = forward(x, W1, W2)
    return tuple(np.asarray(dh_dz(z)) @ np.asarray(dE_dh(x, y, W1, W2)))


def dE_dx(x, y, W1, W2):
    return tuple(np.asarray(W1).T @ np.asarray(dE_dz(x, y, W1, W2)))


def dE_dW2(x, y, W1, W2):
    _, h, y_hat = forward(x, W1, W2)
    return tuple(tuple(g * hj for hj in h) for g in dE_dyhat(y_hat, y))


def dE_dW1(x, y, W1, W2):
    return tuple(tuple(g * xk for xk in x) for g in dE_dz(x, y, W1, W2))


def grad_L(w, a, b):
    return (a * w[0], b * w[1])


def gd_step(w, a, b, eta):
    g = grad_L(w, a, b)
    return (w[0] - eta * g[0], w[1] - eta * g[1])


def rho(a, b, eta):
    return (1 - a * eta, 1 - b * eta)


def eta_range(a, b):
    return (0.0, 2.0 / max(a, b))


def monotone_eta_range(a, b):
    return (0.0, 1.0 / max(a, b))


def best_eta(a, b):
    return 2.0 / (a + b)


def best_rate(a, b):
    return abs(a - b) / (a + b)
