"""1 + a eta: the factor of gradient ascent.
affects: rho best_rate
"""
def rho(a, b, eta):
    return np.array([1 + a * eta, 1 + b * eta])
