"""The state ordered as (w_{t-1}, w_t); the rate (eigenvalues) does not change.
affects: momentum_matrix
"""
def momentum_matrix(c, eta, beta):
    return np.array([[0.0, 1.0], [-beta, 1 + beta - eta * c]])
