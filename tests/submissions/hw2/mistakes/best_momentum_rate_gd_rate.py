"""GD's best rate (kappa - 1)/(kappa + 1).
affects: best_momentum_rate
"""
def best_momentum_rate(a, b):
    kappa = max(a, b) / min(a, b)
    return (kappa - 1) / (kappa + 1)
