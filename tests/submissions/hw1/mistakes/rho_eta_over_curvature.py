"""eta / a instead of a eta.
affects: rho best_rate
"""
def rho(a, b, eta):
    return np.array([1 - eta / a, 1 - eta / b])
