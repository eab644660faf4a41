"""Reference solution: backpropagation through a two-layer sigmoid network (SPEC section 3).

Conventions: x (n,), W1 (m, n), W2 (q, m), y (q,); z = W1 x, h = sigma(z), y_hat = W2 h,
E = ||y_hat - y||^2. Jacobians are (len(output), len(input)); a Jacobian with respect to a
matrix flattens it in row-major order. Everything is float64.
"""

from __future__ import annotations

import numpy as np


def _as_float(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def sigmoid(z):
    """Elementwise logistic function, stable for any |z|: exp is only taken of -|z| <= 0."""
    z = _as_float(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z):
    """sigma'(z) = sigma(z) sigma(-z); written this way it keeps full relative precision."""
    z = _as_float(z)
    return sigmoid(z) * sigmoid(-z)


def forward(x, W1, W2):
    z = _as_float(W1) @ _as_float(x)
    h = sigmoid(z)
    y_hat = _as_float(W2) @ h
    return z, h, y_hat


def loss(y_hat, y):
    r = _as_float(y_hat) - _as_float(y)
    return float(r @ r)


def dE_dyhat(y_hat, y):
    return 2.0 * (_as_float(y_hat) - _as_float(y))


def dh_dz(z):
    return np.diag(sigmoid_prime(z))


def dz_dW1(x, m):
    """Row i holds x^T in columns i*n .. i*n + n - 1: z_i depends only on row i of W1."""
    return np.kron(np.eye(int(m)), _as_float(x)[np.newaxis, :])


def dyhat_dW2(h, q):
    return np.kron(np.eye(int(q)), _as_float(h)[np.newaxis, :])


def dz_dx(W1):
    return _as_float(W1).copy()


def dyhat_dh(W2):
    return _as_float(W2).copy()


def dE_dh(x, y, W1, W2):
    _, _, y_hat = forward(x, W1, W2)
    return dyhat_dh(W2).T @ dE_dyhat(y_hat, y)


def dE_dz(x, y, W1, W2):
    z, _, _ = forward(x, W1, W2)
    return sigmoid_prime(z) * dE_dh(x, y, W1, W2)


def dE_dx(x, y, W1, W2):
    return dz_dx(W1).T @ dE_dz(x, y, W1, W2)


def dE_dW2(x, y, W1, W2):
    _, h, y_hat = forward(x, W1, W2)
    return np.outer(dE_dyhat(y_hat, y), h)


def dE_dW1(x, y, W1, W2):
    return np.outer(dE_dz(x, y, W1, W2), _as_float(x))
