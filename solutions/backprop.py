"""Reference solution: backpropagation through a two-layer sigmoid network (SPEC section 3).

Conventions: x (n,), W1 (m, n), W2 (q, m), y (q,); z = W1 x, h = sigma(z), y_hat = W2 h,
E = ||y_hat - y||^2. Jacobians are (len(output), len(input)); a Jacobian with respect to a
matrix flattens it in row-major order. Everything is float64.

Each function body is self-contained (it uses numpy and the other graded functions only):
the nbgrader source notebooks are generated from these bodies (grader/authoring/build.py).
"""

import numpy as np


def sigmoid(z):
    """Elementwise logistic function, stable for any |z|: exp is only taken of -|z| <= 0."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def forward(x, W1, W2):
    z = np.asarray(W1, dtype=np.float64) @ np.asarray(x, dtype=np.float64)
    h = sigmoid(z)
    y_hat = np.asarray(W2, dtype=np.float64) @ h
    return z, h, y_hat


def loss(y_hat, y):
    r = np.asarray(y_hat, dtype=np.float64) - np.asarray(y, dtype=np.float64)
    return float(r @ r)


def dE_dyhat(y_hat, y):
    return 2.0 * (np.asarray(y_hat, dtype=np.float64) - np.asarray(y, dtype=np.float64))


def dh_dz(z):
    # sigma'(z) = sigma(z) sigma(-z): unlike sigma(z) (1 - sigma(z)) it keeps full precision
    return np.diag(sigmoid(z) * sigmoid(-np.asarray(z, dtype=np.float64)))


def dz_dW1(x, m):
    # row i holds x^T in columns i*n .. i*n + n - 1: z_i depends only on row i of W1
    return np.kron(np.eye(int(m)), np.asarray(x, dtype=np.float64)[np.newaxis, :])


def dyhat_dW2(h, q):
    return np.kron(np.eye(int(q)), np.asarray(h, dtype=np.float64)[np.newaxis, :])


def dz_dx(W1):
    return np.array(W1, dtype=np.float64)


def dyhat_dh(W2):
    return np.array(W2, dtype=np.float64)


def dE_dh(x, y, W1, W2):
    _, _, y_hat = forward(x, W1, W2)
    return dE_dyhat(y_hat, y) @ dyhat_dh(W2)


def dE_dz(x, y, W1, W2):
    z, _, _ = forward(x, W1, W2)
    return dE_dh(x, y, W1, W2) @ dh_dz(z)


def dE_dx(x, y, W1, W2):
    return dE_dz(x, y, W1, W2) @ dz_dx(W1)


def dE_dW2(x, y, W1, W2):
    _, h, y_hat = forward(x, W1, W2)
    return np.outer(dE_dyhat(y_hat, y), h)


def dE_dW1(x, y, W1, W2):
    return np.outer(dE_dz(x, y, W1, W2), np.asarray(x, dtype=np.float64))
