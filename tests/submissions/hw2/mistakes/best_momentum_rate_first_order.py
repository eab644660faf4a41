"""The large-kappa approximation 1 - 2/sqrt(kappa).
affects: best_momentum_rate
"""
def best_momentum_rate(a, b):
    return 1 - 2 / np.sqrt(max(a, b) / min(a, b))
