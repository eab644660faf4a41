"""kappa = a/b, negative when a < b.
affects: best_momentum_rate
"""
def best_momentum_rate(a, b):
    kappa = a / b
    return (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
