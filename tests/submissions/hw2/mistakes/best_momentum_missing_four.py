"""eta* without its factor 4.
affects: best_momentum
"""
def best_momentum(a, b):
    kappa = max(a, b) / min(a, b)
    return np.array([1 / (np.sqrt(a) + np.sqrt(b)) ** 2, ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2])
