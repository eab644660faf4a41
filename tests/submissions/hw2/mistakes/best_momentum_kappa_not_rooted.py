"""kappa where sqrt(kappa) belongs in beta*.
affects: best_momentum
"""
def best_momentum(a, b):
    kappa = max(a, b) / min(a, b)
    return np.array([4 / (np.sqrt(a) + np.sqrt(b)) ** 2, ((kappa - 1) / (kappa + 1)) ** 2])
