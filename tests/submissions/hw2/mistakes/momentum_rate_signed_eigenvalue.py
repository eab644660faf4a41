"""The largest eigenvalue (real part), not its modulus.
affects: momentum_rate
"""
def momentum_rate(a, b, eta, beta):
    return float(max(np.max(np.linalg.eigvals(momentum_matrix(c, eta, beta)).real) for c in (a, b)))
