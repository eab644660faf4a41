"""The faster coordinate instead of the slower one.
affects: momentum_rate
"""
def momentum_rate(a, b, eta, beta):
    return float(min(np.max(np.abs(np.linalg.eigvals(momentum_matrix(c, eta, beta)))) for c in (a, b)))
