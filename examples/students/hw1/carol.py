"""Carol: a squeeze that breaks when a dimension is 1, and a best_rate that never returns.

Builds on the base solution (tests/submissions/hw1/base.py): only her own versions are here.
"""


def dz_dx(W1):
    return np.squeeze(np.array(W1, dtype=float))


def best_rate(a, b):
    rate = 1.0
    while rate > 0:  # meant to iterate GD to measure it
        rate = rate * 1.0
    return rate
