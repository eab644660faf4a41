"""+ beta in the top-right entry; the rate built on the matrix goes wrong with it.
affects: momentum_matrix momentum_rate
"""
def momentum_matrix(c, eta, beta):
    return np.array([[1 + beta - eta * c, beta], [1.0, 0.0]])
