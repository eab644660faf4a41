"""GD's rate, ignoring beta.
affects: momentum_rate
"""
def momentum_rate(a, b, eta, beta):
    return max(abs(1 - eta * a), abs(1 - eta * b))
