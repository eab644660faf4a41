"""Correct, written with loops and plain lists, math.exp and no vectorisation."""
import math


def sigmoid(z):
    out = []
    for t in z:
        if t >= 0:
            out.append(1.0 / (1.0 + math.exp(-t)))
        else:
            e = math.exp(t)
            out.append(e / (1.0 + e))
    return out


def _matvec(A, v):
    return [sum(A[i][k] * v[k] for k in range(len(v))) for i in range(len(A))]


def forward(x, W1, W2):
    z = _matvec(W1, x)
    h = sigmoid(z)
    return z, h, _matvec(W2, h)


def loss(y_hat, y):
    total = 0.0
    for a, b in zip(y_hat, y):
        total += (a - b) ** 2
    return total


def dE_dyhat(y_hat, y):
    return [2 * (a - b) for a, b in zip(y_hat, y)]


def dh_dz(z):
    s = sigmoid(z)
    m = len(z)
    return [[s[i] * (1 - s[i]) if i == j else 0.0 for j in range(m)] for i in range(m)]


def dz_dW1(x, m):
    n = len(x)
    rows = []
    for i in range(m):
        row = [0.0] * (m * n)
        for k in range(n):
            row[i * n + k] = x[k]
        rows.append(row)
    return rows


def dyhat_dW2(h, q):
    return dz_dW1(h, q)


def dz_dx(W1):
    return [list(row) for row in W1]


def dyhat_dh(W2):
    return [list(row) for row in W2]


def dE_dh(x, y, W1, W2):
    _, _, y_hat = forward(x, W1, W2)
    g = dE_dyhat(y_hat, y)
    m = len(W2[0])
    return [sum(g[i] * W2[i][j] for i in range(len(g))) for j in range(m)]


def dE_dz(x, y, W1, W2):
    z, h, _ = forward(x, W1, W2)
    g = dE_dh(x, y, W1, W2)
    # sigma'(z) = sigma(z) * sigma(-z): h * (1 - h) loses precision only far beyond |z| ~ 30
    return [g[j] * h[j] * (1 - h[j]) for j in range(len(z))]


def dE_dx(x, y, W1, W2):
    g = dE_dz(x, y, W1, W2)
    return [sum(g[j] * W1[j][k] for j in range(len(g))) for k in range(len(x))]


def dE_dW2(x, y, W1, W2):
    _, h, y_hat = forward(x, W1, W2)
    g = dE_dyhat(y_hat, y)
    return [[g[i] * h[j] for j in range(len(h))] for i in range(len(g))]


def dE_dW1(x, y, W1, W2):
    g = dE_dz(x, y, W1, W2)
    return [[g[j] * x[k] for k in range(len(x))] for j in range(len(g))]


def grad_L(w, a, b):
    return [a * w[0], b * w[1]]


def gd_step(w, a, b, eta):
    g = grad_L(w, a, b)
    return [w[0] - eta * g[0], w[1] - eta * g[1]]


def rho(a, b, eta):
    return [1 - eta * a, 1 - eta * b]


def eta_range(a, b):
    return [0, 2 / max(a, b)]


def monotone_eta_range(a, b):
    return [0, min(1 / a, 1 / b)]


def best_eta(a, b):
    return 2 / (a + b)


def best_rate(a, b):
    kappa = max(a, b) / min(a, b)
    return (kappa - 1) / (kappa + 1)
