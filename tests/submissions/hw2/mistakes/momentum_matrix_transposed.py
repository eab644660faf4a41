"""The transpose; same eigenvalues, so the rate built on it is still right.
affects: momentum_matrix
"""
def momentum_matrix(c, eta, beta):
    return np.array([[1 + beta - eta * c, 1.0], [-beta, 0.0]])
