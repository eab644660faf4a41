"""Only the first coordinate.
affects: momentum_rate
"""
def momentum_rate(a, b, eta, beta):
    return float(np.max(np.abs(np.linalg.eigvals(momentum_matrix(a, eta, beta)))))
