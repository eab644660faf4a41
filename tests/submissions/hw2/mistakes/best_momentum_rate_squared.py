"""beta*, the square of the rate.
affects: best_momentum_rate
"""
def best_momentum_rate(a, b):
    kappa = max(a, b) / min(a, b)
    return ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
