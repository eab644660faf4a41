"""GD's best step size 2/(a + b) for eta.
affects: best_momentum
"""
def best_momentum(a, b):
    kappa = max(a, b) / min(a, b)
    return np.array([2 / (a + b), ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2])
