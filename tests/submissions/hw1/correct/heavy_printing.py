"""Correct, and noisy: prints about 20 MiB while graded (at import, and with every call).
Printed output is counted and dropped: it never changes a score."""
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
    return float(np.sum((y_hat - y) ** 2))


def dE_dyhat(y_hat, y):
    return 2 * (y_hat - y)


def dh_dz(z):
    s = sigmoid(z)
    return np.diag(s * (1 - s))


def dz_dW1(x, m):
    n = len(x)
    J = np.zeros((m, m * n))
    for i in range(m):
        J[i, i * n:(i + 1) * n] = x
    return J


def dyhat_dW2(h, q):
    m = len(h)
    J = np.zeros((q, q * m))
    for i in range(q):
        J[i, i * m:(i + 1) * m] = h
    return J


def dz_dx(W1):
    return np.array(W1, dtype=float)


def dyhat_dh(W2):
    return np.array(W2, dtype=float)


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
    return (dE_dyhat(y_hat, y) @ dyhat_dW2(h, len(y))).reshape(len(y), len(h))


def dE_dW1(x, y, W1, W2):
    m, n = np.shape(W1)
    return (dE_dz(x, y, W1, W2) @ dz_dW1(x, m)).reshape(m, n)


def grad_L(w, a, b):
    return np.array([a * w[0], b * w[1]])


def gd_step(w, a, b, eta):
    return np.asarray(w) - eta * grad_L(w, a, b)


def rho(a, b, eta):
    return np.array([1 - a * eta, 1 - b * eta])


def eta_range(a, b):
    return np.array([0.0, 2 / max(a, b)])


def monotone_eta_range(a, b):
    return np.array([0.0, 1 / max(a, b)])


def best_eta(a, b):
    return 2 / (a + b)


def best_rate(a, b):
    return float(np.max(np.abs(rho(a, b, best_eta(a, b)))))


print("x" * (20 << 20))
_LOUD = "y" * 20_000


def _loud(function):
    def wrapper(*args):
        print(_LOUD)
        return function(*args)

    return wrapper


for _name in ("sigmoid", "forward", "loss", "dE_dyhat", "dh_dz", "dE_dh", "dE_dz", "dE_dx", "grad_L", "rho"):
    globals()[_name] = _loud(globals()[_name])
