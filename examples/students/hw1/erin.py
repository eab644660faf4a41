"""Erin: some answers raise errors (a typo, a shape clash, an unfinished function).

Builds on the base solution (tests/submissions/hw1/base.py): only her own versions are here.
"""


def loss(y_hat, y):
    return float(np.sum((y_hat - y_true) ** 2))  # noqa: F821 - the typo is the point


def dE_dx(x, y, W1, W2):
    return W1 @ dE_dz(x, y, W1, W2)  # W1 where W1.T belongs: raises unless m == n


def eta_range(a, b):
    raise ValueError("TODO: finish this one")
