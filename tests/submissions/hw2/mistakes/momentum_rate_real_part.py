"""The largest |real part| instead of the modulus.
affects: momentum_rate
"""
def momentum_rate(a, b, eta, beta):
    return float(max(np.max(np.abs(np.linalg.eigvals(momentum_matrix(c, eta, beta)).real)) for c in (a, b)))
