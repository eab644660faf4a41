"""Erin: some answers raise errors (a typo, a shape clash), the rest are right."""
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def forward(x, W1, W2):
    z = W1 @ x
    h = sigmoid(z)
    return z, h, W2 @ h


def loss(y_hat, y):
    return float(np.sum((y_hat - y_true) ** 2))  # noqa: F821 - the typo is the point


def dE_dyhat(y_hat, y):
    return 2 * (y_hat - y)


def dh_dz(z):
    s = sigmoid(z)
    return np.diag(s * (1 - s))


def dz_dW1(x, m):
    return np.kron(np.eye(m), x[None, :])


def dyhat_dW2(h, q):
    return np.kron(np.eye(q), h[None, :])


def dz_dx(W1):
    return np.array(W1, dtype=float)


def dyhat_dh(W2):
    return np.array(W2, dtype=float)


def dE_dh(x, y, W1, W2):
    _, _, y_hat = forward(x, W1, W2)
    return W2.T @ dE_dyhat(y_hat, y)


def dE_dz(x, y, W1, W2):
    z, h, _ = forward(x, W1, W2)
    return dE_dh(x, y, W1, W2) * h * (1 - h)


def dE_dx(x, y, W1, W2):
    return W1 @ dE_dz(x, y, W1, W2)  # W1 where W1.T belongs: raises unless m == n


def dE_dW2(x, y, W1, W2):
    _, h, y_hat = forward(x, W1, W2)
    return np.outer(dE_dyhat(y_hat, y), h)


def dE_dW1(x, y, W1, W2):
    return np.outer(dE_dz(x, y, W1, W2), x)


def grad_L(w, a, b):
    return np.array([a * w[0], b * w[1]])


def gd_step(w, a, b, eta):
    return w - eta * grad_L(w, a, b)


def rho(a, b, eta):
    return np.array([1 - a * eta, 1 - b * eta])


def eta_range(a, b):
    raise ValueError("TODO: finish this one")


def monotone_eta_range(a, b):
    return np.array([0.0, 1 / max(a, b)])


def best_eta(a, b):
    return 2 / (a + b)


def best_rate(a, b):
    return abs(a - b) / (a + b)
