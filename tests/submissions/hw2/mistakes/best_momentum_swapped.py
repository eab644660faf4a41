"""(beta*, eta*) instead of (eta*, beta*).
affects: best_momentum
"""
def best_momentum(a, b):
    kappa = max(a, b) / min(a, b)
    return np.array([((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2, 4 / (np.sqrt(a) + np.sqrt(b)) ** 2])
