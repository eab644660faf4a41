"""Correct, the efficient way: vector-Jacobian products, never an explicit Jacobian in the
chained gradients; sigma' from h; GD answers from the contraction factors."""
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1 + ez)
    return out


def forward(x, W1, W2):
    z = W1 @ x
    h = sigmoid(z)
    y_hat = W2 @ h
    return z, h, y_hat


def loss(y_hat, y):
    return float(np.linalg.norm(y_hat - y) ** 2)


def dE_dyhat(y_hat, y):
    return 2 * (np.asarray(y_hat) - np.asarray(y))


def dh_dz(z):
    h = sigmoid(z)
    J = np.zeros((len(h), len(h)))
    np.fill_diagonal(J, h * (1 - h))
    return J


def dz_dW1(x, m):
    return np.kron(np.eye(m), np.atleast_2d(x))


def dyhat_dW2(h, q):
    return np.kron(np.eye(q), np.reshape(h, (1, -1)))


def dz_dx(W1):
    return np.asarray(W1, dtype=float)


def dyhat_dh(W2):
    return np.asarray(W2, dtype=float)


def _backward(x, y, W1, W2):
    z, h, y_hat = forward(x, W1, W2)
    g_yhat = 2 * (y_hat - y)
    g_h = W2.T @ g_yhat
    g_z = g_h * h * (1 - h)
    return {"h": g_h, "z": g_z, "x": W1.T @ g_z, "W2": np.outer(g_yhat, h), "W1": np.outer(g_z, x)}


def dE_dh(x, y, W1, W2):
    return _backward(x, y, W1, W2)["h"]


def dE_dz(x, y, W1, W2):
    return _backward(x, y, W1, W2)["z"]


def dE_dx(x, y, W1, W2):
    return _backward(x, y, W1, W2)["x"]


def dE_dW2(x, y, W1, W2):
    return _backward(x, y, W1, W2)["W2"]


def dE_dW1(x, y, W1, W2):
    return _backward(x, y, W1, W2)["W1"]


def grad_L(w, a, b):
    return np.array([a, b]) * np.asarray(w, dtype=float)


def gd_step(w, a, b, eta):
    return np.asarray(w, dtype=float) * rho(a, b, eta)


def rho(a, b, eta):
    return 1 - eta * np.array([a, b], dtype=float)


def eta_range(a, b):
    # |1 - eta c| < 1  <=>  0 < eta < 2 / c, for both curvatures
    return np.array([0.0, min(2 / a, 2 / b)])


def monotone_eta_range(a, b):
    return np.array([0.0, min(1 / a, 1 / b)])


def best_eta(a, b):
    return float(2 / (a + b))


def best_rate(a, b):
    return float(abs(rho(a, b, best_eta(a, b))[0]))
