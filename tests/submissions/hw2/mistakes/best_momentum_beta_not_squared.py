"""beta* not squared.
affects: best_momentum
"""
def best_momentum(a, b):
    kappa = max(a, b) / min(a, b)
    return np.array([4 / (np.sqrt(a) + np.sqrt(b)) ** 2, (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)])
